//! Properties of the CDA builder and serialiser, checked on every input by the `fuzz_cda_build`
//! target and by the corpus replay test of segur-cda (`crates/segur-cda/tests/fuzz_build.rs`).

use segur_cda::build::DocumentDescription;
use segur_cda::write::Style;
use segur_cda::{Document, parse};

/// Written documents parse back to the same model, in both layouts, and writing is
/// deterministic.
fn assert_writes_back(doc: &Document<'_>) {
    for style in [Style::Compact, Style::Pretty] {
        let xml = doc.to_xml(style);
        assert_eq!(doc.to_xml(style), xml, "writing is not deterministic");
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
        assert_writes_back(&doc);
    }
}
