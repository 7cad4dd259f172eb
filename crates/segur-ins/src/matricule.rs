//! The INS matricule: a NIR or a NIA, 13 characters and a 2-digit control key.

use std::fmt;
use std::str::FromStr;

use crate::InsError;

/// Length of a matricule with its key.
pub const MATRICULE_LEN: usize = 15;
/// Length of a matricule without its key.
pub const BODY_LEN: usize = 13;

/// Which rules a parse applies.
///
/// Both profiles compact the input the same way (spaces, dots, no-break spaces removed anywhere,
/// surrounding whitespace trimmed, ASCII letters upper-cased) and check the shape (digits
/// everywhere except `2A`/`2B` at positions 6-7), the length and the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Profile {
    /// What the INS rules allow (the default): additionally the first digit must be `1` or `2`
    /// and the month `01`-`12` or `20`-`99`. Other oddities are [`Warning`]s.
    #[default]
    Ins,
    /// Any syntactically valid NIR with a correct key, as `python-stdnum`'s `stdnum.fr.nir`
    /// accepts it: first digits `3`-`8` (legacy, MIG, NNP numbers) and impossible months are
    /// accepted and reported as [`Warning`]s.
    Nir,
}

impl Profile {
    /// The profile's name as used on the command line (`ins` or `nir`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ins => "ins",
            Self::Nir => "nir",
        }
    }
}

impl FromStr for Profile {
    type Err = InsError;

    fn from_str(s: &str) -> Result<Self, InsError> {
        match s {
            "ins" => Ok(Self::Ins),
            "nir" => Ok(Self::Nir),
            _ => Err(InsError::Syntax {
                format: "profile",
                reason: "expected `ins` or `nir`",
            }),
        }
    }
}

/// Whether a matricule is a NIR or a NIA.
///
/// The 15 characters cannot tell: a NIA is "constitué comme un NIR". Only the assigning
/// authority's OID does ([`crate::InsOid::InsNia`]), so a bare parse yields [`MatriculeKind::Nir`]
/// and [`crate::Ins::new`] sets the kind from the OID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum MatriculeKind {
    /// Numéro d'inscription au répertoire (INSEE).
    #[default]
    Nir,
    /// Numéro identifiant d'attente, used until the person is registered at INSEE.
    Nia,
}

/// An INS matricule (NIR or NIA with its key), stored compact and upper-case.
///
/// `Display` and `Debug` mask the commune, order number and key (`2 92 07 2A *** *** **`); ask
/// for the full value explicitly with [`Matricule::as_str`] or [`Matricule::grouped`].
///
/// ```
/// use segur_ins::{Matricule, MatriculeKind, Profile};
///
/// let m = Matricule::parse("2 92 07 2a 004 015 94")?;
/// assert_eq!(m.as_str(), "292072A00401594");
/// assert_eq!(m.grouped(), "2 92 07 2A 004 015 94");
/// assert_eq!(m.to_string(), "2 92 07 2A *** *** **");
/// assert_eq!(m.key(), 94);
/// assert_eq!(m.kind(), MatriculeKind::Nir);
///
/// // A first digit 7 (NNP) is never an INS, but is a syntactically valid NIR.
/// assert!(Matricule::parse("785017511412321").is_err());
/// assert!(Matricule::parse_with("785017511412321", Profile::Nir).is_ok());
/// # Ok::<(), segur_ins::InsError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Matricule {
    chars: [u8; MATRICULE_LEN],
    kind: MatriculeKind,
}

/// Removes separators as python-stdnum's `compact` does (spaces and dots anywhere, then
/// surrounding whitespace) plus the no-break spaces French typography puts between groups, and
/// upper-cases ASCII letters. Returns the characters, stopping early once clearly too long.
fn compact(input: &str) -> Vec<char> {
    const LIMIT: usize = 64;
    let mut kept: Vec<char> = Vec::with_capacity(MATRICULE_LEN);
    let mut extra = 0usize;
    for c in input
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '\u{a0}' | '\u{202f}'))
    {
        if kept.len() < LIMIT {
            kept.push(c.to_ascii_uppercase());
        } else {
            extra += 1;
            if extra > LIMIT {
                break;
            }
        }
    }
    let start = kept
        .iter()
        .position(|c| !c.is_whitespace())
        .unwrap_or(kept.len());
    let end = kept
        .iter()
        .rposition(|c| !c.is_whitespace())
        .map_or(start, |i| i + 1);
    let mut out: Vec<char> = kept[start..end].to_vec();
    // keep the reported length honest when the input was cut
    out.extend(std::iter::repeat_n('0', extra));
    out
}

/// Checks the shape of compacted characters: digits, except `2A`/`2B` at positions 6-7.
fn check_shape(chars: &[char]) -> Result<(), InsError> {
    for (i, &c) in chars.iter().enumerate() {
        let position = i + 1;
        let ok = c.is_ascii_digit() || (position == 7 && matches!(c, 'A' | 'B') && chars[5] == '2');
        if !ok {
            return Err(InsError::Character {
                position,
                character: c,
                expected: if position == 7 {
                    "a digit, or A/B after 2 (Corsica)"
                } else {
                    "a digit"
                },
            });
        }
    }
    Ok(())
}

/// The numeric value of a 13-character body, `2A` read as `19` and `2B` as `18`.
fn body_value(body: &[u8]) -> u64 {
    body.iter().enumerate().fold(0u64, |n, (i, &b)| {
        let digit = match (i, b) {
            (5, b'2') if matches!(body[6], b'A' | b'B') => 1,
            (6, b'A') => 9,
            (6, b'B') => 8,
            _ => u64::from(b - b'0'),
        };
        n * 10 + digit
    })
}

/// Computes the control key (`97 - N mod 97`, always 1-97) of a 13-character body.
///
/// The body may contain separators and a lower-case `2a`/`2b`, like a full matricule.
///
/// ```
/// assert_eq!(segur_ins::compute_key("1 85 01 75 114 123")?, 30);
/// assert_eq!(segur_ins::compute_key("292072A004015")?, 94);
/// assert_eq!(segur_ins::compute_key("1700520004012")?, 2);
/// # Ok::<(), segur_ins::InsError>(())
/// ```
pub fn compute_key(body: &str) -> Result<u8, InsError> {
    let chars = compact(body);
    check_shape(&chars)?;
    if chars.len() != BODY_LEN {
        return Err(InsError::Length {
            expected: BODY_LEN,
            found: chars.len(),
        });
    }
    let bytes: Vec<u8> = chars.iter().map(|&c| c as u8).collect();
    Ok(key_of(&bytes))
}

fn key_of(body: &[u8]) -> u8 {
    // 97 - (n mod 97) is in 1..=97, so the cast cannot truncate
    (97 - body_value(body) % 97) as u8
}

impl Matricule {
    /// Parses a matricule in the strict INS profile ([`Profile::Ins`]).
    pub fn parse(input: &str) -> Result<Self, InsError> {
        Self::parse_with(input, Profile::Ins)
    }

    /// Parses a matricule with the given profile.
    ///
    /// Errors, in this order: [`InsError::Character`] (first bad character),
    /// [`InsError::Length`], [`InsError::Key`], then in the INS profile only
    /// [`InsError::SexDigit`] and [`InsError::Month`].
    pub fn parse_with(input: &str, profile: Profile) -> Result<Self, InsError> {
        let chars = compact(input);
        check_shape(&chars)?;
        if chars.len() != MATRICULE_LEN {
            return Err(InsError::Length {
                expected: MATRICULE_LEN,
                found: chars.len(),
            });
        }
        let mut bytes = [0u8; MATRICULE_LEN];
        for (b, c) in bytes.iter_mut().zip(&chars) {
            *b = *c as u8; // ASCII after check_shape
        }
        let expected = key_of(&bytes[..BODY_LEN]);
        let found = (bytes[13] - b'0') * 10 + (bytes[14] - b'0');
        if found != expected {
            return Err(InsError::Key { found, expected });
        }
        let matricule = Self {
            chars: bytes,
            kind: MatriculeKind::Nir,
        };
        if profile == Profile::Ins {
            let digit = matricule.chars[0] - b'0';
            if digit != 1 && digit != 2 {
                return Err(InsError::SexDigit {
                    digit,
                    meaning: SexDigit::from_digit(digit).meaning(),
                });
            }
            let month = matricule.two_digits(3);
            if month == 0 || (13..=19).contains(&month) {
                return Err(InsError::Month { month });
            }
        }
        Ok(matricule)
    }

    /// Builds a matricule from its 13 first characters, computing the key (INS profile).
    ///
    /// ```
    /// let m = segur_ins::Matricule::from_body("297022A020778")?;
    /// assert_eq!(m.as_str(), "297022A02077878");
    /// # Ok::<(), segur_ins::InsError>(())
    /// ```
    pub fn from_body(body: &str) -> Result<Self, InsError> {
        let key = compute_key(body)?;
        let chars = compact(body);
        let mut s: String = chars.into_iter().collect();
        s.push_str(&format!("{key:02}"));
        Self::parse(&s)
    }

    /// Returns the same matricule tagged with another kind.
    #[must_use]
    pub fn with_kind(mut self, kind: MatriculeKind) -> Self {
        self.kind = kind;
        self
    }

    /// Whether this is a NIR or a NIA (set by the OID; [`MatriculeKind::Nir`] by default).
    pub fn kind(&self) -> MatriculeKind {
        self.kind
    }

    /// The full compact matricule (15 characters). This reveals the INS: do not log it.
    pub fn as_str(&self) -> &str {
        // only ASCII digits and A/B are ever stored
        std::str::from_utf8(&self.chars).unwrap_or_default()
    }

    /// The full matricule grouped as on a Vitale card: `2 92 07 2A 004 015 94`.
    /// This reveals the INS: do not log it.
    pub fn grouped(&self) -> String {
        let s = self.as_str();
        [
            &s[0..1],
            &s[1..3],
            &s[3..5],
            &s[5..7],
            &s[7..10],
            &s[10..13],
            &s[13..15],
        ]
        .join(" ")
    }

    /// The 13 characters before the key.
    pub fn body(&self) -> &str {
        &self.as_str()[..BODY_LEN]
    }

    /// The control key (1-97).
    pub fn key(&self) -> u8 {
        self.two_digits(13)
    }

    fn two_digits(&self, at: usize) -> u8 {
        (self.chars[at] - b'0') * 10 + (self.chars[at + 1] - b'0')
    }

    fn three_digits(&self, at: usize) -> u16 {
        u16::from(self.chars[at] - b'0') * 100 + u16::from(self.two_digits(at + 1))
    }

    /// Splits the matricule into its fields (this reveals everything but the key's meaning:
    /// treat the result as the INS itself).
    pub fn decompose(&self) -> Decomposition {
        let month_raw = self.two_digits(3);
        let month = match month_raw {
            1..=12 => BirthMonth::Known(month_raw),
            31..=42 => BirthMonth::Pseudo {
                raw: month_raw,
                real: month_raw - 30,
            },
            20..=30 | 50..=99 => BirthMonth::Unknown(month_raw),
            43..=49 => BirthMonth::Unexplained(month_raw),
            _ => BirthMonth::Invalid(month_raw),
        };
        let dept = &self.chars[5..7];
        let place = match dept {
            b"2A" => BirthPlace::Corsica {
                department: CorsicaDepartment::CorseDuSud,
                commune: self.three_digits(7),
            },
            b"2B" => BirthPlace::Corsica {
                department: CorsicaDepartment::HauteCorse,
                commune: self.three_digits(7),
            },
            b"20" => BirthPlace::Corsica {
                department: CorsicaDepartment::Corse,
                commune: self.three_digits(7),
            },
            b"97" => BirthPlace::Overseas {
                department: self.three_digits(5),
                commune: self.two_digits(8),
            },
            b"98" => BirthPlace::OverseasCollectivity {
                territory: self.three_digits(5),
                commune: self.two_digits(8),
            },
            b"99" => BirthPlace::Abroad {
                country: self.three_digits(7),
            },
            _ => BirthPlace::Department {
                department: self.two_digits(5),
                commune: self.three_digits(7),
            },
        };
        Decomposition {
            sex: SexDigit::from_digit(self.chars[0] - b'0'),
            year: self.two_digits(1),
            month,
            place,
            order: self.three_digits(10),
            key: self.key(),
        }
    }

    /// The 5-character place code at positions 6-10 (commune COG, or `99` + country code).
    ///
    /// It is the COG of the place of birth *as known when the NIR was assigned*: it may differ
    /// from the birthplace trait returned by INSi for historical births.
    pub fn place_code(&self) -> &str {
        &self.as_str()[5..10]
    }

    /// Semantic oddities that do not make the matricule invalid (empty for an ordinary NIR).
    ///
    /// ```
    /// let m = segur_ins::Matricule::parse("185010011412318")?;
    /// assert_eq!(m.warnings(), vec![segur_ins::Warning::DepartmentZero]);
    /// # Ok::<(), segur_ins::InsError>(())
    /// ```
    pub fn warnings(&self) -> Vec<Warning> {
        let d = self.decompose();
        let mut out = Vec::new();
        if !matches!(d.sex, SexDigit::Male | SexDigit::Female) {
            out.push(Warning::NotInsFirstDigit(self.chars[0] - b'0'));
        }
        match d.month {
            BirthMonth::Unexplained(m) => out.push(Warning::MonthUnexplained(m)),
            BirthMonth::Invalid(m) => out.push(Warning::MonthOutOfRange(m)),
            _ => {}
        }
        match d.place {
            BirthPlace::Department { department: 0, .. } => out.push(Warning::DepartmentZero),
            BirthPlace::Department { commune: 0, .. } | BirthPlace::Corsica { commune: 0, .. } => {
                out.push(Warning::CommuneZero);
            }
            BirthPlace::Abroad { country } if country == 0 || country > 990 => {
                out.push(Warning::CountryCode(country));
            }
            _ => {}
        }
        if d.order == 0 {
            out.push(Warning::OrderZero);
        }
        out
    }
}

impl FromStr for Matricule {
    type Err = InsError;

    /// Same as [`Matricule::parse`] (INS profile).
    fn from_str(s: &str) -> Result<Self, InsError> {
        Self::parse(s)
    }
}

/// Masked: `2 92 07 2A *** *** **`.
impl fmt::Display for Matricule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.as_str();
        write!(
            f,
            "{} {} {} {} *** *** **",
            &s[0..1],
            &s[1..3],
            &s[3..5],
            &s[5..7]
        )
    }
}

impl fmt::Debug for Matricule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Matricule({:?}, {self})", self.kind)
    }
}

/// The fields of a matricule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Decomposition {
    /// Position 1.
    pub sex: SexDigit,
    /// Positions 2-3: last two digits of the birth year (no century).
    pub year: u8,
    /// Positions 4-5.
    pub month: BirthMonth,
    /// Positions 6-10.
    pub place: BirthPlace,
    /// Positions 11-13: order number of the birth in that place and month.
    pub order: u16,
    /// Positions 14-15.
    pub key: u8,
}

/// Meaning of the first digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SexDigit {
    /// `1`.
    Male,
    /// `2`.
    Female,
    /// `3`/`4`: legacy provisional numbers of foreigners being registered (not INS).
    ForeignerInRegistration(u8),
    /// `5`/`6`: MIG numbers (CNAM internal, not INS).
    Mig(u8),
    /// `7`/`8`: NNP, "numéro non pérenne" (CNAM internal, not INS).
    Nnp(u8),
    /// `0`/`9`: no known meaning.
    Other(u8),
}

impl SexDigit {
    fn from_digit(d: u8) -> Self {
        match d {
            1 => Self::Male,
            2 => Self::Female,
            3 | 4 => Self::ForeignerInRegistration(d),
            5 | 6 => Self::Mig(d),
            7 | 8 => Self::Nnp(d),
            _ => Self::Other(d),
        }
    }

    /// A short English description.
    pub fn meaning(self) -> &'static str {
        match self {
            Self::Male => "male",
            Self::Female => "female",
            Self::ForeignerInRegistration(_) => "legacy number of a foreigner being registered",
            Self::Mig(_) => "MIG number",
            Self::Nnp(_) => "NNP, numéro non pérenne",
            Self::Other(_) => "no known meaning",
        }
    }
}

/// Positions 4-5 (INSEE rules; CNAM accepts 01-12 and 20-99).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BirthMonth {
    /// `01`-`12`.
    Known(u8),
    /// `31`-`42`: "pseudo-fictitious" month of an incomplete civil act, real month = raw − 30.
    Pseudo {
        /// The two digits.
        raw: u8,
        /// raw − 30.
        real: u8,
    },
    /// `20`-`30` or `50`-`99`: month unknown.
    Unknown(u8),
    /// `43`-`49`: allowed by CNAM, unexplained by INSEE (warning).
    Unexplained(u8),
    /// `00` or `13`-`19`: impossible (only in the NIR profile, with a warning).
    Invalid(u8),
}

/// The three Corsican department codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CorsicaDepartment {
    /// `20`: Corsica before its division in 1976.
    Corse,
    /// `2A`: Corse-du-Sud (from 1976); the key reads it as 19.
    CorseDuSud,
    /// `2B`: Haute-Corse (from 1976); the key reads it as 18.
    HauteCorse,
}

/// Positions 6-10: where the person was born.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BirthPlace {
    /// A 2-digit department and 3-digit commune: `01`-`95` metropolitan (`91`-`95` may also be
    /// Algeria/Morocco before independence), `96` Tunisia under protectorate, `00` (warning).
    Department {
        /// `00`-`96` except `20`.
        department: u8,
        /// INSEE commune code in that department at the time of birth.
        commune: u16,
    },
    /// Corsica: `20`, `2A` or `2B` and a 3-digit commune.
    Corsica {
        /// Which code.
        department: CorsicaDepartment,
        /// Commune code.
        commune: u16,
    },
    /// An overseas department: 3-digit code `97x`, 2-digit commune.
    Overseas {
        /// `970`-`979`.
        department: u16,
        /// Commune code.
        commune: u8,
    },
    /// An overseas collectivity: 3-digit code `98x`, 2-digit commune.
    OverseasCollectivity {
        /// `980`-`989`.
        territory: u16,
        /// Commune code.
        commune: u8,
    },
    /// Born abroad: `99` + 3-digit INSEE country code.
    Abroad {
        /// INSEE country code (e.g. 352 Algeria).
        country: u16,
    },
}

impl fmt::Display for SexDigit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = match *self {
            Self::Male => 1,
            Self::Female => 2,
            Self::ForeignerInRegistration(d) | Self::Mig(d) | Self::Nnp(d) | Self::Other(d) => d,
        };
        write!(f, "{d} ({})", self.meaning())
    }
}

impl fmt::Display for BirthMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Known(m) => write!(f, "{m:02}"),
            Self::Pseudo { raw, real } => {
                write!(f, "{raw:02} (pseudo-month: real month {real:02})")
            }
            Self::Unknown(m) => write!(f, "{m:02} (month unknown)"),
            Self::Unexplained(m) => write!(f, "{m:02} (no documented meaning)"),
            Self::Invalid(m) => write!(f, "{m:02} (not a possible month)"),
        }
    }
}

impl fmt::Display for BirthPlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Department {
                department,
                commune,
            } => write!(f, "department {department:02}, commune {commune:03}"),
            Self::Corsica {
                department,
                commune,
            } => {
                let (code, name) = match department {
                    CorsicaDepartment::Corse => ("20", "Corsica before 1976"),
                    CorsicaDepartment::CorseDuSud => ("2A", "Corse-du-Sud"),
                    CorsicaDepartment::HauteCorse => ("2B", "Haute-Corse"),
                };
                write!(f, "department {code} ({name}), commune {commune:03}")
            }
            Self::Overseas {
                department,
                commune,
            } => write!(f, "overseas department {department}, commune {commune:02}"),
            Self::OverseasCollectivity { territory, commune } => {
                write!(f, "overseas collectivity {territory}, commune {commune:02}")
            }
            Self::Abroad { country } => write!(f, "born abroad, INSEE country code {country:03}"),
        }
    }
}

/// A semantic oddity of a structurally valid matricule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Warning {
    /// First digit 0 or 3-9 (only in the NIR profile): not an INS matricule.
    NotInsFirstDigit(u8),
    /// Month `00` or `13`-`19` (only in the NIR profile).
    MonthOutOfRange(u8),
    /// Month `43`-`49`.
    MonthUnexplained(u8),
    /// Department `00` does not exist.
    DepartmentZero,
    /// Commune `000` does not exist.
    CommuneZero,
    /// Country code `000` or above `990`.
    CountryCode(u16),
    /// Order number `000` does not exist.
    OrderZero,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotInsFirstDigit(d) => write!(
                f,
                "first digit {d}: not an INS matricule ({})",
                SexDigit::from_digit(*d).meaning()
            ),
            Self::MonthOutOfRange(m) => write!(f, "month {m:02} is not a possible month value"),
            Self::MonthUnexplained(m) => write!(f, "month {m:02} has no documented meaning"),
            Self::DepartmentZero => f.write_str("department 00 does not exist"),
            Self::CommuneZero => f.write_str("commune 000 does not exist"),
            Self::CountryCode(c) => write!(f, "country code {c:03} does not exist"),
            Self::OrderZero => f.write_str("order number 000 does not exist"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worked_examples_from_the_spec() {
        assert_eq!(compute_key("1850175114123").unwrap(), 30);
        assert_eq!(compute_key("292072A004015").unwrap(), 94);
        assert_eq!(compute_key("178112B033221").unwrap(), 39);
        // the naive 2A -> 20 bug would give 67
        assert_eq!(
            Matricule::parse("292072A00401567"),
            Err(InsError::Key {
                found: 67,
                expected: 94
            })
        );
    }

    #[test]
    fn errors_name_the_problem() {
        assert_eq!(
            Matricule::parse("2920A2A00401594"),
            Err(InsError::Character {
                position: 5,
                character: 'A',
                expected: "a digit"
            })
        );
        assert!(matches!(
            Matricule::parse("292072C00401594"),
            Err(InsError::Character {
                position: 7,
                character: 'C',
                ..
            })
        ));
        assert_eq!(
            Matricule::parse("1850175114123"),
            Err(InsError::Length {
                expected: 15,
                found: 13
            })
        );
        assert!(matches!(
            Matricule::parse("385017511412327"),
            Err(InsError::SexDigit { digit: 3, .. })
        ));
        assert_eq!(
            Matricule::parse("185137511412328"),
            Err(InsError::Month { month: 13 })
        );
        assert_eq!(
            Matricule::parse(""),
            Err(InsError::Length {
                expected: 15,
                found: 0
            })
        );
    }

    #[test]
    fn errors_never_show_the_matricule() {
        for input in ["185017511412331", "385017511412327", "18501751141233"] {
            let e = Matricule::parse(input).unwrap_err();
            assert!(!format!("{e} {e:?}").contains("8501751141"), "{e}");
        }
    }

    #[test]
    fn huge_input_is_cut_but_reported_too_long() {
        let long = "1".repeat(1_000_000);
        assert!(matches!(
            Matricule::parse(&long),
            Err(InsError::Length { found, .. }) if found > 15
        ));
    }

    #[test]
    fn no_break_spaces_and_surrounding_whitespace_are_separators() {
        let m = Matricule::parse("\t2\u{a0}92\u{202f}07 2A 004.015.94 \r").unwrap();
        assert_eq!(m.as_str(), "292072A00401594");
        assert!(Matricule::parse("2920\t72A00401594").is_err());
    }

    #[test]
    fn decomposition() {
        let d = Matricule::parse("201039712000478").unwrap().decompose();
        assert_eq!(d.sex, SexDigit::Female);
        assert_eq!(d.year, 1);
        assert_eq!(d.month, BirthMonth::Known(3));
        assert_eq!(
            d.place,
            BirthPlace::Overseas {
                department: 971,
                commune: 20
            }
        );
        assert_eq!(d.order, 4);
        let d = Matricule::parse("248339912704584").unwrap().decompose();
        assert_eq!(d.month, BirthMonth::Pseudo { raw: 33, real: 3 });
        assert_eq!(d.place, BirthPlace::Abroad { country: 127 });
        let d = Matricule::parse("170052000401202").unwrap().decompose();
        assert_eq!(
            d.place,
            BirthPlace::Corsica {
                department: CorsicaDepartment::Corse,
                commune: 4
            }
        );
        assert_eq!(d.key, 2);
    }

    #[test]
    fn masked_display_and_debug() {
        let m = Matricule::parse("185017511412330").unwrap();
        assert_eq!(m.to_string(), "1 85 01 75 *** *** **");
        assert_eq!(format!("{m:?}"), "Matricule(Nir, 1 85 01 75 *** *** **)");
    }
}
