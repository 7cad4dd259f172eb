//! The DMP's signature document (TD2.1): a detached XAdES 1.1.1 signature over an IHE DSG
//! manifest of the submission (research note §3.3).
//!
//! The document is a standalone `ds:Signature` whose `SignedInfo` references two elements of
//! its own `ds:Object`s: the `ds:Manifest` `IHEManifest` (one `ds:Reference` per submission set
//! and per document, by `urn:oid:<uniqueId>`) and the XAdES `SignedProperties` (signing time,
//! signing certificate, implied policy). The manifest references are not checked by the core
//! XML-DSig validation: [`VerifiedXades::verify_documents`] checks them against the submitted
//! bytes.
//!
//! ```
//! use segur_xmldsig::xades::{ContentKind, XadesBuilder, XadesVerifier};
//! use segur_xmldsig::{Certificate, SoftwareSigner, TrustPolicy};
//!
//! let pki = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/pki/");
//! let read = |f: &str| std::fs::read(format!("{pki}{f}")).unwrap();
//! let signer = SoftwareSigner::from_pem(&read("leaf-rsa.key"), &read("leaf-rsa.pem"))?;
//! let cda = b"<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><!-- CR --></ClinicalDocument>";
//! let at = chrono::DateTime::parse_from_rfc3339("2030-01-01T10:00:00Z").unwrap().to_utc();
//!
//! let xades = XadesBuilder::new("1.2.250.1.999.1.1.3.1", "1.2.250.1.999.1.1.1.1", at)
//!     .document("1.2.250.1.999.1.1.2.1", cda, ContentKind::Xml)
//!     .sign(&signer)?;
//!
//! let anchors = Certificate::all_from_pem(&read("ca.pem"))?;
//! let verified = XadesVerifier::new(TrustPolicy::Anchors { anchors, at }).verify(&xades)?;
//! assert_eq!(verified.signature_id, "1.2.250.1.999.1.1.3.1");
//! verified.verify_documents("1.2.250.1.999.1.1.1.1", &[("1.2.250.1.999.1.1.2.1", cda)])?;
//! // Another document (or changed bytes) is refused.
//! assert!(verified.verify_documents("1.2.250.1.999.1.1.1.1", &[("1.2.250.1.999.1.1.2.1", b"<x/>")]).is_err());
//! # Ok::<(), segur_xmldsig::Error>(())
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};

use crate::c14n::{C14N_WITH_COMMENTS, Canonicalization, unique_id};
use crate::cert::Certificate;
use crate::dsig::{
    DSIG_NS, TrustPolicy, algorithm_attr, c14n_with_prefixes, check_signature_value, decode_base64,
    element_children, escape_attr_value as esc, expect_ds, key_info_certificates, read_algorithm,
    read_reference, read_signature_method, structure,
};
use crate::error::{Error, Result};
use crate::keys::{DigestAlgorithm, SignatureAlgorithm, Signer};
use crate::tree::{AttrName, Document, NodeId, ParseLimits};

/// The XAdES 1.1.1 namespace (the one the DMP uses).
pub const XADES_NS: &str = "http://uri.etsi.org/01903/v1.1.1#";
/// `Reference/@Type` of the reference to the XAdES `SignedProperties`.
pub const SIGNED_PROPERTIES_TYPE: &str = "http://uri.etsi.org/01903/v1.1.1#SignedProperties";
/// `Reference/@Type` of the reference to a `ds:Manifest`.
pub const MANIFEST_TYPE: &str = "http://www.w3.org/2000/09/xmldsig#Manifest";
/// `Id` of the IHE DSG manifest.
pub const MANIFEST_ID: &str = "IHEManifest";
/// `Id` of the XAdES `SignedProperties`.
pub const SIGNED_PROPERTIES_ID: &str = "S0-SignedProperties";
/// The purpose of signature of the DMP signature document (`SignatureProperty
/// Id="purposeOfSignature"`, and the signature entry's eventCode): "Source" (ASTM E1762).
pub const PURPOSE_SOURCE: &str = "1.2.840.10065.1.12.1.14";
/// The digest written for the submission set reference: a single zero byte (`AA==`), a
/// placeholder, as in the DMP's official TD2.1 sample and the CNAM kit (the submission set
/// has no byte stream to digest). It is never checked.
pub const SUBMISSION_SET_PLACEHOLDER_DIGEST: &[u8] = &[0];

/// How a signed document is digested in the manifest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ContentKind {
    /// An XML document (CDA): a Canonical XML 1.0 with comments transform, digest of the
    /// canonical form (the document must be UTF-8).
    Xml,
    /// Any other document (PDF, ...): digest of the bytes.
    Binary,
}

/// Builds the DMP signature document; see the [module documentation](self).
///
/// Defaults are the DMP's: SHA-1 digests everywhere (manifest, `SignedProperties`,
/// certificate digests) and Canonical XML 1.0 with comments for `SignedInfo`. The signature
/// algorithm is the [`Signer`]'s: the DMP's samples use RSA-SHA1, which a smart card or HSM
/// signer can produce; [`SoftwareSigner`](crate::SoftwareSigner) (on `ring`) signs with
/// RSA-SHA256 (or stronger) only.
#[derive(Clone, Debug)]
pub struct XadesBuilder<'a> {
    signature_id: String,
    submission_set_unique_id: String,
    signing_time: DateTime<Utc>,
    digest: DigestAlgorithm,
    documents: Vec<(String, &'a [u8], ContentKind)>,
    limits: ParseLimits,
}

impl<'a> XadesBuilder<'a> {
    /// A signature document whose `Signature/@Id` is `signature_id` (the DMP relates it to the
    /// signature entry's uniqueId), covering the submission set `submission_set_unique_id`,
    /// signed at `signing_time` (XAdES `SigningTime`; inject it to get reproducible output).
    pub fn new(
        signature_id: impl Into<String>,
        submission_set_unique_id: impl Into<String>,
        signing_time: DateTime<Utc>,
    ) -> Self {
        Self {
            signature_id: signature_id.into(),
            submission_set_unique_id: submission_set_unique_id.into(),
            signing_time,
            digest: DigestAlgorithm::Sha1,
            documents: Vec::new(),
            limits: ParseLimits::default(),
        }
    }

    /// The digest algorithm of every reference and certificate digest (SHA-1 by default, as
    /// the DMP expects).
    pub fn digest_algorithm(mut self, digest: DigestAlgorithm) -> Self {
        self.digest = digest;
        self
    }

    /// Adds a signed document (`urn:oid:<unique_id>` in the manifest) with its exact bytes.
    pub fn document(
        mut self,
        unique_id: impl Into<String>,
        content: &'a [u8],
        kind: ContentKind,
    ) -> Self {
        self.documents.push((unique_id.into(), content, kind));
        self
    }

    /// Limits used when canonicalising XML documents.
    pub fn limits(mut self, limits: ParseLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Computes the digests, signs `SignedInfo` with `signer` and returns the document
    /// (UTF-8, no XML declaration).
    pub fn sign(&self, signer: &dyn Signer) -> Result<Vec<u8>> {
        let invalid = |reason: &str| Error::InvalidInput {
            reason: reason.to_owned(),
        };
        if self.signature_id.is_empty() {
            return Err(invalid("empty signature Id"));
        }
        if self.submission_set_unique_id.is_empty() {
            return Err(invalid("empty submission set uniqueId"));
        }
        if self.documents.is_empty() {
            return Err(invalid("no document to sign"));
        }
        let digest = self.digest;
        let digest_method = format!("<DigestMethod Algorithm=\"{}\"/>", digest.uri());
        let mut manifest = format!(
            "<Manifest Id=\"{MANIFEST_ID}\">\n<Reference URI=\"urn:oid:{}\">{digest_method}<DigestValue>{}</DigestValue></Reference>\n",
            esc(&self.submission_set_unique_id),
            STANDARD.encode(SUBMISSION_SET_PLACEHOLDER_DIGEST)
        );
        for (unique_id, content, kind) in &self.documents {
            if unique_id.is_empty() {
                return Err(invalid("empty document uniqueId"));
            }
            let (transforms, value) = match kind {
                ContentKind::Xml => {
                    let canonical = Canonicalization::inclusive()
                        .with_comments(true)
                        .limits(self.limits)
                        .canonicalize(content)?;
                    (
                        format!(
                            "<Transforms><Transform Algorithm=\"{C14N_WITH_COMMENTS}\"/></Transforms>"
                        ),
                        digest.digest(&canonical),
                    )
                }
                ContentKind::Binary => (String::new(), digest.digest(content)),
            };
            manifest.push_str(&format!(
                "<Reference URI=\"urn:oid:{}\">{transforms}{digest_method}<DigestValue>{}</DigestValue></Reference>\n",
                esc(unique_id),
                STANDARD.encode(value)
            ));
        }
        manifest.push_str("</Manifest>");
        let qualifying = self.qualifying_properties(signer, &digest_method);

        // 1. digests of the manifest and the signed properties, in their final context;
        // 2. SignedInfo canonicalised in place and signed.
        let algorithm = signer.algorithm();
        let mut key_info = String::from("<KeyInfo><X509Data>");
        for c in std::iter::once(signer.certificate()).chain(signer.chain()) {
            key_info.push_str("<X509Certificate>");
            key_info.push_str(&STANDARD.encode(c.der()));
            key_info.push_str("</X509Certificate>");
        }
        key_info.push_str("</X509Data></KeyInfo>");
        let render = |digests: [&str; 2], value: &str| {
            format!(
                "<Signature xmlns=\"{DSIG_NS}\" Id=\"{id}\">\n<SignedInfo>\n\
<CanonicalizationMethod Algorithm=\"{C14N_WITH_COMMENTS}\"/>\n\
<SignatureMethod Algorithm=\"{sig}\"/>\n\
<Reference Type=\"{MANIFEST_TYPE}\" URI=\"#{MANIFEST_ID}\">{digest_method}<DigestValue>{m}</DigestValue></Reference>\n\
<Reference Type=\"{SIGNED_PROPERTIES_TYPE}\" URI=\"#{SIGNED_PROPERTIES_ID}\">{digest_method}<DigestValue>{p}</DigestValue></Reference>\n\
</SignedInfo>\n<SignatureValue>{value}</SignatureValue>\n{key_info}\n\
<Object>{manifest}</Object>\n\
<Object><SignatureProperties xmlns=\"\"><SignatureProperty Id=\"purposeOfSignature\" Target=\"#{id}\">{PURPOSE_SOURCE}</SignatureProperty></SignatureProperties></Object>\n\
<Object>{qualifying}</Object>\n</Signature>\n",
                id = esc(&self.signature_id),
                sig = algorithm.uri(),
                m = digests[0],
                p = digests[1],
            )
        };
        let id_attr = id_attr();
        let unsigned = render(["", ""], "");
        let doc = Document::parse(unsigned.as_bytes(), &self.limits)?;
        let mut digests = [String::new(), String::new()];
        for (slot, id) in digests.iter_mut().zip([MANIFEST_ID, SIGNED_PROPERTIES_ID]) {
            let node = unique_id(&doc, &id_attr, id)?;
            let mut canonical = Vec::new();
            Canonicalization::inclusive().write_subtree(&doc, node, None, &mut canonical)?;
            *slot = STANDARD.encode(digest.digest(&canonical));
        }
        let digested = render([&digests[0], &digests[1]], "");
        let doc = Document::parse(digested.as_bytes(), &self.limits)?;
        let signed_info = doc
            .child_elements(doc.root)
            .next()
            .ok_or_else(|| structure(&doc, doc.root, "missing ds:SignedInfo"))?;
        let mut canonical = Vec::new();
        Canonicalization::inclusive()
            .with_comments(true)
            .write_subtree(&doc, signed_info, None, &mut canonical)?;
        let value = STANDARD.encode(signer.sign(&canonical)?);
        Ok(render([&digests[0], &digests[1]], &value).into_bytes())
    }

    fn qualifying_properties(&self, signer: &dyn Signer, digest_method: &str) -> String {
        let mut certs = String::new();
        for c in std::iter::once(signer.certificate()).chain(signer.chain()) {
            certs.push_str(&format!(
                "<Cert><CertDigest>{digest_method}<DigestValue>{}</DigestValue></CertDigest>\
<IssuerSerial><X509IssuerName xmlns=\"{DSIG_NS}\">{}</X509IssuerName>\
<X509SerialNumber xmlns=\"{DSIG_NS}\">{}</X509SerialNumber></IssuerSerial></Cert>",
                STANDARD.encode(self.digest.digest(c.der())),
                esc(&c.issuer_dn()),
                c.serial_number(),
            ));
        }
        format!(
            "<QualifyingProperties xmlns=\"{XADES_NS}\" Target=\"#{}\">\
<SignedProperties Id=\"{SIGNED_PROPERTIES_ID}\"><SignedSignatureProperties>\n\
<SigningTime>{}</SigningTime>\n<SigningCertificate>{certs}</SigningCertificate>\n\
<SignaturePolicyIdentifier><SignaturePolicyImplied/></SignaturePolicyIdentifier>\n\
</SignedSignatureProperties></SignedProperties></QualifyingProperties>",
            esc(&self.signature_id),
            self.signing_time.format("%Y-%m-%dT%H:%M:%SZ"),
        )
    }
}

/// One `ds:Reference` of the manifest, as signed (its digest is covered by the signature).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ManifestReference {
    /// `URI` (`urn:oid:<uniqueId>` in the DMP).
    pub uri: String,
    /// The canonicalisation transform applied to the document before digesting, if any
    /// (Canonical XML 1.0 with comments for XML documents in the DMP).
    pub canonicalization: Option<Canonicalization>,
    /// The digest algorithm.
    pub digest_algorithm: DigestAlgorithm,
    /// The digest value.
    pub digest_value: Vec<u8>,
}

impl ManifestReference {
    /// The uniqueId of a `urn:oid:` reference.
    pub fn unique_id(&self) -> Option<&str> {
        self.uri.strip_prefix("urn:oid:")
    }

    /// Checks `content` against the digest (after the canonicalisation transform, if any).
    pub fn check(&self, content: &[u8]) -> Result<()> {
        let digest = match &self.canonicalization {
            Some(c14n) => self.digest_algorithm.digest(&c14n.canonicalize(content)?),
            None => self.digest_algorithm.digest(content),
        };
        if digest == self.digest_value {
            Ok(())
        } else {
            Err(Error::DigestMismatch {
                uri: self.uri.clone(),
            })
        }
    }
}

/// What [`XadesVerifier::verify`] returns: a signature whose `SignedInfo`, manifest and
/// signed properties are intact and made with the key of a certificate the trust policy
/// accepts, which the signed `SigningCertificate` designates.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct VerifiedXades {
    /// `Signature/@Id`.
    pub signature_id: String,
    /// The certificate whose key verified the signature.
    pub certificate: Certificate,
    /// The other certificates of `KeyInfo`.
    pub chain: Vec<Certificate>,
    /// The signature algorithm.
    pub signature_algorithm: SignatureAlgorithm,
    /// XAdES `SigningTime`, as written.
    pub signing_time: String,
    /// The manifest's references, in order.
    pub manifest: Vec<ManifestReference>,
}

impl VerifiedXades {
    /// Checks the manifest against the submission: exactly one reference to the submission
    /// set `urn:oid:<submission_set_unique_id>` (its digest is the DMP's placeholder and is not
    /// checked), exactly one per document `(uniqueId, bytes)` whose digest matches, and no
    /// other reference.
    pub fn verify_documents(
        &self,
        submission_set_unique_id: &str,
        documents: &[(&str, &[u8])],
    ) -> Result<()> {
        let mismatch = |uri: &str, reason: &str| Error::ManifestMismatch {
            uri: uri.to_owned(),
            reason: reason.to_owned(),
        };
        let set_uri = format!("urn:oid:{submission_set_unique_id}");
        let mut seen = vec![false; documents.len()];
        let mut set_seen = false;
        for reference in &self.manifest {
            if reference.uri == set_uri {
                if set_seen {
                    return Err(mismatch(&reference.uri, "submission set referenced twice"));
                }
                set_seen = true;
                continue;
            }
            let Some(index) = documents
                .iter()
                .position(|(id, _)| reference.unique_id() == Some(id))
            else {
                return Err(mismatch(&reference.uri, "not a document of the submission"));
            };
            if std::mem::replace(&mut seen[index], true) {
                return Err(mismatch(&reference.uri, "document referenced twice"));
            }
            reference.check(documents[index].1)?;
        }
        if !set_seen {
            return Err(mismatch(&set_uri, "the submission set is not referenced"));
        }
        if let Some(i) = seen.iter().position(|s| !s) {
            return Err(mismatch(
                &format!("urn:oid:{}", documents[i].0),
                "document not covered by the manifest",
            ));
        }
        Ok(())
    }
}

/// Verifies DMP signature documents (untrusted input: limits apply, nothing panics).
#[derive(Clone, Debug)]
pub struct XadesVerifier {
    trust: TrustPolicy,
    allow_sha1: bool,
    limits: ParseLimits,
}

fn id_attr() -> AttrName {
    AttrName {
        ns: None,
        local: "Id".into(),
    }
}

fn attr<'d>(doc: &'d Document, node: NodeId, local: &str) -> Option<&'d str> {
    doc.attribute(
        node,
        &AttrName {
            ns: None,
            local: local.into(),
        },
    )
}

/// `DN`s compared without the spaces around separators, case-insensitively.
fn same_dn(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split([',', '+'])
            .map(|rdn| {
                rdn.split_once('=')
                    .map_or_else(
                        || rdn.trim().to_owned(),
                        |(k, v)| format!("{}={}", k.trim(), v.trim()),
                    )
                    .to_lowercase()
            })
            .collect::<Vec<_>>()
    };
    norm(a) == norm(b)
}

impl XadesVerifier {
    /// A verifier trusting certificates per `trust`. SHA-1 is allowed (the DMP's default).
    pub fn new(trust: TrustPolicy) -> Self {
        Self {
            trust,
            allow_sha1: true,
            limits: ParseLimits::default(),
        }
    }

    /// Accept (default) or refuse RSA-SHA1 and SHA-1 digests.
    pub fn allow_sha1(mut self, allow: bool) -> Self {
        self.allow_sha1 = allow;
        self
    }

    /// Parsing limits.
    pub fn limits(mut self, limits: ParseLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Verifies the signature document at `SignedInfo` level: the root is a `ds:Signature`
    /// whose `SignedInfo` holds exactly a `Manifest` reference and a `SignedProperties`
    /// reference, each designating (by a unique `Id`) the element of that type in an
    /// `Object` of this signature; their digests, the signature value, the trust in the
    /// certificate and its designation by `SigningCertificate` are checked. The manifest's
    /// own references are returned for [`VerifiedXades::verify_documents`].
    pub fn verify(&self, document: &[u8]) -> Result<VerifiedXades> {
        let doc = Document::parse(document, &self.limits)?;
        let root = doc.root;
        if !doc.is(root, DSIG_NS, "Signature") {
            return Err(Error::ElementNotFound {
                path: format!("/{{{DSIG_NS}}}Signature"),
                reason: "the root element differs".into(),
            });
        }
        let signature_id = doc
            .attribute(root, &id_attr())
            .ok_or_else(|| structure(&doc, root, "missing Id"))?
            .to_owned();
        let children = element_children(&doc, root)?;
        let signed_info = expect_ds(&doc, children.first(), root, "SignedInfo")?;
        let value = expect_ds(&doc, children.get(1), root, "SignatureValue")?;
        let key_info = expect_ds(&doc, children.get(2), root, "KeyInfo")?;
        let objects = &children[3..];
        if let Some(&o) = objects.iter().find(|o| !doc.is(**o, DSIG_NS, "Object")) {
            return Err(structure(&doc, o, "expected ds:Object"));
        }

        let si = element_children(&doc, signed_info)?;
        let c14n_method = expect_ds(&doc, si.first(), signed_info, "CanonicalizationMethod")?;
        let signed_info_c14n =
            c14n_with_prefixes(&doc, c14n_method, algorithm_attr(&doc, c14n_method)?)?;
        let sig_method = expect_ds(&doc, si.get(1), signed_info, "SignatureMethod")?;
        let algorithm = read_signature_method(&doc, sig_method, self.allow_sha1)?;
        let references = &si[2..];
        if references.len() != 2 {
            return Err(structure(
                &doc,
                signed_info,
                "expected exactly two ds:Reference (Manifest and SignedProperties)",
            ));
        }
        let mut manifest = None;
        let mut signed_properties = None;
        for &reference in references {
            expect_ds(&doc, Some(&reference), signed_info, "Reference")?;
            let (slot, target) = match attr(&doc, reference, "Type") {
                Some(MANIFEST_TYPE) => (&mut manifest, self.manifest_at(&doc, root, reference)?),
                Some(SIGNED_PROPERTIES_TYPE) => (
                    &mut signed_properties,
                    self.signed_properties_at(&doc, root, &signature_id, reference)?,
                ),
                _ => {
                    return Err(structure(
                        &doc,
                        reference,
                        "Type must be the Manifest or the XAdES SignedProperties type",
                    ));
                }
            };
            if slot.replace(target).is_some() {
                return Err(structure(
                    &doc,
                    reference,
                    "two references of the same Type",
                ));
            }
        }
        let (Some(manifest), Some(signed_properties)) = (manifest, signed_properties) else {
            return Err(structure(&doc, signed_info, "missing reference"));
        };

        let mut canonical = Vec::new();
        signed_info_c14n.write_subtree(&doc, signed_info, None, &mut canonical)?;
        let (certificate, chain) = check_signature_value(
            &self.trust,
            key_info_certificates(&doc, key_info)?,
            || structure(&doc, key_info, "no X509Data/X509Certificate"),
            algorithm,
            &canonical,
            &decode_base64(&doc, value)?,
        )?;
        let signing_time = self.check_signed_properties(&doc, signed_properties, &certificate)?;
        Ok(VerifiedXades {
            signature_id,
            certificate,
            chain,
            signature_algorithm: algorithm,
            signing_time,
            manifest: self.manifest_references(&doc, manifest)?,
        })
    }

    /// Resolves a `SignedInfo` reference `#id` and checks its digest; `expected` says where
    /// the element must sit (wrapping defence).
    fn resolve(
        &self,
        doc: &Document,
        reference: NodeId,
        expected: impl Fn(NodeId) -> bool,
    ) -> Result<NodeId> {
        let raw = read_reference(doc, reference, self.allow_sha1)?;
        let id = raw
            .uri
            .strip_prefix('#')
            .ok_or_else(|| structure(doc, reference, "URI must be a same-document #id"))?;
        let target = unique_id(doc, &id_attr(), id)?;
        if !expected(target) {
            return Err(Error::ReferenceMismatch {
                expected: "an element of this signature's ds:Object of the reference's Type".into(),
                found: raw.uri,
            });
        }
        let c14n = match raw.transforms.as_slice() {
            [] => Canonicalization::inclusive(),
            [(t, uri)] if Canonicalization::from_uri(uri).is_some() => {
                // Comments never reach the digest of a `#id` reference.
                c14n_with_prefixes(doc, *t, uri)?.with_comments(false)
            }
            _ => {
                return Err(Error::UnexpectedTransforms {
                    found: raw.transforms.into_iter().map(|(_, a)| a).collect(),
                });
            }
        };
        let mut canonical = Vec::new();
        c14n.write_subtree(doc, target, None, &mut canonical)?;
        if raw.digest_algorithm.digest(&canonical) != raw.digest_value {
            return Err(Error::DigestMismatch { uri: raw.uri });
        }
        Ok(target)
    }

    fn manifest_at(&self, doc: &Document, root: NodeId, reference: NodeId) -> Result<NodeId> {
        self.resolve(doc, reference, |t| {
            doc.is(t, DSIG_NS, "Manifest")
                && parent_is(doc, t, DSIG_NS, "Object")
                && grandparent(doc, t) == Some(root)
        })
    }

    fn signed_properties_at(
        &self,
        doc: &Document,
        root: NodeId,
        signature_id: &str,
        reference: NodeId,
    ) -> Result<NodeId> {
        let target = self.resolve(doc, reference, |t| {
            doc.is(t, XADES_NS, "SignedProperties")
                && parent_is(doc, t, XADES_NS, "QualifyingProperties")
                && grandparent(doc, t).is_some_and(|o| {
                    doc.is(o, DSIG_NS, "Object") && doc.nodes[o].parent == Some(root)
                })
        })?;
        let qualifying = doc.nodes[target]
            .parent
            .ok_or_else(|| structure(doc, target, "no QualifyingProperties"))?;
        let want = format!("#{signature_id}");
        if attr(doc, qualifying, "Target") != Some(want.as_str()) {
            return Err(structure(doc, qualifying, format!("Target must be {want}")));
        }
        Ok(target)
    }

    /// Checks `SigningCertificate` designates `certificate`; returns `SigningTime`.
    fn check_signed_properties(
        &self,
        doc: &Document,
        signed_properties: NodeId,
        certificate: &Certificate,
    ) -> Result<String> {
        let child = |parent: NodeId, local: &str| {
            doc.child_elements(parent)
                .find(|c| doc.is(*c, XADES_NS, local))
                .ok_or_else(|| structure(doc, parent, format!("missing xades:{local}")))
        };
        let ssp = child(signed_properties, "SignedSignatureProperties")?;
        let signing_time = doc
            .text_content(child(ssp, "SigningTime")?)
            .trim()
            .to_owned();
        let signing_certificate = child(ssp, "SigningCertificate")?;
        let mismatch = |reason: &str| Error::SigningCertificateMismatch {
            subject: certificate.subject_dn(),
            reason: reason.to_owned(),
        };
        for cert in doc.child_elements(signing_certificate) {
            if !doc.is(cert, XADES_NS, "Cert") {
                return Err(structure(
                    doc,
                    cert,
                    "unexpected element in SigningCertificate",
                ));
            }
            let digest = child(cert, "CertDigest")?;
            // XAdES 1.1.1 puts DigestMethod/DigestValue in its own namespace; later versions
            // in XML-DSig's: both are read.
            let part = |local: &str| {
                doc.child_elements(digest)
                    .find(|c| doc.is(*c, XADES_NS, local) || doc.is(*c, DSIG_NS, local))
                    .ok_or_else(|| structure(doc, digest, format!("missing {local}")))
            };
            let method = part("DigestMethod")?;
            let algorithm = read_algorithm(
                doc,
                method,
                DigestAlgorithm::from_uri,
                DigestAlgorithm::Sha1,
                self.allow_sha1,
            )?;
            let value = decode_base64(doc, part("DigestValue")?)?;
            if value != algorithm.digest(certificate.der()) {
                continue;
            }
            let serial = child(cert, "IssuerSerial")?;
            let ds = |local: &str| {
                doc.child_elements(serial)
                    .find(|c| doc.is(*c, DSIG_NS, local))
                    .map(|n| doc.text_content(n).trim().to_owned())
                    .ok_or_else(|| structure(doc, serial, format!("missing ds:{local}")))
            };
            if ds("X509SerialNumber")? != certificate.serial_number() {
                return Err(mismatch("the serial number differs"));
            }
            if !same_dn(&ds("X509IssuerName")?, &certificate.issuer_dn()) {
                return Err(mismatch("the issuer name differs"));
            }
            return Ok(signing_time);
        }
        Err(mismatch("no Cert has its digest"))
    }

    fn manifest_references(
        &self,
        doc: &Document,
        manifest: NodeId,
    ) -> Result<Vec<ManifestReference>> {
        let mut out = Vec::new();
        for reference in element_children(doc, manifest)? {
            expect_ds(doc, Some(&reference), manifest, "Reference")?;
            let raw = read_reference(doc, reference, self.allow_sha1)?;
            let canonicalization = match raw.transforms.as_slice() {
                [] => None,
                [(t, uri)] if Canonicalization::from_uri(uri).is_some() => {
                    Some(c14n_with_prefixes(doc, *t, uri)?.limits(self.limits))
                }
                _ => {
                    return Err(Error::UnexpectedTransforms {
                        found: raw.transforms.into_iter().map(|(_, a)| a).collect(),
                    });
                }
            };
            out.push(ManifestReference {
                uri: raw.uri,
                canonicalization,
                digest_algorithm: raw.digest_algorithm,
                digest_value: raw.digest_value,
            });
        }
        if out.is_empty() {
            return Err(structure(doc, manifest, "empty manifest"));
        }
        Ok(out)
    }
}

fn parent_is(doc: &Document, node: NodeId, ns: &str, local: &str) -> bool {
    doc.nodes[node].parent.is_some_and(|p| doc.is(p, ns, local))
}

fn grandparent(doc: &Document, node: NodeId) -> Option<NodeId> {
    doc.nodes[node].parent.and_then(|p| doc.nodes[p].parent)
}
