//! Enveloped XML-DSig: signing, and verification that resists signature wrapping.

use std::ops::Range;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};

use crate::c14n::{Canonicalization, EXC_C14N, unique_id};
use crate::cert::{Certificate, verify_chain};
use crate::error::{Error, Result};
use crate::keys::{DigestAlgorithm, SignatureAlgorithm, Signer};
use crate::tree::{AttrName, Document, NodeId, NodeKind, ParseLimits};

/// The XML-DSig namespace.
pub const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";
/// The enveloped-signature transform.
pub const ENVELOPED_SIGNATURE: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/// The name of the attribute that carries element IDs (`ID` for SAML, `Id` for XAdES,
/// `{wsu namespace}Id` for WS-Security). It is always explicit: nothing is guessed from a DTD
/// or schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdAttribute(pub(crate) AttrName);

impl IdAttribute {
    /// An attribute without namespace, such as `ID`.
    pub fn new(local_name: impl Into<String>) -> Self {
        Self(AttrName {
            ns: None,
            local: local_name.into(),
        })
    }

    /// A namespaced attribute, such as `wsu:Id`.
    pub fn namespaced(namespace: impl Into<String>, local_name: impl Into<String>) -> Self {
        Self(AttrName {
            ns: Some(namespace.into()),
            local: local_name.into(),
        })
    }
}

/// Where the `ds:Signature` goes inside the signed element.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Placement {
    /// As the first child.
    FirstChild,
    /// As the last child.
    LastChild,
    /// Right after the first child element named `{namespace}local_name` (the VIHF needs the
    /// signature right after `saml2:Issuer`).
    After {
        /// Namespace URI of the preceding sibling.
        namespace: String,
        /// Local name of the preceding sibling.
        local_name: String,
    },
}

impl Placement {
    /// [`Placement::After`] the element `{namespace}local_name`.
    pub fn after(namespace: impl Into<String>, local_name: impl Into<String>) -> Self {
        Self::After {
            namespace: namespace.into(),
            local_name: local_name.into(),
        }
    }
}

/// Options of [`sign_enveloped_with`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignOptions {
    placement: Placement,
    inclusive_prefixes: Vec<String>,
    limits: ParseLimits,
}

impl SignOptions {
    /// Options with the given placement, no `InclusiveNamespaces` and default limits.
    pub fn new(placement: Placement) -> Self {
        Self {
            placement,
            inclusive_prefixes: Vec::new(),
            limits: ParseLimits::default(),
        }
    }

    /// Adds an `InclusiveNamespaces PrefixList` to the exclusive-canonicalisation transform of
    /// the reference (e.g. `["ds", "saml", "#default", "xsi"]` as in the ANS 2024 example).
    pub fn inclusive_prefixes<I, S>(mut self, prefixes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.inclusive_prefixes = prefixes.into_iter().map(Into::into).collect();
        self
    }

    /// Parsing limits.
    pub fn limits(mut self, limits: ParseLimits) -> Self {
        self.limits = limits;
        self
    }
}

/// Signs the element whose `id_attribute` is `id_value` with an enveloped signature placed at
/// `placement`, and returns the signed document.
///
/// The signature uses exclusive canonicalisation, the signer's algorithm (RSA-SHA256 or
/// ECDSA-P256-SHA256 for the software signer) with the matching digest, one reference
/// `URI="#id_value"` with the enveloped-signature and exclusive-canonicalisation transforms, and
/// `KeyInfo/X509Data` with the signer's certificate (and chain). The rest of the document is
/// kept byte for byte.
pub fn sign_enveloped(
    document: &[u8],
    id_attribute: &IdAttribute,
    id_value: &str,
    placement: Placement,
    signer: &dyn Signer,
) -> Result<Vec<u8>> {
    sign_enveloped_with(
        document,
        id_attribute,
        id_value,
        &SignOptions::new(placement),
        signer,
    )
}

/// [`sign_enveloped`] with more options.
pub fn sign_enveloped_with(
    document: &[u8],
    id_attribute: &IdAttribute,
    id_value: &str,
    options: &SignOptions,
    signer: &dyn Signer,
) -> Result<Vec<u8>> {
    let doc = Document::parse(document, &options.limits)?;
    let target = unique_id(&doc, &id_attribute.0, id_value)?;
    let path = doc.path(target);
    if doc
        .child_elements(target)
        .any(|c| doc.is(c, DSIG_NS, "Signature"))
    {
        return Err(Error::Placement {
            path,
            reason: "the element already has a ds:Signature child".into(),
        });
    }
    let algorithm = signer.algorithm();
    let digest_alg = algorithm.digest();
    let reference_c14n =
        Canonicalization::exclusive().inclusive_prefixes(options.inclusive_prefixes.clone());
    let mut canonical = Vec::new();
    reference_c14n.write_subtree(&doc, target, None, &mut canonical)?;
    let digest = STANDARD.encode(digest_alg.digest(&canonical));

    let signature_xml = signature_template(
        id_value,
        algorithm,
        digest_alg,
        &digest,
        &options.inclusive_prefixes,
        signer,
    );
    let unsigned = splice_signature(document, &doc, target, &options.placement, &signature_xml)?;

    // Canonicalise SignedInfo where it now sits, sign it, fill SignatureValue in.
    let doc2 = Document::parse(&unsigned, &options.limits)?;
    let target2 = unique_id(&doc2, &id_attribute.0, id_value)?;
    let sig = doc2
        .child_elements(target2)
        .find(|c| doc2.is(*c, DSIG_NS, "Signature"))
        .ok_or_else(|| Error::SignatureMissing { path: path.clone() })?;
    let mut children = doc2.child_elements(sig);
    let (Some(signed_info), Some(value)) = (children.next(), children.next()) else {
        return Err(Error::SignatureMissing { path });
    };
    let mut signed_info_c14n = Vec::new();
    Canonicalization::exclusive().write_subtree(&doc2, signed_info, None, &mut signed_info_c14n)?;
    let signature_value = STANDARD.encode(signer.sign(&signed_info_c14n)?);
    let at = doc2.element(value).start_tag_end;
    let mut out = Vec::with_capacity(unsigned.len() + signature_value.len());
    out.extend_from_slice(&unsigned[..at]);
    out.extend_from_slice(signature_value.as_bytes());
    out.extend_from_slice(&unsigned[at..]);
    Ok(out)
}

pub(crate) fn escape_attr_value(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}

fn signature_template(
    id_value: &str,
    algorithm: SignatureAlgorithm,
    digest_alg: DigestAlgorithm,
    digest: &str,
    prefixes: &[String],
    signer: &dyn Signer,
) -> String {
    let exc_transform = if prefixes.is_empty() {
        format!("<ds:Transform Algorithm=\"{EXC_C14N}\"/>")
    } else {
        format!(
            "<ds:Transform Algorithm=\"{EXC_C14N}\"><ec:InclusiveNamespaces xmlns:ec=\"{EXC_C14N}\" PrefixList=\"{}\"/></ds:Transform>",
            escape_attr_value(&prefixes.join(" "))
        )
    };
    let mut certs = String::new();
    for c in std::iter::once(signer.certificate()).chain(signer.chain()) {
        certs.push_str("<ds:X509Certificate>");
        certs.push_str(&STANDARD.encode(c.der()));
        certs.push_str("</ds:X509Certificate>");
    }
    format!(
        "<ds:Signature xmlns:ds=\"{DSIG_NS}\"><ds:SignedInfo>\
<ds:CanonicalizationMethod Algorithm=\"{EXC_C14N}\"/>\
<ds:SignatureMethod Algorithm=\"{}\"/>\
<ds:Reference URI=\"#{}\"><ds:Transforms>\
<ds:Transform Algorithm=\"{ENVELOPED_SIGNATURE}\"/>{exc_transform}</ds:Transforms>\
<ds:DigestMethod Algorithm=\"{}\"/><ds:DigestValue>{digest}</ds:DigestValue></ds:Reference>\
</ds:SignedInfo><ds:SignatureValue></ds:SignatureValue>\
<ds:KeyInfo><ds:X509Data>{certs}</ds:X509Data></ds:KeyInfo></ds:Signature>",
        algorithm.uri(),
        escape_attr_value(id_value),
        digest_alg.uri(),
    )
}

fn splice_signature(
    source: &[u8],
    doc: &Document,
    target: NodeId,
    placement: &Placement,
    signature: &str,
) -> Result<Vec<u8>> {
    let e = doc.element(target);
    let mut out = Vec::with_capacity(source.len() + signature.len() + e.qname.len() + 3);
    let into_empty = |out: &mut Vec<u8>| {
        // `<x .../>` becomes `<x ...>SIGNATURE</x>`.
        out.extend_from_slice(&source[..e.end - 2]);
        out.push(b'>');
        out.extend_from_slice(signature.as_bytes());
        out.extend_from_slice(b"</");
        out.extend_from_slice(e.qname.as_bytes());
        out.push(b'>');
        out.extend_from_slice(&source[e.end..]);
    };
    let at = match placement {
        Placement::FirstChild | Placement::LastChild if e.self_closing => {
            into_empty(&mut out);
            return Ok(out);
        }
        Placement::FirstChild => e.start_tag_end,
        Placement::LastChild => e.end_tag_start,
        Placement::After {
            namespace,
            local_name,
        } => {
            let sibling = doc
                .child_elements(target)
                .find(|c| doc.is(*c, namespace, local_name))
                .ok_or_else(|| Error::Placement {
                    path: doc.path(target),
                    reason: format!("no child element {{{namespace}}}{local_name}"),
                })?;
            doc.element(sibling).end
        }
    };
    out.extend_from_slice(&source[..at]);
    out.extend_from_slice(signature.as_bytes());
    out.extend_from_slice(&source[at..]);
    Ok(out)
}

/// Which element the caller is going to use, and therefore must be the signed one.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ElementSelector {
    /// The unique element carrying this ID value.
    Id(String),
    /// The element at this absolute path of `(namespace, local name)` steps from the root
    /// (every step must match exactly one child), e.g. `Envelope/Header/Security/Assertion`.
    Path(Vec<(String, String)>),
}

impl ElementSelector {
    /// [`ElementSelector::Path`] from `(namespace, local name)` pairs.
    pub fn path<'a>(steps: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Self::Path(
            steps
                .into_iter()
                .map(|(n, l)| (n.to_owned(), l.to_owned()))
                .collect(),
        )
    }

    fn describe(&self) -> String {
        match self {
            Self::Id(id) => format!("#{id}"),
            Self::Path(steps) => steps.iter().map(|(n, l)| format!("/{{{n}}}{l}")).collect(),
        }
    }
}

/// How the signing certificate is trusted.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TrustPolicy {
    /// The certificate in `KeyInfo` (first `X509Certificate`; the others serve as intermediates)
    /// must chain to one of these anchors, every certificate being valid at `at`.
    Anchors {
        /// Trust anchors (e.g. the IGC-Santé roots or intermediate CAs).
        anchors: Vec<Certificate>,
        /// The time at which validity is checked.
        at: DateTime<Utc>,
    },
    /// Only this certificate's key is accepted, whatever `KeyInfo` says.
    Pinned(Certificate),
    /// The certificate in `KeyInfo` is used without any trust check. This only proves that the
    /// element was not modified since *someone* signed it: use it for diagnostics, never to
    /// authorise anything.
    InsecureEmbeddedCertificate,
}

/// Verifies enveloped signatures; see [`Verifier::verify`].
#[derive(Clone, Debug)]
pub struct Verifier {
    id_attribute: IdAttribute,
    trust: TrustPolicy,
    allow_sha1: bool,
    limits: ParseLimits,
}

/// What a successful verification returns: the signed element, located in the document.
#[derive(Clone, Debug)]
pub struct VerifiedElement {
    /// Byte range of the element in the verified document.
    pub range: Range<usize>,
    /// The element's bytes as they appear in the document (signature included). Their
    /// namespace prefixes may be declared on ancestors: prefer
    /// [`canonical`](VerifiedElement::canonical) to re-parse the element alone.
    pub bytes: Vec<u8>,
    /// Exactly the bytes that were digested: the canonical form of the element without its
    /// signature, a self-contained XML document.
    pub canonical: Vec<u8>,
    /// The element's path, such as `/soap:Envelope/soap:Header/wsse:Security/saml2:Assertion`.
    pub path: String,
    /// The element's ID value.
    pub id: String,
    /// The certificate whose key verified the signature.
    pub certificate: Certificate,
    /// The other certificates found in `KeyInfo`.
    pub chain: Vec<Certificate>,
    /// The signature algorithm used.
    pub signature_algorithm: SignatureAlgorithm,
    /// The reference's digest algorithm.
    pub digest_algorithm: DigestAlgorithm,
}

pub(crate) fn structure(doc: &Document, at: NodeId, reason: impl Into<String>) -> Error {
    Error::SignatureStructure {
        path: doc.path(at),
        reason: reason.into(),
    }
}

pub(crate) fn algorithm_attr(doc: &Document, id: NodeId) -> Result<&str> {
    doc.attribute(
        id,
        &AttrName {
            ns: None,
            local: "Algorithm".into(),
        },
    )
    .ok_or_else(|| structure(doc, id, "missing Algorithm attribute"))
}

pub(crate) fn decode_base64(doc: &Document, id: NodeId) -> Result<Vec<u8>> {
    let text: String = doc
        .text_content(id)
        .chars()
        .filter(|c| !matches!(c, ' ' | '\t' | '\r' | '\n'))
        .collect();
    STANDARD
        .decode(text)
        .map_err(|e| structure(doc, id, format!("invalid base64: {e}")))
}

/// The most prefixes an `InclusiveNamespaces` `PrefixList` may name.
const MAX_INCLUSIVE_PREFIXES: usize = 64;

/// Reads the `InclusiveNamespaces PrefixList` child of a c14n method/transform, if any, and
/// refuses any other child.
pub(crate) fn c14n_with_prefixes(
    doc: &Document,
    id: NodeId,
    uri: &str,
) -> Result<Canonicalization> {
    let c14n = Canonicalization::from_uri(uri).ok_or_else(|| Error::UnsupportedAlgorithm {
        uri: uri.to_owned(),
        path: doc.path(id),
    })?;
    let mut prefixes = Vec::new();
    for child in doc.child_elements(id) {
        if c14n.is_exclusive() && doc.is(child, EXC_C14N, "InclusiveNamespaces") {
            let list = doc
                .attribute(
                    child,
                    &AttrName {
                        ns: None,
                        local: "PrefixList".into(),
                    },
                )
                .unwrap_or("");
            // one past the bound is enough to refuse the list
            prefixes.extend(
                list.split_ascii_whitespace()
                    .take(MAX_INCLUSIVE_PREFIXES + 1)
                    .map(str::to_owned),
            );
            // each is looked at on every element canonicalised: a signature cannot make that
            // cost grow without bound (real lists name a handful)
            if prefixes.len() > MAX_INCLUSIVE_PREFIXES {
                return Err(Error::LimitExceeded {
                    limit: "InclusiveNamespaces prefixes",
                    maximum: MAX_INCLUSIVE_PREFIXES,
                    offset: doc.element(child).start,
                });
            }
        } else {
            return Err(structure(doc, child, "unexpected element"));
        }
    }
    Ok(c14n.inclusive_prefixes(prefixes))
}

/// Child elements of `id`, refusing non-whitespace text.
pub(crate) fn element_children(doc: &Document, id: NodeId) -> Result<Vec<NodeId>> {
    let mut out = Vec::new();
    for &c in &doc.element(id).children {
        match &doc.nodes[c].kind {
            NodeKind::Element(_) => out.push(c),
            NodeKind::Text(t) if !t.chars().all(|c| matches!(c, ' ' | '\t' | '\r' | '\n')) => {
                return Err(structure(doc, id, "unexpected text content"));
            }
            _ => {}
        }
    }
    Ok(out)
}

pub(crate) fn expect_ds(
    doc: &Document,
    id: Option<&NodeId>,
    parent: NodeId,
    local: &str,
) -> Result<NodeId> {
    match id {
        Some(&n) if doc.is(n, DSIG_NS, local) => Ok(n),
        Some(&n) => Err(structure(doc, n, format!("expected ds:{local}"))),
        None => Err(structure(doc, parent, format!("missing ds:{local}"))),
    }
}

/// Reads the `Algorithm` of `node` as an `A` (`from_uri`): an unknown algorithm, or SHA-1
/// (`sha1`) when not allowed, is [`Error::UnsupportedAlgorithm`].
pub(crate) fn read_algorithm<A: PartialEq>(
    doc: &Document,
    node: NodeId,
    from_uri: fn(&str) -> Option<A>,
    sha1: A,
    allow_sha1: bool,
) -> Result<A> {
    let uri = algorithm_attr(doc, node)?;
    match from_uri(uri) {
        Some(a) if allow_sha1 || a != sha1 => Ok(a),
        _ => Err(Error::UnsupportedAlgorithm {
            uri: uri.to_owned(),
            path: doc.path(node),
        }),
    }
}

/// Reads a `ds:SignatureMethod` (no children, a known algorithm, SHA-1 only if allowed).
pub(crate) fn read_signature_method(
    doc: &Document,
    sig_method: NodeId,
    allow_sha1: bool,
) -> Result<SignatureAlgorithm> {
    if let Some(&c) = element_children(doc, sig_method)?.first() {
        return Err(structure(doc, c, "unexpected element"));
    }
    read_algorithm(
        doc,
        sig_method,
        SignatureAlgorithm::from_uri,
        SignatureAlgorithm::RsaSha1,
        allow_sha1,
    )
}

/// A `ds:Reference` as written: its URI, its transforms (element, algorithm URI), its digest.
pub(crate) struct RawReference {
    pub(crate) uri: String,
    pub(crate) transforms: Vec<(NodeId, String)>,
    pub(crate) digest_algorithm: DigestAlgorithm,
    pub(crate) digest_value: Vec<u8>,
}

/// Reads a `ds:Reference`: `URI` (required), optional `ds:Transforms`, `ds:DigestMethod`
/// (known algorithm, SHA-1 only if allowed), `ds:DigestValue`, and nothing else.
pub(crate) fn read_reference(
    doc: &Document,
    reference: NodeId,
    allow_sha1: bool,
) -> Result<RawReference> {
    let uri = doc
        .attribute(
            reference,
            &AttrName {
                ns: None,
                local: "URI".into(),
            },
        )
        .ok_or_else(|| structure(doc, reference, "missing URI"))?
        .to_owned();
    let rc = element_children(doc, reference)?;
    let mut rest = rc.as_slice();
    let mut transforms = Vec::new();
    if let Some(&t) = rest.first()
        && doc.is(t, DSIG_NS, "Transforms")
    {
        for tr in element_children(doc, t)? {
            if !doc.is(tr, DSIG_NS, "Transform") {
                return Err(structure(doc, tr, "expected ds:Transform"));
            }
            transforms.push((tr, algorithm_attr(doc, tr)?.to_owned()));
        }
        rest = &rest[1..];
    }
    let digest_method = expect_ds(doc, rest.first(), reference, "DigestMethod")?;
    let digest_algorithm = read_algorithm(
        doc,
        digest_method,
        DigestAlgorithm::from_uri,
        DigestAlgorithm::Sha1,
        allow_sha1,
    )?;
    let digest_node = expect_ds(doc, rest.get(1), reference, "DigestValue")?;
    if let Some(&extra) = rest.get(2) {
        return Err(structure(doc, extra, "unexpected element in ds:Reference"));
    }
    Ok(RawReference {
        uri,
        transforms,
        digest_algorithm,
        digest_value: decode_base64(doc, digest_node)?,
    })
}

/// The certificates of `ds:KeyInfo/ds:X509Data/ds:X509Certificate`, in document order.
pub(crate) fn key_info_certificates(doc: &Document, key_info: NodeId) -> Result<Vec<Certificate>> {
    let mut certificates = Vec::new();
    for data in doc.child_elements(key_info) {
        if !doc.is(data, DSIG_NS, "X509Data") {
            continue;
        }
        for c in doc.child_elements(data) {
            if doc.is(c, DSIG_NS, "X509Certificate") {
                certificates.push(Certificate::from_der(decode_base64(doc, c)?)?);
            }
        }
    }
    Ok(certificates)
}

/// Checks `signature_value` over the canonical `SignedInfo` with the key the [`TrustPolicy`]
/// designates (pinned, or the first `KeyInfo` certificate), then the chain if the policy has
/// anchors; returns the certificate that verified and the other `KeyInfo` certificates.
pub(crate) fn check_signature_value(
    trust: &TrustPolicy,
    certificates: Vec<Certificate>,
    missing_certificate: impl FnOnce() -> Error,
    algorithm: SignatureAlgorithm,
    signed_info: &[u8],
    signature_value: &[u8],
) -> Result<(Certificate, Vec<Certificate>)> {
    let (certificate, chain) = match trust {
        TrustPolicy::Pinned(c) => (c.clone(), certificates),
        TrustPolicy::Anchors { .. } | TrustPolicy::InsecureEmbeddedCertificate => {
            let mut certs = certificates.into_iter();
            let leaf = certs.next().ok_or_else(missing_certificate)?;
            (leaf, certs.collect())
        }
    };
    algorithm.verify(&certificate, signed_info, signature_value)?;
    if let TrustPolicy::Anchors { anchors, at } = trust {
        verify_chain(&certificate, &chain, anchors, *at)?;
    }
    Ok((certificate, chain))
}

struct ParsedSignature {
    signed_info: NodeId,
    signed_info_c14n: Canonicalization,
    algorithm: SignatureAlgorithm,
    uri: String,
    reference_c14n: Canonicalization,
    digest_algorithm: DigestAlgorithm,
    digest_value: Vec<u8>,
    signature_value: Vec<u8>,
    certificates: Vec<Certificate>,
}

impl Verifier {
    fn new(id_attribute: IdAttribute, trust: TrustPolicy) -> Self {
        Self {
            id_attribute,
            trust,
            allow_sha1: false,
            limits: ParseLimits::default(),
        }
    }

    /// Trust the `KeyInfo` certificate only if it chains to one of `anchors` at time `at`.
    pub fn with_trust_anchors(
        id_attribute: IdAttribute,
        anchors: Vec<Certificate>,
        at: DateTime<Utc>,
    ) -> Self {
        Self::new(id_attribute, TrustPolicy::Anchors { anchors, at })
    }

    /// Accept only signatures made with `certificate`'s key.
    pub fn with_pinned_certificate(id_attribute: IdAttribute, certificate: Certificate) -> Self {
        Self::new(id_attribute, TrustPolicy::Pinned(certificate))
    }

    /// A verifier with an explicit [`TrustPolicy`].
    pub fn with_policy(id_attribute: IdAttribute, trust: TrustPolicy) -> Self {
        Self::new(id_attribute, trust)
    }

    /// Accept RSA-SHA1 signatures and SHA-1 digests (legacy DMP messages). Off by default.
    pub fn allow_sha1(mut self, allow: bool) -> Self {
        self.allow_sha1 = allow;
        self
    }

    /// Parsing limits.
    pub fn limits(mut self, limits: ParseLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Verifies that the element designated by `expected` carries a valid enveloped signature
    /// whose single reference designates that very element, and returns it.
    ///
    /// Refused (each with its own [`Error`]): an ID value carried by more than one element; no
    /// or several `ds:Signature` children; a reference that is not `#` + the element's ID; more
    /// than one reference; transforms other than enveloped-signature followed by a
    /// canonicalisation; unknown or disallowed algorithms; a digest or signature value that
    /// does not match; a certificate that the [`TrustPolicy`] does not accept.
    pub fn verify(&self, document: &[u8], expected: &ElementSelector) -> Result<VerifiedElement> {
        let doc = Document::parse(document, &self.limits)?;
        let target = self.locate(&doc, expected)?;
        let id = doc
            .attribute(target, &self.id_attribute.0)
            .ok_or_else(|| Error::ElementNotFound {
                path: doc.path(target),
                reason: format!("it has no {} attribute", self.id_attribute.0.local),
            })?
            .to_owned();
        if unique_id(&doc, &self.id_attribute.0, &id)? != target {
            return Err(Error::ElementNotFound {
                path: expected.describe(),
                reason: "the ID designates another element".into(),
            });
        }
        let signatures: Vec<NodeId> = doc
            .child_elements(target)
            .filter(|c| doc.is(*c, DSIG_NS, "Signature"))
            .collect();
        let signature = match signatures.as_slice() {
            [one] => *one,
            [] => {
                return Err(Error::SignatureMissing {
                    path: doc.path(target),
                });
            }
            [_, second, ..] => return Err(structure(&doc, *second, "more than one ds:Signature")),
        };
        let parsed = self.parse_signature(&doc, signature)?;
        let expected_uri = format!("#{id}");
        if parsed.uri != expected_uri {
            return Err(Error::ReferenceMismatch {
                expected: expected_uri,
                found: parsed.uri,
            });
        }
        // The reference: the element without its signature.
        let mut canonical = Vec::new();
        parsed
            .reference_c14n
            .write_subtree(&doc, target, Some(signature), &mut canonical)?;
        if parsed.digest_algorithm.digest(&canonical) != parsed.digest_value {
            return Err(Error::DigestMismatch { uri: parsed.uri });
        }
        // The key.
        let mut signed_info = Vec::new();
        parsed
            .signed_info_c14n
            .write_subtree(&doc, parsed.signed_info, None, &mut signed_info)?;
        let (certificate, chain) = check_signature_value(
            &self.trust,
            parsed.certificates,
            || structure(&doc, signature, "no KeyInfo/X509Data/X509Certificate"),
            parsed.algorithm,
            &signed_info,
            &parsed.signature_value,
        )?;
        let e = doc.element(target);
        Ok(VerifiedElement {
            range: e.start..e.end,
            bytes: document[e.start..e.end].to_vec(),
            canonical,
            path: doc.path(target),
            id,
            certificate,
            chain,
            signature_algorithm: parsed.algorithm,
            digest_algorithm: parsed.digest_algorithm,
        })
    }

    fn locate(&self, doc: &Document, expected: &ElementSelector) -> Result<NodeId> {
        match expected {
            ElementSelector::Id(id) => unique_id(doc, &self.id_attribute.0, id),
            ElementSelector::Path(steps) => {
                let not_found = |reason: &str| Error::ElementNotFound {
                    path: expected.describe(),
                    reason: reason.into(),
                };
                let mut steps = steps.iter();
                let Some((ns, local)) = steps.next() else {
                    return Err(not_found("empty path"));
                };
                if !doc.is(doc.root, ns, local) {
                    return Err(not_found("the root element differs"));
                }
                let mut current = doc.root;
                for (ns, local) in steps {
                    let mut matching = doc
                        .child_elements(current)
                        .filter(|c| doc.is(*c, ns, local));
                    current = match (matching.next(), matching.next()) {
                        (Some(one), None) => one,
                        (None, _) => return Err(not_found("not found")),
                        (Some(_), Some(_)) => {
                            return Err(not_found("ambiguous: several elements match a step"));
                        }
                    };
                }
                Ok(current)
            }
        }
    }

    fn parse_signature(&self, doc: &Document, signature: NodeId) -> Result<ParsedSignature> {
        let children = element_children(doc, signature)?;
        let signed_info = expect_ds(doc, children.first(), signature, "SignedInfo")?;
        let value = expect_ds(doc, children.get(1), signature, "SignatureValue")?;
        let key_info = match children.get(2) {
            Some(&k) => Some(expect_ds(doc, Some(&k), signature, "KeyInfo")?),
            None => None,
        };
        if let Some(&extra) = children.get(3) {
            return Err(structure(doc, extra, "unexpected element in ds:Signature"));
        }

        let si = element_children(doc, signed_info)?;
        let c14n_method = expect_ds(doc, si.first(), signed_info, "CanonicalizationMethod")?;
        let signed_info_c14n =
            c14n_with_prefixes(doc, c14n_method, algorithm_attr(doc, c14n_method)?)?;
        let sig_method = expect_ds(doc, si.get(1), signed_info, "SignatureMethod")?;
        let algorithm = read_signature_method(doc, sig_method, self.allow_sha1)?;
        let reference = expect_ds(doc, si.get(2), signed_info, "Reference")?;
        if let Some(&extra) = si.get(3) {
            return Err(structure(
                doc,
                extra,
                "only one ds:Reference (and nothing else) is accepted after it",
            ));
        }
        let raw = read_reference(doc, reference, self.allow_sha1)?;
        let reference_c14n = match raw.transforms.as_slice() {
            [(env, a)] if a == ENVELOPED_SIGNATURE && element_children(doc, *env)?.is_empty() => {
                Canonicalization::inclusive()
            }
            [(env, a), (c, b)]
                if a == ENVELOPED_SIGNATURE
                    && element_children(doc, *env)?.is_empty()
                    && Canonicalization::from_uri(b).is_some() =>
            {
                // Comments never reach the digest of a `#id` reference.
                c14n_with_prefixes(doc, *c, b)?.with_comments(false)
            }
            _ => {
                return Err(Error::UnexpectedTransforms {
                    found: raw.transforms.into_iter().map(|(_, a)| a).collect(),
                });
            }
        };
        let signature_value = decode_base64(doc, value)?;
        let certificates = match key_info {
            Some(ki) => key_info_certificates(doc, ki)?,
            None => Vec::new(),
        };
        Ok(ParsedSignature {
            signed_info,
            signed_info_c14n,
            algorithm,
            uri: raw.uri,
            reference_c14n,
            digest_algorithm: raw.digest_algorithm,
            digest_value: raw.digest_value,
            signature_value,
            certificates,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::ParseLimits;

    #[test]
    fn inclusive_prefix_lists_are_bounded() {
        let transform = |n: usize| {
            let list: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
            format!(
                r#"<ds:Transform xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Algorithm="{EXC_C14N}"><ec:InclusiveNamespaces xmlns:ec="{EXC_C14N}" PrefixList="{}"/></ds:Transform>"#,
                list.join(" ")
            )
        };
        let read = |n: usize| {
            let xml = transform(n);
            let doc = Document::parse(xml.as_bytes(), &ParseLimits::default()).unwrap();
            c14n_with_prefixes(&doc, doc.root, EXC_C14N)
        };
        let c14n = read(MAX_INCLUSIVE_PREFIXES).unwrap();
        assert_eq!(c14n.prefixes().len(), MAX_INCLUSIVE_PREFIXES);
        assert!(matches!(
            read(MAX_INCLUSIVE_PREFIXES + 1),
            Err(Error::LimitExceeded {
                limit: "InclusiveNamespaces prefixes",
                ..
            })
        ));
    }
}
