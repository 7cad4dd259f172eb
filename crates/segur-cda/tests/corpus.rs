//! Every example document of the ANS corpus parses, with the header fields every one of them has.

use std::path::PathBuf;

use segur_cda::{Body, flat};

#[path = "../../../fuzz/checks/cda_parse.rs"]
mod cda_parse;

fn corpus_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/cda/examples/TestContenuCDA-3-0"
    ))
}

fn corpus_files() -> Vec<PathBuf> {
    let dir = corpus_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the CDA corpus must be at {}: {e}", dir.display()))
        .map(|e| e.expect("readable directory").path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 90,
        "expected the 94 ANS examples, found {}",
        files.len()
    );
    files
}

#[test]
fn every_example_parses_with_its_header() {
    let (mut with_ins, mut valid_ins, mut n1) = (0, 0, 0);
    for path in corpus_files() {
        let bytes = std::fs::read(&path).unwrap();
        let doc = segur_cda::parse(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.display();
        assert_eq!(doc.realm_codes[0].code.as_deref(), Some("FR"), "{name}");
        assert_eq!(
            doc.type_id.as_ref().and_then(|t| t.extension.as_deref()),
            Some("POCD_HD000040"),
            "{name}"
        );
        assert!(doc.has_template("1.2.250.1.213.1.1.1.1"), "{name}");
        assert!(
            doc.id.is_some() && doc.set_id.is_some() && doc.code.is_some(),
            "{name}"
        );
        assert_eq!(doc.record_targets.len(), 1, "{name}");
        assert!(doc.patient_ids().count() >= 1, "{name}");
        assert!(!doc.authors.is_empty(), "{name}");
        assert!(
            doc.custodian.is_some() && doc.legal_authenticator.is_some(),
            "{name}"
        );
        assert!(doc.component_of.is_some(), "{name}");
        assert!(doc.body.is_some(), "{name}");
        if doc.patient_ids().any(segur_cda::Ii::is_ins) {
            with_ins += 1;
            if doc.patient_ins().expect("an INS-rooted id").is_ok() {
                valid_ins += 1;
            }
        }
        if let Some(Body::NonXml(b)) = &doc.body {
            // the payload is a span of the input, not a copy
            assert!(
                matches!(b.text.content, std::borrow::Cow::Borrowed(_)),
                "{name}"
            );
            assert!(
                b.text.decode().is_ok_and(|pdf| pdf.starts_with(b"%PDF")),
                "{name}"
            );
            n1 += 1;
        }
        let owned = doc.clone().into_owned();
        assert_eq!(owned, doc, "{name}");
    }
    // the ANS examples use test INS (1.2.250.1.213.1.4.10) and production-root ones (.8)
    assert!(
        with_ins >= 90,
        "documents with an INS-rooted patient id: {with_ins}"
    );
    assert!(
        valid_ins >= 1,
        "no example INS passes segur-ins ({valid_ins}/{with_ins})"
    );
    eprintln!("INS accepted by segur-ins: {valid_ins}/{with_ins}");
    assert_eq!(n1, 4, "the four N1 examples");
}

/// The role of every participation, in the header and in every clinical statement, is a role
/// element: participation attributes written as elements (`modeCode`, `awarenessCode`, as in
/// `01_Modeles_contenus_CDA.xml`) are never taken for it.
#[test]
fn participation_roles_are_role_elements() {
    const ROLES: &[&str] = &[
        "assignedAuthor",
        "assignedEntity",
        "associatedEntity",
        "assignedCustodian",
        "intendedRecipient",
        "participantRole",
        "patientRole",
        "relatedEntity",
        "relatedSubject",
        "manufacturedProduct",
        "specimenRole",
        "maintainedEntity",
    ];
    let mut checked = 0;
    for path in corpus_files() {
        let bytes = std::fs::read(&path).expect("readable corpus file");
        let doc = segur_cda::parse(&bytes).expect("parses");
        let name = path.display();
        let header = doc
            .authors
            .iter()
            .chain(&doc.participants)
            .chain(&doc.informants)
            .chain(&doc.authenticators)
            .chain(&doc.record_targets);
        let body = doc
            .all_sections()
            .into_iter()
            .flat_map(|s| s.statements())
            .flat_map(|s| &s.participations);
        for p in header.chain(body) {
            if let Some(role) = &p.role {
                assert!(
                    ROLES.contains(&role.tag.as_ref()),
                    "{name}: <{}> read as the role of <{}>",
                    role.tag,
                    p.tag
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "only {checked} roles checked");
}

/// Base64 `value`s of N3 statements (`observationMedia`) stay spans of the input, like the N1
/// payload: their CRLF line ends are not normalised into a copy.
#[test]
fn n3_base64_values_are_not_copied() {
    let mut payloads = 0;
    for path in corpus_files() {
        let bytes = std::fs::read(&path).expect("readable corpus file");
        let doc = segur_cda::parse(&bytes).expect("parses");
        let values = doc
            .all_sections()
            .into_iter()
            .flat_map(|s| s.statements())
            .flat_map(|s| &s.values)
            .filter_map(segur_cda::AnyValue::as_element)
            .filter(|v| v.attr("representation") == Some("B64"));
        for v in values {
            for node in &v.children {
                if let segur_cda::Node::Text(t) = node {
                    assert!(
                        matches!(t, std::borrow::Cow::Borrowed(_)),
                        "{}: a base64 value was copied",
                        path.display()
                    );
                    payloads += 1;
                }
            }
        }
    }
    assert!(payloads >= 5, "only {payloads} base64 values in the corpus");
}

#[test]
fn the_flat_parse_agrees_with_the_typed_tree() {
    let (mut elements, mut input, mut held) = (0, 0, 0);
    for path in corpus_files() {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.display().to_string();
        let doc = flat::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        // the fuzz target's checks: the flat parse accepts what the typed parse accepts, and
        // its model, header and every view field equal the typed tree's
        let checked = std::panic::catch_unwind(|| cda_parse::check(&bytes));
        assert!(checked.is_ok(), "{name}: the fuzz checks fail");
        elements += doc.elements().len();
        input += bytes.len();
        held += doc.index_bytes();
    }
    assert!(elements > 10_000);
    // the index is smaller than the documents (they hold base64 payloads: far smaller)
    assert!(
        held < input / 2,
        "index {held} bytes for {input} bytes of input"
    );
}
