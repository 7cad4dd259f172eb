#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/soap_envelope.rs"]
mod soap_envelope;

fuzz_target!(|data: &[u8]| soap_envelope::check(data));
