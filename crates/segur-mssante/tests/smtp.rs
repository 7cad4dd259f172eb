//! SMTP submission against a real server on loopback: Python's aiosmtpd (PyPI, installed by
//! `.ci/run`) with STARTTLS and a test PKI generated here with rcgen; once with a TLS client
//! certificate, once with XOAUTH2. The message must arrive byte for byte and parse back.

mod common;

use std::path::Path;
use std::time::Duration;

use common::*;
use segur_mssante::smtp::{SmtpAuth, SmtpConfig, TlsConfig, send};
use segur_mssante::{
    BuiltMessage, ErrorKind, Mailbox, MessageBuilder, ReadOptions, WriteOptions, XdmWriter,
    read_message,
};
use segur_transport::SeededRandomness;

fn message() -> BuiltMessage {
    let rng = SeededRandomness::new(5);
    let mut w = XdmWriter::new(WriteOptions::default());
    w.add_submission(
        submission(&rng, &["Note de vaccination"]),
        vec![VAC_NOTE.to_vec()],
    )
    .unwrap();
    MessageBuilder::new(
        Mailbox::with_name("bal.pfi@ch-a.mssante.fr", "PFI CH A").unwrap(),
        "DEV935997",
    )
    .to(Mailbox::new("serviceY@ch-b.mssante.fr").unwrap())
    .cc(Mailbox::new("dr.durand@ch-b.mssante.fr").unwrap())
    .body("Bonjour,\r\n.\r\nune ligne qui commence par un point ci-dessus.\r\n")
    .xdm(w.write().unwrap())
    .delivery_receipt(true)
    .read_receipt(true)
    .build(&clock(), &SeededRandomness::new(11))
    .unwrap()
}

fn config(port: u16, pki: &Pki, auth: SmtpAuth, with_client_cert: bool) -> SmtpConfig {
    SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        server_name: "localhost".into(),
        hello_name: "lps.ch-a.example".into(),
        tls: TlsConfig {
            root_certificates_pem: pki.ca_pem.clone().into_bytes(),
            client_identity: with_client_cert.then(|| {
                (
                    pki.client.0.clone().into_bytes(),
                    pki.client.1.clone().into_bytes(),
                )
            }),
        },
        auth,
        timeout: Duration::from_secs(20),
    }
}

fn received(dir: &Path) -> (Vec<u8>, serde_json::Value) {
    let eml = std::fs::read(dir.join("1.eml")).unwrap();
    let meta = std::fs::read_to_string(dir.join("1.json")).unwrap();
    (eml, serde_json::from_str(&meta).unwrap())
}

#[test]
fn starttls_with_a_client_certificate_delivers_byte_identical() {
    let pki = pki();
    let dir = tempfile::tempdir().unwrap();
    let server = start_server("smtp_server.py", dir.path(), &pki, "cert", None);
    let msg = message();
    let report = send(
        &config(server.port, &pki, SmtpAuth::ClientCertificate, true),
        &msg,
    )
    .unwrap();
    assert!(report.dsn_requested);
    assert!(report.reply.starts_with("250"), "{}", report.reply);
    let (eml, meta) = received(dir.path());
    assert_eq!(
        eml, msg.bytes,
        "the stored message differs from the one sent"
    );
    assert_eq!(meta["mail_from"], "bal.pfi@ch-a.mssante.fr");
    assert_eq!(
        meta["rcpt_tos"],
        serde_json::json!(["servicey@ch-b.mssante.fr", "dr.durand@ch-b.mssante.fr"])
    );
    assert_eq!(meta["dsn_mail"], serde_json::json!(["RET=HDRS"]));
    assert_eq!(
        meta["dsn_rcpt"][0],
        serde_json::json!([
            "NOTIFY=SUCCESS,FAILURE,DELAY",
            "ORCPT=rfc822;servicey@ch-b.mssante.fr"
        ])
    );
    assert_eq!(
        meta["peer_subject"]["commonName"],
        "bal.pfi@ch-a.mssante.fr"
    );
    assert_eq!(meta["tls"], true);
    let back = read_message(&eml, &ReadOptions::strict()).unwrap();
    assert_eq!(back.message_id.as_deref(), Some(msg.message_id.as_str()));
    assert_eq!(back.mss.codes, ["87273-9"]);
    assert!(back.archives[0].archive.is_ok());
}

#[test]
fn starttls_without_the_client_certificate_is_refused() {
    let pki = pki();
    let dir = tempfile::tempdir().unwrap();
    let server = start_server("smtp_server.py", dir.path(), &pki, "cert", None);
    let e = send(
        &config(
            server.port,
            &pki,
            SmtpAuth::Xoauth2 {
                user: "x@y.fr".into(),
                token: "t".into(),
            },
            false,
        ),
        &message(),
    )
    .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Tls | ErrorKind::Smtp), "{e}");
    assert!(!dir.path().join("1.eml").exists());
}

#[test]
fn xoauth2_with_a_psc_access_token_delivers_byte_identical() {
    let pki = pki();
    let dir = tempfile::tempdir().unwrap();
    let token = "eyJhbGciOiJSUzI1NiJ9.test-psc-access-token.sig";
    let server = start_server("smtp_server.py", dir.path(), &pki, "xoauth2", Some(token));
    let msg = message();
    let auth = SmtpAuth::Xoauth2 {
        user: "paul.martin@ch-a.mssante.fr".into(),
        token: token.into(),
    };
    send(&config(server.port, &pki, auth, false), &msg).unwrap();
    let (eml, meta) = received(dir.path());
    assert_eq!(eml, msg.bytes);
    assert_eq!(meta["login"], "paul.martin@ch-a.mssante.fr");
    assert!(read_message(&eml, &ReadOptions::strict()).is_ok());

    // a wrong token is refused and nothing is stored
    let dir2 = tempfile::tempdir().unwrap();
    let server2 = start_server("smtp_server.py", dir2.path(), &pki, "xoauth2", Some(token));
    let bad = SmtpAuth::Xoauth2 {
        user: "paul.martin@ch-a.mssante.fr".into(),
        token: "expired".into(),
    };
    let e = send(&config(server2.port, &pki, bad, false), &msg).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Smtp, "{e}");
    assert!(!e.to_string().contains("expired"), "the token leaked: {e}");
    assert!(!dir2.path().join("1.eml").exists());
}

#[test]
fn an_untrusted_server_certificate_is_refused() {
    let pki = pki();
    let other = pki_roots_only();
    let dir = tempfile::tempdir().unwrap();
    let server = start_server("smtp_server.py", dir.path(), &pki, "cert", None);
    let mut c = config(server.port, &pki, SmtpAuth::ClientCertificate, true);
    c.tls.root_certificates_pem = other.into_bytes();
    let e = send(&c, &message()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Tls, "{e}");
}

fn pki_roots_only() -> String {
    pki().ca_pem
}
