//! Properties of the INS Datamatrix reader, checked on every input by the `fuzz_datamatrix`
//! target and by the corpus replay test of segur-ins (`crates/segur-ins/tests/fuzz_corpus.rs`).

use segur_ins::rniv::{CompareOptions, compare};
use segur_ins::status::{Event, IdentityDocument, InsiMode};
use segur_ins::{CalendarDate, IdentityStatus, datamatrix};

/// Decodes `data`; when the payload holds a valid INS and valid traits, the canonical encoding
/// of that (qualified) identity must decode to the same INS and traits.
pub(crate) fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(payload) = datamatrix::decode(text) else {
        return;
    };
    let (Ok(ins), Ok(traits)) = (payload.ins(), payload.traits()) else {
        return;
    };
    let date = CalendarDate::new(2026, 1, 1).expect("a calendar date");
    let mut status = IdentityStatus::new();
    let comparison = compare(&traits, &traits, &CompareOptions::default());
    let insi = Event::InsiAnswer {
        mode: InsiMode::Traits,
        date,
        comparison,
    };
    status.apply(insi).expect("coherent with itself");
    let document = Event::DocumentChecked {
        document: IdentityDocument::Passeport,
        date,
    };
    status.apply(document).expect("a document check");
    let encoded = datamatrix::encode(&ins, &traits, &status).expect("qualified");
    let again = datamatrix::decode(&encoded).expect("canonical payload decodes");
    assert_eq!(again.ins(), Ok(ins));
    assert_eq!(again.traits(), Ok(traits));
}
