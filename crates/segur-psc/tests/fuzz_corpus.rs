//! Replays the committed fuzz corpora of segur-psc on the stable toolchain, through the same
//! checks the fuzz targets run (`fuzz/checks/psc_*.rs`).

#[path = "../../../fuzz/checks/psc_jwks.rs"]
mod psc_jwks;
#[path = "../../../fuzz/checks/psc_jws.rs"]
mod psc_jws;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = format!("{}/../../fuzz/corpus/{target}", env!("CARGO_MANIFEST_DIR"));
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir}: {e}")) {
        let path = entry.unwrap().path();
        check(&std::fs::read(&path).unwrap());
        count += 1;
    }
    assert!(count >= 10, "{dir} holds only {count} inputs");
}

#[test]
fn fuzz_jws_corpus() {
    replay("fuzz_jws", psc_jws::check);
}

#[test]
fn fuzz_jwks_corpus() {
    replay("fuzz_jwks", psc_jwks::check);
}
