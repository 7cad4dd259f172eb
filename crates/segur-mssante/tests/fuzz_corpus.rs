//! Replays the committed `fuzz_xdm` and `fuzz_mail` corpora on the stable toolchain, through
//! the same checks the fuzz targets run (`fuzz/checks/mssante_*.rs`).

#[path = "../../../fuzz/checks/mssante_xdm.rs"]
mod mssante_xdm;

#[path = "../../../fuzz/checks/mssante_mail.rs"]
mod mssante_mail;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = format!("{}/../../fuzz/corpus/{target}", env!("CARGO_MANIFEST_DIR"));
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir}: {e}")) {
        let path = entry.unwrap().path();
        check(&std::fs::read(&path).unwrap());
        count += 1;
    }
    assert!(count >= 7, "{dir} holds only {count} inputs");
}

#[test]
fn fuzz_xdm_corpus() {
    replay("fuzz_xdm", mssante_xdm::check);
}

#[test]
fn fuzz_mail_corpus() {
    replay("fuzz_mail", mssante_mail::check);
}
