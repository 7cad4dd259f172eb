//! SMTP submission (port 587, STARTTLS mandatory) with `lettre` over rustls: TLS client
//! certificate (application mailboxes, IGC Santé ORG certificate) or SASL `XOAUTH2` with a Pro
//! Santé Connect access token; DSN requested when the server offers it.

use std::time::Duration;

use lettre::Address;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{
    Certificate, CertificateStore, Identity, SmtpConnection, TlsParameters, TlsVersion,
};
use lettre::transport::smtp::commands::{Data, Ehlo, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, MailParameter, RcptParameter};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use crate::error::{Error, ErrorKind, Result};
use crate::message::BuiltMessage;

/// How the client authenticates after STARTTLS.
#[derive(Clone)]
pub enum SmtpAuth {
    /// Only the TLS client certificate of [`TlsConfig::client_identity`] (BAL applicative).
    ClientCertificate,
    /// SASL `XOAUTH2`: `user=<mailbox>\x01auth=Bearer <token>\x01\x01`. The token is a PSC
    /// access token; it is only held for the session (ECO.1.2.5).
    Xoauth2 {
        /// The mailbox address.
        user: String,
        /// The access token.
        token: String,
    },
}

impl std::fmt::Debug for SmtpAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::ClientCertificate => f.write_str("ClientCertificate"),
            // never print the token
            Self::Xoauth2 { user, .. } => f
                .debug_struct("Xoauth2")
                .field("user", user)
                .field("token", &"<redacted>")
                .finish(),
        }
    }
}

/// TLS settings shared by SMTP and IMAP: the trust anchors (IGC Santé roots are not in the web
/// PKI, so they are always given explicitly) and the optional client certificate.
#[derive(Clone, Default)]
pub struct TlsConfig {
    /// PEM certificates of the accepted server roots.
    pub root_certificates_pem: Vec<u8>,
    /// PEM certificate chain and PEM private key of the client.
    pub client_identity: Option<(Vec<u8>, Vec<u8>)>,
}

impl std::fmt::Debug for TlsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsConfig")
            .field("root_certificates_pem", &self.root_certificates_pem.len())
            .field("client_identity", &self.client_identity.is_some())
            .finish()
    }
}

/// Where and how to submit.
#[derive(Debug, Clone)]
pub struct SmtpConfig {
    /// Host to connect to (an IP address or a name).
    pub host: String,
    /// Port (587 for submission).
    pub port: u16,
    /// The name the server certificate must carry.
    pub server_name: String,
    /// The name sent in `EHLO`.
    pub hello_name: String,
    /// Trust anchors and client certificate.
    pub tls: TlsConfig,
    /// Authentication after STARTTLS.
    pub auth: SmtpAuth,
    /// Timeout of each network operation.
    pub timeout: Duration,
}

/// What the server answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendReport {
    /// Whether the server offered DSN and `NOTIFY`/`ORCPT`/`RET` were sent.
    pub dsn_requested: bool,
    /// The server's reply to the end of data (e.g. `250 OK queued as …`).
    pub reply: String,
}

fn smtp_error(context: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Smtp, format!("{context}: {e}"))
}

fn tls_parameters(config: &SmtpConfig) -> Result<TlsParameters> {
    let mut b = TlsParameters::builder(config.server_name.clone())
        .certificate_store(CertificateStore::None)
        .set_min_tls_version(TlsVersion::Tlsv12);
    if config.tls.root_certificates_pem.is_empty() {
        return Err(Error::new(
            ErrorKind::Tls,
            "no trust anchor: give the IGC Santé root certificates",
        ));
    }
    let root = Certificate::from_pem(&config.tls.root_certificates_pem)
        .map_err(|e| Error::new(ErrorKind::Tls, format!("unusable root certificate: {e}")))?;
    b = b.add_root_certificate(root);
    if let Some((cert, key)) = &config.tls.client_identity {
        // lettre's rustls `Identity::from_pem` takes the certificate as DER despite its name
        // (only the key is read as PEM): convert the leaf certificate here.
        let leaf = CertificateDer::from_pem_slice(cert)
            .map_err(|e| Error::new(ErrorKind::Tls, format!("unusable client certificate: {e}")))?;
        let id = Identity::from_pem(leaf.as_ref(), key)
            .map_err(|e| Error::new(ErrorKind::Tls, format!("unusable client identity: {e}")))?;
        b = b.identify_with(id);
    } else if matches!(config.auth, SmtpAuth::ClientCertificate) {
        return Err(Error::new(
            ErrorKind::Tls,
            "client-certificate authentication without a client identity",
        ));
    }
    b.build_rustls()
        .map_err(|e| Error::new(ErrorKind::Tls, format!("TLS configuration: {e}")))
}

fn address(a: &str) -> Result<Address> {
    a.parse::<Address>()
        .map_err(|e| Error::new(ErrorKind::InvalidAddress, e.to_string()).value(a))
}

/// The message as sent in `DATA`: the terminating `CRLF.CRLF` supplies the final line break, so
/// one trailing CRLF is dropped to have the server store exactly `bytes`.
fn data_of(bytes: &[u8]) -> &[u8] {
    bytes.strip_suffix(b"\r\n").unwrap_or(bytes)
}

/// Submits `message` to its envelope recipients, in one session: connect, `EHLO`, `STARTTLS`
/// (refused servers are an error: plain text is never used), `EHLO`, optional `AUTH XOAUTH2`,
/// `MAIL FROM` / `RCPT TO` with DSN parameters when the server offers `DSN` and the message
/// asks for a delivery receipt, `DATA`, `QUIT`.
pub fn send(config: &SmtpConfig, message: &BuiltMessage) -> Result<SendReport> {
    let tls = tls_parameters(config)?;
    let hello = ClientId::Domain(config.hello_name.clone());
    let mut conn = SmtpConnection::connect(
        (config.host.as_str(), config.port),
        Some(config.timeout),
        &hello,
        None,
        None,
    )
    .map_err(|e| smtp_error("connection", e))?;
    if !conn.can_starttls() {
        conn.abort();
        return Err(Error::new(
            ErrorKind::Tls,
            "the server does not offer STARTTLS (MSSanté requires TLS)",
        ));
    }
    conn.starttls(&tls, &hello)
        .map_err(|e| Error::new(ErrorKind::Tls, format!("STARTTLS: {e}")))?;
    // lettre does not keep the DSN keyword: ask again and look for it
    let ehlo = conn
        .command(Ehlo::new(hello.clone()))
        .map_err(|e| smtp_error("EHLO", e))?;
    let offers_dsn = ehlo
        .message()
        .any(|line| line.split_whitespace().next() == Some("DSN"));
    if let SmtpAuth::Xoauth2 { user, token } = &config.auth {
        conn.auth(
            &[Mechanism::Xoauth2],
            &Credentials::new(user.clone(), token.clone()),
        )
        .map_err(|e| smtp_error("AUTH XOAUTH2", e))?;
    }
    let envelope = &message.envelope;
    let dsn = offers_dsn && envelope.delivery_receipt;
    let from = if envelope.from.is_empty() {
        None
    } else {
        Some(address(&envelope.from)?)
    };
    let mut mail_params = Vec::new();
    if dsn {
        mail_params.push(MailParameter::Other {
            keyword: "RET".into(),
            value: Some("HDRS".into()),
        });
    }
    if !message.bytes.is_ascii() {
        mail_params.push(MailParameter::Body(
            lettre::transport::smtp::extension::MailBodyParameter::EightBitMime,
        ));
    }
    conn.command(Mail::new(from, mail_params))
        .map_err(|e| smtp_error("MAIL FROM", e))?;
    for to in &envelope.to {
        let mut params = Vec::new();
        if dsn {
            params.push(RcptParameter::Other {
                keyword: "NOTIFY".into(),
                value: Some("SUCCESS,FAILURE,DELAY".into()),
            });
            params.push(RcptParameter::Other {
                keyword: "ORCPT".into(),
                value: Some(format!("rfc822;{to}")),
            });
        }
        conn.command(Rcpt::new(address(to)?, params))
            .map_err(|e| smtp_error("RCPT TO", e).value(to.clone()))?;
    }
    conn.command(Data).map_err(|e| smtp_error("DATA", e))?;
    let reply = conn
        .message(data_of(&message.bytes))
        .map_err(|e| smtp_error("message", e))?;
    let reply_text = format!(
        "{} {}",
        reply.code(),
        reply.message().collect::<Vec<_>>().join(" ")
    );
    // a failed QUIT does not undo an accepted message
    let _ = conn.quit();
    Ok(SendReport {
        dsn_requested: dsn,
        reply: reply_text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_never_printed() {
        let a = SmtpAuth::Xoauth2 {
            user: "a@b.fr".into(),
            token: "secret-token".into(),
        };
        assert!(!format!("{a:?}").contains("secret"));
    }

    #[test]
    fn one_trailing_crlf_is_left_to_the_terminator() {
        assert_eq!(data_of(b"a\r\n"), b"a");
        assert_eq!(data_of(b"a"), b"a");
    }

    #[test]
    fn missing_trust_anchors_are_refused() {
        let config = SmtpConfig {
            host: "127.0.0.1".into(),
            port: 1,
            server_name: "localhost".into(),
            hello_name: "client.example".into(),
            tls: TlsConfig::default(),
            auth: SmtpAuth::ClientCertificate,
            timeout: Duration::from_secs(1),
        };
        assert!(matches!(tls_parameters(&config), Err(e) if e.kind() == ErrorKind::Tls));
    }
}
