//! The loopback test PKI, shared by the tests that need real TLS (this crate's
//! `tests/https_loopback.rs`, segur-dmp's `tests/mtls.rs`, segur-cli's `tests/dmp.rs`, which
//! include this file with `#[path]`): a CA standing for IGC-Santé, a server certificate for
//! `127.0.0.1`, client (TLS) and signing certificates, and a rogue CA nobody trusts.
//!
//! Certificates are made by rcgen when the tests run, from the RSA keys committed in
//! `../data/` (rcgen on *ring* cannot generate RSA keys, and the DMP's TLS 1.2 suites are all
//! `ECDHE_RSA`). The keys are compiled in, so the file works from any crate.
#![allow(dead_code, unreachable_pub)]

use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicU64, Ordering};

use rcgen::{
    BasicConstraints, Certificate, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose, SanType, SerialNumber,
};

/// The structure identifier put in the `OU` of every leaf.
pub const STRUCTURE_ID: &str = "499900063480001";

/// One of the committed RSA keys: `ca`, `server`, `client`, `sign`, `rogue-ca`.
pub fn key(name: &str) -> KeyPair {
    let pem = match name {
        "ca" => include_str!("../data/ca.key.pem"),
        "server" => include_str!("../data/server.key.pem"),
        "client" => include_str!("../data/client.key.pem"),
        "sign" => include_str!("../data/sign.key.pem"),
        "rogue-ca" => include_str!("../data/rogue-ca.key.pem"),
        other => panic!("no test key named {other}"),
    };
    KeyPair::from_pem(pem).expect("test key")
}

/// A certificate and its key.
pub struct Issued {
    pub cert: Certificate,
    pub key: KeyPair,
}

impl Issued {
    /// The certificate, PEM.
    pub fn cert_pem(&self) -> String {
        self.cert.pem()
    }

    /// The private key, PKCS#8 PEM.
    pub fn key_pem(&self) -> String {
        self.key.serialize_pem()
    }
}

/// What a leaf certificate is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    /// TLS server for `127.0.0.1` and `localhost`.
    Server,
    /// TLS client authentication (the structure's `AUTH_CLI`).
    Client,
    /// Signatures (the structure's `SIGN`, VIHF and XAdES).
    Signature,
}

/// Distinct serial numbers: the same key may be certified several times by one CA.
fn serial() -> SerialNumber {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    SerialNumber::from(NEXT.fetch_add(1, Ordering::Relaxed))
}

/// A self-signed CA `CN=<name>, O=TEST PKI` with the key `key_name`.
pub fn ca(name: &str, key_name: &str) -> Issued {
    let mut p = CertificateParams::new(Vec::<String>::new()).expect("params");
    p.distinguished_name.push(DnType::CommonName, name);
    p.distinguished_name
        .push(DnType::OrganizationName, "TEST PKI");
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.serial_number = Some(serial());
    let key = key(key_name);
    Issued {
        cert: p.self_signed(&key).expect("CA certificate"),
        key,
    }
}

/// A leaf `CN=<cn>, OU=<STRUCTURE_ID>` with the key `key_name`, issued by `issuer`.
pub fn leaf(cn: &str, key_name: &str, usage: Usage, issuer: &Issued) -> Issued {
    let mut p = CertificateParams::new(Vec::<String>::new()).expect("params");
    p.distinguished_name
        .push(DnType::OrganizationalUnitName, STRUCTURE_ID);
    p.distinguished_name.push(DnType::CommonName, cn);
    p.serial_number = Some(serial());
    match usage {
        Usage::Server => {
            p.key_usages = vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::KeyEncipherment,
            ];
            p.subject_alt_names = vec![
                SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)),
                SanType::DnsName("localhost".try_into().expect("dns name")),
            ];
            p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        }
        Usage::Client => {
            p.key_usages = vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::KeyEncipherment,
            ];
            p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        }
        Usage::Signature => {
            p.key_usages = vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::ContentCommitment,
            ];
        }
    }
    let key = key(key_name);
    Issued {
        cert: p
            .signed_by(&key, &issuer.cert, &issuer.key)
            .expect("leaf certificate"),
        key,
    }
}

/// The rogue CA: not trusted by anybody.
pub fn rogue_ca() -> Issued {
    ca("ROGUE AC", "rogue-ca")
}

/// The common set: CA, server, client and the same client certified by the rogue CA.
pub struct Pki {
    pub ca: Issued,
    pub server: Issued,
    pub client: Issued,
    pub rogue_client: Issued,
}

/// The common set, with the client named `ORG AUTH_CLI TEST`.
pub fn pki() -> Pki {
    let ca = ca("TEST AC IGC-SANTE", "ca");
    let rogue = rogue_ca();
    Pki {
        server: leaf("127.0.0.1", "server", Usage::Server, &ca),
        client: leaf("ORG AUTH_CLI TEST", "client", Usage::Client, &ca),
        rogue_client: leaf("ORG AUTH_CLI TEST", "client", Usage::Client, &rogue),
        ca,
    }
}
