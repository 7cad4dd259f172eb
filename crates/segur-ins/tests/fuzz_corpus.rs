//! Replays the committed fuzz corpora of segur-ins on the stable toolchain, through the same
//! checks the fuzz targets run (`fuzz/checks/*.rs`).

#[path = "../../../fuzz/checks/ins_cx.rs"]
mod ins_cx;
#[path = "../../../fuzz/checks/ins_datamatrix.rs"]
mod ins_datamatrix;
#[path = "../../../fuzz/checks/ins_matricule.rs"]
mod ins_matricule;

#[path = "../../../fuzz/checks/replay.rs"]
mod replay;
use replay::replay;

#[test]
fn fuzz_matricule_corpus() {
    replay("fuzz_matricule", 10, ins_matricule::check);
}

#[test]
fn fuzz_cx_corpus() {
    replay("fuzz_cx", 10, ins_cx::check);
}

#[test]
fn fuzz_datamatrix_corpus() {
    replay("fuzz_datamatrix", 10, ins_datamatrix::check);
}
