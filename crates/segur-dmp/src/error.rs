//! The crate's error type: one [`DmpError`] wrapping a typed [`DmpErrorKind`].

use segur_soap::Fault;
use segur_transport::TransportError;
use segur_xds::{RegistryError, XdsError};

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DmpErrorKind {
    /// The HTTP exchange failed (connection, TLS, timeout).
    #[error("transport: {0}")]
    Transport(#[from] TransportError),
    /// A SOAP envelope, MTOM message or VIHF could not be built or read.
    #[error("SOAP: {0}")]
    Soap(#[source] segur_soap::Error),
    /// The DMP answered a SOAP fault; its own code (`DMPInvalidCertificate`,
    /// `DMPAccessDeniedByRightsService`...) is [`DmpFault::dmp_code`].
    #[error("SOAP fault {}: {}", .0.dmp_code.as_deref().unwrap_or(&.0.code), .0.reason.as_deref().unwrap_or("(no reason)"))]
    Fault(Box<DmpFault>),
    /// The registry or repository answered `Failure` (or `PartialSuccess`) with these errors.
    #[error("registry failure: {}", summary(.0))]
    Registry(Vec<RegistryError>),
    /// An HL7 v3 acknowledgement other than `AA` (`AE` application error, `AR` rejected).
    #[error("HL7 v3 acknowledgement {type_code}{}", .detail.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    Hl7Acknowledgement {
        /// `acknowledgement/@typeCode`.
        type_code: String,
        /// The first `acknowledgementDetail/text` or code, if any.
        detail: Option<String>,
    },
    /// A DMP-specific service (`habilitations`, `patientsSpecific`) answered a status other
    /// than `DMPOk`.
    #[error("DMP status {status}{}", .context.as_deref().map(|c| format!(": {c}")).unwrap_or_default())]
    Status {
        /// `output/status`.
        status: String,
        /// `output/context`, if any.
        context: Option<String>,
    },
    /// XDS metadata could not be written, read or failed validation.
    #[error("XDS: {0}")]
    Xds(#[from] XdsError),
    /// The metadata validator found errors: nothing was sent. Each entry is `(XDS error
    /// code, message)`.
    #[error("metadata invalid: {}", .0.iter().map(|(c, m)| format!("{c}: {m}")).collect::<Vec<_>>().join("; "))]
    InvalidMetadata(Vec<(String, String)>),
    /// A response body is not well-formed or breaks a limit.
    #[error("malformed XML at byte {offset}: {message}")]
    Malformed {
        /// Byte offset in the body.
        offset: u64,
        /// What is wrong.
        message: String,
    },
    /// A required element or part is missing from a response (its path is given).
    #[error("missing {0}")]
    Missing(String),
    /// A value is not acceptable.
    #[error("invalid {what}: `{value}`")]
    Invalid {
        /// What the value is.
        what: &'static str,
        /// The offending value.
        value: String,
    },
    /// The DMP signature document (XAdES) could not be made, or does not verify.
    #[error("signature document: {0}")]
    Signature(#[source] segur_xmldsig::Error),
    /// The response is not what the transaction expects (e.g. a non-SOAP HTTP error page).
    #[error("unexpected response: {0}")]
    Unexpected(String),
    /// The simulator's HTTPS server could not start: unreadable certificate or key, no
    /// client trust anchor, address in use (feature `simulator-https`).
    #[error("simulator server: {0}")]
    Server(String),
}

fn summary(errors: &[RegistryError]) -> String {
    if errors.is_empty() {
        return "(no RegistryError)".to_owned();
    }
    errors
        .iter()
        .map(|e| format!("{} ({})", e.code, e.code_context))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A SOAP fault from the DMP, reduced to what callers act upon.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DmpFault {
    /// The top-level code (`Sender`, `Receiver`...).
    pub code: String,
    /// The innermost subcode, where the DMP puts its error (`DMPInvalidCertificate`,
    /// `DMPAccessDeniedByRightsService`, `DMPPatientNotFound`...).
    pub dmp_code: Option<String>,
    /// The reason (French preferred).
    pub reason: Option<String>,
}

impl From<&Fault> for DmpFault {
    fn from(fault: &Fault) -> Self {
        Self {
            code: fault.code.to_string(),
            dmp_code: fault.innermost_subcode().map(str::to_owned),
            reason: fault.reason().map(str::to_owned),
        }
    }
}

/// The error of every fallible function of this crate.
#[derive(Debug, thiserror::Error)]
#[error("{kind}")]
pub struct DmpError {
    kind: DmpErrorKind,
}

impl DmpError {
    /// An error of this kind.
    pub fn new(kind: DmpErrorKind) -> Self {
        Self { kind }
    }

    /// What went wrong.
    pub fn kind(&self) -> &DmpErrorKind {
        &self.kind
    }

    /// The DMP's fault code, if this is a SOAP fault.
    pub fn dmp_code(&self) -> Option<&str> {
        match &self.kind {
            DmpErrorKind::Fault(f) => f.dmp_code.as_deref(),
            _ => None,
        }
    }

    /// The XDS error codes, if this is a registry failure.
    pub fn registry_codes(&self) -> Vec<&str> {
        match &self.kind {
            DmpErrorKind::Registry(errors) => errors.iter().map(|e| e.code.as_str()).collect(),
            _ => Vec::new(),
        }
    }

    pub(crate) fn invalid(what: &'static str, value: impl Into<String>) -> Self {
        Self::new(DmpErrorKind::Invalid {
            what,
            value: value.into(),
        })
    }

    pub(crate) fn signature(e: segur_xmldsig::Error) -> Self {
        Self::new(DmpErrorKind::Signature(e))
    }

    pub(crate) fn missing(what: impl Into<String>) -> Self {
        Self::new(DmpErrorKind::Missing(what.into()))
    }
}

impl From<segur_soap::Error> for DmpError {
    fn from(e: segur_soap::Error) -> Self {
        match e.fault() {
            Some(f) => Self::new(DmpErrorKind::Fault(Box::new(DmpFault::from(f)))),
            None => Self::new(DmpErrorKind::Soap(e)),
        }
    }
}

impl From<XdsError> for DmpError {
    fn from(e: XdsError) -> Self {
        Self::new(DmpErrorKind::Xds(e))
    }
}

impl From<TransportError> for DmpError {
    fn from(e: TransportError) -> Self {
        Self::new(DmpErrorKind::Transport(e))
    }
}
