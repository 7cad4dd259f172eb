//! A realistic DMP feed (CR de consultation + signature entry) built for the tests. All values
//! are made up for this project: test INS under the test OID, fake RPPS / FINESS numbers.
#![allow(dead_code)]

use segur_transport::SeededRandomness;
use segur_xds::codes::oid;
use segur_xds::*;

pub(crate) const INS: &str = "279035121518989";
pub(crate) const CDA: &[u8] =
    b"<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>CR</title></ClinicalDocument>";
pub(crate) const SIGNATURE: &[u8] = b"<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"/>";

pub(crate) fn patient() -> Cx {
    Cx::ins(INS, oid::INS_NIR_TEST)
}

pub(crate) fn author() -> Author {
    Author {
        person: Some(Xcn::professional("899900063480", "MAX", Some("LIBRE"))),
        institutions: vec![Xon::structure("CABINET DR LIBRE", "499900063480001")],
        roles: Vec::new(),
        specialties: vec![Code::new(
            "G15_10/SM26",
            oid::AUTHOR_SPECIALTY,
            "Médecin - Qualifié en Médecine Générale (SM)",
        )],
        telecoms: vec![Xtn::email("max.libre@test.mssante.fr")],
    }
}

pub(crate) fn facility() -> Code {
    Code::new("SA07", oid::ACTIVITY_SECTOR, "Cabinet individuel")
}

pub(crate) fn practice() -> Code {
    Code::new("AMBULATOIRE", oid::PRACTICE_SETTING, "Ambulatoire")
}

pub(crate) fn document() -> DocumentEntry {
    let mut doc = DocumentEntry {
        entry_uuid: EntryUuid::parse("Doc01").unwrap(),
        logical_id: None,
        version: None,
        kind: EntryKind::Stable,
        unique_id: UniqueId::parse("1.2.250.1.999.1.1.7898.3.1").unwrap(),
        patient_id: patient(),
        source_patient_id: Some(Cx::new("0456789999", "1.2.250.1.999.1.1.7898.2", "PI")),
        source_patient_info: PatientInfo {
            family: "PAT-TROIS".into(),
            given: Some("DOMINIQUE".into()),
            birth_date: Some("19790328".into()),
            gender: Some("F".into()),
        }
        .to_slot_values(),
        mime_type: "text/xml".into(),
        title: Some("CR de consultation".into()),
        comments: Some("Consultation du 15/01".into()),
        class_code: Code::new("10", oid::CLASS_CODE, "Compte rendu"),
        type_code: Code::new("11488-4", oid::LOINC, "CR de consultation"),
        format_code: Code::new(
            "urn:ihe:iti:xds-sd:pdf:2008",
            oid::IHE_FORMAT_CODES,
            "Document à corps non structuré en Pdf/A-1",
        ),
        confidentiality_codes: vec![Code::new("N", oid::HL7_CONFIDENTIALITY, "Normal")],
        healthcare_facility_type_code: facility(),
        practice_setting_code: practice(),
        event_codes: vec![Code::new(
            "DEQP003",
            "1.2.250.1.213.2.5",
            "Électrocardiographie",
        )],
        authors: vec![author()],
        legal_authenticator: Some(Xcn::professional("899900063480", "MAX", Some("LIBRE"))),
        creation_time: Some(XdsTime::parse("20250115093012").unwrap()),
        service_start_time: Some(XdsTime::parse("20250115090000").unwrap()),
        service_stop_time: Some(XdsTime::parse("20250115091500").unwrap()),
        hash: None,
        size: None,
        language_code: Some("fr-FR".into()),
        repository_unique_id: None,
        uri: None,
        availability_status: None,
    };
    doc.set_content(CDA);
    doc
}

pub(crate) fn submission_set() -> SubmissionSet {
    SubmissionSet {
        entry_uuid: EntryUuid::parse("SubmissionSet01").unwrap(),
        unique_id: Oid::parse("1.2.250.1.999.1.1.7898.1.1").unwrap(),
        source_id: Oid::parse("1.2.250.1.999.1.1.7898").unwrap(),
        patient_id: patient(),
        submission_time: XdsTime::parse("20250115100000").unwrap(),
        content_type_code: Some(Code::new(
            "07",
            oid::ACTIVITY_TYPE,
            "Consultations soins externes",
        )),
        authors: vec![author()],
        title: Some("lot du document".into()),
        comments: None,
        intended_recipients: Vec::new(),
        availability_status: None,
    }
}

/// The feed: document + signature entry + HasMember ×2 + signs, ids from a seeded source.
pub(crate) fn feed() -> Submission {
    let rng = SeededRandomness::new(42);
    let mut s = Submission::new(submission_set());
    s.add_document(document(), &rng);
    let mut sig = DocumentEntry::dmp_signature(
        EntryUuid::parse("Signature01").unwrap(),
        UniqueId::parse("1.2.250.1.999.1.1.7898.3.2").unwrap(),
        patient(),
        facility(),
        practice(),
        XdsTime::parse("20250115100000").unwrap(),
        vec![author()],
    );
    sig.set_content(SIGNATURE);
    s.add_dmp_signature(sig, &rng);
    s
}

pub(crate) fn contents() -> Vec<(EntryUuid, &'static [u8])> {
    vec![
        (EntryUuid::parse("Doc01").unwrap(), CDA),
        (EntryUuid::parse("Signature01").unwrap(), SIGNATURE),
    ]
}
