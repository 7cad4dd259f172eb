//! Helpers shared by the integration tests.
#![allow(dead_code, unreachable_pub)]

use std::path::PathBuf;
use std::process::Command;

use segur_transport::{FixedClock, SeededRandomness};
use segur_xds::codes::Code;
use segur_xds::{
    Cx, DocumentEntry, EntryKind, EntryUuid, Oid, Submission, SubmissionSet, UniqueId, XdsTime,
};

pub const VAC_NOTE: &[u8] = include_bytes!("../data/VAC-NOTE_2023.01.xml");
pub const INS: &str = "279035121518989";
pub const INS_TEST_OID: &str = "1.2.250.1.213.1.4.10";

pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

pub fn shared(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(path)
}

pub fn clock() -> FixedClock {
    FixedClock::from_rfc3339("2025-01-15T08:30:00Z").unwrap()
}

/// A document entry for a CDA document of the test patient.
pub fn entry(rng: &SeededRandomness, unique_id: &str, title: &str) -> DocumentEntry {
    let patient = Cx::ins(INS, INS_TEST_OID);
    DocumentEntry {
        entry_uuid: EntryUuid::random(rng),
        logical_id: None,
        version: None,
        kind: EntryKind::Stable,
        unique_id: UniqueId::parse(unique_id).unwrap(),
        source_patient_id: Some(patient.clone()),
        patient_id: patient,
        source_patient_info: Vec::new(),
        mime_type: "text/xml".to_owned(),
        title: Some(title.to_owned()),
        comments: None,
        class_code: Code::new("11", "1.2.250.1.213.1.1.4.1", "Compte rendu"),
        type_code: Code::new("87273-9", "2.16.840.1.113883.6.1", "Note de vaccination"),
        format_code: Code::new(
            "urn:asip:ci-sis:vac-note:2023",
            "1.2.250.1.213.1.1.4.2.282",
            "Note de vaccination",
        ),
        confidentiality_codes: vec![Code::new("N", "2.16.840.1.113883.5.25", "Normal")],
        healthcare_facility_type_code: Code::new("SA07", "1.2.250.1.71.4.2.4", "Cabinet"),
        practice_setting_code: Code::new("ORG01", "1.2.250.1.213.1.1.4.9", "Médecine générale"),
        event_codes: Vec::new(),
        authors: Vec::new(),
        legal_authenticator: None,
        creation_time: Some(XdsTime::parse("20250115083000").unwrap()),
        service_start_time: None,
        service_stop_time: None,
        hash: None,
        size: None,
        language_code: Some("fr-FR".to_owned()),
        repository_unique_id: None,
        uri: None,
        availability_status: None,
    }
}

/// A submission set holding one entry per title.
pub fn submission(rng: &SeededRandomness, titles: &[&str]) -> Submission {
    let set = SubmissionSet {
        entry_uuid: EntryUuid::random(rng),
        unique_id: Oid::parse("1.2.250.1.999.1.2025.1").unwrap(),
        source_id: Oid::parse("1.2.250.1.999.1").unwrap(),
        patient_id: Cx::ins(INS, INS_TEST_OID),
        submission_time: XdsTime::parse("20250115083000").unwrap(),
        content_type_code: Some(Code::new("04", "1.2.250.1.213.1.1.4.12", "Hospitalisation")),
        authors: Vec::new(),
        title: None,
        comments: None,
        intended_recipients: vec!["|^^Internet^serviceY@ch-b.mssante.fr".to_owned()],
        availability_status: None,
    };
    let mut s = Submission::new(set);
    for (i, t) in titles.iter().enumerate() {
        s.add_document(
            entry(rng, &format!("1.2.250.1.213.1.1.1.46.2023.1.{}", i + 1), t),
            rng,
        );
    }
    s
}

/// Runs a command, panicking with a clear message when the tool is missing.
pub fn run(program: &str, args: &[&str]) -> std::process::Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("`{program}` is required by this test (see .ci/run): {e}"))
}

/// A qualified identity status (INSi answer plus a checked identity document).
pub fn qualified_status() -> segur_ins::IdentityStatus {
    use segur_ins::rniv::{CompareOptions, compare};
    use segur_ins::status::{Event, IdentityDocument, InsiMode};
    use segur_ins::{BirthDate, CalendarDate, IdentityStatus, IdentityTraits, Sex};
    let traits = IdentityTraits::new(
        "PAT-TROIS",
        "DOMINIQUE",
        BirthDate::from_insi("1979-03-28").unwrap(),
        Sex::Female,
        None,
    )
    .unwrap();
    let today = CalendarDate::new(2025, 1, 15).unwrap();
    let mut status = IdentityStatus::new();
    status
        .apply(Event::InsiAnswer {
            mode: InsiMode::Traits,
            date: today,
            comparison: compare(&traits, &traits, &CompareOptions::default()),
        })
        .unwrap();
    status
        .apply(Event::DocumentChecked {
            document: IdentityDocument::Passeport,
            date: today,
        })
        .unwrap();
    status
}
