//! Helpers shared by the integration tests.
#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `tests/data/` of this crate.
pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

/// Reads a file of `tests/data/`.
pub fn read(rel: &str) -> Vec<u8> {
    std::fs::read(data(rel)).unwrap_or_else(|e| panic!("cannot read tests/data/{rel}: {e}"))
}

/// `../shared/corpus/xds/samples/` beside the checkout.
pub fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/xds/samples")
}

/// Runs an external oracle; a missing tool is a test failure with a clear message, never a skip.
pub fn run(tool: &str, args: &[&str]) -> Output {
    Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!(
            "`{tool}` is required by this test and could not be run ({e}); \
             install it: apt-get install xmlsec1 libxml2-utils (see .ci/run)"
        )
    })
}

pub const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";

/// The test signer (RSA, issued by tests/data/pki/ca.pem).
pub fn rsa_signer() -> segur_xmldsig::SoftwareSigner {
    segur_xmldsig::SoftwareSigner::from_pem(&read("pki/leaf-rsa.key"), &read("pki/leaf-rsa.pem"))
        .expect("test signer")
}

pub fn ca() -> Vec<segur_xmldsig::Certificate> {
    segur_xmldsig::Certificate::all_from_pem(&read("pki/ca.pem")).expect("test CA")
}

/// A time inside the validity of the test PKI.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2030-06-01T12:00:00Z")
        .expect("date")
        .to_utc()
}
