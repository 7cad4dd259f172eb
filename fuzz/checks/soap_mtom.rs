//! Properties of segur-soap's MTOM/XOP reader and writer, checked on every input by the
//! `fuzz_mtom` target and by the corpus replay test of segur-soap
//! (`crates/segur-soap/tests/fuzz_corpus.rs`).

use segur_soap::mtom::{DocumentDigest, MtomBuilder, MtomMessage};
use segur_transport::SeededRandomness;

/// The first line of `data` is the `Content-Type`, the rest the body. Whatever is accepted has a
/// root part, and every part is found again by its Content-ID. Independently, `data` attached
/// to a written message comes back byte for byte with the same digest.
pub(crate) fn check(data: &[u8]) {
    let split = data.iter().position(|b| *b == b'\n').unwrap_or(data.len());
    let content_type = String::from_utf8_lossy(&data[..split]);
    let body = data.get(split + 1..).unwrap_or_default();
    match MtomMessage::parse(&content_type, body) {
        Ok(message) => {
            let _ = message.root();
            for part in message.parts() {
                if let Some(id) = &part.content_id {
                    // a Content-ID with `%` escapes may designate another part once decoded
                    if !id.contains('%') {
                        let found = message
                            .part(&format!("<{id}>"))
                            .unwrap_or_else(|e| panic!("part <{id}> not found again: {e}"));
                        assert_eq!(found.content_id.as_deref(), Some(id.as_str()));
                    }
                }
            }
            let _ = message.envelope().map_err(|e| e.to_string());
            let include = format!(
                "<d><xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"cid:{}\"/></d>",
                String::from_utf8_lossy(body.get(..body.len().min(40)).unwrap_or_default())
                    .replace(['"', '<', '&'], "")
            );
            let _ = message.binary_content(&include).map_err(|e| e.to_string());
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }

    let random = SeededRandomness::new(data.len() as u64);
    let mut builder = MtomBuilder::new(&random);
    let attachment = builder.attach(data.to_vec(), "application/octet-stream");
    let envelope = format!(
        "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Body><d>{}</d></soap:Body></soap:Envelope>",
        attachment.xop_include()
    );
    let written = builder
        .finish(&envelope)
        .expect("a random boundary does not collide");
    let read = MtomMessage::parse(&written.content_type, &written.body)
        .expect("a written message reads back");
    let part = read
        .part(&attachment.href())
        .expect("the attachment is found");
    assert_eq!(part.body, data);
    assert_eq!(DocumentDigest::of(&part.body), attachment.digest);
    let doc = format!("<d>{}</d>", attachment.xop_include());
    assert_eq!(read.binary_content(&doc).unwrap().as_ref(), data);
}
