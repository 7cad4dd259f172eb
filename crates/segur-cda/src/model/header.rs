//! The CDA header: the document and its participations.

use std::borrow::Cow;

use super::owned::owned_struct;
use super::{Addr, Body, Code, Element, Ii, Name, QName, Section, Telecom, Time};

/// A CDA document (`ClinicalDocument`).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Document<'a> {
    /// When the `ClinicalDocument` was found inside another root (the ANS "auto-présentable"
    /// `xsl:stylesheet` wrapper), the name of that root.
    pub wrapper: Option<QName<'a>>,
    /// `@classCode`.
    pub class_code: Option<Cow<'a, str>>,
    /// `@moodCode`.
    pub mood_code: Option<Cow<'a, str>>,
    /// `realmCode` (`FR`).
    pub realm_codes: Vec<Code<'a>>,
    /// `typeId` (`2.16.840.1.113883.1.3` / `POCD_HD000040`).
    pub type_id: Option<Ii<'a>>,
    /// `templateId`s.
    pub template_ids: Vec<Ii<'a>>,
    /// `id`.
    pub id: Option<Ii<'a>>,
    /// `code`: the document type (LOINC or TRE_A05).
    pub code: Option<Code<'a>>,
    /// `title`, text as written (references decoded).
    pub title: Option<Cow<'a, str>>,
    /// `effectiveTime`.
    pub effective_time: Option<Time<'a>>,
    /// `confidentialityCode`.
    pub confidentiality_code: Option<Code<'a>>,
    /// `languageCode`.
    pub language_code: Option<Code<'a>>,
    /// `setId`.
    pub set_id: Option<Ii<'a>>,
    /// `versionNumber/@value`.
    pub version_number: Option<Cow<'a, str>>,
    /// `recordTarget`s (role: `patientRole`).
    pub record_targets: Vec<Participation<'a>>,
    /// `author`s (role: `assignedAuthor`).
    pub authors: Vec<Participation<'a>>,
    /// `dataEnterer`.
    pub data_enterer: Option<Participation<'a>>,
    /// `informant`s (role: `assignedEntity` or `relatedEntity`).
    pub informants: Vec<Participation<'a>>,
    /// `custodian` (role: `assignedCustodian`).
    pub custodian: Option<Participation<'a>>,
    /// `informationRecipient`s (role: `intendedRecipient`).
    pub information_recipients: Vec<Participation<'a>>,
    /// `legalAuthenticator` (role: `assignedEntity`).
    pub legal_authenticator: Option<Participation<'a>>,
    /// `authenticator`s.
    pub authenticators: Vec<Participation<'a>>,
    /// `participant`s (role: `associatedEntity`).
    pub participants: Vec<Participation<'a>>,
    /// `inFulfillmentOf`s.
    pub in_fulfillment_of: Vec<InFulfillmentOf<'a>>,
    /// `documentationOf/serviceEvent`s.
    pub documentation_of: Vec<ServiceEvent<'a>>,
    /// `relatedDocument`s.
    pub related_documents: Vec<RelatedDocument<'a>>,
    /// `authorization/consent`s.
    pub authorizations: Vec<Consent<'a>>,
    /// `componentOf/encompassingEncounter`.
    pub component_of: Option<ComponentOf<'a>>,
    /// `component`: the body.
    pub body: Option<Body<'a>>,
    /// Other children of `ClinicalDocument` (`copyTime`, `sdtc:` extensions, ...).
    pub extensions: Vec<Element<'a>>,
}
owned_struct!(Document {
    wrapper,
    class_code,
    mood_code,
    realm_codes,
    type_id,
    template_ids,
    id,
    code,
    title,
    effective_time,
    confidentiality_code,
    language_code,
    set_id,
    version_number,
    record_targets,
    authors,
    data_enterer,
    informants,
    custodian,
    information_recipients,
    legal_authenticator,
    authenticators,
    participants,
    in_fulfillment_of,
    documentation_of,
    related_documents,
    authorizations,
    component_of,
    body,
    extensions,
});

impl<'a> Document<'a> {
    /// The patient ids: `recordTarget/patientRole/id`, in order.
    pub fn patient_ids(&self) -> impl Iterator<Item = &Ii<'a>> {
        self.record_targets
            .iter()
            .filter_map(|p| p.role.as_ref())
            .flat_map(|r| r.ids.iter())
    }

    /// The patient's INS: the first patient id under an INS OID, interpreted by
    /// [`Ii::to_ins`] (`None` when the document carries no INS-rooted id).
    pub fn patient_ins(&self) -> Option<Result<segur_ins::Ins, segur_ins::InsError>> {
        self.patient_ids().find_map(Ii::to_ins)
    }

    /// The author ids: `author/assignedAuthor/id`, in order.
    pub fn author_ids(&self) -> impl Iterator<Item = &Ii<'a>> {
        self.authors
            .iter()
            .filter_map(|p| p.role.as_ref())
            .flat_map(|r| r.ids.iter())
    }

    /// `true` when one of the document's templateIds has this root.
    pub fn has_template(&self, root: &str) -> bool {
        self.template_ids
            .iter()
            .any(|t| t.root.as_deref() == Some(root))
    }

    /// The top-level sections of an N3 body (empty for N1 or without body).
    pub fn sections(&self) -> &[Section<'a>] {
        match &self.body {
            Some(Body::Structured(b)) => &b.sections,
            _ => &[],
        }
    }

    /// Every section of an N3 body, depth first, in document order.
    pub fn all_sections(&self) -> Vec<&Section<'a>> {
        let mut out = Vec::new();
        for s in self.sections() {
            s.collect_sections(&mut out);
        }
        out
    }

    /// The first section (at any depth) with a templateId of this root.
    pub fn find_section_by_template(&self, root: &str) -> Option<&Section<'a>> {
        self.all_sections()
            .into_iter()
            .find(|s| s.has_template(root))
    }

    /// The first section (at any depth) with this `code/@code`.
    pub fn find_section_by_code(&self, code: &str) -> Option<&Section<'a>> {
        self.all_sections()
            .into_iter()
            .find(|s| s.code.as_ref().and_then(|c| c.code.as_deref()) == Some(code))
    }
}

/// A participation (author, custodian, legalAuthenticator, performer, participant, ... and, in
/// entries, consumable, specimen, subject, ...): its attributes, time and its one role.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Participation<'a> {
    /// The element local name (`author`, `legalAuthenticator`, `performer`, ...).
    pub tag: Cow<'a, str>,
    /// `@typeCode`.
    pub type_code: Option<Cow<'a, str>>,
    /// `@contextControlCode`.
    pub context_control_code: Option<Cow<'a, str>>,
    /// `templateId`s.
    pub template_ids: Vec<Ii<'a>>,
    /// `functionCode`.
    pub function_code: Option<Code<'a>>,
    /// `time`.
    pub time: Option<Time<'a>>,
    /// `signatureCode`.
    pub signature_code: Option<Code<'a>>,
    /// The role element: the first child named as one of the CDA R2 roles
    /// (`assignedAuthor`, `assignedEntity`, `assignedCustodian`, `associatedEntity`,
    /// `intendedRecipient`, `maintainedEntity`, `manufacturedProduct`, `participantRole`,
    /// `patientRole`, `relatedEntity`, `relatedSubject`, `specimenRole`); other children are
    /// kept in `extensions`, a second role after the others.
    pub role: Option<Box<Role<'a>>>,
    /// Other children.
    pub extensions: Vec<Element<'a>>,
}
owned_struct!(Participation {
    tag,
    type_code,
    context_control_code,
    template_ids,
    function_code,
    time,
    signature_code,
    role,
    extensions,
});

impl<'a> Participation<'a> {
    /// An empty participation with this element name.
    pub fn new(tag: impl Into<Cow<'a, str>>) -> Self {
        Self {
            tag: tag.into(),
            ..Self::default()
        }
    }
}

/// Whether `local` names a CDA R2 role element (the role of a participation).
pub(crate) fn is_role_element(local: &str) -> bool {
    matches!(
        local,
        "assignedAuthor"
            | "assignedEntity"
            | "assignedCustodian"
            | "associatedEntity"
            | "intendedRecipient"
            | "maintainedEntity"
            | "manufacturedProduct"
            | "participantRole"
            | "patientRole"
            | "relatedEntity"
            | "relatedSubject"
            | "specimenRole"
    )
}

/// Whether an extension of a participation is a second role element: those follow the role
/// when written (the other extensions precede it), and the parser keeps them last.
pub(crate) fn is_extra_role(e: &Element<'_>) -> bool {
    e.name.namespace.as_deref() == Some(super::HL7_NS) && is_role_element(&e.name.local)
}

/// A role (`assignedAuthor`, `assignedEntity`, `patientRole`, `intendedRecipient`,
/// `associatedEntity`, `relatedEntity`, `assignedCustodian`, `participantRole`, ...).
///
/// The entities it holds are stored by kind whatever their element name: `person` for
/// `assignedPerson`/`associatedPerson`/`informationRecipient`/`relatedPerson`, `organization` for
/// `representedOrganization`/`scopingOrganization`/`receivedOrganization`/
/// `representedCustodianOrganization`/`providerOrganization`, `device` for
/// `assignedAuthoringDevice`, `patient` for `patient`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Role<'a> {
    /// The element local name.
    pub tag: Cow<'a, str>,
    /// `@classCode`.
    pub class_code: Option<Cow<'a, str>>,
    /// `templateId`s.
    pub template_ids: Vec<Ii<'a>>,
    /// `id`s (patient ids incl. INS, 8+RPPS, ...).
    pub ids: Vec<Ii<'a>>,
    /// `code` (specialty, relationship, ...).
    pub code: Option<Code<'a>>,
    /// `addr`s.
    pub addrs: Vec<Addr<'a>>,
    /// `telecom`s.
    pub telecoms: Vec<Telecom<'a>>,
    /// The person played.
    pub person: Option<Person<'a>>,
    /// The patient (in `patientRole`).
    pub patient: Option<Box<Patient<'a>>>,
    /// The authoring device.
    pub device: Option<Device<'a>>,
    /// The organization.
    pub organization: Option<Box<Organization<'a>>>,
    /// Other children (`playingEntity`, `manufacturedMaterial`, extensions, ...).
    pub extensions: Vec<Element<'a>>,
}
owned_struct!(Role {
    tag,
    class_code,
    template_ids,
    ids,
    code,
    addrs,
    telecoms,
    person,
    patient,
    device,
    organization,
    extensions,
});

impl<'a> Role<'a> {
    /// An empty role with this element name.
    pub fn new(tag: impl Into<Cow<'a, str>>) -> Self {
        Self {
            tag: tag.into(),
            ..Self::default()
        }
    }
}

/// A person (`assignedPerson`, `associatedPerson`, ...).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Person<'a> {
    /// `@classCode`.
    pub class_code: Option<Cow<'a, str>>,
    /// `name`s.
    pub names: Vec<Name<'a>>,
    /// Other children.
    pub extensions: Vec<Element<'a>>,
}
owned_struct!(Person {
    class_code,
    names,
    extensions
});

/// The patient of a `patientRole`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Patient<'a> {
    /// `name`s (birth name `family[@qualifier='BR']`, used name `CL`, given names).
    pub names: Vec<Name<'a>>,
    /// `administrativeGenderCode`.
    pub administrative_gender_code: Option<Code<'a>>,
    /// `birthTime`.
    pub birth_time: Option<Time<'a>>,
    /// `maritalStatusCode`.
    pub marital_status_code: Option<Code<'a>>,
    /// `birthplace/place`.
    pub birthplace: Option<Place<'a>>,
    /// Other children (`guardian`, `sdtc:deceasedInd`, `sdtc:multipleBirthInd`, ...).
    pub extensions: Vec<Element<'a>>,
}
owned_struct!(Patient {
    names,
    administrative_gender_code,
    birth_time,
    marital_status_code,
    birthplace,
    extensions,
});

/// An authoring device (`assignedAuthoringDevice`).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Device<'a> {
    /// `manufacturerModelName` text.
    pub manufacturer_model_name: Option<Cow<'a, str>>,
    /// `softwareName` text.
    pub software_name: Option<Cow<'a, str>>,
    /// Other children.
    pub extensions: Vec<Element<'a>>,
}
owned_struct!(Device {
    manufacturer_model_name,
    software_name,
    extensions
});

/// An organization (`representedOrganization`, `representedCustodianOrganization`, ...).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Organization<'a> {
    /// `id`s (1.2.250.1.71.4.2.2 + 1+FINESS / 3+SIRET, ...).
    pub ids: Vec<Ii<'a>>,
    /// `name` texts.
    pub names: Vec<Cow<'a, str>>,
    /// `telecom`s.
    pub telecoms: Vec<Telecom<'a>>,
    /// `addr`s.
    pub addrs: Vec<Addr<'a>>,
    /// `standardIndustryClassCode` (practice setting).
    pub standard_industry_class_code: Option<Code<'a>>,
    /// Other children.
    pub extensions: Vec<Element<'a>>,
}
owned_struct!(Organization {
    ids,
    names,
    telecoms,
    addrs,
    standard_industry_class_code,
    extensions
});

/// A place (`birthplace/place`, `healthCareFacility/location`).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Place<'a> {
    /// `name` text.
    pub name: Option<Cow<'a, str>>,
    /// `addr`.
    pub addr: Option<Addr<'a>>,
    /// Other children.
    pub extensions: Vec<Element<'a>>,
}
owned_struct!(Place {
    name,
    addr,
    extensions
});

/// `inFulfillmentOf` and its `order`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct InFulfillmentOf<'a> {
    /// `@typeCode`.
    pub type_code: Option<Cow<'a, str>>,
    /// `order`.
    pub order: Option<Order<'a>>,
}
owned_struct!(InFulfillmentOf { type_code, order });

/// An `order`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Order<'a> {
    /// `id`s.
    pub ids: Vec<Ii<'a>>,
    /// `code`.
    pub code: Option<Code<'a>>,
    /// `priorityCode`.
    pub priority_code: Option<Code<'a>>,
    /// Other children (e.g. `ps3-20:accessionNumber`).
    pub extensions: Vec<Element<'a>>,
}
owned_struct!(Order {
    ids,
    code,
    priority_code,
    extensions
});

/// `documentationOf/serviceEvent`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ServiceEvent<'a> {
    /// `@classCode`.
    pub class_code: Option<Cow<'a, str>>,
    /// `templateId`s.
    pub template_ids: Vec<Ii<'a>>,
    /// `id`s.
    pub ids: Vec<Ii<'a>>,
    /// `code`.
    pub code: Option<Code<'a>>,
    /// `effectiveTime`.
    pub effective_time: Option<Time<'a>>,
    /// `performer`s.
    pub performers: Vec<Participation<'a>>,
    /// Other children (e.g. `lab:statusCode`).
    pub extensions: Vec<Element<'a>>,
}
owned_struct!(ServiceEvent {
    class_code,
    template_ids,
    ids,
    code,
    effective_time,
    performers,
    extensions,
});

/// `relatedDocument` (e.g. `typeCode="RPLC"`).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct RelatedDocument<'a> {
    /// `@typeCode`.
    pub type_code: Option<Cow<'a, str>>,
    /// `parentDocument`.
    pub parent_document: Option<ParentDocument<'a>>,
}
owned_struct!(RelatedDocument {
    type_code,
    parent_document
});

/// `relatedDocument/parentDocument`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ParentDocument<'a> {
    /// `id`s.
    pub ids: Vec<Ii<'a>>,
    /// `code`.
    pub code: Option<Code<'a>>,
    /// `setId`.
    pub set_id: Option<Ii<'a>>,
    /// `versionNumber/@value`.
    pub version_number: Option<Cow<'a, str>>,
    /// Other children.
    pub extensions: Vec<Element<'a>>,
}
owned_struct!(ParentDocument {
    ids,
    code,
    set_id,
    version_number,
    extensions
});

/// `authorization/consent`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Consent<'a> {
    /// `templateId`s.
    pub template_ids: Vec<Ii<'a>>,
    /// `id`s.
    pub ids: Vec<Ii<'a>>,
    /// `code`.
    pub code: Option<Code<'a>>,
    /// `statusCode`.
    pub status_code: Option<Code<'a>>,
    /// Other children.
    pub extensions: Vec<Element<'a>>,
}
owned_struct!(Consent {
    template_ids,
    ids,
    code,
    status_code,
    extensions
});

/// `componentOf/encompassingEncounter`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ComponentOf<'a> {
    /// `id`s.
    pub ids: Vec<Ii<'a>>,
    /// `code` (encounter type).
    pub code: Option<Code<'a>>,
    /// `effectiveTime`.
    pub effective_time: Option<Time<'a>>,
    /// `dischargeDispositionCode`.
    pub discharge_disposition_code: Option<Code<'a>>,
    /// `responsibleParty` (role: `assignedEntity`).
    pub responsible_party: Option<Participation<'a>>,
    /// `encounterParticipant`s.
    pub encounter_participants: Vec<Participation<'a>>,
    /// `location/healthCareFacility`.
    pub health_care_facility: Option<HealthCareFacility<'a>>,
    /// Other children of `encompassingEncounter`.
    pub extensions: Vec<Element<'a>>,
}
owned_struct!(ComponentOf {
    ids,
    code,
    effective_time,
    discharge_disposition_code,
    responsible_party,
    encounter_participants,
    health_care_facility,
    extensions,
});

/// `location/healthCareFacility`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct HealthCareFacility<'a> {
    /// `id`s.
    pub ids: Vec<Ii<'a>>,
    /// `code` (facility type, e.g. `SA07`).
    pub code: Option<Code<'a>>,
    /// `location` (a place).
    pub location: Option<Place<'a>>,
    /// `serviceProviderOrganization`.
    pub service_provider_organization: Option<Organization<'a>>,
    /// Other children.
    pub extensions: Vec<Element<'a>>,
}
owned_struct!(HealthCareFacility {
    ids,
    code,
    location,
    service_provider_organization,
    extensions
});
