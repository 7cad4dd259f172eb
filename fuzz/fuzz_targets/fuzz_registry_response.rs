#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/xds_registry_response.rs"]
mod xds_registry_response;

fuzz_target!(|data: &[u8]| xds_registry_response::check(data));
