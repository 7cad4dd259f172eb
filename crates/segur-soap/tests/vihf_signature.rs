//! Signed VIHF: segur signs, segur and xmlsec1 verify (standalone and inside a SOAP 1.2
//! envelope), tampering is rejected by both, the assertion validates against SAML 2.0 with
//! xmllint, and the whole signed envelope is byte-for-byte reproducible (insta snapshot).

use std::path::{Path, PathBuf};
use std::process::Command;

use segur_ins::Ins;
use segur_soap::vihf::{
    AuthenticationMode, CodedValue, Lps, ParsedVihf, PurposeOfUse, VihfBuilder, VihfVerifier,
};
use segur_soap::{Addressing, Envelope, EnvelopeBuilder, ErrorKind};
use segur_transport::{Clock, FixedClock, SeededRandomness};
use segur_xmldsig::{Certificate, SoftwareSigner, TrustPolicy};

const NOW: &str = "2026-11-22T08:00:00.250Z";
const SAML_ID_ATTR: &str = "--id-attr:ID";
const SAML_ASSERTION: &str = "urn:oasis:names:tc:SAML:2.0:assertion:Assertion";

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel)
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

fn signer(key: &str, cert: &str) -> SoftwareSigner {
    SoftwareSigner::from_pem(&read(&data(key)), &read(&data(cert))).unwrap()
}

fn ca() -> Vec<Certificate> {
    Certificate::all_from_pem(&read(&data("ca.pem"))).unwrap()
}

fn clock() -> FixedClock {
    FixedClock::from_rfc3339(NOW).unwrap()
}

fn verifier() -> VihfVerifier {
    VihfVerifier::with_trust_anchors(ca(), clock().now())
}

fn signed_vihf() -> String {
    let ins = Ins::from_vihf_resource_id("279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH").unwrap();
    let vihf = VihfBuilder::new(AuthenticationMode::Indirecte)
        .name_id("899900063480")
        .subject_id("LIBRE Max")
        .structure("499900063480001", "SA07")
        .role(CodedValue::profession("10").with_display_name("Médecin"))
        .role(CodedValue::specialty("SM26").with_display_name("Qualifié en Médecine Générale (SM)"))
        .patient(ins)
        .purpose_of_use(PurposeOfUse::Normal)
        .lps(Lps::new("MON-LPS", "0.1.0", "NumAutorisation").with_id("01.01.01.01"))
        .build(&clock(), &SeededRandomness::new(42))
        .unwrap();
    vihf.sign(&signer("sign.key.pem", "sign.pem")).unwrap()
}

fn envelope_with(assertion: &str) -> String {
    EnvelopeBuilder::new(
        "<RetrieveDocumentSetRequest xmlns=\"urn:ihe:iti:xds-b:2007\"><DocumentRequest>\
         <RepositoryUniqueId>1.2.250.1.213.4.1.1.1.2</RepositoryUniqueId>\
         <DocumentUniqueId>1.2.250.1.999.1.1.7898.1.995657292</DocumentUniqueId>\
         </DocumentRequest></RetrieveDocumentSetRequest>",
    )
    .addressing(Addressing::request(
        "urn:ihe:iti:2007:RetrieveDocumentSet",
        "https://lps2.dmp.gouv.fr/si-dmp-server/v2/services/repository",
        &SeededRandomness::new(7),
    ))
    .security_assertion(assertion)
    .build()
}

/// Runs an external tool; it must be installed (`.ci/run` installs xmlsec1 and libxml2-utils).
fn tool(name: &str, args: &[&str], input: &str) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("input.xml");
    std::fs::write(&file, input).unwrap();
    let mut cmd = Command::new(name);
    cmd.args(args).arg(&file);
    let out = cmd.output().unwrap_or_else(|e| {
        panic!("`{name}` is required for this test (apt-get install xmlsec1 libxml2-utils): {e}")
    });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn xmlsec1_verify(xml: &str) -> (bool, String) {
    let ca = data("ca.pem");
    tool(
        "xmlsec1",
        &[
            "--verify",
            "--trusted-pem",
            ca.to_str().unwrap(),
            SAML_ID_ATTR,
            SAML_ASSERTION,
        ],
        xml,
    )
}

#[test]
fn segur_signs_and_verifies_a_vihf() {
    let xml = signed_vihf();
    let verified = verifier().verify(xml.as_bytes()).unwrap();
    assert!(verified.vihf.signed);
    assert_eq!(
        verified.vihf.issuer,
        "CN=DMP SIGN TEST,OU=499900063480001,O=STRUCTURE TEST,ST=Paris (75),C=FR"
    );
    assert_eq!(verified.vihf.vihf.mode, AuthenticationMode::Indirecte);
    assert_eq!(
        verified.vihf.vihf.patient.unwrap().to_cx(),
        "279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH"
    );
    // signature right after Issuer, ID a valid NCName
    let parsed = ParsedVihf::parse(xml.as_bytes()).unwrap();
    assert!(parsed.signed);
    let issuer_end = xml.find("</saml2:Issuer>").unwrap() + "</saml2:Issuer>".len();
    assert!(xml[issuer_end..].starts_with("<ds:Signature"), "{xml}");
    assert!(xml.contains("rsa-sha256"));
}

#[test]
fn xmlsec1_verifies_the_vihf_alone_and_inside_a_soap_envelope() {
    let xml = signed_vihf();
    let (ok, out) = xmlsec1_verify(&xml);
    assert!(ok, "xmlsec1 rejected the standalone VIHF: {out}");
    let envelope = envelope_with(&xml);
    let (ok, out) = xmlsec1_verify(&envelope);
    assert!(ok, "xmlsec1 rejected the VIHF in the envelope: {out}");
    // segur verifies it in the envelope too, and the envelope reads back
    let verified = verifier().verify(envelope.as_bytes()).unwrap();
    assert_eq!(verified.vihf.vihf.subject_id, "LIBRE Max");
    let read = Envelope::parse(envelope.as_bytes()).unwrap();
    assert_eq!(read.assertions.len(), 1);
    // the assertion extracted from the envelope still verifies on its own
    verifier().verify(read.assertions[0].as_bytes()).unwrap();
}

#[test]
fn tampering_is_rejected_by_segur_and_xmlsec1() {
    let xml = signed_vihf();
    let tampered = [
        // an attribute value changed
        xml.replace("SA07^", "SA01^"),
        // the purpose of use changed
        xml.replace("code=\"normal\"", "code=\"bris_de_glace\""),
        // the subject changed
        xml.replace(">899900063480<", ">899900063481<"),
    ];
    for t in &tampered {
        assert_ne!(t, &xml);
        let err = verifier().verify(t.as_bytes()).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Signature { .. }), "{err}");
        let (ok, out) = xmlsec1_verify(t);
        assert!(!ok, "xmlsec1 accepted a tampered VIHF: {out}");
    }
}

#[test]
fn a_wrapped_assertion_is_rejected() {
    let xml = signed_vihf();
    // the signed assertion hidden in another header block, a forged one where it is expected
    let forged = xml.replace("LIBRE Max", "PIRATE Max").replace(
        &xml[xml.find("<ds:Signature").unwrap()
            ..xml.find("</ds:Signature>").unwrap() + "</ds:Signature>".len()],
        "",
    );
    let envelope = envelope_with(&forged).replace(
        "</soap:Header>",
        &format!("<x:Hidden xmlns:x=\"urn:x\">{xml}</x:Hidden></soap:Header>"),
    );
    let err = verifier().verify(envelope.as_bytes()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Signature { .. }), "{err}");
}

#[test]
fn the_wrong_certificate_is_rejected() {
    // same subject DN, but self-signed: not chained to the trusted CA
    let ins = Ins::from_vihf_resource_id("279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH").unwrap();
    let vihf = VihfBuilder::new(AuthenticationMode::Indirecte)
        .name_id("899900063480")
        .subject_id("LIBRE Max")
        .structure("499900063480001", "SA07")
        .role(CodedValue::profession("60"))
        .patient(ins)
        .lps(Lps::new("MON-LPS", "0.1.0", "NumAutorisation"))
        .build(&clock(), &SeededRandomness::new(1))
        .unwrap();
    let rogue = vihf.sign(&signer("rogue.key.pem", "rogue.pem")).unwrap();
    let err = verifier().verify(rogue.as_bytes()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Signature { .. }), "{err}");
    let (ok, out) = xmlsec1_verify(&rogue);
    assert!(
        !ok,
        "xmlsec1 accepted a VIHF signed by an untrusted key: {out}"
    );
    // pinning the rogue certificate accepts it: the check is the trust, not the DN
    let pinned = Certificate::from_pem(&read(&data("rogue.pem"))).unwrap();
    VihfVerifier::with_policy(TrustPolicy::Pinned(pinned))
        .verify(rogue.as_bytes())
        .unwrap();
}

#[test]
fn an_issuer_that_is_not_the_signer_is_rejected() {
    let vihf = VihfBuilder::new(AuthenticationMode::Indirecte)
        .name_id("899900063480")
        .subject_id("LIBRE Max")
        .structure("499900063480001", "SA07")
        .role(CodedValue::profession("60"))
        .lps(Lps::new("MON-LPS", "0.1.0", "NumAutorisation"))
        .build(&clock(), &SeededRandomness::new(1))
        .unwrap();
    let unsigned = vihf.to_unsigned_xml("CN=SOMEONE ELSE,C=FR").unwrap();
    let signed = segur_xmldsig::sign_enveloped(
        unsigned.as_bytes(),
        &segur_xmldsig::IdAttribute::new("ID"),
        &vihf.id,
        segur_xmldsig::Placement::after("urn:oasis:names:tc:SAML:2.0:assertion", "Issuer"),
        &signer("sign.key.pem", "sign.pem"),
    )
    .unwrap();
    let err = verifier().verify(&signed).unwrap_err();
    assert!(
        err.to_string().contains("is not the signing certificate"),
        "{err}"
    );
}

#[test]
fn legacy_and_shared_vectors_verify() {
    let dir = "corpus/xds/samples/generated-test-vectors";
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-30T00:00:00Z")
        .unwrap()
        .to_utc();
    let anchors = Certificate::all_from_pem(&read(&shared(&format!("{dir}/test-ca.pem")))).unwrap();
    let sha256 = read(&shared(&format!(
        "{dir}/vihf-v3-indirecte-signed-rsa-sha256.xml"
    )));
    VihfVerifier::with_trust_anchors(anchors.clone(), at)
        .verify(&sha256)
        .unwrap();
    let tampered = read(&shared(&format!(
        "{dir}/vihf-v3-indirecte-TAMPERED-must-fail.xml"
    )));
    assert!(
        VihfVerifier::with_trust_anchors(anchors, at)
            .verify(&tampered)
            .is_err()
    );
    let self_signed =
        Certificate::from_pem(&read(&shared(&format!("{dir}/test-selfsigned-cert.pem")))).unwrap();
    let sha1 = read(&shared(&format!(
        "{dir}/vihf-v3-indirecte-signed-rsa-sha1-selfsigned.xml"
    )));
    let strict = VihfVerifier::with_policy(TrustPolicy::Pinned(self_signed.clone()));
    assert!(strict.verify(&sha1).is_err(), "SHA-1 must be opt-in");
    let legacy = strict.allow_sha1(true);
    legacy.verify(&sha1).unwrap();
    // the same kind of assertion, verified in place inside a SOAP 1.2 header
    let soap = read(&shared(&format!(
        "{dir}/soap12-header-with-signed-vihf.xml"
    )));
    legacy.verify(&soap).unwrap();
}

#[test]
fn the_signed_vihf_validates_against_saml_2_0_with_xmllint() {
    let xsd = shared("corpus/xds/xsd");
    let catalog = xsd.join("catalog.xml");
    let driver = xsd.join("vihf-validation-driver.xsd");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("vihf.xml");
    std::fs::write(&file, signed_vihf()).unwrap();
    let out = Command::new("xmllint")
        .env("XML_CATALOG_FILES", &catalog)
        .args(["--nonet", "--noout", "--schema"])
        .arg(&driver)
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("`xmllint` is required (apt-get install libxml2-utils): {e}"));
    assert!(
        out.status.success(),
        "xmllint: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_signed_envelope_is_reproducible() {
    let envelope = envelope_with(&signed_vihf());
    assert_eq!(envelope, envelope_with(&signed_vihf()));
    insta::assert_snapshot!("signed_envelope", envelope);
}
