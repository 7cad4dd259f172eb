//! A small, bounded XML element tree built from quick-xml events, with namespaces resolved.
//!
//! Every reader of this crate (envelope, fault, VIHF, XOP content) goes through [`parse`], which
//! enforces [`Limits`], rejects DTDs (so no entity can ever be expanded) and non-UTF-8 input, and
//! keeps the byte span of every element so that a payload can be handed back verbatim.

use std::rc::Rc;

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use crate::error::{Error, ErrorKind};

/// The namespace bound to the `xml` prefix.
pub(crate) const NS_XML: &str = "http://www.w3.org/XML/1998/namespace";
const NS_XMLNS: &str = "http://www.w3.org/2000/xmlns/";

/// Bounds applied to every XML document this crate reads.
///
/// The defaults suit DMP traffic: a registry response with a few thousand entries, or an ITI-43
/// response carrying documents inline in base64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest accepted document, in bytes.
    pub max_bytes: usize,
    /// Deepest accepted element nesting.
    pub max_depth: usize,
    /// Most elements accepted in one document.
    pub max_elements: usize,
    /// Most attributes (namespace declarations included) accepted on one element.
    pub max_attributes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 64 * 1024 * 1024,
            max_depth: 128,
            max_elements: 200_000,
            max_attributes: 256,
        }
    }
}

impl Limits {
    /// The default limits with a different maximum size.
    pub fn with_max_bytes(self, max_bytes: usize) -> Self {
        Self { max_bytes, ..self }
    }
}

/// The longest namespace URI accepted (real ones are under a hundred bytes): names in a
/// namespace are copied into header block names and fault codes.
const MAX_NAMESPACE_URI: usize = 2048;

/// Most namespace bindings in scope at once (declarations on an element and its ancestors).
const MAX_IN_SCOPE_BINDINGS: usize = 512;

/// In-scope namespace bindings, innermost first, shared with the ancestors: each element adds
/// its own declarations in front of its parent's list without copying it, so memory stays
/// linear in the input whatever the nesting.
#[derive(Debug, Default)]
struct ScopeNode {
    /// `(prefix, uri)`, the empty prefix being the default namespace. The URI is shared with
    /// the elements and attributes in the namespace: a copy each would let a long URI on many
    /// elements take unbounded memory.
    binding: Option<(String, Rc<str>)>,
    parent: Option<Rc<Self>>,
    /// Bindings in this list, this one included.
    len: usize,
}

type Scope = Rc<ScopeNode>;

impl ScopeNode {
    /// Bindings, innermost first.
    fn iter(&self) -> impl Iterator<Item = &(String, Rc<str>)> {
        let mut node = Some(self);
        std::iter::from_fn(move || {
            while let Some(n) = node {
                node = n.parent.as_deref();
                if let Some(b) = &n.binding {
                    return Some(b);
                }
            }
            None
        })
    }
}

/// An attribute with its namespace resolved.
#[derive(Debug, Clone)]
pub(crate) struct Attr {
    pub(crate) ns: Option<Rc<str>>,
    pub(crate) local: String,
    pub(crate) value: String,
}

/// A child of an element.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Element(Element),
    Text(String),
}

/// An element with its namespace resolved and its byte span in the source.
#[derive(Debug, Clone)]
pub(crate) struct Element {
    pub(crate) ns: Option<Rc<str>>,
    pub(crate) local: String,
    pub(crate) attrs: Vec<Attr>,
    pub(crate) children: Vec<Node>,
    /// Byte offset of `<` in the source.
    pub(crate) start: usize,
    /// Byte offset just after the element's last byte.
    pub(crate) end: usize,
    /// Byte offset just after the start tag's `>`.
    start_tag_end: usize,
    /// The prefixes this element declares (`""` for the default namespace); their URIs are in
    /// `scope`.
    declared: Vec<String>,
    scope: Scope,
}

/// A namespace-qualified name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QualifiedName {
    /// The namespace URI, if the name is in one.
    pub namespace: Option<String>,
    /// The local part.
    pub local: String,
}

impl std::fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{{{ns}}}{}", self.local),
            None => f.write_str(&self.local),
        }
    }
}

impl Element {
    /// Whether this element is `{ns}local`.
    pub(crate) fn is(&self, ns: &str, local: &str) -> bool {
        self.local == local && self.ns.as_deref() == Some(ns)
    }

    /// The element's path-like name for error messages (`prefix`-free, `{ns}` omitted).
    pub(crate) fn name(&self) -> &str {
        &self.local
    }

    /// Child elements, in order.
    pub(crate) fn elements(&self) -> impl Iterator<Item = &Self> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element `{ns}local`.
    pub(crate) fn child(&self, ns: &str, local: &str) -> Option<&Self> {
        self.elements().find(|e| e.is(ns, local))
    }

    /// All child elements `{ns}local`.
    pub(crate) fn children_named<'s>(
        &'s self,
        ns: &'s str,
        local: &'s str,
    ) -> impl Iterator<Item = &'s Self> {
        self.elements().filter(move |e| e.is(ns, local))
    }

    /// The value of the un-namespaced attribute `local`.
    pub(crate) fn attr(&self, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns.is_none() && a.local == local)
            .map(|a| a.value.as_str())
    }

    /// The value of the attribute `{ns}local`.
    pub(crate) fn attr_ns(&self, ns: &str, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns.as_deref() == Some(ns) && a.local == local)
            .map(|a| a.value.as_str())
    }

    /// The concatenated text children (not descendants).
    pub(crate) fn text(&self) -> String {
        let mut out = String::new();
        for n in &self.children {
            if let Node::Text(t) = n {
                out.push_str(t);
            }
        }
        out
    }

    /// Resolves a `prefix:local` QName written in content (a SOAP fault code) with the namespace
    /// bindings in scope on this element.
    pub(crate) fn resolve_qname(&self, value: &str) -> Result<QualifiedName, Error> {
        let value = value.trim();
        let (prefix, local) = match value.split_once(':') {
            Some((p, l)) => (p, l),
            None => ("", value),
        };
        if local.is_empty() || local.contains(':') {
            return Err(Error::new(ErrorKind::Malformed {
                element: self.local.clone(),
                message: format!("`{value}` is not a qualified name"),
            }));
        }
        let namespace = self.lookup(prefix).map(str::to_owned);
        if namespace.is_none() && !prefix.is_empty() {
            return Err(Error::new(ErrorKind::Malformed {
                element: self.local.clone(),
                message: format!("prefix `{prefix}` of `{value}` is not bound"),
            }));
        }
        Ok(QualifiedName {
            namespace,
            local: local.to_owned(),
        })
    }

    fn lookup(&self, prefix: &str) -> Option<&str> {
        if prefix == "xml" {
            return Some(NS_XML);
        }
        self.lookup_shared(prefix).map(|u| &**u)
    }

    /// The URI bound to `prefix` (not `xml`), shared.
    fn lookup_shared(&self, prefix: &str) -> Option<&Rc<str>> {
        self.scope
            .iter()
            .find(|(p, _)| p == prefix)
            .map(|(_, u)| u)
            .filter(|u| !u.is_empty())
    }

    /// The element's exact source text.
    pub(crate) fn raw<'s>(&self, source: &'s str) -> &'s str {
        &source[self.start..self.end]
    }

    /// The element's source text, made a standalone document: the namespace bindings it inherits
    /// from its ancestors are declared on it (after its own attributes), so that the result parses
    /// alone and canonicalises (exclusive c14n) exactly like the original subtree.
    pub(crate) fn standalone(&self, source: &str) -> String {
        // the innermost binding of each prefix, unless this element declares it itself
        // (a set: up to MAX_IN_SCOPE_BINDINGS of them, for every header block)
        let mut seen: std::collections::HashSet<&str> =
            self.declared.iter().map(String::as_str).collect();
        let mut inherited: Vec<&(String, Rc<str>)> = Vec::new();
        for b in self.scope.iter() {
            if !seen.insert(&b.0) {
                continue;
            }
            if !(b.0.is_empty() && b.1.is_empty()) {
                inherited.push(b);
            }
        }
        // outermost first, as they were declared
        inherited.reverse();
        let raw = self.raw(source);
        if inherited.is_empty() {
            return raw.to_owned();
        }
        let tag_len = self.start_tag_end - self.start;
        let head = &raw[..tag_len];
        let cut = if head.ends_with("/>") {
            tag_len - 2
        } else {
            tag_len - 1
        };
        let mut out = String::with_capacity(raw.len() + 64);
        out.push_str(&raw[..cut]);
        for (p, u) in inherited {
            out.push_str(" xmlns");
            if !p.is_empty() {
                out.push(':');
                out.push_str(p);
            }
            out.push_str("=\"");
            out.push_str(&escape_attr(u));
            out.push('"');
        }
        out.push_str(&raw[cut..]);
        out
    }
}

/// A parsed document: its source text and root element.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    pub(crate) source: String,
    pub(crate) root: Element,
}

/// Parses `input` into an element tree under `limits`.
pub(crate) fn parse(input: &[u8], limits: &Limits) -> Result<Document, Error> {
    if input.len() > limits.max_bytes {
        return Err(Error::new(ErrorKind::LimitExceeded {
            what: "document size in bytes",
            limit: limits.max_bytes,
        }));
    }
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let text = std::str::from_utf8(input).map_err(|e| {
        Error::new(ErrorKind::Xml {
            offset: e.valid_up_to(),
            message: "the document is not valid UTF-8".into(),
        })
    })?;
    let root = Builder::new(text, limits).run()?;
    Ok(Document {
        source: text.to_owned(),
        root,
    })
}

struct Open {
    element: Element,
}

struct Builder<'s> {
    text: &'s str,
    limits: &'s Limits,
    stack: Vec<Open>,
    elements: usize,
    /// The XML namespace, bound to `xml` without a declaration, shared like the others.
    xml_ns: Rc<str>,
}

impl<'s> Builder<'s> {
    fn new(text: &'s str, limits: &'s Limits) -> Self {
        Self {
            text,
            limits,
            stack: Vec::new(),
            elements: 0,
            xml_ns: Rc::from(NS_XML),
        }
    }

    /// The shared URI bound to `prefix` on `el`.
    fn shared_ns(&self, el: &Element, prefix: &str) -> Option<Rc<str>> {
        if prefix == "xml" {
            return Some(Rc::clone(&self.xml_ns));
        }
        el.lookup_shared(prefix).cloned()
    }

    fn run(mut self) -> Result<Element, Error> {
        let mut reader = quick_xml::Reader::from_str(self.text);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.trim_text(false);
        let mut root: Option<Element> = None;
        loop {
            let before = offset(reader.buffer_position());
            let event = reader.read_event().map_err(|e| {
                Error::new(ErrorKind::Xml {
                    offset: offset(reader.error_position()),
                    message: e.to_string(),
                })
            })?;
            let after = offset(reader.buffer_position());
            match event {
                Event::Decl(decl) => {
                    if let Some(Ok(enc)) = decl.encoding() {
                        let enc = enc.to_ascii_lowercase();
                        if enc != "utf-8" && enc != "utf8" {
                            return Err(Error::new(ErrorKind::Xml {
                                offset: before,
                                message: format!(
                                    "unsupported document encoding `{enc}` (only UTF-8 is read)"
                                ),
                            }));
                        }
                    }
                }
                Event::DocType(_) => {
                    return Err(Error::new(ErrorKind::Xml {
                        offset: before,
                        message: "document type declarations (DTDs) are not accepted".into(),
                    }));
                }
                Event::Start(start) => {
                    if root.is_some() {
                        return Err(trailing(before));
                    }
                    let el = self.open(&start, before, after)?;
                    self.stack.push(Open { element: el });
                    if self.stack.len() > self.limits.max_depth {
                        return Err(Error::new(ErrorKind::LimitExceeded {
                            what: "element depth",
                            limit: self.limits.max_depth,
                        }));
                    }
                }
                Event::Empty(start) => {
                    if root.is_some() {
                        return Err(trailing(before));
                    }
                    let mut el = self.open(&start, before, after)?;
                    el.end = after;
                    if let Some(done) = self.attach(el) {
                        root = Some(done);
                    }
                }
                Event::End(_) => {
                    let Some(Open { mut element }) = self.stack.pop() else {
                        return Err(Error::new(ErrorKind::Xml {
                            offset: before,
                            message: "end tag without a start tag".into(),
                        }));
                    };
                    element.end = after;
                    if let Some(done) = self.attach(element) {
                        root = Some(done);
                    }
                }
                Event::Text(t) => {
                    let content = t.xml10_content();
                    self.text_node(&content, before)?;
                }
                Event::CData(c) => {
                    let content = c.xml10_content();
                    self.text_node(&content, before)?;
                }
                Event::GeneralRef(r) => {
                    let ch = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) => match quick_xml::escape::resolve_xml_entity(&r.xml10_content())
                        {
                            Some(s) => s.to_owned(),
                            None => {
                                return Err(Error::new(ErrorKind::Xml {
                                    offset: before,
                                    message: format!("undeclared entity `&{};`", r.xml10_content()),
                                }));
                            }
                        },
                        Err(e) => {
                            return Err(Error::new(ErrorKind::Xml {
                                offset: before,
                                message: e.to_string(),
                            }));
                        }
                    };
                    self.text_node(&ch, before)?;
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::Eof => break,
            }
        }
        if !self.stack.is_empty() {
            return Err(Error::new(ErrorKind::Xml {
                offset: self.text.len(),
                message: "the document ends inside an element".into(),
            }));
        }
        root.ok_or_else(|| {
            Error::new(ErrorKind::Xml {
                offset: 0,
                message: "the document has no root element".into(),
            })
        })
    }

    fn text_node(&mut self, content: &str, at: usize) -> Result<(), Error> {
        match self.stack.last_mut() {
            Some(open) => {
                if let Some(Node::Text(prev)) = open.element.children.last_mut() {
                    prev.push_str(content);
                } else {
                    open.element.children.push(Node::Text(content.to_owned()));
                }
                Ok(())
            }
            None if content.trim().is_empty() => Ok(()),
            None => Err(Error::new(ErrorKind::Xml {
                offset: at,
                message: "text outside the root element".into(),
            })),
        }
    }

    /// Attaches a finished element to its parent; returns it when it is the root.
    fn attach(&mut self, el: Element) -> Option<Element> {
        match self.stack.last_mut() {
            Some(open) => {
                open.element.children.push(Node::Element(el));
                None
            }
            None => Some(el),
        }
    }

    fn open(&mut self, start: &BytesStart<'_>, at: usize, after: usize) -> Result<Element, Error> {
        self.elements += 1;
        if self.elements > self.limits.max_elements {
            return Err(Error::new(ErrorKind::LimitExceeded {
                what: "element count",
                limit: self.limits.max_elements,
            }));
        }
        let malformed = |message: String| {
            Error::new(ErrorKind::Xml {
                offset: at,
                message,
            })
        };
        let mut declared = Vec::new();
        let mut raw_attrs = Vec::new();
        for (count, attr) in start.attributes().enumerate() {
            if count >= self.limits.max_attributes {
                return Err(Error::new(ErrorKind::LimitExceeded {
                    what: "attributes on one element",
                    limit: self.limits.max_attributes,
                }));
            }
            let attr = attr.map_err(|e| malformed(e.to_string()))?;
            let key: &str = attr.key.as_ref();
            let value = attr
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|e| malformed(e.to_string()))?
                .into_owned();
            if (key == "xmlns" || key.starts_with("xmlns:")) && value.len() > MAX_NAMESPACE_URI {
                return Err(Error::new(ErrorKind::LimitExceeded {
                    what: "namespace URI length",
                    limit: MAX_NAMESPACE_URI,
                }));
            }
            if key == "xmlns" {
                declared.push((String::new(), value));
            } else if let Some(p) = key.strip_prefix("xmlns:") {
                if value.is_empty() {
                    return Err(malformed(format!("prefix `{p}` cannot be undeclared")));
                }
                declared.push((p.to_owned(), value));
            } else {
                raw_attrs.push((key.to_owned(), value));
            }
        }
        let parent_scope = self
            .stack
            .last()
            .map(|o| Rc::clone(&o.element.scope))
            .unwrap_or_default();
        let mut scope = parent_scope;
        let mut prefixes = Vec::with_capacity(declared.len());
        for (prefix, uri) in declared {
            let len = scope.len + 1;
            if len > MAX_IN_SCOPE_BINDINGS {
                return Err(Error::new(ErrorKind::LimitExceeded {
                    what: "namespace bindings in scope",
                    limit: MAX_IN_SCOPE_BINDINGS,
                }));
            }
            prefixes.push(prefix.clone());
            scope = Rc::new(ScopeNode {
                binding: Some((prefix, Rc::from(uri))),
                parent: Some(scope),
                len,
            });
        }
        let mut el = Element {
            ns: None,
            local: String::new(),
            attrs: Vec::with_capacity(raw_attrs.len()),
            children: Vec::new(),
            start: at,
            end: after,
            start_tag_end: after,
            declared: prefixes,
            scope,
        };
        let name = start.name();
        let qname: &str = name.as_ref();
        let (prefix, local) = split_qname(qname);
        el.ns = match prefix {
            Some(p) => Some(
                self.shared_ns(&el, p)
                    .ok_or_else(|| malformed(format!("prefix `{p}` of <{qname}> is not bound")))?,
            ),
            None => el.lookup_shared("").cloned(),
        };
        el.local = local.to_owned();
        for (key, value) in raw_attrs {
            let (prefix, local) = split_qname(&key);
            let ns = match prefix {
                Some(p) => Some(
                    self.shared_ns(&el, p)
                        .ok_or_else(|| malformed(format!("prefix `{p}` of @{key} is not bound")))?,
                ),
                None => None,
            };
            if ns.as_deref() == Some(NS_XMLNS) {
                return Err(malformed(format!("attribute @{key} is reserved")));
            }
            if el
                .attrs
                .iter()
                .any(|a: &Attr| a.ns == ns && a.local == local)
            {
                return Err(malformed(format!("duplicate attribute @{key}")));
            }
            el.attrs.push(Attr {
                ns,
                local: local.to_owned(),
                value,
            });
        }
        Ok(el)
    }
}

fn split_qname(q: &str) -> (Option<&str>, &str) {
    match q.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, q),
    }
}

fn trailing(at: usize) -> Error {
    Error::new(ErrorKind::Xml {
        offset: at,
        message: "content after the root element".into(),
    })
}

fn offset(pos: u64) -> usize {
    usize::try_from(pos).unwrap_or(usize::MAX)
}

/// Escapes text content (`&`, `<`, `>`).
pub(crate) fn escape_text(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(['&', '<', '>', '\r']) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
    out.into()
}

/// Escapes an attribute value written between double quotes.
pub(crate) fn escape_attr(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(['&', '<', '>', '"', '\r', '\n', '\t']) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#xD;"),
            '\n' => out.push_str("&#xA;"),
            '\t' => out.push_str("&#x9;"),
            c => out.push(c),
        }
    }
    out.into()
}

/// Strips a leading XML declaration (and byte-order mark) from a document so that it can be
/// embedded in another one.
pub(crate) fn strip_declaration(xml: &str) -> &str {
    let xml = xml.strip_prefix('\u{feff}').unwrap_or(xml);
    let trimmed = xml.trim_start();
    if trimmed.starts_with("<?xml")
        && let Some(end) = trimmed.find("?>")
    {
        return trimmed[end + 2..].trim_start();
    }
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> Result<Document, Error> {
        parse(s.as_bytes(), &Limits::default())
    }

    #[test]
    fn namespaces_spans_and_text() {
        let src = r#"<?xml version="1.0"?><a:r xmlns:a="urn:a" xmlns="urn:d"><b x="1&amp;2">t&lt;&#65;<![CDATA[<c>]]></b><a:e/></a:r>"#;
        let d = doc(src).unwrap();
        assert!(d.root.is("urn:a", "r"));
        let b = d.root.child("urn:d", "b").unwrap();
        assert_eq!(b.attr("x"), Some("1&2"));
        assert_eq!(b.text(), "t<A<c>");
        let e = d.root.child("urn:a", "e").unwrap();
        assert_eq!(e.raw(&d.source), "<a:e/>");
        assert_eq!(
            e.standalone(&d.source),
            r#"<a:e xmlns:a="urn:a" xmlns="urn:d"/>"#
        );
        assert!(d.root.raw(&d.source).ends_with("</a:r>"));
        assert_eq!(
            b.resolve_qname("a:zz").unwrap(),
            QualifiedName {
                namespace: Some("urn:a".into()),
                local: "zz".into()
            }
        );
        assert!(b.resolve_qname("q:zz").is_err());
    }

    #[test]
    fn standalone_keeps_own_declarations() {
        let src = r#"<r xmlns:p="urn:1"><p:c xmlns:p="urn:2" xmlns:q="urn:q">x</p:c></r>"#;
        let d = doc(src).unwrap();
        let c = d.root.elements().next().unwrap();
        assert_eq!(c.ns.as_deref(), Some("urn:2"));
        assert_eq!(c.standalone(&d.source), c.raw(&d.source));
    }

    #[test]
    fn hostile_documents_are_rejected() {
        for bad in [
            "<!DOCTYPE r [<!ENTITY e \"x\">]><r>&e;</r>",
            "<r>&e;</r>",
            "<r><a></r>",
            "<r/><r/>",
            "<p:r/>",
            "<r a='1' a='2'/>",
            "",
            "text",
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r/>",
        ] {
            assert!(doc(bad).is_err(), "{bad}");
        }
        assert!(parse(b"<r>\xff</r>", &Limits::default()).is_err());
        let deep = "<a>".repeat(200) + &"</a>".repeat(200);
        assert!(matches!(
            doc(&deep).unwrap_err().kind(),
            ErrorKind::LimitExceeded { .. }
        ));
        let small = Limits::default().with_max_bytes(4);
        assert!(parse(b"<abc/>", &small).is_err());
    }

    #[test]
    fn namespace_floods_are_bounded() {
        // many declarations in scope: refused past the limit, cheap below it
        let decls: String = (0..200)
            .map(|i| format!(" xmlns:p{i}=\"urn:{i}\""))
            .collect();
        let nested = format!("<a{decls}><b{decls}><c{decls}/></b></a>");
        assert_eq!(
            doc(&nested).unwrap_err().kind(),
            &ErrorKind::LimitExceeded {
                what: "namespace bindings in scope",
                limit: MAX_IN_SCOPE_BINDINGS
            }
        );
        let wide = format!("<a{decls}>{}</a>", "<b xmlns:q=\"urn:q\"/>".repeat(5_000));
        let d = doc(&wide).unwrap();
        assert_eq!(d.root.elements().count(), 5_000);
        // shadowed prefixes resolve to the innermost binding
        let d = doc(r#"<p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2"><p:c/></p:b></p:a>"#).unwrap();
        let c = d.root.elements().next().unwrap().elements().next().unwrap();
        assert_eq!(c.ns.as_deref(), Some("urn:2"));
        assert_eq!(c.standalone(&d.source), r#"<p:c xmlns:p="urn:2"/>"#);
    }

    #[test]
    fn namespace_uris_are_shared_and_bounded() {
        // one copy of a URI however many elements and attributes are in its namespace (a copy
        // each let a long URI on many elements take unbounded memory)
        let uri = format!("urn:{}", "u".repeat(MAX_NAMESPACE_URI - 4));
        let body = r#"<p:b p:x="1" p:y="2"/>"#.repeat(1_000);
        let d = doc(&format!(r#"<p:a xmlns:p="{uri}">{body}</p:a>"#)).unwrap();
        let first = d.root.elements().next().unwrap();
        for e in d.root.elements() {
            assert!(Rc::ptr_eq(
                e.ns.as_ref().unwrap(),
                d.root.ns.as_ref().unwrap()
            ));
            assert!(Rc::ptr_eq(
                e.attrs[1].ns.as_ref().unwrap(),
                first.ns.as_ref().unwrap()
            ));
        }
        // and no URI longer than the limit
        let long = format!("urn:{}", "u".repeat(MAX_NAMESPACE_URI));
        for decl in ["xmlns", "xmlns:p"] {
            assert_eq!(
                doc(&format!(r#"<a {decl}="{long}"/>"#)).unwrap_err().kind(),
                &ErrorKind::LimitExceeded {
                    what: "namespace URI length",
                    limit: MAX_NAMESPACE_URI
                }
            );
        }
    }

    #[test]
    fn escaping() {
        assert_eq!(escape_text("a<&>b"), "a&lt;&amp;&gt;b");
        assert_eq!(escape_attr("\"x\"\n"), "&quot;x&quot;&#xA;");
        assert_eq!(strip_declaration("<?xml version='1.0'?>\n<r/>"), "<r/>");
        assert_eq!(strip_declaration("<r/>"), "<r/>");
    }
}
