//! Replays the committed fuzz corpora of segur-psc on the stable toolchain, through the same
//! checks the fuzz targets run (`fuzz/checks/psc_*.rs`).

#[path = "../../../fuzz/checks/psc_jwks.rs"]
mod psc_jwks;
#[path = "../../../fuzz/checks/psc_jws.rs"]
mod psc_jws;

#[path = "../../../fuzz/checks/replay.rs"]
mod replay;
use replay::replay;

#[test]
fn fuzz_jws_corpus() {
    replay("fuzz_jws", 10, psc_jws::check);
}

#[test]
fn fuzz_jwks_corpus() {
    replay("fuzz_jwks", 10, psc_jwks::check);
}
