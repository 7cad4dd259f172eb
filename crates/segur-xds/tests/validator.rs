//! The validator's findings, one by one: a valid DMP feed gets no finding, and each mutation
//! gets exactly the expected finding with the XDS error code a registry would return.

mod common;

use segur_transport::SeededRandomness;
use segur_xds::codes::oid;
use segur_xds::validate::{Profile, Rule, validate, validate_with_documents};
use segur_xds::*;

fn only(s: &Submission, rule: Rule, code: XdsErrorCode) {
    let report = validate(s, Profile::Dmp);
    assert!(!report.is_ok(), "expected {rule:?}, got nothing");
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.rule == rule && f.code == code),
        "expected only {rule:?}/{code}, got {:#?}",
        report.findings
    );
}

#[test]
fn the_fixture_feed_is_clean() {
    let s = common::feed();
    let report = validate_with_documents(&s, Profile::Dmp, &common::contents());
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
}

#[test]
fn duplicate_entry_uuid() {
    let mut s = common::feed();
    s.documents[1].entry_uuid = s.documents[0].entry_uuid.clone();
    let report = validate(&s, Profile::Dmp);
    assert!(report.has(Rule::DuplicateEntryUuid));
    let f = report
        .findings
        .iter()
        .find(|f| f.rule == Rule::DuplicateEntryUuid)
        .unwrap();
    assert_eq!(f.code, XdsErrorCode::RegistryMetadataError);
}

#[test]
fn duplicate_unique_id() {
    let mut s = common::feed();
    s.documents[1].unique_id = s.documents[0].unique_id.clone();
    only(
        &s,
        Rule::DuplicateUniqueId,
        XdsErrorCode::RegistryDuplicateUniqueIdInMessage,
    );
}

#[test]
fn patient_id_mismatch_and_redaction() {
    let mut s = common::feed();
    s.documents[0].patient_id = Cx::ins("180035121518990", oid::INS_NIR_TEST);
    only(
        &s,
        Rule::PatientIdMismatch,
        XdsErrorCode::PatientIdDoesNotMatch,
    );
    let report = validate(&s, Profile::Dmp);
    for f in &report.findings {
        assert!(!f.to_string().contains("180035121518990"), "{f}");
    }
}

#[test]
fn invalid_patient_id_for_the_dmp() {
    let mut s = common::feed();
    let ipp = Cx::new("0456789999", "1.2.250.1.999.1.1.7898.2", "PI");
    s.submission_set.patient_id = ipp.clone();
    for d in &mut s.documents {
        d.patient_id = ipp.clone();
    }
    only(
        &s,
        Rule::InvalidPatientId,
        XdsErrorCode::RegistryMetadataError,
    );
    // Plain XDS accepts any ISO authority.
    assert!(validate(&s, Profile::Xds).findings.is_empty());
}

#[test]
fn missing_attributes_carry_the_right_code() {
    let mut s = common::feed();
    s.documents[0].hash = None;
    only(
        &s,
        Rule::MissingAttribute,
        XdsErrorCode::RepositoryMetadataError,
    );
    let mut s = common::feed();
    s.documents[0].creation_time = None;
    only(
        &s,
        Rule::MissingAttribute,
        XdsErrorCode::RegistryMetadataError,
    );
    let mut s = common::feed();
    s.submission_set.content_type_code = None;
    only(
        &s,
        Rule::MissingAttribute,
        XdsErrorCode::RegistryMetadataError,
    );
}

#[test]
fn coding_scheme_not_allowed() {
    let mut s = common::feed();
    s.documents[0].format_code.coding_scheme = "1.2.3.4".into();
    only(
        &s,
        Rule::CodingSchemeNotAllowed,
        XdsErrorCode::RegistryMetadataError,
    );
}

#[test]
fn class_code_outside_the_dmp_value_set() {
    let mut s = common::feed();
    s.documents[0].class_code.code = "99".into();
    only(
        &s,
        Rule::CodeNotInValueSet,
        XdsErrorCode::RegistryMetadataError,
    );
    // Type codes outside the CI-SIS JDV are warnings only.
    let mut s = common::feed();
    s.documents[0].type_code.code = "00000-0".into();
    let report = validate(&s, Profile::Dmp);
    assert!(report.is_ok());
    assert!(report.has(Rule::CodeNotInValueSet));
}

#[test]
fn confidentiality_needs_exactly_one_hl7_code() {
    let mut s = common::feed();
    s.documents[0].confidentiality_codes.push(Code::new(
        "R",
        oid::HL7_CONFIDENTIALITY,
        "Restreint",
    ));
    only(
        &s,
        Rule::ConfidentialityHl7Code,
        XdsErrorCode::RegistryMetadataError,
    );
}

#[test]
fn service_time_order() {
    let mut s = common::feed();
    s.documents[0].service_stop_time = Some(XdsTime::parse("20250114").unwrap());
    only(
        &s,
        Rule::ServiceTimeOrder,
        XdsErrorCode::RegistryMetadataError,
    );
}

#[test]
fn incomplete_author() {
    let mut s = common::feed();
    s.documents[0].authors[0].person = None;
    s.documents[0].authors[0].institutions.clear();
    only(
        &s,
        Rule::IncompleteAuthor,
        XdsErrorCode::RegistryMetadataError,
    );
}

#[test]
fn not_in_submission_set() {
    let mut s = common::feed();
    let doc = s.documents[0].entry_uuid.clone();
    s.associations.retain(|a| a.target != doc);
    only(
        &s,
        Rule::NotInSubmissionSet,
        XdsErrorCode::RegistryMetadataError,
    );
}

#[test]
fn missing_submission_set_status() {
    let mut s = common::feed();
    s.associations[0].submission_set_status = None;
    only(
        &s,
        Rule::MissingSubmissionSetStatus,
        XdsErrorCode::RegistryMetadataError,
    );
}

#[test]
fn unresolved_reference() {
    let mut s = common::feed();
    let rng = SeededRandomness::new(3);
    s.associations.push(Association::new(
        EntryUuid::random(&rng),
        AssociationType::Append,
        EntryUuid::parse("Doc01").unwrap(),
        EntryUuid::parse("Nowhere").unwrap(),
    ));
    only(
        &s,
        Rule::UnresolvedReference,
        XdsErrorCode::UnresolvedReferenceException,
    );
}

#[test]
fn missing_signature() {
    let mut s = common::feed();
    s.associations
        .retain(|a| a.association_type != AssociationType::Signs);
    only(
        &s,
        Rule::MissingSignature,
        XdsErrorCode::RegistryMetadataError,
    );
    assert!(validate(&s, Profile::Xds).findings.is_empty());
}

#[test]
fn hash_size_and_missing_documents() {
    let s = common::feed();
    let wrong: Vec<(EntryUuid, &[u8])> = vec![
        (EntryUuid::parse("Doc01").unwrap(), b"other bytes"),
        (EntryUuid::parse("Signature01").unwrap(), common::SIGNATURE),
        (EntryUuid::parse("Stray").unwrap(), b"x"),
    ];
    let report = validate_with_documents(&s, Profile::Dmp, &wrong);
    let rules: Vec<(Rule, XdsErrorCode)> = report
        .findings
        .iter()
        .map(|f| (f.rule, f.code.clone()))
        .collect();
    assert_eq!(
        rules,
        [
            (Rule::HashMismatch, XdsErrorCode::NonIdenticalHash),
            (Rule::SizeMismatch, XdsErrorCode::NonIdenticalSize),
            (
                Rule::MissingDocumentMetadata,
                XdsErrorCode::MissingDocumentMetadata
            ),
        ]
    );
    let report = validate_with_documents(&s, Profile::Dmp, &common::contents()[..1]);
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].rule, Rule::MissingDocument);
    assert_eq!(report.findings[0].code, XdsErrorCode::MissingDocument);
}

#[test]
fn incomplete_status_update() {
    let rng = SeededRandomness::new(9);
    let mut s = Submission::new(common::submission_set());
    let target = EntryUuid::random(&rng);
    s.add_status_update(
        target,
        AvailabilityStatus::Approved,
        AvailabilityStatus::Archived,
        &rng,
    );
    assert!(
        validate(&s, Profile::Dmp).findings.is_empty(),
        "{:#?}",
        validate(&s, Profile::Dmp)
    );
    s.associations[0].new_status = None;
    only(
        &s,
        Rule::IncompleteStatusUpdate,
        XdsErrorCode::MetadataUpdateOperationError,
    );
}

#[test]
fn value_too_long() {
    let mut s = common::feed();
    s.documents[0].authors[0].institutions[0].name = "X".repeat(300);
    only(&s, Rule::ValueTooLong, XdsErrorCode::RegistryMetadataError);
}

#[test]
fn report_converts_to_registry_errors() {
    let mut s = common::feed();
    s.documents[1].unique_id = s.documents[0].unique_id.clone();
    let errors = validate(&s, Profile::Dmp).to_registry_errors();
    assert_eq!(errors.len(), 1);
    let response = RegistryResponse::failure(errors);
    let back = RegistryResponse::from_xml(response.to_xml().as_bytes()).unwrap();
    assert_eq!(back, response);
    assert_eq!(
        back.errors[0].location.as_deref(),
        Some("Object[Signature01].uniqueId")
    );
}

#[test]
fn ins_key_is_checked_and_never_shown() {
    let mut s = common::feed();
    let bad = Cx::ins("279035121518988", oid::INS_NIR_TEST); // wrong key
    s.submission_set.patient_id = bad.clone();
    for d in &mut s.documents {
        d.patient_id = bad.clone();
    }
    only(
        &s,
        Rule::InvalidPatientId,
        XdsErrorCode::RegistryMetadataError,
    );
    for f in &validate(&s, Profile::Dmp).findings {
        assert!(!f.to_string().contains("27903512151898"), "{f}");
    }
}

#[test]
fn cx7_in_patient_id_is_a_warning() {
    let mut s = common::feed();
    s.submission_set.patient_id.effective_date = Some("20100907".into());
    for d in &mut s.documents {
        d.patient_id.effective_date = Some("20100907".into());
    }
    let report = validate(&s, Profile::Dmp);
    assert!(report.is_ok(), "{report:#?}");
    assert_eq!(report.findings.len(), 3);
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.rule == Rule::InvalidPatientId)
    );
}
