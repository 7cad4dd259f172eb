//! Properties of the MSSanté mail reader, checked on every input by the `fuzz_mail` target and
//! by the corpus replay test of segur-mssante (`crates/segur-mssante/tests/fuzz_corpus.rs`).

use segur_mssante::{
    ReadOptions, Receipt, parse_delivery_status, parse_disposition_notification, read_message,
};

/// Reads `data` as a mail (lenient archives): never panics, errors carry a message, the
/// receipt parsers never panic on the raw text either, and reading is deterministic.
pub(crate) fn check(data: &[u8]) {
    let first = read_message(data, &ReadOptions::lenient());
    match &first {
        Err(e) => assert!(!e.to_string().is_empty()),
        Ok(m) => {
            if let Some(Receipt::Mdn(mdn)) = &m.receipt {
                assert!(!mdn.final_recipient.contains('\n'));
            }
            let _ = m.display_subject();
        }
    }
    let text = String::from_utf8_lossy(data);
    let _ = parse_disposition_notification(&text);
    let _ = parse_delivery_status(&text);
    let again = read_message(data, &ReadOptions::lenient());
    assert_eq!(
        again
            .as_ref()
            .map(|m| (m.subject.clone(), m.message_id.clone(), m.receipt.clone()))
            .map_err(ToString::to_string),
        first
            .as_ref()
            .map(|m| (m.subject.clone(), m.message_id.clone(), m.receipt.clone()))
            .map_err(ToString::to_string),
        "reading is not deterministic"
    );
}
