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

#[cfg(test)]
mod tests {
    use super::*;

    const EC: &str = r#"{"kty":"EC","crv":"P-256","kid":"e1","use":"sig","alg":"ES256",
        "x":"VAMXdoNlnCyNdx60mbEF-c6c-uYqXLwioUn5tQ2Z53A","y":"BrqL_HLjDXWnoYTn5paqck_3cZxdMhXcRyxzA2LJZ7U"}"#;

    fn rsa(kid: &str, bits: usize) -> String {
        let n = crate::jose::encode_b64url(&vec![0xc3; bits / 8]);
        format!(r#"{{"kty":"RSA","kid":"{kid}","n":"{n}","e":"AQAB"}}"#)
    }

    #[test]
    fn keeps_usable_keys_and_lists_the_others() {
        let doc = format!(
            r#"{{"keys":[{EC},{},{},{{"kty":"oct","k":"c2VjcmV0","kid":"h"}},
            {{"kty":"OKP","crv":"Ed25519","x":"AA","kid":"ed"}},
            {{"kty":"EC","crv":"P-384","x":"AA","y":"AA"}},
            {{"kty":"RSA","kid":"enc","use":"enc","n":"AA","e":"AQAB"}},
            {{"kty":"RSA","kid":"ops","key_ops":["encrypt"],"n":"AA","e":"AQAB"}},
            {{"kty":"RSA","kid":"bad","n":"***","e":"AQAB"}},
            {{"kty":"EC","crv":"P-256","kid":"rsa-alg","alg":"RS256","x":"AA","y":"AA"}},
            {{"kty":"RSA","kid":"hs","alg":"HS256","n":"AA","e":"AQAB"}},
            "not an object"]}}"#,
            rsa("r1", 2048),
            rsa("weak", 1024)
        );
        let jwks = Jwks::parse(doc.as_bytes()).unwrap();
        let kids: Vec<_> = jwks.keys().iter().map(|k| k.kid().unwrap()).collect();
        assert_eq!(kids, ["e1", "r1"]);
        let skipped: Vec<_> = jwks.skipped().iter().map(|s| s.index).collect();
        assert_eq!(skipped, (2..12).collect::<Vec<_>>());
        assert!(jwks.skipped()[0].reason.contains("2048"));
        assert!(jwks.skipped()[1].reason.contains("symmetric"));

        assert_eq!(
            jwks.candidates(Some("e1"), Algorithm::Es256).unwrap().len(),
            1
        );
        assert!(matches!(
            jwks.candidates(Some("e1"), Algorithm::Rs256),
            Err(Error::KeyAlgorithmMismatch { kty: "EC", .. })
        ));
        assert!(matches!(
            jwks.candidates(Some("zz"), Algorithm::Es256),
            Err(Error::UnknownKeyId { kid: Some(k) }) if k == "zz"
        ));
        assert_eq!(jwks.candidates(None, Algorithm::Ps256).unwrap().len(), 1);
        assert!(matches!(
            Jwks::from_keys(vec![]).candidates(None, Algorithm::Es256),
            Err(Error::UnknownKeyId { kid: None })
        ));
    }

    #[test]
    fn refuses_broken_documents() {
        assert!(matches!(Jwks::parse(b"{"), Err(Error::Json { .. })));
        assert!(matches!(
            Jwks::parse(b"{}"),
            Err(Error::InvalidJwk { index: None, .. })
        ));
        assert!(matches!(
            Jwks::parse(br#"{"keys":{}}"#),
            Err(Error::InvalidJwk { .. })
        ));
        let dup = format!(
            r#"{{"keys":[{},{}]}}"#,
            rsa("same", 2048),
            rsa("same", 2048)
        );
        assert!(matches!(
            Jwks::parse(dup.as_bytes()),
            Err(Error::InvalidJwk { index: Some(1), .. })
        ));
        let many = format!(
            r#"{{"keys":[{}]}}"#,
            vec!["{}"; MAX_JWKS_KEYS + 1].join(",")
        );
        assert!(matches!(
            Jwks::parse(many.as_bytes()),
            Err(Error::TooLarge { .. })
        ));
        let big = vec![b' '; MAX_JWKS_LEN + 1];
        assert!(matches!(Jwks::parse(&big), Err(Error::TooLarge { .. })));
        assert!(Jwks::parse(br#"{"keys":[]}"#).unwrap().keys().is_empty());
    }
}
