//! `segur vihf sign` and `segur vihf verify`, run as a user would; the signed output is also
//! checked by xmlsec1.

mod common;
use common::segur;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn soap_data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../segur-soap/tests/data")
        .join(name)
}

fn config() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/vihf.toml")
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn sign(config: &Path) -> Output {
    segur(&[
        "vihf",
        "sign",
        "--config",
        p(config),
        "--key",
        p(&soap_data("sign.key.pem")),
        "--cert",
        p(&soap_data("sign.pem")),
    ])
}

#[test]
fn sign_then_verify() {
    let out = sign(&config());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let vihf = String::from_utf8(out.stdout).unwrap();
    assert!(vihf.starts_with("<saml2:Assertion"), "{vihf}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("vihf.xml");
    std::fs::write(&file, &vihf).unwrap();

    let ok = segur(&["vihf", "verify", p(&file), "--ca", p(&soap_data("ca.pem"))]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let report = String::from_utf8(ok.stdout).unwrap();
    assert!(
        report.starts_with("signature: valid, certificate chained to"),
        "{report}"
    );
    assert!(report.contains("mode: INDIRECTE\n"), "{report}");
    assert!(report.contains("roles: 10, SM26\n"), "{report}");
    // the INS is not printed
    assert!(!report.contains("279035121518989"), "{report}");

    // without --ca: integrity only, said so
    let ok = segur(&["vihf", "verify", p(&file)]);
    assert!(ok.status.success());
    assert!(String::from_utf8_lossy(&ok.stdout).contains("NOT checked"));

    // xmlsec1 agrees
    let x = Command::new("xmlsec1")
        .args(["--verify", "--trusted-pem", p(&soap_data("ca.pem"))])
        .args([
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
        ])
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("`xmlsec1` is required (apt-get install xmlsec1): {e}"));
    assert!(x.status.success(), "{}", String::from_utf8_lossy(&x.stderr));

    // tampered: exit code 1 and a message
    std::fs::write(&file, vihf.replace("LIBRE Max", "PIRATE Max")).unwrap();
    let bad = segur(&["vihf", "verify", p(&file), "--ca", p(&soap_data("ca.pem"))]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("signature"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );

    // a certificate that does not chain to the CA
    std::fs::write(&file, &vihf).unwrap();
    let bad = segur(&[
        "vihf",
        "verify",
        p(&file),
        "--ca",
        p(&soap_data("rogue.pem")),
    ]);
    assert_eq!(bad.status.code(), Some(1));
}

#[test]
fn sign_refuses_bad_descriptions() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(config()).unwrap();
    for (from, to, expected) in [
        ("specialty = \"SM26\"\n", "", "speciality"),
        ("mode = \"INDIRECTE\"", "mode = \"AUTRE\"", "mode `AUTRE`"),
        (
            "sector = \"SA07\"",
            "sector = \"SA07\"\ncolour = \"blue\"",
            "unknown field",
        ),
        ("279035121518989", "279035121518988", "patient resource-id"),
    ] {
        let file = dir.path().join("bad.toml");
        std::fs::write(&file, base.replacen(from, to, 1)).unwrap();
        let out = sign(&file);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{expected}: {err}");
        assert!(!err.contains("27903512151898"), "{err}");
    }
}
