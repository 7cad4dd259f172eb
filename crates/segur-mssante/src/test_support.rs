//! Shared helpers for the unit tests.

use segur_ins::rniv::{CompareOptions, compare};
use segur_ins::status::{Event, IdentityDocument, InsiMode};
use segur_ins::{BirthDate, CalendarDate, IdentityStatus, IdentityTraits, Sex};

/// A qualified identity status (INSi answer plus a checked identity document).
pub(crate) fn qualified() -> IdentityStatus {
    let traits = IdentityTraits::new(
        "ADRUN",
        "ZOE",
        BirthDate::from_insi("1975-12-31").unwrap(),
        Sex::Female,
        None,
    )
    .unwrap();
    let today = CalendarDate::new(2026, 11, 22).unwrap();
    let mut status = IdentityStatus::new();
    status
        .apply(Event::InsiAnswer {
            mode: InsiMode::Traits,
            date: today,
            comparison: compare(&traits, &traits, &CompareOptions::default()),
        })
        .unwrap();
    status
        .apply(Event::DocumentChecked {
            document: IdentityDocument::Passeport,
            date: today,
        })
        .unwrap();
    status
}
