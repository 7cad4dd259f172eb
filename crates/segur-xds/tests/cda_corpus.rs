//! `DocumentEntry::from_cda` on every document of `../shared/corpus/cda/examples` (94 ANS
//! examples): derived values are compared with the corpus manifest, and each entry, put in a
//! DMP feed with its signature entry, goes through the validator.

use segur_transport::SeededRandomness;
use segur_xds::cda::CdaOverrides;
use segur_xds::codes::{CLASS_CODE_DMP, oid};
use segur_xds::validate::{Profile, Rule, validate_with_documents};
use segur_xds::*;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/cda/");

/// Derives the entry, supplying a placeholder class / format code only when the built-in
/// ASS_X04 / ASS_A11 excerpts cannot derive it. Returns which ones were supplied.
fn derive(file: &str, bytes: &[u8]) -> (DocumentEntry, bool, bool) {
    let mut overrides = CdaOverrides::new();
    let (mut class, mut format) = (false, false);
    loop {
        match DocumentEntry::from_cda_bytes(bytes, EntryUuid::parse("Doc01").unwrap(), &overrides) {
            Ok(e) => return (e, class, format),
            Err(err) => match err.kind() {
                XdsErrorKind::CdaMapping {
                    field: "classCode", ..
                } if !class => {
                    class = true;
                    overrides = overrides.with_class_code(Code::new("10", oid::CLASS_CODE, "CR"));
                }
                XdsErrorKind::CdaMapping {
                    field: "formatCode",
                    ..
                } if !format => {
                    format = true;
                    overrides = overrides.with_format_code(Code::new(
                        "urn:ihe:iti:xds-sd:text:2008",
                        oid::IHE_FORMAT_CODES,
                        "texte",
                    ));
                }
                _ => panic!("{file}: {err}"),
            },
        }
    }
}

fn feed(entry: &DocumentEntry) -> Submission {
    let rng = SeededRandomness::new(1);
    let mut s = Submission::new(SubmissionSet {
        entry_uuid: EntryUuid::parse("SubmissionSet01").unwrap(),
        unique_id: Oid::parse("1.2.250.1.999.1.1").unwrap(),
        source_id: Oid::parse("1.2.250.1.999.1").unwrap(),
        patient_id: entry.patient_id.clone(),
        submission_time: XdsTime::parse("20250115100000").unwrap(),
        content_type_code: Some(Code::new("07", oid::ACTIVITY_TYPE, "Consultations")),
        authors: entry.authors.clone(),
        title: None,
        comments: None,
        intended_recipients: vec![],
        availability_status: None,
    });
    let mut signature = DocumentEntry::dmp_signature(
        EntryUuid::parse("Signature01").unwrap(),
        UniqueId::parse("1.2.250.1.999.1.2").unwrap(),
        entry.patient_id.clone(),
        entry.healthcare_facility_type_code.clone(),
        entry.practice_setting_code.clone(),
        XdsTime::parse("20250115100000").unwrap(),
        entry.authors.clone(),
    );
    signature.set_content(b"<Signature/>");
    s.add_document(entry.clone(), &rng);
    s.add_dmp_signature(signature, &rng);
    s
}

#[test]
fn every_corpus_document_maps_and_validates() {
    let manifest = std::fs::read_to_string(format!("{DIR}MANIFEST.tsv")).unwrap();
    let (mut documents, mut class_supplied, mut format_supplied, mut bad_ins) = (0, 0, 0, 0);
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, loinc, title, body_kind, system) =
            (cols[0], cols[4], cols[5], cols[6], cols[16]);
        let bytes = std::fs::read(format!("{DIR}{file}")).unwrap();
        let (entry, class, format) = derive(file, &bytes);
        documents += 1;
        class_supplied += usize::from(class);
        format_supplied += usize::from(format);

        // Against the manifest (extracted independently from the documents).
        assert_eq!(entry.type_code.code, loinc, "{file}");
        assert_eq!(entry.type_code.coding_scheme, system, "{file}");
        assert_eq!(entry.title.as_deref(), Some(title), "{file}");
        assert_eq!(entry.hash, Some(Sha1Hash::of(&bytes)), "{file}");
        assert_eq!(entry.size, Some(bytes.len() as u64), "{file}");
        if !class {
            assert!(CLASS_CODE_DMP.contains(&entry.class_code), "{file}");
        }
        if body_kind == "N1" && !format {
            assert!(
                entry.format_code.code.starts_with("urn:ihe:iti:xds-sd:"),
                "{file}"
            );
        }
        assert!(entry.creation_time.is_some(), "{file}");
        assert!(!entry.authors.is_empty(), "{file}");
        // The entry survives ebRIM.
        let s = feed(&entry);
        assert_eq!(
            Submission::from_ebrim(s.to_ebrim().as_bytes()).unwrap(),
            s,
            "{file}"
        );

        // The validator's only complaint is an INS rejected by segur-ins (several ANS examples
        // carry matricules with a wrong key), and it complains exactly then.
        let report = validate_with_documents(
            &s,
            Profile::Dmp,
            &[
                (EntryUuid::parse("Doc01").unwrap(), &bytes),
                (EntryUuid::parse("Signature01").unwrap(), b"<Signature/>"),
            ],
        );
        let ins_ok = entry.patient_id.to_ins().is_ok();
        bad_ins += usize::from(!ins_ok);
        for f in &report.findings {
            assert!(!ins_ok && f.rule == Rule::InvalidPatientId, "{file}: {f}");
        }
        assert_eq!(report.is_ok(), ins_ok, "{file}");
    }
    assert_eq!(documents, 94);
    // What the built-in tables cover today (update when the excerpts grow).
    assert_eq!((class_supplied, format_supplied, bad_ins), (39, 88, 10));
}

#[test]
fn missing_header_parts_are_typed_errors() {
    let cda = br#"<ClinicalDocument xmlns="urn:hl7-org:v3"><id root="1.2.3"/><code code="11488-4" codeSystem="2.16.840.1.113883.6.1"/></ClinicalDocument>"#;
    let err =
        DocumentEntry::from_cda_bytes(cda, EntryUuid::parse("D").unwrap(), &CdaOverrides::new())
            .unwrap_err();
    assert!(
        matches!(
            err.kind(),
            XdsErrorKind::CdaMapping {
                field: "patientId",
                ..
            }
        ),
        "{err}"
    );
    let err = DocumentEntry::from_cda_bytes(
        b"<notxml",
        EntryUuid::parse("D").unwrap(),
        &CdaOverrides::new(),
    )
    .unwrap_err();
    assert!(matches!(err.kind(), XdsErrorKind::Cda(_)), "{err}");
}
