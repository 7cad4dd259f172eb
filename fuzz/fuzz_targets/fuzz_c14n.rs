#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/xmldsig_c14n.rs"]
mod xmldsig_c14n;

fuzz_target!(|data: &[u8]| xmldsig_c14n::check(data));
