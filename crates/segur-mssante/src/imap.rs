//! A minimal blocking IMAP4rev1 client over rustls, for fetching new messages from an MSSanté
//! mailbox: `STARTTLS` (mandatory), `AUTHENTICATE XOAUTH2` (PSC access token) or
//! `AUTHENTICATE EXTERNAL` (TLS client certificate), `SELECT`, `UID SEARCH`, `UID FETCH
//! BODY.PEEK[]`, optional `\Seen` flagging, `LOGOUT`.
//!
//! No crate fitted (pure Rust, rustls, blocking, STARTTLS, XOAUTH2): `imap` is unmaintained and
//! tied to native-tls, `async-imap` needs an async runtime. This client implements only what
//! fetching needs, with bounded lines and literals.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};

use crate::error::{Error, ErrorKind, Result};
use crate::smtp::TlsConfig;

/// The longest response line accepted (literals excluded).
const MAX_LINE: usize = 64 * 1024;

/// How the client authenticates after STARTTLS.
#[derive(Clone)]
pub enum ImapAuth {
    /// SASL `EXTERNAL`: the TLS client certificate identifies the mailbox.
    External,
    /// SASL `XOAUTH2` with a PSC access token.
    Xoauth2 {
        /// The mailbox address.
        user: String,
        /// The access token (never logged).
        token: String,
    },
}

impl std::fmt::Debug for ImapAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::External => f.write_str("External"),
            Self::Xoauth2 { user, .. } => f
                .debug_struct("Xoauth2")
                .field("user", user)
                .field("token", &"<redacted>")
                .finish(),
        }
    }
}

/// Where and how to fetch.
#[derive(Debug, Clone)]
pub struct ImapConfig {
    /// Host to connect to.
    pub host: String,
    /// Port (143, STARTTLS).
    pub port: u16,
    /// The name the server certificate must carry.
    pub server_name: String,
    /// Trust anchors and client certificate.
    pub tls: TlsConfig,
    /// Authentication.
    pub auth: ImapAuth,
    /// The mailbox to read (`INBOX`).
    pub mailbox: String,
    /// Timeout of each network operation.
    pub timeout: Duration,
    /// The largest message fetched; larger literals are an error.
    pub max_message_size: usize,
    /// The most messages one [`fetch`] returns: the lowest UIDs found; fetch again (after the
    /// last UID returned, or once they are marked seen) for the rest. With
    /// `max_message_size`, it bounds the memory a fetch takes, whatever the server answers.
    pub max_messages: usize,
}

/// Which messages to fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// Messages without the `\Seen` flag.
    Unseen,
    /// Messages whose UID is greater than the given one (the last UID already processed).
    AfterUid(u32),
}

/// A fetched message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedMessage {
    /// Its UID in the mailbox.
    pub uid: u32,
    /// The whole RFC 5322 message.
    pub bytes: Vec<u8>,
}

fn imap_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Imap, message)
}

/// Builds the rustls client configuration of [`TlsConfig`] (TLS 1.2 and 1.3, ring).
pub(crate) fn rustls_config(tls: &TlsConfig) -> Result<ClientConfig> {
    let tls_error = |m: String| Error::new(ErrorKind::Tls, m);
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&tls.root_certificates_pem) {
        let cert = cert.map_err(|e| tls_error(format!("unusable root certificate: {e}")))?;
        roots
            .add(cert)
            .map_err(|e| tls_error(format!("unusable root certificate: {e}")))?;
    }
    if roots.is_empty() {
        return Err(tls_error(
            "no trust anchor: give the IGC Santé root certificates".into(),
        ));
    }
    let builder =
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| tls_error(e.to_string()))?
            .with_root_certificates(roots);
    match &tls.client_identity {
        Some((cert, key)) => {
            let chain = CertificateDer::pem_slice_iter(cert)
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|e| tls_error(format!("unusable client certificate: {e}")))?;
            let key = PrivateKeyDer::from_pem_slice(key)
                .map_err(|e| tls_error(format!("unusable client key: {e}")))?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| tls_error(format!("unusable client identity: {e}")))
        }
        None => Ok(builder.with_no_client_auth()),
    }
}

/// A line-oriented IMAP connection over any stream.
struct Session<S: Read + Write> {
    stream: BufReader<S>,
    tag: u32,
}

/// One untagged or continuation response line, with the literals it carried.
#[derive(Debug)]
struct Line {
    text: String,
    literals: Vec<Vec<u8>>,
}

impl<S: Read + Write> Session<S> {
    fn read_raw_line(&mut self) -> Result<String> {
        let mut buf = Vec::new();
        let n = (&mut self.stream)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut buf)?;
        if n == 0 {
            return Err(imap_error("the server closed the connection"));
        }
        if buf.len() > MAX_LINE {
            return Err(imap_error("response line too long"));
        }
        while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            buf.pop();
        }
        Ok(String::from_utf8_lossy(&buf).into_owned())
    }

    /// Reads one logical response line: a line and the literals `{n}` it announces, taking
    /// what it reads from the response's `budget` of bytes.
    fn read_line(&mut self, max_literal: usize, budget: &mut usize) -> Result<Line> {
        let mut text = self.read_raw_line()?;
        spend(budget, text.len())?;
        let mut literals = Vec::new();
        while let Some(size) = literal_size(&text) {
            if size > max_literal {
                return Err(imap_error(format!(
                    "literal of {size} bytes exceeds the limit of {max_literal}"
                )));
            }
            spend(budget, size)?;
            let mut data = vec![0u8; size];
            self.stream.read_exact(&mut data)?;
            literals.push(data);
            let more = self.read_raw_line()?;
            spend(budget, more.len())?;
            text.push_str(&more);
        }
        Ok(Line { text, literals })
    }

    fn send(&mut self, line: &str) -> Result<()> {
        let s = self.stream.get_mut();
        s.write_all(line.as_bytes())?;
        s.write_all(b"\r\n")?;
        s.flush()?;
        Ok(())
    }

    /// Sends a tagged command; `continuation` answers a `+` from the server (SASL). Returns
    /// the untagged lines; a `NO`/`BAD` completion is an error naming the command (not its
    /// arguments, which may hold a token).
    fn command(
        &mut self,
        name: &str,
        args: &str,
        continuation: Option<&str>,
        max_literal: usize,
    ) -> Result<Vec<Line>> {
        self.tag += 1;
        let tag = format!("a{}", self.tag);
        let line = if args.is_empty() {
            format!("{tag} {name}")
        } else {
            format!("{tag} {name} {args}")
        };
        self.send(&line)?;
        let mut lines = Vec::new();
        let mut continued = false;
        // the whole response: its largest literal twice over, and room for untagged lines; a
        // server sending more lines or literals than that is refused, not buffered
        let mut budget = max_literal.saturating_mul(2).saturating_add(RESPONSE_SLACK);
        loop {
            let l = self.read_line(max_literal, &mut budget)?;
            if let Some(rest) = l.text.strip_prefix(&format!("{tag} ")) {
                let status = rest.split_whitespace().next().unwrap_or("");
                if status.eq_ignore_ascii_case("OK") {
                    return Ok(lines);
                }
                return Err(imap_error(format!("{name} refused: {rest}")));
            }
            if l.text.starts_with('+') {
                // SASL: answer once, then cancel further challenges (XOAUTH2 error details)
                let answer = if continued {
                    ""
                } else {
                    continuation.unwrap_or("")
                };
                continued = true;
                self.send(answer)?;
                continue;
            }
            lines.push(l);
        }
    }
}

/// Bytes a command's response may hold beyond twice its largest literal (untagged lines).
const RESPONSE_SLACK: usize = 1 << 20;

/// Takes `n` bytes from a response's `budget`.
fn spend(budget: &mut usize, n: usize) -> Result<()> {
    *budget = budget
        .checked_sub(n)
        .ok_or_else(|| imap_error("response too large"))?;
    Ok(())
}

/// `... {123}` at the end of a line → 123.
fn literal_size(line: &str) -> Option<usize> {
    let inner = line.strip_suffix('}')?;
    let open = inner.rfind('{')?;
    inner[open + 1..].trim_end_matches('+').parse().ok()
}

/// `* SEARCH 7 3 5 3` → [3, 5, 7]: sorted, each UID once.
fn search_uids(lines: &[Line]) -> Vec<u32> {
    let mut uids: Vec<u32> = lines
        .iter()
        .filter_map(|l| l.text.strip_prefix("* SEARCH"))
        .flat_map(|rest| rest.split_whitespace().filter_map(|n| n.parse().ok()))
        .collect();
    uids.sort_unstable();
    uids.dedup();
    uids
}

/// The UID of a `* n FETCH (UID 42 BODY[] {..})` line.
fn fetch_uid(text: &str) -> Option<u32> {
    let upper = text.to_ascii_uppercase();
    let at = upper.find("UID ")?;
    upper[at + 4..]
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

fn run<S: Read + Write>(
    session: &mut Session<S>,
    config: &ImapConfig,
    selection: Selection,
    mark_seen: bool,
) -> Result<Vec<FetchedMessage>> {
    match &config.auth {
        ImapAuth::Xoauth2 { user, token } => {
            let ir = base64::engine::general_purpose::STANDARD
                .encode(format!("user={user}\x01auth=Bearer {token}\x01\x01"));
            session.command("AUTHENTICATE", &format!("XOAUTH2 {ir}"), Some(""), MAX_LINE)?;
        }
        ImapAuth::External => {
            session.command("AUTHENTICATE", "EXTERNAL =", Some(""), MAX_LINE)?;
        }
    }
    let mailbox = config.mailbox.replace(['\\', '"'], "");
    session.command("SELECT", &format!("\"{mailbox}\""), None, MAX_LINE)?;
    let criteria = match selection {
        Selection::Unseen => "UNSEEN".to_owned(),
        Selection::AfterUid(uid) => format!("UID {}:*", uid.saturating_add(1)),
    };
    let found = session.command("UID SEARCH", &criteria, None, MAX_LINE)?;
    let mut uids = search_uids(&found);
    if let Selection::AfterUid(last) = selection {
        // `n:*` always matches the last message, even when its UID is lower than n
        uids.retain(|u| *u > last);
    }
    uids.truncate(config.max_messages);
    let mut out = Vec::new();
    for uid in uids {
        let lines = session.command(
            "UID FETCH",
            &format!("{uid} (UID BODY.PEEK[])"),
            None,
            config.max_message_size,
        )?;
        let body = lines
            .into_iter()
            .find(|l| fetch_uid(&l.text) == Some(uid) && !l.literals.is_empty())
            .and_then(|l| l.literals.into_iter().next())
            .ok_or_else(|| imap_error(format!("no body returned for UID {uid}")))?;
        if mark_seen {
            session.command(
                "UID STORE",
                &format!("{uid} +FLAGS.SILENT (\\Seen)"),
                None,
                MAX_LINE,
            )?;
        }
        out.push(FetchedMessage { uid, bytes: body });
    }
    // a failed LOGOUT does not undo what was fetched
    let _ = session.command("LOGOUT", "", None, MAX_LINE);
    Ok(out)
}

/// Connects, upgrades with STARTTLS, authenticates and fetches the `selection` of
/// [`ImapConfig::mailbox`]; with `mark_seen`, fetched messages get the `\Seen` flag.
pub fn fetch(
    config: &ImapConfig,
    selection: Selection,
    mark_seen: bool,
) -> Result<Vec<FetchedMessage>> {
    let tls = Arc::new(rustls_config(&config.tls)?);
    let server_name = ServerName::try_from(config.server_name.clone())
        .map_err(|e| Error::new(ErrorKind::Tls, format!("bad server name: {e}")))?;
    let tcp = TcpStream::connect((config.host.as_str(), config.port))?;
    tcp.set_read_timeout(Some(config.timeout))?;
    tcp.set_write_timeout(Some(config.timeout))?;
    let mut plain = Session {
        stream: BufReader::new(tcp),
        tag: 0,
    };
    let greeting = plain.read_raw_line()?;
    if !greeting.starts_with("* OK") {
        return Err(imap_error("unexpected greeting").value(greeting));
    }
    plain.command("STARTTLS", "", None, MAX_LINE).map_err(|e| {
        Error::new(
            ErrorKind::Tls,
            format!("STARTTLS refused (MSSanté requires TLS): {e}"),
        )
    })?;
    if !plain.stream.buffer().is_empty() {
        return Err(imap_error("data received before the TLS handshake"));
    }
    let tag = plain.tag;
    let tcp = plain.stream.into_inner();
    let conn = ClientConnection::new(tls, server_name)
        .map_err(|e| Error::new(ErrorKind::Tls, e.to_string()))?;
    let mut stream = StreamOwned::new(conn, tcp);
    while stream.conn.is_handshaking() {
        stream
            .conn
            .complete_io(&mut stream.sock)
            .map_err(|e| Error::new(ErrorKind::Tls, format!("TLS handshake: {e}")))?;
    }
    let mut session = Session {
        stream: BufReader::new(stream),
        tag,
    };
    run(&mut session, config, selection, mark_seen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_and_search_parsing() {
        assert_eq!(literal_size("* 1 FETCH (UID 4 BODY[] {123}"), Some(123));
        assert_eq!(literal_size("* 1 FETCH (UID 4 BODY[] {12+}"), Some(12));
        assert_eq!(literal_size("* OK done"), None);
        assert_eq!(literal_size("{x}"), None);
        let lines = vec![Line {
            text: "* SEARCH 7 3 5 x 7 3".into(),
            literals: vec![],
        }];
        assert_eq!(search_uids(&lines), [3, 5, 7]);
        assert_eq!(fetch_uid("* 2 FETCH (UID 42 BODY[] {10}"), Some(42));
        assert_eq!(fetch_uid("* 2 FETCH (FLAGS ())"), None);
    }

    /// A scripted server: what the client sends is checked line by line.
    struct Script {
        input: std::io::Cursor<Vec<u8>>,
        sent: Vec<u8>,
    }

    impl Read for Script {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.input.read(buf)
        }
    }

    impl Write for Script {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.sent.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn config(auth: ImapAuth, max: usize) -> ImapConfig {
        ImapConfig {
            host: "127.0.0.1".into(),
            port: 143,
            server_name: "localhost".into(),
            tls: TlsConfig::default(),
            auth,
            mailbox: "INBOX".into(),
            timeout: Duration::from_secs(1),
            max_message_size: max,
            max_messages: 2,
        }
    }

    fn session(server: &str) -> Session<Script> {
        Session {
            stream: BufReader::new(Script {
                input: std::io::Cursor::new(server.as_bytes().to_vec()),
                sent: Vec::new(),
            }),
            tag: 1,
        }
    }

    #[test]
    fn fetches_after_a_uid_with_literals() {
        let server = "+ \r\na2 OK authenticated\r\n* 3 EXISTS\r\na3 OK [READ-WRITE] selected\r\n\
                      * SEARCH 4 7\r\na4 OK\r\n\
                      * 1 FETCH (UID 4 BODY[] {5}\r\nhello)\r\na5 OK\r\n\
                      * 2 FETCH (BODY[] {3}\r\nabc UID 7)\r\na6 OK\r\na7 OK bye\r\n";
        let mut s = session(server);
        let auth = ImapAuth::Xoauth2 {
            user: "a@b.fr".into(),
            token: "T".into(),
        };
        let got = run(&mut s, &config(auth, 100), Selection::AfterUid(3), false).unwrap();
        assert_eq!(
            got,
            [
                FetchedMessage {
                    uid: 4,
                    bytes: b"hello".to_vec()
                },
                FetchedMessage {
                    uid: 7,
                    bytes: b"abc".to_vec()
                }
            ]
        );
        let sent = String::from_utf8(s.stream.into_inner().sent).unwrap();
        assert!(sent.starts_with("a2 AUTHENTICATE XOAUTH2 "));
        assert!(sent.contains("a4 UID SEARCH UID 4:*\r\n"), "{sent}");
        assert!(sent.contains("a5 UID FETCH 4 (UID BODY.PEEK[])\r\n"));
        assert!(sent.ends_with("a7 LOGOUT\r\n"));
    }

    #[test]
    fn a_fetch_takes_at_most_max_messages_each_once() {
        // a server repeating a UID, or finding more messages than asked for: the lowest
        // distinct UIDs, up to `max_messages` (2 here), are fetched once each
        let server = "a2 OK\r\na3 OK\r\n* SEARCH 9 4 4 4 7\r\na4 OK\r\n\
                      * 1 FETCH (UID 4 BODY[] {1}\r\na)\r\na5 OK\r\n\
                      * 2 FETCH (UID 7 BODY[] {1}\r\nb)\r\na6 OK\r\na7 OK bye\r\n";
        let mut s = session(server);
        let got = run(
            &mut s,
            &config(ImapAuth::External, 100),
            Selection::Unseen,
            false,
        )
        .unwrap();
        assert_eq!(got.iter().map(|m| m.uid).collect::<Vec<_>>(), [4, 7]);
        let sent = String::from_utf8(s.stream.into_inner().sent).unwrap();
        assert_eq!(sent.matches("UID FETCH").count(), 2, "{sent}");
    }

    #[test]
    fn a_response_larger_than_its_budget_is_refused() {
        // each literal is under the limit, but a server may send any number of them: the
        // response as a whole is bounded (twice the largest literal, plus 1 MiB)
        let max = 1000;
        let flood = "* 1 FETCH (BODY[] {1000}\r\n".to_owned() + &"x".repeat(1000) + ")\r\n";
        let mut s = session(&flood.repeat(1100));
        let err = s.command("UID FETCH", "1 (BODY[])", None, max).unwrap_err();
        assert!(err.to_string().contains("response too large"), "{err}");
        // and so are untagged lines without end
        let mut s = session(&"* OK still here\r\n".repeat(100_000));
        let err = s.command("NOOP", "", None, MAX_LINE).unwrap_err();
        assert!(err.to_string().contains("response too large"), "{err}");
        // a response within its budget is read whole
        let mut s = session(&(flood.repeat(2) + "a2 OK\r\n"));
        assert_eq!(
            s.command("UID FETCH", "1 (BODY[])", None, max)
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn refusals_and_oversized_literals_are_errors() {
        let mut s = session("a2 NO [AUTHENTICATIONFAILED] invalid token\r\n");
        let e = run(
            &mut s,
            &config(ImapAuth::External, 100),
            Selection::Unseen,
            false,
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Imap);
        assert!(e.to_string().contains("AUTHENTICATE refused"));
        let server = "a2 OK\r\na3 OK\r\n* SEARCH 1\r\na4 OK\r\n* 1 FETCH (UID 1 BODY[] {500}\r\n";
        let mut s = session(server);
        let e = run(
            &mut s,
            &config(ImapAuth::External, 100),
            Selection::Unseen,
            false,
        )
        .unwrap_err();
        assert!(e.to_string().contains("exceeds the limit"), "{e}");
        // a closed connection is an error, not a hang
        let mut s = session("a2 OK\r\n");
        assert!(
            run(
                &mut s,
                &config(ImapAuth::External, 100),
                Selection::Unseen,
                true
            )
            .is_err()
        );
    }
}
