//! ID token claims and their validation (OpenID Connect Core §3.1.3.7).

use std::fmt;

use serde_json::{Map, Value};

use crate::acr::AcrPolicy;
use crate::error::{ClaimProblem, Error, Result};
use crate::jose::{Algorithm, Header, b64_encode};
use crate::secret::{Secret, ct_eq};

/// The claims of a verified ID token.
///
/// The registered claims are typed; every claim (PSC's `SubjectNameID`, `authMode`,
/// `auth_level`, `otherIds`...) stays reachable through [`IdTokenClaims::get`].
#[derive(Clone, PartialEq)]
pub struct IdTokenClaims {
    /// `iss`.
    pub iss: String,
    /// `sub` (in PSC a Keycloak federated id `f:<uuid>:<idNat>`, not the RPPS).
    pub sub: String,
    /// `aud`, always as a list.
    pub aud: Vec<String>,
    /// `exp`, seconds since the epoch.
    pub exp: i64,
    /// `iat`, seconds since the epoch.
    pub iat: i64,
    /// `nbf`, if present.
    pub nbf: Option<i64>,
    /// `auth_time`, if present.
    pub auth_time: Option<i64>,
    /// `acr`, if present.
    pub acr: Option<String>,
    /// `amr`, empty when absent.
    pub amr: Vec<String>,
    /// `azp`, if present.
    pub azp: Option<String>,
    /// `sid`, if present.
    pub sid: Option<String>,
    /// PSC's `authMode` (`CARD`, `MOBILE`, ...), if present.
    pub auth_mode: Option<String>,
    all: Map<String, Value>,
}

impl fmt::Debug for IdTokenClaims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `nonce` and `at_hash` are left out: they are bound to secrets.
        f.debug_struct("IdTokenClaims")
            .field("iss", &self.iss)
            .field("sub", &self.sub)
            .field("aud", &self.aud)
            .field("exp", &self.exp)
            .field("iat", &self.iat)
            .field("acr", &self.acr)
            .field("auth_mode", &self.auth_mode)
            .finish_non_exhaustive()
    }
}

impl IdTokenClaims {
    /// Reads the claims set of a JWT payload. Fails on a missing or mistyped registered claim.
    pub fn from_json(payload: &[u8]) -> Result<Self> {
        let value: Value = serde_json::from_slice(payload)
            .map_err(|e| crate::error::json_error("ID token claims", &e, false))?;
        let Value::Object(all) = value else {
            return Err(Error::Json {
                document: "ID token claims",
                line: 1,
                column: 1,
                detail: "not a JSON object".into(),
            });
        };
        Ok(Self {
            iss: req_str(&all, "iss")?,
            sub: req_str(&all, "sub")?,
            aud: audiences(&all)?,
            exp: numeric_date(&all, "exp")?.ok_or(claim("exp", ClaimProblem::Missing))?,
            iat: numeric_date(&all, "iat")?.ok_or(claim("iat", ClaimProblem::Missing))?,
            nbf: numeric_date(&all, "nbf")?,
            auth_time: numeric_date(&all, "auth_time")?,
            acr: opt_str(&all, "acr")?,
            amr: str_list(&all, "amr")?,
            azp: opt_str(&all, "azp")?,
            sid: opt_str(&all, "sid")?,
            auth_mode: opt_str(&all, "authMode")?,
            all,
        })
    }

    /// Any claim, by name.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.all.get(name)
    }

    /// Every claim.
    pub fn all(&self) -> &Map<String, Value> {
        &self.all
    }

    /// PSC's national professional id (`SubjectNameID`) when the ID token carries it.
    pub fn subject_name_id(&self) -> Option<&str> {
        self.all
            .get("SubjectNameID")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }
}

pub(crate) fn claim(name: &'static str, problem: ClaimProblem) -> Error {
    Error::Claim {
        claim: name,
        problem,
    }
}

fn req_str(all: &Map<String, Value>, name: &'static str) -> Result<String> {
    opt_str(all, name)?.ok_or(claim(name, ClaimProblem::Missing))
}

fn opt_str(all: &Map<String, Value>, name: &'static str) -> Result<Option<String>> {
    match all.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(claim(name, ClaimProblem::WrongType)),
    }
}

fn str_list(all: &Map<String, Value>, name: &'static str) -> Result<Vec<String>> {
    match all.get(name) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or(claim(name, ClaimProblem::WrongType))
            })
            .collect(),
        Some(_) => Err(claim(name, ClaimProblem::WrongType)),
    }
}

fn audiences(all: &Map<String, Value>) -> Result<Vec<String>> {
    let aud = str_list(all, "aud")?;
    if aud.is_empty() {
        return Err(claim("aud", ClaimProblem::Missing));
    }
    Ok(aud)
}

/// A NumericDate: an integer or a number with a fraction (truncated), within ±10^11.
pub(crate) fn numeric_date(all: &Map<String, Value>, name: &'static str) -> Result<Option<i64>> {
    match all.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            let v = n
                .as_i64()
                .or_else(|| n.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))
                .filter(|v| v.abs() < 100_000_000_000)
                .ok_or(claim(name, ClaimProblem::WrongType))?;
            Ok(Some(v))
        }
        Some(_) => Err(claim(name, ClaimProblem::WrongType)),
    }
}

/// What an ID token is checked against.
#[derive(Debug, Clone)]
pub struct IdTokenValidation<'a> {
    /// The provider's issuer.
    pub issuer: &'a str,
    /// This client's id.
    pub client_id: &'a str,
    /// The current time, seconds since the epoch.
    pub now: i64,
    /// Allowed clock skew, in seconds.
    pub leeway: i64,
    /// The nonce sent in the authorization request; `None` for tokens from refresh and CIBA.
    pub nonce: Option<&'a Secret>,
    /// The `acr` requirement.
    pub acr: &'a AcrPolicy,
    /// The access token issued with the ID token, to check `at_hash` when present.
    pub access_token: Option<&'a Secret>,
}

impl IdTokenValidation<'_> {
    /// Checks `claims` (from a token whose signature was verified with `header.alg`).
    pub fn check(&self, header: &Header, claims: &IdTokenClaims) -> Result<()> {
        if claims.iss != self.issuer {
            return Err(claim(
                "iss",
                ClaimProblem::IssuerMismatch {
                    expected: self.issuer.to_owned(),
                    found: claims.iss.clone(),
                },
            ));
        }
        if !claims.aud.iter().any(|a| a == self.client_id) {
            return Err(claim(
                "aud",
                ClaimProblem::AudienceMismatch {
                    expected: self.client_id.to_owned(),
                    found: claims.aud.clone(),
                },
            ));
        }
        match &claims.azp {
            Some(azp) if azp != self.client_id => {
                return Err(claim(
                    "azp",
                    ClaimProblem::AuthorizedPartyMismatch { found: azp.clone() },
                ));
            }
            None if claims.aud.len() > 1 => {
                // Several audiences without `azp`: the token may be meant for another party.
                return Err(claim("azp", ClaimProblem::Missing));
            }
            _ => {}
        }
        check_times(claims.exp, claims.iat, claims.nbf, self.now, self.leeway)?;
        if let Some(expected) = self.nonce {
            match claims.all.get("nonce").and_then(Value::as_str) {
                Some(found) if expected.ct_eq(found) => {}
                Some(_) => return Err(claim("nonce", ClaimProblem::NonceMismatch)),
                None => return Err(claim("nonce", ClaimProblem::Missing)),
            }
        }
        if !self.acr.accepts(claims.acr.as_deref()) {
            return Err(claim(
                "acr",
                ClaimProblem::AcrTooLow {
                    required: self.acr.describe(),
                    found: claims.acr.clone().unwrap_or_default(),
                },
            ));
        }
        if let (Some(at), Some(at_hash)) = (
            self.access_token,
            claims.all.get("at_hash").and_then(Value::as_str),
        ) && !ct_eq(token_hash(header.alg, at).as_bytes(), at_hash.as_bytes())
        {
            return Err(claim("at_hash", ClaimProblem::AccessTokenHashMismatch));
        }
        Ok(())
    }
}

/// Checks `exp`, `iat` and `nbf` against `now` with `leeway` seconds of tolerance.
pub(crate) fn check_times(
    exp: i64,
    iat: i64,
    nbf: Option<i64>,
    now: i64,
    leeway: i64,
) -> Result<()> {
    if now > exp.saturating_add(leeway) {
        return Err(claim("exp", ClaimProblem::Expired { exp, now }));
    }
    if iat > now.saturating_add(leeway) {
        return Err(claim("iat", ClaimProblem::IssuedInTheFuture { iat, now }));
    }
    if let Some(nbf) = nbf
        && nbf > now.saturating_add(leeway)
    {
        return Err(claim("nbf", ClaimProblem::NotYetValid { nbf, now }));
    }
    Ok(())
}

/// `at_hash`: base64url of the left half of the SHA-256 of the token (every algorithm this
/// crate implements hashes with SHA-256).
fn token_hash(alg: Algorithm, token: &Secret) -> String {
    let digest = match alg {
        Algorithm::Rs256 | Algorithm::Ps256 | Algorithm::Es256 | Algorithm::Hs256 => {
            ring::digest::digest(&ring::digest::SHA256, token.expose().as_bytes())
        }
    };
    b64_encode(&digest.as_ref()[..16])
}
