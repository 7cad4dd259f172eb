//! The default blocking HTTPS transport: ureq 3 on rustls with the *ring* provider.

use std::io::Read as _;

use base64::Engine as _;
use std::sync::Arc;
use std::time::Duration;

use rustls::crypto::CryptoProvider;
use rustls::crypto::ring as ring_provider;
use ureq::tls::{Certificate, ClientCert, PemItem, PrivateKey, RootCerts, TlsConfig};

use crate::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};

/// The cipher suites the DMP accepts from LPS (GIE SESAM-Vitale PDT-INF-579v4, 2025), TLS 1.2
/// only. The fourth suite of that list, `TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384`, is a CBC suite
/// that rustls does not implement; the three AEAD suites below are enough to connect.
pub const DMP_CIPHER_SUITES: [&str; 3] = [
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
];

/// Which TLS versions and cipher suites the transport offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum TlsProfile {
    /// TLS 1.2 with [`DMP_CIPHER_SUITES`] only: what the DMP's LPS endpoints require.
    #[default]
    Dmp,
    /// Every TLS 1.2 and 1.3 suite of the *ring* provider (for services that allow TLS 1.3, such
    /// as Pro Santé Connect).
    Modern,
}

impl TlsProfile {
    fn provider(self) -> CryptoProvider {
        let mut provider = ring_provider::default_provider();
        if self == Self::Dmp {
            use ring_provider::cipher_suite as cs;
            // Without any TLS 1.3 suite, rustls offers TLS 1.2 only.
            provider.cipher_suites = vec![
                cs::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
                cs::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                cs::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            ];
        }
        provider
    }
}

/// Configures an [`HttpsTransport`].
///
/// Trust anchors are mandatory and explicit (the IGC-Santé roots for the DMP): there is no
/// fallback to the web PKI or the system store.
#[derive(Debug)]
#[must_use]
pub struct HttpsTransportBuilder {
    anchors: Vec<Certificate<'static>>,
    identity: Option<ClientCert>,
    profile: TlsProfile,
    timeout: Duration,
    connect_timeout: Duration,
    max_response_bytes: u64,
    error_on_status: bool,
    allow_http: bool,
}

impl HttpsTransportBuilder {
    /// Adds every certificate of a PEM bundle as a trust anchor.
    pub fn trust_anchors_pem(mut self, pem: &[u8]) -> Result<Self, TransportError> {
        let before = self.anchors.len();
        for item in ureq::tls::parse_pem(pem) {
            match item.map_err(config_error("unreadable trust anchor PEM"))? {
                PemItem::Certificate(c) => self.anchors.push(c),
                _ => continue,
            }
        }
        if self.anchors.len() == before {
            return Err(TransportError::new(
                TransportErrorKind::Configuration,
                "the trust anchor PEM holds no certificate",
            ));
        }
        Ok(self)
    }

    /// Adds a DER certificate as a trust anchor.
    pub fn trust_anchor_der(mut self, der: &[u8]) -> Self {
        self.anchors.push(Certificate::from_der(der).to_owned());
        self
    }

    /// The client certificate (chain, leaf first) and its private key, from PEM (PKCS#8, PKCS#1
    /// or SEC1 key).
    pub fn client_identity_pem(
        mut self,
        chain_pem: &[u8],
        key_pem: &[u8],
    ) -> Result<Self, TransportError> {
        let mut chain = Vec::new();
        for item in ureq::tls::parse_pem(chain_pem) {
            if let PemItem::Certificate(c) =
                item.map_err(config_error("unreadable client certificate PEM"))?
            {
                chain.push(c);
            }
        }
        if chain.is_empty() {
            return Err(TransportError::new(
                TransportErrorKind::Configuration,
                "the client certificate PEM holds no certificate",
            ));
        }
        let key = PrivateKey::from_pem(key_pem).map_err(config_error("unreadable private key"))?;
        self.identity = Some(ClientCert::new_with_certs(&chain, key));
        Ok(self)
    }

    /// The client certificate and key from a PKCS#12 (`.p12`) file, as IGC-Santé delivers
    /// structure certificates.
    pub fn client_identity_pkcs12(
        mut self,
        p12: &[u8],
        password: &str,
    ) -> Result<Self, TransportError> {
        let store = p12_keystore::KeyStore::from_pkcs12(p12, password).map_err(|e| {
            TransportError::new(
                TransportErrorKind::Configuration,
                format!("unreadable PKCS#12 file: {e}"),
            )
        })?;
        let (_, entry) = store.private_key_chain().ok_or_else(|| {
            TransportError::new(
                TransportErrorKind::Configuration,
                "the PKCS#12 file holds no private key with its certificate",
            )
        })?;
        let chain: Vec<Certificate<'static>> = entry
            .chain()
            .iter()
            .map(|c| Certificate::from_der(c.as_der()).to_owned())
            .collect();
        if chain.is_empty() {
            return Err(TransportError::new(
                TransportErrorKind::Configuration,
                "the PKCS#12 key has no certificate",
            ));
        }
        // ureq takes PKCS#8 keys through PEM (its key kind type is not public)
        let pem = format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            base64::engine::general_purpose::STANDARD.encode(entry.key())
        );
        let key = PrivateKey::from_pem(pem.as_bytes())
            .map_err(config_error("unreadable PKCS#12 private key"))?;
        self.identity = Some(ClientCert::new_with_certs(&chain, key));
        Ok(self)
    }

    /// The TLS profile (default [`TlsProfile::Dmp`]).
    pub fn tls_profile(mut self, profile: TlsProfile) -> Self {
        self.profile = profile;
        self
    }

    /// The time allowed for a whole exchange, connection included (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The time allowed to connect, TLS handshake included (default 15 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The largest response body accepted (default 256 MiB).
    pub fn max_response_bytes(mut self, max: u64) -> Self {
        self.max_response_bytes = max;
        self
    }

    /// Whether 4xx/5xx responses are [`TransportErrorKind::HttpStatus`] errors (default `false`:
    /// a SOAP fault comes with a 500 and must reach the protocol crate).
    pub fn error_on_http_status(mut self, yes: bool) -> Self {
        self.error_on_status = yes;
        self
    }

    /// Allows plain `http://` URLs (default `false`).
    pub fn allow_plain_http(mut self, yes: bool) -> Self {
        self.allow_http = yes;
        self
    }

    /// Builds the transport; fails without a trust anchor.
    pub fn build(self) -> Result<HttpsTransport, TransportError> {
        if self.anchors.is_empty() {
            return Err(TransportError::new(
                TransportErrorKind::Configuration,
                "no trust anchor: give the IGC-Santé roots (there is no default trust store)",
            ));
        }
        let tls = TlsConfig::builder()
            .provider(ureq::tls::TlsProvider::Rustls)
            .unversioned_rustls_crypto_provider(Arc::new(self.profile.provider()))
            .root_certs(RootCerts::new_with_certs(&self.anchors))
            .client_cert(self.identity)
            .build();
        let agent = ureq::Agent::config_builder()
            .tls_config(tls)
            .https_only(!self.allow_http)
            .http_status_as_error(self.error_on_status)
            .max_redirects(0)
            .timeout_global(Some(self.timeout))
            .timeout_connect(Some(self.connect_timeout))
            .build()
            .new_agent();
        Ok(HttpsTransport {
            agent,
            max_response_bytes: self.max_response_bytes,
        })
    }
}

fn config_error(what: &'static str) -> impl Fn(ureq::Error) -> TransportError {
    move |e| TransportError::with_source(TransportErrorKind::Configuration, what, e)
}

/// A blocking HTTPS [`Transport`]: ureq 3 on rustls (*ring*), mutual TLS with an explicit client
/// certificate and explicit trust anchors.
///
/// ```no_run
/// use segur_transport::{HttpsTransport, Transport};
///
/// let transport = HttpsTransport::builder()
///     .trust_anchors_pem(&std::fs::read("igc-sante-roots.pem")?)?
///     .client_identity_pkcs12(&std::fs::read("ORG-AUTH_CLI.p12")?, "password")?
///     .build()?;
/// let request = http::Request::post("https://lps2.dmp.gouv.fr/si-dmp-server/v2/services/registry")
///     .header("content-type", "application/soap+xml; charset=UTF-8")
///     .body(b"<soap:Envelope/>".to_vec())?;
/// let response = transport.send(request)?;
/// println!("{}", response.status());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct HttpsTransport {
    agent: ureq::Agent,
    max_response_bytes: u64,
}

impl HttpsTransport {
    /// A builder with the DMP profile, 60 s timeout, no trust anchor and no client certificate.
    pub fn builder() -> HttpsTransportBuilder {
        HttpsTransportBuilder {
            anchors: Vec::new(),
            identity: None,
            profile: TlsProfile::Dmp,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(15),
            max_response_bytes: 256 * 1024 * 1024,
            error_on_status: false,
            allow_http: false,
        }
    }
}

impl Transport for HttpsTransport {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let response = self.agent.run(request).map_err(map_error)?;
        let (parts, body) = response.into_parts();
        let mut bytes = Vec::new();
        body.into_with_config()
            .limit(self.max_response_bytes)
            .reader()
            .read_to_end(&mut bytes)
            .map_err(|e| map_error(ureq::Error::from(e)))?;
        Ok(http::Response::from_parts(parts, bytes))
    }
}

/// Sorts a ureq error into the transport error kinds.
fn map_error(error: ureq::Error) -> TransportError {
    use TransportErrorKind as K;
    let (kind, message) = match &error {
        ureq::Error::StatusCode(status) => {
            return TransportError::http_status(
                *status,
                "the server answered with an error status",
            );
        }
        ureq::Error::Timeout(which) => (K::Timeout, format!("{which} timed out")),
        ureq::Error::Rustls(e) => (K::Tls, format!("TLS: {e}")),
        ureq::Error::Tls(e) => (K::Tls, format!("TLS: {e}")),
        ureq::Error::TlsRequired | ureq::Error::RequireHttpsOnly(_) => (
            K::InvalidRequest,
            "only https:// URLs are allowed".to_owned(),
        ),
        ureq::Error::Io(io) => match io.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>()) {
            Some(tls) => (K::Tls, format!("TLS: {tls}")),
            None if matches!(
                io.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            ) =>
            {
                (K::Timeout, format!("I/O timed out: {io}"))
            }
            None if matches!(
                io.kind(),
                std::io::ErrorKind::BrokenPipe
                    | std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::UnexpectedEof
            ) =>
            {
                (
                    K::Connection,
                    format!(
                        "the server closed the connection ({io}); right after the TLS \
                         handshake this usually means it refused the client certificate"
                    ),
                )
            }
            None => (K::Connection, format!("I/O: {io}")),
        },
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => {
            (K::Connection, error.to_string())
        }
        ureq::Error::BadUri(_) | ureq::Error::Http(_) => (K::InvalidRequest, error.to_string()),
        ureq::Error::BodyExceedsLimit(limit) => (
            K::Other,
            format!("the response body exceeds the {limit}-byte limit"),
        ),
        _ => (K::Other, error.to_string()),
    };
    TransportError::with_source(kind, message, error)
}
