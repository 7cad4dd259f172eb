//! `segur cda build`, run as a user would.

mod common;
use common::segur;

use segur_cda::build::samples;
use segur_cda::write::Style;

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../segur-cda/examples-data");

#[test]
fn builds_the_example_descriptions() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (file, sample, pretty) in [
        ("n1-letter.json", samples::n1_letter(), true),
        ("ldl-ses.json", samples::ldl_ses(), false),
        ("bio-cr-bio.json", samples::bio_report(), true),
    ] {
        let out_path = dir.path().join(file.replace(".json", ".xml"));
        let out_str = out_path.to_string_lossy().into_owned();
        let description = format!("{EXAMPLES}/{file}");
        let mut args = vec!["cda", "build", description.as_str(), "-o", out_str.as_str()];
        if pretty {
            args.push("--pretty");
        }
        let out = segur(&args);
        assert!(
            out.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let expected = sample.build().expect("sample").to_xml(if pretty {
            Style::Pretty
        } else {
            Style::Compact
        });
        assert_eq!(
            std::fs::read_to_string(&out_path).expect("output written"),
            expected,
            "{file}"
        );
    }
    // standard output by default
    let out = segur(&["cda", "build", &format!("{EXAMPLES}/ldl-ses.json")]);
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ClinicalDocument")
    );
}

#[test]
fn reports_every_problem_with_its_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{EXAMPLES}/n1-letter.json")).expect("example"),
    )
    .expect("json");
    json["header"]["authors"] = serde_json::json!([]);
    json["header"]["patient"]["ins"]["extension"] = "279035121518988".into();
    json["header"]["type_code"] = "00000-0".into();
    json["body"] = serde_json::json!({"n1": {"media_type": "application/pdf", "base64": ""}});
    let path = dir.path().join("bad.json");
    std::fs::write(&path, json.to_string()).expect("write");
    let out = segur(&["cda", "build", &path.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "type_code: code \"00000-0\" is not in value set JDV_J07",
        "patient.ins: invalid INS: wrong key",
        "author: missing",
        "body.bytes: empty",
    ] {
        assert!(stderr.contains(expected), "{expected:?} not in:\n{stderr}");
    }
    assert!(
        !stderr.contains("2790351215189"),
        "the INS is never printed:\n{stderr}"
    );
}

#[test]
fn refuses_malformed_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bad.json");
    std::fs::write(&path, r#"{"header": {}, "body": {"pdf": {}}}"#).expect("write");
    let out = segur(&["cda", "build", &path.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pdf"));
}
