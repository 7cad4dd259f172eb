//! build → serialise → parse gives back the same model, for generated documents and the samples,
//! in both layouts; and parse → serialise → parse is stable on the ANS example corpus.

mod common;

use proptest::prelude::*;
use segur_cda::build::samples;
use segur_cda::write::Style;
use segur_cda::{Document, parse};

fn assert_round_trip(doc: &Document<'static>) {
    for style in [Style::Compact, Style::Pretty] {
        let xml = doc.to_xml(style);
        let back = parse(xml.as_bytes()).unwrap_or_else(|e| panic!("{style:?}: {e}\n{xml}"));
        assert_eq!(
            &back.into_owned(),
            doc,
            "{style:?} layout changes the model"
        );
        // the output is deterministic
        assert_eq!(doc.to_xml(style), xml);
    }
}

#[test]
fn samples_round_trip() {
    for builder in [
        samples::n1_letter(),
        samples::ldl_ses(),
        samples::bio_report(),
        common::full_header(),
    ] {
        assert_round_trip(&builder.build().expect("sample builds"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn generated_documents_round_trip(builder in common::n1_document()) {
        let doc = builder.build().expect("generated documents are valid input");
        assert_round_trip(&doc);
    }

    #[test]
    fn generated_ldl_ses_round_trip(builder in common::ldl_document()) {
        assert_round_trip(&builder.build().expect("valid"));
    }

    #[test]
    fn generated_bio_reports_round_trip(builder in common::bio_document()) {
        assert_round_trip(&builder.build().expect("valid"));
    }

    #[test]
    fn free_text_survives(title in common::free_text(), reason in common::free_text()) {
        let mut b = samples::ldl_ses();
        b.title = Some(title);
        if let Some(segur_cda::build::BodyContent::Structured(n3)) = b.body.as_mut() {
            n3.sections[1].paragraphs = vec![reason];
        }
        assert_round_trip(&b.build().expect("valid"));
    }
}

/// Every example of the ANS corpus, parsed, written and parsed again, gives the same model.
#[test]
fn corpus_rewrites_to_the_same_model() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/cda/examples/TestContenuCDA-3-0"
    );
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("corpus missing at {dir}: {e}"));
    let mut count = 0;
    for entry in entries {
        let path = entry.expect("dir entry").path();
        let bytes = std::fs::read(&path).expect("read example");
        let mut doc = parse(&bytes)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .into_owned();
        // the writer emits a bare ClinicalDocument, never the auto-présentable wrapper
        doc.wrapper = None;
        for style in [Style::Compact, Style::Pretty] {
            let xml = doc.to_xml(style);
            let back = parse(xml.as_bytes())
                .unwrap_or_else(|e| panic!("{} {style:?}: {e}", path.display()));
            assert!(
                back.into_owned() == doc,
                "{} {style:?}: the rewritten document differs",
                path.display()
            );
        }
        count += 1;
    }
    assert!(count >= 90, "only {count} examples found in {dir}");
}
