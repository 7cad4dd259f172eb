//! `segur dmp`: argument handling and error reporting (no DMP is reachable from the tests; the
//! transactions themselves are tested in segur-dmp against its simulator).

use std::process::Command;

fn segur(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_segur"))
        .args(args)
        .output()
        .unwrap()
}

const CONNECTION: &[&str] = &[
    "--endpoint",
    "https://127.0.0.1:9/si-dmp-server/v2/services",
    "--ca",
    "/nonexistent/ca.pem",
    "--tls-cert",
    "/nonexistent/tls.pem",
    "--tls-key",
    "/nonexistent/tls.key",
    "--sign-cert",
    "/nonexistent/sign.pem",
    "--sign-key",
    "/nonexistent/sign.key",
    "--patient",
    "279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH",
    "--name-id",
    "899900063480",
    "--subject",
    "LIBRE Max",
    "--structure",
    "499900063480001",
    "--homologation",
    "NumAutorisation",
];

#[test]
fn subcommands_are_listed() {
    let out = segur(&["dmp", "--help"]);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for sub in ["existence", "authorize", "find", "retrieve"] {
        assert!(help.contains(sub), "{help}");
    }
}

#[test]
fn missing_files_and_bad_status_are_reported() {
    let mut args = vec!["dmp", "existence"];
    args.extend_from_slice(CONNECTION);
    let out = segur(&args);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/ca.pem"));

    let mut args = vec!["dmp", "find", "--status", "bogus"];
    args.extend_from_slice(CONNECTION);
    let out = segur(&args);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown status"));
}
