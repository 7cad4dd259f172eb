//! The INS Datamatrix payload (the text inside the ECC200 symbol printed on INS documents).
//!
//! Layout (reconstructed from implementations, the official specification is not public as
//! text): header `IS01` + 22 × `0`, then tagged fields `S1` matricule (15), `S2` OID (≤ 20),
//! `S3` first names (≤ 100), `S4` birth name (≤ 100), `S5` sex (1), `S6` birth date
//! `JJ-MM-AAAA` (10), `S7` birthplace COG (5, optional). A variable field shorter than its
//! maximum ends with the GS control character (0x1D).
//!
//! [`decode`] is tag-driven and tolerant: fields in any order, `S7` absent, and GS written as
//! the text `<GS>` or `^]` or replaced by a space (keyboard-wedge scanners). It only splits the
//! payload; [`Payload::ins`] and [`Payload::traits`] validate the values (key, OID, strict
//! names). A scan never qualifies an identity: the INS must still be verified with INSi.
//! [`encode`] writes the canonical form, for qualified identities only.
//!
//! ```
//! use segur_ins::datamatrix;
//!
//! let scanned = "IS010000000000000000000000S1297022A02077878S21.2.250.1.213.1.4.8<GS>\
//!                S3DOMINIQUE<GS>S4ADRTROIS<GS>S5FS626-02-1997S72A020";
//! let payload = datamatrix::decode(scanned)?;
//! let ins = payload.ins()?;
//! let traits = payload.traits()?;
//! assert_eq!(ins.cda_extension(), "297022A02077878");
//! assert_eq!(traits.birth_name(), "ADRTROIS");
//! # Ok::<(), segur_ins::InsError>(())
//! ```

use std::fmt;

use crate::{
    BirthDate, Cog, IdentityStatus, IdentityTraits, Ins, InsError, InsOid, Matricule, Sex,
};

/// The group separator ending variable-length fields.
pub const GS: char = '\u{1d}';
/// The header: `IS01` and 22 zeros.
pub const HEADER: &str = "IS010000000000000000000000";
/// Longest payload read.
pub const MAX_PAYLOAD_LEN: usize = 1024;

/// The fields of a decoded payload, as text (not yet validated).
///
/// `Debug` shows which fields are present, not their values.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Payload {
    /// `S1`: matricule with key.
    pub matricule: String,
    /// `S2`: OID of the assigning authority.
    pub oid: String,
    /// `S3`: space-separated first names.
    pub first_names: String,
    /// `S4`: birth name.
    pub birth_name: String,
    /// `S5`: `M` or `F`.
    pub sex: String,
    /// `S6`: `JJ-MM-AAAA`.
    pub birth_date: String,
    /// `S7`: birthplace COG, when present.
    pub birthplace: Option<String>,
}

impl Payload {
    /// Validates `S1` and `S2` into an INS (key checked, INS OIDs only).
    pub fn ins(&self) -> Result<Ins, InsError> {
        Ins::new(
            Matricule::parse(&self.matricule)?,
            InsOid::from_oid(&self.oid)?,
        )
    }

    /// Validates `S3`-`S7` into strict traits (names must already be strict).
    pub fn traits(&self) -> Result<IdentityTraits, InsError> {
        IdentityTraits::new(
            &self.birth_name,
            &self.first_names,
            BirthDate::from_datamatrix(&self.birth_date)?,
            Sex::from_code(&self.sex)?,
            self.birthplace.as_deref().map(Cog::parse).transpose()?,
        )
    }
}

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Payload")
            .field("oid", &self.oid)
            .field("sex", &self.sex)
            .field("birthplace_present", &self.birthplace.is_some())
            .finish_non_exhaustive()
    }
}

fn syntax(reason: &'static str) -> InsError {
    InsError::Syntax {
        format: "INS Datamatrix",
        reason,
    }
}

/// Replaces the textual GS forms by the control character.
fn normalise_separators(input: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(input.len());
    let mut rest = input;
    while let Some(c) = rest.chars().next() {
        if let Some(r) = rest
            .strip_prefix("<GS>")
            .or_else(|| rest.strip_prefix("^]"))
        {
            out.push(GS);
            rest = r;
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

fn is_separator(c: char) -> bool {
    c == GS || c == ' '
}

/// Whether a field tag (`S1`-`S7`) starts at `i`.
fn tag_at(chars: &[char], i: usize) -> Option<u8> {
    match (chars.get(i), chars.get(i + 1)) {
        (Some('S'), Some(d @ '1'..='7')) => Some(*d as u8 - b'0'),
        _ => None,
    }
}

/// Splits a scanned payload into its fields (see the module docs for what is tolerated).
pub fn decode(input: &str) -> Result<Payload, InsError> {
    if input.len() > MAX_PAYLOAD_LEN {
        return Err(syntax("longer than 1024 bytes"));
    }
    let chars = normalise_separators(input.trim_end_matches(['\r', '\n']));
    let header: String = chars.iter().take(HEADER.len()).collect();
    if !header.starts_with("IS01")
        || header.len() != HEADER.len()
        || !header[4..].bytes().all(|b| b.is_ascii_digit())
    {
        return Err(syntax("header must be IS01 followed by 22 digits"));
    }
    let mut fields: [Option<String>; 7] = Default::default();
    let mut i = HEADER.len();
    loop {
        while chars.get(i).is_some_and(|&c| is_separator(c)) {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        let tag = tag_at(&chars, i).ok_or(syntax("expected a field tag S1-S7"))?;
        i += 2;
        let (fixed, max) = match tag {
            1 => (true, 15),
            2 => (false, 20),
            3 | 4 => (false, 100),
            5 => (true, 1),
            6 => (true, 10),
            _ => (true, 5),
        };
        let start = i;
        if fixed {
            i += max;
            if i > chars.len() {
                return Err(syntax("truncated fixed-length field"));
            }
        } else {
            // a variable field ends at GS, at its maximum length, at the end, or (names only,
            // which never contain digits) at a space followed by a tag
            while i < chars.len() && i - start < max && chars[i] != GS {
                if chars[i] == ' ' && (tag == 2 || tag_at(&chars, i + 1).is_some()) {
                    break;
                }
                i += 1;
            }
        }
        let value: String = chars[start..i].iter().collect();
        let slot = &mut fields[usize::from(tag - 1)];
        if slot.is_some() {
            return Err(syntax("repeated field tag"));
        }
        *slot = Some(value);
    }
    let [s1, s2, s3, s4, s5, s6, s7] = fields;
    let required = |f: Option<String>, reason| f.ok_or(syntax(reason));
    Ok(Payload {
        matricule: required(s1, "missing S1 (matricule)")?,
        oid: required(s2, "missing S2 (OID)")?,
        first_names: required(s3, "missing S3 (first names)")?,
        birth_name: required(s4, "missing S4 (birth name)")?,
        sex: required(s5, "missing S5 (sex)")?,
        birth_date: required(s6, "missing S6 (birth date)")?,
        birthplace: s7,
    })
}

/// Writes the canonical payload (fields `S1`-`S7` in order, GS after short variable fields).
///
/// Refused unless the identity is qualified ([`IdentityStatus::may_share_ins`]).
///
/// ```
/// use segur_ins::status::{Event, IdentityDocument, InsiMode};
/// use segur_ins::rniv::{compare, CompareOptions};
/// use segur_ins::{datamatrix, BirthDate, CalendarDate, Cog, IdentityStatus, IdentityTraits, Ins, Sex};
///
/// let ins = Ins::from_cda_id("1.2.250.1.213.1.4.8", "297022A02077878")?;
/// let traits = IdentityTraits::new("ADRTROIS", "DOMINIQUE", BirthDate::from_insi("1997-02-26")?,
///                                  Sex::Female, Some(Cog::parse("2A020")?))?;
/// let mut status = IdentityStatus::new();
/// assert!(datamatrix::encode(&ins, &traits, &status).is_err());
/// let date = CalendarDate::new(2026, 11, 22)?;
/// let comparison = compare(&traits, &traits, &CompareOptions::default());
/// status.apply(Event::InsiAnswer { mode: InsiMode::Traits, date, comparison })?;
/// status.apply(Event::DocumentChecked { document: IdentityDocument::Passeport, date })?;
/// let payload = datamatrix::encode(&ins, &traits, &status)?;
/// assert_eq!(
///     payload,
///     "IS010000000000000000000000S1297022A02077878S21.2.250.1.213.1.4.8\u{1d}\
///      S3DOMINIQUE\u{1d}S4ADRTROIS\u{1d}S5FS626-02-1997S72A020"
/// );
/// # Ok::<(), segur_ins::InsError>(())
/// ```
pub fn encode(
    ins: &Ins,
    traits: &IdentityTraits,
    status: &IdentityStatus,
) -> Result<String, InsError> {
    if !status.may_share_ins() {
        return Err(InsError::Status {
            reason: "only a qualified identity may be written to an INS Datamatrix",
        });
    }
    let variable = |out: &mut String, tag: &str, value: &str, max: usize| {
        out.push_str(tag);
        out.push_str(value);
        if value.len() < max {
            out.push(GS);
        }
    };
    let mut out = String::with_capacity(300);
    out.push_str(HEADER);
    out.push_str("S1");
    out.push_str(ins.matricule().as_str());
    variable(&mut out, "S2", ins.oid().as_str(), 20);
    variable(&mut out, "S3", &traits.first_names_list(), 100);
    variable(&mut out, "S4", traits.birth_name(), 100);
    out.push_str("S5");
    out.push_str(traits.sex().code());
    out.push_str("S6");
    out.push_str(&traits.birth_date().to_datamatrix());
    if let Some(cog) = traits.birthplace() {
        out.push_str("S7");
        out.push_str(cog.as_str());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wedge_scanner_payload_with_spaces() {
        let p = decode(
            "IS010000000000000000000000S1118058599124123S21.2.250.1.213.1.4.8 S3FIRST NAMETEST S5MS618-06-1985S713201S4LASTNAMETEST",
        )
        .unwrap();
        assert_eq!(p.first_names, "FIRST NAMETEST");
        assert_eq!(p.birth_name, "LASTNAMETEST");
        assert_eq!(p.birthplace.as_deref(), Some("13201"));
    }

    #[test]
    fn malformed_payloads() {
        for bad in [
            "",
            "IS02",
            "IS010000000000000000000000S1297022A0207787",
            "IS010000000000000000000000S1297022A02077878S1297022A02077878",
            "IS010000000000000000000000X1",
            "IS010000000000000000000000S1297022A02077878S21.2.250.1.213.1.4.8",
        ] {
            assert!(decode(bad).is_err(), "{bad}");
        }
        assert!(decode(&"S".repeat(5000)).is_err());
    }

    #[test]
    fn debug_is_redacted() {
        let p = decode("IS010000000000000000000000S1297022A02077878S21.2.250.1.213.1.4.8<GS>S3DOMINIQUE<GS>S4ADRTROIS<GS>S5FS626-02-1997").unwrap();
        let d = format!("{p:?}");
        assert!(!d.contains("ADRTROIS") && !d.contains("2077878"), "{d}");
    }
}
