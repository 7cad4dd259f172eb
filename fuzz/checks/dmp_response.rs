//! The response parsers of segur-dmp (HL7 v3 TD0.2, `urn:si-dmp-*` outputs, ITI-41/18/43/57
//! answers, MTOM included), checked on every input by the `fuzz_dmp_response` target and by
//! the corpus replay test of segur-dmp (`crates/segur-dmp/tests/fuzz_corpus.rs`): whatever the
//! input, a typed result, never a panic, a hang or unbounded memory.

use segur_dmp::{
    ExistenceTest, Feed, PatientList, Query, Retrieve, SetAuthorization, Update, parse_existence,
    parse_patient_list,
};

/// The first line of `data` is the `Content-Type`, the rest the HTTP body.
pub(crate) fn check(data: &[u8]) {
    let split = data.iter().position(|b| *b == b'\n').unwrap_or(data.len());
    let content_type = String::from_utf8_lossy(&data[..split]).into_owned();
    let body = data.get(split + 1..).unwrap_or_default().to_vec();
    let _ = parse_existence(&body);
    let _ = parse_patient_list(&body);
    let Ok(response) = http::Response::builder()
        .status(200)
        .header("content-type", content_type)
        .body(body)
    else {
        return;
    };
    let _ = ExistenceTest::parse_response(&response);
    let _ = SetAuthorization::parse_response(&response);
    let _ = PatientList::parse_response(&response);
    let _ = Feed::parse_response(&response);
    let _ = Query::parse_response(&response);
    let _ = Update::parse_response(&response);
    let _ = Retrieve::parse_response(&response);
}
