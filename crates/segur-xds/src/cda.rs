//! Deriving a [`DocumentEntry`] from a parsed CDA header (`segur-cda`), per the CI-SIS mapping
//! ("Partage de documents de santé", PDSm `ComprehensiveDocumentReference`):
//!
//! | metadata | from the CDA |
//! | --- | --- |
//! | uniqueId | `ClinicalDocument/id` (`root` or `root^extension`) |
//! | patientId | the INS of `recordTarget/patientRole/id` |
//! | sourcePatientId / Info | the other patient id (IPP) or the INS; names, birth time, gender |
//! | typeCode / title | `code` / `title` |
//! | classCode | from `code` through ASS_X04 (excerpt built in, see [`class_code_for_type`]) |
//! | formatCode | from the model (N1 PDF / text per XDS-SD, excerpt of ASS_A11 for N3) |
//! | confidentialityCode | `confidentialityCode`, plus visibility codes given by the caller |
//! | healthcareFacilityTypeCode | `componentOf/encompassingEncounter/location/healthCareFacility/code` |
//! | practiceSettingCode | `documentationOf/serviceEvent/performer/assignedEntity/representedOrganization/standardIndustryClassCode` (else the author's organisation) |
//! | eventCodeList | `documentationOf/serviceEvent/code` |
//! | serviceStart/StopTime | the first `serviceEvent/effectiveTime` `low` / `high` |
//! | creationTime | `effectiveTime` (to UTC) |
//! | authors | `author/assignedAuthor`: person or device, `code` as specialty, organisation, telecoms |
//! | legalAuthenticator | `legalAuthenticator/assignedEntity` |
//! | languageCode | `languageCode` |
//!
//! Every derived value can be replaced through [`CdaOverrides`]; a value that can neither be
//! derived nor was given is a typed [`XdsErrorKind::CdaMapping`] error naming the attribute.

use chrono::{NaiveDateTime, Utc};
use segur_cda::{Document, NamePartKind, Participation, Role, Time, Timestamp};

use crate::codes::{Code, oid};
use crate::error::{XdsError, XdsErrorKind};
use crate::hl7v2::{Cx, Hd, Xcn, Xon, Xtn};
use crate::ids::{EntryUuid, UniqueId, XdsTime};
use crate::model::{Author, DocumentEntry, EntryKind, PatientInfo};

/// Values that replace (or complete) what [`DocumentEntry::from_cda`] derives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CdaOverrides {
    /// `patientId` (default: the INS of the record target).
    pub patient_id: Option<Cx>,
    /// `sourcePatientId` (default: the first non-INS patient id, else the INS).
    pub source_patient_id: Option<Cx>,
    /// `classCode` (default: [`class_code_for_type`]).
    pub class_code: Option<Code>,
    /// `typeCode` (default: `ClinicalDocument/code`).
    pub type_code: Option<Code>,
    /// `formatCode` (default: [`format_code_for`]).
    pub format_code: Option<Code>,
    /// `healthcareFacilityTypeCode`.
    pub healthcare_facility_type_code: Option<Code>,
    /// `practiceSettingCode`.
    pub practice_setting_code: Option<Code>,
    /// Visibility codes added after the HL7 confidentiality code (`MASQUE_PS`,
    /// `INVISIBLE_PATIENT`, `INVISIBLE_REPRESENTANTS_LEGAUX`).
    pub visibility_codes: Vec<Code>,
    /// `title` (default: `ClinicalDocument/title`).
    pub title: Option<String>,
    /// `comments`.
    pub comments: Option<String>,
    /// `mimeType` (default `text/xml`).
    pub mime_type: Option<String>,
    /// `authors` (default: derived from `author`).
    pub authors: Option<Vec<Author>>,
}

impl CdaOverrides {
    /// No override: everything is derived.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the class code.
    pub fn with_class_code(mut self, code: Code) -> Self {
        self.class_code = Some(code);
        self
    }

    /// Sets the format code.
    pub fn with_format_code(mut self, code: Code) -> Self {
        self.format_code = Some(code);
        self
    }

    /// Adds a visibility code (`MASQUE_PS`, ...), looked up in the CI-SIS confidentiality JDV.
    pub fn with_visibility(mut self, code: &str) -> Self {
        if let Some(c) = crate::codes::CONFIDENTIALITY.get_in(code, oid::VISIBILITY) {
            self.visibility_codes.push(c);
        }
        self
    }
}

/// The ASS_X04 type → class correspondences built into the crate. This is an **excerpt**: the
/// full ANS table was not available to this project; other type codes need
/// [`CdaOverrides::class_code`].
const TYPE_TO_CLASS: &[(&str, &str)] = &[
    ("11488-4", "10"),   // CR de consultation
    ("11502-2", "10"),   // CR d'examens biologiques
    ("34133-9", "11"),   // Synthèse d'épisode de soins
    ("60591-5", "11"),   // Synthèse
    ("SYNTH", "11"),     // Synthèse (VSM)
    ("96163-1", "11"),   // Bilan de soins infirmiers
    ("18748-4", "31"),   // CR d'imagerie médicale
    ("85895-1", "31"),   // CR de médecine nucléaire
    ("57833-6", "42"),   // Prescription de produits de santé
    ("60593-1", "43"),   // Dispensation médicamenteuse
    ("CERT_DECL", "52"), // Certificat, déclaration
    ("55751-2", "52"),   // Déclaration de problème de santé publique
    ("REMB", "60"),      // Données de remboursement
];

/// The class code of a type code per the built-in ASS_X04 excerpt.
///
/// ```
/// use segur_xds::cda::class_code_for_type;
/// assert_eq!(class_code_for_type("11488-4").unwrap().code, "10");
/// assert!(class_code_for_type("00000-0").is_none());
/// ```
pub fn class_code_for_type(type_code: &str) -> Option<Code> {
    let class = TYPE_TO_CLASS
        .iter()
        .find(|(t, _)| *t == type_code)
        .map(|(_, c)| *c)?;
    crate::codes::CLASS_CODE_DMP.get_in(class, oid::CLASS_CODE)
}

/// N3 model template → format code (excerpt of ASS_A11).
const TEMPLATE_TO_FORMAT: &[(&str, &str, &str, &str)] = &[(
    "1.2.250.1.213.1.1.1.13",
    "urn:asip:ci-sis:vsm:2012",
    oid::ANS_FORMAT_CODES,
    "Volet de Synthèse Médicale",
)];

/// The format code of a document: XDS-SD PDF or text for level-1 bodies, the built-in
/// ASS_A11 excerpt for level-3 models. `None` when unknown.
pub fn format_code_for(document: &Document<'_>) -> Option<Code> {
    if let Some(segur_cda::Body::NonXml(body)) = &document.body {
        return match body.text.media_type.as_deref() {
            Some("application/pdf") => Some(Code::new(
                "urn:ihe:iti:xds-sd:pdf:2008",
                oid::IHE_FORMAT_CODES,
                "Document à corps non structuré en Pdf/A-1",
            )),
            Some("text/plain") => Some(Code::new(
                "urn:ihe:iti:xds-sd:text:2008",
                oid::IHE_FORMAT_CODES,
                "Document à corps non structuré en texte brut",
            )),
            _ => None,
        };
    }
    TEMPLATE_TO_FORMAT
        .iter()
        .find(|(t, _, _, _)| document.has_template(t))
        .map(|(_, c, s, d)| Code::new(*c, *s, *d))
}

fn mapping(field: &'static str, reason: impl Into<String>) -> XdsError {
    XdsError::new(XdsErrorKind::CdaMapping {
        field,
        reason: reason.into(),
    })
}

fn code(c: Option<&segur_cda::Code<'_>>) -> Option<Code> {
    let c = c?;
    Some(Code::new(
        c.code.as_deref()?,
        c.code_system.as_deref()?,
        c.display_name.as_deref().unwrap_or_default(),
    ))
}

/// An HL7 v3 TS as an XDS time in UTC (values without offset are taken as UTC), keeping the
/// precision up to the second.
fn xds_time(t: Option<&Time<'_>>) -> Result<Option<XdsTime>, XdsError> {
    let Some(value) = t.and_then(|t| t.value.as_deref()) else {
        return Ok(None);
    };
    let ts = Timestamp::parse(value).map_err(|e| mapping("time", e.reason))?;
    let keep = match ts.precision {
        segur_cda::Precision::Year => 4,
        segur_cda::Precision::Month => 6,
        segur_cda::Precision::Day => 8,
        segur_cda::Precision::Hour => 10,
        segur_cda::Precision::Minute => 12,
        _ => 14,
    };
    // Only a value with a time of day is moved to UTC: a date stays the local date.
    let at: NaiveDateTime = match ts.to_fixed_offset() {
        Some(dt) if keep >= 10 => dt.with_timezone(&Utc).naive_utc(),
        _ => ts.local,
    };
    XdsTime::parse(&at.format("%Y%m%d%H%M%S").to_string()[..keep]).map(Some)
}

fn person_xcn(role: &Role<'_>) -> Option<Xcn> {
    let id = role.ids.iter().find(|i| i.extension.is_some());
    let name = role.person.as_ref().and_then(|p| p.names.first());
    let family = name.and_then(|n| n.part(NamePartKind::Family, None));
    let given = name.and_then(|n| n.part(NamePartKind::Given, None));
    let prefix = name.and_then(|n| n.part(NamePartKind::Prefix, None));
    let device = role.device.as_ref().and_then(|d| {
        d.software_name
            .as_deref()
            .or(d.manufacturer_model_name.as_deref())
    });
    if id.is_none() && family.is_none() && device.is_none() {
        return None;
    }
    let mut xcn = Xcn {
        id: id.and_then(|i| i.extension.as_deref()).map(str::to_owned),
        family: family.or(device).map(str::to_owned),
        given: given.map(str::to_owned),
        prefix: prefix.map(str::to_owned),
        assigning_authority: id.and_then(|i| i.root.as_deref()).map(Hd::iso),
        name_type_code: Some("D".to_owned()),
        ..Xcn::default()
    };
    if id.and_then(|i| i.root.as_deref()) == Some(oid::IDNAT_PS) {
        xcn.identifier_type_code = Some("IDNPS".to_owned());
    }
    Some(xcn)
}

fn author(p: &Participation<'_>) -> Option<Author> {
    let role = p.role.as_ref()?;
    let mut author = Author {
        person: person_xcn(role),
        ..Author::default()
    };
    if let Some(org) = &role.organization {
        let id = org.ids.iter().find(|i| i.extension.is_some());
        if let Some(name) = org.names.first() {
            author.institutions.push(Xon {
                name: name.to_string(),
                assigning_authority: id.and_then(|i| i.root.as_deref()).map(Hd::iso),
                identifier_type_code: id.map(|_| "IDNST".to_owned()),
                organization_identifier: id.and_then(|i| i.extension.as_deref()).map(str::to_owned),
            });
        }
    }
    if let Some(specialty) = code(role.code.as_ref()) {
        author.specialties.push(specialty);
    }
    for t in &role.telecoms {
        match t.value.as_deref() {
            Some(v) if v.starts_with("mailto:") => author.telecoms.push(Xtn::email(&v[7..])),
            Some(v) if v.starts_with("tel:") => author.telecoms.push(Xtn::phone(&v[4..])),
            _ => {}
        }
    }
    (author.person.is_some() || !author.institutions.is_empty()).then_some(author)
}

fn practice_setting(doc: &Document<'_>) -> Option<Code> {
    let from_events = doc
        .documentation_of
        .iter()
        .flat_map(|e| e.performers.iter())
        .filter_map(|p| p.role.as_ref()?.organization.as_ref())
        .find_map(|o| code(o.standard_industry_class_code.as_ref()));
    from_events.or_else(|| {
        doc.authors
            .iter()
            .filter_map(|p| p.role.as_ref()?.organization.as_ref())
            .find_map(|o| code(o.standard_industry_class_code.as_ref()))
    })
}

fn patient_info(role: &Role<'_>) -> Option<PatientInfo> {
    let patient = role.patient.as_ref()?;
    let name = patient.names.first()?;
    let family = name
        .part(NamePartKind::Family, Some("BR"))
        .or_else(|| name.part(NamePartKind::Family, None))?;
    Some(PatientInfo {
        family: family.to_owned(),
        given: name.part(NamePartKind::Given, None).map(str::to_owned),
        birth_date: patient
            .birth_time
            .as_ref()
            .and_then(|t| t.value.as_deref())
            .and_then(|v| v.get(..8))
            .map(str::to_owned),
        gender: patient
            .administrative_gender_code
            .as_ref()
            .and_then(|c| c.code.as_deref())
            .map(str::to_owned),
    })
}

impl DocumentEntry {
    /// Derives the metadata of the CDA `document` (see the [module documentation](crate::cda)
    /// for the mapping), using `entry_uuid` as its id. `hash` and `size` are left empty: set
    /// them with [`DocumentEntry::set_content`] on the exact bytes sent (or use
    /// [`DocumentEntry::from_cda_bytes`]).
    pub fn from_cda(
        document: &Document<'_>,
        entry_uuid: EntryUuid,
        overrides: &CdaOverrides,
    ) -> Result<Self, XdsError> {
        let id = document
            .id
            .as_ref()
            .and_then(|i| i.root.as_deref().map(|r| (r, i.extension.as_deref())))
            .ok_or_else(|| mapping("uniqueId", "ClinicalDocument/id has no root"))?;
        let unique_id = UniqueId::from_root_extension(id.0, id.1)?;

        let patient_role = document
            .record_targets
            .iter()
            .find_map(|p| p.role.as_deref());
        let ins = patient_role
            .into_iter()
            .flat_map(|r| r.ids.iter())
            .find(|i| i.is_ins());
        let patient_id = match (&overrides.patient_id, ins) {
            (Some(p), _) => p.clone(),
            // Mapped as is: the validator checks the matricule (key, OID) under the INS rules.
            (None, Some(i)) => Cx::ins(
                i.extension.as_deref().unwrap_or_default(),
                i.root.as_deref().unwrap_or_default(),
            ),
            (None, None) => {
                return Err(mapping(
                    "patientId",
                    "no INS in recordTarget/patientRole/id",
                ));
            }
        };
        let local_id = patient_role
            .into_iter()
            .flat_map(|r| r.ids.iter())
            .find(|i| !i.is_ins() && i.root.is_some() && i.extension.is_some());
        let source_patient_id = overrides.source_patient_id.clone().or_else(|| {
            Some(match local_id {
                Some(i) => Cx::new(
                    i.extension.as_deref().unwrap_or_default(),
                    i.root.as_deref().unwrap_or_default(),
                    "PI",
                ),
                None => patient_id.clone(),
            })
        });

        let type_code = match &overrides.type_code {
            Some(c) => c.clone(),
            None => code(document.code.as_ref())
                .ok_or_else(|| mapping("typeCode", "ClinicalDocument/code is missing"))?,
        };
        let class_code = match &overrides.class_code {
            Some(c) => c.clone(),
            None => class_code_for_type(&type_code.code).ok_or_else(|| {
                mapping(
                    "classCode",
                    format!(
                        "type {} is not in the built-in ASS_X04 excerpt",
                        type_code.code
                    ),
                )
            })?,
        };
        let format_code = match &overrides.format_code {
            Some(c) => c.clone(),
            None => format_code_for(document).ok_or_else(|| {
                mapping(
                    "formatCode",
                    "the document model is not in the built-in ASS_A11 excerpt",
                )
            })?,
        };
        let mut confidentiality_codes = vec![
            code(document.confidentiality_code.as_ref())
                .ok_or_else(|| mapping("confidentialityCode", "missing in the CDA"))?,
        ];
        confidentiality_codes.extend(overrides.visibility_codes.iter().cloned());

        let facility = document
            .component_of
            .as_ref()
            .and_then(|c| c.health_care_facility.as_ref())
            .and_then(|f| code(f.code.as_ref()));
        let healthcare_facility_type_code = overrides
            .healthcare_facility_type_code
            .clone()
            .or(facility)
            .ok_or_else(|| {
                mapping(
                    "healthcareFacilityTypeCode",
                    "no componentOf/encompassingEncounter/location/healthCareFacility/code",
                )
            })?;
        let practice_setting_code = overrides
            .practice_setting_code
            .clone()
            .or_else(|| practice_setting(document))
            .ok_or_else(|| {
                mapping(
                    "practiceSettingCode",
                    "no representedOrganization/standardIndustryClassCode",
                )
            })?;

        let event = document.documentation_of.first();
        let event_time = event.and_then(|e| e.effective_time.as_ref());
        let authors = match &overrides.authors {
            Some(a) => a.clone(),
            None => document.authors.iter().filter_map(author).collect(),
        };

        Ok(Self {
            entry_uuid,
            logical_id: None,
            version: None,
            kind: EntryKind::Stable,
            unique_id,
            patient_id,
            source_patient_id,
            source_patient_info: patient_role
                .and_then(patient_info)
                .map(|p| p.to_slot_values())
                .unwrap_or_default(),
            mime_type: overrides
                .mime_type
                .clone()
                .unwrap_or_else(|| "text/xml".to_owned()),
            title: overrides.title.clone().or_else(|| {
                // The CDA title is free text: collapse its layout whitespace.
                let words: Vec<&str> = document.title.as_deref()?.split_whitespace().collect();
                (!words.is_empty()).then(|| words.join(" "))
            }),
            comments: overrides.comments.clone(),
            class_code,
            type_code,
            format_code,
            confidentiality_codes,
            healthcare_facility_type_code,
            practice_setting_code,
            event_codes: document
                .documentation_of
                .iter()
                .filter_map(|e| code(e.code.as_ref()))
                .collect(),
            authors,
            legal_authenticator: document
                .legal_authenticator
                .as_ref()
                .and_then(|p| p.role.as_deref())
                .and_then(person_xcn),
            creation_time: xds_time(document.effective_time.as_ref())?,
            service_start_time: xds_time(event_time.and_then(|t| t.low.as_deref()))?,
            service_stop_time: xds_time(event_time.and_then(|t| t.high.as_deref()))?,
            hash: None,
            size: None,
            language_code: document
                .language_code
                .as_ref()
                .and_then(|c| c.code.as_deref())
                .map(str::to_owned),
            repository_unique_id: None,
            uri: None,
            availability_status: None,
        })
    }

    /// Parses `cda` with `segur-cda`, derives the metadata with [`DocumentEntry::from_cda`] and
    /// sets `hash` and `size` from these exact bytes. Only the header and an N1 body are read
    /// as typed data (the metadata needs nothing from a structured body's sections).
    pub fn from_cda_bytes(
        cda: &[u8],
        entry_uuid: EntryUuid,
        overrides: &CdaOverrides,
    ) -> Result<Self, XdsError> {
        let parsed = segur_cda::flat::parse(cda)
            .map_err(|e| XdsError::new(XdsErrorKind::Cda(e.to_string())))?;
        let mut document = parsed.header();
        if let Some(segur_cda::flat::Body::NonXml(body)) = parsed.body() {
            document.body = Some(segur_cda::Body::NonXml(body));
        }
        let mut entry = Self::from_cda(&document, entry_uuid, overrides)?;
        entry.set_content(cda);
        Ok(entry)
    }
}
