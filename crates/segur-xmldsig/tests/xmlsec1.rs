//! Interoperability with `xmlsec1` (Debian package `xmlsec1`): signatures made by segur verify
//! with xmlsec1, signatures made by xmlsec1 (here and in the shared test vectors) verify with
//! segur.

mod common;

use std::io::Write as _;

use common::SAML;
use segur_xmldsig::{
    Certificate, ElementSelector, Error, IdAttribute, Placement, SignOptions, SignatureAlgorithm,
    SoftwareSigner, TrustPolicy, Verifier, sign_enveloped, sign_enveloped_with,
};

const SOAP: &str = "http://www.w3.org/2003/05/soap-envelope";
const WSSE: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
const ID_ATTR: &str = "--id-attr:ID";
const ASSERTION: &str = "urn:oasis:names:tc:SAML:2.0:assertion:Assertion";

fn temp(content: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new()
        .suffix(".xml")
        .tempfile()
        .expect("temp file");
    f.write_all(content).expect("write");
    f
}

/// `xmlsec1 --verify` against the test CA; returns (success, stderr).
fn xmlsec1_verify(doc: &[u8]) -> (bool, String) {
    let f = temp(doc);
    let ca = common::data("pki/ca.pem");
    let out = common::run(
        "xmlsec1",
        &[
            "--verify",
            "--trusted-pem",
            ca.to_str().expect("path"),
            ID_ATTR,
            ASSERTION,
            f.path().to_str().expect("path"),
        ],
    );
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn vihf_envelope_path() -> ElementSelector {
    ElementSelector::path([
        (SOAP, "Envelope"),
        (SOAP, "Header"),
        (WSSE, "Security"),
        (SAML, "Assertion"),
    ])
}

#[test]
fn segur_vihf_in_soap_envelope_verifies_with_xmlsec1() {
    let doc = common::read("c14n/soap-vihf.xml");
    let signer = common::rsa_signer();
    let id = IdAttribute::new("ID");
    for prefixes in [vec![], vec!["xs", "xsi", "#default", "saml2"]] {
        let options =
            SignOptions::new(Placement::after(SAML, "Issuer")).inclusive_prefixes(prefixes);
        let signed = sign_enveloped_with(&doc, &id, "_5f1a6c2e", &options, &signer).expect("sign");
        let text = String::from_utf8(signed.clone()).expect("utf-8");
        // Right after saml2:Issuer, the rest of the document untouched.
        let issuer_end = text.find("</saml2:Issuer>").expect("issuer") + "</saml2:Issuer>".len();
        assert!(text[issuer_end..].starts_with("<ds:Signature "), "{text}");
        let (ok, stderr) = xmlsec1_verify(&signed);
        assert!(ok, "xmlsec1 refused segur's signature: {stderr}");
        let verified = Verifier::with_trust_anchors(id.clone(), common::ca(), common::now())
            .verify(&signed, &vihf_envelope_path())
            .expect("segur verifies its own signature");
        assert_eq!(
            verified.path,
            "/soap:Envelope/soap:Header/wsse:Security/saml2:Assertion"
        );
        assert_eq!(&signed[verified.range.clone()], verified.bytes.as_slice());
    }
}

#[test]
fn segur_ecdsa_and_rsa_variants_verify_with_xmlsec1() {
    let doc = format!(
        r#"<saml2:Assertion xmlns:saml2="{SAML}" ID="a-1"><saml2:Issuer>x</saml2:Issuer></saml2:Assertion>"#
    );
    let ec = SoftwareSigner::from_pem(
        &common::read("pki/leaf-ec.key"),
        &common::read("pki/leaf-ec.pem"),
    )
    .expect("EC signer");
    assert_eq!(
        segur_xmldsig::Signer::algorithm(&ec),
        SignatureAlgorithm::EcdsaP256Sha256
    );
    let pkcs1 = SoftwareSigner::from_pem(
        &common::read("pki/leaf-rsa-pkcs1.key"),
        &common::read("pki/leaf-rsa.pem"),
    )
    .expect("PKCS#1 signer")
    .with_algorithm(SignatureAlgorithm::RsaSha512)
    .expect("RSA-SHA512");
    let id = IdAttribute::new("ID");
    for (signer, placement) in [
        (&ec as &dyn segur_xmldsig::Signer, Placement::LastChild),
        (&pkcs1, Placement::FirstChild),
    ] {
        let signed = sign_enveloped(doc.as_bytes(), &id, "a-1", placement, signer).expect("sign");
        let (ok, stderr) = xmlsec1_verify(&signed);
        assert!(
            ok,
            "xmlsec1 refused: {stderr}\n{}",
            String::from_utf8_lossy(&signed)
        );
        Verifier::with_trust_anchors(id.clone(), common::ca(), common::now())
            .verify(&signed, &ElementSelector::Id("a-1".into()))
            .expect("segur verifies");
    }
}

#[test]
fn tampered_segur_signature_fails_in_xmlsec1_too() {
    let doc = common::read("c14n/soap-vihf.xml");
    let signed = sign_enveloped(
        &doc,
        &IdAttribute::new("ID"),
        "_5f1a6c2e",
        Placement::after(SAML, "Issuer"),
        &common::rsa_signer(),
    )
    .expect("sign");
    let tampered = String::from_utf8(signed)
        .expect("utf-8")
        .replace("SA07", "SA01");
    let (ok, _) = xmlsec1_verify(tampered.as_bytes());
    assert!(!ok, "xmlsec1 accepted a tampered document");
}

#[test]
fn xmlsec1_signature_verifies_with_segur() {
    let template = std::fs::read(
        common::samples().join("generated-test-vectors/vihf-v3-indirecte-xmlsec1-template.xml"),
    )
    .expect("template from ../shared");
    let f = temp(&template);
    let key = common::data("pki/leaf-rsa.key");
    let cert = common::data("pki/leaf-rsa.pem");
    let keyarg = format!("{},{}", key.display(), cert.display());
    let out = common::run(
        "xmlsec1",
        &[
            "--sign",
            "--privkey-pem",
            &keyarg,
            ID_ATTR,
            ASSERTION,
            f.path().to_str().expect("path"),
        ],
    );
    assert!(
        out.status.success(),
        "xmlsec1 --sign: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let signed = out.stdout;
    let id = "_5f1a6c2e-0b7d-4a53-9d8e-2f4c1b9e7a10";
    let verified =
        Verifier::with_trust_anchors(IdAttribute::new("ID"), common::ca(), common::now())
            .verify(&signed, &ElementSelector::path([(SAML, "Assertion")]))
            .expect("segur verifies xmlsec1's signature");
    assert_eq!(verified.id, id);
    assert_eq!(verified.signature_algorithm, SignatureAlgorithm::RsaSha256);
}

fn vector(name: &str) -> Vec<u8> {
    std::fs::read(common::samples().join("generated-test-vectors").join(name))
        .expect("shared vector")
}

fn vector_cert(name: &str) -> Certificate {
    Certificate::from_pem(&vector(name)).expect("vector certificate")
}

#[test]
fn shared_xmlsec1_vectors() {
    let ca = vector_cert("test-ca.pem");
    // The vectors' PKI is valid for 30 days from its generation: check inside that window.
    let at = ca.not_before() + chrono::Duration::days(1);
    let id = IdAttribute::new("ID");
    let anchors = Verifier::with_trust_anchors(id.clone(), vec![ca.clone()], at);
    let assertion = ElementSelector::path([(SAML, "Assertion")]);

    let v = anchors
        .verify(
            &vector("vihf-v3-indirecte-signed-rsa-sha256.xml"),
            &assertion,
        )
        .expect("RSA-SHA256 vector");
    assert_eq!(
        v.certificate.subject_dn(),
        "CN=DMP SIGN TEST,OU=499900063480001,O=STRUCTURE TEST,ST=Paris (75),C=FR"
    );

    // The SOAP vector is signed with the self-signed certificate: not chained to the CA (xmlsec1
    // says the same), fine when that certificate is pinned.
    let soap_doc = vector("soap12-header-with-signed-vihf.xml");
    let err = anchors.verify(&soap_doc, &vihf_envelope_path());
    assert!(
        matches!(err, Err(Error::CertificateNotTrusted { .. })),
        "{err:?}"
    );
    let soap =
        Verifier::with_pinned_certificate(id.clone(), vector_cert("test-selfsigned-cert.pem"))
            .verify(&soap_doc, &vihf_envelope_path())
            .expect("VIHF inside a SOAP header");
    assert!(
        soap.path.ends_with("wsse:Security/saml2:Assertion"),
        "{}",
        soap.path
    );

    let tampered = anchors.verify(
        &vector("vihf-v3-indirecte-TAMPERED-must-fail.xml"),
        &assertion,
    );
    assert!(
        matches!(tampered, Err(Error::DigestMismatch { .. })),
        "{tampered:?}"
    );

    // Legacy RSA-SHA1, self-signed: only with SHA-1 allowed and the certificate pinned.
    let sha1 = vector("vihf-v3-indirecte-signed-rsa-sha1-selfsigned.xml");
    let pinned =
        Verifier::with_pinned_certificate(id.clone(), vector_cert("test-selfsigned-cert.pem"));
    assert!(matches!(
        pinned.verify(&sha1, &assertion),
        Err(Error::UnsupportedAlgorithm { .. })
    ));
    let v = pinned
        .allow_sha1(true)
        .verify(&sha1, &assertion)
        .expect("SHA-1 vector");
    assert_eq!(v.signature_algorithm, SignatureAlgorithm::RsaSha1);
    // Self-signed is not chained to the CA.
    let err = Verifier::with_trust_anchors(id.clone(), vec![ca], at)
        .allow_sha1(true)
        .verify(&sha1, &assertion);
    assert!(
        matches!(err, Err(Error::CertificateNotTrusted { .. })),
        "{err:?}"
    );
    // And the insecure policy still checks the digest and signature value.
    Verifier::with_policy(id, TrustPolicy::InsecureEmbeddedCertificate)
        .allow_sha1(true)
        .verify(&sha1, &assertion)
        .expect("embedded certificate");
}

/// An xmlsec1 template: the assertion in a SOAP envelope whose ancestors carry namespaces and
/// `xml:lang`, with the given canonicalisation for SignedInfo and the reference.
fn template(signed_info_c14n: &str, reference_transform: &str) -> String {
    format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="{SOAP}" xmlns:unused="urn:unused" xml:lang="fr">
  <soap:Header xmlns="urn:default-on-ancestor">
    <wsse:Security xmlns:wsse="{WSSE}">
      <saml2:Assertion xmlns:saml2="{SAML}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema" ID="_t1" Version="2.0">
        <saml2:Issuer>CN=DMP SIGN TEST</saml2:Issuer><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="{signed_info_c14n}"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#_t1"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>{reference_transform}</ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>
        <!-- a comment -->
        <saml2:AttributeStatement><saml2:Attribute Name="x"><saml2:AttributeValue xsi:type="xs:string">a &amp; b</saml2:AttributeValue></saml2:Attribute></saml2:AttributeStatement>
        <Role xmlns="urn:hl7-org:v3" code="10"/>
      </saml2:Assertion>
    </wsse:Security>
  </soap:Header>
  <soap:Body/>
</soap:Envelope>
"##
    )
}

fn xmlsec1_sign(doc: &str) -> Vec<u8> {
    let f = temp(doc.as_bytes());
    let key = common::data("pki/leaf-rsa.key");
    let cert = common::data("pki/leaf-rsa.pem");
    let keyarg = format!("{},{}", key.display(), cert.display());
    let out = common::run(
        "xmlsec1",
        &[
            "--sign",
            "--privkey-pem",
            &keyarg,
            ID_ATTR,
            ASSERTION,
            f.path().to_str().expect("path"),
        ],
    );
    assert!(
        out.status.success(),
        "xmlsec1 --sign: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn xmlsec1_signatures_with_every_canonicalisation_verify_with_segur() {
    use segur_xmldsig::{C14N, C14N_WITH_COMMENTS, EXC_C14N, EXC_C14N_WITH_COMMENTS};
    let exc_with_list = format!(
        r##"<ds:Transform Algorithm="{EXC_C14N}"><ec:InclusiveNamespaces xmlns:ec="{EXC_C14N}" PrefixList="xs #default soap unused"/></ds:Transform>"##
    );
    let cases = [
        // Inclusive C14N of the reference: ancestors' namespaces and xml:lang are inherited.
        (C14N, format!(r#"<ds:Transform Algorithm="{C14N}"/>"#)),
        (
            C14N_WITH_COMMENTS,
            format!(r#"<ds:Transform Algorithm="{C14N_WITH_COMMENTS}"/>"#),
        ),
        // No canonicalisation transform: the node-set goes through inclusive C14N.
        (EXC_C14N, String::new()),
        (
            EXC_C14N_WITH_COMMENTS,
            format!(r#"<ds:Transform Algorithm="{EXC_C14N_WITH_COMMENTS}"/>"#),
        ),
        (EXC_C14N, exc_with_list),
    ];
    let verifier =
        Verifier::with_trust_anchors(IdAttribute::new("ID"), common::ca(), common::now());
    for (signed_info, transform) in cases {
        let signed = xmlsec1_sign(&template(signed_info, &transform));
        let v = verifier
            .verify(&signed, &vihf_envelope_path())
            .unwrap_or_else(|e| panic!("{signed_info} / {transform}: {e}"));
        assert_eq!(v.id, "_t1");
        // And a modification is still caught with this canonicalisation.
        let tampered = String::from_utf8(signed)
            .expect("utf-8")
            .replace("a &amp; b", "a &amp; c");
        assert!(matches!(
            verifier.verify(tampered.as_bytes(), &vihf_envelope_path()),
            Err(Error::DigestMismatch { .. })
        ));
    }
}
