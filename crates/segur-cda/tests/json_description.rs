//! The JSON descriptions in `examples-data/` stand for exactly the sample documents, and bad
//! descriptions give typed errors.

use segur_cda::build::{DocumentDescription, ProblemKind, samples};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples-data");

fn load(name: &str) -> DocumentDescription {
    let text = std::fs::read_to_string(format!("{DIR}/{name}")).expect("example file");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn read_beside(file: &str) -> Result<Vec<u8>, String> {
    std::fs::read(format!("{DIR}/{file}")).map_err(|e| e.to_string())
}

#[test]
fn examples_build_the_sample_documents() {
    for (name, sample) in [
        ("n1-letter.json", samples::n1_letter()),
        ("ldl-ses.json", samples::ldl_ses()),
        ("bio-cr-bio.json", samples::bio_report()),
    ] {
        let builder = load(name)
            .to_builder(&mut read_beside)
            .expect("payload loads");
        assert_eq!(builder, sample, "{name}");
        assert_eq!(
            builder.build().expect("valid"),
            sample.build().expect("valid")
        );
    }
}

#[test]
fn bad_descriptions() {
    // unknown members are refused, naming them
    let err = serde_json::from_str::<DocumentDescription>(r#"{"header": {}, "body": {"n2": {}}}"#)
        .unwrap_err();
    assert!(err.to_string().contains("n2"), "{err}");
    // an unreadable file and bad base64 are problems of their fields
    let mut d = load("n1-letter.json");
    let err = d
        .to_builder(&mut |_| Err("no such file".into()))
        .unwrap_err();
    assert!(
        matches!(err.for_field("body.n1")[..], [p] if matches!(&p.kind, ProblemKind::Invalid { reason } if reason == "no such file"))
    );
    d.body = serde_json::from_str(r#"{"n1": {"media_type": "application/pdf", "base64": "%%%"}}"#)
        .expect("body");
    assert_eq!(
        d.to_builder(&mut read_beside)
            .unwrap_err()
            .for_field("body.n1")
            .len(),
        1
    );
    // a media type the CI-SIS does not allow in N1 is refused by the parser of the description
    let err = serde_json::from_str::<DocumentDescription>(
        r#"{"header": {}, "body": {"n1": {"media_type": "text/html", "base64": ""}}}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("text/html"), "{err}");
}
