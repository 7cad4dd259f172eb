//! Every tampering of a signed VIHF-in-SOAP document is refused with a typed error.

mod common;

use common::SAML;
use segur_xmldsig::{
    Certificate, ElementSelector, Error, IdAttribute, Placement, SoftwareSigner, TrustPolicy,
    VerifiedElement, Verifier, sign_enveloped,
};

const SOAP: &str = "http://www.w3.org/2003/05/soap-envelope";
const WSSE: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
const ID: &str = "_5f1a6c2e";

fn signed_with(signer: &SoftwareSigner) -> String {
    let doc = common::read("c14n/soap-vihf.xml");
    let signed = sign_enveloped(
        &doc,
        &IdAttribute::new("ID"),
        ID,
        Placement::after(SAML, "Issuer"),
        signer,
    )
    .expect("sign");
    String::from_utf8(signed).expect("utf-8")
}

fn signed() -> String {
    signed_with(&common::rsa_signer())
}

fn path() -> ElementSelector {
    ElementSelector::path([
        (SOAP, "Envelope"),
        (SOAP, "Header"),
        (WSSE, "Security"),
        (SAML, "Assertion"),
    ])
}

fn verify(doc: &str) -> Result<VerifiedElement, Error> {
    Verifier::with_trust_anchors(IdAttribute::new("ID"), common::ca(), common::now())
        .verify(doc.as_bytes(), &path())
}

/// The signed assertion element, as text.
fn assertion(doc: &str) -> &str {
    let start = doc.find("<saml2:Assertion").expect("start");
    let end = doc.find("</saml2:Assertion>").expect("end") + "</saml2:Assertion>".len();
    &doc[start..end]
}

#[track_caller]
fn replace_once(doc: &str, from: &str, to: &str) -> String {
    assert_eq!(doc.matches(from).count(), 1, "`{from}` must occur once");
    doc.replacen(from, to, 1)
}

#[test]
fn untouched_document_verifies() {
    let doc = signed();
    let v = verify(&doc).expect("valid");
    assert_eq!(v.id, ID);
    assert_eq!(&doc.as_bytes()[v.range.clone()], assertion(&doc).as_bytes());
    // Also by ID.
    Verifier::with_trust_anchors(IdAttribute::new("ID"), common::ca(), common::now())
        .verify(doc.as_bytes(), &ElementSelector::Id(ID.into()))
        .expect("by ID");
}

#[test]
fn content_changes_break_the_digest() {
    let doc = signed();
    for (from, to) in [
        ("Version=\"2.0\"", "Version=\"2.1\""),
        ("SA07^", "SA01^"),
        (
            "<saml2:NameID>899900063480</saml2:NameID>",
            "<saml2:NameID>899900000000</saml2:NameID>",
        ),
        (
            "displayName=\"Médecin\"",
            "displayName=\"Médecin\" extra=\"1\"",
        ),
    ] {
        let err = verify(&replace_once(&doc, from, to)).unwrap_err();
        assert!(matches!(err, Error::DigestMismatch { .. }), "{from}: {err}");
    }
}

#[test]
fn moving_an_element_breaks_the_digest() {
    let doc = signed();
    let subject = "<saml2:Subject><saml2:NameID>899900063480</saml2:NameID></saml2:Subject>";
    let moved = replace_once(&doc, subject, "").replace(
        "</saml2:AttributeStatement>",
        &format!("</saml2:AttributeStatement>{subject}"),
    );
    assert!(matches!(verify(&moved), Err(Error::DigestMismatch { .. })));
}

#[test]
fn comments_do_not_change_the_digest_but_never_reach_the_caller() {
    // The SAML "comment truncation" trick: the digest ignores comments, so the document still
    // verifies, but the canonical bytes handed to the caller carry no comment to confuse a
    // text extractor.
    let doc = signed();
    let commented = replace_once(&doc, ">899900063480<", ">8999<!-- x -->00063480<");
    let v = verify(&commented).expect("comments are not signed content");
    let canonical = String::from_utf8(v.canonical).expect("utf-8");
    assert!(canonical.contains(">899900063480<"), "{canonical}");
    assert!(!canonical.contains("<!--"));
}

#[test]
fn signature_wrapping_is_refused() {
    let doc = signed();
    let original = assertion(&doc).to_owned();
    let evil = original.replace("899900063480", "899900000000");

    // 1. Evil copy with the same ID at the expected place, signed original hidden elsewhere.
    let hidden = format!("<Wrapper>{original}</Wrapper>");
    let xsw1 = doc.replace(&original, &format!("{evil}{hidden}"));
    assert!(
        matches!(verify(&xsw1), Err(Error::DuplicateId { count: 2, .. })),
        "{:?}",
        verify(&xsw1)
    );

    // 2. Evil assertion with its own ID keeps the original signature, the original moves away.
    let evil_id = evil.replacen(&format!("ID=\"{ID}\""), "ID=\"_evil\"", 1);
    let xsw2 = doc.replace(&original, &format!("{evil_id}{hidden}"));
    assert!(
        matches!(verify(&xsw2), Err(Error::ReferenceMismatch { .. })),
        "{:?}",
        verify(&xsw2)
    );

    // 3. Unsigned evil assertion beside the signed one: the path is ambiguous.
    let unsigned_evil = {
        let start = evil_id.find("<ds:Signature").expect("sig");
        let end = evil_id.find("</ds:Signature>").expect("sig end") + "</ds:Signature>".len();
        format!("{}{}", &evil_id[..start], &evil_id[end..])
    };
    let xsw3 = doc.replace(&original, &format!("{unsigned_evil}{original}"));
    assert!(
        matches!(verify(&xsw3), Err(Error::ElementNotFound { .. })),
        "{:?}",
        verify(&xsw3)
    );

    // 4. Unsigned evil assertion at the path, signed original wrapped deeper.
    let xsw4 = doc.replace(&original, &format!("{unsigned_evil}{hidden}"));
    assert!(
        matches!(verify(&xsw4), Err(Error::SignatureMissing { .. })),
        "{:?}",
        verify(&xsw4)
    );

    // 5. Selecting by ID the evil element (ID changed) finds no signature over it either.
    let by_id = Verifier::with_trust_anchors(IdAttribute::new("ID"), common::ca(), common::now())
        .verify(xsw2.as_bytes(), &ElementSelector::Id("_evil".into()));
    assert!(
        matches!(by_id, Err(Error::ReferenceMismatch { .. })),
        "{by_id:?}"
    );
}

#[test]
fn signature_structure_tricks_are_refused() {
    let doc = signed();
    let sig_start = doc.find("<ds:Signature ").expect("sig");
    let sig_end = doc.find("</ds:Signature>").expect("sig end") + "</ds:Signature>".len();
    let signature = doc[sig_start..sig_end].to_owned();

    // Two signatures in the element.
    let two = doc.replacen(&signature, &format!("{signature}{signature}"), 1);
    assert!(matches!(
        verify(&two),
        Err(Error::SignatureStructure { .. })
    ));

    // A second reference.
    let reference_start = signature.find("<ds:Reference ").expect("ref");
    let reference_end =
        signature.find("</ds:Reference>").expect("ref end") + "</ds:Reference>".len();
    let reference = &signature[reference_start..reference_end];
    let two_refs = doc.replacen(reference, &format!("{reference}{reference}"), 1);
    assert!(matches!(
        verify(&two_refs),
        Err(Error::SignatureStructure { .. })
    ));

    // An extra transform (XPath).
    let xpath = replace_once(
        &doc,
        "</ds:Transforms>",
        "<ds:Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xpath-19991116\"><ds:XPath>1</ds:XPath></ds:Transform></ds:Transforms>",
    );
    assert!(matches!(
        verify(&xpath),
        Err(Error::UnexpectedTransforms { .. })
    ));

    // Signature moved out of the signed element: not enveloped any more.
    let outside = doc.replacen(&signature, "", 1).replacen(
        "</wsse:Security>",
        &format!("{signature}</wsse:Security>"),
        1,
    );
    assert!(matches!(
        verify(&outside),
        Err(Error::SignatureMissing { .. })
    ));

    // SignedInfo altered (canonicalisation method switched): the signature value breaks.
    let with_comments = replace_once(
        &doc,
        "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>",
        "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>",
    );
    assert!(matches!(
        verify(&with_comments),
        Err(Error::SignatureInvalid { .. })
    ));

    // Signature value altered.
    let value_start = doc.find("<ds:SignatureValue>").expect("value") + "<ds:SignatureValue>".len();
    let mut bytes = doc.clone().into_bytes();
    bytes[value_start + 10] = if bytes[value_start + 10] == b'A' {
        b'B'
    } else {
        b'A'
    };
    let altered = String::from_utf8(bytes).expect("utf-8");
    assert!(matches!(
        verify(&altered),
        Err(Error::SignatureInvalid { .. })
    ));

    // Unknown algorithm.
    let md5 = replace_once(
        &doc,
        "http://www.w3.org/2001/04/xmlenc#sha256",
        "http://www.w3.org/2001/04/xmldsig-more#md5",
    );
    assert!(matches!(
        verify(&md5),
        Err(Error::UnsupportedAlgorithm { .. })
    ));

    // A DTD (entity tricks) is refused outright.
    let dtd = format!(
        "<!DOCTYPE x [<!ENTITY e \"x\">]>{}",
        doc.trim_start_matches("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
    );
    assert!(matches!(verify(&dtd), Err(Error::DtdRejected { .. })));
}

fn other(file: &str) -> Certificate {
    Certificate::from_pem(&common::read(file)).expect("certificate")
}

#[test]
fn wrong_or_untrusted_certificates_are_refused() {
    let doc = signed();
    let id = IdAttribute::new("ID");
    // Pinned to another certificate.
    let pinned = Verifier::with_pinned_certificate(id.clone(), other("pki/other-leaf.pem"))
        .verify(doc.as_bytes(), &path());
    assert!(
        matches!(pinned, Err(Error::SignatureInvalid { .. })),
        "{pinned:?}"
    );

    // KeyInfo certificate swapped for another one (same CN, other key).
    let ours = base64_cert("pki/leaf-rsa.pem");
    let theirs = base64_cert("pki/other-leaf.pem");
    let swapped = replace_once(&doc, &ours, &theirs);
    let r = Verifier::with_policy(id.clone(), TrustPolicy::InsecureEmbeddedCertificate)
        .verify(swapped.as_bytes(), &path());
    assert!(matches!(r, Err(Error::SignatureInvalid { .. })), "{r:?}");

    // Signed by a certificate of another CA: the signature is fine, the chain is not.
    let other_signer = SoftwareSigner::from_pem(
        &common::read("pki/other-leaf.key"),
        &common::read("pki/other-leaf.pem"),
    )
    .expect("other signer");
    let untrusted = signed_with(&other_signer);
    assert!(matches!(
        verify(&untrusted),
        Err(Error::CertificateNotTrusted { .. })
    ));

    // Outside the validity period.
    let late = chrono::DateTime::parse_from_rfc3339("2200-01-01T00:00:00Z")
        .expect("date")
        .to_utc();
    let expired = Verifier::with_trust_anchors(id.clone(), common::ca(), late)
        .verify(doc.as_bytes(), &path());
    assert!(
        matches!(expired, Err(Error::CertificateNotTrusted { .. })),
        "{expired:?}"
    );

    // Anchored at the other CA.
    let wrong_anchor =
        Verifier::with_trust_anchors(id, vec![other("pki/other-ca.pem")], common::now())
            .verify(doc.as_bytes(), &path());
    assert!(matches!(
        wrong_anchor,
        Err(Error::CertificateNotTrusted { .. })
    ));
}

fn base64_cert(file: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(other(file).der())
}
