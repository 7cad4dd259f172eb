//! Shared by the crates' `tests/fuzz_corpus.rs`: replays a committed fuzz corpus on the stable
//! toolchain through the same check the fuzz target runs.

/// Runs `check` on every file of `fuzz/corpus/<target>` and asserts the corpus holds at least
/// `min_inputs` files (a corpus that silently emptied would make the replay meaningless).
pub(crate) fn replay(target: &str, min_inputs: usize, check: fn(&[u8])) {
    let dir = format!("{}/../../fuzz/corpus/{target}", env!("CARGO_MANIFEST_DIR"));
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir}: {e}")) {
        let path = entry.unwrap().path();
        check(&std::fs::read(&path).unwrap());
        count += 1;
    }
    assert!(count >= min_inputs, "{dir} holds only {count} inputs");
}
