#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/psc_jwks.rs"]
mod psc_jwks;

fuzz_target!(|data: &[u8]| psc_jwks::check(data));
