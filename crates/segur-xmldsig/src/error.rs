//! The crate's single error type.

/// Everything that can go wrong in this crate.
///
/// Each variant carries what is needed to locate the problem: a byte offset into the input
/// document, an element path (`/{ns}local/{ns}local`), or the offending value. Key material is
/// never included.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is not well-formed XML (or uses a feature this crate refuses, such as an
    /// undeclared namespace prefix).
    #[error("malformed XML at byte {offset}: {message}")]
    Xml {
        /// Byte offset in the input where the problem was detected.
        offset: usize,
        /// What is wrong.
        message: String,
    },
    /// The document contains a document type declaration; DTDs (and therefore entity
    /// declarations and expansion) are refused.
    #[error("DTD at byte {offset} refused: document type declarations are not accepted")]
    DtdRejected {
        /// Byte offset of the `<!DOCTYPE`.
        offset: usize,
    },
    /// A reference to an entity other than the five predefined ones.
    #[error("undefined entity `&{name};` at byte {offset}")]
    UndefinedEntity {
        /// The entity name.
        name: String,
        /// Byte offset of the reference.
        offset: usize,
    },
    /// The document is not UTF-8 (the only encoding accepted).
    #[error("unsupported encoding at byte {offset}: {encoding}")]
    UnsupportedEncoding {
        /// The declared encoding, or `invalid UTF-8`.
        encoding: String,
        /// Byte offset of the problem.
        offset: usize,
    },
    /// One of the [`ParseLimits`](crate::ParseLimits) was exceeded.
    #[error("limit exceeded at byte {offset}: {limit} (maximum {maximum})")]
    LimitExceeded {
        /// Which limit.
        limit: &'static str,
        /// The configured maximum.
        maximum: usize,
        /// Byte offset where the limit was hit.
        offset: usize,
    },
    /// No element carries the requested ID attribute value.
    #[error("no element has {attribute}=\"{value}\"")]
    IdNotFound {
        /// The ID attribute name.
        attribute: String,
        /// The value looked for.
        value: String,
    },
    /// Several elements carry the same ID value: references to it are ambiguous (a classic
    /// signature-wrapping trick), so the document is refused.
    #[error("{count} elements have {attribute}=\"{value}\" (IDs must be unique)")]
    DuplicateId {
        /// The ID attribute name.
        attribute: String,
        /// The duplicated value.
        value: String,
        /// How many elements carry it.
        count: usize,
    },
    /// The element the caller expects is absent, or its path is ambiguous.
    #[error("expected element {path}: {reason}")]
    ElementNotFound {
        /// The expected path or description.
        path: String,
        /// `not found`, `ambiguous`, ...
        reason: String,
    },
    /// The requested signature placement cannot be applied to the element.
    #[error("cannot place the signature in {path}: {reason}")]
    Placement {
        /// Path of the element being signed.
        path: String,
        /// Why.
        reason: String,
    },
    /// The signed element has no enveloped `ds:Signature` child.
    #[error("no ds:Signature child in {path}")]
    SignatureMissing {
        /// Path of the element that should carry the signature.
        path: String,
    },
    /// The `ds:Signature` element does not have the structure this crate accepts (more than one
    /// signature or reference, missing or unexpected children, bad base64, ...).
    #[error("unacceptable signature structure at {path}: {reason}")]
    SignatureStructure {
        /// Path of the offending element.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// An algorithm URI that is unknown or not allowed by the verification options.
    #[error("algorithm not accepted at {path}: {uri}")]
    UnsupportedAlgorithm {
        /// The algorithm URI.
        uri: String,
        /// Path of the element that names it.
        path: String,
    },
    /// The reference does not point to the element the caller expects.
    #[error("reference URI \"{found}\" does not designate the expected element (\"{expected}\")")]
    ReferenceMismatch {
        /// `#` + the expected element's ID.
        expected: String,
        /// The URI found in the signature.
        found: String,
    },
    /// The reference uses transforms other than enveloped-signature + canonicalisation.
    #[error("unexpected transforms: {found:?}")]
    UnexpectedTransforms {
        /// The transform URIs found, in order.
        found: Vec<String>,
    },
    /// The digest of the referenced element does not match `DigestValue`: the signed content
    /// was modified.
    #[error("digest mismatch for reference \"{uri}\": the signed element was modified")]
    DigestMismatch {
        /// The reference URI.
        uri: String,
    },
    /// The signature value does not verify with the key: `SignedInfo` was modified or the
    /// wrong key/certificate is used.
    #[error("signature value does not verify with the certificate of {subject}")]
    SignatureInvalid {
        /// Subject DN of the certificate whose key was used.
        subject: String,
    },
    /// A XAdES manifest does not cover the submitted documents exactly: a document without a
    /// reference, a reference to an unknown document, a reference given twice.
    #[error("manifest reference \"{uri}\": {reason}")]
    ManifestMismatch {
        /// The reference URI (`urn:oid:<uniqueId>`).
        uri: String,
        /// What is wrong.
        reason: String,
    },
    /// The XAdES `SigningCertificate` does not designate the certificate whose key verified
    /// the signature (digest or issuer/serial differ).
    #[error("SigningCertificate does not designate the signing certificate {subject}: {reason}")]
    SigningCertificateMismatch {
        /// Subject DN of the certificate whose key verified the signature.
        subject: String,
        /// What differs.
        reason: String,
    },
    /// The input given to a builder cannot produce a valid document (empty identifier, no
    /// document to sign, ...).
    #[error("invalid input: {reason}")]
    InvalidInput {
        /// Why.
        reason: String,
    },
    /// The signing certificate is not acceptable (no chain to a trust anchor, outside its
    /// validity period, wrong key usage, ...).
    #[error("certificate {subject} not trusted: {reason}")]
    CertificateNotTrusted {
        /// Subject DN (RFC 2253) of the certificate.
        subject: String,
        /// Why.
        reason: String,
    },
    /// A certificate could not be parsed.
    #[error("invalid certificate: {reason}")]
    Certificate {
        /// Why.
        reason: String,
    },
    /// A private key could not be loaded, or does not match its certificate.
    #[error("invalid key: {reason}")]
    Key {
        /// Why.
        reason: String,
    },
    /// PEM input without the expected section, or malformed.
    #[error("PEM: {reason}")]
    Pem {
        /// Why.
        reason: String,
    },
    /// A PKCS#12 file could not be opened (wrong password, unsupported algorithm, no key).
    #[error("PKCS#12: {reason}")]
    Pkcs12 {
        /// Why.
        reason: String,
    },
    /// The [`Signer`](crate::Signer) failed (smart card removed, HSM error, ...).
    #[error("signer failed: {reason}")]
    Signing {
        /// Why, as reported by the signer.
        reason: String,
    },
}

/// Shorthand for `Result<T, segur_xmldsig::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
