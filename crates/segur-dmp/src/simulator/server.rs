//! The simulator behind a real HTTPS server with mutual TLS (feature `simulator-https`).
//!
//! [`SimulatorServer::start`] binds a TCP listener (loopback, any free port by default) and
//! serves each connection on its own thread: a rustls handshake that **requires** a client
//! certificate chaining to the configured anchors (no certificate → `CertificateRequired`
//! alert, a certificate from another CA → `UnknownCA`), then HTTP/1.1 requests (keep-alive,
//! `Content-Length` or chunked bodies) handed to [`Simulator::handle`] with the client's
//! certificate attached as a [`TlsClientCertificate`] extension, so that a VIHF signed under
//! another subject than the TLS certificate gets the DMP's `DMPInvalidCertificate` fault.
//!
//! The HTTP layer is bounded: head size, header count, body size, time to receive a request,
//! idle time between requests, handshake time, concurrent connections ([`ServerLimits`]).
//! Anything it cannot read gets a `400 Bad Request` (or `413`, `431`, `405`, `501`) and a closed
//! connection. There is no async runtime: std threads and blocking sockets.
//!
//! The server stops when the [`SimulatorServer`] is dropped: the listener closes, open
//! connections are shut down and every thread is joined.

use std::collections::HashMap;
use std::io::{self, Read as _, Write as _};
use std::net::{IpAddr, Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConnection, StreamOwned};

use super::{Simulator, TlsClientCertificate};
use crate::env::Environment;
use crate::error::{DmpError, DmpErrorKind};

/// The path under which the services are served, as on the real DMP.
pub const SERVICES_PATH: &str = "/si-dmp-server/v2/services";

/// Bounds on what a client may make the server hold or wait for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerLimits {
    /// Largest request line + headers, in bytes (default 16 KiB; more gets `431`).
    pub max_head_bytes: usize,
    /// Most header fields in a request (default 64; more gets `431`).
    pub max_headers: usize,
    /// Largest request body, in bytes (default 64 MiB; more gets `413`).
    pub max_body_bytes: usize,
    /// Time allowed for the TLS handshake (default 10 s).
    pub handshake_timeout: Duration,
    /// Time allowed to receive one whole request once its first byte arrived (default 30 s).
    pub request_timeout: Duration,
    /// Time a kept-alive connection may stay silent before it is closed (default 15 s).
    pub idle_timeout: Duration,
    /// Connections served at the same time; more are closed at once (default 32).
    pub max_connections: usize,
    /// Requests served on one connection before it is closed (default 1000).
    pub max_requests_per_connection: usize,
}

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            max_head_bytes: 16 * 1024,
            max_headers: 64,
            max_body_bytes: 64 * 1024 * 1024,
            handshake_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(15),
            max_connections: 32,
            max_requests_per_connection: 1000,
        }
    }
}

/// What the server presents and whom it accepts: its certificate chain and key, and the
/// anchors client certificates must chain to (the IGC-Santé roots stand-ins in tests).
pub struct ServerConfig {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
    client_anchors: Vec<CertificateDer<'static>>,
    listen: SocketAddr,
    limits: ServerLimits,
    dmp_profile: bool,
}

impl std::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerConfig")
            .field("chain", &self.chain.len())
            .field("client_anchors", &self.client_anchors.len())
            .field("listen", &self.listen)
            .field("limits", &self.limits)
            .field("dmp_profile", &self.dmp_profile)
            .finish_non_exhaustive()
    }
}

fn server_error(what: &str, e: impl std::fmt::Display) -> DmpError {
    DmpError::new(DmpErrorKind::Server(format!("{what}: {e}")))
}

fn certificates(pem: &[u8], what: &str) -> Result<Vec<CertificateDer<'static>>, DmpError> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| server_error(what, e))?;
    if certs.is_empty() {
        return Err(server_error(what, "no certificate in the PEM"));
    }
    Ok(certs)
}

impl ServerConfig {
    /// From PEM: the server's certificate chain (leaf first; for clients using the DMP's TLS
    /// 1.2 profile the key must be RSA), its private key (PKCS#8, PKCS#1 or SEC1), and one or
    /// more client trust anchors. Listens on `127.0.0.1`, any free port.
    pub fn from_pem(
        chain_pem: &[u8],
        key_pem: &[u8],
        client_anchors_pem: &[u8],
    ) -> Result<Self, DmpError> {
        let chain = certificates(chain_pem, "server certificate")?;
        let key = PrivateKeyDer::from_pem_slice(key_pem)
            .map_err(|e| server_error("server private key", e))?;
        let client_anchors = certificates(client_anchors_pem, "client trust anchors")?;
        Ok(Self {
            chain,
            key,
            client_anchors,
            listen: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
            limits: ServerLimits::default(),
            dmp_profile: false,
        })
    }

    /// Listens on `addr` instead (port 0: any free port).
    #[must_use]
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// Other limits than [`ServerLimits::default`].
    #[must_use]
    pub fn limits(mut self, limits: ServerLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Accepts only what the DMP accepts from LPS (PDT-INF-579v4): TLS 1.2 with
    /// `TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256`, `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256` and
    /// `TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384` (needs an RSA server key), so that a client
    /// offering only TLS 1.3 or other suites fails here as it would against the DMP. Default:
    /// TLS 1.2 and 1.3 with every suite of *ring*.
    #[must_use]
    pub fn dmp_tls_profile(mut self, yes: bool) -> Self {
        self.dmp_profile = yes;
        self
    }

    fn tls(&self) -> Result<Arc<rustls::ServerConfig>, DmpError> {
        let mut provider = rustls::crypto::ring::default_provider();
        let versions: &[&rustls::SupportedProtocolVersion] = if self.dmp_profile {
            use rustls::crypto::ring::cipher_suite as cs;
            provider.cipher_suites = vec![
                cs::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
                cs::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                cs::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            ];
            &[&rustls::version::TLS12]
        } else {
            rustls::DEFAULT_VERSIONS
        };
        let provider = Arc::new(provider);
        let mut roots = RootCertStore::empty();
        for anchor in &self.client_anchors {
            roots
                .add(anchor.clone())
                .map_err(|e| server_error("client trust anchor", e))?;
        }
        let verifier =
            WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .map_err(|e| server_error("client certificate verifier", e))?;
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(versions)
            .map_err(|e| server_error("TLS versions", e))?
            .with_client_cert_verifier(verifier)
            .with_single_cert(self.chain.clone(), self.key.clone_key())
            .map_err(|e| server_error("server certificate and key", e))?;
        Ok(Arc::new(config))
    }
}

/// What the acceptor and the connection threads share.
struct Shared {
    simulator: Arc<Simulator>,
    tls: Arc<rustls::ServerConfig>,
    limits: ServerLimits,
    stop: AtomicBool,
    next_id: AtomicU64,
    /// The open connections (a clone of each socket, to shut them down on stop).
    open: Mutex<HashMap<u64, TcpStream>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running HTTPS front end of a [`Simulator`]; stops when dropped.
///
/// ```no_run
/// use segur_dmp::simulator::Simulator;
/// use segur_dmp::simulator::server::{ServerConfig, SimulatorServer};
/// # fn f(verifier: segur_soap::vihf::VihfVerifier) -> Result<(), segur_dmp::DmpError> {
/// let config = ServerConfig::from_pem(
///     &std::fs::read("server.pem").unwrap(),
///     &std::fs::read("server.key").unwrap(),
///     &std::fs::read("client-ca.pem").unwrap(),
/// )?;
/// let server = SimulatorServer::start(Simulator::new(verifier, 1), config)?;
/// server.simulator().add_patient("279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH");
/// println!("DMP simulator at {}", server.url());
/// // point a DmpClient over HttpsTransport at server.environment()
/// # Ok(()) }
/// ```
pub struct SimulatorServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for SimulatorServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimulatorServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl SimulatorServer {
    /// Binds and starts serving `simulator` (a [`Simulator`] or an `Arc` of one kept by the
    /// caller).
    pub fn start(
        simulator: impl Into<Arc<Simulator>>,
        config: ServerConfig,
    ) -> Result<Self, DmpError> {
        let tls = config.tls()?;
        let listener =
            TcpListener::bind(config.listen).map_err(|e| server_error("cannot listen", e))?;
        let addr = listener
            .local_addr()
            .map_err(|e| server_error("cannot listen", e))?;
        let shared = Arc::new(Shared {
            simulator: simulator.into(),
            tls,
            limits: config.limits,
            stop: AtomicBool::new(false),
            next_id: AtomicU64::new(0),
            open: Mutex::new(HashMap::new()),
            threads: Mutex::new(Vec::new()),
        });
        let acceptor = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("dmp-simulator-accept".into())
                .spawn(move || accept(&listener, &shared))
                .map_err(|e| server_error("cannot start a thread", e))?
        };
        Ok(Self {
            addr,
            shared,
            acceptor: Some(acceptor),
        })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL of the services, `https://127.0.0.1:<port>/si-dmp-server/v2/services`
    /// (a wildcard listen address is given as loopback).
    pub fn url(&self) -> String {
        format!("https://{}{SERVICES_PATH}", self.connect_addr())
    }

    /// The [`Environment`] of [`url`](Self::url), for a `DmpClient`.
    pub fn environment(&self) -> Environment {
        Environment::new(self.url())
    }

    /// The simulator behind the server (to add patients and authorisations, count documents).
    pub fn simulator(&self) -> &Arc<Simulator> {
        &self.shared.simulator
    }

    fn connect_addr(&self) -> SocketAddr {
        let mut addr = self.addr;
        if addr.ip().is_unspecified() {
            addr.set_ip(match addr.ip() {
                IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
                IpAddr::V6(_) => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
            });
        }
        addr
    }

    /// Serves until the process ends (a simulator run as a process, as `segur dmp
    /// simulator` does); returns only if the acceptor thread dies.
    pub fn wait(mut self) {
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

impl Drop for SimulatorServer {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // wake the acceptor blocked in accept()
        let _ = TcpStream::connect_timeout(&self.connect_addr(), Duration::from_secs(1));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
        for stream in lock(&self.shared.open).values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        let threads = std::mem::take(&mut *lock(&self.shared.threads));
        for t in threads {
            let _ = t.join();
        }
    }
}

fn accept(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(tcp) = stream else {
            // out of descriptors and the like: do not spin
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        lock(&shared.threads).retain(|t| !t.is_finished());
        let id = shared.next_id.fetch_add(1, Ordering::Relaxed);
        {
            let mut open = lock(&shared.open);
            if open.len() >= shared.limits.max_connections {
                // over capacity: refuse at once rather than queue
                drop(tcp);
                continue;
            }
            let Ok(clone) = tcp.try_clone() else { continue };
            open.insert(id, clone);
        }
        let worker = Arc::clone(shared);
        let spawned = std::thread::Builder::new()
            .name("dmp-simulator-conn".into())
            .spawn(move || {
                // frees the slot even if serving panics
                let _slot = Slot {
                    shared: &worker,
                    id,
                };
                serve(tcp, &worker);
            });
        match spawned {
            Ok(handle) => lock(&shared.threads).push(handle),
            Err(_) => {
                lock(&shared.open).remove(&id);
            }
        }
    }
}

/// Why a request could not be read.
#[derive(Debug)]
enum ReadError {
    /// The peer closed, a socket error, or the connection went idle: close silently.
    Gone,
    /// Answer this status with a short text, then close.
    Reject(u16, &'static str),
}

type Tls = StreamOwned<ServerConnection, TcpStream>;

/// Where request bytes come from: the TLS stream, or a buffer ([`parse_request`]).
trait Input: io::Read {
    /// Blocks reads for at most `timeout`.
    fn set_timeout(&mut self, timeout: Duration);
    /// Sends `100 Continue`; `false` if the peer is gone.
    fn send_continue(&mut self) -> bool;
}

impl Input for Tls {
    fn set_timeout(&mut self, timeout: Duration) {
        let _ = self.sock.set_read_timeout(Some(timeout));
    }

    fn send_continue(&mut self) -> bool {
        self.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").is_ok() && self.flush().is_ok()
    }
}

impl Input for &[u8] {
    fn set_timeout(&mut self, _: Duration) {}

    fn send_continue(&mut self) -> bool {
        true
    }
}

/// A connection's entry in the open-connection table, removed when dropped.
struct Slot<'s> {
    shared: &'s Shared,
    id: u64,
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        lock(&self.shared.open).remove(&self.id);
    }
}

/// `timeout` from now, or far ahead when that is not representable (`Duration::MAX`).
fn deadline_in(timeout: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(timeout)
        .unwrap_or_else(|| now + Duration::from_secs(365 * 24 * 3600))
}

struct Connection<S> {
    io: S,
    /// Bytes received and not consumed yet (`buf[pos..]`).
    buf: Vec<u8>,
    pos: usize,
}

impl<S: Input> Connection<S> {
    fn available(&self) -> &[u8] {
        &self.buf[self.pos..]
    }

    /// Reads more bytes before `deadline`; `Ok(false)` at end of stream.
    fn fill(&mut self, deadline: Instant) -> Result<bool, ReadError> {
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(ReadError::Gone);
        }
        self.io.set_timeout(remaining);
        let mut chunk = [0u8; 16 * 1024];
        loop {
            match self.io.read(&mut chunk) {
                Ok(0) => return Ok(false),
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return Err(ReadError::Gone),
            }
        }
    }

    /// Makes `n` unconsumed bytes available.
    fn want(&mut self, n: usize, deadline: Instant) -> Result<(), ReadError> {
        while self.available().len() < n {
            if !self.fill(deadline)? {
                return Err(ReadError::Reject(400, "truncated request"));
            }
        }
        Ok(())
    }

    /// The length of the next line (CRLF excluded), at most `max` bytes.
    fn line(&mut self, max: usize, deadline: Instant) -> Result<usize, ReadError> {
        let mut from = 0;
        loop {
            let avail = self.available();
            if let Some(i) = avail[from..].windows(2).position(|w| w == b"\r\n") {
                return Ok(from + i);
            }
            if avail.len() > max {
                return Err(ReadError::Reject(400, "line too long"));
            }
            from = avail.len().saturating_sub(1);
            if !self.fill(deadline)? {
                return Err(ReadError::Reject(400, "truncated request"));
            }
        }
    }

    /// Drops consumed bytes (pipelined requests stay).
    fn compact(&mut self) {
        self.buf.drain(..self.pos);
        self.pos = 0;
    }
}

impl Connection<Tls> {
    fn write_response(&mut self, response: &http::Response<Vec<u8>>, keep_alive: bool) -> bool {
        let status = response.status();
        let mut head = format!(
            "HTTP/1.1 {} {}\r\n",
            status.as_str(),
            status.canonical_reason().unwrap_or("Unknown")
        );
        for (name, value) in response.headers() {
            if name == http::header::CONTENT_LENGTH || name == http::header::CONNECTION {
                continue;
            }
            if let Ok(v) = value.to_str() {
                head.push_str(&format!("{name}: {v}\r\n"));
            }
        }
        head.push_str(&format!(
            "Content-Length: {}\r\nConnection: {}\r\n\r\n",
            response.body().len(),
            if keep_alive { "keep-alive" } else { "close" }
        ));
        self.io.write_all(head.as_bytes()).is_ok()
            && self.io.write_all(response.body()).is_ok()
            && self.io.flush().is_ok()
    }

    fn reject(&mut self, status: u16, reason: &str) {
        let mut response = http::Response::new(format!("{reason}\n").into_bytes());
        *response.status_mut() =
            http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::BAD_REQUEST);
        response.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("text/plain; charset=UTF-8"),
        );
        self.write_response(&response, false);
    }

    fn close(mut self) {
        self.io.conn.send_close_notify();
        let _ = self.io.flush();
        linger(&mut self.io.sock);
    }
}

/// Closes our side, then reads (bounded: 1 MiB, 1 s) what the client still sends, so that
/// closing with unread bytes does not reset the connection before the client has read our
/// last answer or alert.
fn linger(sock: &mut TcpStream) {
    let _ = sock.shutdown(Shutdown::Write);
    let _ = sock.set_read_timeout(Some(Duration::from_secs(1)));
    let deadline = Instant::now() + Duration::from_secs(1);
    let mut sink = [0u8; 4096];
    let mut drained = 0usize;
    while let Ok(n @ 1..) = sock.read(&mut sink) {
        drained += n;
        if drained > 1024 * 1024 || Instant::now() > deadline {
            break;
        }
    }
}

/// Completes the handshake before `limits.handshake_timeout`; on failure sends rustls' alert
/// and lets the client read it before the socket closes.
fn handshake(tls: &mut Tls, limits: &ServerLimits) -> bool {
    let deadline = deadline_in(limits.handshake_timeout);
    while tls.conn.is_handshaking() {
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return false;
        }
        let _ = tls.sock.set_read_timeout(Some(remaining));
        match tls.conn.complete_io(&mut tls.sock) {
            Ok((0, 0)) => return false,
            Ok(_) => {}
            Err(e) => {
                if e.kind() == io::ErrorKind::InvalidData {
                    // a TLS error: the alert was written; let the client read it
                    linger(&mut tls.sock);
                }
                return false;
            }
        }
    }
    true
}

/// Serves one connection: handshake, then requests until close, idle, error or stop.
fn serve(tcp: TcpStream, shared: &Shared) {
    let limits = &shared.limits;
    let _ = tcp.set_nodelay(true);
    let _ = tcp.set_write_timeout(Some(limits.request_timeout));
    let Ok(conn) = ServerConnection::new(Arc::clone(&shared.tls)) else {
        return;
    };
    let mut tls = StreamOwned::new(conn, tcp);
    if !handshake(&mut tls, limits) {
        return;
    }
    let client = tls
        .conn
        .peer_certificates()
        .and_then(|chain| chain.first())
        .map(|leaf| TlsClientCertificate::new(leaf.to_vec()));
    let mut conn = Connection {
        io: tls,
        buf: Vec::new(),
        pos: 0,
    };
    let mut served = 0;
    while !shared.stop.load(Ordering::SeqCst) {
        let mut request = match read_request(&mut conn, limits) {
            Ok(Some(r)) => r,
            Ok(None) | Err(ReadError::Gone) => break,
            Err(ReadError::Reject(status, reason)) => {
                conn.reject(status, reason);
                break;
            }
        };
        served += 1;
        let keep_alive = request.keep_alive && served < limits.max_requests_per_connection;
        if let Some(c) = &client {
            request.http.extensions_mut().insert(c.clone());
        }
        let response = shared.simulator.handle(&request.http);
        if !conn.write_response(&response, keep_alive) || !keep_alive {
            break;
        }
        conn.compact();
    }
    conn.close();
}

struct Request {
    http: http::Request<Vec<u8>>,
    keep_alive: bool,
}

/// Reads the first request of `input` exactly as the server reads one from a connection: the
/// same bounds, `POST` only, a `Content-Length` or chunked body (the rest of `input` is
/// ignored). `Err` is the status the server answers before closing the connection (`400` for
/// an empty or truncated request). For fuzzing, and for other front ends of the [`Simulator`].
pub fn parse_request(
    input: &[u8],
    limits: &ServerLimits,
) -> Result<http::Request<Vec<u8>>, http::StatusCode> {
    let mut conn = Connection {
        io: input,
        buf: Vec::new(),
        pos: 0,
    };
    match read_request(&mut conn, limits) {
        Ok(Some(request)) => Ok(request.http),
        Ok(None) | Err(ReadError::Gone) => Err(http::StatusCode::BAD_REQUEST),
        Err(ReadError::Reject(status, _)) => {
            Err(http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::BAD_REQUEST))
        }
    }
}

/// Reads one request; `Ok(None)` when the connection closes or idles out before it starts.
fn read_request<S: Input>(
    conn: &mut Connection<S>,
    limits: &ServerLimits,
) -> Result<Option<Request>, ReadError> {
    // wait for the first byte (idle), then for the whole request
    let idle = deadline_in(limits.idle_timeout);
    while conn.available().is_empty() {
        match conn.fill(idle) {
            Ok(true) => {}
            Ok(false) | Err(_) => return Ok(None),
        }
    }
    let deadline = deadline_in(limits.request_timeout);
    let head_len = loop {
        let avail = conn.available();
        if let Some(i) = avail.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if avail.len() > limits.max_head_bytes {
            return Err(ReadError::Reject(431, "request head too large"));
        }
        if !conn.fill(deadline)? {
            return Err(ReadError::Reject(400, "truncated request head"));
        }
    };
    if head_len > limits.max_head_bytes {
        return Err(ReadError::Reject(431, "request head too large"));
    }
    let head = parse_head(&conn.available()[..head_len], limits.max_headers)?;
    conn.pos += head_len;
    if matches!(head.framing, Framing::Length(n) if n > limits.max_body_bytes) {
        return Err(ReadError::Reject(413, "request body too large"));
    }
    if head.expect_continue && !conn.io.send_continue() {
        return Err(ReadError::Gone);
    }
    let body = match head.framing {
        Framing::Length(n) => {
            conn.want(n, deadline)?;
            let body = conn.available()[..n].to_vec();
            conn.pos += n;
            body
        }
        Framing::Chunked => read_chunked(conn, limits, deadline)?,
    };
    let mut http = http::Request::new(body);
    *http.method_mut() = http::Method::POST;
    *http.uri_mut() = head.uri;
    *http.headers_mut() = head.headers;
    Ok(Some(Request {
        http,
        keep_alive: head.keep_alive,
    }))
}

fn read_chunked<S: Input>(
    conn: &mut Connection<S>,
    limits: &ServerLimits,
    deadline: Instant,
) -> Result<Vec<u8>, ReadError> {
    const MAX_LINE: usize = 1024;
    // chunk-size lines and extensions count too: tiny chunks with long lines stay bounded
    let max_wire = limits
        .max_body_bytes
        .saturating_mul(2)
        .saturating_add(limits.max_head_bytes);
    let mut wire = 0usize;
    let mut body = Vec::new();
    loop {
        // what was consumed is dropped as the body grows
        if conn.pos > 64 * 1024 {
            conn.compact();
        }
        let line = conn.line(MAX_LINE, deadline)?;
        wire = wire.saturating_add(line + 2);
        if wire > max_wire {
            return Err(ReadError::Reject(413, "request body too large"));
        }
        let Ok(httparse::Status::Complete((_, size))) =
            httparse::parse_chunk_size(&conn.available()[..line + 2])
        else {
            return Err(ReadError::Reject(400, "bad chunk size"));
        };
        conn.pos += line + 2;
        if size == 0 {
            // trailers (ignored) up to the empty line
            let mut trailer_bytes = 0;
            loop {
                let line = conn.line(MAX_LINE, deadline)?;
                conn.pos += line + 2;
                trailer_bytes += line + 2;
                if line == 0 {
                    return Ok(body);
                }
                if trailer_bytes > limits.max_head_bytes {
                    return Err(ReadError::Reject(431, "trailers too large"));
                }
            }
        }
        let size = usize::try_from(size)
            .ok()
            .filter(|s| body.len().saturating_add(*s) <= limits.max_body_bytes)
            .filter(|s| s.checked_add(2).is_some())
            .ok_or(ReadError::Reject(413, "request body too large"))?;
        wire = wire.saturating_add(size + 2);
        conn.want(size + 2, deadline)?;
        let avail = conn.available();
        if &avail[size..size + 2] != b"\r\n" {
            return Err(ReadError::Reject(400, "bad chunk terminator"));
        }
        body.extend_from_slice(&avail[..size]);
        conn.pos += size + 2;
    }
}

/// How the body is delimited.
#[derive(Debug, PartialEq, Eq)]
enum Framing {
    Length(usize),
    Chunked,
}

#[derive(Debug)]
struct Head {
    uri: http::Uri,
    headers: http::HeaderMap,
    framing: Framing,
    keep_alive: bool,
    expect_continue: bool,
}

/// Parses a complete request head (`\r\n\r\n` included).
fn parse_head(bytes: &[u8], max_headers: usize) -> Result<Head, ReadError> {
    const BAD: ReadError = ReadError::Reject(400, "malformed request head");
    // a header line takes at least four bytes: no more slots than the head can fill
    let mut slots = vec![httparse::EMPTY_HEADER; max_headers.min(bytes.len() / 4 + 1)];
    let mut parsed = httparse::Request::new(&mut slots);
    match parsed.parse(bytes) {
        Ok(httparse::Status::Complete(_)) => {}
        Err(httparse::Error::TooManyHeaders) => {
            return Err(ReadError::Reject(431, "too many header fields"));
        }
        _ => return Err(BAD),
    }
    if parsed.method != Some("POST") {
        return Err(ReadError::Reject(405, "only POST is served"));
    }
    let path = parsed.path.unwrap_or_default();
    if !path.starts_with('/') {
        return Err(ReadError::Reject(
            400,
            "the target must be an absolute path",
        ));
    }
    let uri: http::Uri = path.parse().map_err(|_| BAD)?;
    let http11 = parsed.version == Some(1);
    let mut headers = http::HeaderMap::new();
    let mut length: Option<usize> = None;
    let mut chunked = false;
    let mut close = !http11;
    let mut expect_continue = false;
    for h in parsed.headers.iter() {
        let name = http::HeaderName::from_bytes(h.name.as_bytes()).map_err(|_| BAD)?;
        let value = http::HeaderValue::from_bytes(h.value).map_err(|_| BAD)?;
        let text = value.to_str().unwrap_or_default().trim();
        if name == http::header::CONTENT_LENGTH {
            let n = (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
                .then(|| text.parse::<usize>().ok())
                .flatten()
                .ok_or(ReadError::Reject(400, "bad Content-Length"))?;
            if length.is_some_and(|l| l != n) {
                return Err(ReadError::Reject(400, "conflicting Content-Length"));
            }
            length = Some(n);
        } else if name == http::header::TRANSFER_ENCODING {
            if !text.eq_ignore_ascii_case("chunked") || chunked {
                return Err(ReadError::Reject(501, "unsupported Transfer-Encoding"));
            }
            chunked = true;
        } else if name == http::header::CONNECTION {
            for token in text.split(',').map(str::trim) {
                if token.eq_ignore_ascii_case("close") {
                    close = true;
                } else if token.eq_ignore_ascii_case("keep-alive") && !http11 {
                    close = false;
                }
            }
        } else if name == http::header::EXPECT {
            if !text.eq_ignore_ascii_case("100-continue") {
                return Err(ReadError::Reject(417, "unsupported Expect"));
            }
            expect_continue = true;
        }
        headers.append(name, value);
    }
    let framing = match (chunked, length) {
        (true, Some(_)) => {
            return Err(ReadError::Reject(
                400,
                "both Content-Length and Transfer-Encoding",
            ));
        }
        (true, None) => Framing::Chunked,
        (false, n) => Framing::Length(n.unwrap_or(0)),
    };
    Ok(Head {
        uri,
        headers,
        framing,
        keep_alive: !close,
        expect_continue,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(bytes: &[u8]) -> u16 {
        match parse_head(bytes, 8) {
            Ok(_) => 200,
            Err(ReadError::Reject(s, _)) => s,
            Err(ReadError::Gone) => 0,
        }
    }

    #[test]
    fn heads_are_parsed_and_hostile_ones_rejected() {
        let ok = parse_head(
            b"POST /si-dmp-server/v2/services/registry HTTP/1.1\r\nHost: x\r\nContent-Type: application/soap+xml\r\nContent-Length: 12\r\n\r\n",
            8,
        )
        .unwrap();
        assert_eq!(ok.uri.path(), "/si-dmp-server/v2/services/registry");
        assert_eq!(ok.framing, Framing::Length(12));
        assert!(ok.keep_alive && !ok.expect_continue);
        assert_eq!(ok.headers["content-type"], "application/soap+xml");
        let chunked = parse_head(
            b"POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\nExpect: 100-continue\r\n\r\n",
            8,
        )
        .unwrap();
        assert_eq!(chunked.framing, Framing::Chunked);
        assert!(!chunked.keep_alive && chunked.expect_continue);
        assert!(
            !parse_head(b"POST /a HTTP/1.0\r\n\r\n", 8)
                .unwrap()
                .keep_alive
        );

        assert_eq!(status(b"GET / HTTP/1.1\r\n\r\n"), 405);
        assert_eq!(status(b"POST http://x/ HTTP/1.1\r\n\r\n"), 400);
        assert_eq!(
            status(b"POST /a HTTP/1.1\r\nContent-Length: -1\r\n\r\n"),
            400
        );
        assert_eq!(
            status(b"POST /a HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n"),
            400
        );
        assert_eq!(
            status(b"POST /a HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
            400
        );
        assert_eq!(
            status(b"POST /a HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"),
            400
        );
        assert_eq!(
            status(b"POST /a HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n"),
            501
        );
        assert_eq!(status(b"POST /a HTTP/1.1\r\nExpect: magic\r\n\r\n"), 417);
        assert_eq!(status(b"POST /a HTTP/1.1\r\nBad Header: x\r\n\r\n"), 400);
        assert_eq!(status(b"\x00\xff garbage\r\n\r\n"), 400);
        let many: String = (0..9).map(|i| format!("X-{i}: v\r\n")).collect();
        assert_eq!(
            status(format!("POST /a HTTP/1.1\r\n{many}\r\n").as_bytes()),
            431
        );
    }

    #[test]
    fn chunked_bodies_are_bounded_on_the_wire_too() {
        let limits = ServerLimits {
            max_body_bytes: 1024,
            ..ServerLimits::default()
        };
        // one-byte chunks behind long extension lines: the body stays small, the wire does not
        let ext = "x".repeat(1000);
        let mut req = b"POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        for _ in 0..1000 {
            req.extend_from_slice(format!("1;{ext}\r\na\r\n").as_bytes());
        }
        req.extend_from_slice(b"0\r\n\r\n");
        assert_eq!(
            parse_request(&req, &limits).unwrap_err(),
            http::StatusCode::PAYLOAD_TOO_LARGE
        );
        // the same chunks without extensions fit
        let mut ok = b"POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        for _ in 0..1000 {
            ok.extend_from_slice(b"1\r\na\r\n");
        }
        ok.extend_from_slice(b"0\r\n\r\n");
        assert_eq!(parse_request(&ok, &limits).unwrap().body().len(), 1000);
    }

    #[test]
    fn extreme_limits_do_not_panic() {
        let limits = ServerLimits {
            max_body_bytes: usize::MAX,
            max_headers: usize::MAX,
            request_timeout: Duration::MAX,
            idle_timeout: Duration::MAX,
            ..ServerLimits::default()
        };
        let huge =
            b"POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFF\r\nab\r\n";
        assert!(parse_request(huge, &limits).is_err());
        let fine = b"POST /a HTTP/1.1\r\nContent-Length: 2\r\n\r\nab";
        assert_eq!(parse_request(fine, &limits).unwrap().body(), b"ab");
    }

    #[test]
    fn arbitrary_heads_never_panic() {
        // a cheap deterministic sweep of byte soup and truncations of a valid head
        let valid = b"POST /a HTTP/1.1\r\nContent-Length: 3\r\nConnection: keep-alive\r\n\r\n";
        for cut in 0..valid.len() {
            let _ = status(&valid[..cut]);
        }
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..2000 {
            let mut bytes = valid.to_vec();
            for _ in 0..4 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let i = usize::try_from(x % bytes.len() as u64).unwrap_or(0);
                bytes[i] = (x >> 32) as u8;
            }
            let _ = status(&bytes);
        }
    }
}
