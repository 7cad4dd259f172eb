//! The flat parse: a document as one compact index over its source, read through typed views.
//!
//! [`parse`] checks the document as [`crate::parse`] does (well-formedness, namespaces,
//! limits, encodings, the auto-presentable wrapper), with one exception: control characters
//! in layout between tags, which it does not search for (the typed parse searches the layout
//! it reads as text). Instead of building the typed tree, it records every element of the
//! `ClinicalDocument` outside narrative blocks in one array of 24-byte entries (name,
//! namespace, attributes, text, extent) and every attribute in another of 16 bytes, pointing
//! into the source; a narrative block (the `text` of a body section) is one span of markup
//! (see [`Element::inner_xml`]). Nothing is copied but the rare values that need decoding
//! (references, line ends in text). As it records an element of the
//! body, it types it: it gives it its slot in the typed model (section, entry, clinical
//! statement, relationship, or one of their fields: `templateId`, `code`, `statusCode`,
//! `effectiveTime`, `value`, a participation...), from its name and its parent's slot, as
//! the typed parse reads them, two bytes per element. Reading is navigation over that index
//! ([`Element::child`], [`Element::children`], [`Element::attribute`], [`Element::text`]),
//! which allocates nothing.
//!
//! It is the fast path for reading a few fields of many documents: [`Summary`](crate::Summary)
//! (and `segur cda inspect`) use it, and a [`Parser`] reuses the index's buffers from one
//! document to the next. It parses faster than quick-xml's raw event loop and
//! holds less memory than the input; see the crate's "Performance" section.
//!
//! Any part of the document reads as typed data, built on demand by the typed parser's own
//! functions (the typed parser reads through a cursor that walks either the token stream or
//! this index): [`Document::header`] is the typed header, [`Document::to_model`] the whole
//! typed tree (equal to what [`crate::parse`] returns, which the fuzz target checks on every
//! input), [`Element::to_code`], [`Element::to_ii`], [`Element::to_statement`]... one element,
//! and [`Document::body`] gives views of the body ([`Section`], [`Entry`], [`Statement`],
//! [`Relationship`]) whose fields are found by their slot and read one at a time, as values
//! borrowed from the source. A reader of the header and a few sections pays for those only;
//! reading every field through the views costs more than building the tree (see
//! "Performance").
//!
//! ```
//! # let xml = br#"<ClinicalDocument xmlns="urn:hl7-org:v3"><title>T</title>
//! # <component><structuredBody><component><section>
//! # <code code="10164-2" codeSystem="2.16.840.1.113883.6.1"/>
//! # <entry><observation classCode="OBS" moodCode="EVN"><code code="8480-6"/></observation></entry>
//! # </section></component></structuredBody></component></ClinicalDocument>"#;
//! let doc = segur_cda::flat::parse(xml)?;
//! assert_eq!(doc.header().title.as_deref(), Some("T"));
//! let Some(segur_cda::flat::Body::Structured(body)) = doc.body() else { panic!("N3") };
//! for section in body.sections() {
//!     let code = section.code().and_then(|c| c.code);
//!     assert_eq!(code.as_deref(), Some("10164-2"));
//!     for statement in section.entries().filter_map(|e| e.statement()) {
//!         assert_eq!(statement.code().and_then(|c| c.code).as_deref(), Some("8480-6"));
//!     }
//! }
//! # Ok::<(), segur_cda::ParseError>(())
//! ```
//!
//! ```
//! let xml = br#"<ClinicalDocument xmlns="urn:hl7-org:v3">
//!   <id root="1.2.250.1.213.1.1.9" extension="42"/>
//!   <title>Compte rendu &amp; synth&#232;se</title>
//!   <recordTarget><patientRole><id root="1.2.250.1.213.1.4.8" extension="279035121518989"/>
//!   </patientRole></recordTarget>
//! </ClinicalDocument>"#;
//! let doc = segur_cda::flat::parse(xml)?;
//! let root = doc.root();
//! assert_eq!(root.child("id").and_then(|id| id.attribute("extension")), Some("42"));
//! assert_eq!(root.child("title").and_then(|t| t.text()), Some("Compte rendu & synthèse"));
//! let ins = root
//!     .child("recordTarget")
//!     .and_then(|r| r.child("patientRole"))
//!     .and_then(|p| p.child("id"))
//!     .and_then(|id| id.attribute("extension"));
//! assert_eq!(ins, Some("279035121518989"));
//! # Ok::<(), segur_cda::ParseError>(())
//! ```

mod typed;

use std::borrow::Cow;
use std::fmt;

pub use typed::{Body, Entry, Relationship, Section, Statement, StructuredBody};

use crate::error::ParseError;
use crate::model::{HL7_NS, QName, XML_NS, XSI_NS, is_statement_element};
use crate::parse::cda::{SectionPart, StatementPart};
use crate::parse::{Cursor, FlatCursor, Limits, xsi_type_parts};

/// Parses a CDA document into the flat index, with the default [`Limits`].
///
/// # Errors
/// As [`crate::parse`], but for control characters in layout, which the flat parse does not
/// search for (see the module documentation); also a [`crate::Limit::InputSize`] error past
/// 4 GiB, and a [`crate::Limit::Namespaces`] error past 255 distinct namespace names.
pub fn parse(input: &[u8]) -> Result<Document<'_>, ParseError> {
    parse_with(input, &Limits::default())
}

/// Parses a CDA document into the flat index with the given limits (see [`parse`]).
///
/// # Errors
/// See [`parse`].
pub fn parse_with<'a>(input: &'a [u8], limits: &Limits) -> Result<Document<'a>, ParseError> {
    crate::parse::parse_flat(input, limits, None)
}

/// A flat parser for many documents, which reuses the index buffers of the documents given
/// back to it with [`Parser::recycle`].
///
/// [`parse`] allocates each document's index afresh, sized from the input, and trims it to
/// its size at the end. Large allocations come from the system as new pages, which the
/// system clears as they are first written: on documents of megabytes, that costs a tenth to
/// a quarter of the parse, depending on the machine. A `Parser` writes the next document's index into the buffers of the
/// last one recycled instead (their capacity kept: the index of a document parsed this way
/// may hold more memory than [`parse`] would give it, up to the largest document recycled).
///
/// ```
/// let mut parser = segur_cda::flat::Parser::new();
/// for xml in [&b"<ClinicalDocument xmlns='urn:hl7-org:v3'><title>A</title></ClinicalDocument>"[..],
///             &b"<ClinicalDocument xmlns='urn:hl7-org:v3'><title>B</title></ClinicalDocument>"[..]] {
///     let doc = parser.parse(xml)?;
///     assert!(doc.header().title.is_some());
///     parser.recycle(doc);
/// }
/// # Ok::<(), segur_cda::ParseError>(())
/// ```
#[derive(Default)]
pub struct Parser {
    limits: Limits,
    spare: Option<Index>,
}

impl Parser {
    /// A parser with the default [`Limits`].
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A parser with the given limits.
    #[must_use]
    pub fn with_limits(limits: Limits) -> Self {
        Self {
            limits,
            spare: None,
        }
    }

    /// Parses a document as [`parse_with`] does with this parser's limits, into the buffers of
    /// the last document recycled (if any).
    ///
    /// # Errors
    /// See [`parse`]. The buffers being reused are dropped with the error.
    pub fn parse<'a>(&mut self, input: &'a [u8]) -> Result<Document<'a>, ParseError> {
        crate::parse::parse_flat(input, &self.limits, self.spare.take())
    }

    /// Takes back the buffers of a document's index, for the next [`Parser::parse`].
    pub fn recycle(&mut self, doc: Document<'_>) {
        self.spare = Some(doc.index);
    }
}

impl fmt::Debug for Parser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Parser")
            .field("limits", &self.limits)
            .field("spare", &self.spare.as_ref().map(|i| i.nodes.capacity()))
            .finish()
    }
}

/// The namespace index of "no namespace".
pub(crate) const NO_NS: u8 = 0;
/// The namespace index of HL7 v3.
pub(crate) const HL7: u8 = 1;
/// The namespace index of XML Schema instance (`xsi:`).
pub(crate) const XSI: u8 = 3;
/// The namespaces every document knows, at their indexes.
pub(crate) const KNOWN_NS: [&str; 4] = ["", HL7_NS, XML_NS, XSI_NS];

/// `Node::flags`: the text is an index into [`Index::strings`] (it was decoded or
/// concatenated).
pub(crate) const TEXT_OWNED: u8 = 1;
/// `Node::flags`: the text is the element's content kept as written (markup included): a
/// narrative block.
pub(crate) const TEXT_RAW: u8 = 2;
/// `Node::flags`: the element has text.
pub(crate) const HAS_TEXT: u8 = 4;
/// `Node::flags`: the element holds both text and child elements: its pieces of text, in
/// their places among the children, are in [`Index::runs`].
pub(crate) const MIXED: u8 = 32;
/// `Node::flags`: the element has an `xsi:type`, whose value's namespace is in
/// [`Index::xsi_types`].
pub(crate) const XSI_TYPE: u8 = 64;

/// `Attr::flags`: the value is an index into [`Index::strings`] (it was decoded).
pub(crate) const VALUE_OWNED: u8 = 1;

/// A piece of the text of an element with [`MIXED`] content: the text between two of its
/// children (or before the first, or after the last).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Run {
    /// The element.
    pub(crate) parent: u32,
    /// The child it precedes (the parent's `end` for text after the last child).
    pub(crate) before: u32,
    /// A span of the source or, when `owned`, an index into [`Index::strings`].
    pub(crate) text: u32,
    pub(crate) text_len: u32,
    pub(crate) owned: bool,
}

/// One element (24 bytes).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Node {
    /// The offset of its local name in the source.
    pub(crate) name: u32,
    /// The index of its first attribute in [`Document::attrs`]; its attributes run up to the
    /// next element's first.
    pub(crate) attrs: u32,
    /// The index of the first element after its subtree (its descendants are the elements
    /// in between).
    pub(crate) end: u32,
    /// Its text: a span of the source (offset, length) or, with [`TEXT_OWNED`], an index into
    /// [`Index::strings`] (in `text`).
    pub(crate) text: u32,
    pub(crate) text_len: u32,
    pub(crate) name_len: u16,
    /// Its namespace: an index into [`Document::namespaces`].
    pub(crate) ns: u8,
    pub(crate) flags: u8,
}

/// One attribute (16 bytes); namespace declarations are not kept.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Attr {
    /// The offset of its local name in the source.
    pub(crate) name: u32,
    /// Its normalised value: a span of the source or, with [`VALUE_OWNED`], an index into
    /// [`Index::strings`] (in `value`).
    pub(crate) value: u32,
    pub(crate) value_len: u32,
    pub(crate) name_len: u16,
    /// Its namespace: an index into [`Document::namespaces`] ([`NO_NS`] when unprefixed).
    pub(crate) ns: u8,
    pub(crate) flags: u8,
}

/// A namespace name: one of [`KNOWN_NS`], or a span of the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NsName {
    Known(u8),
    Span(u32, u32),
}

/// The slot of the typed model an element of the body fills, given by the parse to every
/// element from its name and its parent's slot (as the typed parse reads them): the body's
/// views find each field by its slot, without comparing names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Slot {
    /// No slot of the body's model: the header, an extension, the inside of a value...
    None,
    /// A `component` of the `ClinicalDocument`.
    DocComponent,
    /// The `structuredBody` of such a `component`.
    Body,
    /// A `component` of the `structuredBody`.
    BodyComponent,
    /// The `section` of such a `component` or of a section's; its `text` is a narrative block.
    Section,
    /// A child of a section (an `entry`, a `component`, a field).
    InSection(SectionPart),
    /// A clinical statement in an entry or a relationship (the first is theirs).
    Statement,
    /// A child of a statement (a relationship, a field).
    InStatement(StatementPart),
}

// two bytes per element
const _: () = assert!(size_of::<Slot>() == 2);

impl Slot {
    /// The slot of the HL7 v3 element `local` in an element of slot `parent` (`root`: the
    /// parent is the `ClinicalDocument`).
    #[inline]
    pub(crate) fn of(parent: Self, root: bool, local: &str) -> Self {
        match parent {
            Self::None if root && local == "component" => Self::DocComponent,
            Self::DocComponent if local == "structuredBody" => Self::Body,
            Self::Body if local == "component" => Self::BodyComponent,
            Self::BodyComponent | Self::InSection(SectionPart::Component) if local == "section" => {
                Self::Section
            }
            Self::Section => Self::InSection(SectionPart::of(local)),
            Self::InSection(SectionPart::Entry)
            | Self::InStatement(StatementPart::Relationship)
                if is_statement_element(local) =>
            {
                Self::Statement
            }
            Self::Statement => Self::InStatement(StatementPart::of(local)),
            _ => Self::None,
        }
    }
}

/// A parsed document: its source and the index over it. Read it from [`Document::root`].
#[derive(Clone)]
pub struct Document<'a> {
    pub(crate) src: Cow<'a, str>,
    pub(crate) index: Index,
}

/// The index of a document, without its source (which it points into).
#[derive(Clone, Default)]
pub(crate) struct Index {
    /// The elements of the `ClinicalDocument`, in document order (the first is the
    /// `ClinicalDocument`).
    pub(crate) nodes: Vec<Node>,
    /// The slot of each element, by element index.
    pub(crate) slots: Vec<Slot>,
    pub(crate) attrs: Vec<Attr>,
    /// Values that are not spans of the source: decoded attribute values and texts.
    pub(crate) strings: Vec<Box<str>>,
    /// The pieces of text of the elements with [`MIXED`] content, in document order.
    pub(crate) runs: Vec<Run>,
    /// The elements with an `xsi:type` and the namespace index of its value (resolved where
    /// it was written), by element index.
    pub(crate) xsi_types: Vec<(u32, u8)>,
    pub(crate) namespaces: Vec<NsName>,
    /// The root element holding the `ClinicalDocument` (auto-presentable documents): its
    /// local name's offset and length, and its namespace index.
    pub(crate) wrapper: Option<(u32, u32, u8)>,
}

impl Index {
    /// Empties the index, keeping the capacity of its buffers.
    pub(crate) fn clear(&mut self) {
        self.nodes.clear();
        self.slots.clear();
        self.attrs.clear();
        self.strings.clear();
        self.runs.clear();
        self.xsi_types.clear();
        self.namespaces.clear();
        self.wrapper = None;
    }

    /// A string of the document: the span `at`, `len` of `src` or, when `owned`, entry `at`
    /// of [`Self::strings`].
    pub(crate) fn string<'s>(&'s self, src: &'s str, at: u32, len: u32, owned: bool) -> &'s str {
        if owned {
            self.strings.get(at as usize).map_or("", |s| s)
        } else {
            let at = at as usize;
            src.get(at..at + len as usize).unwrap_or("")
        }
    }
}

impl fmt::Debug for Document<'_> {
    /// The shape only: a document's content is patient data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Document")
            .field("elements", &self.index.nodes.len())
            .field("attributes", &self.index.attrs.len())
            .field("source_bytes", &self.src.len())
            .finish()
    }
}

impl<'a> Document<'a> {
    /// The `ClinicalDocument` element.
    pub fn root(&self) -> Element<'_> {
        Element { doc: self, at: 0 }
    }

    /// The name of the root element that holds the `ClinicalDocument`, when it is not the
    /// root itself (the `xsl:stylesheet` of the ANS auto-presentable documents).
    pub fn wrapper(&self) -> Option<QName<'_>> {
        self.index.wrapper.map(|(at, len, ns)| QName {
            namespace: self.namespace(ns).map(Cow::Borrowed),
            local: Cow::Borrowed(self.span(at, len)),
        })
    }

    /// Every element of the `ClinicalDocument`, itself first, in document order; the markup
    /// of narrative blocks is not elements (see [`Element::inner_xml`]).
    pub fn elements(&self) -> impl ExactSizeIterator<Item = Element<'_>> {
        (0..self.index.nodes.len()).map(|at| Element { doc: self, at })
    }

    /// The text that was parsed (UTF-8; transcoded when the input was ISO-8859-1 or
    /// windows-1252).
    pub fn source(&self) -> &str {
        &self.src
    }

    /// The document with its own copy of the source, independent of the input.
    pub fn into_owned(self) -> Document<'static> {
        Document {
            src: Cow::Owned(self.src.into_owned()),
            index: self.index,
        }
    }

    /// The heap bytes the index holds (the source excluded).
    pub fn index_bytes(&self) -> usize {
        self.index.nodes.capacity() * size_of::<Node>()
            + self.index.slots.capacity() * size_of::<Slot>()
            + self.index.attrs.capacity() * size_of::<Attr>()
            + self.index.strings.capacity() * size_of::<Box<str>>()
            + self.index.strings.iter().map(|s| s.len()).sum::<usize>()
            + self.index.runs.capacity() * size_of::<Run>()
            + self.index.xsi_types.capacity() * size_of::<(u32, u8)>()
            + self.index.namespaces.capacity() * size_of::<NsName>()
    }

    /// Element `at` (an index into `nodes`).
    pub(crate) fn element(&self, at: usize) -> Element<'_> {
        Element { doc: self, at }
    }

    /// The run of text of [`MIXED`] element `parent` before its child `before` (or before its
    /// end).
    pub(crate) fn run(&self, parent: usize, before: usize) -> Option<&str> {
        let (parent, before) = (u32::try_from(parent).ok()?, u32::try_from(before).ok()?);
        let from = self.index.runs.partition_point(|r| r.before < before);
        let run = self.index.runs[from..]
            .iter()
            .take_while(|r| r.before == before)
            .find(|r| r.parent == parent)?;
        Some(self.string(run.text, run.text_len, run.owned))
    }

    /// See [`Index::string`].
    fn string(&self, at: u32, len: u32, owned: bool) -> &str {
        self.index.string(&self.src, at, len, owned)
    }

    fn span(&self, at: u32, len: u32) -> &str {
        self.string(at, len, false)
    }

    fn namespace(&self, ns: u8) -> Option<&str> {
        match self.index.namespaces.get(usize::from(ns))? {
            NsName::Known(0) => None,
            NsName::Known(k) => KNOWN_NS.get(usize::from(*k)).copied(),
            NsName::Span(at, len) => Some(self.span(*at, *len)),
        }
    }
}

/// An element of a [`Document`]: a cheap copyable view.
#[derive(Clone, Copy)]
pub struct Element<'d> {
    doc: &'d Document<'d>,
    at: usize,
}

impl fmt::Debug for Element<'_> {
    /// The name and position only (no content: patient data).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Element")
            .field("name", &self.local_name())
            .field("namespace", &self.namespace())
            .field("offset", &self.offset())
            .finish()
    }
}

impl PartialEq for Element<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.doc, other.doc) && self.at == other.at
    }
}

impl Eq for Element<'_> {}

impl<'d> Element<'d> {
    fn node(&self) -> &'d Node {
        &self.doc.index.nodes[self.at]
    }

    /// The local name.
    pub fn local_name(&self) -> &'d str {
        let n = self.node();
        self.doc.span(n.name, u32::from(n.name_len))
    }

    /// The namespace name (`None` for no namespace).
    pub fn namespace(&self) -> Option<&'d str> {
        self.doc.namespace(self.node().ns)
    }

    /// The index of the first element after its subtree.
    pub(crate) fn end(&self) -> usize {
        self.node().end as usize
    }

    /// Its `xsi:type`, resolved where it was written.
    pub fn xsi_type(&self) -> Option<QName<'d>> {
        if self.node().flags & XSI_TYPE == 0 {
            return None;
        }
        let at = u32::try_from(self.at).ok()?;
        let types = &self.doc.index.xsi_types;
        let ns = types[types.binary_search_by_key(&at, |&(e, _)| e).ok()?].1;
        let (_, local) = xsi_type_parts(self.attribute_ns(Some(XSI_NS), "type")?);
        Some(QName {
            namespace: self.doc.namespace(ns).map(Cow::Borrowed),
            local: Cow::Borrowed(local),
        })
    }

    /// The slot of the typed model it fills.
    pub(crate) fn slot(&self) -> Slot {
        self.doc.index.slots[self.at]
    }

    /// Its children that fill slot `slot`, in document order.
    pub(crate) fn in_slot(&self, slot: Slot) -> impl Iterator<Item = Element<'d>> + use<'d> {
        self.children().filter(move |c| c.slot() == slot)
    }

    /// Whether the element is in the HL7 v3 namespace.
    pub fn is_hl7(&self) -> bool {
        self.node().ns == HL7
    }

    /// Whether it is the HL7 v3 element `local`.
    pub fn is(&self, local: &str) -> bool {
        self.is_hl7() && self.local_name() == local
    }

    /// The byte offset of its start tag's `<` in [`Document::source`].
    pub fn offset(&self) -> usize {
        let name = self.node().name as usize;
        // back over the prefix, if any
        let before = &self.doc.src.as_bytes()[..name];
        before.iter().rposition(|&b| b == b'<').unwrap_or(0)
    }

    /// Its attributes (namespace declarations excluded), in document order.
    pub fn attributes(&self) -> impl ExactSizeIterator<Item = Attribute<'d>> + use<'d> {
        let doc = self.doc;
        let from = self.node().attrs as usize;
        let to = doc
            .index
            .nodes
            .get(self.at + 1)
            .map_or(doc.index.attrs.len(), |n| n.attrs as usize);
        doc.index.attrs[from..to]
            .iter()
            .map(move |a| Attribute { doc, a })
    }

    /// The normalised value of the unprefixed attribute `local`.
    pub fn attribute(&self, local: &str) -> Option<&'d str> {
        self.attribute_ns(None, local)
    }

    /// The normalised value of the attribute `local` in namespace `namespace` (`None`: no
    /// namespace, as unprefixed attributes are).
    pub fn attribute_ns(&self, namespace: Option<&str>, local: &str) -> Option<&'d str> {
        self.attributes()
            .find(|a| a.local_name() == local && a.namespace() == namespace)
            .map(|a| a.value())
    }

    /// Its character data (its direct text, references decoded; split text concatenated):
    /// `None` when it has none, or when it is kept as written (see [`Self::inner_xml`]).
    /// Layout-only content (indentation) is not text.
    pub fn text(&self) -> Option<&'d str> {
        let n = self.node();
        if n.flags & HAS_TEXT == 0 || n.flags & TEXT_RAW != 0 {
            return None;
        }
        Some(self.text_span(n))
    }

    fn text_span(&self, n: &Node) -> &'d str {
        self.doc
            .string(n.text, n.text_len, n.flags & TEXT_OWNED != 0)
    }

    /// The content of a narrative block (`section/text`), as written: markup, references and
    /// layout included. `None` for other elements.
    pub fn inner_xml(&self) -> Option<&'d str> {
        let n = self.node();
        (n.flags & TEXT_RAW != 0).then(|| self.text_span(n))
    }

    /// The text of the element and of its descendants, concatenated in document order (the
    /// XPath `string()`, layout excluded); narrative blocks are left out, their text
    /// included (read them with [`Self::inner_xml`]).
    pub fn string(&self) -> Cow<'d, str> {
        if self.end() == self.at + 1 {
            return Cow::Borrowed(self.text().unwrap_or(""));
        }
        let (mut cursor, _) = FlatCursor::enter(self.doc, self.at);
        cursor.text().unwrap_or_default()
    }

    /// Its child elements, in document order.
    pub fn children(&self) -> Children<'d> {
        Children {
            doc: self.doc,
            next: self.at + 1,
            end: self.node().end as usize,
        }
    }

    /// Its first child that is the HL7 v3 element `local`.
    pub fn child(&self, local: &str) -> Option<Self> {
        self.children().find(|c| c.is(local))
    }

    /// Its children that are the HL7 v3 element `local`.
    pub fn children_named<'n>(
        &self,
        local: &'n str,
    ) -> impl Iterator<Item = Element<'d>> + use<'d, 'n> {
        self.children().filter(move |c| c.is(local))
    }

    /// The element and its descendants, in document order.
    pub fn descendants(&self) -> impl ExactSizeIterator<Item = Element<'d>> + use<'d> {
        let doc = self.doc;
        (self.at..self.node().end as usize).map(move |at| Element { doc, at })
    }

    /// The element's parent (`None` for the `ClinicalDocument`). Found by a search back from
    /// the element: cost proportional to the elements before it in its parent.
    pub fn parent(&self) -> Option<Self> {
        (0..self.at)
            .rev()
            .find(|&p| self.doc.index.nodes[p].end as usize > self.at)
            .map(|at| Element { doc: self.doc, at })
    }
}

/// The child elements of an [`Element`].
#[derive(Clone, Debug)]
pub struct Children<'d> {
    doc: &'d Document<'d>,
    next: usize,
    end: usize,
}

impl<'d> Iterator for Children<'d> {
    type Item = Element<'d>;

    fn next(&mut self) -> Option<Element<'d>> {
        if self.next >= self.end {
            return None;
        }
        let at = self.next;
        // the next sibling follows this child's subtree
        self.next = (self.doc.index.nodes[at].end as usize).max(at + 1);
        Some(Element { doc: self.doc, at })
    }
}

impl std::iter::FusedIterator for Children<'_> {}

/// An attribute of an [`Element`].
#[derive(Clone, Copy)]
pub struct Attribute<'d> {
    doc: &'d Document<'d>,
    a: &'d Attr,
}

impl fmt::Debug for Attribute<'_> {
    /// The name only (no value: patient data).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Attribute")
            .field("name", &self.local_name())
            .field("namespace", &self.namespace())
            .finish()
    }
}

impl<'d> Attribute<'d> {
    /// The local name.
    pub fn local_name(&self) -> &'d str {
        self.doc.span(self.a.name, u32::from(self.a.name_len))
    }

    /// The namespace name (`None` for an unprefixed attribute).
    pub fn namespace(&self) -> Option<&'d str> {
        self.doc.namespace(self.a.ns)
    }

    /// The normalised value.
    pub fn value(&self) -> &'d str {
        let a = self.a;
        self.doc
            .string(a.value, a.value_len, a.flags & VALUE_OWNED != 0)
    }
}
