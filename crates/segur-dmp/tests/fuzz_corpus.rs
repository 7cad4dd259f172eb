//! Replays the committed corpora of `fuzz_dmp_response` and `fuzz_dmp_http`
//! (`fuzz/corpus/<target>`) through the same checks the fuzz targets run
//! (`fuzz/checks/dmp_response.rs`, `fuzz/checks/dmp_http.rs`), on stable.

#[path = "../../../fuzz/checks/dmp_http.rs"]
mod dmp_http;
#[path = "../../../fuzz/checks/dmp_response.rs"]
mod dmp_response;
#[path = "../../../fuzz/checks/replay.rs"]
mod replay;

#[test]
fn fuzz_dmp_response_corpus() {
    replay::replay("fuzz_dmp_response", 5, dmp_response::check);
}

#[test]
fn fuzz_dmp_http_corpus() {
    replay::replay("fuzz_dmp_http", 7, dmp_http::check);
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

#[test]
fn hostile_requests_go_through_the_http_check() {
    let mut big_head = b"POST /a HTTP/1.1\r\nX: ".to_vec();
    big_head.resize(100_000, b'x');
    let many_headers: String = (0..200).map(|i| format!("X-{i}: v\r\n")).collect();
    for data in [
        &b""[..],
        b"\r\n\r\n",
        b"POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nab",
        b"POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXY0\r\n\r\n",
        b"POST /a HTTP/1.1\r\nContent-Length: 18446744073709551616\r\n\r\n",
        &big_head,
        format!("POST /a HTTP/1.1\r\n{many_headers}\r\n").as_bytes(),
    ] {
        dmp_http::check(data);
    }
}
