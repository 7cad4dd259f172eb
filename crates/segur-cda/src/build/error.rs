//! What the builder reports when its input is incomplete or wrong.

use std::fmt;

/// Every problem found in a builder's input at once (never just the first).
///
/// Each [`Problem`] names the field (`author[0].id`, `patient.ins`, `body.pdf`, ...) and what is
/// wrong with it. Messages never quote an INS, a name or a birth date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct BuildError {
    /// The problems, in the order the fields are checked (header first, then body).
    pub problems: Vec<Problem>,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot build the document: ")?;
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl BuildError {
    /// The problems about this field (exact name).
    pub fn for_field(&self, field: &str) -> Vec<&Problem> {
        self.problems.iter().filter(|p| p.field == field).collect()
    }
}

/// One problem: which field, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The field path, e.g. `author[0].id` or `section[statut].entry[0].value`.
    pub field: String,
    /// What is wrong.
    pub kind: ProblemKind,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.kind)
    }
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProblemKind {
    /// A mandatory field was not given.
    #[error("missing")]
    Missing,
    /// A text field is empty or blank, or a payload has no bytes.
    #[error("empty")]
    Empty,
    /// The code is not in the value set the field draws from.
    #[error("code {code:?} is not in value set {value_set}")]
    NotInValueSet {
        /// The value set (JDV name).
        value_set: &'static str,
        /// The code given (codes are not personal data).
        code: String,
    },
    /// The patient INS is not valid (wrong OID, length, character or key). The INS itself is
    /// never quoted.
    #[error("invalid INS: {reason}")]
    InvalidIns {
        /// Why (from `segur-ins`, which never quotes the matricule).
        reason: String,
    },
    /// An identifier does not have the expected form (RPPS: 11 digits, ADELI: 9 characters,
    /// FINESS: 9 characters, SIRET: 14 digits, OID: dotted digits).
    #[error("invalid identifier: {reason}")]
    InvalidId {
        /// What is expected.
        reason: String,
    },
    /// The value contradicts another field or a CI-SIS rule.
    #[error("{reason}")]
    Inconsistent {
        /// Which rule.
        reason: String,
    },
    /// The value is malformed (e.g. a payload whose bytes do not match its media type).
    #[error("invalid value: {reason}")]
    Invalid {
        /// What is wrong.
        reason: String,
    },
}

/// Collects problems while a builder checks its fields.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    list: Vec<Problem>,
}

impl Problems {
    pub(crate) fn push(&mut self, field: impl Into<String>, kind: ProblemKind) {
        self.list.push(Problem {
            field: field.into(),
            kind,
        });
    }

    pub(crate) fn missing(&mut self, field: impl Into<String>) {
        self.push(field, ProblemKind::Missing);
    }

    /// Records `Missing` when `value` is `None`, `Empty` when it is blank; returns the value when
    /// it is usable.
    pub(crate) fn text<'v>(&mut self, field: &str, value: Option<&'v str>) -> Option<&'v str> {
        match value {
            None => {
                self.missing(field);
                None
            }
            Some(v) if v.trim().is_empty() => {
                self.push(field, ProblemKind::Empty);
                None
            }
            Some(v) => Some(v),
        }
    }

    /// `Ok(value)` when no problem was recorded, else every problem.
    pub(crate) fn finish<T>(self, value: T) -> Result<T, BuildError> {
        if self.list.is_empty() {
            Ok(value)
        } else {
            Err(BuildError {
                problems: self.list,
            })
        }
    }
}
