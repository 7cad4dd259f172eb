//! Properties of segur-soap's envelope, fault and VIHF readers, checked on every input by the
//! `fuzz_soap` target and by the corpus replay test of segur-soap
//! (`crates/segur-soap/tests/fuzz_corpus.rs`).

use segur_soap::vihf::ParsedVihf;
use segur_soap::{Body, Envelope, EnvelopeBuilder};

/// Reads `data` as a SOAP envelope (and as a VIHF). Whatever is accepted must give standalone
/// pieces: an envelope rebuilt from the payload, header blocks and assertions that were read
/// parses again to the same names and counts.
pub(crate) fn check(data: &[u8]) {
    let _ = ParsedVihf::parse(data).map_err(|e| e.to_string());
    let envelope = match Envelope::parse(data) {
        Ok(e) => e,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    let payload = match &envelope.body {
        Body::Payload(p) => p,
        Body::Fault(f) => {
            let _ = (f.to_string(), f.reason(), f.innermost_subcode());
            return;
        }
        Body::Empty => return,
        _ => return,
    };
    let mut rebuilt = EnvelopeBuilder::new(&payload.xml);
    for a in &envelope.assertions {
        rebuilt = rebuilt.security_assertion(a);
    }
    for h in &envelope.headers {
        rebuilt = rebuilt.header_block(&h.xml);
    }
    let text = rebuilt.build();
    let again = Envelope::parse(text.as_bytes())
        .unwrap_or_else(|e| panic!("a rebuilt envelope does not parse: {e}\n{text}"));
    assert_eq!(again.assertions.len(), envelope.assertions.len());
    assert_eq!(again.headers.len(), envelope.headers.len());
    match again.body {
        Body::Payload(p) => assert_eq!(p.name, payload.name),
        other => panic!("the rebuilt body changed: {other:?}"),
    }
}
