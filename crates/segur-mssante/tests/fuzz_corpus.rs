//! Replays the committed `fuzz_xdm` and `fuzz_mail` corpora on the stable toolchain, through
//! the same checks the fuzz targets run (`fuzz/checks/mssante_*.rs`).

#[path = "../../../fuzz/checks/mssante_xdm.rs"]
mod mssante_xdm;

#[path = "../../../fuzz/checks/mssante_mail.rs"]
mod mssante_mail;

#[path = "../../../fuzz/checks/replay.rs"]
mod replay;
use replay::replay;

#[test]
fn fuzz_xdm_corpus() {
    replay("fuzz_xdm", 7, mssante_xdm::check);
}

#[test]
fn fuzz_mail_corpus() {
    replay("fuzz_mail", 7, mssante_mail::check);
}
