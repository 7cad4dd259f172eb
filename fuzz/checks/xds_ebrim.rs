//! Properties of the ebRIM readers of segur-xds, checked on every input by the `fuzz_ebrim`
//! target and by the corpus replay test of segur-xds (`crates/segur-xds/tests/fuzz_corpus.rs`).

use segur_xds::{AdhocQueryRequest, ProvideAndRegister, ReadLimits, RegistryObjects, Submission};

/// Feeds `data` to every ebRIM request reader (default and tight limits); whatever is accepted
/// must be written back to XML that reads as the same value.
pub(crate) fn check(data: &[u8]) {
    let tight = ReadLimits::default()
        .with_max_depth(8)
        .with_max_elements(64);
    for limits in [ReadLimits::default(), tight] {
        if let Ok(s) = Submission::from_ebrim_with_limits(data, &limits) {
            assert_eq!(Submission::from_ebrim(s.to_ebrim().as_bytes()), Ok(s));
        }
        if let Ok(p) = ProvideAndRegister::from_xml_with_limits(data, &limits) {
            assert_eq!(ProvideAndRegister::from_xml(p.to_xml().as_bytes()), Ok(p));
        }
        if let Ok(o) = RegistryObjects::from_xml_with_limits(data, &limits) {
            assert_eq!(RegistryObjects::from_xml(o.to_xml().as_bytes()), Ok(o));
        }
        if let Ok(q) = AdhocQueryRequest::from_xml_with_limits(data, &limits) {
            assert_eq!(AdhocQueryRequest::from_xml(q.to_xml().as_bytes()), Ok(q));
        }
    }
}
