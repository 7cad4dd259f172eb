//! Fixtures shared by the integration tests: a made-up professional, a test INS (test OID),
//! a feed (CR de consultation signed with a XAdES signature document), a deterministic context,
//! and the life cycle
//! run by `tests/simulator.rs` (in process) and `tests/mtls.rs` (over mutual TLS).
#![allow(dead_code)]

use segur_dmp::simulator::Simulator;
use segur_dmp::{
    AuthorizationAction, DmpClient, Environment, Feed, PatientList, PatientListDate, Query,
    RequestContext, Retrieve, SenderDevice, SetAuthorization, Update,
};
use segur_ins::Ins;
use segur_soap::vihf::{AuthenticationMode, CodedValue, Lps, VihfBuilder};
use segur_transport::{FixedClock, HttpRequest, SeededRandomness, Transport};
use segur_xds::codes::oid;
use segur_xds::query::ObjectsBy;
use segur_xds::*;

pub(crate) const INS: &str = "279035121518989";
pub(crate) const CDA: &[u8] =
    b"<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>CR</title></ClinicalDocument>";
/// The test signing key and certificate (segur-soap's test PKI, issued by its `tests/data/ca.pem`), paths relative to this
/// file so that segur-cli's tests can include it.
pub(crate) const SIGN_KEY: &[u8] = include_bytes!("../../../segur-soap/tests/data/sign.key.pem");
pub(crate) const SIGN_CERT: &[u8] = include_bytes!("../../../segur-soap/tests/data/sign.pem");

pub(crate) fn signer() -> segur_xmldsig::SoftwareSigner {
    segur_xmldsig::SoftwareSigner::from_pem(SIGN_KEY, SIGN_CERT).unwrap()
}

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

/// Runs `f` with a deterministic request context (test environment, unsigned VIHF).
pub(crate) fn with_context<R>(f: impl FnOnce(&RequestContext<'_>) -> R) -> R {
    let env = Environment::new("https://dmp.test/si-dmp-server/v2/services");
    with_vihf_context(&env, &unsigned_vihf(), f)
}

/// Runs `f` with a deterministic request context for `env` carrying `vihf` as is.
pub(crate) fn with_vihf_context<R>(
    env: &Environment,
    vihf: &str,
    f: impl FnOnce(&RequestContext<'_>) -> R,
) -> R {
    let clock = clock();
    let random = SeededRandomness::new(7);
    f(&RequestContext {
        environment: env,
        vihf,
        clock: &clock,
        random: &random,
    })
}

/// A TD0.3 (add) request for `env` carrying `vihf` as is (unsigned, tampered...).
pub(crate) fn set_authorization_request(env: &Environment, vihf: &str) -> HttpRequest {
    with_vihf_context(env, vihf, |ctx| {
        SetAuthorization {
            action: AuthorizationAction::Add,
        }
        .to_http(ctx)
        .unwrap()
    })
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
    let random = SeededRandomness::new(u64::from(unique));
    let mut submission = Submission::new(submission_set(unique));
    submission.add_document(document(unique, content), &random);
    Feed::signed(
        submission,
        vec![(EntryUuid::parse("Doc01").unwrap(), content.to_vec())],
        segur_dmp::SignatureDocument {
            entry_uuid: EntryUuid::parse("Signature01").unwrap(),
            unique_id: UniqueId::parse(&format!("1.2.250.1.999.1.1.7898.4.{unique}")).unwrap(),
        },
        &signer(),
        &clock(),
        &random,
    )
    .unwrap()
}

/// Every transaction through `dmp`, talking to `sim` (in process or behind the HTTPS server):
/// TD0.2 / TD0.3 / TD0.4, TD2.1 and RPLC, TD3.1 FindDocuments and GetDocuments, TD3.2, TD3.3a-d,
/// with the refusals met on the way (no authorisation, duplicate uniqueId, stale
/// PreviousVersion, wrong OriginalStatus, deleted document).
pub(crate) fn life_cycle<T: Transport>(dmp: &DmpClient<T>, sim: &Simulator) {
    let ins = ins();

    // TD0.2 before the DMP exists, then without and with authorisation.
    assert!(!dmp.test_existence(&ins).unwrap().exists);
    sim.add_patient(&patient().to_hl7v2());
    let status = dmp.test_existence(&ins).unwrap();
    assert!(status.exists && !status.is_authorized());
    let err = dmp
        .query(
            &ins,
            &Query::find_documents(&patient(), &[AvailabilityStatus::Approved]),
        )
        .unwrap_err();
    assert_eq!(err.dmp_code(), Some("DMPAccessDeniedByRightsService"));
    // TD0.3
    let st = dmp
        .set_authorization(&ins, AuthorizationAction::Add)
        .unwrap();
    assert_eq!(st.context.as_deref(), Some("Autorisation ajoutée"));
    assert!(dmp.test_existence(&ins).unwrap().is_authorized());
    // TD0.4
    let list = dmp
        .patient_list(&PatientList {
            start_date: "20250101000000".into(),
            date_type: PatientListDate::LastAuthorization,
        })
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].identifier("1.2.250.1.213.1.4.10"), Some(INS));

    // TD2.1
    dmp.feed(&ins, &feed(1, CDA)).unwrap();
    assert_eq!(sim.document_count(), 2);
    // the same uniqueIds again: refused by the registry
    let err = dmp.feed(&ins, &feed(1, CDA)).unwrap_err();
    assert!(
        err.registry_codes()
            .contains(&"XDSDuplicateUniqueIdInRegistry"),
        "{err}"
    );

    // TD3.1
    let found = dmp
        .query(
            &ins,
            &Query::find_documents(&patient(), &[AvailabilityStatus::Approved]),
        )
        .unwrap();
    let doc = found
        .objects
        .documents
        .iter()
        .find(|d| !d.is_signature())
        .unwrap()
        .clone();
    assert!(doc.entry_uuid.is_uuid());
    // TD3.1 GetDocuments, by entryUUID and by uniqueId
    for by in [
        ObjectsBy::EntryUuids(vec![doc.entry_uuid.clone()]),
        ObjectsBy::UniqueIds(vec![doc.unique_id.clone()]),
    ] {
        let got = dmp
            .query(
                &ins,
                &Query {
                    request: AdhocQueryRequest::get_documents(&by, ReturnType::LeafClass),
                },
            )
            .unwrap();
        assert_eq!(got.objects.documents, std::slice::from_ref(&doc), "{by:?}");
    }
    // TD3.2: the exact bytes back
    let got = dmp
        .retrieve(&ins, &Retrieve::new(doc.unique_id.clone()))
        .unwrap();
    assert_eq!(got[0].content, CDA);
    // replacement (RPLC)
    let rng = SeededRandomness::new(3);
    let mut v2 = feed(
        2,
        b"<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>CR v2</title></ClinicalDocument>",
    );
    let new_doc = v2.submission.documents.remove(0);
    v2.submission
        .associations
        .retain(|a| a.target != new_doc.entry_uuid);
    v2.submission
        .add_replacement(new_doc, doc.entry_uuid.clone(), &rng);
    dmp.feed(&ins, &v2).unwrap();
    let approved = dmp
        .query(
            &ins,
            &Query::find_documents(&patient(), &[AvailabilityStatus::Approved]),
        )
        .unwrap();
    assert!(
        approved
            .objects
            .documents
            .iter()
            .all(|d| d.entry_uuid != doc.entry_uuid),
        "replaced entry deprecated"
    );
    let current = approved
        .objects
        .documents
        .iter()
        .find(|d| !d.is_signature() && d.unique_id.as_str().ends_with(".3.2"))
        .unwrap()
        .clone();

    // TD3.3a mask, then a stale PreviousVersion is refused
    let mask = Update::visibility(submission_set(10), &current, true, false, &rng).unwrap();
    dmp.update(&ins, &mask).unwrap();
    let stale = Update::visibility(submission_set(11), &current, false, false, &rng).unwrap();
    let err = dmp.update(&ins, &stale).unwrap_err();
    assert_eq!(err.registry_codes(), ["XDSMetadataVersionError"]);
    let masked = dmp
        .query(
            &ins,
            &Query::find_documents(&patient(), &[AvailabilityStatus::Approved]),
        )
        .unwrap();
    let masked = masked
        .objects
        .documents
        .iter()
        .find(|d| {
            d.logical_id.as_ref() == Some(&current.entry_uuid) || d.logical_id == current.logical_id
        })
        .unwrap()
        .clone();
    assert!(
        masked
            .confidentiality_codes
            .iter()
            .any(|c| c.code == "MASQUE_PS")
    );
    // TD3.3b visible to the patient (and unmasked)
    let visible = Update::visibility(submission_set(12), &masked, false, false, &rng).unwrap();
    dmp.update(&ins, &visible).unwrap();
    let latest = dmp
        .query(
            &ins,
            &Query::find_documents(&patient(), &[AvailabilityStatus::Approved]),
        )
        .unwrap();
    let latest = latest
        .objects
        .documents
        .iter()
        .find(|d| d.logical_id == masked.logical_id)
        .unwrap()
        .clone();
    assert_eq!(latest.version.as_deref(), Some("3"));
    // TD3.3d archive / unarchive, French status in the query
    let archive = Update::status(
        submission_set(13),
        latest.entry_uuid.clone(),
        AvailabilityStatus::Approved,
        AvailabilityStatus::Archived,
        &rng,
    );
    dmp.update(&ins, &archive).unwrap();
    let archived = dmp
        .query(
            &ins,
            &Query::find_documents(&patient(), &[AvailabilityStatus::Archived]),
        )
        .unwrap();
    assert_eq!(archived.objects.documents.len(), 1);
    let unarchive = Update::status(
        submission_set(14),
        latest.entry_uuid.clone(),
        AvailabilityStatus::Archived,
        AvailabilityStatus::Approved,
        &rng,
    );
    dmp.update(&ins, &unarchive).unwrap();
    // TD3.3c delete: then not found
    let delete = Update::status(
        submission_set(15),
        latest.entry_uuid.clone(),
        AvailabilityStatus::Approved,
        AvailabilityStatus::Deleted,
        &rng,
    );
    dmp.update(&ins, &delete).unwrap();
    let err = dmp
        .retrieve(&ins, &Retrieve::new(latest.unique_id.clone()))
        .unwrap_err();
    assert_eq!(err.registry_codes(), ["XDSDocumentUniqueIdError"]);
    // a wrong OriginalStatus
    let again = Update::status(
        submission_set(16),
        latest.entry_uuid.clone(),
        AvailabilityStatus::Approved,
        AvailabilityStatus::Deleted,
        &rng,
    );
    assert_eq!(
        dmp.update(&ins, &again).unwrap_err().registry_codes(),
        ["XDSMetadataUpdateError"]
    );
    // TD0.3 removal
    dmp.set_authorization(&ins, AuthorizationAction::Remove)
        .unwrap();
    assert!(!dmp.test_existence(&ins).unwrap().is_authorized());
}
