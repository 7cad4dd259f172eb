//! Properties of the registry response readers of segur-xds (`rs:RegistryResponse`,
//! `query:AdhocQueryResponse`), checked on every input by the `fuzz_registry_response` target
//! and by the corpus replay test of segur-xds (`crates/segur-xds/tests/fuzz_corpus.rs`).

use segur_xds::{AdhocQueryResponse, ReadLimits, RegistryResponse};

/// Whatever is accepted must be written back to XML that reads as the same value; errors must
/// render without panicking.
pub(crate) fn check(data: &[u8]) {
    let tight = ReadLimits::default()
        .with_max_depth(8)
        .with_max_elements(64);
    for limits in [ReadLimits::default(), tight] {
        match RegistryResponse::from_xml_with_limits(data, &limits) {
            Ok(r) => assert_eq!(RegistryResponse::from_xml(r.to_xml().as_bytes()), Ok(r)),
            Err(e) => drop(e.to_string()),
        }
        match AdhocQueryResponse::from_xml_with_limits(data, &limits) {
            Ok(r) => assert_eq!(AdhocQueryResponse::from_xml(r.to_xml().as_bytes()), Ok(r)),
            Err(e) => drop(e.to_string()),
        }
    }
}
