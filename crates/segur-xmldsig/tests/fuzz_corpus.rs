//! Replays the committed fuzz corpora (`fuzz/corpus/fuzz_c14n`, `fuzz/corpus/fuzz_xmldsig_verify`,
//! `fuzz/corpus/fuzz_xades_verify`) through the same checks the fuzz targets run
//! (`fuzz/checks/xmldsig_*.rs`, `fuzz/checks/xades_verify.rs`), on the stable toolchain.

#[path = "../../../fuzz/checks/xades_verify.rs"]
mod xades_verify;
#[path = "../../../fuzz/checks/xmldsig_c14n.rs"]
mod xmldsig_c14n;
#[path = "../../../fuzz/checks/xmldsig_verify.rs"]
mod xmldsig_verify;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("corpus entry").path();
        check(&std::fs::read(&path).expect("corpus file"));
        n += 1;
    }
    assert!(n > 0, "empty corpus {}", dir.display());
}

#[test]
fn c14n_corpus() {
    replay("fuzz_c14n", xmldsig_c14n::check);
}

#[test]
fn verify_corpus() {
    replay("fuzz_xmldsig_verify", xmldsig_verify::check);
}

#[test]
fn xades_verify_corpus() {
    replay("fuzz_xades_verify", xades_verify::check);
}
