//! Replays the committed fuzz corpora of segur-xds on the stable toolchain, through the same
//! checks the fuzz targets run (`fuzz/checks/xds_*.rs`).

#[path = "../../../fuzz/checks/xds_ebrim.rs"]
mod xds_ebrim;
#[path = "../../../fuzz/checks/xds_registry_response.rs"]
mod xds_registry_response;

#[path = "../../../fuzz/checks/replay.rs"]
mod replay;
use replay::replay;

#[test]
fn fuzz_ebrim_corpus() {
    replay("fuzz_ebrim", 10, xds_ebrim::check);
}

#[test]
fn fuzz_registry_response_corpus() {
    replay("fuzz_registry_response", 10, xds_registry_response::check);
}
