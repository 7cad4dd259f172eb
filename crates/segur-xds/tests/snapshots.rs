//! Snapshots of the emitted ebRIM (reviewed once, then any change shows up in review). The same
//! messages are schema-checked by `tests/xmllint.rs`.

mod common;

use segur_transport::SeededRandomness;
use segur_xds::query::ObjectsBy;
use segur_xds::*;

#[test]
fn feed_submit_objects_request() {
    insta::assert_snapshot!("feed", common::feed().to_ebrim());
}

#[test]
fn provide_and_register_with_xop() {
    let pnr = ProvideAndRegister {
        submission: common::feed(),
        documents: vec![
            DocumentPart {
                id: EntryUuid::parse("Doc01").unwrap(),
                content: DocumentContent::XopInclude("0.2".into()),
            },
            DocumentPart {
                id: EntryUuid::parse("Signature01").unwrap(),
                content: DocumentContent::XopInclude("0.3".into()),
            },
        ],
    };
    insta::assert_snapshot!("provide_and_register", pnr.to_xml());
}

#[test]
fn archive_and_delete() {
    let rng = SeededRandomness::new(11);
    let mut s = Submission::new(common::submission_set());
    s.add_status_update(
        EntryUuid::parse("urn:uuid:fe5287a2-ae6a-11eb-8f5d-0050569e422e").unwrap(),
        AvailabilityStatus::Approved,
        AvailabilityStatus::Archived,
        &rng,
    );
    s.add_status_update(
        EntryUuid::parse("urn:uuid:0e5287a2-ae6a-11eb-8f5d-0050569e422e").unwrap(),
        AvailabilityStatus::Approved,
        AvailabilityStatus::Deleted,
        &rng,
    );
    insta::assert_snapshot!("status_updates", s.to_ebrim());
}

#[test]
fn queries() {
    let find = FindDocuments::new(
        common::patient(),
        vec![AvailabilityStatus::Approved, AvailabilityStatus::Archived],
    );
    insta::assert_snapshot!(
        "find_documents",
        find.to_request(ReturnType::LeafClass).to_xml()
    );
    let get = AdhocQueryRequest::get_documents(
        &ObjectsBy::UniqueIds(vec![UniqueId::parse("1.2.250.1.999.1.1.7898.3.1").unwrap()]),
        ReturnType::ObjectRef,
    );
    insta::assert_snapshot!("get_documents", get.to_xml());
}

#[test]
fn responses() {
    let failure = RegistryResponse::failure(vec![
        RegistryError {
            code: XdsErrorCode::PatientIdDoesNotMatch,
            severity: Severity::Error,
            code_context: "patientId différent".into(),
            location: Some("Doc01".into()),
        },
        RegistryError {
            code: XdsErrorCode::Other("DMPAccessDeniedByRightsService".into()),
            severity: Severity::Warning,
            code_context: "accès refusé".into(),
            location: None,
        },
    ]);
    insta::assert_snapshot!("registry_response_failure", failure.to_xml());
    let refs = AdhocQueryResponse {
        status: ResponseStatus::Success,
        objects: RegistryObjects {
            object_refs: vec![
                EntryUuid::parse("urn:uuid:fe5287a2-ae6a-11eb-8f5d-0050569e422e").unwrap(),
            ],
            ..RegistryObjects::default()
        },
        errors: Vec::new(),
    };
    insta::assert_snapshot!("query_response_objectref", refs.to_xml());
}
