//! LDL-SES 2022.01: the discharge letter ("lettre de liaison à la sortie d'un établissement de
//! santé", LOINC `11490-0`).
//!
//! Required sections (volet schematron `CI-SIS_LDL-SES_2022.01.sch`): document status, reason
//! for the stay, stay summary with its coded events, and discharge medications.

use chrono::{DateTime, FixedOffset};

use crate::build::body::{Coded, Kind, Product, Statement, Value};
use crate::build::header::N3Content;
use crate::model::Time;
use crate::valuesets::{self, ValueSet};

use super::{HeaderRules, SIMPLE_OBSERVATION, SectionSpec, TA_ASIP, VoletSpec};

/// FR-Statut-du-document-LDL-SES.
pub const STATUS: SectionSpec = SectionSpec {
    key: "statut",
    name: "FR-Statut-du-document-LDL-SES",
    template_ids: &["1.2.250.1.213.1.1.2.35", "1.2.250.1.213.1.1.2.35.1"],
    code: ("33557-0", crate::build::LOINC, "Etat d'achèvement"),
    title: "Statut du document",
    min_entries: 1,
};

/// FR-Raison-de-la-recommandation-non-code: the reason for the stay.
pub const REASON: SectionSpec = SectionSpec {
    key: "motif",
    name: "FR-Raison-de-la-recommandation-non-code",
    template_ids: &["1.3.6.1.4.1.19376.1.5.3.1.3.1", "1.2.250.1.213.1.1.2.127"],
    code: (
        "42349-1",
        crate::build::LOINC,
        "Raison de la recommandation",
    ),
    title: "Motif de l'hospitalisation",
    min_entries: 0,
};

/// FR-Resultats-evenements-LDL-SES: the stay summary and its coded events.
pub const EVENTS: SectionSpec = SectionSpec {
    key: "synthese",
    name: "FR-Resultats-evenements-LDL-SES",
    template_ids: &[
        "1.3.6.1.4.1.19376.1.5.3.1.1.21.2.9",
        "1.2.250.1.213.1.1.2.163",
        "1.2.250.1.213.1.1.2.163.1",
        "1.3.6.1.4.1.19376.1.7.3.1.1.13.7",
    ],
    code: ("42545-4", crate::build::LOINC, "Evènements observés"),
    title: "Synthèse médicale du séjour",
    min_entries: 1,
};

/// FR-Traitements-a-la-sortie: discharge medications.
pub const DISCHARGE_MEDICATIONS: SectionSpec = SectionSpec {
    key: "traitements",
    name: "FR-Traitements-a-la-sortie",
    template_ids: &["1.2.250.1.213.1.1.2.146", "1.3.6.1.4.1.19376.1.5.3.1.3.22"],
    code: ("10183-2", crate::build::LOINC, "Traitements à la sortie"),
    title: "Traitements à la sortie",
    min_entries: 1,
};

/// The LDL-SES 2022.01 volet.
pub static LDL_SES: VoletSpec = VoletSpec {
    name: "LDL-SES",
    version: "2022.01",
    template_ids: &[("1.2.250.1.213.1.1.1.29", Some("2022.01"))],
    type_code: "11490-0",
    fixed_title: None,
    required_sections: &[&STATUS, &REASON, &EVENTS, &DISCHARGE_MEDICATIONS],
    header: HeaderRules {
        service_event_code: false,
        performer_details: false,
        responsible_party: false,
    },
};

/// A coded value drawn from a value set: code system and display name come from the table.
pub(crate) fn from_value_set(vs: &'static ValueSet, code: &str) -> Coded {
    match vs.by_code(code).next() {
        Some(c) => Coded::new(c.code, c.code_system, c.display_name),
        None => Coded::new(code, "", ""),
    }
}

fn day(t: &DateTime<FixedOffset>) -> Time<'static> {
    Time::ts(t.format("%Y%m%d").to_string())
}

/// A FR-Simple-Observation with a TA_ASIP code and the extra templateId of its kind.
fn simple_observation(
    template: &str,
    code: &str,
    display: &str,
    label: String,
    at: &DateTime<FixedOffset>,
) -> Statement {
    Statement::observation()
        .templates(&SIMPLE_OBSERVATION)
        .templates(&[template])
        .code(Coded::new(code, TA_ASIP, display).with_system_name("TA_ASIP"))
        .label(label)
        .status("completed")
        .effective_time(day(at))
}

/// A medication at discharge (FR-Traitement entry, `substanceAdministration`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
pub struct Medication {
    /// CIS code of the product (`1.2.250.1.213.2.3.1`).
    pub cis_code: String,
    /// Product name (shown in the narrative).
    pub name: String,
    /// Start of the treatment.
    pub start: DateTime<FixedOffset>,
    /// End of the treatment.
    #[cfg_attr(feature = "serde", serde(default))]
    pub end: Option<DateTime<FixedOffset>>,
    /// Dose per intake (number of units).
    pub dose: String,
    /// Posology in words, added to the narrative (e.g. `1 comprimé matin et soir`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub instructions: Option<String>,
}

impl Medication {
    fn statement(&self) -> Statement {
        let mut label = format!("{} : {}", self.name, self.dose);
        if let Some(i) = &self.instructions {
            label.push_str(" — ");
            label.push_str(i);
        }
        let mut dose = crate::model::Element::new(crate::model::QName::hl7("doseQuantity"));
        for bound in ["low", "high"] {
            let mut b = crate::model::Element::new(crate::model::QName::hl7(bound));
            b.attributes.push(crate::model::Attribute {
                name: crate::model::QName {
                    namespace: None,
                    local: "value".into(),
                },
                value: self.dose.clone().into(),
            });
            dose.children.push(crate::model::Node::Element(b));
        }
        Statement {
            code: Some(
                Coded::new("DRUG", "2.16.840.1.113883.5.4", "Médicament")
                    .with_system_name("HL7:ActCode"),
            ),
            label: Some(label),
            status: Some("completed".into()),
            effective_times: vec![Time {
                xsi_type: Some(crate::model::QName::hl7("IVL_TS")),
                low: Some(Box::new(day(&self.start))),
                high: self.end.as_ref().map(|e| Box::new(day(e))),
                ..Time::default()
            }],
            extra: vec![dose],
            product: Some(Product {
                template_ids: vec![
                    "1.2.250.1.213.1.1.3.43".into(),
                    "2.16.840.1.113883.10.20.1.53".into(),
                    "1.3.6.1.4.1.19376.1.5.3.1.4.7.2".into(),
                ],
                code: Coded::new(
                    self.cis_code.clone(),
                    "1.2.250.1.213.2.3.1",
                    self.name.clone(),
                )
                .with_system_name("CIS"),
                name: self.name.clone(),
            }),
            ..Statement::new(Kind::SubstanceAdministration, "SBADM", "EVN").templates(&[
                "1.2.250.1.213.1.1.3.42",
                "2.16.840.1.113883.10.20.1.24",
                "1.3.6.1.4.1.19376.1.5.3.1.4.7",
                "1.3.6.1.4.1.19376.1.5.3.1.4.7.1",
            ])
        }
    }
}

/// The content of a discharge letter.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
pub struct LdlSes {
    /// Document status code (`JDV_StatutDoc_CISIS`, SNOMED CT: `385651009` in progress,
    /// `398166005` done, `29179001` closed, `9571008` approved).
    pub status: String,
    /// When the status was set.
    pub status_time: DateTime<FixedOffset>,
    /// Reason for the stay, in words.
    pub reason: String,
    /// Admission: mode (`JDV_ModaliteEntree_CISIS`) and time.
    pub admission_mode: String,
    /// Admission time.
    pub admission_time: DateTime<FixedOffset>,
    /// Discharge mode (`JDV_ModaliteSortie_CISIS`), with the discharge time.
    #[cfg_attr(feature = "serde", serde(default))]
    pub discharge: Option<(String, DateTime<FixedOffset>)>,
    /// Medical summary of the stay, in words.
    pub summary: String,
    /// Medications at discharge (at least one: the IHE section requires entries).
    pub medications: Vec<Medication>,
}

impl LdlSes {
    /// The N3 body: the four required sections filled from this content.
    pub fn to_content(&self) -> N3Content {
        let status = from_value_set(&valuesets::DOCUMENT_STATUS, &self.status);
        let status_section = STATUS.builder().entry(Statement {
            value_set: Some(&valuesets::DOCUMENT_STATUS),
            ..simple_observation(
                "1.2.250.1.213.1.1.3.48.16",
                "GEN-065",
                "Statut du document",
                format!("Statut : {}", non_empty(&status.display_name, &self.status)),
                &self.status_time,
            )
            .templates(&["1.2.250.1.213.1.1.3.48.16.1"])
            .value(Value::Coded(status.with_system_name("SNOMED CT")))
        });
        let reason = REASON.builder().paragraph(self.reason.clone());
        let admission = from_value_set(&valuesets::ADMISSION_MODE, &self.admission_mode);
        let mut events = EVENTS
            .builder()
            .paragraph(self.summary.clone())
            .entry(Statement {
                value_set: Some(&valuesets::ADMISSION_MODE),
                ..simple_observation(
                    "1.2.250.1.213.1.1.3.48.6",
                    "ORG-070",
                    "Modalité d'entrée",
                    format!(
                        "Entrée le {} : {}",
                        self.admission_time.format("%d/%m/%Y"),
                        non_empty(&admission.display_name, &self.admission_mode)
                    ),
                    &self.admission_time,
                )
                .value(Value::CodedCe(admission))
            });
        if let Some((mode, at)) = &self.discharge {
            let discharge = from_value_set(&valuesets::DISCHARGE_MODE, mode);
            events = events.entry(Statement {
                value_set: Some(&valuesets::DISCHARGE_MODE),
                ..simple_observation(
                    "1.2.250.1.213.1.1.3.48.7",
                    "ORG-074",
                    "Modalité de sortie",
                    format!(
                        "Sortie le {} : {}",
                        at.format("%d/%m/%Y"),
                        non_empty(&discharge.display_name, mode)
                    ),
                    at,
                )
                .value(Value::CodedCe(discharge))
            });
        }
        events = events.entry(
            simple_observation(
                "1.2.250.1.213.1.1.3.48.9",
                "MED-142",
                "Synthèse médicale",
                self.summary.clone(),
                &self.status_time,
            )
            .value(Value::Text(self.summary.clone())),
        );
        let mut meds = DISCHARGE_MEDICATIONS.builder();
        for m in &self.medications {
            meds = meds.entry(m.statement());
        }
        N3Content {
            volet: &LDL_SES,
            sections: vec![status_section, reason, events, meds],
        }
    }
}

fn non_empty<'s>(a: &'s str, b: &'s str) -> &'s str {
    if a.is_empty() { b } else { a }
}
