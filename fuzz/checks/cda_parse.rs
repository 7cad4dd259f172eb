//! Properties of the CDA parser, checked on every input by the `fuzz_cda_parse` target and by
//! the corpus replay test of segur-cda (`crates/segur-cda/tests/fuzz_corpus.rs`).

use segur_cda::{Body, Limits, Summary, flat, parse, parse_with};

/// Parses `data`; checks that errors are located (line and column from 1, a message), that a
/// parsed document is well-formed for an independent parser, survives `into_owned` unchanged
/// and summarises, that N1 payload decoding never panics, that parsing is deterministic, and
/// that tight limits only turn success into errors, never into a panic. The flat parse accepts
/// exactly what the typed parse accepts, and its index is consistent (see [`check_flat`]).
pub(crate) fn check(data: &[u8]) {
    let first = parse(data);
    check_flat(data, &first);
    match &first {
        Err(e) => {
            assert!(e.line >= 1 && e.column >= 1, "unlocated error {e:?}");
            assert!(!e.to_string().is_empty());
        }
        Ok(doc) => {
            assert_well_formed(data);
            assert_eq!(
                &doc.clone().into_owned(),
                doc,
                "into_owned changes the document"
            );
            if let Some(Body::NonXml(b)) = &doc.body {
                let _ = b.text.decode();
            }
            for s in doc.all_sections() {
                let _ = s.statements();
            }
        }
    }
    assert_eq!(parse(data), first, "parsing is not deterministic");
    let tight = Limits::new()
        .max_depth(8)
        .max_attributes(4)
        .max_text_len(64)
        .max_elements(64);
    if let Ok(doc) = parse_with(data, &tight) {
        assert_eq!(
            Ok(&doc),
            first.as_ref(),
            "tight limits change a successful parse"
        );
    }
}

/// The flat parse of `data`: accepted exactly when the typed parse (`typed`) accepts it, and
/// its errors located. One documented exception: control characters in layout (bytes up to
/// the space between two tags), which neither parse searches everywhere (the flat parse none,
/// the typed parse those it reads as text). There the flat parse may accept what the typed
/// parse refuses, and both must agree once those characters are spaces. Accepted, the flat
/// index is consistent: children lie within their parent, names and offsets point at the start
/// tags, every attribute and text reads, `into_owned` keeps it, and the summary holds the typed
/// parse's templateIds.
fn check_flat(data: &[u8], typed: &Result<segur_cda::Document<'_>, segur_cda::ParseError>) {
    let parsed = flat::parse(data);
    check_reused_buffers(data, &parsed, typed.as_ref().ok());
    match (&parsed, typed) {
        (Err(e), Ok(_)) => panic!("the flat parse refuses what the typed parse accepts: {e}"),
        (Ok(_), Err(e)) => {
            let cleaned = without_layout_controls(data);
            assert!(
                e.to_string().contains("character not allowed in XML")
                    && flat::parse(&cleaned).is_ok() == parse(&cleaned).is_ok(),
                "the flat parse accepts what the typed parse refuses: {e}"
            );
        }
        (Err(e), Err(_)) => assert!(e.line >= 1 && e.column >= 1, "unlocated error {e:?}"),
        (Ok(doc), Ok(model)) => {
            let source = doc.source();
            for e in doc.elements() {
                assert_eq!(source.as_bytes()[e.offset()], b'<');
                assert!(!e.local_name().is_empty());
                let inside: Vec<_> = e.descendants().skip(1).collect();
                for c in e.children() {
                    assert!(inside.contains(&c), "a child outside its parent");
                    assert_eq!(c.parent(), Some(e));
                }
                for a in e.attributes() {
                    let _ = (a.local_name(), a.namespace(), a.value());
                }
                let _ = (e.text(), e.inner_xml(), e.string(), e.namespace());
            }
            let owned = doc.clone().into_owned();
            assert_eq!(owned.elements().len(), doc.elements().len());
            let summary = Summary::of(doc);
            assert_eq!(
                Summary::of(&owned),
                summary,
                "into_owned changes the summary"
            );
            let json = summary.to_json("f");
            assert!(json.starts_with("{\"file\":\"f\"") && json.ends_with('}'));
            let templates: Vec<String> = model
                .template_ids
                .iter()
                .map(|t| match &t.extension {
                    Some(x) => format!("{}:{x}", t.root.as_deref().unwrap_or("")),
                    None => t.root.as_deref().unwrap_or("").to_owned(),
                })
                .collect();
            assert_eq!(summary.template_ids, templates);
            check_typed_reading(doc, model);
        }
    }
}

/// A document with some of everything the index records besides elements and attributes
/// (decoded strings, mixed content, an `xsi:type`, a namespace beyond the known ones, a
/// wrapper), whose index a [`flat::Parser`] reuses before parsing the input.
const SEED: &[u8] = br#"<w:wrap xmlns:w="urn:w"><ClinicalDocument xmlns="urn:hl7-org:v3"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:x="urn:x"><title>a &amp; b</title>
 <x:e x:a="1 &lt; 2">t<x:f/>u</x:e><value xsi:type="PQ" value="1"/></ClinicalDocument></w:wrap>"#;

/// The flat parse of `data` into the recycled buffers of another document's index
/// ([`flat::Parser`]) equals its parse into new ones (`fresh`): the same error, or the same
/// elements, one by one, reading as the typed parse's `model` (when it accepts the input).
fn check_reused_buffers(
    data: &[u8],
    fresh: &Result<flat::Document<'_>, segur_cda::ParseError>,
    model: Option<&segur_cda::Document<'_>>,
) {
    let mut parser = flat::Parser::new();
    let seed = parser.parse(SEED).expect("the seed parses");
    parser.recycle(seed);
    let (reused, doc) = match (parser.parse(data), fresh) {
        (Err(a), Err(b)) => return assert_eq!(&a, b, "another error in reused buffers"),
        (Ok(reused), Ok(doc)) => (reused, doc),
        _ => panic!("the flat parse into reused buffers accepts differently"),
    };
    assert_eq!(reused.wrapper(), doc.wrapper());
    assert_eq!(reused.elements().len(), doc.elements().len());
    for (a, b) in reused.elements().zip(doc.elements()) {
        assert_eq!(
            (a.offset(), a.local_name(), a.namespace(), a.xsi_type()),
            (b.offset(), b.local_name(), b.namespace(), b.xsi_type())
        );
        assert_eq!(
            (a.text(), a.inner_xml(), a.string()),
            (b.text(), b.inner_xml(), b.string())
        );
        assert!(
            a.attributes()
                .map(|x| (x.local_name(), x.namespace(), x.value()))
                .eq(b
                    .attributes()
                    .map(|x| (x.local_name(), x.namespace(), x.value()))),
            "the attributes differ in reused buffers"
        );
    }
    if let Some(model) = model {
        check_typed_reading(&reused, model);
    }
}

/// The typed reading of a flat document agrees with the typed parse: the whole model, the
/// header, and every field of the body views (sections, entries, statements, relationships).
fn check_typed_reading(doc: &flat::Document<'_>, model: &segur_cda::Document<'_>) {
    assert!(
        doc.to_model() == *model,
        "the flat document's model differs"
    );
    let mut header = model.clone();
    header.body = None;
    assert!(doc.header() == header, "the flat document's header differs");
    match (doc.body(), &model.body) {
        (Some(flat::Body::Structured(f)), Some(Body::Structured(t))) => {
            same_sections(f.sections(), &t.sections);
            assert!(
                f.all_sections()
                    .map(|s| s.element().to_section())
                    .eq(model.all_sections().into_iter().cloned()),
                "all sections differ"
            );
        }
        (Some(flat::Body::NonXml(f)), Some(Body::NonXml(t))) => assert!(f == *t),
        (None, None) => {}
        _ => panic!("the bodies differ"),
    }
}

fn same_sections<'d>(
    flat: impl Iterator<Item = flat::Section<'d>>,
    typed: &[segur_cda::Section<'_>],
) {
    let flat: Vec<_> = flat.collect();
    assert_eq!(flat.len(), typed.len(), "section count");
    for (f, t) in flat.iter().zip(typed) {
        assert!(f.element().to_section() == *t, "a section differs");
        assert!(f.id_attr() == t.id_attr.as_deref());
        assert!(f.template_ids().eq(t.template_ids.iter().cloned()));
        assert!(f.id() == t.id && f.code() == t.code && f.title() == t.title);
        assert!(f.text() == t.text && f.language_code() == t.language_code);
        assert!(f.confidentiality_code() == t.confidentiality_code);
        assert!(f.participations().eq(t.participations.iter().cloned()));
        let entries: Vec<_> = f.entries().collect();
        assert_eq!(entries.len(), t.entries.len(), "entry count");
        for (fe, te) in entries.iter().zip(&t.entries) {
            assert_eq!(fe.type_code(), te.type_code.as_deref());
            same_statement(fe.statement(), te.statement.as_ref());
        }
        same_sections(f.sections(), &t.sections);
    }
}

fn same_statement(
    flat: Option<flat::Statement<'_>>,
    typed: Option<&segur_cda::ClinicalStatement<'_>>,
) {
    let (Some(f), Some(t)) = (flat, typed) else {
        assert_eq!(flat.is_some(), typed.is_some(), "a statement differs");
        return;
    };
    assert!(f.element().to_statement() == *t, "a statement differs");
    assert!(f.kind() == t.kind && f.class_code() == t.class_code.as_deref());
    assert!(f.mood_code() == t.mood_code.as_deref() && f.id_attr() == t.id_attr.as_deref());
    assert!(f.negation_ind() == t.negation_ind.as_deref());
    assert!(f.template_ids().eq(t.template_ids.iter().cloned()));
    assert!(f.ids().eq(t.ids.iter().cloned()));
    assert!(f.code() == t.code && f.text() == t.text && f.status_code() == t.status_code);
    assert!(f.effective_times().eq(t.effective_times.iter().cloned()));
    assert!(f.values().eq(t.values.iter().cloned()));
    let mut tagged: Vec<_> = f.tagged_codes().collect();
    tagged.sort_by_key(|c| c.tag);
    assert!(tagged == t.tagged_codes);
    assert!(f.participations().eq(t.participations.iter().cloned()));
    let relationships: Vec<_> = f.relationships().collect();
    assert_eq!(
        relationships.len(),
        t.relationships.len(),
        "relationship count"
    );
    for (fr, tr) in relationships.iter().zip(&t.relationships) {
        assert!(fr.element().local_name() == tr.tag);
        assert!(fr.type_code() == tr.type_code.as_deref());
        assert!(fr.inversion_ind() == tr.inversion_ind.as_deref());
        assert!(fr.context_conduction_ind() == tr.context_conduction_ind.as_deref());
        assert!(fr.negation_ind() == tr.negation_ind.as_deref());
        same_statement(fr.statement(), tr.statement.as_ref());
    }
}

/// A document the parser accepts is namespace-well-formed for roxmltree too. Not compared:
/// input that is not UTF-8 or is declared in another encoding (the parser transcodes
/// ISO-8859-1 and windows-1252) and, by design
/// (see the segur-cda README), the parts the parser does not search for characters XML forbids:
/// layout before markup, and in documents with base64 content, the payloads (their decoder
/// refuses any byte outside its alphabet, `]]>` included).
fn assert_well_formed(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // UTF-8 bytes declared as ISO-8859-1 or windows-1252 are other characters for the parser
    let declaration = text
        .strip_prefix("<?xml")
        .and_then(|rest| rest.split_once("?>"));
    if let Some((declaration, _)) = declaration {
        let declaration = declaration.to_ascii_lowercase();
        if declaration.contains("encoding")
            && !["utf-8", "utf8", "ascii"]
                .iter()
                .any(|e| declaration.contains(e))
        {
            return;
        }
    }
    let error = match roxmltree::Document::parse(text) {
        Err(roxmltree::Error::NonXmlChar(..)) => {
            let cleaned = String::from_utf8(without_layout_controls(text.as_bytes()))
                .expect("only ASCII controls are replaced");
            roxmltree::Document::parse(&cleaned).err()
        }
        other => other.err(),
    };
    match error {
        None => {}
        Some(roxmltree::Error::NonXmlChar(..) | roxmltree::Error::InvalidCharacterData(..))
            if text.contains("B64") => {}
        Some(e) => panic!("accepted, but roxmltree finds it malformed: {e}"),
    }
}

/// `data` with the control characters of its layout runs (bytes up to the space between a `>`
/// and a `<`) replaced by spaces.
fn without_layout_controls(data: &[u8]) -> Vec<u8> {
    let mut bytes = data.to_vec();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'>'
            && let Some(n) = bytes[i + 1..].iter().position(|&b| b > b' ')
            && bytes[i + 1 + n] == b'<'
        {
            for b in &mut bytes[i + 1..i + 1 + n] {
                if !matches!(*b, b'\t' | b'\n' | b'\r') {
                    *b = b' ';
                }
            }
            i += 1 + n;
        } else {
            i += 1;
        }
    }
    bytes
}
