#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/ins_datamatrix.rs"]
mod ins_datamatrix;

fuzz_target!(|data: &[u8]| ins_datamatrix::check(data));
