//! The VIHF (Vecteur d'Identification et d'Habilitation Formelles): the SAML 2.0 assertion that
//! identifies the user, the structure and the software in every DMP request (VIHF 3.0).
//!
//! Build one with [`VihfBuilder`] (or from a Pro Santé Connect user with
//! [`VihfBuilder::from_psc`]), write it with [`Vihf::to_unsigned_xml`] or sign it, and read one
//! back with [`ParsedVihf::parse`].

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use segur_ins::Ins;
use segur_transport::{Clock, Randomness};

use crate::error::Error;
use crate::ns;
use crate::xml::{self, Element, Limits, escape_attr, escape_text};

/// Code systems and fixed values used in the VIHF.
pub mod codes {
    /// TRE_G15 Profession: the first role (`10` médecin, `21` pharmacien...).
    pub const PROFESSION: &str = "1.2.250.1.71.1.2.7";
    /// TRE_R01 Spécialité ordinale: the speciality role of doctors (`SM26`...).
    pub const SPECIALTY: &str = "1.2.250.1.71.4.2.5";
    /// TRE_R02 Secteur d'activité: `Secteur_Activite` (`SA07`...).
    pub const SECTOR: &str = "1.2.250.1.71.4.2.4";
    /// TRE_R248 Mode d'accès: the purpose of use.
    pub const PURPOSE_OF_USE: &str = "1.2.250.1.213.1.1.4.248";
    /// TRE_A00 Producteur de document non PS: the `AUTOMATE` role of automated processing.
    pub const NON_PS: &str = "1.2.250.1.213.1.1.4.6";
    /// `VIHF_Version` written by this crate.
    pub const VIHF_VERSION: &str = "3.0";
    /// `Ressource_URN` of the DMP.
    pub const RESSOURCE_URN_DMP: &str = "urn:dmp";
    /// The `Issuer` format: an X.509 subject name.
    pub const ISSUER_FORMAT: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName";
    /// Authentication context: a smart card (CPS), the DIRECTE mode's default.
    pub const AC_SMARTCARD_PKI: &str = "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI";
    /// Authentication context: a TLS client certificate, the INDIRECTE modes' default.
    pub const AC_TLS_CLIENT: &str = "urn:oasis:names:tc:SAML:2.0:ac:classes:TLSClient";
    /// Authentication context of Pro Santé Connect (e-CPS on a phone), as the ANS gateway sets it.
    pub const AC_MOBILE_TWO_FACTOR: &str =
        "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorUnregistered";
    /// `AuthnContextDecl` of the AIR mode when the user logged in through a browser (PSC).
    pub const DECL_APP_BROWSER_AUTH: &str = "APP_BROWSER_AUTH";
}

pub use crate::vihf_sign::{VerifiedVihf, VihfVerifier};

const ATTR_VERSION: &str = "VIHF_Version";
const ATTR_MODE: &str = "Authentification_mode";
const ATTR_STRUCTURE: &str = "Identifiant_Structure";
const ATTR_SECTOR: &str = "Secteur_Activite";
const ATTR_SUBJECT_ID: &str = "urn:oasis:names:tc:xspa:1.0:subject:subject-id";
const ATTR_ROLE: &str = "urn:oasis:names:tc:xacml:2.0:subject:role";
const ATTR_RESOURCE_ID: &str = "urn:oasis:names:tc:xacml:2.0:resource:resource-id";
const ATTR_RESOURCE_URN: &str = "Ressource_URN";
const ATTR_PURPOSE: &str = "urn:oasis:names:tc:xspa:1.0:subject:purposeofuse";
const ATTR_CONFIDENTIALITY: &str =
    "urn:oasis:names:tc:xspa:1.0:resource:patient:hl7:confidentiality-code";
const ATTR_LPS_ID: &str = "LPS_ID";
const ATTR_LPS_NAME: &str = "LPS_Nom";
const ATTR_LPS_VERSION: &str = "LPS_Version";
const ATTR_LPS_HOMOLOGATION: &str = "LPS_ID_HOMOLOGATION_DMP";

/// How the user authenticated (`Authentification_mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthenticationMode {
    /// `DIRECTE`: the professional's own card (CPS/CPF/CPE) signs.
    Directe,
    /// `INDIRECTE`: the structure's certificate signs for a user it authenticated.
    Indirecte,
    /// `INDIRECTE_RENFORCEE`: AIR, the structure signs for a user strongly authenticated (Pro
    /// Santé Connect).
    IndirecteRenforcee,
}

impl AuthenticationMode {
    /// The attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Directe => "DIRECTE",
            Self::Indirecte => "INDIRECTE",
            Self::IndirecteRenforcee => "INDIRECTE_RENFORCEE",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "DIRECTE" => Some(Self::Directe),
            "INDIRECTE" => Some(Self::Indirecte),
            "INDIRECTE_RENFORCEE" => Some(Self::IndirecteRenforcee),
            _ => None,
        }
    }

    fn default_class_ref(self) -> &'static str {
        match self {
            Self::Directe => codes::AC_SMARTCARD_PKI,
            Self::Indirecte | Self::IndirecteRenforcee => codes::AC_TLS_CLIENT,
        }
    }
}

/// Why the user accesses the record (TRE_R248 Mode d'accès).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum PurposeOfUse {
    /// `normal`: ordinary access, within the patient's authorisations.
    #[default]
    Normal,
    /// `bris_de_glace`: emergency access ("break the glass").
    BrisDeGlace,
    /// `centre_15`: access by the SAMU regulation centre.
    Centre15,
}

impl PurposeOfUse {
    /// The TRE_R248 code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::BrisDeGlace => "bris_de_glace",
            Self::Centre15 => "centre_15",
        }
    }

    fn display(self) -> &'static str {
        match self {
            Self::Normal => "Accès normal",
            Self::BrisDeGlace => "Accès en mode bris de glace",
            Self::Centre15 => "Accès en mode centre de régulation",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "normal" => Some(Self::Normal),
            "bris_de_glace" => Some(Self::BrisDeGlace),
            "centre_15" => Some(Self::Centre15),
            _ => None,
        }
    }
}

/// An HL7 `CE` coded value, as the VIHF writes roles and purposes of use.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct CodedValue {
    /// The code (`10`, `SM26`).
    pub code: String,
    /// The code system OID.
    pub code_system: String,
    /// The code system's name (`professions`), optional.
    pub code_system_name: Option<String>,
    /// The display name (`Médecin`), optional.
    pub display_name: Option<String>,
}

impl CodedValue {
    /// A code in a code system.
    pub fn new(code: impl Into<String>, code_system: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            code_system: code_system.into(),
            code_system_name: None,
            display_name: None,
        }
    }

    /// With a display name.
    pub fn with_display_name(mut self, display_name: impl Into<String>) -> Self {
        self.display_name = Some(display_name.into());
        self
    }

    /// With a code system name.
    pub fn with_code_system_name(mut self, name: impl Into<String>) -> Self {
        self.code_system_name = Some(name.into());
        self
    }

    /// A TRE_G15 profession (`10` médecin, `21` pharmacien, `60` infirmier...).
    pub fn profession(code: impl Into<String>) -> Self {
        Self::new(code, codes::PROFESSION).with_code_system_name("professions")
    }

    /// A TRE_R01 speciality (`SM26` médecine générale...).
    pub fn specialty(code: impl Into<String>) -> Self {
        Self::new(code, codes::SPECIALTY).with_code_system_name("specialites RPPS")
    }

    /// The `AUTOMATE` role of automated processing.
    pub fn automate() -> Self {
        Self::new("AUTOMATE", codes::NON_PS).with_display_name("Automate")
    }

    fn write(&self, element: &str, out: &mut String) {
        out.push('<');
        out.push_str(element);
        out.push_str(" xmlns=\"");
        out.push_str(ns::HL7);
        out.push_str("\" code=\"");
        out.push_str(&escape_attr(&self.code));
        out.push_str("\" codeSystem=\"");
        out.push_str(&escape_attr(&self.code_system));
        out.push('"');
        if let Some(n) = &self.code_system_name {
            out.push_str(" codeSystemName=\"");
            out.push_str(&escape_attr(n));
            out.push('"');
        }
        if let Some(d) = &self.display_name {
            out.push_str(" displayName=\"");
            out.push_str(&escape_attr(d));
            out.push('"');
        }
        out.push_str(" xsi:type=\"CE\"/>");
    }

    fn read(el: &Element) -> Result<Self, Error> {
        let req = |name: &str| {
            el.attr(name)
                .map(str::to_owned)
                .ok_or_else(|| Error::malformed(el.name(), format!("no @{name}")))
        };
        Ok(Self {
            code: req("code")?,
            code_system: req("codeSystem")?,
            code_system_name: el.attr("codeSystemName").map(str::to_owned),
            display_name: el.attr("displayName").map(str::to_owned),
        })
    }
}

/// The patient the request is about: their INS, written as the HL7 CX value
/// `<INS>^^^&<OID>&ISO^NH` (see [`Ins::vihf_resource_id`]).
///
/// Its `Debug` output is redacted: it is personal data.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PatientResourceId(Ins);

impl PatientResourceId {
    /// The resource-id of an INS.
    pub fn from_ins(ins: Ins) -> Self {
        Self(ins)
    }

    /// Reads a CX value (`279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH`), checking the INS
    /// (matricule key, authority OID) with `segur-ins`.
    pub fn from_cx(cx: &str) -> Result<Self, Error> {
        Ins::from_vihf_resource_id(cx)
            .map(Self)
            .map_err(|e| Error::invalid("patient resource-id", e.to_string()))
    }

    /// The patient's INS.
    pub fn ins(&self) -> &Ins {
        &self.0
    }

    /// The CX value written in the VIHF.
    pub fn to_cx(&self) -> String {
        self.0.vihf_resource_id()
    }
}

impl From<Ins> for PatientResourceId {
    fn from(ins: Ins) -> Self {
        Self(ins)
    }
}

impl std::fmt::Debug for PatientResourceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PatientResourceId(<redacted>)")
    }
}

/// The software (LPS) attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Lps {
    /// `LPS_ID`: the installation identifier, optional.
    pub id: Option<String>,
    /// `LPS_Nom`: the product name.
    pub name: String,
    /// `LPS_Version`: the product version.
    pub version: String,
    /// `LPS_ID_HOMOLOGATION_DMP`: the DMP homologation number given by the CNAM.
    pub homologation: String,
}

impl Lps {
    /// The software's name, version and DMP homologation number.
    pub fn new(
        name: impl Into<String>,
        version: impl Into<String>,
        homologation: impl Into<String>,
    ) -> Self {
        Self {
            id: None,
            name: name.into(),
            version: version.into(),
            homologation: homologation.into(),
        }
    }

    /// With an installation identifier (`LPS_ID`).
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }
}

/// A health professional as Pro Santé Connect describes them, reduced to what the VIHF needs: the
/// input of the AIR mode ([`VihfBuilder::from_psc`]).
///
/// The PSC crate converts a validated UserInfo (`SubjectNameID`, the chosen
/// `SubjectRefPro.exercices[]` entry and its activity) into this type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PscProfessional {
    /// The national professional identifier (`SubjectNameID`, idNat_PS: `8` + RPPS).
    pub national_id: String,
    /// The practice family name (`nomDexercice`).
    pub family_name: String,
    /// The practice given name (`prenomDexercice`).
    pub given_name: String,
    /// The TRE_G15 profession code (`codeProfession`: `10` médecin, `21` pharmacien...).
    pub profession: String,
    /// The speciality (`codeSavoirFaire`, TRE_R01, `SM54`...): mandatory for doctors and
    /// pharmacists.
    pub specialty: Option<String>,
    /// The structure identifier (`Identifiant_Structure`: type digit + FINESS, SIRET or RPPS
    /// rank).
    pub structure_id: String,
    /// The TRE_R02 activity sector of the structure (`codeSecteurDactivite`: `SA07`...).
    pub sector: String,
}

impl PscProfessional {
    /// A professional with no speciality; set [`PscProfessional::specialty`] for doctors and
    /// pharmacists.
    pub fn new(
        national_id: impl Into<String>,
        family_name: impl Into<String>,
        given_name: impl Into<String>,
        profession: impl Into<String>,
        structure_id: impl Into<String>,
        sector: impl Into<String>,
    ) -> Self {
        Self {
            national_id: national_id.into(),
            family_name: family_name.into(),
            given_name: given_name.into(),
            profession: profession.into(),
            specialty: None,
            structure_id: structure_id.into(),
            sector: sector.into(),
        }
    }

    /// With a speciality.
    pub fn with_specialty(mut self, specialty: impl Into<String>) -> Self {
        self.specialty = Some(specialty.into());
        self
    }
}

/// A VIHF's content, without issuer and signature.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Vihf {
    /// The assertion `ID`, a valid NCName (`_` + UUID).
    pub id: String,
    /// `IssueInstant` (also the `AuthnInstant`), with millisecond precision.
    pub issue_instant: DateTime<Utc>,
    /// `Conditions`: `NotBefore` and `NotOnOrAfter`, when set.
    pub validity: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// `Subject/NameID`: the user's identifier.
    pub name_id: String,
    /// `AuthnContextClassRef`.
    pub authn_class_ref: String,
    /// `AuthnContextDecl`, optional.
    pub authn_decl: Option<String>,
    /// `Authentification_mode`.
    pub mode: AuthenticationMode,
    /// `Identifiant_Structure`.
    pub structure_id: String,
    /// `Secteur_Activite` code (TRE_R02, `SA07`), written `SA07^1.2.250.1.71.4.2.4`.
    pub sector: String,
    /// `subject-id`: the user's name ("NOM Prénom") or the software for automated processing.
    pub subject_id: String,
    /// `role`: profession first, then speciality, then optional roles.
    pub roles: Vec<CodedValue>,
    /// `resource-id`: the patient, when the request is about one.
    pub patient: Option<PatientResourceId>,
    /// `Ressource_URN` (`urn:dmp`).
    pub resource_urn: String,
    /// `purposeofuse`.
    pub purpose_of_use: PurposeOfUse,
    /// `confidentiality-code`: only for the DMP's "connexion secrète".
    pub confidentiality: Option<CodedValue>,
    /// The LPS attributes.
    pub lps: Lps,
}

/// Builds a [`Vihf`], checking the DMP's rules.
#[derive(Debug, Clone)]
pub struct VihfBuilder {
    mode: AuthenticationMode,
    name_id: Option<String>,
    subject_id: Option<String>,
    structure_id: Option<String>,
    sector: Option<String>,
    roles: Vec<CodedValue>,
    patient: Option<PatientResourceId>,
    purpose_of_use: PurposeOfUse,
    confidentiality: Option<CodedValue>,
    lps: Option<Lps>,
    authn_class_ref: Option<String>,
    authn_decl: Option<String>,
    validity: Option<TimeDelta>,
    resource_urn: String,
}

impl VihfBuilder {
    /// A builder for the given mode; every other field is set through the methods below.
    pub fn new(mode: AuthenticationMode) -> Self {
        Self {
            mode,
            name_id: None,
            subject_id: None,
            structure_id: None,
            sector: None,
            roles: Vec::new(),
            patient: None,
            purpose_of_use: PurposeOfUse::Normal,
            confidentiality: None,
            lps: None,
            authn_class_ref: None,
            authn_decl: None,
            validity: None,
            resource_urn: codes::RESSOURCE_URN_DMP.to_owned(),
        }
    }

    /// An AIR (`INDIRECTE_RENFORCEE`) VIHF for a user logged in with Pro Santé Connect: NameID =
    /// the national id, subject-id = "NOM Prénom", profession and speciality roles, structure and
    /// sector; authentication context `MobileTwoFactorUnregistered` with the declaration
    /// `APP_BROWSER_AUTH`. Set the LPS (and the patient) before building.
    pub fn from_psc(professional: &PscProfessional) -> Self {
        let mut b = Self::new(AuthenticationMode::IndirecteRenforcee)
            .name_id(&professional.national_id)
            .subject_id(&format!(
                "{} {}",
                professional.family_name, professional.given_name
            ))
            .structure(&professional.structure_id, &professional.sector)
            .role(CodedValue::profession(&professional.profession))
            .authn_context(
                codes::AC_MOBILE_TWO_FACTOR,
                Some(codes::DECL_APP_BROWSER_AUTH),
            );
        if let Some(s) = &professional.specialty {
            b = b.role(CodedValue::specialty(s));
        }
        b
    }

    /// `Subject/NameID`: the user's identifier (IdNat_PS for a professional).
    pub fn name_id(mut self, name_id: &str) -> Self {
        self.name_id = Some(name_id.to_owned());
        self
    }

    /// `subject-id`: the user's name, or the software for automated processing.
    pub fn subject_id(mut self, subject_id: &str) -> Self {
        self.subject_id = Some(subject_id.to_owned());
        self
    }

    /// `Identifiant_Structure` and `Secteur_Activite` (a TRE_R02 code such as `SA07`; a
    /// `SA07^1.2.250.1.71.4.2.4` value is accepted too).
    pub fn structure(mut self, structure_id: &str, sector: &str) -> Self {
        self.structure_id = Some(structure_id.to_owned());
        let sector = sector
            .strip_suffix(&format!("^{}", codes::SECTOR))
            .unwrap_or(sector);
        self.sector = Some(sector.to_owned());
        self
    }

    /// Adds a role: the profession first, then the speciality (mandatory for doctors and
    /// pharmacists), then the optional roles.
    pub fn role(mut self, role: CodedValue) -> Self {
        self.roles.push(role);
        self
    }

    /// The patient (`resource-id`), from an [`Ins`] or a [`PatientResourceId`].
    pub fn patient(mut self, patient: impl Into<PatientResourceId>) -> Self {
        self.patient = Some(patient.into());
        self
    }

    /// The purpose of use (default [`PurposeOfUse::Normal`]).
    pub fn purpose_of_use(mut self, purpose: PurposeOfUse) -> Self {
        self.purpose_of_use = purpose;
        self
    }

    /// The confidentiality code, for the DMP's "connexion secrète" only.
    pub fn confidentiality(mut self, code: CodedValue) -> Self {
        self.confidentiality = Some(code);
        self
    }

    /// The software attributes.
    pub fn lps(mut self, lps: Lps) -> Self {
        self.lps = Some(lps);
        self
    }

    /// The authentication context (defaults: `SmartcardPKI` in DIRECTE mode, `TLSClient`
    /// otherwise, no declaration).
    pub fn authn_context(mut self, class_ref: &str, decl: Option<&str>) -> Self {
        self.authn_class_ref = Some(class_ref.to_owned());
        self.authn_decl = decl.map(str::to_owned);
        self
    }

    /// Adds `Conditions` valid from the issue instant for `lifetime` (none by default, as in
    /// the DMP samples).
    pub fn validity(mut self, lifetime: TimeDelta) -> Self {
        self.validity = Some(lifetime);
        self
    }

    /// `Ressource_URN` (default `urn:dmp`).
    pub fn resource_urn(mut self, urn: &str) -> Self {
        urn.clone_into(&mut self.resource_urn);
        self
    }

    /// Checks the fields and stamps the assertion: `ID` = `_` + a UUID drawn from `random`,
    /// `IssueInstant` = `clock`'s time truncated to the millisecond.
    pub fn build(&self, clock: &dyn Clock, random: &dyn Randomness) -> Result<Vihf, Error> {
        let required = |field: &'static str, v: &Option<String>| -> Result<String, Error> {
            match v.as_deref().map(str::trim) {
                Some(s) if !s.is_empty() => Ok(s.to_owned()),
                _ => Err(Error::invalid(field, "missing")),
            }
        };
        let name_id = required("NameID", &self.name_id)?;
        let subject_id = required("subject-id", &self.subject_id)?;
        let structure_id = required("Identifiant_Structure", &self.structure_id)?;
        let sector = required("Secteur_Activite", &self.sector)?;
        if !sector.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Error::invalid(
                "Secteur_Activite",
                format!("`{sector}` is not a TRE_R02 code"),
            ));
        }
        let lps = self
            .lps
            .clone()
            .ok_or_else(|| Error::invalid("LPS", "missing"))?;
        for (field, v) in [
            ("LPS_Nom", &lps.name),
            ("LPS_Version", &lps.version),
            ("LPS_ID_HOMOLOGATION_DMP", &lps.homologation),
        ] {
            if v.trim().is_empty() {
                return Err(Error::invalid(field, "missing"));
            }
        }
        check_roles(&self.roles)?;
        let mut texts: Vec<(&'static str, &str)> = vec![
            ("NameID", &name_id),
            ("subject-id", &subject_id),
            ("Identifiant_Structure", &structure_id),
            ("LPS_Nom", &lps.name),
            ("LPS_Version", &lps.version),
            ("LPS_ID_HOMOLOGATION_DMP", &lps.homologation),
            ("Ressource_URN", &self.resource_urn),
        ];
        if let Some(id) = &lps.id {
            texts.push(("LPS_ID", id));
        }
        for role in self.roles.iter().chain(&self.confidentiality) {
            texts.push(("role", &role.code));
            texts.push(("role", &role.code_system));
            texts.extend(role.display_name.as_deref().map(|d| ("role", d)));
            texts.extend(role.code_system_name.as_deref().map(|d| ("role", d)));
        }
        for (field, text) in texts {
            if let Some(c) = text.chars().find(|c| !is_xml_char(*c)) {
                return Err(Error::invalid(
                    field,
                    format!("contains U+{:04X}, which XML cannot carry", u32::from(c)),
                ));
            }
        }
        let now = truncate_millis(clock.now());
        Ok(Vihf {
            id: format!("_{}", random.uuid_v4()),
            issue_instant: now,
            validity: self.validity.map(|d| (now, now + d)),
            name_id,
            authn_class_ref: self
                .authn_class_ref
                .clone()
                .unwrap_or_else(|| self.mode.default_class_ref().to_owned()),
            authn_decl: self.authn_decl.clone(),
            mode: self.mode,
            structure_id,
            sector,
            subject_id,
            roles: self.roles.clone(),
            patient: self.patient,
            resource_urn: self.resource_urn.clone(),
            purpose_of_use: self.purpose_of_use,
            confidentiality: self.confidentiality.clone(),
            lps,
        })
    }
}

fn check_roles(roles: &[CodedValue]) -> Result<(), Error> {
    let first = roles
        .first()
        .ok_or_else(|| Error::invalid("role", "at least the profession is required"))?;
    if first.code_system == codes::PROFESSION && matches!(first.code.as_str(), "10" | "21") {
        let has_specialty = roles.get(1).is_some_and(|s| !s.code.trim().is_empty());
        if !has_specialty {
            return Err(Error::invalid(
                "role",
                format!(
                    "profession {} (médecin or pharmacien) needs a speciality as second role \
                     (the DMP rejects it: \"Spécialité obligatoire pour les Médecins\")",
                    first.code
                ),
            ));
        }
    }
    Ok(())
}

/// Whether XML 1.0 can carry `c` (escaped or not).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

fn truncate_millis(t: DateTime<Utc>) -> DateTime<Utc> {
    let millis = t.timestamp_millis();
    DateTime::from_timestamp_millis(millis).unwrap_or(t)
}

fn instant(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Whether `s` is an XML NCName (the `ID` type): a letter or `_` first, no colon.
pub fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let start = |c: char| c == '_' || c.is_alphabetic();
    start(first) && chars.all(|c| start(c) || c.is_numeric() || matches!(c, '-' | '.' | '\u{b7}'))
}

impl Vihf {
    /// Writes the assertion with `issuer` (the RFC 2253 subject DN of the signing certificate)
    /// and no signature. [`Vihf::to_xml_with_signature`] places a signature right after the
    /// issuer.
    pub fn to_unsigned_xml(&self, issuer: &str) -> Result<String, Error> {
        self.to_xml_with_signature(issuer, "")
    }

    /// Writes the assertion with `signature` (an `ds:Signature` element, or nothing) right after
    /// `Issuer`, as the SAML schema orders it.
    pub fn to_xml_with_signature(&self, issuer: &str, signature: &str) -> Result<String, Error> {
        if !is_ncname(&self.id) {
            return Err(Error::invalid(
                "ID",
                format!("`{}` is not an NCName", self.id),
            ));
        }
        if issuer.trim().is_empty() {
            return Err(Error::invalid("Issuer", "missing"));
        }
        let mut out = String::with_capacity(4096);
        out.push_str("<saml2:Assertion xmlns:saml2=\"");
        out.push_str(ns::SAML2);
        out.push_str("\" xmlns:xs=\"");
        out.push_str(ns::XS);
        out.push_str("\" xmlns:xsi=\"");
        out.push_str(ns::XSI);
        out.push_str("\" ID=\"");
        out.push_str(&escape_attr(&self.id));
        out.push_str("\" IssueInstant=\"");
        out.push_str(&instant(&self.issue_instant));
        out.push_str("\" Version=\"2.0\"><saml2:Issuer Format=\"");
        out.push_str(codes::ISSUER_FORMAT);
        out.push_str("\">");
        out.push_str(&escape_text(issuer));
        out.push_str("</saml2:Issuer>");
        out.push_str(signature);
        out.push_str("<saml2:Subject><saml2:NameID>");
        out.push_str(&escape_text(&self.name_id));
        out.push_str("</saml2:NameID></saml2:Subject>");
        if let Some((from, until)) = &self.validity {
            out.push_str("<saml2:Conditions NotBefore=\"");
            out.push_str(&instant(from));
            out.push_str("\" NotOnOrAfter=\"");
            out.push_str(&instant(until));
            out.push_str("\"/>");
        }
        out.push_str("<saml2:AuthnStatement AuthnInstant=\"");
        out.push_str(&instant(&self.issue_instant));
        out.push_str("\"><saml2:AuthnContext><saml2:AuthnContextClassRef>");
        out.push_str(&escape_text(&self.authn_class_ref));
        out.push_str("</saml2:AuthnContextClassRef>");
        if let Some(d) = &self.authn_decl {
            out.push_str("<saml2:AuthnContextDecl xsi:type=\"xs:string\">");
            out.push_str(&escape_text(d));
            out.push_str("</saml2:AuthnContextDecl>");
        }
        out.push_str("</saml2:AuthnContext></saml2:AuthnStatement><saml2:AttributeStatement>");
        let string = |out: &mut String, name: &str, value: &str| {
            out.push_str("<saml2:Attribute Name=\"");
            out.push_str(name);
            out.push_str("\"><saml2:AttributeValue xsi:type=\"xs:string\">");
            out.push_str(&escape_text(value));
            out.push_str("</saml2:AttributeValue></saml2:Attribute>");
        };
        let coded = |out: &mut String, name: &str, element: &str, values: &[&CodedValue]| {
            out.push_str("<saml2:Attribute Name=\"");
            out.push_str(name);
            out.push_str("\">");
            for v in values {
                out.push_str("<saml2:AttributeValue>");
                v.write(element, out);
                out.push_str("</saml2:AttributeValue>");
            }
            out.push_str("</saml2:Attribute>");
        };
        string(&mut out, ATTR_VERSION, codes::VIHF_VERSION);
        string(&mut out, ATTR_MODE, self.mode.as_str());
        string(&mut out, ATTR_STRUCTURE, &self.structure_id);
        string(
            &mut out,
            ATTR_SECTOR,
            &format!("{}^{}", self.sector, codes::SECTOR),
        );
        string(&mut out, ATTR_SUBJECT_ID, &self.subject_id);
        let roles: Vec<&CodedValue> = self.roles.iter().collect();
        coded(&mut out, ATTR_ROLE, "Role", &roles);
        if let Some(p) = &self.patient {
            string(&mut out, ATTR_RESOURCE_ID, &p.to_cx());
        }
        string(&mut out, ATTR_RESOURCE_URN, &self.resource_urn);
        let purpose = CodedValue::new(self.purpose_of_use.code(), codes::PURPOSE_OF_USE)
            .with_code_system_name("mode acces VIHF 2.0")
            .with_display_name(self.purpose_of_use.display());
        coded(&mut out, ATTR_PURPOSE, "PurposeOfUse", &[&purpose]);
        if let Some(c) = &self.confidentiality {
            coded(&mut out, ATTR_CONFIDENTIALITY, "ConfidentialityCode", &[c]);
        }
        if let Some(id) = &self.lps.id {
            string(&mut out, ATTR_LPS_ID, id);
        }
        string(&mut out, ATTR_LPS_NAME, &self.lps.name);
        string(&mut out, ATTR_LPS_VERSION, &self.lps.version);
        string(&mut out, ATTR_LPS_HOMOLOGATION, &self.lps.homologation);
        out.push_str("</saml2:AttributeStatement></saml2:Assertion>");
        Ok(out)
    }
}

/// A VIHF read from XML (its signature is not checked by [`ParsedVihf::parse`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParsedVihf {
    /// The content.
    pub vihf: Vihf,
    /// The `Issuer` (the signer's DN).
    pub issuer: String,
    /// The `VIHF_Version` found.
    pub version: String,
    /// Whether a `ds:Signature` sits right after `Issuer`.
    pub signed: bool,
}

impl ParsedVihf {
    /// Reads a VIHF (a standalone `saml2:Assertion`) and checks its shape and mandatory
    /// attributes. The signature is not verified here.
    pub fn parse(input: &[u8]) -> Result<Self, Error> {
        let doc = xml::parse(input, &Limits::default().with_max_bytes(1024 * 1024))?;
        Self::from_element(&doc.root)
    }

    pub(crate) fn from_element(root: &Element) -> Result<Self, Error> {
        if !root.is(ns::SAML2, "Assertion") {
            return Err(Error::malformed(root.name(), "not a SAML 2.0 Assertion"));
        }
        let attr = |name: &str| {
            root.attr(name)
                .ok_or_else(|| Error::malformed("Assertion", format!("no @{name}")))
        };
        if attr("Version")? != "2.0" {
            return Err(Error::malformed("Assertion", "Version is not 2.0"));
        }
        let id = attr("ID")?.to_owned();
        if !is_ncname(&id) {
            return Err(Error::malformed("Assertion", "ID is not an NCName"));
        }
        let issue_instant = parse_instant("IssueInstant", attr("IssueInstant")?)?;
        let mut children = root.elements();
        let issuer_el = children
            .next()
            .filter(|e| e.is(ns::SAML2, "Issuer"))
            .ok_or_else(|| Error::malformed("Assertion", "Issuer is not the first child"))?;
        let signed = children.next().is_some_and(|e| e.is(ns::DS, "Signature"));
        let child = |name: &str| {
            root.child(ns::SAML2, name)
                .ok_or_else(|| Error::malformed("Assertion", format!("no <{name}>")))
        };
        let name_id = child("Subject")?
            .child(ns::SAML2, "NameID")
            .ok_or_else(|| Error::malformed("Subject", "no <NameID>"))?
            .text();
        let validity = match root.child(ns::SAML2, "Conditions") {
            Some(c) => {
                let get = |n: &str| {
                    c.attr(n)
                        .ok_or_else(|| Error::malformed("Conditions", format!("no @{n}")))
                        .and_then(|v| parse_instant("Conditions", v))
                };
                Some((get("NotBefore")?, get("NotOnOrAfter")?))
            }
            None => None,
        };
        let context = child("AuthnStatement")?
            .child(ns::SAML2, "AuthnContext")
            .ok_or_else(|| Error::malformed("AuthnStatement", "no <AuthnContext>"))?;
        let authn_class_ref = context
            .child(ns::SAML2, "AuthnContextClassRef")
            .map(|e| e.text().trim().to_owned())
            .unwrap_or_default();
        let authn_decl = context
            .child(ns::SAML2, "AuthnContextDecl")
            .map(|e| e.text().trim().to_owned());
        let statement = child("AttributeStatement")?;
        let find = |name: &str| {
            statement
                .children_named(ns::SAML2, "Attribute")
                .find(|a| a.attr("Name").is_some_and(|n| n.eq_ignore_ascii_case(name)))
        };
        let string = |name: &str| -> Option<String> {
            find(name)
                .and_then(|a| a.child(ns::SAML2, "AttributeValue"))
                .map(|v| v.text().trim().to_owned())
        };
        let required = |name: &'static str| {
            string(name).ok_or_else(|| {
                Error::malformed("AttributeStatement", format!("no {name} attribute"))
            })
        };
        let coded = |name: &str| -> Result<Vec<CodedValue>, Error> {
            let Some(a) = find(name) else {
                return Ok(Vec::new());
            };
            a.children_named(ns::SAML2, "AttributeValue")
                .map(|v| {
                    v.elements()
                        .next()
                        .ok_or_else(|| Error::malformed("AttributeValue", "no coded value"))
                        .and_then(CodedValue::read)
                })
                .collect()
        };
        let version = required(ATTR_VERSION)?;
        let mode_s = required(ATTR_MODE)?;
        let mode = AuthenticationMode::parse(&mode_s).ok_or_else(|| {
            Error::malformed(
                "AttributeStatement",
                format!("unknown authentication mode `{mode_s}`"),
            )
        })?;
        let sector = required(ATTR_SECTOR)?;
        let sector = sector
            .split_once('^')
            .map_or(sector.as_str(), |(c, _)| c)
            .to_owned();
        let purpose = coded(ATTR_PURPOSE)?;
        let purpose_of_use = match purpose.first() {
            Some(p) => PurposeOfUse::parse(&p.code).ok_or_else(|| {
                Error::malformed(
                    "AttributeStatement",
                    format!("unknown purpose of use `{}`", p.code),
                )
            })?,
            None => {
                return Err(Error::malformed(
                    "AttributeStatement",
                    "no purposeofuse attribute",
                ));
            }
        };
        let patient = match string(ATTR_RESOURCE_ID) {
            Some(cx) => Some(PatientResourceId::from_cx(&cx)?),
            None => None,
        };
        let vihf = Vihf {
            id,
            issue_instant,
            validity,
            name_id,
            authn_class_ref,
            authn_decl,
            mode,
            structure_id: required(ATTR_STRUCTURE)?,
            sector,
            subject_id: required(ATTR_SUBJECT_ID)?,
            roles: coded(ATTR_ROLE)?,
            patient,
            resource_urn: required(ATTR_RESOURCE_URN)?,
            purpose_of_use,
            confidentiality: coded(ATTR_CONFIDENTIALITY)?.into_iter().next(),
            lps: Lps {
                id: string(ATTR_LPS_ID),
                name: required(ATTR_LPS_NAME)?,
                version: required(ATTR_LPS_VERSION)?,
                homologation: required(ATTR_LPS_HOMOLOGATION)?,
            },
        };
        Ok(Self {
            vihf,
            issuer: issuer_el.text(),
            version,
            signed,
        })
    }
}

fn parse_instant(what: &str, v: &str) -> Result<DateTime<Utc>, Error> {
    DateTime::parse_from_rfc3339(v.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| Error::malformed(what, format!("`{v}` is not an xs:dateTime")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use segur_transport::{FixedClock, SeededRandomness};

    fn lps() -> Lps {
        Lps::new("MON-LPS", "0.1.0", "NumAutorisation").with_id("01.01.01.01")
    }

    fn doctor() -> VihfBuilder {
        VihfBuilder::new(AuthenticationMode::Indirecte)
            .name_id("899900063480")
            .subject_id("LIBRE Max")
            .structure("499900063480001", "SA07")
            .role(CodedValue::profession("10").with_display_name("Médecin"))
            .role(CodedValue::specialty("SM26"))
            .patient(
                PatientResourceId::from_cx("279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH")
                    .unwrap(),
            )
            .lps(lps())
    }

    fn env() -> (FixedClock, SeededRandomness) {
        (
            FixedClock::from_rfc3339("2026-11-22T08:00:00.123456Z").unwrap(),
            SeededRandomness::new(5),
        )
    }

    #[test]
    fn build_write_parse_round_trip() {
        let (clock, random) = env();
        let v = doctor()
            .purpose_of_use(PurposeOfUse::BrisDeGlace)
            .validity(TimeDelta::hours(1))
            .build(&clock, &random)
            .unwrap();
        assert!(v.id.starts_with('_') && is_ncname(&v.id));
        let xml = v
            .to_unsigned_xml("CN=DMP SIGN TEST,O=STRUCTURE & CO,C=FR")
            .unwrap();
        assert!(xml.contains("IssueInstant=\"2026-11-22T08:00:00.123Z\""));
        assert!(xml.contains("SA07^1.2.250.1.71.4.2.4"));
        let parsed = ParsedVihf::parse(xml.as_bytes()).unwrap();
        assert_eq!(parsed.vihf, v);
        assert_eq!(parsed.issuer, "CN=DMP SIGN TEST,O=STRUCTURE & CO,C=FR");
        assert_eq!(parsed.version, "3.0");
        assert!(!parsed.signed);
        // same inputs, same bytes
        let (clock, random) = env();
        let again = doctor()
            .purpose_of_use(PurposeOfUse::BrisDeGlace)
            .validity(TimeDelta::hours(1))
            .build(&clock, &random)
            .unwrap();
        assert_eq!(
            again
                .to_unsigned_xml("CN=DMP SIGN TEST,O=STRUCTURE & CO,C=FR")
                .unwrap(),
            xml
        );
    }

    #[test]
    fn doctors_and_pharmacists_need_a_specialty() {
        let (clock, random) = env();
        for profession in ["10", "21"] {
            let err = VihfBuilder::new(AuthenticationMode::Directe)
                .name_id("899900063480")
                .subject_id("X")
                .structure("499900063480001", "SA07")
                .role(CodedValue::profession(profession))
                .lps(lps())
                .build(&clock, &random)
                .unwrap_err();
            assert!(matches!(
                err.kind(),
                ErrorKind::InvalidInput { field: "role", .. }
            ));
        }
        // a nurse does not
        VihfBuilder::new(AuthenticationMode::Directe)
            .name_id("899900063480")
            .subject_id("X")
            .structure("499900063480001", "SA07")
            .role(CodedValue::profession("60"))
            .lps(lps())
            .build(&clock, &random)
            .unwrap();
    }

    #[test]
    fn missing_fields_are_named() {
        let (clock, random) = env();
        let err = VihfBuilder::new(AuthenticationMode::Indirecte)
            .build(&clock, &random)
            .unwrap_err();
        assert_eq!(err.to_string(), "invalid NameID: missing");
        let err = doctor()
            .lps(Lps::new("X", "1", " "))
            .build(&clock, &random)
            .unwrap_err();
        assert_eq!(err.to_string(), "invalid LPS_ID_HOMOLOGATION_DMP: missing");
    }

    #[test]
    fn psc_professional_gives_an_air_vihf() {
        let (clock, random) = env();
        let p = PscProfessional::new(
            "899700218896",
            "NOM",
            "Paul",
            "10",
            "499900063480001",
            "SA07",
        )
        .with_specialty("SM54");
        let v = VihfBuilder::from_psc(&p)
            .lps(lps())
            .build(&clock, &random)
            .unwrap();
        assert_eq!(v.mode, AuthenticationMode::IndirecteRenforcee);
        assert_eq!(v.subject_id, "NOM Paul");
        assert_eq!(v.roles[1].code, "SM54");
        assert_eq!(v.authn_decl.as_deref(), Some("APP_BROWSER_AUTH"));
        let without = PscProfessional {
            specialty: None,
            ..p
        };
        assert!(
            VihfBuilder::from_psc(&without)
                .lps(lps())
                .build(&clock, &random)
                .is_err()
        );
    }

    #[test]
    fn resource_ids_and_ncnames() {
        let cx = "279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH";
        let p = PatientResourceId::from_cx(cx).unwrap();
        assert_eq!(p.to_cx(), cx);
        assert_eq!(PatientResourceId::from(*p.ins()), p);
        for bad in [
            "279035121518988^^^&1.2.250.1.213.1.4.10&ISO^NH",
            "279035121518989^^^&1.2.3&ISO^NH",
            "279035121518989^^^&1.2.250.1.213.1.4.10&ISO^PI",
            "12",
        ] {
            let err = PatientResourceId::from_cx(bad).unwrap_err();
            assert!(!err.to_string().contains("27903512151898"), "{err}");
        }
        assert!(!format!("{p:?}").contains("2790"));
        assert!(is_ncname("_a-1.b") && is_ncname("VIHF-1"));
        assert!(!is_ncname("1abc") && !is_ncname("a:b") && !is_ncname(""));
    }

    #[test]
    fn reads_the_official_sample_shape() {
        let xml = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/corpus/xds/samples/generated-test-vectors/vihf-v3-indirecte-signed-rsa-sha256.xml"
        ))
        .unwrap();
        let v = ParsedVihf::parse(&xml).unwrap();
        assert!(v.signed);
        assert_eq!(v.vihf.mode, AuthenticationMode::Indirecte);
        assert_eq!(v.vihf.roles.len(), 2);
        assert_eq!(v.vihf.sector, "SA07");
    }
}
