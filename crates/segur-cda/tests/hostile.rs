//! Hostile and malformed input: typed errors with a location, never a panic, a hang or
//! unbounded memory.

use segur_cda::{Limit, Limits, ParseErrorKind, parse, parse_with};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(format!("{DATA}/{rel}")).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn kind(input: &[u8]) -> ParseErrorKind {
    parse(input).expect_err("must be rejected").kind
}

#[test]
fn billion_laughs_is_rejected_as_a_dtd() {
    let err = parse(&read("hostile/billion-laughs.xml")).unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::Dtd);
    assert_eq!((err.line, err.column), (2, 1));
}

#[test]
fn entities_are_never_expanded() {
    let err = parse(&read("hostile/undeclared-entity.xml")).unwrap_err();
    assert_eq!(
        err.kind,
        ParseErrorKind::UnknownEntity { name: "xxe".into() }
    );
    assert_eq!(err.path, "/ClinicalDocument/title");
    // an external entity declaration is a DTD too
    let xxe = br#"<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>"#;
    assert_eq!(kind(xxe), ParseErrorKind::Dtd);
}

#[test]
fn deep_nesting_hits_the_depth_limit_without_overflowing_the_stack() {
    let depth = 100_000;
    let mut doc =
        String::from(r#"<ClinicalDocument xmlns="urn:hl7-org:v3"><component><structuredBody>"#);
    for _ in 0..depth {
        doc.push_str("<component><section>");
    }
    let err = parse(doc.as_bytes()).unwrap_err();
    assert_eq!(
        err.kind,
        ParseErrorKind::LimitExceeded {
            limit: Limit::Depth,
            max: 256
        }
    );
    assert!(
        err.path
            .starts_with("/ClinicalDocument/component/structuredBody/component/section")
    );
    // a huge configured limit is capped, so the typed parser's recursion stays bounded
    let err = parse_with(doc.as_bytes(), &Limits::new().max_depth(usize::MAX)).unwrap_err();
    assert_eq!(
        err.kind,
        ParseErrorKind::LimitExceeded {
            limit: Limit::Depth,
            max: segur_cda::MAX_DEPTH_CAP
        }
    );
}

#[test]
fn nesting_up_to_the_cap_parses_on_a_default_thread() {
    // nested sections and entry relationships make the typed parser recurse: up to the cap
    // this must fit the 2 MiB stack of a test thread, even in debug builds
    let levels = (segur_cda::MAX_DEPTH_CAP - 8) / 2;
    let mut doc =
        String::from(r#"<ClinicalDocument xmlns="urn:hl7-org:v3"><component><structuredBody>"#);
    doc.push_str(&"<component><section>".repeat(levels));
    doc.push_str(&"</section></component>".repeat(levels));
    doc.push_str("</structuredBody></component></ClinicalDocument>");
    let parsed = parse(doc.as_bytes()).unwrap();
    assert_eq!(parsed.all_sections().len(), levels);
    // the same functions read the flat index, through another cursor
    assert!(segur_cda::flat::parse(doc.as_bytes()).unwrap().to_model() == parsed);

    let mut doc = String::from(
        r#"<ClinicalDocument xmlns="urn:hl7-org:v3"><component><structuredBody><component><section><entry>"#,
    );
    doc.push_str("<act>");
    doc.push_str(&"<entryRelationship><act>".repeat(levels - 4));
    doc.push_str(&"</act></entryRelationship>".repeat(levels - 4));
    doc.push_str(
        "</act></entry></section></component></structuredBody></component></ClinicalDocument>",
    );
    let parsed = parse(doc.as_bytes()).unwrap();
    assert_eq!(parsed.sections()[0].statements().len(), levels - 3);
    assert!(segur_cda::flat::parse(doc.as_bytes()).unwrap().to_model() == parsed);

    // deep nesting inside an unknown element is captured generically, without recursion
    let mut ext = String::from(r#"<ClinicalDocument xmlns="urn:hl7-org:v3">"#);
    ext.push_str(&"<x:e xmlns:x='urn:x'>".repeat(250));
    ext.push_str(&"</x:e>".repeat(250));
    ext.push_str("</ClinicalDocument>");
    let doc = parse(ext.as_bytes()).unwrap();
    assert_eq!(doc.extensions.len(), 1);
    assert!(segur_cda::flat::parse(ext.as_bytes()).unwrap().to_model() == doc);
}

/// Extensions and a statement's tagged codes are kept in the order the writer puts them back
/// in; a document alternating children of different ranks once made placing each one as it
/// came quadratic (seconds for 1 MB, hours for the 512 MB input limit). They are now sorted
/// once per element, so this parses in milliseconds even in a debug build.
#[test]
fn children_alternating_in_rank_are_ordered_in_linear_time() {
    let pairs = 50_000;
    let body = "<x:a/><zzz/><targetSiteCode code='t'/><priorityCode code='p'/>".repeat(pairs);
    let doc = format!(
        r#"<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:x="urn:x"><component><structuredBody>
        <component><section><entry><observation>{body}</observation></entry></section>
        </component></structuredBody></component></ClinicalDocument>"#
    );
    let parsed = parse(doc.as_bytes()).unwrap();
    let st = parsed.sections()[0].entries[0].statement.as_ref().unwrap();
    assert_eq!(st.extensions.len(), 2 * pairs);
    // `x:a` (ranked with statusCode) before the unknown HL7 `zzz` (ranked last)
    assert!(st.extensions[..pairs].iter().all(|e| e.name.local == "a"));
    assert!(st.extensions[pairs..].iter().all(|e| e.name.local == "zzz"));
    assert_eq!(st.tagged_codes.len(), 2 * pairs);
    assert!(
        st.tagged_codes[..pairs]
            .iter()
            .all(|t| t.tag == segur_cda::CodeTag::Priority)
    );
}

/// A document may hold as many namespace bindings in scope as its depth and attribute limits
/// allow (16,128 by default). Prefixes were once resolved by a search through them, for every
/// prefixed name: this document took 3.3 s to parse in a release build, and a 512 MB one
/// would have taken hours. Prefixes now resolve in constant time, in both parses.
#[test]
fn prefixes_resolve_in_constant_time_however_many_bindings_are_in_scope() {
    let (levels, per_level, uses) = (250, 63, 40_000);
    let mut doc = String::from(r#"<ClinicalDocument xmlns="urn:hl7-org:v3">"#);
    for d in 0..levels {
        doc.push_str("<x");
        for j in 0..per_level {
            doc.push_str(&format!(r#" xmlns:p{d:03}_{j:02}="urn:u:{d}""#));
        }
        doc.push('>');
    }
    // the outermost binding: the last a search from the innermost would reach
    doc.push_str(&"<p000_00:e/>".repeat(uses));
    doc.push_str(&"</x>".repeat(levels));
    doc.push_str("</ClinicalDocument>");
    let parsed = parse(doc.as_bytes()).unwrap();
    let e = &parsed.extensions[0];
    assert_eq!(e.name.local, "x");
    let flat = segur_cda::flat::parse(doc.as_bytes()).unwrap();
    let last = flat.elements().last().unwrap();
    assert_eq!(last.local_name(), "e");
    assert_eq!(last.namespace(), Some("urn:u:0"));
    // a prefix hidden by an inner binding comes back when that binding goes out of scope
    let doc = r#"<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:a="urn:outer">
        <x xmlns:a="urn:inner"><a:in/></x><a:out/></ClinicalDocument>"#;
    let flat = segur_cda::flat::parse(doc.as_bytes()).unwrap();
    let names: Vec<_> = flat
        .elements()
        .skip(1)
        .map(|e| (e.local_name(), e.namespace()))
        .collect();
    assert_eq!(
        names,
        [
            ("x", Some("urn:hl7-org:v3")),
            ("in", Some("urn:inner")),
            ("out", Some("urn:outer"))
        ]
    );
    assert!(matches!(
        kind(br#"<ClinicalDocument xmlns="urn:hl7-org:v3"><x xmlns:a="urn:a"/><a:e/></ClinicalDocument>"#),
        ParseErrorKind::UnboundPrefix { prefix } if prefix == "a"
    ));
}

/// Text after a child element, split by comments, is one run of mixed content in the flat
/// index. Each piece once copied the run gathered so far: 100,000 pieces took 41 s in a release
/// build (and gigabytes of copies). The pieces are now gathered, and the run stored once.
#[test]
fn text_split_by_many_comments_after_a_child_is_gathered_in_linear_time() {
    let pieces = 100_000;
    let doc = format!(
        r#"<ClinicalDocument xmlns="urn:hl7-org:v3"><x><y/>{}</x></ClinicalDocument>"#,
        "ab<!---->".repeat(pieces)
    );
    let typed = parse(doc.as_bytes()).unwrap();
    let flat = segur_cda::flat::parse(doc.as_bytes()).unwrap();
    let x = flat.elements().nth(1).unwrap();
    assert_eq!(x.string().len(), 2 * pieces);
    assert!(flat.to_model() == typed);
}

/// The flat parse numbers the namespace names of a document. It once compared each prefixed
/// name's namespace name with those already numbered: two long names switched at every
/// element made that quadratic (7 s for this 4.8 MB document in a release build). Each
/// declaration is now compared once.
#[test]
fn switching_between_long_namespace_names_is_linear() {
    let long = "u".repeat(2 << 20);
    let pairs = 50_000;
    let doc = format!(
        r#"<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:a="{long}a" xmlns:b="{long}b">{}</ClinicalDocument>"#,
        "<a:e/><b:e/>".repeat(pairs)
    );
    let flat = segur_cda::flat::parse(doc.as_bytes()).unwrap();
    assert_eq!(flat.elements().len(), 1 + 2 * pairs);
    let ns: Vec<_> = flat
        .elements()
        .skip(1)
        .take(2)
        .map(|e| e.namespace().map(str::len))
        .collect();
    assert_eq!(ns, [Some(long.len() + 1), Some(long.len() + 1)]);
    assert_ne!(
        flat.elements().nth(1).unwrap().namespace(),
        flat.elements().nth(2).unwrap().namespace()
    );
    assert!(parse(doc.as_bytes()).is_ok());
}

#[test]
fn every_truncation_of_a_real_document_is_an_error() {
    let bytes = read("valid/n3-prefixed.xml");
    let end = bytes.len() - 1; // the file ends with the root end tag (no trailing newline)
    for cut in 0..end {
        let err = parse(&bytes[..cut]).expect_err("truncated");
        assert!(
            err.offset <= cut,
            "offset {} beyond the input ({cut})",
            err.offset
        );
    }
    assert!(parse(&bytes).is_ok());
}

#[test]
fn invalid_utf8_is_located() {
    let mut bytes = br#"<ClinicalDocument xmlns="urn:hl7-org:v3">
<title>caf"#
        .to_vec();
    bytes.extend_from_slice(&[0xC3, 0x28]);
    bytes.extend_from_slice(b"</title></ClinicalDocument>");
    let err = parse(&bytes).unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::InvalidUtf8);
    assert_eq!((err.line, err.column, err.offset), (2, 11, 52));
    assert_eq!(err.path, "/ClinicalDocument/title");
}

#[test]
fn unsupported_encodings_are_named() {
    let utf16: Vec<u8> = "\u{feff}<a/>"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert_eq!(
        kind(&utf16),
        ParseErrorKind::UnsupportedEncoding {
            encoding: "UTF-16".into()
        }
    );
    let sjis =
        br#"<?xml version="1.0" encoding="Shift_JIS"?><ClinicalDocument xmlns="urn:hl7-org:v3"/>"#;
    assert_eq!(
        kind(sjis),
        ParseErrorKind::UnsupportedEncoding {
            encoding: "Shift_JIS".into()
        }
    );
}

#[test]
fn errors_carry_the_element_path_line_and_column() {
    let doc = r#"<?xml version="1.0"?>
<ClinicalDocument xmlns="urn:hl7-org:v3">
  <recordTarget>
    <patientRole>
      <id root="1.2.250.1.213.1.4.10" extension="1"/>
      <id root="1.2.3" extension="a<b"/>
    </patientRole>
  </recordTarget>
</ClinicalDocument>"#;
    let err = parse(doc.as_bytes()).unwrap_err();
    assert_eq!(
        err.kind,
        ParseErrorKind::Malformed("'<' in attribute value")
    );
    assert_eq!(err.path, "/ClinicalDocument/recordTarget/patientRole/id[2]");
    assert_eq!((err.line, err.column), (6, 36));
    let shown = err.to_string();
    assert!(
        shown.contains("line 6, column 36") && shown.contains("patientRole/id[2]"),
        "{shown}"
    );
}

/// An input and a predicate on the error kind it must produce.
type Case = (&'static [u8], fn(&ParseErrorKind) -> bool);

#[test]
fn malformed_structure_is_typed() {
    let cases: [Case; 9] = [
        (
            b"<ClinicalDocument xmlns='urn:hl7-org:v3'><title></code></ClinicalDocument>",
            |k| matches!(k, ParseErrorKind::MismatchedEndTag { expected, found } if expected == "title" && found == "code"),
        ),
        (
            b"<x:ClinicalDocument/>",
            |k| matches!(k, ParseErrorKind::UnboundPrefix { prefix } if prefix == "x"),
        ),
        (
            b"<html xmlns='http://www.w3.org/1999/xhtml'><body/></html>",
            |k| matches!(k, ParseErrorKind::NotClinicalDocument { root } if root == "html"),
        ),
        (b"<ClinicalDocument/>", |k| {
            matches!(k, ParseErrorKind::NotClinicalDocument { .. })
        }),
        (b"<ClinicalDocument xmlns='urn:hl7-org:v3'/><again/>", |k| {
            matches!(k, ParseErrorKind::Malformed(_))
        }),
        (b"text<ClinicalDocument xmlns='urn:hl7-org:v3'/>", |k| {
            matches!(k, ParseErrorKind::Malformed(_))
        }),
        (
            b"<ClinicalDocument xmlns='urn:hl7-org:v3' a='1' a='2'/>",
            |k| matches!(k, ParseErrorKind::DuplicateAttribute { name } if name == "a"),
        ),
        (
            b"<ClinicalDocument xmlns='urn:hl7-org:v3'><title>&#1;</title></ClinicalDocument>",
            |k| matches!(k, ParseErrorKind::InvalidCharRef { .. }),
        ),
        (b"", |k| matches!(k, ParseErrorKind::UnexpectedEof)),
    ];
    for (input, check) in cases {
        let k = kind(input);
        assert!(check(&k), "{}: {k:?}", String::from_utf8_lossy(input));
    }
}

#[test]
fn limits_are_enforced() {
    let doc = read("valid/n3-prefixed.xml");
    let check = |limits: Limits, limit: Limit| {
        let err = parse_with(&doc, &limits).unwrap_err();
        assert!(
            matches!(err.kind, ParseErrorKind::LimitExceeded { limit: l, .. } if l == limit),
            "{limit:?}: {err}"
        );
    };
    check(Limits::new().max_input_size(100), Limit::InputSize);
    check(Limits::new().max_depth(4), Limit::Depth);
    check(Limits::new().max_attributes(2), Limit::Attributes);
    check(Limits::new().max_text_len(10), Limit::TextLength);
    check(Limits::new().max_elements(20), Limit::Elements);
    assert!(parse_with(&doc, &Limits::new()).is_ok());
}

#[test]
fn random_mutations_never_panic() {
    // a small deterministic xorshift: flip, insert and delete bytes of a real document
    let base = read("valid/n3-prefixed.xml");
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let specials = b"<>&;'\"/=:!?[]- \n\xC3\xFF";
    for _ in 0..3_000 {
        let mut m = base.clone();
        for _ in 0..(next() % 4 + 1) {
            let at = (next() as usize) % m.len();
            let byte = specials[(next() as usize) % specials.len()];
            match next() % 3 {
                0 => m[at] = byte,
                1 => m.insert(at, byte),
                _ => {
                    m.remove(at);
                }
            }
        }
        if let Err(e) = parse(&m) {
            assert!(e.offset <= m.len());
            assert!(!e.to_string().is_empty());
        }
    }
}

#[test]
fn characters_xml_forbids_are_refused_where_the_model_keeps_them() {
    let doc = |title: &str, id: &str| {
        format!(
            "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><id root=\"1.2.3\" extension=\"{id}\"/>\
             <title>{title}</title><recordTarget><patientRole><patient><name>\
             <family>N{title}</family></name></patient></patientRole></recordTarget>\
             </ClinicalDocument>"
        )
    };
    let forbidden = ParseErrorKind::Malformed("character not allowed in XML");
    for bad in [
        "\u{1}",
        "\u{0}",
        "\u{1f}",
        "\u{fffe}",
        "\u{ffff}",
        "a long prefix \u{8}",
    ] {
        assert_eq!(
            kind(doc("ok", bad).as_bytes()),
            forbidden,
            "attribute {bad:?}"
        );
        assert_eq!(kind(doc(bad, "x").as_bytes()), forbidden, "text {bad:?}");
    }
    // tab, line feed and carriage return are allowed, and so are the other characters of the
    // U+FFxx block and the bytes 0xEF starts elsewhere
    for good in [
        "\t", "\n", "\r\n", "\u{fffd}", "\u{fff0}", "\u{f000}", "é\u{ef}",
    ] {
        let text = doc(good, good);
        let parsed = parse(text.as_bytes());
        assert!(parsed.is_ok(), "{good:?}: {parsed:?}");
    }
    // the error points at the character
    let err = parse(doc("ok", "ab\u{1}").as_bytes()).unwrap_err();
    assert_eq!(err.path, "/ClinicalDocument/id");
    assert_eq!(err.column, 72);
    // from a Latin-1 document too (byte 0x01 is U+0001 there)
    let mut latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>".to_vec();
    latin1.extend_from_slice(doc("ok", "\u{1}").as_bytes());
    assert_eq!(kind(&latin1), forbidden);
}

#[test]
fn well_formedness_is_checked_where_the_model_keeps_nothing() {
    // comments, processing instructions, skipped elements and narrative text are not kept by
    // the model, but they are checked as strictly as the rest (found by comparing the fuzz
    // corpora with roxmltree); layout before markup is not searched for controls (see the
    // README), but layout before text is text
    let doc = |inside: &str| {
        format!(
            "<ClinicalDocument xmlns=\"urn:hl7-org:v3\" xmlns:x=\"urn:x\">{inside}\
             <title>t</title><component><structuredBody><component><section>\
             <text><paragraph>narrative</paragraph></text></section></component>\
             </structuredBody></component></ClinicalDocument>"
        )
    };
    let forbidden = ParseErrorKind::Malformed("character not allowed in XML");
    for (inside, want) in [
        ("\n  \u{1}  text", forbidden.clone()),
        ("<!-- -->\n        \u{17}  \ntext", forbidden.clone()),
        ("<!-- a \u{10} b -->", forbidden.clone()),
        ("<?pi a \u{0}?>", forbidden.clone()),
        ("<unknown>a \u{1}</unknown>", forbidden.clone()),
        ("<unknown><![CDATA[\u{2}]]></unknown>", forbidden.clone()),
        (
            "<!-- a -- b -->",
            ParseErrorKind::Malformed("'--' inside a comment"),
        ),
        (
            "<!-- a --->",
            ParseErrorKind::Malformed("'--' inside a comment"),
        ),
        (
            "<?*pi?>",
            ParseErrorKind::Malformed("invalid character in name"),
        ),
        (
            "<?x:pi?>",
            ParseErrorKind::Malformed("colon in a processing instruction target"),
        ),
        (
            "<unknown>a ]]> b</unknown>",
            ParseErrorKind::Malformed("']]>' outside a CDATA section"),
        ),
    ] {
        assert_eq!(kind(doc(inside).as_bytes()), want, "{inside:?}");
    }
    let narrative = doc("").replace("narrative", "a\u{1}b");
    assert_eq!(kind(narrative.as_bytes()), forbidden);
    // layout inside a narrative block is kept in its raw span: checked too
    let narrative = doc("").replace("<paragraph>", "\n \u{8}<paragraph>");
    assert_eq!(kind(narrative.as_bytes()), forbidden);
    let narrative = doc("").replace("narrative", "a]]>b");
    assert!(matches!(
        kind(narrative.as_bytes()),
        ParseErrorKind::Malformed(_)
    ));
    // attributes the typed parser never reads: their references must be well-formed, their
    // prefix bound, and two names that expand to the same namespace and local name are a
    // duplicate
    for bad in ["a &amp", "&#x41;t;l&", "&nbsp;", "&#0;"] {
        let unread = doc("").replace("<title>", &format!("<title a='{bad}'>"));
        assert!(parse(unread.as_bytes()).is_err(), "{bad}");
    }
    let unbound = doc("").replace("<title>", "<title mood:code='x'>");
    assert!(matches!(
        kind(unbound.as_bytes()),
        ParseErrorKind::UnboundPrefix { prefix } if prefix == "mood"
    ));
    let twice = doc("").replace("<title>", "<title xmlns:y='urn:x' x:a='1' y:a='2'>");
    assert!(matches!(
        kind(twice.as_bytes()),
        ParseErrorKind::DuplicateAttribute { name } if name == "a"
    ));
    for good in [
        "\n\t\r\n  ",
        "<!---->",
        "<!-- a - b -->",
        "<?pi?>",
        "<?pi  a ?>",
        "<unknown x:a='1' a='2'>]] ] ]></unknown>",
        "<unknown a='&lt;&#65;\t'/>",
        "<unknown><![CDATA[]]]]></unknown>",
    ] {
        let text = doc(good);
        assert!(parse(text.as_bytes()).is_ok(), "{good:?}");
    }
}

#[test]
fn xml_declarations_follow_the_grammar() {
    let body = "<ClinicalDocument xmlns='urn:hl7-org:v3'/>";
    for good in [
        "<?xml version=\"1.0\"?>",
        "<?xml version='1.0' encoding='UTF-8'?>",
        "<?xml version = \"1.1\"  encoding = \"utf-8\"  standalone = 'yes' ?>",
        "<?xml version='1.0' standalone='no'?>",
    ] {
        let text = format!("{good}{body}");
        assert!(parse(text.as_bytes()).is_ok(), "{good}");
    }
    for bad in [
        "<?xml version=\"1.0\" e\u{0}ncoding='UTF-8'?>",
        "<?xml version=\"1.0\" encodingZ\"windows-1252\"?>",
        "<?xml version='1.0'yle/CDA-FO.xsl\"?>",
        "<?xml version='1.0'encoding='UTF-8'?>",
        "<?xml encoding='UTF-8' version='1.0'?>",
        "<?xml version='1.0' encoding='8bit'?>",
        "<?xml version='1.0' standalone='maybe'?>",
        "<?xml version='1.0' other='x'?>",
        "<?xml version='2.0'?>",
        "<?xml version='1.'?>",
        "<?xml version=\"1.0'?>",
    ] {
        let k = kind(format!("{bad}{body}").as_bytes());
        assert!(
            matches!(
                k,
                ParseErrorKind::Malformed(_) | ParseErrorKind::UnexpectedEof
            ),
            "{bad}: {k:?}"
        );
    }
    // declared in another encoding: refused for its declaration, not for its bytes (an `é` in
    // ISO-8859-1 is not UTF-8)
    let latin1 = b"<?xml version='1.0' encoding='ISO-8859-1' junk?>\
        <ClinicalDocument xmlns='urn:hl7-org:v3'><title>\xE9</title></ClinicalDocument>";
    assert_eq!(
        kind(latin1),
        ParseErrorKind::Malformed("malformed XML declaration")
    );
}
