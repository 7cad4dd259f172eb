#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/mssante_mail.rs"]
mod mssante_mail;

fuzz_target!(|data: &[u8]| mssante_mail::check(data));
