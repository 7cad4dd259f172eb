//! Every transaction through [`DmpClient`] + `HttpsTransport` over real mutual TLS, against the
//! simulator behind its HTTPS server (feature `simulator-https`), and the failure paths: no
//! client certificate and a certificate from an untrusted CA (refused in the handshake), a
//! TLS certificate that is not the VIHF signer's subject, unsigned and tampered VIHFs, unknown
//! patient, missing authorisation, bad metadata, document not found, hostile HTTP. The VIHF of
//! every kind of request the client sends is checked with `xmlsec1`.
//!
//! The test PKI is made by rcgen at test time (`segur-transport/tests/support/pki.rs`): the
//! structure's TLS certificate (`AUTH_CLI`) and signing certificate (`SIGN`) share one subject,
//! as IGC-Santé issues them.

mod common;
#[path = "../../segur-transport/tests/support/pki.rs"]
mod pki;
// only its `run` (an external tool that must be installed) is used here
#[path = "../../segur-xmldsig/tests/common/mod.rs"]
mod xmldsig_support;

use std::collections::BTreeSet;
use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pki::{Issued, Usage};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use segur_dmp::simulator::Simulator;
use segur_dmp::simulator::server::{ServerConfig, ServerLimits, SimulatorServer};
use segur_dmp::*;
use segur_soap::mtom::MtomMessage;
use segur_soap::vihf::VihfVerifier;
use segur_transport::{
    Clock as _, HttpRequest, HttpResponse, HttpsTransport, SeededRandomness, TlsProfile, Transport,
    TransportError, TransportErrorKind,
};
use segur_xmldsig::{Certificate, SoftwareSigner};

/// The structure's certificates (TLS and signature) share this common name.
const STRUCTURE: &str = "DMP STRUCTURE TEST";

struct Pki {
    ca: Issued,
    server: Issued,
    /// `AUTH_CLI`: the TLS client certificate.
    client: Issued,
    /// `SIGN`: signs the VIHF, same subject as `client`.
    signer: Issued,
    /// Trusted CA, but another subject than the signer's.
    stranger: Issued,
    /// The structure's subject under a CA the server does not trust.
    rogue: Issued,
}

fn pki() -> Pki {
    let ca = pki::ca("TEST AC IGC-SANTE", "ca");
    let rogue_ca = pki::rogue_ca();
    Pki {
        server: pki::leaf("127.0.0.1", "server", Usage::Server, &ca),
        client: pki::leaf(STRUCTURE, "client", Usage::Client, &ca),
        signer: pki::leaf(STRUCTURE, "sign", Usage::Signature, &ca),
        stranger: pki::leaf("AUTRE STRUCTURE", "client", Usage::Client, &ca),
        rogue: pki::leaf(STRUCTURE, "client", Usage::Client, &rogue_ca),
        ca,
    }
}

/// The server, configured by `configure` beyond the test PKI.
fn start_with(pki: &Pki, configure: impl FnOnce(ServerConfig) -> ServerConfig) -> SimulatorServer {
    let anchor = Certificate::from_der(pki.ca.cert.der().to_vec()).unwrap();
    let simulator = Simulator::new(
        VihfVerifier::with_trust_anchors(vec![anchor], common::clock().now()),
        99,
    );
    let config = ServerConfig::from_pem(
        pki.server.cert_pem().as_bytes(),
        pki.server.key_pem().as_bytes(),
        pki.ca.cert_pem().as_bytes(),
    )
    .unwrap();
    SimulatorServer::start(simulator, configure(config)).unwrap()
}

fn start(pki: &Pki) -> SimulatorServer {
    start_with(pki, |config| config)
}

/// The server, with a DMP for the test patient.
fn start_with_patient(pki: &Pki) -> SimulatorServer {
    let server = start(pki);
    server
        .simulator()
        .add_patient(&common::patient().to_hl7v2());
    server
}

/// An HTTPS transport (DMP TLS profile) trusting the test CA, with `tls` as client
/// certificate (if any).
fn transport(pki: &Pki, tls: Option<&Issued>) -> HttpsTransport {
    transport_with(pki, TlsProfile::Dmp, tls)
}

/// The same with another TLS profile.
fn transport_with(pki: &Pki, profile: TlsProfile, tls: Option<&Issued>) -> HttpsTransport {
    let mut builder = HttpsTransport::builder()
        .trust_anchors_pem(pki.ca.cert_pem().as_bytes())
        .unwrap()
        .tls_profile(profile)
        .timeout(Duration::from_secs(20));
    if let Some(id) = tls {
        builder = builder
            .client_identity_pem(id.cert_pem().as_bytes(), id.key_pem().as_bytes())
            .unwrap();
    }
    builder.build().unwrap()
}

fn client<T: Transport>(server: &SimulatorServer, transport: T, signer: &Issued) -> DmpClient<T> {
    let signer =
        SoftwareSigner::from_pem(signer.key_pem().as_bytes(), signer.cert_pem().as_bytes())
            .unwrap();
    DmpClient::new(
        transport,
        server.environment(),
        common::vihf_template(),
        Box::new(signer),
        common::sender(),
        Box::new(common::clock()),
        Box::new(SeededRandomness::new(5)),
    )
}

/// `(Content-Type, body)` of the requests sent.
type Log = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

/// Keeps `(Content-Type, body)` of every request it passes on.
struct Recording<T> {
    inner: T,
    sent: Log,
}

impl<T: Transport> Transport for Recording<T> {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let content_type = request
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        self.sent
            .lock()
            .unwrap()
            .push((content_type, request.body().clone()));
        self.inner.send(request)
    }
}

#[test]
fn every_transaction_over_mutual_tls() {
    let pki = pki();
    let server = start(&pki);
    let dmp = client(&server, transport(&pki, Some(&pki.client)), &pki.signer);
    common::life_cycle(&dmp, server.simulator());
}

/// `xmlsec1 --verify` of the VIHF inside `envelope` against the test CA: (accepted, output).
fn xmlsec1_verify(dir: &std::path::Path, envelope: &[u8]) -> (bool, String) {
    let file = dir.join("envelope.xml");
    std::fs::write(&file, envelope).unwrap();
    let out = xmldsig_support::run(
        "xmlsec1",
        &[
            "--verify",
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
            "--trusted-pem",
            dir.join("ca.pem").to_str().unwrap(),
            file.to_str().unwrap(),
        ],
    );
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn xmlsec1_verifies_the_vihf_of_every_request_kind() {
    let pki = pki();
    let server = start(&pki);
    let sent = Log::default();
    let recording = Recording {
        inner: transport(&pki, Some(&pki.client)),
        sent: Arc::clone(&sent),
    };
    let dmp = client(&server, recording, &pki.signer);
    common::life_cycle(&dmp, server.simulator());

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ca.pem"), pki.ca.cert_pem()).unwrap();
    let mut kinds = BTreeSet::new();
    let sent = sent.lock().unwrap();
    for (content_type, body) in sent.iter() {
        // the SOAP envelope: the whole body, or the root MIME part of MTOM requests (ITI-41)
        let message = MtomMessage::parse(content_type, body).unwrap();
        let action = message.envelope().unwrap().addressing.action.unwrap();
        let (ok, out) = xmlsec1_verify(dir.path(), &message.root().body);
        assert!(ok, "xmlsec1 rejected the VIHF of a {action} request: {out}");
        kinds.insert(action);
    }
    let expected: BTreeSet<String> = [
        action::TD0_2,
        action::TD0_3,
        action::TD0_4,
        action::ITI_41,
        action::ITI_18,
        action::ITI_43,
        action::ITI_57,
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(kinds, expected);
    assert!(
        sent.iter()
            .any(|(ct, _)| ct.starts_with("multipart/related")),
        "the feed is MTOM"
    );
    // the oracle can say no: the same envelope with one attribute changed
    let message = MtomMessage::parse(&sent[0].0, &sent[0].1).unwrap();
    let envelope = String::from_utf8(message.root().body.clone()).unwrap();
    let tampered = envelope.replace(">SA07^", ">SA01^");
    assert_ne!(tampered, envelope);
    let (ok, out) = xmlsec1_verify(dir.path(), tampered.as_bytes());
    assert!(!ok, "xmlsec1 accepted a tampered VIHF: {out}");
}

#[test]
fn the_handshake_refuses_a_missing_or_untrusted_client_certificate() {
    let pki = pki();
    let server = start(&pki);
    let ins = common::ins();
    // in TLS 1.3 (the modern profile) the client learns of the refusal after its handshake: a
    // TLS error all the same
    for profile in [TlsProfile::Dmp, TlsProfile::Modern] {
        for (tls, alert) in [
            (None, "CertificateRequired"),
            (Some(&pki.rogue), "UnknownCA"),
        ] {
            let dmp = client(&server, transport_with(&pki, profile, tls), &pki.signer);
            let err = dmp.test_existence(&ins).unwrap_err();
            let DmpErrorKind::Transport(e) = err.kind() else {
                panic!("not a transport error: {err}")
            };
            assert_eq!(e.kind(), TransportErrorKind::Tls, "{profile:?}: {err}");
            assert!(e.to_string().contains(alert), "{profile:?}: {err}");
        }
    }
    // the server goes on serving the right client
    let dmp = client(&server, transport(&pki, Some(&pki.client)), &pki.signer);
    assert!(!dmp.test_existence(&ins).unwrap().exists);
}

#[test]
fn a_tls_certificate_that_is_not_the_vihf_signer_gets_dmp_invalid_certificate() {
    let pki = pki();
    let server = start_with_patient(&pki);
    let dmp = client(&server, transport(&pki, Some(&pki.stranger)), &pki.signer);
    let err = dmp.test_existence(&common::ins()).unwrap_err();
    assert_eq!(err.dmp_code(), Some("DMPInvalidCertificate"), "{err}");
    assert!(err.to_string().contains("AUTRE STRUCTURE"), "{err}");
}

/// Sends a SetAuthorization carrying `vihf` as is.
fn set_authorization_with(
    server: &SimulatorServer,
    transport: &HttpsTransport,
    vihf: &str,
) -> Result<ServiceStatus, DmpError> {
    let request = common::set_authorization_request(&server.environment(), vihf);
    SetAuthorization::parse_response(&transport.send(request)?)
}

#[test]
fn unsigned_and_tampered_vihfs_are_faults() {
    let pki = pki();
    let server = start_with_patient(&pki);
    let https = transport(&pki, Some(&pki.client));
    let err = set_authorization_with(&server, &https, &common::unsigned_vihf()).unwrap_err();
    assert_eq!(err.dmp_code(), Some("DMPInvalidCertificate"), "{err}");

    let dmp = client(&server, transport(&pki, Some(&pki.client)), &pki.signer);
    let signed = dmp.signed_vihf(Some(&common::ins())).unwrap();
    let tampered = signed.replace(">SA07^", ">SA01^");
    assert_ne!(signed, tampered);
    let err = set_authorization_with(&server, &https, &tampered).unwrap_err();
    assert_eq!(err.dmp_code(), Some("DMPInvalidCertificate"), "{err}");
    // the untampered one passes
    let ok = set_authorization_with(&server, &https, &signed).unwrap();
    assert_eq!(ok.context.as_deref(), Some("Autorisation ajoutée"));
}

#[test]
fn unknown_patient_missing_authorisation_bad_metadata_and_missing_document() {
    let pki = pki();
    let server = start(&pki);
    let dmp = client(&server, transport(&pki, Some(&pki.client)), &pki.signer);
    let ins = common::ins();
    let patient = common::patient();
    let err = dmp
        .set_authorization(&ins, AuthorizationAction::Add)
        .unwrap_err();
    assert_eq!(err.dmp_code(), Some("DMPPatientNotFound"), "{err}");

    server.simulator().add_patient(&patient.to_hl7v2());
    let err = dmp
        .query(
            &ins,
            &Query::find_documents(&patient, &[segur_xds::AvailabilityStatus::Approved]),
        )
        .unwrap_err();
    assert_eq!(err.dmp_code(), Some("DMPAccessDeniedByRightsService"));
    let err = dmp.feed(&ins, &common::feed(1, common::CDA)).unwrap_err();
    assert_eq!(err.dmp_code(), Some("DMPAccessDeniedByRightsService"));

    dmp.set_authorization(&ins, AuthorizationAction::Add)
        .unwrap();
    // a document whose bytes no longer match the hash and size of its metadata (changed
    // after the client's own validation, so that the server's validator sees it)
    let vihf = dmp.signed_vihf(Some(&ins)).unwrap();
    let mut request = common::with_vihf_context(&server.environment(), &vihf, |ctx| {
        common::feed(1, common::CDA).to_http(ctx).unwrap()
    });
    let body = request.body_mut();
    let at = body
        .windows(b"<title>CR</title>".len())
        .position(|w| w == b"<title>CR</title>")
        .unwrap();
    body.splice(at..at + 17, b"<title>XXXXXX</title>".iter().copied());
    let https = transport(&pki, Some(&pki.client));
    let err = Feed::parse_response(&https.send(request).unwrap()).unwrap_err();
    assert_eq!(
        err.registry_codes(),
        ["XDSNonIdenticalHash", "XDSNonIdenticalSize"],
        "{err}"
    );
    assert_eq!(server.simulator().document_count(), 0);

    // a document that is not there
    let err = dmp
        .retrieve(
            &ins,
            &Retrieve::new(segur_xds::UniqueId::parse("1.2.250.1.999.1.1.7898.3.404").unwrap()),
        )
        .unwrap_err();
    assert_eq!(err.registry_codes(), ["XDSDocumentUniqueIdError"]);
}

/// A raw TLS client with the right certificate: writes `bytes`, returns all it reads until
/// the server closes.
fn raw_exchange(pki: &Pki, server: &SimulatorServer, bytes: &[u8]) -> String {
    raw_exchange_with(pki, server, rustls::DEFAULT_VERSIONS, bytes).unwrap()
}

/// The same, offering only `versions`.
fn raw_exchange_with(
    pki: &Pki,
    server: &SimulatorServer,
    versions: &[&'static rustls::SupportedProtocolVersion],
    bytes: &[u8],
) -> std::io::Result<String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add(pki.ca.cert.der().clone()).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .unwrap()
        .with_root_certificates(roots)
        .with_client_auth_cert(
            vec![pki.client.cert.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pki.client.key.serialize_der())),
        )
        .unwrap();
    let conn =
        rustls::ClientConnection::new(Arc::new(config), "127.0.0.1".try_into().unwrap()).unwrap();
    let tcp = TcpStream::connect(server.local_addr()).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    tls.write_all(bytes)?;
    tls.flush()?;
    let mut out = Vec::new();
    tls.read_to_end(&mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[test]
fn the_dmp_tls_profile_refuses_tls13_only_clients() {
    let pki = pki();
    let server = start_with(&pki, |config| config.dmp_tls_profile(true));
    let request = b"POST /r HTTP/1.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    let err = raw_exchange_with(&pki, &server, &[&rustls::version::TLS13], request).unwrap_err();
    assert!(err.to_string().contains("ProtocolVersion"), "{err}");
    let answer = raw_exchange_with(&pki, &server, &[&rustls::version::TLS12], request).unwrap();
    assert!(answer.starts_with("HTTP/1.1 500 "), "{answer}");
    // the client's modern profile falls back to TLS 1.2
    let modern = transport_with(&pki, TlsProfile::Modern, Some(&pki.client));
    let dmp = client(&server, modern, &pki.signer);
    assert!(!dmp.test_existence(&common::ins()).unwrap().exists);
}

#[test]
fn hostile_http_gets_an_error_status_and_a_closed_connection() {
    let pki = pki();
    let server = start(&pki);
    let cases: [(&[u8], &str); 6] = [
        (b"\x16\x03garbage\r\n\r\n", "400"),
        (
            b"GET /si-dmp-server/v2/services/registry HTTP/1.1\r\n\r\n",
            "405",
        ),
        (
            b"POST /r HTTP/1.1\r\nContent-Length: 999999999999\r\n\r\n",
            "413",
        ),
        (
            b"POST /r HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "400",
        ),
        (
            b"POST /r HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "400",
        ),
        (
            b"POST /r HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
            "501",
        ),
    ];
    for (request, status) in cases {
        let answer = raw_exchange(&pki, &server, request);
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status} ")),
            "{request:?}: {answer}"
        );
        assert!(answer.contains("Connection: close"), "{answer}");
    }
    // an oversized head
    let mut big = b"POST /r HTTP/1.1\r\nX-Big: ".to_vec();
    big.resize(40_000, b'a');
    big.extend_from_slice(b"\r\n\r\n");
    assert!(raw_exchange(&pki, &server, &big).starts_with("HTTP/1.1 431 "));
    // keep-alive, then a chunked request asking to close: two SOAP faults (no VIHF), one
    // connection
    let two = b"POST /si-dmp-server/v2/services/registry HTTP/1.1\r\nContent-Length: 0\r\n\r\n\
POST /si-dmp-server/v2/services/registry HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
    let answer = raw_exchange(&pki, &server, two);
    assert_eq!(answer.matches("HTTP/1.1 500 ").count(), 2, "{answer}");
    assert_eq!(answer.matches("<soap:Fault>").count(), 2, "{answer}");
    // the server is still fine
    let dmp = client(&server, transport(&pki, Some(&pki.client)), &pki.signer);
    assert!(!dmp.test_existence(&common::ins()).unwrap().exists);
}

#[test]
fn a_slow_client_is_cut_off_and_the_server_stops_when_dropped() {
    let pki = pki();
    let mut limits = ServerLimits::default();
    limits.request_timeout = Duration::from_millis(300);
    let server = start_with(&pki, |config| config.limits(limits));
    let started = Instant::now();
    // half a head, then silence: closed without an answer once the request time is up
    let answer = raw_exchange(&pki, &server, b"POST /r HTTP/1.1\r\nContent-Le");
    assert_eq!(answer, "");
    assert!(started.elapsed() < Duration::from_secs(5));
    let addr = server.local_addr();
    drop(server);
    assert!(TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err());
}

#[test]
fn bad_server_configurations_are_errors() {
    let pki = pki();
    let err = ServerConfig::from_pem(b"nothing", pki.server.key_pem().as_bytes(), b"").unwrap_err();
    assert!(matches!(err.kind(), DmpErrorKind::Server(_)), "{err}");
    let err = ServerConfig::from_pem(
        pki.server.cert_pem().as_bytes(),
        pki.server.key_pem().as_bytes(),
        b"no anchors",
    )
    .unwrap_err();
    assert!(err.to_string().contains("client trust anchors"), "{err}");
    // a key that is not the certificate's
    let config = ServerConfig::from_pem(
        pki.server.cert_pem().as_bytes(),
        pki.client.key_pem().as_bytes(),
        pki.ca.cert_pem().as_bytes(),
    )
    .unwrap();
    let sim = Simulator::new(
        VihfVerifier::with_trust_anchors(Vec::new(), common::clock().now()),
        1,
    );
    assert!(SimulatorServer::start(sim, config).is_err());
}

#[test]
fn concurrent_clients_and_the_connection_cap() {
    let pki = pki();
    let server = start_with_patient(&pki);
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                let dmp = client(&server, transport(&pki, Some(&pki.client)), &pki.signer);
                for _ in 0..3 {
                    assert!(dmp.test_existence(&common::ins()).unwrap().exists);
                }
            });
        }
    });

    let mut limits = ServerLimits::default();
    limits.max_connections = 1;
    let capped = start_with(&pki, |config| config.limits(limits));
    let dmp = client(&capped, transport(&pki, Some(&pki.client)), &pki.signer);
    // a connection that says nothing holds the only slot: the next one is closed at once
    let squatter = TcpStream::connect(capped.local_addr()).unwrap();
    let err = dmp.test_existence(&common::ins()).unwrap_err();
    assert!(matches!(err.kind(), DmpErrorKind::Transport(_)), "{err}");
    drop(squatter);
    let deadline = Instant::now() + Duration::from_secs(5);
    while dmp.test_existence(&common::ins()).is_err() {
        assert!(Instant::now() < deadline, "the slot was never freed");
        std::thread::sleep(Duration::from_millis(50));
    }
}
