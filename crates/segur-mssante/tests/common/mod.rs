//! Helpers shared by the integration tests.
#![allow(dead_code, unreachable_pub)]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, SanType,
};

use segur_transport::{FixedClock, SeededRandomness};
use segur_xds::codes::Code;
use segur_xds::{
    Cx, DocumentEntry, EntryKind, EntryUuid, Oid, Submission, SubmissionSet, UniqueId, XdsTime,
};

pub const VAC_NOTE: &[u8] = include_bytes!("../data/VAC-NOTE_2023.01.xml");
pub const INS: &str = "279035121518989";
pub const INS_TEST_OID: &str = "1.2.250.1.213.1.4.10";

pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

pub fn shared(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(path)
}

pub fn clock() -> FixedClock {
    FixedClock::from_rfc3339("2025-01-15T08:30:00Z").unwrap()
}

/// A document entry for a CDA document of the test patient.
pub fn entry(rng: &SeededRandomness, unique_id: &str, title: &str) -> DocumentEntry {
    let patient = Cx::ins(INS, INS_TEST_OID);
    DocumentEntry {
        entry_uuid: EntryUuid::random(rng),
        logical_id: None,
        version: None,
        kind: EntryKind::Stable,
        unique_id: UniqueId::parse(unique_id).unwrap(),
        source_patient_id: Some(patient.clone()),
        patient_id: patient,
        source_patient_info: Vec::new(),
        mime_type: "text/xml".to_owned(),
        title: Some(title.to_owned()),
        comments: None,
        class_code: Code::new("11", "1.2.250.1.213.1.1.4.1", "Compte rendu"),
        type_code: Code::new("87273-9", "2.16.840.1.113883.6.1", "Note de vaccination"),
        format_code: Code::new(
            "urn:asip:ci-sis:vac-note:2023",
            "1.2.250.1.213.1.1.4.2.282",
            "Note de vaccination",
        ),
        confidentiality_codes: vec![Code::new("N", "2.16.840.1.113883.5.25", "Normal")],
        healthcare_facility_type_code: Code::new("SA07", "1.2.250.1.71.4.2.4", "Cabinet"),
        practice_setting_code: Code::new("ORG01", "1.2.250.1.213.1.1.4.9", "Médecine générale"),
        event_codes: Vec::new(),
        authors: Vec::new(),
        legal_authenticator: None,
        creation_time: Some(XdsTime::parse("20250115083000").unwrap()),
        service_start_time: None,
        service_stop_time: None,
        hash: None,
        size: None,
        language_code: Some("fr-FR".to_owned()),
        repository_unique_id: None,
        uri: None,
        availability_status: None,
    }
}

/// A submission set holding one entry per title.
pub fn submission(rng: &SeededRandomness, titles: &[&str]) -> Submission {
    let set = SubmissionSet {
        entry_uuid: EntryUuid::random(rng),
        unique_id: Oid::parse("1.2.250.1.999.1.2025.1").unwrap(),
        source_id: Oid::parse("1.2.250.1.999.1").unwrap(),
        patient_id: Cx::ins(INS, INS_TEST_OID),
        submission_time: XdsTime::parse("20250115083000").unwrap(),
        content_type_code: Some(Code::new("04", "1.2.250.1.213.1.1.4.12", "Hospitalisation")),
        authors: Vec::new(),
        title: None,
        comments: None,
        intended_recipients: vec!["||^^Internet^serviceY@ch-b.mssante.fr".to_owned()],
        availability_status: None,
    };
    let mut s = Submission::new(set);
    for (i, t) in titles.iter().enumerate() {
        s.add_document(
            entry(rng, &format!("1.2.250.1.213.1.1.1.46.2023.1.{}", i + 1), t),
            rng,
        );
    }
    s
}

/// Runs a command, panicking with a clear message when the tool is missing.
pub fn run(program: &str, args: &[&str]) -> std::process::Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("`{program}` is required by this test (see .ci/run): {e}"))
}

/// A qualified identity status (INSi answer plus a checked identity document).
pub fn qualified_status() -> segur_ins::IdentityStatus {
    use segur_ins::rniv::{CompareOptions, compare};
    use segur_ins::status::{Event, IdentityDocument, InsiMode};
    use segur_ins::{BirthDate, CalendarDate, IdentityStatus, IdentityTraits, Sex};
    let traits = IdentityTraits::new(
        "PAT-TROIS",
        "DOMINIQUE",
        BirthDate::from_insi("1979-03-28").unwrap(),
        Sex::Female,
        None,
    )
    .unwrap();
    let today = CalendarDate::new(2025, 1, 15).unwrap();
    let mut status = IdentityStatus::new();
    status
        .apply(Event::InsiAnswer {
            mode: InsiMode::Traits,
            date: today,
            comparison: compare(&traits, &traits, &CompareOptions::default()),
        })
        .unwrap();
    status
        .apply(Event::DocumentChecked {
            document: IdentityDocument::Passeport,
            date: today,
        })
        .unwrap();
    status
}

/// A test PKI: a root, a server certificate for localhost/127.0.0.1, a client certificate.
pub struct Pki {
    pub ca_pem: String,
    pub server: (String, String),
    pub client: (String, String),
}

/// Generates a fresh test PKI with rcgen.
pub fn pki() -> Pki {
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

/// A running test server, killed on drop.
pub struct Server {
    child: Child,
    /// Its port.
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `tests/<script>` (a Python server) on a free loopback port with the test PKI.
pub fn start_server(
    script: &str,
    dir: &Path,
    pki: &Pki,
    mode: &str,
    token: Option<&str>,
) -> Server {
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
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(script);
    let mut cmd = Command::new("python3");
    cmd.arg(path)
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
        "the {script} test server did not start (for SMTP: is `aiosmtpd` installed? `python3 -m pip install aiosmtpd`, see .ci/run)"
    );
    Server { child, port }
}
