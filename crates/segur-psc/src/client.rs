//! The relying party: configuration, HTTP exchanges through a [`Transport`], token checks.

use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use base64::Engine as _;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use http::{HeaderValue, Method};
use segur_transport::{Clock, HttpRequest, HttpResponse, Randomness, Transport};
use serde_json::{Map, Value, json};

use crate::acr::AcrPolicy;
use crate::discovery::{Environment, ProviderMetadata};
use crate::error::{CallbackProblem, ClaimProblem, Endpoint, Error, Result, truncate_description};
use crate::form::{decode_pairs, encode_into, encode_pairs};
use crate::idtoken::{IdTokenClaims, IdTokenValidation, claim};
use crate::jose::{Algorithm, Jws, SigningKey, VerifyingKey, b64_encode};
use crate::jwk::Jwks;
use crate::secret::Secret;
use crate::tokens::{IdToken, Introspection, TokenResponse, Tokens};
use crate::userinfo::PscUserInfo;

/// Largest HTTP response body read, in bytes.
pub const MAX_RESPONSE_LEN: usize = 1024 * 1024;

/// How the client authenticates at the token, introspection, revocation and CIBA endpoints.
#[non_exhaustive]
pub enum ClientAuth {
    /// `client_secret_basic`: HTTP Basic with the client secret (PSC's default).
    SecretBasic(Secret),
    /// `client_secret_post`: the secret in the form body.
    SecretPost(Secret),
    /// `private_key_jwt` (RFC 7523): a short JWT signed with the client's key.
    PrivateKeyJwt(Box<SigningKey>),
    /// `tls_client_auth` (RFC 8705): the client certificate authenticates, configured on the
    /// transport (an IGC Santé ORG AUTH_CLI certificate); only `client_id` is sent, to the
    /// `mtls_endpoint_aliases` when the provider advertises them.
    TlsClientAuth,
    /// A public client: only `client_id` is sent.
    None,
}

impl fmt::Debug for ClientAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::SecretBasic(_) => "SecretBasic([redacted])",
            Self::SecretPost(_) => "SecretPost([redacted])",
            Self::PrivateKeyJwt(_) => "PrivateKeyJwt([redacted])",
            Self::TlsClientAuth => "TlsClientAuth",
            Self::None => "None",
        })
    }
}

impl ClientAuth {
    /// The client secret, for the authentications that have one (and for HS256 ID tokens).
    pub fn secret(&self) -> Option<&Secret> {
        match self {
            Self::SecretBasic(s) | Self::SecretPost(s) => Some(s),
            _ => None,
        }
    }
}

/// A relying party's registration and policy.
#[derive(Debug)]
#[non_exhaustive]
pub struct ClientConfig {
    /// The client id.
    pub client_id: String,
    /// The client authentication.
    pub auth: ClientAuth,
    /// The redirect URI registered for the code flow.
    pub redirect_uri: Option<String>,
    /// Scopes requested (default `openid scope_all`).
    pub scopes: Vec<String>,
    /// `acr_values` requested (default `eidas1`).
    pub acr_values: Vec<String>,
    /// The `acr` an ID token must carry (default: eIDAS level ≥ 1).
    pub acr_policy: AcrPolicy,
    /// Clock skew tolerated on `exp`, `iat`, `nbf`, in seconds (default 60).
    pub leeway_secs: i64,
    /// Algorithms accepted for ID tokens and signed userinfo (default ES256, PS256, RS256,
    /// HS256; HS256 is only usable with a client secret).
    pub algorithms: Vec<Algorithm>,
    /// Minimum time between two JWKS fetches triggered by an unknown `kid`, in seconds
    /// (default 10), so that tokens with made-up key ids cannot make the client hammer the
    /// provider.
    pub jwks_min_refresh_secs: i64,
}

impl ClientConfig {
    /// A configuration with PSC's defaults.
    pub fn new(client_id: impl Into<String>, auth: ClientAuth) -> Self {
        Self {
            client_id: client_id.into(),
            auth,
            redirect_uri: None,
            scopes: vec!["openid".into(), "scope_all".into()],
            acr_values: vec!["eidas1".into()],
            acr_policy: AcrPolicy::default(),
            leeway_secs: 60,
            algorithms: Algorithm::ALL.to_vec(),
            jwks_min_refresh_secs: 10,
        }
    }

    /// Sets the redirect URI.
    #[must_use]
    pub fn with_redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(uri.into());
        self
    }

    /// Sets the scopes (`openid` is added when missing).
    #[must_use]
    pub fn with_scopes(mut self, scopes: &[&str]) -> Self {
        self.scopes = scopes.iter().map(|s| (*s).to_owned()).collect();
        if !self.scopes.iter().any(|s| s == "openid") {
            self.scopes.insert(0, "openid".into());
        }
        self
    }

    /// Sets the `acr` policy.
    #[must_use]
    pub fn with_acr_policy(mut self, policy: AcrPolicy) -> Self {
        self.acr_policy = policy;
        self
    }

    /// Sets the clock skew tolerance.
    #[must_use]
    pub fn with_leeway(mut self, leeway: Duration) -> Self {
        self.leeway_secs = i64::try_from(leeway.as_secs()).unwrap_or(i64::MAX);
        self
    }

    /// Sets the accepted signature algorithms.
    #[must_use]
    pub fn with_algorithms(mut self, algorithms: &[Algorithm]) -> Self {
        self.algorithms = algorithms.to_vec();
        self
    }

    /// Sets the minimum time between unknown-`kid` JWKS refreshes.
    #[must_use]
    pub fn with_jwks_min_refresh(mut self, interval: Duration) -> Self {
        self.jwks_min_refresh_secs = i64::try_from(interval.as_secs()).unwrap_or(i64::MAX);
        self
    }
}

/// What the client must remember between sending the user to the provider and the callback.
///
/// Keep it server-side (in the session), never in the browser.
#[derive(Clone)]
pub struct PendingAuthorization {
    /// `state`.
    pub state: Secret,
    /// `nonce`.
    pub nonce: Secret,
    /// The PKCE `code_verifier`.
    pub code_verifier: Secret,
    /// The `redirect_uri` used.
    pub redirect_uri: String,
}

impl fmt::Debug for PendingAuthorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingAuthorization")
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

/// A `channel` for CIBA (PSC extension): where the user approves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CibaChannel {
    /// A CPS/CPx card, through CPS-Gestion.
    Card,
    /// The e-CPS mobile application.
    Mobile,
}

impl CibaChannel {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Card => "CARD",
            Self::Mobile => "MOBILE",
        }
    }
}

/// A CIBA backchannel authentication request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CibaRequest {
    /// `login_hint`: the user's national id (`899700218896`).
    pub login_hint: String,
    /// `binding_message`: two digits shown on both screens.
    pub binding_message: Option<String>,
    /// `channel`.
    pub channel: Option<CibaChannel>,
}

impl CibaRequest {
    /// A request for `login_hint` (checked: 1 to 256 printable characters).
    pub fn new(login_hint: impl Into<String>) -> Result<Self> {
        let login_hint = login_hint.into();
        if login_hint.is_empty()
            || login_hint.len() > 256
            || login_hint.chars().any(char::is_control)
        {
            return Err(Error::InvalidParameter {
                name: "login_hint",
                reason: "must be 1 to 256 printable characters".into(),
            });
        }
        Ok(Self {
            login_hint,
            binding_message: None,
            channel: None,
        })
    }

    /// Sets the binding message (exactly two ASCII digits, as PSC requires).
    pub fn with_binding_message(mut self, message: &str) -> Result<Self> {
        if message.len() != 2 || !message.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::InvalidParameter {
                name: "binding_message",
                reason: "must be exactly two digits".into(),
            });
        }
        self.binding_message = Some(message.to_owned());
        Ok(self)
    }

    /// Sets the channel.
    #[must_use]
    pub fn with_channel(mut self, channel: CibaChannel) -> Self {
        self.channel = Some(channel);
        self
    }
}

/// A CIBA request the provider accepted and the user has not answered yet.
#[derive(Clone)]
pub struct CibaPending {
    /// `auth_req_id`.
    pub auth_req_id: Secret,
    /// When the request expires (seconds since the epoch).
    pub expires_at: i64,
    /// The current polling interval, in seconds (raised by `slow_down`).
    pub interval_secs: u64,
    /// The binding message sent, to show the user.
    pub binding_message: Option<String>,
}

impl fmt::Debug for CibaPending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CibaPending")
            .field("expires_at", &self.expires_at)
            .field("interval_secs", &self.interval_secs)
            .field("binding_message", &self.binding_message)
            .finish_non_exhaustive()
    }
}

/// The outcome of one CIBA poll.
#[derive(Debug)]
#[non_exhaustive]
pub enum CibaPoll {
    /// `authorization_pending`: ask again after the interval.
    Pending,
    /// `slow_down`: the interval was raised by 5 seconds; ask again after it.
    SlowDown,
    /// The user approved: the tokens, with the ID token verified.
    Approved(Box<Tokens>),
}

/// An RFC 8693 token exchange request.
#[derive(Debug, Clone)]
pub struct TokenExchange {
    /// `subject_token`: the PSC access token (or ID token).
    pub subject_token: Secret,
    /// `subject_token_type`, e.g. `urn:ietf:params:oauth:token-type:access_token`.
    pub subject_token_type: String,
    /// `audience`, if any.
    pub audience: Option<String>,
    /// `scope`, if any.
    pub scope: Option<String>,
    /// `subject_issuer` (Keycloak's extension; `psc` in ANS's proxy), if any.
    pub subject_issuer: Option<String>,
    /// `requested_token_type`, if any.
    pub requested_token_type: Option<String>,
    /// The authorization server's token endpoint, when it is not the PSC one.
    pub token_endpoint: Option<String>,
}

impl TokenExchange {
    /// Exchanging a PSC access token.
    pub fn access_token(subject_token: Secret) -> Self {
        Self {
            subject_token,
            subject_token_type: "urn:ietf:params:oauth:token-type:access_token".into(),
            audience: None,
            scope: None,
            subject_issuer: None,
            requested_token_type: None,
            token_endpoint: None,
        }
    }
}

#[derive(Default)]
struct JwksCache {
    jwks: Option<Arc<Jwks>>,
    fetched_at: Option<i64>,
}

/// A Pro Santé Connect relying party.
///
/// Sans-IO: every request goes through the [`Transport`], time comes from the [`Clock`] and
/// state, nonce, PKCE verifier and JWT ids from the [`Randomness`]. The provider's JWKS is
/// fetched on first use, cached, and fetched again when a token names an unknown `kid`.
pub struct PscClient<T, C, R> {
    config: ClientConfig,
    metadata: ProviderMetadata,
    transport: T,
    clock: C,
    rng: R,
    jwks: RwLock<JwksCache>,
}

impl<T, C, R> fmt::Debug for PscClient<T, C, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PscClient")
            .field("issuer", &self.metadata.issuer)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl<T: Transport, C: Clock, R: Randomness> PscClient<T, C, R> {
    /// Fetches and checks the discovery document of `environment`, then builds the client.
    pub fn discover(
        environment: &Environment,
        config: ClientConfig,
        transport: T,
        clock: C,
        rng: R,
    ) -> Result<Self> {
        let metadata = fetch_metadata(environment, &transport)?;
        Ok(Self::new(metadata, config, transport, clock, rng))
    }

    /// A client for a provider whose metadata is already known.
    pub fn new(
        metadata: ProviderMetadata,
        config: ClientConfig,
        transport: T,
        clock: C,
        rng: R,
    ) -> Self {
        Self {
            config,
            metadata,
            transport,
            clock,
            rng,
            jwks: RwLock::new(JwksCache::default()),
        }
    }

    /// The provider's metadata.
    pub fn metadata(&self) -> &ProviderMetadata {
        &self.metadata
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    fn now(&self) -> i64 {
        self.clock.now().timestamp()
    }

    fn random_token(&self, bytes: usize) -> Secret {
        let mut buf = vec![0u8; bytes];
        self.rng.fill(&mut buf);
        Secret::new(b64_encode(&buf))
    }

    /// Two random digits for a CIBA `binding_message` (uniform over 00 to 99).
    pub fn random_binding_message(&self) -> String {
        loop {
            let mut b = [0u8; 1];
            self.rng.fill(&mut b);
            if b[0] < 200 {
                return format!("{:02}", b[0] % 100);
            }
        }
    }

    // ------------------------------------------------------------------------------------
    // Authorization code flow

    /// The URL to send the user to, and what to remember until the callback.
    ///
    /// Sends `response_type=code`, the configured scopes and `acr_values`, a fresh `state` and
    /// `nonce` (128 bits each) and a PKCE S256 challenge of a 256-bit verifier. `extra`
    /// parameters (`prompt`, `login_hint`, `kc_idp_hint`...) are appended; they may not
    /// override the ones above.
    pub fn authorization_url(
        &self,
        extra: &[(&str, &str)],
    ) -> Result<(String, PendingAuthorization)> {
        let redirect_uri =
            self.config
                .redirect_uri
                .clone()
                .ok_or_else(|| Error::InvalidParameter {
                    name: "redirect_uri",
                    reason: "the configuration has none".into(),
                })?;
        let pending = PendingAuthorization {
            state: self.random_token(16),
            nonce: self.random_token(16),
            code_verifier: self.random_token(32),
            redirect_uri,
        };
        let challenge = b64_encode(
            ring::digest::digest(
                &ring::digest::SHA256,
                pending.code_verifier.expose().as_bytes(),
            )
            .as_ref(),
        );
        let scope = self.config.scopes.join(" ");
        let acr = self.config.acr_values.join(" ");
        let mut params = vec![
            ("response_type", "code"),
            ("client_id", self.config.client_id.as_str()),
            ("redirect_uri", pending.redirect_uri.as_str()),
            ("scope", scope.as_str()),
            ("state", pending.state.expose()),
            ("nonce", pending.nonce.expose()),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ];
        if !acr.is_empty() {
            params.push(("acr_values", acr.as_str()));
        }
        for (k, v) in extra {
            if params.iter().any(|(p, _)| p == k) {
                return Err(Error::InvalidParameter {
                    name: "extra authorization parameter",
                    reason: format!("{k:?} is set by the client itself"),
                });
            }
            params.push((k, v));
        }
        let sep = if self.metadata.authorization_endpoint.contains('?') {
            '&'
        } else {
            '?'
        };
        let url = format!(
            "{}{sep}{}",
            self.metadata.authorization_endpoint,
            encode_pairs(params)
        );
        Ok((url, pending))
    }

    /// Reads the authorization callback (the whole redirect URL, or just its query) and
    /// returns the code.
    ///
    /// Checks, in order: a provider `error` (returned as [`CallbackProblem::ProviderError`]),
    /// the `state` (constant-time), the RFC 9207 `iss` (required when the provider advertises
    /// it), the presence of `code`.
    pub fn callback_code(&self, pending: &PendingAuthorization, callback: &str) -> Result<Secret> {
        let query = match callback.split_once('?') {
            Some((_, q)) => q,
            None if callback.contains("://") => "",
            None => callback,
        };
        let query = query.split('#').next().unwrap_or_default();
        let pairs = decode_pairs(query).ok_or(Error::Callback(CallbackProblem::Malformed(
            "bad percent-encoding",
        )))?;
        let get = |name: &str| {
            let mut found = pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v);
            let first = found.next();
            if found.next().is_some() {
                Err(Error::Callback(CallbackProblem::Malformed(
                    "a parameter is repeated",
                )))
            } else {
                Ok(first)
            }
        };
        if let Some(error) = get("error")? {
            return Err(Error::Callback(CallbackProblem::ProviderError {
                error: truncate_description(error),
                description: get("error_description")?.map(|d| truncate_description(d)),
            }));
        }
        match get("state")? {
            Some(state) if pending.state.ct_eq(state) => {}
            _ => return Err(Error::Callback(CallbackProblem::StateMismatch)),
        }
        match get("iss")? {
            Some(iss) if *iss != self.metadata.issuer => {
                return Err(Error::Callback(CallbackProblem::IssuerMismatch {
                    found: truncate_description(iss),
                }));
            }
            None if self.metadata.authorization_response_iss_parameter_supported => {
                return Err(Error::Callback(CallbackProblem::IssuerMismatch {
                    found: String::new(),
                }));
            }
            _ => {}
        }
        get("code")?
            .filter(|c| !c.is_empty())
            .map(|c| Secret::new(c.clone()))
            .ok_or(Error::Callback(CallbackProblem::MissingCode))
    }

    /// Exchanges an authorization code (with the PKCE verifier) and verifies the ID token,
    /// its nonce included.
    pub fn exchange_code(&self, pending: &PendingAuthorization, code: &Secret) -> Result<Tokens> {
        let params = vec![
            ("grant_type", "authorization_code".to_owned()),
            ("code", code.expose().to_owned()),
            ("redirect_uri", pending.redirect_uri.clone()),
            ("code_verifier", pending.code_verifier.expose().to_owned()),
        ];
        let response = self.token_request(&params)?;
        let tokens = self.validate_tokens(response, Some(&pending.nonce), None)?;
        if tokens.id_token.is_none() {
            return Err(claim("id_token", ClaimProblem::Missing));
        }
        Ok(tokens)
    }

    /// [`callback_code`](Self::callback_code) then [`exchange_code`](Self::exchange_code).
    pub fn complete_authorization(
        &self,
        pending: &PendingAuthorization,
        callback: &str,
    ) -> Result<Tokens> {
        let code = self.callback_code(pending, callback)?;
        self.exchange_code(pending, &code)
    }

    /// Uses a refresh token. A new ID token, if any, must be about the same subject as
    /// `previous` (OpenID Connect Core §12.2).
    pub fn refresh(&self, refresh_token: &Secret, previous: Option<&IdToken>) -> Result<Tokens> {
        let params = vec![
            ("grant_type", "refresh_token".to_owned()),
            ("refresh_token", refresh_token.expose().to_owned()),
        ];
        let response = self.token_request(&params)?;
        let tokens = self.validate_tokens(response, None, previous)?;
        Ok(tokens)
    }

    /// RFC 8693 token exchange, at the PSC token endpoint or the one in `request`.
    pub fn token_exchange(&self, request: &TokenExchange) -> Result<TokenResponse> {
        let mut params = vec![
            (
                "grant_type",
                "urn:ietf:params:oauth:grant-type:token-exchange".to_owned(),
            ),
            ("subject_token", request.subject_token.expose().to_owned()),
            ("subject_token_type", request.subject_token_type.clone()),
        ];
        for (name, value) in [
            ("audience", &request.audience),
            ("scope", &request.scope),
            ("subject_issuer", &request.subject_issuer),
            ("requested_token_type", &request.requested_token_type),
        ] {
            if let Some(v) = value {
                params.push((name, v.clone()));
            }
        }
        let url = match &request.token_endpoint {
            Some(u) => u.clone(),
            None => self.endpoint_url(Endpoint::Token)?,
        };
        let body = self.post_form(Endpoint::Token, &url, &params)?;
        TokenResponse::from_json(&body)
    }

    fn token_request(&self, params: &[(&'static str, String)]) -> Result<TokenResponse> {
        let url = self.endpoint_url(Endpoint::Token)?;
        let body = self.post_form(Endpoint::Token, &url, params)?;
        TokenResponse::from_json(&body)
    }

    fn validate_tokens(
        &self,
        response: TokenResponse,
        nonce: Option<&Secret>,
        previous: Option<&IdToken>,
    ) -> Result<Tokens> {
        let id_token = match &response.id_token {
            Some(raw) => {
                let t = self.verify_id_token_with(raw, nonce, Some(&response.access_token))?;
                if let Some(prev) = previous
                    && (prev.claims.sub != t.claims.sub || prev.claims.iss != t.claims.iss)
                {
                    return Err(claim("sub", ClaimProblem::SubjectMismatch));
                }
                Some(t)
            }
            None => None,
        };
        let expires_at = response
            .expires_in
            .and_then(|s| i64::try_from(s).ok())
            .map(|s| self.now().saturating_add(s));
        Ok(Tokens {
            response,
            id_token,
            expires_at,
        })
    }

    // ------------------------------------------------------------------------------------
    // Token verification

    /// Verifies an ID token: signature (JWKS or client secret), `iss`, `aud`/`azp`,
    /// `exp`/`iat`/`nbf` with the leeway, `nonce` when given, the `acr` policy.
    pub fn verify_id_token(&self, token: &str, nonce: Option<&Secret>) -> Result<IdToken> {
        self.verify_id_token_with(&Secret::new(token), nonce, None)
    }

    fn verify_id_token_with(
        &self,
        token: &Secret,
        nonce: Option<&Secret>,
        access_token: Option<&Secret>,
    ) -> Result<IdToken> {
        let jws = Jws::parse(token.expose())?;
        let payload = self.verify_signature(&jws)?;
        let claims = IdTokenClaims::from_json(&payload)?;
        IdTokenValidation {
            issuer: &self.metadata.issuer,
            client_id: &self.config.client_id,
            now: self.now(),
            leeway: self.config.leeway_secs,
            nonce,
            acr: &self.config.acr_policy,
            access_token,
        }
        .check(jws.header(), &claims)?;
        Ok(IdToken {
            claims,
            alg: jws.header().alg,
            kid: jws.header().kid.clone(),
            raw: token.clone(),
        })
    }

    /// Verifies a JWS signed by the provider (or, for HS256, with the client secret) and
    /// returns its payload. Claims are not checked.
    pub fn verify_signature(&self, jws: &Jws) -> Result<Vec<u8>> {
        let alg = jws.header().alg;
        if !self.config.algorithms.contains(&alg) {
            return Err(Error::AlgorithmNotAllowed {
                alg: alg.name().into(),
            });
        }
        if alg == Algorithm::Hs256 {
            return match self.config.auth.secret() {
                Some(secret) => jws.verify(&VerifyingKey::hmac(secret)).map(<[u8]>::to_vec),
                None => {
                    // No shared secret: an HS256 token can only be an attempt to use a public
                    // key as an HMAC key. Name the key it points at, when it does.
                    let cached = self.cached_jwks();
                    match (&jws.header().kid, cached) {
                        (Some(kid), Some(jwks)) => {
                            let key = jwks.keys().iter().find(|k| k.kid() == Some(kid.as_str()));
                            Err(match key {
                                Some(k) => Error::KeyAlgorithmMismatch {
                                    kid: Some(kid.clone()),
                                    kty: k.kty(),
                                    alg,
                                },
                                None => Error::AlgorithmNotAllowed {
                                    alg: alg.name().into(),
                                },
                            })
                        }
                        _ => Err(Error::AlgorithmNotAllowed {
                            alg: alg.name().into(),
                        }),
                    }
                }
            };
        }
        let jwks = self.jwks(false)?;
        match verify_with(&jwks, jws) {
            Err(Error::UnknownKeyId { .. }) if self.may_refresh_jwks() => {
                let jwks = self.jwks(true)?;
                verify_with(&jwks, jws)
            }
            other => other,
        }
    }

    fn cached_jwks(&self) -> Option<Arc<Jwks>> {
        self.jwks
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .jwks
            .clone()
    }

    fn may_refresh_jwks(&self) -> bool {
        let cache = self.jwks.read().unwrap_or_else(PoisonError::into_inner);
        cache
            .fetched_at
            .is_none_or(|t| self.now().saturating_sub(t) >= self.config.jwks_min_refresh_secs)
    }

    /// The provider's JWKS: the cached one, or a fresh one when `refresh` is set or none is
    /// cached.
    pub fn jwks(&self, refresh: bool) -> Result<Arc<Jwks>> {
        if !refresh && let Some(j) = self.cached_jwks() {
            return Ok(j);
        }
        let request = http::Request::get(self.metadata.jwks_uri.as_str())
            .header(ACCEPT, "application/json, application/jwk-set+json")
            .body(Vec::new())
            .map_err(|e| invalid_request("jwks_uri", &e))?;
        let response = self.transport.send(request)?;
        let body = success_body(Endpoint::Jwks, response)?;
        let jwks = Arc::new(Jwks::parse(&body)?);
        let mut cache = self.jwks.write().unwrap_or_else(PoisonError::into_inner);
        cache.jwks = Some(Arc::clone(&jwks));
        cache.fetched_at = Some(self.now());
        Ok(jwks)
    }

    // ------------------------------------------------------------------------------------
    // UserInfo, introspection, revocation, logout

    /// Calls the userinfo endpoint with the access token and parses the PSC user.
    ///
    /// A JSON response is parsed as is; an `application/jwt` one is verified first (signature,
    /// and `iss`/`aud` when present). When `id_token` is given, the userinfo `sub` must be the
    /// ID token's (OpenID Connect Core §5.3.2).
    pub fn userinfo(
        &self,
        access_token: &Secret,
        id_token: Option<&IdToken>,
    ) -> Result<PscUserInfo> {
        let url = self.endpoint_url(Endpoint::Userinfo)?;
        let mut auth =
            HeaderValue::try_from(format!("Bearer {}", access_token.expose())).map_err(|_| {
                Error::InvalidParameter {
                    name: "access_token",
                    reason: "not a valid header value".into(),
                }
            })?;
        auth.set_sensitive(true);
        let request = http::Request::get(url.as_str())
            .header(AUTHORIZATION, auth)
            .header(ACCEPT, "application/json, application/jwt")
            .body(Vec::new())
            .map_err(|e| invalid_request("userinfo_endpoint", &e))?;
        let response = self.transport.send(request)?;
        let is_jwt = content_type(&response).is_some_and(|c| c.starts_with("application/jwt"));
        let body = success_body(Endpoint::Userinfo, response)?;
        let info = if is_jwt {
            let text = std::str::from_utf8(&body).map_err(|_| Error::MalformedJws {
                offset: 0,
                reason: "userinfo JWT is not UTF-8",
            })?;
            let jws = Jws::parse(text.trim())?;
            let payload = self.verify_signature(&jws)?;
            let info = PscUserInfo::from_json(&payload)?;
            self.check_signed_userinfo(&info)?;
            info
        } else {
            PscUserInfo::from_json(&body)?
        };
        if let Some(t) = id_token
            && info.sub.as_deref() != Some(t.claims.sub.as_str())
        {
            return Err(claim("sub", ClaimProblem::SubjectMismatch));
        }
        Ok(info)
    }

    fn check_signed_userinfo(&self, info: &PscUserInfo) -> Result<()> {
        if let Some(iss) = info.other.get("iss")
            && iss.as_str() != Some(self.metadata.issuer.as_str())
        {
            return Err(claim(
                "iss",
                ClaimProblem::IssuerMismatch {
                    expected: self.metadata.issuer.clone(),
                    found: iss.to_string(),
                },
            ));
        }
        if let Some(aud) = info.other.get("aud") {
            let list: Vec<String> = match aud {
                Value::String(s) => vec![s.clone()],
                Value::Array(a) => a
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
                _ => Vec::new(),
            };
            if !list.contains(&self.config.client_id) {
                return Err(claim(
                    "aud",
                    ClaimProblem::AudienceMismatch {
                        expected: self.config.client_id.clone(),
                        found: list,
                    },
                ));
            }
        }
        if let Some(Value::Number(exp)) = info.other.get("exp")
            && let Some(exp) = exp.as_i64()
            && self.now() > exp.saturating_add(self.config.leeway_secs)
        {
            return Err(claim(
                "exp",
                ClaimProblem::Expired {
                    exp,
                    now: self.now(),
                },
            ));
        }
        Ok(())
    }

    /// Introspects a token (RFC 7662) with client authentication.
    pub fn introspect(&self, token: &Secret, type_hint: Option<&str>) -> Result<Introspection> {
        let url = self.endpoint_url(Endpoint::Introspection)?;
        let mut params = vec![("token", token.expose().to_owned())];
        if let Some(h) = type_hint {
            params.push(("token_type_hint", h.to_owned()));
        }
        let body = self.post_form(Endpoint::Introspection, &url, &params)?;
        Introspection::from_json(&body)
    }

    /// Revokes a token (RFC 7009).
    pub fn revoke(&self, token: &Secret, type_hint: Option<&str>) -> Result<()> {
        let url = self.endpoint_url(Endpoint::Revocation)?;
        let mut params = vec![("token", token.expose().to_owned())];
        if let Some(h) = type_hint {
            params.push(("token_type_hint", h.to_owned()));
        }
        self.post_form(Endpoint::Revocation, &url, &params)?;
        Ok(())
    }

    /// The RP-initiated logout URL (`end_session_endpoint` with `id_token_hint`,
    /// `post_logout_redirect_uri`, `state`, `client_id`). It carries the ID token, hence the
    /// [`Secret`]: hand it to the browser, do not log it.
    pub fn logout_url(
        &self,
        id_token_hint: Option<&Secret>,
        post_logout_redirect_uri: Option<&str>,
        state: Option<&str>,
    ) -> Result<Secret> {
        let endpoint = self
            .metadata
            .end_session_endpoint
            .as_deref()
            .ok_or(Error::MissingEndpoint(Endpoint::EndSession))?;
        let mut params = vec![("client_id", self.config.client_id.as_str())];
        if let Some(t) = id_token_hint {
            params.push(("id_token_hint", t.expose()));
        }
        if let Some(u) = post_logout_redirect_uri {
            params.push(("post_logout_redirect_uri", u));
        }
        if let Some(s) = state {
            params.push(("state", s));
        }
        let sep = if endpoint.contains('?') { '&' } else { '?' };
        Ok(Secret::new(format!(
            "{endpoint}{sep}{}",
            encode_pairs(params)
        )))
    }

    // ------------------------------------------------------------------------------------
    // CIBA (poll mode)

    /// Starts a CIBA authentication (poll mode) with the configured scopes and `acr_values`.
    pub fn ciba_start(&self, request: &CibaRequest) -> Result<CibaPending> {
        let url = self.endpoint_url(Endpoint::BackchannelAuthentication)?;
        let mut params = vec![
            ("scope", self.config.scopes.join(" ")),
            ("login_hint", request.login_hint.clone()),
        ];
        if !self.config.acr_values.is_empty() {
            params.push(("acr_values", self.config.acr_values.join(" ")));
        }
        if let Some(m) = &request.binding_message {
            params.push(("binding_message", m.clone()));
        }
        if let Some(c) = request.channel {
            params.push(("channel", c.as_str().to_owned()));
        }
        let body = self.post_form(Endpoint::BackchannelAuthentication, &url, &params)?;
        let v: Value = serde_json::from_slice(&body)
            .map_err(|e| crate::error::json_error("CIBA response", &e, false))?;
        let shape = |detail: &str| Error::Json {
            document: "CIBA response",
            line: 0,
            column: 0,
            detail: detail.into(),
        };
        let auth_req_id = v
            .get("auth_req_id")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| shape("no auth_req_id"))?;
        let expires_in = v
            .get("expires_in")
            .and_then(Value::as_i64)
            .filter(|e| *e > 0)
            .ok_or_else(|| shape("no positive expires_in"))?;
        let interval = v.get("interval").and_then(Value::as_u64).unwrap_or(5);
        Ok(CibaPending {
            auth_req_id: Secret::new(auth_req_id),
            expires_at: self.now().saturating_add(expires_in),
            interval_secs: interval.clamp(1, 60),
            binding_message: request.binding_message.clone(),
        })
    }

    /// Polls the token endpoint once for a pending CIBA request.
    pub fn ciba_poll(&self, pending: &mut CibaPending) -> Result<CibaPoll> {
        if self.now() > pending.expires_at {
            return Err(Error::CibaExpired);
        }
        let params = vec![
            ("grant_type", "urn:openid:params:grant-type:ciba".to_owned()),
            ("auth_req_id", pending.auth_req_id.expose().to_owned()),
        ];
        match self.token_request(&params) {
            Ok(response) => Ok(CibaPoll::Approved(Box::new(
                self.validate_tokens(response, None, None)?,
            ))),
            Err(Error::OAuth { error, .. }) if error == "authorization_pending" => {
                Ok(CibaPoll::Pending)
            }
            Err(Error::OAuth { error, .. }) if error == "slow_down" => {
                pending.interval_secs = pending.interval_secs.saturating_add(5);
                Ok(CibaPoll::SlowDown)
            }
            Err(Error::OAuth { error, .. }) if error == "expired_token" => Err(Error::CibaExpired),
            Err(e) => Err(e),
        }
    }

    /// Polls until the user answers or the request expires, calling `sleep` with the current
    /// interval before each poll (pass `std::thread::sleep` in a blocking program).
    pub fn ciba_wait(
        &self,
        pending: &mut CibaPending,
        mut sleep: impl FnMut(Duration),
    ) -> Result<Tokens> {
        loop {
            sleep(Duration::from_secs(pending.interval_secs));
            match self.ciba_poll(pending)? {
                CibaPoll::Approved(tokens) => return Ok(*tokens),
                CibaPoll::Pending | CibaPoll::SlowDown => {}
            }
        }
    }

    // ------------------------------------------------------------------------------------
    // HTTP plumbing

    fn endpoint_url(&self, endpoint: Endpoint) -> Result<String> {
        let (field, url) = match endpoint {
            Endpoint::Token => ("token_endpoint", Some(&self.metadata.token_endpoint)),
            Endpoint::Userinfo => (
                "userinfo_endpoint",
                self.metadata.userinfo_endpoint.as_ref(),
            ),
            Endpoint::Introspection => (
                "introspection_endpoint",
                self.metadata.introspection_endpoint.as_ref(),
            ),
            Endpoint::Revocation => (
                "revocation_endpoint",
                self.metadata.revocation_endpoint.as_ref(),
            ),
            Endpoint::BackchannelAuthentication => (
                "backchannel_authentication_endpoint",
                self.metadata.backchannel_authentication_endpoint.as_ref(),
            ),
            Endpoint::EndSession => (
                "end_session_endpoint",
                self.metadata.end_session_endpoint.as_ref(),
            ),
            Endpoint::Jwks => ("jwks_uri", Some(&self.metadata.jwks_uri)),
            Endpoint::Discovery => return Err(Error::MissingEndpoint(endpoint)),
        };
        let url = url.ok_or(Error::MissingEndpoint(endpoint))?;
        if matches!(self.config.auth, ClientAuth::TlsClientAuth)
            && let Some(alias) = self.metadata.mtls_endpoint_aliases.get(field)
        {
            return Ok(alias.clone());
        }
        Ok(url.clone())
    }

    fn post_form(
        &self,
        endpoint: Endpoint,
        url: &str,
        params: &[(&'static str, String)],
    ) -> Result<Vec<u8>> {
        let mut pairs: Vec<(&str, String)> = params.iter().map(|(k, v)| (*k, v.clone())).collect();
        let mut builder = http::Request::builder()
            .method(Method::POST)
            .uri(url)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json");
        let id = self.config.client_id.clone();
        match &self.config.auth {
            ClientAuth::SecretBasic(secret) => {
                let mut user = String::new();
                encode_into(&mut user, &id);
                user.push(':');
                encode_into(&mut user, secret.expose());
                let basic = base64::engine::general_purpose::STANDARD.encode(user.as_bytes());
                let mut value = HeaderValue::try_from(format!("Basic {basic}"))
                    .map_err(|_| invalid_param("client credentials"))?;
                value.set_sensitive(true);
                builder = builder.header(AUTHORIZATION, value);
            }
            ClientAuth::SecretPost(secret) => {
                pairs.push(("client_id", id));
                pairs.push(("client_secret", secret.expose().to_owned()));
            }
            ClientAuth::PrivateKeyJwt(key) => {
                let assertion = self.client_assertion(key)?;
                pairs.push(("client_id", id));
                pairs.push((
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer".to_owned(),
                ));
                pairs.push(("client_assertion", assertion.expose().to_owned()));
            }
            ClientAuth::TlsClientAuth | ClientAuth::None => pairs.push(("client_id", id)),
        }
        let body = encode_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        let request: HttpRequest = builder
            .body(body.into_bytes())
            .map_err(|e| invalid_request("endpoint URL", &e))?;
        let response = self.transport.send(request)?;
        success_body(endpoint, response)
    }

    fn client_assertion(&self, key: &SigningKey) -> Result<Secret> {
        let now = self.now();
        let claims = json!({
            "iss": self.config.client_id,
            "sub": self.config.client_id,
            "aud": self.metadata.token_endpoint,
            "jti": self.rng.uuid_v4().to_string(),
            "iat": now,
            "exp": now + 60,
        });
        key.sign(claims.to_string().as_bytes(), &Map::new())
    }
}

fn verify_with(jwks: &Jwks, jws: &Jws) -> Result<Vec<u8>> {
    let header = jws.header();
    let mut last = Error::BadSignature { alg: header.alg };
    for key in jwks.candidates(header.kid.as_deref(), header.alg)? {
        match jws.verify(key) {
            Ok(payload) => return Ok(payload.to_vec()),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// Fetches and checks the discovery document of `environment`.
pub fn fetch_metadata<T: Transport + ?Sized>(
    environment: &Environment,
    transport: &T,
) -> Result<ProviderMetadata> {
    let request = http::Request::get(environment.discovery_url())
        .header(ACCEPT, "application/json")
        .body(Vec::new())
        .map_err(|e| invalid_request("discovery URL", &e))?;
    let response = transport.send(request)?;
    let body = success_body(Endpoint::Discovery, response)?;
    ProviderMetadata::parse(&body, environment)
}

fn invalid_request(what: &'static str, e: &http::Error) -> Error {
    Error::InvalidParameter {
        name: what,
        reason: e.to_string(),
    }
}

fn invalid_param(what: &'static str) -> Error {
    Error::InvalidParameter {
        name: what,
        reason: "not usable in an HTTP header".into(),
    }
}

fn content_type(response: &HttpResponse) -> Option<String> {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_ascii_lowercase)
}

/// The body of a 2xx response; an OAuth error or [`Error::UnexpectedResponse`] otherwise.
pub(crate) fn success_body(endpoint: Endpoint, response: HttpResponse) -> Result<Vec<u8>> {
    let status = response.status().as_u16();
    let ctype = content_type(&response);
    let body = response.into_body();
    if body.len() > MAX_RESPONSE_LEN {
        return Err(Error::TooLarge {
            what: "HTTP response",
            size: body.len(),
            limit: MAX_RESPONSE_LEN,
        });
    }
    if (200..300).contains(&status) {
        return Ok(body);
    }
    if let Ok(Value::Object(err)) = serde_json::from_slice::<Value>(&body)
        && let Some(code) = err.get("error").and_then(Value::as_str)
    {
        return Err(Error::OAuth {
            endpoint,
            status,
            error: truncate_description(code),
            description: err
                .get("error_description")
                .and_then(Value::as_str)
                .map(truncate_description),
        });
    }
    Err(Error::UnexpectedResponse {
        endpoint,
        status,
        content_type: ctype.unwrap_or_default(),
    })
}
