//! Canonical XML 1.0 and Exclusive XML Canonicalization 1.0.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use crate::error::{Error, Result};
use crate::tree::{AttrName, Document, NodeId, NodeKind, ParseLimits, XML_NS};

/// Algorithm URI of Exclusive XML Canonicalization 1.0 (without comments).
pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// Algorithm URI of Exclusive XML Canonicalization 1.0 with comments.
pub const EXC_C14N_WITH_COMMENTS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
/// Algorithm URI of Canonical XML 1.0 (without comments).
pub const C14N: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
/// Algorithm URI of Canonical XML 1.0 with comments.
pub const C14N_WITH_COMMENTS: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";

/// Which canonicalisation to apply.
///
/// ```
/// use segur_xmldsig::Canonicalization;
///
/// let doc = br#"<r xmlns:a="urn:a" xmlns:b="urn:b"><a:x b='2' a='1'/><!-- c --></r>"#;
/// let exc = Canonicalization::exclusive().canonicalize(doc)?;
/// assert_eq!(exc, br#"<r><a:x xmlns:a="urn:a" a="1" b="2"></a:x></r>"#);
/// let inc = Canonicalization::inclusive().with_comments(true).canonicalize(doc)?;
/// assert_eq!(inc, br#"<r xmlns:a="urn:a" xmlns:b="urn:b"><a:x a="1" b="2"></a:x><!-- c --></r>"#);
/// # Ok::<(), segur_xmldsig::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Canonicalization {
    exclusive: bool,
    with_comments: bool,
    inclusive_prefixes: Vec<String>,
    limits: ParseLimits,
}

impl Canonicalization {
    /// Exclusive XML Canonicalization 1.0, without comments.
    pub fn exclusive() -> Self {
        Self {
            exclusive: true,
            with_comments: false,
            inclusive_prefixes: Vec::new(),
            limits: ParseLimits::default(),
        }
    }

    /// Canonical XML 1.0 (inclusive), without comments.
    pub fn inclusive() -> Self {
        Self {
            exclusive: false,
            ..Self::exclusive()
        }
    }

    /// The canonicalisation named by an algorithm URI (one of the four constants of this
    /// module), or `None` for any other URI.
    pub fn from_uri(uri: &str) -> Option<Self> {
        match uri {
            EXC_C14N => Some(Self::exclusive()),
            EXC_C14N_WITH_COMMENTS => Some(Self::exclusive().with_comments(true)),
            C14N => Some(Self::inclusive()),
            C14N_WITH_COMMENTS => Some(Self::inclusive().with_comments(true)),
            _ => None,
        }
    }

    /// The algorithm URI of this canonicalisation.
    pub fn uri(&self) -> &'static str {
        match (self.exclusive, self.with_comments) {
            (true, false) => EXC_C14N,
            (true, true) => EXC_C14N_WITH_COMMENTS,
            (false, false) => C14N,
            (false, true) => C14N_WITH_COMMENTS,
        }
    }

    /// Keep (`true`) or drop (`false`, the default) comments.
    pub fn with_comments(mut self, with_comments: bool) -> Self {
        self.with_comments = with_comments;
        self
    }

    /// The `InclusiveNamespaces PrefixList` of exclusive canonicalisation: prefixes whose
    /// declarations are rendered as in inclusive canonicalisation (`#default` stands for the
    /// default namespace). Ignored by inclusive canonicalisation.
    pub fn inclusive_prefixes<I, S>(mut self, prefixes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.inclusive_prefixes = prefixes.into_iter().map(Into::into).collect();
        self
    }

    /// The limits used when parsing (defaults: [`ParseLimits::default`]).
    pub fn limits(mut self, limits: ParseLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Whether this is the exclusive variant.
    pub fn is_exclusive(&self) -> bool {
        self.exclusive
    }

    /// The configured `InclusiveNamespaces PrefixList`.
    pub fn prefixes(&self) -> &[String] {
        &self.inclusive_prefixes
    }

    /// Canonicalises a whole document.
    pub fn canonicalize(&self, document: &[u8]) -> Result<Vec<u8>> {
        let doc = Document::parse(document, &self.limits)?;
        let mut out = Vec::with_capacity(document.len());
        let mut before_root = true;
        for &n in &doc.top {
            if n == doc.root {
                self.write_subtree(&doc, n, None, &mut out)?;
                before_root = false;
                continue;
            }
            let is_comment = matches!(doc.nodes[n].kind, NodeKind::Comment(_));
            if is_comment && !self.with_comments {
                continue;
            }
            if !before_root {
                out.push(b'\n');
            }
            write_leaf(&doc, n, &mut out);
            if before_root {
                out.push(b'\n');
            }
        }
        Ok(out)
    }

    /// Canonicalises the subtree of the unique element whose attribute `id_attribute` (see
    /// [`IdAttribute`](crate::IdAttribute)) equals `id_value`, as a same-document reference
    /// `URI="#id_value"` would select it.
    pub fn canonicalize_element(
        &self,
        document: &[u8],
        id_attribute: &crate::IdAttribute,
        id_value: &str,
    ) -> Result<Vec<u8>> {
        let doc = Document::parse(document, &self.limits)?;
        let id = unique_id(&doc, &id_attribute.0, id_value)?;
        let mut out = Vec::new();
        self.write_subtree(&doc, id, None, &mut out)?;
        Ok(out)
    }

    /// Canonicalises the subtree rooted at `apex`, leaving out the subtree `exclude` (the
    /// enveloped signature) if given. The output is bounded (see [`MAX_GROWTH`]): exclusive
    /// canonicalisation redeclares namespaces on every element that uses them, which a
    /// hostile document can make grow without bound, and this runs before any signature is
    /// checked.
    pub(crate) fn write_subtree(
        &self,
        doc: &Document,
        apex: NodeId,
        exclude: Option<NodeId>,
        out: &mut Vec<u8>,
    ) -> Result<()> {
        // The namespaces in scope at the apex come from its ancestors.
        let mut scope: HashMap<String, Rc<str>> = HashMap::new();
        let mut inherited_xml_attrs: Vec<(String, String, String)> = Vec::new();
        // the innermost of each `xml:` attribute (a set: ancestors may hold many)
        let mut xml_attrs_seen = HashSet::new();
        for anc in doc.ancestors(apex) {
            let e = doc.element(anc);
            for (p, u) in &e.ns_decls {
                scope.entry(p.clone()).or_insert_with(|| Rc::clone(u));
            }
            for a in &e.attrs {
                if a.ns.as_deref() == Some(XML_NS) && xml_attrs_seen.insert(a.local.as_str()) {
                    inherited_xml_attrs.push((a.local.clone(), a.qname.clone(), a.value.clone()));
                }
            }
        }
        let source = doc.element(apex);
        let limit = out.len().saturating_add(
            (source.end.saturating_sub(source.start))
                .saturating_mul(MAX_GROWTH)
                .saturating_add(GROWTH_SLACK),
        );
        let mut writer = Writer {
            doc,
            c14n: self,
            exclude,
            limit,
            exceeded: false,
            scope,
            rendered: HashMap::new(),
            undo: Vec::new(),
        };
        let inherited = if self.exclusive {
            Vec::new()
        } else {
            inherited_xml_attrs
        };
        writer.element(apex, &inherited, true, out);
        if writer.exceeded || out.len() > limit {
            return Err(Error::LimitExceeded {
                limit: "canonical form size",
                maximum: limit,
                offset: source.start,
            });
        }
        Ok(())
    }
}

/// The unique element with `attr = value`.
pub(crate) fn unique_id(doc: &Document, attr: &AttrName, value: &str) -> Result<NodeId> {
    let found = doc.find_by_id(attr, value);
    let name = match &attr.ns {
        Some(ns) => format!("{{{ns}}}{}", attr.local),
        None => attr.local.clone(),
    };
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(Error::IdNotFound {
            attribute: name,
            value: value.to_owned(),
        }),
        many => Err(Error::DuplicateId {
            attribute: name,
            value: value.to_owned(),
            count: many.len(),
        }),
    }
}

/// How many times its source a canonical form may be (plus [`GROWTH_SLACK`]). Escaping alone
/// can make one byte six (`"` in an attribute value becomes `&quot;`), and exclusive
/// canonicalisation redeclares a prefix on every element that uses it when no output ancestor
/// does: a short element with a usual URI grows about tenfold. Past this, it is a hostile
/// document (a long URI on many siblings).
const MAX_GROWTH: usize = 16;

/// Bytes a canonical form may hold beyond [`MAX_GROWTH`] times its source.
const GROWTH_SLACK: usize = 16 << 20;

struct Writer<'a> {
    doc: &'a Document,
    c14n: &'a Canonicalization,
    exclude: Option<NodeId>,
    /// The output length past which writing stops, and `exceeded` is set.
    limit: usize,
    exceeded: bool,
    /// The namespaces in scope at the element being written.
    scope: HashMap<String, Rc<str>>,
    /// The namespace declarations in effect in the output at the element being written (by
    /// its output ancestors, then by itself).
    rendered: HashMap<String, Rc<str>>,
    /// How to restore `scope` and `rendered` when leaving an element: each change made on
    /// entering one, with the value it replaced. One map of each and this log, instead of a
    /// copy of the maps per element, keep the work linear in the size of the document.
    undo: Vec<Undo>,
}

/// A change to [`Writer::scope`] or [`Writer::rendered`], with the value it replaced.
struct Undo {
    rendered: bool,
    prefix: String,
    replaced: Option<Rc<str>>,
}

impl<'a> Writer<'a> {
    /// Binds `prefix` in the scope (or among the rendered declarations), logging the change.
    fn bind(&mut self, rendered: bool, prefix: &str, uri: &Rc<str>) {
        let map = if rendered {
            &mut self.rendered
        } else {
            &mut self.scope
        };
        let replaced = map.insert(prefix.to_owned(), Rc::clone(uri));
        self.undo.push(Undo {
            rendered,
            prefix: prefix.to_owned(),
            replaced,
        });
    }

    /// Undoes the changes logged since the log was `mark` long.
    fn unbind_to(&mut self, mark: usize) {
        while self.undo.len() > mark {
            let Some(u) = self.undo.pop() else { break };
            let map = if u.rendered {
                &mut self.rendered
            } else {
                &mut self.scope
            };
            match u.replaced {
                Some(old) => map.insert(u.prefix, old),
                None => map.remove(&u.prefix),
            };
        }
    }

    fn element(
        &mut self,
        id: NodeId,
        inherited_xml_attrs: &[(String, String, String)],
        is_apex: bool,
        out: &mut Vec<u8>,
    ) {
        if out.len() > self.limit || self.exceeded {
            self.exceeded = true;
            return;
        }
        let doc = self.doc;
        let c14n = self.c14n;
        let e = doc.element(id);
        let mark = self.undo.len();
        for (p, u) in &e.ns_decls {
            self.bind(false, p, u);
        }
        // Which namespace prefixes must be considered for output.
        let scope_keys: Vec<String>;
        let mut candidates: BTreeSet<&str> = BTreeSet::new();
        if c14n.exclusive {
            candidates.insert(e.prefix.as_deref().unwrap_or(""));
            for a in &e.attrs {
                if let Some(p) = &a.prefix {
                    candidates.insert(p);
                }
            }
            for p in &c14n.inclusive_prefixes {
                candidates.insert(if p == "#default" { "" } else { p });
            }
        } else if is_apex {
            // In inclusive mode the apex renders the whole scope ...
            scope_keys = self.scope.keys().cloned().collect();
            candidates.extend(scope_keys.iter().map(String::as_str));
            candidates.insert("");
        } else {
            // ... so that below it only what an element declares can differ from what its
            // output ancestors rendered.
            candidates.extend(e.ns_decls.iter().map(|(p, _)| p.as_str()));
        }
        out.push(b'<');
        out.extend_from_slice(e.qname.as_bytes());
        for p in candidates {
            if p == "xml" {
                continue;
            }
            let uri = self.scope.get(p).map_or("", |u| &**u);
            let already = self.rendered.get(p).map_or("", |r| &**r);
            if uri == already || (uri.is_empty() && !p.is_empty()) {
                // Already declared, or a listed prefix that is not in scope.
                continue;
            }
            if p.is_empty() {
                out.extend_from_slice(b" xmlns=\"");
            } else {
                out.extend_from_slice(b" xmlns:");
                out.extend_from_slice(p.as_bytes());
                out.extend_from_slice(b"=\"");
            }
            escape_attr(uri, out);
            out.push(b'"');
            let uri = self.scope.get(p).cloned().unwrap_or_else(|| Rc::from(""));
            self.bind(true, p, &uri);
        }
        // Attributes sorted by (namespace URI, local name); no namespace sorts first.
        let mut attrs: Vec<(&str, &str, &str, &str)> = e
            .attrs
            .iter()
            .map(|a| {
                (
                    a.ns.as_deref().unwrap_or(""),
                    a.local.as_str(),
                    a.qname.as_str(),
                    a.value.as_str(),
                )
            })
            .collect();
        for (local, qname, value) in inherited_xml_attrs {
            if !attrs
                .iter()
                .any(|(ns, l, _, _)| *ns == XML_NS && l == local)
            {
                attrs.push((XML_NS, local, qname, value));
            }
        }
        attrs.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        for (_, _, qname, value) in attrs {
            out.push(b' ');
            out.extend_from_slice(qname.as_bytes());
            out.extend_from_slice(b"=\"");
            escape_attr(value, out);
            out.push(b'"');
        }
        out.push(b'>');
        for &c in &e.children {
            if Some(c) == self.exclude {
                continue;
            }
            match &doc.nodes[c].kind {
                NodeKind::Element(_) => self.element(c, &[], false, out),
                NodeKind::Comment(_) if !c14n.with_comments => {}
                _ => write_leaf(doc, c, out),
            }
        }
        out.extend_from_slice(b"</");
        out.extend_from_slice(e.qname.as_bytes());
        out.push(b'>');
        self.unbind_to(mark);
    }
}

/// Writes a text, comment or processing-instruction node.
fn write_leaf(doc: &Document, id: NodeId, out: &mut Vec<u8>) {
    match &doc.nodes[id].kind {
        NodeKind::Text(t) => escape_text(t, out),
        NodeKind::Comment(c) => {
            out.extend_from_slice(b"<!--");
            out.extend_from_slice(c.as_bytes());
            out.extend_from_slice(b"-->");
        }
        NodeKind::Pi { target, data } => {
            out.extend_from_slice(b"<?");
            out.extend_from_slice(target.as_bytes());
            if !data.is_empty() {
                out.push(b' ');
                out.extend_from_slice(data.as_bytes());
            }
            out.extend_from_slice(b"?>");
        }
        NodeKind::Element(_) => {}
    }
}

fn escape_text(s: &str, out: &mut Vec<u8>) {
    for b in s.bytes() {
        match b {
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            b'\r' => out.extend_from_slice(b"&#xD;"),
            _ => out.push(b),
        }
    }
}

fn escape_attr(s: &str, out: &mut Vec<u8>) {
    for b in s.bytes() {
        match b {
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'"' => out.extend_from_slice(b"&quot;"),
            b'\t' => out.extend_from_slice(b"&#x9;"),
            b'\n' => out.extend_from_slice(b"&#xA;"),
            b'\r' => out.extend_from_slice(b"&#xD;"),
            _ => out.push(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_canonical_form_is_bounded() {
        // exclusive c14n redeclares a prefix on every element that uses it: a long URI on many
        // siblings would make the output elements x URI long
        let uri = format!("urn:{}", "u".repeat(2000));
        let doc = format!(r#"<r xmlns:p="{uri}">{}</r>"#, "<p:a/>".repeat(20_000));
        let err = Canonicalization::exclusive()
            .canonicalize(doc.as_bytes())
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::LimitExceeded {
                    limit: "canonical form size",
                    ..
                }
            ),
            "{err}"
        );
        // inclusive c14n declares it once, and the same document goes through
        let out = Canonicalization::inclusive()
            .canonicalize(doc.as_bytes())
            .unwrap();
        assert!(out.len() < doc.len() * 2);
        // a few siblings are within the bound, and so are many with a usual URI (each grows
        // more than tenfold)
        let few = format!(r#"<r xmlns:p="{uri}">{}</r>"#, "<p:a/>".repeat(100));
        assert!(
            Canonicalization::exclusive()
                .canonicalize(few.as_bytes())
                .is_ok()
        );
        let usual = "urn:oasis:names:tc:SAML:2.0:assertion";
        let many = format!(r#"<r xmlns:p="{usual}">{}</r>"#, "<p:a/>".repeat(200_000));
        assert!(
            Canonicalization::exclusive()
                .canonicalize(many.as_bytes())
                .is_ok()
        );
    }

    #[test]
    fn a_wide_namespace_scope_costs_nothing_per_element() {
        // 200 nested elements declaring 200 prefixes each put 40,000 namespaces in scope;
        // then 200,000 siblings each declare one more. Copying the scope per declaring
        // element (or, in inclusive mode, looking at all of it) took hours; it is now linear.
        let mut doc = String::new();
        for d in 0..200 {
            doc.push_str("<n");
            for i in 0..200 {
                doc.push_str(&format!(" xmlns:p{d}x{i}=\"u\""));
            }
            doc.push('>');
        }
        doc.push_str(&"<z:a xmlns:z=\"v\"/>".repeat(200_000));
        doc.push_str(&"</n>".repeat(200));
        let started = std::time::Instant::now();
        let exclusive = Canonicalization::exclusive()
            .canonicalize(doc.as_bytes())
            .unwrap();
        assert!(exclusive.starts_with(b"<n><n>"));
        let inclusive = Canonicalization::inclusive()
            .canonicalize(doc.as_bytes())
            .unwrap();
        let count =
            |out: &[u8], what: &[u8]| out.windows(what.len()).filter(|w| *w == what).count();
        // unused prefixes are left out in exclusive mode, and declared once in inclusive mode
        assert_eq!(count(&exclusive, b" xmlns:p"), 0);
        assert_eq!(count(&exclusive, b" xmlns:z"), 200_000);
        assert_eq!(count(&inclusive, b" xmlns:p"), 40_000);
        assert_eq!(count(&inclusive, b" xmlns:z"), 200_000);
        // Not a timing test (both passes take well under a second, in a debug build, on
        // a 2-core VM): a guard against the quadratic behaviour coming back.
        assert!(started.elapsed() < std::time::Duration::from_secs(60));
    }

    fn exc(s: &str) -> String {
        String::from_utf8(
            Canonicalization::exclusive()
                .canonicalize(s.as_bytes())
                .unwrap(),
        )
        .unwrap()
    }

    fn inc(s: &str) -> String {
        String::from_utf8(
            Canonicalization::inclusive()
                .canonicalize(s.as_bytes())
                .unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn default_namespace_undeclared() {
        let d = r#"<a xmlns="urn:x"><b xmlns=""><c/></b></a>"#;
        assert_eq!(exc(d), r#"<a xmlns="urn:x"><b xmlns=""><c></c></b></a>"#);
        assert_eq!(inc(d), r#"<a xmlns="urn:x"><b xmlns=""><c></c></b></a>"#);
        // xmlns="" with nothing to undeclare is superfluous.
        assert_eq!(exc(r#"<a xmlns=""/>"#), "<a></a>");
    }

    #[test]
    fn escaping_and_whitespace() {
        let d = "<?xml version=\"1.0\"?>\n<!-- c -->\n<a x=\"&#9;&#10;&#13;&quot;&lt;&gt;\">\r\n&#13;&gt;<![CDATA[<&>]]></a>\n<?pi  data ?>";
        assert_eq!(
            exc(d),
            "<a x=\"&#x9;&#xA;&#xD;&quot;&lt;>\">\n&#xD;&gt;&lt;&amp;&gt;</a>\n<?pi data ?>"
        );
    }

    #[test]
    fn subtree_inherits_namespaces() {
        let d = r#"<r xmlns="urn:d" xmlns:p="urn:p" xml:lang="fr"><s ID="x"><p:t/></s></r>"#;
        let id = crate::IdAttribute::new("ID");
        let e = Canonicalization::exclusive()
            .canonicalize_element(d.as_bytes(), &id, "x")
            .unwrap();
        assert_eq!(
            e,
            br#"<s xmlns="urn:d" ID="x"><p:t xmlns:p="urn:p"></p:t></s>"#
        );
        let i = Canonicalization::inclusive()
            .canonicalize_element(d.as_bytes(), &id, "x")
            .unwrap();
        assert_eq!(
            i,
            br#"<s xmlns="urn:d" xmlns:p="urn:p" ID="x" xml:lang="fr"><p:t></p:t></s>"#
        );
        let listed = Canonicalization::exclusive()
            .inclusive_prefixes(["p", "#default", "q"])
            .canonicalize_element(d.as_bytes(), &id, "x")
            .unwrap();
        assert_eq!(
            listed,
            br#"<s xmlns="urn:d" xmlns:p="urn:p" ID="x"><p:t></p:t></s>"#
        );
    }
}
