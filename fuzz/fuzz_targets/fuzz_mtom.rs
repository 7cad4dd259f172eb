#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/soap_mtom.rs"]
mod soap_mtom;

fuzz_target!(|data: &[u8]| soap_mtom::check(data));
