//! The flat parse: what it records (names, namespaces, attributes, decoded text, narrative
//! blocks, payload spans) and that it accepts and refuses what the typed parse does. Its
//! agreement with the typed tree on the ANS corpus is checked in `corpus.rs`.

use segur_cda::flat;
use segur_cda::{Limit, Limits, ParseErrorKind};

const HL7: &str = "urn:hl7-org:v3";

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
    let wrapper = doc.wrapper().expect("a wrapper");
    assert_eq!(wrapper.local, "stylesheet");
    assert_eq!(
        wrapper.namespace.as_deref(),
        Some("http://www.w3.org/1999/XSL/Transform")
    );
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

#[test]
fn names_longer_than_16_bits_are_refused_by_both_parses() {
    let long = "n".repeat(70_000);
    for doc in [
        format!("<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><{long}/></ClinicalDocument>"),
        format!("<ClinicalDocument xmlns=\"urn:hl7-org:v3\" {long}=\"1\"/>"),
    ] {
        let typed = segur_cda::parse(doc.as_bytes()).unwrap_err();
        let flat = flat::parse(doc.as_bytes()).unwrap_err();
        assert_eq!(
            typed.kind,
            ParseErrorKind::Malformed("name longer than 65535 bytes")
        );
        assert_eq!((flat.kind, flat.offset), (typed.kind, typed.offset));
    }
    let longest = "n".repeat(65_535);
    let doc = format!("<ClinicalDocument xmlns=\"urn:hl7-org:v3\" {longest}=\"1\"/>");
    let parsed = flat::parse(doc.as_bytes()).unwrap();
    let attribute = parsed.root().attributes().next().unwrap();
    assert_eq!(attribute.local_name().len(), 65_535);
}

#[test]
fn any_base64_value_stays_a_span_as_in_the_typed_parse() {
    // an observationMedia value: base64 with CRLF line ends, and a control character the
    // typed parse leaves to the decoder
    let doc = "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><component><structuredBody><component>\
        <section><entry><observationMedia><value mediaType=\"image/png\" representation=\"B64\">\
        iVBO\r\nRw0K\x01</value></observationMedia></entry></section></component>\
        </structuredBody></component></ClinicalDocument>";
    assert!(segur_cda::parse(doc.as_bytes()).is_ok());
    let parsed = flat::parse(doc.as_bytes()).unwrap();
    let value = parsed.elements().find(|e| e.is("value")).unwrap();
    let text = value.text().unwrap();
    assert_eq!(text, "iVBO\r\nRw0K\x01");
    assert!(std::ptr::eq(
        text.as_ptr(),
        doc[doc.find("iVBO").unwrap()..].as_ptr()
    ));
    // without `representation="B64"`, text is decoded and searched
    let plain = doc.replace(" representation=\"B64\"", "");
    assert!(segur_cda::parse(plain.as_bytes()).is_err());
    assert!(flat::parse(plain.as_bytes()).is_err());
}

/// The text of an element marked `representation="B64"` is base64 wherever it is, in both
/// parses: kept as written (CRLF line ends included) and left to the decoder, also where the
/// model reads it as plain text (a `title`, a name part) or drops it (on the
/// `ClinicalDocument` itself). The flat parse once kept it as written where the typed parse
/// normalised its line ends, and accepted control characters there that the typed parse
/// refused.
#[test]
fn text_marked_base64_reads_the_same_everywhere() {
    let doc = "<ClinicalDocument xmlns=\"urn:hl7-org:v3\" representation=\"B64\">x\x01\
        <title representation=\"B64\">a\r\nb</title>\
        <recordTarget><patientRole><patient><name><given representation=\"B64\">A\r\nB</given>\
        </name></patient></patientRole></recordTarget>\
        <component><structuredBody><component><section>\
        <title representation=\"B64\">c\r<!-- split -->\r\nd</title></section></component>\
        </structuredBody></component></ClinicalDocument>";
    let typed = segur_cda::parse(doc.as_bytes()).unwrap();
    assert_eq!(typed.title.as_deref(), Some("a\r\nb"));
    assert_eq!(typed.sections()[0].title.as_deref(), Some("c\r\r\nd"));
    let parsed = flat::parse(doc.as_bytes()).unwrap();
    assert_eq!(parsed.to_model(), typed);
    assert_eq!(parsed.header().title, typed.title);
    let Some(flat::Body::Structured(body)) = parsed.body() else {
        panic!("a structured body")
    };
    assert_eq!(
        body.sections().next().unwrap().title().as_deref(),
        Some("c\r\r\nd")
    );
    // unmarked, the same text has its line ends normalised, and a control character is refused
    let plain = doc.replace(" representation=\"B64\"", "");
    assert!(segur_cda::parse(plain.as_bytes()).is_err());
    assert!(flat::parse(plain.as_bytes()).is_err());
    let plain = plain.replace("x\x01", "x");
    let typed = segur_cda::parse(plain.as_bytes()).unwrap();
    assert_eq!(typed.title.as_deref(), Some("a\nb"));
    assert_eq!(flat::parse(plain.as_bytes()).unwrap().to_model(), typed);
}

/// The typed model of a flat document is the typed parse's, built by the same functions: the
/// header, the whole document, and the views of the body.
#[test]
fn typed_reading_agrees_with_the_typed_parse() {
    let xml = r#"<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:v3="urn:hl7-org:v3">
  <templateId root="1.2.250.1.213.1.1.1.1"/>
  <id root="1.2.3" extension="a&amp;b"/>
  <title>Compte rendu</title>
  <recordTarget><patientRole><id root="1.2.250.1.213.1.4.8" extension="279035121518989"/>
    <patient><name><family qualifier="BR">DUPONT</family><given>Jean</given></name></patient>
  </patientRole></recordTarget>
  <component><structuredBody><component><section ID="s1">
    <code code="29545-1" codeSystem="2.16.840.1.113883.6.1"/>
    <title>Examen</title>
    <text>Tension <content>normale</content>.</text>
    <entry typeCode="DRIV"><observation classCode="OBS" moodCode="EVN">
      <templateId root="1.3.6.1.4.1.19376.1.5.3.1.4.13"/>
      <code code="8480-6"/>
      <statusCode code="completed"/>
      <effectiveTime value="20260101"/>
      <value xsi:type="v3:PQ" value="12" unit="cm[Hg]"/>
      <methodCode code="m"/>
      <author><time value="2026"/><assignedAuthor><id root="1.2.250.1.71.4.2.1" extension="810001"/></assignedAuthor></author>
      <entryRelationship typeCode="COMP"><act classCode="ACT" moodCode="EVN"><code code="x"/></act></entryRelationship>
    </observation></entry>
    <component><section><title>Sous-section</title></section></component>
  </section></component></structuredBody></component>
</ClinicalDocument>"#;
    let typed = segur_cda::parse(xml.as_bytes()).unwrap();
    let doc = flat::parse(xml.as_bytes()).unwrap();
    assert_eq!(doc.to_model(), typed);
    let header = doc.header();
    assert!(header.body.is_none());
    assert_eq!(
        header.id.as_ref().unwrap().extension.as_deref(),
        Some("a&b")
    );
    assert_eq!(header.record_targets, typed.record_targets);
    let Some(flat::Body::Structured(body)) = doc.body() else {
        panic!("an N3 body")
    };
    let sections: Vec<_> = body.sections().collect();
    assert_eq!(sections.len(), 1);
    let s = sections[0];
    assert_eq!(s.id_attr(), Some("s1"));
    assert_eq!(s.code().unwrap().code.as_deref(), Some("29545-1"));
    assert_eq!(s.title().as_deref(), Some("Examen"));
    assert_eq!(s.text().unwrap().raw, "Tension <content>normale</content>.");
    assert_eq!(
        s.sections().next().unwrap().title().as_deref(),
        Some("Sous-section")
    );
    let all: Vec<_> = body.all_sections().map(|s| s.title()).collect();
    assert_eq!(all.len(), typed.all_sections().len());
    assert_eq!(all[1].as_deref(), Some("Sous-section"));
    assert_eq!(
        body.find_section_by_code("29545-1").unwrap().id_attr(),
        Some("s1")
    );
    assert!(body.find_section_by_template("1.2.3").is_none());
    let entry = s.entries().next().unwrap();
    assert_eq!(entry.type_code(), Some("DRIV"));
    let obs = entry.statement().unwrap();
    assert_eq!(obs.kind(), segur_cda::StatementKind::Observation);
    assert!(obs.has_template("1.3.6.1.4.1.19376.1.5.3.1.4.13"));
    assert_eq!(
        obs.status_code().unwrap().code.as_deref(),
        Some("completed")
    );
    // the value's type is resolved where it is written (`v3:` is bound to HL7)
    let segur_cda::AnyValue::Scalar(v) = obs.values().next().unwrap() else {
        panic!("a typed value")
    };
    assert_eq!(
        (v.value.as_deref(), v.unit.as_deref()),
        (Some("12"), Some("cm[Hg]"))
    );
    assert_eq!(obs.tagged_codes().count(), 1);
    let author = obs.participations().next().unwrap();
    assert_eq!(author.tag, "author");
    let rel = obs.relationships().next().unwrap();
    assert_eq!(rel.type_code(), Some("COMP"));
    assert_eq!(
        rel.statement().unwrap().kind(),
        segur_cda::StatementKind::Act
    );
    let typed_obs = typed.sections()[0].entries[0].statement.as_ref().unwrap();
    assert_eq!(&obs.element().to_statement(), typed_obs);
    assert_eq!(s.element().to_section(), typed.sections()[0]);
}

/// The views read an element as a field only in its slot of the typed model (its name, its
/// namespace and its parent's slot), as the typed parse does: look-alikes elsewhere are
/// extensions.
#[test]
fn views_read_only_the_elements_in_their_slots() {
    let xml = r#"<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:x="urn:x">
  <code code="header"/>
  <x:component><structuredBody><component><section><title>not a body</title></section></component></structuredBody></x:component>
  <component><structuredBody>
    <x:component><section><title>foreign component</title></section></x:component>
    <section><title>no component</title></section>
    <component><section>
      <x:code code="foreign"/><code code="first"/><code code="last"/>
      <entry><x:observation classCode="OBS"/><act classCode="ACT"><x:statusCode code="foreign"/>
        <statusCode code="s"/><x:value/><entryRelationship><observation classCode="REL"/></entryRelationship>
        <x:entryRelationship><observation classCode="FOREIGN"/></x:entryRelationship></act>
        <observation classCode="SECOND"><code code="second"/></observation></entry>
      <x:entry><act classCode="FOREIGN"/></x:entry>
      <component><x:section><title>foreign section</title></x:section></component>
      <component><section><title>nested</title><text>a <b>narrative</b></text></section></component>
      <subject><x:text>not a narrative</x:text></subject>
    </section></component>
  </structuredBody></component>
</ClinicalDocument>"#;
    let typed = segur_cda::parse(xml.as_bytes()).unwrap();
    let doc = flat::parse(xml.as_bytes()).unwrap();
    assert_eq!(doc.to_model(), typed);
    let Some(flat::Body::Structured(body)) = doc.body() else {
        panic!("an N3 body")
    };
    let titles: Vec<_> = body
        .all_sections()
        .map(|s| s.title().unwrap_or_default().into_owned())
        .collect();
    assert_eq!(titles, ["", "nested"]);
    assert_eq!(titles.len(), typed.all_sections().len());
    let section = body.sections().next().unwrap();
    assert_eq!(section.code().unwrap().code.as_deref(), Some("last"));
    assert_eq!(section.element().to_section(), typed.sections()[0]);
    let entries: Vec<_> = section.entries().collect();
    assert_eq!(entries.len(), 1);
    let act = entries[0].statement().unwrap();
    assert_eq!(act.class_code(), Some("ACT"));
    assert_eq!(act.status_code().unwrap().code.as_deref(), Some("s"));
    assert_eq!(act.values().count(), 0);
    let related: Vec<_> = act
        .relationships()
        .map(|r| r.statement().unwrap().class_code())
        .collect();
    assert_eq!(related, [Some("REL")]);
    let nested = section.sections().next().unwrap();
    assert_eq!(nested.text().unwrap().raw, "a <b>narrative</b>");
    assert!(section.text().is_none());
}

/// Text mixed with child elements keeps its place, in generic elements, names and `string()`,
/// as in the typed parse; a `text` is a narrative block only in a section the typed parse reads
/// as one.
#[test]
fn mixed_content_keeps_its_order() {
    let xml = "<ClinicalDocument xmlns=\"urn:hl7-org:v3\" xmlns:x=\"urn:x\">\
        <title>a<sub>b</sub>c<!-- c --> d<sub>e</sub></title>\
        <x:ext>one <x:b>two</x:b> three<![CDATA[ ]]>four <x:b/> </x:ext>\
        <recordTarget><patientRole><patient>\
        <name>Dr <given>Jean</given> <family>DUPONT</family> fils</name>\
        </patient></patientRole></recordTarget>\
        <x:ext><section><text>not <b>narrative</b></text></section></x:ext>\
        </ClinicalDocument>";
    let typed = segur_cda::parse(xml.as_bytes()).unwrap();
    let doc = flat::parse(xml.as_bytes()).unwrap();
    assert_eq!(doc.to_model(), typed);
    let root = doc.root();
    assert_eq!(root.child("title").unwrap().string(), "abc de");
    assert_eq!(typed.title.as_deref(), Some("abc de"));
    // the direct text, concatenated
    assert_eq!(root.child("title").unwrap().text(), Some("ac d"));
    let ext = root.children().find(|c| c.local_name() == "ext").unwrap();
    let generic = ext.to_element();
    assert_eq!(generic, typed.extensions[0]);
    let texts: Vec<_> = generic
        .children
        .iter()
        .map(|n| match n {
            segur_cda::Node::Text(t) => format!("text {t:?}"),
            segur_cda::Node::Element(e) => format!("element {}", e.name.local),
        })
        .collect();
    // a blank CDATA section between two pieces stays in the text; blank text is dropped
    assert_eq!(
        texts,
        [
            "text \"one \"",
            "element b",
            "text \" three four \"",
            "element b"
        ]
    );
    let name = root.descendants().find(|e| e.is("name")).unwrap().to_name();
    let parts: Vec<_> = name.parts.iter().map(|p| &*p.value).collect();
    assert_eq!(parts, ["Dr", "Jean", "DUPONT", "fils"]);
    // a section inside an extension is generic: its text is markup, not a narrative block
    let text = root.descendants().find(|e| e.is("text")).unwrap();
    assert_eq!(text.inner_xml(), None);
    assert_eq!(text.string(), "not narrative");
}

/// The prefix of an `xsi:type` value must be bound, wherever the type is written: both parses
/// refuse it.
#[test]
fn an_unbound_type_prefix_is_refused() {
    let xml = b"<ClinicalDocument xmlns=\"urn:hl7-org:v3\" \
        xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
        <id xsi:type=\"nowhere:II\" root=\"1\"/></ClinicalDocument>";
    let typed = segur_cda::parse(xml).unwrap_err();
    assert!(
        matches!(typed.kind, ParseErrorKind::UnboundPrefix { .. }),
        "{typed}"
    );
    let flat = flat::parse(xml).unwrap_err();
    assert_eq!(flat.kind, typed.kind);
}

/// A namespace declaration for a prefix named `type` is no `xsi:type` (found by
/// `fuzz_cda_parse`: the typed parse looked the prefix `xmlns` up, and refused the document).
#[test]
fn a_prefix_named_type_is_no_type() {
    let xml = b"<ClinicalDocument xmlns=\"urn:hl7-org:v3\">\
        <x xmlns:type=\"urn:x\" a=\"1\"/><effectiveTime xmlns:type=\"urn:x\" value=\"2026\"/>\
        </ClinicalDocument>";
    let typed = segur_cda::parse(xml).unwrap();
    assert_eq!(typed.extensions[0].xsi_type, None);
    assert_eq!(typed.effective_time.as_ref().unwrap().xsi_type, None);
    assert_eq!(flat::parse(xml).unwrap().to_model(), typed);
}

/// A [`flat::Parser`] writes each document's index into the buffers of the last one recycled:
/// parsing the same document again holds the same memory (nothing is left over from the last
/// parse), a small document parsed after a large one keeps the large one's buffers, and an
/// error leaves the parser usable.
#[test]
fn a_parser_reuses_the_buffers_it_is_given_back() {
    let mut large = String::from(
        r#"<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:x="urn:x" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
    );
    for i in 0..2000 {
        large.push_str(&format!(
            r#"<x:e a="{i} &amp;">t &lt;{i}<x:f/>u</x:e><value xsi:type="PQ" value="{i}"/>"#
        ));
    }
    large.push_str("</ClinicalDocument>");
    let small = br#"<ClinicalDocument xmlns="urn:hl7-org:v3"><title>T</title></ClinicalDocument>"#;
    let mut parser = flat::Parser::with_limits(Limits::new().max_elements(100_000));
    let mut held = Vec::new();
    for _ in 0..5 {
        let doc = parser.parse(large.as_bytes()).unwrap();
        assert_eq!(doc.elements().len(), 1 + 2000 * 3);
        held.push(doc.index_bytes());
        parser.recycle(doc);
    }
    assert!(
        held[1..].iter().all(|&h| h == held[1]),
        "a reparse holds more than the last: {held:?}"
    );
    let fresh = flat::parse(small).unwrap();
    let reused = parser.parse(small).unwrap();
    assert_eq!(reused.header(), fresh.header());
    assert!(reused.index_bytes() >= held[1] / 2);
    assert!(fresh.index_bytes() < 1000);
    parser.recycle(reused);
    assert!(
        parser
            .parse(b"<ClinicalDocument xmlns='urn:hl7-org:v3'>")
            .is_err()
    );
    assert_eq!(parser.parse(small).unwrap().header(), fresh.header());
}

#[test]
fn elements_kept_whole_in_the_typed_header_hold_no_spare_room() {
    let doc = br#"<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
      <recordTarget><patientRole><patient>
        <guardian classCode="GUARD" xsi:type="Guardian"><addr><city>Paris</city></addr>
          <guardianPerson><name><family>A</family></name></guardianPerson></guardian>
      </patient></patientRole></recordTarget></ClinicalDocument>"#;
    let parsed = flat::parse(doc).unwrap();
    let header = parsed.header();
    let patient = header.record_targets[0]
        .role
        .as_ref()
        .and_then(|r| r.patient.as_ref())
        .unwrap();
    assert_eq!(
        patient.extensions,
        segur_cda::parse(doc).unwrap().record_targets[0]
            .role
            .as_ref()
            .and_then(|r| r.patient.as_ref())
            .unwrap()
            .extensions
    );
    // every element of the kept subtree, its lists exactly as long as their content
    let mut todo: Vec<&segur_cda::Element<'_>> = patient.extensions.iter().collect();
    let mut seen = 0;
    while let Some(e) = todo.pop() {
        seen += 1;
        assert_eq!(e.children.capacity(), e.children.len(), "{:?}", e.name);
        assert_eq!(e.attributes.capacity(), e.attributes.len(), "{:?}", e.name);
        todo.extend(e.children.iter().filter_map(|n| match n {
            segur_cda::Node::Element(c) => Some(c),
            _ => None,
        }));
    }
    assert_eq!(seen, 6);
}
