//! RNIV (Référentiel national d'identitovigilance) character rules, name normalisation and the
//! comparison of a local identity with an INSi answer.
//!
//! # Character rules implemented
//!
//! The RNIV volumes themselves are not public as text; these rules are reconstructed from what
//! INSi returns (all CNAM test fixtures), from the validation done by open-source INSi clients
//! and from the Datamatrix generators (see the crate's `spec/ins.md` research note, §2.2):
//!
//! * **Strict form** ([`validate_strict_name`]), the form of every value INSi returns: upper-case
//!   unaccented `A`-`Z` words separated by one space, one apostrophe, one hyphen, or a double
//!   hyphen `--` (the 2005-2011 civil-status separator of double family names, e.g.
//!   `DUPONT--DURAND`, which INSi may return: it is kept, never collapsed, because the INSi value
//!   is the reference and must be stored verbatim). No leading, trailing or doubled separator
//!   otherwise, no digit, at most 100 characters (the length of the Datamatrix `S3`/`S4` fields).
//! * **Normalisation of local input** ([`normalize_name`]), for names typed by an operator:
//!   letters with diacritics lose them (`É`→`E`, `Ç`→`C`, the whole Latin-1 and Latin
//!   Extended-A blocks, and combining marks of decomposed input are dropped), the ligatures
//!   `Æ`/`Œ`/`ß`/`Ĳ` become `AE`/`OE`/`SS`/`IJ`, letters are upper-cased, typographic apostrophes
//!   (`’ ʼ ‘ ´ `` ` ``) become `'`, Unicode hyphens (`‐ ‑`) become `-`, any whitespace becomes a
//!   space, runs of spaces are collapsed and the ends trimmed. Anything else — digits,
//!   punctuation, letters of other scripts — is **refused with its position** instead of being
//!   silently replaced (Mediboard replaces them by spaces): an identity-vigilance tool should
//!   make the operator fix the entry, not guess.
//! * **Comparison** ([`compare`]) is exact on the strict forms; the equivalences some sites
//!   accept (`--` ≡ `-`, hyphen ≡ space in first names such as `ANNE-SOPHIE`/`ANNE SOPHIE`,
//!   unknown date components matching anything) are opt-in [`CompareOptions`] and reported as
//!   [`Agreement::Normalised`], never as exact.

use crate::{BirthDate, BirthMonth, IdentityTraits, InsError, Matricule, Sex, SexDigit};

/// Longest birth name or first-name list accepted.
pub const MAX_NAME_LEN: usize = 100;

/// Which name trait is being read (used in error messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameField {
    /// Nom de naissance.
    BirthName,
    /// Liste des prénoms de naissance.
    FirstNames,
}

impl NameField {
    fn as_str(self) -> &'static str {
        match self {
            Self::BirthName => "birth name",
            Self::FirstNames => "first names",
        }
    }
}

fn name_error(field: NameField, position: usize, reason: &'static str) -> InsError {
    InsError::Name {
        field: field.as_str(),
        position,
        reason,
    }
}

/// Checks that a name is in the strict form (see the module docs) without changing it.
pub fn validate_strict_name(name: &str, field: NameField) -> Result<(), InsError> {
    if name.is_empty() {
        return Err(name_error(field, 0, "empty"));
    }
    if name.chars().count() > MAX_NAME_LEN {
        return Err(name_error(field, 0, "longer than 100 characters"));
    }
    // state: was the previous character a letter; how many hyphens in the current separator
    let mut prev_letter = false;
    let mut hyphens = 0;
    for (i, c) in name.chars().enumerate() {
        let position = i + 1;
        match c {
            'A'..='Z' => {
                prev_letter = true;
                hyphens = 0;
            }
            '-' if hyphens == 1 => {
                hyphens = 2;
            }
            '-' | ' ' | '\'' if prev_letter => {
                prev_letter = false;
                hyphens = usize::from(c == '-');
            }
            '-' | ' ' | '\'' => {
                return Err(name_error(
                    field,
                    position,
                    "separator not between two letters",
                ));
            }
            '0'..='9' => return Err(name_error(field, position, "digit not allowed")),
            'a'..='z' => return Err(name_error(field, position, "lower-case letter")),
            _ => return Err(name_error(field, position, "character not allowed")),
        }
    }
    if !prev_letter {
        return Err(name_error(
            field,
            name.chars().count(),
            "ends with a separator",
        ));
    }
    Ok(())
}

/// Maps one character of local input to its strict form: `Ok(Some(s))` to keep, `Ok(None)` to
/// drop (combining marks), `Err(reason)` to refuse.
fn fold(c: char) -> Result<Option<&'static str>, &'static str> {
    const LETTERS: [&str; 26] = [
        "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R",
        "S", "T", "U", "V", "W", "X", "Y", "Z",
    ];
    let letter = |l: u8| Ok(Some(LETTERS[usize::from(l - b'A')]));
    let folded = match c {
        'A'..='Z' | 'a'..='z' => return letter(c.to_ascii_uppercase() as u8),
        '\u{300}'..='\u{36f}' => return Ok(None),
        '\'' | '’' | 'ʼ' | '‘' | '´' | '`' => return Ok(Some("'")),
        '-' | '\u{2010}' | '\u{2011}' => return Ok(Some("-")),
        c if c.is_whitespace() => return Ok(Some(" ")),
        '0'..='9' => return Err("digit not allowed"),
        'Æ' | 'æ' => return Ok(Some("AE")),
        'Œ' | 'œ' => return Ok(Some("OE")),
        'ß' => return Ok(Some("SS")),
        'Ĳ' | 'ĳ' => return Ok(Some("IJ")),
        'À'..='Å' | 'à'..='å' | 'Ā'..='ą' => b'A',
        'Ç' | 'ç' | 'Ć'..='č' => b'C',
        'Ð' | 'ð' | 'Ď'..='đ' => b'D',
        'È'..='Ë' | 'è'..='ë' | 'Ē'..='ě' => b'E',
        'Ĝ'..='ģ' => b'G',
        'Ĥ'..='ħ' => b'H',
        'Ì'..='Ï' | 'ì'..='ï' | 'Ĩ'..='ı' => b'I',
        'Ĵ' | 'ĵ' => b'J',
        'Ķ'..='ĸ' => b'K',
        'Ĺ'..='ł' => b'L',
        'Ñ' | 'ñ' | 'Ń'..='ŋ' => b'N',
        'Ò'..='Ö' | 'Ø' | 'ò'..='ö' | 'ø' | 'Ō'..='ő' => b'O',
        'Ŕ'..='ř' => b'R',
        'Ś'..='š' | 'ſ' => b'S',
        'Ţ'..='ŧ' => b'T',
        'Ù'..='Ü' | 'ù'..='ü' | 'Ũ'..='ų' => b'U',
        'Ŵ' | 'ŵ' => b'W',
        'Ý' | 'ý' | 'ÿ' | 'Ŷ'..='Ÿ' => b'Y',
        'Ź'..='ž' => b'Z',
        _ => return Err("character not allowed"),
    };
    letter(folded)
}

/// Turns a name typed locally into the strict form (see the module docs), or says which
/// character cannot be turned into it.
///
/// ```
/// use segur_ins::rniv::{normalize_name, NameField};
///
/// assert_eq!(normalize_name("  García-Hämmadi ", NameField::BirthName)?, "GARCIA-HAMMADI");
/// assert_eq!(normalize_name("d’Alembert", NameField::BirthName)?, "D'ALEMBERT");
/// assert_eq!(normalize_name("Jean  Œdipe", NameField::FirstNames)?, "JEAN OEDIPE");
/// assert!(normalize_name("Louis XIV 2", NameField::FirstNames).is_err());
/// # Ok::<(), segur_ins::InsError>(())
/// ```
pub fn normalize_name(input: &str, field: NameField) -> Result<String, InsError> {
    let mut out = String::with_capacity(input.len());
    for (i, c) in input.chars().enumerate() {
        if out.len() > 4 * MAX_NAME_LEN {
            return Err(name_error(field, 0, "longer than 100 characters"));
        }
        match fold(c) {
            Ok(Some(" ")) if out.is_empty() || out.ends_with(' ') => {}
            Ok(Some(s)) => out.push_str(s),
            Ok(None) => {}
            Err(reason) => return Err(name_error(field, i + 1, reason)),
        }
    }
    let trimmed = out.trim_end().to_owned();
    validate_strict_name(&trimmed, field)?;
    Ok(trimmed)
}

/// Opt-in equivalences for [`compare`]. The default is exact comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct CompareOptions {
    /// `--` and `-` are the same separator.
    pub double_hyphen_as_hyphen: bool,
    /// Hyphen and space are the same separator in first names (`ANNE-SOPHIE` / `ANNE SOPHIE`).
    pub first_name_hyphen_as_space: bool,
    /// An unknown (`00`) date component matches any value.
    pub unknown_date_parts_match: bool,
}

/// A strict trait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TraitField {
    /// Nom de naissance.
    BirthName,
    /// Liste des prénoms de naissance.
    FirstNames,
    /// Premier prénom de naissance.
    FirstName,
    /// Date de naissance.
    BirthDate,
    /// Sexe.
    Sex,
    /// Lieu de naissance.
    Birthplace,
}

/// How one trait of the local identity agrees with the INSi answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Agreement {
    /// Identical.
    Exact,
    /// Equal only under an equivalence enabled in [`CompareOptions`].
    Normalised,
    /// Known on one side only.
    Missing,
    /// Different.
    Mismatch,
}

/// The comparison of one trait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TraitDiff {
    /// Which trait.
    pub field: TraitField,
    /// How it compares.
    pub agreement: Agreement,
}

/// Field-by-field result of [`compare`]: one [`TraitDiff`] per [`TraitField`], in the order of
/// the enum. It holds no value, so it can be logged.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Comparison {
    diffs: Vec<TraitDiff>,
}

impl Comparison {
    /// Every trait's agreement.
    pub fn diffs(&self) -> &[TraitDiff] {
        &self.diffs
    }

    /// The agreement of one trait.
    pub fn agreement(&self, field: TraitField) -> Agreement {
        self.diffs
            .iter()
            .find(|d| d.field == field)
            .map_or(Agreement::Missing, |d| d.agreement)
    }

    /// The traits that do not agree ([`Agreement::Missing`] or [`Agreement::Mismatch`]).
    pub fn differences(&self) -> impl Iterator<Item = TraitDiff> + '_ {
        self.diffs
            .iter()
            .copied()
            .filter(|d| matches!(d.agreement, Agreement::Missing | Agreement::Mismatch))
    }

    /// True when every trait agrees (exactly or under an enabled equivalence): only then may the
    /// INSi answer be integrated automatically; otherwise an operator must decide.
    pub fn is_coherent(&self) -> bool {
        self.differences().next().is_none()
    }
}

/// A name under the equivalences enabled in `options`.
fn canonical(name: &str, options: &CompareOptions, first_names: bool) -> String {
    let mut s = name.to_owned();
    if options.double_hyphen_as_hyphen {
        s = s.replace("--", "-");
    }
    if first_names && options.first_name_hyphen_as_space {
        s = s.replace("--", " ").replace('-', " ");
    }
    s
}

fn compare_names(
    local: &str,
    insi: &str,
    options: &CompareOptions,
    first_names: bool,
) -> Agreement {
    if local == insi {
        Agreement::Exact
    } else if canonical(local, options, first_names) == canonical(insi, options, first_names) {
        Agreement::Normalised
    } else {
        Agreement::Mismatch
    }
}

/// The first first name. When hyphen and space are equivalent, `PIERRE-ALAIN` (first name of
/// one side) also agrees with `PIERRE` when the other side's list starts with `PIERRE ALAIN`.
fn compare_first_name(
    local: &IdentityTraits,
    insi: &IdentityTraits,
    options: &CompareOptions,
) -> Agreement {
    let agreement = compare_names(local.first_name(), insi.first_name(), options, true);
    if agreement != Agreement::Mismatch || !options.first_name_hyphen_as_space {
        return agreement;
    }
    let starts_with_word = |list: &IdentityTraits, first: &IdentityTraits| {
        let list = canonical(&list.first_names_list(), options, true);
        let first = canonical(first.first_name(), options, true);
        list.strip_prefix(&first)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    };
    if starts_with_word(local, insi) && starts_with_word(insi, local) {
        Agreement::Normalised
    } else {
        Agreement::Mismatch
    }
}

fn compare_dates(local: BirthDate, insi: BirthDate, options: &CompareOptions) -> Agreement {
    if local == insi {
        return Agreement::Exact;
    }
    let (l, i) = (local.components(), insi.components());
    let part = |a: u16, b: u16| a == b || (options.unknown_date_parts_match && (a == 0 || b == 0));
    if part(l.0, i.0) && part(l.1.into(), i.1.into()) && part(l.2.into(), i.2.into()) {
        Agreement::Normalised
    } else {
        Agreement::Mismatch
    }
}

/// Compares a local identity with the identity INSi returned (RNIV "cohérence" check).
///
/// ```
/// use segur_ins::rniv::{compare, Agreement, CompareOptions, TraitField};
/// use segur_ins::{BirthDate, IdentityTraits, Sex};
///
/// let date = BirthDate::from_insi("2009-07-14")?;
/// let insi = IdentityTraits::new("ECETINSI", "PIERRE-ALAIN MURIEL FLORIANT", date, Sex::Male, None)?;
/// let local = IdentityTraits::from_local_input("Écetinsi", "Pierre Alain Muriel Floriant", date, Sex::Male, None)?;
///
/// let strict = compare(&local, &insi, &CompareOptions::default());
/// assert!(!strict.is_coherent());
/// assert_eq!(strict.agreement(TraitField::BirthName), Agreement::Exact);
/// assert_eq!(strict.agreement(TraitField::FirstNames), Agreement::Mismatch);
///
/// let options = CompareOptions { first_name_hyphen_as_space: true, ..Default::default() };
/// assert!(compare(&local, &insi, &options).is_coherent());
/// # Ok::<(), segur_ins::InsError>(())
/// ```
pub fn compare(
    local: &IdentityTraits,
    insi: &IdentityTraits,
    options: &CompareOptions,
) -> Comparison {
    let birthplace = match (local.birthplace(), insi.birthplace()) {
        (Some(l), Some(i)) if l == i => Agreement::Exact,
        (Some(_), Some(_)) => Agreement::Mismatch,
        (None, None) => Agreement::Exact,
        _ => Agreement::Missing,
    };
    let diffs = vec![
        TraitDiff {
            field: TraitField::BirthName,
            agreement: compare_names(local.birth_name(), insi.birth_name(), options, false),
        },
        TraitDiff {
            field: TraitField::FirstNames,
            agreement: compare_names(
                &local.first_names_list(),
                &insi.first_names_list(),
                options,
                true,
            ),
        },
        TraitDiff {
            field: TraitField::FirstName,
            agreement: compare_first_name(local, insi, options),
        },
        TraitDiff {
            field: TraitField::BirthDate,
            agreement: compare_dates(local.birth_date(), insi.birth_date(), options),
        },
        TraitDiff {
            field: TraitField::Sex,
            agreement: if local.sex() == insi.sex() {
                Agreement::Exact
            } else {
                Agreement::Mismatch
            },
        },
        TraitDiff {
            field: TraitField::Birthplace,
            agreement: birthplace,
        },
    ];
    Comparison { diffs }
}

/// The traits a matricule disagrees with: sex digit vs sex, birth year (last two digits) and
/// month (unless unknown in either) vs birth date, positions 6-10 vs birthplace.
///
/// These are **warnings**, never reasons to reject: a matricule legitimately keeps its sex digit
/// after a change of civil sex, and its place code is the COG at the time of registration.
///
/// ```
/// use segur_ins::rniv::{matricule_consistency, TraitField};
/// use segur_ins::{BirthDate, Cog, IdentityTraits, Matricule, Sex};
///
/// let traits = IdentityTraits::new("ECETINSI", "PIERRE-ALAIN", BirthDate::from_insi("2009-07-14")?,
///                                  Sex::Male, Some(Cog::parse("63220")?))?;
/// assert!(matricule_consistency(&Matricule::parse("109076322083489")?, &traits).is_empty());
/// // a historical matricule of the same person, from before a change of civil sex
/// let old = Matricule::parse("209066322012355")?;
/// assert_eq!(matricule_consistency(&old, &traits), [TraitField::Sex, TraitField::BirthDate]);
/// # Ok::<(), segur_ins::InsError>(())
/// ```
pub fn matricule_consistency(matricule: &Matricule, traits: &IdentityTraits) -> Vec<TraitField> {
    let d = matricule.decompose();
    let mut out = Vec::new();
    let sex_agrees = matches!(
        (d.sex, traits.sex()),
        (SexDigit::Male, Sex::Male) | (SexDigit::Female, Sex::Female)
    );
    if !sex_agrees {
        out.push(TraitField::Sex);
    }
    let (year, month, _) = traits.birth_date().components();
    let nir_month = match d.month {
        BirthMonth::Known(m) | BirthMonth::Pseudo { real: m, .. } => Some(m),
        _ => None,
    };
    let year_differs = year != 0 && year % 100 != u16::from(d.year);
    let month_differs = matches!(nir_month, Some(m) if (1..=12).contains(&month) && m != month);
    if year_differs || month_differs {
        out.push(TraitField::BirthDate);
    }
    if traits
        .birthplace()
        .is_some_and(|cog| cog.as_str() != matricule.place_code())
    {
        out.push(TraitField::Birthplace);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cog, Sex};

    #[test]
    fn strict_names() {
        for ok in [
            "PATB-QUATRE",
            "DE VINCI",
            "D'ALEMBERT",
            "DUPONT--DURAND",
            "A",
        ] {
            assert!(
                validate_strict_name(ok, NameField::BirthName).is_ok(),
                "{ok}"
            );
        }
        for (bad, position) in [
            ("", 0),
            ("DUPONT---DURAND", 9),
            ("DUPONT  DURAND", 8),
            ("-DUPONT", 1),
            ("DUPONT-", 7),
            ("DUPONT2", 7),
            ("Dupont", 2),
            ("DUPONT'-X", 8),
            ("ÉLISE", 1),
        ] {
            match validate_strict_name(bad, NameField::BirthName) {
                Err(InsError::Name { position: p, .. }) => assert_eq!(p, position, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
        assert!(validate_strict_name(&"A".repeat(101), NameField::BirthName).is_err());
    }

    #[test]
    fn normalisation() {
        let n = |s| normalize_name(s, NameField::BirthName);
        assert_eq!(n("e\u{301}lise").unwrap(), "ELISE"); // decomposed
        assert_eq!(n("Łukasz Ørsted").unwrap(), "LUKASZ ORSTED");
        assert_eq!(n("dupont--durand").unwrap(), "DUPONT--DURAND");
        assert_eq!(n("\u{a0}Straße\t").unwrap(), "STRASSE");
        assert_eq!(n("l\u{2011}homme").unwrap(), "L-HOMME");
        assert!(matches!(
            n("Jean (dit Jo)"),
            Err(InsError::Name { position: 6, .. })
        ));
        assert!(matches!(n("Иван"), Err(InsError::Name { position: 1, .. })));
        assert!(n("   ").is_err());
        assert!(n(&"é".repeat(10_000)).is_err());
    }

    #[test]
    fn comparison_reports_each_field() {
        let d = BirthDate::from_insi("1960-05-30").unwrap();
        let insi = IdentityTraits::new(
            "DUPONT--DURAND",
            "JEANNE",
            d,
            Sex::Female,
            Cog::parse("88154").ok(),
        )
        .unwrap();
        let local = IdentityTraits::new(
            "DUPONT-DURAND",
            "JEANNE",
            BirthDate::from_insi("1960-05-00").unwrap(),
            Sex::Female,
            None,
        )
        .unwrap();
        let c = compare(&local, &insi, &CompareOptions::default());
        let got: Vec<_> = c.differences().map(|d| d.field).collect();
        assert_eq!(
            got,
            [
                TraitField::BirthName,
                TraitField::BirthDate,
                TraitField::Birthplace
            ]
        );
        let all = CompareOptions {
            double_hyphen_as_hyphen: true,
            first_name_hyphen_as_space: true,
            unknown_date_parts_match: true,
        };
        let c = compare(&local, &insi, &all);
        assert_eq!(c.agreement(TraitField::BirthName), Agreement::Normalised);
        assert_eq!(c.agreement(TraitField::BirthDate), Agreement::Normalised);
        assert_eq!(c.agreement(TraitField::Birthplace), Agreement::Missing);
        assert!(!c.is_coherent());
    }
}
