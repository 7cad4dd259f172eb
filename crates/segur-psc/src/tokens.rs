//! Token endpoint responses, introspection responses.

use std::fmt;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::idtoken::IdTokenClaims;
use crate::secret::Secret;

/// A token endpoint's successful response (RFC 6749 §5.1, plus Keycloak's members).
#[derive(Clone, Deserialize)]
#[non_exhaustive]
pub struct TokenResponse {
    /// `access_token`.
    pub access_token: Secret,
    /// `token_type` (`Bearer`).
    pub token_type: String,
    /// `expires_in`, seconds.
    #[serde(default)]
    pub expires_in: Option<u64>,
    /// `refresh_token`.
    #[serde(default)]
    pub refresh_token: Option<Secret>,
    /// Keycloak's `refresh_expires_in`, seconds.
    #[serde(default)]
    pub refresh_expires_in: Option<u64>,
    /// `id_token`, as received (validated separately, see [`Tokens`]).
    #[serde(default)]
    pub id_token: Option<Secret>,
    /// `scope`.
    #[serde(default)]
    pub scope: Option<String>,
    /// `issued_token_type` (RFC 8693 token exchange).
    #[serde(default)]
    pub issued_token_type: Option<String>,
    /// Keycloak's `session_state`.
    #[serde(default)]
    pub session_state: Option<String>,
}

impl fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("access_token", &self.access_token)
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("refresh_token", &self.refresh_token)
            .field("id_token", &self.id_token)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl TokenResponse {
    /// Parses a token endpoint response body. Errors never quote the body.
    pub fn from_json(json: &[u8]) -> Result<Self> {
        let r: Self = serde_json::from_slice(json)
            .map_err(|e| crate::error::json_error("token response", &e, false))?;
        if !r.token_type.eq_ignore_ascii_case("bearer") && !r.token_type.eq_ignore_ascii_case("N_A")
        {
            return Err(Error::Json {
                document: "token response",
                line: 0,
                column: 0,
                detail: format!("token_type {:?} is not Bearer", r.token_type),
            });
        }
        Ok(r)
    }
}

/// A verified ID token: header facts, claims, and the token itself (for `id_token_hint`).
#[derive(Clone, Debug)]
pub struct IdToken {
    /// The claims, verified.
    pub claims: IdTokenClaims,
    /// The signing algorithm.
    pub alg: crate::jose::Algorithm,
    /// The key id, if any.
    pub kid: Option<String>,
    /// The compact token.
    pub raw: Secret,
}

/// The outcome of a token request: the response and its verified ID token.
#[derive(Clone, Debug)]
pub struct Tokens {
    /// The raw response.
    pub response: TokenResponse,
    /// The ID token, verified (absent when the response had none, e.g. some refreshes).
    pub id_token: Option<IdToken>,
    /// When the access token expires (seconds since the epoch, from the clock and
    /// `expires_in`).
    pub expires_at: Option<i64>,
}

impl Tokens {
    /// The access token.
    pub fn access_token(&self) -> &Secret {
        &self.response.access_token
    }

    /// The refresh token, if any.
    pub fn refresh_token(&self) -> Option<&Secret> {
        self.response.refresh_token.as_ref()
    }
}

/// A token introspection response (RFC 7662, plus Keycloak/PSC members).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Introspection {
    /// `active`: whether the token is valid now. Everything else is meaningful only then.
    pub active: bool,
    /// `scope`.
    #[serde(default)]
    pub scope: Option<String>,
    /// `client_id`.
    #[serde(default)]
    pub client_id: Option<String>,
    /// `username` (the national id, in PSC).
    #[serde(default)]
    pub username: Option<String>,
    /// `token_type`.
    #[serde(default)]
    pub token_type: Option<String>,
    /// `exp`.
    #[serde(default)]
    pub exp: Option<i64>,
    /// `iat`.
    #[serde(default)]
    pub iat: Option<i64>,
    /// `sub`.
    #[serde(default)]
    pub sub: Option<String>,
    /// `iss`.
    #[serde(default)]
    pub iss: Option<String>,
    /// `acr`.
    #[serde(default)]
    pub acr: Option<String>,
    /// `authMode` (PSC).
    #[serde(default, rename = "authMode")]
    pub auth_mode: Option<String>,
    /// `preferred_username`.
    #[serde(default)]
    pub preferred_username: Option<String>,
    /// Every other member (`aud`, `jti`, `azp`, `session_state`, `otherIds`, `cnf`...).
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl Introspection {
    /// Parses an introspection response.
    pub fn from_json(json: &[u8]) -> Result<Self> {
        serde_json::from_slice(json)
            .map_err(|e| crate::error::json_error("introspection response", &e, true))
    }

    /// The scopes, split.
    pub fn scopes(&self) -> Vec<&str> {
        self.scope
            .as_deref()
            .map(|s| s.split_ascii_whitespace().collect())
            .unwrap_or_default()
    }
}
