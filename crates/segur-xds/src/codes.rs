//! Coded values and the constants of the French XDS profile: classification scheme and
//! external identifier UUIDs, object types, code system OIDs and the DMP / CI-SIS value sets.

use crate::error::XdsError;
use crate::hl7v2;

pub use crate::jdv::{CONFIDENTIALITY, HEALTHCARE_FACILITY_TYPE, PRACTICE_SETTING, TYPE_CODE};

/// A coded value: the code, its coding scheme (an OID or `URN`/`ASTM`...) and a display name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Code {
    /// The code (`nodeRepresentation` in ebRIM).
    pub code: String,
    /// The code system (`codingScheme` slot).
    pub coding_scheme: String,
    /// The display name (`Name/LocalizedString/@value`).
    pub display_name: String,
}

impl Code {
    /// A code in `coding_scheme` shown as `display_name`.
    pub fn new(
        code: impl Into<String>,
        coding_scheme: impl Into<String>,
        display_name: impl Into<String>,
    ) -> Self {
        Self {
            code: code.into(),
            coding_scheme: coding_scheme.into(),
            display_name: display_name.into(),
        }
    }

    /// Formats as the HL7 v2 `code^display^codingScheme` form used by `authorSpecialty` and
    /// `authorRole`.
    pub fn to_hl7v2(&self) -> String {
        let display = (!self.display_name.is_empty()).then(|| self.display_name.clone());
        let scheme = (!self.coding_scheme.is_empty()).then(|| self.coding_scheme.clone());
        hl7v2::format_coded(&self.code, display.as_ref(), scheme.as_ref())
    }

    /// Parses the HL7 v2 `code^display^codingScheme` form (display and scheme may be empty).
    pub fn parse_hl7v2(text: &str) -> Result<Self, XdsError> {
        let (code, display, scheme) = hl7v2::parse_coded(text)?;
        Ok(Self {
            code,
            coding_scheme: scheme.unwrap_or_default(),
            display_name: display.unwrap_or_default(),
        })
    }
}

/// A value set: name, OID and `(code, codeSystem, displayName)` concepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValueSet {
    /// The value set's name (`JDV_J57-ClassCode-DMP`...).
    pub name: &'static str,
    /// The value set's OID.
    pub oid: &'static str,
    /// Its concepts: `(code, codeSystem, displayName)`.
    pub concepts: &'static [(&'static str, &'static str, &'static str)],
}

impl ValueSet {
    /// Whether `code` (with its coding scheme) belongs to the set.
    pub fn contains(&self, code: &Code) -> bool {
        self.concepts
            .iter()
            .any(|(c, s, _)| *c == code.code && *s == code.coding_scheme)
    }

    /// The concept with this code, as a [`Code`].
    pub fn get(&self, code: &str) -> Option<Code> {
        self.concepts
            .iter()
            .find(|(c, _, _)| *c == code)
            .map(|(c, s, d)| Code::new(*c, *s, *d))
    }

    /// The concept with this code in this code system, as a [`Code`].
    pub fn get_in(&self, code: &str, system: &str) -> Option<Code> {
        self.concepts
            .iter()
            .find(|(c, s, _)| *c == code && *s == system)
            .map(|(c, s, d)| Code::new(*c, *s, *d))
    }
}

/// JDV_J57-ClassCode-DMP (`1.2.250.1.213.1.1.5.6`): the `classCode` values the DMP accepts.
pub const CLASS_CODE_DMP: ValueSet = ValueSet {
    name: "JDV_J57-ClassCode-DMP",
    oid: "1.2.250.1.213.1.1.5.6",
    concepts: &[
        ("10", oid::CLASS_CODE, "Compte rendu"),
        ("11", oid::CLASS_CODE, "Synthèse"),
        ("31", oid::CLASS_CODE, "Imagerie médicale"),
        ("42", oid::CLASS_CODE, "Prescription"),
        ("43", oid::CLASS_CODE, "Dispensation"),
        ("44", oid::CLASS_CODE, "Plan de soins, protocole de soins"),
        ("45", oid::CLASS_CODE, "Traitement administré"),
        ("52", oid::CLASS_CODE, "Certificat, déclaration"),
        ("60", oid::CLASS_CODE, "Données de remboursement"),
        ("90", oid::CLASS_CODE, "Document déposé par le patient"),
        ("95", oid::CLASS_CODE, "Document de gestion"),
        (
            "urn:oid:1.3.6.1.4.1.19376.1.2.1.1.1",
            "URN",
            "Digital Signature",
        ),
    ],
};

/// The `formatCode` values named in the DMP research note (JDV_J60-FormatCode-DMP is larger:
/// CDA N3 format codes follow the CDA model through ASS_A11).
pub const FORMAT_CODE_EXAMPLES: ValueSet = ValueSet {
    name: "JDV_J60-FormatCode-DMP (excerpt)",
    oid: "1.2.250.1.213.1.1.5.8",
    concepts: &[
        (
            "urn:ihe:iti:xds-sd:pdf:2008",
            oid::IHE_FORMAT_CODES,
            "Document à corps non structuré en Pdf/A-1",
        ),
        (
            "urn:ihe:iti:xds-sd:text:2008",
            oid::IHE_FORMAT_CODES,
            "Document à corps non structuré en texte brut",
        ),
        (
            "urn:asip:ci-sis:vsm:2012",
            oid::ANS_FORMAT_CODES,
            "Volet de Synthèse Médicale",
        ),
        (
            "urn:ihe:iti:dsg:detached:2014",
            oid::IHE_FORMAT_CODES,
            "Signature détachée",
        ),
        (
            "http://www.w3.org/2000/09/xmldsig#",
            "URN",
            "Default Signature Style",
        ),
    ],
};

/// The availability status values of the DMP (JDV_J52), including the French extensions.
pub mod status {
    /// `Approved`.
    pub const APPROVED: &str = "urn:oasis:names:tc:ebxml-regrep:StatusType:Approved";
    /// `Deprecated` (replaced).
    pub const DEPRECATED: &str = "urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated";
    /// `Submitted` (transient, registries only).
    pub const SUBMITTED: &str = "urn:oasis:names:tc:ebxml-regrep:StatusType:Submitted";
    /// French extension: archived (TD3.3d).
    pub const ARCHIVED: &str = "urn:asip:ci-sis:2010:StatusType:Archived";
    /// French extension: deleted (TD3.3c).
    pub const DELETED: &str = "urn:asip:ci-sis:2010:StatusType:Deleted";
}

/// `classificationScheme` UUIDs of the coded attributes and authors.
pub mod scheme {
    /// DocumentEntry.author.
    pub const DOC_AUTHOR: &str = "urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d";
    /// DocumentEntry.classCode.
    pub const DOC_CLASS_CODE: &str = "urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a";
    /// DocumentEntry.confidentialityCode.
    pub const DOC_CONFIDENTIALITY_CODE: &str = "urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f";
    /// DocumentEntry.eventCodeList.
    pub const DOC_EVENT_CODE: &str = "urn:uuid:2c6b8cb7-8b2a-4051-b291-b1ae6a575ef4";
    /// DocumentEntry.formatCode.
    pub const DOC_FORMAT_CODE: &str = "urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d";
    /// DocumentEntry.healthcareFacilityTypeCode.
    pub const DOC_FACILITY_TYPE_CODE: &str = "urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1";
    /// DocumentEntry.practiceSettingCode.
    pub const DOC_PRACTICE_SETTING_CODE: &str = "urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead";
    /// DocumentEntry.typeCode.
    pub const DOC_TYPE_CODE: &str = "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983";
    /// SubmissionSet.author.
    pub const SET_AUTHOR: &str = "urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d";
    /// SubmissionSet.contentTypeCode.
    pub const SET_CONTENT_TYPE_CODE: &str = "urn:uuid:aa543740-bdda-424e-8c96-df4873be8500";
    /// Folder.codeList.
    pub const FOLDER_CODE_LIST: &str = "urn:uuid:1ba97051-7806-41a8-a48b-8fce7af683c5";
}

/// `identificationScheme` UUIDs of the external identifiers.
pub mod ext_id {
    /// DocumentEntry.patientId.
    pub const DOC_PATIENT_ID: &str = "urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427";
    /// DocumentEntry.uniqueId.
    pub const DOC_UNIQUE_ID: &str = "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab";
    /// SubmissionSet.patientId.
    pub const SET_PATIENT_ID: &str = "urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446";
    /// SubmissionSet.sourceId.
    pub const SET_SOURCE_ID: &str = "urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832";
    /// SubmissionSet.uniqueId.
    pub const SET_UNIQUE_ID: &str = "urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8";
    /// Folder.patientId.
    pub const FOLDER_PATIENT_ID: &str = "urn:uuid:f64ffdf0-4b97-4e06-b79f-a52b38ec2f8a";
    /// Folder.uniqueId.
    pub const FOLDER_UNIQUE_ID: &str = "urn:uuid:75df8f67-9973-4fbe-a900-df66cefecc5a";
}

/// Object types and classification nodes.
pub mod object_type {
    /// A stable DocumentEntry (`ExtrinsicObject/@objectType`).
    pub const STABLE_DOCUMENT: &str = "urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1";
    /// An on-demand DocumentEntry.
    pub const ON_DEMAND_DOCUMENT: &str = "urn:uuid:34268e47-fdf5-41a6-ba33-82133c465248";
    /// The classification node marking a RegistryPackage as a SubmissionSet.
    pub const SUBMISSION_SET_NODE: &str = "urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd";
    /// The classification node marking a RegistryPackage as a Folder.
    pub const FOLDER_NODE: &str = "urn:uuid:d9d542f3-6cc4-48b6-8870-ea235fbc94c2";
    /// `objectType` of a RegistryPackage.
    pub const REGISTRY_PACKAGE: &str =
        "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:RegistryPackage";
    /// `objectType` of an Association.
    pub const ASSOCIATION: &str =
        "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Association";
    /// `objectType` of a Classification.
    pub const CLASSIFICATION: &str =
        "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification";
    /// `objectType` of an ExternalIdentifier.
    pub const EXTERNAL_IDENTIFIER: &str =
        "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:ExternalIdentifier";
}

/// OIDs of code systems and identifier authorities used in French XDS metadata.
pub mod oid {
    /// INS-NIR (matricule INS, production).
    pub const INS_NIR: &str = "1.2.250.1.213.1.4.8";
    /// INS-NIA (temporary number, production).
    pub const INS_NIA: &str = "1.2.250.1.213.1.4.9";
    /// INS-NIR of test environments.
    pub const INS_NIR_TEST: &str = "1.2.250.1.213.1.4.10";
    /// INS-NIA of test environments.
    pub const INS_NIA_TEST: &str = "1.2.250.1.213.1.4.11";
    /// IdNat_PS: national identifier of health professionals.
    pub const IDNAT_PS: &str = "1.2.250.1.71.4.2.1";
    /// IdNat_Struct: national identifier of structures.
    pub const IDNAT_STRUCT: &str = "1.2.250.1.71.4.2.2";
    /// TRE_A03-ClasseDocument (classCode).
    pub const CLASS_CODE: &str = "1.2.250.1.213.1.1.4.1";
    /// LOINC (typeCode).
    pub const LOINC: &str = "2.16.840.1.113883.6.1";
    /// TRE_A05 complementary document types (typeCode).
    pub const TYPE_CODE_FR: &str = "1.2.250.1.213.1.1.4.12";
    /// TRE_A06 ANS format codes.
    pub const ANS_FORMAT_CODES: &str = "1.2.250.1.213.1.1.4.2.282";
    /// TRE_A11 IHE format codes.
    pub const IHE_FORMAT_CODES: &str = "1.3.6.1.4.1.19376.1.2.3";
    /// DICOM format codes (KOS).
    pub const DICOM_FORMAT_CODES: &str = "1.2.840.10008.2.6.1";
    /// HL7 Confidentiality (N, R, V).
    pub const HL7_CONFIDENTIALITY: &str = "2.16.840.1.113883.5.25";
    /// TRE_A07 visibility codes (MASQUE_PS, INVISIBLE_PATIENT...).
    pub const VISIBILITY: &str = "1.2.250.1.213.1.1.4.13";
    /// TRE_R02 activity sectors (healthcareFacilityTypeCode).
    pub const ACTIVITY_SECTOR: &str = "1.2.250.1.71.4.2.4";
    /// TRE_A00 (patient-authored documents: facility / practice setting).
    pub const PRODUCTEUR_DOC_NON_PS: &str = "1.2.250.1.213.1.1.4.6";
    /// TRE_A01-CadreExercice (practiceSettingCode).
    pub const PRACTICE_SETTING: &str = "1.2.250.1.213.1.1.4.9";
    /// TRE_R209-TypeActivite (contentTypeCode).
    pub const ACTIVITY_TYPE: &str = "1.2.250.1.213.2.2";
    /// TRE_A02 profession / savoir-faire (authorSpecialty).
    pub const AUTHOR_SPECIALTY: &str = "1.2.250.1.213.1.1.4.5";
    /// Signature purpose (eventCode of the signature entry).
    pub const SIGNATURE_PURPOSE: &str = "1.2.840.10065.1.12";
    /// The DMP's repository uniqueId.
    pub const DMP_REPOSITORY: &str = "1.2.250.1.213.4.1.1.1.2";
}

/// The code systems a coded attribute may use, per the DMP table.
pub(crate) fn allowed_schemes(attribute: &str) -> &'static [&'static str] {
    match attribute {
        "classCode" => &[oid::CLASS_CODE, "URN"],
        "typeCode" => &[oid::LOINC, oid::TYPE_CODE_FR, "ASTM"],
        "formatCode" => &[
            oid::ANS_FORMAT_CODES,
            oid::IHE_FORMAT_CODES,
            oid::DICOM_FORMAT_CODES,
            "URN",
        ],
        "confidentialityCode" => &[oid::HL7_CONFIDENTIALITY, oid::VISIBILITY],
        "healthcareFacilityTypeCode" => &[oid::ACTIVITY_SECTOR, oid::PRODUCTEUR_DOC_NON_PS],
        "practiceSettingCode" => &[oid::PRACTICE_SETTING, oid::PRODUCTEUR_DOC_NON_PS],
        "contentTypeCode" => &[
            oid::ACTIVITY_TYPE,
            "1.2.250.1.213.3.3.70",
            oid::ACTIVITY_SECTOR,
            oid::PRODUCTEUR_DOC_NON_PS,
        ],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_sets_answer_membership() {
        assert!(CLASS_CODE_DMP.contains(&Code::new("10", oid::CLASS_CODE, "x")));
        assert!(!CLASS_CODE_DMP.contains(&Code::new("10", oid::LOINC, "x")));
        assert_eq!(
            HEALTHCARE_FACILITY_TYPE.get("SA07").unwrap().display_name,
            "Cabinet individuel"
        );
        assert!(TYPE_CODE.get_in("11488-4", oid::LOINC).is_some());
        assert!(CONFIDENTIALITY.get("MASQUE_PS").is_some());
        assert!(PRACTICE_SETTING.get("AMBULATOIRE").is_some());
    }

    #[test]
    fn author_specialty_form() {
        let c = Code::parse_hl7v2(
            "G15_10/SM26^Médecin - Qualifié en Médecine Générale (SM)^1.2.250.1.213.1.1.4.5",
        )
        .unwrap();
        assert_eq!(c.code, "G15_10/SM26");
        assert_eq!(c.coding_scheme, oid::AUTHOR_SPECIALTY);
        assert_eq!(Code::parse_hl7v2(&c.to_hl7v2()).unwrap(), c);
    }
}
