//! From a PSC user (the ANS sample with five work situations) to a VIHF in AIR mode built by
//! segur-soap.

use segur_psc::{Error, PscUserInfo};
use segur_soap::vihf::{AuthenticationMode, Lps, VihfBuilder};
use segur_transport::{FixedClock, SeededRandomness};

fn user() -> PscUserInfo {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/psc/ans-psc-poc-userinfo-full.json"
    );
    PscUserInfo::from_json(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn each_work_situation_maps_to_the_vihf_input() {
    let user = user();
    let situations = user.work_situations();
    // The cabinet has no structure id in the sample: the LPS must give its own.
    let cabinet = &situations[0];
    assert_eq!(
        user.psc_professional(cabinet, None)
            .unwrap_err()
            .to_string(),
        Error::Incomplete {
            field: "Identifiant_Structure"
        }
        .to_string()
    );
    let p = user
        .psc_professional(cabinet, Some("499900063480001"))
        .unwrap();
    assert_eq!(p.national_id, "ANS20210107161422");
    assert_eq!(
        (p.family_name.as_str(), p.given_name.as_str()),
        ("Docteur OIDC", "Paul")
    );
    assert_eq!(
        (p.profession.as_str(), p.specialty.as_deref()),
        ("10", Some("SM54"))
    );
    assert_eq!(
        (p.structure_id.as_str(), p.sector.as_str()),
        ("499900063480001", "SA07")
    );
    // The "conseil des ordres" activity has a SIRET.
    let ordre = user.work_situation_in_structure("00000000016972").unwrap();
    let p = user.psc_professional(&ordre, None).unwrap();
    assert_eq!(
        (p.structure_id.as_str(), p.sector.as_str()),
        ("300000000016972", "SA43")
    );

    let vihf = VihfBuilder::from_psc(&p)
        .lps(Lps::new("segur-psc tests", "0.1.0", "HOMOL-TEST"))
        .build(
            &FixedClock::from_rfc3339("2026-11-22T08:00:00Z").unwrap(),
            &SeededRandomness::new(1),
        )
        .unwrap();
    assert_eq!(vihf.mode, AuthenticationMode::IndirecteRenforcee);
    assert_eq!(vihf.name_id, "ANS20210107161422");
    assert_eq!(vihf.structure_id, "300000000016972");
    assert_eq!(vihf.subject_id, "Docteur OIDC Paul");
    assert_eq!(vihf.roles[0].code, "10");
    assert_eq!(vihf.roles[1].code, "SM54");
}

#[test]
fn missing_values_are_named() {
    let minimal = PscUserInfo::from_json(br#"{"SubjectRefPro": {"exercices": [{}]}}"#).unwrap();
    let ws = minimal.single_work_situation().unwrap();
    let field = |u: &PscUserInfo| match u
        .psc_professional(&u.single_work_situation().unwrap(), Some("1x"))
    {
        Err(Error::Incomplete { field }) => field,
        other => panic!("{other:?}"),
    };
    assert!(ws.activite.is_none());
    assert_eq!(field(&minimal), "SubjectNameID");
    let named = PscUserInfo::from_json(
        br#"{"SubjectNameID": "899700218896", "family_name": "N", "given_name": "P",
            "SubjectRefPro": {"exercices": [{"codeProfession": "60"}]}}"#,
    )
    .unwrap();
    assert_eq!(field(&named), "codeSecteurDactivite");
    let with_sector = PscUserInfo::from_json(
        br#"{"SubjectNameID": "899700218896", "family_name": "N", "given_name": "P",
            "Secteur_Activite": "SA07^1.2.250.1.71.4.2.4",
            "SubjectRefPro": {"exercices": [{"codeProfession": "60"}]}}"#,
    )
    .unwrap();
    let p = with_sector
        .psc_professional(&with_sector.single_work_situation().unwrap(), Some("1x"))
        .unwrap();
    assert_eq!(
        (p.sector.as_str(), p.family_name.as_str(), p.specialty),
        ("SA07", "N", None)
    );
}
