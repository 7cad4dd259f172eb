//! The crate's error type.

use crate::fault::Fault;

/// What went wrong.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input is not well-formed XML, or uses something this crate refuses (DTD, undeclared
    /// entity, non-UTF-8 encoding).
    Xml {
        /// Byte offset in the input where the problem was found.
        offset: usize,
        /// What is wrong.
        message: String,
    },
    /// A size, depth or count limit was exceeded.
    LimitExceeded {
        /// Which limit.
        what: &'static str,
        /// Its value.
        limit: usize,
    },
    /// The XML is well-formed but not the expected shape (wrong root, missing element).
    Malformed {
        /// The element where the problem was found.
        element: String,
        /// What is wrong.
        message: String,
    },
    /// The server answered with a SOAP fault.
    Fault(Box<Fault>),
    /// A value given to a builder is invalid (missing mandatory attribute, bad NCName).
    InvalidInput {
        /// Which field.
        field: &'static str,
        /// What is wrong, with the offending value when it is not personal data.
        message: String,
    },
    /// A MIME multipart (MTOM/XOP) message is malformed.
    Mime {
        /// Byte offset in the body, when known.
        offset: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// An `xop:Include` or `cid:` reference points to no part of the message.
    MissingPart {
        /// The (URL-decoded) content id that was looked for.
        content_id: String,
    },
    /// Signing or verifying the VIHF failed.
    Signature {
        /// What failed.
        message: String,
    },
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Xml { offset, message } => write!(f, "XML error at byte {offset}: {message}"),
            Self::LimitExceeded { what, limit } => write!(f, "limit exceeded: {what} > {limit}"),
            Self::Malformed { element, message } => write!(f, "malformed <{element}>: {message}"),
            Self::Fault(fault) => write!(f, "SOAP fault: {fault}"),
            Self::InvalidInput { field, message } => write!(f, "invalid {field}: {message}"),
            Self::Mime {
                offset: Some(o),
                message,
            } => write!(f, "MIME error at byte {o}: {message}"),
            Self::Mime {
                offset: None,
                message,
            } => write!(f, "MIME error: {message}"),
            Self::MissingPart { content_id } => {
                write!(f, "no MIME part with Content-ID <{content_id}>")
            }
            Self::Signature { message } => write!(f, "signature error: {message}"),
        }
    }
}

/// The error of every fallible operation of this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct Error {
    kind: ErrorKind,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Self { kind }
    }

    pub(crate) fn malformed(element: &str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Malformed {
            element: element.to_owned(),
            message: message.into(),
        })
    }

    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidInput {
            field,
            message: message.into(),
        })
    }

    pub(crate) fn mime(offset: Option<usize>, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Mime {
            offset,
            message: message.into(),
        })
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The SOAP fault, when the error is one.
    pub fn fault(&self) -> Option<&Fault> {
        match &self.kind {
            ErrorKind::Fault(f) => Some(f),
            _ => None,
        }
    }
}

impl From<Fault> for Error {
    fn from(fault: Fault) -> Self {
        Self::new(ErrorKind::Fault(Box::new(fault)))
    }
}
