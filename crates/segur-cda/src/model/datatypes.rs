//! HL7 v3 data types (II, CD, ED, PN, AD, TEL) and the generic element kept for unknown content.

use std::borrow::Cow;
use std::io::Write;

use super::owned::{IntoStatic, owned_struct};
use crate::base64::{Base64Error, decode_to};

/// A namespace-resolved element or attribute name.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct QName<'a> {
    /// The namespace URI (`None` for an unprefixed attribute or an element in no namespace).
    pub namespace: Option<Cow<'a, str>>,
    /// The local name.
    pub local: Cow<'a, str>,
}
owned_struct!(QName { namespace, local });

impl<'a> QName<'a> {
    /// A name in the given namespace.
    pub fn new(namespace: impl Into<Cow<'a, str>>, local: impl Into<Cow<'a, str>>) -> Self {
        Self {
            namespace: Some(namespace.into()),
            local: local.into(),
        }
    }

    /// A name in the HL7 v3 namespace (`urn:hl7-org:v3`), e.g. the `CD` of `xsi:type="CD"`.
    pub fn hl7(local: impl Into<Cow<'a, str>>) -> Self {
        Self::new(super::HL7_NS, local)
    }

    /// `true` when this is `local` in the HL7 v3 namespace.
    pub fn is_hl7(&self, local: &str) -> bool {
        self.namespace.as_deref() == Some(super::HL7_NS) && self.local == local
    }
}

/// An attribute of a generic [`Element`] (namespace declarations are not kept: names are
/// resolved).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Attribute<'a> {
    /// The resolved name.
    pub name: QName<'a>,
    /// The value, with entity and character references decoded.
    pub value: Cow<'a, str>,
}
owned_struct!(Attribute { name, value });

/// A child of a generic [`Element`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node<'a> {
    /// A child element.
    Element(Element<'a>),
    /// Character data (references decoded, CDATA included, runs split by comments, PIs or CDATA
    /// sections joined), never whitespace-only.
    Text(Cow<'a, str>),
}

impl IntoStatic for Node<'_> {
    type Static = Node<'static>;
    fn into_static(self) -> Node<'static> {
        match self {
            Node::Element(e) => Node::Element(e.into_owned()),
            Node::Text(t) => Node::Text(t.into_static()),
        }
    }
}

/// An element the typed model does not know (an extension such as `sdtc:deceasedInd`, a
/// `referenceRange`, ...), kept whole.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Element<'a> {
    /// The resolved element name.
    pub name: QName<'a>,
    /// `xsi:type`, resolved against the namespaces in scope (not repeated in `attributes`).
    pub xsi_type: Option<QName<'a>>,
    /// The other attributes, in document order.
    pub attributes: Vec<Attribute<'a>>,
    /// Child elements and non-blank text, in document order.
    pub children: Vec<Node<'a>>,
}
owned_struct!(Element {
    name,
    xsi_type,
    attributes,
    children
});

impl<'a> Element<'a> {
    /// An empty element with this name.
    pub fn new(name: QName<'a>) -> Self {
        Self {
            name,
            ..Self::default()
        }
    }

    /// The value of the unqualified attribute `local`, if present.
    pub fn attr(&self, local: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.name.namespace.is_none() && a.name.local == local)
            .map(|a| a.value.as_ref())
    }

    /// The child elements, in order.
    pub fn child_elements(&self) -> impl Iterator<Item = &Element<'a>> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element in the HL7 namespace with this local name.
    pub fn child(&self, local: &str) -> Option<&Self> {
        self.child_elements().find(|e| e.name.is_hl7(local))
    }

    /// The concatenated direct text children.
    pub fn text(&self) -> Cow<'_, str> {
        let mut texts = self.children.iter().filter_map(|n| match n {
            Node::Text(t) => Some(t.as_ref()),
            Node::Element(_) => None,
        });
        match (texts.next(), texts.next()) {
            (None, _) => Cow::Borrowed(""),
            (Some(one), None) => Cow::Borrowed(one),
            (Some(a), Some(b)) => {
                let mut s = format!("{a}{b}");
                texts.for_each(|t| s.push_str(t));
                Cow::Owned(s)
            }
        }
    }
}

/// An instance identifier (II): `root` (an OID or UUID) and optional `extension`.
///
/// Patient identifiers stay generic IIs; [`Ii::is_ins`] tells whether the root is one of the INS
/// OIDs, and `segur_ins::Ins::from_cda_id(root, extension)` interprets such an id.
///
/// The rare `@assigningAuthorityName` and `@displayable` live out of line in [`IiMore`] (ids are
/// the most frequent element of a document); read them with [`Ii::assigning_authority_name`]
/// and [`Ii::displayable`], set them through [`Ii::more_mut`].
#[derive(Clone, Debug, Default)]
pub struct Ii<'a> {
    /// `@root`.
    pub root: Option<Cow<'a, str>>,
    /// `@extension`.
    pub extension: Option<Cow<'a, str>>,
    /// `@nullFlavor`.
    pub null_flavor: Option<Cow<'a, str>>,
    /// The rarer attributes, when the id has any (an empty box and none are the same id).
    pub more: Option<Box<IiMore<'a>>>,
}
owned_struct!(Ii {
    root,
    extension,
    null_flavor,
    more
});

/// The rarer attributes of an [`Ii`].
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct IiMore<'a> {
    /// `@assigningAuthorityName`.
    pub assigning_authority_name: Option<Cow<'a, str>>,
    /// `@displayable`.
    pub displayable: Option<Cow<'a, str>>,
}
owned_struct!(IiMore {
    assigning_authority_name,
    displayable
});

impl PartialEq for Ii<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.root == other.root
            && self.extension == other.extension
            && self.null_flavor == other.null_flavor
            && same_more(self.more.as_deref(), other.more.as_deref())
    }
}

impl Eq for Ii<'_> {}

/// The OIDs under which a patient id is an INS (INS-NIR, INS-NIA, INS-NIR de test, INS-NIR de
/// démonstration), as listed by the CI-SIS header rules.
pub const INS_ROOTS: [&str; 4] = [
    "1.2.250.1.213.1.4.8",
    "1.2.250.1.213.1.4.9",
    "1.2.250.1.213.1.4.10",
    "1.2.250.1.213.1.4.11",
];

impl<'a> Ii<'a> {
    /// An id with a root and no extension.
    pub fn new(root: impl Into<Cow<'a, str>>) -> Self {
        Self {
            root: Some(root.into()),
            ..Self::default()
        }
    }

    /// An id with a root and an extension.
    pub fn with_extension(root: impl Into<Cow<'a, str>>, ext: impl Into<Cow<'a, str>>) -> Self {
        Self {
            root: Some(root.into()),
            extension: Some(ext.into()),
            ..Self::default()
        }
    }

    /// The rarer attributes, created empty on first use.
    pub fn more_mut(&mut self) -> &mut IiMore<'a> {
        self.more.get_or_insert_with(Box::default)
    }

    /// `@assigningAuthorityName`.
    pub fn assigning_authority_name(&self) -> Option<&str> {
        self.more.as_ref()?.assigning_authority_name.as_deref()
    }

    /// `@displayable`.
    pub fn displayable(&self) -> Option<&str> {
        self.more.as_ref()?.displayable.as_deref()
    }

    /// `root^extension`, or `root` without extension (empty when the root is missing).
    pub fn to_caret_string(&self) -> String {
        let root = self.root.as_deref().unwrap_or("");
        match &self.extension {
            Some(ext) => format!("{root}^{ext}"),
            None => root.to_owned(),
        }
    }

    /// `true` when the root is an INS OID (see [`INS_ROOTS`]).
    pub fn is_ins(&self) -> bool {
        self.root.as_deref().is_some_and(|r| INS_ROOTS.contains(&r))
    }

    /// Interprets the id as an INS with [`segur_ins::Ins::from_cda_id`]: `None` when the root
    /// is not an INS OID, otherwise the INS or why the matricule or OID is refused.
    pub fn to_ins(&self) -> Option<Result<segur_ins::Ins, segur_ins::InsError>> {
        if !self.is_ins() {
            return None;
        }
        let root = self.root.as_deref().unwrap_or_default();
        Some(segur_ins::Ins::from_cda_id(
            root,
            self.extension.as_deref().unwrap_or_default(),
        ))
    }
}

/// A coded value (CD, CE, CV, CS): code, code system, display name, translations.
///
/// The parts most codes do not have (`codeSystemVersion`, `originalText`, qualifiers,
/// translations, unknown children) live out of line in [`CodeMore`]: codes are everywhere in a
/// document, and keeping those parts inline would almost double the size of each. Read them
/// with the accessors ([`Code::translations`], ...), set them through [`Code::more_mut`].
#[derive(Clone, Debug, Default)]
pub struct Code<'a> {
    /// `@code`.
    pub code: Option<Cow<'a, str>>,
    /// `@codeSystem` (an OID).
    pub code_system: Option<Cow<'a, str>>,
    /// `@codeSystemName`.
    pub code_system_name: Option<Cow<'a, str>>,
    /// `@displayName`.
    pub display_name: Option<Cow<'a, str>>,
    /// `@nullFlavor`.
    pub null_flavor: Option<Cow<'a, str>>,
    /// The rarer parts, when the code has any (an empty box and none are the same code).
    pub more: Option<Box<CodeMore<'a>>>,
}
owned_struct!(Code {
    code,
    code_system,
    code_system_name,
    display_name,
    null_flavor,
    more,
});

/// The rarer parts of a [`Code`].
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CodeMore<'a> {
    /// `@codeSystemVersion`.
    pub code_system_version: Option<Cow<'a, str>>,
    /// `originalText`.
    pub original_text: Option<Ed<'a>>,
    /// `qualifier`s (CD: e.g. the laterality of a target site).
    pub qualifiers: Vec<Qualifier<'a>>,
    /// `translation` children.
    pub translations: Vec<Code<'a>>,
    /// Other children (extensions).
    pub extensions: Vec<Element<'a>>,
}
owned_struct!(CodeMore {
    code_system_version,
    original_text,
    qualifiers,
    translations,
    extensions,
});

/// Equality of the out-of-line parts of two values: an empty box and none are the same.
fn same_more<T: Default + PartialEq>(a: Option<&T>, b: Option<&T>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a == b,
        (Some(x), None) | (None, Some(x)) => *x == T::default(),
    }
}

impl PartialEq for Code<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code
            && self.code_system == other.code_system
            && self.code_system_name == other.code_system_name
            && self.display_name == other.display_name
            && self.null_flavor == other.null_flavor
            && same_more(self.more.as_deref(), other.more.as_deref())
    }
}

impl Eq for Code<'_> {}

/// A `qualifier` of a coded value (HL7 CR): a role name and its value.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Qualifier<'a> {
    /// `@inverted`.
    pub inverted: Option<Cow<'a, str>>,
    /// `name` (CV).
    pub name: Option<Code<'a>>,
    /// `value` (CD).
    pub value: Option<Code<'a>>,
    /// Other children (extensions).
    pub extensions: Vec<Element<'a>>,
}
owned_struct!(Qualifier {
    inverted,
    name,
    value,
    extensions
});

impl<'a> Code<'a> {
    /// A code in a code system.
    pub fn new(code: impl Into<Cow<'a, str>>, code_system: impl Into<Cow<'a, str>>) -> Self {
        Self {
            code: Some(code.into()),
            code_system: Some(code_system.into()),
            ..Self::default()
        }
    }

    /// The same code with a display name.
    #[must_use]
    pub fn with_display_name(mut self, display_name: impl Into<Cow<'a, str>>) -> Self {
        self.display_name = Some(display_name.into());
        self
    }

    /// A code holding only a `@code` (a CS such as `realmCode` or `languageCode`).
    pub fn simple(code: impl Into<Cow<'a, str>>) -> Self {
        Self {
            code: Some(code.into()),
            ..Self::default()
        }
    }

    /// The rarer parts, created empty on first use.
    pub fn more_mut(&mut self) -> &mut CodeMore<'a> {
        self.more.get_or_insert_with(Box::default)
    }

    /// `@codeSystemVersion`.
    pub fn code_system_version(&self) -> Option<&str> {
        self.more.as_ref()?.code_system_version.as_deref()
    }

    /// `originalText`.
    pub fn original_text(&self) -> Option<&Ed<'a>> {
        self.more.as_ref()?.original_text.as_ref()
    }

    /// `qualifier`s (CD: e.g. the laterality of a target site).
    pub fn qualifiers(&self) -> &[Qualifier<'a>] {
        self.more.as_ref().map_or(&[], |m| &m.qualifiers)
    }

    /// `translation` children.
    pub fn translations(&self) -> &[Self] {
        self.more.as_ref().map_or(&[], |m| &m.translations)
    }

    /// Other children (extensions).
    pub fn extensions(&self) -> &[Element<'a>] {
        self.more.as_ref().map_or(&[], |m| &m.extensions)
    }
}

/// Encapsulated data (ED): text or base64 content with a media type, or a reference.
///
/// The content is the element's character data (references decoded, line ends normalised): for
/// a base64 payload it is a borrowed span of the input, line ends included as written (the
/// decoder ignores them), decoded only on demand ([`Ed::decode`], [`Ed::decode_to`]).
///
/// The rarer `@compression`, `@language`, `@nullFlavor` and unknown children live out of line
/// in [`EdMore`]: read them with the accessors, set them through [`Ed::more_mut`].
#[derive(Clone, Debug, Default)]
pub struct Ed<'a> {
    /// `@mediaType`.
    pub media_type: Option<Cow<'a, str>>,
    /// `@representation` (`B64` or `TXT`).
    pub representation: Option<Cow<'a, str>>,
    /// `reference/@value` (e.g. `#doc-1`).
    pub reference: Option<Cow<'a, str>>,
    /// The character data (references decoded; empty when there is none).
    pub content: Cow<'a, str>,
    /// The rarer parts, when the value has any (an empty box and none are the same value).
    pub more: Option<Box<EdMore<'a>>>,
}
owned_struct!(Ed {
    media_type,
    representation,
    reference,
    content,
    more,
});

/// The rarer parts of an [`Ed`].
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct EdMore<'a> {
    /// `@compression` (e.g. `DF`).
    pub compression: Option<Cow<'a, str>>,
    /// `@language`.
    pub language: Option<Cow<'a, str>>,
    /// `@nullFlavor`.
    pub null_flavor: Option<Cow<'a, str>>,
    /// Other children (e.g. `thumbnail`).
    pub extensions: Vec<Element<'a>>,
}
owned_struct!(EdMore {
    compression,
    language,
    null_flavor,
    extensions,
});

impl PartialEq for Ed<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.media_type == other.media_type
            && self.representation == other.representation
            && self.reference == other.reference
            && self.content == other.content
            && same_more(self.more.as_deref(), other.more.as_deref())
    }
}

impl Eq for Ed<'_> {}

impl<'a> Ed<'a> {
    /// The rarer parts, created empty on first use.
    pub fn more_mut(&mut self) -> &mut EdMore<'a> {
        self.more.get_or_insert_with(Box::default)
    }

    /// `@compression` (e.g. `DF`).
    pub fn compression(&self) -> Option<&str> {
        self.more.as_ref()?.compression.as_deref()
    }

    /// `@language`.
    pub fn language(&self) -> Option<&str> {
        self.more.as_ref()?.language.as_deref()
    }

    /// `@nullFlavor`.
    pub fn null_flavor(&self) -> Option<&str> {
        self.more.as_ref()?.null_flavor.as_deref()
    }

    /// Other children (e.g. `thumbnail`).
    pub fn extensions(&self) -> &[Element<'a>] {
        self.more.as_ref().map_or(&[], |m| &m.extensions)
    }
}

impl Ed<'_> {
    /// `true` when `@representation` is `B64`.
    pub fn is_base64(&self) -> bool {
        self.representation.as_deref() == Some("B64")
    }

    /// Decodes the base64 content (whitespace ignored) into a new buffer.
    ///
    /// # Errors
    /// [`Base64Error`] when the content is not valid base64.
    pub fn decode(&self) -> Result<Vec<u8>, Base64Error> {
        let mut out = Vec::with_capacity(self.content.len() / 4 * 3);
        self.decode_to(&mut out)?;
        Ok(out)
    }

    /// Decodes the base64 content to a writer, in chunks, without buffering the whole payload.
    /// Returns the number of bytes written.
    ///
    /// # Errors
    /// [`Base64Error`] when the content is not valid base64 or the writer fails.
    pub fn decode_to<W: Write>(&self, writer: W) -> Result<u64, Base64Error> {
        decode_to(self.content.as_bytes(), writer)
    }
}

/// A person name (PN): ordered parts.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Name<'a> {
    /// `@use`.
    pub use_: Option<Cow<'a, str>>,
    /// `@nullFlavor`.
    pub null_flavor: Option<Cow<'a, str>>,
    /// The parts, in document order.
    pub parts: Vec<NamePart<'a>>,
}
owned_struct!(Name {
    use_,
    null_flavor,
    parts
});

impl Name<'_> {
    /// The first part of this kind (and, if given, with this qualifier).
    pub fn part(&self, kind: NamePartKind, qualifier: Option<&str>) -> Option<&str> {
        self.parts
            .iter()
            .find(|p| {
                p.kind == kind && (qualifier.is_none() || p.qualifier.as_deref() == qualifier)
            })
            .map(|p| p.value.as_ref())
    }
}

/// The kind of a [`NamePart`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NamePartKind {
    /// `family`.
    Family,
    /// `given`.
    Given,
    /// `prefix` (civility, e.g. `MME`).
    Prefix,
    /// `suffix` (title, e.g. `DR`).
    Suffix,
    /// `delimiter`.
    Delimiter,
    /// Free text directly inside the name.
    Text,
}

impl NamePartKind {
    /// The element local name (`family`, ...); `None` for free text.
    pub fn element_name(self) -> Option<&'static str> {
        match self {
            Self::Family => Some("family"),
            Self::Given => Some("given"),
            Self::Prefix => Some("prefix"),
            Self::Suffix => Some("suffix"),
            Self::Delimiter => Some("delimiter"),
            Self::Text => None,
        }
    }
}

impl IntoStatic for NamePartKind {
    type Static = Self;
    fn into_static(self) -> Self {
        self
    }
}

/// One part of a [`Name`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamePart<'a> {
    /// Family, given, ...
    pub kind: NamePartKind,
    /// The text.
    pub value: Cow<'a, str>,
    /// `@qualifier` (`BR` birth name, `CL` used name, ...).
    pub qualifier: Option<Cow<'a, str>>,
}
owned_struct!(NamePart {
    kind,
    value,
    qualifier
});

impl<'a> NamePart<'a> {
    /// A part without qualifier.
    pub fn new(kind: NamePartKind, value: impl Into<Cow<'a, str>>) -> Self {
        Self {
            kind,
            value: value.into(),
            qualifier: None,
        }
    }
}

/// A postal address (AD): ordered parts.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Addr<'a> {
    /// `@use`.
    pub use_: Option<Cow<'a, str>>,
    /// `@nullFlavor`.
    pub null_flavor: Option<Cow<'a, str>>,
    /// The parts, in document order.
    pub parts: Vec<AddrPart<'a>>,
}
owned_struct!(Addr {
    use_,
    null_flavor,
    parts
});

impl Addr<'_> {
    /// The first part with this element name (`city`, `postalCode`, `county`, ...).
    pub fn part(&self, name: &str) -> Option<&str> {
        self.parts
            .iter()
            .find(|p| p.name.as_deref() == Some(name))
            .map(|p| p.value.as_ref())
    }
}

/// One part of an [`Addr`].
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AddrPart<'a> {
    /// The element local name (`streetAddressLine`, `city`, ...); `None` for free text.
    pub name: Option<Cow<'a, str>>,
    /// The text.
    pub value: Cow<'a, str>,
}
owned_struct!(AddrPart { name, value });

/// A telecommunication address (TEL).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Telecom<'a> {
    /// `@value` (`tel:...`, `mailto:...`).
    pub value: Option<Cow<'a, str>>,
    /// `@use`.
    pub use_: Option<Cow<'a, str>>,
    /// `@nullFlavor`.
    pub null_flavor: Option<Cow<'a, str>>,
}
owned_struct!(Telecom {
    value,
    use_,
    null_flavor
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    #[test]
    fn an_empty_out_of_line_part_equals_none() {
        let plain = Code::new("C", "1.2.3");
        let mut boxed = plain.clone();
        boxed.more_mut();
        assert_eq!(plain, boxed);
        assert_eq!(boxed, plain);
        boxed.more_mut().translations.push(Code::simple("T"));
        assert_ne!(plain, boxed);
        assert_eq!(boxed.translations().len(), 1);

        let id = Ii::new("1.2.3");
        let mut id_boxed = id.clone();
        id_boxed.more_mut();
        assert_eq!(id, id_boxed);
        id_boxed.more_mut().displayable = Some("true".into());
        assert_ne!(id, id_boxed);
        assert_eq!(id_boxed.displayable(), Some("true"));

        let ed = Ed::default();
        let mut ed_boxed = ed.clone();
        ed_boxed.more_mut();
        assert_eq!(ed, ed_boxed);
        ed_boxed.more_mut().language = Some("fr-FR".into());
        assert_ne!(ed, ed_boxed);
        assert_eq!(ed_boxed.language(), Some("fr-FR"));
    }

    #[test]
    fn the_parser_boxes_only_what_is_there() {
        let doc = r##"<ClinicalDocument xmlns="urn:hl7-org:v3">
  <id root="1.2.3" extension="x"/>
  <setId root="1.2.3" extension="s" assigningAuthorityName="A" displayable="true"/>
  <code code="11488-4" codeSystem="2.16.840.1.113883.6.1" codeSystemVersion="2.7">
    <originalText>Note</originalText>
    <translation code="T" codeSystem="1.2"/>
    <qualifier><name code="Q"/><value code="V"/></qualifier>
  </code>
  <confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/>
  <component><nonXMLBody><text mediaType="text/plain" representation="TXT" language="fr-FR" compression="DF">x</text></nonXMLBody></component>
</ClinicalDocument>"##;
        let d = parse(doc.as_bytes()).unwrap();
        assert!(d.id.as_ref().unwrap().more.is_none());
        let set_id = d.set_id.as_ref().unwrap();
        assert_eq!(set_id.assigning_authority_name(), Some("A"));
        assert_eq!(set_id.displayable(), Some("true"));
        assert!(d.confidentiality_code.as_ref().unwrap().more.is_none());
        let code = d.code.as_ref().unwrap();
        assert_eq!(code.code_system_version(), Some("2.7"));
        assert_eq!(
            code.original_text().map(|t| t.content.as_ref()),
            Some("Note")
        );
        assert_eq!(code.translations()[0].code.as_deref(), Some("T"));
        let q = &code.qualifiers()[0];
        assert_eq!(q.value.as_ref().and_then(|v| v.code.as_deref()), Some("V"));
        let Some(crate::Body::NonXml(b)) = &d.body else {
            panic!("an N1 body")
        };
        assert_eq!(
            (
                b.text.language(),
                b.text.compression(),
                b.text.null_flavor()
            ),
            (Some("fr-FR"), Some("DF"), None)
        );
        // and the writer puts everything back
        let xml = d.to_xml(crate::write::Style::Pretty);
        let again = parse(xml.as_bytes()).unwrap();
        assert_eq!(again, d);
    }
}
