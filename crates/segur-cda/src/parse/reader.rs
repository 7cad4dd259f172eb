//! The reader: nesting, namespaces, limits and reference decoding on top of the tokenizer, with
//! the cursor operations the typed parser uses (`next_child`, `skip`, `text`, `capture`).

use std::borrow::Cow;
use std::collections::HashMap;

use super::tokenizer::{
    FORBIDDEN_CHAR, RawAttr, Token, Tokenizer, find_forbidden_char, find_invalid_char_data,
};
use crate::error::{Limit, ParseError, ParseErrorKind};
use crate::model::{Attribute, Element, HL7_NS, Node, QName, XML_NS, XSI_NS};
use crate::parse::Limits;

const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

/// A namespace binding in scope.
#[derive(Clone, Copy)]
struct Binding<'a> {
    prefix: &'a str,
    /// Empty for an un-declaration of the default namespace (`xmlns=""`).
    uri: &'a str,
    /// The index in [`Reader::ns`] of the binding of the same prefix this one hides, if any
    /// (restored when this one goes out of scope).
    hides: Option<usize>,
}

/// An open element.
#[derive(Clone, Copy)]
struct Open<'a> {
    qname: &'a str,
    /// The offset of the name in the input.
    name_at: usize,
    /// `ns.len()` before this element's declarations.
    ns_mark: usize,
    /// The default namespace in scope before this element's declarations.
    prev_default: Option<&'a str>,
    /// Whether the element is marked `representation="B64"`: its text is base64 (see
    /// [`Reader::text_content`]).
    base64: bool,
}

/// A start tag the cursor stopped on (its attributes are the reader's current ones).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Start<'a> {
    /// The local name.
    pub(crate) local: &'a str,
    /// The resolved namespace URI.
    pub(crate) ns: Option<&'a str>,
    /// Byte offset of the `<`.
    pub(crate) offset: usize,
}

impl Start<'_> {
    /// In the HL7 v3 namespace?
    #[inline]
    pub(crate) fn is_hl7(&self) -> bool {
        self.ns == Some(HL7_NS)
    }
}

/// What follows inside the current element.
pub(crate) enum Item<'a> {
    /// A child element, now open.
    Child(Start<'a>),
    /// Character data.
    Text(TextItem<'a>),
    /// The current element's end tag (the element is now closed); the offset of its `<`.
    End(usize),
}

/// Character data as read: raw, with whether it needs decoding (references or carriage returns)
/// and whether it holds references (CDATA never needs decoding); [`Reader::text_content`] gives
/// its content.
#[derive(Clone, Copy)]
pub(crate) struct TextItem<'a> {
    pub(crate) raw: &'a str,
    needs_decoding: bool,
    refs: bool,
    /// Whether the element holding the text is marked `representation="B64"`.
    base64: bool,
    pub(crate) offset: usize,
}

impl<'a> TextItem<'a> {
    /// Text already decoded (read from a flat index), at `offset`.
    pub(crate) fn decoded(text: &'a str, offset: usize) -> Self {
        Self {
            raw: text,
            needs_decoding: false,
            refs: false,
            base64: false,
            offset,
        }
    }
}

pub(crate) struct Reader<'a> {
    src: &'a str,
    tok: Tokenizer<'a>,
    ns: Vec<Binding<'a>>,
    /// The innermost binding in scope of each declared prefix (an index into `ns`): a prefix
    /// resolves in constant time however many bindings are in scope (a document can declare
    /// thousands, and a search through them for every prefixed name made parsing quadratic).
    prefixes: HashMap<&'a str, usize>,
    /// The default namespace in scope (the last `xmlns` binding of `ns`), kept at hand because
    /// every unprefixed element resolves it.
    default_ns: Option<&'a str>,
    open: Vec<Open<'a>>,
    /// Set when the last start tag was `<x/>`: the next read reports its end.
    pending_empty_end: bool,
    limits: Limits,
    elements: usize,
    /// The attributes of the current start tag (copied out of the tokenizer).
    attrs: Vec<RawAttr<'a>>,
    /// The open elements of [`Self::capture`], each with the index of its first child in
    /// `capture_nodes`; both kept between calls (no allocation per call).
    capture_stack: Vec<(Element<'a>, usize)>,
    /// The children of the elements of `capture_stack`, in document order.
    capture_nodes: Vec<Node<'a>>,
    /// The expanded names (namespace, local name) of the prefixed attributes of the current
    /// start tag, while they are checked; kept between calls.
    expanded: Vec<(&'a str, &'a str)>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(src: &'a str, pos: usize, limits: Limits) -> Self {
        Self {
            src,
            tok: Tokenizer::new(src, pos, limits.max_attributes, limits.max_text_len),
            ns: Vec::with_capacity(16),
            prefixes: HashMap::new(),
            default_ns: None,
            open: Vec::with_capacity(64),
            pending_empty_end: false,
            limits,
            elements: 0,
            attrs: Vec::with_capacity(16),
            capture_stack: Vec::new(),
            capture_nodes: Vec::new(),
            expanded: Vec::new(),
        }
    }

    /// The text being read.
    pub(crate) fn source(&self) -> &'a str {
        self.src
    }

    /// The current position (after the last token).
    pub(crate) fn pos(&self) -> usize {
        self.tok.pos()
    }

    /// Builds an error at `offset`, computing line, column and element path.
    #[cold]
    pub(crate) fn error(&self, kind: ParseErrorKind, offset: usize) -> Box<ParseError> {
        Box::new(super::locate(self.src, kind, offset))
    }

    /// The depth of open elements.
    pub(crate) fn depth(&self) -> usize {
        self.open.len()
    }

    /// [`Self::next_item`] for a caller that drops layout: layout before markup yields no
    /// item (other text is not checked: the caller keeps it, through [`Self::text_content`]).
    /// Inlined into the flat parse's loop, its one hot caller.
    #[inline(always)]
    pub(crate) fn next_item_without_layout(&mut self) -> Result<Item<'a>, Box<ParseError>> {
        self.read_item(true)
    }

    /// [`Self::next_item_without_layout`], not forced inline (the typed parser's many callers).
    pub(crate) fn next_content(&mut self) -> Result<Item<'a>, Box<ParseError>> {
        self.read_item(true)
    }

    /// Calls `f` with each attribute of the current start tag (at `offset`), namespace
    /// declarations left out: its namespace (resolved; `None` when unprefixed), its local name
    /// and its normalised value.
    #[inline]
    pub(crate) fn for_each_attribute(
        &self,
        offset: usize,
        mut f: impl FnMut(Option<&'a str>, &'a str, Cow<'a, str>) -> Result<(), Box<ParseError>>,
    ) -> Result<(), Box<ParseError>> {
        for a in &self.attrs {
            let (prefix, local) = split_at_prefix(a.name, a.prefix_len);
            // a first-byte test spares most names the comparisons
            if a.name.as_bytes().first() == Some(&b'x') && (a.name == "xmlns" || prefix == "xmlns")
            {
                continue;
            }
            let ns = if a.prefix_len == 0 {
                None
            } else {
                self.resolve(prefix, false)
                    .map_err(|k| self.error(k, offset))?
            };
            f(ns, local, attr_value(a).map_err(|k| self.error(k, offset))?)?;
        }
        Ok(())
    }

    /// The next item inside the current element (or in the prolog/epilog when none is open).
    pub(crate) fn next_item(&mut self) -> Result<Item<'a>, Box<ParseError>> {
        self.read_item(false)
    }

    /// [`Self::next_item`]; with `skip_layout`, for callers that drop layout, layout before
    /// markup yields no item.
    #[inline(always)]
    fn read_item(&mut self, skip_layout: bool) -> Result<Item<'a>, Box<ParseError>> {
        if self.pending_empty_end {
            self.pending_empty_end = false;
            let open = self.open.pop().expect("an empty element is open");
            self.close_scope(&open);
            return Ok(Item::End(self.tok.pos()));
        }
        self.tok.expected_end = self.open.last().map(|o| (o.qname, o.name_at));
        let token = self
            .tok
            .next(skip_layout)
            .map_err(|(k, o)| self.error(k, o))?;
        match token {
            Token::Start {
                name,
                prefix_len,
                empty,
                offset,
            } => self.start(name, prefix_len, empty, offset).map(Item::Child),
            Token::End { name, offset } => {
                let Some(open) = self.open.pop() else {
                    return Err(self.error(
                        ParseErrorKind::Malformed("end tag without start tag"),
                        offset,
                    ));
                };
                // the tokenizer's fast path hands back the open element's own name
                if !std::ptr::eq(open.qname, name) && open.qname != name {
                    let kind = ParseErrorKind::MismatchedEndTag {
                        expected: open.qname.to_owned(),
                        found: name.to_owned(),
                    };
                    self.open.push(open);
                    return Err(self.error(kind, offset));
                }
                self.close_scope(&open);
                Ok(Item::End(offset))
            }
            Token::Text {
                raw,
                needs_decoding,
                refs,
                offset,
            } => Ok(Item::Text(TextItem {
                raw,
                needs_decoding,
                refs,
                base64: self.open.last().is_some_and(|o| o.base64),
                offset,
            })),
            Token::CData { text, offset } => {
                if self.open.is_empty() {
                    return Err(self.error(
                        ParseErrorKind::Malformed("CDATA outside the root element"),
                        offset,
                    ));
                }
                Ok(Item::Text(TextItem {
                    raw: text,
                    needs_decoding: false,
                    refs: false,
                    base64: self.open.last().is_some_and(|o| o.base64),
                    offset,
                }))
            }
            Token::Eof => Err(self.error(ParseErrorKind::UnexpectedEof, self.tok.pos())),
        }
    }

    /// Opens an element: limits, namespace declarations, name resolution.
    #[inline(always)]
    fn start(
        &mut self,
        qname: &'a str,
        prefix_len: usize,
        empty: bool,
        offset: usize,
    ) -> Result<Start<'a>, Box<ParseError>> {
        if self.open.len() >= self.limits.effective_depth() {
            return Err(self.error(
                ParseErrorKind::LimitExceeded {
                    limit: Limit::Depth,
                    max: self.limits.effective_depth(),
                },
                offset,
            ));
        }
        self.elements += 1;
        if self.elements > self.limits.max_elements {
            return Err(self.error(
                ParseErrorKind::LimitExceeded {
                    limit: Limit::Elements,
                    max: self.limits.max_elements,
                },
                offset,
            ));
        }
        let ns_mark = self.ns.len();
        let prev_default = self.default_ns;
        std::mem::swap(&mut self.attrs, &mut self.tok.attrs);
        if self.tok.xmlns {
            self.declare_namespaces(offset)?;
        }
        if self.tok.prefixed {
            self.check_prefixed_attributes(offset)?;
        }
        if self.tok.impure {
            self.check_attribute_references(offset)?;
        }
        let base64 = self.tok.representation && self.marked_base64();
        self.open.push(Open {
            qname,
            name_at: offset + 1,
            ns_mark,
            prev_default,
            base64,
        });
        if empty {
            self.pending_empty_end = true;
        }
        if prefix_len == 0 {
            return Ok(Start {
                local: qname,
                ns: self.default_ns,
                offset,
            });
        }
        let (prefix, local) = split_at_prefix(qname, prefix_len);
        let ns = self
            .resolve(prefix, true)
            .map_err(|k| self.error(k, offset))?;
        Ok(Start { local, ns, offset })
    }

    /// Ends the namespace scope of the element `open`, which has just been closed.
    #[inline(always)]
    fn close_scope(&mut self, open: &Open<'a>) {
        self.default_ns = open.prev_default;
        if self.ns.len() > open.ns_mark {
            self.unbind(open.ns_mark);
        }
    }

    /// Whether the current start tag has an unprefixed `representation` attribute whose value
    /// is `B64` (references decoded).
    #[cold]
    fn marked_base64(&self) -> bool {
        self.attrs
            .iter()
            .find(|a| a.name == "representation")
            .and_then(|a| attr_value(a).ok())
            .is_some_and(|v| v == "B64")
    }

    /// Removes the bindings from `mark` on, innermost first, uncovering those they hid.
    #[inline(never)]
    fn unbind(&mut self, mark: usize) {
        while self.ns.len() > mark {
            let Some(b) = self.ns.pop() else { break };
            if b.prefix.is_empty() {
                continue;
            }
            match b.hides {
                Some(i) => self.prefixes.insert(b.prefix, i),
                None => self.prefixes.remove(b.prefix),
            };
        }
    }

    /// Binds the namespaces the current start tag declares.
    #[inline(never)]
    fn declare_namespaces(&mut self, offset: usize) -> Result<(), Box<ParseError>> {
        for a in &self.attrs {
            if a.name.as_bytes()[0] != b'x' || !a.name.starts_with("xmlns") {
                continue;
            }
            let prefix = match a.name.as_bytes().get(5) {
                None => "",
                Some(b':') => &a.name[6..],
                Some(_) => continue,
            };
            // a plain value holds no reference and no tab or line break (which attribute-value
            // normalisation would turn into spaces): namespace names stay borrowed
            if !a.plain {
                return Err(self.error(
                    ParseErrorKind::Malformed(
                        "references, tabs and line breaks in namespace names are not supported",
                    ),
                    offset,
                ));
            }
            if (prefix == "xml") != (a.value == XML_NS) || prefix == "xmlns" || a.value == XMLNS_NS
            {
                return Err(self.error(
                    ParseErrorKind::Malformed("reserved namespace misused"),
                    offset,
                ));
            }
            if !prefix.is_empty() && a.value.is_empty() {
                return Err(self.error(
                    ParseErrorKind::Malformed("empty namespace name for a prefix"),
                    offset,
                ));
            }
            if prefix.is_empty() {
                self.default_ns = (!a.value.is_empty()).then_some(a.value);
            }
            let hides = match prefix {
                "" => None,
                _ => self.prefixes.insert(prefix, self.ns.len()),
            };
            self.ns.push(Binding {
                prefix,
                uri: a.value,
                hides,
            });
        }
        Ok(())
    }

    /// Checks the prefixed attributes of the current start tag, which the typed parser may
    /// never look at: each prefix is bound, and no two attributes share a namespace and a
    /// local name (Namespaces in XML, section 6.3). The prefix of an `xsi:type` value must be
    /// bound too.
    #[inline(never)]
    fn check_prefixed_attributes(&mut self, offset: usize) -> Result<(), Box<ParseError>> {
        let mut expanded = std::mem::take(&mut self.expanded);
        expanded.clear();
        for a in &self.attrs {
            if a.prefix_len == 0 || a.name.starts_with("xmlns:") {
                continue;
            }
            let (prefix, local) = split_at_prefix(a.name, a.prefix_len);
            let ns = self
                .resolve(prefix, false)
                .map_err(|k| self.error(k, offset))?
                .unwrap_or_default();
            if ns == XSI_NS && local == "type" {
                // its value's prefix too: a type is read wherever it is written
                let value = attr_value(a).map_err(|k| self.error(k, offset))?;
                let (value_prefix, _) = xsi_type_parts(&value);
                self.resolve(value_prefix, true)
                    .map_err(|k| self.error(k, offset))?;
            }
            expanded.push((ns, local));
        }
        expanded.sort_unstable();
        let duplicate = expanded.windows(2).find(|w| w[0] == w[1]).map(|w| w[0]);
        self.expanded = expanded;
        match duplicate {
            None => Ok(()),
            Some((_, local)) => Err(self.error(
                ParseErrorKind::DuplicateAttribute {
                    name: local.to_owned(),
                },
                offset,
            )),
        }
    }

    /// Checks the references in the attribute values of the current start tag, which the
    /// typed parser may never decode.
    #[inline(never)]
    fn check_attribute_references(&self, offset: usize) -> Result<(), Box<ParseError>> {
        for a in self.attrs.iter().filter(|a| !a.plain) {
            check_refs(a.value).map_err(|k| self.error(k, offset))?;
        }
        Ok(())
    }

    /// Resolves a prefix (`""` = default namespace, which applies to elements only).
    pub(crate) fn resolve(
        &self,
        prefix: &str,
        element: bool,
    ) -> Result<Option<&'a str>, ParseErrorKind> {
        if prefix.is_empty() && !element {
            return Ok(None);
        }
        if prefix.is_empty() {
            return Ok(self.default_ns);
        }
        if prefix == "xml" {
            return Ok(Some(XML_NS));
        }
        // the innermost bindings first (documents declare a dozen at most), then the table
        let inner = self
            .ns
            .get(self.ns.len().saturating_sub(16)..)
            .unwrap_or_default();
        let recent = inner.iter().rev().find(|b| b.prefix == prefix);
        let found = recent.or_else(|| self.prefixes.get(prefix).and_then(|&i| self.ns.get(i)));
        match found {
            Some(b) => Ok(Some(b.uri)),
            None => Err(ParseErrorKind::UnboundPrefix {
                prefix: prefix.to_owned(),
            }),
        }
    }

    /// The next child element of the current element, skipping text; `None` at its end tag.
    pub(crate) fn next_child(&mut self) -> Result<Option<Start<'a>>, Box<ParseError>> {
        loop {
            match self.next_skipping_text()? {
                Item::Child(s) => return Ok(Some(s)),
                Item::End(_) => return Ok(None),
                Item::Text(_) => {}
            }
        }
    }

    /// Skips the rest of the current element; returns the offset of its end tag's `<`.
    pub(crate) fn skip(&mut self) -> Result<usize, Box<ParseError>> {
        let target = self.open.len() - 1;
        loop {
            if let Item::End(offset) = self.next_skipping_text()?
                && self.open.len() == target
            {
                return Ok(offset);
            }
        }
    }

    /// [`Self::skip`] for content the caller keeps as a raw span (a narrative block): the
    /// span is also searched for characters XML forbids in one pass, since it carries its
    /// layout (which [`Self::skip`] steps over unsearched) to the caller. Returns the span.
    pub(crate) fn skip_raw(&mut self) -> Result<&'a str, Box<ParseError>> {
        let from = self.pos();
        let to = self.skip()?.max(from);
        let raw = &self.src[from..to];
        match find_forbidden_char(raw.as_bytes()) {
            None => Ok(raw),
            Some(i) => Err(self.error(ParseErrorKind::Malformed(FORBIDDEN_CHAR), from + i)),
        }
    }

    /// The next item for a caller that ignores text: layout before markup is stepped over
    /// without a token, and other text is checked (the text item is still returned, for the
    /// caller to drop).
    #[inline(always)]
    fn next_skipping_text(&mut self) -> Result<Item<'a>, Box<ParseError>> {
        let item = self.read_item(true)?;
        if let Item::Text(t) = item {
            self.check_dropped_text(t)?;
        }
        Ok(item)
    }

    /// Checks text that is dropped as [`Self::text_content`] checks text it keeps: characters
    /// (but in base64) and references.
    pub(crate) fn check_dropped_text(&self, t: TextItem<'a>) -> Result<(), Box<ParseError>> {
        if !t.base64 {
            self.check_chars(t.raw, t.offset)?;
        }
        if t.refs {
            check_refs(t.raw).map_err(|k| self.error(k, t.offset))?;
        }
        Ok(())
    }

    /// The content of a text item: decoded, except that the text of an element marked
    /// `representation="B64"` (an N1 payload, an `observationMedia` value, wherever the model
    /// reads it) stays a borrowed span as written when it holds no reference, CRLF line ends
    /// included (base64 ignores them: no copy), and is not searched for characters XML
    /// forbids: the base64 decoder refuses any byte outside its alphabet.
    pub(crate) fn text_content(&self, t: TextItem<'a>) -> Result<Cow<'a, str>, Box<ParseError>> {
        if !t.base64 {
            self.check_chars(t.raw, t.offset)?;
        }
        if t.needs_decoding && (t.refs || !t.base64) {
            decode(t.raw, false).map_err(|k| self.error(k, t.offset))
        } else {
            Ok(Cow::Borrowed(t.raw))
        }
    }

    /// Refuses text (at `offset`) holding a character XML forbids (see
    /// [`super::tokenizer::forbidden_char`]) or a `]]>`. Text the model holds and dropped text
    /// are checked here; base64 payloads are checked by the decoder, which refuses any byte
    /// outside its alphabet.
    fn check_chars(&self, raw: &str, offset: usize) -> Result<(), Box<ParseError>> {
        match find_invalid_char_data(raw.as_bytes()) {
            None => Ok(()),
            Some(i) if raw.as_bytes()[i] == b']' => Err(self.error(
                ParseErrorKind::Malformed("']]>' outside a CDATA section"),
                offset + i,
            )),
            Some(i) => Err(self.error(ParseErrorKind::Malformed(FORBIDDEN_CHAR), offset + i)),
        }
    }

    /// The decoded value of the unprefixed attribute `name` of the current start tag.
    #[inline(always)]
    pub(crate) fn attr(
        &self,
        name: &str,
        offset: usize,
    ) -> Result<Option<Cow<'a, str>>, Box<ParseError>> {
        match self.attrs.iter().find(|a| a.name == name) {
            None => Ok(None),
            Some(a) => attr_value(a).map(Some).map_err(|k| self.error(k, offset)),
        }
    }

    /// Fills `target` from the unprefixed attributes of the current start tag in one pass:
    /// `slot` maps an attribute name to the field it fills (or to none). Each value is decoded
    /// only when it has a field. The fields are expected empty: absent attributes leave them
    /// as they are.
    #[inline(always)]
    pub(crate) fn fill_attrs<T>(
        &self,
        offset: usize,
        target: &mut T,
        slot: for<'t> fn(&'t mut T, &str) -> Option<&'t mut Option<Cow<'a, str>>>,
    ) -> Result<(), Box<ParseError>> {
        for a in &self.attrs {
            if let Some(field) = slot(target, a.name) {
                *field = Some(attr_value(a).map_err(|k| self.error(k, offset))?);
            }
        }
        Ok(())
    }

    /// The resolved `xsi:type` of the current start tag.
    pub(crate) fn xsi_type(&self, offset: usize) -> Result<Option<QName<'a>>, Box<ParseError>> {
        for a in &self.attrs {
            if a.prefix_len == 0 {
                continue;
            }
            let (prefix, local) = split_at_prefix(a.name, a.prefix_len);
            // `xmlns:type` declares a prefix: it is no attribute
            if local != "type" || prefix == "xmlns" {
                continue;
            }
            if self
                .resolve(prefix, false)
                .map_err(|k| self.error(k, offset))?
                != Some(XSI_NS)
            {
                continue;
            }
            let value = attr_value(a).map_err(|k| self.error(k, offset))?;
            let ns = self
                .resolve(xsi_type_parts(&value).0, true)
                .map_err(|k| self.error(k, offset))?;
            // borrowed from the input when the value is
            let local = match value {
                Cow::Borrowed(v) => Cow::Borrowed(xsi_type_parts(v).1),
                Cow::Owned(v) => Cow::Owned(xsi_type_parts(&v).1.to_owned()),
            };
            return Ok(Some(QName {
                namespace: ns.map(Cow::Borrowed),
                local,
            }));
        }
        Ok(None)
    }

    /// Whether the current start tag is an empty-element tag (`<name .../>`), before anything
    /// else is read.
    #[inline]
    pub(crate) fn at_empty_element(&self) -> bool {
        self.pending_empty_end
    }

    /// Whether every attribute of the current start tag is a namespace declaration, an
    /// `xsi:type` or an unprefixed name in `allowed`: whether a typed form that keeps only
    /// those loses nothing.
    pub(crate) fn only_attributes(&self, allowed: &[&str]) -> bool {
        self.attrs.iter().all(|a| {
            if a.prefix_len == 0 {
                return a.name == "xmlns" || allowed.contains(&a.name);
            }
            let (prefix, local) = split_at_prefix(a.name, a.prefix_len);
            prefix == "xmlns"
                || (local == "type" && self.resolve(prefix, false) == Ok(Some(XSI_NS)))
        })
    }

    /// The current element as a generic [`Element`] (attributes resolved, namespace declarations
    /// dropped, blank text dropped); consumes it. The children of the open elements gather in
    /// one list and move to their element at its end tag: each list of children is allocated
    /// once, at its exact size.
    pub(crate) fn capture(&mut self, start: Start<'a>) -> Result<Element<'a>, Box<ParseError>> {
        let target = self.open.len() - 1;
        let mut stack = std::mem::take(&mut self.capture_stack);
        let mut nodes = std::mem::take(&mut self.capture_nodes);
        stack.clear();
        nodes.clear();
        stack.push((self.generic_start(start)?, 0));
        loop {
            // layout is dropped anyway (see `drop_blank_text` below)
            match self.read_item(true)? {
                Item::Child(s) => {
                    drop_blank_text(&mut nodes, stack.last().map_or(0, |(_, first)| *first));
                    let e = self.generic_start(s)?;
                    stack.push((e, nodes.len()));
                }
                Item::Text(t) => {
                    let Some((_, first)) = stack.last() else {
                        continue;
                    };
                    let t = self.text_content(t)?;
                    // text split by a comment, a PI or a CDATA section is one text node (as it
                    // is once written back)
                    let own = nodes.len() > *first;
                    match nodes.last_mut() {
                        Some(Node::Text(prev)) if own => prev.to_mut().push_str(&t),
                        _ => nodes.push(Node::Text(t)),
                    }
                }
                Item::End(_) => {
                    let (mut done, first) = stack.pop().expect("capture stack is not empty");
                    drop_blank_text(&mut nodes, first);
                    done.children = nodes.drain(first..).collect();
                    if self.open.len() == target {
                        self.capture_stack = stack;
                        self.capture_nodes = nodes;
                        return Ok(done);
                    }
                    nodes.push(Node::Element(done));
                }
            }
        }
    }

    fn generic_start(&self, start: Start<'a>) -> Result<Element<'a>, Box<ParseError>> {
        let xsi_type = self.xsi_type(start.offset)?;
        let mut e = Element {
            name: QName {
                namespace: start.ns.map(Cow::Borrowed),
                local: Cow::Borrowed(start.local),
            },
            // `xsi:type` is not repeated in the attributes
            attributes: Vec::with_capacity(self.attrs.len() - usize::from(xsi_type.is_some())),
            xsi_type,
            children: Vec::new(),
        };
        self.for_each_attribute(start.offset, |ns, local, value| {
            // `xsi:type` is not repeated in the attributes
            if ns != Some(XSI_NS) || local != "type" {
                e.attributes.push(Attribute {
                    name: QName {
                        namespace: ns.map(Cow::Borrowed),
                        local: Cow::Borrowed(local),
                    },
                    value,
                });
            }
            Ok(())
        })?;
        Ok(e)
    }
}

/// Drops the last of `nodes` (the children gathered from `first` on) when it is text made of
/// XML whitespace only: once written back, it would be layout (the pieces of a text node are
/// joined first, so that a blank CDATA section between two pieces stays in it).
#[inline]
fn drop_blank_text(nodes: &mut Vec<Node<'_>>, first: usize) {
    if nodes.len() > first && matches!(nodes.last(), Some(Node::Text(t)) if is_blank(t)) {
        nodes.pop();
    }
}

/// Only XML whitespace?
#[inline]
pub(crate) fn is_blank(s: &str) -> bool {
    s.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

/// The normalised value of an attribute: borrowed when plain.
#[inline]
fn attr_value<'a>(a: &RawAttr<'a>) -> Result<Cow<'a, str>, ParseErrorKind> {
    if a.plain {
        Ok(Cow::Borrowed(a.value))
    } else {
        decode(a.value, true)
    }
}

/// Splits a name whose prefix is `prefix_len` bytes long (as the tokenizer measured it) into
/// (prefix, local name); (`""`, name) without prefix.
#[inline]
fn split_at_prefix(name: &str, prefix_len: usize) -> (&str, &str) {
    if prefix_len == 0 {
        return ("", name);
    }
    (
        name.get(..prefix_len).unwrap_or(""),
        name.get(prefix_len + 1..).unwrap_or(name),
    )
}

/// The prefix and local name of an `xsi:type` value.
pub(crate) fn xsi_type_parts(value: &str) -> (&str, &str) {
    split_qname(value.trim())
}

/// Splits `p:l` into (`p`, `l`); (`""`, name) without prefix.
#[inline]
pub(crate) fn split_qname(name: &str) -> (&str, &str) {
    // names are short: a plain loop beats a memchr call here
    match name.bytes().position(|b| b == b':') {
        Some(i) => (&name[..i], &name[i + 1..]),
        None => ("", name),
    }
}

/// Bytes that make text need decoding: `&` and `\r`.
const SPECIAL_IN_TEXT: [bool; 256] = {
    let mut t = [false; 256];
    t[b'&' as usize] = true;
    t[b'\r' as usize] = true;
    t
};

/// Bytes that make an attribute value need decoding: also tab and newline (normalised).
const SPECIAL_IN_ATTR: [bool; 256] = {
    let mut t = SPECIAL_IN_TEXT;
    t[b'\n' as usize] = true;
    t[b'\t' as usize] = true;
    t
};

/// Decodes references (`&lt;`, `&#233;`, ...), normalises line ends (`\r\n` → `\n`) and, for
/// attribute values, whitespace (tab, newline → space). Borrowed when nothing changes.
fn decode(raw: &str, attribute: bool) -> Result<Cow<'_, str>, ParseErrorKind> {
    let bytes = raw.as_bytes();
    let table = if attribute {
        &SPECIAL_IN_ATTR
    } else {
        &SPECIAL_IN_TEXT
    };
    // text can be a whole base64 payload: search it vectorised; attribute values are short
    let find_special = |from: usize| {
        let rest = &bytes[from..];
        let found = if attribute {
            rest.iter().position(|&b| table[usize::from(b)])
        } else {
            memchr::memchr2(b'&', b'\r', rest)
        };
        found.map(|k| from + k)
    };
    let Some(first) = find_special(0) else {
        return Ok(Cow::Borrowed(raw));
    };
    let mut out = String::with_capacity(raw.len());
    out.push_str(&raw[..first]);
    let mut i = first;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'&' => {
                let Some(semi) = memchr::memchr(b';', &bytes[i + 1..]) else {
                    return Err(ParseErrorKind::Malformed("unterminated reference"));
                };
                let name = &raw[i + 1..i + 1 + semi];
                match name {
                    "lt" => out.push('<'),
                    "gt" => out.push('>'),
                    "amp" => out.push('&'),
                    "apos" => out.push('\''),
                    "quot" => out.push('"'),
                    _ if name.starts_with('#') => out.push(char_ref(&name[1..])?),
                    _ => {
                        let shown: String = name.chars().take(32).collect();
                        return Err(ParseErrorKind::UnknownEntity { name: shown });
                    }
                }
                i += semi + 2;
            }
            b'\r' => {
                out.push(if attribute { ' ' } else { '\n' });
                i += 1;
                if bytes.get(i) == Some(&b'\n') {
                    i += 1;
                }
            }
            b'\n' | b'\t' if attribute => {
                out.push(' ');
                i += 1;
            }
            _ => {
                let next = find_special(i).unwrap_or(bytes.len());
                out.push_str(&raw[i..next]);
                i = next;
            }
        }
    }
    Ok(Cow::Owned(out))
}

/// Checks the references of skipped text or attribute values (as [`decode`] would) without
/// building anything.
fn check_refs(raw: &str) -> Result<(), ParseErrorKind> {
    let bytes = raw.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'&', &bytes[from..]) {
        let at = from + i;
        let Some(semi) = memchr::memchr(b';', &bytes[at + 1..]) else {
            return Err(ParseErrorKind::Malformed("unterminated reference"));
        };
        let name = &raw[at + 1..at + 1 + semi];
        match name {
            "lt" | "gt" | "amp" | "apos" | "quot" => {}
            _ if name.starts_with('#') => {
                char_ref(&name[1..])?;
            }
            _ => {
                let shown: String = name.chars().take(32).collect();
                return Err(ParseErrorKind::UnknownEntity { name: shown });
            }
        }
        from = at + semi + 2;
    }
    Ok(())
}

fn char_ref(body: &str) -> Result<char, ParseErrorKind> {
    let bad = || ParseErrorKind::InvalidCharRef {
        value: body.chars().take(16).collect(),
    };
    let n = if let Some(hex) = body.strip_prefix('x') {
        if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        u32::from_str_radix(hex, 16).map_err(|_| bad())?
    } else {
        if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        body.parse::<u32>().map_err(|_| bad())?
    };
    let allowed =
        matches!(n, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF);
    if !allowed {
        return Err(bad());
    }
    char::from_u32(n).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_references() {
        assert!(matches!(
            decode("plain", false).unwrap(),
            Cow::Borrowed("plain")
        ));
        assert_eq!(
            decode("a&lt;b&amp;c&#233;&#x4E2D;&quot;&apos;&gt;", false).unwrap(),
            "a<b&cé中\"'>"
        );
        assert_eq!(decode("l1\r\nl2\rl3", false).unwrap(), "l1\nl2\nl3");
        assert_eq!(decode("a\tb\nc\r\nd", true).unwrap(), "a b c d");
        assert!(matches!(
            decode("&foo;", false),
            Err(ParseErrorKind::UnknownEntity { .. })
        ));
        assert!(matches!(
            decode("&#0;", false),
            Err(ParseErrorKind::InvalidCharRef { .. })
        ));
        assert!(matches!(
            decode("&#xD800;", false),
            Err(ParseErrorKind::InvalidCharRef { .. })
        ));
        assert!(decode("&amp", false).is_err());
        assert!(decode("&#;", false).is_err());
        for ok in ["a &amp; b &#233;", "plain", "l1\r\nl2"] {
            assert!(check_refs(ok).is_ok());
        }
        for bad in ["&foo;", "&#0;", "&amp", "&#x;"] {
            assert!(check_refs(bad).is_err(), "{bad}");
            assert!(decode(bad, false).is_err(), "{bad}");
        }
    }
}
