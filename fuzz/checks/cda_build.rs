//! Properties of the CDA builder and serialiser, checked on every input by the `fuzz_cda_build`
//! target and by the corpus replay test of segur-cda (`crates/segur-cda/tests/fuzz_build.rs`).

use segur_cda::build::DocumentDescription;
use segur_cda::write::Style;
use segur_cda::{Document, parse};

/// Written documents are well-formed for an independent parser (roxmltree), parse back to the
/// same model, in both layouts, and writing is deterministic.
fn assert_writes_back(doc: &Document<'_>) {
    for style in [Style::Compact, Style::Pretty] {
        let xml = doc.to_xml(style);
        assert_eq!(doc.to_xml(style), xml, "writing is not deterministic");
        assert_well_formed(&xml);
        let back = parse(xml.as_bytes())
            .unwrap_or_else(|e| panic!("written document does not parse: {e}\n{xml}"));
        assert!(
            &back == doc,
            "{style:?}: the written document parses to another model\n{xml}"
        );
    }
}

/// `data` as a JSON description: builds (files cannot be read here) and, when the builder
/// accepts it, the document is valid for `Document::validate` (no error finding) and writes
/// back. `data` as a CDA document: when it parses, it writes back to the same model.
pub(crate) fn check(data: &[u8]) {
    if let Ok(description) = serde_json::from_slice::<DocumentDescription>(data) {
        let built = description
            .to_builder(&mut |_| Err("no files while fuzzing".into()))
            .and_then(|b| b.build());
        match built {
            Ok(doc) => {
                let report = doc.validate();
                assert!(
                    report.errors().next().is_none(),
                    "built document has errors: {:?}",
                    report.findings
                );
                assert_writes_back(&doc);
            }
            Err(e) => assert!(!e.problems.is_empty() && !e.to_string().is_empty()),
        }
    }
    if let Ok(doc) = parse(data) {
        let mut doc = doc.into_owned();
        // the writer emits a bare ClinicalDocument, never a wrapper
        doc.wrapper = None;
        if holds_forbidden_chars(data) {
            // the parser does not search base64 payloads for characters XML forbids (the decoder
            // refuses them), and the writer must replace them: the document is written, and the
            // result parses, but it is not the same model
            for style in [Style::Compact, Style::Pretty] {
                let xml = doc.to_xml(style);
                assert_well_formed(&xml);
                assert!(
                    parse(xml.as_bytes()).is_ok(),
                    "written document does not parse\n{xml}"
                );
            }
        } else {
            assert_writes_back(&doc);
        }
    }
}

/// A written document is well-formed for an independent parser.
fn assert_well_formed(xml: &str) {
    if let Err(e) = roxmltree::Document::parse(xml) {
        panic!("roxmltree finds the written document malformed: {e}\n{xml}");
    }
}

/// Whether the input holds a character XML forbids: a C0 control other than tab, line feed and
/// carriage return (the same bytes in UTF-8, ISO-8859-1 and windows-1252), U+FFFE or U+FFFF.
fn holds_forbidden_chars(data: &[u8]) -> bool {
    data.iter()
        .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
        || data
            .windows(3)
            .any(|w| matches!(w, [0xEF, 0xBF, 0xBE | 0xBF]))
}
