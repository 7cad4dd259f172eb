//! The HTTP/1.1 request reader of segur-dmp's simulator HTTPS server
//! (`segur_dmp::simulator::server::parse_request`, the code that reads every request of a
//! connection), checked on every input by the `fuzz_dmp_http` target and by the corpus replay
//! test of segur-dmp (`crates/segur-dmp/tests/fuzz_corpus.rs`): with default and tight limits,
//! a request or an error status, never a panic; an accepted request respects the limits and,
//! written back with a `Content-Length`, reads as the same request.

use segur_dmp::simulator::server::{ServerLimits, parse_request};

fn tight() -> ServerLimits {
    let mut limits = ServerLimits::default();
    limits.max_head_bytes = 256;
    limits.max_headers = 4;
    limits.max_body_bytes = 64;
    limits
}

/// `request` as bytes, its body framed by `Content-Length`.
fn write(request: &http::Request<Vec<u8>>) -> Vec<u8> {
    let mut out = format!("POST {} HTTP/1.1\r\n", request.uri()).into_bytes();
    for (name, value) in request.headers() {
        if [
            http::header::CONTENT_LENGTH,
            http::header::TRANSFER_ENCODING,
            http::header::EXPECT,
        ]
        .contains(name)
        {
            continue;
        }
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", request.body().len()).as_bytes());
    out.extend_from_slice(request.body());
    out
}

pub(crate) fn check(data: &[u8]) {
    for limits in [ServerLimits::default(), tight()] {
        match parse_request(data, &limits) {
            Ok(request) => {
                assert_eq!(request.method(), http::Method::POST);
                assert!(request.uri().path().starts_with('/'));
                assert!(request.body().len() <= limits.max_body_bytes);
                assert!(request.headers().len() <= limits.max_headers);
                let mut roomy = ServerLimits::default();
                roomy.max_headers = limits.max_headers + 1;
                roomy.max_head_bytes = 2 * limits.max_head_bytes + 64;
                let again = parse_request(&write(&request), &roomy)
                    .unwrap_or_else(|status| panic!("written back, refused with {status}"));
                assert_eq!(again.uri(), request.uri());
                assert_eq!(again.body(), request.body());
            }
            Err(status) => assert!(
                status.is_client_error() || status.is_server_error(),
                "{status}"
            ),
        }
    }
}
