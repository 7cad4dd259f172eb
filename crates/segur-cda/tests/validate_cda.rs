//! Every document the builder makes passes the ANS conformance check
//! (`shared/tools/validate-cda`: CDA XSD + CI-SIS schematrons) with zero errors.
//!
//! All documents are written to one temporary directory and validated in a single call, because
//! compiling the schematrons dominates the cost. Needs `python3` with `lxml` and `saxonche`
//! (installed by `.ci/run`); the test fails with a clear message when they are missing.

mod common;

use std::path::Path;
use std::process::Command;

use segur_cda::build::samples;
use segur_cda::write::Style;

const VALIDATOR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/tools/validate-cda"
);

#[test]
fn built_documents_pass_validate_cda() {
    assert!(
        Path::new(VALIDATOR).exists(),
        "the ANS validator is missing: expected {VALIDATOR} (the shared/ folder beside the checkout)"
    );
    let deps = Command::new("python3")
        .args(["-c", "import lxml, saxonche"])
        .output();
    match deps {
        Ok(o) if o.status.success() => {}
        Ok(o) => panic!(
            "validate-cda needs the python modules lxml and saxonche (pip install lxml saxonche): {}",
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => panic!("validate-cda needs python3, which cannot be run: {e}"),
    }

    let dir = tempfile::tempdir().expect("temp dir");
    let mut files = Vec::new();
    let mut write = |name: String, xml: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, xml).expect("write document");
        files.push(path);
    };
    for (name, builder) in [
        ("n1-letter", samples::n1_letter()),
        ("ldl-ses", samples::ldl_ses()),
        ("bio-cr-bio", samples::bio_report()),
        ("n1-full-header", common::full_header()),
    ] {
        let doc = builder.build().unwrap_or_else(|e| panic!("{name}: {e}"));
        // both layouts must be valid; the compact one for the N3 documents, the pretty one for N1
        let style = if name == "n1-letter" {
            Style::Pretty
        } else {
            Style::Compact
        };
        write(format!("{name}.xml"), doc.to_xml(style));
    }
    let generated = [
        ("n1", common::sample(common::n1_document(), 6)),
        ("ldl-ses", common::sample(common::ldl_document(), 3)),
        ("bio-cr-bio", common::sample(common::bio_document(), 3)),
    ];
    for (kind, builders) in generated {
        for (i, builder) in builders.into_iter().enumerate() {
            let doc = builder
                .build()
                .unwrap_or_else(|e| panic!("generated {kind} {i}: {e}"));
            write(
                format!("generated-{kind}-{i}.xml"),
                doc.to_xml(Style::Pretty),
            );
        }
    }

    let out = Command::new("python3")
        .arg(VALIDATOR)
        .arg("-q")
        .args(&files)
        .output()
        .expect("run validate-cda");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let summaries: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("SUMMARY"))
        .collect();
    assert_eq!(
        summaries.len(),
        files.len(),
        "one summary per document:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    if !out.status.success() {
        // re-run the failing ones verbosely for the report
        let verbose = Command::new("python3")
            .arg(VALIDATOR)
            .args(&files)
            .output()
            .expect("run validate-cda");
        panic!(
            "validate-cda found errors:\n{}\n{}",
            String::from_utf8_lossy(&verbose.stdout),
            String::from_utf8_lossy(&verbose.stderr)
        );
    }
    for s in summaries {
        assert!(
            s.contains("xsd=ok")
                && s.contains("schematron_errors=0")
                && s.contains("engine_errors=0"),
            "{s}"
        );
    }
}
