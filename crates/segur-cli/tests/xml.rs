//! `segur xml c14n`, run as a user would, compared with `xmllint` (libxml2-utils).

use std::process::{Command, Output};

const DOC: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../segur-xmldsig/tests/data/c14n/soap-vihf.xml"
);

fn run(program: &str, args: &[&str]) -> Output {
    Command::new(program).args(args).output().unwrap_or_else(|e| {
        panic!("`{program}` could not be run ({e}); xmllint comes from apt-get install libxml2-utils")
    })
}

fn segur(args: &[&str]) -> Output {
    run(env!("CARGO_BIN_EXE_segur"), args)
}

#[test]
fn c14n_matches_xmllint() {
    for (ours, theirs) in [
        (
            vec!["xml", "c14n", "--with-comments", DOC],
            vec!["--c14n", DOC],
        ),
        (
            vec!["xml", "c14n", "--exclusive", "--with-comments", DOC],
            vec!["--exc-c14n", DOC],
        ),
    ] {
        let a = segur(&ours);
        assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
        let b = run("xmllint", &theirs);
        assert!(b.status.success());
        assert_eq!(
            String::from_utf8_lossy(&a.stdout),
            String::from_utf8_lossy(&b.stdout)
        );
    }
}

#[test]
fn c14n_prefix_list_and_errors() {
    let plain = segur(&["xml", "c14n", "--exclusive", DOC]);
    let listed = segur(&["xml", "c14n", "--exclusive", "--prefixes", "xs wsa", DOC]);
    assert!(plain.status.success() && listed.status.success());
    let plain = String::from_utf8(plain.stdout).expect("utf-8");
    let listed = String::from_utf8(listed.stdout).expect("utf-8");
    // `xs` is only used inside attribute values: declared only when listed.
    assert!(!plain.contains("xmlns:xs="));
    assert!(listed.contains("xmlns:xs=\"http://www.w3.org/2001/XMLSchema\""));

    let dtd = std::env::temp_dir().join(format!("segur-xml-c14n-dtd-{}.xml", std::process::id()));
    std::fs::write(&dtd, "<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>").expect("write");
    let refused = segur(&["xml", "c14n", dtd.to_str().expect("path")]);
    assert!(!refused.status.success());
    std::fs::remove_file(&dtd).expect("cleanup");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("DTD"));
    let missing = segur(&["xml", "c14n", "/nonexistent.xml"]);
    assert!(!missing.status.success());
}
