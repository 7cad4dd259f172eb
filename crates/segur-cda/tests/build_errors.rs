//! Bad input to the builder gives typed errors naming each field, all at once, never a panic.

mod common;

use proptest::prelude::*;
use segur_cda::build::{
    BodyContent, BuildError, DocumentBuilder, Identifier, NonXmlPayload, ProblemKind, samples,
};

fn problems(b: &DocumentBuilder) -> BuildError {
    b.build().expect_err("the input is wrong")
}

fn kinds<'e>(err: &'e BuildError, field: &str) -> Vec<&'e ProblemKind> {
    err.for_field(field).into_iter().map(|p| &p.kind).collect()
}

#[test]
fn missing_author() {
    let mut b = samples::n1_letter();
    b.authors.clear();
    let err = problems(&b);
    assert_eq!(kinds(&err, "author"), [&ProblemKind::Missing]);
    assert_eq!(err.problems.len(), 1, "{err}");
}

#[test]
fn ins_with_a_wrong_key() {
    let mut b = samples::n1_letter();
    // the ANS test INS with its key changed from 89 to 88
    b.patient.as_mut().unwrap().ins =
        Some(Identifier::new("1.2.250.1.213.1.4.10", "279035121518988"));
    let err = problems(&b);
    let [ProblemKind::InvalidIns { reason }] = kinds(&err, "patient.ins")[..] else {
        panic!("{err}");
    };
    assert!(reason.contains("key"), "{reason}");
    // the message never quotes the INS
    assert!(!err.to_string().contains("2790351215189"), "{err}");
}

#[test]
fn ins_under_a_non_ins_oid() {
    let mut b = samples::n1_letter();
    b.patient.as_mut().unwrap().ins = Some(Identifier::new("1.2.250.1.999", "279035121518989"));
    let err = problems(&b);
    assert!(
        matches!(
            kinds(&err, "patient.ins")[..],
            [ProblemKind::InvalidIns { .. }]
        ),
        "{err}"
    );
}

#[test]
fn unknown_codes() {
    let mut b = samples::n1_letter();
    b.type_code = Some("00000-0".into());
    b.authors[0].function = Some("NOPE".into());
    b.patient.as_mut().unwrap().sex = "X".into();
    let err = problems(&b);
    assert_eq!(
        kinds(&err, "type_code"),
        [&ProblemKind::NotInValueSet {
            value_set: "JDV_J07_XdsTypeCode_CISIS",
            code: "00000-0".into()
        }]
    );
    assert_eq!(
        kinds(&err, "author[0].function"),
        [&ProblemKind::NotInValueSet {
            value_set: "JDV_J47_FunctionCode_CISIS",
            code: "NOPE".into()
        }]
    );
    assert_eq!(
        kinds(&err, "patient.sex"),
        [&ProblemKind::NotInValueSet {
            value_set: "JDV_J143_AdministrativeGender_CISIS",
            code: "X".into()
        }]
    );
}

#[test]
fn empty_or_mislabelled_pdf() {
    let mut b = samples::n1_letter();
    b.body = Some(BodyContent::NonXml(NonXmlPayload::pdf(Vec::new())));
    assert_eq!(kinds(&problems(&b), "body.bytes"), [&ProblemKind::Empty]);
    b.body = Some(BodyContent::NonXml(NonXmlPayload::pdf(b"<html/>".to_vec())));
    assert!(matches!(
        kinds(&problems(&b), "body.bytes")[..],
        [ProblemKind::Invalid { .. }]
    ));
}

#[test]
fn every_missing_field_at_once() {
    let err = problems(&DocumentBuilder::default());
    let missing: Vec<&str> = err
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::Missing)
        .map(|p| p.field.as_str())
        .collect();
    assert_eq!(
        missing,
        [
            "id",
            "set_id",
            "type_code",
            "title",
            "effective_time",
            "patient",
            "author",
            "custodian",
            "legal_authenticator",
            "service_events",
            "encounter",
            "body"
        ]
    );
}

#[test]
fn volet_rules() {
    // LDL-SES without its discharge medications and with another document type
    let mut b = samples::ldl_ses();
    b.type_code = Some("11502-2".into());
    if let Some(BodyContent::Structured(n3)) = b.body.as_mut() {
        n3.sections.retain(|s| s.key != "traitements");
    }
    let err = problems(&b);
    assert!(
        matches!(
            kinds(&err, "type_code")[..],
            [ProblemKind::Inconsistent { .. }]
        ),
        "{err}"
    );
    assert_eq!(kinds(&err, "section[traitements]"), [&ProblemKind::Missing]);

    // BIO-CR-BIO needs the responsible biologist and a coded act
    let mut b = samples::bio_report();
    b.encounter.as_mut().unwrap().responsible = None;
    b.service_events[0].code = None;
    b.title = Some("Autre titre".into());
    let err = problems(&b);
    assert_eq!(
        kinds(&err, "encounter.responsible"),
        [&ProblemKind::Missing]
    );
    assert_eq!(
        kinds(&err, "service_events[0].code"),
        [&ProblemKind::Missing]
    );
    assert!(matches!(
        kinds(&err, "title")[..],
        [ProblemKind::Inconsistent { .. }]
    ));
}

#[test]
fn bad_professional_and_organisation_ids() {
    let mut b = samples::n1_letter();
    let mut doctor = samples::doctor();
    doctor.id = Some(segur_cda::build::ProfessionalId::Rpps("123".into()));
    doctor.specialty = Some("G15_99/XX".into());
    b.authors[0].who = segur_cda::build::AuthorKind::Professional(doctor);
    b.custodian.as_mut().unwrap().id = Some(segur_cda::build::OrganizationId::Siret("12".into()));
    let err = problems(&b);
    assert!(
        matches!(
            kinds(&err, "author[0].id")[..],
            [ProblemKind::InvalidId { .. }]
        ),
        "{err}"
    );
    assert!(
        matches!(
            kinds(&err, "author[0].specialty")[..],
            [ProblemKind::NotInValueSet { .. }]
        ),
        "{err}"
    );
    assert!(
        matches!(
            kinds(&err, "custodian.id")[..],
            [ProblemKind::InvalidId { .. }]
        ),
        "{err}"
    );
}

proptest! {
    /// Arbitrary text in every free field never panics: the builder either builds or reports.
    #[test]
    fn arbitrary_text_never_panics(
        ins in ".{0,20}",
        name in ".{0,12}",
        code in ".{0,12}",
        lang in ".{0,6}",
        version in 0u32..4,
    ) {
        let mut b = samples::ldl_ses();
        let patient = b.patient.as_mut().unwrap();
        patient.ins = Some(Identifier::new("1.2.250.1.213.1.4.10", ins));
        patient.birth_name = name;
        patient.sex = code.clone();
        b.type_code = Some(code);
        b.language = lang;
        b.version = version;
        let _ = b.build();
    }
}
