//! The transport error.

use std::error::Error as StdError;
use std::fmt;

/// What kind of failure kept a request from getting a response.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransportErrorKind {
    /// The TLS handshake failed: untrusted server certificate, client certificate refused,
    /// no common protocol version or cipher suite.
    Tls,
    /// Connecting, sending or receiving took longer than the configured timeout.
    Timeout,
    /// The connection could not be made or broke (refused, reset, DNS failure).
    Connection,
    /// The request itself cannot be sent (bad URL, unsupported scheme, body too large).
    InvalidRequest,
    /// The adapter's configuration is unusable (unreadable key or certificate, no trust anchor).
    Configuration,
    /// The server answered with a status the caller asked the adapter to treat as a failure.
    HttpStatus,
    /// Anything else.
    Other,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Tls => "TLS failure",
            Self::Timeout => "timeout",
            Self::Connection => "connection failure",
            Self::InvalidRequest => "invalid request",
            Self::Configuration => "transport configuration error",
            Self::HttpStatus => "HTTP status",
            Self::Other => "transport error",
        })
    }
}

/// A request that got no usable response.
///
/// It says what kind of failure it was ([`TransportError::kind`]), carries a message for humans
/// and, where there is one, the underlying error as its [`source`](StdError::source).
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    status: Option<u16>,
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
}

impl TransportError {
    /// A new error of `kind` with a message.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            status: None,
            source: None,
        }
    }

    /// A new error of `kind` caused by `source`.
    pub fn with_source(
        kind: TransportErrorKind,
        message: impl Into<String>,
        source: impl StdError + Send + Sync + 'static,
    ) -> Self {
        Self {
            source: Some(Box::new(source)),
            ..Self::new(kind, message)
        }
    }

    /// An [`TransportErrorKind::HttpStatus`] error for a response with `status`.
    pub fn http_status(status: u16, message: impl Into<String>) -> Self {
        Self {
            status: Some(status),
            ..Self::new(TransportErrorKind::HttpStatus, message)
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The HTTP status, for [`TransportErrorKind::HttpStatus`] errors.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The message, without the kind.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.status {
            Some(status) => write!(f, "{} {}: {}", self.kind, status, self.message),
            None => write!(f, "{}: {}", self.kind, self.message),
        }
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_the_kind_and_status() {
        let e = TransportError::http_status(503, "service unavailable");
        assert_eq!(e.kind(), TransportErrorKind::HttpStatus);
        assert_eq!(e.status(), Some(503));
        assert_eq!(e.to_string(), "HTTP status 503: service unavailable");
    }

    #[test]
    fn source_is_kept() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        let e = TransportError::with_source(TransportErrorKind::Connection, "connect", io);
        assert_eq!(e.source().unwrap().to_string(), "refused");
        assert_eq!(e.message(), "connect");
    }
}
