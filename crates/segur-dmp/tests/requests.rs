//! Every request body, byte for byte (insta snapshots, deterministic clock and randomness),
//! and every ebRIM / XDS.b / HL7 v3 payload validated with `xmllint --schema` against the
//! schemas of `../shared/corpus/xds/xsd/` (fails loudly when xmllint is missing).

mod common;

use std::path::PathBuf;
use std::process::Command;

use base64::Engine as _;
use segur_dmp::*;
use segur_soap::Body;
use segur_soap::mtom::MtomMessage;
use segur_transport::{HttpRequest, SeededRandomness};
use segur_xds::{AvailabilityStatus, EntryUuid, UniqueId};

fn body_text(req: &HttpRequest) -> String {
    String::from_utf8_lossy(req.body()).into_owned()
}

/// The SOAP body payload of a request (MTOM or not), with `xop:Include`s re-inlined as base64
/// (the XDS.b schema types `Document` as base64Binary).
fn payload(req: &HttpRequest) -> String {
    let ct = req.headers()[http::header::CONTENT_TYPE].to_str().unwrap();
    let message = MtomMessage::parse(ct, req.body()).unwrap();
    let Body::Payload(p) = message.envelope().unwrap().body else {
        panic!("no payload")
    };
    let mut xml = p.xml;
    while let Some(start) = xml.find("<xop:Include") {
        let end = start + xml[start..].find("/>").unwrap() + 2;
        let tag = &xml[start..end];
        let href = tag
            .split("href=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let bytes = &message.part(href).unwrap().body;
        let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
        xml.replace_range(start..end, &b64);
    }
    xml
}

fn xmllint(xml: &str, xsd: &str, name: &str) {
    let schema = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/xds/xsd/dmp-lps-wsdl-schema/schema/"
    ))
    .join(xsd);
    assert!(
        schema.exists(),
        "{} missing (../shared must sit beside the checkout)",
        schema.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("{name}.xml"));
    std::fs::write(&file, xml).unwrap();
    let out = Command::new("xmllint")
        .env(
            "XML_CATALOG_FILES",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../../shared/corpus/xds/xsd/catalog.xml"
            ),
        )
        .args(["--nonet", "--noout", "--schema"])
        .arg(&schema)
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("xmllint is required (apt-get install libxml2-utils): {e}"));
    assert!(
        out.status.success(),
        "{name} does not validate against {xsd}:\n{}\n{xml}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn header(req: &HttpRequest) -> &str {
    req.headers()[http::header::CONTENT_TYPE].to_str().unwrap()
}

#[test]
fn td0_2_existence_test() {
    let req = common::with_context(|ctx| {
        ExistenceTest {
            patient: common::ins(),
            sender: common::sender(),
        }
        .to_http(ctx)
        .unwrap()
    });
    assert_eq!(
        req.uri(),
        "https://dmp.test/si-dmp-server/v2/services/patients"
    );
    assert!(header(&req).contains("action=\"urn:hl7-org:v3:PRPA_IN201307UV02\""));
    insta::assert_snapshot!("td0_2", body_text(&req));
    xmllint(
        &payload(&req),
        "HL7V3/NE2009/multicacheschemas/PRPA_IN201307UV02.xsd",
        "td0_2",
    );
}

#[test]
fn td0_3_and_td0_4() {
    let (set, list) = common::with_context(|ctx| {
        (
            SetAuthorization {
                action: AuthorizationAction::Add,
            }
            .to_http(ctx)
            .unwrap(),
            PatientList {
                start_date: "20250101000000".into(),
                date_type: PatientListDate::LastDocument,
            }
            .to_http(ctx)
            .unwrap(),
        )
    });
    assert_eq!(
        set.uri(),
        "https://dmp.test/si-dmp-server/v2/services/habilitations"
    );
    assert_eq!(
        list.uri(),
        "https://dmp.test/si-dmp-server/v2/services/patientsSpecific"
    );
    insta::assert_snapshot!("td0_3", body_text(&set));
    insta::assert_snapshot!("td0_4", body_text(&list));
    let bad = common::with_context(|ctx| {
        PatientList {
            start_date: "2025".into(),
            date_type: PatientListDate::LastAuthorization,
        }
        .to_http(ctx)
    });
    assert!(matches!(
        bad.unwrap_err().kind(),
        DmpErrorKind::Invalid { .. }
    ));
}

#[test]
fn td2_1_feed_is_mtom_with_exact_parts() {
    let feed = common::feed(1, common::CDA);
    let req = common::with_context(|ctx| feed.to_http(ctx).unwrap());
    assert_eq!(
        req.uri(),
        "https://dmp.test/si-dmp-server/v2/services/repository"
    );
    assert!(header(&req).starts_with("multipart/related"));
    let message = MtomMessage::parse(header(&req), req.body()).unwrap();
    assert_eq!(message.parts().len(), 3);
    assert_eq!(message.parts()[1].body, common::CDA);
    assert_eq!(message.parts()[2].body, feed.documents[1].1);
    insta::assert_snapshot!("td2_1", body_text(&req));
    xmllint(&payload(&req), "IHE/XDS.b_DocumentRepository.xsd", "td2_1");
}

#[test]
fn td2_1_refuses_bad_metadata_before_sending() {
    let mut feed = common::feed(1, common::CDA);
    feed.documents[0].1 = b"<other/>".to_vec(); // hash and size no longer match
    let err = common::with_context(|ctx| feed.to_http(ctx)).unwrap_err();
    let DmpErrorKind::InvalidMetadata(findings) = err.kind() else {
        panic!("{err}")
    };
    assert!(
        findings
            .iter()
            .any(|(code, _)| code == "XDSNonIdenticalHash"),
        "{findings:?}"
    );
}

#[test]
fn replacement_carries_rplc() {
    let rng = SeededRandomness::new(3);
    let mut feed = common::feed(2, common::CDA);
    let doc = feed.submission.documents.remove(0);
    feed.submission
        .associations
        .retain(|a| a.target != doc.entry_uuid);
    feed.submission.add_replacement(
        doc,
        EntryUuid::parse("urn:uuid:fe5287a2-ae6a-11eb-8f5d-0050569e422e").unwrap(),
        &rng,
    );
    let req = common::with_context(|ctx| feed.to_http(ctx).unwrap());
    let xml = payload(&req);
    assert!(xml.contains("urn:ihe:iti:2007:AssociationType:RPLC"));
    xmllint(&xml, "IHE/XDS.b_DocumentRepository.xsd", "rplc");
}

#[test]
fn td3_1_find_documents_with_french_statuses() {
    let query = Query::find_documents(
        &common::patient(),
        &[AvailabilityStatus::Approved, AvailabilityStatus::Archived],
    );
    let req = common::with_context(|ctx| query.to_http(ctx).unwrap());
    assert_eq!(
        req.uri(),
        "https://dmp.test/si-dmp-server/v2/services/registry"
    );
    let xml = payload(&req);
    assert!(xml.contains("urn:asip:ci-sis:2010:StatusType:Archived"));
    insta::assert_snapshot!("td3_1", body_text(&req));
    xmllint(&xml, "ebRS/query.xsd", "td3_1");
}

#[test]
fn td3_2_retrieve() {
    let retrieve = Retrieve::new(UniqueId::parse("1.2.250.1.999.1.1.7898.3.1").unwrap());
    let req = common::with_context(|ctx| retrieve.to_http(ctx).unwrap());
    assert!(header(&req).contains("urn:ihe:iti:2007:RetrieveDocumentSet"));
    insta::assert_snapshot!("td3_2", body_text(&req));
    xmllint(&payload(&req), "IHE/XDS.b_DocumentRepository.xsd", "td3_2");
}

#[test]
fn td3_3_updates() {
    let rng = SeededRandomness::new(11);
    let mut registered = common::document(1, common::CDA);
    registered.entry_uuid =
        EntryUuid::parse("urn:uuid:fe5287a2-ae6a-11eb-8f5d-0050569e422e").unwrap();
    registered.version = Some("1".into());
    let mask =
        Update::visibility(common::submission_set(5), &registered, true, false, &rng).unwrap();
    let doc = &mask.submission.documents[0];
    assert!(
        doc.confidentiality_codes
            .iter()
            .any(|c| c.code == "MASQUE_PS")
    );
    assert_eq!(doc.logical_id.as_ref(), Some(&registered.entry_uuid));
    let mut invisible = registered.clone();
    invisible
        .confidentiality_codes
        .push(invisible_to_patient_code());
    let visible =
        Update::visibility(common::submission_set(6), &invisible, false, false, &rng).unwrap();
    assert!(
        visible.submission.documents[0]
            .confidentiality_codes
            .iter()
            .all(|c| c.code != "INVISIBLE_PATIENT")
    );
    let delete = Update::status(
        common::submission_set(7),
        registered.entry_uuid.clone(),
        AvailabilityStatus::Approved,
        AvailabilityStatus::Deleted,
        &rng,
    );
    let archive = Update::status(
        common::submission_set(8),
        registered.entry_uuid.clone(),
        AvailabilityStatus::Approved,
        AvailabilityStatus::Archived,
        &rng,
    );
    for (name, update) in [
        ("td3_3a", &mask),
        ("td3_3b", &visible),
        ("td3_3c", &delete),
        ("td3_3d", &archive),
    ] {
        let req = common::with_context(|ctx| update.to_http(ctx).unwrap());
        assert!(header(&req).contains("urn:ihe:iti:2010:UpdateDocumentSet"));
        insta::assert_snapshot!(name, body_text(&req));
        xmllint(&payload(&req), "ebRS/lcm.xsd", name);
    }
    let mut unversioned = registered;
    unversioned.version = None;
    assert!(
        Update::visibility(common::submission_set(9), &unversioned, true, false, &rng).is_err()
    );
}
