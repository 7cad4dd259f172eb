//! The XDS transactions of the DMP: TD2.1 feed (ITI-41, MTOM) and replacement (RPLC), TD3.1
//! stored queries (ITI-18), TD3.2 retrieve (ITI-43, MTOM), TD3.3a/b/c/d updates (ITI-57).

use base64::Engine as _;
use segur_soap::mtom::MtomBuilder;
use segur_transport::{Clock, HttpRequest, HttpResponse, Randomness};
use segur_xds::codes::oid;
use segur_xds::validate::{Profile, validate_with_documents};
use segur_xds::{
    AdhocQueryRequest, AdhocQueryResponse, AvailabilityStatus, Code, Cx, DocumentContent,
    DocumentEntry, DocumentPart, EntryUuid, FindDocuments, ProvideAndRegister, RegistryResponse,
    ResponseStatus, ReturnType, Severity, Submission, SubmissionSet, UniqueId, XdsErrorCode,
};

use segur_xmldsig::xades::{ContentKind, VerifiedXades, XadesBuilder, XadesVerifier};
use segur_xmldsig::{Signer, TrustPolicy};

use crate::env::{RequestContext, Service, action, read_payload};
use crate::error::{DmpError, DmpErrorKind};
use crate::xml::{self, escape};

/// The DMP's repository (`RepositoryUniqueId` of TD3.2).
pub const DMP_REPOSITORY: &str = "1.2.250.1.213.4.1.1.1.2";

/// The XML of a writer of `segur-xds` without its XML declaration, ready for a SOAP body.
pub(crate) fn without_declaration(xml: &str) -> &str {
    let xml = xml.trim_start();
    match xml.strip_prefix("<?xml").and_then(|r| r.split_once("?>")) {
        Some((_, rest)) => rest.trim(),
        None => xml.trim_end(),
    }
}

/// Turns a `RegistryResponse` into `Ok` on success, the errors otherwise.
fn registry_outcome(response: RegistryResponse) -> Result<RegistryResponse, DmpError> {
    if response.status == ResponseStatus::Success {
        Ok(response)
    } else {
        Err(DmpError::new(DmpErrorKind::Registry(response.errors)))
    }
}

/// Validates `submission` against the DMP profile of the `segur-xds` validator; errors stop
/// the request.
pub fn check_metadata(
    submission: &Submission,
    documents: &[(EntryUuid, &[u8])],
) -> Result<(), DmpError> {
    let report = validate_with_documents(submission, Profile::Dmp, documents);
    let errors: Vec<(String, String)> = report
        .errors()
        .map(|f| (f.code.to_string(), format!("{}: {}", f.location, f.message)))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(DmpError::new(DmpErrorKind::InvalidMetadata(errors)))
    }
}

/// TD2.1 (ITI-41 Provide and Register Document Set-b, MTOM/XOP): the submission with its
/// documents (the DMP signature document among them). A replacement (new version of a
/// registered document) is a feed whose submission was built with
/// [`Submission::add_replacement`].
///
/// [`Feed::signed`] creates the DMP signature entry and its XAdES document from a
/// [`Signer`]; [`Feed::new`] takes a submission that already has them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    /// The metadata.
    pub submission: Submission,
    /// The bytes of each document entry, by `entry_uuid`, exactly as they will be sent.
    pub documents: Vec<(EntryUuid, Vec<u8>)>,
}

impl Feed {
    /// A feed of `submission` and the bytes of its documents.
    pub fn new(submission: Submission, documents: Vec<(EntryUuid, Vec<u8>)>) -> Self {
        Self {
            submission,
            documents,
        }
    }

    /// A feed of `submission` and its documents, signed by `signer` (the professional's CPS
    /// signature key or the structure's signing certificate) the way the DMP requires
    /// (research note §3.3): a signature entry (`signature` ids; class
    /// `urn:oid:1.3.6.1.4.1.19376.1.2.1.1.1`, type `E1762`, format
    /// `http://www.w3.org/2000/09/xmldsig#`, eventCode `1.2.840.10065.1.12.1.14`,
    /// confidentiality `N` + `MASQUE_PS` + `INVISIBLE_PATIENT`, language `art`, the patient,
    /// facility and practice setting of the first document, the submission set's authors) with
    /// its `HasMember` and `signs` associations, and its content: the detached XAdES signature
    /// ([`segur_xmldsig::xades`]) over a manifest of the submission set and of every document
    /// (XML documents, by mime type, through Canonical XML with comments), signed at
    /// `clock.now()`, `Signature/@Id` = the signature entry's uniqueId.
    ///
    /// Every document entry must have its bytes in `documents` (same `entry_uuid`); the
    /// submission must not already hold a signature entry.
    pub fn signed(
        mut submission: Submission,
        mut documents: Vec<(EntryUuid, Vec<u8>)>,
        signature: SignatureDocument,
        signer: &dyn Signer,
        clock: &dyn Clock,
        random: &dyn Randomness,
    ) -> Result<Self, DmpError> {
        if submission.documents.iter().any(DocumentEntry::is_signature) {
            return Err(DmpError::invalid(
                "submission to sign (it already has a signature entry)",
                submission.submission_set.unique_id.as_str(),
            ));
        }
        let first = submission
            .documents
            .first()
            .ok_or_else(|| DmpError::missing("document to sign"))?;
        let mut entry = DocumentEntry::dmp_signature(
            signature.entry_uuid,
            signature.unique_id,
            submission.submission_set.patient_id.clone(),
            first.healthcare_facility_type_code.clone(),
            first.practice_setting_code.clone(),
            segur_xds::XdsTime::now(clock),
            submission.submission_set.authors.clone(),
        );
        let mut xades = XadesBuilder::new(
            entry.unique_id.as_str(),
            submission.submission_set.unique_id.as_str(),
            clock.now(),
        );
        for doc in &submission.documents {
            let bytes = documents
                .iter()
                .find(|(id, _)| *id == doc.entry_uuid)
                .map(|(_, b)| b.as_slice())
                .ok_or_else(|| {
                    DmpError::missing(format!("bytes of document {}", doc.entry_uuid.as_str()))
                })?;
            xades = xades.document(doc.unique_id.as_str(), bytes, content_kind(doc));
        }
        let content = xades.sign(signer).map_err(DmpError::signature)?;
        entry.set_content(&content);
        let entry_uuid = entry.entry_uuid.clone();
        submission.add_dmp_signature(entry, random);
        documents.push((entry_uuid, content));
        Ok(Self::new(submission, documents))
    }

    /// Verifies this feed's signature document against its documents; see
    /// [`verify_signature_document`].
    pub fn verify_signature(&self, trust: TrustPolicy) -> Result<VerifiedXades, DmpError> {
        verify_signature_document(&self.submission, &self.document_refs(), trust)
    }

    /// Runs the metadata validator (DMP profile, hashes and sizes against the bytes).
    pub fn check(&self) -> Result<(), DmpError> {
        check_metadata(&self.submission, &self.document_refs())
    }

    /// The documents as (entryUUID, bytes) pairs, the shape the checks take.
    fn document_refs(&self) -> Vec<(EntryUuid, &[u8])> {
        self.documents
            .iter()
            .map(|(id, b)| (id.clone(), b.as_slice()))
            .collect()
    }

    /// The MTOM request to the `repository` service (after [`Feed::check`]): one MIME part
    /// per document, byte for byte.
    pub fn to_http(&self, ctx: &RequestContext<'_>) -> Result<HttpRequest, DmpError> {
        self.check()?;
        let mut mtom = MtomBuilder::new(ctx.random).action(action::ITI_41);
        let mut parts = Vec::with_capacity(self.documents.len());
        for (id, bytes) in &self.documents {
            let attachment = mtom.attach(bytes.clone(), "application/octet-stream");
            let href = attachment.href();
            let cid = href.strip_prefix("cid:").unwrap_or(&href).to_owned();
            parts.push(DocumentPart {
                id: id.clone(),
                content: DocumentContent::XopInclude(cid),
            });
        }
        let body = ProvideAndRegister {
            submission: self.submission.clone(),
            documents: parts,
        }
        .to_xml();
        let envelope = ctx.envelope(
            Service::Repository,
            action::ITI_41,
            without_declaration(&body),
        );
        let message = mtom.finish(&envelope)?;
        Ok(segur_soap::mtom_request(
            &ctx.environment.url(Service::Repository),
            message,
        )?)
    }

    /// Reads the `RegistryResponse`; `Failure` becomes [`DmpErrorKind::Registry`].
    pub fn parse_response(response: &HttpResponse) -> Result<RegistryResponse, DmpError> {
        let (_, payload) = read_payload(response)?;
        registry_outcome(RegistryResponse::from_xml(payload.xml.as_bytes())?)
    }
}

/// The identifiers of the signature entry that [`Feed::signed`] creates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureDocument {
    /// Its `entry_uuid` (a symbolic id such as `Signature01` in a submission).
    pub entry_uuid: EntryUuid,
    /// Its uniqueId (an OID of the sender's branch), also the XAdES `Signature/@Id`.
    pub unique_id: UniqueId,
}

/// How a document entry is digested in the XAdES manifest: XML mime types through Canonical
/// XML with comments, the rest as bytes.
fn content_kind(entry: &DocumentEntry) -> ContentKind {
    let mime = entry.mime_type.to_ascii_lowercase();
    let essence = mime.split(';').next().unwrap_or_default().trim();
    if essence == "text/xml" || essence == "application/xml" || essence.ends_with("+xml") {
        ContentKind::Xml
    } else {
        ContentKind::Binary
    }
}

/// Verifies the DMP signature document of a received submission (what the DMP does on TD2.1):
/// the signature entry's bytes must be a XAdES signature document ([`XadesVerifier`], SHA-1
/// allowed) made with a certificate that `trust` accepts, whose manifest references the
/// submission set and exactly the other documents of the submission (by uniqueId) with their
/// digests. `documents` are the bytes by `entry_uuid`, as received.
///
/// A submission without signature entry, or whose signature entry has no bytes, is refused
/// ([`DmpErrorKind::Missing`]); a signature that does not verify gives
/// [`DmpErrorKind::Signature`]. `Signature/@Id` is returned but not compared with the entry's
/// uniqueId ([`Feed::signed`] makes them equal; the official TD2.1 sample uses a UUID).
pub fn verify_signature_document(
    submission: &Submission,
    documents: &[(EntryUuid, &[u8])],
    trust: TrustPolicy,
) -> Result<VerifiedXades, DmpError> {
    let bytes_of = |entry: &DocumentEntry| {
        documents
            .iter()
            .find(|(id, _)| *id == entry.entry_uuid)
            .map(|(_, b)| *b)
            .ok_or_else(|| {
                DmpError::missing(format!("bytes of document {}", entry.entry_uuid.as_str()))
            })
    };
    let signature = submission
        .documents
        .iter()
        .find(|d| d.is_signature())
        .ok_or_else(|| DmpError::missing("signature document entry"))?;
    let verified = XadesVerifier::new(trust)
        .verify(bytes_of(signature)?)
        .map_err(DmpError::signature)?;
    let signed = submission
        .documents
        .iter()
        .filter(|d| !d.is_signature())
        .map(|d| Ok((d.unique_id.as_str(), bytes_of(d)?)))
        .collect::<Result<Vec<_>, DmpError>>()?;
    verified
        .verify_documents(submission.submission_set.unique_id.as_str(), &signed)
        .map_err(DmpError::signature)?;
    Ok(verified)
}

/// TD3.1 (ITI-18 Registry Stored Query).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The stored query.
    pub request: AdhocQueryRequest,
}

impl Query {
    /// FindDocuments of `patient` with the given statuses (French `Archived` / `Deleted`
    /// included), full metadata (`LeafClass`).
    pub fn find_documents(patient: &Cx, statuses: &[AvailabilityStatus]) -> Self {
        Self {
            request: FindDocuments::new(patient.clone(), statuses.to_vec())
                .to_request(ReturnType::LeafClass),
        }
    }

    /// The HTTP request to the `registry` service.
    pub fn to_http(&self, ctx: &RequestContext<'_>) -> Result<HttpRequest, DmpError> {
        let body = self.request.to_xml();
        ctx.soap(
            Service::Registry,
            action::ITI_18,
            without_declaration(&body),
        )
    }

    /// Reads the `AdhocQueryResponse`; `Failure` becomes [`DmpErrorKind::Registry`].
    pub fn parse_response(response: &HttpResponse) -> Result<AdhocQueryResponse, DmpError> {
        let (_, payload) = read_payload(response)?;
        let answer = AdhocQueryResponse::from_xml(payload.xml.as_bytes())?;
        if answer.status == ResponseStatus::Failure {
            return Err(DmpError::new(DmpErrorKind::Registry(answer.errors)));
        }
        Ok(answer)
    }
}

/// TD3.2 (ITI-43 Retrieve Document Set): one document by its uniqueId.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retrieve {
    /// `RepositoryUniqueId` ([`DMP_REPOSITORY`] for the DMP).
    pub repository_unique_id: String,
    /// `DocumentUniqueId`: the uniqueId, not the entryUUID.
    pub document_unique_id: UniqueId,
}

/// A retrieved document.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetrievedDocument {
    /// `RepositoryUniqueId`.
    pub repository_unique_id: String,
    /// `DocumentUniqueId`.
    pub document_unique_id: String,
    /// `mimeType`.
    pub mime_type: Option<String>,
    /// The bytes.
    pub content: Vec<u8>,
}

impl Retrieve {
    /// A retrieve from the DMP's repository.
    pub fn new(document_unique_id: UniqueId) -> Self {
        Self {
            repository_unique_id: DMP_REPOSITORY.to_owned(),
            document_unique_id,
        }
    }

    /// The body.
    pub fn body(&self) -> String {
        format!(
            "<xdsb:RetrieveDocumentSetRequest xmlns:xdsb=\"urn:ihe:iti:xds-b:2007\"><xdsb:DocumentRequest><xdsb:RepositoryUniqueId>{}</xdsb:RepositoryUniqueId><xdsb:DocumentUniqueId>{}</xdsb:DocumentUniqueId></xdsb:DocumentRequest></xdsb:RetrieveDocumentSetRequest>",
            escape(&self.repository_unique_id),
            escape(self.document_unique_id.as_str())
        )
    }

    /// The HTTP request to the `repository` service.
    pub fn to_http(&self, ctx: &RequestContext<'_>) -> Result<HttpRequest, DmpError> {
        ctx.soap(Service::Repository, action::ITI_43, &self.body())
    }

    /// Reads the (MTOM) `RetrieveDocumentSetResponse`: the documents, XOP parts resolved,
    /// inline base64 decoded. A `Failure` status becomes [`DmpErrorKind::Registry`]
    /// (`XDSDocumentUniqueIdError` for an unknown document).
    pub fn parse_response(response: &HttpResponse) -> Result<Vec<RetrievedDocument>, DmpError> {
        let (mut soap, payload) = read_payload(response)?;
        let root = xml::parse(payload.xml.as_bytes())?;
        if root.name != "RetrieveDocumentSetResponse" {
            return Err(DmpError::invalid("ITI-43 response root", root.name));
        }
        let rr = root
            .child("RegistryResponse")
            .ok_or_else(|| DmpError::missing("RetrieveDocumentSetResponse/RegistryResponse"))?;
        if rr.attr("status") != Some(ResponseStatus::Success.urn()) {
            let errors = rr
                .child("RegistryErrorList")
                .map(|list| {
                    list.children_named("RegistryError")
                        .map(|e| segur_xds::RegistryError {
                            code: XdsErrorCode::parse(e.attr("errorCode").unwrap_or_default()),
                            severity: if e.attr("severity").is_some_and(|s| s.ends_with("Warning"))
                            {
                                Severity::Warning
                            } else {
                                Severity::Error
                            },
                            code_context: e.attr("codeContext").unwrap_or_default().to_owned(),
                            location: e.attr("location").map(str::to_owned),
                        })
                        .collect()
                })
                .unwrap_or_default();
            return Err(DmpError::new(DmpErrorKind::Registry(errors)));
        }
        let mut out = Vec::new();
        // each part backs one document: copying a part once per reference would let a
        // response referencing one large part many times take unbounded memory
        let mut used_parts = std::collections::HashSet::new();
        for (i, doc) in root.children_named("DocumentResponse").enumerate() {
            let path = format!("DocumentResponse[{}]", i + 1);
            let document = doc
                .child("Document")
                .ok_or_else(|| DmpError::missing(format!("{path}/Document")))?;
            let content = match document.child("Include").and_then(|inc| inc.attr("href")) {
                Some(href) => {
                    let part = soap.message.part(href)?;
                    if !used_parts.insert(std::ptr::from_ref(part)) {
                        return Err(DmpError::invalid(
                            "MTOM part referenced by two documents",
                            href,
                        ));
                    }
                    // each part is used once: moved out, not copied
                    soap.message.take_part(href)?
                }
                None => base64::engine::general_purpose::STANDARD
                    .decode(document.text.split_ascii_whitespace().collect::<String>())
                    .map_err(|_| DmpError::invalid("inline document base64", path.clone()))?,
            };
            out.push(RetrievedDocument {
                repository_unique_id: doc
                    .child_text("RepositoryUniqueId")
                    .unwrap_or_default()
                    .to_owned(),
                document_unique_id: doc
                    .child_text("DocumentUniqueId")
                    .ok_or_else(|| DmpError::missing(format!("{path}/DocumentUniqueId")))?
                    .to_owned(),
                mime_type: doc.child_text("mimeType").map(str::to_owned),
                content,
            });
        }
        Ok(out)
    }
}

/// TD3.3 (ITI-57 Update Document Set): a `SubmitObjectsRequest` with a submission set and
/// either new versions of entries (mask/unmask, visibility) or status changes (delete,
/// archive/unarchive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    /// The update submission.
    pub submission: Submission,
}

/// The visibility code `MASQUE_PS` (hidden from professionals).
pub fn masked_code() -> Code {
    Code::new(
        "MASQUE_PS",
        oid::VISIBILITY,
        "Masqué aux professionnels de santé",
    )
}

/// The visibility code `INVISIBLE_PATIENT` (not visible to the patient).
pub fn invisible_to_patient_code() -> Code {
    Code::new(
        "INVISIBLE_PATIENT",
        oid::VISIBILITY,
        "Non visible par le patient",
    )
}

impl Update {
    /// TD3.3c (delete: `to = Deleted`) and TD3.3d (archive `Approved → Archived`, unarchive
    /// `Archived → Approved`) of the registered entry `target`.
    pub fn status(
        submission_set: SubmissionSet,
        target: EntryUuid,
        from: AvailabilityStatus,
        to: AvailabilityStatus,
        random: &dyn Randomness,
    ) -> Self {
        let mut submission = Submission::new(submission_set);
        submission.add_status_update(target, from, to, random);
        Self { submission }
    }

    /// TD3.3a/b: a new version of the registered `entry` (same logical id, a fresh entryUUID,
    /// `previous_version` = its version) with `MASQUE_PS` set or removed (`masked`) and
    /// `INVISIBLE_PATIENT` set or removed (`invisible_to_patient`).
    pub fn visibility(
        submission_set: SubmissionSet,
        entry: &DocumentEntry,
        masked: bool,
        invisible_to_patient: bool,
        random: &dyn Randomness,
    ) -> Result<Self, DmpError> {
        let previous = entry
            .version
            .clone()
            .ok_or_else(|| DmpError::missing("version of the registered entry"))?;
        let mut next = entry.clone();
        next.logical_id = Some(
            entry
                .logical_id
                .clone()
                .unwrap_or_else(|| entry.entry_uuid.clone()),
        );
        next.entry_uuid = EntryUuid::random(random);
        next.version = None;
        next.availability_status = None;
        for (code, wanted) in [
            (masked_code(), masked),
            (invisible_to_patient_code(), invisible_to_patient),
        ] {
            next.confidentiality_codes.retain(|c| c.code != code.code);
            if wanted {
                next.confidentiality_codes.push(code);
            }
        }
        let mut submission = Submission::new(submission_set);
        submission.add_metadata_update(next, previous, random);
        Ok(Self { submission })
    }

    /// The HTTP request to the `registry` service.
    pub fn to_http(&self, ctx: &RequestContext<'_>) -> Result<HttpRequest, DmpError> {
        let body = self.submission.to_ebrim();
        ctx.soap(
            Service::Registry,
            action::ITI_57,
            without_declaration(&body),
        )
    }

    /// Reads the `RegistryResponse`.
    pub fn parse_response(response: &HttpResponse) -> Result<RegistryResponse, DmpError> {
        Feed::parse_response(response)
    }
}
