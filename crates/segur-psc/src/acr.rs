//! Authentication context classes (`acr`) and the policy that checks them.

use std::fmt;

/// An `acr` value: the eIDAS levels PSC uses, or anything else.
///
/// PSC is asked for `eidas1`, but production returns `eidas2` (with `authMode: "CARD"`) for CPS
/// and e-CPS logins, and an old sandbox returned `eidas3`: levels are compared on their order,
/// never for equality.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Acr {
    /// `eidas1` (substantial in PSC's use).
    Eidas1,
    /// `eidas2`.
    Eidas2,
    /// `eidas3`.
    Eidas3,
    /// Any other value; it has no level and never satisfies a minimum.
    Other(String),
}

impl Acr {
    /// Parses an `acr` value.
    pub fn parse(value: &str) -> Self {
        match value {
            "eidas1" => Self::Eidas1,
            "eidas2" => Self::Eidas2,
            "eidas3" => Self::Eidas3,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The level on the eIDAS scale (1 to 3), `None` for other values.
    pub fn level(&self) -> Option<u8> {
        match self {
            Self::Eidas1 => Some(1),
            Self::Eidas2 => Some(2),
            Self::Eidas3 => Some(3),
            Self::Other(_) => None,
        }
    }

    /// The value as sent on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Eidas1 => "eidas1",
            Self::Eidas2 => "eidas2",
            Self::Eidas3 => "eidas3",
            Self::Other(s) => s,
        }
    }
}

impl fmt::Display for Acr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What `acr` an ID token must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AcrPolicy {
    /// An eIDAS level at least this one (the default: `eidas1`).
    AtLeast(Acr),
    /// One of these exact values.
    OneOf(Vec<String>),
    /// No check (the `acr` is still exposed).
    Any,
}

impl Default for AcrPolicy {
    fn default() -> Self {
        Self::AtLeast(Acr::Eidas1)
    }
}

impl AcrPolicy {
    /// Whether `found` (the token's `acr`, if any) satisfies the policy.
    pub fn accepts(&self, found: Option<&str>) -> bool {
        match self {
            Self::Any => true,
            Self::OneOf(values) => found.is_some_and(|f| values.iter().any(|v| v == f)),
            Self::AtLeast(min) => match (min.level(), found.map(Acr::parse)) {
                (Some(min), Some(acr)) => acr.level().is_some_and(|l| l >= min),
                (None, Some(acr)) => acr == *min,
                (_, None) => false,
            },
        }
    }

    /// A short description of the requirement, for errors.
    pub fn describe(&self) -> String {
        match self {
            Self::AtLeast(min) => format!(">= {min}"),
            Self::OneOf(v) => v.join("|"),
            Self::Any => "any".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_ordered_not_compared_for_equality() {
        let p = AcrPolicy::default();
        assert!(p.accepts(Some("eidas1")));
        assert!(p.accepts(Some("eidas2")));
        assert!(p.accepts(Some("eidas3")));
        assert!(!p.accepts(Some("eidas0")));
        assert!(!p.accepts(None));
        let p2 = AcrPolicy::AtLeast(Acr::Eidas2);
        assert!(!p2.accepts(Some("eidas1")));
        assert!(p2.accepts(Some("eidas3")));
        assert!(AcrPolicy::Any.accepts(None));
        let one = AcrPolicy::OneOf(vec!["eidas1".into()]);
        assert!(one.accepts(Some("eidas1")) && !one.accepts(Some("eidas2")));
        assert_eq!(Acr::parse("x").level(), None);
        assert_eq!(Acr::parse("eidas2").to_string(), "eidas2");
    }
}
