//! Fixtures shared by the integration tests: a made-up professional, a test INS (test OID),
//! a feed (CR de consultation + signature entry) and a deterministic context.
#![allow(dead_code)]

use segur_dmp::{Environment, Feed, RequestContext, SenderDevice};
use segur_ins::Ins;
use segur_soap::vihf::{AuthenticationMode, CodedValue, Lps, VihfBuilder};
use segur_transport::{FixedClock, SeededRandomness};
use segur_xds::codes::oid;
use segur_xds::*;

pub(crate) const INS: &str = "279035121518989";
pub(crate) const CDA: &[u8] =
    b"<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>CR</title></ClinicalDocument>";
pub(crate) const SIGNATURE: &[u8] = b"<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"/>";

pub(crate) fn ins() -> Ins {
    Ins::from_xds_cx(&format!("{INS}^^^&1.2.250.1.213.1.4.10&ISO^NH")).unwrap()
}

pub(crate) fn patient() -> Cx {
    Cx::ins(INS, oid::INS_NIR_TEST)
}

pub(crate) fn clock() -> FixedClock {
    FixedClock::from_rfc3339("2026-11-22T08:00:00Z").unwrap()
}

pub(crate) fn sender() -> SenderDevice {
    SenderDevice {
        oid: "1.2.250.1.999.1.1.7898".into(),
        name: "MON-LPS".into(),
    }
}

pub(crate) fn vihf_template() -> VihfBuilder {
    VihfBuilder::new(AuthenticationMode::Indirecte)
        .name_id("899900063480")
        .subject_id("LIBRE Max")
        .structure("499900063480001", "SA07")
        .role(CodedValue::profession("10"))
        .role(CodedValue::specialty("SM26"))
        .lps(Lps::new("MON-LPS", "1.0", "NumAutorisation"))
}

/// An unsigned VIHF about the test patient (for byte-stable snapshots).
pub(crate) fn unsigned_vihf() -> String {
    vihf_template()
        .patient(ins())
        .build(&clock(), &SeededRandomness::new(9))
        .unwrap()
        .to_unsigned_xml("CN=DMP SIGN TEST,O=STRUCTURE TEST,C=FR")
        .unwrap()
}

/// Runs `f` with a deterministic request context.
pub(crate) fn with_context<R>(f: impl FnOnce(&RequestContext<'_>) -> R) -> R {
    let env = Environment::new("https://dmp.test/si-dmp-server/v2/services");
    let vihf = unsigned_vihf();
    let clock = clock();
    let random = SeededRandomness::new(7);
    let ctx = RequestContext {
        environment: &env,
        vihf: &vihf,
        clock: &clock,
        random: &random,
    };
    f(&ctx)
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
        telecoms: Vec::new(),
    }
}

pub(crate) fn facility() -> Code {
    Code::new("SA07", oid::ACTIVITY_SECTOR, "Cabinet individuel")
}

pub(crate) fn practice() -> Code {
    Code::new("AMBULATOIRE", oid::PRACTICE_SETTING, "Ambulatoire")
}

pub(crate) fn submission_set(n: u32) -> SubmissionSet {
    SubmissionSet {
        entry_uuid: EntryUuid::parse("SubmissionSet01").unwrap(),
        unique_id: Oid::parse(&format!("1.2.250.1.999.1.1.7898.1.{n}")).unwrap(),
        source_id: Oid::parse("1.2.250.1.999.1.1.7898").unwrap(),
        patient_id: patient(),
        submission_time: XdsTime::parse("20250115100000").unwrap(),
        content_type_code: Some(Code::new("07", oid::ACTIVITY_TYPE, "Consultations")),
        authors: vec![author()],
        title: None,
        comments: None,
        intended_recipients: Vec::new(),
        availability_status: None,
    }
}

pub(crate) fn document(unique: u32, content: &[u8]) -> DocumentEntry {
    let mut doc = DocumentEntry {
        entry_uuid: EntryUuid::parse("Doc01").unwrap(),
        logical_id: None,
        version: None,
        kind: EntryKind::Stable,
        unique_id: UniqueId::parse(&format!("1.2.250.1.999.1.1.7898.3.{unique}")).unwrap(),
        patient_id: patient(),
        source_patient_id: Some(patient()),
        source_patient_info: Vec::new(),
        mime_type: "text/xml".into(),
        title: Some("CR de consultation".into()),
        comments: None,
        class_code: Code::new("10", oid::CLASS_CODE, "Compte rendu"),
        type_code: Code::new("11488-4", oid::LOINC, "CR de consultation"),
        format_code: Code::new("urn:ihe:iti:xds-sd:pdf:2008", oid::IHE_FORMAT_CODES, "PDF"),
        confidentiality_codes: vec![Code::new("N", oid::HL7_CONFIDENTIALITY, "Normal")],
        healthcare_facility_type_code: facility(),
        practice_setting_code: practice(),
        event_codes: Vec::new(),
        authors: vec![author()],
        legal_authenticator: None,
        creation_time: Some(XdsTime::parse("20250115093012").unwrap()),
        service_start_time: None,
        service_stop_time: None,
        hash: None,
        size: None,
        language_code: Some("fr-FR".into()),
        repository_unique_id: None,
        uri: None,
        availability_status: None,
    };
    doc.set_content(content);
    doc
}

/// A feed of `content` as document `unique` (uniqueIds `…3.<unique>` and `…3.<unique+1000>`
/// for the signature), submission set `…1.<unique>`.
pub(crate) fn feed(unique: u32, content: &[u8]) -> Feed {
    let rng = SeededRandomness::new(u64::from(unique));
    let mut s = Submission::new(submission_set(unique));
    s.add_document(document(unique, content), &rng);
    let mut sig = DocumentEntry::dmp_signature(
        EntryUuid::parse("Signature01").unwrap(),
        UniqueId::parse(&format!("1.2.250.1.999.1.1.7898.3.{}", unique + 1000)).unwrap(),
        patient(),
        facility(),
        practice(),
        XdsTime::parse("20250115100000").unwrap(),
        vec![author()],
    );
    sig.set_content(SIGNATURE);
    s.add_dmp_signature(sig, &rng);
    Feed::new(
        s,
        vec![
            (EntryUuid::parse("Doc01").unwrap(), content.to_vec()),
            (EntryUuid::parse("Signature01").unwrap(), SIGNATURE.to_vec()),
        ],
    )
}
