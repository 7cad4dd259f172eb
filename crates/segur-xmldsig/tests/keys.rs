//! Keys, PKCS#12 and certificate facts on the test PKI of `tests/data/pki/`.

mod common;

use segur_xmldsig::{
    Certificate, DnStyle, Error, HealthIdentifier, PrivateKey, SignatureAlgorithm, Signer,
    SoftwareSigner,
};

fn cert(file: &str) -> Certificate {
    Certificate::from_pem(&common::read(file)).expect("certificate")
}

#[test]
fn pkcs8_and_pkcs1_are_the_same_key() {
    let leaf = cert("pki/leaf-rsa.pem");
    let pkcs8 = PrivateKey::from_pem(&common::read("pki/leaf-rsa.key")).expect("PKCS#8");
    let pkcs1 = PrivateKey::from_pem(&common::read("pki/leaf-rsa-pkcs1.key")).expect("PKCS#1");
    assert!(pkcs8.matches(&leaf) && pkcs1.matches(&leaf));
    assert!(!pkcs8.matches(&cert("pki/other-leaf.pem")));
    // RSA PKCS#1 v1.5 is deterministic: both give the same signature.
    let a = pkcs8
        .sign(SignatureAlgorithm::RsaSha256, b"data")
        .expect("sign");
    let b = pkcs1
        .sign(SignatureAlgorithm::RsaSha256, b"data")
        .expect("sign");
    assert_eq!(a, b);
    assert!(matches!(
        pkcs8.sign(SignatureAlgorithm::RsaSha1, b"data"),
        Err(Error::Signing { .. })
    ));
}

#[test]
fn key_must_match_certificate() {
    let err = SoftwareSigner::from_pem(
        &common::read("pki/leaf-rsa.key"),
        &common::read("pki/other-leaf.pem"),
    )
    .unwrap_err();
    assert!(matches!(err, Error::Key { .. }), "{err}");
    assert!(matches!(
        SoftwareSigner::from_pem(b"not pem", &common::read("pki/leaf-rsa.pem")),
        Err(Error::Pem { .. })
    ));
    let ec = SoftwareSigner::from_pem(
        &common::read("pki/leaf-ec.key"),
        &common::read("pki/leaf-ec.pem"),
    )
    .expect("EC");
    assert!(ec.with_algorithm(SignatureAlgorithm::RsaSha256).is_err());
    // The same EC key in SEC1 form.
    let sec1 = PrivateKey::from_pem(&common::read("pki/leaf-ec-sec1.key")).expect("SEC1");
    assert!(sec1.matches(&cert("pki/leaf-ec.pem")));
    assert_eq!(
        sec1.default_algorithm(),
        SignatureAlgorithm::EcdsaP256Sha256
    );
    assert!(matches!(
        PrivateKey::from_sec1_der(b"\x30\x03\x02\x01\x01"),
        Err(Error::Key { .. })
    ));
}

#[test]
fn pkcs12_files_open() {
    for file in ["pki/leaf-rsa-aes.p12", "pki/leaf-rsa-3des.p12"] {
        let signer = SoftwareSigner::from_pkcs12(&common::read(file), "test")
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(signer.certificate(), &cert("pki/leaf-rsa.pem"), "{file}");
        assert_eq!(signer.chain(), common::ca().as_slice(), "{file}");
        assert_eq!(signer.algorithm(), SignatureAlgorithm::RsaSha256);
        let err = SoftwareSigner::from_pkcs12(&common::read(file), "wrong").unwrap_err();
        assert!(matches!(err, Error::Pkcs12 { .. }), "{file}: {err}");
    }
}

#[test]
fn rfc2253_subjects() {
    let leaf = cert("pki/leaf-rsa.pem");
    assert_eq!(
        leaf.subject_dn(),
        "CN=DMP SIGN TEST,OU=499900063480001,O=STRUCTURE TEST,ST=Paris (75),C=FR"
    );
    assert_eq!(
        leaf.issuer_dn(),
        "CN=SEGUR TEST AC IGC-SANTE FAKE,O=SEGUR TEST AC,C=FR"
    );
    // Multi-valued RDN (its values in the order OpenSSL prints them: reversed DER order), UTF-8
    // and escaping. Expected strings as printed by
    // `openssl x509 -noout -subject -nameopt RFC2253,-esc_msb` (keywords) and, for the strict
    // form, GN/SN as `OID=#` + DER (UTF8String, tag 0x0c) like Java and the CNAM samples.
    let cps = cert("pki/cps.pem");
    assert_eq!(
        cps.subject_dn_with(DnStyle::Rfc2253Keywords),
        "CN=899900038839+GN=ADEMIS+SN=TRAL,OU=Médecin,O=TEST\\, \\\"SANTE\\\",C=FR"
    );
    assert_eq!(
        cps.subject_dn(),
        "CN=899900038839+2.5.4.42=#0c064144454d4953+2.5.4.4=#0c045452414c,OU=Médecin,O=TEST\\, \\\"SANTE\\\",C=FR"
    );
}

#[test]
fn facts_and_health_identifiers() {
    let leaf = cert("pki/leaf-rsa.pem");
    let ku = leaf.key_usage().expect("key usage");
    assert!(ku.digital_signature && ku.non_repudiation && !ku.key_cert_sign);
    assert!(!leaf.is_ca() && common::ca()[0].is_ca());
    assert!(leaf.is_valid_at(common::now()));
    assert!(leaf.not_before() < leaf.not_after());
    assert_eq!(
        leaf.health_identifiers(),
        vec![HealthIdentifier::RppsRank {
            rpps: "99900063480".into(),
            rank: "001".into()
        }]
    );
    assert_eq!(
        cert("pki/leaf-ec.pem").health_identifiers(),
        vec![HealthIdentifier::Finess("0B0127189".into())]
    );
    let cps = cert("pki/cps.pem").health_identifiers();
    assert_eq!(cps, vec![HealthIdentifier::Rpps("99900038839".into())]);
    assert_eq!(cps[0].national_id(), "899900038839");
}
