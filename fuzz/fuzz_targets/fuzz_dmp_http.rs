#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/dmp_http.rs"]
mod dmp_http;

fuzz_target!(|data: &[u8]| dmp_http::check(data));
