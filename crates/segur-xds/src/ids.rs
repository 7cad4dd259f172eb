//! Identifiers and times, each its own type so that an entryUUID can never be passed where a
//! uniqueId is expected (the classic `XDSDocumentUniqueIdError`).

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use segur_transport::Randomness;

use crate::error::XdsError;

macro_rules! string_newtype_common {
    ($t:ident) => {
        impl $t {
            /// The value as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $t {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::str::FromStr for $t {
            type Err = XdsError;
            fn from_str(s: &str) -> Result<Self, XdsError> {
                Self::parse(s)
            }
        }
    };
}

/// An ISO object identifier in dotted form (`1.2.250.1.213.1.4.8`), at most 64 characters,
/// without leading zeros in its arcs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Oid(String);

string_newtype_common!(Oid);

impl Oid {
    /// Checks and wraps an OID.
    ///
    /// ```
    /// use segur_xds::Oid;
    /// assert!(Oid::parse("1.2.250.1.213.1.4.8").is_ok());
    /// assert!(Oid::parse("1.02.3").is_err());
    /// assert!(Oid::parse("urn:oid:1.2.3").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Self, XdsError> {
        if is_oid(text) {
            Ok(Self(text.to_owned()))
        } else {
            Err(XdsError::invalid("OID", text))
        }
    }
}

fn is_oid(text: &str) -> bool {
    if text.is_empty() || text.len() > 64 {
        return false;
    }
    let mut arcs = 0;
    for (i, arc) in text.split('.').enumerate() {
        let digits_ok = !arc.is_empty()
            && arc.bytes().all(|b| b.is_ascii_digit())
            && (arc == "0" || !arc.starts_with('0'));
        if !digits_ok || (i == 0 && !matches!(arc, "0" | "1" | "2")) {
            return false;
        }
        arcs += 1;
    }
    arcs >= 2
}

/// The `uniqueId` of a document entry: an OID, optionally followed by `^extension` (IHE allows
/// at most 128 characters and a 16-character extension). It is what ITI-43 retrieves by and what
/// the CDA `ClinicalDocument/id` carries. Never an entryUUID.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UniqueId(String);

string_newtype_common!(UniqueId);

impl UniqueId {
    /// Checks and wraps a document uniqueId.
    ///
    /// ```
    /// use segur_xds::UniqueId;
    /// assert!(UniqueId::parse("1.2.250.1.999.1.1.7898.3.1622814651504").is_ok());
    /// assert!(UniqueId::parse("1.2.250.1.999^ABC123").is_ok());
    /// assert!(UniqueId::parse("urn:uuid:fe5287a2-ae6a-11eb-8f5d-0050569e422e").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Self, XdsError> {
        let ok = text.len() <= 128
            && match text.split_once('^') {
                Some((root, ext)) => {
                    is_oid(root)
                        && !ext.is_empty()
                        && ext.len() <= 16
                        && ext.bytes().all(|b| b.is_ascii_graphic() && b != b'^')
                }
                None => is_oid(text),
            };
        if ok {
            Ok(Self(text.to_owned()))
        } else {
            Err(XdsError::invalid("uniqueId", text))
        }
    }

    /// The uniqueId of a CDA document: `root` alone or `root^extension`.
    pub fn from_root_extension(root: &str, extension: Option<&str>) -> Result<Self, XdsError> {
        match extension {
            Some(ext) if !ext.is_empty() => Self::parse(&format!("{root}^{ext}")),
            _ => Self::parse(root),
        }
    }
}

impl From<Oid> for UniqueId {
    fn from(oid: Oid) -> Self {
        Self(oid.0)
    }
}

/// The ebRIM `id` of a registry object: its entryUUID (`urn:uuid:…`) once registered, or a
/// symbolic id (`Doc01`) inside a submission, which the registry replaces. Never a uniqueId.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryUuid(String);

string_newtype_common!(EntryUuid);

impl EntryUuid {
    /// Checks and wraps an id: `urn:uuid:` followed by a UUID in canonical lowercase form, or a
    /// symbolic id (1 to 64 characters, no whitespace, not starting with `urn:`).
    ///
    /// ```
    /// use segur_xds::EntryUuid;
    /// assert!(EntryUuid::parse("urn:uuid:fe5287a2-ae6a-11eb-8f5d-0050569e422e").unwrap().is_uuid());
    /// assert!(!EntryUuid::parse("Doc01").unwrap().is_uuid());
    /// assert!(EntryUuid::parse("urn:uuid:not-a-uuid").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Self, XdsError> {
        let ok = match text.strip_prefix("urn:uuid:") {
            Some(uuid) => is_uuid(uuid),
            None => {
                !text.is_empty()
                    && text.len() <= 64
                    && !text.starts_with("urn:")
                    && !text.chars().any(|c| c.is_whitespace() || c.is_control())
            }
        };
        if ok {
            Ok(Self(text.to_owned()))
        } else {
            Err(XdsError::invalid("entryUUID", text))
        }
    }

    /// A fresh `urn:uuid:` id drawn from `rng` (reproducible with a seeded source).
    pub fn random(rng: &(impl Randomness + ?Sized)) -> Self {
        Self(format!("urn:uuid:{}", rng.uuid_v4()))
    }

    /// Whether this is a `urn:uuid:` (as opposed to a symbolic id).
    pub fn is_uuid(&self) -> bool {
        self.0.starts_with("urn:uuid:")
    }
}

fn is_uuid(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(&c),
        })
}

/// An XDS time: UTC, `YYYY[MM[DD[hh[mm[ss]]]]]` (the DMP uses the full 14 digits).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct XdsTime(String);

string_newtype_common!(XdsTime);

impl XdsTime {
    /// Checks and wraps an XDS time (4, 6, 8, 10, 12 or 14 digits forming a valid date-time).
    ///
    /// ```
    /// use segur_xds::XdsTime;
    /// assert!(XdsTime::parse("20250115093012").is_ok());
    /// assert!(XdsTime::parse("202501").is_ok());
    /// assert!(XdsTime::parse("20250230").is_err());
    /// assert!(XdsTime::parse("2025-01-15").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Self, XdsError> {
        let err = || XdsError::invalid("XDS time", text);
        if !matches!(text.len(), 4 | 6 | 8 | 10 | 12 | 14)
            || !text.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(err());
        }
        let num = |range: std::ops::Range<usize>, default: u32| -> u32 {
            text.get(range)
                .and_then(|s| s.parse().ok())
                .unwrap_or(default)
        };
        let year = num(0..4, 0);
        let date =
            NaiveDate::from_ymd_opt(year as i32, num(4..6, 1), num(6..8, 1)).ok_or_else(err)?;
        date.and_hms_opt(num(8..10, 0), num(10..12, 0), num(12..14, 0))
            .ok_or_else(err)?;
        Ok(Self(text.to_owned()))
    }

    /// The time `at` to the second (`YYYYMMDDhhmmss`).
    pub fn from_datetime(at: DateTime<Utc>) -> Self {
        Self(at.format("%Y%m%d%H%M%S").to_string())
    }

    /// Now, according to `clock`.
    pub fn now(clock: &(impl segur_transport::Clock + ?Sized)) -> Self {
        Self::from_datetime(clock.now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use segur_transport::{FixedClock, SeededRandomness};

    #[test]
    fn ids_are_reproducible_and_typed() {
        let a = EntryUuid::random(&SeededRandomness::new(1));
        let b = EntryUuid::random(&SeededRandomness::new(1));
        assert_eq!(a, b);
        assert!(EntryUuid::parse(a.as_str()).unwrap().is_uuid());
        let clock = FixedClock::from_rfc3339("2026-11-22T08:00:05Z").unwrap();
        assert_eq!(XdsTime::now(&clock).as_str(), "20261122080005");
    }

    #[test]
    fn oid_edge_cases() {
        for bad in [
            "",
            "1",
            "3.1",
            "1..2",
            "1.2.",
            "1.2.a",
            &format!("1.{}", "2".repeat(70)),
        ] {
            assert!(Oid::parse(bad).is_err(), "{bad}");
        }
        assert!(Oid::parse("0.0").is_ok());
        assert!(UniqueId::parse("1.2^").is_err());
        assert!(UniqueId::parse("1.2^12345678901234567").is_err());
        assert_eq!(
            UniqueId::from_root_extension("1.2.3", Some("X1"))
                .unwrap()
                .as_str(),
            "1.2.3^X1"
        );
    }
}
