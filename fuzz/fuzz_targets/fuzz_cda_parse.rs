#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/cda_parse.rs"]
mod cda_parse;

fuzz_target!(|data: &[u8]| cda_parse::check(data));
