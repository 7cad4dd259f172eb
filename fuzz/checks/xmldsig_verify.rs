//! The signature verifier of segur-xmldsig on arbitrary input, run by the `fuzz_xmldsig_verify`
//! target and by the corpus replay test of segur-xmldsig.

use segur_xmldsig::{ElementSelector, IdAttribute, TrustPolicy, Verifier};

/// Verifies `data` (with the embedded certificate, SHA-1 allowed, so that as much of the
/// verifier as possible runs); any outcome but a panic is fine, and success implies the
/// returned range designates the element within the input.
pub(crate) fn check(data: &[u8]) {
    let verifier = Verifier::with_policy(
        IdAttribute::new("ID"),
        TrustPolicy::InsecureEmbeddedCertificate,
    )
    .allow_sha1(true);
    for selector in [
        ElementSelector::Id("_a".into()),
        ElementSelector::path([("urn:oasis:names:tc:SAML:2.0:assertion", "Assertion")]),
    ] {
        if let Ok(v) = verifier.verify(data, &selector) {
            assert_eq!(data.get(v.range.clone()), Some(v.bytes.as_slice()));
        }
    }
}
