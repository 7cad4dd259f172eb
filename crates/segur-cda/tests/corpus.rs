//! Every example document of the ANS corpus parses, with the header fields every one of them has.

use std::path::PathBuf;

use segur_cda::flat;
use segur_cda::{Body, ClinicalStatement, Section};

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

/// Sections read through the flat views agree with the typed tree, recursively, field by field.
fn same_sections<'d>(
    name: &str,
    flat: impl Iterator<Item = flat::Section<'d>>,
    typed: &[Section<'_>],
) {
    let flat: Vec<_> = flat.collect();
    assert_eq!(flat.len(), typed.len(), "{name}: section count");
    for (f, t) in flat.iter().zip(typed) {
        assert_eq!(f.id_attr(), t.id_attr.as_deref(), "{name}");
        assert_eq!(
            f.template_ids().collect::<Vec<_>>(),
            t.template_ids,
            "{name}"
        );
        assert_eq!(f.id(), t.id, "{name}");
        assert_eq!(f.code(), t.code, "{name}");
        assert_eq!(f.title(), t.title, "{name}");
        assert_eq!(f.text(), t.text, "{name}");
        assert_eq!(f.confidentiality_code(), t.confidentiality_code, "{name}");
        assert_eq!(f.language_code(), t.language_code, "{name}");
        assert_eq!(
            f.participations().collect::<Vec<_>>(),
            t.participations,
            "{name}"
        );
        let entries: Vec<_> = f.entries().collect();
        assert_eq!(entries.len(), t.entries.len(), "{name}: entry count");
        for (fe, te) in entries.iter().zip(&t.entries) {
            assert_eq!(fe.type_code(), te.type_code.as_deref(), "{name}");
            same_statement(name, fe.statement(), te.statement.as_ref());
        }
        same_sections(name, f.sections(), &t.sections);
    }
}

/// A statement read through the flat views agrees with the typed tree, recursively.
fn same_statement(
    name: &str,
    flat: Option<flat::Statement<'_>>,
    typed: Option<&ClinicalStatement<'_>>,
) {
    let (Some(f), Some(t)) = (flat, typed) else {
        assert_eq!(flat.is_some(), typed.is_some(), "{name}: statement");
        return;
    };
    assert_eq!(f.kind(), t.kind, "{name}");
    assert_eq!(f.class_code(), t.class_code.as_deref(), "{name}");
    assert_eq!(f.mood_code(), t.mood_code.as_deref(), "{name}");
    assert_eq!(f.negation_ind(), t.negation_ind.as_deref(), "{name}");
    assert_eq!(f.id_attr(), t.id_attr.as_deref(), "{name}");
    assert_eq!(
        f.template_ids().collect::<Vec<_>>(),
        t.template_ids,
        "{name}"
    );
    assert!(f.ids().eq(t.ids.iter().cloned()), "{name}");
    assert_eq!(f.code(), t.code, "{name}");
    assert_eq!(f.text(), t.text, "{name}");
    assert_eq!(f.status_code(), t.status_code, "{name}");
    assert!(
        f.effective_times().eq(t.effective_times.iter().cloned()),
        "{name}"
    );
    assert!(f.values().eq(t.values.iter().cloned()), "{name}");
    let mut tagged: Vec<_> = f.tagged_codes().collect();
    // the typed tree keeps them in schema order
    tagged.sort_by_key(|c| c.tag);
    assert_eq!(tagged, t.tagged_codes, "{name}");
    assert_eq!(
        f.participations().collect::<Vec<_>>(),
        t.participations,
        "{name}"
    );
    let relationships: Vec<_> = f.relationships().collect();
    assert_eq!(relationships.len(), t.relationships.len(), "{name}");
    for (fr, tr) in relationships.iter().zip(&t.relationships) {
        assert_eq!(fr.element().local_name(), tr.tag, "{name}");
        assert_eq!(fr.type_code(), tr.type_code.as_deref(), "{name}");
        assert_eq!(fr.inversion_ind(), tr.inversion_ind.as_deref(), "{name}");
        assert_eq!(fr.negation_ind(), tr.negation_ind.as_deref(), "{name}");
        same_statement(name, fr.statement(), tr.statement.as_ref());
    }
    assert_eq!(f.element().to_statement(), *t, "{name}");
}

#[test]
fn the_flat_parse_agrees_with_the_typed_tree() {
    let (mut elements, mut input, mut held) = (0, 0, 0);
    for path in corpus_files() {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.display().to_string();
        let typed = segur_cda::parse(&bytes).unwrap();
        let doc = flat::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            doc.to_model() == typed,
            "{name}: the flat document's model differs"
        );
        let mut header = typed.clone();
        header.body = None;
        assert!(
            doc.header() == header,
            "{name}: the flat document's header differs"
        );
        match (&typed.body, doc.body()) {
            (Some(Body::Structured(t)), Some(flat::Body::Structured(f))) => {
                same_sections(&name, f.sections(), &t.sections);
                let all: Vec<_> = f.all_sections().map(|s| s.element().to_section()).collect();
                let typed_all: Vec<_> = typed.all_sections().into_iter().cloned().collect();
                assert!(all == typed_all, "{name}: all sections");
            }
            (Some(Body::NonXml(t)), Some(flat::Body::NonXml(f))) => assert_eq!(&f, t, "{name}"),
            (None, None) => {}
            _ => panic!("{name}: the bodies differ"),
        }
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
