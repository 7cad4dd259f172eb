//! The crate's single error type.

use std::fmt;

/// What went wrong, without the location (see [`XdsError`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum XdsErrorKind {
    /// The input is not well-formed XML (the message comes from the XML tokenizer).
    Xml(String),
    /// The input is not UTF-8 (ebRIM messages are exchanged in UTF-8).
    NotUtf8,
    /// A `<!DOCTYPE>` was found: DTDs (and therefore entity definitions) are refused.
    DtdForbidden,
    /// An entity reference other than the five predefined ones and character references.
    UnknownEntity(String),
    /// A hostile-input limit was reached (`what` names the limit, see [`crate::ReadLimits`]).
    LimitExceeded {
        /// Which limit.
        what: &'static str,
        /// Its value.
        limit: usize,
    },
    /// The document element is not the one expected.
    UnexpectedRoot {
        /// Expected `{namespace}local` name.
        expected: &'static str,
        /// What was found (`{namespace}local`).
        found: String,
    },
    /// A required child element is missing.
    MissingElement(&'static str),
    /// A required attribute is missing.
    MissingAttribute(&'static str),
    /// A required metadata attribute (slot, classification or external identifier) is missing.
    MissingMetadata(&'static str),
    /// A value does not have the expected syntax.
    InvalidValue {
        /// What the value is (e.g. `OID`, `CX`, `creationTime`).
        what: &'static str,
        /// The offending value, redacted when it may identify a patient.
        value: String,
    },
    /// A patient id is not a valid INS (the reason comes from `segur-ins` and never contains
    /// the matricule).
    Ins(String),
    /// The CDA document could not be parsed (message from `segur-cda`).
    Cda(String),
    /// The CDA header lacks something needed to derive the metadata and no override was given.
    CdaMapping {
        /// The metadata attribute that could not be derived.
        field: &'static str,
        /// Why.
        reason: String,
    },
}

impl fmt::Display for XdsErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Xml(m) => write!(f, "malformed XML: {m}"),
            Self::NotUtf8 => f.write_str("input is not UTF-8"),
            Self::DtdForbidden => f.write_str("DOCTYPE declarations are not accepted"),
            Self::UnknownEntity(e) => write!(f, "unknown entity reference &{e};"),
            Self::LimitExceeded { what, limit } => write!(f, "limit exceeded: {what} > {limit}"),
            Self::UnexpectedRoot { expected, found } => {
                write!(
                    f,
                    "unexpected document element {found}, expected {expected}"
                )
            }
            Self::MissingElement(e) => write!(f, "missing element {e}"),
            Self::MissingAttribute(a) => write!(f, "missing attribute {a}"),
            Self::MissingMetadata(m) => write!(f, "missing metadata {m}"),
            Self::InvalidValue { what, value } => write!(f, "invalid {what}: {value:?}"),
            Self::Cda(m) => write!(f, "CDA: {m}"),
            Self::Ins(reason) => write!(f, "not a valid INS: {reason}"),
            Self::CdaMapping { field, reason } => {
                write!(f, "cannot derive {field} from the CDA header: {reason}")
            }
        }
    }
}

/// The error of every fallible operation of this crate: a typed kind plus where it happened
/// (element path such as `/SubmitObjectsRequest/RegistryObjectList/ExtrinsicObject[1]/Slot[2]`,
/// and byte offset in the input when reading XML).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub struct XdsError {
    kind: XdsErrorKind,
    path: Option<String>,
    offset: Option<u64>,
}

impl fmt::Display for XdsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.kind, f)?;
        if let Some(path) = &self.path {
            write!(f, " at {path}")?;
        }
        if let Some(offset) = self.offset {
            write!(f, " (byte {offset})")?;
        }
        Ok(())
    }
}

impl XdsError {
    /// An error of `kind` with no location.
    pub fn new(kind: XdsErrorKind) -> Self {
        Self {
            kind,
            path: None,
            offset: None,
        }
    }

    pub(crate) fn at(mut self, path: impl Into<String>) -> Self {
        if self.path.is_none() {
            self.path = Some(path.into());
        }
        self
    }

    pub(crate) fn at_offset(mut self, offset: u64) -> Self {
        if self.offset.is_none() {
            self.offset = Some(offset);
        }
        self
    }

    pub(crate) fn invalid(what: &'static str, value: impl Into<String>) -> Self {
        Self::new(XdsErrorKind::InvalidValue {
            what,
            value: value.into(),
        })
    }

    /// The kind of error.
    pub fn kind(&self) -> &XdsErrorKind {
        &self.kind
    }

    /// The element path where it happened, if known.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// The byte offset in the input where it happened, if known.
    pub fn offset(&self) -> Option<u64> {
        self.offset
    }
}

/// Replaces a value that may identify a patient (INS, names) by a placeholder giving only its
/// length, for error messages and logs.
pub(crate) fn redact(value: &str) -> String {
    format!("<redacted, {} chars>", value.chars().count())
}
