#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/dmp_response.rs"]
mod dmp_response;

fuzz_target!(|data: &[u8]| dmp_response::check(data));
