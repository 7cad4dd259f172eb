//! Property-based generators of builder inputs shared by the integration tests.

#![allow(dead_code, unreachable_pub)]

use proptest::prelude::*;
use segur_cda::build::{
    Author, BodyContent, DocumentBuilder, Identifier, NonXmlPayload, ParentDocument, PatientInfo,
    PersonName, Professional, samples,
};
use segur_cda::valuesets;

/// A valid INS-NIR body (13 characters) and its key, for the test OID.
fn ins() -> impl Strategy<Value = Identifier> {
    (
        1u8..=2,
        0u8..=99,
        1u8..=12,
        1u8..=95,
        1u16..=990,
        1u16..=999,
    )
        .prop_map(|(sex, yy, mm, dep, com, ord)| {
            let dep = if dep == 20 { 21 } else { dep };
            let body = format!("{sex}{yy:02}{mm:02}{dep:02}{com:03}{ord:03}");
            let key = segur_ins::compute_key(&body).expect("generated body is well formed");
            Identifier::new("1.2.250.1.213.1.4.10", format!("{body}{key:02}"))
        })
}

/// A strict INS name: upper-case letters, single inner hyphens or spaces.
fn strict_name() -> impl Strategy<Value = String> {
    "[A-Z]{2,8}([- ][A-Z]{2,8})?"
}

/// Free text with accents, XML-special characters and inner spaces (no control characters, no
/// leading or trailing blank).
pub fn free_text() -> impl Strategy<Value = String> {
    "[A-Za-zÀ-ÿ0-9&<>'\"][A-Za-zÀ-ÿ0-9&<>'\" ,.()-]{0,30}[A-Za-zÀ-ÿ0-9&<>'\")]"
}

fn concept(vs: &'static valuesets::ValueSet) -> impl Strategy<Value = String> {
    proptest::sample::select(
        vs.concepts
            .iter()
            .map(|c| c.code.to_owned())
            .collect::<Vec<_>>(),
    )
}

fn patient() -> impl Strategy<Value = PatientInfo> {
    (
        ins(),
        strict_name(),
        prop::collection::vec(strict_name(), 1..3),
        concept(&valuesets::ADMINISTRATIVE_GENDER),
        1920u16..2020,
        1u8..=12,
        1u8..=28,
        "[0-9]{5}",
    )
        .prop_map(
            |(ins, birth_name, given_names, sex, y, m, d, cog)| PatientInfo {
                ins: Some(ins),
                birth_name,
                given_names,
                sex,
                birth_date: Some(format!("{y:04}{m:02}{d:02}")),
                birthplace_code: Some(cog),
                ..PatientInfo::default()
            },
        )
}

fn professional() -> impl Strategy<Value = Professional> {
    (
        "[0-9]{11}",
        free_text(),
        free_text(),
        concept(&valuesets::AUTHOR_SPECIALTY),
        concept(&valuesets::PRACTICE_SETTING),
    )
        .prop_map(|(rpps, given, family, specialty, setting)| {
            let mut p =
                Professional::rpps(rpps, PersonName::new(given, family)).with_specialty(specialty);
            let mut org = samples::hospital();
            org.practice_setting = Some(setting);
            p.organization = Some(org);
            p
        })
}

/// A whole N1 document description: every header part drawn from its value set.
pub fn n1_document() -> impl Strategy<Value = DocumentBuilder> {
    let type_codes: Vec<String> = valuesets::TYPE_CODE
        .concepts
        .iter()
        // 85208-7 (TLM-CR) has an N1 volet schematron of its own with extra rules
        .filter(|c| c.code != "85208-7")
        .map(|c| c.code.to_owned())
        .collect();
    (
        (
            patient(),
            professional(),
            proptest::sample::select(type_codes),
            free_text(),
            concept(&valuesets::CONFIDENTIALITY),
        ),
        (
            concept(&valuesets::HEALTHCARE_FACILITY_TYPE),
            prop::option::of(concept(&valuesets::ENCOUNTER_TYPE)),
            1u32..4,
            0i64..100_000,
            "[A-Z0-9]{1,12}",
        ),
    )
        .prop_map(
            |(
                (patient, author, type_code, title, confidentiality),
                (facility, encounter_code, version, minutes, ext),
            )| {
                let mut b = samples::n1_letter();
                b.id = Some(Identifier::new("1.2.250.1.999.3", ext.clone()));
                b.set_id = Some(Identifier::new("1.2.250.1.999.4", "SET"));
                b.version = version;
                b.replaces = (version > 1).then(|| ParentDocument {
                    id: Identifier::new("1.2.250.1.999.3", format!("{ext}-PREV")),
                });
                b.type_code = Some(type_code);
                b.title = Some(title.clone());
                b.confidentiality = confidentiality;
                b.effective_time = Some(samples::time(minutes));
                b.patient = Some(patient);
                b.authors = vec![Author::professional(author, samples::time(minutes))];
                if let Some(e) = b.encounter.as_mut() {
                    e.facility_type = facility;
                    e.code = encounter_code;
                }
                b.body = Some(BodyContent::NonXml(NonXmlPayload::pdf(
                    samples::minimal_pdf(&title),
                )));
                b
            },
        )
}

fn medication() -> impl Strategy<Value = segur_cda::build::volets::ldl_ses::Medication> {
    (
        "[0-9]{8}",
        free_text(),
        1u8..4,
        prop::option::of(free_text()),
        0i64..10_000,
    )
        .prop_map(|(cis_code, name, dose, instructions, minutes)| {
            segur_cda::build::volets::ldl_ses::Medication {
                cis_code,
                name,
                start: samples::time(minutes),
                end: Some(samples::time(minutes + 7 * 24 * 60)),
                dose: dose.to_string(),
                instructions,
            }
        })
}

/// An LDL-SES document: status, admission and discharge modes drawn from their value sets,
/// free texts, one to three medications.
pub fn ldl_document() -> impl Strategy<Value = DocumentBuilder> {
    (
        concept(&valuesets::DOCUMENT_STATUS),
        concept(&valuesets::ADMISSION_MODE),
        prop::option::of(concept(&valuesets::DISCHARGE_MODE)),
        free_text(),
        free_text(),
        prop::collection::vec(medication(), 1..4),
        patient(),
    )
        .prop_map(
            |(status, admission, discharge, reason, summary, medications, patient)| {
                let mut content = samples::ldl_ses_content();
                content.status = status;
                content.admission_mode = admission;
                content.discharge = discharge.map(|d| (d, samples::time(0)));
                content.reason = reason;
                content.summary = summary;
                content.medications = medications;
                DocumentBuilder {
                    patient: Some(patient),
                    body: Some(BodyContent::Structured(content.to_content())),
                    ..samples::ldl_ses()
                }
            },
        )
}

/// A BIO-CR-BIO report: one to three chapters of one to three results with UCUM units and
/// interpretation codes from their value set.
pub fn bio_document() -> impl Strategy<Value = DocumentBuilder> {
    use segur_cda::build::volets::bio_cr_bio::{LabChapter, LabResult};
    use segur_cda::build::{Coded, Value};
    let chapters = [
        ("18719-5", "Biochimie"),
        ("18723-7", "Hématologie"),
        ("18727-8", "Sérologie"),
    ];
    let analytes = [
        ("40193-5", "Glucose à jeun", "mmol/L"),
        ("2951-2", "Sodium", "mmol/L"),
        ("718-7", "Hémoglobine", "g/dL"),
        ("6690-2", "Leucocytes", "10*9/L"),
    ];
    let result = (
        proptest::sample::select(analytes.to_vec()),
        1u32..100_000,
        prop::option::of(concept(&valuesets::OBSERVATION_INTERPRETATION)),
        0i64..1000,
    )
        .prop_map(
            |((code, name, unit), value, interpretation, minutes)| LabResult {
                code: Coded::loinc(code, name),
                value: Value::Quantity {
                    value: format!("{}.{:02}", value / 100, value % 100),
                    unit: unit.into(),
                },
                interpretation,
                time: samples::time(-minutes),
                label: format!("{name} : {value} {unit}"),
            },
        );
    let chapter = (
        proptest::sample::select(chapters.to_vec()),
        prop::collection::vec(result, 1..4),
    )
        .prop_map(|((code, title), results)| LabChapter {
            code: Coded::loinc(code, title),
            title: title.to_uppercase(),
            results,
        });
    (prop::collection::vec(chapter, 1..4), patient()).prop_map(|(chapters, patient)| {
        let mut report = samples::bio_report_content();
        report.chapters = chapters;
        DocumentBuilder {
            patient: Some(patient),
            body: Some(BodyContent::Structured(report.to_content())),
            ..samples::bio_report()
        }
    })
}

/// `count` values drawn deterministically from a strategy.
pub fn sample<S: Strategy>(strategy: S, count: usize) -> Vec<S::Value> {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    (0..count)
        .map(|_| strategy.new_tree(&mut runner).expect("strategy").current())
        .collect()
}

/// The N1 sample with every optional header part the builder supports: version 2 replacing
/// version 1, informants (a professional and a trusted person), data enterer, recipients,
/// authenticator, participant, order, consent.
pub fn full_header() -> DocumentBuilder {
    use segur_cda::build::{Coded, Informant, Participant, Signer};
    let mut b = samples::n1_letter();
    b.set_id = Some(Identifier::new("1.2.250.1.999.2.1", "DOC-0001"));
    b.id = Some(Identifier::new("1.2.250.1.999.2.1", "DOC-0001-V2"));
    b.version = 2;
    b.replaces = Some(ParentDocument {
        id: Identifier::new("1.2.250.1.999.2.1", "DOC-0001"),
    });
    b.informants = vec![
        Informant::Professional(samples::doctor()),
        Informant::Relative {
            class_code: "NOK".into(),
            relationship: Some("MTH".into()),
            name: PersonName::new("Jeanne", "NESSI").with_prefix("MME"),
            address: None,
            telecoms: vec![segur_cda::build::Contact {
                value: "tel:0147150000".into(),
                use_: Some("H".into()),
            }],
        },
    ];
    b.data_enterer = Some(Signer {
        professional: samples::doctor(),
        time: samples::time(-5),
    });
    b.recipients = vec![samples::biologist()];
    b.authenticators = vec![Signer {
        professional: samples::doctor(),
        time: samples::time(0),
    }];
    b.participants = vec![Participant {
        type_code: "REF".into(),
        function: Some("PCP".into()),
        time: samples::time(-60),
        professional: samples::biologist(),
    }];
    b.orders = vec![Identifier::new("1.2.250.1.999.6", "ORDER-1")];
    b.consents = vec![Coded::new("42", "1.2.250.1.999.5", "Consentement de test")];
    b
}
