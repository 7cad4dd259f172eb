//! `segur ins check` and `segur ins show`, run as a user would.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/corpus/ins/nir_vectors.tsv"
);

fn segur(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_segur"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the segur binary runs");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin.as_bytes())
        .expect("stdin is written");
    child.wait_with_output().expect("segur exits")
}

/// (input, python-stdnum verdict, strict verdict) for every row of the corpus vectors.
fn vectors() -> Vec<(String, bool, String)> {
    let text = std::fs::read_to_string(VECTORS).expect("../shared/corpus/ins/nir_vectors.tsv");
    text.lines()
        .skip(1)
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            (cols[0].to_owned(), cols[2] == "true", cols[3].to_owned())
        })
        .collect()
}

#[test]
fn check_prints_one_verdict_per_line_in_order_for_both_profiles() {
    let vectors = vectors();
    assert!(vectors.len() >= 59);
    let input: String = vectors.iter().map(|(i, ..)| format!("{i}\n")).collect();

    let strict = segur(&["ins", "check"], &input);
    assert!(strict.status.success());
    let strict = String::from_utf8(strict.stdout).unwrap();
    let lenient = segur(&["ins", "check", "--profile", "nir"], &input);
    assert!(lenient.status.success());
    let lenient = String::from_utf8(lenient.stdout).unwrap();
    assert_eq!(strict.lines().count(), vectors.len());
    assert_eq!(lenient.lines().count(), vectors.len());

    for (((input, stdnum, expected), s), l) in
        vectors.iter().zip(strict.lines()).zip(lenient.lines())
    {
        // "warn" rows are valid matricules with a semantic warning
        let strict_valid = expected != "invalid";
        assert_eq!(s == "valid", strict_valid, "{input}: {s}");
        assert_eq!(l == "valid", *stdnum, "{input}: {l}");
        for verdict in [s, l] {
            assert!(
                verdict == "valid" || verdict.starts_with("invalid: "),
                "{verdict}"
            );
        }
    }
}

#[test]
fn check_reasons_name_the_error() {
    let out = segur(
        &["ins", "check"],
        "292072A00401567\r\n1850175114123\n385017511412327\n292072C00401594\n\n",
    );
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "invalid: wrong key 67: the first 13 characters give key 94\n\
         invalid: bad length: 13 characters, expected 15\n\
         invalid: first digit 3: not an INS matricule (legacy number of a foreigner being registered)\n\
         invalid: bad character 'C' at position 7: a digit, or A/B after 2 (Corsica)\n\
         invalid: bad length: 0 characters, expected 15\n"
    );
}

#[test]
fn check_survives_non_utf8_and_a_missing_final_newline() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_segur"))
        .args(["ins", "check"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"18501751141\xff2330\n185017511412330")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0].starts_with("invalid: bad character"),
        "{}",
        lines[0]
    );
    assert_eq!(lines[1], "valid");
}

#[test]
fn show_prints_the_decomposition_and_every_converter() {
    let out = segur(
        &[
            "ins",
            "show",
            "2 79 03 51 215 189 89",
            "--oid",
            "1.2.250.1.213.1.4.10",
        ],
        "",
    );
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "matricule        2 79 03 51 215 189 89",
        "sex digit        2 (female)",
        "birth month      03",
        "birth place      department 51, commune 215",
        "order            189",
        "key              89 (valid)",
        "warnings         none",
        "authority        1.2.250.1.213.1.4.10 (INS-NIR-TEST)",
        "CDA id           <id root=\"1.2.250.1.213.1.4.10\" extension=\"279035121518989\"/>",
        "XDS CX           279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH",
        "HL7 v2 PAM CX    279035121518989^^^ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.10&ISO^INS",
        "FHIR identifier  system=urn:oid:1.2.250.1.213.1.4.10 value=279035121518989 type=INS-NIR-TEST",
        "MSSanté address  279035121518989@patient.mssante.fr",
        "VIHF resource-id 279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH",
    ] {
        assert!(
            text.lines().any(|l| l == expected),
            "missing {expected:?} in\n{text}"
        );
    }
}

#[test]
fn show_decomposes_special_places_and_months() {
    let out = segur(&["ins", "show", "248339912704584"], "");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("birth month      33 (pseudo-month: real month 03)"),
        "{text}"
    );
    assert!(
        text.contains("birth place      born abroad, INSEE country code 127"),
        "{text}"
    );
    let out = segur(&["ins", "show", "185010011412318"], "");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("warnings         department 00 does not exist"),
        "{text}"
    );
}

#[test]
fn show_refuses_bad_input_without_echoing_it() {
    for (args, message) in [
        (
            vec!["ins", "show", "181036322045660"],
            "segur: wrong key 60: the first 13 characters give key 76\n",
        ),
        (
            vec![
                "ins",
                "show",
                "181036322045676",
                "--oid",
                "1.2.250.1.213.1.4.2",
            ],
            "segur: OID 1.2.250.1.213.1.4.2 is a legacy INS-C authority: not an INS matricule\n",
        ),
    ] {
        let out = segur(&args, "");
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout.is_empty());
        assert_eq!(String::from_utf8(out.stderr).unwrap(), message);
    }
}
