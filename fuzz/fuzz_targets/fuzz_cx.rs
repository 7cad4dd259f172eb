#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/ins_cx.rs"]
mod ins_cx;

fuzz_target!(|data: &[u8]| ins_cx::check(data));
