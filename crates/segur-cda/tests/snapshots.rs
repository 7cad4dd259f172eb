//! The exact bytes of the sample documents, pinned (review changes with `cargo insta review`).

use segur_cda::build::samples;
use segur_cda::write::Style;

#[test]
fn n1_letter_pretty() {
    let doc = samples::n1_letter().build().expect("sample builds");
    insta::assert_snapshot!(doc.to_xml(Style::Pretty));
}

#[test]
fn ldl_ses_pretty() {
    let doc = samples::ldl_ses().build().expect("sample builds");
    insta::assert_snapshot!(doc.to_xml(Style::Pretty));
}

#[test]
fn ldl_ses_compact() {
    let doc = samples::ldl_ses().build().expect("sample builds");
    insta::assert_snapshot!(doc.to_xml(Style::Compact));
}

#[test]
fn bio_cr_bio_pretty() {
    let doc = samples::bio_report().build().expect("sample builds");
    insta::assert_snapshot!(doc.to_xml(Style::Pretty));
}
