//! The crate's error type.

use std::error::Error as StdError;
use std::fmt;

/// What went wrong, as a closed set of cases a program can match on.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The ZIP container is unreadable: no end of central directory, truncated or inconsistent
    /// central directory, bad local header, corrupt deflate stream, CRC mismatch.
    BrokenArchive,
    /// The archive declares or holds more entries than [`ReadLimits::max_entries`](crate::ReadLimits).
    TooManyEntries,
    /// An entry name escapes the extraction root (`..`, absolute path, drive letter).
    ZipSlip,
    /// An entry decompresses to more than [`ReadLimits::max_ratio`](crate::ReadLimits) times its
    /// compressed size.
    ZipBomb,
    /// An entry, or all entries together, decompress to more than the configured limit.
    TooLarge,
    /// Two entries have the same name once case and separators are normalised.
    DuplicateEntry,
    /// An entry is encrypted: XDM archives are never encrypted, and decrypting is out of scope.
    EncryptedEntry,
    /// An entry uses a compression method other than stored or deflate.
    UnsupportedCompression,
    /// An entry name is not usable: empty, control characters, or not an 8.3 name where one is
    /// required.
    InvalidName,
    /// The archive does not have the IHE XDM layout (no `IHE_XDM/` folder, no submission set,
    /// missing `INDEX.HTM`/`README.TXT`, path separator missing after `SUBSETnn`).
    InvalidLayout,
    /// A `METADATA.XML` cannot be read or lacks what the reader needs.
    InvalidMetadata,
    /// A document entry of the metadata has no file in the archive, or a file of the archive has
    /// no document entry.
    MissingDocument,
    /// A document's bytes do not match the `size` or `hash` of its metadata.
    IntegrityMismatch,
    /// A value given to a builder is unusable (empty, too long, forbidden characters).
    InvalidInput,
    /// The documents of one message concern more than one patient.
    MixedPatients,
    /// The message is larger than the configured size limit.
    MessageTooLarge,
    /// An e-mail address is malformed, or a patient address was asked for without a qualified
    /// INS.
    InvalidAddress,
    /// A mail, a disposition notification or a delivery status notification cannot be parsed.
    InvalidMessage,
    /// A CDA document could not be parsed.
    Cda,
    /// The SMTP server refused a command or the session failed.
    Smtp,
    /// The IMAP server refused a command or the session failed.
    Imap,
    /// TLS configuration or handshake failure.
    Tls,
    /// An I/O error (socket, file).
    Io,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::BrokenArchive => "broken ZIP archive",
            Self::TooManyEntries => "too many ZIP entries",
            Self::ZipSlip => "ZIP entry escapes the archive root (zip slip)",
            Self::ZipBomb => "ZIP entry compression ratio too high (zip bomb)",
            Self::TooLarge => "size limit exceeded",
            Self::DuplicateEntry => "duplicate ZIP entry",
            Self::EncryptedEntry => "encrypted ZIP entry",
            Self::UnsupportedCompression => "unsupported ZIP compression method",
            Self::InvalidName => "invalid file name",
            Self::InvalidLayout => "not an IHE XDM layout",
            Self::InvalidMetadata => "invalid XDM metadata",
            Self::MissingDocument => "document missing",
            Self::IntegrityMismatch => "document does not match its metadata",
            Self::InvalidInput => "invalid input",
            Self::MixedPatients => "more than one patient in one message",
            Self::MessageTooLarge => "message too large",
            Self::InvalidAddress => "invalid address",
            Self::InvalidMessage => "invalid message",
            Self::Cda => "CDA document error",
            Self::Smtp => "SMTP error",
            Self::Imap => "IMAP error",
            Self::Tls => "TLS error",
            Self::Io => "I/O error",
        })
    }
}

/// An error of this crate: a [`kind`](Error::kind), a message, and where known the location
/// (archive entry, header, byte offset) and the offending value.
///
/// Values that could identify a patient (INS, names) are never stored in the error: the
/// constructors that take one redact it.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    location: Option<String>,
    value: Option<String>,
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
}

impl Error {
    /// A new error of `kind` with a message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            location: None,
            value: None,
            source: None,
        }
    }

    /// Sets where the error was found (entry name, header name, byte offset).
    #[must_use]
    pub fn at(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }

    /// Sets the offending value (never an INS or a patient name: see [`Error::redacted`]).
    #[must_use]
    pub fn value(mut self, value: impl Into<String>) -> Self {
        let mut v: String = value.into();
        if v.len() > 120 {
            let mut cut = 120;
            while !v.is_char_boundary(cut) {
                cut -= 1;
            }
            v.truncate(cut);
            v.push('…');
        }
        self.value = Some(v);
        self
    }

    /// Sets the offending value as a redacted marker: its length only.
    #[must_use]
    pub fn redacted(mut self, value: &str) -> Self {
        self.value = Some(format!("<redacted, {} chars>", value.chars().count()));
        self
    }

    /// Attaches the underlying cause.
    #[must_use]
    pub fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The human-readable message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where the error was found, if known.
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }

    /// The offending value, if known (redacted for patient data).
    pub fn offending_value(&self) -> Option<&str> {
        self.value.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)?;
        if let Some(location) = &self.location {
            write!(f, " (at {location})")?;
        }
        if let Some(value) = &self.value {
            write!(f, " [value: {value:?}]")?;
        }
        Ok(())
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn StdError + 'static))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Self::new(ErrorKind::Io, e.to_string()).with_source(e)
    }
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_carries_location_and_value() {
        let e = Error::new(ErrorKind::ZipSlip, "entry leaves the root")
            .at("entry 3")
            .value("../../etc/passwd");
        assert_eq!(
            e.to_string(),
            "ZIP entry escapes the archive root (zip slip): entry leaves the root (at entry 3) [value: \"../../etc/passwd\"]"
        );
        assert_eq!(e.kind(), ErrorKind::ZipSlip);
    }

    #[test]
    fn redaction_keeps_only_the_length() {
        let e = Error::new(ErrorKind::InvalidAddress, "not qualified").redacted("279035121518989");
        assert_eq!(e.offending_value(), Some("<redacted, 15 chars>"));
        assert!(!e.to_string().contains("2790"));
    }

    #[test]
    fn long_values_are_cut_on_a_char_boundary() {
        let e = Error::new(ErrorKind::InvalidInput, "x").value("é".repeat(200));
        assert!(e.offending_value().unwrap().ends_with('…'));
    }
}
