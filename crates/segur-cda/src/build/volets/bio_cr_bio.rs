//! BIO-CR-BIO 2024.01: the medical biology report ("compte rendu d'examens biologiques", LOINC
//! `11502-2`), per IHE PaLM XD-LAB with the CI-SIS additions.
//!
//! Required (volet schematron `CI-SIS_BIO-CR-BIO_2024.01.sch`): at least one laboratory
//! specialty section and the FR-Document-PDF-copie section (the rendered report as PDF); in the
//! header, coded service events, a detailed performer (the laboratory director) and the
//! responsible biologist (`responsibleParty`).

use chrono::{DateTime, FixedOffset};

use crate::build::body::{Coded, Kind, RelationshipTag, SectionBuilder, Statement, Value};
use crate::build::header::{N3Content, hl7_ts};
use crate::model::Time;

use super::{HeaderRules, SIMPLE_OBSERVATION, SectionSpec, VoletSpec};

/// Laboratory Specialty Section (IHE XD-LAB) / FR-CR-BIO-Chapitre: one per specialty
/// (biochemistry, haematology, ...); its code is given per report.
pub const SPECIALTY: SectionSpec = SectionSpec {
    key: "chapitre",
    name: "FR-CR-BIO-Chapitre",
    template_ids: &["1.3.6.1.4.1.19376.1.3.3.2.1", "1.2.250.1.213.1.1.2.70"],
    code: ("18719-5", crate::build::LOINC, "Biochimie"),
    title: "BIOCHIMIE",
    min_entries: 0,
};

/// Laboratory Report Item Section (IHE XD-LAB) / FR-CR-BIO-Sous-Chapitre.
pub const REPORT_ITEM: SectionSpec = SectionSpec {
    key: "sous-chapitre",
    name: "FR-CR-BIO-Sous-Chapitre",
    template_ids: &["1.3.6.1.4.1.19376.1.3.3.2.2", "1.2.250.1.213.1.1.2.71"],
    code: ("18719-5", crate::build::LOINC, "Biochimie"),
    title: "Résultats",
    min_entries: 1,
};

/// FR-Document-PDF-copie: the report rendered as PDF.
pub const PDF_COPY: SectionSpec = SectionSpec {
    key: "copie-pdf",
    name: "FR-Document-PDF-copie",
    template_ids: &["1.2.250.1.213.1.1.2.243"],
    code: ("55108-5", crate::build::LOINC, "Copie du document"),
    title: "Copie du document",
    min_entries: 1,
};

/// The BIO-CR-BIO 2024.01 volet.
pub static BIO_CR_BIO: VoletSpec = VoletSpec {
    name: "BIO-CR-BIO",
    version: "2024.01",
    template_ids: &[
        ("1.3.6.1.4.1.19376.1.3.3", None),
        ("1.2.250.1.213.1.1.1.55", Some("2024.01")),
    ],
    type_code: "11502-2",
    fixed_title: Some("Compte rendu d'examens biologiques"),
    required_sections: &[&SPECIALTY, &PDF_COPY],
    header: HeaderRules {
        service_event_code: true,
        performer_details: true,
        responsible_party: true,
    },
};

/// One result: an analyte, its value, interpretation and time.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
pub struct LabResult {
    /// The analyte code (LOINC), e.g. `40193-5` fasting glucose.
    pub code: Coded,
    /// The value, usually [`Value::Quantity`] with a UCUM unit.
    pub value: Value,
    /// Interpretation code (`JDV_HL7_ObservationInterpretation_CISIS`: `N`, `H`, `L`, ...).
    #[cfg_attr(feature = "serde", serde(default))]
    pub interpretation: Option<String>,
    /// When the result was established (the specimen time or the validation time).
    pub time: DateTime<FixedOffset>,
    /// The line shown in the report (analyte, value and unit, reference range).
    pub label: String,
}

/// One laboratory specialty (chapter) with its results.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
pub struct LabChapter {
    /// The specialty code (LOINC chapter, e.g. `18719-5` Biochimie, `18723-7` Hématologie).
    pub code: Coded,
    /// The title shown (e.g. `BIOCHIMIE`).
    pub title: String,
    /// The results (at least one).
    pub results: Vec<LabResult>,
}

/// The content of a biology report.
#[derive(Clone, Debug, PartialEq)]
pub struct BioReport {
    /// The specialties (at least one).
    pub chapters: Vec<LabChapter>,
    /// The report rendered as PDF (mandatory copy section).
    pub pdf_copy: Vec<u8>,
}

impl LabResult {
    fn statement(&self) -> Statement {
        Statement {
            code: Some(self.code.clone()),
            label: Some(self.label.clone()),
            code_references_label: true,
            status: Some("completed".into()),
            effective_times: vec![Time::ts(hl7_ts(&self.time))],
            values: vec![self.value.clone()],
            interpretation: self.interpretation.clone(),
            ..Statement::observation()
                .templates(&["1.3.6.1.4.1.19376.1.3.1.6", "1.2.250.1.213.1.1.3.80"])
        }
    }
}

impl LabChapter {
    fn section(&self, index: usize) -> SectionBuilder {
        let mut act = Statement::new(Kind::Act, "ACT", "EVN")
            .code(self.code.clone())
            .status("completed");
        for r in &self.results {
            act = act.child(RelationshipTag::EntryRelationship, "COMP", r.statement());
        }
        let item = SectionBuilder {
            key: format!("resultats{}", index + 1),
            code: Some(self.code.clone()),
            title: Some(self.title.clone()),
            entries: vec![(
                Some("DRIV".to_owned()),
                vec![
                    "1.3.6.1.4.1.19376.1.3.1".to_owned(),
                    "1.2.250.1.213.1.1.3.21".to_owned(),
                ],
                act,
            )],
            ..REPORT_ITEM.builder()
        };
        SectionBuilder {
            key: format!("chapitre{}", index + 1),
            code: Some(self.code.clone()),
            title: Some(self.title.clone()),
            ..SPECIALTY.builder()
        }
        .section(item)
    }
}

impl BioReport {
    /// The N3 body: one section per chapter, then the PDF copy.
    pub fn to_content(&self) -> N3Content {
        let mut sections: Vec<SectionBuilder> = self
            .chapters
            .iter()
            .enumerate()
            .map(|(i, c)| c.section(i))
            .collect();
        let kind = Statement {
            text_reference: Some("#doc-1".into()),
            ..Statement::observation()
                .templates(&SIMPLE_OBSERVATION)
                .templates(&["1.2.250.1.213.1.1.3.48.18"])
                .code(Coded::loinc("69764-9", "Type de document"))
                .status("completed")
                .effective_time(Time {
                    null_flavor: Some("NA".into()),
                    ..Time::default()
                })
                .value(Value::Coded(Coded::loinc("55108-5", "Copie du document")))
        };
        let media = Statement {
            id_attr: Some("doc-1".into()),
            values: vec![Value::Media {
                media_type: "application/pdf".into(),
                bytes: self.pdf_copy.clone(),
            }],
            ..Statement::new(Kind::ObservationMedia, "OBS", "EVN")
        };
        let organizer = Statement::new(Kind::Organizer, "CLUSTER", "EVN")
            .templates(&["1.2.250.1.213.1.1.3.18"])
            .code(Coded::loinc("55107-7", "Document attaché"))
            .status("completed")
            .child(RelationshipTag::Component, "", kind)
            .child(RelationshipTag::Component, "", media);
        sections.push(SectionBuilder {
            raw_narrative: Some("<renderMultiMedia referencedObject=\"doc-1\"/>".into()),
            ..PDF_COPY.builder().entry(organizer)
        });
        N3Content {
            volet: &BIO_CR_BIO,
            sections,
        }
    }
}
