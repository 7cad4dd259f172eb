//! The crate's error type.

use std::fmt;

use segur_transport::TransportError;

use crate::jose::Algorithm;

/// Everything that can go wrong in this crate.
///
/// No variant ever carries a token, a client secret, a PKCE verifier or a nonce: they are
/// replaced by a description of what was wrong with them.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A compact JWS/JWT is malformed (segment count, base64url, header JSON).
    #[error("malformed JWS at byte {offset}: {reason}")]
    MalformedJws {
        /// Byte offset in the compact serialization where the problem is.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// The token is a JWE (encrypted, five segments): decryption is not supported.
    #[error("encrypted (JWE) tokens are not supported; register the client without encryption")]
    EncryptedToken,
    /// The `alg` header names an algorithm this client refuses (`none`, unknown ones, or one
    /// outside the configured policy).
    #[error("JWS algorithm {alg:?} is not accepted")]
    AlgorithmNotAllowed {
        /// The `alg` header value.
        alg: String,
    },
    /// The `crit` header lists an extension this client does not understand (RFC 7515 §4.1.11).
    #[error("JWS header marks extension {name:?} as critical, which is not understood")]
    UnknownCriticalHeader {
        /// The critical extension's name.
        name: String,
    },
    /// No key of the JWKS (even after re-fetching it) matches the token's `kid`.
    #[error("no verification key with kid {kid:?} in the provider's JWKS")]
    UnknownKeyId {
        /// The token's `kid` header, if any.
        kid: Option<String>,
    },
    /// The key selected by `kid` cannot verify the header's algorithm (algorithm confusion).
    #[error("key {kid:?} of type {kty} cannot verify {alg} signatures")]
    KeyAlgorithmMismatch {
        /// The key's `kid`.
        kid: Option<String>,
        /// The key's type (`RSA`, `EC`, `oct`).
        kty: &'static str,
        /// The token's algorithm.
        alg: Algorithm,
    },
    /// The signature does not verify.
    #[error("invalid {alg} signature")]
    BadSignature {
        /// The algorithm used.
        alg: Algorithm,
    },
    /// A JWK or the JWKS document is unusable.
    #[error("invalid JWK{}: {reason}", index.map(|i| format!(" #{i}")).unwrap_or_default())]
    InvalidJwk {
        /// Index of the key in the `keys` array, when the problem is in one key.
        index: Option<usize>,
        /// What is wrong.
        reason: String,
    },
    /// A claim of an ID token (or signed userinfo) fails validation.
    #[error("claim `{claim}`: {problem}")]
    Claim {
        /// The claim's name.
        claim: &'static str,
        /// What is wrong with it.
        problem: ClaimProblem,
    },
    /// The discovery document fails a check.
    #[error("discovery document, `{field}`: {problem}")]
    Discovery {
        /// The offending field.
        field: &'static str,
        /// What is wrong, with the offending value.
        problem: String,
    },
    /// A JSON document does not parse, or does not have the expected shape.
    #[error("invalid JSON in {document} at line {line}, column {column}: {detail}")]
    Json {
        /// Which document (`"userinfo"`, `"token response"`, ...).
        document: &'static str,
        /// Line of the problem (1-based; 0 when unknown).
        line: usize,
        /// Column of the problem (1-based; 0 when unknown).
        column: usize,
        /// What is wrong; never quotes values of documents that carry tokens.
        detail: String,
    },
    /// An endpoint answered with an OAuth 2.0 error (`{"error": ...}`).
    #[error("{endpoint} endpoint answered `{error}` (HTTP {status}){}", description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    OAuth {
        /// Which endpoint.
        endpoint: Endpoint,
        /// The HTTP status.
        status: u16,
        /// The `error` code (`invalid_grant`, `access_denied`, `expired_token`, ...).
        error: String,
        /// The `error_description`, truncated to 200 characters.
        description: Option<String>,
    },
    /// An endpoint answered something that is neither a success nor an OAuth error.
    #[error("{endpoint} endpoint answered HTTP {status} ({content_type})")]
    UnexpectedResponse {
        /// Which endpoint.
        endpoint: Endpoint,
        /// The HTTP status.
        status: u16,
        /// The response's content type (empty when absent).
        content_type: String,
    },
    /// A document or token exceeds this crate's size limits.
    #[error("{what} is too large: {size} bytes, limit {limit}")]
    TooLarge {
        /// What was too large.
        what: &'static str,
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The authorization callback (redirect back from the provider) is unusable.
    #[error("authorization callback: {0}")]
    Callback(CallbackProblem),
    /// The CIBA request expired (`expired_token` or local expiry) before the user approved it.
    #[error("the CIBA authentication request expired before the user approved it")]
    CibaExpired,
    /// A caller-supplied parameter is invalid.
    #[error("invalid {name}: {reason}")]
    InvalidParameter {
        /// Which parameter.
        name: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The provider does not advertise an endpoint this operation needs.
    #[error("the provider does not advertise a {0} endpoint")]
    MissingEndpoint(Endpoint),
    /// The PSC user lacks a value the VIHF needs (see `PscUserInfo::psc_professional`).
    #[error("the PSC user lacks `{field}`, needed for the VIHF")]
    Incomplete {
        /// The missing userinfo member (or VIHF attribute).
        field: &'static str,
    },
    /// A private key (for `private_key_jwt`) is unusable.
    #[error("invalid private key: {0}")]
    InvalidPrivateKey(&'static str),
    /// The request could not be sent or got no response.
    #[error("transport: {0}")]
    Transport(#[from] TransportError),
}

/// What is wrong with a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClaimProblem {
    /// The claim is absent.
    Missing,
    /// The claim has the wrong JSON type.
    WrongType,
    /// `iss` is not the provider's issuer.
    IssuerMismatch {
        /// The issuer expected.
        expected: String,
        /// The issuer found.
        found: String,
    },
    /// `aud` does not contain the client id, or contains untrusted audiences.
    AudienceMismatch {
        /// The client id.
        expected: String,
        /// The audiences found.
        found: Vec<String>,
    },
    /// `azp` is present and is not the client id.
    AuthorizedPartyMismatch {
        /// The `azp` found.
        found: String,
    },
    /// `exp` is in the past (beyond the leeway).
    Expired {
        /// `exp` (seconds since the epoch).
        exp: i64,
        /// The clock's time.
        now: i64,
    },
    /// `nbf` is in the future (beyond the leeway).
    NotYetValid {
        /// `nbf`.
        nbf: i64,
        /// The clock's time.
        now: i64,
    },
    /// `iat` is in the future (beyond the leeway).
    IssuedInTheFuture {
        /// `iat`.
        iat: i64,
        /// The clock's time.
        now: i64,
    },
    /// `nonce` differs from the one sent in the authorization request.
    NonceMismatch,
    /// `acr` is below the required level (or unknown while a level is required).
    AcrTooLow {
        /// The minimum level.
        required: String,
        /// The `acr` found (empty when absent).
        found: String,
    },
    /// `sub` differs from the ID token's (userinfo must be about the same subject).
    SubjectMismatch,
    /// `at_hash` does not match the access token issued with the ID token.
    AccessTokenHashMismatch,
}

impl fmt::Display for ClaimProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing => f.write_str("missing"),
            Self::WrongType => f.write_str("wrong JSON type"),
            Self::IssuerMismatch { expected, found } => {
                write!(f, "issuer {found:?} is not the expected {expected:?}")
            }
            Self::AudienceMismatch { expected, found } => {
                write!(f, "audience {found:?} does not match client {expected:?}")
            }
            Self::AuthorizedPartyMismatch { found } => {
                write!(f, "authorized party {found:?} is not this client")
            }
            Self::Expired { exp, now } => write!(f, "expired at {exp}, now {now}"),
            Self::NotYetValid { nbf, now } => write!(f, "not valid before {nbf}, now {now}"),
            Self::IssuedInTheFuture { iat, now } => {
                write!(f, "issued in the future ({iat}), now {now}")
            }
            Self::NonceMismatch => f.write_str("does not match the nonce of the request"),
            Self::AcrTooLow { required, found } => {
                write!(f, "level {found:?} is below the required {required:?}")
            }
            Self::SubjectMismatch => f.write_str("differs from the ID token's subject"),
            Self::AccessTokenHashMismatch => f.write_str("does not match the access token"),
        }
    }
}

/// What is wrong with an authorization callback.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallbackProblem {
    /// The provider returned an error (`access_denied`, `login_required`, ...).
    ProviderError {
        /// The `error` code.
        error: String,
        /// The `error_description`, truncated to 200 characters.
        description: Option<String>,
    },
    /// The `state` is absent or does not match the request's (possible CSRF).
    StateMismatch,
    /// The RFC 9207 `iss` parameter names another issuer (mix-up attack).
    IssuerMismatch {
        /// The `iss` found.
        found: String,
    },
    /// The callback has no `code`.
    MissingCode,
    /// The callback URL or query cannot be parsed.
    Malformed(&'static str),
}

impl fmt::Display for CallbackProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ProviderError { error, description } => {
                write!(f, "provider returned `{error}`")?;
                if let Some(d) = description {
                    write!(f, ": {d}")?;
                }
                Ok(())
            }
            Self::StateMismatch => f.write_str("state does not match the request's"),
            Self::IssuerMismatch { found } => write!(f, "iss {found:?} is not the provider"),
            Self::MissingCode => f.write_str("no authorization code"),
            Self::Malformed(why) => write!(f, "malformed: {why}"),
        }
    }
}

/// The provider endpoints, to say which one failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Endpoint {
    /// The discovery document.
    Discovery,
    /// The JWKS (`jwks_uri`).
    Jwks,
    /// The token endpoint.
    Token,
    /// The userinfo endpoint.
    Userinfo,
    /// The introspection endpoint.
    Introspection,
    /// The revocation endpoint.
    Revocation,
    /// The CIBA backchannel authentication endpoint.
    BackchannelAuthentication,
    /// The end-session (logout) endpoint.
    EndSession,
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Discovery => "discovery",
            Self::Jwks => "JWKS",
            Self::Token => "token",
            Self::Userinfo => "userinfo",
            Self::Introspection => "introspection",
            Self::Revocation => "revocation",
            Self::BackchannelAuthentication => "CIBA backchannel authentication",
            Self::EndSession => "end-session",
        })
    }
}

/// Truncates a provider-supplied description to 200 characters.
pub(crate) fn truncate_description(s: &str) -> String {
    s.chars().take(200).collect()
}

/// Maps a `serde_json` error to [`Error::Json`]. `quote` says whether the error's message (which
/// may quote a value) can be shown: false for documents carrying tokens.
pub(crate) fn json_error(document: &'static str, e: &serde_json::Error, quote: bool) -> Error {
    let detail = if quote {
        e.to_string()
    } else {
        match e.classify() {
            serde_json::error::Category::Io => "I/O error",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected shape or type",
            serde_json::error::Category::Eof => "unexpected end of input",
        }
        .to_owned()
    };
    Error::Json {
        document,
        line: e.line(),
        column: e.column(),
        detail,
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
