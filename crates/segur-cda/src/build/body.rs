//! The generic N3 API: sections (code, title, narrative, nested sections) and entries
//! (observation, act, substanceAdministration, organizer, ... with their templateIds).
//!
//! The narrative block is generated: each statement given a [`Statement::label`] gets a
//! `<content ID="...">label</content>` line in its section's narrative and a `text/reference`
//! pointing at it (the CI-SIS rules require that link for most entries), so the human-readable
//! and the coded parts cannot drift apart. Free paragraphs can be added with
//! [`SectionBuilder::paragraph`].

use std::borrow::Cow;

use crate::model::{
    AnyValue, Attribute, ClinicalStatement, Code, CodeTag, CodedType, Ed, Element, Entry, Ii,
    Narrative, Node, Participation, QName, Relationship, Role, Scalar, ScalarType, Section,
    StatementKind, TaggedCode, Time,
};
use crate::valuesets::{self, ValueSet};
use crate::write::escape_text;

use super::error::{ProblemKind, Problems};

/// A code with its code system and display name, for section and entry codes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
pub struct Coded {
    /// `@code`.
    pub code: String,
    /// `@codeSystem` (OID).
    pub code_system: String,
    /// `@codeSystemName`, if wanted.
    #[cfg_attr(feature = "serde", serde(default))]
    pub code_system_name: Option<String>,
    /// `@displayName`.
    pub display_name: String,
}

impl Coded {
    /// A code with its system and display name.
    pub fn new(
        code: impl Into<String>,
        code_system: impl Into<String>,
        display_name: impl Into<String>,
    ) -> Self {
        Self {
            code: code.into(),
            code_system: code_system.into(),
            code_system_name: None,
            display_name: display_name.into(),
        }
    }

    /// A LOINC code (`2.16.840.1.113883.6.1`).
    pub fn loinc(code: impl Into<String>, display_name: impl Into<String>) -> Self {
        Self::new(code, LOINC, display_name).with_system_name("LOINC")
    }

    /// The same code with a `@codeSystemName`.
    #[must_use]
    pub fn with_system_name(mut self, name: impl Into<String>) -> Self {
        self.code_system_name = Some(name.into());
        self
    }

    pub(crate) fn to_model(&self) -> Code<'static> {
        Code {
            code_system_name: self.code_system_name.clone().map(Cow::Owned),
            ..Code::new(self.code.clone(), self.code_system.clone())
                .with_display_name(self.display_name.clone())
        }
    }
}

/// The LOINC code system OID.
pub const LOINC: &str = "2.16.840.1.113883.6.1";
/// The SNOMED CT code system OID.
pub const SNOMED_CT: &str = "2.16.840.1.113883.6.96";

/// A value of an observation (`value` with its `xsi:type`).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Value {
    /// `PQ`: a physical quantity with a UCUM unit.
    Quantity {
        /// The decimal value as written (e.g. `4.89`).
        value: String,
        /// The UCUM unit (e.g. `mmol/L`).
        unit: String,
    },
    /// `IVL_PQ`: a range of quantities (reference ranges).
    QuantityRange {
        /// Low bound.
        low: Option<(String, String)>,
        /// High bound.
        high: Option<(String, String)>,
    },
    /// `CD`: a coded value.
    Coded(Coded),
    /// `CE`: a coded value without qualifiers (some templates require this type).
    CodedCe(Coded),
    /// `ST`: free text.
    Text(String),
    /// `BL`: a boolean.
    Boolean(bool),
    /// `ED`: encapsulated data, base64 (for `observationMedia`).
    Media {
        /// The media type.
        media_type: String,
        /// The bytes.
        bytes: Vec<u8>,
    },
}

impl Value {
    pub(crate) fn to_model(&self) -> AnyValue<'static> {
        let attr = |name: &str, value: &str| Attribute {
            name: QName {
                namespace: None,
                local: Cow::Owned(name.to_owned()),
            },
            value: Cow::Owned(value.to_owned()),
        };
        let mut e = Element::new(QName::hl7("value"));
        match self {
            Self::Quantity { value, unit } => {
                return AnyValue::Scalar(Scalar::quantity(value.clone(), unit.clone()));
            }
            Self::Boolean(b) => {
                let value = if *b { "true" } else { "false" };
                return AnyValue::Scalar(Scalar::new(ScalarType::Bl, value));
            }
            Self::Coded(c) => return AnyValue::Coded(CodedType::Cd, c.to_model()),
            Self::CodedCe(c) => return AnyValue::Coded(CodedType::Ce, c.to_model()),
            Self::QuantityRange { low, high } => {
                e.xsi_type = Some(QName::hl7("IVL_PQ"));
                for (tag, bound) in [("low", low), ("high", high)] {
                    if let Some((v, u)) = bound {
                        let mut b = Element::new(QName::hl7(tag.to_owned()));
                        b.attributes.push(attr("value", v));
                        b.attributes.push(attr("unit", u));
                        e.children.push(Node::Element(b));
                    }
                }
            }
            Self::Text(t) => {
                e.xsi_type = Some(QName::hl7("ST"));
                e.children.push(Node::Text(Cow::Owned(t.clone())));
            }
            Self::Media { media_type, bytes } => {
                e.xsi_type = Some(QName::hl7("ED"));
                e.attributes.push(attr("mediaType", media_type));
                e.attributes.push(attr("representation", "B64"));
                e.children
                    .push(Node::Text(Cow::Owned(crate::write::base64_encode(bytes))));
            }
        }
        AnyValue::element(e)
    }
}

/// A product given in a `substanceAdministration` (`consumable/manufacturedProduct`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Product {
    /// templateIds of `manufacturedProduct`.
    pub template_ids: Vec<String>,
    /// The product code (e.g. CIS code `1.2.250.1.213.2.3.1`); its `originalText` points at the
    /// statement's narrative line.
    pub code: Coded,
    /// The product name.
    pub name: String,
}

/// A clinical statement to be placed in an entry or under another statement.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Statement {
    /// Which statement (`observation`, `act`, ...).
    pub kind: Kind,
    /// `@classCode`.
    pub class_code: String,
    /// `@moodCode`.
    pub mood_code: String,
    /// `@ID` (e.g. for an `observationMedia` the narrative shows with `renderMultiMedia`).
    pub id_attr: Option<String>,
    /// templateId roots (and extensions).
    pub template_ids: Vec<(String, Option<String>)>,
    /// `id`s.
    pub ids: Vec<(String, Option<String>)>,
    /// `code`; [`Code::null_flavor`] style `NA` when `None` and [`Statement::null_code`].
    pub code: Option<Coded>,
    /// Write `<code nullFlavor="NA"/>` when [`Statement::code`] is `None`.
    pub null_code: bool,
    /// When set, the line shown in the section narrative; the statement's `text/reference` (and,
    /// with [`Statement::code_references_label`], its `code/originalText/reference`) points at it.
    pub label: Option<String>,
    /// Also point `code/originalText/reference` at the narrative line.
    pub code_references_label: bool,
    /// `text/reference/@value` when there is no [`Statement::label`] (e.g. `#doc-1`, an
    /// `observationMedia` shown by the narrative).
    pub text_reference: Option<String>,
    /// `statusCode/@code` (`completed`, `active`, ...).
    pub status: Option<String>,
    /// `effectiveTime`s, already in HL7 form.
    pub effective_times: Vec<Time<'static>>,
    /// `value`s.
    pub values: Vec<Value>,
    /// The value set the coded values must belong to, if any.
    pub value_set: Option<&'static ValueSet>,
    /// `interpretationCode/@code` (`JDV_HL7_ObservationInterpretation_CISIS`: `N`, `H`, `L`, ...).
    pub interpretation: Option<String>,
    /// Other children, in schema order (`interpretationCode`, `methodCode`, `doseQuantity`,
    /// `referenceRange`, ...).
    pub extra: Vec<Element<'static>>,
    /// `consumable/manufacturedProduct` of a `substanceAdministration`.
    pub product: Option<Product>,
    /// Nested statements: (`entryRelationship` or `component`, `@typeCode` (none when empty),
    /// statement).
    pub children: Vec<(RelationshipTag, String, Self)>,
}

/// The element of a nested statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelationshipTag {
    /// `entryRelationship` (act, observation, substanceAdministration, ...).
    EntryRelationship,
    /// `component` (organizer).
    Component,
}

/// The clinical statement kinds the builder writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Kind {
    /// `act`.
    Act,
    /// `encounter`.
    Encounter,
    /// `observation`.
    #[default]
    Observation,
    /// `observationMedia`.
    ObservationMedia,
    /// `organizer`.
    Organizer,
    /// `procedure`.
    Procedure,
    /// `substanceAdministration`.
    SubstanceAdministration,
    /// `supply`.
    Supply,
}

impl Kind {
    fn model(self) -> StatementKind<'static> {
        match self {
            Self::Act => StatementKind::Act,
            Self::Encounter => StatementKind::Encounter,
            Self::Observation => StatementKind::Observation,
            Self::ObservationMedia => StatementKind::ObservationMedia,
            Self::Organizer => StatementKind::Organizer,
            Self::Procedure => StatementKind::Procedure,
            Self::SubstanceAdministration => StatementKind::SubstanceAdministration,
            Self::Supply => StatementKind::Supply,
        }
    }
}

impl Statement {
    /// A statement of this kind with its class and mood codes.
    pub fn new(kind: Kind, class_code: &str, mood_code: &str) -> Self {
        Self {
            kind,
            class_code: class_code.to_owned(),
            mood_code: mood_code.to_owned(),
            ..Self::default()
        }
    }

    /// `observation classCode="OBS" moodCode="EVN"`.
    pub fn observation() -> Self {
        Self::new(Kind::Observation, "OBS", "EVN")
    }

    /// Adds templateIds (roots without extension).
    #[must_use]
    pub fn templates(mut self, roots: &[&str]) -> Self {
        self.template_ids
            .extend(roots.iter().map(|r| ((*r).to_owned(), None)));
        self
    }

    /// Sets the code.
    #[must_use]
    pub fn code(mut self, code: Coded) -> Self {
        self.code = Some(code);
        self
    }

    /// Sets the narrative line.
    #[must_use]
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Sets `statusCode`.
    #[must_use]
    pub fn status(mut self, status: &str) -> Self {
        self.status = Some(status.to_owned());
        self
    }

    /// Adds an `effectiveTime`.
    #[must_use]
    pub fn effective_time(mut self, time: Time<'static>) -> Self {
        self.effective_times.push(time);
        self
    }

    /// Adds a value.
    #[must_use]
    pub fn value(mut self, value: Value) -> Self {
        self.values.push(value);
        self
    }

    /// Adds a nested statement.
    #[must_use]
    pub fn child(mut self, tag: RelationshipTag, type_code: &str, statement: Self) -> Self {
        self.children.push((tag, type_code.to_owned(), statement));
        self
    }

    fn check(&self, field: &str, problems: &mut Problems) {
        if let Some(l) = &self.label
            && l.trim().is_empty()
        {
            problems.push(format!("{field}.label"), ProblemKind::Empty);
        }
        if let Some(c) = &self.code {
            check_coded(&format!("{field}.code"), c, problems);
        }
        for v in &self.values {
            match v {
                Value::Text(t) if t.trim().is_empty() => {
                    problems.push(format!("{field}.value"), ProblemKind::Empty);
                }
                Value::Media { bytes, .. } if bytes.is_empty() => {
                    problems.push(format!("{field}.value"), ProblemKind::Empty);
                }
                Value::Media { media_type, bytes }
                    if media_type == "application/pdf" && !bytes.starts_with(b"%PDF-") =>
                {
                    problems.push(
                        format!("{field}.value"),
                        ProblemKind::Invalid {
                            reason: "the bytes are not application/pdf".into(),
                        },
                    );
                }
                Value::Coded(c) | Value::CodedCe(c) => match self.value_set {
                    Some(vs) if !vs.contains(&c.code, &c.code_system) => problems.push(
                        format!("{field}.value"),
                        ProblemKind::NotInValueSet {
                            value_set: vs.name,
                            code: c.code.clone(),
                        },
                    ),
                    Some(_) => {}
                    None => check_coded(&format!("{field}.value"), c, problems),
                },
                _ => {}
            }
        }
        if let Some(i) = &self.interpretation
            && valuesets::OBSERVATION_INTERPRETATION
                .by_code(i)
                .next()
                .is_none()
        {
            problems.push(
                format!("{field}.interpretation"),
                ProblemKind::NotInValueSet {
                    value_set: valuesets::OBSERVATION_INTERPRETATION.name,
                    code: i.clone(),
                },
            );
        }
        for (i, (_, _, s)) in self.children.iter().enumerate() {
            s.check(&format!("{field}.child[{i}]"), problems);
        }
    }

    /// Converts to the model, numbering narrative lines with `ids` (`{prefix}-{n}`), collecting
    /// the lines in `lines`.
    fn to_model(
        &self,
        ids: &mut NarrativeIds<'_>,
        lines: &mut Vec<(String, String)>,
    ) -> ClinicalStatement<'static> {
        let reference = self.label.as_ref().map(|l| {
            let id = ids.next();
            lines.push((id.clone(), l.clone()));
            format!("#{id}")
        });
        let mut code = self.code.as_ref().map(Coded::to_model);
        if code.is_none() && self.null_code {
            code = Some(Code {
                null_flavor: Some(Cow::Borrowed("NA")),
                ..Code::default()
            });
        }
        if self.code_references_label
            && let (Some(c), Some(r)) = (code.as_mut(), &reference)
        {
            c.more_mut().original_text = Some(Ed {
                reference: Some(Cow::Owned(r.clone())),
                ..Ed::default()
            });
        }
        let mut participations = Vec::new();
        if let Some(p) = &self.product {
            let mut product_code = p.code.to_model();
            if let Some(r) = &reference {
                product_code.more_mut().original_text = Some(Ed {
                    reference: Some(Cow::Owned(r.clone())),
                    ..Ed::default()
                });
            }
            let mut material = Element::new(QName::hl7("manufacturedMaterial"));
            material
                .children
                .push(Node::Element(code_element("code", &product_code)));
            let mut name = Element::new(QName::hl7("name"));
            name.children.push(Node::Text(Cow::Owned(p.name.clone())));
            material.children.push(Node::Element(name));
            let role = Role {
                template_ids: p.template_ids.iter().map(|t| Ii::new(t.clone())).collect(),
                extensions: vec![material],
                ..Role::new("manufacturedProduct")
            };
            participations.push(Participation {
                role: Some(Box::new(role)),
                ..Participation::new("consumable")
            });
        }
        ClinicalStatement {
            kind: self.kind.model(),
            class_code: Some(Cow::Owned(self.class_code.clone())),
            mood_code: Some(Cow::Owned(self.mood_code.clone())),
            negation_ind: None,
            id_attr: self.id_attr.clone().map(Cow::Owned),
            template_ids: self
                .template_ids
                .iter()
                .map(|(r, e)| ii(r, e.as_deref()))
                .collect(),
            ids: self.ids.iter().map(|(r, e)| ii(r, e.as_deref())).collect(),
            code,
            text: reference
                .or_else(|| self.text_reference.clone())
                .map(|r| Ed {
                    reference: Some(Cow::Owned(r)),
                    ..Ed::default()
                }),
            status_code: self.status.as_ref().map(|s| Code::simple(s.clone())),
            effective_times: self.effective_times.iter().cloned().collect(),
            values: self.values.iter().map(Value::to_model).collect(),
            participations,
            relationships: self
                .children
                .iter()
                .map(|(tag, type_code, s)| Relationship {
                    tag: Cow::Borrowed(match tag {
                        RelationshipTag::EntryRelationship => "entryRelationship",
                        RelationshipTag::Component => "component",
                    }),
                    type_code: (!type_code.is_empty()).then(|| Cow::Owned(type_code.clone())),
                    statement: Some(s.to_model(ids, lines)),
                    ..Relationship::default()
                })
                .collect(),
            tagged_codes: self
                .interpretation
                .iter()
                .map(|i| {
                    let code = valuesets::OBSERVATION_INTERPRETATION
                        .by_code(i)
                        .next()
                        .map_or_else(
                            || Code::simple(i.clone()),
                            |c| Code::new(c.code, c.code_system).with_display_name(c.display_name),
                        );
                    TaggedCode::new(CodeTag::Interpretation, code)
                })
                .collect(),
            extensions: self.extra.clone(),
        }
    }
}

fn ii(root: &str, extension: Option<&str>) -> Ii<'static> {
    match extension {
        Some(e) => Ii::with_extension(root.to_owned(), e.to_owned()),
        None => Ii::new(root.to_owned()),
    }
}

/// A generic element holding a coded value (for `extra` children and product codes).
pub(crate) fn code_element(tag: &str, c: &Code<'static>) -> Element<'static> {
    let mut e = Element::new(QName::hl7(tag.to_owned()));
    let mut attr = |name: &str, value: &Option<Cow<'static, str>>| {
        if let Some(v) = value {
            e.attributes.push(Attribute {
                name: QName {
                    namespace: None,
                    local: Cow::Owned(name.to_owned()),
                },
                value: v.clone(),
            });
        }
    };
    attr("code", &c.code);
    attr("codeSystem", &c.code_system);
    attr("codeSystemName", &c.code_system_name);
    attr("displayName", &c.display_name);
    attr("nullFlavor", &c.null_flavor);
    if let Some(t) = c.original_text() {
        let mut ot = Element::new(QName::hl7("originalText"));
        if let Some(r) = &t.reference {
            let mut re = Element::new(QName::hl7("reference"));
            re.attributes.push(Attribute {
                name: QName {
                    namespace: None,
                    local: Cow::Borrowed("value"),
                },
                value: r.clone(),
            });
            ot.children.push(Node::Element(re));
        }
        e.children.push(Node::Element(ot));
    }
    e
}

/// A generic coded element (`interpretationCode`, `methodCode`, `priorityCode`, ...).
pub fn coded_element(tag: &str, code: &Coded) -> Element<'static> {
    code_element(tag, &code.to_model())
}

fn check_coded(field: &str, c: &Coded, problems: &mut Problems) {
    if c.code.trim().is_empty() {
        problems.push(format!("{field}.code"), ProblemKind::Empty);
    }
    if !super::is_oid(&c.code_system) {
        problems.push(
            format!("{field}.codeSystem"),
            ProblemKind::InvalidId {
                reason: "a code system must be an OID".into(),
            },
        );
    }
}

/// Hands out narrative `ID`s `{prefix}-1`, `{prefix}-2`, ...
struct NarrativeIds<'p> {
    prefix: &'p str,
    next: usize,
}

impl NarrativeIds<'_> {
    fn next(&mut self) -> String {
        self.next += 1;
        format!("{}-{}", self.prefix, self.next)
    }
}

/// A section under construction.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SectionBuilder {
    /// A short key naming the section in error messages and narrative IDs (letters, digits,
    /// `-`), e.g. `statut`.
    pub key: String,
    /// templateId roots (and extensions).
    pub template_ids: Vec<(String, Option<String>)>,
    /// `id` (root, extension).
    pub id: Option<(String, Option<String>)>,
    /// `code`.
    pub code: Option<Coded>,
    /// `title`.
    pub title: Option<String>,
    /// Free paragraphs shown before the entries' lines.
    pub paragraphs: Vec<String>,
    /// Narrative markup added as is after the paragraphs (e.g. a `renderMultiMedia`); it must
    /// be well-formed CDA narrative in the HL7 namespace, unprefixed.
    pub raw_narrative: Option<String>,
    /// The entries: (`entry/@typeCode`, entry-level templateIds, statement).
    pub entries: Vec<(Option<String>, Vec<String>, Statement)>,
    /// Nested sections.
    pub sections: Vec<Self>,
}

impl SectionBuilder {
    /// A section with a key, templateIds, code and title.
    pub fn new(key: &str, template_ids: &[&str], code: Coded, title: impl Into<String>) -> Self {
        Self {
            key: key.to_owned(),
            template_ids: template_ids
                .iter()
                .map(|t| ((*t).to_owned(), None))
                .collect(),
            code: Some(code),
            title: Some(title.into()),
            ..Self::default()
        }
    }

    /// Adds a free paragraph to the narrative.
    #[must_use]
    pub fn paragraph(mut self, text: impl Into<String>) -> Self {
        self.paragraphs.push(text.into());
        self
    }

    /// Adds an entry holding `statement`.
    #[must_use]
    pub fn entry(mut self, statement: Statement) -> Self {
        self.entries.push((None, Vec::new(), statement));
        self
    }

    /// Adds a nested section.
    #[must_use]
    pub fn section(mut self, section: Self) -> Self {
        self.sections.push(section);
        self
    }

    pub(crate) fn check(&self, field: &str, problems: &mut Problems) {
        if self.key.is_empty()
            || !self
                .key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            || !self.key.as_bytes()[0].is_ascii_alphabetic()
        {
            problems.push(
                format!("{field}.key"),
                ProblemKind::Invalid {
                    reason: "letters, digits and '-', starting with a letter".into(),
                },
            );
        }
        match &self.code {
            Some(c) => check_coded(&format!("{field}.code"), c, problems),
            None => problems.missing(format!("{field}.code")),
        }
        problems.text(&format!("{field}.title"), self.title.as_deref());
        for (i, (_, _, s)) in self.entries.iter().enumerate() {
            s.check(&format!("{field}.entry[{i}]"), problems);
        }
        for s in &self.sections {
            s.check(&format!("{field}.section[{}]", s.key), problems);
        }
    }

    /// Converts to the model, generating the narrative block.
    pub(crate) fn to_model(&self) -> Section<'static> {
        let mut ids = NarrativeIds {
            prefix: &self.key,
            next: 0,
        };
        let mut lines = Vec::new();
        let entries = self
            .entries
            .iter()
            .map(|(type_code, templates, s)| {
                let statement = s.to_model(&mut ids, &mut lines);
                let mut extensions = Vec::new();
                for t in templates {
                    let mut e = Element::new(QName::hl7("templateId"));
                    e.attributes.push(Attribute {
                        name: QName {
                            namespace: None,
                            local: Cow::Borrowed("root"),
                        },
                        value: Cow::Owned(t.clone()),
                    });
                    extensions.push(e);
                }
                Entry {
                    type_code: type_code.clone().map(Cow::Owned),
                    context_conduction_ind: None,
                    statement: Some(statement),
                    extensions,
                }
            })
            .collect();
        let mut raw = String::new();
        for p in &self.paragraphs {
            raw.push_str("<paragraph>");
            escape_text(&mut raw, p);
            raw.push_str("</paragraph>");
        }
        if let Some(r) = &self.raw_narrative {
            raw.push_str(r);
        }
        if !lines.is_empty() {
            raw.push_str("<list>");
            for (id, label) in &lines {
                raw.push_str("<item><content ID=\"");
                raw.push_str(id);
                raw.push_str("\">");
                escape_text(&mut raw, label);
                raw.push_str("</content></item>");
            }
            raw.push_str("</list>");
        }
        Section {
            template_ids: self
                .template_ids
                .iter()
                .map(|(r, e)| ii(r, e.as_deref()))
                .collect(),
            id: self.id.as_ref().map(|(r, e)| ii(r, e.as_deref())),
            code: self.code.as_ref().map(Coded::to_model),
            title: self.title.clone().map(Cow::Owned),
            text: (!raw.is_empty()).then_some(Narrative {
                media_type: None,
                raw: Cow::Owned(raw),
            }),
            entries,
            sections: self.sections.iter().map(Self::to_model).collect(),
            ..Section::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrative_lines_are_linked_to_entries() {
        let s = SectionBuilder::new("res", &["1.2.3"], Coded::loinc("1-8", "X"), "Résultats")
            .paragraph("a < b")
            .entry(
                Statement::observation()
                    .code(Coded::loinc("2-6", "Y"))
                    .label("première & seule")
                    .status("completed")
                    .value(Value::Boolean(true)),
            );
        let mut p = Problems::default();
        s.check("section[res]", &mut p);
        assert!(p.finish(()).is_ok());
        let m = s.to_model();
        assert_eq!(
            m.text.unwrap().raw,
            "<paragraph>a &lt; b</paragraph><list><item><content ID=\"res-1\">première &amp; \
             seule</content></item></list>"
        );
        let st = m.entries[0].statement.as_ref().unwrap();
        assert_eq!(
            st.text.as_ref().unwrap().reference.as_deref(),
            Some("#res-1")
        );
    }

    #[test]
    fn problems_name_the_fields() {
        let s = SectionBuilder {
            key: "9x".into(),
            entries: vec![(
                None,
                vec![],
                Statement::observation()
                    .label(" ")
                    .value(Value::Text(String::new())),
            )],
            ..SectionBuilder::default()
        };
        let mut p = Problems::default();
        s.check("section", &mut p);
        let err = p.finish(()).unwrap_err();
        let fields: Vec<&str> = err.problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "section.key",
                "section.code",
                "section.title",
                "section.entry[0].label",
                "section.entry[0].value"
            ]
        );
    }
}
