//! Every kind of ebRIM message the crate emits validates against the ebRS 3.0 / XDS.b schemas
//! of `../shared/corpus/xds/xsd/` with `xmllint --schema` (Debian `libxml2-utils`, installed
//! by `.ci/run`). The test fails loudly when xmllint is missing.

mod common;

use std::path::PathBuf;
use std::process::Command;

use segur_transport::SeededRandomness;
use segur_xds::query::{ObjectsBy, stored_query};
use segur_xds::*;

fn schema(rel: &str) -> PathBuf {
    let p = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/xds/xsd/dmp-lps-wsdl-schema/schema/"
    ))
    .join(rel);
    assert!(
        p.exists(),
        "schema {} not found (../shared must sit beside the checkout)",
        p.display()
    );
    p
}

fn xmllint(xml: &str, xsd: &str, name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("{name}.xml"));
    std::fs::write(&file, xml).unwrap();
    let catalog = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/xds/xsd/catalog.xml"
    );
    let out = Command::new("xmllint")
        .env("XML_CATALOG_FILES", catalog)
        .args(["--nonet", "--noout", "--schema"])
        .arg(schema(xsd))
        .arg(&file)
        .output()
        .unwrap_or_else(|e| {
            panic!("xmllint is required for this test (apt-get install libxml2-utils): {e}")
        });
    assert!(
        out.status.success(),
        "{name} does not validate against {xsd}:\n{}\n{xml}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn submit_objects_requests_validate() {
    let feed = common::feed();
    xmllint(&feed.to_ebrim(), "ebRS/lcm.xsd", "feed");

    // ITI-57: archive (TD3.3d) and delete (TD3.3c).
    let rng = SeededRandomness::new(5);
    let mut archive = Submission::new(common::submission_set());
    archive.add_status_update(
        EntryUuid::random(&rng),
        AvailabilityStatus::Approved,
        AvailabilityStatus::Archived,
        &rng,
    );
    archive.add_status_update(
        EntryUuid::random(&rng),
        AvailabilityStatus::Approved,
        AvailabilityStatus::Deleted,
        &rng,
    );
    xmllint(&archive.to_ebrim(), "ebRS/lcm.xsd", "status-update");

    // ITI-57 metadata update (TD3.3a masking), with a folder and a replacement.
    let mut update = Submission::new(common::submission_set());
    let mut masked = common::document();
    masked.entry_uuid = EntryUuid::random(&rng);
    masked.logical_id = Some(EntryUuid::random(&rng));
    masked.version = Some("2".into());
    masked.availability_status = Some(AvailabilityStatus::Approved);
    masked.confidentiality_codes.push(Code::new(
        "MASQUE_PS",
        codes::oid::VISIBILITY,
        "Masqué aux professionnels de santé",
    ));
    update.add_metadata_update(masked, "1", &rng);
    let mut replacement = common::document();
    replacement.entry_uuid = EntryUuid::parse("Doc02").unwrap();
    replacement.unique_id = UniqueId::parse("1.2.250.1.999.1.1.7898.3.9^V2").unwrap();
    update.add_replacement(replacement, EntryUuid::random(&rng), &rng);
    update.folders.push(Folder {
        entry_uuid: EntryUuid::parse("Folder01").unwrap(),
        unique_id: Oid::parse("1.2.250.1.999.1.1.7898.4.1").unwrap(),
        patient_id: common::patient(),
        codes: vec![Code::new("07", codes::oid::ACTIVITY_TYPE, "Consultations")],
        title: Some("Suivi".into()),
        comments: None,
        last_update_time: None,
        availability_status: None,
    });
    xmllint(&update.to_ebrim(), "ebRS/lcm.xsd", "metadata-update");
}

#[test]
fn provide_and_register_validates_with_inline_documents() {
    let pnr = ProvideAndRegister {
        submission: common::feed(),
        documents: common::contents()
            .into_iter()
            .map(|(id, bytes)| DocumentPart {
                id,
                content: DocumentContent::Inline(bytes.to_vec()),
            })
            .collect(),
    };
    xmllint(&pnr.to_xml(), "IHE/XDS.b_DocumentRepository.xsd", "pnr");
}

#[test]
fn queries_validate() {
    let rng = SeededRandomness::new(8);
    let mut find = FindDocuments::new(
        common::patient(),
        vec![AvailabilityStatus::Approved, AvailabilityStatus::Archived],
    );
    find.class_codes
        .push(Code::new("10", codes::oid::CLASS_CODE, ""));
    find.event_codes
        .push(Code::new("DEQP003", "1.2.250.1.213.2.5", ""));
    find.creation_time = (Some(XdsTime::parse("20250101").unwrap()), None);
    find.author_persons.push("%LIBRE%".into());
    xmllint(
        &find.to_request(ReturnType::LeafClass).to_xml(),
        "ebRS/query.xsd",
        "find",
    );
    let by = ObjectsBy::EntryUuids(vec![EntryUuid::random(&rng)]);
    for (i, q) in [
        AdhocQueryRequest::get_documents(&by, ReturnType::ObjectRef),
        AdhocQueryRequest::get_associations(&[EntryUuid::random(&rng)], ReturnType::LeafClass),
        AdhocQueryRequest::get_submission_set_and_contents(
            &ObjectsBy::UniqueIds(vec![UniqueId::parse("1.2.3").unwrap()]),
            ReturnType::LeafClass,
        ),
        AdhocQueryRequest::find_submission_sets(
            &common::patient(),
            &[AvailabilityStatus::Approved],
            (None, Some(&XdsTime::parse("2025").unwrap())),
            ReturnType::LeafClass,
        ),
    ]
    .iter()
    .enumerate()
    {
        xmllint(&q.to_xml(), "ebRS/query.xsd", &format!("query{i}"));
    }
    assert_eq!(
        AdhocQueryRequest::new(stored_query::GET_ALL, ReturnType::ObjectRef).query_id,
        stored_query::GET_ALL
    );
}

#[test]
fn responses_validate() {
    let feed = common::feed();
    let mut objects = RegistryObjects {
        submission_sets: vec![feed.submission_set.clone()],
        documents: feed.documents.clone(),
        associations: feed.associations.clone(),
        ..RegistryObjects::default()
    };
    let rng = SeededRandomness::new(1);
    for d in &mut objects.documents {
        d.entry_uuid = EntryUuid::random(&rng);
        d.availability_status = Some(AvailabilityStatus::Archived);
        d.repository_unique_id = Some(Oid::parse(codes::oid::DMP_REPOSITORY).unwrap());
    }
    let leaf = AdhocQueryResponse {
        status: ResponseStatus::Success,
        objects,
        errors: Vec::new(),
    };
    xmllint(&leaf.to_xml(), "ebRS/query.xsd", "leafclass");
    xmllint(
        &leaf.objects.to_xml(),
        "ebRS/rim.xsd",
        "registry-object-list",
    );
    let refs = AdhocQueryResponse {
        status: ResponseStatus::PartialSuccess,
        objects: RegistryObjects {
            object_refs: vec![EntryUuid::random(&rng), EntryUuid::random(&rng)],
            ..RegistryObjects::default()
        },
        errors: vec![RegistryError {
            code: XdsErrorCode::TooManyResults,
            severity: Severity::Warning,
            code_context: "Trop de résultats".into(),
            location: None,
        }],
    };
    xmllint(&refs.to_xml(), "ebRS/query.xsd", "objectref");
    xmllint(
        &RegistryResponse::success().to_xml(),
        "ebRS/rs.xsd",
        "success",
    );
    let failure = RegistryResponse::failure(vec![RegistryError {
        code: XdsErrorCode::UnknownPatientId,
        severity: Severity::Error,
        code_context: "Patient inconnu".into(),
        location: Some("SubmissionSet01".into()),
    }]);
    xmllint(&failure.to_xml(), "ebRS/rs.xsd", "failure");
}
