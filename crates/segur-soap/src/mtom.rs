//! MTOM/XOP: SOAP messages as `multipart/related` MIME, with binary documents in their own parts
//! (ITI-41 requests, ITI-43 responses).
//!
//! [`MtomBuilder`] writes a message; the [`Attachment`] it returns for each document carries the
//! SHA-1 and size of the exact bytes placed in the part (what the XDS metadata must declare).
//! [`MtomMessage::parse`] reads one, binary-safe, also when the server answered with a plain SOAP
//! envelope or put a fault inside the multipart.

use std::borrow::Cow;
use std::collections::HashMap;

use base64::Engine as _;
use memchr::memmem;
use segur_transport::Randomness;

use crate::envelope::Envelope;
use crate::error::{Error, ErrorKind};
use crate::ns;
use crate::xml::{self, Limits};

/// Most parts accepted in one message.
const MAX_PARTS: usize = 1024;
/// Largest accepted header block of one part.
const MAX_HEADER_BYTES: usize = 16 * 1024;

/// The SHA-1 (lowercase hex) and size in bytes of a document, computed on the exact bytes sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct DocumentDigest {
    /// SHA-1, lowercase hexadecimal (the XDS `hash` slot).
    pub sha1_hex: String,
    /// Size in bytes (the XDS `size` slot).
    pub size: usize,
}

impl DocumentDigest {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        let d = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, bytes);
        let mut sha1_hex = String::with_capacity(40);
        for b in d.as_ref() {
            sha1_hex.push_str(&format!("{b:02x}"));
        }
        Self {
            sha1_hex,
            size: bytes.len(),
        }
    }
}

/// A document attached to an MTOM message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Attachment {
    /// The part's Content-ID, without angle brackets.
    pub content_id: String,
    /// Digest and size of the bytes placed in the part.
    pub digest: DocumentDigest,
}

impl Attachment {
    /// The `cid:` URL of the part (for `xop:Include/@href`).
    pub fn href(&self) -> String {
        format!("cid:{}", percent_encode(&self.content_id))
    }

    /// The `<xop:Include href="cid:…"/>` element to put where the document goes.
    pub fn xop_include(&self) -> String {
        format!(
            "<xop:Include xmlns:xop=\"{}\" href=\"{}\"/>",
            ns::XOP,
            xml::escape_attr(&self.href())
        )
    }
}

/// A written MTOM message: the `Content-Type` header value and the body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MtomBody {
    /// The HTTP `Content-Type` value (`multipart/related; boundary=…; type="application/xop+xml";
    /// start=…; start-info="application/soap+xml"`).
    pub content_type: String,
    /// The MIME body.
    pub body: Vec<u8>,
}

struct PendingPart {
    content_id: String,
    content_type: String,
    bytes: Vec<u8>,
}

/// Writes an MTOM/XOP message: attach the documents first, write the envelope with their
/// [`Attachment::xop_include`] elements, then [`MtomBuilder::finish`].
pub struct MtomBuilder {
    boundary: String,
    tag: String,
    action: Option<String>,
    parts: Vec<PendingPart>,
}

impl std::fmt::Debug for MtomBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MtomBuilder")
            .field("boundary", &self.boundary)
            .field("parts", &self.parts.len())
            .finish_non_exhaustive()
    }
}

impl MtomBuilder {
    /// A new message; the boundary and content ids are drawn from `random`.
    pub fn new(random: &dyn Randomness) -> Self {
        let mut bytes = [0u8; 16];
        random.fill(&mut bytes);
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Self {
            boundary: format!("MIMEBoundary_{hex}"),
            tag: random.uuid_v4().to_string(),
            action: None,
            parts: Vec::new(),
        }
    }

    /// Sets the `action` parameter of the content type (the SOAP action).
    pub fn action(mut self, action: &str) -> Self {
        self.action = Some(action.to_owned());
        self
    }

    /// Attaches a document, byte for byte, as its own part.
    pub fn attach(&mut self, bytes: Vec<u8>, content_type: &str) -> Attachment {
        let content_id = format!("{}.{}@segur", self.parts.len() + 1, self.tag);
        let digest = DocumentDigest::of(&bytes);
        self.parts.push(PendingPart {
            content_id: content_id.clone(),
            content_type: content_type.to_owned(),
            bytes,
        });
        Attachment { content_id, digest }
    }

    /// The message, with `envelope` (a SOAP 1.2 envelope) as root part.
    ///
    /// Fails only if a part contains the boundary, which a random boundary makes practically
    /// impossible.
    pub fn finish(self, envelope: &str) -> Result<MtomBody, Error> {
        let root_id = format!("0.{}@segur", self.tag);
        let delimiter = format!("\r\n--{}", self.boundary);
        let mut body = Vec::with_capacity(
            envelope.len()
                + self
                    .parts
                    .iter()
                    .map(|p| p.bytes.len() + 200)
                    .sum::<usize>()
                + 300,
        );
        let mut part = |headers: &str, bytes: &[u8]| -> Result<(), Error> {
            if memmem::find(bytes, delimiter.as_bytes()).is_some() {
                return Err(Error::mime(None, "a part contains the boundary"));
            }
            body.extend_from_slice(b"--");
            body.extend_from_slice(self.boundary.as_bytes());
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(headers.as_bytes());
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
            Ok(())
        };
        part(
            &format!(
                "Content-Type: application/xop+xml; charset=UTF-8; type=\"application/soap+xml\"\r\n\
                 Content-Transfer-Encoding: binary\r\nContent-ID: <{root_id}>\r\n"
            ),
            envelope.as_bytes(),
        )?;
        for p in &self.parts {
            part(
                &format!(
                    "Content-Type: {}\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <{}>\r\n",
                    p.content_type, p.content_id
                ),
                &p.bytes,
            )?;
        }
        body.extend_from_slice(b"--");
        body.extend_from_slice(self.boundary.as_bytes());
        body.extend_from_slice(b"--\r\n");
        let mut content_type = format!(
            "multipart/related; boundary=\"{}\"; type=\"application/xop+xml\"; start=\"<{root_id}>\"; start-info=\"application/soap+xml\"",
            self.boundary
        );
        if let Some(a) = &self.action {
            content_type.push_str(&format!("; action=\"{a}\""));
        }
        Ok(MtomBody { content_type, body })
    }
}

/// One part of a MIME multipart message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MimePart {
    /// The Content-ID, without angle brackets.
    pub content_id: Option<String>,
    /// The Content-Type.
    pub content_type: Option<String>,
    /// The decoded content (`base64` transfer encoding undone).
    pub body: Vec<u8>,
}

/// A SOAP message read from an HTTP body: MTOM/XOP multipart or plain SOAP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MtomMessage {
    root: usize,
    parts: Vec<MimePart>,
    /// The first part with each Content-ID, as written and URL-decoded: a lookup costs no
    /// decoding of the other parts' ids.
    ids: HashMap<String, usize>,
}

impl MtomMessage {
    /// Reads a message given its HTTP `Content-Type` and body. A non-multipart content type
    /// (`application/soap+xml`) gives a message with the body as its only (root) part.
    pub fn parse(content_type: &str, body: &[u8]) -> Result<Self, Error> {
        let (media, params) = parse_content_type(content_type);
        if !media.eq_ignore_ascii_case("multipart/related") {
            return Ok(Self {
                root: 0,
                parts: vec![MimePart {
                    content_id: None,
                    content_type: Some(content_type.to_owned()),
                    body: body.to_vec(),
                }],
                ids: HashMap::new(),
            });
        }
        let boundary = param(&params, "boundary")
            .filter(|b| !b.is_empty() && b.len() <= 200)
            .ok_or_else(|| Error::mime(None, "multipart content type without a usable boundary"))?;
        let parts = split_parts(body, boundary)?;
        let root = match param(&params, "start") {
            Some(start) => {
                let start = strip_angles(start);
                parts
                    .iter()
                    .position(|p| p.content_id.as_deref() == Some(start))
                    .ok_or_else(|| {
                        Error::new(ErrorKind::MissingPart {
                            content_id: start.to_owned(),
                        })
                    })?
            }
            None => 0,
        };
        let mut ids = HashMap::new();
        for (i, c) in parts
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Some((i, p.content_id.as_deref()?)))
        {
            ids.entry(c.to_owned()).or_insert(i);
            if let Cow::Owned(decoded) = percent_decode(c) {
                ids.entry(decoded).or_insert(i);
            }
        }
        Ok(Self { root, parts, ids })
    }

    /// The root part (the SOAP envelope).
    pub fn root(&self) -> &MimePart {
        &self.parts[self.root]
    }

    /// Every part, root included, in message order.
    pub fn parts(&self) -> &[MimePart] {
        &self.parts
    }

    /// Reads the root part as a SOAP envelope; a fault in it is in [`Envelope::body`].
    pub fn envelope(&self) -> Result<Envelope, Error> {
        Envelope::parse(&self.root().body)
    }

    /// The part a `cid:` URL or a Content-ID designates (URL-decoded, angle brackets ignored).
    pub fn part(&self, reference: &str) -> Result<&MimePart, Error> {
        self.part_index(reference).map(|i| &self.parts[i])
    }

    /// Moves the body of the part `reference` designates (see [`Self::part`]) out of the
    /// message, leaving it empty: for a caller that consumes each part once, without a copy.
    pub fn take_part(&mut self, reference: &str) -> Result<Vec<u8>, Error> {
        let i = self.part_index(reference)?;
        Ok(std::mem::take(&mut self.parts[i].body))
    }

    fn part_index(&self, reference: &str) -> Result<usize, Error> {
        let id = reference.trim();
        let id = id.strip_prefix("cid:").unwrap_or(id);
        let id = percent_decode(strip_angles(id));
        self.ids.get(&*id).copied().ok_or_else(|| {
            Error::new(ErrorKind::MissingPart {
                content_id: id.into_owned(),
            })
        })
    }

    /// The binary content of an XOP-optimised element (an `xdsb:Document`, given as a standalone
    /// XML document such as [`Payload::xml`](crate::Payload) slices give): the part its
    /// `xop:Include` references, or its inline base64 text when the sender did not optimise it.
    pub fn binary_content(&self, element_xml: &str) -> Result<Cow<'_, [u8]>, Error> {
        let doc = xml::parse(element_xml.as_bytes(), &Limits::default())?;
        if let Some(inc) = doc.root.child(ns::XOP, "Include") {
            let href = inc
                .attr("href")
                .ok_or_else(|| Error::malformed("Include", "no @href"))?;
            return Ok(Cow::Borrowed(&self.part(href)?.body));
        }
        decode_base64(doc.root.text().as_bytes()).map(Cow::Owned)
    }
}

fn decode_base64(text: &[u8]) -> Result<Vec<u8>, Error> {
    let compact: Vec<u8> = text
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(&compact)
        .map_err(|e| Error::mime(None, format!("invalid base64 content: {e}")))
}

fn strip_angles(s: &str) -> &str {
    s.trim()
        .strip_prefix('<')
        .and_then(|s| s.strip_suffix('>'))
        .unwrap_or(s.trim())
}

fn split_parts(body: &[u8], boundary: &str) -> Result<Vec<MimePart>, Error> {
    let dash = format!("--{boundary}");
    // the first delimiter may open the body or follow a preamble
    let first = if body.starts_with(dash.as_bytes()) {
        0
    } else {
        memmem::find(body, format!("\n{dash}").as_bytes())
            .map(|i| i + 1)
            .ok_or_else(|| Error::mime(Some(0), "no boundary delimiter in the body"))?
    };
    // parts end at CRLF + delimiter; a message that never uses CRLF is read with LF
    let crlf = format!("\r\n{dash}");
    let lf = format!("\n{dash}");
    let delimiter = if memmem::find(&body[first..], crlf.as_bytes()).is_some() {
        crlf
    } else {
        lf
    };
    let finder = memmem::Finder::new(delimiter.as_bytes());
    let mut parts = Vec::new();
    let mut pos = first + dash.len();
    loop {
        let rest = &body[pos..];
        if rest.starts_with(b"--") {
            break;
        }
        // transport padding, then the line break ending the delimiter line
        let pad = rest
            .iter()
            .take_while(|b| **b == b' ' || **b == b'\t')
            .count();
        let rest = &rest[pad..];
        let eol = if rest.starts_with(b"\r\n") {
            2
        } else if rest.starts_with(b"\n") {
            1
        } else {
            return Err(Error::mime(Some(pos), "garbage after a boundary delimiter"));
        };
        let start = pos + pad + eol;
        if parts.len() >= MAX_PARTS {
            return Err(Error::new(ErrorKind::LimitExceeded {
                what: "MIME parts",
                limit: MAX_PARTS,
            }));
        }
        let end = finder
            .find(&body[start..])
            .map(|i| start + i)
            .ok_or_else(|| Error::mime(Some(start), "a part is not closed by a delimiter"))?;
        parts.push(read_part(&body[start..end], start)?);
        pos = end + delimiter.len();
    }
    if parts.is_empty() {
        return Err(Error::mime(Some(first), "the multipart has no part"));
    }
    Ok(parts)
}

fn read_part(raw: &[u8], offset: usize) -> Result<MimePart, Error> {
    let (head_len, sep) = if raw.starts_with(b"\r\n") {
        (0, 2)
    } else if raw.starts_with(b"\n") {
        (0, 1)
    } else if let Some(i) = memmem::find(raw, b"\r\n\r\n") {
        (i, 4)
    } else if let Some(i) = memmem::find(raw, b"\n\n") {
        (i, 2)
    } else {
        return Err(Error::mime(Some(offset), "a part has no end of headers"));
    };
    if head_len > MAX_HEADER_BYTES {
        return Err(Error::new(ErrorKind::LimitExceeded {
            what: "MIME part header bytes",
            limit: MAX_HEADER_BYTES,
        }));
    }
    let head = std::str::from_utf8(&raw[..head_len])
        .map_err(|_| Error::mime(Some(offset), "part headers are not UTF-8"))?;
    let content = &raw[head_len + sep..];
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = headers.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if line.is_empty() {
            continue;
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| Error::mime(Some(offset), "a part header line has no colon"))?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let body = match header("content-transfer-encoding")
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        None | Some("binary" | "8bit" | "7bit") => content.to_vec(),
        Some("base64") => decode_base64(content)?,
        Some(other) => {
            return Err(Error::mime(
                Some(offset),
                format!("unsupported Content-Transfer-Encoding `{other}`"),
            ));
        }
    };
    Ok(MimePart {
        content_id: header("content-id").map(|c| strip_angles(&c).to_owned()),
        content_type: header("content-type"),
        body,
    })
}

/// Splits a `Content-Type` value into its media type and `(name, value)` parameters (names
/// lowercased, quotes removed).
fn parse_content_type(value: &str) -> (&str, Vec<(String, String)>) {
    let mut pieces = Vec::new();
    let mut in_quotes = false;
    let mut escaped = false;
    let mut start = 0;
    for (i, c) in value.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_quotes => escaped = true,
            '"' => in_quotes = !in_quotes,
            ';' if !in_quotes => {
                pieces.push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    pieces.push(&value[start..]);
    let media = pieces.first().map_or("", |m| m.trim());
    let params = pieces
        .iter()
        .skip(1)
        .filter_map(|p| {
            let (k, v) = p.split_once('=')?;
            let v = v.trim();
            let v = match v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
                Some(q) => q.replace("\\\"", "\"").replace("\\\\", "\\"),
                None => v.to_owned(),
            };
            Some((k.trim().to_ascii_lowercase(), v))
        })
        .collect();
    (media, params)
}

fn param<'p>(params: &'p [(String, String)], name: &str) -> Option<&'p str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// `%XX` decoding of a `cid:` URL (RFC 2392); invalid escapes are kept as they are.
fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// `%XX` encoding of what a `cid:` URL cannot carry literally.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~@!$'()*+,;=".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use segur_transport::SeededRandomness;

    #[test]
    fn digest_of_known_bytes() {
        let d = DocumentDigest::of(b"abc");
        assert_eq!(d.sha1_hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(d.size, 3);
    }

    #[test]
    fn write_then_read_binary_parts() {
        let random = SeededRandomness::new(9);
        let mut b =
            MtomBuilder::new(&random).action("urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b");
        let binary: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
        let a1 = b.attach(binary.clone(), "application/octet-stream");
        let a2 = b.attach(b"<doc/>\r\n".to_vec(), "text/xml");
        assert_eq!(a2.digest.size, 8);
        let envelope = format!(
            "<soap:Envelope xmlns:soap=\"{}\"><soap:Body><d:Docs xmlns:d=\"urn:d\"><d:Document>{}</d:Document><d:Document>{}</d:Document></d:Docs></soap:Body></soap:Envelope>",
            ns::SOAP12,
            a1.xop_include(),
            a2.xop_include()
        );
        let out = b.finish(&envelope).unwrap();
        let msg = MtomMessage::parse(&out.content_type, &out.body).unwrap();
        assert_eq!(msg.root().body, envelope.as_bytes());
        assert_eq!(msg.part(&a1.href()).unwrap().body, binary);
        assert_eq!(
            DocumentDigest::of(&msg.part(&a2.href()).unwrap().body),
            a2.digest
        );
        let payload = msg.envelope().unwrap().into_payload().unwrap();
        assert_eq!(payload.name.local, "Docs");
        let first_doc = format!(
            "<d:Document xmlns:d=\"urn:d\">{}</d:Document>",
            a1.xop_include()
        );
        assert_eq!(msg.binary_content(&first_doc).unwrap().as_ref(), binary);
        let inline = "<Document>PGEvPg==\n</Document>";
        assert_eq!(msg.binary_content(inline).unwrap().as_ref(), b"<a/>");
        // a part moved out is not copied, and leaves an empty body
        let mut msg = msg;
        let ptr = msg.part(&a1.href()).unwrap().body.as_ptr();
        let taken = msg.take_part(&a1.href()).unwrap();
        assert_eq!((taken.as_ptr(), taken.as_slice()), (ptr, binary.as_slice()));
        assert!(msg.part(&a1.href()).unwrap().body.is_empty());
        assert!(msg.take_part("cid:nope").is_err());
    }

    #[test]
    fn url_encoded_cids_and_plain_soap() {
        let body = b"preamble\r\n--b1\r\nContent-Type: application/xop+xml\r\nContent-ID: <root>\r\n\r\n<x/>\r\n--b1\r\nContent-ID: <b857-2@urn:ihe:iti:xds-b:2007>\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n--b1--\r\nepilogue";
        let m = MtomMessage::parse(
            "Multipart/Related; type=\"application/xop+xml\"; boundary=b1; start=\"<root>\"",
            body,
        )
        .unwrap();
        assert_eq!(m.root().body, b"<x/>");
        assert_eq!(
            m.part("cid:b857-2@urn%3Aihe%3Aiti%3Axds-b%3A2007")
                .unwrap()
                .body,
            [0, 1, 2]
        );
        assert!(matches!(
            m.part("cid:nope").unwrap_err().kind(),
            ErrorKind::MissingPart { .. }
        ));
        let plain = MtomMessage::parse("application/soap+xml; charset=UTF-8", b"<e/>").unwrap();
        assert_eq!(plain.root().body, b"<e/>");
    }

    #[test]
    fn broken_multiparts_are_errors() {
        for (ct, body) in [
            ("multipart/related", &b"--x\r\n\r\na\r\n--x--"[..]),
            ("multipart/related; boundary=x", b"no delimiter"),
            ("multipart/related; boundary=x", b"--x\r\n\r\nunterminated"),
            (
                "multipart/related; boundary=x",
                b"--xjunk\r\n\r\na\r\n--x--",
            ),
            ("multipart/related; boundary=x", b"--x--"),
            (
                "multipart/related; boundary=x; start=\"<r>\"",
                b"--x\r\n\r\na\r\n--x--",
            ),
            (
                "multipart/related; boundary=x",
                b"--x\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\na\r\n--x--",
            ),
        ] {
            assert!(MtomMessage::parse(ct, body).is_err(), "{ct} {body:?}");
        }
    }

    #[test]
    fn percent_coding() {
        assert_eq!(percent_decode("a%3Ab%zz%4"), "a:b%zz%4");
        assert_eq!(percent_encode("a:b/c@d"), "a%3Ab%2Fc@d");
    }
}
