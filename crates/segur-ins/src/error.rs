//! The crate's single error type.

use thiserror::Error;

/// Everything that can go wrong when reading or building INS data.
///
/// Every variant names what is wrong and where, but never carries a full matricule, a name or a
/// birth date: the `Display` and `Debug` output of an error can be logged safely. A variant may
/// carry *one* offending character, a key, a length, an OID or a tag, none of which identifies a
/// patient on its own.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum InsError {
    /// The compacted input does not have the expected number of characters.
    #[error("bad length: {found} characters, expected {expected}")]
    Length {
        /// Number of characters expected (15 for a matricule, 13 for a body).
        expected: usize,
        /// Number of characters found after removing spaces and dots.
        found: usize,
    },
    /// A character is not allowed at this position.
    #[error("bad character {character:?} at position {position}: {expected}")]
    Character {
        /// 1-based position in the compacted value (the numbering of the INSEE tables).
        position: usize,
        /// The offending character.
        character: char,
        /// What is allowed there.
        expected: &'static str,
    },
    /// The control key does not match the first 13 characters.
    #[error("wrong key {found:02}: the first 13 characters give key {expected:02}")]
    Key {
        /// Key read from positions 14-15 (0-99).
        found: u8,
        /// Key computed from positions 1-13 (1-97).
        expected: u8,
    },
    /// The first digit is not 1 or 2: structurally a NIR-like number but never an INS matricule.
    #[error("first digit {digit}: not an INS matricule ({meaning})")]
    SexDigit {
        /// The first digit.
        digit: u8,
        /// What numbers starting with this digit are.
        meaning: &'static str,
    },
    /// Positions 4-5 are not a month value the INS rules allow (01-12 or 20-99).
    #[error("month {month:02} is not in 01-12 or 20-99")]
    Month {
        /// The two-digit value read.
        month: u8,
    },
    /// The OID is not one of the INS assigning authorities.
    #[error("OID {oid:?} is not an INS assigning authority")]
    UnknownOid {
        /// The OID as received when it looks like a dotted OID, otherwise only its length.
        oid: String,
    },
    /// The OID is a legacy INS-C authority, recognised but never used for a matricule.
    #[error("OID {oid} is a legacy INS-C authority: not an INS matricule")]
    LegacyOid {
        /// The legacy OID.
        oid: &'static str,
    },
    /// The OID is an INS authority that the chosen environment does not accept.
    #[error("OID {oid} is not accepted in the {environment} environment")]
    OidNotAllowed {
        /// The OID.
        oid: &'static str,
        /// The environment that refused it.
        environment: &'static str,
    },
    /// A structured identifier (CX, FHIR system, address, Datamatrix...) is malformed.
    #[error("malformed {format}: {reason}")]
    Syntax {
        /// Which representation was being read (`"XDS CX"`, `"FHIR system"`, ...).
        format: &'static str,
        /// What is wrong, without the identifier's value.
        reason: &'static str,
    },
    /// A name (birth name or first name) breaks the strict RNIV character rules.
    #[error("{field}: {reason} at character {position}")]
    Name {
        /// Which trait (`"birth name"`, `"first name"`).
        field: &'static str,
        /// 1-based character position of the problem (0 when the whole value is at fault).
        position: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// A date, sex or birthplace value is malformed.
    #[error("bad {field}: {reason}")]
    Trait {
        /// Which trait (`"birth date"`, `"sex"`, `"birthplace"`).
        field: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// An identity-status transition is not allowed by the RNIV rules.
    #[error("identity status: {reason}")]
    Status {
        /// Why the transition was refused.
        reason: &'static str,
    },
}
