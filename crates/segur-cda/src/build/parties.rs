//! The people and organisations of the header: patient, health professionals, organisations,
//! devices; their identifiers, names, addresses and contacts.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset};

use crate::model::{
    Addr, AddrPart, Code, Device, Ii, Name, NamePart, NamePartKind, Organization, Patient, Person,
    Place, Role, Telecom, Time,
};
use crate::valuesets::{self, ValueSet};

use super::error::{ProblemKind, Problems};

/// OID of the national health-professional identifiers (RPPS with prefix `8`, ADELI with `0`).
pub const PS_ID_ROOT: &str = "1.2.250.1.71.4.2.1";
/// OID of the national structure identifiers (FINESS with prefix `1`, SIRET with `3`).
pub const STRUCTURE_ID_ROOT: &str = "1.2.250.1.71.4.2.2";

/// How a health professional is identified.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ProfessionalId {
    /// RPPS number (11 digits), written `8` + RPPS under `1.2.250.1.71.4.2.1`.
    Rpps(String),
    /// ADELI number (9 characters), written `0` + ADELI under `1.2.250.1.71.4.2.1`.
    Adeli(String),
    /// Any other identifier (root OID and extension), e.g. a local id for a device.
    Other {
        /// The OID.
        root: String,
        /// The identifier.
        extension: String,
    },
}

impl ProfessionalId {
    pub(crate) fn to_model(&self, field: &str, problems: &mut Problems) -> Ii<'static> {
        match self {
            Self::Rpps(n) => prefixed_national_id(
                NationalId {
                    root: PS_ID_ROOT,
                    prefix: '8',
                    len: 11,
                    allowed: u8::is_ascii_digit,
                    reason: "an RPPS number has 11 digits",
                },
                n,
                field,
                problems,
            ),
            Self::Adeli(n) => prefixed_national_id(
                NationalId {
                    root: PS_ID_ROOT,
                    prefix: '0',
                    len: 9,
                    allowed: u8::is_ascii_alphanumeric,
                    reason: "an ADELI number has 9 characters",
                },
                n,
                field,
                problems,
            ),
            Self::Other { root, extension } => other_id(field, root, extension, problems),
        }
    }
}

/// The shape of a national identifier written as a one-character type prefix + the number under
/// a national root (IdNat_PS, IdNat_Struct).
struct NationalId {
    root: &'static str,
    prefix: char,
    len: usize,
    allowed: fn(&u8) -> bool,
    reason: &'static str,
}

/// Checks `number` against `kind` (a problem on `field` if it does not fit) and writes it.
fn prefixed_national_id(
    kind: NationalId,
    number: &str,
    field: &str,
    problems: &mut Problems,
) -> Ii<'static> {
    if number.len() != kind.len || !number.bytes().all(|b| (kind.allowed)(&b)) {
        problems.push(
            field,
            ProblemKind::InvalidId {
                reason: kind.reason.into(),
            },
        );
    }
    Ii::with_extension(kind.root, format!("{}{number}", kind.prefix))
}

/// How a health organisation is identified.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum OrganizationId {
    /// FINESS number (9 characters), written `1` + FINESS under `1.2.250.1.71.4.2.2`.
    Finess(String),
    /// SIRET number (14 digits), written `3` + SIRET under `1.2.250.1.71.4.2.2`.
    Siret(String),
    /// Any other identifier (root OID and extension).
    Other {
        /// The OID.
        root: String,
        /// The identifier.
        extension: String,
    },
}

impl OrganizationId {
    pub(crate) fn to_model(&self, field: &str, problems: &mut Problems) -> Ii<'static> {
        match self {
            Self::Finess(n) => prefixed_national_id(
                NationalId {
                    root: STRUCTURE_ID_ROOT,
                    prefix: '1',
                    len: 9,
                    allowed: u8::is_ascii_alphanumeric,
                    reason: "a FINESS number has 9 characters",
                },
                n,
                field,
                problems,
            ),
            Self::Siret(n) => prefixed_national_id(
                NationalId {
                    root: STRUCTURE_ID_ROOT,
                    prefix: '3',
                    len: 14,
                    allowed: u8::is_ascii_digit,
                    reason: "a SIRET number has 14 digits",
                },
                n,
                field,
                problems,
            ),
            Self::Other { root, extension } => other_id(field, root, extension, problems),
        }
    }
}

/// An identifier given as root OID (+ optional extension), e.g. a document id.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
pub struct Identifier {
    /// The OID (or UUID, upper case).
    pub root: String,
    /// The extension.
    #[cfg_attr(feature = "serde", serde(default))]
    pub extension: Option<String>,
}

impl Identifier {
    /// An identifier with a root and an extension.
    pub fn new(root: impl Into<String>, extension: impl Into<String>) -> Self {
        Self {
            root: root.into(),
            extension: Some(extension.into()),
        }
    }

    /// An identifier that is just a root.
    pub fn root(root: impl Into<String>) -> Self {
        Self {
            root: root.into(),
            extension: None,
        }
    }

    pub(crate) fn to_model(&self, field: &str, problems: &mut Problems) -> Ii<'static> {
        if !super::is_oid(&self.root) && !is_upper_uuid(&self.root) {
            problems.push(
                field,
                ProblemKind::InvalidId {
                    reason: "the root must be an OID or an upper-case UUID".into(),
                },
            );
        }
        match &self.extension {
            Some(e) => {
                if e.trim().is_empty() {
                    problems.push(field, ProblemKind::Empty);
                }
                Ii::with_extension(self.root.clone(), e.clone())
            }
            None => Ii::new(self.root.clone()),
        }
    }
}

fn other_id(field: &str, root: &str, extension: &str, problems: &mut Problems) -> Ii<'static> {
    Identifier::new(root, extension).to_model(field, problems)
}

fn is_upper_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_digit() || (b'A'..=b'F').contains(&b),
        })
}

/// A person's name: civility, given names, family name, title.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct PersonName {
    /// Civility code (`JDV_J245_Civilite_CISIS`: `M`, `MME`).
    pub prefix: Option<String>,
    /// Given names.
    pub given: Vec<String>,
    /// Family name (mandatory).
    pub family: String,
    /// Title code (`JDV_J246_Titre_CISIS`: `DR`, `PR`, ...).
    pub suffix: Option<String>,
}

impl PersonName {
    /// A name with given and family names.
    pub fn new(given: impl Into<String>, family: impl Into<String>) -> Self {
        Self {
            given: vec![given.into()],
            family: family.into(),
            ..Self::default()
        }
    }

    /// The same name with a civility code (`M`, `MME`).
    #[must_use]
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    /// The same name with a title code (`DR`, ...).
    #[must_use]
    pub fn with_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.suffix = Some(suffix.into());
        self
    }

    pub(crate) fn to_model(&self, field: &str, problems: &mut Problems) -> Name<'static> {
        let mut parts = Vec::new();
        if let Some(p) = &self.prefix {
            code_in(
                &format!("{field}.prefix"),
                &valuesets::CIVILITY,
                p,
                problems,
            );
            parts.push(NamePart::new(NamePartKind::Prefix, p.clone()));
        }
        for g in &self.given {
            if g.trim().is_empty() {
                problems.push(format!("{field}.given"), ProblemKind::Empty);
            }
            parts.push(NamePart::new(NamePartKind::Given, g.clone()));
        }
        problems.text(&format!("{field}.family"), Some(&self.family));
        parts.push(NamePart::new(NamePartKind::Family, self.family.clone()));
        if let Some(s) = &self.suffix {
            code_in(&format!("{field}.suffix"), &valuesets::TITLE, s, problems);
            parts.push(NamePart::new(NamePartKind::Suffix, s.clone()));
        }
        Name {
            parts,
            ..Name::default()
        }
    }
}

/// A postal address.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct Address {
    /// House number.
    pub house_number: Option<String>,
    /// Street name.
    pub street_name: Option<String>,
    /// Complement (building, staircase: `unitID`).
    pub unit: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Country.
    pub country: Option<String>,
}

impl Address {
    pub(crate) fn to_model(&self) -> Addr<'static> {
        let parts = [
            ("houseNumber", &self.house_number),
            ("streetName", &self.street_name),
            ("unitID", &self.unit),
            ("postalCode", &self.postal_code),
            ("city", &self.city),
            ("country", &self.country),
        ]
        .into_iter()
        .filter_map(|(name, v)| {
            v.as_ref().map(|v| AddrPart {
                name: Some(Cow::Borrowed(name)),
                value: Cow::Owned(v.clone()),
            })
        })
        .collect();
        Addr {
            parts,
            ..Addr::default()
        }
    }
}

/// A telecom address: `tel:...`, `fax:...`, `mailto:...` with an optional use (`H`, `WP`,
/// `MC`, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
pub struct Contact {
    /// The URL (`tel:0102030405`).
    pub value: String,
    /// `@use`.
    #[cfg_attr(feature = "serde", serde(default, rename = "use"))]
    pub use_: Option<String>,
}

impl Contact {
    /// A work phone number (`use="WP"`).
    pub fn work_phone(number: &str) -> Self {
        Self {
            value: format!("tel:{number}"),
            use_: Some("WP".into()),
        }
    }

    pub(crate) fn to_model(&self, field: &str, problems: &mut Problems) -> Telecom<'static> {
        const SCHEMES: [&str; 6] = ["tel:", "fax:", "mailto:", "http:", "https:", "ftp:"];
        if !SCHEMES.iter().any(|s| self.value.starts_with(s)) || self.value.len() < 5 {
            problems.push(
                field,
                ProblemKind::Invalid {
                    reason: "a telecom is a tel:, fax:, mailto:, http(s): or ftp: URL".into(),
                },
            );
        }
        const USES: [&str; 9] = ["H", "HP", "HV", "WP", "DIR", "PUB", "EC", "MC", "PG"];
        if let Some(u) = &self.use_
            && !USES.contains(&u.as_str())
        {
            problems.push(
                field,
                ProblemKind::Invalid {
                    reason: format!("telecom use {u:?} is not one of {USES:?}"),
                },
            );
        }
        Telecom {
            value: Some(Cow::Owned(self.value.clone())),
            use_: self.use_.clone().map(Cow::Owned),
            null_flavor: None,
        }
    }
}

/// A health organisation: id, name, contacts, practice setting.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct HealthOrganization {
    /// FINESS, SIRET or other id.
    pub id: Option<OrganizationId>,
    /// Name.
    pub name: Option<String>,
    /// Phone, mail.
    pub telecoms: Vec<Contact>,
    /// Postal address.
    pub address: Option<Address>,
    /// Practice setting (`JDV_J04_XdsPracticeSettingCode_CISIS`, e.g. `ETABLISSEMENT`).
    pub practice_setting: Option<String>,
}

impl HealthOrganization {
    /// An organisation with a FINESS number and a name.
    pub fn finess(finess: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            id: Some(OrganizationId::Finess(finess.into())),
            name: Some(name.into()),
            ..Self::default()
        }
    }

    pub(crate) fn to_model(&self, field: &str, problems: &mut Problems) -> Organization<'static> {
        let ids = self
            .id
            .iter()
            .map(|i| i.to_model(&format!("{field}.id"), problems))
            .collect();
        if let Some(n) = &self.name {
            problems.text(&format!("{field}.name"), Some(n));
        }
        Organization {
            ids,
            names: self.name.iter().map(|n| Cow::Owned(n.clone())).collect(),
            telecoms: self
                .telecoms
                .iter()
                .enumerate()
                .map(|(i, t)| t.to_model(&format!("{field}.telecom[{i}]"), problems))
                .collect(),
            addrs: self.address.iter().map(Address::to_model).collect(),
            standard_industry_class_code: self.practice_setting.as_ref().map(|c| {
                code_in(
                    &format!("{field}.practice_setting"),
                    &valuesets::PRACTICE_SETTING,
                    c,
                    problems,
                )
            }),
            extensions: Vec::new(),
        }
    }
}

/// A health professional: national id, name, specialty, contacts, organisation.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct Professional {
    /// RPPS, ADELI or other id (mandatory).
    pub id: Option<ProfessionalId>,
    /// Name (family name mandatory).
    pub name: Option<PersonName>,
    /// Profession / specialty code (`JDV_J01_XdsAuthorSpecialty_CISIS`, e.g. `G15_10/SM26`).
    pub specialty: Option<String>,
    /// Postal address.
    pub address: Option<Address>,
    /// Phone, mail.
    pub telecoms: Vec<Contact>,
    /// The organisation the professional acts for.
    pub organization: Option<HealthOrganization>,
}

impl Professional {
    /// A professional identified by RPPS number, with a name.
    pub fn rpps(rpps: impl Into<String>, name: PersonName) -> Self {
        Self {
            id: Some(ProfessionalId::Rpps(rpps.into())),
            name: Some(name),
            ..Self::default()
        }
    }

    /// The same professional with a specialty code.
    #[must_use]
    pub fn with_specialty(mut self, code: impl Into<String>) -> Self {
        self.specialty = Some(code.into());
        self
    }

    /// The same professional acting for an organisation.
    #[must_use]
    pub fn with_organization(mut self, org: HealthOrganization) -> Self {
        self.organization = Some(org);
        self
    }

    /// The role element (`assignedAuthor`, `assignedEntity`, `associatedEntity`, ...) for this
    /// professional.
    pub(crate) fn to_role(
        &self,
        tag: &'static str,
        field: &str,
        problems: &mut Problems,
    ) -> Role<'static> {
        let ids = match &self.id {
            Some(id) => vec![id.to_model(&format!("{field}.id"), problems)],
            None => {
                problems.missing(format!("{field}.id"));
                Vec::new()
            }
        };
        let person = match &self.name {
            Some(n) => Some(Person {
                names: vec![n.to_model(&format!("{field}.name"), problems)],
                ..Person::default()
            }),
            None => {
                problems.missing(format!("{field}.name"));
                None
            }
        };
        Role {
            ids,
            code: self.specialty.as_ref().map(|c| {
                code_in(
                    &format!("{field}.specialty"),
                    &valuesets::AUTHOR_SPECIALTY,
                    c,
                    problems,
                )
            }),
            addrs: self.address.iter().map(Address::to_model).collect(),
            telecoms: self
                .telecoms
                .iter()
                .enumerate()
                .map(|(i, t)| t.to_model(&format!("{field}.telecom[{i}]"), problems))
                .collect(),
            person,
            organization: self
                .organization
                .as_ref()
                .map(|o| Box::new(o.to_model(&format!("{field}.organization"), problems))),
            ..Role::new(tag)
        }
    }
}

/// Software authoring a document on its own (`assignedAuthoringDevice`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct AuthoringDevice {
    /// The device id (mandatory; e.g. `Other` under the vendor's OID).
    pub id: Option<ProfessionalId>,
    /// Model name (mandatory).
    pub manufacturer_model_name: String,
    /// Software name (mandatory).
    pub software_name: String,
    /// The organisation operating the device.
    pub organization: Option<HealthOrganization>,
}

/// The author of a document: a professional or a device, at a time.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
pub struct Author {
    /// When the author wrote the document.
    pub time: DateTime<FixedOffset>,
    /// Function code (`JDV_J47_FunctionCode_CISIS`, e.g. `ATTPHYS`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub function: Option<String>,
    /// A professional, or a device.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub who: AuthorKind,
}

/// Who authored.
#[expect(
    clippy::large_enum_variant,
    reason = "built once per document; boxing would only add noise"
)]
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum AuthorKind {
    /// A health professional.
    Professional(Professional),
    /// Software.
    Device(AuthoringDevice),
}

impl Author {
    /// A professional author at a time.
    pub fn professional(professional: Professional, time: DateTime<FixedOffset>) -> Self {
        Self {
            time,
            function: None,
            who: AuthorKind::Professional(professional),
        }
    }

    pub(crate) fn to_role(&self, field: &str, problems: &mut Problems) -> Role<'static> {
        match &self.who {
            AuthorKind::Professional(p) => p.to_role("assignedAuthor", field, problems),
            AuthorKind::Device(d) => {
                let ids = match &d.id {
                    Some(id) => vec![id.to_model(&format!("{field}.id"), problems)],
                    None => {
                        problems.missing(format!("{field}.id"));
                        Vec::new()
                    }
                };
                problems.text(
                    &format!("{field}.manufacturer_model_name"),
                    Some(&d.manufacturer_model_name),
                );
                problems.text(&format!("{field}.software_name"), Some(&d.software_name));
                Role {
                    ids,
                    device: Some(Device {
                        manufacturer_model_name: Some(Cow::Owned(
                            d.manufacturer_model_name.clone(),
                        )),
                        software_name: Some(Cow::Owned(d.software_name.clone())),
                        extensions: Vec::new(),
                    }),
                    organization: d
                        .organization
                        .as_ref()
                        .map(|o| Box::new(o.to_model(&format!("{field}.organization"), problems))),
                    ..Role::new("assignedAuthor")
                }
            }
        }
    }
}

/// The patient: INS (with its OID) and strict identity traits, local ids, contacts.
///
/// Build it from `segur-ins` types with [`PatientInfo::from_ins`]; the INS given as text (e.g.
/// from JSON) is checked with `segur-ins` when the document is built.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize, serde::Serialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct PatientInfo {
    /// The INS: OID (`1.2.250.1.213.1.4.8` INS-NIR, `.9` INS-NIA, `.10` test, `.11` demo) and
    /// the 15-character matricule.
    pub ins: Option<Identifier>,
    /// Other ids (IPP under the facility's OID, ...), written after the INS.
    pub local_ids: Vec<Identifier>,
    /// Birth family name (`family qualifier="BR"`), mandatory.
    pub birth_name: String,
    /// Birth given names, in order (the first one is the "premier prénom"), mandatory.
    pub given_names: Vec<String>,
    /// Used family name (`family qualifier="CL"`).
    pub used_name: Option<String>,
    /// Used given name (`given qualifier="CL"`).
    pub used_given_name: Option<String>,
    /// Administrative sex code (`JDV_J143`: `F`, `M`, `UN`), mandatory.
    pub sex: String,
    /// Birth date as HL7 `AAAAMMJJ` (or `AAAAMM`, `AAAA` when partly unknown), mandatory.
    pub birth_date: Option<String>,
    /// INSEE code (COG) of the birth place (mandatory with an INS).
    pub birthplace_code: Option<String>,
    /// Postal address.
    pub address: Option<Address>,
    /// Phone, mail.
    pub telecoms: Vec<Contact>,
}

impl PatientInfo {
    /// The patient identified by an INS with its strict traits (from `segur-ins`).
    pub fn from_ins(ins: &segur_ins::Ins, traits: &segur_ins::IdentityTraits) -> Self {
        Self {
            ins: Some(Identifier::new(ins.cda_root(), ins.cda_extension())),
            birth_name: traits.birth_name().to_owned(),
            given_names: traits.first_names().to_vec(),
            sex: traits.sex().code().to_owned(),
            birth_date: traits.birth_date().to_cda(),
            birthplace_code: traits.birthplace().map(|c| c.as_str().to_owned()),
            ..Self::default()
        }
    }

    pub(crate) fn to_role(&self, problems: &mut Problems) -> Role<'static> {
        let mut ids = Vec::new();
        match &self.ins {
            Some(ins) => {
                if let Err(reason) = check_ins(&ins.root, ins.extension.as_deref().unwrap_or("")) {
                    problems.push("patient.ins", ProblemKind::InvalidIns { reason });
                }
                ids.push(Ii::with_extension(
                    ins.root.clone(),
                    ins.extension.clone().unwrap_or_default(),
                ));
            }
            None => problems.missing("patient.ins"),
        }
        for (i, id) in self.local_ids.iter().enumerate() {
            let field = format!("patient.local_ids[{i}]");
            if id.extension.is_none() {
                problems.missing(format!("{field}.extension"));
            }
            ids.push(id.to_model(&field, problems));
        }
        let mut parts = Vec::new();
        problems.text("patient.birth_name", Some(&self.birth_name));
        parts.push(NamePart {
            qualifier: Some(Cow::Borrowed("BR")),
            ..NamePart::new(NamePartKind::Family, self.birth_name.clone())
        });
        match self.given_names.first() {
            None => problems.missing("patient.given_names"),
            Some(first) => {
                if self.given_names.iter().any(|g| g.trim().is_empty()) {
                    problems.push("patient.given_names", ProblemKind::Empty);
                }
                // all birth given names (no qualifier), then the first one (BR)
                parts.push(NamePart::new(
                    NamePartKind::Given,
                    self.given_names.join(" "),
                ));
                parts.push(NamePart {
                    qualifier: Some(Cow::Borrowed("BR")),
                    ..NamePart::new(NamePartKind::Given, first.clone())
                });
            }
        }
        if let Some(u) = &self.used_name {
            problems.text("patient.used_name", Some(u));
            parts.push(NamePart {
                qualifier: Some(Cow::Borrowed("CL")),
                ..NamePart::new(NamePartKind::Family, u.clone())
            });
        }
        if let Some(u) = &self.used_given_name {
            problems.text("patient.used_given_name", Some(u));
            parts.push(NamePart {
                qualifier: Some(Cow::Borrowed("CL")),
                ..NamePart::new(NamePartKind::Given, u.clone())
            });
        }
        let gender = if self.sex.is_empty() {
            problems.missing("patient.sex");
            None
        } else {
            Some(code_in(
                "patient.sex",
                &valuesets::ADMINISTRATIVE_GENDER,
                &self.sex,
                problems,
            ))
        };
        let birth_time = match &self.birth_date {
            Some(d) => {
                if let Err(e) = segur_ins::BirthDate::from_cda(d) {
                    problems.push(
                        "patient.birth_date",
                        ProblemKind::Invalid {
                            reason: e.to_string(),
                        },
                    );
                }
                Some(Time::ts(d.clone()))
            }
            None => {
                problems.missing("patient.birth_date");
                None
            }
        };
        let birthplace = match &self.birthplace_code {
            Some(cog) => {
                if cog.len() != 5 || !cog.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    problems.push(
                        "patient.birthplace_code",
                        ProblemKind::Invalid {
                            reason: "an INSEE COG code has 5 characters".into(),
                        },
                    );
                }
                Some(Place {
                    addr: Some(Addr {
                        parts: vec![AddrPart {
                            name: Some(Cow::Borrowed("county")),
                            value: Cow::Owned(cog.clone()),
                        }],
                        ..Addr::default()
                    }),
                    ..Place::default()
                })
            }
            None => {
                if self.ins.is_some() {
                    problems.missing("patient.birthplace_code");
                }
                None
            }
        };
        Role {
            ids,
            addrs: self.address.iter().map(Address::to_model).collect(),
            telecoms: self
                .telecoms
                .iter()
                .enumerate()
                .map(|(i, t)| t.to_model(&format!("patient.telecom[{i}]"), problems))
                .collect(),
            patient: Some(Box::new(Patient {
                names: vec![Name {
                    parts,
                    ..Name::default()
                }],
                administrative_gender_code: gender,
                birth_time,
                birthplace,
                ..Patient::default()
            })),
            ..Role::new("patientRole")
        }
    }
}

/// Checks an INS given as CDA id: the OID must be an INS authority that may be emitted (not a
/// legacy INS-C) and the matricule valid under the strict INS profile (length, characters, key).
pub(crate) fn check_ins(root: &str, extension: &str) -> Result<(), String> {
    let ins = segur_ins::Ins::from_cda_id(root, extension).map_err(|e| e.to_string())?;
    if ins.oid().is_legacy() {
        return Err(format!(
            "OID {root} is a legacy INS-C authority, never emitted"
        ));
    }
    if ins.cda_extension() != extension {
        return Err("the INS must be written as 15 characters without separators".into());
    }
    Ok(())
}

/// Looks `code` up in a value set (any code system); records `NotInValueSet` when absent.
pub(crate) fn code_in(
    field: &str,
    vs: &'static ValueSet,
    code: &str,
    problems: &mut Problems,
) -> Code<'static> {
    match vs.by_code(code).next() {
        Some(c) => Code::new(c.code, c.code_system).with_display_name(c.display_name),
        None => {
            problems.push(
                field,
                ProblemKind::NotInValueSet {
                    value_set: vs.name,
                    code: code.to_owned(),
                },
            );
            Code::simple(code.to_owned())
        }
    }
}
