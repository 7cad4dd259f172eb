//! Property tests: keys, parse ∘ display, converters, names, dates, Datamatrix.

use proptest::prelude::*;
use segur_ins::rniv::{CompareOptions, NameField, compare, normalize_name, validate_strict_name};
use segur_ins::status::{Event, IdentityDocument, InsiMode};
use segur_ins::{
    BirthDate, CalendarDate, Cog, IdentityStatus, IdentityTraits, Ins, InsError, InsOid, Matricule,
    Profile, Sex, compute_key, datamatrix,
};

/// Any 13-character body: digits, with `2A`/`2B` possible at positions 6-7.
fn body() -> impl Strategy<Value = String> {
    (
        "[0-9]{5}",
        prop_oneof!["[0-9]{2}", Just("2A".to_owned()), Just("2B".to_owned())],
        "[0-9]{6}",
    )
        .prop_map(|(a, d, b)| format!("{a}{d}{b}"))
}

/// A body the strict INS profile accepts (first digit 1/2, month 01-12 or 20-99).
fn ins_body() -> impl Strategy<Value = String> {
    (
        "[12][0-9]{2}",
        prop_oneof!["0[1-9]", "1[0-2]", "[2-9][0-9]"],
        prop_oneof!["[0-9]{2}", Just("2A".to_owned()), Just("2B".to_owned())],
        "[0-9]{6}",
    )
        .prop_map(|(a, m, d, b)| format!("{a}{m}{d}{b}"))
}

/// The key computed independently: textual substitution, then 128-bit arithmetic.
fn reference_key(body: &str) -> u8 {
    let n: u128 = format!(
        "{}{}{}",
        &body[..5],
        match &body[5..7] {
            "2A" => "19",
            "2B" => "18",
            d => d,
        },
        &body[7..]
    )
    .parse()
    .unwrap();
    u8::try_from(97 - n % 97).unwrap()
}

fn strict_matricule() -> impl Strategy<Value = Matricule> {
    ins_body().prop_map(|b| Matricule::from_body(&b).unwrap())
}

fn ins() -> impl Strategy<Value = Ins> {
    let oid = prop::sample::select(vec![
        InsOid::InsNir,
        InsOid::InsNia,
        InsOid::InsNirTest,
        InsOid::InsNirDemo,
    ]);
    (strict_matricule(), oid).prop_map(|(m, o)| Ins::new(m, o).unwrap())
}

fn strict_name() -> impl Strategy<Value = String> {
    "[A-Z]{1,8}((--|[-' ])[A-Z]{1,8}){0,3}"
}

fn birth_date() -> impl Strategy<Value = BirthDate> {
    (0u16..=2100, 0u8..=99, 0u8..=99)
        .prop_map(|(y, m, d)| BirthDate::from_insi(&format!("{y:04}-{m:02}-{d:02}")).unwrap())
}

fn traits() -> impl Strategy<Value = IdentityTraits> {
    (
        strict_name(),
        "[A-Z]{1,8}(-[A-Z]{1,8})?( [A-Z]{1,8}){0,3}",
        birth_date(),
        prop::bool::ANY,
        prop::option::of("([0-9]{2}|2A|2B)[0-9]{3}"),
    )
        .prop_map(|(name, first, date, male, cog)| {
            let sex = if male { Sex::Male } else { Sex::Female };
            let cog = cog.map(|c| Cog::parse(&c).unwrap());
            IdentityTraits::new(&name, &first, date, sex, cog).unwrap()
        })
}

proptest! {
    #[test]
    fn every_body_has_exactly_one_valid_key(body in body()) {
        let valid: Vec<u8> = (0..=99u8)
            .filter(|k| Matricule::parse_with(&format!("{body}{k:02}"), Profile::Nir).is_ok())
            .collect();
        prop_assert_eq!(valid.len(), 1);
        prop_assert_eq!(valid[0], compute_key(&body).unwrap());
        prop_assert_eq!(valid[0], reference_key(&body));
        prop_assert!((1..=97).contains(&valid[0]));
    }

    #[test]
    fn wrong_keys_name_the_expected_key(body in body(), delta in 1u8..=99) {
        let key = reference_key(&body);
        let wrong = (key + delta) % 100;
        prop_assert_eq!(
            Matricule::parse_with(&format!("{body}{wrong:02}"), Profile::Nir),
            Err(InsError::Key { found: wrong, expected: key })
        );
    }

    #[test]
    fn parse_of_display_is_identity(body in body()) {
        let m = Matricule::parse_with(&format!("{body}{:02}", reference_key(&body)), Profile::Nir).unwrap();
        prop_assert_eq!(Matricule::parse_with(m.as_str(), Profile::Nir), Ok(m));
        prop_assert_eq!(Matricule::parse_with(&m.grouped(), Profile::Nir), Ok(m));
        let dotted = m.grouped().replace(' ', ".").to_lowercase();
        prop_assert_eq!(Matricule::parse_with(&dotted, Profile::Nir), Ok(m));
        // the masked display hides commune, order and key
        prop_assert!(!m.to_string().contains(&m.as_str()[7..]));
        // strict accepts a subset of lenient, and only loses to sex digit or month
        match Matricule::parse(m.as_str()) {
            Ok(s) => prop_assert_eq!(s, m),
            Err(e) => prop_assert!(matches!(e, InsError::SexDigit { .. } | InsError::Month { .. }), "{}", e),
        }
    }

    #[test]
    fn converters_round_trip(ins in ins()) {
        prop_assert_eq!(Ins::from_cda_id(ins.cda_root(), ins.cda_extension()), Ok(ins));
        prop_assert_eq!(Ins::from_xds_cx(&ins.to_xds_cx()), Ok(ins));
        prop_assert_eq!(Ins::from_hl7v2_pam_cx(&ins.to_hl7v2_pam_cx()), Ok(ins));
        prop_assert_eq!(Ins::from_fhir(&ins.fhir_system(), ins.fhir_value()), Ok(ins));
        prop_assert_eq!(Ins::from_vihf_resource_id(&ins.vihf_resource_id()), Ok(ins));
        // the address carries no OID: the matricule round-trips
        let back = Ins::from_mssante_address(&ins.mssante_address()).unwrap();
        prop_assert_eq!(back.matricule().as_str(), ins.matricule().as_str());
        let shown = format!("{ins} {ins:?}");
        prop_assert!(!shown.contains(ins.cda_extension()));
    }

    #[test]
    fn normalisation_is_idempotent_and_yields_strict_names(input in "\\PC{0,30}") {
        if let Ok(n) = normalize_name(&input, NameField::BirthName) {
            prop_assert!(validate_strict_name(&n, NameField::BirthName).is_ok());
            prop_assert_eq!(normalize_name(&n, NameField::BirthName), Ok(n.clone()));
        }
    }

    #[test]
    fn strict_names_are_left_unchanged(name in strict_name()) {
        prop_assert_eq!(normalize_name(&name, NameField::FirstNames), Ok(name));
    }

    #[test]
    fn birth_dates_round_trip(date in birth_date()) {
        prop_assert_eq!(BirthDate::from_insi(&date.to_insi()), Ok(date));
        prop_assert_eq!(BirthDate::from_datamatrix(&date.to_datamatrix()), Ok(date));
        if let Some(cda) = date.to_cda() {
            prop_assert_eq!(BirthDate::from_cda(&cda), Ok(date));
        }
    }

    #[test]
    fn datamatrix_round_trips(ins in ins(), traits in traits()) {
        let day = CalendarDate::new(2026, 11, 22).unwrap();
        let mut status = IdentityStatus::new();
        let comparison = compare(&traits, &traits, &CompareOptions::default());
        prop_assert!(comparison.is_coherent());
        status.apply(Event::InsiAnswer { mode: InsiMode::CarteVitale, date: day, comparison }).unwrap();
        status.apply(Event::DocumentChecked { document: IdentityDocument::TitreDeSejour, date: day }).unwrap();
        let payload = datamatrix::encode(&ins, &traits, &status).unwrap();
        let decoded = datamatrix::decode(&payload).unwrap();
        prop_assert_eq!(decoded.ins(), Ok(ins));
        prop_assert_eq!(decoded.traits(), Ok(traits.clone()));
        // keyboard-wedge scanners: GS typed as <GS>
        let wedge = datamatrix::decode(&payload.replace('\u{1d}', "<GS>")).unwrap();
        prop_assert_eq!(wedge.traits(), Ok(traits));
    }

    #[test]
    fn parsers_never_panic(input in "\\PC{0,80}") {
        let _ = Matricule::parse_with(&input, Profile::Nir);
        let _ = Ins::from_xds_cx(&input);
        let _ = Ins::from_hl7v2_pam_cx(&input);
        let _ = Ins::from_mssante_address(&input);
        let _ = datamatrix::decode(&input);
        let _ = BirthDate::from_insi(&input);
        let _ = BirthDate::from_cda(&input);
        let _ = Cog::parse(&input);
    }
}
