//! Differential test: every `inspect` field of every corpus document (and of the test data
//! documents) equals what an independent lxml + XPath extraction finds
//! (`tests/oracle/inspect_lxml.py`). Needs python3 with lxml (installed by `.ci/run`).

use std::path::PathBuf;
use std::process::Command;

fn files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/corpus/cda/examples/TestContenuCDA-3-0"
        ),
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/valid"),
    ] {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("missing {dir}: {e}"));
        files.extend(
            entries
                .map(|e| e.expect("readable directory").path())
                .filter(|p| p.extension().is_some_and(|x| x == "xml")),
        );
    }
    files.sort();
    assert!(
        files.len() >= 94,
        "expected the ANS corpus, found {} files",
        files.len()
    );
    files
}

#[test]
fn inspect_fields_match_lxml_xpath() {
    let files = files();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oracle/inspect_lxml.py");
    let out = Command::new("python3")
        .arg(script)
        .args(&files)
        .output()
        .unwrap_or_else(|e| panic!("python3 is required for the lxml differential test: {e}"));
    assert!(
        out.status.success(),
        "the lxml oracle failed (python3 with lxml is required: python3 -m pip install lxml):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 oracle output");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), files.len(), "one oracle line per file");
    let mut checked_fields = 0;
    // one parser for every file, as `segur cda inspect` reads them: each index is written into
    // the buffers of the one before
    let mut parser = segur_cda::flat::Parser::new();
    for (path, line) in files.iter().zip(lines) {
        let expected: serde_json::Value = serde_json::from_str(line).expect("oracle JSON");
        let bytes = std::fs::read(path).expect("readable file");
        let doc = parser
            .parse(&bytes)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let file = path.to_str().expect("UTF-8 path");
        let got: serde_json::Value =
            serde_json::from_str(&segur_cda::Summary::of(&doc).to_json(file)).expect("our JSON");
        parser.recycle(doc);
        let (exp, got) = (expected.as_object().unwrap(), got.as_object().unwrap());
        assert_eq!(exp.keys().collect::<Vec<_>>().len(), 17);
        for (key, value) in exp {
            assert_eq!(got.get(key), Some(value), "{file}: field {key}");
            checked_fields += 1;
        }
        assert_eq!(exp.len(), got.len(), "{file}: same keys");
    }
    assert_eq!(checked_fields, files.len() * 17);
}
