//! Golden tests over the INS corpus (`../shared/corpus/ins/`, see `tests/data/README.md`).

use segur_ins::rniv::{CompareOptions, compare};
use segur_ins::status::{Event, IdentityDocument, InsiMode};
use segur_ins::{
    BirthDate, CalendarDate, Cog, IdentityStatus, IdentityTraits, Ins, InsError, InsOid, Matricule,
    MatriculeKind, Profile, Sex, compute_key, datamatrix,
};

fn corpus(name: &str) -> String {
    let path = format!(
        "{}/../../../shared/corpus/ins/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Rows of a TSV file as maps from column name to value.
fn tsv(name: &str) -> Vec<std::collections::HashMap<String, String>> {
    let text = corpus(name);
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header").split('\t').collect();
    lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let cells = l.split('\t').chain(std::iter::repeat(""));
            header
                .iter()
                .zip(cells)
                .map(|(h, c)| ((*h).to_owned(), c.to_owned()))
                .collect()
        })
        .collect()
}

/// The error the corpus `reason` column announces for an invalid row.
fn expected_error(reason: &str) -> fn(&InsError) -> bool {
    if reason.starts_with("key ") {
        |e| matches!(e, InsError::Key { .. })
    } else if reason.starts_with("length ") {
        |e| matches!(e, InsError::Length { .. })
    } else if reason.starts_with("format:") {
        |e| matches!(e, InsError::Character { .. })
    } else if reason.starts_with("sex digit") {
        |e| matches!(e, InsError::SexDigit { .. })
    } else if reason.starts_with("month ") {
        |e| matches!(e, InsError::Month { .. })
    } else {
        panic!("unknown reason {reason:?}")
    }
}

#[test]
fn nir_vectors_both_profiles() {
    let rows = tsv("nir_vectors.tsv");
    assert!(rows.len() >= 59, "{} rows", rows.len());
    for row in &rows {
        let input = &row["input"];
        let lenient = Matricule::parse_with(input, Profile::Nir);
        assert_eq!(
            lenient.is_ok(),
            row["python_stdnum_is_valid"] == "true",
            "{input}: {lenient:?}"
        );
        let strict = Matricule::parse(input);
        match (row["strict_ins_profile"].as_str(), &strict) {
            ("valid", Ok(m)) => {
                assert_eq!(m.as_str(), row["compact"], "{input}");
                assert_eq!(m.warnings(), [], "{input}");
            }
            ("warn", Ok(m)) => assert!(!m.warnings().is_empty(), "{input}"),
            ("invalid", Err(e)) => {
                assert!(
                    expected_error(&row["reason"])(e),
                    "{input}: {e} vs {}",
                    row["reason"]
                );
            }
            (verdict, got) => panic!("{input}: expected {verdict}, got {got:?}"),
        }
    }
}

#[test]
fn nir_vectors_wrong_keys_report_the_expected_key() {
    for row in tsv("nir_vectors.tsv") {
        // "key 67 != computed 94"
        let Some(rest) = row["reason"].strip_prefix("key ") else {
            continue;
        };
        let (found, expected) = rest.split_once(" != computed ").expect("key reason");
        assert_eq!(
            Matricule::parse(&row["input"]),
            Err(InsError::Key {
                found: found.parse().unwrap(),
                expected: expected.parse().unwrap()
            })
        );
    }
}

#[test]
fn test_identities() {
    let rows = tsv("test_identities.tsv");
    let mut with_matricule = 0;
    for row in &rows {
        let name = &row["nom_naissance"];
        let date = BirthDate::from_insi(&row["date_naissance"]).unwrap();
        let place = Some(row["lieu_naissance_cog"].as_str())
            .filter(|c| !c.is_empty())
            .map(|c| Cog::parse(c).unwrap());
        let sex = Sex::from_code(&row["sexe"]).unwrap();
        // every public test identity is in strict form
        let traits = IdentityTraits::new(name, &row["liste_prenoms"], date, sex, place).unwrap();
        assert!(!format!("{traits:?}").contains(name.as_str()));
        let body = &row["matricule_13"];
        if body.is_empty() {
            continue;
        }
        with_matricule += 1;
        let key: u8 = row["cle"].parse().unwrap();
        let computed = compute_key(body).unwrap();
        let matricule = format!("{body}{:02}", key);
        if row["cle_valide"] == "oui" {
            assert_eq!(computed, key, "{name}");
            let ins = Ins::from_cda_id(&row["oid"], &matricule).unwrap();
            let kind = if row["oid"].ends_with(".9") {
                MatriculeKind::Nia
            } else {
                MatriculeKind::Nir
            };
            assert_eq!(ins.kind(), kind, "{name}");
        } else {
            // "NON (cle correcte 76)"
            let correct: u8 = row["cle_valide"]
                .trim_start_matches("NON (cle correcte ")
                .trim_end_matches(')')
                .parse()
                .unwrap();
            assert_eq!(computed, correct, "{name}");
            assert_eq!(
                Matricule::parse(&matricule),
                Err(InsError::Key {
                    found: key,
                    expected: correct
                })
            );
        }
    }
    assert!(with_matricule >= 11, "{with_matricule}");
}

fn qualified(traits: &IdentityTraits) -> IdentityStatus {
    let date = CalendarDate::new(2026, 11, 22).unwrap();
    let mut status = IdentityStatus::new();
    status
        .apply(Event::InsiAnswer {
            mode: InsiMode::Traits,
            date,
            comparison: compare(traits, traits, &CompareOptions::default()),
        })
        .unwrap();
    status
        .apply(Event::DocumentChecked {
            document: IdentityDocument::CarteNationaleIdentite,
            date,
        })
        .unwrap();
    status
}

#[test]
fn datamatrix_vectors() {
    let rows = tsv("datamatrix_ins_vectors.tsv");
    assert_eq!(rows.len(), 7);
    for row in &rows {
        let shown = &row["payload_with_GS_shown_as_<GS>"];
        for payload in [shown.clone(), shown.replace("<GS>", "\u{1d}")] {
            let p = datamatrix::decode(&payload).unwrap_or_else(|e| panic!("{shown}: {e}"));
            assert_eq!(p.matricule, row["S1_matricule"]);
            assert_eq!(p.oid, row["S2_oid"]);
            assert_eq!(p.first_names, row["S3_prenoms"]);
            assert_eq!(p.birth_name, row["S4_nom"]);
            assert_eq!(p.sex, row["S5_sexe"]);
            assert_eq!(p.birth_date, row["S6_date_JJ-MM-AAAA"]);
            let place = Some(row["S7_lieu"].clone()).filter(|s| !s.is_empty());
            assert_eq!(p.birthplace, place);
            let ins = p.ins();
            if row["matricule_cle_valide"] == "oui" {
                let ins = ins.unwrap();
                let traits = p.traits().unwrap();
                // every vector with a valid key is in canonical form: what the encoder writes
                let written = datamatrix::encode(&ins, &traits, &qualified(&traits)).unwrap();
                assert_eq!(written, shown.replace("<GS>", "\u{1d}"));
            } else {
                assert!(matches!(ins, Err(InsError::Key { .. })), "{ins:?}");
            }
        }
    }
}

#[test]
fn cda_record_target_example() {
    let xml = corpus("cda/recordTarget_INS_example.xml");
    let attr = |element: &str, name: &str| -> String {
        let start = xml.find(element).unwrap_or_else(|| panic!("{element}"));
        let tag = &xml[start..start + xml[start..].find('>').unwrap()];
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[at..at + tag[at..].find('"').unwrap()].to_owned()
    };
    // the first patientRole/id is the INS
    let ins = Ins::from_cda_id(&attr("<id ", "root"), &attr("<id ", "extension")).unwrap();
    assert_eq!(ins.oid(), InsOid::InsNirTest);
    let mailto = attr("<telecom value=\"mailto:", "value");
    assert_eq!(
        Ins::from_mssante_address(&mailto).unwrap().matricule(),
        ins.matricule()
    );
    // the five traits of the example are strict
    let traits = IdentityTraits::new(
        "PAT-TROIS",
        "DOMINIQUE MARIE-LOUISE",
        BirthDate::from_cda(&attr("<birthTime", "value")).unwrap(),
        Sex::from_code(&attr("<administrativeGenderCode", "code")).unwrap(),
        Some(Cog::parse("51215").unwrap()),
    )
    .unwrap();
    assert_eq!(traits.first_name(), "DOMINIQUE");
    assert!(xml.contains("<given qualifier=\"BR\">DOMINIQUE</given>"));
}

#[test]
fn hl7v2_examples() {
    let text = corpus("hl7v2/ins_hl7v2_examples.txt");
    let mut verdicts = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let cxs: Vec<&str> = if line.starts_with("PID|") {
            line.split('|').nth(3).unwrap().split('~').collect()
        } else if line.starts_with("MRG|") {
            vec![line.split('|').nth(1).unwrap()]
        } else if line.starts_with("PRT|") {
            let address = line.rsplit('^').next().unwrap();
            verdicts.push((
                "MSSanté",
                Ins::from_mssante_address(address).map(|i| i.oid()),
            ));
            continue;
        } else if !line.contains('|') {
            vec![line]
        } else {
            continue;
        };
        for cx in cxs.into_iter().filter(|cx| !cx.ends_with("^PI")) {
            let form = if cx.contains("^^^&") { "XDS" } else { "PAM" };
            let result = if form == "XDS" {
                Ins::from_xds_cx(cx)
            } else {
                Ins::from_hl7v2_pam_cx(cx)
            };
            verdicts.push((form, result.map(|i| i.oid())));
        }
    }
    let ok = |oid| Ok(oid);
    let key = |found, expected| Err(InsError::Key { found, expected });
    let billing = Err(InsError::Syntax {
        format: "HL7 v2 CX",
        reason: "type NH is the billing NIR, not an INS",
    });
    let empty = Err(InsError::Syntax {
        format: "HL7 v2 CX",
        reason: "empty identifier (CX.1)",
    });
    let legacy = Err(InsError::LegacyOid {
        oid: "1.2.250.1.213.1.4.2",
    });
    let placeholder = Err(InsError::Character {
        position: 1,
        character: 'X',
        expected: "a digit",
    });
    let expected = vec![
        ("PAM", ok(InsOid::InsNirTest)), // admission.er7
        ("PAM", key(44, 33)),            // PAM A31: NIA with a wrong key
        ("PAM", ok(InsOid::InsNir)),     // PAM A31: NIR
        ("PAM", ok(InsOid::InsNir)),     // MRG-1
        ("PAM", empty),                  // A47 withdrawal
        ("PAM", billing),                // Annexe N billing NIR
        ("PAM", key(80, 26)),            // Annexe N NIA example
        ("PAM", key(80, 26)),            // Annexe N NIR example
        ("PAM", legacy),                 // INS-C
        ("MSSanté", ok(InsOid::InsNir)), // PRT
        ("XDS", placeholder),            // VIHF placeholder XXXXXXX
    ];
    assert_eq!(verdicts, expected);
}
