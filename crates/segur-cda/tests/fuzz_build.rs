//! Replays the committed `fuzz_cda_build` corpus on the stable toolchain, through the same
//! checks the fuzz target runs (`fuzz/checks/cda_build.rs`): JSON descriptions build, and every
//! built or parsed document writes back to the same model.

#[path = "../../../fuzz/checks/cda_build.rs"]
mod cda_build;

#[test]
fn fuzz_cda_build_corpus() {
    let dir = format!(
        "{}/../../fuzz/corpus/fuzz_cda_build",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir}: {e}")) {
        let path = entry.expect("dir entry").path();
        cda_build::check(&std::fs::read(&path).expect("read input"));
        count += 1;
    }
    assert!(count >= 8, "{dir} holds only {count} inputs");
}
