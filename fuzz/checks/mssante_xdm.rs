//! Properties of the XDM reader, checked on every input by the `fuzz_xdm` target and by the
//! corpus replay test of segur-mssante (`crates/segur-mssante/tests/fuzz_corpus.rs`).

use segur_mssante::{Mode, ReadLimits, ReadOptions, read_xdm};

fn options(mode: Mode) -> ReadOptions {
    ReadOptions {
        mode,
        limits: ReadLimits {
            max_entries: 200,
            max_entry_size: 4 << 20,
            max_total_size: 8 << 20,
            ..ReadLimits::default()
        },
    }
}

/// Reads `data` in both modes: never panics, errors carry a message, reading is deterministic,
/// strict success implies lenient success without warnings and with the same documents, and
/// every document path stays inside the archive.
pub(crate) fn check(data: &[u8]) {
    let strict = read_xdm(data, &options(Mode::Strict));
    let lenient = read_xdm(data, &options(Mode::Lenient));
    match (&strict, &lenient) {
        (Ok(s), Ok(l)) => {
            assert!(s.warnings.is_empty() && l.warnings.is_empty());
            assert_eq!(s, l, "strict and lenient disagree on a conformant archive");
        }
        (Ok(_), Err(e)) => panic!("strict accepts what lenient refuses: {e}"),
        (Err(e), _) => assert!(!e.to_string().is_empty()),
    }
    if let Ok(archive) = &lenient {
        for d in archive.documents() {
            assert!(
                !d.path.split('/').any(|c| c == ".." || c.is_empty()),
                "{}",
                d.path
            );
        }
    }
    let again = read_xdm(data, &options(Mode::Lenient));
    assert_eq!(
        again.as_ref().map_err(ToString::to_string),
        lenient.as_ref().map_err(ToString::to_string),
        "reading is not deterministic"
    );
}
