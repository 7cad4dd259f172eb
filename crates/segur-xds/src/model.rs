//! The XDS metadata model: submission sets, document entries (including the DMP's signature
//! entry), folders and associations.

use std::fmt;

use segur_transport::Randomness;

use crate::codes::{self, Code, oid, status};
use crate::error::XdsError;
use crate::hl7v2::{Cx, Xcn, Xon, Xtn, escape};
use crate::ids::{EntryUuid, Oid, UniqueId, XdsTime};

/// The availability status of a registry object, including the French extensions of the DMP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AvailabilityStatus {
    /// `urn:oasis:names:tc:ebxml-regrep:StatusType:Submitted`.
    Submitted,
    /// `urn:oasis:names:tc:ebxml-regrep:StatusType:Approved`.
    Approved,
    /// `urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated` (replaced by a newer version).
    Deprecated,
    /// `urn:asip:ci-sis:2010:StatusType:Archived` (French extension, TD3.3d).
    Archived,
    /// `urn:asip:ci-sis:2010:StatusType:Deleted` (French extension, TD3.3c).
    Deleted,
}

impl AvailabilityStatus {
    /// The status URN.
    pub fn urn(self) -> &'static str {
        match self {
            Self::Submitted => status::SUBMITTED,
            Self::Approved => status::APPROVED,
            Self::Deprecated => status::DEPRECATED,
            Self::Archived => status::ARCHIVED,
            Self::Deleted => status::DELETED,
        }
    }

    /// Reads a status URN.
    pub fn from_urn(urn: &str) -> Result<Self, XdsError> {
        Ok(match urn {
            status::SUBMITTED => Self::Submitted,
            status::APPROVED => Self::Approved,
            status::DEPRECATED => Self::Deprecated,
            status::ARCHIVED => Self::Archived,
            status::DELETED => Self::Deleted,
            other => return Err(XdsError::invalid("availability status", other)),
        })
    }
}

impl fmt::Display for AvailabilityStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.urn())
    }
}

/// A SHA-1 digest of the document bytes (the `hash` slot, lowercase hex on the wire).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sha1Hash(pub [u8; 20]);

impl Sha1Hash {
    /// The SHA-1 of `bytes` (computed with `ring`).
    ///
    /// ```
    /// let h = segur_xds::Sha1Hash::of(b"abc");
    /// assert_eq!(h.to_hex(), "a9993e364706816aba3e25717850c26c9cd0d89d");
    /// ```
    pub fn of(bytes: &[u8]) -> Self {
        let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, bytes);
        let mut out = [0u8; 20];
        out.copy_from_slice(digest.as_ref());
        Self(out)
    }

    /// Lowercase hexadecimal.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Reads 40 hexadecimal digits (either case).
    pub fn from_hex(text: &str) -> Result<Self, XdsError> {
        let err = || XdsError::invalid("SHA-1 hash", text);
        if text.len() != 40 || !text.is_ascii() {
            return Err(err());
        }
        let mut out = [0u8; 20];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).map_err(|_| err())?;
        }
        Ok(Self(out))
    }
}

impl fmt::Debug for Sha1Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha1Hash({})", self.to_hex())
    }
}

/// An author of a document or submission set (one ebRIM author Classification).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Author {
    /// `authorPerson` (0..1).
    pub person: Option<Xcn>,
    /// `authorInstitution` (0..n).
    pub institutions: Vec<Xon>,
    /// `authorRole` (0..n).
    pub roles: Vec<Code>,
    /// `authorSpecialty` (0..n): TRE_A02 `G15_10/SM26`-style codes for the DMP.
    pub specialties: Vec<Code>,
    /// `authorTelecommunication` (0..n).
    pub telecoms: Vec<Xtn>,
}

/// The demographic part of `sourcePatientInfo` (`PID-5`, `PID-7`, `PID-8` lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientInfo {
    /// Birth family name.
    pub family: String,
    /// Given names.
    pub given: Option<String>,
    /// Birth date `YYYYMMDD`.
    pub birth_date: Option<String>,
    /// Administrative gender `F`, `M` or `U`.
    pub gender: Option<String>,
}

impl PatientInfo {
    /// The `sourcePatientInfo` slot values: `PID-5|FAMILY^Given^^^^^L`, `PID-7|…`, `PID-8|…`.
    pub fn to_slot_values(&self) -> Vec<String> {
        let mut out = vec![format!(
            "PID-5|{}^{}^^^^^L",
            escape(&self.family),
            self.given.as_deref().map(escape).unwrap_or_default()
        )];
        if let Some(d) = &self.birth_date {
            out.push(format!("PID-7|{d}"));
        }
        if let Some(g) = &self.gender {
            out.push(format!("PID-8|{g}"));
        }
        out
    }
}

/// The kind of a document entry (`ExtrinsicObject/@objectType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum EntryKind {
    /// A stable document (the only kind the DMP stores).
    #[default]
    Stable,
    /// An on-demand document.
    OnDemand,
}

impl EntryKind {
    /// The objectType UUID.
    pub fn urn(self) -> &'static str {
        match self {
            Self::Stable => codes::object_type::STABLE_DOCUMENT,
            Self::OnDemand => codes::object_type::ON_DEMAND_DOCUMENT,
        }
    }
}

/// An XDS DocumentEntry (ebRIM `ExtrinsicObject`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentEntry {
    /// `@id`: entryUUID (or symbolic id in a submission).
    pub entry_uuid: EntryUuid,
    /// `@lid`: logical id shared by the versions of the entry (ITI-57 metadata update).
    pub logical_id: Option<EntryUuid>,
    /// `VersionInfo/@versionName`.
    pub version: Option<String>,
    /// Stable or on-demand.
    pub kind: EntryKind,
    /// `uniqueId` (the CDA `ClinicalDocument/id`).
    pub unique_id: UniqueId,
    /// `patientId` (the INS in the DMP).
    pub patient_id: Cx,
    /// `sourcePatientId` (local IPP, or the INS).
    pub source_patient_id: Option<Cx>,
    /// `sourcePatientInfo` lines (`PID-5|…`); see [`PatientInfo`].
    pub source_patient_info: Vec<String>,
    /// `@mimeType` (`text/xml` for CDA).
    pub mime_type: String,
    /// `Name`: the title.
    pub title: Option<String>,
    /// `Description`: comments.
    pub comments: Option<String>,
    /// `classCode`.
    pub class_code: Code,
    /// `typeCode`.
    pub type_code: Code,
    /// `formatCode`.
    pub format_code: Code,
    /// `confidentialityCode` (1..n): one HL7 code plus French visibility codes.
    pub confidentiality_codes: Vec<Code>,
    /// `healthcareFacilityTypeCode`.
    pub healthcare_facility_type_code: Code,
    /// `practiceSettingCode`.
    pub practice_setting_code: Code,
    /// `eventCodeList`.
    pub event_codes: Vec<Code>,
    /// Authors.
    pub authors: Vec<Author>,
    /// `legalAuthenticator`.
    pub legal_authenticator: Option<Xcn>,
    /// `creationTime`.
    pub creation_time: Option<XdsTime>,
    /// `serviceStartTime`.
    pub service_start_time: Option<XdsTime>,
    /// `serviceStopTime`.
    pub service_stop_time: Option<XdsTime>,
    /// `hash` (SHA-1 of the exact bytes sent).
    pub hash: Option<Sha1Hash>,
    /// `size` in bytes.
    pub size: Option<u64>,
    /// `languageCode` (`fr-FR`; `art` for the signature document).
    pub language_code: Option<String>,
    /// `repositoryUniqueId` (set by the repository).
    pub repository_unique_id: Option<Oid>,
    /// `URI` (XDM: file name inside the archive).
    pub uri: Option<String>,
    /// `@status`.
    pub availability_status: Option<AvailabilityStatus>,
}

impl DocumentEntry {
    /// Sets `hash` and `size` from the exact bytes that will be sent.
    pub fn set_content(&mut self, bytes: &[u8]) {
        self.hash = Some(Sha1Hash::of(bytes));
        self.size = Some(bytes.len() as u64);
    }

    /// The DMP's signature document entry (§3.3 of the research note): a detached XAdES
    /// signature over a manifest of the submission, with the fixed class / type / format / event
    /// codes, confidentiality `N` + `MASQUE_PS` + `INVISIBLE_PATIENT` and language `art`.
    /// Facility and practice setting must be those of the signed document(s).
    pub fn dmp_signature(
        entry_uuid: EntryUuid,
        unique_id: UniqueId,
        patient_id: Cx,
        healthcare_facility_type_code: Code,
        practice_setting_code: Code,
        creation_time: XdsTime,
        authors: Vec<Author>,
    ) -> Self {
        Self {
            entry_uuid,
            logical_id: None,
            version: None,
            kind: EntryKind::Stable,
            unique_id,
            source_patient_id: Some(patient_id.clone()),
            patient_id,
            source_patient_info: Vec::new(),
            mime_type: "text/xml".to_owned(),
            title: Some("Source".to_owned()),
            comments: None,
            class_code: Code::new(
                "urn:oid:1.3.6.1.4.1.19376.1.2.1.1.1",
                "URN",
                "Digital Signature",
            ),
            type_code: Code::new("E1762", "ASTM", "Full Document"),
            format_code: Code::new(
                "http://www.w3.org/2000/09/xmldsig#",
                "URN",
                "Default Signature Style",
            ),
            confidentiality_codes: vec![
                Code::new("N", oid::HL7_CONFIDENTIALITY, "Normal"),
                Code::new(
                    "MASQUE_PS",
                    oid::VISIBILITY,
                    "Masqué aux professionnels de santé",
                ),
                Code::new(
                    "INVISIBLE_PATIENT",
                    oid::VISIBILITY,
                    "Non visible par le patient",
                ),
            ],
            healthcare_facility_type_code,
            practice_setting_code,
            event_codes: vec![Code::new(
                "1.2.840.10065.1.12.1.14",
                oid::SIGNATURE_PURPOSE,
                "Source",
            )],
            authors,
            legal_authenticator: None,
            creation_time: Some(creation_time),
            service_start_time: None,
            service_stop_time: None,
            hash: None,
            size: None,
            language_code: Some("art".to_owned()),
            repository_unique_id: None,
            uri: None,
            availability_status: None,
        }
    }

    /// Whether this is a DMP signature entry (by its class code).
    pub fn is_signature(&self) -> bool {
        self.class_code.code == "urn:oid:1.3.6.1.4.1.19376.1.2.1.1.1"
    }
}

/// An XDS SubmissionSet (ebRIM `RegistryPackage` classified as a submission set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionSet {
    /// `@id`.
    pub entry_uuid: EntryUuid,
    /// `uniqueId` (an OID).
    pub unique_id: Oid,
    /// `sourceId`: the OID of the sending LPS / structure.
    pub source_id: Oid,
    /// `patientId`.
    pub patient_id: Cx,
    /// `submissionTime`.
    pub submission_time: XdsTime,
    /// `contentTypeCode` (JDV_J59).
    pub content_type_code: Option<Code>,
    /// Authors.
    pub authors: Vec<Author>,
    /// `Name`.
    pub title: Option<String>,
    /// `Description`.
    pub comments: Option<String>,
    /// `intendedRecipient` values (XON/XCN/XTN composites, XDM).
    pub intended_recipients: Vec<String>,
    /// `@status`.
    pub availability_status: Option<AvailabilityStatus>,
}

/// An XDS Folder (ebRIM `RegistryPackage` classified as a folder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    /// `@id`.
    pub entry_uuid: EntryUuid,
    /// `uniqueId` (an OID).
    pub unique_id: Oid,
    /// `patientId`.
    pub patient_id: Cx,
    /// `codeList` (1..n).
    pub codes: Vec<Code>,
    /// `Name`.
    pub title: Option<String>,
    /// `Description`.
    pub comments: Option<String>,
    /// `lastUpdateTime` (set by the registry).
    pub last_update_time: Option<XdsTime>,
    /// `@status`.
    pub availability_status: Option<AvailabilityStatus>,
}

/// The type of an association.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AssociationType {
    /// `HasMember`: submission set or folder membership.
    HasMember,
    /// `RPLC`: the source replaces the target.
    Replace,
    /// `XFRM`: the source is a transformation of the target.
    Transform,
    /// `APND`: the source is an addendum to the target.
    Append,
    /// `XFRM_RPLC`: transformation that replaces.
    TransformAndReplace,
    /// `signs`: the source (a signature entry) signs the target.
    Signs,
    /// `IsSnapshotOf` (on-demand documents).
    IsSnapshotOf,
    /// ITI-57 `UpdateAvailabilityStatus`.
    UpdateAvailabilityStatus,
    /// ITI-57 `SubmitAssociation`.
    SubmitAssociation,
}

impl AssociationType {
    const ALL: [Self; 9] = [
        Self::HasMember,
        Self::Replace,
        Self::Transform,
        Self::Append,
        Self::TransformAndReplace,
        Self::Signs,
        Self::IsSnapshotOf,
        Self::UpdateAvailabilityStatus,
        Self::SubmitAssociation,
    ];

    /// The association type URN.
    pub fn urn(&self) -> &'static str {
        match self {
            Self::HasMember => "urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember",
            Self::Replace => "urn:ihe:iti:2007:AssociationType:RPLC",
            Self::Transform => "urn:ihe:iti:2007:AssociationType:XFRM",
            Self::Append => "urn:ihe:iti:2007:AssociationType:APND",
            Self::TransformAndReplace => "urn:ihe:iti:2007:AssociationType:XFRM_RPLC",
            Self::Signs => "urn:ihe:iti:2007:AssociationType:signs",
            Self::IsSnapshotOf => "urn:ihe:iti:2010:AssociationType:IsSnapshotOf",
            Self::UpdateAvailabilityStatus => {
                "urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus"
            }
            Self::SubmitAssociation => "urn:ihe:iti:2010:AssociationType:SubmitAssociation",
        }
    }

    /// Reads an association type URN.
    pub fn from_urn(urn: &str) -> Result<Self, XdsError> {
        Self::ALL
            .into_iter()
            .find(|t| t.urn() == urn)
            .ok_or_else(|| XdsError::invalid("association type", urn))
    }
}

/// `SubmissionSetStatus` of a HasMember association.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubmissionSetStatus {
    /// The member is submitted with the set.
    Original,
    /// The member was submitted earlier and is referenced.
    Reference,
}

impl SubmissionSetStatus {
    /// The slot value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Original => "Original",
            Self::Reference => "Reference",
        }
    }

    pub(crate) fn parse(text: &str) -> Result<Self, XdsError> {
        match text {
            "Original" => Ok(Self::Original),
            "Reference" => Ok(Self::Reference),
            other => Err(XdsError::invalid("SubmissionSetStatus", other)),
        }
    }
}

/// An ebRIM Association.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Association {
    /// `@id`.
    pub id: EntryUuid,
    /// `@associationType`.
    pub association_type: AssociationType,
    /// `@sourceObject`.
    pub source: EntryUuid,
    /// `@targetObject`.
    pub target: EntryUuid,
    /// `SubmissionSetStatus` slot (HasMember from a submission set).
    pub submission_set_status: Option<SubmissionSetStatus>,
    /// `PreviousVersion` slot (ITI-57 HasMember of a new entry version).
    pub previous_version: Option<String>,
    /// `OriginalStatus` slot (UpdateAvailabilityStatus).
    pub original_status: Option<AvailabilityStatus>,
    /// `NewStatus` slot (UpdateAvailabilityStatus).
    pub new_status: Option<AvailabilityStatus>,
    /// `@status`.
    pub availability_status: Option<AvailabilityStatus>,
}

impl Association {
    /// An association of `association_type` from `source` to `target`, with no slots.
    pub fn new(
        id: EntryUuid,
        association_type: AssociationType,
        source: EntryUuid,
        target: EntryUuid,
    ) -> Self {
        Self {
            id,
            association_type,
            source,
            target,
            submission_set_status: None,
            previous_version: None,
            original_status: None,
            new_status: None,
            availability_status: None,
        }
    }
}

/// The content of a `SubmitObjectsRequest`: exactly one submission set and its members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    /// The submission set.
    pub submission_set: SubmissionSet,
    /// Document entries (including the DMP signature entry).
    pub documents: Vec<DocumentEntry>,
    /// Folders.
    pub folders: Vec<Folder>,
    /// Associations.
    pub associations: Vec<Association>,
}

impl Submission {
    /// A submission of `submission_set` with no members yet.
    pub fn new(submission_set: SubmissionSet) -> Self {
        Self {
            submission_set,
            documents: Vec::new(),
            folders: Vec::new(),
            associations: Vec::new(),
        }
    }

    fn has_member(&mut self, target: EntryUuid, rng: &(impl Randomness + ?Sized)) {
        let mut member = Association::new(
            EntryUuid::random(rng),
            AssociationType::HasMember,
            self.submission_set.entry_uuid.clone(),
            target,
        );
        member.submission_set_status = Some(SubmissionSetStatus::Original);
        self.associations.push(member);
    }

    /// Adds a document and its `HasMember` association (`SubmissionSetStatus=Original`).
    pub fn add_document(&mut self, document: DocumentEntry, rng: &(impl Randomness + ?Sized)) {
        self.has_member(document.entry_uuid.clone(), rng);
        self.documents.push(document);
    }

    /// Adds a document that replaces the registered entry `replaced` (ITI-41 with an `RPLC`
    /// association, the DMP's way to publish a new version).
    pub fn add_replacement(
        &mut self,
        document: DocumentEntry,
        replaced: EntryUuid,
        rng: &(impl Randomness + ?Sized),
    ) {
        self.associations.push(Association::new(
            EntryUuid::random(rng),
            AssociationType::Replace,
            document.entry_uuid.clone(),
            replaced,
        ));
        self.add_document(document, rng);
    }

    /// Adds the DMP signature entry, its `HasMember` and the `signs` association to the set.
    pub fn add_dmp_signature(
        &mut self,
        signature: DocumentEntry,
        rng: &(impl Randomness + ?Sized),
    ) {
        let signs = Association::new(
            EntryUuid::random(rng),
            AssociationType::Signs,
            signature.entry_uuid.clone(),
            self.submission_set.entry_uuid.clone(),
        );
        self.add_document(signature, rng);
        self.associations.push(signs);
    }

    /// Adds an ITI-57 `UpdateAvailabilityStatus` association changing the registered entry
    /// `target` from `from` to `to` (TD3.3c delete: `to = Deleted`; TD3.3d archive:
    /// `Approved → Archived`, unarchive: `Archived → Approved`).
    pub fn add_status_update(
        &mut self,
        target: EntryUuid,
        from: AvailabilityStatus,
        to: AvailabilityStatus,
        rng: &(impl Randomness + ?Sized),
    ) {
        let mut update = Association::new(
            EntryUuid::random(rng),
            AssociationType::UpdateAvailabilityStatus,
            self.submission_set.entry_uuid.clone(),
            target,
        );
        update.original_status = Some(from);
        update.new_status = Some(to);
        self.associations.push(update);
    }

    /// Adds a new version of a registered document entry (ITI-57 metadata update, TD3.3a/b):
    /// `document` must carry the same `logical_id` as the registered entry and a fresh
    /// `entry_uuid`; `previous_version` is the registered entry's version.
    pub fn add_metadata_update(
        &mut self,
        document: DocumentEntry,
        previous_version: impl Into<String>,
        rng: &(impl Randomness + ?Sized),
    ) {
        self.add_document(document, rng);
        if let Some(member) = self.associations.last_mut() {
            member.previous_version = Some(previous_version.into());
        }
    }
}
