//! The parser: encoding detection, the XML prolog, and the entry points.

pub(crate) mod cda;
mod cursor;
mod flat_cursor;
mod flat_index;
mod reader;
mod tokenizer;

use std::borrow::Cow;

use crate::error::{Limit, ParseError, ParseErrorKind};
use crate::flat;
use crate::model::Document;
pub(crate) use cursor::{Cursor, Res};
pub(crate) use flat_cursor::FlatCursor;
use reader::{Item, Reader, is_blank};
pub(crate) use reader::{Start, xsi_type_parts};
use tokenizer::{Token, Tokenizer};

/// Nesting deeper than this is refused whatever [`Limits::max_depth`] says: the typed parser
/// recurses through nested sections and entry relationships, and this bound keeps its stack use
/// under the 2 MiB of a default thread even in debug builds. The deepest ANS example is 22 levels.
pub const MAX_DEPTH_CAP: usize = 256;

/// Resource limits applied while parsing untrusted input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest accepted input, in bytes (default 512 MiB).
    pub max_input_size: usize,
    /// Deepest element nesting (default and maximum [`MAX_DEPTH_CAP`]; real documents stay under
    /// 30).
    pub max_depth: usize,
    /// Most attributes on one element (default 64).
    pub max_attributes: usize,
    /// Longest text node, CDATA section or attribute value, in bytes (default 256 MiB: base64
    /// payloads are single text nodes).
    pub max_text_len: usize,
    /// Most elements in one document (default 10 million).
    pub max_elements: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_input_size: 512 << 20,
            max_depth: 256,
            max_attributes: 64,
            max_text_len: 256 << 20,
            max_elements: 10_000_000,
        }
    }
}

impl Limits {
    /// The default limits.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`Limits::max_input_size`].
    #[must_use]
    pub fn max_input_size(mut self, bytes: usize) -> Self {
        self.max_input_size = bytes;
        self
    }

    /// Sets [`Limits::max_depth`].
    #[must_use]
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth;
        self
    }

    /// Sets [`Limits::max_attributes`].
    #[must_use]
    pub fn max_attributes(mut self, count: usize) -> Self {
        self.max_attributes = count;
        self
    }

    /// Sets [`Limits::max_text_len`].
    #[must_use]
    pub fn max_text_len(mut self, bytes: usize) -> Self {
        self.max_text_len = bytes;
        self
    }

    /// Sets [`Limits::max_elements`].
    #[must_use]
    pub fn max_elements(mut self, count: usize) -> Self {
        self.max_elements = count;
        self
    }

    pub(crate) fn effective_depth(&self) -> usize {
        self.max_depth.min(MAX_DEPTH_CAP)
    }
}

/// Parses a CDA document with the default [`Limits`].
///
/// The document borrows from `input`. UTF-8 input (with or without BOM) is parsed in place;
/// input declared as ISO-8859-1 or windows-1252 is transcoded first, and the result then owns
/// its strings.
///
/// # Errors
/// A [`ParseError`] with its location for malformed XML, DTDs, unsupported encodings, exceeded
/// limits, or a document without a `ClinicalDocument`.
pub fn parse(input: &[u8]) -> Result<Document<'_>, ParseError> {
    parse_with(input, &Limits::default())
}

/// Parses a CDA document with the given limits (see [`parse`]).
///
/// # Errors
/// See [`parse`].
pub fn parse_with<'a>(input: &'a [u8], limits: &Limits) -> Result<Document<'a>, ParseError> {
    match decode_input(input, limits)? {
        Cow::Borrowed(src) => parse_str(src, limits),
        Cow::Owned(src) => parse_str(&src, limits).map(Document::into_owned),
    }
}

/// The flat parse (see [`crate::flat::parse_with`]), into the buffers of `spare` when given.
pub(crate) fn parse_flat<'a>(
    input: &'a [u8],
    limits: &Limits,
    spare: Option<flat::Index>,
) -> Result<flat::Document<'a>, ParseError> {
    let src = decode_input(input, limits)?;
    // the index holds offsets in 32 bits
    if u32::try_from(src.len()).is_err() {
        return Err(input_too_large(u32::MAX as usize));
    }
    let index = parse_document(&src, limits, |r, root, wrapper| {
        flat_index::build(r, root, wrapper, spare)
    })
    .map_err(|e| *e)?;
    Ok(flat::Document { src, index })
}

/// The error for an input larger than `max` bytes.
fn input_too_large(max: usize) -> ParseError {
    ParseError {
        kind: ParseErrorKind::LimitExceeded {
            limit: Limit::InputSize,
            max,
        },
        offset: 0,
        line: 1,
        column: 1,
        path: String::new(),
    }
}

/// The input as text: borrowed when it is UTF-8 (a BOM skipped), transcoded when it is
/// declared ISO-8859-1 or windows-1252.
fn decode_input<'a>(input: &'a [u8], limits: &Limits) -> Result<Cow<'a, str>, ParseError> {
    if input.len() > limits.max_input_size {
        return Err(input_too_large(limits.max_input_size));
    }
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    match detect_encoding(input)? {
        Encoding::Utf8 => {
            // the vectorised validator on the happy path; std's on failure, for the offset
            match simdutf8::basic::from_utf8(input) {
                Ok(src) => Ok(Cow::Borrowed(src)),
                Err(_) => std::str::from_utf8(input).map(Cow::Borrowed).map_err(|e| {
                    let valid = std::str::from_utf8(&input[..e.valid_up_to()]).unwrap_or("");
                    locate(valid, ParseErrorKind::InvalidUtf8, e.valid_up_to())
                }),
            }
        }
        Encoding::Latin1 => Ok(Cow::Owned(input.iter().map(|&b| char::from(b)).collect())),
        Encoding::Windows1252 => Ok(Cow::Owned(input.iter().map(|&b| windows_1252(b)).collect())),
    }
}

/// Parses a CDA document already in a string (the XML declaration's encoding is ignored).
///
/// # Errors
/// See [`parse`].
pub fn parse_str<'a>(src: &'a str, limits: &Limits) -> Result<Document<'a>, ParseError> {
    parse_document(src, limits, cda::document).map_err(|e| *e)
}

/// Reads a document: the XML declaration and the prolog, the root, which is the
/// `ClinicalDocument` or an element holding one (read by `read`, given the root as wrapper
/// in the second case), the rest of that root, and the epilog.
fn parse_document<'a, T>(
    src: &'a str,
    limits: &Limits,
    read: impl FnOnce(&mut Reader<'a>, Start<'a>, Option<Start<'a>>) -> Result<T, Box<ParseError>>,
) -> Result<T, Box<ParseError>> {
    let src_body = src.strip_prefix('\u{feff}').unwrap_or(src);
    let skip = src.len() - src_body.len();
    let start = skip
        + xml_decl(src_body.as_bytes())
            .map_err(|(k, o)| Box::new(locate(src, k, skip + o)))?
            .map_or(0, |d| d.len);
    let mut reader = Reader::new(src, start, *limits);
    // prolog: blanks, comments, processing instructions (the tokenizer skips the last two)
    let root = loop {
        match reader.next_item()? {
            Item::Child(s) => break s,
            Item::Text(t) => {
                if !is_blank(t.raw) {
                    return Err(reader.error(
                        ParseErrorKind::Malformed("text before the root element"),
                        t.offset,
                    ));
                }
            }
            Item::End(offset) => {
                return Err(reader.error(
                    ParseErrorKind::Malformed("end tag before the root element"),
                    offset,
                ));
            }
        }
    };
    let doc = if root.is_hl7() && root.local == "ClinicalDocument" {
        read(&mut reader, root, None)?
    } else {
        // a wrapper: the first `ClinicalDocument` inside it, then the rest of it
        let doc = loop {
            match reader.next_item()? {
                Item::Child(s) if s.is_hl7() && s.local == "ClinicalDocument" => {
                    break read(&mut reader, s, Some(root))?;
                }
                Item::End(offset) if reader.depth() == 0 => {
                    return Err(reader.error(
                        ParseErrorKind::NotClinicalDocument {
                            root: root.local.to_owned(),
                        },
                        offset,
                    ));
                }
                Item::Text(t) => reader.check_dropped_text(t)?,
                _ => {}
            }
        };
        while reader.depth() > 0 {
            reader.skip()?;
        }
        doc
    };
    // epilog
    loop {
        let at = reader.pos();
        if at >= src.len() {
            return Ok(doc);
        }
        match reader.next_item()? {
            Item::Text(t) if is_blank(t.raw) => {}
            _ => {
                return Err(reader.error(
                    ParseErrorKind::Malformed("content after the root element"),
                    at,
                ));
            }
        }
    }
}

enum Encoding {
    Utf8,
    Latin1,
    Windows1252,
}

/// Reads the encoding from the XML declaration, rejecting UTF-16/32 and unknown encodings.
fn detect_encoding(input: &[u8]) -> Result<Encoding, ParseError> {
    let unsupported = |name: &str| {
        Err(ParseError {
            kind: ParseErrorKind::UnsupportedEncoding {
                encoding: name.to_owned(),
            },
            offset: 0,
            line: 1,
            column: 1,
            path: String::new(),
        })
    };
    if input.starts_with(b"\xFE\xFF")
        || input.starts_with(b"\xFF\xFE")
        || input.starts_with(b"\0<")
        || input.starts_with(b"<\0")
    {
        return unsupported("UTF-16");
    }
    // a malformed declaration is reported before the bytes are decoded (as UTF-8 by default),
    // which would report the wrong problem for a document in another encoding
    let declaration = xml_decl(input).map_err(|(kind, offset)| {
        // the declaration is ASCII up to the offending offset
        let valid = std::str::from_utf8(&input[..offset]).unwrap_or_default();
        locate(valid, kind, offset)
    })?;
    let Some(XmlDecl {
        encoding: Some(value),
        ..
    }) = declaration
    else {
        return Ok(Encoding::Utf8);
    };
    match value.to_ascii_lowercase().as_str() {
        "utf-8" | "utf8" | "us-ascii" | "ascii" => Ok(Encoding::Utf8),
        "iso-8859-1" | "iso8859-1" | "iso_8859-1" | "latin1" | "latin-1" | "l1" => {
            Ok(Encoding::Latin1)
        }
        "windows-1252" | "cp1252" => Ok(Encoding::Windows1252),
        _ => unsupported(value),
    }
}

/// An XML declaration, checked against the grammar of XML 1.0 (section 2.8).
struct XmlDecl<'d> {
    /// Its length, `?>` included.
    len: usize,
    /// The encoding name, when declared.
    encoding: Option<&'d str>,
}

/// The XML declaration at the start of `bytes`: `None` when there is none (the document starts
/// otherwise, or with a processing instruction such as `<?xml-stylesheet ...?>`), an error at
/// the offending offset when it breaks the grammar.
fn xml_decl(bytes: &[u8]) -> Result<Option<XmlDecl<'_>>, (ParseErrorKind, usize)> {
    let ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    if !(bytes.starts_with(b"<?xml") && bytes.get(5).is_some_and(ws)) {
        return Ok(None);
    }
    let bad = |at: usize| {
        if at >= bytes.len() {
            (ParseErrorKind::UnexpectedEof, 0)
        } else {
            (ParseErrorKind::Malformed("malformed XML declaration"), at)
        }
    };
    let skip_ws = |mut p: usize| {
        while bytes.get(p).is_some_and(ws) {
            p += 1;
        }
        p
    };
    // `name = "value"` (or `'value'`) after whitespace at `p`: the value and the offset after it
    let pseudo_attr = |p: usize, name: &[u8]| -> Option<(&[u8], usize)> {
        let after_ws = skip_ws(p);
        if after_ws == p || !bytes[after_ws..].starts_with(name) {
            return None;
        }
        let eq = skip_ws(after_ws + name.len());
        if bytes.get(eq) != Some(&b'=') {
            return None;
        }
        let open = skip_ws(eq + 1);
        let quote = *bytes.get(open).filter(|q| matches!(q, b'"' | b'\''))?;
        let len = bytes.get(open + 1..)?.iter().position(|&b| b == quote)?;
        Some((&bytes[open + 1..open + 1 + len], open + 1 + len + 1))
    };
    let (version, mut p) = pseudo_attr(5, b"version").ok_or_else(|| bad(skip_ws(5)))?;
    let digits = version.strip_prefix(b"1.").unwrap_or_default();
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err((
            ParseErrorKind::Malformed("XML declaration without a 1.x version"),
            0,
        ));
    }
    let mut encoding = None;
    if let Some((name, next)) = pseudo_attr(p, b"encoding") {
        let valid = name.first().is_some_and(u8::is_ascii_alphabetic)
            && name
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        if !valid {
            return Err(bad(p));
        }
        encoding = std::str::from_utf8(name).ok();
        p = next;
    }
    if let Some((value, next)) = pseudo_attr(p, b"standalone") {
        if !matches!(value, b"yes" | b"no") {
            return Err(bad(p));
        }
        p = next;
    }
    let end = skip_ws(p);
    if !bytes[end..].starts_with(b"?>") {
        return Err(bad(end));
    }
    Ok(Some(XmlDecl {
        len: end + 2,
        encoding,
    }))
}

/// windows-1252 to Unicode (the five undefined bytes map to the C1 control of the same value).
fn windows_1252(b: u8) -> char {
    const HIGH: [u16; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    if (0x80..0xA0).contains(&b) {
        char::from_u32(u32::from(HIGH[usize::from(b - 0x80)]))
            .unwrap_or(char::REPLACEMENT_CHARACTER)
    } else {
        char::from(b)
    }
}

/// Builds a [`ParseError`] at `offset` of `src`: line, column and the element path, found by
/// re-reading the document up to the offset (errors are rare; the happy path tracks nothing).
#[cold]
pub(crate) fn locate(src: &str, kind: ParseErrorKind, offset: usize) -> ParseError {
    let offset = offset.min(src.len());
    let mut cut = offset;
    while !src.is_char_boundary(cut) {
        cut -= 1;
    }
    let before = &src[..cut];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    ParseError {
        kind,
        offset,
        line,
        column,
        path: element_path(src, offset),
    }
}

/// The path of the element open at `offset`: `/a/b[2]/c`.
fn element_path(src: &str, offset: usize) -> String {
    // (local name, position among same-name siblings) of the open elements, and for each level
    // the names already seen with their counts
    let mut open: Vec<(&str, usize)> = Vec::new();
    let mut seen: Vec<Vec<(&str, usize)>> = vec![Vec::new()];
    let body = src.strip_prefix('\u{feff}').unwrap_or(src);
    let start = src.len() - body.len()
        + xml_decl(body.as_bytes())
            .ok()
            .flatten()
            .map_or(0, |d| d.len);
    let mut tok = Tokenizer::new(src, start, usize::MAX, usize::MAX);
    loop {
        let before = tok.pos();
        if before >= offset {
            break;
        }
        match tok.next(false) {
            Ok(Token::Start {
                name,
                empty,
                offset: at,
                ..
            }) => {
                if at >= offset {
                    break;
                }
                let local = reader::split_qname(name).1;
                let level = seen.last_mut().expect("one level per open element");
                let n = match level.iter_mut().find(|(l, _)| *l == local) {
                    Some(entry) => {
                        entry.1 += 1;
                        entry.1
                    }
                    None => {
                        level.push((local, 1));
                        1
                    }
                };
                if !empty || tok.pos() > offset {
                    open.push((local, n));
                    seen.push(Vec::new());
                }
            }
            Ok(Token::End { .. }) => {
                open.pop();
                seen.pop();
                if seen.is_empty() {
                    seen.push(Vec::new());
                }
            }
            Err(_) => {
                // a malformed start tag: the error is about that element
                let rest = &src.as_bytes()[before..];
                if rest.len() > 1 && rest[0] == b'<' && !matches!(rest[1], b'/' | b'!' | b'?') {
                    let len = rest[1..]
                        .iter()
                        .position(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>'))
                        .unwrap_or(rest.len() - 1);
                    let name = std::str::from_utf8(&rest[1..1 + len]).unwrap_or("?");
                    let local = reader::split_qname(name).1;
                    let level = seen.last().map_or(0, |l| {
                        l.iter().find(|(n, _)| *n == local).map_or(0, |e| e.1)
                    });
                    open.push((local, level + 1));
                }
                break;
            }
            Ok(Token::Eof) => break,
            Ok(_) => {}
        }
    }
    let mut path = String::new();
    for (local, n) in open {
        path.push('/');
        path.push_str(local);
        if n > 1 {
            path.push_str(&format!("[{n}]"));
        }
    }
    path
}
