//! PSC environments and the provider's discovery document, checked strictly.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::form::{check_endpoint_url, host_of};
use crate::jose::Algorithm;

/// Largest discovery document accepted, in bytes.
pub const MAX_DISCOVERY_LEN: usize = 256 * 1024;

/// PSC's discovery path, relative to the issuer.
pub const WALLET_DISCOVERY_PATH: &str = "/.well-known/wallet-openid-configuration";
/// The standard OpenID Connect discovery path, relative to the issuer.
pub const STANDARD_DISCOVERY_PATH: &str = "/.well-known/openid-configuration";

/// Which Pro Santé Connect instance to talk to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Environment {
    /// Production: `https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet`.
    Production,
    /// The current sandbox ("bac à sable", BAS):
    /// `https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet`.
    Sandbox,
    /// Any other issuer (a test provider, a legacy sandbox).
    Custom {
        /// The issuer, exactly as the provider writes it in its `iss` claims.
        issuer: String,
        /// The discovery path appended to the issuer: [`WALLET_DISCOVERY_PATH`] for PSC-like
        /// providers, [`STANDARD_DISCOVERY_PATH`] for others.
        discovery_path: String,
        /// Whether plain `http` endpoints on the loopback interface are accepted (tests only).
        allow_http_loopback: bool,
    },
}

impl Environment {
    /// A custom PSC-like issuer, discovered at `<issuer>/.well-known/wallet-openid-configuration`.
    pub fn custom(issuer: impl Into<String>) -> Self {
        Self::Custom {
            issuer: issuer.into().trim_end_matches('/').to_owned(),
            discovery_path: WALLET_DISCOVERY_PATH.into(),
            allow_http_loopback: false,
        }
    }

    /// A test provider on the loopback interface, over plain http (discovered on the PSC path).
    pub fn loopback(issuer: impl Into<String>) -> Self {
        Self::Custom {
            issuer: issuer.into().trim_end_matches('/').to_owned(),
            discovery_path: WALLET_DISCOVERY_PATH.into(),
            allow_http_loopback: true,
        }
    }

    /// The issuer.
    pub fn issuer(&self) -> &str {
        match self {
            Self::Production => "https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet",
            Self::Sandbox => "https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet",
            Self::Custom { issuer, .. } => issuer,
        }
    }

    /// The URL of the discovery document.
    pub fn discovery_url(&self) -> String {
        let path = match self {
            Self::Custom { discovery_path, .. } => discovery_path.as_str(),
            _ => WALLET_DISCOVERY_PATH,
        };
        format!("{}{}", self.issuer(), path)
    }

    /// Whether plain-http loopback endpoints are accepted.
    pub fn allows_http_loopback(&self) -> bool {
        matches!(
            self,
            Self::Custom {
                allow_http_loopback: true,
                ..
            }
        )
    }

    /// The environment of a well-known issuer, or a custom one.
    pub fn from_issuer(issuer: &str) -> Self {
        let trimmed = issuer.trim_end_matches('/');
        [Self::Production, Self::Sandbox]
            .into_iter()
            .find(|e| e.issuer() == trimmed)
            .unwrap_or_else(|| {
                if host_of(trimmed).is_some_and(|h| crate::form::is_loopback(&h)) {
                    Self::loopback(trimmed)
                } else {
                    Self::custom(trimmed)
                }
            })
    }
}

/// The provider metadata this client uses (OpenID Connect Discovery 1.0, RFC 8414, CIBA).
///
/// Unknown members are ignored. Build it with [`ProviderMetadata::parse`], which checks it.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProviderMetadata {
    /// `issuer`.
    pub issuer: String,
    /// `authorization_endpoint` (on `wallet.*`, another host than the issuer, in PSC).
    pub authorization_endpoint: String,
    /// `token_endpoint`.
    pub token_endpoint: String,
    /// `jwks_uri`.
    pub jwks_uri: String,
    /// `userinfo_endpoint`.
    #[serde(default)]
    pub userinfo_endpoint: Option<String>,
    /// `introspection_endpoint`.
    #[serde(default)]
    pub introspection_endpoint: Option<String>,
    /// `revocation_endpoint`.
    #[serde(default)]
    pub revocation_endpoint: Option<String>,
    /// `end_session_endpoint`.
    #[serde(default)]
    pub end_session_endpoint: Option<String>,
    /// `backchannel_authentication_endpoint` (CIBA).
    #[serde(default)]
    pub backchannel_authentication_endpoint: Option<String>,
    /// `backchannel_token_delivery_modes_supported`.
    #[serde(default)]
    pub backchannel_token_delivery_modes_supported: Vec<String>,
    /// `response_types_supported`.
    #[serde(default)]
    pub response_types_supported: Vec<String>,
    /// `grant_types_supported`.
    #[serde(default)]
    pub grant_types_supported: Vec<String>,
    /// `scopes_supported`.
    #[serde(default)]
    pub scopes_supported: Vec<String>,
    /// `acr_values_supported`.
    #[serde(default)]
    pub acr_values_supported: Vec<String>,
    /// `claims_supported`.
    #[serde(default)]
    pub claims_supported: Vec<String>,
    /// `id_token_signing_alg_values_supported`.
    #[serde(default)]
    pub id_token_signing_alg_values_supported: Vec<String>,
    /// `userinfo_signing_alg_values_supported`.
    #[serde(default)]
    pub userinfo_signing_alg_values_supported: Vec<String>,
    /// `token_endpoint_auth_methods_supported`.
    #[serde(default)]
    pub token_endpoint_auth_methods_supported: Vec<String>,
    /// `code_challenge_methods_supported`.
    #[serde(default)]
    pub code_challenge_methods_supported: Vec<String>,
    /// `authorization_response_iss_parameter_supported` (RFC 9207).
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: bool,
    /// `tls_client_certificate_bound_access_tokens` (RFC 8705).
    #[serde(default)]
    pub tls_client_certificate_bound_access_tokens: bool,
    /// `mtls_endpoint_aliases` (RFC 8705): endpoint name to URL.
    #[serde(default)]
    pub mtls_endpoint_aliases: BTreeMap<String, String>,
}

/// Something odd in a discovery document that does not prevent using it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DiscoveryFinding {
    /// The authorization endpoint is on another host than the issuer (expected for PSC, whose
    /// login front-end is `wallet.*`).
    AuthorizationOnAnotherHost {
        /// The authorization endpoint's host.
        host: String,
    },
    /// An endpoint other than the authorization endpoint is on another host than the issuer.
    EndpointOnAnotherHost {
        /// The field.
        field: &'static str,
        /// Its host.
        host: String,
    },
    /// `acr_values_supported` is present and lacks `eidas1`.
    NoEidas1 {
        /// What it lists.
        advertised: Vec<String>,
    },
    /// `scopes_supported` is present and lacks `scope_all`.
    NoScopeAll,
    /// `code_challenge_methods_supported` is present and lacks `S256` (PKCE is sent anyway).
    NoPkceS256,
    /// `none` is advertised as a signing algorithm (it is never accepted).
    NoneAlgorithmAdvertised {
        /// The field.
        field: &'static str,
    },
}

impl ProviderMetadata {
    /// Parses and checks a discovery document fetched for `environment`.
    ///
    /// Errors (the document is unusable): not JSON, a required member missing, `issuer` not
    /// exactly the environment's issuer (OpenID Connect Discovery §4.3), an endpoint that is
    /// not an absolute `https` URL (plain `http` on loopback when the environment allows it),
    /// no `code` response type, no ID-token signing algorithm this crate implements.
    pub fn parse(json: &[u8], environment: &Environment) -> Result<Self> {
        if json.len() > MAX_DISCOVERY_LEN {
            return Err(Error::TooLarge {
                what: "discovery document",
                size: json.len(),
                limit: MAX_DISCOVERY_LEN,
            });
        }
        let meta: Self = serde_json::from_slice(json)
            .map_err(|e| crate::error::json_error("discovery document", &e, true))?;
        meta.check(environment)?;
        Ok(meta)
    }

    fn check(&self, environment: &Environment) -> Result<()> {
        let bad = |field: &'static str, problem: String| Error::Discovery { field, problem };
        if self.issuer != environment.issuer() {
            return Err(bad(
                "issuer",
                format!(
                    "{:?} is not the expected issuer {:?}",
                    self.issuer,
                    environment.issuer()
                ),
            ));
        }
        let http_ok = environment.allows_http_loopback();
        check_endpoint_url(&self.issuer, http_ok).map_err(|p| bad("issuer", p))?;
        for (field, url) in self.endpoints() {
            check_endpoint_url(url, http_ok).map_err(|p| bad(field, p))?;
        }
        for (name, url) in &self.mtls_endpoint_aliases {
            check_endpoint_url(url, http_ok)
                .map_err(|p| bad("mtls_endpoint_aliases", format!("{name}: {p}")))?;
        }
        if !self.response_types_supported.is_empty()
            && !self.response_types_supported.iter().any(|r| r == "code")
        {
            return Err(bad(
                "response_types_supported",
                format!("{:?} lacks \"code\"", self.response_types_supported),
            ));
        }
        if !self.id_token_signing_alg_values_supported.is_empty()
            && !self
                .id_token_signing_alg_values_supported
                .iter()
                .any(|a| Algorithm::from_name(a).is_some())
        {
            return Err(bad(
                "id_token_signing_alg_values_supported",
                format!(
                    "{:?} has none of RS256, PS256, ES256, HS256",
                    self.id_token_signing_alg_values_supported
                ),
            ));
        }
        Ok(())
    }

    /// Every endpoint URL with its field name.
    pub fn endpoints(&self) -> Vec<(&'static str, &str)> {
        let mut v = vec![
            (
                "authorization_endpoint",
                self.authorization_endpoint.as_str(),
            ),
            ("token_endpoint", self.token_endpoint.as_str()),
            ("jwks_uri", self.jwks_uri.as_str()),
        ];
        let optional = [
            ("userinfo_endpoint", &self.userinfo_endpoint),
            ("introspection_endpoint", &self.introspection_endpoint),
            ("revocation_endpoint", &self.revocation_endpoint),
            ("end_session_endpoint", &self.end_session_endpoint),
            (
                "backchannel_authentication_endpoint",
                &self.backchannel_authentication_endpoint,
            ),
        ];
        v.extend(
            optional
                .into_iter()
                .filter_map(|(f, u)| u.as_deref().map(|u| (f, u))),
        );
        v
    }

    /// The oddities of the document (see [`DiscoveryFinding`]).
    pub fn findings(&self) -> Vec<DiscoveryFinding> {
        let mut out = Vec::new();
        let issuer_host = host_of(&self.issuer);
        for (field, url) in self.endpoints() {
            let host = host_of(url);
            if host == issuer_host {
                continue;
            }
            let host = host.unwrap_or_default();
            out.push(if field == "authorization_endpoint" {
                DiscoveryFinding::AuthorizationOnAnotherHost { host }
            } else {
                DiscoveryFinding::EndpointOnAnotherHost { field, host }
            });
        }
        if !self.acr_values_supported.is_empty()
            && !self.acr_values_supported.iter().any(|a| a == "eidas1")
        {
            out.push(DiscoveryFinding::NoEidas1 {
                advertised: self.acr_values_supported.clone(),
            });
        }
        if !self.scopes_supported.is_empty()
            && !self.scopes_supported.iter().any(|s| s == "scope_all")
        {
            out.push(DiscoveryFinding::NoScopeAll);
        }
        if !self.code_challenge_methods_supported.is_empty()
            && !self
                .code_challenge_methods_supported
                .iter()
                .any(|m| m == "S256")
        {
            out.push(DiscoveryFinding::NoPkceS256);
        }
        for (field, algs) in [
            (
                "id_token_signing_alg_values_supported",
                &self.id_token_signing_alg_values_supported,
            ),
            (
                "userinfo_signing_alg_values_supported",
                &self.userinfo_signing_alg_values_supported,
            ),
        ] {
            if algs.iter().any(|a| a == "none") {
                out.push(DiscoveryFinding::NoneAlgorithmAdvertised { field });
            }
        }
        out
    }

    /// The discovery document as JSON (for the command line).
    pub fn to_json(&self) -> Value {
        let mut m = serde_json::Map::new();
        m.insert("issuer".into(), self.issuer.clone().into());
        for (field, url) in self.endpoints() {
            m.insert(field.into(), url.into());
        }
        m.insert(
            "id_token_signing_alg_values_supported".into(),
            self.id_token_signing_alg_values_supported.clone().into(),
        );
        m.insert(
            "acr_values_supported".into(),
            self.acr_values_supported.clone().into(),
        );
        m.insert(
            "backchannel_token_delivery_modes_supported".into(),
            self.backchannel_token_delivery_modes_supported
                .clone()
                .into(),
        );
        Value::Object(m)
    }
}
