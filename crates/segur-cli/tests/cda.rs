//! `segur cda inspect`, run as a user would.

mod common;
use common::segur;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../segur-cda/tests/data");
const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/corpus/cda/examples/TestContenuCDA-3-0"
);

#[test]
fn inspect_json_prints_one_object_per_document() {
    let n1 = format!("{DATA}/valid/n1-bom-default-ns.xml");
    let n3 = format!("{CORPUS}/BIO-CR-BIO_2024.01_Microbiologie_V1.xml");
    let out = segur(&["cda", "inspect", "--json", &n1, &n3]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 2);
    let first = &lines[0];
    assert_eq!(first["file"], n1.as_str());
    assert_eq!(first["id"], "1.2.250.1.213.1.1.9^DOC&1");
    assert_eq!(first["title"], "Lettre <de> liaison <fin>");
    assert_eq!(first["body"], "N1");
    assert_eq!(first["media_type"], "application/pdf");
    assert_eq!(
        first["template_ids"],
        serde_json::json!([
            "2.16.840.1.113883.2.8.2.1",
            "1.2.250.1.213.1.1.1.1",
            "1.3.6.1.4.1.19376.1.2.20"
        ])
    );
    assert_eq!(first["patient_ids"][1], "1.2.3.4.567.8.9.10^IPP42");
    assert_eq!(first["section_codes"], serde_json::json!([]));
    let second = &lines[1];
    assert_eq!(second["code"], "11502-2");
    assert_eq!(second["body"], "N3");
    assert_eq!(second["media_type"], serde_json::Value::Null);
    assert!(
        second["section_codes"]
            .as_array()
            .is_some_and(|s| !s.is_empty())
    );
    for key in [
        "file",
        "template_ids",
        "id",
        "code",
        "code_system",
        "title",
        "effective_time",
        "confidentiality",
        "language",
        "set_id",
        "version",
        "patient_ids",
        "author_ids",
        "custodian_id",
        "body",
        "media_type",
        "section_codes",
    ] {
        assert!(second.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn inspect_text_form_is_readable() {
    let n3 = format!("{DATA}/valid/n3-latin1.xml");
    let out = segur(&["cda", "inspect", &n3]);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with(&n3), "{stdout}");
    assert!(
        stdout.contains("  title:           Synthèse médicale <fin>\n"),
        "{stdout}"
    );
    assert!(stdout.contains("  body:            N3\n"), "{stdout}");
    assert!(
        stdout.contains("  section_codes:   10164-2, -\n"),
        "{stdout}"
    );
}

#[test]
fn inspect_reports_bad_files_and_goes_on() {
    let bad = format!("{DATA}/hostile/billion-laughs.xml");
    let good = format!("{DATA}/valid/n3-prefixed.xml");
    let out = segur(&["cda", "inspect", "--json", &bad, &good]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("billion-laughs.xml: DTDs are not allowed at line 2, column 1"),
        "{stderr}"
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 1);
    let missing = segur(&["cda", "inspect", "/nonexistent/file.xml"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        !segur(&["cda", "inspect"]).status.success(),
        "a file is required"
    );
}
