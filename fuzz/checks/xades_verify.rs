//! The XAdES signature-document verifier of segur-xmldsig (the DMP's TD2.1 signature
//! document) on arbitrary input, run by the `fuzz_xades_verify` target and by the corpus replay
//! test of segur-xmldsig.

use segur_xmldsig::TrustPolicy;
use segur_xmldsig::xades::XadesVerifier;

/// Verifies `data` with the embedded certificate (so that as much of the verifier as possible
/// runs); any outcome but a panic is fine. On success the manifest is checked against `data`
/// itself as every document: it must give an error or succeed, never panic.
pub(crate) fn check(data: &[u8]) {
    let verifier = XadesVerifier::new(TrustPolicy::InsecureEmbeddedCertificate);
    if let Ok(verified) = verifier.verify(data) {
        let ids: Vec<&str> = verified
            .manifest
            .iter()
            .filter_map(|r| r.unique_id())
            .collect();
        if let Some((set, docs)) = ids.split_first() {
            let docs: Vec<(&str, &[u8])> = docs.iter().map(|id| (*id, data)).collect();
            let _ = verified.verify_documents(set, &docs);
        }
        for reference in &verified.manifest {
            let _ = reference.check(data);
        }
    }
}
