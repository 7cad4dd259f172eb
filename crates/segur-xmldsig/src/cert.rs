//! X.509 certificates: loading, the facts the DMP needs (RFC 2253 subject, validity, key usage,
//! French health identifiers) and chain validation against caller-given trust anchors.

use chrono::{DateTime, Utc};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use x509_parser::prelude::{FromDer, X509Certificate, X509Name};
use x509_parser::x509::AttributeTypeAndValue;

use crate::error::{Error, Result};

/// A DER-encoded X.509 certificate, checked to parse when built.
#[derive(Clone, PartialEq, Eq)]
pub struct Certificate {
    der: Vec<u8>,
}

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificate")
            .field("subject", &self.subject_dn())
            .finish()
    }
}

fn cert_err(reason: impl std::fmt::Display) -> Error {
    Error::Certificate {
        reason: reason.to_string(),
    }
}

impl Certificate {
    /// A certificate from its DER encoding.
    pub fn from_der(der: impl Into<Vec<u8>>) -> Result<Self> {
        let cert = Self { der: der.into() };
        let (rest, _) = X509Certificate::from_der(&cert.der).map_err(cert_err)?;
        if !rest.is_empty() {
            return Err(cert_err("trailing bytes after the certificate"));
        }
        Ok(cert)
    }

    /// The first `CERTIFICATE` section of a PEM file.
    pub fn from_pem(pem: &[u8]) -> Result<Self> {
        Self::all_from_pem(pem)?
            .into_iter()
            .next()
            .ok_or_else(|| Error::Pem {
                reason: "no CERTIFICATE section".into(),
            })
    }

    /// Every `CERTIFICATE` section of a PEM file, in order (a chain file, or trust anchors).
    pub fn all_from_pem(pem: &[u8]) -> Result<Vec<Self>> {
        CertificateDer::pem_slice_iter(pem)
            .map(|c| {
                c.map_err(|e| Error::Pem {
                    reason: e.to_string(),
                })
                .and_then(|der| Self::from_der(der.as_ref()))
            })
            .collect()
    }

    /// The DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    pub(crate) fn x509(&self) -> Result<X509Certificate<'_>> {
        X509Certificate::from_der(&self.der)
            .map(|(_, c)| c)
            .map_err(cert_err)
    }

    /// The subject DN in RFC 2253 form, as the VIHF `Issuer` wants it: most specific RDN first,
    /// `ST=` (not `S=`), multi-valued RDNs joined with `+`, RFC 2253 escaping, and attribute
    /// types without an RFC 2253 keyword written `OID=#hex` (see [`DnStyle::Rfc2253`]).
    pub fn subject_dn(&self) -> String {
        self.subject_dn_with(DnStyle::Rfc2253)
    }

    /// The subject DN in the given style.
    pub fn subject_dn_with(&self, style: DnStyle) -> String {
        self.x509()
            .map(|c| format_dn(c.subject(), style))
            .unwrap_or_default()
    }

    /// The issuer DN in RFC 2253 form.
    pub fn issuer_dn(&self) -> String {
        self.x509()
            .map(|c| format_dn(c.issuer(), DnStyle::Rfc2253))
            .unwrap_or_default()
    }

    /// The serial number in decimal, as XML-DSig `X509SerialNumber` writes it.
    pub fn serial_number(&self) -> String {
        self.x509()
            .map(|c| c.tbs_certificate.serial.to_string())
            .unwrap_or_default()
    }

    /// Start of the validity period.
    pub fn not_before(&self) -> DateTime<Utc> {
        self.x509()
            .ok()
            .and_then(|c| DateTime::from_timestamp(c.validity().not_before.timestamp(), 0))
            .unwrap_or_default()
    }

    /// End of the validity period.
    pub fn not_after(&self) -> DateTime<Utc> {
        self.x509()
            .ok()
            .and_then(|c| DateTime::from_timestamp(c.validity().not_after.timestamp(), 0))
            .unwrap_or_default()
    }

    /// Whether `at` lies within the validity period (bounds included).
    pub fn is_valid_at(&self, at: DateTime<Utc>) -> bool {
        self.not_before() <= at && at <= self.not_after()
    }

    /// The key usage extension, if present.
    pub fn key_usage(&self) -> Option<KeyUsage> {
        let c = self.x509().ok()?;
        let ku = c.key_usage().ok()??;
        let ku = ku.value;
        Some(KeyUsage {
            digital_signature: ku.digital_signature(),
            non_repudiation: ku.non_repudiation(),
            key_encipherment: ku.key_encipherment(),
            key_cert_sign: ku.key_cert_sign(),
            crl_sign: ku.crl_sign(),
        })
    }

    /// Whether the basic constraints extension says this is a CA certificate.
    pub fn is_ca(&self) -> bool {
        self.x509().map(|c| c.is_ca()).unwrap_or(false)
    }

    /// The French health identifiers carried in the subject (see [`HealthIdentifier`]).
    pub fn health_identifiers(&self) -> Vec<HealthIdentifier> {
        let Ok(c) = self.x509() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for rdn in c.subject().iter() {
            for atv in rdn.iter() {
                let oid = atv.attr_type().to_id_string();
                let Some(value) = atv_string(atv) else {
                    continue;
                };
                let found = match oid.as_str() {
                    OID_CN => person_identifier(&value),
                    OID_OU => structure_identifier(&value),
                    _ => None,
                };
                if let Some(id) = found
                    && !out.contains(&id)
                {
                    out.push(id);
                }
            }
        }
        out
    }
}

/// Key usage bits relevant to signatures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct KeyUsage {
    /// `digitalSignature`.
    pub digital_signature: bool,
    /// `nonRepudiation` (`contentCommitment`): IGC-Santé signature certificates carry this one.
    pub non_repudiation: bool,
    /// `keyEncipherment`.
    pub key_encipherment: bool,
    /// `keyCertSign`.
    pub key_cert_sign: bool,
    /// `cRLSign`.
    pub crl_sign: bool,
}

/// An identifier of the French health directories found in an IGC-Santé certificate subject.
///
/// Personal certificates (CPS/CPx) carry the national professional identifier `IdNat_PS` in
/// `CN` (`8` + RPPS, or `0` + ADELI); organisation certificates carry the structure identifier
/// `Struct_IdNat` in `OU` (`1` + FINESS, `2` + SIREN, `3` + SIRET, `4` + RPPS + rank), and the
/// IGC-Santé authorities write their SIREN as `0002 <SIREN>` (ISO 6523 code 0002).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HealthIdentifier {
    /// RPPS number of a professional (11 digits).
    Rpps(String),
    /// ADELI number of a professional (9 characters).
    Adeli(String),
    /// FINESS number of an establishment (9 characters).
    Finess(String),
    /// SIREN number of a company (9 digits).
    Siren(String),
    /// SIRET number of an establishment (14 digits).
    Siret(String),
    /// A practice identified by the RPPS of its holder and a rank.
    RppsRank {
        /// RPPS number (11 digits).
        rpps: String,
        /// Rank of the practice.
        rank: String,
    },
}

impl HealthIdentifier {
    /// The identifier with its type digit, as the VIHF `Identifiant_Structure` or the
    /// `IdNat_PS` carry it (`8…`, `0…`, `1…`, `2…`, `3…`, `4…`).
    pub fn national_id(&self) -> String {
        match self {
            Self::Rpps(v) => format!("8{v}"),
            Self::Adeli(v) => format!("0{v}"),
            Self::Finess(v) => format!("1{v}"),
            Self::Siren(v) => format!("2{v}"),
            Self::Siret(v) => format!("3{v}"),
            Self::RppsRank { rpps, rank } => format!("4{rpps}{rank}"),
        }
    }
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

fn person_identifier(cn: &str) -> Option<HealthIdentifier> {
    let rest = cn.get(1..)?;
    match cn.as_bytes().first()? {
        b'8' if rest.len() == 11 && all_digits(rest) => Some(HealthIdentifier::Rpps(rest.into())),
        b'0' if rest.len() == 9 && rest.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            Some(HealthIdentifier::Adeli(rest.into()))
        }
        _ => None,
    }
}

fn structure_identifier(ou: &str) -> Option<HealthIdentifier> {
    if let Some(siren) = ou.strip_prefix("0002 ") {
        return (siren.len() == 9 && all_digits(siren))
            .then(|| HealthIdentifier::Siren(siren.into()));
    }
    let rest = ou.get(1..)?;
    match ou.as_bytes().first()? {
        b'1' if rest.len() == 9
            && rest
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'A' || b == b'B') =>
        {
            Some(HealthIdentifier::Finess(rest.into()))
        }
        b'2' if rest.len() == 9 && all_digits(rest) => Some(HealthIdentifier::Siren(rest.into())),
        b'3' if rest.len() == 14 && all_digits(rest) => Some(HealthIdentifier::Siret(rest.into())),
        b'4' if (12..=16).contains(&rest.len()) && all_digits(rest) => {
            Some(HealthIdentifier::RppsRank {
                rpps: rest[..11].into(),
                rank: rest[11..].into(),
            })
        }
        _ => None,
    }
}

/// How to write a distinguished name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum DnStyle {
    /// Strict RFC 2253 (what Java's `X500Principal.getName()` and the official CNAM VIHF samples
    /// produce): keywords only for CN, L, ST, O, OU, C, STREET, DC and UID; any other attribute
    /// is written `2.5.4.42=#0c034d4158` (dotted OID, `#`, hex of the DER value).
    #[default]
    Rfc2253,
    /// RFC 2253 with keywords also for surname (`SN`), given name (`GN`), serial number
    /// (`SERIALNUMBER`) and title (`T`), as the .NET rewrite `G=` → `GN=` gives.
    Rfc2253Keywords,
}

const OID_CN: &str = "2.5.4.3";
const OID_OU: &str = "2.5.4.11";

fn keyword(oid: &str, style: DnStyle) -> Option<&'static str> {
    let k = match oid {
        OID_CN => "CN",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.10" => "O",
        OID_OU => "OU",
        "2.5.4.6" => "C",
        "2.5.4.9" => "STREET",
        "0.9.2342.19200300.100.1.25" => "DC",
        "0.9.2342.19200300.100.1.1" => "UID",
        _ => {
            if style == DnStyle::Rfc2253 {
                return None;
            }
            match oid {
                "2.5.4.4" => "SN",
                "2.5.4.42" => "GN",
                "2.5.4.5" => "SERIALNUMBER",
                "2.5.4.12" => "T",
                _ => return None,
            }
        }
    };
    Some(k)
}

/// The value of a DN attribute as a string, for the usual ASN.1 string types.
fn atv_string(atv: &AttributeTypeAndValue<'_>) -> Option<String> {
    use x509_parser::der_parser::asn1_rs::Tag;
    let any = atv.attr_value();
    let data = any.data;
    match any.header.tag() {
        Tag::Utf8String | Tag::PrintableString | Tag::Ia5String | Tag::NumericString => {
            std::str::from_utf8(data).ok().map(str::to_owned)
        }
        // T.61 in theory; in practice Latin-1.
        Tag::TeletexString => Some(data.iter().map(|&b| char::from(b)).collect()),
        Tag::BmpString => {
            if data.len() % 2 != 0 {
                return None;
            }
            let units: Vec<u16> = data
                .chunks_exact(2)
                .map(|p| u16::from_be_bytes([p[0], p[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        Tag::UniversalString => {
            if data.len() % 4 != 0 {
                return None;
            }
            data.chunks_exact(4)
                .map(|p| char::from_u32(u32::from_be_bytes([p[0], p[1], p[2], p[3]])))
                .collect()
        }
        _ => None,
    }
}

/// DER tag-length-value of an attribute value, for the `#hex` form.
fn der_hex(atv: &AttributeTypeAndValue<'_>) -> String {
    let any = atv.attr_value();
    let mut der = Vec::with_capacity(any.data.len() + 6);
    let class = (any.header.class() as u8) << 6;
    let constructed = if any.header.constructed() { 0x20 } else { 0 };
    let tag = any.header.tag().0;
    if tag < 31 {
        der.push(class | constructed | tag as u8);
    } else {
        der.push(class | constructed | 0x1f);
        let mut groups = Vec::new();
        let mut t = tag;
        loop {
            groups.push((t & 0x7f) as u8);
            t >>= 7;
            if t == 0 {
                break;
            }
        }
        for (i, g) in groups.iter().enumerate().rev() {
            der.push(if i > 0 { g | 0x80 } else { *g });
        }
    }
    let len = any.data.len();
    if len < 0x80 {
        der.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        der.push(0x80 | (bytes.len() - skip) as u8);
        der.extend_from_slice(&bytes[skip..]);
    }
    der.extend_from_slice(any.data);
    let mut out = String::with_capacity(1 + der.len() * 2);
    out.push('#');
    for b in der {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

fn escape_dn_value(value: &str, out: &mut String) {
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        let special = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';')
            || (i == 0 && (c == ' ' || c == '#'))
            || (i == last && c == ' ');
        if special {
            out.push('\\');
        }
        out.push(c);
    }
}

fn format_dn(name: &X509Name<'_>, style: DnStyle) -> String {
    let rdns: Vec<_> = name.iter().collect();
    let mut out = String::new();
    for (i, rdn) in rdns.iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        // Like OpenSSL (the xmlsec1 oracle), the values of a multi-valued RDN come in reverse
        // DER order too.
        let atvs: Vec<_> = rdn.iter().collect();
        for (j, atv) in atvs.iter().rev().enumerate() {
            if j > 0 {
                out.push('+');
            }
            let oid = atv.attr_type().to_id_string();
            match (keyword(&oid, style), atv_string(atv)) {
                (Some(k), Some(v)) => {
                    out.push_str(k);
                    out.push('=');
                    escape_dn_value(&v, &mut out);
                }
                _ => {
                    out.push_str(&oid);
                    out.push('=');
                    out.push_str(&der_hex(atv));
                }
            }
        }
    }
    out
}

/// Checks that `leaf` chains to one of `anchors` through `intermediates`, with every
/// certificate valid at `at`, every issuer a CA, and the leaf usable for signatures.
pub(crate) fn verify_chain(
    leaf: &Certificate,
    intermediates: &[Certificate],
    anchors: &[Certificate],
    at: DateTime<Utc>,
) -> Result<()> {
    let untrusted = |c: &Certificate, reason: String| Error::CertificateNotTrusted {
        subject: c.subject_dn(),
        reason,
    };
    if let Some(ku) = leaf.key_usage()
        && !ku.digital_signature
        && !ku.non_repudiation
    {
        return Err(untrusted(
            leaf,
            "key usage allows neither digitalSignature nor nonRepudiation".into(),
        ));
    }
    let mut current = leaf.clone();
    for _ in 0..8 {
        if !current.is_valid_at(at) {
            return Err(untrusted(
                &current,
                format!(
                    "not valid at {at} (valid {} to {})",
                    current.not_before(),
                    current.not_after()
                ),
            ));
        }
        if anchors.iter().any(|a| a.der == current.der) {
            return Ok(());
        }
        let cur = current.x509()?;
        let issuer_raw = cur.issuer().as_raw();
        let signed_by = |cand: &Certificate| -> bool {
            cand.x509().is_ok_and(|c| {
                c.subject().as_raw() == issuer_raw
                    && cur.verify_signature(Some(c.public_key())).is_ok()
            })
        };
        if let Some(anchor) = anchors.iter().find(|a| signed_by(a)) {
            if !anchor.is_valid_at(at) {
                return Err(untrusted(anchor, format!("trust anchor not valid at {at}")));
            }
            return Ok(());
        }
        let Some(next) = intermediates
            .iter()
            .find(|i| i.der != current.der && signed_by(i))
        else {
            return Err(untrusted(
                leaf,
                format!("no trust anchor issued {}", current.subject_dn()),
            ));
        };
        if !next.is_ca() {
            return Err(untrusted(next, "issuer is not a CA certificate".into()));
        }
        current = next.clone();
    }
    Err(untrusted(leaf, "certificate chain too long".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert_eq!(
            person_identifier("899900038839"),
            Some(HealthIdentifier::Rpps("99900038839".into()))
        );
        assert_eq!(
            structure_identifier("10B0127189"),
            Some(HealthIdentifier::Finess("0B0127189".into()))
        );
        assert_eq!(
            structure_identifier("339172288100052"),
            Some(HealthIdentifier::Siret("39172288100052".into()))
        );
        let r = structure_identifier("499900063480001").unwrap();
        assert_eq!(
            r,
            HealthIdentifier::RppsRank {
                rpps: "99900063480".into(),
                rank: "001".into()
            }
        );
        assert_eq!(r.national_id(), "499900063480001");
        assert_eq!(
            structure_identifier("0002 187512751"),
            Some(HealthIdentifier::Siren("187512751".into()))
        );
        assert_eq!(structure_identifier("IGC-SANTE TEST"), None);
        assert_eq!(person_identifier("DMP SIGN TEST"), None);
    }

    #[test]
    fn dn_escaping() {
        let mut s = String::new();
        escape_dn_value(" a,b+c\"d\\e<f>g;h ", &mut s);
        assert_eq!(s, "\\ a\\,b\\+c\\\"d\\\\e\\<f\\>g\\;h\\ ");
        let mut s = String::new();
        escape_dn_value("#x", &mut s);
        assert_eq!(s, "\\#x");
    }
}
