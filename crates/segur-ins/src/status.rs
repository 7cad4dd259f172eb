//! The RNIV identity statuses and the evidence that moves an identity between them.
//!
//! | | no INSi confirmation | INSi confirmation (one identity, coherent traits) |
//! |---|---|---|
//! | **no high-trust document checked** | [`Status::Provisoire`] | [`Status::Recuperee`] |
//! | **high-trust document checked** | [`Status::Validee`] | [`Status::Qualifiee`] |
//!
//! The status is *derived* from the evidence held, so every transition, including downgrades,
//! follows from adding or withdrawing evidence. The attributes *douteuse* and *fictive* force
//! [`Status::Provisoire`] (they drop all evidence and refuse new evidence until cleared) and
//! exclude each other; *homonyme* is informative. Only a qualified identity may use or share its
//! INS ([`IdentityStatus::may_share_ins`]).

use std::fmt;

use crate::rniv::Comparison;
use crate::{CalendarDate, InsError};

/// One of the four RNIV statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// No INSi confirmation, no document checked.
    Provisoire,
    /// INSi confirmed the identity, no high-trust document checked.
    Recuperee,
    /// A high-trust document was checked, no INSi confirmation.
    Validee,
    /// Both: the only status that allows using and sharing the INS.
    Qualifiee,
}

impl Status {
    /// The FR Core `identityStatus` code: `PROV`, `RECUP`, `VALI` or `QUAL`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Provisoire => "PROV",
            Self::Recuperee => "RECUP",
            Self::Validee => "VALI",
            Self::Qualifiee => "QUAL",
        }
    }

    /// The IHE PAM France PID-32 value: `VALI` means *qualifiée* there (PAM predates the four
    /// statuses), every other status is sent as `PROV` and without the INS.
    pub fn hl7v2_pid32(self) -> &'static str {
        match self {
            Self::Qualifiee => "VALI",
            _ => "PROV",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Which INSi operation confirmed the identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InsiMode {
    /// `rechercherInsAvecCarteVitale` (WS_INS1), mode d'obtention `CV`.
    CarteVitale,
    /// `rechercherInsAvecTraitsIdentite` (WS_INS2), mode d'obtention `INSI`.
    Traits,
}

/// A high-trust identity document (RNIV). The carte Vitale is *not* an identity document: it
/// only feeds the INSi Vitale search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdentityDocument {
    /// Carte nationale d'identité.
    CarteNationaleIdentite,
    /// Passeport.
    Passeport,
    /// Titre de séjour.
    TitreDeSejour,
    /// Electronic identity with a substantial or high assurance level.
    IdentiteNumerique,
    /// Application carte Vitale (RNIV 1 v2.0).
    ApplicationCarteVitale,
    /// For a minor: livret de famille or birth certificate with a parent's identity document.
    DocumentMineur,
}

/// Something that happened to the identity.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// INSi returned exactly one identity, compared with the local traits.
    InsiAnswer {
        /// Which operation.
        mode: InsiMode,
        /// Date of the call.
        date: CalendarDate,
        /// The comparison of the local traits with the answer; must be coherent.
        comparison: Comparison,
    },
    /// A high-trust identity document was checked.
    DocumentChecked {
        /// Which document.
        document: IdentityDocument,
        /// Date of the check.
        date: CalendarDate,
    },
    /// The INSi confirmation no longer holds (INS deactivated, verification failed).
    InsiEvidenceWithdrawn,
    /// The document check no longer holds (document found invalid or not the person's).
    DocumentEvidenceWithdrawn,
    /// A strict trait was edited by hand: the INSi confirmation no longer applies.
    StrictTraitEdited,
    /// Set or clear the *douteuse* attribute (suspected usurpation or inconsistency).
    SetDoubtful(bool),
    /// Set or clear the *fictive* attribute (deliberately fictitious identity).
    SetFictitious(bool),
    /// Set or clear the *homonyme* attribute (known homonymy risk).
    SetHomonym(bool),
}

/// The status before and after an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Transition {
    /// Before.
    pub from: Status,
    /// After.
    pub to: Status,
}

impl Transition {
    /// True when a qualified identity lost its qualification: the INS must be withdrawn
    /// downstream (HL7 v2 A47 with an empty INS and PID-32 `PROV`).
    pub fn withdraws_ins(self) -> bool {
        self.from == Status::Qualifiee && self.to != Status::Qualifiee
    }
}

/// The identity-vigilance state of one local identity.
///
/// ```
/// use segur_ins::status::{Event, IdentityDocument, InsiMode, Status};
/// use segur_ins::rniv::{compare, CompareOptions};
/// use segur_ins::{BirthDate, CalendarDate, IdentityStatus, IdentityTraits, Sex};
///
/// let traits = IdentityTraits::new("ADRUN", "ZOE", BirthDate::from_insi("1975-12-31")?, Sex::Female, None)?;
/// let today = CalendarDate::new(2026, 11, 22)?;
/// let mut status = IdentityStatus::new();
/// status.apply(Event::InsiAnswer {
///     mode: InsiMode::Traits,
///     date: today,
///     comparison: compare(&traits, &traits, &CompareOptions::default()),
/// })?;
/// assert_eq!(status.status(), Status::Recuperee);
/// assert!(!status.may_share_ins());
/// status.apply(Event::DocumentChecked { document: IdentityDocument::Passeport, date: today })?;
/// assert!(status.may_share_ins());
/// let t = status.apply(Event::StrictTraitEdited)?;
/// assert_eq!((t.to, t.withdraws_ins()), (Status::Validee, true));
/// # Ok::<(), segur_ins::InsError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IdentityStatus {
    insi: Option<(InsiMode, CalendarDate)>,
    document: Option<(IdentityDocument, CalendarDate)>,
    doubtful: bool,
    fictitious: bool,
    homonym: bool,
}

fn refuse(reason: &'static str) -> InsError {
    InsError::Status { reason }
}

impl IdentityStatus {
    /// A new identity: provisoire, no attribute.
    pub fn new() -> Self {
        Self::default()
    }

    /// The current status, derived from the evidence.
    pub fn status(&self) -> Status {
        match (self.insi.is_some(), self.document.is_some()) {
            (false, false) => Status::Provisoire,
            (true, false) => Status::Recuperee,
            (false, true) => Status::Validee,
            (true, true) => Status::Qualifiee,
        }
    }

    /// Only a qualified identity may use and share its INS.
    pub fn may_share_ins(&self) -> bool {
        self.status() == Status::Qualifiee
    }

    /// The INSi confirmation held, if any.
    pub fn insi_evidence(&self) -> Option<(InsiMode, CalendarDate)> {
        self.insi
    }

    /// The document check held, if any.
    pub fn document_evidence(&self) -> Option<(IdentityDocument, CalendarDate)> {
        self.document
    }

    /// Attribute *douteuse*.
    pub fn is_doubtful(&self) -> bool {
        self.doubtful
    }

    /// Attribute *fictive*.
    pub fn is_fictitious(&self) -> bool {
        self.fictitious
    }

    /// Attribute *homonyme*.
    pub fn is_homonym(&self) -> bool {
        self.homonym
    }

    /// Applies an event; on refusal nothing changes.
    ///
    /// Refused: INSi answers whose traits are not coherent with the local ones (an operator must
    /// decide first), new evidence for a doubtful or fictitious identity, and setting both
    /// *douteuse* and *fictive*.
    pub fn apply(&mut self, event: Event) -> Result<Transition, InsError> {
        let from = self.status();
        let blocked = self.doubtful || self.fictitious;
        match event {
            Event::InsiAnswer { .. } | Event::DocumentChecked { .. } if blocked => {
                return Err(refuse(
                    "a doubtful or fictitious identity stays provisoire: clear the attribute first",
                ));
            }
            Event::InsiAnswer {
                mode,
                date,
                comparison,
            } => {
                if !comparison.is_coherent() {
                    return Err(refuse(
                        "the INSi traits differ from the local ones: an operator must decide",
                    ));
                }
                self.insi = Some((mode, date));
            }
            Event::DocumentChecked { document, date } => self.document = Some((document, date)),
            Event::InsiEvidenceWithdrawn | Event::StrictTraitEdited => self.insi = None,
            Event::DocumentEvidenceWithdrawn => self.document = None,
            Event::SetDoubtful(true) if self.fictitious => {
                return Err(refuse("douteuse and fictive exclude each other"));
            }
            Event::SetFictitious(true) if self.doubtful => {
                return Err(refuse("douteuse and fictive exclude each other"));
            }
            Event::SetDoubtful(on) => {
                self.doubtful = on;
                self.drop_evidence_if(on);
            }
            Event::SetFictitious(on) => {
                self.fictitious = on;
                self.drop_evidence_if(on);
            }
            Event::SetHomonym(on) => self.homonym = on,
        }
        Ok(Transition {
            from,
            to: self.status(),
        })
    }

    fn drop_evidence_if(&mut self, on: bool) {
        if on {
            self.insi = None;
            self.document = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rniv::{CompareOptions, compare};
    use crate::{BirthDate, IdentityTraits, Sex};

    fn day() -> CalendarDate {
        CalendarDate::new(2026, 1, 2).unwrap()
    }

    fn answer(coherent: bool) -> Event {
        let d = BirthDate::from_insi("1975-12-31").unwrap();
        let a = IdentityTraits::new("ADRUN", "ZOE", d, Sex::Female, None).unwrap();
        let b = IdentityTraits::new(
            if coherent { "ADRUN" } else { "ADRIN" },
            "ZOE",
            d,
            Sex::Female,
            None,
        )
        .unwrap();
        Event::InsiAnswer {
            mode: InsiMode::CarteVitale,
            date: day(),
            comparison: compare(&a, &b, &CompareOptions::default()),
        }
    }

    fn document() -> Event {
        Event::DocumentChecked {
            document: IdentityDocument::CarteNationaleIdentite,
            date: day(),
        }
    }

    #[test]
    fn matrix_in_both_orders() {
        let mut s = IdentityStatus::new();
        assert_eq!(s.apply(document()).unwrap().to, Status::Validee);
        assert_eq!(s.apply(answer(true)).unwrap().to, Status::Qualifiee);
        let mut s = IdentityStatus::new();
        assert_eq!(s.apply(answer(true)).unwrap().to, Status::Recuperee);
        assert_eq!(s.apply(document()).unwrap().to, Status::Qualifiee);
        assert_eq!(
            (s.status().hl7v2_pid32(), s.status().code()),
            ("VALI", "QUAL")
        );
    }

    #[test]
    fn incoherent_answers_and_attributes_are_refused() {
        let mut s = IdentityStatus::new();
        assert!(s.apply(answer(false)).is_err());
        assert_eq!(s.status(), Status::Provisoire);
        s.apply(document()).unwrap();
        s.apply(answer(true)).unwrap();
        let t = s.apply(Event::SetDoubtful(true)).unwrap();
        assert!(t.withdraws_ins());
        assert_eq!(t.to, Status::Provisoire);
        assert!(s.apply(document()).is_err());
        assert!(s.apply(Event::SetFictitious(true)).is_err());
        s.apply(Event::SetDoubtful(false)).unwrap();
        s.apply(Event::SetFictitious(true)).unwrap();
        assert!(s.apply(Event::SetDoubtful(true)).is_err());
        s.apply(Event::SetHomonym(true)).unwrap();
        assert!(s.is_homonym() && s.is_fictitious() && !s.may_share_ins());
    }

    #[test]
    fn downgrades() {
        let mut s = IdentityStatus::new();
        s.apply(document()).unwrap();
        s.apply(answer(true)).unwrap();
        assert_eq!(
            s.apply(Event::DocumentEvidenceWithdrawn).unwrap().to,
            Status::Recuperee
        );
        assert_eq!(
            s.apply(Event::InsiEvidenceWithdrawn).unwrap().to,
            Status::Provisoire
        );
    }
}
