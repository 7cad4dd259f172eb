//! The four official CNAM VIHF samples, read for their shape (none verifies: they were edited
//! after signing, see `shared/corpus/xds/README.md`). Their deviations are asserted here.

use segur_soap::ErrorKind;
use segur_soap::vihf::{AuthenticationMode, ParsedVihf, PurposeOfUse};

fn sample(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../../shared/corpus/xds/samples/cnam-dmp-lps-exemples-messages-v02.05.00/vihf/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_indirect_samples_read() {
    for (name, mode) in [
        ("VIHF_INDIRECTE_signe.xml", AuthenticationMode::Indirecte),
        (
            "VIHF_INDIRECTE_RENFORCEE_signe.xml",
            AuthenticationMode::IndirecteRenforcee,
        ),
    ] {
        let v = ParsedVihf::parse(&sample(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(v.vihf.mode, mode, "{name}");
        assert!(v.signed, "{name}: the signature follows Issuer");
        assert_eq!(v.version, "3.0");
        assert_eq!(v.vihf.purpose_of_use, PurposeOfUse::Normal);
        assert!(!v.vihf.roles.is_empty());
        assert!(v.vihf.patient.is_some());
    }
}

#[test]
fn the_direct_samples_are_latin1_without_declaration_and_refused() {
    // Deviation of the samples: ISO-8859-1 bytes with no XML declaration, so the document claims
    // UTF-8 and is not well-formed. Refusing it (with the offset) is the right answer.
    for name in ["VIHF_DIRECTE_non_signe.xml", "VIHF_DIRECTE_signe.xml"] {
        let err = ParsedVihf::parse(&sample(name)).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::Xml { message, .. } if message.contains("UTF-8")),
            "{name}: {err}"
        );
    }
}
