//! The IMAP client against a TLS server on loopback (`tests/imap_server.py`, Python standard
//! library) with the rcgen test PKI: STARTTLS, then XOAUTH2 or EXTERNAL (client certificate),
//! fetch of new messages by `\Seen` flag and by UID, parsing the fetched MSSanté message.

mod common;

use std::time::Duration;

use common::*;
use segur_mssante::imap::{FetchedMessage, ImapAuth, ImapConfig, Selection, fetch};
use segur_mssante::smtp::TlsConfig;
use segur_mssante::{ErrorKind, Mailbox, MessageBuilder, ReadOptions, read_message};
use segur_transport::SeededRandomness;

fn config(port: u16, pki: &Pki, auth: ImapAuth, client_cert: bool) -> ImapConfig {
    ImapConfig {
        host: "127.0.0.1".into(),
        port,
        server_name: "localhost".into(),
        tls: TlsConfig {
            root_certificates_pem: pki.ca_pem.clone().into_bytes(),
            client_identity: client_cert.then(|| {
                (
                    pki.client.0.clone().into_bytes(),
                    pki.client.1.clone().into_bytes(),
                )
            }),
        },
        auth,
        mailbox: "INBOX".into(),
        timeout: Duration::from_secs(20),
        max_message_size: 1 << 20,
        max_messages: 100,
    }
}

fn mailbox_with_two_messages(dir: &std::path::Path) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for (uid, seed) in [(3, 1), (8, 2)] {
        let m = MessageBuilder::new(Mailbox::new("a@ch-a.mssante.fr").unwrap(), "DEV1")
            .to(Mailbox::new("bal.pfi@ch-b.mssante.fr").unwrap())
            .subject(&format!("message {uid}"))
            .body("Bonjour\r\n.\r\n)\r\n")
            .build(&clock(), &SeededRandomness::new(seed))
            .unwrap();
        std::fs::write(dir.join(format!("{uid}.eml")), &m.bytes).unwrap();
        out.push(m.bytes);
    }
    out
}

#[test]
fn xoauth2_fetches_new_messages_by_flag_and_by_uid() {
    let pki = pki();
    let dir = tempfile::tempdir().unwrap();
    let sent = mailbox_with_two_messages(dir.path());
    let token = "psc-access-token";
    let server = start_server("imap_server.py", dir.path(), &pki, "xoauth2", Some(token));
    let auth = ImapAuth::Xoauth2 {
        user: "bal.pfi@ch-b.mssante.fr".into(),
        token: token.into(),
    };
    let c = config(server.port, &pki, auth, false);
    let all = fetch(&c, Selection::Unseen, true).unwrap();
    assert_eq!(
        all,
        [
            FetchedMessage {
                uid: 3,
                bytes: sent[0].clone()
            },
            FetchedMessage {
                uid: 8,
                bytes: sent[1].clone()
            }
        ]
    );
    let m = read_message(&all[1].bytes, &ReadOptions::strict()).unwrap();
    assert_eq!(m.subject.as_deref(), Some("message 8"));
    // they are now \Seen: nothing new
    assert!(fetch(&c, Selection::Unseen, false).unwrap().is_empty());
    // by UID: only what follows the last processed one
    let after = fetch(&c, Selection::AfterUid(3), false).unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].uid, 8);
    assert!(fetch(&c, Selection::AfterUid(8), false).unwrap().is_empty());
    let log = std::fs::read_to_string(dir.path().join("commands.log")).unwrap();
    assert!(log.contains("STARTTLS"));
    assert!(!log.contains(token), "the token reached the log");

    let bad = ImapAuth::Xoauth2 {
        user: "bal.pfi@ch-b.mssante.fr".into(),
        token: "expired".into(),
    };
    let e = fetch(
        &config(server.port, &pki, bad, false),
        Selection::Unseen,
        false,
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Imap, "{e}");
    assert!(!e.to_string().contains("expired"));
}

#[test]
fn external_authentication_with_a_client_certificate() {
    let pki = pki();
    let dir = tempfile::tempdir().unwrap();
    let sent = mailbox_with_two_messages(dir.path());
    let server = start_server("imap_server.py", dir.path(), &pki, "cert", None);
    let got = fetch(
        &config(server.port, &pki, ImapAuth::External, true),
        Selection::AfterUid(0),
        false,
    )
    .unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].bytes, sent[0]);
    // without a client certificate the handshake or the authentication fails
    let e = fetch(
        &config(server.port, &pki, ImapAuth::External, false),
        Selection::Unseen,
        false,
    )
    .unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::Tls | ErrorKind::Imap | ErrorKind::Io),
        "{e}"
    );
    // an untrusted server is refused
    let mut c = config(server.port, &pki, ImapAuth::External, true);
    c.tls.root_certificates_pem = common::pki().ca_pem.into_bytes();
    assert_eq!(
        fetch(&c, Selection::Unseen, false).unwrap_err().kind(),
        ErrorKind::Tls
    );
}
