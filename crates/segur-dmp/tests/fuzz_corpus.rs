//! Replays the committed corpus of `fuzz_dmp_response` (`fuzz/corpus/fuzz_dmp_response`)
//! through the same check the fuzz target runs (`fuzz/checks/dmp_response.rs`), on stable.

#[path = "../../../fuzz/checks/dmp_response.rs"]
mod dmp_response;

#[test]
fn fuzz_dmp_response_corpus() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fuzz/corpus/fuzz_dmp_response"
    );
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{dir}: {e}")) {
        dmp_response::check(&std::fs::read(entry.unwrap().path()).unwrap());
        count += 1;
    }
    assert!(count >= 5, "{dir} holds only {count} seeds");
}

#[test]
fn hostile_inputs_go_through_the_check() {
    for data in [
        &b""[..],
        b"application/soap+xml\n<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>",
        b"multipart/related; boundary=b\n--b\r\n\r\n<x/>\r\n--b--",
        b"\xff\n\xfe",
        b"application/soap+xml\n<s:Envelope xmlns:s='http://www.w3.org/2003/05/soap-envelope'><s:Body><a><b><c/></b></a></s:Body></s:Envelope>",
    ] {
        dmp_response::check(data);
    }
    let deep = format!("application/soap+xml\n{}", "<a>".repeat(10_000));
    dmp_response::check(deep.as_bytes());
}
