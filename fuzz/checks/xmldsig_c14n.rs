//! Properties of segur-xmldsig's canonicalisation, checked on every input by the `fuzz_c14n`
//! target and by the corpus replay test of segur-xmldsig (`crates/segur-xmldsig/tests/fuzz_corpus.rs`).

use segur_xmldsig::Canonicalization;

/// Canonicalises `data` in the four variants (and with a prefix list); whatever is accepted must
/// be a fixed point: canonicalising the canonical form again gives the same bytes.
pub(crate) fn check(data: &[u8]) {
    for c14n in [
        Canonicalization::exclusive(),
        Canonicalization::exclusive().with_comments(true),
        Canonicalization::exclusive().inclusive_prefixes(["a", "#default"]),
        Canonicalization::inclusive(),
        Canonicalization::inclusive().with_comments(true),
    ] {
        if let Ok(once) = c14n.canonicalize(data) {
            let twice = c14n
                .canonicalize(&once)
                .expect("the canonical form of an accepted document is accepted");
            assert_eq!(once, twice, "canonicalisation is not idempotent");
        }
    }
}
