//! Signing and verifying the VIHF through `segur-xmldsig`.

use chrono::{DateTime, Utc};
use segur_xmldsig::{
    Certificate, ElementSelector, IdAttribute, Placement, SignOptions, Signer, TrustPolicy,
    Verifier,
};

use crate::error::{Error, ErrorKind};
use crate::ns;
use crate::vihf::{ParsedVihf, Vihf};
use crate::xml::{self, Limits};

fn signature_error(e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Signature {
        message: e.to_string(),
    })
}

impl Vihf {
    /// Signs the assertion: `Issuer` = the RFC 2253 subject DN of the signer's certificate,
    /// enveloped signature right after `Issuer`, exclusive canonicalisation, the signer's
    /// algorithm (RSA-SHA256 for a software RSA key), `KeyInfo/X509Data` with the certificate.
    ///
    /// The signer may be a key in memory ([`segur_xmldsig::SoftwareSigner`], from PEM or PKCS#12)
    /// or a smart card or HSM behind the [`Signer`] trait. RSA PKCS#1 v1.5 signatures are
    /// deterministic, so the same inputs give the same bytes.
    pub fn sign(&self, signer: &dyn Signer) -> Result<String, Error> {
        let issuer = signer.certificate().subject_dn();
        let unsigned = self.to_unsigned_xml(&issuer)?;
        let options = SignOptions::new(Placement::after(ns::SAML2, "Issuer"));
        let signed = segur_xmldsig::sign_enveloped_with(
            unsigned.as_bytes(),
            &IdAttribute::new("ID"),
            &self.id,
            &options,
            signer,
        )
        .map_err(signature_error)?;
        String::from_utf8(signed).map_err(signature_error)
    }
}

/// A VIHF whose signature was verified.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct VerifiedVihf {
    /// The content, read from exactly the bytes that were signed.
    pub vihf: ParsedVihf,
    /// The certificate that signed it.
    pub certificate: Certificate,
}

/// Verifies VIHF signatures, standalone or inside a SOAP envelope (`wsse:Security`).
///
/// The content is read from the canonical bytes that the signature covers, never from the rest
/// of the document, so a wrapped or moved assertion cannot pass. The `Issuer` must equal the
/// signing certificate's RFC 2253 subject DN.
#[derive(Debug, Clone)]
pub struct VihfVerifier {
    trust: TrustPolicy,
    allow_sha1: bool,
}

impl VihfVerifier {
    /// Accepts signatures whose certificate chains to one of `anchors` (the IGC-Santé roots or
    /// intermediates), valid at `at`.
    pub fn with_trust_anchors(anchors: Vec<Certificate>, at: DateTime<Utc>) -> Self {
        Self::with_policy(TrustPolicy::Anchors { anchors, at })
    }

    /// A verifier with an explicit trust policy.
    pub fn with_policy(trust: TrustPolicy) -> Self {
        Self {
            trust,
            allow_sha1: false,
        }
    }

    /// Accepts RSA-SHA1 / SHA-1 (the DMP's 2019-2020 samples and some LPS still use them).
    pub fn allow_sha1(mut self, allow: bool) -> Self {
        self.allow_sha1 = allow;
        self
    }

    /// Verifies the VIHF of `document`: a standalone `saml2:Assertion`, or a SOAP envelope
    /// carrying exactly one in `Header/wsse:Security`.
    pub fn verify(&self, document: &[u8]) -> Result<VerifiedVihf, Error> {
        let doc = xml::parse(document, &Limits::default())?;
        let root = &doc.root;
        let selector = if root.is(ns::SAML2, "Assertion") {
            ElementSelector::path([(ns::SAML2, "Assertion")])
        } else {
            let soap = match root.ns.as_deref() {
                Some(s @ (ns::SOAP12 | ns::SOAP11)) if root.local == "Envelope" => s,
                _ => {
                    return Err(Error::malformed(
                        root.name(),
                        "neither a SAML assertion nor a SOAP envelope",
                    ));
                }
            };
            ElementSelector::path([
                (soap, "Envelope"),
                (soap, "Header"),
                (ns::WSSE, "Security"),
                (ns::SAML2, "Assertion"),
            ])
        };
        let verified = Verifier::with_policy(IdAttribute::new("ID"), self.trust.clone())
            .allow_sha1(self.allow_sha1)
            .verify(document, &selector)
            .map_err(signature_error)?;
        let mut vihf = ParsedVihf::parse(&verified.canonical)?;
        let expected = verified.certificate.subject_dn();
        if vihf.issuer.trim() != expected {
            return Err(signature_error(format!(
                "the Issuer `{}` is not the signing certificate's subject `{expected}`",
                vihf.issuer
            )));
        }
        // the canonical form has no signature (enveloped transform), but it was signed
        vihf.signed = true;
        Ok(VerifiedVihf {
            vihf,
            certificate: verified.certificate,
        })
    }
}
