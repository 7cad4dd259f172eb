//! A small, namespace-aware XML tree built from quick-xml events.
//!
//! It keeps exactly what canonicalisation and signature processing need: element names
//! (prefix, local name, resolved namespace), namespace declarations, attribute values after XML
//! normalisation, text with references resolved, comments and processing instructions, and the
//! byte span of every element in the source so signed documents can be produced by splicing
//! bytes rather than re-serialising. DTDs are refused, entities other than the predefined ones
//! are errors, and [`ParseLimits`] bound the work done on hostile input.

use std::collections::HashMap;
use std::rc::Rc;

use quick_xml::events::Event;

use crate::error::{Error, Result};

/// The namespace bound to the `xml` prefix.
pub(crate) const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Bounds applied while parsing untrusted XML.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseLimits {
    /// Maximum input size in bytes (default 16 MiB).
    pub max_bytes: usize,
    /// Maximum element nesting depth (default 256; values above 1024 are treated as 1024).
    pub max_depth: usize,
    /// Maximum number of nodes (elements, text runs, comments, PIs; default 1,000,000).
    pub max_nodes: usize,
    /// Maximum number of attributes plus namespace declarations on one element (default 256).
    pub max_attributes: usize,
}

impl Default for ParseLimits {
    fn default() -> Self {
        Self {
            max_bytes: 16 * 1024 * 1024,
            max_depth: 256,
            max_nodes: 1_000_000,
            max_attributes: 256,
        }
    }
}

/// Index of a node in [`Document::nodes`].
pub(crate) type NodeId = usize;

/// An attribute (namespace declarations are kept apart, in [`Element::ns_decls`]).
#[derive(Debug, Clone)]
pub(crate) struct Attr {
    pub(crate) qname: String,
    pub(crate) prefix: Option<String>,
    pub(crate) local: String,
    /// Shared with the declaration (see [`Element::ns`]).
    pub(crate) ns: Option<Rc<str>>,
    pub(crate) value: String,
}

/// An element with its source span.
#[derive(Debug, Clone)]
pub(crate) struct Element {
    pub(crate) qname: String,
    pub(crate) prefix: Option<String>,
    pub(crate) local: String,
    /// The namespace URI, shared with its declaration: a copy each would let a long URI on
    /// many elements take unbounded memory.
    pub(crate) ns: Option<Rc<str>>,
    /// `(prefix, uri)`; the default namespace has prefix `""`, `xmlns=""` has uri `""`.
    pub(crate) ns_decls: Vec<(String, Rc<str>)>,
    pub(crate) attrs: Vec<Attr>,
    pub(crate) children: Vec<NodeId>,
    /// Offset of the `<` of the start tag.
    pub(crate) start: usize,
    /// Offset just after the `>` of the start tag.
    pub(crate) start_tag_end: usize,
    /// Offset of the `<` of the end tag (equal to `start_tag_end` minus 2 for `<a/>`).
    pub(crate) end_tag_start: usize,
    /// Offset just after the element.
    pub(crate) end: usize,
    /// Whether the element was written `<a/>`.
    pub(crate) self_closing: bool,
}

/// The content of a node.
#[derive(Debug, Clone)]
pub(crate) enum NodeKind {
    Element(Element),
    Text(String),
    Comment(String),
    Pi { target: String, data: String },
}

/// A node and its parent element.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) kind: NodeKind,
    pub(crate) parent: Option<NodeId>,
}

/// A parsed document.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    pub(crate) nodes: Vec<Node>,
    /// Top-level nodes in document order (comments, PIs and the root element).
    pub(crate) top: Vec<NodeId>,
    pub(crate) root: NodeId,
}

fn xml_err(offset: usize, message: impl Into<String>) -> Error {
    Error::Xml {
        offset,
        message: message.into(),
    }
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn check_chars(s: &str, offset: usize) -> Result<()> {
    match s.chars().find(|c| !is_xml_char(*c)) {
        Some(c) => Err(xml_err(
            offset,
            format!("character U+{:04X} is not allowed in XML 1.0", c as u32),
        )),
        None => Ok(()),
    }
}

/// Resolves the name inside `&...;` (predefined entity or character reference).
fn resolve_reference(name: &str, offset: usize) -> Result<char> {
    let c = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => {
            let Some(num) = name.strip_prefix('#') else {
                return Err(Error::UndefinedEntity {
                    name: name.chars().take(64).collect(),
                    offset,
                });
            };
            let code = match num.strip_prefix('x') {
                Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    u32::from_str_radix(hex, 16).ok()
                }
                None if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) => {
                    num.parse::<u32>().ok()
                }
                _ => None,
            };
            match code.and_then(char::from_u32).filter(|c| is_xml_char(*c)) {
                Some(c) => c,
                None => {
                    return Err(xml_err(
                        offset,
                        format!(
                            "invalid character reference &{};",
                            name.chars().take(16).collect::<String>()
                        ),
                    ));
                }
            }
        }
    };
    Ok(c)
}

/// Normalises a raw attribute value as an XML 1.0 processor does for CDATA attributes: line
/// ends and literal whitespace become spaces, references are resolved (a `&#9;` stays a tab).
fn normalize_attribute(raw: &str, offset: usize) -> Result<String> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            '\r' => {
                if let Some(after) = rest.strip_prefix('\n') {
                    rest = after;
                }
                out.push(' ');
            }
            '\n' | '\t' => out.push(' '),
            '<' => return Err(xml_err(offset, "`<` in an attribute value")),
            '&' => {
                let Some(end) = rest.find(';') else {
                    return Err(xml_err(
                        offset,
                        "unterminated reference in an attribute value",
                    ));
                };
                out.push(resolve_reference(&rest[..end], offset)?);
                rest = &rest[end + 1..];
            }
            c if is_xml_char(c) => out.push(c),
            c => {
                return Err(xml_err(
                    offset,
                    format!("character U+{:04X} is not allowed in XML 1.0", c as u32),
                ));
            }
        }
    }
    Ok(out)
}

/// XML 1.0 end-of-line handling: `\r\n` and lone `\r` become `\n`.
fn normalize_eol(raw: &str) -> String {
    if !raw.contains('\r') {
        return raw.to_owned();
    }
    raw.replace("\r\n", "\n").replace('\r', "\n")
}

fn is_name_start_char(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}'
        | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

fn is_name_char(c: char) -> bool {
    is_name_start_char(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// Whether `s` is an XML name without colon (NCName).
fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(is_name_start_char) && chars.all(is_name_char)
}

fn split_qname(qname: &str, offset: usize) -> Result<(Option<String>, String)> {
    match qname.split_once(':') {
        Some((p, l)) if is_ncname(p) && is_ncname(l) => Ok((Some(p.to_owned()), l.to_owned())),
        None if is_ncname(qname) => Ok((None, qname.to_owned())),
        _ => Err(xml_err(
            offset,
            format!(
                "invalid qualified name `{}`",
                qname.chars().take(64).collect::<String>()
            ),
        )),
    }
}

impl Document {
    /// Parses `input` (UTF-8, optional BOM) under `limits`.
    pub(crate) fn parse(input: &[u8], limits: &ParseLimits) -> Result<Self> {
        if input.len() > limits.max_bytes {
            return Err(Error::LimitExceeded {
                limit: "document size in bytes",
                maximum: limits.max_bytes,
                offset: limits.max_bytes,
            });
        }
        let (base, body) = match input.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => (3, rest),
            None => (0, input),
        };
        let text = std::str::from_utf8(body).map_err(|e| Error::UnsupportedEncoding {
            encoding: "invalid UTF-8".into(),
            offset: base + e.valid_up_to(),
        })?;
        Parser {
            doc: Self {
                nodes: Vec::new(),
                top: Vec::new(),
                root: usize::MAX,
            },
            stack: Vec::new(),
            bindings: HashMap::new(),
            xml_ns: Rc::from(XML_NS),
            limits: *limits,
            base,
        }
        .run(text)
    }

    pub(crate) fn element(&self, id: NodeId) -> &Element {
        match &self.nodes[id].kind {
            NodeKind::Element(e) => e,
            _ => unreachable_element(),
        }
    }

    /// Ancestors of `id`, nearest first (excluding `id`).
    pub(crate) fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.nodes[id].parent, |n| self.nodes[*n].parent)
    }

    /// Child elements of `id`, in document order.
    pub(crate) fn child_elements(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.element(id)
            .children
            .iter()
            .copied()
            .filter(|c| matches!(self.nodes[*c].kind, NodeKind::Element(_)))
    }

    /// All elements in document order.
    pub(crate) fn elements(&self) -> impl Iterator<Item = NodeId> + '_ {
        (0..self.nodes.len()).filter(|n| matches!(self.nodes[*n].kind, NodeKind::Element(_)))
    }

    /// A readable path such as `/soap:Envelope/soap:Header/saml2:Assertion`.
    pub(crate) fn path(&self, id: NodeId) -> String {
        let mut names: Vec<&str> = self
            .ancestors(id)
            .map(|a| self.element(a).qname.as_str())
            .collect();
        names.reverse();
        names.push(&self.element(id).qname);
        let mut out = String::new();
        for n in names {
            out.push('/');
            out.push_str(n);
        }
        out
    }

    /// Elements carrying the ID attribute `attr` (see [`IdAttribute`](crate::IdAttribute)) with
    /// value `value`.
    pub(crate) fn find_by_id(&self, attr: &AttrName, value: &str) -> Vec<NodeId> {
        self.elements()
            .filter(|e| self.attribute(*e, attr) == Some(value))
            .collect()
    }

    /// The value of attribute `attr` on element `id`.
    pub(crate) fn attribute(&self, id: NodeId, attr: &AttrName) -> Option<&str> {
        self.element(id)
            .attrs
            .iter()
            .find(|a| a.local == attr.local && a.ns.as_deref() == attr.ns.as_deref())
            .map(|a| a.value.as_str())
    }

    /// The text content of element `id` (all descendant text, concatenated).
    pub(crate) fn text_content(&self, id: NodeId) -> String {
        let mut out = String::new();
        self.collect_text(id, &mut out);
        out
    }

    fn collect_text(&self, id: NodeId, out: &mut String) {
        for c in &self.element(id).children {
            match &self.nodes[*c].kind {
                NodeKind::Text(t) => out.push_str(t),
                NodeKind::Element(_) => self.collect_text(*c, out),
                _ => {}
            }
        }
    }

    /// Whether element `id` has namespace `ns` and local name `local`.
    pub(crate) fn is(&self, id: NodeId, ns: &str, local: &str) -> bool {
        let e = self.element(id);
        e.local == local && e.ns.as_deref() == Some(ns)
    }
}

#[cold]
fn unreachable_element() -> ! {
    // Every NodeId handed out by this module for elements points at an element; reaching this
    // is an internal bug, not an input problem.
    panic!("segur-xmldsig internal error: node is not an element")
}

/// An attribute name: local name plus optional namespace URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AttrName {
    pub(crate) ns: Option<String>,
    pub(crate) local: String,
}

/// The longest namespace URI accepted (real ones are under a hundred bytes).
const MAX_NAMESPACE_URI: usize = 2048;

struct Parser {
    doc: Document,
    stack: Vec<NodeId>,
    /// For each prefix (`""` = default), the URIs declared by the open elements, innermost
    /// last: lookups stay O(1) whatever the depth.
    bindings: HashMap<String, Vec<Rc<str>>>,
    /// The XML namespace, bound to `xml` without a declaration, shared like the others.
    xml_ns: Rc<str>,
    limits: ParseLimits,
    base: usize,
}

impl Parser {
    fn push_node(&mut self, kind: NodeKind, offset: usize) -> Result<NodeId> {
        if self.doc.nodes.len() >= self.limits.max_nodes {
            return Err(Error::LimitExceeded {
                limit: "number of nodes",
                maximum: self.limits.max_nodes,
                offset,
            });
        }
        let id = self.doc.nodes.len();
        let parent = self.stack.last().copied();
        self.doc.nodes.push(Node { kind, parent });
        match parent {
            Some(p) => {
                if let NodeKind::Element(e) = &mut self.doc.nodes[p].kind {
                    e.children.push(id);
                }
            }
            None => self.doc.top.push(id),
        }
        Ok(id)
    }

    fn append_text(&mut self, text: &str, offset: usize) -> Result<()> {
        let Some(&parent) = self.stack.last() else {
            if text.chars().all(|c| matches!(c, ' ' | '\t' | '\n' | '\r')) {
                return Ok(());
            }
            return Err(xml_err(offset, "text outside the root element"));
        };
        check_chars(text, offset)?;
        if let NodeKind::Element(e) = &self.doc.nodes[parent].kind
            && let Some(&last) = e.children.last()
            && let NodeKind::Text(t) = &mut self.doc.nodes[last].kind
        {
            t.push_str(text);
            return Ok(());
        }
        self.push_node(NodeKind::Text(text.to_owned()), offset)?;
        Ok(())
    }

    fn resolve(&self, decls: &[(String, Rc<str>)], prefix: &str) -> Option<Rc<str>> {
        if prefix == "xml" {
            return Some(Rc::clone(&self.xml_ns));
        }
        let uri = match decls.iter().find(|(p, _)| p == prefix) {
            Some((_, uri)) => uri,
            None => self.bindings.get(prefix)?.last()?,
        };
        (!uri.is_empty()).then(|| Rc::clone(uri))
    }

    fn open(&mut self, id: NodeId) {
        if let NodeKind::Element(e) = &self.doc.nodes[id].kind {
            for (p, u) in &e.ns_decls {
                self.bindings
                    .entry(p.clone())
                    .or_default()
                    .push(Rc::clone(u));
            }
        }
        self.stack.push(id);
    }

    fn close(&mut self) -> Option<NodeId> {
        let id = self.stack.pop()?;
        if let NodeKind::Element(e) = &self.doc.nodes[id].kind {
            for (p, _) in &e.ns_decls {
                if let Some(v) = self.bindings.get_mut(p) {
                    v.pop();
                }
            }
        }
        Some(id)
    }

    fn start(&mut self, e: &quick_xml::events::BytesStart<'_>, offset: usize) -> Result<Element> {
        if self.stack.len() >= self.limits.max_depth.min(1024) {
            return Err(Error::LimitExceeded {
                limit: "element depth",
                maximum: self.limits.max_depth.min(1024),
                offset,
            });
        }
        if self.stack.is_empty() && self.doc.root != usize::MAX {
            return Err(xml_err(offset, "more than one root element"));
        }
        let qname = e.name().as_ref().to_owned();
        let (prefix, local) = split_qname(&qname, offset)?;
        let mut ns_decls = Vec::new();
        let mut raw_attrs = Vec::new();
        for a in e.attributes().with_checks(true) {
            let a = a.map_err(|err| xml_err(offset, err.to_string()))?;
            if ns_decls.len() + raw_attrs.len() >= self.limits.max_attributes {
                return Err(Error::LimitExceeded {
                    limit: "attributes on one element",
                    maximum: self.limits.max_attributes,
                    offset,
                });
            }
            let key = a.key.as_ref();
            let value = normalize_attribute(&a.value, offset)?;
            if (key == "xmlns" || key.starts_with("xmlns:")) && value.len() > MAX_NAMESPACE_URI {
                return Err(Error::LimitExceeded {
                    limit: "namespace URI length",
                    maximum: MAX_NAMESPACE_URI,
                    offset,
                });
            }
            if key == "xmlns" {
                ns_decls.push((String::new(), Rc::from(value)));
            } else if let Some(p) = key.strip_prefix("xmlns:") {
                if value.is_empty() {
                    return Err(xml_err(
                        offset,
                        format!("empty namespace URI for prefix `{p}`"),
                    ));
                }
                if p == "xmlns" || (p == "xml") != (value == XML_NS) {
                    return Err(xml_err(offset, format!("reserved prefix `{p}` misused")));
                }
                split_qname(p, offset)?;
                ns_decls.push((p.to_owned(), Rc::from(value)));
            } else {
                raw_attrs.push((key.to_owned(), value));
            }
        }
        if prefix.as_deref() == Some("xmlns") {
            return Err(xml_err(offset, "element name with the `xmlns` prefix"));
        }
        let ns = match &prefix {
            Some(p) => Some(self.resolve(&ns_decls, p).ok_or_else(|| {
                xml_err(
                    offset,
                    format!("undeclared namespace prefix `{p}` on <{qname}>"),
                )
            })?),
            None => self.resolve(&ns_decls, ""),
        };
        let mut attrs: Vec<Attr> = Vec::with_capacity(raw_attrs.len());
        for (aq, value) in raw_attrs {
            let (ap, al) = split_qname(&aq, offset)?;
            let ans = match &ap {
                Some(p) => Some(self.resolve(&ns_decls, p).ok_or_else(|| {
                    xml_err(
                        offset,
                        format!("undeclared namespace prefix `{p}` on attribute `{aq}`"),
                    )
                })?),
                None => None,
            };
            if attrs.iter().any(|o| o.local == al && o.ns == ans) {
                return Err(xml_err(
                    offset,
                    format!("attribute `{aq}` duplicated (same expanded name)"),
                ));
            }
            attrs.push(Attr {
                qname: aq,
                prefix: ap,
                local: al,
                ns: ans,
                value,
            });
        }
        Ok(Element {
            qname,
            prefix,
            local,
            ns,
            ns_decls,
            attrs,
            children: Vec::new(),
            start: offset,
            start_tag_end: 0,
            end_tag_start: 0,
            end: 0,
            self_closing: false,
        })
    }

    fn run(mut self, text: &str) -> Result<Document> {
        let mut reader = quick_xml::Reader::from_str(text);
        {
            let config = reader.config_mut();
            config.check_end_names = true;
            config.expand_empty_elements = false;
            config.trim_text(false);
        }
        let mut seen_anything = false;
        loop {
            let pos = self.base + reader.buffer_position() as usize;
            let event = reader.read_event().map_err(|e| {
                xml_err(self.base + reader.error_position() as usize, e.to_string())
            })?;
            let after = self.base + reader.buffer_position() as usize;
            match event {
                Event::Decl(d) => {
                    if seen_anything {
                        return Err(xml_err(pos, "XML declaration not at the start"));
                    }
                    if let Some(enc) = d.encoding() {
                        let enc = enc.map_err(|e| xml_err(pos, e.to_string()))?;
                        if !enc.eq_ignore_ascii_case("utf-8") && !enc.eq_ignore_ascii_case("utf8") {
                            return Err(Error::UnsupportedEncoding {
                                encoding: enc.chars().take(40).collect(),
                                offset: pos,
                            });
                        }
                    }
                }
                Event::DocType(_) => return Err(Error::DtdRejected { offset: pos }),
                Event::Start(e) => {
                    let mut el = self.start(&e, pos)?;
                    el.start_tag_end = after;
                    let id = self.push_node(NodeKind::Element(el), pos)?;
                    if self.stack.is_empty() {
                        self.doc.root = id;
                    }
                    self.open(id);
                }
                Event::Empty(e) => {
                    let mut el = self.start(&e, pos)?;
                    el.start_tag_end = after;
                    el.end_tag_start = after;
                    el.end = after;
                    el.self_closing = true;
                    let id = self.push_node(NodeKind::Element(el), pos)?;
                    if self.stack.is_empty() {
                        self.doc.root = id;
                    }
                }
                Event::End(_) => {
                    let Some(id) = self.close() else {
                        return Err(xml_err(pos, "end tag without start tag"));
                    };
                    if let NodeKind::Element(e) = &mut self.doc.nodes[id].kind {
                        e.end_tag_start = pos;
                        e.end = after;
                    }
                }
                Event::Text(t) => {
                    let raw = t.into_inner();
                    if raw.contains("]]>") {
                        return Err(xml_err(pos, "`]]>` in text content"));
                    }
                    self.append_text(&normalize_eol(&raw), pos)?;
                }
                Event::CData(c) => {
                    if self.stack.is_empty() {
                        return Err(xml_err(pos, "CDATA section outside the root element"));
                    }
                    let raw = c.into_inner();
                    self.append_text(&normalize_eol(&raw), pos)?;
                }
                Event::GeneralRef(r) => {
                    let c = resolve_reference(&r.into_inner(), pos)?;
                    if self.stack.is_empty() {
                        return Err(xml_err(pos, "reference outside the root element"));
                    }
                    let mut buf = [0u8; 4];
                    self.append_text(c.encode_utf8(&mut buf), pos)?;
                }
                Event::Comment(c) => {
                    let content = normalize_eol(&c.into_inner());
                    check_chars(&content, pos)?;
                    if content.contains("--") || content.ends_with('-') {
                        return Err(xml_err(pos, "`--` inside a comment"));
                    }
                    self.push_node(NodeKind::Comment(content), pos)?;
                }
                Event::PI(p) => {
                    let target = p.target().to_owned();
                    if target.eq_ignore_ascii_case("xml") {
                        return Err(xml_err(pos, "XML declaration not at the start"));
                    }
                    if !is_ncname(&target) {
                        return Err(xml_err(pos, "invalid processing instruction target"));
                    }
                    let data =
                        normalize_eol(p.content().trim_start_matches([' ', '\t', '\r', '\n']));
                    check_chars(&data, pos)?;
                    self.push_node(NodeKind::Pi { target, data }, pos)?;
                }
                Event::Eof => {
                    if !self.stack.is_empty() {
                        return Err(xml_err(
                            pos,
                            "unexpected end of document (unclosed element)",
                        ));
                    }
                    break;
                }
            }
            seen_anything = true;
        }
        if self.doc.root == usize::MAX {
            return Err(xml_err(self.base, "no root element"));
        }
        Ok(self.doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Document> {
        Document::parse(s.as_bytes(), &ParseLimits::default())
    }

    #[test]
    fn spans_and_namespaces() {
        let src =
            r#"<?xml version="1.0"?><a:r xmlns:a="urn:a"><b x="1&#9;&lt;"/><c>t&amp;u</c></a:r>"#;
        let doc = parse(src).unwrap();
        let root = doc.element(doc.root);
        assert_eq!(root.ns.as_deref(), Some("urn:a"));
        assert_eq!(&src[root.start..root.end], &src[21..]);
        let b = doc.child_elements(doc.root).next().unwrap();
        assert_eq!(doc.element(b).attrs[0].value, "1\t<");
        assert_eq!(
            &src[doc.element(b).start..doc.element(b).end],
            r#"<b x="1&#9;&lt;"/>"#
        );
        let c = doc.child_elements(doc.root).nth(1).unwrap();
        assert_eq!(doc.text_content(c), "t&u");
        assert_eq!(doc.path(c), "/a:r/c");
    }

    #[test]
    fn namespace_uris_are_shared_and_bounded() {
        // one copy of a URI however many elements and attributes are in its namespace (a copy
        // each let a long URI on many elements take unbounded memory)
        let uri = format!("urn:{}", "u".repeat(MAX_NAMESPACE_URI - 4));
        let body = r#"<p:b p:x="1" xml:lang="fr"/>"#.repeat(1_000);
        let doc = parse(&format!(r#"<p:a xmlns:p="{uri}">{body}</p:a>"#)).unwrap();
        let root_ns = doc.element(doc.root).ns.clone().unwrap();
        let xml_ns = doc.element(doc.root + 1).attrs[1].ns.clone().unwrap();
        for id in doc.child_elements(doc.root) {
            let e = doc.element(id);
            assert!(Rc::ptr_eq(e.ns.as_ref().unwrap(), &root_ns));
            assert!(Rc::ptr_eq(e.attrs[0].ns.as_ref().unwrap(), &root_ns));
            assert!(Rc::ptr_eq(e.attrs[1].ns.as_ref().unwrap(), &xml_ns));
        }
        let long = format!("urn:{}", "u".repeat(MAX_NAMESPACE_URI));
        for decl in ["xmlns", "xmlns:p"] {
            assert!(matches!(
                parse(&format!(r#"<a {decl}="{long}"/>"#)),
                Err(Error::LimitExceeded {
                    limit: "namespace URI length",
                    ..
                })
            ));
        }
    }

    #[test]
    fn refusals() {
        assert!(matches!(
            parse("<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>"),
            Err(Error::DtdRejected { .. })
        ));
        assert!(matches!(
            parse("<a>&e;</a>"),
            Err(Error::UndefinedEntity { .. })
        ));
        assert!(matches!(parse("<p:a/>"), Err(Error::Xml { .. })));
        assert!(matches!(parse("<a></b>"), Err(Error::Xml { .. })));
        assert!(matches!(parse("<a>"), Err(Error::Xml { .. })));
        assert!(matches!(parse("<a/><b/>"), Err(Error::Xml { .. })));
        assert!(matches!(parse("<a x='1' x='2'/>"), Err(Error::Xml { .. })));
        assert!(matches!(
            parse("<a xmlns:p='u' xmlns:q='u' p:x='1' q:x='2'/>"),
            Err(Error::Xml { .. })
        ));
        assert!(matches!(parse("<a>&#0;</a>"), Err(Error::Xml { .. })));
        // Found by fuzz_c14n: quick-xml does not check names.
        assert!(matches!(parse("<###!DOCL//>"), Err(Error::Xml { .. })));
        assert!(matches!(parse("<a 1x='1'/>"), Err(Error::Xml { .. })));
        assert!(matches!(parse("<a><?1pi?></a>"), Err(Error::Xml { .. })));
        assert!(matches!(
            parse("<?xml version='1.0' encoding='ISO-8859-1'?><a/>"),
            Err(Error::UnsupportedEncoding { .. })
        ));
        let deep = "<a>".repeat(300) + &"</a>".repeat(300);
        assert!(matches!(parse(&deep), Err(Error::LimitExceeded { .. })));
    }

    #[test]
    fn attribute_normalisation() {
        let doc = parse("<a x='a\r\nb\tc&#10;d'/>").unwrap();
        assert_eq!(doc.element(doc.root).attrs[0].value, "a b c\nd");
    }
}
