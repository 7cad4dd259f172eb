//! `segur dmp`: argument handling and error reporting, then existence / authorize / find /
//! retrieve run by the `segur` binary over mutual TLS against the segur-dmp simulator's HTTPS
//! server (started in process, test PKI made by rcgen), and `segur dmp simulator` run as a
//! process.

mod common;
use common::segur;

#[path = "../../segur-dmp/tests/common/mod.rs"]
mod dmp_common;
#[path = "../../segur-transport/tests/support/pki.rs"]
mod pki;

use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use pki::Usage;
use segur_dmp::DmpClient;
use segur_dmp::simulator::Simulator;
use segur_dmp::simulator::server::{ServerConfig, SimulatorServer};
use segur_soap::vihf::VihfVerifier;
use segur_transport::{HttpsTransport, SeededRandomness};
use segur_xmldsig::{Certificate, SoftwareSigner};

/// The connection options of every transaction subcommand.
fn connection(endpoint: &str, files: &Path, tls: &str) -> Vec<String> {
    let file = |name: &str| files.join(name).display().to_string();
    [
        "--endpoint",
        endpoint,
        "--ca",
        &file("ca.pem"),
        "--tls-cert",
        &file(&format!("{tls}.pem")),
        "--tls-key",
        &file(&format!("{tls}.key")),
        "--sign-cert",
        &file("sign.pem"),
        "--sign-key",
        &file("sign.key"),
        "--patient",
        "279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH",
        "--name-id",
        "899900063480",
        "--subject",
        "LIBRE Max",
        "--structure",
        "499900063480001",
        "--specialty",
        "SM26",
        "--homologation",
        "NumAutorisation",
    ]
    .map(str::to_owned)
    .to_vec()
}

#[test]
fn subcommands_are_listed() {
    let out = segur(&["dmp", "--help"]);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for sub in ["existence", "authorize", "find", "retrieve", "simulator"] {
        assert!(help.contains(sub), "{help}");
    }
}

#[test]
fn missing_files_and_bad_status_are_reported() {
    let nowhere = connection(
        "https://127.0.0.1:9/si-dmp-server/v2/services",
        Path::new("/nonexistent"),
        "tls",
    );
    let mut args = vec!["dmp", "existence"];
    args.extend(nowhere.iter().map(String::as_str));
    let out = segur(&args);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/ca.pem"));

    let mut args = vec!["dmp", "find", "--status", "bogus"];
    args.extend(nowhere.iter().map(String::as_str));
    let out = segur(&args);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown status"));
}

/// The structure's TLS and signing certificates share this common name.
const STRUCTURE: &str = "DMP STRUCTURE TEST";

/// Writes the test PKI as PEM files: `ca.pem`, `server.*`, `client.*` (TLS), `sign.*` (VIHF),
/// `rogue.*` (TLS, untrusted CA).
fn write_pki(dir: &Path) -> pki::Issued {
    let ca = pki::ca("TEST AC IGC-SANTE", "ca");
    let rogue_ca = pki::rogue_ca();
    let issued = [
        (
            "server",
            pki::leaf("127.0.0.1", "server", Usage::Server, &ca),
        ),
        ("client", pki::leaf(STRUCTURE, "client", Usage::Client, &ca)),
        ("sign", pki::leaf(STRUCTURE, "sign", Usage::Signature, &ca)),
        (
            "rogue",
            pki::leaf(STRUCTURE, "client", Usage::Client, &rogue_ca),
        ),
    ];
    for (name, id) in &issued {
        std::fs::write(dir.join(format!("{name}.pem")), id.cert_pem()).unwrap();
        std::fs::write(dir.join(format!("{name}.key")), id.key_pem()).unwrap();
    }
    std::fs::write(dir.join("ca.pem"), ca.cert_pem()).unwrap();
    ca
}

fn patient_cx() -> String {
    dmp_common::patient().to_hl7v2()
}

/// Runs `segur dmp <sub> <connection> <extra>`; returns (success, stdout, stderr).
fn dmp(sub: &str, connection: &[String], extra: &[&str]) -> (bool, String, String) {
    let mut args = vec!["dmp", sub];
    args.extend(connection.iter().map(String::as_str));
    args.extend_from_slice(extra);
    let out = segur(&args);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn existence_authorize_find_and_retrieve_against_the_simulator_over_mutual_tls() {
    let dir = tempfile::tempdir().unwrap();
    let ca = write_pki(dir.path());
    let anchor = Certificate::from_der(ca.cert.der().to_vec()).unwrap();
    let simulator = Simulator::new(
        VihfVerifier::with_trust_anchors(vec![anchor], chrono::Utc::now()),
        7,
    );
    simulator.add_patient(&patient_cx());
    let read = |name: &str| std::fs::read(dir.path().join(name)).unwrap();
    let config =
        ServerConfig::from_pem(&read("server.pem"), &read("server.key"), &read("ca.pem")).unwrap();
    let server = SimulatorServer::start(simulator, config).unwrap();
    let conn = connection(&server.url(), dir.path(), "client");

    let (ok, out, err) = dmp("existence", &conn, &[]);
    assert!(ok, "{err}");
    assert_eq!(out, "exists: true\nauthorisation: NON_AUTORISE\n");
    let (ok, out, err) = dmp("authorize", &conn, &[]);
    assert!(ok, "{err}");
    assert_eq!(out, "DMPOk Autorisation ajoutée\n");
    let (_, out, _) = dmp("existence", &conn, &[]);
    assert_eq!(out, "exists: true\nauthorisation: VALIDE\n");

    // a document fed by the library, over the same kind of connection
    let transport = HttpsTransport::builder()
        .trust_anchors_pem(&read("ca.pem"))
        .unwrap()
        .client_identity_pem(&read("client.pem"), &read("client.key"))
        .unwrap()
        .build()
        .unwrap();
    let feeder = DmpClient::new(
        transport,
        server.environment(),
        dmp_common::vihf_template(),
        Box::new(SoftwareSigner::from_pem(&read("sign.key"), &read("sign.pem")).unwrap()),
        dmp_common::sender(),
        Box::new(dmp_common::clock()),
        Box::new(SeededRandomness::new(3)),
    );
    feeder
        .feed(&dmp_common::ins(), &dmp_common::feed(1, dmp_common::CDA))
        .unwrap();

    let (ok, out, err) = dmp("find", &conn, &[]);
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "document and signature: {out}");
    let document = lines
        .iter()
        .find(|l| l.ends_with("CR de consultation"))
        .unwrap_or_else(|| panic!("{out}"));
    let fields: Vec<&str> = document.splitn(4, ' ').collect();
    assert!(fields[0].starts_with("urn:uuid:"), "{document}");
    assert_eq!(fields[1], "1.2.250.1.999.1.1.7898.3.1");
    assert_eq!(
        fields[2],
        "urn:oasis:names:tc:ebxml-regrep:StatusType:Approved"
    );
    let (_, out, _) = dmp(
        "find",
        &conn,
        &["--status", "archived", "--status", "deleted"],
    );
    assert_eq!(out, "");

    let saved: PathBuf = dir.path().join("retrieved.xml");
    let saved_arg = saved.display().to_string();
    let (ok, out, err) = dmp(
        "retrieve",
        &conn,
        &[
            "--unique-id",
            "1.2.250.1.999.1.1.7898.3.1",
            "--out",
            &saved_arg,
        ],
    );
    assert!(ok, "{err}");
    assert_eq!(std::fs::read(&saved).unwrap(), dmp_common::CDA);
    assert_eq!(
        out,
        format!("{} bytes written to {saved_arg}\n", dmp_common::CDA.len())
    );
    // a document that is not there
    let (ok, _, err) = dmp(
        "retrieve",
        &conn,
        &[
            "--unique-id",
            "1.2.250.1.999.1.1.7898.3.404",
            "--out",
            &saved_arg,
        ],
    );
    assert!(!ok);
    assert!(err.contains("XDSDocumentUniqueIdError"), "{err}");

    // removing the authorisation closes the door
    let (ok, _, err) = dmp("authorize", &conn, &["--remove"]);
    assert!(ok, "{err}");
    let (ok, _, err) = dmp("find", &conn, &[]);
    assert!(!ok);
    assert!(err.contains("DMPAccessDeniedByRightsService"), "{err}");

    // a TLS certificate from a CA the server does not trust: refused in the handshake
    let rogue = connection(&server.url(), dir.path(), "rogue");
    let (ok, _, err) = dmp("existence", &rogue, &[]);
    assert!(!ok);
    assert!(err.contains("UnknownCA"), "{err}");
}

/// Kills the child when dropped (the test may fail half-way).
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_simulator_runs_as_a_process() {
    let dir = tempfile::tempdir().unwrap();
    write_pki(dir.path());
    let file = |name: &str| dir.path().join(name).display().to_string();
    let mut child = Running(
        Command::new(env!("CARGO_BIN_EXE_segur"))
            .args([
                "dmp",
                "simulator",
                "--cert",
                &file("server.pem"),
                "--key",
                &file("server.key"),
                "--client-ca",
                &file("ca.pem"),
                "--patient",
                &patient_cx(),
                "--dmp-tls",
            ])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut first = String::new();
    std::io::BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{first}"));
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    assert!(url.ends_with("/si-dmp-server/v2/services"), "{url}");
    let (ok, out, err) = dmp("existence", &connection(url, dir.path(), "client"), &[]);
    assert!(ok, "{err}");
    assert_eq!(out, "exists: true\nauthorisation: NON_AUTORISE\n");
    // bad configuration: a clear error, no server
    let out = segur(&[
        "dmp",
        "simulator",
        "--cert",
        &file("ca.pem"),
        "--key",
        &file("nothing.key"),
        "--client-ca",
        &file("ca.pem"),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing.key"));
}
