//! The crate's error type.

use std::fmt;

/// The error type of `segur-cda`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is not a well-formed CDA document within the limits.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// A base64 payload could not be decoded.
    #[error(transparent)]
    Base64(#[from] crate::Base64Error),
    /// The builder's input is incomplete or wrong (every problem, with its field).
    #[error(transparent)]
    Build(#[from] crate::build::BuildError),
}

/// Why a document could not be parsed, and where.
///
/// The location is a byte offset in the (UTF-8) text that was parsed, with 1-based line and
/// column (in characters), and the element path (`/ClinicalDocument/recordTarget/patientRole/id[2]`,
/// local names, 1-based positions among same-name siblings when more than one precedes). For
/// input transcoded from ISO-8859-1 or windows-1252 the offset refers to the transcoded text.
/// The error never quotes text content, so no patient data ends up in logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub struct ParseError {
    /// What went wrong.
    pub kind: ParseErrorKind,
    /// Byte offset.
    pub offset: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The path of the element being parsed (empty before the root element).
    pub path: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {}, column {} (byte {})",
            self.kind, self.line, self.column, self.offset
        )?;
        if !self.path.is_empty() {
            write!(f, " in {}", self.path)?;
        }
        Ok(())
    }
}

/// A configurable limit (see [`crate::Limits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Limit {
    /// Input size in bytes.
    InputSize,
    /// Element nesting depth.
    Depth,
    /// Attributes on one element.
    Attributes,
    /// Length in bytes of one text node or attribute value.
    TextLength,
    /// Number of elements in the document.
    Elements,
    /// Distinct namespace names in a document (255, in the flat parse: see
    /// [`crate::flat`]).
    Namespaces,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InputSize => "input size",
            Self::Depth => "nesting depth",
            Self::Attributes => "attributes per element",
            Self::TextLength => "text length",
            Self::Elements => "element count",
            Self::Namespaces => "distinct namespace names",
        })
    }
}

/// The kinds of [`ParseError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// Bytes that are not UTF-8 in a document read as UTF-8.
    #[error("invalid UTF-8")]
    InvalidUtf8,
    /// A declared (or detected) encoding other than UTF-8, ISO-8859-1 and windows-1252.
    #[error("unsupported encoding {encoding:?} (UTF-8, ISO-8859-1 and windows-1252 are supported)")]
    UnsupportedEncoding {
        /// The encoding name as declared.
        encoding: String,
    },
    /// A document type declaration (`<!DOCTYPE`): rejected, entities are never expanded.
    #[error("DTDs are not allowed")]
    Dtd,
    /// The input ends inside markup or before the root element is closed.
    #[error("unexpected end of input")]
    UnexpectedEof,
    /// Malformed markup.
    #[error("malformed XML: {0}")]
    Malformed(&'static str),
    /// An end tag that does not close the open element.
    #[error("end tag </{found}> does not match <{expected}>")]
    MismatchedEndTag {
        /// The open element.
        expected: String,
        /// The end tag found.
        found: String,
    },
    /// A namespace prefix with no declaration in scope.
    #[error("unbound namespace prefix {prefix:?}")]
    UnboundPrefix {
        /// The prefix.
        prefix: String,
    },
    /// An entity reference other than the five predefined ones.
    #[error("unknown entity &{name};")]
    UnknownEntity {
        /// The entity name.
        name: String,
    },
    /// A character reference to a character XML does not allow.
    #[error("invalid character reference &#{value};")]
    InvalidCharRef {
        /// The reference as written between `&#` and `;`.
        value: String,
    },
    /// The same attribute twice on one element.
    #[error("duplicate attribute {name:?}")]
    DuplicateAttribute {
        /// The attribute name.
        name: String,
    },
    /// The document has no `ClinicalDocument` element in the HL7 v3 namespace.
    #[error("no urn:hl7-org:v3 ClinicalDocument element (root element is {root:?})")]
    NotClinicalDocument {
        /// The root element's name as written.
        root: String,
    },
    /// A limit was exceeded.
    #[error("{limit} limit of {max} exceeded")]
    LimitExceeded {
        /// Which limit.
        limit: Limit,
        /// Its configured value.
        max: usize,
    },
}
