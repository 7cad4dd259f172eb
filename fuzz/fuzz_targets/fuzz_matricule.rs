#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/ins_matricule.rs"]
mod ins_matricule;

fuzz_target!(|data: &[u8]| ins_matricule::check(data));
