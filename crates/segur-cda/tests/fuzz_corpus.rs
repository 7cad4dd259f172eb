//! Replays the committed `fuzz_cda_parse` corpus on the stable toolchain, through the same
//! checks the fuzz target runs (`fuzz/checks/cda_parse.rs`).

#[path = "../../../fuzz/checks/cda_parse.rs"]
mod cda_parse;

#[test]
fn fuzz_cda_parse_corpus() {
    let dir = format!(
        "{}/../../fuzz/corpus/fuzz_cda_parse",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir}: {e}")) {
        let path = entry.unwrap().path();
        cda_parse::check(&std::fs::read(&path).unwrap());
        count += 1;
    }
    assert!(count >= 10, "{dir} holds only {count} inputs");
}
