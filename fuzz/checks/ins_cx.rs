//! Properties of the INS identifier readers (CX, VIHF, MSSanté address, CDA id, FHIR identifier),
//! checked on every input by the `fuzz_cx` target and by the corpus replay test of segur-ins
//! (`crates/segur-ins/tests/fuzz_corpus.rs`).

use segur_ins::Ins;

/// Feeds `data` to every single-string reader, and (split at the first tab) to the two-part
/// readers; whatever is accepted must be written back to a form read as the same INS.
pub(crate) fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(ins) = Ins::from_xds_cx(text) {
        assert_eq!(Ins::from_xds_cx(&ins.to_xds_cx()), Ok(ins));
    }
    if let Ok(ins) = Ins::from_hl7v2_pam_cx(text) {
        assert_eq!(Ins::from_hl7v2_pam_cx(&ins.to_hl7v2_pam_cx()), Ok(ins));
    }
    if let Ok(ins) = Ins::from_vihf_resource_id(text) {
        assert_eq!(Ins::from_vihf_resource_id(&ins.vihf_resource_id()), Ok(ins));
    }
    if let Ok(ins) = Ins::from_mssante_address(text) {
        assert_eq!(Ins::from_mssante_address(&ins.mssante_address()), Ok(ins));
    }
    if let Some((first, second)) = text.split_once('\t') {
        if let Ok(ins) = Ins::from_cda_id(first, second) {
            assert_eq!(
                Ins::from_cda_id(ins.cda_root(), ins.cda_extension()),
                Ok(ins)
            );
        }
        if let Ok(ins) = Ins::from_fhir(first, second) {
            assert_eq!(
                Ins::from_fhir(&ins.fhir_system(), ins.fhir_value()),
                Ok(ins)
            );
        }
    }
}
