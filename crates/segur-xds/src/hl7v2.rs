//! The HL7 v2 datatypes XDS metadata carries in slot and external-identifier values: [`Cx`]
//! (patient identifiers), [`Xcn`] (persons), [`Xon`] (organisations), [`Xtn`]
//! (telecommunication addresses) and [`Hd`] (assigning authorities), with the HL7 v2 escaping
//! of the delimiters `|^~\&` (`\F\ \S\ \R\ \E\ \T\`).
//!
//! Formatting drops trailing empty components, as IHE requires; parsing refuses components the
//! XDS profile does not allow to be valued rather than silently dropping them.

use crate::error::{XdsError, redact};

/// Escapes the HL7 v2 delimiters in `text`: `|` → `\F\`, `^` → `\S\`, `&` → `\T\`,
/// `~` → `\R\`, `\` → `\E\`.
///
/// ```
/// assert_eq!(segur_xds::hl7v2::escape(r"A^B&C|D~E\F"), r"A\S\B\T\C\F\D\R\E\E\F");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\F\\"),
            '^' => out.push_str("\\S\\"),
            '&' => out.push_str("\\T\\"),
            '~' => out.push_str("\\R\\"),
            '\\' => out.push_str("\\E\\"),
            c => out.push(c),
        }
    }
    out
}

/// Reverses [`escape`]. Unknown or unterminated escape sequences are an error.
///
/// ```
/// assert_eq!(segur_xds::hl7v2::unescape(r"A\S\B\T\C").unwrap(), "A^B&C");
/// assert!(segur_xds::hl7v2::unescape(r"A\Q\B").is_err());
/// ```
pub fn unescape(text: &str) -> Result<String, XdsError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('\\') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let end = after
            .find('\\')
            .ok_or_else(|| XdsError::invalid("HL7 v2 escape sequence", text))?;
        out.push(match &after[..end] {
            "F" => '|',
            "S" => '^',
            "T" => '&',
            "R" => '~',
            "E" => '\\',
            _ => return Err(XdsError::invalid("HL7 v2 escape sequence", text)),
        });
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Joins already-escaped components with `sep`, dropping the trailing empty ones.
fn join(parts: &[String], sep: char) -> String {
    let used = parts
        .iter()
        .rposition(|p| !p.is_empty())
        .map_or(0, |i| i + 1);
    let mut out = String::new();
    for (i, part) in parts[..used].iter().enumerate() {
        if i > 0 {
            out.push(sep);
        }
        out.push_str(part);
    }
    out
}

fn esc(value: Option<&String>) -> String {
    value.map(|v| escape(v)).unwrap_or_default()
}

/// A value split into its `^` components, with the checks every datatype shares.
struct Components<'a> {
    datatype: &'static str,
    parts: Vec<&'a str>,
    raw: &'a str,
    sensitive: bool,
}

impl<'a> Components<'a> {
    /// Splits `raw`; a valued component whose (1-based) position is not in `allowed` is an error.
    fn split(
        datatype: &'static str,
        raw: &'a str,
        allowed: &[usize],
        sensitive: bool,
    ) -> Result<Self, XdsError> {
        let this = Self {
            datatype,
            parts: raw.split('^').collect(),
            raw,
            sensitive,
        };
        if raw.contains(['|', '~']) {
            return Err(this.error());
        }
        for (i, part) in this.parts.iter().enumerate() {
            if !part.is_empty() && !allowed.contains(&(i + 1)) {
                return Err(this.error());
            }
        }
        Ok(this)
    }

    fn error(&self) -> XdsError {
        let shown = if self.sensitive {
            redact(self.raw)
        } else {
            self.raw.to_owned()
        };
        XdsError::invalid(self.datatype, shown)
    }

    fn raw_part(&self, n: usize) -> &'a str {
        self.parts.get(n - 1).copied().unwrap_or("")
    }

    /// Component `n` (1-based), unescaped; `None` when empty.
    fn text(&self, n: usize) -> Result<Option<String>, XdsError> {
        let raw = self.raw_part(n);
        if raw.is_empty() {
            return Ok(None);
        }
        if raw.contains('&') {
            return Err(self.error());
        }
        unescape(raw).map(Some).map_err(|_| self.error())
    }

    /// Component `n` read as an [`Hd`] (subcomponents separated by `&`).
    fn hd(&self, n: usize) -> Result<Option<Hd>, XdsError> {
        let raw = self.raw_part(n);
        if raw.is_empty() {
            return Ok(None);
        }
        Hd::parse(raw).map(Some).map_err(|_| self.error())
    }
}

/// HL7 v2 HD (hierarchic designator), the assigning authority of identifiers. In XDS it is
/// `&<OID>&ISO`: only the universal id and its type are valued.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Hd {
    /// HD.1, namespace id (should be empty in XDS).
    pub namespace_id: Option<String>,
    /// HD.2, universal id: an OID in XDS.
    pub universal_id: Option<String>,
    /// HD.3, universal id type: `ISO` in XDS.
    pub universal_id_type: Option<String>,
}

impl Hd {
    /// The XDS form `&<oid>&ISO`.
    pub fn iso(oid: impl Into<String>) -> Self {
        Self {
            namespace_id: None,
            universal_id: Some(oid.into()),
            universal_id_type: Some("ISO".to_owned()),
        }
    }

    /// Formats as subcomponents (`ns&uid&type`), escaped.
    pub fn to_hl7v2(&self) -> String {
        join(
            &[
                esc(self.namespace_id.as_ref()),
                esc(self.universal_id.as_ref()),
                esc(self.universal_id_type.as_ref()),
            ],
            '&',
        )
    }

    /// Parses subcomponents `ns&uid&type`.
    pub fn parse(text: &str) -> Result<Self, XdsError> {
        let subs: Vec<&str> = text.split('&').collect();
        if subs.len() > 3 || text.contains(['^', '|', '~']) {
            return Err(XdsError::invalid("HD", text));
        }
        let get = |i: usize| -> Result<Option<String>, XdsError> {
            match subs.get(i) {
                Some(s) if !s.is_empty() => unescape(s).map(Some),
                _ => Ok(None),
            }
        };
        Ok(Self {
            namespace_id: get(0)?,
            universal_id: get(1)?,
            universal_id_type: get(2)?,
        })
    }

    /// The OID when this is an `&<oid>&ISO` authority.
    pub fn iso_oid(&self) -> Option<&str> {
        match (&self.universal_id, self.universal_id_type.as_deref()) {
            (Some(oid), Some("ISO")) => Some(oid),
            _ => None,
        }
    }
}

/// HL7 v2 CX (extended composite id), used for `patientId` and `sourcePatientId`:
/// `<id>^^^&<oid>&ISO^<type>`, e.g. the INS `279035121518989^^^&1.2.250.1.213.1.4.8&ISO^NH`.
///
/// The type is generic over the assigning authority; see [`Cx::ins`] for the INS form.
/// Parse errors redact the value (it is a patient identifier).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cx {
    /// CX.1, the identifier.
    pub id: String,
    /// CX.4, the assigning authority.
    pub assigning_authority: Option<Hd>,
    /// CX.5, the identifier type code (`NH` for the INS, `PI` for a local IPP).
    pub identifier_type_code: Option<String>,
    /// CX.7, effective date (seen in some DMP samples, `YYYYMMDD`).
    pub effective_date: Option<String>,
}

impl Cx {
    /// An identifier `id` assigned by the ISO OID `authority`, with type code `type_code`.
    pub fn new(id: impl Into<String>, authority: impl Into<String>, type_code: &str) -> Self {
        Self {
            id: id.into(),
            assigning_authority: Some(Hd::iso(authority)),
            identifier_type_code: Some(type_code.to_owned()),
            effective_date: None,
        }
    }

    /// A matricule INS (type code `NH`) under the INS OID `oid`
    /// ([`crate::codes::oid::INS_NIR`], `INS_NIA`, or the test OIDs).
    pub fn ins(matricule: impl Into<String>, oid: &str) -> Self {
        Self::new(matricule, oid, "NH")
    }

    /// Formats as `id^^^&oid&ISO^type`.
    pub fn to_hl7v2(&self) -> String {
        join(
            &[
                escape(&self.id),
                String::new(),
                String::new(),
                self.assigning_authority
                    .as_ref()
                    .map(Hd::to_hl7v2)
                    .unwrap_or_default(),
                esc(self.identifier_type_code.as_ref()),
                String::new(),
                esc(self.effective_date.as_ref()),
            ],
            '^',
        )
    }

    /// Parses a CX value. CX.2, CX.3, CX.6 and beyond CX.7 must be empty.
    pub fn parse(text: &str) -> Result<Self, XdsError> {
        let c = Components::split("CX", text, &[1, 4, 5, 7], true)?;
        Ok(Self {
            id: c.text(1)?.ok_or_else(|| c.error())?,
            assigning_authority: c.hd(4)?,
            identifier_type_code: c.text(5)?,
            effective_date: c.text(7)?,
        })
    }
}

/// HL7 v2 XCN (extended composite id and name for persons), used for `authorPerson` and
/// `legalAuthenticator`: `899900063480^MAX^LIBRE^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Xcn {
    /// XCN.1, the identifier (IdNat_PS: `8`+RPPS, `0`+ADELI, ...).
    pub id: Option<String>,
    /// XCN.2, family name.
    pub family: Option<String>,
    /// XCN.3, given name.
    pub given: Option<String>,
    /// XCN.4, second and further given names.
    pub further_given: Option<String>,
    /// XCN.5, suffix.
    pub suffix: Option<String>,
    /// XCN.6, prefix (e.g. `DR`).
    pub prefix: Option<String>,
    /// XCN.9, assigning authority of the identifier (`&1.2.250.1.71.4.2.1&ISO` for IdNat_PS).
    pub assigning_authority: Option<Hd>,
    /// XCN.10, name type code (`D` display name, `L` legal).
    pub name_type_code: Option<String>,
    /// XCN.13, identifier type code (`IDNPS`, `RPPS`, `ADELI`, `EI`...).
    pub identifier_type_code: Option<String>,
}

impl Xcn {
    /// A health professional identified by IdNat_PS `id` (authority `1.2.250.1.71.4.2.1`, type
    /// `IDNPS`, name type `D`).
    pub fn professional(
        id: impl Into<String>,
        family: impl Into<String>,
        given: Option<&str>,
    ) -> Self {
        Self {
            id: Some(id.into()),
            family: Some(family.into()),
            given: given.map(str::to_owned),
            assigning_authority: Some(Hd::iso(crate::codes::oid::IDNAT_PS)),
            name_type_code: Some("D".to_owned()),
            identifier_type_code: Some("IDNPS".to_owned()),
            ..Self::default()
        }
    }

    /// Formats as an XCN value.
    pub fn to_hl7v2(&self) -> String {
        join(
            &[
                esc(self.id.as_ref()),
                esc(self.family.as_ref()),
                esc(self.given.as_ref()),
                esc(self.further_given.as_ref()),
                esc(self.suffix.as_ref()),
                esc(self.prefix.as_ref()),
                String::new(),
                String::new(),
                self.assigning_authority
                    .as_ref()
                    .map(Hd::to_hl7v2)
                    .unwrap_or_default(),
                esc(self.name_type_code.as_ref()),
                String::new(),
                String::new(),
                esc(self.identifier_type_code.as_ref()),
            ],
            '^',
        )
    }

    /// Parses an XCN value. Components 7, 8, 11, 12 and beyond 13 must be empty.
    pub fn parse(text: &str) -> Result<Self, XdsError> {
        let c = Components::split("XCN", text, &[1, 2, 3, 4, 5, 6, 9, 10, 13], false)?;
        let this = Self {
            id: c.text(1)?,
            family: c.text(2)?,
            given: c.text(3)?,
            further_given: c.text(4)?,
            suffix: c.text(5)?,
            prefix: c.text(6)?,
            assigning_authority: c.hd(9)?,
            name_type_code: c.text(10)?,
            identifier_type_code: c.text(13)?,
        };
        if this.id.is_none() && this.family.is_none() {
            return Err(c.error());
        }
        Ok(this)
    }
}

/// HL7 v2 XON (extended composite name and id for organisations), used for
/// `authorInstitution`: `CABINET DR LIBRE^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^499900063480001`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Xon {
    /// XON.1, organisation name.
    pub name: String,
    /// XON.6, assigning authority of the identifier (`&1.2.250.1.71.4.2.2&ISO` for IdNat_Struct).
    pub assigning_authority: Option<Hd>,
    /// XON.7, identifier type code (`IDNST`).
    pub identifier_type_code: Option<String>,
    /// XON.10, organisation identifier (IdNat_Struct: `1`+FINESS, `3`+SIRET, `4`+RPPS-rang).
    pub organization_identifier: Option<String>,
}

impl Xon {
    /// A structure identified by its IdNat_Struct (authority `1.2.250.1.71.4.2.2`, type `IDNST`).
    pub fn structure(name: impl Into<String>, id_nat_struct: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            assigning_authority: Some(Hd::iso(crate::codes::oid::IDNAT_STRUCT)),
            identifier_type_code: Some("IDNST".to_owned()),
            organization_identifier: Some(id_nat_struct.into()),
        }
    }

    /// Formats as an XON value.
    pub fn to_hl7v2(&self) -> String {
        join(
            &[
                escape(&self.name),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                self.assigning_authority
                    .as_ref()
                    .map(Hd::to_hl7v2)
                    .unwrap_or_default(),
                esc(self.identifier_type_code.as_ref()),
                String::new(),
                String::new(),
                esc(self.organization_identifier.as_ref()),
            ],
            '^',
        )
    }

    /// Parses an XON value. Components 2-5, 8, 9 and beyond 10 must be empty.
    pub fn parse(text: &str) -> Result<Self, XdsError> {
        let c = Components::split("XON", text, &[1, 6, 7, 10], false)?;
        Ok(Self {
            name: c.text(1)?.ok_or_else(|| c.error())?,
            assigning_authority: c.hd(6)?,
            identifier_type_code: c.text(7)?,
            organization_identifier: c.text(10)?,
        })
    }
}

/// HL7 v2 XTN (extended telecommunication number), used for `authorTelecommunication`:
/// `^^Internet^jean.dupont@hopital.mssante.fr` or `^PRN^PH^^33^1^23456789`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Xtn {
    /// XTN.2, use code (`WPN`, `PRN`, `NET`...).
    pub use_code: Option<String>,
    /// XTN.3, equipment type (`PH`, `FX`, `CP`, `Internet`, `X.400`).
    pub equipment_type: Option<String>,
    /// XTN.4, communication address (e-mail).
    pub email: Option<String>,
    /// XTN.5, country code.
    pub country_code: Option<String>,
    /// XTN.6, area / city code.
    pub area_code: Option<String>,
    /// XTN.7, local number.
    pub local_number: Option<String>,
    /// XTN.8, extension.
    pub extension: Option<String>,
    /// XTN.9, any text.
    pub any_text: Option<String>,
    /// XTN.12, unformatted telephone number (`+33123456789`).
    pub unformatted: Option<String>,
}

impl Xtn {
    /// An Internet e-mail address (for MSSanté addresses: `NET` / `Internet`).
    pub fn email(address: impl Into<String>) -> Self {
        Self {
            use_code: Some("NET".to_owned()),
            equipment_type: Some("Internet".to_owned()),
            email: Some(address.into()),
            ..Self::default()
        }
    }

    /// A work telephone number given unformatted (`WPN` / `PH`).
    pub fn phone(number: impl Into<String>) -> Self {
        Self {
            use_code: Some("WPN".to_owned()),
            equipment_type: Some("PH".to_owned()),
            unformatted: Some(number.into()),
            ..Self::default()
        }
    }

    /// Formats as an XTN value.
    pub fn to_hl7v2(&self) -> String {
        join(
            &[
                String::new(),
                esc(self.use_code.as_ref()),
                esc(self.equipment_type.as_ref()),
                esc(self.email.as_ref()),
                esc(self.country_code.as_ref()),
                esc(self.area_code.as_ref()),
                esc(self.local_number.as_ref()),
                esc(self.extension.as_ref()),
                esc(self.any_text.as_ref()),
                String::new(),
                String::new(),
                esc(self.unformatted.as_ref()),
            ],
            '^',
        )
    }

    /// Parses an XTN value. XTN.1, 10, 11 and beyond 12 must be empty.
    pub fn parse(text: &str) -> Result<Self, XdsError> {
        let c = Components::split("XTN", text, &[2, 3, 4, 5, 6, 7, 8, 9, 12], false)?;
        let this = Self {
            use_code: c.text(2)?,
            equipment_type: c.text(3)?,
            email: c.text(4)?,
            country_code: c.text(5)?,
            area_code: c.text(6)?,
            local_number: c.text(7)?,
            extension: c.text(8)?,
            any_text: c.text(9)?,
            unformatted: c.text(12)?,
        };
        if this.email.is_none() && this.local_number.is_none() && this.unformatted.is_none() {
            return Err(c.error());
        }
        Ok(this)
    }
}

/// Splits a `code^display^codingScheme` value (HL7 v2 CE/CWE as used by `authorRole` and
/// `authorSpecialty`) into its unescaped parts.
pub(crate) fn parse_coded(
    text: &str,
) -> Result<(String, Option<String>, Option<String>), XdsError> {
    let c = Components::split("coded value", text, &[1, 2, 3], false)?;
    Ok((c.text(1)?.ok_or_else(|| c.error())?, c.text(2)?, c.text(3)?))
}

/// Formats a `code^display^codingScheme` value.
pub(crate) fn format_coded(
    code: &str,
    display: Option<&String>,
    scheme: Option<&String>,
) -> String {
    join(&[escape(code), esc(display), esc(scheme)], '^')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dmp_sample_values_parse_and_format_back() {
        for (value, kind) in [
            (
                "899900063480^MAX^LIBRE^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS",
                "xcn",
            ),
            (
                "CABINET DR LIBRE^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^499900063480001",
                "xon",
            ),
            ("279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH", "cx"),
            ("^^Internet^max.libre@test.mssante.fr", "xtn"),
        ] {
            let again = match kind {
                "xcn" => Xcn::parse(value).unwrap().to_hl7v2(),
                "xon" => Xon::parse(value).unwrap().to_hl7v2(),
                "cx" => Cx::parse(value).unwrap().to_hl7v2(),
                _ => Xtn::parse(value).unwrap().to_hl7v2(),
            };
            assert_eq!(again, value);
        }
        let xcn =
            Xcn::parse("899900063480^MAX^LIBRE^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS").unwrap();
        assert_eq!(xcn, Xcn::professional("899900063480", "MAX", Some("LIBRE")));
        let cx = Cx::parse("279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH^^20100907").unwrap();
        assert_eq!(cx.effective_date.as_deref(), Some("20100907"));
        assert_eq!(
            cx.assigning_authority.unwrap().iso_oid(),
            Some("1.2.250.1.213.1.4.10")
        );
    }

    #[test]
    fn delimiters_inside_values_are_escaped() {
        let xon = Xon::structure("A^B & C|D", "1234");
        let text = xon.to_hl7v2();
        assert!(text.starts_with(r"A\S\B \T\ C\F\D^"), "{text}");
        assert_eq!(Xon::parse(&text).unwrap(), xon);
    }

    #[test]
    fn forbidden_components_and_bad_escapes_are_rejected() {
        assert!(Cx::parse("123^x^^&1.2&ISO^NH").is_err());
        assert!(Cx::parse("^^^&1.2&ISO^NH").is_err());
        assert!(Cx::parse("12~34").is_err());
        assert!(Xcn::parse(r"1^A\X41\B").is_err());
        assert!(Xon::parse("^^^^^&1.2&ISO").is_err());
        assert!(Xtn::parse("^WPN^PH").is_err());
        assert!(Hd::parse("a&b&c&d").is_err());
        assert!(unescape(r"abc\S").is_err());
    }

    #[test]
    fn cx_errors_do_not_leak_the_identifier() {
        let err = Cx::parse("279035121518989^bad^^&1.2&ISO^NH").unwrap_err();
        assert!(!err.to_string().contains("279035121518989"), "{err}");
    }
}
