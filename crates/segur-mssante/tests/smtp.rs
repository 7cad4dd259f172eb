//! SMTP submission against a real server on loopback: Python's aiosmtpd (PyPI, installed by
//! `.ci/run`) with STARTTLS and a test PKI generated here with rcgen; once with a TLS client
//! certificate, once with XOAUTH2. The message must arrive byte for byte and parse back.

mod common;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::*;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, SanType,
};
use segur_mssante::smtp::{SmtpAuth, SmtpConfig, TlsConfig, send};
use segur_mssante::{
    BuiltMessage, ErrorKind, Mailbox, MessageBuilder, ReadOptions, WriteOptions, XdmWriter,
    read_message,
};
use segur_transport::SeededRandomness;

struct Pki {
    ca_pem: String,
    server: (String, String),
    client: (String, String),
}

fn pki() -> Pki {
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(
        DnType::CommonName,
        "TEST AC IGC-SANTE ELEMENTAIRE ORGANISATIONS",
    );
    let ca_key = KeyPair::generate().unwrap();
    let ca_cert = ca.self_signed(&ca_key).unwrap();

    let mut server = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    server
        .subject_alt_names
        .push(SanType::IpAddress("127.0.0.1".parse().unwrap()));
    server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let server_key = KeyPair::generate().unwrap();
    let server_cert = server.signed_by(&server_key, &ca_cert, &ca_key).unwrap();

    let mut client = CertificateParams::new(Vec::<String>::new()).unwrap();
    client
        .distinguished_name
        .push(DnType::CommonName, "bal.pfi@ch-a.mssante.fr");
    client.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let client_key = KeyPair::generate().unwrap();
    let client_cert = client.signed_by(&client_key, &ca_cert, &ca_key).unwrap();
    Pki {
        ca_pem: ca_cert.pem(),
        server: (server_cert.pem(), server_key.serialize_pem()),
        client: (client_cert.pem(), client_key.serialize_pem()),
    }
}

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(dir: &Path, pki: &Pki, mode: &str, token: Option<&str>) -> Server {
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_owned()
    };
    let cert = write("server.pem", &pki.server.0);
    let key = write("server.key", &pki.server.1);
    let ca = write("ca.pem", &pki.ca_pem);
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp_server.py");
    let mut cmd = Command::new("python3");
    cmd.arg(script)
        .arg(port.to_string())
        .arg(dir)
        .args([&cert, &key, &ca, mode]);
    if let Some(t) = token {
        cmd.arg(t);
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("python3 is required by this test (see .ci/run): {e}"));
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(
        line.trim(),
        "READY",
        "the aiosmtpd test server did not start (is `aiosmtpd` installed? `python3 -m pip install aiosmtpd`, see .ci/run)"
    );
    Server { child, port }
}

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
    let server = start_server(dir.path(), &pki, "cert", None);
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
    let server = start_server(dir.path(), &pki, "cert", None);
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
    let server = start_server(dir.path(), &pki, "xoauth2", Some(token));
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
    let server2 = start_server(dir2.path(), &pki, "xoauth2", Some(token));
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
    let server = start_server(dir.path(), &pki, "cert", None);
    let mut c = config(server.port, &pki, SmtpAuth::ClientCertificate, true);
    c.tls.root_certificates_pem = other.into_bytes();
    let e = send(&c, &message()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Tls, "{e}");
}

fn pki_roots_only() -> String {
    pki().ca_pem
}
