//! PSC's UserInfo (`scope_all`): the professional, their professions and work situations.
//!
//! The schema is ANS's, in French, and the samples are quirky: missing values are empty strings,
//! booleans are `"VRAI"`/`"FAUX"`, coded values are HL7v2 `code^OID` strings, fields come and go.
//! Parsing is tolerant of all that (empty strings become `None`, unknown members are kept in
//! `other`), strict about JSON itself.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};

/// Largest userinfo document accepted, in bytes.
pub const MAX_USERINFO_LEN: usize = 1024 * 1024;

fn opt_string<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Null => None,
        other => {
            return Err(de::Error::custom(format!(
                "expected a string, found {}",
                json_type(&other)
            )));
        }
    })
}

fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<bool>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Bool(b) => Some(b),
        Value::String(s) => match s.trim().to_ascii_uppercase().as_str() {
            "VRAI" | "TRUE" | "OUI" | "1" => Some(true),
            "FAUX" | "FALSE" | "NON" | "0" => Some(false),
            "" => None,
            _ => return Err(de::Error::custom("expected a boolean or VRAI/FAUX")),
        },
        Value::Null => None,
        other => {
            return Err(de::Error::custom(format!(
                "expected a boolean, found {}",
                json_type(&other)
            )));
        }
    })
}

fn opt_coded<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<CodedValue>, D::Error> {
    Ok(opt_string(d)?.map(|s| CodedValue::parse(&s)))
}

fn coded_list<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Vec<CodedValue>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(CodedValue::parse)
            .collect(),
        Value::String(s) if !s.trim().is_empty() => vec![CodedValue::parse(&s)],
        _ => Vec::new(),
    })
}

fn null_as_default<'de, D, T>(d: D) -> std::result::Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// An HL7v2-style coded value, `code^OID` (`10^1.2.250.1.213.1.1.5.5`), or a bare code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CodedValue {
    /// The code (`10`, `SA07`, ...).
    pub code: String,
    /// The OID of the code system, when given.
    pub system: Option<String>,
}

impl CodedValue {
    /// Parses `code^OID` or a bare code.
    pub fn parse(s: &str) -> Self {
        match s.split_once('^') {
            Some((code, system)) => Self {
                code: code.trim().to_owned(),
                system: Some(system.trim().to_owned()).filter(|s| !s.is_empty()),
            },
            None => Self {
                code: s.trim().to_owned(),
                system: None,
            },
        }
    }
}

impl fmt::Display for CodedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.system {
            Some(s) => write!(f, "{}^{}", self.code, s),
            None => f.write_str(&self.code),
        }
    }
}

impl Serialize for CodedValue {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The kind of a national professional identifier (`SubjectNameID`, TRE_G08 type digit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum NationalIdKind {
    /// `8` + RPPS number (11 digits, Luhn key).
    Rpps,
    /// `0` + ADELI number (9 characters).
    Adeli,
    /// `1`, `3`, `4` or `5` + a structure id, `/` and a local id (staff registered by their
    /// structure: FINESS, SIRET, SIREN...).
    StructureLocal,
    /// Anything else (editor test accounts such as `ANS20210107161422`).
    Other,
}

/// A national professional identifier (idNat_PS), as found in `SubjectNameID`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct NationalId {
    /// The whole identifier, type digit included (`899700218896`).
    pub value: String,
    /// Its kind.
    pub kind: NationalIdKind,
}

impl NationalId {
    /// Classifies `value`. Never fails: unknown shapes are [`NationalIdKind::Other`].
    pub fn parse(value: &str) -> Self {
        let v = value.trim();
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let kind = match v.as_bytes().first() {
            Some(b'8') if v.len() == 12 && digits(v) => NationalIdKind::Rpps,
            Some(b'0') if v.len() == 10 && v[1..].bytes().all(|b| b.is_ascii_alphanumeric()) => {
                NationalIdKind::Adeli
            }
            Some(b'1' | b'3' | b'4' | b'5') if v.contains('/') => NationalIdKind::StructureLocal,
            _ => NationalIdKind::Other,
        };
        Self {
            value: v.to_owned(),
            kind,
        }
    }

    /// The RPPS number (without the type digit), for an RPPS-based id.
    pub fn rpps(&self) -> Option<&str> {
        (self.kind == NationalIdKind::Rpps).then(|| &self.value[1..])
    }

    /// Whether the RPPS number's Luhn key is right (`None` for other kinds). ANS test
    /// identities do not always satisfy it, so this is information, not validation.
    pub fn rpps_luhn_ok(&self) -> Option<bool> {
        self.rpps().map(luhn_ok)
    }
}

fn luhn_ok(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, b) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum.is_multiple_of(10)
}

/// One entry of `otherIds`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct OtherId {
    /// `identifiant`.
    #[serde(default, deserialize_with = "opt_string")]
    pub identifiant: Option<String>,
    /// `origine` (`RPPS`, `ADELI`, `EDIT`...).
    #[serde(default, deserialize_with = "opt_string")]
    pub origine: Option<String>,
    /// `qualite`.
    #[serde(default)]
    pub qualite: Option<i64>,
}

/// `SubjectRefPro`: the professional's record in the national directory.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct SubjectRefPro {
    /// `codeCivilite` (`M`, `MME`...).
    #[serde(rename = "codeCivilite", default, deserialize_with = "opt_string")]
    pub code_civilite: Option<String>,
    /// `exercices`: one per profession practised.
    #[serde(default, deserialize_with = "null_as_default")]
    pub exercices: Vec<Exercice>,
    /// Members not modelled here.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// An `exercice`: a profession practised (TRE_G15 `codeProfession`), with its work situations.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Exercice {
    /// `codeProfession` (TRE_G15: `10` médecin, `21` pharmacien, `60` infirmier...).
    #[serde(default, deserialize_with = "opt_string")]
    pub code_profession: Option<String>,
    /// `codeCategorieProfessionnelle` (`C` civil, `M` militaire, `E` étudiant).
    #[serde(default, deserialize_with = "opt_string")]
    pub code_categorie_professionnelle: Option<String>,
    /// `codeCiviliteDexercice` (`DR`, `M`...).
    #[serde(default, deserialize_with = "opt_string")]
    pub code_civilite_dexercice: Option<String>,
    /// `nomDexercice`.
    #[serde(default, deserialize_with = "opt_string")]
    pub nom_dexercice: Option<String>,
    /// `prenomDexercice`.
    #[serde(default, deserialize_with = "opt_string")]
    pub prenom_dexercice: Option<String>,
    /// `codeTypeSavoirFaire` (`S` spécialité ordinale...).
    #[serde(default, deserialize_with = "opt_string")]
    pub code_type_savoir_faire: Option<String>,
    /// `codeSavoirFaire` (`SM54` médecine générale...).
    #[serde(default, deserialize_with = "opt_string")]
    pub code_savoir_faire: Option<String>,
    /// `activities`: the work situations (situations d'exercice).
    #[serde(default, deserialize_with = "null_as_default")]
    pub activities: Vec<Activite>,
    /// Members not modelled here.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// An `activity`: one work situation (situation d'exercice) and its structure.
#[allow(missing_docs)] // one field per member of ANS's schema, named after it
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Activite {
    /// `codeModeExercice` (`L` libéral, `S` salarié, `B` bénévole).
    #[serde(default, deserialize_with = "opt_string")]
    pub code_mode_exercice: Option<String>,
    /// `codeSecteurDactivite` (`SA07` cabinet, `SA01` établissement public...).
    #[serde(default, deserialize_with = "opt_string")]
    pub code_secteur_dactivite: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub code_section_pharmacien: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub code_role: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub code_genre_activite: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub numero_siret_site: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub numero_siren_site: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub numero_finess_site: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub numero_finessetablissement_juridique: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub identifiant_technique_de_la_structure: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub raison_sociale_site: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub enseigne_commerciale_site: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub complement_destinataire: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub complement_point_geographique: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub numero_voie: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub indice_repetition_voie: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub code_type_de_voie: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub libelle_voie: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub mention_distribution: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub bureau_cedex: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub code_postal: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub code_commune: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub code_pays: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub telephone: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub telephone2: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub telecopie: Option<String>,
    #[serde(rename = "adresseEMail", default, deserialize_with = "opt_string")]
    pub adresse_email: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub code_departement: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub ancien_identifiant_de_la_structure: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub autorite_denregistrement: Option<String>,
    /// Members not modelled here.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// A structure identifier of a work situation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum StructureId {
    /// FINESS of the site (établissement géographique).
    FinessSite(String),
    /// FINESS of the legal entity (établissement juridique).
    FinessJuridique(String),
    /// SIRET of the site.
    Siret(String),
    /// SIREN.
    Siren(String),
    /// The directory's technical structure id.
    Technique(String),
}

impl Activite {
    /// The structure's identifiers, most specific first: FINESS site, SIRET, FINESS juridique,
    /// SIREN, technical id.
    pub fn structure_ids(&self) -> Vec<StructureId> {
        let mut ids = Vec::new();
        let mut push = |v: &Option<String>, f: fn(String) -> StructureId| {
            if let Some(v) = v {
                ids.push(f(v.clone()));
            }
        };
        push(&self.numero_finess_site, StructureId::FinessSite);
        push(&self.numero_siret_site, StructureId::Siret);
        push(
            &self.numero_finessetablissement_juridique,
            StructureId::FinessJuridique,
        );
        push(&self.numero_siren_site, StructureId::Siren);
        push(
            &self.identifiant_technique_de_la_structure,
            StructureId::Technique,
        );
        ids
    }
}

/// A validated PSC user, as the userinfo endpoint describes them.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct PscUserInfo {
    /// `sub` (a Keycloak federated id; use [`PscUserInfo::national_id`] as the stable key).
    #[serde(default, deserialize_with = "opt_string")]
    pub sub: Option<String>,
    /// `SubjectNameID`: the national professional id.
    #[serde(rename = "SubjectNameID", default, deserialize_with = "opt_string")]
    pub subject_name_id: Option<String>,
    /// `preferred_username` (the national id again, in practice).
    #[serde(default, deserialize_with = "opt_string")]
    pub preferred_username: Option<String>,
    /// `given_name`.
    #[serde(default, deserialize_with = "opt_string")]
    pub given_name: Option<String>,
    /// `family_name`.
    #[serde(default, deserialize_with = "opt_string")]
    pub family_name: Option<String>,
    /// `email_verified`.
    #[serde(default, deserialize_with = "opt_bool")]
    pub email_verified: Option<bool>,
    /// `SubjectOrganization`: the organisation's name.
    #[serde(
        rename = "SubjectOrganization",
        default,
        deserialize_with = "opt_string"
    )]
    pub subject_organization: Option<String>,
    /// `SubjectOrganizationID`.
    #[serde(
        rename = "SubjectOrganizationID",
        default,
        deserialize_with = "opt_string"
    )]
    pub subject_organization_id: Option<String>,
    /// `SubjectRole`: `codeProfession^OID` values.
    #[serde(rename = "SubjectRole", default, deserialize_with = "coded_list")]
    pub subject_role: Vec<CodedValue>,
    /// `Secteur_Activite`: `SAxx^1.2.250.1.71.4.2.4`.
    #[serde(rename = "Secteur_Activite", default, deserialize_with = "opt_coded")]
    pub secteur_activite: Option<CodedValue>,
    /// `Palier_Authentification`.
    #[serde(
        rename = "Palier_Authentification",
        default,
        deserialize_with = "opt_coded"
    )]
    pub palier_authentification: Option<CodedValue>,
    /// `PSI_Locale`.
    #[serde(rename = "PSI_Locale", default, deserialize_with = "opt_string")]
    pub psi_locale: Option<String>,
    /// `UITVersion`.
    #[serde(rename = "UITVersion", default, deserialize_with = "opt_string")]
    pub uit_version: Option<String>,
    /// `Mode_Acces_Raison`.
    #[serde(rename = "Mode_Acces_Raison", default, deserialize_with = "opt_string")]
    pub mode_acces_raison: Option<String>,
    /// `Acces_Regulation_Medicale` (`"VRAI"`/`"FAUX"`).
    #[serde(
        rename = "Acces_Regulation_Medicale",
        default,
        deserialize_with = "opt_bool"
    )]
    pub acces_regulation_medicale: Option<bool>,
    /// `otherIds`.
    #[serde(rename = "otherIds", default, deserialize_with = "null_as_default")]
    pub other_ids: Vec<OtherId>,
    /// `SubjectRefPro`.
    #[serde(rename = "SubjectRefPro", default)]
    pub subject_ref_pro: Option<SubjectRefPro>,
    /// Members not modelled here (JWT claims of a signed userinfo included).
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// One work situation: a profession ([`Exercice`]) and, when known, where it is practised
/// ([`Activite`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorkSituation<'a> {
    /// Index of the exercice in `SubjectRefPro.exercices`.
    pub exercice_index: usize,
    /// The exercice.
    pub exercice: &'a Exercice,
    /// Index of the activity in the exercice's `activities`, if any.
    pub activite_index: Option<usize>,
    /// The activity, if the exercice has any.
    pub activite: Option<&'a Activite>,
}

impl WorkSituation<'_> {
    /// ANS's work-situation key (`X-WorkSituation`): `codeProfession` followed by
    /// `codeCategorieProfessionnelle` (`10C`).
    pub fn key(&self) -> String {
        format!(
            "{}{}",
            self.exercice.code_profession.as_deref().unwrap_or(""),
            self.exercice
                .code_categorie_professionnelle
                .as_deref()
                .unwrap_or("")
        )
    }
}

impl PscUserInfo {
    /// Parses a userinfo JSON document.
    pub fn from_json(json: &[u8]) -> Result<Self> {
        if json.len() > MAX_USERINFO_LEN {
            return Err(Error::TooLarge {
                what: "userinfo",
                size: json.len(),
                limit: MAX_USERINFO_LEN,
            });
        }
        serde_json::from_slice(json).map_err(|e| crate::error::json_error("userinfo", &e, true))
    }

    /// The national professional id, from `SubjectNameID`, else `preferred_username`.
    pub fn national_id(&self) -> Option<NationalId> {
        self.subject_name_id
            .as_deref()
            .or(self.preferred_username.as_deref())
            .map(NationalId::parse)
    }

    /// The exercices (empty without `SubjectRefPro`).
    pub fn exercices(&self) -> &[Exercice] {
        self.subject_ref_pro
            .as_ref()
            .map_or(&[], |r| r.exercices.as_slice())
    }

    /// Every work situation: one per activity, and one per exercice without activities.
    pub fn work_situations(&self) -> Vec<WorkSituation<'_>> {
        let mut out = Vec::new();
        for (ei, e) in self.exercices().iter().enumerate() {
            if e.activities.is_empty() {
                out.push(WorkSituation {
                    exercice_index: ei,
                    exercice: e,
                    activite_index: None,
                    activite: None,
                });
            }
            for (ai, a) in e.activities.iter().enumerate() {
                out.push(WorkSituation {
                    exercice_index: ei,
                    exercice: e,
                    activite_index: Some(ai),
                    activite: Some(a),
                });
            }
        }
        out
    }

    /// The only work situation, if there is exactly one (no choice to offer the user).
    pub fn single_work_situation(&self) -> Option<WorkSituation<'_>> {
        match self.work_situations().as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// The first work situation whose structure has identifier `id` (FINESS, SIRET, SIREN or
    /// technical id, compared exactly).
    pub fn work_situation_in_structure(&self, id: &str) -> Option<WorkSituation<'_>> {
        self.work_situations().into_iter().find(|ws| {
            ws.activite.is_some_and(|a| {
                a.structure_ids().iter().any(|s| match s {
                    StructureId::FinessSite(v)
                    | StructureId::FinessJuridique(v)
                    | StructureId::Siret(v)
                    | StructureId::Siren(v)
                    | StructureId::Technique(v) => v == id,
                })
            })
        })
    }

    /// The work situations of one profession (`codeProfession`, e.g. `10`).
    pub fn work_situations_for_profession(&self, code: &str) -> Vec<WorkSituation<'_>> {
        self.work_situations()
            .into_iter()
            .filter(|ws| ws.exercice.code_profession.as_deref() == Some(code))
            .collect()
    }
}
