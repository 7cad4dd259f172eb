//! Properties of the CDA parser, checked on every input by the `fuzz_cda_parse` target and by
//! the corpus replay test of segur-cda (`crates/segur-cda/tests/fuzz_corpus.rs`).

use segur_cda::{Body, Limits, Summary, parse, parse_with};

/// Parses `data`; checks that errors are located (line and column from 1, a message), that a
/// parsed document survives `into_owned` unchanged and summarises, that N1 payload decoding
/// never panics, that parsing is deterministic, and that tight limits only turn success into
/// errors, never into a panic.
pub(crate) fn check(data: &[u8]) {
    let first = parse(data);
    match &first {
        Err(e) => {
            assert!(e.line >= 1 && e.column >= 1, "unlocated error {e:?}");
            assert!(!e.to_string().is_empty());
        }
        Ok(doc) => {
            assert_eq!(
                &doc.clone().into_owned(),
                doc,
                "into_owned changes the document"
            );
            let json = Summary::of(doc).to_json("f");
            assert!(json.starts_with("{\"file\":\"f\"") && json.ends_with('}'));
            if let Some(Body::NonXml(b)) = &doc.body {
                let _ = b.text.decode();
            }
            for s in doc.all_sections() {
                let _ = s.statements();
            }
        }
    }
    assert_eq!(parse(data), first, "parsing is not deterministic");
    let tight = Limits::new()
        .max_depth(8)
        .max_attributes(4)
        .max_text_len(64)
        .max_elements(64);
    if let Ok(doc) = parse_with(data, &tight) {
        assert_eq!(
            Ok(&doc),
            first.as_ref(),
            "tight limits change a successful parse"
        );
    }
}
