//! The assigning authorities of the INS and the environment policy.

use std::fmt;
use std::str::FromStr;

use crate::{InsError, MatriculeKind};

/// An INS assigning authority (the OID that says what a 15-character matricule is).
///
/// ```
/// use segur_ins::{Environment, InsOid};
///
/// let oid = InsOid::from_oid("1.2.250.1.213.1.4.10")?;
/// assert_eq!(oid, InsOid::InsNirTest);
/// assert_eq!(oid.as_str(), "1.2.250.1.213.1.4.10");
/// assert!(Environment::Test.check(oid).is_ok());
/// assert!(Environment::Production.check(oid).is_err());
/// # Ok::<(), segur_ins::InsError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InsOid {
    /// `1.2.250.1.213.1.4.8`: INS-NIR (also the billing NIR's authority, with type `NH`).
    InsNir,
    /// `1.2.250.1.213.1.4.9`: INS-NIA.
    InsNia,
    /// `1.2.250.1.213.1.4.10`: INS-NIR of fictitious test patients.
    InsNirTest,
    /// `1.2.250.1.213.1.4.11`: INS-NIR of fictitious demonstration patients (not a "test NIA").
    InsNirDemo,
    /// `1.2.250.1.213.1.4.2`: legacy INS-C (computed from the Vitale card). Recognised, never
    /// emitted, never carries a matricule.
    InsC,
    /// `1.2.250.1.213.1.4.6`: legacy INS-C of test.
    InsCTest,
    /// `1.2.250.1.213.1.4.7`: legacy INS-C of demonstration.
    InsCDemo,
}

impl InsOid {
    /// Every known authority.
    pub const ALL: [Self; 7] = [
        Self::InsNir,
        Self::InsNia,
        Self::InsNirTest,
        Self::InsNirDemo,
        Self::InsC,
        Self::InsCTest,
        Self::InsCDemo,
    ];

    /// The dotted OID.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InsNir => "1.2.250.1.213.1.4.8",
            Self::InsNia => "1.2.250.1.213.1.4.9",
            Self::InsNirTest => "1.2.250.1.213.1.4.10",
            Self::InsNirDemo => "1.2.250.1.213.1.4.11",
            Self::InsC => "1.2.250.1.213.1.4.2",
            Self::InsCTest => "1.2.250.1.213.1.4.6",
            Self::InsCDemo => "1.2.250.1.213.1.4.7",
        }
    }

    /// Reads a dotted OID (exact match, no `urn:oid:` prefix).
    pub fn from_oid(oid: &str) -> Result<Self, InsError> {
        Self::ALL
            .into_iter()
            .find(|o| o.as_str() == oid)
            .ok_or_else(|| InsError::UnknownOid {
                oid: redacted_oid(oid),
            })
    }

    /// Whether this is a legacy INS-C authority (never a matricule).
    pub fn is_legacy(self) -> bool {
        matches!(self, Self::InsC | Self::InsCTest | Self::InsCDemo)
    }

    /// The kind of matricule this authority assigns (`None` for the legacy INS-C).
    pub fn matricule_kind(self) -> Option<MatriculeKind> {
        match self {
            Self::InsNir | Self::InsNirTest | Self::InsNirDemo => Some(MatriculeKind::Nir),
            Self::InsNia => Some(MatriculeKind::Nia),
            Self::InsC | Self::InsCTest | Self::InsCDemo => None,
        }
    }

    /// The FR Core identifier type code (`fr-core-cs-v2-0203`): `INS-NIR`, `INS-NIA`,
    /// `INS-NIR-TEST`, `INS-NIR-DEMO` or `INS-C`.
    pub fn fhir_type_code(self) -> &'static str {
        match self {
            Self::InsNir => "INS-NIR",
            Self::InsNia => "INS-NIA",
            Self::InsNirTest => "INS-NIR-TEST",
            Self::InsNirDemo => "INS-NIR-DEMO",
            Self::InsC | Self::InsCTest | Self::InsCDemo => "INS-C",
        }
    }

    /// The HL7 v2 (IHE PAM France) namespace id of CX.4: `ASIP-SANTE-INS-NIR`,
    /// `ASIP-SANTE-INS-NIA` or `ASIP-SANTE-INS-C`.
    pub fn hl7v2_namespace(self) -> &'static str {
        match self {
            Self::InsNir | Self::InsNirTest | Self::InsNirDemo => "ASIP-SANTE-INS-NIR",
            Self::InsNia => "ASIP-SANTE-INS-NIA",
            Self::InsC | Self::InsCTest | Self::InsCDemo => "ASIP-SANTE-INS-C",
        }
    }
}

/// The received value when it looks like a dotted OID (at most 64 characters), otherwise only
/// its length: a matricule passed as an OID by mistake must not end up in a log.
fn redacted_oid(oid: &str) -> String {
    let dotted = oid.contains('.') && oid.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if dotted && oid.len() <= 64 {
        oid.to_owned()
    } else {
        format!("<{} characters, not a dotted OID>", oid.chars().count())
    }
}

impl fmt::Display for InsOid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for InsOid {
    type Err = InsError;

    fn from_str(s: &str) -> Result<Self, InsError> {
        Self::from_oid(s)
    }
}

/// Which authorities an installation accepts.
///
/// The INSi qualification environment answers with the production OIDs `.8`/`.9` for its test
/// persons, so a test installation must accept them too: the policy is "production accepts
/// `.8`/`.9` only; test accepts `.8`/`.9`/`.10`/`.11`", never "test ⇒ `.10`". No environment
/// accepts the legacy INS-C.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Environment {
    /// Real patients: INS-NIR and INS-NIA only.
    #[default]
    Production,
    /// Qualification, tests and demonstrations: also the test and demo INS-NIR.
    Test,
}

impl Environment {
    /// Whether an identity with this authority may be used in this environment.
    pub fn accepts(self, oid: InsOid) -> bool {
        match oid {
            InsOid::InsNir | InsOid::InsNia => true,
            InsOid::InsNirTest | InsOid::InsNirDemo => self == Self::Test,
            InsOid::InsC | InsOid::InsCTest | InsOid::InsCDemo => false,
        }
    }

    /// [`Environment::accepts`] as a `Result` naming the refused OID.
    pub fn check(self, oid: InsOid) -> Result<(), InsError> {
        if self.accepts(oid) {
            Ok(())
        } else {
            Err(InsError::OidNotAllowed {
                oid: oid.as_str(),
                environment: self.as_str(),
            })
        }
    }

    /// `production` or `test`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Production => "production",
            Self::Test => "test",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids_round_trip_and_unknown_ones_fail() {
        for oid in InsOid::ALL {
            assert_eq!(InsOid::from_oid(oid.as_str()), Ok(oid));
        }
        // a matricule given where an OID is expected is not echoed
        assert_eq!(
            InsOid::from_oid("279035121518989").unwrap_err().to_string(),
            "OID \"<15 characters, not a dotted OID>\" is not an INS assigning authority"
        );
        for bad in [
            "1.2.250.1.213.1.4.5",
            "1.2.250.1.213.1.4.8 ",
            "",
            "urn:oid:1.2.250.1.213.1.4.8",
        ] {
            assert!(matches!(
                InsOid::from_oid(bad),
                Err(InsError::UnknownOid { .. })
            ));
        }
    }

    #[test]
    fn environment_policy() {
        use InsOid::*;
        let prod: Vec<_> = InsOid::ALL
            .into_iter()
            .filter(|o| Environment::Production.accepts(*o))
            .collect();
        assert_eq!(prod, [InsNir, InsNia]);
        let test: Vec<_> = InsOid::ALL
            .into_iter()
            .filter(|o| Environment::Test.accepts(*o))
            .collect();
        assert_eq!(test, [InsNir, InsNia, InsNirTest, InsNirDemo]);
    }
}
