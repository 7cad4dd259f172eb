//! segur-xmldsig benchmark: canonicalisation side by side with the cost of merely reading the
//! same bytes (quick-xml's raw event loop, roxmltree's DOM parse), and enveloped signing and
//! verification of a VIHF in a SOAP envelope (RSA-2048 / SHA-256, ECDSA P-256).
//!
//! Two documents: the VIHF-in-SOAP test document of segur-xmldsig (`soap-vihf`, 2.5 kB) and
//! that assertion repeated 400 times under one root (`soap-vihf-x400`, ~500 kB). No other pure-Rust
//! exclusive canonicalisation is maintained, so the baselines are the parsers: the ratio says
//! what canonicalisation costs on top of tokenising.
//!
//! Run: `cargo bench --bench xmldsig`.

use std::hint::black_box;

use criterion::{Criterion, Throughput};
use quick_xml::events::Event;
use segur::xmldsig::{
    Canonicalization, Certificate, ElementSelector, IdAttribute, Placement, SoftwareSigner,
    Verifier, sign_enveloped,
};

const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";

fn data(rel: &str) -> Vec<u8> {
    let path = format!(
        "{}/crates/segur-xmldsig/tests/data/{rel}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn quick_xml_events(doc: &[u8]) -> usize {
    let text = std::str::from_utf8(doc).expect("utf-8");
    let mut reader = quick_xml::Reader::from_str(text);
    let mut n = 0;
    loop {
        match reader.read_event().expect("well-formed") {
            Event::Eof => return n,
            _ => n += 1,
        }
    }
}

fn c14n(c: &mut Criterion) {
    let small = data("c14n/soap-vihf.xml");
    let text = String::from_utf8(small.clone()).expect("utf-8");
    let start = text.find("<saml2:Assertion").expect("assertion");
    let end = text.find("</saml2:Assertion>").expect("end") + "</saml2:Assertion>".len();
    let assertion = &text[start..end];
    let large = format!(
        "<root xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\">{}</root>",
        assertion.repeat(400)
    )
    .into_bytes();
    for (name, doc) in [("soap-vihf", small), ("soap-vihf-x400", large)] {
        let mut group = c.benchmark_group(format!("c14n/{name}"));
        group.throughput(Throughput::Bytes(doc.len() as u64));
        group.bench_function("segur exclusive c14n", |b| {
            let exc = Canonicalization::exclusive();
            b.iter(|| exc.canonicalize(black_box(&doc)).expect("c14n"));
        });
        group.bench_function("segur inclusive c14n", |b| {
            let inc = Canonicalization::inclusive();
            b.iter(|| inc.canonicalize(black_box(&doc)).expect("c14n"));
        });
        group.bench_function("quick-xml events only", |b| {
            b.iter(|| quick_xml_events(black_box(&doc)));
        });
        group.bench_function("roxmltree parse only", |b| {
            let text = std::str::from_utf8(&doc).expect("utf-8");
            b.iter(|| {
                roxmltree::Document::parse(black_box(text))
                    .expect("parse")
                    .root()
                    .children()
                    .count()
            });
        });
        group.finish();
    }
}

fn xmldsig(c: &mut Criterion) {
    let doc = data("c14n/soap-vihf.xml");
    let id = IdAttribute::new("ID");
    let anchors = Certificate::all_from_pem(&data("pki/ca.pem")).expect("CA");
    let mut group = c.benchmark_group("xmldsig/soap-vihf");
    for (name, key, cert) in [
        ("RSA-2048", "pki/leaf-rsa.key", "pki/leaf-rsa.pem"),
        ("ECDSA P-256", "pki/leaf-ec.key", "pki/leaf-ec.pem"),
    ] {
        let signer = SoftwareSigner::from_pem(&data(key), &data(cert)).expect("signer");
        let sign = || {
            sign_enveloped(
                &doc,
                &id,
                "_5f1a6c2e",
                Placement::after(SAML, "Issuer"),
                &signer,
            )
            .expect("sign")
        };
        let signed = sign();
        let verifier = Verifier::with_trust_anchors(
            id.clone(),
            anchors.clone(),
            signer.certificate().not_before(),
        );
        let selector = ElementSelector::Id("_5f1a6c2e".into());
        verifier.verify(&signed, &selector).expect("verify");
        group.bench_function(format!("sign {name}"), |b| b.iter(sign));
        group.bench_function(format!("verify {name} (chain to CA)"), |b| {
            b.iter(|| {
                verifier
                    .verify(black_box(&signed), &selector)
                    .expect("verify")
            });
        });
    }
    group.finish();
}

/// Runs both groups with criterion's command-line configuration.
fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    c14n(&mut criterion);
    xmldsig(&mut criterion);
    criterion.final_summary();
}
