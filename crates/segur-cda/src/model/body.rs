//! The body: N1 (`nonXMLBody`) and N3 (`structuredBody`: sections and entries).

use std::borrow::Cow;

use super::owned::{IntoStatic, owned_struct};
use super::value::named_enum;
use super::{AnyValue, Code, Ed, Element, Ii, List, Participation, Time};

/// `component/nonXMLBody` or `component/structuredBody`.
#[derive(Clone, Debug, PartialEq)]
pub enum Body<'a> {
    /// Level 1: an opaque payload (PDF, ...).
    NonXml(NonXmlBody<'a>),
    /// Level 3: sections and coded entries.
    Structured(StructuredBody<'a>),
}

impl IntoStatic for Body<'_> {
    type Static = Body<'static>;
    fn into_static(self) -> Body<'static> {
        match self {
            Body::NonXml(b) => Body::NonXml(b.into_owned()),
            Body::Structured(b) => Body::Structured(b.into_owned()),
        }
    }
}

/// `nonXMLBody`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct NonXmlBody<'a> {
    /// `text`: media type, representation and the payload as a borrowed span.
    pub text: Ed<'a>,
    /// Other children (`confidentialityCode`, `languageCode`, extensions).
    pub extensions: Vec<Element<'a>>,
}
owned_struct!(NonXmlBody { text, extensions });

/// `structuredBody`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct StructuredBody<'a> {
    /// The top-level sections (`component/section`), in order.
    pub sections: Vec<Section<'a>>,
    /// Other children.
    pub extensions: Vec<Element<'a>>,
}
owned_struct!(StructuredBody {
    sections,
    extensions
});

/// The narrative block of a section (`text`), kept as the raw markup between `<text>` and
/// `</text>` exactly as written in the source (prefixes included).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Narrative<'a> {
    /// `@mediaType`, if any.
    pub media_type: Option<Cow<'a, str>>,
    /// The inner markup.
    pub raw: Cow<'a, str>,
}
owned_struct!(Narrative { media_type, raw });

/// A `section`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Section<'a> {
    /// `@ID`.
    pub id_attr: Option<Cow<'a, str>>,
    /// `templateId`s.
    pub template_ids: Vec<Ii<'a>>,
    /// `id`.
    pub id: Option<Ii<'a>>,
    /// `code`.
    pub code: Option<Code<'a>>,
    /// `title` text.
    pub title: Option<Cow<'a, str>>,
    /// `text`: the narrative block.
    pub text: Option<Narrative<'a>>,
    /// `confidentialityCode`.
    pub confidentiality_code: Option<Code<'a>>,
    /// `languageCode`.
    pub language_code: Option<Code<'a>>,
    /// `author`s and `informant`s.
    pub participations: Vec<Participation<'a>>,
    /// `entry`s.
    pub entries: Vec<Entry<'a>>,
    /// Nested sections (`component/section`).
    pub sections: Vec<Self>,
    /// Other children (`subject`, extensions).
    pub extensions: Vec<Element<'a>>,
}
owned_struct!(Section {
    id_attr,
    template_ids,
    id,
    code,
    title,
    text,
    confidentiality_code,
    language_code,
    participations,
    entries,
    sections,
    extensions,
});

impl<'a> Section<'a> {
    /// `true` when one of the section's templateIds has this root.
    pub fn has_template(&self, root: &str) -> bool {
        self.template_ids
            .iter()
            .any(|t| t.root.as_deref() == Some(root))
    }

    pub(crate) fn collect_sections<'s>(&'s self, out: &mut Vec<&'s Self>) {
        out.push(self);
        for s in &self.sections {
            s.collect_sections(out);
        }
    }

    /// Every clinical statement of this section's entries (not of nested sections), depth first
    /// through `entryRelationship`s and organizer `component`s.
    pub fn statements(&self) -> Vec<&ClinicalStatement<'a>> {
        let mut out = Vec::new();
        for e in &self.entries {
            if let Some(s) = &e.statement {
                s.collect(&mut out);
            }
        }
        out
    }

    /// The statements (see [`Section::statements`]) with a templateId of this root.
    pub fn find_statements_by_template(&self, root: &str) -> Vec<&ClinicalStatement<'a>> {
        self.statements()
            .into_iter()
            .filter(|s| s.has_template(root))
            .collect()
    }

    /// The statements (see [`Section::statements`]) with this `code/@code`.
    pub fn find_statements_by_code(&self, code: &str) -> Vec<&ClinicalStatement<'a>> {
        self.statements()
            .into_iter()
            .filter(|s| s.code.as_ref().and_then(|c| c.code.as_deref()) == Some(code))
            .collect()
    }
}

/// A section `entry`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Entry<'a> {
    /// `@typeCode` (`DRIV`, `COMP`).
    pub type_code: Option<Cow<'a, str>>,
    /// `@contextConductionInd`.
    pub context_conduction_ind: Option<Cow<'a, str>>,
    /// The clinical statement it holds.
    pub statement: Option<ClinicalStatement<'a>>,
    /// Other children.
    pub extensions: Vec<Element<'a>>,
}
owned_struct!(Entry {
    type_code,
    context_conduction_ind,
    statement,
    extensions
});

/// The kind of a [`ClinicalStatement`]: its element local name.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum StatementKind<'a> {
    /// `act`.
    Act,
    /// `encounter`.
    Encounter,
    /// `observation` (the default).
    #[default]
    Observation,
    /// `observationMedia`.
    ObservationMedia,
    /// `organizer`.
    Organizer,
    /// `procedure`.
    Procedure,
    /// `regionOfInterest`.
    RegionOfInterest,
    /// `substanceAdministration`.
    SubstanceAdministration,
    /// `supply`.
    Supply,
    /// Any other element used as a statement.
    Other(Cow<'a, str>),
}

impl<'a> StatementKind<'a> {
    /// The kind for an element local name.
    pub fn from_local_name(local: &'a str) -> Self {
        match local {
            "act" => Self::Act,
            "encounter" => Self::Encounter,
            "observation" => Self::Observation,
            "observationMedia" => Self::ObservationMedia,
            "organizer" => Self::Organizer,
            "procedure" => Self::Procedure,
            "regionOfInterest" => Self::RegionOfInterest,
            "substanceAdministration" => Self::SubstanceAdministration,
            "supply" => Self::Supply,
            other => Self::Other(Cow::Borrowed(other)),
        }
    }

    /// The element local name.
    pub fn local_name(&self) -> &str {
        match self {
            Self::Act => "act",
            Self::Encounter => "encounter",
            Self::Observation => "observation",
            Self::ObservationMedia => "observationMedia",
            Self::Organizer => "organizer",
            Self::Procedure => "procedure",
            Self::RegionOfInterest => "regionOfInterest",
            Self::SubstanceAdministration => "substanceAdministration",
            Self::Supply => "supply",
            Self::Other(name) => name,
        }
    }
}

impl IntoStatic for StatementKind<'_> {
    type Static = StatementKind<'static>;
    fn into_static(self) -> StatementKind<'static> {
        match self {
            Self::Act => StatementKind::Act,
            Self::Encounter => StatementKind::Encounter,
            Self::Observation => StatementKind::Observation,
            Self::ObservationMedia => StatementKind::ObservationMedia,
            Self::Organizer => StatementKind::Organizer,
            Self::Procedure => StatementKind::Procedure,
            Self::RegionOfInterest => StatementKind::RegionOfInterest,
            Self::SubstanceAdministration => StatementKind::SubstanceAdministration,
            Self::Supply => StatementKind::Supply,
            Self::Other(name) => StatementKind::Other(name.into_static()),
        }
    }
}

/// A clinical statement (act, observation, substanceAdministration, organizer, ...) as a typed
/// generic tree.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ClinicalStatement<'a> {
    /// Which statement.
    pub kind: StatementKind<'a>,
    /// `@classCode`.
    pub class_code: Option<Cow<'a, str>>,
    /// `@moodCode`.
    pub mood_code: Option<Cow<'a, str>>,
    /// `@negationInd`.
    pub negation_ind: Option<Cow<'a, str>>,
    /// `@ID` (e.g. the `doc-1` of an `observationMedia`).
    pub id_attr: Option<Cow<'a, str>>,
    /// `templateId`s.
    pub template_ids: Vec<Ii<'a>>,
    /// `id`s.
    pub ids: List<Ii<'a>>,
    /// `code`.
    pub code: Option<Code<'a>>,
    /// `text`.
    pub text: Option<Ed<'a>>,
    /// `statusCode`.
    pub status_code: Option<Code<'a>>,
    /// `effectiveTime`s (a `substanceAdministration` may carry several).
    pub effective_times: List<Time<'a>>,
    /// `value`s, typed by their `xsi:type` (PQ, CD, ...; see [`AnyValue`]).
    pub values: List<AnyValue<'a>>,
    /// The other coded children, in document order: `priorityCode`, `languageCode`,
    /// `routeCode`, `administrationUnitCode`, `interpretationCode`s, `methodCode`s,
    /// `approachSiteCode`s and `targetSiteCode`s (read them with [`ClinicalStatement::codes`]).
    /// Few statements have any, hence one list rather than a field each. The parser keeps
    /// them in schema order ([`CodeTag`]'s), each tag's codes in document order.
    pub tagged_codes: Vec<TaggedCode<'a>>,
    /// Participations: `author`, `informant`, `participant`, `performer`, `subject`,
    /// `specimen`, `consumable`, `product`.
    pub participations: Vec<Participation<'a>>,
    /// `entryRelationship`s and organizer `component`s.
    pub relationships: Vec<Relationship<'a>>,
    /// Other children (`referenceRange`, `doseQuantity`, `reference`, `precondition`,
    /// extensions, ...).
    pub extensions: Vec<Element<'a>>,
}
owned_struct!(ClinicalStatement {
    kind,
    class_code,
    mood_code,
    negation_ind,
    id_attr,
    template_ids,
    ids,
    code,
    text,
    status_code,
    effective_times,
    values,
    tagged_codes,
    participations,
    relationships,
    extensions,
});

impl<'a> ClinicalStatement<'a> {
    /// `true` when one of the statement's templateIds has this root.
    pub fn has_template(&self, root: &str) -> bool {
        self.template_ids
            .iter()
            .any(|t| t.root.as_deref() == Some(root))
    }

    /// The coded children with this tag (`methodCode`s, ...), in document order.
    pub fn codes(&self, tag: CodeTag) -> impl Iterator<Item = &Code<'a>> {
        self.tagged_codes
            .iter()
            .filter(move |c| c.tag == tag)
            .map(|c| &c.code)
    }

    fn collect<'s>(&'s self, out: &mut Vec<&'s Self>) {
        out.push(self);
        for r in &self.relationships {
            if let Some(s) = &r.statement {
                s.collect(out);
            }
        }
    }

    /// The nested statements (through relationships) with a templateId of this root, this one
    /// included.
    pub fn find_by_template(&self, root: &str) -> Vec<&Self> {
        let mut all = Vec::new();
        self.collect(&mut all);
        all.retain(|s| s.has_template(root));
        all
    }
}

/// A coded child of a statement other than `code` and `statusCode`, with its element name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaggedCode<'a> {
    /// Which child.
    pub tag: CodeTag,
    /// The code.
    pub code: Code<'a>,
}
owned_struct!(TaggedCode { tag, code });

impl<'a> TaggedCode<'a> {
    /// A tagged code.
    pub fn new(tag: CodeTag, code: Code<'a>) -> Self {
        Self { tag, code }
    }
}

named_enum!(
    /// The element name of a [`TaggedCode`], in the order of the schema (which is the order of
    /// [`ClinicalStatement::tagged_codes`]).
    CodeTag {
        /// `priorityCode`.
        Priority = "priorityCode",
        /// `languageCode`.
        Language = "languageCode",
        /// `routeCode` (`substanceAdministration`).
        Route = "routeCode",
        /// `interpretationCode` (`observation`).
        Interpretation = "interpretationCode",
        /// `methodCode`.
        Method = "methodCode",
        /// `approachSiteCode`.
        ApproachSite = "approachSiteCode",
        /// `targetSiteCode`.
        TargetSite = "targetSiteCode",
        /// `administrationUnitCode` (`substanceAdministration`).
        AdministrationUnit = "administrationUnitCode",
    }
);

/// An `entryRelationship`, or a `component` of an organizer.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Relationship<'a> {
    /// The element local name (`entryRelationship` or `component`).
    pub tag: Cow<'a, str>,
    /// `@typeCode` (`COMP`, `SUBJ`, `RSON`, ...).
    pub type_code: Option<Cow<'a, str>>,
    /// `@inversionInd`.
    pub inversion_ind: Option<Cow<'a, str>>,
    /// `@contextConductionInd`.
    pub context_conduction_ind: Option<Cow<'a, str>>,
    /// `@negationInd`.
    pub negation_ind: Option<Cow<'a, str>>,
    /// The target statement.
    pub statement: Option<ClinicalStatement<'a>>,
    /// Other children (`sequenceNumber`, `seperatableInd`, ...).
    pub extensions: Vec<Element<'a>>,
}
owned_struct!(Relationship {
    tag,
    type_code,
    inversion_ind,
    context_conduction_ind,
    negation_ind,
    statement,
    extensions,
});

/// Whether `local` names a CDA R2 clinical statement (the content of an entry or a
/// relationship).
pub(crate) fn is_statement_element(local: &str) -> bool {
    !matches!(
        StatementKind::from_local_name(local),
        StatementKind::Other(_)
    )
}

/// Whether an extension of an entry or a relationship is a second clinical statement: those
/// follow the statement when written (the other extensions precede it), and the parser keeps
/// them last.
pub(crate) fn is_extra_statement(e: &Element<'_>) -> bool {
    e.name.namespace.as_deref() == Some(super::HL7_NS) && is_statement_element(&e.name.local)
}
