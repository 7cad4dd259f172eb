//! The pre-send validator: checks a [`Submission`] the way a registry (and the DMP) would and
//! returns a [`Report`] of typed [`Finding`]s, each with the XDS error code the registry would
//! answer. Validation never fails: an invalid submission is a report with errors.

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::codes::{self, CLASS_CODE_DMP, Code, oid};
use crate::hl7v2::{Cx, Xcn};
use crate::ids::EntryUuid;
use crate::model::{AssociationType, Author, DocumentEntry, Sha1Hash, Submission};
use crate::response::{RegistryError, Severity, XdsErrorCode};

/// Which rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Profile {
    /// IHE XDS.b rules only.
    Xds,
    /// XDS.b plus the DMP's: INS patient ids, hash/size/creationTime/languageCode/title/author
    /// required, DMP value sets, signature entry in feeds.
    #[default]
    Dmp,
}

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// Two objects share an `id`.
    DuplicateEntryUuid,
    /// Two objects share a `uniqueId`.
    DuplicateUniqueId,
    /// A document or folder has another patient than the submission set.
    PatientIdMismatch,
    /// A patient id is not a CX with an ISO OID authority (DMP: not an INS with type `NH`).
    InvalidPatientId,
    /// A required attribute is missing.
    MissingAttribute,
    /// A code's coding scheme is not allowed for its attribute.
    CodingSchemeNotAllowed,
    /// A code is not in the attribute's value set.
    CodeNotInValueSet,
    /// The confidentiality codes do not contain exactly one HL7 code (N, R or V).
    ConfidentialityHl7Code,
    /// `serviceStartTime` is after `serviceStopTime`.
    ServiceTimeOrder,
    /// An author has neither person nor institution, or an identifier without authority.
    IncompleteAuthor,
    /// A document or folder is not a member of the submission set.
    NotInSubmissionSet,
    /// A HasMember association from the submission set lacks `SubmissionSetStatus`.
    MissingSubmissionSetStatus,
    /// An association points to a symbolic id absent from the submission.
    UnresolvedReference,
    /// A DMP feed lacks the signature entry or its `signs` association.
    MissingSignature,
    /// `hash` differs from the SHA-1 of the bytes.
    HashMismatch,
    /// `size` differs from the byte count.
    SizeMismatch,
    /// A document entry has no document bytes.
    MissingDocument,
    /// Document bytes have no document entry.
    MissingDocumentMetadata,
    /// An `UpdateAvailabilityStatus` association lacks `OriginalStatus` or `NewStatus`.
    IncompleteStatusUpdate,
    /// A value is longer than ebRIM allows (256 characters for slot values and identifiers).
    ValueTooLong,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule.
    pub rule: Rule,
    /// The XDS error code a registry would return.
    pub code: XdsErrorCode,
    /// Error (the registry would reject) or warning.
    pub severity: Severity,
    /// Where: `DocumentEntry[Doc01].classCode`...
    pub location: String,
    /// Explanation (never contains the patient identifier).
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{sev} {} at {}: {}",
            self.code, self.location, self.message
        )
    }
}

/// The findings of a validation run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// All findings, in check order.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Whether nothing of severity `Error` was found (warnings allowed).
    pub fn is_ok(&self) -> bool {
        !self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// The findings of severity `Error`.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
    }

    /// Whether some finding is of `rule`.
    pub fn has(&self, rule: Rule) -> bool {
        self.findings.iter().any(|f| f.rule == rule)
    }

    /// The findings as `RegistryError`s (what a simulator answers).
    pub fn to_registry_errors(&self) -> Vec<RegistryError> {
        self.findings
            .iter()
            .map(|f| RegistryError {
                code: f.code.clone(),
                severity: f.severity,
                code_context: f.message.clone(),
                location: Some(f.location.clone()),
            })
            .collect()
    }
}

struct Checker {
    profile: Profile,
    report: Report,
}

impl Checker {
    fn push(
        &mut self,
        rule: Rule,
        code: XdsErrorCode,
        severity: Severity,
        location: String,
        message: String,
    ) {
        self.report.findings.push(Finding {
            rule,
            code,
            severity,
            location,
            message,
        });
    }

    fn error(&mut self, rule: Rule, location: String, message: String) {
        self.push(
            rule,
            XdsErrorCode::RegistryMetadataError,
            Severity::Error,
            location,
            message,
        );
    }

    fn dmp(&self) -> bool {
        self.profile == Profile::Dmp
    }

    fn patient_id(&mut self, cx: &Cx, location: String) {
        let oid = cx.assigning_authority.as_ref().and_then(|a| a.iso_oid());
        let Some(oid) = oid else {
            self.error(
                Rule::InvalidPatientId,
                location,
                "patient id must carry an ISO OID assigning authority (&OID&ISO)".into(),
            );
            return;
        };
        if cx.effective_date.is_some() {
            self.push(
                Rule::InvalidPatientId,
                XdsErrorCode::RegistryMetadataError,
                Severity::Warning,
                location.clone(),
                "IHE allows only CX.1, CX.4 and CX.5 in a patient id (CX.7 is set)".into(),
            );
        }
        let without_date = Cx {
            effective_date: None,
            ..cx.clone()
        };
        if self.dmp()
            && let Err(e) = without_date.to_ins()
        {
            self.error(
                Rule::InvalidPatientId,
                location,
                format!("the DMP patient id is the INS ({oid} is the authority): {e}"),
            );
        }
    }

    fn length(&mut self, value: &str, location: String) {
        if value.chars().count() > 256 {
            self.error(
                Rule::ValueTooLong,
                location,
                format!("{} characters, ebRIM allows 256", value.chars().count()),
            );
        }
    }

    fn code(&mut self, attribute: &str, code: &Code, location: &str) {
        let allowed = codes::allowed_schemes(attribute);
        if !allowed.is_empty() && !allowed.contains(&code.coding_scheme.as_str()) {
            self.error(
                Rule::CodingSchemeNotAllowed,
                format!("{location}.{attribute}"),
                format!(
                    "coding scheme {:?} is not one of {}",
                    code.coding_scheme,
                    allowed.join(", ")
                ),
            );
        }
        if code.code.is_empty() {
            self.error(
                Rule::MissingAttribute,
                format!("{location}.{attribute}"),
                "empty code".into(),
            );
        }
        if !self.dmp() {
            return;
        }
        // Value sets: the DMP ones where the crate has them whole (errors), the CI-SIS JDV
        // otherwise (warnings: the DMP JDV may hold more recent codes).
        let (set, severity) = match attribute {
            "classCode" => (CLASS_CODE_DMP, Severity::Error),
            "confidentialityCode" => (codes::CONFIDENTIALITY, Severity::Error),
            "typeCode" => (codes::TYPE_CODE, Severity::Warning),
            "healthcareFacilityTypeCode" => (codes::HEALTHCARE_FACILITY_TYPE, Severity::Warning),
            "practiceSettingCode" => (codes::PRACTICE_SETTING, Severity::Warning),
            _ => return,
        };
        if !set.contains(code) {
            self.push(
                Rule::CodeNotInValueSet,
                XdsErrorCode::RegistryMetadataError,
                severity,
                format!("{location}.{attribute}"),
                format!(
                    "{}^{} is not in {}",
                    code.code, code.coding_scheme, set.name
                ),
            );
        }
    }

    fn xcn(&mut self, xcn: &Xcn, location: String) {
        if xcn.id.is_some()
            && xcn
                .assigning_authority
                .as_ref()
                .and_then(|a| a.iso_oid())
                .is_none()
        {
            self.error(
                Rule::IncompleteAuthor,
                location.clone(),
                "a person identifier needs an ISO OID assigning authority".into(),
            );
        }
        self.length(&xcn.to_hl7v2(), location);
    }

    fn authors(&mut self, authors: &[Author], location: &str) {
        if authors.is_empty() && self.dmp() {
            self.error(
                Rule::MissingAttribute,
                format!("{location}.author"),
                "the DMP requires an author".into(),
            );
        }
        for (i, a) in authors.iter().enumerate() {
            let loc = format!("{location}.author[{}]", i + 1);
            if a.person.is_none() && a.institutions.is_empty() {
                self.error(
                    Rule::IncompleteAuthor,
                    loc.clone(),
                    "an author needs authorPerson or authorInstitution".into(),
                );
            }
            if let Some(p) = &a.person {
                self.xcn(p, format!("{loc}.authorPerson"));
            }
            for inst in &a.institutions {
                self.length(&inst.to_hl7v2(), format!("{loc}.authorInstitution"));
            }
        }
    }

    fn missing(&mut self, present: bool, location: &str, attribute: &str, code: XdsErrorCode) {
        if !present {
            self.push(
                Rule::MissingAttribute,
                code,
                Severity::Error,
                format!("{location}.{attribute}"),
                format!("{attribute} is required"),
            );
        }
    }

    fn document(&mut self, doc: &DocumentEntry, set_patient: &Cx) {
        let loc = format!("DocumentEntry[{}]", doc.entry_uuid);
        if &doc.patient_id != set_patient {
            self.push(
                Rule::PatientIdMismatch,
                XdsErrorCode::PatientIdDoesNotMatch,
                Severity::Error,
                format!("{loc}.patientId"),
                "the document's patientId differs from the submission set's".into(),
            );
        }
        self.patient_id(&doc.patient_id, format!("{loc}.patientId"));
        self.length(&doc.patient_id.to_hl7v2(), format!("{loc}.patientId"));
        self.code("classCode", &doc.class_code, &loc);
        self.code("typeCode", &doc.type_code, &loc);
        self.code("formatCode", &doc.format_code, &loc);
        self.code(
            "healthcareFacilityTypeCode",
            &doc.healthcare_facility_type_code,
            &loc,
        );
        self.code("practiceSettingCode", &doc.practice_setting_code, &loc);
        for c in &doc.confidentiality_codes {
            self.code("confidentialityCode", c, &loc);
        }
        let hl7 = doc
            .confidentiality_codes
            .iter()
            .filter(|c| c.coding_scheme == oid::HL7_CONFIDENTIALITY)
            .count();
        if hl7 != 1 {
            self.error(
                Rule::ConfidentialityHl7Code,
                format!("{loc}.confidentialityCode"),
                format!("exactly one HL7 confidentiality code (N, R, V) is required, found {hl7}"),
            );
        }
        self.authors(&doc.authors, &loc);
        if let Some(la) = &doc.legal_authenticator {
            self.xcn(la, format!("{loc}.legalAuthenticator"));
        }
        if let (Some(start), Some(stop)) = (&doc.service_start_time, &doc.service_stop_time) {
            // Compare on the common precision.
            let n = start.as_str().len().min(stop.as_str().len());
            if start.as_str()[..n] > stop.as_str()[..n] {
                self.error(
                    Rule::ServiceTimeOrder,
                    format!("{loc}.serviceStartTime"),
                    format!("serviceStartTime {start} is after serviceStopTime {stop}"),
                );
            }
        }
        if doc.mime_type.is_empty() {
            self.missing(false, &loc, "mimeType", XdsErrorCode::RegistryMetadataError);
        }
        if self.dmp() {
            let meta = XdsErrorCode::RegistryMetadataError;
            self.missing(
                doc.creation_time.is_some(),
                &loc,
                "creationTime",
                meta.clone(),
            );
            self.missing(
                doc.language_code.is_some(),
                &loc,
                "languageCode",
                meta.clone(),
            );
            self.missing(doc.title.is_some(), &loc, "title", meta.clone());
            self.missing(
                doc.source_patient_id.is_some(),
                &loc,
                "sourcePatientId",
                meta,
            );
            // The DMP wants hash and size from the LPS (XDS.b lets the repository compute them).
            let repo = XdsErrorCode::RepositoryMetadataError;
            self.missing(doc.hash.is_some(), &loc, "hash", repo.clone());
            self.missing(doc.size.is_some(), &loc, "size", repo);
        }
    }

    fn check(&mut self, s: &Submission, documents: Option<&[(EntryUuid, &[u8])]>) {
        let set = &s.submission_set;
        let set_loc = format!("SubmissionSet[{}]", set.entry_uuid);
        self.patient_id(&set.patient_id, format!("{set_loc}.patientId"));
        self.authors(&set.authors, &set_loc);
        match &set.content_type_code {
            Some(c) => self.code("contentTypeCode", c, &set_loc),
            None => self.missing(
                false,
                &set_loc,
                "contentTypeCode",
                XdsErrorCode::RegistryMetadataError,
            ),
        }

        // Ids and uniqueIds unique within the message.
        let mut ids: HashSet<&str> = HashSet::new();
        let all_ids = std::iter::once(&set.entry_uuid)
            .chain(s.documents.iter().map(|d| &d.entry_uuid))
            .chain(s.folders.iter().map(|f| &f.entry_uuid))
            .chain(s.associations.iter().map(|a| &a.id));
        for id in all_ids {
            if !ids.insert(id.as_str()) {
                self.error(
                    Rule::DuplicateEntryUuid,
                    format!("Object[{id}]"),
                    format!("id {id} is used by more than one object"),
                );
            }
        }
        let mut unique: HashMap<&str, &EntryUuid> = HashMap::new();
        let uniques = std::iter::once((set.unique_id.as_str(), &set.entry_uuid))
            .chain(
                s.documents
                    .iter()
                    .map(|d| (d.unique_id.as_str(), &d.entry_uuid)),
            )
            .chain(
                s.folders
                    .iter()
                    .map(|f| (f.unique_id.as_str(), &f.entry_uuid)),
            );
        for (uid, owner) in uniques {
            if let Some(first) = unique.insert(uid, owner) {
                self.push(
                    Rule::DuplicateUniqueId,
                    XdsErrorCode::RegistryDuplicateUniqueIdInMessage,
                    Severity::Error,
                    format!("Object[{owner}].uniqueId"),
                    format!("uniqueId {uid} is also used by {first}"),
                );
            }
        }

        for doc in &s.documents {
            self.document(doc, &set.patient_id);
        }
        for f in &s.folders {
            let loc = format!("Folder[{}]", f.entry_uuid);
            if f.patient_id != set.patient_id {
                self.push(
                    Rule::PatientIdMismatch,
                    XdsErrorCode::PatientIdDoesNotMatch,
                    Severity::Error,
                    format!("{loc}.patientId"),
                    "the folder's patientId differs from the submission set's".into(),
                );
            }
            if f.codes.is_empty() {
                self.missing(false, &loc, "codeList", XdsErrorCode::RegistryMetadataError);
            }
        }

        // Associations.
        for a in &s.associations {
            let loc = format!("Association[{}]", a.id);
            for end in [&a.source, &a.target] {
                if !end.is_uuid() && !ids.contains(end.as_str()) {
                    self.push(
                        Rule::UnresolvedReference,
                        XdsErrorCode::UnresolvedReferenceException,
                        Severity::Error,
                        loc.clone(),
                        format!("{end} is neither in the submission nor a urn:uuid"),
                    );
                }
            }
            let from_set = a.source == set.entry_uuid;
            if a.association_type == AssociationType::HasMember
                && from_set
                && a.submission_set_status.is_none()
            {
                self.error(
                    Rule::MissingSubmissionSetStatus,
                    loc.clone(),
                    "HasMember from the submission set needs SubmissionSetStatus".into(),
                );
            }
            if a.association_type == AssociationType::UpdateAvailabilityStatus
                && (a.original_status.is_none() || a.new_status.is_none())
            {
                self.push(
                    Rule::IncompleteStatusUpdate,
                    XdsErrorCode::MetadataUpdateOperationError,
                    Severity::Error,
                    loc,
                    "UpdateAvailabilityStatus needs OriginalStatus and NewStatus".into(),
                );
            }
        }
        let members: HashSet<&str> = s
            .associations
            .iter()
            .filter(|a| {
                a.association_type == AssociationType::HasMember && a.source == set.entry_uuid
            })
            .map(|a| a.target.as_str())
            .collect();
        for id in s
            .documents
            .iter()
            .map(|d| &d.entry_uuid)
            .chain(s.folders.iter().map(|f| &f.entry_uuid))
        {
            if !members.contains(id.as_str()) {
                self.error(
                    Rule::NotInSubmissionSet,
                    format!("Object[{id}]"),
                    "not a member (HasMember) of the submission set".into(),
                );
            }
        }

        // The DMP requires a signature entry signing the set in every feed of new documents.
        let feeds_documents = s
            .documents
            .iter()
            .any(|d| !d.is_signature() && d.logical_id.is_none());
        if self.dmp() && feeds_documents {
            let signature = s.documents.iter().find(|d| d.is_signature());
            let signed = signature.is_some_and(|sig| {
                s.associations.iter().any(|a| {
                    a.association_type == AssociationType::Signs
                        && a.source == sig.entry_uuid
                        && a.target == set.entry_uuid
                })
            });
            if !signed {
                self.error(
                    Rule::MissingSignature,
                    set_loc,
                    "a DMP feed needs the signature document entry and its signs association"
                        .into(),
                );
            }
        }

        if let Some(bytes) = documents {
            self.contents(s, bytes);
        }
    }

    fn contents(&mut self, s: &Submission, bytes: &[(EntryUuid, &[u8])]) {
        for doc in &s.documents {
            let loc = format!("DocumentEntry[{}]", doc.entry_uuid);
            let Some((_, content)) = bytes.iter().find(|(id, _)| *id == doc.entry_uuid) else {
                self.push(
                    Rule::MissingDocument,
                    XdsErrorCode::MissingDocument,
                    Severity::Error,
                    loc,
                    "no document bytes for this entry".into(),
                );
                continue;
            };
            if let Some(h) = doc.hash
                && h != Sha1Hash::of(content)
            {
                self.push(
                    Rule::HashMismatch,
                    XdsErrorCode::NonIdenticalHash,
                    Severity::Error,
                    format!("{loc}.hash"),
                    format!("hash {} is not the SHA-1 of the document bytes", h.to_hex()),
                );
            }
            if let Some(size) = doc.size
                && size != content.len() as u64
            {
                self.push(
                    Rule::SizeMismatch,
                    XdsErrorCode::NonIdenticalSize,
                    Severity::Error,
                    format!("{loc}.size"),
                    format!("size {size} but the document has {} bytes", content.len()),
                );
            }
        }
        for (id, _) in bytes {
            if !s.documents.iter().any(|d| &d.entry_uuid == id) {
                self.push(
                    Rule::MissingDocumentMetadata,
                    XdsErrorCode::MissingDocumentMetadata,
                    Severity::Error,
                    format!("Document[{id}]"),
                    "document bytes without a DocumentEntry of the same id".into(),
                );
            }
        }
    }
}

/// Validates the metadata of `submission` under `profile`.
pub fn validate(submission: &Submission, profile: Profile) -> Report {
    let mut c = Checker {
        profile,
        report: Report::default(),
    };
    c.check(submission, None);
    c.report
}

/// Validates the metadata and the documents about to be sent with it (ITI-41): each entry must
/// have bytes whose SHA-1 and size match `hash` and `size`, and each document an entry.
pub fn validate_with_documents(
    submission: &Submission,
    profile: Profile,
    documents: &[(EntryUuid, &[u8])],
) -> Report {
    let mut c = Checker {
        profile,
        report: Report::default(),
    };
    c.check(submission, Some(documents));
    c.report
}
