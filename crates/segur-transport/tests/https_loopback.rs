//! The HTTPS transport against a real rustls server on loopback that requires client
//! certificates. The test PKI (a CA standing for IGC-Santé, a server, a client, and a rogue CA
//! with its own client) is made by rcgen at test time from the RSA keys in `tests/data/`
//! (`tests/support/pki.rs`, shared with the other crates' TLS tests).

#[path = "support/pki.rs"]
mod pki;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use pki::{Pki, pki};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig, ServerConnection, StreamOwned};
use segur_transport::{HttpsTransport, TlsProfile, Transport, TransportError, TransportErrorKind};

/// A server that requires a client certificate chained to `pki.ca`, answers each request with
/// the negotiated protocol and suite, and echoes the body. Returns its port.
fn serve(pki: &Pki, connections: usize) -> u16 {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore::empty();
    roots.add(pki.ca.cert.der().clone()).unwrap();
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .unwrap();
    let config = Arc::new(
        ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_client_cert_verifier(verifier)
            .with_single_cert(
                vec![pki.server.cert.der().clone()],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pki.server.key.serialize_der())),
            )
            .unwrap(),
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for stream in listener.incoming().take(connections) {
            let Ok(tcp) = stream else { continue };
            tcp.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let conn = ServerConnection::new(Arc::clone(&config)).unwrap();
            let mut tls = StreamOwned::new(conn, tcp);
            if answer(&mut tls).is_err() {
                // Behave like a well-mannered server: send the pending alert, close our side and
                // drain the client's flight, so that the client reads the alert instead of a
                // reset.
                let _ = tls.conn.write_tls(&mut tls.sock);
                let _ = tls.sock.shutdown(std::net::Shutdown::Write);
                let mut sink = [0u8; 4096];
                while matches!(tls.sock.read(&mut sink), Ok(n) if n > 0) {}
            }
        }
    });
    port
}

fn answer(tls: &mut StreamOwned<ServerConnection, std::net::TcpStream>) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = tls.read(&mut chunk)?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map_or(0, |v| v.trim().parse().unwrap());
    while buf.len() < head_end + length {
        let n = tls.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = &buf[head_end..];
    let version = format!("{:?}", tls.conn.protocol_version().unwrap());
    let suite = format!("{:?}", tls.conn.negotiated_cipher_suite().unwrap().suite());
    let client_cn_present = tls.conn.peer_certificates().is_some_and(|c| !c.is_empty());
    let status = if body == b"fail" {
        "500 Internal Server Error"
    } else {
        "200 OK"
    };
    write!(
        tls,
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nX-Tls: {version} {suite}\r\nX-Client-Cert: {client_cn_present}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    tls.write_all(body)?;
    tls.conn.send_close_notify();
    tls.flush()
}

fn post(
    transport: &dyn Transport,
    port: u16,
    body: &[u8],
) -> Result<http::Response<Vec<u8>>, TransportError> {
    let request = http::Request::post(format!(
        "https://127.0.0.1:{port}/si-dmp-server/v2/services/registry"
    ))
    .header("content-type", "application/soap+xml; charset=UTF-8")
    .body(body.to_vec())
    .unwrap();
    transport.send(request)
}

fn builder(pki: &Pki) -> segur_transport::HttpsTransportBuilder {
    HttpsTransport::builder()
        .trust_anchors_pem(pki.ca.cert.pem().as_bytes())
        .unwrap()
        .timeout(Duration::from_secs(10))
}

/// `b` with `id` as the client identity, built.
fn with_identity(b: segur_transport::HttpsTransportBuilder, id: &pki::Issued) -> HttpsTransport {
    b.client_identity_pem(id.cert_pem().as_bytes(), id.key_pem().as_bytes())
        .unwrap()
        .build()
        .unwrap()
}

#[test]
fn mutual_tls_with_the_right_certificate_succeeds_in_tls12_with_a_dmp_suite() {
    let pki = pki();
    let port = serve(&pki, 3);
    let transport = with_identity(builder(&pki), &pki.client);
    let response = post(&transport, port, b"<soap:Envelope/>").unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.body(), b"<soap:Envelope/>");
    let tls = response.headers()["x-tls"].to_str().unwrap();
    assert!(tls.starts_with("TLSv1_2 TLS_ECDHE_RSA_WITH_"), "{tls}");
    assert!(
        segur_transport::DMP_CIPHER_SUITES.contains(&tls.trim_start_matches("TLSv1_2 ")),
        "{tls}"
    );
    assert_eq!(response.headers()["x-client-cert"], "true");
    // an error status is a response, not a transport failure, by default
    let fault = post(&transport, port, b"fail").unwrap();
    assert_eq!(fault.status(), 500);
    // unless asked
    let strict = with_identity(builder(&pki).error_on_http_status(true), &pki.client);
    let err = post(&strict, port, b"fail").unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::HttpStatus);
    assert_eq!(err.status(), Some(500));
}

#[test]
fn the_modern_profile_negotiates_tls13() {
    let pki = pki();
    let port = serve(&pki, 1);
    let transport = with_identity(builder(&pki).tls_profile(TlsProfile::Modern), &pki.client);
    let response = post(&transport, port, b"x").unwrap();
    let tls = response.headers()["x-tls"].to_str().unwrap();
    assert!(tls.starts_with("TLSv1_3 "), "{tls}");
}

#[test]
fn client_identity_from_pkcs12() {
    let pki = pki();
    let port = serve(&pki, 1);
    let mut store = p12_keystore::KeyStore::new();
    let chain = vec![p12_keystore::Certificate::from_der(pki.client.cert.der()).unwrap()];
    store.add_entry(
        "client",
        p12_keystore::KeyStoreEntry::PrivateKeyChain(p12_keystore::PrivateKeyChain::new(
            pki.client.key.serialize_der(),
            [1u8; 20],
            chain,
        )),
    );
    let p12 = store.writer("secret").write().unwrap();
    let wrong = builder(&pki)
        .client_identity_pkcs12(&p12, "wrong")
        .unwrap_err();
    assert_eq!(wrong.kind(), TransportErrorKind::Configuration);
    let transport = builder(&pki)
        .client_identity_pkcs12(&p12, "secret")
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(post(&transport, port, b"p12").unwrap().body(), b"p12");
}

#[test]
fn no_client_certificate_is_a_tls_error() {
    let pki = pki();
    let port = serve(&pki, 1);
    let transport = builder(&pki).build().unwrap();
    let err = post(&transport, port, b"x").unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Tls, "{err}");
    assert_eq!(
        err.to_string(),
        "TLS failure: TLS: received fatal alert: CertificateRequired"
    );
}

#[test]
fn an_untrusted_client_certificate_is_a_tls_error() {
    let pki = pki();
    let port = serve(&pki, 1);
    let transport = with_identity(builder(&pki), &pki.rogue_client);
    let err = post(&transport, port, b"x").unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Tls, "{err}");
    assert_eq!(
        err.to_string(),
        "TLS failure: TLS: received fatal alert: UnknownCA"
    );
}

#[test]
fn an_untrusted_server_is_a_tls_error_and_web_roots_are_never_used() {
    let pki = pki();
    let port = serve(&pki, 1);
    // trust only the rogue CA: the server's chain does not verify
    let transport = with_identity(
        HttpsTransport::builder()
            .trust_anchors_pem(pki::rogue_ca().cert.pem().as_bytes())
            .unwrap(),
        &pki.client,
    );
    let err = post(&transport, port, b"x").unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Tls, "{err}");
    assert!(err.to_string().contains("certificate"), "{err}");
    // and without any anchor there is no transport at all
    let err = HttpsTransport::builder().build().unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Configuration);
    let err = HttpsTransport::builder()
        .trust_anchors_pem(b"not a pem")
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Configuration);
}

#[test]
fn a_silent_server_is_a_timeout() {
    let pki = pki();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let holder = thread::spawn(move || {
        // accept and say nothing until the client gives up
        let (mut s, _) = listener.accept().unwrap();
        let mut sink = [0u8; 1024];
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        while matches!(s.read(&mut sink), Ok(n) if n > 0) {}
    });
    let transport = builder(&pki)
        .timeout(Duration::from_millis(700))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = post(&transport, port, b"x").unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err}");
    assert!(start.elapsed() < Duration::from_secs(5));
    holder.join().unwrap();
}

#[test]
fn plain_http_and_refused_connections() {
    let pki = pki();
    let transport = builder(&pki).build().unwrap();
    let req = http::Request::get("http://127.0.0.1:9/")
        .body(Vec::new())
        .unwrap();
    assert_eq!(
        transport.send(req).unwrap_err().kind(),
        TransportErrorKind::InvalidRequest
    );
    // a port nobody listens on
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = post(&transport, port, b"x").unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Connection, "{err}");
}
