//! JSON Web Key Sets (RFC 7517): the provider's public signing keys.

use serde_json::Value;

use crate::error::{Error, Result};
use crate::jose::{Algorithm, VerifyingKey, b64_decode};

/// Largest JWKS document accepted, in bytes.
pub const MAX_JWKS_LEN: usize = 256 * 1024;
/// Most keys accepted in one JWKS.
pub const MAX_JWKS_KEYS: usize = 64;

/// A key of the set that was left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedKey {
    /// Index in the `keys` array.
    pub index: usize,
    /// The key's `kid`, if it had a string one.
    pub kid: Option<String>,
    /// Why it is not usable for verifying signatures.
    pub reason: String,
}

/// A parsed JWKS: the keys usable to verify signatures, and the ones left out.
///
/// Keys of unknown types, curves or algorithms, encryption keys (`use: enc`) and symmetric keys
/// are skipped (RFC 7517 §5 asks clients to ignore keys they do not understand), and listed in
/// [`Jwks::skipped`]. A key of a supported type with broken material (bad base64url, a
/// 1024-bit RSA modulus, a point of the wrong size) is skipped too.
#[derive(Debug, Clone, Default)]
pub struct Jwks {
    keys: Vec<VerifyingKey>,
    skipped: Vec<SkippedKey>,
}

impl Jwks {
    /// Parses a JWKS document (`{"keys": [...]}`).
    ///
    /// Fails when the document is larger than [`MAX_JWKS_LEN`], is not JSON, has no `keys`
    /// array, has more than [`MAX_JWKS_KEYS`] keys, or when two usable keys share a `kid`.
    pub fn parse(json: &[u8]) -> Result<Self> {
        if json.len() > MAX_JWKS_LEN {
            return Err(Error::TooLarge {
                what: "JWKS",
                size: json.len(),
                limit: MAX_JWKS_LEN,
            });
        }
        let doc: Value =
            serde_json::from_slice(json).map_err(|e| crate::error::json_error("JWKS", &e, true))?;
        let Some(keys) = doc.get("keys").and_then(Value::as_array) else {
            return Err(Error::InvalidJwk {
                index: None,
                reason: "no `keys` array".into(),
            });
        };
        if keys.len() > MAX_JWKS_KEYS {
            return Err(Error::TooLarge {
                what: "JWKS key count",
                size: keys.len(),
                limit: MAX_JWKS_KEYS,
            });
        }
        let mut set = Self::default();
        for (index, key) in keys.iter().enumerate() {
            let kid = key.get("kid").and_then(Value::as_str).map(str::to_owned);
            match parse_jwk(key) {
                Ok(k) => {
                    if let Some(kid) = k.kid()
                        && set.keys.iter().any(|o| o.kid() == Some(kid))
                    {
                        return Err(Error::InvalidJwk {
                            index: Some(index),
                            reason: format!("duplicate kid {kid:?}"),
                        });
                    }
                    set.keys.push(k);
                }
                Err(reason) => set.skipped.push(SkippedKey { index, kid, reason }),
            }
        }
        Ok(set)
    }

    /// A set made of the given keys.
    pub fn from_keys(keys: Vec<VerifyingKey>) -> Self {
        Self {
            keys,
            skipped: Vec::new(),
        }
    }

    /// The usable keys.
    pub fn keys(&self) -> &[VerifyingKey] {
        &self.keys
    }

    /// The keys that were left out.
    pub fn skipped(&self) -> &[SkippedKey] {
        &self.skipped
    }

    /// The keys that may have signed a token with this `kid` and `alg`: the key with that `kid`
    /// (when the token has one), else every key that supports `alg`.
    ///
    /// Fails with [`Error::UnknownKeyId`] when no key has the `kid`, and with
    /// [`Error::KeyAlgorithmMismatch`] when the key with that `kid` cannot verify `alg`.
    pub fn candidates(&self, kid: Option<&str>, alg: Algorithm) -> Result<Vec<&VerifyingKey>> {
        match kid {
            Some(kid) => {
                let key = self
                    .keys
                    .iter()
                    .find(|k| k.kid() == Some(kid))
                    .ok_or_else(|| Error::UnknownKeyId {
                        kid: Some(kid.to_owned()),
                    })?;
                if key.supports(alg) {
                    Ok(vec![key])
                } else {
                    Err(Error::KeyAlgorithmMismatch {
                        kid: Some(kid.to_owned()),
                        kty: key.kty(),
                        alg,
                    })
                }
            }
            None => {
                let found: Vec<_> = self.keys.iter().filter(|k| k.supports(alg)).collect();
                if found.is_empty() {
                    Err(Error::UnknownKeyId { kid: None })
                } else {
                    Ok(found)
                }
            }
        }
    }
}

fn field<'a>(key: &'a Value, name: &str) -> std::result::Result<Option<&'a str>, String> {
    match key.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("`{name}` is not a string")),
    }
}

fn bytes(key: &Value, name: &str) -> std::result::Result<Vec<u8>, String> {
    let s = field(key, name)?.ok_or_else(|| format!("no `{name}`"))?;
    b64_decode(s, 0, "bad base64url").map_err(|_| format!("`{name}` is not base64url"))
}

fn parse_jwk(key: &Value) -> std::result::Result<VerifyingKey, String> {
    if !key.is_object() {
        return Err("not a JSON object".into());
    }
    let kid = field(key, "kid")?.map(str::to_owned);
    if let Some(usage) = field(key, "use")?
        && usage != "sig"
    {
        return Err(format!("`use` is {usage:?}, not \"sig\""));
    }
    if let Some(ops) = key.get("key_ops") {
        let verifies = ops
            .as_array()
            .is_some_and(|a| a.iter().any(|o| o.as_str() == Some("verify")));
        if !verifies {
            return Err("`key_ops` does not allow \"verify\"".into());
        }
    }
    let alg = match field(key, "alg")? {
        None => None,
        Some(name) => Some(
            Algorithm::from_name(name)
                .filter(|a| *a != Algorithm::Hs256)
                .ok_or_else(|| format!("unsupported `alg` {name:?}"))?,
        ),
    };
    let kty = field(key, "kty")?.ok_or("no `kty`")?;
    let verifying = match kty {
        "RSA" => VerifyingKey::rsa(&bytes(key, "n")?, &bytes(key, "e")?),
        "EC" => {
            let crv = field(key, "crv")?.ok_or("no `crv`")?;
            if crv != "P-256" {
                return Err(format!("unsupported curve {crv:?}"));
            }
            VerifyingKey::ec_p256(&bytes(key, "x")?, &bytes(key, "y")?)
        }
        "oct" => return Err("symmetric keys are never taken from a JWKS".into()),
        other => return Err(format!("unsupported `kty` {other:?}")),
    }
    .map_err(|e| match e {
        Error::InvalidJwk { reason, .. } => reason,
        other => other.to_string(),
    })?;
    if let Some(a) = alg
        && !verifying.clone().with_alg(None).supports(a)
    {
        return Err(format!("`alg` {a} does not fit `kty` {kty}"));
    }
    Ok(verifying.with_kid(kid).with_alg(alg))
}
