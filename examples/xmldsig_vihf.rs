//! Sign a VIHF-shaped SAML assertion inside a SOAP header, as the DMP wants it (signature right
//! after `saml2:Issuer`, RSA-SHA256, exclusive canonicalisation), then verify it the way a
//! server must: at the expected path, against trust anchors, at a given time.
//!
//! Uses the throw-away test PKI of `crates/segur-xmldsig/tests/data/pki/`.
//! Run: `cargo run --example xmldsig_vihf`.

use segur::xmldsig::{
    Certificate, ElementSelector, IdAttribute, Placement, SoftwareSigner, Verifier, sign_enveloped,
};

const SOAP: &str = "http://www.w3.org/2003/05/soap-envelope";
const WSSE: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pki = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/segur-xmldsig/tests/data/pki/"
    );
    let read = |f: &str| std::fs::read(format!("{pki}{f}"));

    // The structure's signing key: PKCS#12 as IGC-Santé delivers it (PEM works too).
    let signer = SoftwareSigner::from_pkcs12(&read("leaf-rsa-3des.p12")?, "test")?;
    let issuer = signer.certificate().subject_dn();
    println!("signing as   {issuer}");
    println!(
        "identifiers  {:?}",
        signer.certificate().health_identifiers()
    );

    let envelope = format!(
        r#"<soap:Envelope xmlns:soap="{SOAP}"><soap:Header><wsse:Security xmlns:wsse="{WSSE}"><saml2:Assertion xmlns:saml2="{SAML}" ID="_vihf-1" Version="2.0" IssueInstant="2026-11-22T08:00:00.000Z"><saml2:Issuer Format="urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName">{issuer}</saml2:Issuer><saml2:Subject><saml2:NameID>899900063480</saml2:NameID></saml2:Subject></saml2:Assertion></wsse:Security></soap:Header><soap:Body/></soap:Envelope>"#
    );
    let id = IdAttribute::new("ID");
    let signed = sign_enveloped(
        envelope.as_bytes(),
        &id,
        "_vihf-1",
        Placement::after(SAML, "Issuer"),
        &signer,
    )?;
    println!("signed       {} bytes", signed.len());

    let anchors = Certificate::all_from_pem(&read("ca.pem")?)?;
    let at = signer.certificate().not_before();
    let verified = Verifier::with_trust_anchors(id, anchors, at).verify(
        &signed,
        &ElementSelector::path([
            (SOAP, "Envelope"),
            (SOAP, "Header"),
            (WSSE, "Security"),
            (SAML, "Assertion"),
        ]),
    )?;
    println!(
        "verified     {} (bytes {:?}, {:?})",
        verified.path, verified.range, verified.signature_algorithm
    );
    Ok(())
}
