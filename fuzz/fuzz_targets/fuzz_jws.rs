#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/psc_jws.rs"]
mod psc_jws;

fuzz_target!(|data: &[u8]| psc_jws::check(data));
