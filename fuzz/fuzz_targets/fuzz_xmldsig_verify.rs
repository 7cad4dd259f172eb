#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/xmldsig_verify.rs"]
mod xmldsig_verify;

fuzz_target!(|data: &[u8]| xmldsig_verify::check(data));
