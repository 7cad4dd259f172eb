//! A submission set for CDA documents sent by MSSanté: each DocumentEntry derived from its CDA
//! header by `segur-xds` (CI-SIS mapping), the SubmissionSet around them.

use segur_transport::{Clock, Randomness};
use segur_xds::cda::CdaOverrides;
use segur_xds::{Author, Code, DocumentEntry, EntryUuid, Oid, Submission, SubmissionSet, XdsTime};

use crate::address::Mailbox;
use crate::error::{Error, ErrorKind, Result};

/// What the SubmissionSet needs beyond the documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionOptions {
    /// `sourceId`: the OID of the sending software or structure.
    pub source_id: Oid,
    /// `contentTypeCode` (JDV_J59), if any.
    pub content_type_code: Option<Code>,
    /// `intendedRecipient`: the MSSanté addresses the archive is for (XTN form).
    pub intended_recipients: Vec<Mailbox>,
    /// Authors of the submission set; by default those of the first document.
    pub authors: Vec<Author>,
    /// `Name` of the submission set.
    pub title: Option<String>,
    /// Values replacing what is derived from each CDA header.
    pub overrides: CdaOverrides,
}

impl SubmissionOptions {
    /// Options with a `sourceId` and nothing else.
    pub fn new(source_id: Oid) -> Self {
        Self {
            source_id,
            content_type_code: None,
            intended_recipients: Vec::new(),
            authors: Vec::new(),
            title: None,
            overrides: CdaOverrides::new(),
        }
    }
}

/// An OID from 128 random bits (`2.25.<decimal UUID>`, ITU-T X.667).
fn random_oid(random: &dyn Randomness) -> Result<Oid> {
    let uuid = random.uuid_v4();
    Oid::parse(&format!("2.25.{}", uuid.as_u128())).map_err(|e| {
        Error::new(
            ErrorKind::InvalidInput,
            format!("generated OID refused: {e}"),
        )
        .with_source(e)
    })
}

fn xds_error(e: segur_xds::XdsError, what: &str) -> Error {
    Error::new(ErrorKind::InvalidMetadata, format!("{what}: {e}")).with_source(e)
}

/// Builds the submission of `documents` (CDA R2 bytes, in order): one DocumentEntry each,
/// derived with [`DocumentEntry::from_cda_bytes`], `hash` and `size` set from the bytes; the
/// SubmissionSet gets a fresh `2.25.` uniqueId, the submission time from `clock`, the patient of
/// the documents (which must all be the same), and `HasMember` associations.
pub fn submission_for_cda(
    documents: &[&[u8]],
    options: &SubmissionOptions,
    clock: &dyn Clock,
    random: &dyn Randomness,
) -> Result<Submission> {
    if documents.is_empty() {
        return Err(Error::new(ErrorKind::InvalidInput, "no document"));
    }
    let mut entries = Vec::with_capacity(documents.len());
    for (i, cda) in documents.iter().enumerate() {
        let entry =
            DocumentEntry::from_cda_bytes(cda, EntryUuid::random(random), &options.overrides)
                .map_err(|e| {
                    xds_error(e, "metadata from the CDA header").at(format!("document {}", i + 1))
                })?;
        entries.push(entry);
    }
    let patient_id = entries[0].patient_id.clone();
    if entries.iter().any(|e| e.patient_id != patient_id) {
        return Err(Error::new(
            ErrorKind::MixedPatients,
            "the documents concern more than one patient (one patient per message, ECO.2.1.1)",
        ));
    }
    let authors = if options.authors.is_empty() {
        entries[0].authors.clone()
    } else {
        options.authors.clone()
    };
    let set = SubmissionSet {
        entry_uuid: EntryUuid::random(random),
        unique_id: random_oid(random)?,
        source_id: options.source_id.clone(),
        patient_id,
        submission_time: XdsTime::from_datetime(clock.now()),
        content_type_code: options.content_type_code.clone(),
        authors,
        title: options.title.clone(),
        comments: None,
        intended_recipients: options
            .intended_recipients
            .iter()
            .map(|m| format!("||^^Internet^{}", m.address()))
            .collect(),
        availability_status: None,
    };
    let mut submission = Submission::new(set);
    for entry in entries {
        submission.add_document(entry, random);
    }
    Ok(submission)
}
