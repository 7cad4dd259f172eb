#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/xds_ebrim.rs"]
mod xds_ebrim;

fuzz_target!(|data: &[u8]| xds_ebrim::check(data));
