#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/cda_build.rs"]
mod cda_build;

fuzz_target!(|data: &[u8]| cda_build::check(data));
