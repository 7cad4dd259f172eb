//! Properties of the CDA parser, checked on every input by the `fuzz_cda_parse` target and by
//! the corpus replay test of segur-cda (`crates/segur-cda/tests/fuzz_corpus.rs`).

use segur_cda::{Body, Limits, Summary, parse, parse_with};

/// Parses `data`; checks that errors are located (line and column from 1, a message), that a
/// parsed document is well-formed for an independent parser, survives `into_owned` unchanged
/// and summarises, that N1 payload decoding never panics, that parsing is deterministic, and
/// that tight limits only turn success into errors, never into a panic.
pub(crate) fn check(data: &[u8]) {
    let first = parse(data);
    match &first {
        Err(e) => {
            assert!(e.line >= 1 && e.column >= 1, "unlocated error {e:?}");
            assert!(!e.to_string().is_empty());
        }
        Ok(doc) => {
            assert_well_formed(data);
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

/// A document the parser accepts is namespace-well-formed for roxmltree too. Not compared:
/// input that is not UTF-8 (the parser transcodes ISO-8859-1 and windows-1252), and, in
/// documents with base64 content, characters XML forbids and `]]>`: by design the parser leaves
/// base64 payloads unsearched (their decoder refuses any byte outside its alphabet).
fn assert_well_formed(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match roxmltree::Document::parse(text) {
        Ok(_) => {}
        Err(roxmltree::Error::NonXmlChar(..) | roxmltree::Error::InvalidCharacterData(..))
            if text.contains("B64") => {}
        Err(e) => panic!("accepted, but roxmltree finds it malformed: {e}"),
    }
}
