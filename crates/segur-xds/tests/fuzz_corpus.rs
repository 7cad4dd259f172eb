//! Replays the committed fuzz corpora of segur-xds on the stable toolchain, through the same
//! checks the fuzz targets run (`fuzz/checks/xds_*.rs`).

#[path = "../../../fuzz/checks/xds_ebrim.rs"]
mod xds_ebrim;
#[path = "../../../fuzz/checks/xds_registry_response.rs"]
mod xds_registry_response;

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
fn fuzz_ebrim_corpus() {
    replay("fuzz_ebrim", xds_ebrim::check);
}

#[test]
fn fuzz_registry_response_corpus() {
    replay("fuzz_registry_response", xds_registry_response::check);
}
