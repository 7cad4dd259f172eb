//! The flat parse: what it records (names, namespaces, attributes, decoded text, narrative
//! blocks, payload spans), that it accepts and refuses what the typed parse does, and that it
//! agrees with the typed tree on every document of the ANS corpus.

use std::path::PathBuf;

use segur_cda::flat::{self, Element};
use segur_cda::{Body, Limit, Limits, ParseErrorKind, Section};

const HL7: &str = "urn:hl7-org:v3";

fn corpus_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/cda/examples/TestContenuCDA-3-0"
    ));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the CDA corpus must be at {}: {e}", dir.display()))
        .map(|e| e.expect("readable directory").path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    assert!(files.len() >= 90, "found {} examples", files.len());
    files
}

#[test]
fn records_names_namespaces_attributes_and_text() {
    let xml = "<?xml version=\"1.0\"?>\n<!-- c -->\n<hl7:ClinicalDocument xmlns:hl7=\"urn:hl7-org:v3\" \
        xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:sdtc=\"urn:hl7-org:sdtc\">\n  \
        <hl7:title>A &amp; B<!-- split -->, C<![CDATA[ <D> ]]></hl7:title>\n  \
        <hl7:code code=\"11488-4\" displayName=\"Note &lt;1&gt;\" xml:lang=\"fr\"/>\n  \
        <sdtc:raceCode code=\"x\"/>\n  \
        <hl7:value xsi:type=\"PQ\" value=\"1\"/>\n  \
        <hl7:languageCode\r\n code=\"fr-FR\">  </hl7:languageCode>\n\
        </hl7:ClinicalDocument>\n";
    let doc = flat::parse(xml.as_bytes()).unwrap();
    let root = doc.root();
    assert_eq!(root.local_name(), "ClinicalDocument");
    assert_eq!(root.namespace(), Some(HL7));
    assert_eq!(doc.wrapper(), None);
    assert_eq!(&doc.source()[root.offset()..root.offset() + 5], "<hl7:");
    // text split by a comment and a CDATA section, references decoded
    let title = root.child("title").unwrap();
    assert_eq!(title.text(), Some("A & B, C <D> "));
    assert_eq!(title.string(), "A & B, C <D> ");
    let code = root.child("code").unwrap();
    assert_eq!(code.attribute("code"), Some("11488-4"));
    assert_eq!(code.attribute("displayName"), Some("Note <1>"));
    assert_eq!(
        code.attribute_ns(Some("http://www.w3.org/XML/1998/namespace"), "lang"),
        Some("fr")
    );
    assert_eq!(code.attribute("lang"), None);
    // namespace declarations are not attributes
    assert_eq!(root.attributes().len(), 0);
    let race = root
        .children()
        .find(|c| c.local_name() == "raceCode")
        .unwrap();
    assert_eq!(race.namespace(), Some("urn:hl7-org:sdtc"));
    assert!(!race.is_hl7());
    assert_eq!(root.child("raceCode"), None);
    let value = root.child("value").unwrap();
    assert_eq!(
        value.attribute_ns(Some("http://www.w3.org/2001/XMLSchema-instance"), "type"),
        Some("PQ")
    );
    // layout is not text
    assert_eq!(root.child("languageCode").unwrap().text(), None);
    assert_eq!(root.text(), None);
    assert_eq!(root.children().count(), 5);
    assert_eq!(root.descendants().len(), 6);
    assert_eq!(code.parent(), Some(root));
    assert_eq!(root.parent(), None);
}

#[test]
fn keeps_narratives_as_written_and_payloads_as_spans() {
    let xml = "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><component><structuredBody><component>\
        <section><code code=\"X\"/><text><table><tr><td>a &amp; b</td></tr></table></text>\
        <entry><observation><text><reference value=\"#1\"/></text></observation></entry>\
        </section></component></structuredBody></component></ClinicalDocument>";
    let doc = flat::parse(xml.as_bytes()).unwrap();
    let section = doc.elements().find(|e| e.is("section")).unwrap();
    let narrative = section.child("text").unwrap();
    assert_eq!(
        narrative.inner_xml(),
        Some("<table><tr><td>a &amp; b</td></tr></table>")
    );
    assert_eq!(narrative.text(), None);
    assert_eq!(narrative.children().count(), 0);
    // an entry's text is not a narrative block
    let reference = doc.elements().find(|e| e.is("reference")).unwrap();
    assert_eq!(reference.attribute("value"), Some("#1"));
    assert_eq!(reference.parent().unwrap().inner_xml(), None);

    let payload = "JVBERi0xLjQK\r\nJSVFT0YK\r\n";
    let n1 = format!(
        "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><component><nonXMLBody>\
         <text mediaType=\"application/pdf\" representation=\"B64\">{payload}</text>\
         </nonXMLBody></component></ClinicalDocument>"
    );
    let doc = flat::parse(n1.as_bytes()).unwrap();
    let text = doc.elements().find(|e| e.is("text")).unwrap();
    let got = text.text().unwrap();
    // the payload, line ends included, is a span of the input: never copied
    assert_eq!(got, payload);
    assert!(std::ptr::eq(
        got.as_ptr(),
        n1[n1.find("JVBER").unwrap()..].as_ptr()
    ));
}

#[test]
fn reads_wrapped_and_transcoded_documents() {
    let wrapped = "<xsl:stylesheet xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\" version=\"1.0\">\
        <xsl:template match=\"/\"/><ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>T</title>\
        </ClinicalDocument><xsl:template match=\"x\"/></xsl:stylesheet>";
    let doc = flat::parse(wrapped.as_bytes()).unwrap();
    assert_eq!(doc.wrapper(), Some("stylesheet"));
    assert_eq!(doc.root().child("title").and_then(|t| t.text()), Some("T"));
    assert_eq!(doc.elements().len(), 2);

    let mut latin1 =
        b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>"
            .to_vec();
    latin1.extend_from_slice(b"Synth\xe8se</title></ClinicalDocument>");
    let doc = flat::parse(&latin1).unwrap().into_owned();
    assert_eq!(
        doc.root().child("title").and_then(|t| t.text()),
        Some("Synthèse")
    );
}

#[test]
fn refuses_what_the_typed_parse_refuses() {
    let cases: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"<ClinicalDocument xmlns=\"urn:hl7-org:v3\">".to_vec(),
        b"<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><a></b></ClinicalDocument>".to_vec(),
        b"<root/>".to_vec(),
        b"<!DOCTYPE x [<!ENTITY a \"b\">]><ClinicalDocument/>".to_vec(),
        b"<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><p:x/></ClinicalDocument>".to_vec(),
        b"<ClinicalDocument xmlns=\"urn:hl7-org:v3\" a=\"&undefined;\"/>".to_vec(),
        b"<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>\xff</title></ClinicalDocument>"
            .to_vec(),
        b"<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>a\x01</title></ClinicalDocument>"
            .to_vec(),
        b"<ClinicalDocument xmlns=\"urn:hl7-org:v3\"/>trailing".to_vec(),
    ];
    for case in &cases {
        let typed = segur_cda::parse(case).unwrap_err();
        let flat = flat::parse(case).unwrap_err();
        assert_eq!(flat.kind, typed.kind, "{}", String::from_utf8_lossy(case));
        assert_eq!(flat.offset, typed.offset);
        assert_eq!(flat.path, typed.path);
    }
    // limits apply as they do to the typed parse
    let deep = format!(
        "<ClinicalDocument xmlns=\"urn:hl7-org:v3\">{}{}</ClinicalDocument>",
        "<a>".repeat(300),
        "</a>".repeat(300)
    );
    let err = flat::parse(deep.as_bytes()).unwrap_err();
    assert!(matches!(
        err.kind,
        ParseErrorKind::LimitExceeded {
            limit: Limit::Depth,
            ..
        }
    ));
    let many = format!(
        "<ClinicalDocument xmlns=\"urn:hl7-org:v3\">{}</ClinicalDocument>",
        "<a/>".repeat(100)
    );
    let err = flat::parse_with(many.as_bytes(), &Limits::new().max_elements(50)).unwrap_err();
    assert!(matches!(
        err.kind,
        ParseErrorKind::LimitExceeded {
            limit: Limit::Elements,
            ..
        }
    ));
}

#[test]
fn distinct_namespace_names_are_bounded() {
    let doc = |count: usize| {
        let mut s = String::from("<ClinicalDocument xmlns=\"urn:hl7-org:v3\">");
        for i in 0..count {
            s.push_str(&format!("<x:e xmlns:x=\"urn:n{i}\"/>"));
        }
        s.push_str("</ClinicalDocument>");
        s
    };
    // 4 known names (none, HL7, xml, xsi) and 252 others fit in the index
    let source = doc(252);
    let fits = flat::parse(source.as_bytes()).unwrap();
    let names: std::collections::HashSet<_> =
        fits.elements().filter_map(|e| e.namespace()).collect();
    assert_eq!(names.len(), 253);
    let err = flat::parse(doc(253).as_bytes()).unwrap_err();
    assert!(matches!(
        err.kind,
        ParseErrorKind::LimitExceeded {
            limit: Limit::Namespaces,
            max: 255
        }
    ));
    // the typed parse has no such bound
    assert!(segur_cda::parse(doc(253).as_bytes()).is_ok());
}

fn ids(e: Element<'_>, name: &str) -> Vec<(Option<String>, Option<String>)> {
    e.children_named(name)
        .map(|id| {
            (
                id.attribute("root").map(str::to_owned),
                id.attribute("extension").map(str::to_owned),
            )
        })
        .collect()
}

fn typed_ids(ids: &[segur_cda::Ii<'_>]) -> Vec<(Option<String>, Option<String>)> {
    ids.iter()
        .map(|i| {
            (
                i.root.as_deref().map(str::to_owned),
                i.extension.as_deref().map(str::to_owned),
            )
        })
        .collect()
}

/// The flat sections of `parent` (a `structuredBody` or a `section`).
fn flat_sections<'d>(parent: Element<'d>) -> Vec<Element<'d>> {
    parent
        .children_named("component")
        .filter_map(|c| c.child("section"))
        .collect()
}

/// Sections agree, recursively: templateIds, code, title, narrative, entry count.
fn same_sections(name: &str, flat: &[Element<'_>], typed: &[Section<'_>]) {
    assert_eq!(flat.len(), typed.len(), "{name}: section count");
    for (f, t) in flat.iter().zip(typed) {
        assert_eq!(ids(*f, "templateId"), typed_ids(&t.template_ids), "{name}");
        assert_eq!(
            f.child("code").and_then(|c| c.attribute("code")),
            t.code.as_ref().and_then(|c| c.code.as_deref()),
            "{name}"
        );
        assert_eq!(
            f.child("title").map(|x| x.string().into_owned()),
            t.title.as_deref().map(str::to_owned),
            "{name}"
        );
        assert_eq!(
            f.child("text").and_then(|x| x.inner_xml()),
            t.text.as_ref().map(|n| &*n.raw),
            "{name}"
        );
        assert_eq!(f.children_named("entry").count(), t.entries.len(), "{name}");
        same_sections(name, &flat_sections(*f), &t.sections);
    }
}

#[test]
fn agrees_with_the_typed_tree_on_the_corpus() {
    let (mut elements, mut input, mut held) = (0, 0, 0);
    for path in corpus_files() {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.display().to_string();
        let typed = segur_cda::parse(&bytes).unwrap();
        let doc = flat::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let root = doc.root();
        assert_eq!(
            ids(root, "templateId"),
            typed_ids(&typed.template_ids),
            "{name}"
        );
        assert_eq!(ids(root, "id"), typed_ids(typed.id.as_slice()), "{name}");
        let patient_ids: Vec<_> = root
            .children_named("recordTarget")
            .flat_map(|r| r.children_named("patientRole"))
            .flat_map(|p| ids(p, "id"))
            .collect();
        let typed_patient: Vec<_> = typed.patient_ids().cloned().collect();
        assert_eq!(patient_ids, typed_ids(&typed_patient), "{name}");
        let body = root.child("component").and_then(|c| c.children().next());
        match &typed.body {
            Some(Body::Structured(typed_body)) => {
                let b = body.filter(|b| b.is("structuredBody")).expect("N3");
                same_sections(&name, &flat_sections(b), &typed_body.sections);
            }
            Some(Body::NonXml(n)) => {
                let text = body
                    .filter(|b| b.is("nonXMLBody"))
                    .and_then(|b| b.child("text"))
                    .expect("N1");
                assert_eq!(text.text().unwrap_or(""), &*n.text.content, "{name}");
            }
            None => assert!(body.is_none(), "{name}"),
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
