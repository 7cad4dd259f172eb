//! JWS (RFC 7515) compact serialization: parsing, verification and signing with `ring`.
//!
//! Only the algorithms Pro Santé Connect uses are implemented: RS256, PS256 and ES256 with keys
//! from the provider's JWKS, HS256 with the client secret. `none`, every other algorithm and any
//! `crit` extension are rejected. Keys embedded in the header (`jwk`, `jku`, `x5u`, `x5c`) are
//! never used.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::signature::{self, KeyPair as _};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::secret::Secret;

/// Largest compact JWS accepted, in bytes.
pub const MAX_JWS_LEN: usize = 256 * 1024;

/// A JWS algorithm this crate implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (RSA keys of 2048 to 8192 bits).
    Rs256,
    /// RSASSA-PSS with SHA-256 (RSA keys of 2048 to 8192 bits).
    Ps256,
    /// ECDSA on P-256 with SHA-256.
    Es256,
    /// HMAC with SHA-256, keyed with the client secret.
    Hs256,
}

impl Algorithm {
    /// Every algorithm, in the order of preference of this crate.
    pub const ALL: [Self; 4] = [Self::Es256, Self::Ps256, Self::Rs256, Self::Hs256];

    /// The algorithm named `name` (`"RS256"`, ...), if implemented.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "RS256" => Self::Rs256,
            "PS256" => Self::Ps256,
            "ES256" => Self::Es256,
            "HS256" => Self::Hs256,
            _ => return None,
        })
    }

    /// The JOSE name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Rs256 => "RS256",
            Self::Ps256 => "PS256",
            Self::Es256 => "ES256",
            Self::Hs256 => "HS256",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The parts of a JWS header this crate looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// `alg`.
    pub alg: Algorithm,
    /// `kid`, if present.
    pub kid: Option<String>,
    /// `typ`, if present (`JWT`, `logout+jwt`, ...).
    pub typ: Option<String>,
    /// `cty`, if present (a nested JWT says `JWT`).
    pub cty: Option<String>,
}

/// A parsed, **not yet verified** compact JWS.
///
/// [`Jws::parse`] checks the structure and the header; [`Jws::verify`] checks the signature
/// with one key. The payload is only reachable through the value `verify` returns, so unverified
/// content cannot be used by mistake.
#[derive(Clone)]
pub struct Jws {
    header: Header,
    signing_input_len: usize,
    compact: Secret,
    payload: Vec<u8>,
    signature: Vec<u8>,
}

impl fmt::Debug for Jws {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jws")
            .field("header", &self.header)
            .field("payload_len", &self.payload.len())
            .finish_non_exhaustive()
    }
}

pub(crate) fn b64_decode(s: &str, offset: usize, what: &'static str) -> Result<Vec<u8>> {
    URL_SAFE_NO_PAD
        .decode(s.as_bytes())
        .map_err(|_| Error::MalformedJws {
            offset,
            reason: what,
        })
}

pub(crate) fn b64_encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes unpadded base64url (RFC 7515 §2), strictly: no padding, no stray bits.
pub fn decode_b64url(s: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(s.as_bytes()).ok()
}

/// Encodes unpadded base64url (RFC 7515 §2).
pub fn encode_b64url(bytes: &[u8]) -> String {
    b64_encode(bytes)
}

impl Jws {
    /// Parses a compact JWS (`header.payload.signature`).
    ///
    /// Rejects: more than [`MAX_JWS_LEN`] bytes, a JWE (five segments), bad base64url, a header
    /// that is not a JSON object, `alg: none` or any algorithm not implemented, any `crit`
    /// entry, an empty signature.
    pub fn parse(compact: &str) -> Result<Self> {
        if compact.len() > MAX_JWS_LEN {
            return Err(Error::TooLarge {
                what: "JWS",
                size: compact.len(),
                limit: MAX_JWS_LEN,
            });
        }
        let dots: Vec<usize> = compact.match_indices('.').map(|(i, _)| i).collect();
        let (d1, d2) = match dots.as_slice() {
            [a, b] => (*a, *b),
            [_, _, _, _] => return Err(Error::EncryptedToken),
            _ => {
                return Err(Error::MalformedJws {
                    offset: 0,
                    reason: "a compact JWS has exactly three dot-separated segments",
                });
            }
        };
        let header_bytes = b64_decode(&compact[..d1], 0, "header is not base64url")?;
        let header = parse_header(&header_bytes)?;
        let payload = b64_decode(&compact[d1 + 1..d2], d1 + 1, "payload is not base64url")?;
        let signature = b64_decode(&compact[d2 + 1..], d2 + 1, "signature is not base64url")?;
        if signature.is_empty() {
            return Err(Error::MalformedJws {
                offset: d2 + 1,
                reason: "empty signature",
            });
        }
        Ok(Self {
            header,
            signing_input_len: d2,
            compact: Secret::new(compact),
            payload,
            signature,
        })
    }

    /// The header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Verifies the signature with `key` and returns the payload.
    ///
    /// Fails with [`Error::KeyAlgorithmMismatch`] when the key cannot produce the header's
    /// algorithm (an RSA key for HS256, an EC key for RS256...), [`Error::BadSignature`] when
    /// the signature does not verify.
    pub fn verify(&self, key: &VerifyingKey) -> Result<&[u8]> {
        let alg = self.header.alg;
        if key.alg.is_some_and(|a| a != alg) {
            return Err(Error::KeyAlgorithmMismatch {
                kid: key.kid.clone(),
                kty: key.kty(),
                alg,
            });
        }
        let input = &self.compact.expose().as_bytes()[..self.signing_input_len];
        let ok = match (alg, &key.material) {
            (Algorithm::Rs256 | Algorithm::Ps256, KeyMaterial::Rsa { n, e }) => {
                let params = if alg == Algorithm::Rs256 {
                    &signature::RSA_PKCS1_2048_8192_SHA256
                } else {
                    &signature::RSA_PSS_2048_8192_SHA256
                };
                signature::RsaPublicKeyComponents { n, e }
                    .verify(params, input, &self.signature)
                    .is_ok()
            }
            (Algorithm::Es256, KeyMaterial::EcP256 { point }) => {
                signature::UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point)
                    .verify(input, &self.signature)
                    .is_ok()
            }
            (Algorithm::Hs256, KeyMaterial::Hmac(secret)) => {
                let k = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret.expose().as_bytes());
                ring::hmac::verify(&k, input, &self.signature).is_ok()
            }
            _ => {
                return Err(Error::KeyAlgorithmMismatch {
                    kid: key.kid.clone(),
                    kty: key.kty(),
                    alg,
                });
            }
        };
        if ok {
            Ok(&self.payload)
        } else {
            Err(Error::BadSignature { alg })
        }
    }

    /// The payload, **unverified**: for diagnostics (the CLI's `--insecure-show` style tools)
    /// and for reading `iss` before choosing keys. Never trust it.
    pub fn unverified_payload(&self) -> &[u8] {
        &self.payload
    }
}

fn parse_header(bytes: &[u8]) -> Result<Header> {
    let malformed = |reason| Error::MalformedJws { offset: 0, reason };
    let value: Value =
        serde_json::from_slice(bytes).map_err(|_| malformed("header is not valid JSON"))?;
    let Value::Object(map) = value else {
        return Err(malformed("header is not a JSON object"));
    };
    let alg_name = match map.get("alg") {
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err(malformed("`alg` is not a string")),
        None => return Err(malformed("no `alg` header")),
    };
    let alg = Algorithm::from_name(alg_name).ok_or_else(|| Error::AlgorithmNotAllowed {
        alg: alg_name.chars().take(32).collect(),
    })?;
    if let Some(crit) = map.get("crit") {
        let Value::Array(names) = crit else {
            return Err(malformed("`crit` is not an array"));
        };
        let Some(first) = names.first() else {
            return Err(malformed("`crit` is empty"));
        };
        // No extension is understood: any entry is fatal (RFC 7515 §4.1.11).
        return Err(Error::UnknownCriticalHeader {
            name: first
                .as_str()
                .map(|s| s.chars().take(64).collect())
                .unwrap_or_else(|| first.to_string().chars().take(64).collect()),
        });
    }
    Ok(Header {
        alg,
        kid: opt_string(&map, "kid").map_err(|()| malformed("`kid` is not a string"))?,
        typ: opt_string(&map, "typ").map_err(|()| malformed("`typ` is not a string"))?,
        cty: opt_string(&map, "cty").map_err(|()| malformed("`cty` is not a string"))?,
    })
}

fn opt_string(map: &Map<String, Value>, name: &str) -> std::result::Result<Option<String>, ()> {
    match map.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(()),
    }
}

/// Key material that can verify signatures.
#[derive(Clone)]
enum KeyMaterial {
    /// RSA modulus and exponent, big-endian without leading zeros.
    Rsa { n: Vec<u8>, e: Vec<u8> },
    /// An uncompressed P-256 point (`04 || x || y`).
    EcP256 { point: Vec<u8> },
    /// An HMAC key: the client secret.
    Hmac(Secret),
}

/// A public key (or, for HS256, the client secret) that can verify JWS signatures.
#[derive(Clone)]
pub struct VerifyingKey {
    kid: Option<String>,
    alg: Option<Algorithm>,
    material: KeyMaterial,
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyingKey")
            .field("kid", &self.kid)
            .field("kty", &self.kty())
            .field("alg", &self.alg)
            .finish()
    }
}

impl VerifyingKey {
    /// An RSA public key from its modulus and exponent (big-endian; leading zeros are removed).
    ///
    /// The modulus must be 2048 to 8192 bits long.
    pub fn rsa(n: &[u8], e: &[u8]) -> Result<Self> {
        let n = strip_leading_zeros(n);
        let e = strip_leading_zeros(e);
        if !(256..=1024).contains(&n.len()) {
            return Err(Error::InvalidJwk {
                index: None,
                reason: format!("RSA modulus of {} bits is not 2048..8192", n.len() * 8),
            });
        }
        if e.is_empty() || e.len() > 4 || e.last().is_some_and(|b| b % 2 == 0) {
            return Err(Error::InvalidJwk {
                index: None,
                reason: "RSA exponent must be odd and at most 32 bits".into(),
            });
        }
        Ok(Self {
            kid: None,
            alg: None,
            material: KeyMaterial::Rsa {
                n: n.to_vec(),
                e: e.to_vec(),
            },
        })
    }

    /// A P-256 public key from its coordinates (32 bytes each).
    pub fn ec_p256(x: &[u8], y: &[u8]) -> Result<Self> {
        if x.len() != 32 || y.len() != 32 {
            return Err(Error::InvalidJwk {
                index: None,
                reason: "P-256 coordinates must be 32 bytes each".into(),
            });
        }
        let mut point = Vec::with_capacity(65);
        point.push(4);
        point.extend_from_slice(x);
        point.extend_from_slice(y);
        Ok(Self {
            kid: None,
            alg: None,
            material: KeyMaterial::EcP256 { point },
        })
    }

    /// The HS256 key of a client: its secret.
    pub fn hmac(secret: &Secret) -> Self {
        Self {
            kid: None,
            alg: Some(Algorithm::Hs256),
            material: KeyMaterial::Hmac(secret.clone()),
        }
    }

    /// Sets the key id.
    #[must_use]
    pub fn with_kid(mut self, kid: Option<String>) -> Self {
        self.kid = kid;
        self
    }

    /// Restricts the key to one algorithm (the JWK's `alg`).
    #[must_use]
    pub fn with_alg(mut self, alg: Option<Algorithm>) -> Self {
        self.alg = alg;
        self
    }

    /// The key id.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The algorithm the key is restricted to, if any.
    pub fn alg(&self) -> Option<Algorithm> {
        self.alg
    }

    /// The JWK key type: `RSA`, `EC` or `oct`.
    pub fn kty(&self) -> &'static str {
        match self.material {
            KeyMaterial::Rsa { .. } => "RSA",
            KeyMaterial::EcP256 { .. } => "EC",
            KeyMaterial::Hmac(_) => "oct",
        }
    }

    /// Whether this key can verify `alg` signatures.
    pub fn supports(&self, alg: Algorithm) -> bool {
        let by_type = matches!(
            (alg, &self.material),
            (Algorithm::Rs256 | Algorithm::Ps256, KeyMaterial::Rsa { .. })
                | (Algorithm::Es256, KeyMaterial::EcP256 { .. })
                | (Algorithm::Hs256, KeyMaterial::Hmac(_))
        );
        by_type && self.alg.is_none_or(|a| a == alg)
    }
}

fn strip_leading_zeros(b: &[u8]) -> &[u8] {
    let first = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    &b[first..]
}

/// A private key that signs JWS: for `private_key_jwt` client authentication (and tests).
///
/// Signatures use the operating system's random source where the algorithm needs one (PSS
/// salts, ECDSA nonces): `ring` accepts no other.
pub struct SigningKey {
    alg: Algorithm,
    kid: Option<String>,
    inner: SigningInner,
}

enum SigningInner {
    Rsa(signature::RsaKeyPair),
    Ec(signature::EcdsaKeyPair),
    Hmac(ring::hmac::Key),
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// A key from a PKCS#8 DER private key: RSA for RS256/PS256, P-256 for ES256.
    pub fn from_pkcs8_der(alg: Algorithm, der: &[u8], kid: Option<String>) -> Result<Self> {
        let inner = match alg {
            Algorithm::Rs256 | Algorithm::Ps256 => SigningInner::Rsa(
                signature::RsaKeyPair::from_pkcs8(der)
                    .map_err(|_| Error::InvalidPrivateKey("not an RSA PKCS#8 key ring accepts"))?,
            ),
            Algorithm::Es256 => SigningInner::Ec(
                signature::EcdsaKeyPair::from_pkcs8(
                    &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
                    der,
                    &ring::rand::SystemRandom::new(),
                )
                .map_err(|_| Error::InvalidPrivateKey("not a P-256 PKCS#8 key"))?,
            ),
            Algorithm::Hs256 => {
                return Err(Error::InvalidPrivateKey(
                    "HS256 takes a secret: use SigningKey::hmac",
                ));
            }
        };
        Ok(Self { alg, kid, inner })
    }

    /// An HS256 key from a shared secret.
    pub fn hmac(secret: &Secret, kid: Option<String>) -> Self {
        Self {
            alg: Algorithm::Hs256,
            kid,
            inner: SigningInner::Hmac(ring::hmac::Key::new(
                ring::hmac::HMAC_SHA256,
                secret.expose().as_bytes(),
            )),
        }
    }

    /// The algorithm.
    pub fn alg(&self) -> Algorithm {
        self.alg
    }

    /// The key id.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The public key as a JWK (for registering the client's `jwks`); `None` for HS256.
    pub fn public_jwk(&self) -> Option<Value> {
        let mut jwk = Map::new();
        match &self.inner {
            SigningInner::Rsa(k) => {
                let c: signature::RsaPublicKeyComponents<Vec<u8>> = k.public().into();
                jwk.insert("kty".into(), "RSA".into());
                jwk.insert("n".into(), b64_encode(&c.n).into());
                jwk.insert("e".into(), b64_encode(&c.e).into());
            }
            SigningInner::Ec(k) => {
                let p = k.public_key().as_ref();
                jwk.insert("kty".into(), "EC".into());
                jwk.insert("crv".into(), "P-256".into());
                jwk.insert("x".into(), b64_encode(&p[1..33]).into());
                jwk.insert("y".into(), b64_encode(&p[33..65]).into());
            }
            SigningInner::Hmac(_) => return None,
        }
        jwk.insert("use".into(), "sig".into());
        jwk.insert("alg".into(), self.alg.name().into());
        if let Some(kid) = &self.kid {
            jwk.insert("kid".into(), kid.clone().into());
        }
        Some(Value::Object(jwk))
    }

    /// Signs `payload` (a JSON claims set) into a compact JWS with header
    /// `{"alg", "typ": "JWT", "kid"}` plus `extra_header` members.
    pub fn sign(&self, payload: &[u8], extra_header: &Map<String, Value>) -> Result<Secret> {
        let mut header = Map::new();
        header.insert("alg".into(), self.alg.name().into());
        header.insert("typ".into(), "JWT".into());
        if let Some(kid) = &self.kid {
            header.insert("kid".into(), kid.clone().into());
        }
        for (k, v) in extra_header {
            header.insert(k.clone(), v.clone());
        }
        let header_json = Value::Object(header).to_string();
        let mut out = b64_encode(header_json.as_bytes());
        out.push('.');
        out.push_str(&b64_encode(payload));
        let sig = self.sign_raw(out.as_bytes())?;
        out.push('.');
        out.push_str(&b64_encode(&sig));
        Ok(Secret::new(out))
    }

    fn sign_raw(&self, input: &[u8]) -> Result<Vec<u8>> {
        let rng = ring::rand::SystemRandom::new();
        match &self.inner {
            SigningInner::Rsa(k) => {
                let mut sig = vec![0; k.public().modulus_len()];
                let padding: &dyn signature::RsaEncoding = if self.alg == Algorithm::Ps256 {
                    &signature::RSA_PSS_SHA256
                } else {
                    &signature::RSA_PKCS1_SHA256
                };
                k.sign(padding, &rng, input, &mut sig)
                    .map_err(|_| Error::InvalidPrivateKey("RSA signing failed"))?;
                Ok(sig)
            }
            SigningInner::Ec(k) => Ok(k
                .sign(&rng, input)
                .map_err(|_| Error::InvalidPrivateKey("ECDSA signing failed"))?
                .as_ref()
                .to_vec()),
            SigningInner::Hmac(k) => Ok(ring::hmac::sign(k, input).as_ref().to_vec()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSA_PK8: &[u8] = include_bytes!("../tests/data/rsa2048-test-key.pk8.der");

    fn es256() -> SigningKey {
        let rng = ring::rand::SystemRandom::new();
        let pk8 = signature::EcdsaKeyPair::generate_pkcs8(
            &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
            &rng,
        )
        .unwrap();
        SigningKey::from_pkcs8_der(Algorithm::Es256, pk8.as_ref(), Some("ec1".into())).unwrap()
    }

    fn verifying(key: &SigningKey) -> VerifyingKey {
        let jwk = key.public_jwk().unwrap();
        let jwks =
            crate::jwk::Jwks::parse(serde_json::json!({ "keys": [jwk] }).to_string().as_bytes())
                .unwrap();
        jwks.keys()[0].clone()
    }

    fn sign(key: &SigningKey, payload: &str) -> String {
        key.sign(payload.as_bytes(), &Map::new())
            .unwrap()
            .expose()
            .to_owned()
    }

    #[test]
    fn round_trips_every_algorithm() {
        let rs = SigningKey::from_pkcs8_der(Algorithm::Rs256, RSA_PK8, Some("r".into())).unwrap();
        let ps = SigningKey::from_pkcs8_der(Algorithm::Ps256, RSA_PK8, Some("r".into())).unwrap();
        let es = es256();
        for key in [&rs, &ps, &es] {
            let token = sign(key, r#"{"a":1}"#);
            let jws = Jws::parse(&token).unwrap();
            assert_eq!(jws.header().alg, key.alg());
            assert_eq!(jws.header().typ.as_deref(), Some("JWT"));
            // The JWK of an RSA key is restricted to its alg: RS256 and PS256 keys differ.
            assert_eq!(jws.verify(&verifying(key)).unwrap(), br#"{"a":1}"#);
        }
        let secret = Secret::new("0123456789abcdef0123456789abcdef");
        let hs = SigningKey::hmac(&secret, None);
        let token = sign(&hs, "{}");
        assert!(hs.public_jwk().is_none());
        let jws = Jws::parse(&token).unwrap();
        assert_eq!(jws.verify(&VerifyingKey::hmac(&secret)).unwrap(), b"{}");
        assert!(matches!(
            jws.verify(&VerifyingKey::hmac(&Secret::new("other"))),
            Err(Error::BadSignature {
                alg: Algorithm::Hs256
            })
        ));
    }

    #[test]
    fn tampering_is_detected() {
        let es = es256();
        let token = sign(&es, r#"{"acr":"eidas1"}"#);
        let key = verifying(&es);
        let (head, sig) = token.rsplit_once('.').unwrap();
        let other_payload = encode_b64url(br#"{"acr":"eidas3"}"#);
        let first_dot = token.find('.').unwrap();
        let swapped = format!("{}.{}.{}", &token[..first_dot], other_payload, sig);
        assert!(matches!(
            Jws::parse(&swapped).unwrap().verify(&key),
            Err(Error::BadSignature { .. })
        ));
        let mut sig_bytes = decode_b64url(sig).unwrap();
        sig_bytes[10] ^= 1;
        let bad = format!("{head}.{}", encode_b64url(&sig_bytes));
        assert!(matches!(
            Jws::parse(&bad).unwrap().verify(&key),
            Err(Error::BadSignature { .. })
        ));
        // An ES256 signature of the wrong length.
        let short = format!("{head}.{}", encode_b64url(&sig_bytes[..63]));
        assert!(Jws::parse(&short).unwrap().verify(&key).is_err());
    }

    fn compact(header: &str, payload: &str, sig: &[u8]) -> String {
        format!(
            "{}.{}.{}",
            encode_b64url(header.as_bytes()),
            encode_b64url(payload.as_bytes()),
            encode_b64url(sig)
        )
    }

    #[test]
    fn hostile_headers_are_refused() {
        let none = format!(
            "{}.{}.",
            encode_b64url(br#"{"alg":"none"}"#),
            encode_b64url(b"{}")
        );
        assert!(
            matches!(Jws::parse(&none), Err(Error::AlgorithmNotAllowed { alg }) if alg == "none")
        );
        let none_case = compact(r#"{"alg":"None"}"#, "{}", b"x");
        assert!(matches!(
            Jws::parse(&none_case),
            Err(Error::AlgorithmNotAllowed { .. })
        ));
        let hs512 = compact(r#"{"alg":"HS512"}"#, "{}", b"x");
        assert!(
            matches!(Jws::parse(&hs512), Err(Error::AlgorithmNotAllowed { alg }) if alg == "HS512")
        );
        let crit = compact(r#"{"alg":"ES256","crit":["exp"],"exp":1}"#, "{}", b"x");
        assert!(
            matches!(Jws::parse(&crit), Err(Error::UnknownCriticalHeader { name }) if name == "exp")
        );
        let crit_b64 = compact(r#"{"alg":"ES256","crit":["b64"],"b64":false}"#, "{}", b"x");
        assert!(matches!(
            Jws::parse(&crit_b64),
            Err(Error::UnknownCriticalHeader { .. })
        ));
        let crit_empty = compact(r#"{"alg":"ES256","crit":[]}"#, "{}", b"x");
        assert!(matches!(
            Jws::parse(&crit_empty),
            Err(Error::MalformedJws { .. })
        ));
        let no_alg = compact(r#"{"kid":"a"}"#, "{}", b"x");
        assert!(matches!(
            Jws::parse(&no_alg),
            Err(Error::MalformedJws {
                reason: "no `alg` header",
                ..
            })
        ));
        let not_obj = compact("[1]", "{}", b"x");
        assert!(matches!(
            Jws::parse(&not_obj),
            Err(Error::MalformedJws { .. })
        ));
        let kid_num = compact(r#"{"alg":"ES256","kid":5}"#, "{}", b"x");
        assert!(matches!(
            Jws::parse(&kid_num),
            Err(Error::MalformedJws { .. })
        ));
        let empty_sig = compact(r#"{"alg":"ES256"}"#, "{}", b"");
        assert!(matches!(
            Jws::parse(&empty_sig),
            Err(Error::MalformedJws {
                reason: "empty signature",
                ..
            })
        ));
        assert!(matches!(
            Jws::parse("a.b.c.d.e"),
            Err(Error::EncryptedToken)
        ));
        assert!(matches!(Jws::parse("a.b"), Err(Error::MalformedJws { .. })));
        assert!(matches!(Jws::parse(""), Err(Error::MalformedJws { .. })));
        let bad_b64 = format!("{}.{}.!!", encode_b64url(br#"{"alg":"ES256"}"#), "e30");
        let offset = bad_b64.rfind('.').unwrap() + 1;
        assert!(
            matches!(Jws::parse(&bad_b64), Err(Error::MalformedJws { offset: o, .. }) if o == offset)
        );
        let padded = format!("{}.e30=.AA", encode_b64url(br#"{"alg":"ES256"}"#));
        assert!(Jws::parse(&padded).is_err());
        let huge = "a".repeat(MAX_JWS_LEN + 1);
        assert!(matches!(Jws::parse(&huge), Err(Error::TooLarge { .. })));
    }

    #[test]
    fn algorithm_confusion_is_refused_by_key_type() {
        let rs = SigningKey::from_pkcs8_der(Algorithm::Rs256, RSA_PK8, Some("r".into())).unwrap();
        let rsa_key = verifying(&rs);
        // HS256 keyed with the RSA public key's JWK text.
        let forged_secret = Secret::new(rs.public_jwk().unwrap().to_string());
        let forged = sign(&SigningKey::hmac(&forged_secret, Some("r".into())), "{}");
        assert!(matches!(
            Jws::parse(&forged).unwrap().verify(&rsa_key),
            Err(Error::KeyAlgorithmMismatch {
                kty: "RSA",
                alg: Algorithm::Hs256,
                ..
            })
        ));
        // An ES256 token checked with an RSA key, and the reverse.
        let es = es256();
        let es_token = sign(&es, "{}");
        assert!(matches!(
            Jws::parse(&es_token).unwrap().verify(&rsa_key),
            Err(Error::KeyAlgorithmMismatch { kty: "RSA", .. })
        ));
        let rs_token = sign(&rs, "{}");
        assert!(matches!(
            Jws::parse(&rs_token).unwrap().verify(&verifying(&es)),
            Err(Error::KeyAlgorithmMismatch { kty: "EC", .. })
        ));
        // A PS256 token checked with the RS256-restricted JWK of the same RSA key.
        let ps = SigningKey::from_pkcs8_der(Algorithm::Ps256, RSA_PK8, None).unwrap();
        assert!(matches!(
            Jws::parse(&sign(&ps, "{}")).unwrap().verify(&rsa_key),
            Err(Error::KeyAlgorithmMismatch { .. })
        ));
        // Without the alg restriction, the same RSA key verifies both.
        let unrestricted = rsa_key.clone().with_alg(None);
        assert!(
            Jws::parse(&sign(&ps, "{}"))
                .unwrap()
                .verify(&unrestricted)
                .is_ok()
        );
    }

    #[test]
    fn weak_or_broken_keys_are_refused() {
        assert!(VerifyingKey::rsa(&[0xff; 128], &[1, 0, 1]).is_err()); // 1024 bits
        assert!(VerifyingKey::rsa(&[0xff; 256], &[2]).is_err()); // even exponent
        assert!(VerifyingKey::rsa(&[0xff; 256], &[1, 0, 0, 0, 1]).is_err()); // 33+ bits
        assert!(VerifyingKey::rsa(&[0xff; 256], &[1, 0, 1]).is_ok());
        let mut padded = vec![0u8];
        padded.extend_from_slice(&[0xff; 256]);
        assert!(VerifyingKey::rsa(&padded, &[0, 1, 0, 1]).is_ok());
        assert!(VerifyingKey::ec_p256(&[1; 31], &[1; 32]).is_err());
        assert!(SigningKey::from_pkcs8_der(Algorithm::Es256, RSA_PK8, None).is_err());
        assert!(SigningKey::from_pkcs8_der(Algorithm::Hs256, RSA_PK8, None).is_err());
        // An EC point off the curve never verifies.
        let off = VerifyingKey::ec_p256(&[1; 32], &[2; 32]).unwrap();
        let token = sign(&es256(), "{}");
        assert!(Jws::parse(&token).unwrap().verify(&off).is_err());
    }

    #[test]
    fn debug_never_shows_the_token() {
        let token = sign(&es256(), r#"{"secret":"payload"}"#);
        let jws = Jws::parse(&token).unwrap();
        let dbg = format!("{jws:?}");
        assert!(!dbg.contains(&token[..20]) && !dbg.contains("secret"));
        assert!(format!("{:?}", es256()).contains("Es256"));
        assert_eq!(jws.unverified_payload(), br#"{"secret":"payload"}"#);
        assert_eq!(Algorithm::from_name("PS256"), Some(Algorithm::Ps256));
        assert_eq!(Algorithm::Es256.to_string(), "ES256");
    }
}
