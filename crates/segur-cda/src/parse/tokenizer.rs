//! A zero-copy, memchr-driven XML tokenizer over validated UTF-8.
//!
//! It yields start tags (with their attributes split into a reused buffer), end tags, text and
//! CDATA sections, and skips comments and processing instructions. It checks the lexical
//! well-formedness of what it reads (names, quoted attribute values, no `<` in attribute values,
//! terminated markup); the parser on top checks nesting and namespaces.

use memchr::{memchr, memchr2, memchr3, memmem};

use crate::error::ParseErrorKind;

/// A tokenizer failure: the kind and the byte offset.
pub(crate) type TokError = (ParseErrorKind, usize);

/// One attribute as written: raw name and raw (undecoded) value.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawAttr<'a> {
    pub(crate) name: &'a str,
    pub(crate) value: &'a str,
    /// The length of the name's prefix (0 for an unprefixed name).
    pub(crate) prefix_len: usize,
    /// The value holds no reference and no tab, newline or carriage return: it is its own
    /// normalised value.
    pub(crate) plain: bool,
}

/// One token.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Token<'a> {
    /// `<name attrs...>` or `<name .../>`; the attributes are in [`Tokenizer::attrs`].
    Start {
        name: &'a str,
        /// The length of the name's prefix (0 for an unprefixed name).
        prefix_len: usize,
        empty: bool,
        offset: usize,
    },
    /// `</name>`.
    End { name: &'a str, offset: usize },
    /// Character data between markup, raw; `needs_decoding` when it holds `&` or `\r`, `refs`
    /// when it holds `&`.
    Text {
        raw: &'a str,
        needs_decoding: bool,
        refs: bool,
        offset: usize,
    },
    /// The content of a CDATA section.
    CData { text: &'a str, offset: usize },
    /// End of input.
    Eof,
}

/// Byte classes for names: part of a name, the `:` of a prefix, a byte that ends a name in a
/// tag (whitespace, `/`, `>`, `=`), a byte that cannot appear in a name, or a byte of a
/// non-ASCII character (looked up by [`name_char`]).
const NAME: u8 = 0;
const COLON: u8 = 1;
const END: u8 = 2;
const BAD: u8 = 3;
const HIGH: u8 = 4;

const CLASS: [u8; 256] = {
    let mut t = [NAME; 256];
    let mut c = 0;
    while c < 0x20 {
        t[c] = BAD;
        c += 1;
    }
    let bad = b"<&\"'!?;,()[]{}|\\^`*+@$%#~\x7F";
    let mut i = 0;
    while i < bad.len() {
        t[bad[i] as usize] = BAD;
        i += 1;
    }
    let end = b" \t\n\r/>=";
    let mut i = 0;
    while i < end.len() {
        t[end[i] as usize] = END;
        i += 1;
    }
    t[b':' as usize] = COLON;
    let mut c = 0x80;
    while c < 0x100 {
        t[c] = HIGH;
        c += 1;
    }
    t
};

/// The non-ASCII character starting at `at` (the input is valid UTF-8) and its length, when it
/// may appear in a name (`NameChar` of XML 1.0, fifth edition), with whether it may also
/// start one (`NameStartChar`).
fn name_char(bytes: &[u8], at: usize) -> Option<(usize, bool)> {
    let len = match bytes.get(at)? {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    };
    let c = std::str::from_utf8(bytes.get(at..at + len)?)
        .ok()?
        .chars()
        .next()?;
    let start = matches!(c,
        '\u{C0}'..='\u{D6}'
            | '\u{D8}'..='\u{F6}'
            | '\u{F8}'..='\u{2FF}'
            | '\u{370}'..='\u{37D}'
            | '\u{37F}'..='\u{1FFF}'
            | '\u{200C}'..='\u{200D}'
            | '\u{2070}'..='\u{218F}'
            | '\u{2C00}'..='\u{2FEF}'
            | '\u{3001}'..='\u{D7FF}'
            | '\u{F900}'..='\u{FDCF}'
            | '\u{FDF0}'..='\u{FFFD}'
            | '\u{10000}'..='\u{EFFFF}');
    let other = matches!(c, '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}');
    (start || other).then_some((len, start))
}

/// The longest name accepted, in bytes (the flat index holds name lengths in 16 bits; real
/// names are a few dozen bytes).
const MAX_NAME_LEN: usize = u16::MAX as usize;

/// Scans a (possibly prefixed) name starting at `p`; returns its end and the length of its
/// prefix (0 without prefix). Checks it is non-empty, holds only name characters, starts with
/// a name start character (not a digit, `-`, `.`, `:` or their non-ASCII peers), and has at
/// most one `:`, not at its end.
#[inline]
fn scan_name(bytes: &[u8], start: usize) -> Result<(usize, usize), &'static str> {
    // ASCII names: a tight loop over name bytes, then a look at what stopped it
    let mut p = name_run(bytes, start);
    let mut colon = usize::MAX;
    if bytes.get(p) == Some(&b':') {
        colon = p;
        p = name_run(bytes, p + 1);
    }
    match bytes.get(p).map(|&b| CLASS[usize::from(b)]) {
        None | Some(END) => name_end::<false>(bytes, start, p, colon),
        Some(COLON) => Err("invalid qualified name"),
        Some(HIGH) => scan_name_with_high_bytes(bytes, start),
        Some(_) => Err("invalid character in name"),
    }
}

/// The end of the run of ASCII name bytes (class `NAME`) starting at `from`.
#[inline]
fn name_run(bytes: &[u8], from: usize) -> usize {
    bytes.get(from..).map_or(from, |rest| {
        from + rest
            .iter()
            .position(|&b| CLASS[usize::from(b)] != NAME)
            .unwrap_or(rest.len())
    })
}

/// [`scan_name`] for a name holding non-ASCII characters.
#[cold]
fn scan_name_with_high_bytes(bytes: &[u8], start: usize) -> Result<(usize, usize), &'static str> {
    let mut p = name_run(bytes, start);
    let mut colon = usize::MAX;
    loop {
        match bytes.get(p).map(|&b| CLASS[usize::from(b)]) {
            None | Some(END) => return name_end::<true>(bytes, start, p, colon),
            Some(COLON) if colon == usize::MAX => {
                colon = p;
                p = name_run(bytes, p + 1);
            }
            Some(COLON) => return Err("invalid qualified name"),
            Some(HIGH) => match name_char(bytes, p) {
                Some((len, _)) => p = name_run(bytes, p + len),
                None => return Err("invalid character in name"),
            },
            Some(_) => return Err("invalid character in name"),
        }
    }
}

/// The checks of [`scan_name`] on a name of name characters from `start` to `end`, with its
/// colon (if any) at `colon`; `HIGH_BYTES` when it may hold non-ASCII characters.
#[inline]
fn name_end<const HIGH_BYTES: bool>(
    bytes: &[u8],
    start: usize,
    end: usize,
    colon: usize,
) -> Result<(usize, usize), &'static str> {
    if end == start {
        return Err("empty name");
    }
    if end - start > MAX_NAME_LEN {
        return Err("name longer than 65535 bytes");
    }
    // the name, and the local part of a prefixed name, start with a name start character
    let bad_start = |at: usize| match bytes[at] {
        b'0'..=b'9' | b'-' | b'.' | b':' => true,
        0x80.. if HIGH_BYTES => name_char(bytes, at).is_none_or(|(_, start)| !start),
        _ => false,
    };
    if bad_start(start) {
        return Err("invalid name start character");
    }
    if colon == end - 1 {
        return Err("invalid qualified name");
    }
    if colon != usize::MAX && bad_start(colon + 1) {
        return Err("invalid name start character");
    }
    Ok((
        end,
        if colon == usize::MAX {
            0
        } else {
            colon - start
        },
    ))
}

/// The first occurrence of the 2- or 3-byte terminator `pat` (`-->`, `]]>`, `?>`) in `hay`.
/// Searches for its final `>`, which is rarer inside comments and PIs than its first byte
/// (hyphens in comments, `?` in PIs).
#[inline]
fn find_end(hay: &[u8], pat: &[u8]) -> Option<usize> {
    let (head, _) = pat.split_at(pat.len() - 1);
    let mut from = head.len();
    while let Some(i) = hay.get(from..).and_then(|rest| memchr(b'>', rest)) {
        let at = from + i - head.len();
        if hay[at..].starts_with(head) {
            return Some(at);
        }
        from += i + 1;
    }
    None
}

/// Eight copies of a byte, for word-at-a-time scans.
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

const HI: u64 = splat(0x80);

/// The high bit of each byte of `v` lower than `n` (`n` ≤ 0x80). Only the lowest flagged byte
/// is exact (borrows may flag bytes above it), which is all the scans below use.
#[inline]
const fn below(v: u64, n: u8) -> u64 {
    v.wrapping_sub(splat(n)) & !v & HI
}

/// The high bit of each byte of `v` equal to `b` (lowest flag exact, as for [`below`]).
#[inline]
const fn equal(v: u64, b: u8) -> u64 {
    below(v ^ splat(b), 1)
}

/// The message for a character XML forbids.
pub(crate) const FORBIDDEN_CHAR: &str = "character not allowed in XML";

/// Whether the character starting at `at` is one XML forbids: a C0 control other than tab, line
/// feed and carriage return, U+FFFE or U+FFFF.
#[inline]
pub(crate) fn forbidden_char(bytes: &[u8], at: usize) -> bool {
    match bytes.get(at) {
        Some(&b) if b < 0x20 => !matches!(b, b'\t' | b'\n' | b'\r'),
        Some(0xEF) => matches!(bytes.get(at + 1..at + 3), Some([0xBF, 0xBE | 0xBF])),
        _ => false,
    }
}

/// The high bit of each byte of `v` lower than `n` (`n` ≤ 0x80), exact for every byte (unlike
/// [`below`]: no borrow crosses bytes).
#[inline]
const fn exactly_below(v: u64, n: u8) -> u64 {
    !(((v & splat(0x7F)) + splat(0x80 - n)) | v) & HI
}

/// The high bit of each byte of `v` equal to `b`, exact for every byte.
#[inline]
const fn exactly_equal(v: u64, b: u8) -> u64 {
    exactly_below(v ^ splat(b), 1)
}

/// The high bit of each byte of `v` that is a control character XML forbids (below the space,
/// other than tab, line feed and carriage return), exact for every byte.
#[inline]
const fn forbidden_controls(v: u64) -> u64 {
    let layout = exactly_equal(v, b'\t') | exactly_equal(v, b'\n') | exactly_equal(v, b'\r');
    exactly_below(v, 0x20) & !layout
}

/// A byte that may start a character XML forbids: a control character other than tab, line
/// feed and carriage return, or `0xEF` (the first byte of U+FFFE and U+FFFF). Branch-free, for
/// loops the compiler vectorises.
#[inline]
fn suspect(b: u8) -> bool {
    (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r') | (b == 0xEF)
}

/// Whether 32 bytes (`w[..32]`, each seen with the byte after it) hold no `--`, no control
/// character and no `0xEF`. Coarser than [`suspect`] (comments seldom span lines) and cheaper;
/// branch-free, so that the compiler vectorises it.
#[inline]
fn comment_chunk_is_clean(w: &[u8; 33]) -> bool {
    !w[..32].iter().zip(&w[1..]).fold(false, |any, (&b, &next)| {
        any | (b < 0x20) | (b == 0xEF) | ((b == b'-') & (next == b'-'))
    })
}

/// Whether a comment is plainly well-formed: `text` is its body and the first `-` of its
/// closing `-->`, and holds no `--` before that (so a body ending in `-` is refused too), no
/// control character and no `0xEF` (see [`comment_error`] for the exact verdict on the others).
/// 32 bytes at a time; a short comment is copied into a padded chunk.
fn comment_is_clean(text: &[u8]) -> bool {
    let n = text.len() - 1;
    if n < 32 {
        let mut chunk = [b' '; 33];
        chunk[..text.len()].copy_from_slice(text);
        return comment_chunk_is_clean(&chunk);
    }
    let chunk =
        |at: usize| <&[u8; 33]>::try_from(&text[at..at + 33]).is_ok_and(comment_chunk_is_clean);
    let mut at = 0;
    while at + 32 <= n {
        if !chunk(at) {
            return false;
        }
        at += 32;
    }
    // the last chunk overlaps the one before
    at == n || chunk(n - 32)
}

/// The error in a comment that [`comment_is_clean`] does not pass (`body` after the `<!--` at
/// `offset - 4`, its `-->` at `end`): its first `--`, or else its first character XML forbids;
/// none for a comment that only spans lines or holds characters starting with `0xEF`.
fn comment_error(body: &[u8], end: usize, offset: usize) -> Option<TokError> {
    if let Some(at) = memmem::find(&body[..=end], b"--").filter(|&at| at < end) {
        return Some((
            ParseErrorKind::Malformed("'--' inside a comment"),
            offset + at,
        ));
    }
    find_forbidden_char(&body[..end])
        .map(|at| (ParseErrorKind::Malformed(FORBIDDEN_CHAR), offset + at))
}

/// The offset of the first character XML forbids in `bytes` (see [`forbidden_char`]).
pub(crate) fn find_forbidden_char(bytes: &[u8]) -> Option<usize> {
    find_forbidden::<false>(bytes)
}

/// The offset of the first thing XML forbids in character data: a character it forbids (see
/// [`forbidden_char`]) or a `]]>`, which only ends CDATA sections.
pub(crate) fn find_invalid_char_data(bytes: &[u8]) -> Option<usize> {
    find_forbidden::<true>(bytes)
}

/// Whether XML forbids what starts at `at`: a character (see [`forbidden_char`]), or in
/// character data (`TEXT`) a `]]>`.
#[inline]
fn forbidden_at<const TEXT: bool>(bytes: &[u8], at: usize) -> bool {
    forbidden_char(bytes, at) || TEXT && bytes[at..].starts_with(b"]]>")
}

/// The first offset where [`forbidden_at`] holds: 32 bytes at a time (a branch-free test the
/// compiler vectorises), then eight at a time; only the bytes that may start what is looked
/// for (`0xEF`, which may start U+FFFE or U+FFFF, and `]` in character data) are looked at one
/// by one.
fn find_forbidden<const TEXT: bool>(bytes: &[u8]) -> Option<usize> {
    let mut p = 0;
    for chunk in bytes.chunks_exact(32) {
        if chunk
            .iter()
            .fold(false, |any, &b| any | suspect(b) | (TEXT & (b == b']')))
            && let Some(at) = (p..p + 32).find(|&i| forbidden_at::<TEXT>(bytes, i))
        {
            return Some(at);
        }
        p += 32;
    }
    while let Some(word) = bytes.get(p..p + 8) {
        let v = <[u8; 8]>::try_from(word).map_or(0, u64::from_le_bytes);
        // candidates (the lowest exact, the others checked one by one below): a word without
        // any, the common word of comments and text, needs no closer look
        let low = below(v, 0x20);
        let mut candidates = equal(v, 0xEF) | if TEXT { equal(v, b']') } else { 0 };
        if low | candidates == 0 {
            p += 8;
            continue;
        }
        let controls = if low == 0 { 0 } else { forbidden_controls(v) };
        if controls != 0 {
            // a candidate before the control may be forbidden too
            candidates &= (controls & controls.wrapping_neg()) - 1;
        }
        while candidates != 0 {
            let at = p + (candidates.trailing_zeros() / 8) as usize;
            if forbidden_at::<TEXT>(bytes, at) {
                return Some(at);
            }
            candidates &= candidates - 1;
        }
        if controls != 0 {
            return Some(p + (controls.trailing_zeros() / 8) as usize);
        }
        p += 8;
    }
    (p..bytes.len()).find(|&i| forbidden_at::<TEXT>(bytes, i))
}

/// Whether an attribute-value byte ends the fast scan: the closing quote, `<`, `&`, a control
/// character (tab, newline and carriage return are normalised; the others are refused) or the
/// first byte of U+FFFE and U+FFFF (refused).
#[inline]
fn value_stop(b: u8, quote: u8) -> bool {
    b == quote || b == b'<' || b == b'&' || b < 0x20 || b == 0xEF
}

/// Scans an attribute value opened by `quote` just before `start`: returns the offset of the
/// closing quote and whether the value is plain (see [`RawAttr::plain`]). `Err(Some(at))` for a
/// `<` or a character XML forbids (see [`forbidden_char`]) at `at`, `Err(None)` for an
/// unterminated value. Eight bytes at a time: values are too short for a vectorised search to
/// pay off and too long for a byte loop to be cheap.
#[inline(always)]
fn scan_value(bytes: &[u8], start: usize, quote: u8) -> Result<(usize, bool), Option<usize>> {
    let mut plain = true;
    let mut p = start;
    // either quote differs from `&` in one bit (`"` 0x22 and `&` 0x26; `'` 0x27 and `&`): with
    // that bit set in every byte, one comparison finds both
    let fold = quote ^ b'&';
    loop {
        while let Some(word) = bytes.get(p..p + 8) {
            let Ok(word) = <[u8; 8]>::try_from(word) else {
                break;
            };
            let v = u64::from_le_bytes(word);
            let stops = equal(v | splat(fold), quote | fold)
                | equal(v, b'<')
                | below(v, 0x20)
                | equal(v, 0xEF);
            if stops != 0 {
                p += (stops.trailing_zeros() / 8) as usize;
                break;
            }
            p += 8;
        }
        while bytes.get(p).is_some_and(|&b| !value_stop(b, quote)) {
            p += 1;
        }
        match bytes.get(p) {
            None => return Err(None),
            Some(&b) if b == quote => return Ok((p, plain)),
            Some(b'<') => return Err(Some(p)),
            Some(_) if forbidden_char(bytes, p) => return Err(Some(p)),
            // the first byte of another character of the U+F000 block
            Some(0xEF) => p += 1,
            Some(_) => {
                plain = false;
                p += 1;
            }
        }
    }
}

/// Whether the `len` bytes at `a` equal those at `b`. Names of up to 16 bytes (with 16 bytes of
/// input after them) are compared as two masked words: no call, no byte loop.
#[inline]
fn same_bytes(bytes: &[u8], a: usize, b: usize, len: usize) -> bool {
    if len <= 16
        && let (Some(x), Some(y)) = (bytes.get(a..a + 16), bytes.get(b..b + 16))
    {
        let word =
            |s: &[u8], i: usize| <[u8; 8]>::try_from(&s[i..i + 8]).map_or(0, u64::from_le_bytes);
        let keep = |n: usize| match n {
            0 => 0,
            8.. => u64::MAX,
            n => (1u64 << (8 * n)) - 1,
        };
        let lo = (word(x, 0) ^ word(y, 0)) & keep(len);
        let hi = (word(x, 8) ^ word(y, 8)) & keep(len.saturating_sub(8));
        return lo | hi == 0;
    }
    match (bytes.get(a..a + len), bytes.get(b..b + len)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// XML whitespace, as a table: one load instead of four comparisons.
const WS: [bool; 256] = {
    let mut t = [false; 256];
    t[b' ' as usize] = true;
    t[b'\t' as usize] = true;
    t[b'\n' as usize] = true;
    t[b'\r' as usize] = true;
    t
};

#[inline]
fn is_ws(b: u8) -> bool {
    WS[usize::from(b)]
}

/// The tokenizer.
pub(crate) struct Tokenizer<'a> {
    src: &'a str,
    pos: usize,
    /// The attributes of the last start tag.
    pub(crate) attrs: Vec<RawAttr<'a>>,
    /// The name of the open element and its offset, set by the reader: an end tag with
    /// exactly this name is accepted without scanning it again.
    pub(crate) expected_end: Option<(&'a str, usize)>,
    /// Whether the last start tag declares namespaces (has an `xmlns` or `xmlns:*`
    /// attribute).
    pub(crate) xmlns: bool,
    /// Whether the last start tag has a prefixed attribute (`xmlns:*` included).
    pub(crate) prefixed: bool,
    /// Whether the last start tag has an attribute value that is not plain (see
    /// [`RawAttr::plain`]).
    pub(crate) impure: bool,
    /// Whether the last start tag has an unprefixed `representation` attribute.
    pub(crate) representation: bool,
    max_attrs: usize,
    max_text: usize,
}

impl<'a> Tokenizer<'a> {
    pub(crate) fn new(src: &'a str, pos: usize, max_attrs: usize, max_text: usize) -> Self {
        Self {
            src,
            pos,
            attrs: Vec::with_capacity(16),
            expected_end: None,
            xmlns: false,
            prefixed: false,
            impure: false,
            representation: false,
            max_attrs,
            max_text,
        }
    }

    /// The current byte offset (just after the last token).
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// Moves past a run of layout (bytes up to the space: indentation, line ends) when markup
    /// follows it, so that callers which ignore text do not get a token for it. Eight bytes at
    /// a time: indentation runs are long. The run is not searched for control characters XML
    /// forbids (a deliberate cost saving: searching it cost about 8 % of the parsing time on
    /// indented documents, for content no caller sees); any other text is, and so are
    /// narrative blocks, layout included (see `Reader::skip_raw`).
    #[inline]
    pub(crate) fn skip_layout(&mut self) {
        let bytes = self.src.as_bytes();
        let mut p = self.pos;
        loop {
            let Some(word) = bytes.get(p..p + 8) else {
                while bytes.get(p).is_some_and(|&b| b <= b' ') {
                    p += 1;
                }
                break;
            };
            let Ok(word) = <[u8; 8]>::try_from(word) else {
                break;
            };
            let v = u64::from_le_bytes(word);
            // the high bit of every byte above the space (masking first keeps carries in)
            let printable = (((v & splat(0x7F)) + splat(0x7F - b' ')) | v) & HI;
            if printable != 0 {
                p += (printable.trailing_zeros() / 8) as usize;
                break;
            }
            p += 8;
        }
        if bytes.get(p) == Some(&b'<') {
            self.pos = p;
        }
    }

    /// The next token; with `skip_layout`, layout before markup (also after a comment or a
    /// processing instruction) yields no token (see [`Self::skip_layout`]).
    pub(crate) fn next(&mut self, skip_layout: bool) -> Result<Token<'a>, TokError> {
        let bytes = self.src.as_bytes();
        loop {
            if skip_layout {
                self.skip_layout();
            }
            let start = self.pos;
            let Some(&first) = bytes.get(start) else {
                return Ok(Token::Eof);
            };
            if first != b'<' {
                return self.text(start);
            }
            match bytes.get(start + 1) {
                Some(b'/') => return self.end_tag(start),
                Some(b'!') => {
                    let rest = &bytes[start..];
                    if rest.starts_with(b"<!--") {
                        let body = &rest[4..];
                        let Some(i) = find_end(body, b"-->") else {
                            return Err((ParseErrorKind::UnexpectedEof, start));
                        };
                        // up to the first `-` of the `-->`, so that a `-` before it counts
                        if !comment_is_clean(&body[..=i])
                            && let Some(e) = comment_error(body, i, start + 4)
                        {
                            return Err(e);
                        }
                        self.pos = start + 4 + i + 3;
                        continue;
                    }
                    if rest.starts_with(b"<![CDATA[") {
                        let Some(i) = find_end(&rest[9..], b"]]>") else {
                            return Err((ParseErrorKind::UnexpectedEof, start));
                        };
                        if i > self.max_text {
                            return Err(self.text_limit(start));
                        }
                        self.pos = start + 9 + i + 3;
                        return Ok(Token::CData {
                            text: &self.src[start + 9..start + 9 + i],
                            offset: start,
                        });
                    }
                    if rest.starts_with(b"<!DOCTYPE") || rest.starts_with(b"<!ENTITY") {
                        return Err((ParseErrorKind::Dtd, start));
                    }
                    return Err((
                        ParseErrorKind::Malformed("unknown markup declaration"),
                        start,
                    ));
                }
                Some(b'?') => {
                    let Some(i) = find_end(&bytes[start + 2..], b"?>") else {
                        return Err((ParseErrorKind::UnexpectedEof, start));
                    };
                    let body = &bytes[start + 2..start + 2 + i];
                    let target_len = body.iter().position(|&b| is_ws(b)).unwrap_or(body.len());
                    let target = &body[..target_len];
                    if target.is_empty() {
                        return Err((
                            ParseErrorKind::Malformed("processing instruction without target"),
                            start,
                        ));
                    }
                    // a name without a colon (Namespaces in XML, section 7)
                    match scan_name(target, 0) {
                        Ok((end, 0)) if end == target.len() => {}
                        Ok((end, 0)) => {
                            return Err((
                                ParseErrorKind::Malformed("invalid character in name"),
                                start + 2 + end,
                            ));
                        }
                        Ok(_) => {
                            return Err((
                                ParseErrorKind::Malformed(
                                    "colon in a processing instruction target",
                                ),
                                start,
                            ));
                        }
                        Err(m) => return Err((ParseErrorKind::Malformed(m), start)),
                    }
                    if target.eq_ignore_ascii_case(b"xml") {
                        return Err((
                            ParseErrorKind::Malformed(
                                "XML declaration not at the start of the document",
                            ),
                            start,
                        ));
                    }
                    if let Some(at) = find_forbidden_char(body) {
                        return Err((ParseErrorKind::Malformed(FORBIDDEN_CHAR), start + 2 + at));
                    }
                    self.pos = start + 2 + i + 2;
                    continue;
                }
                Some(_) => return self.start_tag(start),
                None => return Err((ParseErrorKind::UnexpectedEof, start)),
            }
        }
    }

    fn text_limit(&self, at: usize) -> TokError {
        (
            ParseErrorKind::LimitExceeded {
                limit: crate::Limit::TextLength,
                max: self.max_text,
            },
            at,
        )
    }

    fn text(&mut self, start: usize) -> Result<Token<'a>, TokError> {
        let bytes = self.src.as_bytes();
        let hay = &bytes[start..];
        // one vectorised search finds the end of the text, or first the `&` or `\r` that make it
        // need decoding (then at most two more searches)
        let (mut refs, mut cr) = (false, false);
        let mut i = 0;
        let end = loop {
            let rest = &hay[i..];
            let found = match (refs, cr) {
                (false, false) => memchr3(b'<', b'&', b'\r', rest),
                (true, false) => memchr2(b'<', b'\r', rest),
                (false, true) => memchr2(b'<', b'&', rest),
                (true, true) => memchr(b'<', rest),
            };
            let Some(k) = found else {
                break hay.len();
            };
            match rest[k] {
                b'<' => break i + k,
                b'&' => refs = true,
                _ => cr = true,
            }
            i += k + 1;
        };
        if end > self.max_text {
            return Err(self.text_limit(start));
        }
        self.pos = start + end;
        Ok(Token::Text {
            raw: &self.src[start..start + end],
            needs_decoding: refs || cr,
            refs,
            offset: start,
        })
    }

    fn end_tag(&mut self, start: usize) -> Result<Token<'a>, TokError> {
        let bytes = self.src.as_bytes();
        // the common case: the end tag closes the open element, whose name is already checked
        if let Some((expected, at)) = self.expected_end {
            let after = start + 2 + expected.len();
            if bytes.get(after) == Some(&b'>') && same_bytes(bytes, start + 2, at, expected.len()) {
                self.pos = after + 1;
                return Ok(Token::End {
                    name: expected,
                    offset: start,
                });
            }
        }
        let (end, _) =
            scan_name(bytes, start + 2).map_err(|m| (ParseErrorKind::Malformed(m), start))?;
        let mut p = end;
        while p < bytes.len() && is_ws(bytes[p]) {
            p += 1;
        }
        match bytes.get(p) {
            Some(b'>') => {}
            None => return Err((ParseErrorKind::UnexpectedEof, start)),
            Some(_) => return Err((ParseErrorKind::Malformed("invalid end tag"), start)),
        }
        self.pos = p + 1;
        Ok(Token::End {
            name: &self.src[start + 2..end],
            offset: start,
        })
    }

    fn start_tag(&mut self, start: usize) -> Result<Token<'a>, TokError> {
        let bytes = self.src.as_bytes();
        let len = bytes.len();
        let (mut p, prefix_len) =
            scan_name(bytes, start + 1).map_err(|m| (ParseErrorKind::Malformed(m), start))?;
        let name = &self.src[start + 1..p];
        self.attrs.clear();
        self.xmlns = false;
        self.prefixed = false;
        self.impure = false;
        self.representation = false;
        let mut seen = 0u64;
        loop {
            // whitespace before an attribute, `/>` or `>`
            let ws_start = p;
            while p < len && is_ws(bytes[p]) {
                p += 1;
            }
            match bytes.get(p) {
                None => return Err((ParseErrorKind::UnexpectedEof, start)),
                Some(b'>') => {
                    self.pos = p + 1;
                    return Ok(Token::Start {
                        name,
                        prefix_len,
                        empty: false,
                        offset: start,
                    });
                }
                Some(b'/') => {
                    if bytes.get(p + 1) == Some(&b'>') {
                        self.pos = p + 2;
                        return Ok(Token::Start {
                            name,
                            prefix_len,
                            empty: true,
                            offset: start,
                        });
                    }
                    return Err((ParseErrorKind::Malformed("expected '>' after '/'"), p));
                }
                Some(_) => {}
            }
            if p == ws_start {
                return Err((
                    ParseErrorKind::Malformed("expected whitespace before attribute"),
                    p,
                ));
            }
            let name_start = p;
            let attr_prefix_len;
            (p, attr_prefix_len) =
                scan_name(bytes, p).map_err(|m| (ParseErrorKind::Malformed(m), name_start))?;
            let attr_name = &self.src[name_start..p];
            while p < len && is_ws(bytes[p]) {
                p += 1;
            }
            if bytes.get(p) != Some(&b'=') {
                return Err(if p >= len {
                    (ParseErrorKind::UnexpectedEof, start)
                } else {
                    (
                        ParseErrorKind::Malformed("expected '=' after attribute name"),
                        p,
                    )
                });
            }
            p += 1;
            while p < len && is_ws(bytes[p]) {
                p += 1;
            }
            let quote = match bytes.get(p) {
                Some(&q @ (b'"' | b'\'')) => q,
                None => return Err((ParseErrorKind::UnexpectedEof, start)),
                Some(_) => {
                    return Err((
                        ParseErrorKind::Malformed("expected a quoted attribute value"),
                        p,
                    ));
                }
            };
            let value_start = p + 1;
            let (end, plain) = scan_value(bytes, value_start, quote).map_err(|at| match at {
                Some(at) if bytes[at] == b'<' => {
                    (ParseErrorKind::Malformed("'<' in attribute value"), at)
                }
                Some(at) => (ParseErrorKind::Malformed(FORBIDDEN_CHAR), at),
                None => (ParseErrorKind::UnexpectedEof, start),
            })?;
            if end - value_start > self.max_text {
                return Err(self.text_limit(value_start));
            }
            let value = &self.src[value_start..end];
            p = end + 1;
            if self.attrs.len() >= self.max_attrs {
                return Err((
                    ParseErrorKind::LimitExceeded {
                        limit: crate::Limit::Attributes,
                        max: self.max_attrs,
                    },
                    name_start,
                ));
            }
            // a 64-bit filter on (length, last byte) spares the pairwise comparison of names
            // in almost every tag
            let last = attr_name.as_bytes().last().copied().unwrap_or(0);
            let bit = 1u64 << ((attr_name.len() * 8 + usize::from(last)) & 63);
            let maybe_seen = seen & bit != 0;
            seen |= bit;
            if maybe_seen && self.attrs.iter().any(|a| a.name == attr_name) {
                return Err((
                    ParseErrorKind::DuplicateAttribute {
                        name: attr_name.to_owned(),
                    },
                    name_start,
                ));
            }
            self.xmlns |= attr_name.starts_with("xmlns");
            self.prefixed |= attr_prefix_len != 0;
            self.impure |= !plain;
            self.representation |= attr_name == "representation";
            self.attrs.push(RawAttr {
                name: attr_name,
                value,
                prefix_len: attr_prefix_len,
                plain,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every concatenation of up to `most` of `pieces`.
    fn concatenations(pieces: &[&str], most: usize) -> Vec<String> {
        let mut all = vec![String::new()];
        for _ in 0..most {
            let longer: Vec<String> = all
                .iter()
                .flat_map(|s| pieces.iter().map(move |p| format!("{s}{p}")))
                .collect();
            all.extend(longer);
            all.dedup();
        }
        all
    }

    fn tokens(src: &str) -> Result<Vec<String>, TokError> {
        let mut t = Tokenizer::new(src, 0, 64, 1 << 20);
        let mut out = Vec::new();
        loop {
            match t.next(false)? {
                Token::Start { name, empty, .. } => {
                    let attrs: Vec<String> = t
                        .attrs
                        .iter()
                        .map(|a| format!("{}={}", a.name, a.value))
                        .collect();
                    out.push(format!(
                        "<{name} {}{}",
                        attrs.join(" "),
                        if empty { "/" } else { "" }
                    ));
                }
                Token::End { name, .. } => out.push(format!("</{name}")),
                Token::Text {
                    raw,
                    needs_decoding,
                    refs,
                    ..
                } => out.push(format!("T{needs_decoding}{refs}:{raw}")),
                Token::CData { text, .. } => out.push(format!("C:{text}")),
                Token::Eof => return Ok(out),
            }
        }
    }

    #[test]
    fn splits_markup() {
        let got =
            tokens("<a x='1' y = \"2>\"><!-- c --><?pi x?><b/>t&amp;<![CDATA[<z>]]></a >").unwrap();
        assert_eq!(
            got,
            ["<a x=1 y=2>", "<b /", "Ttruetrue:t&amp;", "C:<z>", "</a"]
        );
    }

    #[test]
    fn scans_attribute_values() {
        for (value, plain) in [
            ("", true),
            ("short", true),
            ("exactly8", true),
            ("a value longer than eight bytes, with: punctuation!", true),
            ("é accents and ünïcödé beyond one word", true),
            ("a &amp; b", false),
            ("tab\there", false),
            ("a long value whose line ends\r\nneed normalising", false),
            ("0123456789abcdef&", false),
        ] {
            let doc = format!("<a x=\"{value}\" y='{value}'/>");
            let mut t = Tokenizer::new(&doc, 0, 8, 1 << 20);
            assert!(matches!(t.next(false), Ok(Token::Start { .. })), "{value}");
            for a in &t.attrs {
                assert_eq!((a.value, a.plain), (value, plain), "{value}");
            }
        }
        for bad in [
            "<a x='0123456789<'/>",
            "<a x=\"0123456789abcdef",
            "<a x='ab",
        ] {
            assert!(tokens(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn flags_text() {
        let got = tokens("<a>  \r\n  <b/>x &amp; y\r\n</a>").unwrap();
        assert_eq!(
            got,
            [
                "<a ",
                "Ttruefalse:  \r\n  ",
                "<b /",
                "Ttruetrue:x &amp; y\r\n",
                "</a"
            ]
        );
    }

    #[test]
    fn skips_layout_before_markup_only() {
        for (doc, after) in [
            ("\r\n    \t  \r\n      <a/>", 17),
            ("  <a/>", 2),
            ("<a/>", 0),
            ("   text <a/>", 0),
            ("\n\n\n\n\n\n\n\n\n\n x<a/>", 0),
            ("                ", 0),
            ("\u{e9}  <a/>", 0),
        ] {
            let mut t = Tokenizer::new(doc, 0, 8, 1 << 20);
            t.skip_layout();
            assert_eq!(t.pos(), after, "{doc:?}");
        }
    }

    #[test]
    fn finds_the_end_of_comments_pis_and_cdata() {
        for (doc, want) in [
            (
                "<a><!-- x > y - z -->t</a>",
                vec!["<a ", "Tfalsefalse:t", "</a"],
            ),
            ("<a><!---->t</a>", vec!["<a ", "Tfalsefalse:t", "</a"]),
            ("<a><!-->-->t</a>", vec!["<a ", "Tfalsefalse:t", "</a"]),
            ("<a><?pi a>b??>t</a>", vec!["<a ", "Tfalsefalse:t", "</a"]),
            (
                "<a><![CDATA[]] ]>x]]]]>t</a>",
                vec!["<a ", "C:]] ]>x]]", "Tfalsefalse:t", "</a"],
            ),
        ] {
            assert_eq!(tokens(doc).unwrap(), want, "{doc}");
        }
        for bad in [
            "<a><!--->",
            "<a><!-- x ->",
            "<a><!-- x -- y -->",
            "<a><!-- x --->",
            "<a><!-- \u{1} -->",
            "<a><?pi x>",
            "<a><?*pi x?>",
            "<a><?p:i x?>",
            "<a><?p=i x?>",
            "<a><?pi \u{1}?>",
            "<a><![CDATA[x]>",
        ] {
            assert!(tokens(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn checks_comments_like_the_grammar() {
        let pieces = ["a", "-", "\t", "\n", "\u{1}", "\u{ffff}", "\u{fff0}", ">"];
        let bodies = concatenations(&pieces, 4);
        // short comments, and comments across one or two 32-byte chunks
        for body in &bodies {
            for pad in [0, 3, 27, 30, 33, 61, 64] {
                let body = format!("{}{body}", "y".repeat(pad));
                let doc = format!("<a><!--{body}-->t</a>");
                let valid = !body.contains("--")
                    && !body.ends_with('-')
                    && !(0..body.len()).any(|i| forbidden_char(body.as_bytes(), i));
                // a `-->` inside the body ends the comment early: the rest is then text
                if !body.contains("-->") {
                    assert_eq!(tokens(&doc).is_ok(), valid, "{body:?}");
                }
            }
        }
    }

    #[test]
    fn skips_layout_after_comments_when_asked() {
        let doc = "<a>\n  <!-- c -->\n  <?p x?>\n  <b/>\n  x <!-- d --> y\n</a>";
        let mut t = Tokenizer::new(doc, 0, 8, 1 << 20);
        let mut kinds = Vec::new();
        loop {
            match t.next(true).unwrap() {
                Token::Start { name, .. } => kinds.push(format!("<{name}")),
                Token::End { name, .. } => kinds.push(format!("</{name}")),
                Token::Text { raw, .. } => kinds.push(format!("T:{raw}")),
                Token::CData { .. } => kinds.push("C".into()),
                Token::Eof => break,
            }
        }
        // layout before markup is dropped (after a comment or a PI too); text that is not
        // only layout is kept whole
        assert_eq!(kinds, ["<a", "<b", "T:\n  x ", "T: y\n", "</a"]);
    }

    #[test]
    fn compares_names_as_words() {
        let text = "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789";
        let bytes = text.as_bytes();
        for len in 0..=20 {
            for a in 0..bytes.len() {
                for b in 0..bytes.len() {
                    let want = match (bytes.get(a..a + len), bytes.get(b..b + len)) {
                        (Some(x), Some(y)) => x == y,
                        _ => false,
                    };
                    assert_eq!(same_bytes(bytes, a, b, len), want, "{a} {b} {len}");
                }
            }
        }
    }

    #[test]
    fn end_tags_must_match_exactly() {
        for bad in [
            "<ab></ac>",
            "<ab></a>",
            "<a></ab>",
            "<abcdefghijklmnopq></abcdefghijklmnopr>",
            "<abcdefghijklmnop></abcdefghijklmnoq>",
            "<abcdefgh></abcdefgi>",
        ] {
            let mut t = Tokenizer::new(bad, 0, 8, 1 << 20);
            let Ok(Token::Start { name, .. }) = t.next(false) else {
                panic!("{bad}")
            };
            t.expected_end = Some((name, 1));
            match t.next(false) {
                Ok(Token::End { name: end, .. }) => assert_ne!(end, name, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
        let doc = "<abcdefghijklmnopq></abcdefghijklmnopq>";
        let mut t = Tokenizer::new(doc, 0, 8, 1 << 20);
        let Ok(Token::Start { name, .. }) = t.next(false) else {
            panic!()
        };
        t.expected_end = Some((name, 1));
        assert!(matches!(t.next(false), Ok(Token::End { name: n, .. }) if n == name));
    }

    #[test]
    fn finds_forbidden_characters_like_a_byte_loop() {
        let pieces = [
            "a", "\t", "\n", "\r", "\u{1}", "\u{0}", "\u{1f}", "é", "\u{fffe}", "\u{ffff}",
            "\u{fffd}", "\u{f000}", "\u{ffef}", "abcdefg",
        ];
        // every string of up to four pieces
        let strings = concatenations(&pieces, 4);
        // at every shift of the word boundary, and across the boundary of the 32-byte chunks
        let shifts = (0..8).chain(26..34);
        for s in &strings {
            for shift in shifts.clone() {
                let text = format!("{}{s}", "x".repeat(shift));
                let bytes = text.as_bytes();
                let want = (0..bytes.len()).find(|&i| forbidden_char(bytes, i));
                assert_eq!(find_forbidden_char(bytes), want, "{text:?}");
            }
        }
        // character data: `]]>` too
        let pieces = ["a", "]", ">", "]]", "\u{1}", "\u{ffff}", "\n"];
        let strings = concatenations(&pieces, 5);
        for s in &strings {
            for shift in shifts.clone() {
                let text = format!("{}{s}", "x".repeat(shift));
                let bytes = text.as_bytes();
                let want = (0..bytes.len())
                    .find(|&i| forbidden_char(bytes, i) || bytes[i..].starts_with(b"]]>"));
                assert_eq!(find_invalid_char_data(bytes), want, "{text:?}");
            }
        }
    }

    #[test]
    fn scans_attribute_values_like_a_byte_loop() {
        /// The verdict of [`scan_value`], one byte at a time.
        fn by_bytes(bytes: &[u8], start: usize, quote: u8) -> Result<(usize, bool), Option<usize>> {
            let mut plain = true;
            for p in start..bytes.len() {
                match bytes[p] {
                    b if b == quote => return Ok((p, plain)),
                    b'<' => return Err(Some(p)),
                    _ if forbidden_char(bytes, p) => return Err(Some(p)),
                    b'&' | b'\t' | b'\n' | b'\r' => plain = false,
                    _ => {}
                }
            }
            Err(None)
        }
        let pieces = [
            "a", "\"", "'", "&", "<", "\t", "\r", "\u{1}", "\u{ffff}", "\u{f000}", "é", "abcdefg",
        ];
        for s in &concatenations(&pieces, 4) {
            // at every shift of the word boundary
            for shift in 0..8 {
                let text = format!("{}{s}", "x".repeat(shift));
                for quote in [b'"', b'\''] {
                    assert_eq!(
                        scan_value(text.as_bytes(), 0, quote),
                        by_bytes(text.as_bytes(), 0, quote),
                        "{text:?} {}",
                        char::from(quote)
                    );
                }
            }
        }
    }

    #[test]
    fn rejects_bad_markup() {
        for bad in [
            "<a x=1>",
            "<a x='1'y='2'>",
            "<a x='<'>",
            "<a x='1' x='2'>",
            "<!DOCTYPE a>",
            "<a",
            "<!-- x",
            "<1a>",
            "<a:b:c>",
            "<a:-b>",
            "<a:1b>",
            "<a x:.y='1'>",
            "</a b>",
            "<?xml version='1.0'?>",
            "<a/ >",
            "<a\u{7f}>",
            "<a\u{d7}b>",
            "<a\u{f7}>",
            "<a\u{a0}>",
            "<\u{b7}a>",
            "<\u{300}a>",
            "<p:\u{203f}a>",
            "<a \u{bf}='1'>",
            "<a\u{fffe}>",
        ] {
            assert!(tokens(bad).is_err(), "{bad}");
        }
        // non-ASCII name characters (XML 1.0, fifth edition)
        for good in [
            "<\u{e9}t\u{e9}/>",
            "<a\u{b7}b/>",
            "<a\u{300}/>",
            "<p:\u{c0}\u{203f}/>",
            "<\u{4e2d}\u{6587}/>",
            "<a\u{10000}/>",
            "<a \u{e9}='1'/>",
        ] {
            assert!(tokens(good).is_ok(), "{good}");
        }
    }
}
