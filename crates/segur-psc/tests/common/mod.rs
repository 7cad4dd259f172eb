//! Test-only plumbing: a plain HTTP/1.0 transport over `std::net::TcpStream` (loopback only),
//! the loopback `oidc-provider` process, and a cookie-keeping "browser" that follows redirects.

#![allow(dead_code, unreachable_pub)] // each test file uses its own subset

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use segur_transport::{HttpRequest, HttpResponse, TransportError, TransportErrorKind};

fn err(kind: TransportErrorKind, msg: impl Into<String>) -> TransportError {
    TransportError::new(kind, msg)
}

/// Sends one request over HTTP/1.0 (no keep-alive, no chunking) to a loopback host.
pub fn http1(request: HttpRequest) -> Result<HttpResponse, TransportError> {
    let uri = request.uri().clone();
    if uri.scheme_str() != Some("http") {
        return Err(err(
            TransportErrorKind::InvalidRequest,
            "test transport: http only",
        ));
    }
    let host = uri.host().unwrap_or_default().to_owned();
    if host != "127.0.0.1" && host != "localhost" {
        return Err(err(
            TransportErrorKind::InvalidRequest,
            "test transport: loopback only",
        ));
    }
    let port = uri.port_u16().unwrap_or(80);
    let addrs: Vec<_> = (host.as_str(), port)
        .to_socket_addrs()
        .map_err(|e| TransportError::with_source(TransportErrorKind::Connection, "resolve", e))?
        .filter(|a| a.ip().is_loopback())
        .collect();
    let mut stream = TcpStream::connect(&addrs[..])
        .map_err(|e| TransportError::with_source(TransportErrorKind::Connection, "connect", e))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .map_err(|e| TransportError::with_source(TransportErrorKind::Connection, "timeout", e))?;
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let mut head = format!(
        "{} {} HTTP/1.0\r\nHost: {}:{}\r\n",
        request.method(),
        path,
        host,
        port
    );
    for (name, value) in request.headers() {
        head.push_str(name.as_str());
        head.push_str(": ");
        head.push_str(value.to_str().unwrap_or_default());
        head.push_str("\r\n");
    }
    let body = request.body();
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let io = |e| TransportError::with_source(TransportErrorKind::Connection, "I/O", e);
    stream.write_all(head.as_bytes()).map_err(io)?;
    stream.write_all(body).map_err(io)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(io)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| err(TransportErrorKind::Other, "no header end"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| err(TransportErrorKind::Other, "bad status line"))?;
    let mut builder = http::Response::builder().status(status);
    for line in lines {
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("transfer-encoding") {
                return Err(err(TransportErrorKind::Other, "chunked answer to HTTP/1.0"));
            }
            builder = builder.header(k.trim(), v.trim());
        }
    }
    builder
        .body(raw[split + 4..].to_vec())
        .map_err(|e| TransportError::with_source(TransportErrorKind::Other, "response", e))
}

/// The loopback `oidc-provider` process; killed on drop.
pub struct OidcProvider {
    child: Child,
    /// The issuer (`http://127.0.0.1:<port>/auth/realms/esante-wallet`).
    pub issuer: String,
    /// The port.
    pub port: u16,
}

fn harness_dir() -> PathBuf {
    // `../segur-psc` works from segur-psc itself and from segur-cli, which shares this module.
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../segur-psc/tests/oidc-provider")
}

impl OidcProvider {
    /// Starts the provider on a free loopback port and waits until it is ready. Panics with
    /// instructions when Node.js or the npm package is missing: these tests never skip.
    pub fn start(env: &[(&str, &str)]) -> Self {
        // Providers start one at a time: a test binary runs its tests in parallel, and several
        // Node.js processes loading oidc-provider at once on a small CI machine made one miss
        // its readiness deadline.
        static STARTING: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _starting = STARTING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let dir = harness_dir();
        assert!(
            dir.join("node_modules/oidc-provider/package.json")
                .is_file(),
            "the npm package oidc-provider is not installed: run \
             `npm ci --prefix crates/segur-psc/tests/oidc-provider` (done by .ci/run)"
        );
        let mut cmd = Command::new("node");
        cmd.arg("server.mjs")
            .current_dir(&dir)
            .env("PSC_TEST_CIBA_APPROVE_MS", "1500")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap_or_else(|e| {
            panic!(
                "cannot run `node` (Node.js >= 20 is required for the PSC integration tests): {e}"
            )
        });
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let _ = tx.send(line);
            // Keep draining: a closed pipe would kill the provider on its next write.
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let line = match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(l) if !l.trim().is_empty() => l,
            other => {
                let _ = child.kill();
                panic!("the loopback OpenID provider did not start: {other:?}");
            }
        };
        let v: serde_json::Value = serde_json::from_str(&line).expect("readiness line is JSON");
        Self {
            child,
            issuer: v["issuer"].as_str().expect("issuer").to_owned(),
            port: u16::try_from(v["port"].as_u64().expect("port")).expect("port fits"),
        }
    }

    /// Replaces every signing key of the provider (new `kid`s).
    pub fn rotate_keys(&self) {
        let req = http::Request::post(format!("http://127.0.0.1:{}/__test/rotate", self.port))
            .body(Vec::new())
            .unwrap();
        let res = http1(req).expect("rotate");
        assert_eq!(res.status(), 200);
    }
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal browser: GETs `url`, keeps cookies, follows redirects until one points at
/// `stop_prefix`, and returns that final URL.
pub fn follow_until(url: &str, stop_prefix: &str) -> String {
    let mut cookies: BTreeMap<String, String> = BTreeMap::new();
    let mut current = url.to_owned();
    for _ in 0..20 {
        if current.starts_with(stop_prefix) {
            return current;
        }
        let mut builder = http::Request::get(current.as_str());
        if !cookies.is_empty() {
            let jar: Vec<String> = cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            builder = builder.header("cookie", jar.join("; "));
        }
        let res = http1(builder.body(Vec::new()).unwrap()).expect("browser request");
        for v in res.headers().get_all("set-cookie") {
            let pair = v.to_str().unwrap().split(';').next().unwrap();
            if let Some((k, val)) = pair.split_once('=') {
                cookies.insert(k.trim().to_owned(), val.trim().to_owned());
            }
        }
        let status = res.status().as_u16();
        let location = res
            .headers()
            .get("location")
            .unwrap_or_else(|| {
                panic!(
                    "browser: HTTP {status} without Location at {current}: {}",
                    String::from_utf8_lossy(res.body())
                )
            })
            .to_str()
            .unwrap()
            .to_owned();
        current = if location.starts_with("http") {
            location
        } else {
            let base: http::Uri = current.parse().unwrap();
            format!(
                "{}://{}{}",
                base.scheme_str().unwrap(),
                base.authority().unwrap(),
                location
            )
        };
    }
    panic!("too many redirects");
}
