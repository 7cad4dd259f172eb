#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/mssante_xdm.rs"]
mod mssante_xdm;

fuzz_target!(|data: &[u8]| mssante_xdm::check(data));
