//! Properties of the matricule parser, checked on every input by the `fuzz_matricule` target
//! and by the corpus replay test of segur-ins (`crates/segur-ins/tests/fuzz_corpus.rs`).

use segur_ins::{Matricule, Profile, compute_key};

/// Parses `data` in both profiles; checks that the strict profile only accepts what the lenient
/// one accepts, that every accepted matricule survives its compact and grouped displays, that
/// the masked display hides the end of the number, and that errors never echo a number.
pub(crate) fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let strict = Matricule::parse_with(text, Profile::Ins);
    let lenient = Matricule::parse_with(text, Profile::Nir);
    if let Ok(m) = &strict {
        assert_eq!(
            lenient.as_ref().ok(),
            Some(m),
            "strict accepts more than lenient"
        );
    }
    if let Ok(m) = &lenient {
        assert_eq!(
            Matricule::parse_with(m.as_str(), Profile::Nir).as_ref(),
            Ok(m)
        );
        assert_eq!(
            Matricule::parse_with(&m.grouped(), Profile::Nir).as_ref(),
            Ok(m)
        );
        assert_eq!(compute_key(m.body()), Ok(m.key()));
        assert!(!m.to_string().contains(&m.as_str()[7..]));
        let _ = (m.decompose(), m.warnings());
    }
    let digits_only = text.len() >= 8 && text.bytes().all(|b| b.is_ascii_digit());
    for e in [strict.err(), lenient.err(), compute_key(text).err()]
        .into_iter()
        .flatten()
    {
        if digits_only {
            assert!(
                !format!("{e} {e:?}").contains(text),
                "error echoes the input"
            );
        }
    }
}
