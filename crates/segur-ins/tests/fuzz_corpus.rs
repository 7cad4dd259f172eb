//! Replays the committed fuzz corpora of segur-ins on the stable toolchain, through the same
//! checks the fuzz targets run (`fuzz/checks/*.rs`).

#[path = "../../../fuzz/checks/ins_cx.rs"]
mod ins_cx;
#[path = "../../../fuzz/checks/ins_datamatrix.rs"]
mod ins_datamatrix;
#[path = "../../../fuzz/checks/ins_matricule.rs"]
mod ins_matricule;

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
fn fuzz_matricule_corpus() {
    replay("fuzz_matricule", ins_matricule::check);
}

#[test]
fn fuzz_cx_corpus() {
    replay("fuzz_cx", ins_cx::check);
}

#[test]
fn fuzz_datamatrix_corpus() {
    replay("fuzz_datamatrix", ins_datamatrix::check);
}
