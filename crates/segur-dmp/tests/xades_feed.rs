//! TD2.1 with the DMP signature document made by [`Feed::signed`] (detached XAdES over the
//! manifest of the submission): its entry has the metadata of research note §3.3, it verifies
//! with [`verify_signature_document`] and with xmlsec1, and feeds whose signature document is
//! missing, a placeholder, or does not match the documents are refused.

mod common;

use segur_dmp::*;
use segur_transport::{Clock, SeededRandomness};
use segur_xds::{AssociationType, EntryUuid, Submission, UniqueId};
use segur_xmldsig::{Certificate, TrustPolicy};

fn data(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../segur-soap/tests/data/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn trust() -> TrustPolicy {
    TrustPolicy::Anchors {
        anchors: vec![Certificate::from_pem(&data("ca.pem")).unwrap()],
        at: common::clock().now(),
    }
}

const SIGNATURE_UID: &str = "1.2.250.1.999.1.1.7898.4.1";

#[test]
fn signed_feed_has_the_dmp_signature_entry_and_verifies() {
    let feed = common::feed(1, common::CDA);
    feed.check()
        .expect("the DMP profile of the validator accepts it");
    let sig = feed
        .submission
        .documents
        .iter()
        .find(|d| d.is_signature())
        .expect("signature entry");
    assert_eq!(sig.unique_id.as_str(), SIGNATURE_UID);
    assert_eq!(sig.mime_type, "text/xml");
    assert_eq!(sig.class_code.code, "urn:oid:1.3.6.1.4.1.19376.1.2.1.1.1");
    assert_eq!(sig.type_code.code, "E1762");
    assert_eq!(sig.format_code.code, "http://www.w3.org/2000/09/xmldsig#");
    assert_eq!(sig.event_codes[0].code, "1.2.840.10065.1.12.1.14");
    let conf: Vec<&str> = sig
        .confidentiality_codes
        .iter()
        .map(|c| c.code.as_str())
        .collect();
    assert_eq!(conf, ["N", "MASQUE_PS", "INVISIBLE_PATIENT"]);
    assert_eq!(sig.language_code.as_deref(), Some("art"));
    assert_eq!(sig.healthcare_facility_type_code, common::facility());
    assert_eq!(sig.practice_setting_code, common::practice());
    assert!(feed.submission.associations.iter().any(|a| {
        a.association_type == AssociationType::Signs
            && a.source == sig.entry_uuid
            && a.target == feed.submission.submission_set.entry_uuid
    }));
    // The XAdES document: Id = the entry's uniqueId, signed now, manifest over the set and
    // the CDA; hash and size of the entry are those of the bytes sent.
    let bytes = &feed
        .documents
        .iter()
        .find(|(id, _)| *id == sig.entry_uuid)
        .expect("signature bytes")
        .1;
    assert_eq!(sig.size, Some(bytes.len() as u64));
    let verified = feed.verify_signature(trust()).expect("verifies");
    assert_eq!(verified.signature_id, SIGNATURE_UID);
    assert_eq!(verified.signing_time, "2026-11-22T08:00:00Z");
    let uris: Vec<&str> = verified.manifest.iter().map(|r| r.uri.as_str()).collect();
    assert_eq!(
        uris,
        [
            "urn:oid:1.2.250.1.999.1.1.7898.1.1",
            "urn:oid:1.2.250.1.999.1.1.7898.3.1"
        ]
    );
    // Reproducible: same clock, key and randomness, same bytes.
    assert_eq!(feed, common::feed(1, common::CDA));
}

/// The research note's xmlsec1 command (§6), with `--trusted-pem` on the test CA: the
/// signature document of a signed feed verifies, and so does the CDA's manifest reference.
#[test]
fn signed_feed_verifies_with_xmlsec1() {
    use std::io::Write as _;
    let cda = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ClinicalDocument xmlns=\"urn:hl7-org:v3\">\n  <!-- CR -->\n  <title>CR</title>\n</ClinicalDocument>\n";
    let feed = common::feed(1, cda);
    let file = |bytes: &[u8]| {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        f
    };
    let xades = file(
        &feed
            .documents
            .iter()
            .find(|(id, _)| id.as_str() == "Signature01")
            .unwrap()
            .1,
    );
    let empty = file(b"");
    let document = file(cda);
    let path = |f: &tempfile::NamedTempFile| f.path().to_str().unwrap().to_owned();
    let ca = format!(
        "{}/../segur-soap/tests/data/ca.pem",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = std::process::Command::new("xmlsec1")
        .args([
            "--verify",
            "--trusted-pem",
            &ca,
            "--id-attr:Id",
            "Manifest",
            "--id-attr:Id",
            "http://uri.etsi.org/01903/v1.1.1#:SignedProperties",
            "--url-map:urn:oid:1.2.250.1.999.1.1.7898.1.1",
            &path(&empty),
            "--url-map:urn:oid:1.2.250.1.999.1.1.7898.3.1",
            &path(&document),
            &path(&xades),
        ])
        .output()
        .unwrap_or_else(|e| {
            panic!("`xmlsec1` is required (apt-get install xmlsec1, see .ci/run): {e}")
        });
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("SignedInfo References (ok/all): 2/2"),
        "{stderr}"
    );
    // the CDA matches; the submission set reference is the DMP's `AA==` placeholder
    assert!(
        stderr.contains("Manifests References (ok/all): 1/2"),
        "{stderr}"
    );
}

#[test]
fn non_xml_documents_are_digested_as_bytes() {
    let pdf = b"%PDF-1.4\n%%EOF\n";
    let random = SeededRandomness::new(4);
    let mut submission = Submission::new(common::submission_set(4));
    let mut entry = common::document(4, pdf);
    entry.mime_type = "application/pdf".into();
    submission.add_document(entry, &random);
    let feed = Feed::signed(
        submission,
        vec![(EntryUuid::parse("Doc01").unwrap(), pdf.to_vec())],
        SignatureDocument {
            entry_uuid: EntryUuid::parse("Signature01").unwrap(),
            unique_id: UniqueId::parse("1.2.250.1.999.1.1.7898.4.4").unwrap(),
        },
        &common::signer(),
        &common::clock(),
        &random,
    )
    .unwrap();
    let verified = feed.verify_signature(trust()).unwrap();
    assert!(verified.manifest[1].canonicalization.is_none());
    verified.manifest[1].check(pdf).unwrap();
}

#[test]
fn signing_refuses_incomplete_submissions() {
    let random = SeededRandomness::new(1);
    let ids = || SignatureDocument {
        entry_uuid: EntryUuid::parse("Signature01").unwrap(),
        unique_id: UniqueId::parse(SIGNATURE_UID).unwrap(),
    };
    let sign = |submission: Submission, docs: Vec<(EntryUuid, Vec<u8>)>| {
        Feed::signed(
            submission,
            docs,
            ids(),
            &common::signer(),
            &common::clock(),
            &random,
        )
    };
    // No document; a document without its bytes; already signed.
    let empty = Submission::new(common::submission_set(1));
    assert!(matches!(
        sign(empty, Vec::new()).unwrap_err().kind(),
        DmpErrorKind::Missing(_)
    ));
    let mut no_bytes = Submission::new(common::submission_set(1));
    no_bytes.add_document(common::document(1, common::CDA), &random);
    assert!(matches!(
        sign(no_bytes, Vec::new()).unwrap_err().kind(),
        DmpErrorKind::Missing(_)
    ));
    let signed = common::feed(1, common::CDA);
    assert!(matches!(
        sign(signed.submission, signed.documents)
            .unwrap_err()
            .kind(),
        DmpErrorKind::Invalid { .. }
    ));
}

fn with_document(feed: &Feed, id: &str, bytes: Vec<u8>) -> Feed {
    let mut feed = feed.clone();
    let id = EntryUuid::parse(id).unwrap();
    for (i, b) in &mut feed.documents {
        if *i == id {
            *b = bytes.clone();
        }
    }
    // keep hash and size consistent, so that only the signature can notice
    for d in &mut feed.submission.documents {
        if d.entry_uuid == id {
            d.set_content(&bytes);
        }
    }
    feed
}

/// A signed feed whose signature document is replaced by an empty `ds:Signature` (hash and
/// size updated).
fn placeholder_feed() -> Feed {
    with_document(
        &common::feed(1, common::CDA),
        "Signature01",
        b"<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"/>".to_vec(),
    )
}

#[test]
fn tampered_or_placeholder_signatures_do_not_verify() {
    let feed = common::feed(1, common::CDA);
    let changed = with_document(
        &feed,
        "Doc01",
        String::from_utf8(common::CDA.to_vec())
            .unwrap()
            .replace("<title>CR</title>", "<title>CR modifié</title>")
            .into_bytes(),
    );
    changed.check().expect("metadata still consistent");
    let err = changed.verify_signature(trust()).unwrap_err();
    assert!(
        matches!(
            err.kind(),
            DmpErrorKind::Signature(segur_xmldsig::Error::DigestMismatch { .. })
        ),
        "{err}"
    );
    // A placeholder signature document (an empty signature).
    let placeholder = placeholder_feed();
    assert!(matches!(
        placeholder.verify_signature(trust()).unwrap_err().kind(),
        DmpErrorKind::Signature(_)
    ));
    // No signature entry.
    let mut unsigned = Submission::new(common::submission_set(1));
    unsigned.add_document(common::document(1, common::CDA), &SeededRandomness::new(1));
    let docs = [(EntryUuid::parse("Doc01").unwrap(), common::CDA)];
    assert!(matches!(
        verify_signature_document(&unsigned, &docs, trust())
            .unwrap_err()
            .kind(),
        DmpErrorKind::Missing(_)
    ));
    // A certificate outside the trust anchors.
    let rogue = Certificate::from_pem(&data("rogue.pem")).unwrap();
    assert!(matches!(
        feed.verify_signature(TrustPolicy::Anchors {
            anchors: vec![rogue],
            at: common::clock().now()
        })
        .unwrap_err()
        .kind(),
        DmpErrorKind::Signature(segur_xmldsig::Error::CertificateNotTrusted { .. })
    ));
}
