//! Canonicalisation compared byte for byte with libxml2 (`xmllint --c14n` / `--exc-c14n`, which
//! keep comments), on the tricky documents of `tests/data/c14n/` and on every XML sample of the
//! shared corpus that segur accepts (UTF-8, no DTD).

mod common;

use std::path::Path;

use segur_xmldsig::{Canonicalization, Error};

fn compare(path: &Path) -> bool {
    let input = std::fs::read(path).expect("read");
    let file = path.to_str().expect("utf-8 path");
    let mut accepted = false;
    for (flag, c14n) in [
        ("--exc-c14n", Canonicalization::exclusive()),
        ("--c14n", Canonicalization::inclusive()),
    ] {
        let ours = match c14n.with_comments(true).canonicalize(&input) {
            Ok(o) => o,
            Err(Error::UnsupportedEncoding { .. } | Error::DtdRejected { .. }) => return false,
            Err(e) => {
                // Not XML at all (e.g. a MIME multipart sample): libxml2 must refuse it too.
                let out = common::run("xmllint", &["--noout", file]);
                assert!(
                    !out.status.success(),
                    "{file}: segur refused a document libxml2 accepts: {e}"
                );
                return false;
            }
        };
        let out = common::run("xmllint", &[flag, file]);
        assert!(out.status.success(), "xmllint {flag} {file} failed");
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&out.stdout),
            "{flag} differs on {file}"
        );
        accepted = true;
    }
    accepted
}

#[test]
fn tricky_documents_match_libxml2() {
    let dir = common::data("c14n");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/data/c14n") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "xml") {
            assert!(compare(&path), "{} was refused", path.display());
            n += 1;
        }
    }
    assert!(n >= 10, "only {n} documents");
}

#[test]
fn corpus_samples_match_libxml2() {
    let mut stack = vec![common::samples()];
    let (mut compared, mut refused) = (0, 0);
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| {
            panic!(
                "{} (../shared must be beside the checkout): {e}",
                dir.display()
            )
        }) {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "xml") {
                if compare(&path) {
                    compared += 1;
                } else {
                    refused += 1;
                }
            }
        }
    }
    // Some CNAM samples are Latin-1: those are refused with a typed error, the rest must match.
    assert!(compared >= 40, "compared {compared}, refused {refused}");
}

#[test]
fn comments_are_dropped_without_comments() {
    let input = common::read("c14n/comments-pi.xml");
    let out = Canonicalization::exclusive()
        .canonicalize(&input)
        .expect("c14n");
    let text = String::from_utf8(out).expect("utf-8");
    assert!(!text.contains("<!--"), "{text}");
    assert!(text.contains("<?pi data  with  spaces ?>"), "{text}");
}
