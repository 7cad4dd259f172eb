//! Property tests on generated documents: canonicalisation is idempotent in every variant, and
//! what segur signs, segur verifies (and a change to any text breaks it).

mod common;

use proptest::prelude::*;
use segur_xmldsig::{
    Canonicalization, ElementSelector, Error, IdAttribute, Placement, Verifier, sign_enveloped,
};

#[derive(Debug, Clone)]
enum Node {
    Element {
        name: String,
        decls: Vec<(String, String)>,
        attrs: Vec<(String, String)>,
        children: Vec<Self>,
    },
    Text(String),
    CData(String),
    Comment(String),
    Pi(String),
}

fn escape(s: &str, attr: bool) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' if !attr => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attr => out.push_str("&#9;"),
            '\n' if attr => out.push_str("&#10;"),
            c => out.push(c),
        }
    }
    out
}

fn write(node: &Node, out: &mut String) {
    match node {
        Node::Element {
            name,
            decls,
            attrs,
            children,
        } => {
            out.push('<');
            out.push_str(name);
            for (p, u) in decls {
                if p.is_empty() {
                    out.push_str(&format!(" xmlns=\"{u}\""));
                } else {
                    out.push_str(&format!(" xmlns:{p}=\"{u}\""));
                }
            }
            for (k, v) in attrs {
                out.push_str(&format!(" {k}=\"{}\"", escape(v, true)));
            }
            if children.is_empty() {
                out.push_str("/>");
                return;
            }
            out.push('>');
            for c in children {
                write(c, out);
            }
            out.push_str(&format!("</{name}>"));
        }
        Node::Text(t) => out.push_str(&escape(t, false)),
        Node::CData(t) => out.push_str(&format!("<![CDATA[{t}]]>")),
        Node::Comment(t) => out.push_str(&format!("<!--{t}-->")),
        Node::Pi(t) => out.push_str(&format!("<?pi {t}?>")),
    }
}

fn text() -> impl Strategy<Value = String> {
    "[a-zé&<>\"' \t\n\r]{0,6}"
}

fn element(children: impl Strategy<Value = Vec<Node>>) -> impl Strategy<Value = Node> {
    (
        prop::sample::select(vec!["x", "a:y", "b:z", "a:x", "y"]),
        prop::collection::vec(
            (prop::sample::select(vec!["", "a", "b"]), 0..3usize).prop_map(|(p, i)| {
                // `a` and `b` are never bound to the same URI (that would make `a:p` and `b:p`
                // the same attribute).
                let uris = match p {
                    "" => ["urn:1", "urn:2", ""],
                    "a" => ["urn:a", "urn:a2", "urn:a3"],
                    _ => ["urn:b", "urn:b2", "urn:b3"],
                };
                (p, uris[i])
            }),
            0..3,
        ),
        prop::collection::btree_map(
            prop::sample::select(vec!["p", "q", "a:p", "b:p", "xml:lang", "ID"]),
            text(),
            0..4,
        ),
        children,
    )
        .prop_map(|(name, decls, attrs, children)| {
            let mut seen = Vec::new();
            let decls = decls
                .into_iter()
                // Prefixed namespaces cannot be undeclared in XML 1.0; no duplicate declarations.
                .filter(|(p, u)| {
                    (p.is_empty() || !u.is_empty()) && !seen.contains(p) && {
                        seen.push(*p);
                        true
                    }
                })
                .map(|(p, u)| (p.to_owned(), u.to_owned()))
                .collect();
            Node::Element {
                name: name.to_owned(),
                decls,
                attrs: attrs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
                children,
            }
        })
}

fn document() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        text().prop_map(Node::Text),
        "[a-z <>&]{0,5}".prop_map(Node::CData),
        "[a-z ]{0,5}".prop_map(Node::Comment),
        "[a-z ]{0,5}".prop_map(Node::Pi),
        element(Just(Vec::new())),
    ];
    let tree = leaf.prop_recursive(4, 40, 5, |inner| {
        element(prop::collection::vec(inner, 0..5))
    });
    element(prop::collection::vec(tree, 0..5)).prop_map(|mut root| {
        if let Node::Element { decls, attrs, .. } = &mut root {
            // Bind the prefixes at the root (inner declarations may rebind them); the root
            // carries the ID used by the signature tests.
            decls.retain(|(p, _)| p.is_empty());
            decls.push(("a".into(), "urn:a".into()));
            decls.push(("b".into(), "urn:b".into()));
            attrs.retain(|(k, _)| k != "ID");
            attrs.push(("ID".into(), "root".into()));
        }
        let mut s = String::new();
        write(&root, &mut s);
        s
    })
}

fn variants() -> Vec<Canonicalization> {
    vec![
        Canonicalization::exclusive(),
        Canonicalization::exclusive().with_comments(true),
        Canonicalization::exclusive().inclusive_prefixes(["a", "#default"]),
        Canonicalization::inclusive(),
        Canonicalization::inclusive().with_comments(true),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn canonicalisation_is_idempotent(doc in document()) {
        for c14n in variants() {
            let once = c14n
                .canonicalize(doc.as_bytes())
                .unwrap_or_else(|e| panic!("{e}: {doc}"));
            let twice = c14n.canonicalize(&once).expect("canonical form parses");
            prop_assert_eq!(&once, &twice, "{}", doc);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn signed_documents_verify_and_changes_break_them(doc in document()) {
        let id = IdAttribute::new("ID");
        let signer = common::rsa_signer();
        let signed = match sign_enveloped(doc.as_bytes(), &id, "root", Placement::FirstChild, &signer) {
            Ok(s) => s,
            // A descendant may carry ID="root" too: refused, rightly.
            Err(Error::DuplicateId { .. }) => return Ok(()),
            Err(e) => panic!("{e}: {doc}"),
        };
        let verifier = Verifier::with_trust_anchors(id, common::ca(), common::now());
        let v = verifier.verify(&signed, &ElementSelector::Id("root".into())).expect("verifies");
        prop_assert_eq!(v.range, 0..signed.len());
        // Appending text to the signed element changes what was signed.
        let text = String::from_utf8(signed).expect("utf-8");
        let close = text.rfind("</").expect("end tag");
        let changed = format!("{}z{}", &text[..close], &text[close..]);
        let r = verifier.verify(changed.as_bytes(), &ElementSelector::Id("root".into()));
        prop_assert!(matches!(r, Err(Error::DigestMismatch { .. })), "{:?}", r);
    }
}
