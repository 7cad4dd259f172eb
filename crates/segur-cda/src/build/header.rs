//! The document builder: header, body, and the checks that tie them together.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset};

use crate::model::{
    Body, Code, ComponentOf, Document, Ed, HealthCareFacility, Ii, NonXmlBody, Participation,
    RelatedDocument, Role, ServiceEvent, StructuredBody, Time,
};
use crate::valuesets;

use super::body::{Coded, SectionBuilder};
use super::error::{ProblemKind, Problems};
use super::parties::{
    Address, Author, Contact, HealthOrganization, Identifier, OrganizationId, PatientInfo,
    PersonName, Professional, code_in,
};
use super::volets::VoletSpec;

/// The templateId of the HL7 France header.
pub(crate) const TEMPLATE_HL7_FRANCE: &str = "2.16.840.1.113883.2.8.2.1";
/// The templateId of the CI-SIS header (Structuration minimale).
pub(crate) const TEMPLATE_CI_SIS: &str = "1.2.250.1.213.1.1.1.1";
/// The templateId of an N1 document (IHE XDS-SD), which replaces the volet templateId.
pub(crate) const TEMPLATE_XDS_SD: &str = "1.3.6.1.4.1.19376.1.2.20";

/// Formats a time as an HL7 TS with seconds and UTC offset (`20240402111700+0200`).
pub fn hl7_ts(t: &DateTime<FixedOffset>) -> String {
    t.format("%Y%m%d%H%M%S%z").to_string()
}

fn ts(t: &DateTime<FixedOffset>) -> Time<'static> {
    Time::ts(hl7_ts(t))
}

fn interval(low: &DateTime<FixedOffset>, high: Option<&DateTime<FixedOffset>>) -> Time<'static> {
    Time {
        low: Some(Box::new(ts(low))),
        high: high.map(|h| Box::new(ts(h))),
        ..Time::default()
    }
}

/// A professional signing or validating the document, at a time.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
pub struct Signer {
    /// Who.
    pub professional: Professional,
    /// When.
    pub time: DateTime<FixedOffset>,
}

/// A header `participant` (referring doctor, sample taker, ...): an `associatedEntity` with
/// `classCode="PROV"`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
pub struct Participant {
    /// `@typeCode` (`JDV_J144_ParticipationType_CISIS`: `REF`, `INF`, `PRF`, ...).
    pub type_code: String,
    /// `functionCode` (`JDV_J47_FunctionCode_CISIS`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub function: Option<String>,
    /// When (written as an `IVL_TS` with `low`).
    pub time: DateTime<FixedOffset>,
    /// Who.
    pub professional: Professional,
}

/// Who gave information about the patient (`informant`).
#[expect(
    clippy::large_enum_variant,
    reason = "a handful per document; boxing would only add noise"
)]
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Informant {
    /// A health professional (`assignedEntity`).
    Professional(Professional),
    /// A relative or other person close to the patient (`relatedEntity`).
    Relative {
        /// `@classCode`: `ECON` (emergency contact), `NOK` (personne de confiance), `CON`,
        /// `CAREGIVER`, `PAT`.
        class_code: String,
        /// Relationship to the patient (`JDV_J11_RelationPatient_CISIS`, e.g. `MTH`).
        #[cfg_attr(feature = "serde", serde(default))]
        relationship: Option<String>,
        /// Name.
        name: PersonName,
        /// Postal address.
        #[cfg_attr(feature = "serde", serde(default))]
        address: Option<Address>,
        /// Phone, mail.
        #[cfg_attr(feature = "serde", serde(default))]
        telecoms: Vec<Contact>,
    },
}

/// The `@classCode`s of an informant's `relatedEntity` the CI-SIS allows.
const RELATED_ENTITY_CLASSES: [&str; 5] = ["ECON", "NOK", "CON", "CAREGIVER", "PAT"];

impl Informant {
    fn to_participation(&self, field: &str, p: &mut Problems) -> Participation<'static> {
        let role = match self {
            Self::Professional(pro) => pro.to_role("assignedEntity", field, p),
            Self::Relative {
                class_code,
                relationship,
                name,
                address,
                telecoms,
            } => {
                if !RELATED_ENTITY_CLASSES.contains(&class_code.as_str()) {
                    p.push(
                        format!("{field}.class_code"),
                        ProblemKind::Invalid {
                            reason: format!("expected one of {RELATED_ENTITY_CLASSES:?}"),
                        },
                    );
                }
                Role {
                    class_code: Some(Cow::Owned(class_code.clone())),
                    code: relationship.as_ref().map(|r| {
                        code_in(
                            &format!("{field}.relationship"),
                            &valuesets::PATIENT_RELATION,
                            r,
                            p,
                        )
                    }),
                    addrs: address.iter().map(Address::to_model).collect(),
                    telecoms: telecoms
                        .iter()
                        .enumerate()
                        .map(|(i, t)| t.to_model(&format!("{field}.telecom[{i}]"), p))
                        .collect(),
                    person: Some(crate::model::Person {
                        names: vec![name.to_model(&format!("{field}.name"), p)],
                        ..crate::model::Person::default()
                    }),
                    ..Role::new("relatedEntity")
                }
            }
        };
        Participation {
            role: Some(Box::new(role)),
            ..Participation::new("informant")
        }
    }
}

/// A `documentationOf/serviceEvent`: the act the document reports.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
pub struct ServiceEventInfo {
    /// The act code (e.g. a LOINC chapter for a lab report).
    #[cfg_attr(feature = "serde", serde(default))]
    pub code: Option<Coded>,
    /// Start of the act.
    pub start: DateTime<FixedOffset>,
    /// End of the act.
    #[cfg_attr(feature = "serde", serde(default))]
    pub end: Option<DateTime<FixedOffset>>,
    /// The professional who performed it (`performer typeCode="PRF"`): mandatory on the first
    /// service event, with an organisation that has a practice setting.
    #[cfg_attr(feature = "serde", serde(default))]
    pub performer: Option<Professional>,
}

/// `componentOf/encompassingEncounter`: the care episode.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
pub struct Encounter {
    /// Start.
    pub start: DateTime<FixedOffset>,
    /// End.
    #[cfg_attr(feature = "serde", serde(default))]
    pub end: Option<DateTime<FixedOffset>>,
    /// Encounter type (`JDV_J142_TypeRencontre_CISIS`: `IMP`, `AMB`, `EMER`, ...).
    #[cfg_attr(feature = "serde", serde(default))]
    pub code: Option<String>,
    /// Facility type (`JDV_J02_XdsHealthcareFacilityTypeCode_CISIS`, e.g. `SA01`), mandatory.
    pub facility_type: String,
    /// The facility's id.
    #[cfg_attr(feature = "serde", serde(default))]
    pub facility_id: Option<OrganizationId>,
    /// The professional responsible for the encounter (`responsibleParty`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub responsible: Option<Professional>,
}

/// The previous version this document replaces (`relatedDocument typeCode="RPLC"`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
pub struct ParentDocument {
    /// The replaced document's id.
    pub id: Identifier,
}

/// The media types the CI-SIS allows in an N1 `nonXMLBody` (volet Structuration minimale).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
#[non_exhaustive]
pub enum N1MediaType {
    /// `application/pdf` (PDF/A recommended).
    #[cfg_attr(feature = "serde", serde(rename = "application/pdf"))]
    Pdf,
    /// `text/plain`.
    #[cfg_attr(feature = "serde", serde(rename = "text/plain"))]
    PlainText,
    /// `text/rtf`.
    #[cfg_attr(feature = "serde", serde(rename = "text/rtf"))]
    Rtf,
    /// `image/jpeg`.
    #[cfg_attr(feature = "serde", serde(rename = "image/jpeg"))]
    Jpeg,
    /// `image/tiff`.
    #[cfg_attr(feature = "serde", serde(rename = "image/tiff"))]
    Tiff,
}

impl N1MediaType {
    /// Every allowed media type.
    pub const ALL: [Self; 5] = [
        Self::Pdf,
        Self::PlainText,
        Self::Rtf,
        Self::Jpeg,
        Self::Tiff,
    ];

    /// The MIME type.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::PlainText => "text/plain",
            Self::Rtf => "text/rtf",
            Self::Jpeg => "image/jpeg",
            Self::Tiff => "image/tiff",
        }
    }

    /// The media type for a MIME type, if the CI-SIS allows it in an N1 body.
    pub fn from_mime(mime: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == mime)
    }

    /// Whether `bytes` look like this media type (magic numbers; UTF-8 for plain text).
    pub fn matches(self, bytes: &[u8]) -> bool {
        match self {
            Self::Pdf => bytes.starts_with(b"%PDF-"),
            Self::PlainText => std::str::from_utf8(bytes).is_ok(),
            Self::Rtf => bytes.starts_with(b"{\\rtf"),
            Self::Jpeg => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
            Self::Tiff => bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*"),
        }
    }
}

/// An N1 payload: the bytes of the document and their media type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NonXmlPayload {
    /// The media type.
    pub media_type: N1MediaType,
    /// The bytes (embedded as base64).
    pub bytes: Vec<u8>,
}

impl NonXmlPayload {
    /// A PDF payload.
    pub fn pdf(bytes: Vec<u8>) -> Self {
        Self {
            media_type: N1MediaType::Pdf,
            bytes,
        }
    }
}

/// An N3 body: the volet it follows and its sections.
#[derive(Clone, Debug, PartialEq)]
pub struct N3Content {
    /// The volet (document-level templateIds, document type, mandatory sections, header rules).
    pub volet: &'static VoletSpec,
    /// The top-level sections, in order.
    pub sections: Vec<SectionBuilder>,
}

/// The body of the document.
#[derive(Clone, Debug, PartialEq)]
pub enum BodyContent {
    /// N1: a payload in `nonXMLBody`.
    NonXml(NonXmlPayload),
    /// N3: sections and entries in `structuredBody`.
    Structured(N3Content),
}

/// Everything a CI-SIS document needs, checked by [`DocumentBuilder::build`].
///
/// Mandatory: `id`, `type_code` (for N3 given by the volet), `title` (idem when the volet fixes
/// it), `effective_time`, `patient`, at least one `author`, `custodian`, `legal_authenticator`,
/// at least one `service_events` entry (the first with a performer), `encounter`, `body`.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct DocumentBuilder {
    /// Document id (`ClinicalDocument/id`): an OID root (+ extension) unique to this version.
    pub id: Option<Identifier>,
    /// Id shared by every version (`setId`); defaults to `id` for version 1.
    pub set_id: Option<Identifier>,
    /// Version number, from 1 (default 1).
    pub version: u32,
    /// Document type code (`JDV_J07_XdsTypeCode_CISIS`, e.g. `11490-0`).
    pub type_code: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Creation time.
    pub effective_time: Option<DateTime<FixedOffset>>,
    /// Confidentiality code (`N` by default; `R`, `V`, ...).
    pub confidentiality: String,
    /// Language (`fr-FR` by default).
    pub language: String,
    /// The patient.
    pub patient: Option<PatientInfo>,
    /// Authors (at least one).
    pub authors: Vec<Author>,
    /// The organisation keeping the document.
    pub custodian: Option<HealthOrganization>,
    /// The professional legally responsible for the document.
    pub legal_authenticator: Option<Signer>,
    /// Professionals who validated the document.
    pub authenticators: Vec<Signer>,
    /// Recipients (`informationRecipient/intendedRecipient`).
    pub recipients: Vec<Professional>,
    /// Other participants.
    pub participants: Vec<Participant>,
    /// The acts documented (at least one).
    pub service_events: Vec<ServiceEventInfo>,
    /// The care episode.
    pub encounter: Option<Encounter>,
    /// The version this one replaces.
    pub replaces: Option<ParentDocument>,
    /// Who gave information (`informant`): a professional or a relative.
    pub informants: Vec<Informant>,
    /// Who entered the data (`dataEnterer`).
    pub data_enterer: Option<Signer>,
    /// The orders this document fulfils (`inFulfillmentOf/order/id`).
    pub orders: Vec<Identifier>,
    /// Consents (`authorization/consent/code`, status `completed`).
    pub consents: Vec<Coded>,
    /// The body (in the JSON description, given beside the header).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub body: Option<BodyContent>,
}

impl Default for DocumentBuilder {
    fn default() -> Self {
        Self {
            id: None,
            set_id: None,
            version: 1,
            type_code: None,
            title: None,
            effective_time: None,
            confidentiality: "N".to_owned(),
            language: "fr-FR".to_owned(),
            patient: None,
            authors: Vec::new(),
            custodian: None,
            legal_authenticator: None,
            authenticators: Vec::new(),
            recipients: Vec::new(),
            participants: Vec::new(),
            service_events: Vec::new(),
            encounter: None,
            replaces: None,
            informants: Vec::new(),
            data_enterer: None,
            orders: Vec::new(),
            consents: Vec::new(),
            body: None,
        }
    }
}

impl DocumentBuilder {
    /// Checks every field and builds the document, or returns every problem found.
    ///
    /// # Errors
    /// [`BuildError`](super::BuildError) listing each missing, invalid or inconsistent field.
    pub fn build(&self) -> Result<Document<'static>, super::BuildError> {
        let mut p = Problems::default();
        let volet = match &self.body {
            Some(BodyContent::Structured(n3)) => Some(n3.volet),
            _ => None,
        };

        // --- identification
        let mut template_ids = vec![Ii::new(TEMPLATE_HL7_FRANCE), Ii::new(TEMPLATE_CI_SIS)];
        match (&self.body, volet) {
            (_, Some(v)) => {
                template_ids.extend(v.template_ids.iter().map(|(root, ext)| match ext {
                    Some(e) => Ii::with_extension(*root, *e),
                    None => Ii::new(*root),
                }));
            }
            (Some(BodyContent::NonXml(_)), None) => template_ids.push(Ii::new(TEMPLATE_XDS_SD)),
            _ => {}
        }
        let id = self.id.as_ref().map(|i| i.to_model("id", &mut p));
        if id.is_none() {
            p.missing("id");
        }
        let set_id = match (&self.set_id, &id) {
            (Some(s), _) => Some(s.to_model("set_id", &mut p)),
            (None, Some(id)) if self.version == 1 => Some(id.clone()),
            (None, _) => {
                p.missing("set_id");
                None
            }
        };
        if self.version == 0 {
            p.push(
                "version",
                ProblemKind::Invalid {
                    reason: "versions start at 1".into(),
                },
            );
        }
        if self.version > 1 && self.replaces.is_none() {
            p.push(
                "replaces",
                ProblemKind::Inconsistent {
                    reason: "a version above 1 must name the document it replaces".into(),
                },
            );
        }
        if self.version == 1 && self.replaces.is_some() {
            p.push(
                "version",
                ProblemKind::Inconsistent {
                    reason: "a replacing document has a version above 1".into(),
                },
            );
        }
        let type_code = match (self.type_code.as_deref(), volet) {
            (Some(c), Some(v)) if c != v.type_code => {
                p.push(
                    "type_code",
                    ProblemKind::Inconsistent {
                        reason: format!("volet {} requires document type {}", v.name, v.type_code),
                    },
                );
                None
            }
            (Some(c), _) => Some(code_in("type_code", &valuesets::TYPE_CODE, c, &mut p)),
            (None, Some(v)) => Some(code_in(
                "type_code",
                &valuesets::TYPE_CODE,
                v.type_code,
                &mut p,
            )),
            (None, None) => {
                p.missing("type_code");
                None
            }
        };
        let title = match (self.title.as_deref(), volet.and_then(|v| v.fixed_title)) {
            (Some(t), Some(fixed)) if t != fixed => {
                p.push(
                    "title",
                    ProblemKind::Inconsistent {
                        reason: format!("the volet fixes the title to {fixed:?}"),
                    },
                );
                None
            }
            (None, Some(fixed)) => Some(fixed.to_owned()),
            (t, _) => p.text("title", t).map(str::to_owned),
        };
        let effective_time = match &self.effective_time {
            Some(t) => Some(ts(t)),
            None => {
                p.missing("effective_time");
                None
            }
        };
        let confidentiality_code = code_in(
            "confidentiality",
            &valuesets::CONFIDENTIALITY,
            &self.confidentiality,
            &mut p,
        );
        let lang = self.language.as_bytes();
        if !(lang.len() == 5
            && lang[..2].iter().all(u8::is_ascii_lowercase)
            && lang[2] == b'-'
            && lang[3..].iter().all(u8::is_ascii_uppercase))
        {
            p.push(
                "language",
                ProblemKind::Invalid {
                    reason: "expected ll-CC, e.g. fr-FR".into(),
                },
            );
        }

        // --- participations
        let record_targets = match &self.patient {
            Some(patient) => vec![Participation {
                role: Some(Box::new(patient.to_role(&mut p))),
                ..Participation::new("recordTarget")
            }],
            None => {
                p.missing("patient");
                Vec::new()
            }
        };
        if self.authors.is_empty() {
            p.missing("author");
        }
        let authors = self
            .authors
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let field = format!("author[{i}]");
                Participation {
                    function_code: a.function.as_ref().map(|f| {
                        code_in(
                            &format!("{field}.function"),
                            &valuesets::FUNCTION_CODE,
                            f,
                            &mut p,
                        )
                    }),
                    time: Some(ts(&a.time)),
                    role: Some(Box::new(a.to_role(&field, &mut p))),
                    ..Participation::new("author")
                }
            })
            .collect();
        let custodian = match &self.custodian {
            Some(org) => {
                if org.id.is_none() {
                    p.missing("custodian.id");
                }
                let mut o = org.to_model("custodian", &mut p);
                // a custodian organization has at most one telecom and one address
                o.telecoms.truncate(1);
                o.addrs.truncate(1);
                o.standard_industry_class_code = None;
                Some(Participation {
                    role: Some(Box::new(Role {
                        organization: Some(Box::new(o)),
                        ..Role::new("assignedCustodian")
                    })),
                    ..Participation::new("custodian")
                })
            }
            None => {
                p.missing("custodian");
                None
            }
        };
        let signer = |s: &Signer, tag: &'static str, field: &str, p: &mut Problems| Participation {
            time: Some(ts(&s.time)),
            signature_code: Some(Code::simple("S")),
            role: Some(Box::new(s.professional.to_role("assignedEntity", field, p))),
            ..Participation::new(tag)
        };
        let legal_authenticator = match &self.legal_authenticator {
            Some(s) => Some(signer(
                s,
                "legalAuthenticator",
                "legal_authenticator",
                &mut p,
            )),
            None => {
                p.missing("legal_authenticator");
                None
            }
        };
        let authenticators = self
            .authenticators
            .iter()
            .enumerate()
            .map(|(i, s)| signer(s, "authenticator", &format!("authenticator[{i}]"), &mut p))
            .collect();
        let information_recipients = self
            .recipients
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut role = r.to_role("intendedRecipient", &format!("recipient[{i}]"), &mut p);
                // an intendedRecipient has no code, its receivedOrganization no practice setting
                role.code = None;
                if let Some(o) = role.organization.as_mut() {
                    o.standard_industry_class_code = None;
                }
                Participation {
                    role: Some(Box::new(role)),
                    ..Participation::new("informationRecipient")
                }
            })
            .collect();
        let participants = self
            .participants
            .iter()
            .enumerate()
            .map(|(i, x)| {
                let field = format!("participant[{i}]");
                code_in(
                    &format!("{field}.type_code"),
                    &valuesets::PARTICIPATION_TYPE,
                    &x.type_code,
                    &mut p,
                );
                let mut role = x.professional.to_role("associatedEntity", &field, &mut p);
                role.class_code = Some(Cow::Borrowed("PROV"));
                Participation {
                    type_code: Some(Cow::Owned(x.type_code.clone())),
                    function_code: x.function.as_ref().map(|f| {
                        code_in(
                            &format!("{field}.function"),
                            &valuesets::FUNCTION_CODE,
                            f,
                            &mut p,
                        )
                    }),
                    time: Some(Time {
                        xsi_type: Some(crate::model::QName::hl7("IVL_TS")),
                        ..interval(&x.time, None)
                    }),
                    role: Some(Box::new(role)),
                    ..Participation::new("participant")
                }
            })
            .collect();

        // --- acts and context
        if self.service_events.is_empty() {
            p.missing("service_events");
        }
        let rules = volet.map(|v| v.header).unwrap_or_default();
        let documentation_of = self
            .service_events
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let field = format!("service_events[{i}]");
                if rules.service_event_code && s.code.is_none() {
                    p.missing(format!("{field}.code"));
                }
                let performers = match &s.performer {
                    Some(perf) => {
                        let pf = format!("{field}.performer");
                        let role = perf.to_role("assignedEntity", &pf, &mut p);
                        if i == 0 {
                            match &perf.organization {
                                None => p.missing(format!("{pf}.organization")),
                                Some(o) if o.practice_setting.is_none() => {
                                    p.missing(format!("{pf}.organization.practice_setting"));
                                }
                                Some(_) => {}
                            }
                        }
                        if rules.performer_details {
                            if perf.address.is_none() {
                                p.missing(format!("{pf}.address"));
                            }
                            if perf.telecoms.is_empty() {
                                p.missing(format!("{pf}.telecoms"));
                            }
                            if let Some(o) = &perf.organization {
                                if o.name.is_none() {
                                    p.missing(format!("{pf}.organization.name"));
                                }
                                if o.address.is_none() {
                                    p.missing(format!("{pf}.organization.address"));
                                }
                                if o.telecoms.is_empty() {
                                    p.missing(format!("{pf}.organization.telecoms"));
                                }
                            }
                        }
                        let mut prf = Participation {
                            type_code: Some(Cow::Borrowed("PRF")),
                            role: Some(Box::new(role)),
                            ..Participation::new("performer")
                        };
                        if rules.performer_details {
                            prf.time = Some(interval(&s.start, None));
                        }
                        vec![prf]
                    }
                    None => {
                        if i == 0 {
                            p.missing(format!("{field}.performer"));
                        }
                        Vec::new()
                    }
                };
                ServiceEvent {
                    code: s.code.as_ref().map(Coded::to_model),
                    effective_time: Some(interval(&s.start, s.end.as_ref())),
                    performers,
                    ..ServiceEvent::default()
                }
            })
            .collect();
        let component_of = match &self.encounter {
            Some(e) => {
                if rules.responsible_party && e.responsible.is_none() {
                    p.missing("encounter.responsible");
                }
                if let Some(r) = &e.responsible
                    && rules.responsible_party
                    && r.specialty.is_none()
                {
                    p.missing("encounter.responsible.specialty");
                }
                Some(ComponentOf {
                    code: e
                        .code
                        .as_ref()
                        .map(|c| code_in("encounter.code", &valuesets::ENCOUNTER_TYPE, c, &mut p)),
                    effective_time: Some(interval(&e.start, e.end.as_ref())),
                    responsible_party: e.responsible.as_ref().map(|r| Participation {
                        role: Some(Box::new(r.to_role(
                            "assignedEntity",
                            "encounter.responsible",
                            &mut p,
                        ))),
                        ..Participation::new("responsibleParty")
                    }),
                    health_care_facility: Some(HealthCareFacility {
                        ids: e
                            .facility_id
                            .iter()
                            .map(|i| i.to_model("encounter.facility_id", &mut p))
                            .collect(),
                        code: Some(code_in(
                            "encounter.facility_type",
                            &valuesets::HEALTHCARE_FACILITY_TYPE,
                            &e.facility_type,
                            &mut p,
                        )),
                        ..HealthCareFacility::default()
                    }),
                    ..ComponentOf::default()
                })
            }
            None => {
                p.missing("encounter");
                None
            }
        };
        let informants = self
            .informants
            .iter()
            .enumerate()
            .map(|(i, x)| x.to_participation(&format!("informant[{i}]"), &mut p))
            .collect();
        let data_enterer = self.data_enterer.as_ref().map(|s| Participation {
            time: Some(ts(&s.time)),
            role: Some(Box::new(s.professional.to_role(
                "assignedEntity",
                "data_enterer",
                &mut p,
            ))),
            ..Participation::new("dataEnterer")
        });
        let in_fulfillment_of = self
            .orders
            .iter()
            .enumerate()
            .map(|(i, o)| crate::model::InFulfillmentOf {
                type_code: None,
                order: Some(crate::model::Order {
                    ids: vec![o.to_model(&format!("orders[{i}]"), &mut p)],
                    ..crate::model::Order::default()
                }),
            })
            .collect();
        let authorizations = self
            .consents
            .iter()
            .map(|c| crate::model::Consent {
                code: Some(c.to_model()),
                status_code: Some(Code::simple("completed")),
                ..crate::model::Consent::default()
            })
            .collect();
        let related_documents = self
            .replaces
            .iter()
            .map(|r| RelatedDocument {
                type_code: Some(Cow::Borrowed("RPLC")),
                parent_document: Some(crate::model::ParentDocument {
                    ids: vec![r.id.to_model("replaces.id", &mut p)],
                    ..crate::model::ParentDocument::default()
                }),
            })
            .collect();

        // --- body
        let body = match &self.body {
            None => {
                p.missing("body");
                None
            }
            Some(BodyContent::NonXml(n1)) => {
                if n1.bytes.is_empty() {
                    p.push("body.bytes", ProblemKind::Empty);
                } else if !n1.media_type.matches(&n1.bytes) {
                    p.push(
                        "body.bytes",
                        ProblemKind::Invalid {
                            reason: format!("the bytes are not {}", n1.media_type.as_str()),
                        },
                    );
                }
                Some(Body::NonXml(NonXmlBody {
                    text: Ed {
                        media_type: Some(Cow::Borrowed(n1.media_type.as_str())),
                        representation: Some(Cow::Borrowed("B64")),
                        content: Cow::Owned(crate::write::base64_encode(&n1.bytes)),
                        ..Ed::default()
                    },
                    extensions: Vec::new(),
                }))
            }
            Some(BodyContent::Structured(n3)) => {
                let mut keys = std::collections::BTreeSet::new();
                for s in &n3.sections {
                    let field = format!("section[{}]", s.key);
                    if !keys.insert(s.key.as_str()) {
                        p.push(
                            &field,
                            ProblemKind::Inconsistent {
                                reason: "two sections have the same key".into(),
                            },
                        );
                    }
                    s.check(&field, &mut p);
                }
                n3.volet.check_sections(&n3.sections, &mut p);
                let mut sections: Vec<_> =
                    n3.sections.iter().map(SectionBuilder::to_model).collect();
                if let Some(id) = &id {
                    let keys: Vec<&str> = n3.sections.iter().map(|s| s.key.as_str()).collect();
                    assign_ids(&mut sections, &keys, n3.sections.as_slice(), id);
                }
                Some(Body::Structured(StructuredBody {
                    sections,
                    extensions: Vec::new(),
                }))
            }
        };

        let doc = Document {
            realm_codes: vec![Code::simple("FR")],
            type_id: Some(Ii::with_extension("2.16.840.1.113883.1.3", "POCD_HD000040")),
            template_ids,
            id,
            code: type_code,
            title: title.map(Cow::Owned),
            effective_time,
            confidentiality_code: Some(confidentiality_code),
            language_code: Some(Code::simple(self.language.clone())),
            set_id,
            version_number: Some(Cow::Owned(self.version.to_string())),
            record_targets,
            authors,
            custodian,
            legal_authenticator,
            authenticators,
            information_recipients,
            informants,
            data_enterer,
            in_fulfillment_of,
            authorizations,
            participants,
            documentation_of,
            related_documents,
            component_of,
            body,
            ..Document::default()
        };
        p.finish(doc)
    }
}

/// Gives every section and statement without an `id` one derived from the document id:
/// same root, extension `{document extension}-{section key}` for a section and
/// `{...}-{section key}-{n}` for its statements (depth first). The CI-SIS requires ids on
/// sections and most entries; deriving them keeps the output reproducible.
fn assign_ids(
    sections: &mut [crate::model::Section<'static>],
    keys: &[&str],
    builders: &[SectionBuilder],
    doc_id: &Ii<'static>,
) {
    let root = doc_id.root.clone().unwrap_or_default();
    let prefix = doc_id
        .extension
        .as_deref()
        .map(|e| format!("{e}-"))
        .unwrap_or_default();
    for ((section, key), builder) in sections.iter_mut().zip(keys).zip(builders) {
        if section.id.is_none() {
            section.id = Some(Ii::with_extension(root.clone(), format!("{prefix}{key}")));
        }
        let mut n = 0;
        for entry in &mut section.entries {
            if let Some(st) = &mut entry.statement {
                number_statement(st, &root, &format!("{prefix}{key}"), &mut n);
            }
        }
        let sub_keys: Vec<&str> = builder.sections.iter().map(|s| s.key.as_str()).collect();
        assign_ids(&mut section.sections, &sub_keys, &builder.sections, doc_id);
    }
}

fn number_statement(
    st: &mut crate::model::ClinicalStatement<'static>,
    root: &str,
    base: &str,
    n: &mut usize,
) {
    *n += 1;
    if st.ids.is_empty() {
        st.ids
            .push(Ii::with_extension(root.to_owned(), format!("{base}-{n}")));
    }
    for r in &mut st.relationships {
        if let Some(child) = &mut r.statement {
            number_statement(child, root, base, n);
        }
    }
}
