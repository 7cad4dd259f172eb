//! Typed reading of a flat document: any element as a value of the typed model, built on demand
//! by the typed parser's own functions, and typed views of the body.
//!
//! The header is small: [`Document::header`] builds it whole. The body is where documents are
//! large: [`Document::body`] gives views ([`Section`], [`Entry`], [`Statement`],
//! [`Relationship`]) that build nothing, whose fields are read one at a time as typed values,
//! each found among its element's children by the slot the parse gave it.
//! [`Document::to_model`] builds the whole typed tree, equal to what [`crate::parse`] returns.
//!
//! Where the typed tree holds one value of an element written several times (a section's
//! `code`, `id`, `title`...), it keeps the last one written, and so do the views; the views give
//! lists (`templateId`s, `value`s, tagged codes...) in document order.

use std::borrow::Cow;

use super::{Document, Element, Slot};
use crate::model::{
    self, AnyValue, ClinicalStatement, Code, Ed, Ii, Narrative, NonXmlBody, Participation,
    Section as SectionModel, StatementKind, TaggedCode, Time,
};
use crate::parse::cda::{self, SectionPart, StatementPart};
use crate::parse::{Cursor, FlatCursor, Res, Start};

/// Builds a value of the typed model from `e` with the typed parser's function `read`. A flat
/// cursor never fails (the document was checked when its index was built), so the default
/// is never returned.
fn read<'d, T: Default>(
    e: &Element<'d>,
    read: impl FnOnce(&mut FlatCursor<'d>, Start<'d>) -> Res<T>,
) -> T {
    read_or(e, read, T::default)
}

/// [`read`] for a type without a default: `never` gives the value never returned.
fn read_or<'d, T>(
    e: &Element<'d>,
    read: impl FnOnce(&mut FlatCursor<'d>, Start<'d>) -> Res<T>,
    never: impl FnOnce() -> T,
) -> T {
    let (mut cursor, start) = FlatCursor::enter(e.doc, e.at);
    read(&mut cursor, start).unwrap_or_else(|_| never())
}

/// A model value filled in place by one of the typed parser's `*_fill` functions.
fn fill<'d, T: Default>(
    e: &Element<'d>,
    fill: fn(&mut FlatCursor<'d>, Start<'d>, &mut T) -> Res<()>,
) -> T {
    read(e, |r, s| {
        let mut value = T::default();
        fill(r, s, &mut value)?;
        Ok(value)
    })
}

impl<'d> Element<'d> {
    /// The element as an instance identifier (`root`, `extension`...).
    pub fn to_ii(&self) -> Ii<'d> {
        read(self, cda::ii)
    }

    /// The element as a coded value (attributes, `originalText`, `translation`s,
    /// `qualifier`s).
    pub fn to_code(&self) -> Code<'d> {
        fill(self, cda::code_fill)
    }

    /// The element as a time or an interval of time (`value`, `low`, `high`, `center`).
    pub fn to_time(&self) -> Time<'d> {
        fill(self, cda::time_fill)
    }

    /// The element as encapsulated data (a statement's `text`, a `nonXMLBody/text`): a
    /// base64 payload stays a span of the source.
    pub fn to_ed(&self) -> Ed<'d> {
        fill(self, cda::ed_fill)
    }

    /// The element as a person or organization name, in parts.
    pub fn to_name(&self) -> model::Name<'d> {
        read(self, cda::name)
    }

    /// The element as a postal address, in parts.
    pub fn to_addr(&self) -> model::Addr<'d> {
        read(self, cda::addr)
    }

    /// The element as a telecom address.
    pub fn to_telecom(&self) -> model::Telecom<'d> {
        read(self, cda::telecom)
    }

    /// The element as a statement's `value`: typed by its `xsi:type` when the typed form loses
    /// nothing, whole otherwise.
    pub fn to_value(&self) -> AnyValue<'d> {
        read_or(self, cda::any_value, || {
            AnyValue::element(model::Element::default())
        })
    }

    /// The element as a participation (`author`, `performer`, `consumable`...) with its role.
    pub fn to_participation(&self) -> Participation<'d> {
        fill(self, cda::participation_fill)
    }

    /// The element as a clinical statement, with everything it holds.
    pub fn to_statement(&self) -> ClinicalStatement<'d> {
        fill(self, cda::statement_fill)
    }

    /// The element as a section, with everything it holds. Only the sections of the body
    /// (those [`crate::parse`] reads as sections) have their `text` kept as a narrative
    /// block; elsewhere (a `section` inside an extension) the flat parse indexes that `text`
    /// as elements, and the narrative read here is empty: read it through
    /// [`Element::children`].
    pub fn to_section(&self) -> SectionModel<'d> {
        read(self, |r, s| {
            let mut one = Vec::with_capacity(1);
            cda::section_into(r, s, &mut one)?;
            Ok(one.pop().unwrap_or_default())
        })
    }

    /// The element as a generic element of the model (attributes, text and child elements).
    pub fn to_element(&self) -> model::Element<'d> {
        read(self, FlatCursor::capture)
    }

    /// Its `templateId` children, as identifiers.
    pub fn template_ids(&self) -> impl Iterator<Item = Ii<'d>> + use<'d> {
        self.children_named("templateId").map(|e| e.to_ii())
    }

    /// Whether one of its `templateId` children has this root.
    pub fn has_template(&self, root: &str) -> bool {
        has_root(self.children_named("templateId"), root)
    }

    /// Its last child in slot `slot` (the one the typed model keeps).
    fn last_in(&self, slot: Slot) -> Option<Self> {
        self.in_slot(slot).last()
    }
}

/// Whether one of `template_ids` has this root.
fn has_root<'d>(mut template_ids: impl Iterator<Item = Element<'d>>, root: &str) -> bool {
    template_ids.any(|t| t.attribute("root") == Some(root))
}

/// The `templateId`s of a section or a statement.
fn template_ids(e: Element<'_>, slot: Slot) -> impl Iterator<Item = Ii<'_>> {
    e.in_slot(slot).map(|t| t.to_ii())
}

impl Document<'_> {
    /// The whole document as the typed model: equal to what [`crate::parse`] returns for the
    /// same input.
    pub fn to_model(&self) -> model::Document<'_> {
        self.clinical_document(true)
    }

    /// The header as the typed model: [`Self::to_model`] without the body (`body` is `None`;
    /// read it through [`Self::body`]).
    pub fn header(&self) -> model::Document<'_> {
        self.clinical_document(false)
    }

    fn clinical_document(&self, with_body: bool) -> model::Document<'_> {
        let wrapper = self.wrapper();
        read(&self.root(), |r, s| {
            cda::clinical_document(r, s, wrapper, with_body)
        })
    }

    /// The body: N1 (`nonXMLBody`, typed) or N3 (`structuredBody`, read through views).
    /// When several are written, the last, as the typed model keeps.
    pub fn body(&self) -> Option<Body<'_>> {
        let body = self
            .root()
            .children_named("component")
            .flat_map(|c| c.children())
            .filter(|b| b.is("nonXMLBody") || b.is("structuredBody"))
            .last()?;
        Some(if body.local_name() == "nonXMLBody" {
            Body::NonXml(read(&body, cda::non_xml_body))
        } else {
            Body::Structured(StructuredBody(body))
        })
    }
}

/// The body of a flat [`Document`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Body<'d> {
    /// N1: the `nonXMLBody`, typed (its payload a span of the source).
    NonXml(NonXmlBody<'d>),
    /// N3: the `structuredBody`.
    Structured(StructuredBody<'d>),
}

/// A view of a `structuredBody`.
#[derive(Clone, Copy, Debug)]
pub struct StructuredBody<'d>(Element<'d>);

impl<'d> StructuredBody<'d> {
    /// The element.
    pub fn element(&self) -> Element<'d> {
        self.0
    }

    /// Its sections (`component/section`), in document order.
    pub fn sections(&self) -> impl Iterator<Item = Section<'d>> + use<'d> {
        sections_of(self.0)
    }

    /// Every section at any depth, in document order (each before the sections it holds).
    pub fn all_sections(&self) -> impl Iterator<Item = Section<'d>> + use<'d> {
        self.0
            .descendants()
            .filter(|e| e.slot() == Slot::Section)
            .map(Section)
    }

    /// The first section (at any depth) with a templateId of this root.
    pub fn find_section_by_template(&self, root: &str) -> Option<Section<'d>> {
        self.all_sections().find(|s| s.has_template(root))
    }

    /// The first section (at any depth) with this `code/@code`.
    pub fn find_section_by_code(&self, code: &str) -> Option<Section<'d>> {
        self.all_sections()
            .find(|s| s.code().and_then(|c| c.code).as_deref() == Some(code))
    }
}

fn sections_of(e: Element<'_>) -> impl Iterator<Item = Section<'_>> {
    e.children()
        .filter(|c| {
            matches!(
                c.slot(),
                Slot::BodyComponent | Slot::InSection(SectionPart::Component)
            )
        })
        .flat_map(|c| c.in_slot(Slot::Section))
        .map(Section)
}

/// A view of a `section`.
#[derive(Clone, Copy, Debug)]
pub struct Section<'d>(Element<'d>);

impl<'d> Section<'d> {
    /// The element.
    pub fn element(&self) -> Element<'d> {
        self.0
    }

    /// `@ID`.
    pub fn id_attr(&self) -> Option<&'d str> {
        self.0.attribute("ID")
    }

    /// `templateId`s.
    pub fn template_ids(&self) -> impl Iterator<Item = Ii<'d>> + use<'d> {
        template_ids(self.0, Slot::InSection(SectionPart::TemplateId))
    }

    /// Whether one of its templateIds has this root.
    pub fn has_template(&self, root: &str) -> bool {
        has_root(
            self.0.in_slot(Slot::InSection(SectionPart::TemplateId)),
            root,
        )
    }

    /// `id`.
    pub fn id(&self) -> Option<Ii<'d>> {
        self.0
            .last_in(Slot::InSection(SectionPart::Id))
            .map(|e| e.to_ii())
    }

    /// `code`.
    pub fn code(&self) -> Option<Code<'d>> {
        self.0
            .last_in(Slot::InSection(SectionPart::Code))
            .map(|e| e.to_code())
    }

    /// `title`: its text (references decoded).
    pub fn title(&self) -> Option<Cow<'d, str>> {
        self.0
            .last_in(Slot::InSection(SectionPart::Title))
            .map(|e| e.string())
    }

    /// `text`: the narrative block, as written.
    pub fn text(&self) -> Option<Narrative<'d>> {
        self.0
            .last_in(Slot::InSection(SectionPart::Text))
            .map(|e| Narrative {
                media_type: e.attribute("mediaType").map(Cow::Borrowed),
                raw: Cow::Borrowed(e.inner_xml().unwrap_or("")),
            })
    }

    /// `confidentialityCode`.
    pub fn confidentiality_code(&self) -> Option<Code<'d>> {
        self.0
            .last_in(Slot::InSection(SectionPart::ConfidentialityCode))
            .map(|e| e.to_code())
    }

    /// `languageCode`.
    pub fn language_code(&self) -> Option<Code<'d>> {
        self.0
            .last_in(Slot::InSection(SectionPart::LanguageCode))
            .map(|e| e.to_code())
    }

    /// `author`s and `informant`s, in document order.
    pub fn participations(&self) -> impl Iterator<Item = Participation<'d>> + use<'d> {
        self.0
            .in_slot(Slot::InSection(SectionPart::Participation))
            .map(|c| c.to_participation())
    }

    /// `entry`s.
    pub fn entries(&self) -> impl Iterator<Item = Entry<'d>> + use<'d> {
        self.0
            .in_slot(Slot::InSection(SectionPart::Entry))
            .map(Entry)
    }

    /// The nested sections (`component/section`).
    pub fn sections(&self) -> impl Iterator<Item = Section<'d>> + use<'d> {
        sections_of(self.0)
    }
}

/// A view of an `entry`.
#[derive(Clone, Copy, Debug)]
pub struct Entry<'d>(Element<'d>);

impl<'d> Entry<'d> {
    /// The element.
    pub fn element(&self) -> Element<'d> {
        self.0
    }

    /// `@typeCode`.
    pub fn type_code(&self) -> Option<&'d str> {
        self.0.attribute("typeCode")
    }

    /// `@contextConductionInd`.
    pub fn context_conduction_ind(&self) -> Option<&'d str> {
        self.0.attribute("contextConductionInd")
    }

    /// Its clinical statement: the first child that is one.
    pub fn statement(&self) -> Option<Statement<'d>> {
        statement_of(self.0)
    }
}

fn statement_of(e: Element<'_>) -> Option<Statement<'_>> {
    e.in_slot(Slot::Statement).next().map(Statement)
}

/// A view of a clinical statement (`act`, `observation`, `substanceAdministration`...).
#[derive(Clone, Copy, Debug)]
pub struct Statement<'d>(Element<'d>);

impl<'d> Statement<'d> {
    /// The element.
    pub fn element(&self) -> Element<'d> {
        self.0
    }

    /// Its kind: its element name.
    pub fn kind(&self) -> StatementKind<'d> {
        StatementKind::from_local_name(self.0.local_name())
    }

    /// `@classCode`.
    pub fn class_code(&self) -> Option<&'d str> {
        self.0.attribute("classCode")
    }

    /// `@moodCode`.
    pub fn mood_code(&self) -> Option<&'d str> {
        self.0.attribute("moodCode")
    }

    /// `@negationInd`.
    pub fn negation_ind(&self) -> Option<&'d str> {
        self.0.attribute("negationInd")
    }

    /// `@ID`.
    pub fn id_attr(&self) -> Option<&'d str> {
        self.0.attribute("ID")
    }

    /// `templateId`s.
    pub fn template_ids(&self) -> impl Iterator<Item = Ii<'d>> + use<'d> {
        template_ids(self.0, Slot::InStatement(StatementPart::TemplateId))
    }

    /// Whether one of its templateIds has this root.
    pub fn has_template(&self, root: &str) -> bool {
        has_root(
            self.0.in_slot(Slot::InStatement(StatementPart::TemplateId)),
            root,
        )
    }

    /// `id`s.
    pub fn ids(&self) -> impl Iterator<Item = Ii<'d>> + use<'d> {
        self.0
            .in_slot(Slot::InStatement(StatementPart::Id))
            .map(|e| e.to_ii())
    }

    /// `code`.
    pub fn code(&self) -> Option<Code<'d>> {
        self.0
            .last_in(Slot::InStatement(StatementPart::Code))
            .map(|e| e.to_code())
    }

    /// `text`.
    pub fn text(&self) -> Option<Ed<'d>> {
        self.0
            .last_in(Slot::InStatement(StatementPart::Text))
            .map(|e| e.to_ed())
    }

    /// `statusCode`.
    pub fn status_code(&self) -> Option<Code<'d>> {
        self.0
            .last_in(Slot::InStatement(StatementPart::StatusCode))
            .map(|e| e.to_code())
    }

    /// `effectiveTime`s.
    pub fn effective_times(&self) -> impl Iterator<Item = Time<'d>> + use<'d> {
        self.0
            .in_slot(Slot::InStatement(StatementPart::EffectiveTime))
            .map(|e| e.to_time())
    }

    /// `value`s.
    pub fn values(&self) -> impl Iterator<Item = AnyValue<'d>> + use<'d> {
        self.0
            .in_slot(Slot::InStatement(StatementPart::Value))
            .map(|e| e.to_value())
    }

    /// The other coded children (`priorityCode`, `methodCode`, `targetSiteCode`...), in
    /// document order.
    pub fn tagged_codes(&self) -> impl Iterator<Item = TaggedCode<'d>> + use<'d> {
        self.0.children().filter_map(|c| match c.slot() {
            Slot::InStatement(StatementPart::Tagged(tag)) => {
                Some(TaggedCode::new(tag, c.to_code()))
            }
            _ => None,
        })
    }

    /// The participations (`author`, `performer`, `consumable`, `specimen`...), in document
    /// order.
    pub fn participations(&self) -> impl Iterator<Item = Participation<'d>> + use<'d> {
        self.0
            .in_slot(Slot::InStatement(StatementPart::Participation))
            .map(|e| e.to_participation())
    }

    /// The relationships to other statements (`entryRelationship`, `component`).
    pub fn relationships(&self) -> impl Iterator<Item = Relationship<'d>> + use<'d> {
        self.0
            .in_slot(Slot::InStatement(StatementPart::Relationship))
            .map(Relationship)
    }
}

/// A view of an `entryRelationship` (or an organizer's `component`).
#[derive(Clone, Copy, Debug)]
pub struct Relationship<'d>(Element<'d>);

impl<'d> Relationship<'d> {
    /// The element.
    pub fn element(&self) -> Element<'d> {
        self.0
    }

    /// `@typeCode`.
    pub fn type_code(&self) -> Option<&'d str> {
        self.0.attribute("typeCode")
    }

    /// `@inversionInd`.
    pub fn inversion_ind(&self) -> Option<&'d str> {
        self.0.attribute("inversionInd")
    }

    /// `@contextConductionInd`.
    pub fn context_conduction_ind(&self) -> Option<&'d str> {
        self.0.attribute("contextConductionInd")
    }

    /// `@negationInd`.
    pub fn negation_ind(&self) -> Option<&'d str> {
        self.0.attribute("negationInd")
    }

    /// The statement it relates: the first child that is one.
    pub fn statement(&self) -> Option<Statement<'d>> {
        statement_of(self.0)
    }
}
