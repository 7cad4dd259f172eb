#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/xades_verify.rs"]
mod xades_verify;

fuzz_target!(|data: &[u8]| xades_verify::check(data));
