//! The five strict identity traits ("traits stricts").

use std::fmt;

use crate::{InsError, rniv};

/// Sex as a strict trait: INSi only ever returns `M` or `F`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    /// `M`.
    Male,
    /// `F`.
    Female,
}

impl Sex {
    /// `M` or `F`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Male => "M",
            Self::Female => "F",
        }
    }

    /// Reads `M` or `F` (INSi, CDA `administrativeGenderCode`, Datamatrix `S5`).
    pub fn from_code(code: &str) -> Result<Self, InsError> {
        match code {
            "M" => Ok(Self::Male),
            "F" => Ok(Self::Female),
            _ => Err(InsError::Trait {
                field: "sex",
                reason: "expected M or F",
            }),
        }
    }
}

/// A real calendar date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CalendarDate {
    year: u16,
    month: u8,
    day: u8,
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

impl CalendarDate {
    /// A date, refused unless it exists (year 1-9999).
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, InsError> {
        if year == 0 || year > 9999 || day == 0 || day > days_in_month(year, month) {
            return Err(InsError::Trait {
                field: "date",
                reason: "not a calendar date",
            });
        }
        Ok(Self { year, month, day })
    }

    /// Year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// Month (1-12).
    pub fn month(self) -> u8 {
        self.month
    }

    /// Day (1-31).
    pub fn day(self) -> u8 {
        self.day
    }
}

/// A birth date as the INS knows it: full, partial, unknown, or a "lunar" value.
///
/// INSi types the birth date as `AAAA-MM-JJ` where a component may be `00` (unknown) and, in a
/// "date lunaire", a month may exceed 12 or a day 31: such values are kept verbatim in
/// [`BirthDate::Lunar`] rather than forced into a calendar type.
///
/// ```
/// use segur_ins::BirthDate;
///
/// let d = BirthDate::from_insi("1997-02-26")?;
/// assert_eq!(d.to_cda().as_deref(), Some("19970226"));
/// assert_eq!(d.to_datamatrix(), "26-02-1997");
/// assert_eq!(BirthDate::from_insi("1950-00-00")?, BirthDate::Year(1950));
/// assert!(matches!(BirthDate::from_insi("1950-14-02")?, BirthDate::Lunar { .. }));
/// # Ok::<(), segur_ins::InsError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BirthDate {
    /// Day, month and year known.
    Full(CalendarDate),
    /// Day unknown.
    YearMonth {
        /// Year.
        year: u16,
        /// Month (1-12).
        month: u8,
    },
    /// Day and month unknown.
    Year(u16),
    /// Nothing known.
    Unknown,
    /// Components that are not a calendar date (lunar date): kept as received.
    Lunar {
        /// Year (0 = unknown).
        year: u16,
        /// Month as received (0-99).
        month: u8,
        /// Day as received (0-99).
        day: u8,
    },
}

fn parse_digits(s: &str) -> Option<u16> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl BirthDate {
    fn from_components(year: u16, month: u16, day: u16) -> Self {
        let (m, d) = (
            u8::try_from(month).unwrap_or(99),
            u8::try_from(day).unwrap_or(99),
        );
        match (year, m, d) {
            (0, 0, 0) => Self::Unknown,
            (y, 0, 0) if y > 0 => Self::Year(y),
            (y, 1..=12, 0) if y > 0 => Self::YearMonth { year: y, month: m },
            _ => CalendarDate::new(year, m, d).map_or(
                Self::Lunar {
                    year,
                    month: m,
                    day: d,
                },
                Self::Full,
            ),
        }
    }

    fn split3<'a>(s: &'a str, reason: &'static str) -> Result<[&'a str; 3], InsError> {
        let bad = InsError::Trait {
            field: "birth date",
            reason,
        };
        let mut it = s.split('-');
        match (it.next(), it.next(), it.next(), it.next()) {
            (Some(a), Some(b), Some(c), None) => Ok([a, b, c]),
            _ => Err(bad),
        }
    }

    fn numbers(
        parts: [&str; 3],
        lens: [usize; 3],
        reason: &'static str,
    ) -> Result<[u16; 3], InsError> {
        let mut out = [0u16; 3];
        for ((o, p), len) in out.iter_mut().zip(parts).zip(lens) {
            *o = parse_digits(p)
                .filter(|_| p.len() == len)
                .ok_or(InsError::Trait {
                    field: "birth date",
                    reason,
                })?;
        }
        Ok(out)
    }

    /// Reads the INSi "date lunaire" `AAAA-MM-JJ` (components may be `00`).
    pub fn from_insi(s: &str) -> Result<Self, InsError> {
        const R: &str = "expected AAAA-MM-JJ";
        let [y, m, d] = Self::numbers(Self::split3(s, R)?, [4, 2, 2], R)?;
        Ok(Self::from_components(y, m, d))
    }

    /// The INSi form `AAAA-MM-JJ`, `00` for unknown components.
    pub fn to_insi(&self) -> String {
        let (y, m, d) = self.components();
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// Reads the Datamatrix `S6` form `JJ-MM-AAAA` (components may be `00`).
    pub fn from_datamatrix(s: &str) -> Result<Self, InsError> {
        const R: &str = "expected JJ-MM-AAAA";
        let [d, m, y] = Self::numbers(Self::split3(s, R)?, [2, 2, 4], R)?;
        Ok(Self::from_components(y, m, d))
    }

    /// The Datamatrix `S6` form `JJ-MM-AAAA`.
    pub fn to_datamatrix(&self) -> String {
        let (y, m, d) = self.components();
        format!("{d:02}-{m:02}-{y:04}")
    }

    /// Reads a CDA/HL7 `birthTime` (`AAAAMMJJ`, `AAAAMM` or `AAAA`).
    pub fn from_cda(s: &str) -> Result<Self, InsError> {
        let bad = InsError::Trait {
            field: "birth date",
            reason: "expected AAAA, AAAAMM or AAAAMMJJ",
        };
        if !matches!(s.len(), 4 | 6 | 8) || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad);
        }
        let y = parse_digits(&s[..4]).unwrap_or(0);
        let m = s.get(4..6).and_then(parse_digits).unwrap_or(0);
        let d = s.get(6..8).and_then(parse_digits).unwrap_or(0);
        if y == 0 || (s.len() >= 6 && m == 0) || (s.len() == 8 && d == 0) {
            return Err(bad);
        }
        match Self::from_components(y, m, d) {
            Self::Lunar { .. } => Err(bad),
            date => Ok(date),
        }
    }

    /// The CDA `birthTime/@value`; `None` when nothing or a lunar value is known.
    pub fn to_cda(&self) -> Option<String> {
        match *self {
            Self::Full(d) => Some(format!("{:04}{:02}{:02}", d.year, d.month, d.day)),
            Self::YearMonth { year, month } => Some(format!("{year:04}{month:02}")),
            Self::Year(y) => Some(format!("{y:04}")),
            Self::Unknown | Self::Lunar { .. } => None,
        }
    }

    /// `(year, month, day)`, 0 for unknown components.
    pub fn components(&self) -> (u16, u8, u8) {
        match *self {
            Self::Full(d) => (d.year, d.month, d.day),
            Self::YearMonth { year, month } => (year, month, 0),
            Self::Year(y) => (y, 0, 0),
            Self::Unknown => (0, 0, 0),
            Self::Lunar { year, month, day } => (year, month, day),
        }
    }
}

/// A 5-character INSEE COG place code: the commune (`63220`, `2A020`, `97120`) or `99` + the
/// country code for births abroad (`99352`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cog([u8; 5]);

impl Cog {
    /// Reads a COG code (`2a` is upper-cased).
    pub fn parse(s: &str) -> Result<Self, InsError> {
        let bad = InsError::Trait {
            field: "birthplace",
            reason: "expected a 5-character COG code (2 digits or 2A/2B, then 3 digits)",
        };
        let b = s.as_bytes();
        if b.len() != 5 {
            return Err(bad);
        }
        let mut out = [0u8; 5];
        for (i, (o, &c)) in out.iter_mut().zip(b).enumerate() {
            let c = c.to_ascii_uppercase();
            let ok = c.is_ascii_digit() || (i == 1 && matches!(c, b'A' | b'B') && b[0] == b'2');
            if !ok {
                return Err(bad);
            }
            *o = c;
        }
        Ok(Self(out))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// Whether this is `99` + a country code.
    pub fn is_abroad(&self) -> bool {
        self.0.starts_with(b"99")
    }
}

impl fmt::Debug for Cog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Cog(***)")
    }
}

/// The five strict traits of an identity, checked against the strict RNIV character rules.
///
/// Names are stored as given (they must already be strict: upper-case A-Z, space, hyphen,
/// apostrophe). Local input typed by a user is turned into that form by
/// [`IdentityTraits::from_local_input`], which applies [`rniv::normalize_name`]; values received
/// from INSi must go through [`IdentityTraits::new`], which validates without changing them.
///
/// `Debug` redacts everything but the sex.
///
/// ```
/// use segur_ins::{BirthDate, Cog, IdentityTraits, Sex};
///
/// let t = IdentityTraits::from_local_input(
///     "Pat-Trois",
///     "Dominique  Marie-Louise",
///     BirthDate::from_cda("19790328")?,
///     Sex::Female,
///     Some(Cog::parse("51215")?),
/// )?;
/// assert_eq!(t.birth_name(), "PAT-TROIS");
/// assert_eq!(t.first_name(), "DOMINIQUE");
/// assert_eq!(t.first_names_list(), "DOMINIQUE MARIE-LOUISE");
/// assert!(!format!("{t:?}").contains("TROIS"));
/// # Ok::<(), segur_ins::InsError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdentityTraits {
    birth_name: String,
    first_names: Vec<String>,
    birth_date: BirthDate,
    sex: Sex,
    birthplace: Option<Cog>,
}

impl IdentityTraits {
    /// Builds traits from values already in strict form (e.g. an INSi answer), validating them
    /// without any change. `first_names` is the space-separated list of birth first names.
    pub fn new(
        birth_name: &str,
        first_names: &str,
        birth_date: BirthDate,
        sex: Sex,
        birthplace: Option<Cog>,
    ) -> Result<Self, InsError> {
        rniv::validate_strict_name(birth_name, rniv::NameField::BirthName)?;
        rniv::validate_strict_name(first_names, rniv::NameField::FirstNames)?;
        Ok(Self {
            birth_name: birth_name.to_owned(),
            first_names: first_names.split(' ').map(str::to_owned).collect(),
            birth_date,
            sex,
            birthplace,
        })
    }

    /// Builds traits from values typed locally, normalising the names with
    /// [`rniv::normalize_name`] first.
    pub fn from_local_input(
        birth_name: &str,
        first_names: &str,
        birth_date: BirthDate,
        sex: Sex,
        birthplace: Option<Cog>,
    ) -> Result<Self, InsError> {
        Self::new(
            &rniv::normalize_name(birth_name, rniv::NameField::BirthName)?,
            &rniv::normalize_name(first_names, rniv::NameField::FirstNames)?,
            birth_date,
            sex,
            birthplace,
        )
    }

    /// Nom de naissance.
    pub fn birth_name(&self) -> &str {
        &self.birth_name
    }

    /// Prénoms de naissance, in civil-status order (never empty).
    pub fn first_names(&self) -> &[String] {
        &self.first_names
    }

    /// Premier prénom de naissance.
    pub fn first_name(&self) -> &str {
        self.first_names.first().map_or("", String::as_str)
    }

    /// The space-separated list of first names (INSi `ListePrenom`, CDA `given`, Datamatrix `S3`).
    pub fn first_names_list(&self) -> String {
        self.first_names.join(" ")
    }

    /// Date de naissance.
    pub fn birth_date(&self) -> BirthDate {
        self.birth_date
    }

    /// Sexe.
    pub fn sex(&self) -> Sex {
        self.sex
    }

    /// Lieu de naissance (COG), when known.
    pub fn birthplace(&self) -> Option<Cog> {
        self.birthplace
    }
}

impl fmt::Debug for IdentityTraits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentityTraits")
            .field(
                "birth_name",
                &format_args!("<{} chars>", self.birth_name.len()),
            )
            .field(
                "first_names",
                &format_args!("<{} first names>", self.first_names.len()),
            )
            .field("birth_date", &format_args!("<redacted>"))
            .field("sex", &self.sex)
            .field("birthplace", &self.birthplace)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            BirthDate::from_insi("2000-02-30").unwrap(),
            BirthDate::Lunar {
                year: 2000,
                month: 2,
                day: 30
            }
        );
        assert_eq!(
            BirthDate::from_insi("2000-02-29").unwrap().to_insi(),
            "2000-02-29"
        );
        assert!(matches!(
            BirthDate::from_insi("1900-02-29").unwrap(),
            BirthDate::Lunar { .. }
        ));
        assert_eq!(
            BirthDate::from_insi("0000-00-00").unwrap(),
            BirthDate::Unknown
        );
        assert_eq!(
            BirthDate::from_insi("1975-12-00").unwrap(),
            BirthDate::YearMonth {
                year: 1975,
                month: 12
            }
        );
        for bad in [
            "1975-12-3",
            "1975/12/31",
            "+975-12-31",
            "1975-12-31-",
            "",
            "19751231",
        ] {
            assert!(BirthDate::from_insi(bad).is_err(), "{bad}");
        }
        assert_eq!(
            BirthDate::from_cda("197512").unwrap().to_insi(),
            "1975-12-00"
        );
        assert!(BirthDate::from_cda("19751300").is_err());
        assert!(BirthDate::from_cda("19751232").is_err());
        assert_eq!(
            BirthDate::from_datamatrix("26-02-1997").unwrap(),
            BirthDate::from_cda("19970226").unwrap()
        );
    }

    #[test]
    fn cog() {
        assert_eq!(Cog::parse("2a020").unwrap().as_str(), "2A020");
        assert!(Cog::parse("99352").unwrap().is_abroad());
        for bad in ["3A020", "6322", "632200", "6322X", "A2020"] {
            assert!(Cog::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn insi_values_are_validated_not_changed() {
        assert!(
            IdentityTraits::new("De Vinci", "LEONARDO", BirthDate::Unknown, Sex::Male, None)
                .is_err()
        );
        let t = IdentityTraits::new(
            "DUPONT--DURAND",
            "PIERRE-ALAIN MURIEL",
            BirthDate::Unknown,
            Sex::Male,
            None,
        )
        .unwrap();
        assert_eq!(t.birth_name(), "DUPONT--DURAND");
        assert_eq!(t.first_names(), ["PIERRE-ALAIN", "MURIEL"]);
    }
}
