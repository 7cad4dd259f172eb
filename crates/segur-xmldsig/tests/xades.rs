//! The DMP signature document (detached XAdES over an IHE DSG manifest): our documents verify
//! with `xmlsec1` (SignedInfo and the document's manifest reference) and validate against the
//! CNAM kit's XAdES schema; the official TD2.1 sample verifies with our verifier at SignedInfo
//! level; tampering with documents, manifest, signed properties or certificates is refused.

mod common;

use std::io::Write as _;
use std::path::Path;

use segur_xmldsig::xades::{ContentKind, XadesBuilder, XadesVerifier};
use segur_xmldsig::{
    Certificate, DigestAlgorithm, Error, SignatureAlgorithm, Signer, SoftwareSigner, TrustPolicy,
};

const SET: &str = "1.2.250.1.999.1.1.1.1";
const DOC: &str = "1.2.250.1.999.1.1.2.1";
const PDF_ID: &str = "1.2.250.1.999.1.1.2.2";
const SIG: &str = "1.2.250.1.999.1.1.3.1";
const CDA: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"cda.xsl\"?>\n<ClinicalDocument xmlns=\"urn:hl7-org:v3\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n  <!-- compte rendu -->\n  <id root=\"1.2.250.1.999.1.1.2.1\"/>\n  <title>CR de consultation</title>\n</ClinicalDocument>\n";
const PDF: &[u8] = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n";

fn signing_time() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2026-11-22T09:00:00Z")
        .expect("date")
        .to_utc()
}

fn builder(id: &str) -> XadesBuilder<'static> {
    XadesBuilder::new(id, SET, signing_time())
        .document(DOC, CDA, ContentKind::Xml)
        .document(PDF_ID, PDF, ContentKind::Binary)
}

fn sign(signer: &dyn Signer) -> Vec<u8> {
    builder(SIG).sign(signer).expect("sign")
}

fn trusted() -> XadesVerifier {
    XadesVerifier::new(TrustPolicy::Anchors {
        anchors: common::ca(),
        at: common::now(),
    })
}

fn temp(content: &[u8], suffix: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new()
        .suffix(suffix)
        .tempfile()
        .expect("temp file");
    f.write_all(content).expect("write");
    f
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// The command of the research note (§6), with `--trusted-pem` on the test CA instead of
/// `--insecure`; returns (success, stderr).
fn xmlsec1_verify(xades: &[u8], cda: &[u8], pdf: &[u8]) -> (bool, String) {
    let f = temp(xades, ".xml");
    let empty = temp(b"", ".bin");
    let cda = temp(cda, ".xml");
    let pdf = temp(pdf, ".pdf");
    let ca = common::data("pki/ca.pem");
    let set_map = format!("--url-map:urn:oid:{SET}");
    let doc_map = format!("--url-map:urn:oid:{DOC}");
    let pdf_map = format!("--url-map:urn:oid:{PDF_ID}");
    let out = common::run(
        "xmlsec1",
        &[
            "--verify",
            "--trusted-pem",
            path(&ca),
            "--id-attr:Id",
            "Manifest",
            "--id-attr:Id",
            "http://uri.etsi.org/01903/v1.1.1#:SignedProperties",
            &set_map,
            path(empty.path()),
            &doc_map,
            path(cda.path()),
            &pdf_map,
            path(pdf.path()),
            path(f.path()),
        ],
    );
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn generated_document_verifies_with_xmlsec1() {
    let xades = sign(&common::rsa_signer());
    let (ok, stderr) = xmlsec1_verify(&xades, CDA, PDF);
    assert!(ok, "xmlsec1 refused our signature document:\n{stderr}");
    assert!(
        stderr.contains("SignedInfo References (ok/all): 2/2"),
        "{stderr}"
    );
    // xmlsec1 also digests the manifest: the CDA (c14n with comments) and the PDF (bytes)
    // match, the submission set placeholder `AA==` does not (as in the official sample).
    assert!(
        stderr.contains("Manifests References (ok/all): 2/3"),
        "{stderr}"
    );
    // A changed document: SignedInfo still verifies, one manifest reference less matches.
    let (ok, stderr) = xmlsec1_verify(&xades, &CDA.replace_bytes("CR de", "CR du"), PDF);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("Manifests References (ok/all): 1/3"),
        "{stderr}"
    );
    // A changed signed property: refused.
    let tampered = String::from_utf8(xades)
        .expect("utf-8")
        .replace("2026-11-22T09:00:00Z", "2026-11-22T09:00:01Z");
    let (ok, stderr) = xmlsec1_verify(tampered.as_bytes(), CDA, PDF);
    assert!(!ok, "xmlsec1 accepted a tampered SigningTime:\n{stderr}");
}

trait ReplaceBytes {
    fn replace_bytes(&self, from: &str, to: &str) -> Vec<u8>;
}

impl ReplaceBytes for [u8] {
    fn replace_bytes(&self, from: &str, to: &str) -> Vec<u8> {
        let s = String::from_utf8(self.to_vec()).expect("utf-8");
        assert!(s.contains(from), "`{from}` not found");
        s.replacen(from, to, 1).into_bytes()
    }
}

/// A signer standing for a smart card or HSM that signs RSA-SHA1 (which `ring`, hence
/// `SoftwareSigner`, does not): `openssl dgst -sha1 -sign` with the test key.
struct OpensslSha1 {
    certificate: Certificate,
}

impl Signer for OpensslSha1 {
    fn algorithm(&self) -> SignatureAlgorithm {
        SignatureAlgorithm::RsaSha1
    }
    fn certificate(&self) -> &Certificate {
        &self.certificate
    }
    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, Error> {
        let input = temp(data, ".bin");
        let key = common::data("pki/leaf-rsa.key");
        let out = common::run(
            "openssl",
            &["dgst", "-sha1", "-sign", path(&key), path(input.path())],
        );
        assert!(out.status.success(), "openssl dgst failed");
        Ok(out.stdout)
    }
}

#[test]
fn rsa_sha1_document_like_the_dmp_verifies_with_xmlsec1_and_segur() {
    let signer = OpensslSha1 {
        certificate: Certificate::from_pem(&common::read("pki/leaf-rsa.pem")).expect("cert"),
    };
    let xades = sign(&signer);
    let text = String::from_utf8(xades.clone()).expect("utf-8");
    assert!(text.contains("xmldsig#rsa-sha1"));
    let (ok, stderr) = xmlsec1_verify(&xades, CDA, PDF);
    assert!(ok, "{stderr}");
    let verified = trusted().verify(&xades).expect("verify");
    assert_eq!(verified.signature_algorithm, SignatureAlgorithm::RsaSha1);
    verified
        .verify_documents(SET, &[(DOC, CDA), (PDF_ID, PDF)])
        .expect("manifest");
    // SHA-1 can be refused.
    assert!(matches!(
        trusted().allow_sha1(false).verify(&xades),
        Err(Error::UnsupportedAlgorithm { .. })
    ));
}

#[test]
fn generated_document_verifies_with_segur_and_sha256_digests_too() {
    let signer = common::rsa_signer();
    for digest in [DigestAlgorithm::Sha1, DigestAlgorithm::Sha256] {
        let xades = builder(SIG)
            .digest_algorithm(digest)
            .sign(&signer)
            .expect("sign");
        let verified = trusted().verify(&xades).expect("verify");
        assert_eq!(verified.signature_id, SIG);
        assert_eq!(verified.signing_time, "2026-11-22T09:00:00Z");
        assert_eq!(verified.signature_algorithm, SignatureAlgorithm::RsaSha256);
        assert_eq!(verified.certificate, *signer.certificate());
        let uris: Vec<&str> = verified.manifest.iter().map(|r| r.uri.as_str()).collect();
        assert_eq!(
            uris,
            [
                format!("urn:oid:{SET}"),
                format!("urn:oid:{DOC}"),
                format!("urn:oid:{PDF_ID}")
            ]
        );
        assert!(
            verified
                .manifest
                .iter()
                .all(|r| r.digest_algorithm == digest)
        );
        verified
            .verify_documents(SET, &[(PDF_ID, PDF), (DOC, CDA)])
            .expect("manifest");
        let (ok, stderr) = xmlsec1_verify(&xades, CDA, PDF);
        assert!(ok, "{stderr}");
    }
}

#[test]
fn tampered_documents_are_refused() {
    let verified = trusted()
        .verify(&sign(&common::rsa_signer()))
        .expect("verify");
    let changed = CDA.replace_bytes("CR de", "CR du");
    let err = verified
        .verify_documents(SET, &[(DOC, &changed), (PDF_ID, PDF)])
        .unwrap_err();
    assert!(
        matches!(&err, Error::DigestMismatch { uri } if uri == &format!("urn:oid:{DOC}")),
        "{err}"
    );
    // A comment counts (c14n *with* comments), re-indentation of the XML declaration does not.
    let commented = CDA.replace_bytes("compte rendu", "compte-rendu");
    assert!(matches!(
        verified.verify_documents(SET, &[(DOC, &commented), (PDF_ID, PDF)]),
        Err(Error::DigestMismatch { .. })
    ));
    let same_infoset = CDA.replace_bytes(
        "<id root=\"1.2.250.1.999.1.1.2.1\"/>",
        "<id root='1.2.250.1.999.1.1.2.1'></id>",
    );
    verified
        .verify_documents(SET, &[(DOC, &same_infoset), (PDF_ID, PDF)])
        .expect("same canonical form");
    let mut pdf = PDF.to_vec();
    pdf.push(b'\n');
    assert!(matches!(
        verified.verify_documents(SET, &[(DOC, CDA), (PDF_ID, &pdf)]),
        Err(Error::DigestMismatch { .. })
    ));
    // A document the manifest does not cover, one missing, another submission set.
    for (set, docs) in [
        (SET, vec![(DOC, CDA), (PDF_ID, PDF), ("1.2.3", PDF)]),
        (SET, vec![(DOC, CDA)]),
        ("1.2.250.1.999.1.1.1.2", vec![(DOC, CDA), (PDF_ID, PDF)]),
    ] {
        let err = verified.verify_documents(set, &docs).unwrap_err();
        assert!(matches!(err, Error::ManifestMismatch { .. }), "{err}");
    }
}

fn tampered(xades: &[u8], from: &str, to: &str) -> Result<(), Error> {
    let text = String::from_utf8(xades.to_vec()).expect("utf-8");
    assert!(text.contains(from), "`{from}` not in the document");
    trusted()
        .verify(text.replacen(from, to, 1).as_bytes())
        .map(|_| ())
}

#[test]
fn tampered_manifest_signed_properties_and_signature_are_refused() {
    let xades = sign(&common::rsa_signer());
    let text = String::from_utf8(xades.clone()).expect("utf-8");
    // The manifest (a reference digest, a uniqueId) is covered by SignedInfo.
    let start = text.find(&format!("urn:oid:{DOC}")).expect("doc reference");
    let value_at = start + text[start..].find("<DigestValue>").expect("digest") + 13;
    let mut manifest = text.clone();
    manifest.replace_range(value_at..value_at + 4, "AAAA");
    let err = trusted().verify(manifest.as_bytes()).unwrap_err();
    assert!(
        matches!(&err, Error::DigestMismatch { uri } if uri == "#IHEManifest"),
        "{err}"
    );
    let err = tampered(&xades, &format!("urn:oid:{PDF_ID}"), "urn:oid:1.2.3").unwrap_err();
    assert!(matches!(err, Error::DigestMismatch { .. }), "{err}");
    // Signed properties.
    let err = tampered(&xades, "2026-11-22T09:00:00Z", "2020-01-01T00:00:00Z").unwrap_err();
    assert!(
        matches!(&err, Error::DigestMismatch { uri } if uri == "#S0-SignedProperties"),
        "{err}"
    );
    // SignedInfo (the signature method) and the signature value.
    let err = tampered(
        &xades,
        "<Reference Type=\"http://www.w3.org/2000/09/xmldsig#Manifest\" URI=\"#IHEManifest\">",
        "<Reference URI=\"#IHEManifest\" Type=\"http://www.w3.org/2000/09/xmldsig#Manifest\" >",
    );
    err.expect("attribute order and spaces are not significant");
    let value_at = text.find("<SignatureValue>").expect("value") + 16;
    let mut value = text.clone();
    let c = if &value[value_at..value_at + 1] == "A" {
        "B"
    } else {
        "A"
    };
    value.replace_range(value_at..value_at + 1, c);
    assert!(matches!(
        trusted().verify(value.as_bytes()),
        Err(Error::SignatureInvalid { .. })
    ));
    // Unsigned parts may change: the purpose property is not covered (as in IHE DSG).
    tampered(
        &xades,
        ">1.2.840.10065.1.12.1.14<",
        ">1.2.840.10065.1.12.1.15<",
    )
    .expect("SignatureProperties are not signed");
}

#[test]
fn wrapping_and_structure_attacks_are_refused() {
    let xades = sign(&common::rsa_signer());
    // A second element with the manifest's Id.
    let err = tampered(
        &xades,
        "<Object><SignatureProperties",
        "<Object><Manifest Id=\"IHEManifest\"/></Object><Object><SignatureProperties",
    )
    .unwrap_err();
    assert!(matches!(err, Error::DuplicateId { .. }), "{err}");
    // The reference pointed at the signed properties with the Manifest type.
    let err = tampered(
        &xades,
        "URI=\"#IHEManifest\"",
        "URI=\"#S0-SignedProperties\"",
    )
    .unwrap_err();
    assert!(matches!(err, Error::ReferenceMismatch { .. }), "{err}");
    // QualifyingProperties for another signature (its Target is outside SignedProperties).
    let err = tampered(
        &xades,
        &format!("v1.1.1#\" Target=\"#{SIG}\""),
        "v1.1.1#\" Target=\"#other\"",
    )
    .unwrap_err();
    assert!(matches!(err, Error::SignatureStructure { .. }), "{err}");
    // Not a signature document; a DTD; garbage.
    for bad in [
        &b"<a/>"[..],
        b"<!DOCTYPE Signature [<!ENTITY e 'x'>]><Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"/>",
        b"<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\" Id=\"s\"><SignedInfo/></Signature>",
        b"\xff\xfe",
    ] {
        assert!(trusted().verify(bad).is_err());
    }
}

#[test]
fn certificates_are_checked() {
    let signer = common::rsa_signer();
    let xades = sign(&signer);
    // Untrusted CA.
    let other_ca = Certificate::all_from_pem(&common::read("pki/other-ca.pem")).expect("ca");
    let err = XadesVerifier::new(TrustPolicy::Anchors {
        anchors: other_ca,
        at: common::now(),
    })
    .verify(&xades)
    .unwrap_err();
    assert!(matches!(err, Error::CertificateNotTrusted { .. }), "{err}");
    // Pinned to another certificate.
    let other_leaf = Certificate::from_pem(&common::read("pki/other-leaf.pem")).expect("leaf");
    assert!(matches!(
        XadesVerifier::new(TrustPolicy::Pinned(other_leaf.clone())).verify(&xades),
        Err(Error::SignatureInvalid { .. })
    ));
    // KeyInfo swapped for another certificate.
    let b64 = |c: &Certificate| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(c.der())
    };
    let err = tampered(&xades, &b64(signer.certificate()), &b64(&other_leaf)).unwrap_err();
    assert!(matches!(err, Error::SignatureInvalid { .. }), "{err}");
    // Signed with the other key, KeyInfo naming the other certificate, but SigningCertificate
    // naming ours: the signature value verifies, the signed properties do not designate it.
    struct Mixed {
        named: Certificate,
        key: SoftwareSigner,
    }
    impl Signer for Mixed {
        fn algorithm(&self) -> SignatureAlgorithm {
            self.key.algorithm()
        }
        fn certificate(&self) -> &Certificate {
            &self.named
        }
        fn sign(&self, data: &[u8]) -> Result<Vec<u8>, Error> {
            self.key.sign(data)
        }
    }
    let other = SoftwareSigner::from_pem(
        &common::read("pki/other-leaf.key"),
        &common::read("pki/other-leaf.pem"),
    )
    .expect("other signer");
    let mixed = sign(&Mixed {
        named: signer.certificate().clone(),
        key: other,
    });
    let text = String::from_utf8(mixed).expect("utf-8");
    let key_info = text.find("<X509Certificate>").expect("KeyInfo") + 17;
    let mut swapped = text.clone();
    swapped.replace_range(
        key_info..key_info + b64(signer.certificate()).len(),
        &b64(&other_leaf),
    );
    let err = XadesVerifier::new(TrustPolicy::InsecureEmbeddedCertificate)
        .verify(swapped.as_bytes())
        .unwrap_err();
    assert!(
        matches!(err, Error::SigningCertificateMismatch { .. }),
        "{err}"
    );
}

#[test]
fn builder_refuses_empty_input() {
    let signer = common::rsa_signer();
    for b in [
        XadesBuilder::new(SIG, SET, signing_time()),
        XadesBuilder::new("", SET, signing_time()).document(DOC, CDA, ContentKind::Xml),
        XadesBuilder::new(SIG, "", signing_time()).document(DOC, CDA, ContentKind::Xml),
    ] {
        assert!(matches!(b.sign(&signer), Err(Error::InvalidInput { .. })));
    }
    // An XML document that is not UTF-8 XML cannot be canonicalised.
    let err = XadesBuilder::new(SIG, SET, signing_time())
        .document(DOC, b"<a>\xe9</a>", ContentKind::Xml)
        .sign(&signer)
        .unwrap_err();
    assert!(matches!(err, Error::UnsupportedEncoding { .. }), "{err}");
}

/// The official TD2.1 sample's signature document (last MIME part) and its CDA part.
fn official_sample() -> (Vec<u8>, Vec<u8>) {
    let path = common::samples()
        .join("cnam-dmp-lps-exemples-messages-v02.05.00/TD2.1_-_Alimentation_requete.xml");
    let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = String::from_utf8(raw).expect("the sample is UTF-8");
    let boundary = "------=_Part_9_20030738.1554380517598";
    let part = |name: &str| {
        let start = text
            .find(&format!("Content-ID: <{name}>"))
            .unwrap_or_else(|| panic!("part {name}"));
        let body = start
            + text[start..]
                .find("\r\n\r\n")
                .map(|i| i + 4)
                .or_else(|| text[start..].find("\n\n").map(|i| i + 2))
                .expect("headers end");
        let end = body + text[body..].find(boundary).expect("boundary");
        text[body..end]
            .trim_end_matches(['\r', '\n'])
            .as_bytes()
            .to_vec()
    };
    (
        part("WS_DMP_TD2.1-SignatureXades.xml"),
        part("WS_DMP_TD2.1-DocumentME2.xml"),
    )
}

#[test]
fn official_td21_sample_verifies_at_signed_info_level() {
    let (xades, document) = official_sample();
    // Its IGC-Santé TEST chain is not available (and expired): trust the embedded certificate.
    let verified = XadesVerifier::new(TrustPolicy::InsecureEmbeddedCertificate)
        .verify(&xades)
        .expect("the official sample verifies at SignedInfo level");
    assert_eq!(
        verified.signature_id,
        "0421d1cc-b27b-4b0d-bab2-7ebcd54d47f6"
    );
    assert_eq!(verified.signature_algorithm, SignatureAlgorithm::RsaSha1);
    assert_eq!(verified.signing_time, "2019-04-04T14:20:12.282+02:00");
    assert!(verified.certificate.subject_dn().contains("899900063480"));
    assert_eq!(verified.manifest.len(), 2);
    assert_eq!(
        verified.manifest[0].digest_value,
        segur_xmldsig::xades::SUBMISSION_SET_PLACEHOLDER_DIGEST
    );
    assert!(verified.manifest[1].canonicalization.is_some());
    // As the research note records, the sample's document part does not match its manifest
    // (edited after signing, and declared Cp1252).
    let set = verified.manifest[0]
        .unique_id()
        .expect("urn:oid")
        .to_owned();
    let doc = verified.manifest[1]
        .unique_id()
        .expect("urn:oid")
        .to_owned();
    assert!(
        verified
            .verify_documents(&set, &[(&doc, &document)])
            .is_err()
    );
    // With SHA-1 refused, it is refused.
    assert!(matches!(
        XadesVerifier::new(TrustPolicy::InsecureEmbeddedCertificate)
            .allow_sha1(false)
            .verify(&xades),
        Err(Error::UnsupportedAlgorithm { .. })
    ));
}

/// Validates with `xmllint` against XML-DSig + the CNAM kit's XAdES 1.1.1 schema (a driver
/// schema importing both, the W3C URL resolved through the corpus catalog).
fn xmllint_validate(xml: &[u8]) -> (bool, String) {
    let xsd = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/xds/xsd");
    let xades_xsd = xsd.join("dmp-kit-xades/XAdES.xsd");
    assert!(xades_xsd.exists(), "{} is missing", xades_xsd.display());
    let driver = format!(
        "<xsd:schema xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"urn:segur:test:xades-driver\">\
<xsd:import namespace=\"http://www.w3.org/2000/09/xmldsig#\" schemaLocation=\"http://www.w3.org/TR/2002/REC-xmldsig-core-20020212/xmldsig-core-schema.xsd\"/>\
<xsd:import namespace=\"http://uri.etsi.org/01903/v1.1.1#\" schemaLocation=\"{}\"/></xsd:schema>",
        path(&xades_xsd)
    );
    let driver = temp(driver.as_bytes(), ".xsd");
    let doc = temp(xml, ".xml");
    let catalog = xsd.join("catalog.xml");
    let out = std::process::Command::new("xmllint")
        .env("XML_CATALOG_FILES", &catalog)
        .args([
            "--nonet",
            "--noout",
            "--schema",
            path(driver.path()),
            path(doc.path()),
        ])
        .output()
        .unwrap_or_else(|e| {
            panic!("`xmllint` is required (apt-get install libxml2-utils, see .ci/run): {e}")
        });
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn generated_document_validates_against_the_xades_schema() {
    // xsd:ID values must be NCNames: with an NCName Id the document is schema-valid...
    let xades = builder("S1.2.250.1.999.1.1.3.1")
        .sign(&common::rsa_signer())
        .expect("sign");
    let (ok, stderr) = xmllint_validate(&xades);
    assert!(ok, "{stderr}");
    // ...the DMP's convention (Id = the signature entry's uniqueId, an OID) breaks only that
    // rule, which neither xmlsec1 nor the DMP enforce (the official sample's Id is not an
    // NCName either).
    let (ok, stderr) = xmllint_validate(&sign(&common::rsa_signer()));
    assert!(!ok);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error")).collect();
    assert!(!errors.is_empty(), "{stderr}");
    assert!(
        errors
            .iter()
            .all(|l| l.contains("'Id'") && l.contains("xs:ID")),
        "{stderr}"
    );
}

#[test]
fn snapshot_with_fixed_key_and_clock() {
    // RSA PKCS#1 v1.5 is deterministic: the whole document is reproducible.
    let xades = sign(&common::rsa_signer());
    assert_eq!(xades, sign(&common::rsa_signer()));
    insta::assert_snapshot!(String::from_utf8(xades).expect("utf-8"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// Any XML text and any binary document: the signature document verifies with their
    /// bytes, and any changed byte of the binary document is caught.
    #[test]
    fn generated_documents_verify_and_any_changed_byte_is_caught(
        text in "[ -~\u{e9}\u{2019}]{0,40}",
        pdf in proptest::collection::vec(proptest::prelude::any::<u8>(), 1..200),
        at in proptest::prelude::any::<proptest::sample::Index>(),
        xor in 1u8..=255,
    ) {
        let escaped = text.replace('&', "&amp;").replace('<', "&lt;");
        let cda = format!("<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>{escaped}</title><!--{}--></ClinicalDocument>", text.replace('-', "_"));
        let xades = XadesBuilder::new(SIG, SET, signing_time())
            .document(DOC, cda.as_bytes(), ContentKind::Xml)
            .document(PDF_ID, &pdf, ContentKind::Binary)
            .sign(&common::rsa_signer())
            .expect("sign");
        let verified = trusted().verify(&xades).expect("verify");
        verified
            .verify_documents(SET, &[(DOC, cda.as_bytes()), (PDF_ID, &pdf)])
            .expect("manifest");
        let mut changed = pdf.clone();
        changed[at.index(pdf.len())] ^= xor;
        let is_mismatch = matches!(
            verified.verify_documents(SET, &[(DOC, cda.as_bytes()), (PDF_ID, &changed)]),
            Err(Error::DigestMismatch { .. })
        );
        proptest::prop_assert!(is_mismatch);
    }
}
