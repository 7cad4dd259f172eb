//! A minimal deterministic XML emitter: escaping, compact or indented layout, namespace prefixes.

use std::collections::BTreeMap;

use crate::model::{HL7_NS, SDTC_NS, XML_NS, XSI_NS};

use super::Style;

/// Prefixes for the namespaces CDA documents use; other namespaces get `ns1`, `ns2`, ...
const KNOWN_PREFIXES: [(&str, &str); 5] = [
    (XSI_NS, "xsi"),
    (SDTC_NS, "sdtc"),
    ("urn:oid:1.3.6.1.4.1.19376.1.3.2", "lab"),
    ("urn:ihe:pharm:medication", "pharm"),
    ("urn:dicom-org:ps3-20", "ps3-20"),
];

/// Accumulates markup. Start tags are written lazily so that an element without children
/// becomes `<x/>`.
pub(crate) struct XmlOut {
    style: Style,
    buf: String,
    depth: usize,
    /// The current start tag is still open (`<x a="b"` written, `>` not yet).
    open_tag: bool,
    /// Per open element: the name, whether it holds text (mixed content is never indented) and
    /// whether the default namespace inside it is HL7 (it is, except inside an element in no
    /// namespace or one whose `xsi:type` names a type in no namespace).
    stack: Vec<(String, bool, bool)>,
    /// Whether the `hl7` prefix was used (for HL7 names where the default namespace is not HL7).
    hl7_prefix: bool,
    /// Namespaces used so far (URI → prefix), declared on the root element at the end.
    namespaces: BTreeMap<String, String>,
    /// Order of first use of the namespaces, for deterministic declarations.
    ns_order: Vec<String>,
}

impl XmlOut {
    pub(crate) fn new(style: Style) -> Self {
        Self {
            style,
            buf: String::new(),
            depth: 0,
            open_tag: false,
            stack: Vec::new(),
            hl7_prefix: false,
            namespaces: BTreeMap::new(),
            ns_order: Vec::new(),
        }
    }

    /// The prefix to use for `uri` (`None` for the default HL7 namespace), registering it.
    pub(crate) fn prefix(&mut self, uri: &str) -> Option<String> {
        if uri == HL7_NS {
            return None;
        }
        // bound by XML itself, never declared
        if uri == XML_NS {
            return Some("xml".to_owned());
        }
        if let Some(p) = self.namespaces.get(uri) {
            return Some(p.clone());
        }
        let prefix = KNOWN_PREFIXES.iter().find(|(u, _)| *u == uri).map_or_else(
            || format!("ns{}", self.ns_order.len() + 1),
            |(_, p)| (*p).to_owned(),
        );
        self.namespaces.insert(uri.to_owned(), prefix.clone());
        self.ns_order.push(uri.to_owned());
        Some(prefix)
    }

    /// Whether the default namespace in scope is HL7.
    pub(crate) fn hl7_default(&self) -> bool {
        self.stack.last().is_none_or(|e| e.2)
    }

    /// `local` with the prefix of `namespace`: the `hl7` prefix for HL7.
    fn prefixed(&mut self, namespace: &str, local: &str) -> String {
        match self.prefix(namespace) {
            Some(p) => format!("{p}:{local}"),
            None => {
                self.hl7_prefix = true;
                format!("hl7:{local}")
            }
        }
    }

    /// The qualified name of an attribute in `namespace` (`None`: no namespace).
    pub(crate) fn attr_name(&mut self, namespace: Option<&str>, local: &str) -> String {
        match namespace {
            None => local.to_owned(),
            Some(ns) => self.prefixed(ns, local),
        }
    }

    /// A QName as an attribute value (`xsi:type`), read against the default namespace of the
    /// element just opened: unprefixed in that namespace. The caller opens an element whose
    /// default namespace is none for a name in no namespace (see [`XmlOut::start_in`]).
    pub(crate) fn qname_value(&mut self, namespace: Option<&str>, local: &str) -> String {
        let hl7_default = self.hl7_default();
        self.name_in(namespace, local, hl7_default)
    }

    /// The name of an element or a QName value in `namespace` (`None`: no namespace) where the
    /// default namespace is HL7 (`hl7_default`) or none: unprefixed in the default namespace.
    fn name_in(&mut self, namespace: Option<&str>, local: &str, hl7_default: bool) -> String {
        debug_assert!(
            namespace.is_some() || !hl7_default,
            "a name in no namespace needs no default namespace"
        );
        match namespace {
            None => local.to_owned(),
            Some(HL7_NS) if hl7_default => local.to_owned(),
            Some(ns) => self.prefixed(ns, local),
        }
    }

    fn close_open_tag(&mut self) {
        if self.open_tag {
            self.buf.push('>');
            self.open_tag = false;
        }
    }

    fn newline_indent(&mut self) {
        if self.style == Style::Pretty && !self.stack.last().is_some_and(|(_, text, _)| *text) {
            self.buf.push('\n');
            for _ in 0..self.depth {
                self.buf.push_str("  ");
            }
        }
    }

    /// Opens the HL7 element `<local`; attributes follow with [`XmlOut::attr`].
    pub(crate) fn start(&mut self, local: &str) {
        let hl7_default = self.hl7_default();
        self.start_in(Some(HL7_NS), local, hl7_default);
    }

    /// Opens an element in `namespace` (`None`: no namespace) inside which the default
    /// namespace is HL7 (`hl7_default`) or none, declaring the change of default on it. An
    /// element in no namespace needs `hl7_default` false.
    pub(crate) fn start_in(&mut self, namespace: Option<&str>, local: &str, hl7_default: bool) {
        let name = self.name_in(namespace, local, hl7_default);
        let declare = (hl7_default != self.hl7_default()).then_some(hl7_default);
        self.close_open_tag();
        if !(self.buf.is_empty() && self.stack.is_empty()) {
            self.newline_indent();
        }
        self.buf.push('<');
        self.buf.push_str(&name);
        self.open_tag = true;
        self.stack.push((name, false, hl7_default));
        self.depth += 1;
        match declare {
            Some(true) => self.attr("xmlns", HL7_NS),
            Some(false) => self.attr("xmlns", ""),
            None => {}
        }
    }

    /// Adds an attribute to the start tag just opened.
    pub(crate) fn attr(&mut self, name: &str, value: &str) {
        debug_assert!(self.open_tag, "attribute outside a start tag");
        self.buf.push(' ');
        self.buf.push_str(name);
        self.buf.push_str("=\"");
        escape(&mut self.buf, value, true);
        self.buf.push('"');
    }

    /// Adds an attribute when the value is present.
    pub(crate) fn opt_attr(&mut self, name: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.attr(name, v);
        }
    }

    /// Declares that the current element has mixed content: its children are not indented (the
    /// indentation would become part of its text).
    pub(crate) fn mixed(&mut self) {
        if let Some(top) = self.stack.last_mut() {
            top.1 = true;
        }
    }

    /// Character data inside the current element (escaped).
    pub(crate) fn text(&mut self, text: &str) {
        self.close_open_tag();
        if let Some(top) = self.stack.last_mut() {
            top.1 = true;
        }
        escape(&mut self.buf, text, false);
    }

    /// Markup written as is inside the current element (the narrative block).
    pub(crate) fn raw(&mut self, markup: &str) {
        self.close_open_tag();
        if let Some(top) = self.stack.last_mut() {
            top.1 = true;
        }
        self.buf.push_str(markup);
    }

    /// Closes the current element.
    pub(crate) fn end(&mut self) {
        let Some((name, text, _)) = self.stack.pop() else {
            return;
        };
        self.depth -= 1;
        if self.open_tag {
            self.buf.push_str("/>");
            self.open_tag = false;
            return;
        }
        if !text {
            self.newline_indent();
        }
        self.buf.push_str("</");
        self.buf.push_str(&name);
        self.buf.push('>');
    }

    /// `<name>text</name>`.
    pub(crate) fn text_element(&mut self, name: &str, text: &str) {
        self.start(name);
        self.text(text);
        self.end();
    }

    /// The finished document: XML declaration, then the root start tag with the namespace
    /// declarations, then the rest. `root_tag_end` is the byte offset where the root's name ends.
    pub(crate) fn finish(mut self, root_tag_end: usize) -> String {
        while !self.stack.is_empty() {
            self.end();
        }
        let mut decls = String::from(" xmlns=\"urn:hl7-org:v3\"");
        if self.hl7_prefix {
            decls.push_str(" xmlns:hl7=\"urn:hl7-org:v3\"");
        }
        let mut uris = self.ns_order.clone();
        if !uris.iter().any(|u| u == XSI_NS) {
            uris.insert(0, XSI_NS.to_owned());
            self.namespaces.insert(XSI_NS.to_owned(), "xsi".to_owned());
        }
        for uri in &uris {
            decls.push_str(" xmlns:");
            decls.push_str(&self.namespaces[uri]);
            namespace_name(&mut decls, uri);
        }
        let mut out = String::with_capacity(self.buf.len() + decls.len() + 40);
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.push_str(&self.buf[..root_tag_end]);
        out.push_str(&decls);
        out.push_str(&self.buf[root_tag_end..]);
        out.push('\n');
        out
    }

    /// The current length of the output (to remember where the root's name ends).
    pub(crate) fn len(&self) -> usize {
        self.buf.len()
    }
}

/// Writes `="uri"` for a namespace declaration. The parser reads namespace names without
/// references (see `Reader::declare_namespaces`), so any name it accepted is written without
/// one: `>` stays as is and a name holding `"` is quoted with `'`. Names no parser result can
/// hold (with `&`, `<`, control characters or both quotes) are escaped as any attribute value.
fn namespace_name(out: &mut String, uri: &str) {
    let quote = if uri.contains('"') { '\'' } else { '"' };
    let verbatim =
        !uri.contains(['&', '<', quote]) && !uri.chars().any(|c| (c as u32) < 0x20 || not_xml(c));
    out.push('=');
    if verbatim {
        out.push(quote);
        out.push_str(uri);
        out.push(quote);
    } else {
        out.push('"');
        escape(out, uri, true);
        out.push('"');
    }
}

/// U+FFFE and U+FFFF, the non-control characters XML 1.0 cannot carry.
fn not_xml(c: char) -> bool {
    matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// Escapes `s` into `out`. Characters XML 1.0 cannot carry (C0 controls other than tab, line
/// feed and carriage return, U+FFFE, U+FFFF) become U+FFFD; in attributes tab, line feed and
/// carriage return are written as character references so that they survive normalisation.
pub(crate) fn escape(out: &mut String, s: &str, attribute: bool) {
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(ch),
            c if (c as u32) < 0x20 || not_xml(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes() {
        let mut s = String::new();
        escape(&mut s, "a<b>&\"c\"\t\n\r\u{1}", true);
        assert_eq!(s, "a&lt;b&gt;&amp;&quot;c&quot;&#9;&#10;&#13;\u{FFFD}");
        let mut t = String::new();
        escape(&mut t, "x \"y\"\n", false);
        assert_eq!(t, "x \"y\"\n");
    }

    #[test]
    fn compact_and_pretty_layouts() {
        for (style, expected) in [
            (
                Style::Compact,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<r xmlns=\"urn:hl7-org:v3\" \
                 xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><a x=\"1\"/><b>t</b>\
                 <c><d/></c></r>\n",
            ),
            (
                Style::Pretty,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<r xmlns=\"urn:hl7-org:v3\" \
                 xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n  <a x=\"1\"/>\n  \
                 <b>t</b>\n  <c>\n    <d/>\n  </c>\n</r>\n",
            ),
        ] {
            let mut w = XmlOut::new(style);
            w.start("r");
            let root_end = w.len();
            w.start("a");
            w.attr("x", "1");
            w.end();
            w.text_element("b", "t");
            w.start("c");
            w.start("d");
            w.end();
            w.end();
            w.end();
            assert_eq!(w.finish(root_end), expected);
        }
    }

    #[test]
    fn prefixes_are_stable() {
        let mut w = XmlOut::new(Style::Compact);
        assert_eq!(w.prefix(HL7_NS), None);
        assert_eq!(w.prefix("urn:x").as_deref(), Some("ns1"));
        assert_eq!(w.prefix(SDTC_NS).as_deref(), Some("sdtc"));
        assert_eq!(w.prefix("urn:x").as_deref(), Some("ns1"));
        assert_eq!(w.attr_name(Some("urn:y"), "e"), "ns3:e");
        assert_eq!(w.attr_name(None, "e"), "e");
        assert_eq!(w.attr_name(Some(HL7_NS), "e"), "hl7:e");
        assert_eq!(w.attr_name(Some(XML_NS), "lang"), "xml:lang");
        assert!(!w.ns_order.iter().any(|u| u == XML_NS), "never declared");
    }
}
