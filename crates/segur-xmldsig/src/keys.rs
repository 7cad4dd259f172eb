//! Algorithms, private keys, the [`Signer`] trait and the software signer.

use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, KeyPair, RsaKeyPair};
use rustls_pki_types::PrivateKeyDer;
use rustls_pki_types::pem::PemObject;

use crate::cert::Certificate;
use crate::error::{Error, Result};

/// A digest algorithm of XML-DSig `DigestMethod`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DigestAlgorithm {
    /// SHA-1 (legacy: verification only, when allowed).
    Sha1,
    /// SHA-256 (the default).
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl DigestAlgorithm {
    /// The algorithm URI.
    pub fn uri(self) -> &'static str {
        match self {
            Self::Sha1 => "http://www.w3.org/2000/09/xmldsig#sha1",
            Self::Sha256 => "http://www.w3.org/2001/04/xmlenc#sha256",
            Self::Sha384 => "http://www.w3.org/2001/04/xmldsig-more#sha384",
            Self::Sha512 => "http://www.w3.org/2001/04/xmlenc#sha512",
        }
    }

    /// The algorithm named by `uri`.
    pub fn from_uri(uri: &str) -> Option<Self> {
        [Self::Sha1, Self::Sha256, Self::Sha384, Self::Sha512]
            .into_iter()
            .find(|a| a.uri() == uri)
    }

    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        let alg = match self {
            Self::Sha1 => &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
            Self::Sha256 => &ring::digest::SHA256,
            Self::Sha384 => &ring::digest::SHA384,
            Self::Sha512 => &ring::digest::SHA512,
        };
        ring::digest::digest(alg, data).as_ref().to_vec()
    }
}

/// A signature algorithm of XML-DSig `SignatureMethod`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureAlgorithm {
    /// RSA PKCS#1 v1.5 with SHA-256 (the default for RSA keys).
    RsaSha256,
    /// RSA PKCS#1 v1.5 with SHA-384.
    RsaSha384,
    /// RSA PKCS#1 v1.5 with SHA-512.
    RsaSha512,
    /// RSA PKCS#1 v1.5 with SHA-1: legacy DMP messages, verification only and only when
    /// allowed.
    RsaSha1,
    /// ECDSA on P-256 with SHA-256; the signature value is `r || s` (64 bytes).
    EcdsaP256Sha256,
}

impl SignatureAlgorithm {
    /// The algorithm URI.
    pub fn uri(self) -> &'static str {
        match self {
            Self::RsaSha256 => "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            Self::RsaSha384 => "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
            Self::RsaSha512 => "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
            Self::RsaSha1 => "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
            Self::EcdsaP256Sha256 => "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
        }
    }

    /// The algorithm named by `uri`.
    pub fn from_uri(uri: &str) -> Option<Self> {
        [
            Self::RsaSha256,
            Self::RsaSha384,
            Self::RsaSha512,
            Self::RsaSha1,
            Self::EcdsaP256Sha256,
        ]
        .into_iter()
        .find(|a| a.uri() == uri)
    }

    /// The digest algorithm that goes with this signature algorithm (used for the reference
    /// digest when signing).
    pub fn digest(self) -> DigestAlgorithm {
        match self {
            Self::RsaSha1 => DigestAlgorithm::Sha1,
            Self::RsaSha256 | Self::EcdsaP256Sha256 => DigestAlgorithm::Sha256,
            Self::RsaSha384 => DigestAlgorithm::Sha384,
            Self::RsaSha512 => DigestAlgorithm::Sha512,
        }
    }

    fn verification(self) -> &'static dyn signature::VerificationAlgorithm {
        match self {
            Self::RsaSha256 => &signature::RSA_PKCS1_2048_8192_SHA256,
            Self::RsaSha384 => &signature::RSA_PKCS1_2048_8192_SHA384,
            Self::RsaSha512 => &signature::RSA_PKCS1_2048_8192_SHA512,
            Self::RsaSha1 => &signature::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY,
            Self::EcdsaP256Sha256 => &signature::ECDSA_P256_SHA256_FIXED,
        }
    }

    /// Checks `sig` over `data` with the public key of `cert`.
    pub(crate) fn verify(self, cert: &Certificate, data: &[u8], sig: &[u8]) -> Result<()> {
        let x = cert.x509()?;
        let spki = x.public_key();
        let key_oid = spki.algorithm.algorithm.to_id_string();
        let fits = match self {
            Self::EcdsaP256Sha256 => key_oid == OID_EC_PUBLIC_KEY,
            _ => key_oid == OID_RSA_ENCRYPTION,
        };
        let ok = fits
            && signature::UnparsedPublicKey::new(
                self.verification(),
                &spki.subject_public_key.data,
            )
            .verify(data, sig)
            .is_ok();
        if ok {
            Ok(())
        } else {
            Err(Error::SignatureInvalid {
                subject: cert.subject_dn(),
            })
        }
    }
}

const OID_RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const OID_EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";

/// Something that signs bytes with the private key of a certificate: the software signer of
/// this crate, or the integrator's smart card (CPS over PKCS#11) or HSM. The library never needs
/// to see the key.
///
/// ```
/// use segur_xmldsig::{Certificate, Error, SignatureAlgorithm, Signer};
///
/// /// A signer backed by some remote service.
/// struct Remote { cert: Certificate }
///
/// impl Signer for Remote {
///     fn algorithm(&self) -> SignatureAlgorithm { SignatureAlgorithm::RsaSha256 }
///     fn certificate(&self) -> &Certificate { &self.cert }
///     fn sign(&self, _data: &[u8]) -> Result<Vec<u8>, Error> {
///         // here: hand the bytes to the card/HSM (it hashes them with SHA-256 and signs with
///         // RSA PKCS#1 v1.5), return the raw signature
///         Err(Error::Signing { reason: "card removed".into() })
///     }
/// }
/// ```
pub trait Signer {
    /// The algorithm of [`sign`](Signer::sign) (it must match the certificate's key).
    fn algorithm(&self) -> SignatureAlgorithm;

    /// The signing certificate (put in `KeyInfo/X509Data`).
    fn certificate(&self) -> &Certificate;

    /// Intermediate certificates to put in `KeyInfo/X509Data` after the signing certificate
    /// (none by default).
    fn chain(&self) -> &[Certificate] {
        &[]
    }

    /// Signs `data` (the canonical `SignedInfo`): hash it with the algorithm's digest and sign.
    /// RSA returns the PKCS#1 v1.5 signature; ECDSA returns `r || s` (64 bytes for P-256).
    fn sign(&self, data: &[u8]) -> Result<Vec<u8>>;
}

impl<S: Signer + ?Sized> Signer for &S {
    fn algorithm(&self) -> SignatureAlgorithm {
        (**self).algorithm()
    }
    fn certificate(&self) -> &Certificate {
        (**self).certificate()
    }
    fn chain(&self) -> &[Certificate] {
        (**self).chain()
    }
    fn sign(&self, data: &[u8]) -> Result<Vec<u8>> {
        (**self).sign(data)
    }
}

fn key_err(reason: impl Into<String>) -> Error {
    Error::Key {
        reason: reason.into(),
    }
}

enum KeyInner {
    Rsa(Box<RsaKeyPair>),
    Ecdsa(Box<EcdsaKeyPair>),
}

/// A private key held in memory (RSA or ECDSA P-256).
pub struct PrivateKey {
    inner: KeyInner,
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.inner {
            KeyInner::Rsa(_) => "RSA",
            KeyInner::Ecdsa(_) => "ECDSA P-256",
        };
        f.debug_struct("PrivateKey")
            .field("kind", &kind)
            .finish_non_exhaustive()
    }
}

impl PrivateKey {
    /// A PKCS#8 (`BEGIN PRIVATE KEY`) RSA or ECDSA P-256 key.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self> {
        if let Ok(rsa) = RsaKeyPair::from_pkcs8(der) {
            return Ok(Self {
                inner: KeyInner::Rsa(Box::new(rsa)),
            });
        }
        let rng = SystemRandom::new();
        EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, der, &rng)
            .map(|k| Self {
                inner: KeyInner::Ecdsa(Box::new(k)),
            })
            .map_err(|e| key_err(format!("PKCS#8 key is neither RSA nor ECDSA P-256 ({e})")))
    }

    /// A SEC1 (`BEGIN EC PRIVATE KEY`) ECDSA P-256 key.
    pub fn from_sec1_der(der: &[u8]) -> Result<Self> {
        Self::from_pkcs8_der(&sec1_to_pkcs8_p256(der))
    }

    /// A PKCS#1 (`BEGIN RSA PRIVATE KEY`) RSA key.
    pub fn from_pkcs1_der(der: &[u8]) -> Result<Self> {
        RsaKeyPair::from_der(der)
            .map(|k| Self {
                inner: KeyInner::Rsa(Box::new(k)),
            })
            .map_err(|e| key_err(format!("PKCS#1 RSA key rejected ({e})")))
    }

    /// The first private key of a PEM file: `PRIVATE KEY` (PKCS#8), `RSA PRIVATE KEY` (PKCS#1)
    /// or `EC PRIVATE KEY` (SEC1, P-256). Encrypted keys are not supported (use PKCS#12).
    pub fn from_pem(pem: &[u8]) -> Result<Self> {
        let key = PrivateKeyDer::from_pem_slice(pem).map_err(|e| Error::Pem {
            reason: format!("no usable private key: {e}"),
        })?;
        match key {
            PrivateKeyDer::Pkcs8(k) => Self::from_pkcs8_der(k.secret_pkcs8_der()),
            PrivateKeyDer::Pkcs1(k) => Self::from_pkcs1_der(k.secret_pkcs1_der()),
            PrivateKeyDer::Sec1(k) => {
                Self::from_pkcs8_der(&sec1_to_pkcs8_p256(k.secret_sec1_der()))
            }
            _ => Err(key_err("unsupported private key format")),
        }
    }

    /// The algorithm this key signs with by default (RSA-SHA256 or ECDSA-P256-SHA256).
    pub fn default_algorithm(&self) -> SignatureAlgorithm {
        match self.inner {
            KeyInner::Rsa(_) => SignatureAlgorithm::RsaSha256,
            KeyInner::Ecdsa(_) => SignatureAlgorithm::EcdsaP256Sha256,
        }
    }

    fn public_key(&self) -> &[u8] {
        match &self.inner {
            KeyInner::Rsa(k) => k.public_key().as_ref(),
            KeyInner::Ecdsa(k) => k.public_key().as_ref(),
        }
    }

    /// Whether `cert` carries the public half of this key.
    pub fn matches(&self, cert: &Certificate) -> bool {
        cert.x509()
            .is_ok_and(|c| c.public_key().subject_public_key.data.as_ref() == self.public_key())
    }

    /// Signs `data` with `algorithm`.
    pub fn sign(&self, algorithm: SignatureAlgorithm, data: &[u8]) -> Result<Vec<u8>> {
        let rng = SystemRandom::new();
        let failed = |e: ring::error::Unspecified| Error::Signing {
            reason: format!("ring: {e}"),
        };
        match (&self.inner, algorithm) {
            (
                KeyInner::Rsa(k),
                SignatureAlgorithm::RsaSha256
                | SignatureAlgorithm::RsaSha384
                | SignatureAlgorithm::RsaSha512,
            ) => {
                let padding: &'static dyn signature::RsaEncoding = match algorithm {
                    SignatureAlgorithm::RsaSha384 => &signature::RSA_PKCS1_SHA384,
                    SignatureAlgorithm::RsaSha512 => &signature::RSA_PKCS1_SHA512,
                    _ => &signature::RSA_PKCS1_SHA256,
                };
                let mut sig = vec![0; k.public().modulus_len()];
                k.sign(padding, &rng, data, &mut sig).map_err(failed)?;
                Ok(sig)
            }
            (KeyInner::Ecdsa(k), SignatureAlgorithm::EcdsaP256Sha256) => {
                Ok(k.sign(&rng, data).map_err(failed)?.as_ref().to_vec())
            }
            _ => Err(Error::Signing {
                reason: format!("this key cannot sign with {}", algorithm.uri()),
            }),
        }
    }
}

/// DER length octets.
fn der_len(len: usize, out: &mut Vec<u8>) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

/// Wraps a SEC1 `ECPrivateKey` in a PKCS#8 `PrivateKeyInfo` for P-256 (ring reads PKCS#8 only;
/// it checks the inner key and its curve parameters itself).
fn sec1_to_pkcs8_p256(sec1: &[u8]) -> Vec<u8> {
    // version 0, AlgorithmIdentifier { id-ecPublicKey, prime256v1 }
    const HEAD: &[u8] = &[
        0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06,
        0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
    ];
    let mut octets = vec![0x04];
    der_len(sec1.len(), &mut octets);
    octets.extend_from_slice(sec1);
    let mut out = vec![0x30];
    der_len(HEAD.len() + octets.len(), &mut out);
    out.extend_from_slice(HEAD);
    out.extend_from_slice(&octets);
    out
}

/// A [`Signer`] holding its private key in memory (from PEM or PKCS#12).
///
/// ```no_run
/// use segur_xmldsig::SoftwareSigner;
///
/// let p12 = std::fs::read("ORG-SIGN.p12")?;
/// let signer = SoftwareSigner::from_pkcs12(&p12, "password")?;
/// println!("{}", signer.certificate().subject_dn());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct SoftwareSigner {
    key: PrivateKey,
    certificate: Certificate,
    chain: Vec<Certificate>,
    algorithm: SignatureAlgorithm,
}

impl SoftwareSigner {
    /// A signer for `key` and its `certificate` (checked to match); the algorithm is the key's
    /// default (RSA-SHA256 or ECDSA-P256-SHA256).
    pub fn new(key: PrivateKey, certificate: Certificate) -> Result<Self> {
        if !key.matches(&certificate) {
            return Err(key_err(format!(
                "the private key does not belong to the certificate {}",
                certificate.subject_dn()
            )));
        }
        Ok(Self {
            algorithm: key.default_algorithm(),
            key,
            certificate,
            chain: Vec::new(),
        })
    }

    /// A signer from a PEM private key and a PEM certificate file; further certificates in the
    /// file become the chain put in `KeyInfo`.
    pub fn from_pem(key_pem: &[u8], certificate_pem: &[u8]) -> Result<Self> {
        let key = PrivateKey::from_pem(key_pem)?;
        let mut certs = Certificate::all_from_pem(certificate_pem)?.into_iter();
        let cert = certs.next().ok_or_else(|| Error::Pem {
            reason: "no CERTIFICATE section".into(),
        })?;
        Ok(Self::new(key, cert)?.with_chain(certs.collect()))
    }

    /// A signer from a PKCS#12 (`.p12`/`.pfx`) file such as the IGC-Santé "ORG SIGN" cachet
    /// files: the first private key and the certificate matching it; the other certificates
    /// of its chain become the `KeyInfo` chain.
    pub fn from_pkcs12(p12: &[u8], password: &str) -> Result<Self> {
        let store =
            p12_keystore::KeyStore::from_pkcs12(p12, password).map_err(|e| Error::Pkcs12 {
                reason: e.to_string(),
            })?;
        let (_, chain) = store.private_key_chain().ok_or_else(|| Error::Pkcs12 {
            reason: "no private key in the file".into(),
        })?;
        let key = PrivateKey::from_pkcs8_der(chain.key())?;
        let mut leaf = None;
        let mut others = Vec::new();
        for c in chain.chain() {
            let cert = Certificate::from_der(c.as_der())?;
            if leaf.is_none() && key.matches(&cert) {
                leaf = Some(cert);
            } else {
                others.push(cert);
            }
        }
        let leaf = leaf.ok_or_else(|| Error::Pkcs12 {
            reason: "no certificate matches the private key".into(),
        })?;
        Ok(Self::new(key, leaf)?.with_chain(others))
    }

    /// Sets the certificates put in `KeyInfo` after the signing certificate.
    pub fn with_chain(mut self, chain: Vec<Certificate>) -> Self {
        self.chain = chain;
        self
    }

    /// Chooses another algorithm compatible with the key (e.g. RSA-SHA512).
    pub fn with_algorithm(mut self, algorithm: SignatureAlgorithm) -> Result<Self> {
        let compatible = match self.key.inner {
            KeyInner::Rsa(_) => matches!(
                algorithm,
                SignatureAlgorithm::RsaSha256
                    | SignatureAlgorithm::RsaSha384
                    | SignatureAlgorithm::RsaSha512
            ),
            KeyInner::Ecdsa(_) => algorithm == SignatureAlgorithm::EcdsaP256Sha256,
        };
        if !compatible {
            return Err(key_err(format!(
                "this key cannot sign with {}",
                algorithm.uri()
            )));
        }
        self.algorithm = algorithm;
        Ok(self)
    }

    /// The signing certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }
}

impl Signer for SoftwareSigner {
    fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }
    fn certificate(&self) -> &Certificate {
        &self.certificate
    }
    fn chain(&self) -> &[Certificate] {
        &self.chain
    }
    fn sign(&self, data: &[u8]) -> Result<Vec<u8>> {
        self.key.sign(self.algorithm, data)
    }
}
