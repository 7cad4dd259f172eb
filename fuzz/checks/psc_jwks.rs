//! Properties of the JWKS parser of segur-psc, checked on every input by the `fuzz_jwks` target
//! and by the corpus replay test of segur-psc (`crates/segur-psc/tests/fuzz_corpus.rs`).

use segur_psc::Jwks;
use segur_psc::jose::Algorithm;
use segur_psc::jwk::{MAX_JWKS_KEYS, MAX_JWKS_LEN};

/// Parses `data` as a JWKS; on success checks the bounds, that usable keys are RSA or EC with
/// unique key ids, that every key is either usable or listed as skipped, and that candidate
/// selection for every algorithm and kid returns without panicking.
pub(crate) fn check(data: &[u8]) {
    let Ok(jwks) = Jwks::parse(data) else {
        return;
    };
    assert!(data.len() <= MAX_JWKS_LEN);
    let total = jwks.keys().len() + jwks.skipped().len();
    assert!(total <= MAX_JWKS_KEYS);
    let mut kids = Vec::new();
    for key in jwks.keys() {
        assert!(matches!(key.kty(), "RSA" | "EC"), "{}", key.kty());
        assert!(!key.supports(Algorithm::Hs256), "a JWKS key verifies HS256");
        if let Some(kid) = key.kid() {
            assert!(!kids.contains(&kid), "duplicate kid kept");
            kids.push(kid);
        }
    }
    for s in jwks.skipped() {
        assert!(s.index < total);
    }
    for alg in Algorithm::ALL {
        let _ = jwks.candidates(None, alg);
        for kid in &kids {
            if let Ok(found) = jwks.candidates(Some(kid), alg) {
                assert!(
                    found
                        .iter()
                        .all(|k| k.supports(alg) && k.kid() == Some(kid))
                );
            }
        }
    }
}
