//! `Document::validate` on the ANS example corpus: the findings are pinned. They are genuine
//! defects of the official samples that the ANS schematrons do not see (wrong INS keys, an RPPS
//! written without its `8` prefix, a replacing document at version 1, ...).

use std::fmt::Write;

#[test]
fn corpus_findings() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/cda/examples/TestContenuCDA-3-0"
    );
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("corpus missing at {dir}: {e}"))
        .map(|e| e.expect("dir entry").path())
        .collect();
    files.sort();
    let mut report = String::new();
    for path in &files {
        let bytes = std::fs::read(path).expect("read example");
        let doc = segur_cda::parse(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for f in doc.validate().findings {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            writeln!(report, "{name}: {f}").expect("write to string");
        }
    }
    assert!(files.len() >= 90);
    insta::assert_snapshot!(report);
}
