//! A DMP simulator (feature `simulator`): the server side of every transaction of this crate,
//! in memory, sans-IO ([`Simulator::handle`] answers an `http::Request`). Tests plug it in as a
//! closure [`Transport`](segur_transport::Transport).
//!
//! It checks what the DMP checks: a VIHF signed by a certificate chaining to the configured
//! anchors (unsigned and tampered VIHFs are refused) and, in the indirect modes, carrying the
//! structure identifier of that certificate, the patient attribute, the patient's
//! existence, the caller's authorisation (TD0.3 grants it), the submitted metadata (the
//! `segur-xds` validator, DMP profile, hashes and sizes against the MIME parts), the TD2.1
//! XAdES signature document against the submitted documents, duplicate
//! uniqueIds, ITI-57 previous versions and original statuses. Faults are SOAP 1.2 faults with
//! the DMP's code in the innermost subcode; XDS errors are `RegistryResponse` failures.
//!
//! The fault codes it uses for VIHF problems (`DMPInvalidCertificate`), missing authorisation
//! (`DMPAccessDeniedByRightsService`) and unknown patients (`DMPPatientNotFound`) follow the
//! codes seen in public DMP traffic; the real DMP may word its reasons differently.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use segur_soap::mtom::{MtomBuilder, MtomMessage};
use segur_soap::vihf::VihfVerifier;
use segur_soap::{Body, EnvelopeBuilder};
use segur_transport::{HttpRequest, HttpResponse, Randomness, SeededRandomness};
use segur_xds::query::{stored_query, unquote};
use segur_xds::validate::{Profile, validate_with_documents};
use segur_xds::{
    AdhocQueryRequest, AdhocQueryResponse, AssociationType, AvailabilityStatus, DocumentContent,
    DocumentEntry, EntryUuid, ProvideAndRegister, RegistryError, RegistryObjects, RegistryResponse,
    ResponseStatus, Severity, Submission, XdsErrorCode,
};

use crate::documents::{DMP_REPOSITORY, without_declaration};
use crate::env::{Service, action};
use crate::xml::{self, escape};

#[cfg(feature = "simulator-https")]
#[cfg_attr(docsrs, doc(cfg(feature = "simulator-https")))]
pub mod server;

/// The certificate a TLS front end authenticated the client with (DER), attached to the
/// request as an `http` extension. When present, [`Simulator::handle`] checks, like the DMP,
/// that the VIHF was signed under the same subject DN as this certificate (the structure's
/// `AUTH_CLI` and `SIGN` certificates, or the CPS authentication and signature certificates,
/// share their subject); a mismatch is a `DMPInvalidCertificate` fault.
/// `server::SimulatorServer` (feature `simulator-https`) attaches it to every request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsClientCertificate {
    der: Vec<u8>,
}

impl TlsClientCertificate {
    /// The client's leaf certificate, DER.
    pub fn new(der: Vec<u8>) -> Self {
        Self { der }
    }

    /// The DER bytes.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// `Err(reason)` unless this certificate's subject is the VIHF signer's.
    fn check_signer(&self, signer: &segur_xmldsig::Certificate) -> Result<(), String> {
        let tls = segur_xmldsig::Certificate::from_der(self.der.clone())
            .map_err(|e| format!("certificat d'authentification illisible : {e}"))?;
        let (tls_dn, vihf_dn) = (tls.subject_dn(), signer.subject_dn());
        if tls_dn == vihf_dn {
            Ok(())
        } else {
            Err(format!(
                "Le certificat ayant signé le VIHF ({vihf_dn}) ne correspond pas au certificat d'authentification ({tls_dn})"
            ))
        }
    }
}

/// In the indirect modes the structure signs the VIHF: its `Identifiant_Structure` must be a
/// structure identifier of the signing certificate (IGC-Santé organisation certificates carry
/// it in `OU`), when the certificate carries one.
fn check_structure(
    vihf: &segur_soap::vihf::Vihf,
    signer: &segur_xmldsig::Certificate,
) -> Result<(), String> {
    use segur_xmldsig::HealthIdentifier as Id;
    if vihf.mode == segur_soap::vihf::AuthenticationMode::Directe {
        return Ok(());
    }
    let structures: Vec<String> = signer
        .health_identifiers()
        .iter()
        .filter(|id| {
            matches!(
                id,
                Id::Finess(_) | Id::Siren(_) | Id::Siret(_) | Id::RppsRank { .. }
            )
        })
        .map(Id::national_id)
        .collect();
    if structures.is_empty() || structures.contains(&vihf.structure_id) {
        Ok(())
    } else {
        Err(format!(
            "Identifiant_Structure {} absent du certificat ayant signé le VIHF ({})",
            vihf.structure_id,
            structures.join(", ")
        ))
    }
}

struct Stored {
    entry: DocumentEntry,
    content: Vec<u8>,
}

impl Stored {
    /// Whether the document belongs to `patient` (HL7 v2 CX): a caller only ever reaches the
    /// documents of the VIHF's patient.
    fn of_patient(&self, patient: &str) -> bool {
        self.entry.patient_id.to_hl7v2() == patient
    }
}

#[derive(Default)]
struct State {
    patients: BTreeSet<String>,
    /// `(NameID, patient CX)`.
    authorizations: BTreeSet<(String, String)>,
    documents: Vec<Stored>,
    /// uniqueId → index in `documents`.
    by_unique_id: BTreeMap<String, usize>,
}

/// The simulated DMP. Thread-safe: one instance can serve concurrent connections.
pub struct Simulator {
    verifier: VihfVerifier,
    random: SeededRandomness,
    state: Mutex<State>,
}

impl std::fmt::Debug for Simulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulator").finish_non_exhaustive()
    }
}

/// A SOAP fault, as the DMP shapes them.
struct FaultReply {
    code: &'static str,
    dmp_code: &'static str,
    reason: String,
}

fn fault(code: &'static str, dmp_code: &'static str, reason: impl Into<String>) -> FaultReply {
    FaultReply {
        code,
        dmp_code,
        reason: reason.into(),
    }
}

fn registry_error(code: XdsErrorCode, context: impl Into<String>) -> RegistryError {
    RegistryError {
        code,
        severity: Severity::Error,
        code_context: context.into(),
        location: None,
    }
}

enum Reply {
    Soap(String),
    Mtom(String, Vec<u8>),
    Fault(FaultReply),
}

fn http(status: u16, content_type: &str, body: Vec<u8>) -> HttpResponse {
    let mut response = HttpResponse::new(body);
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK);
    if let Ok(value) = http::HeaderValue::from_str(content_type) {
        response
            .headers_mut()
            .insert(http::header::CONTENT_TYPE, value);
    }
    response
}

impl Simulator {
    /// A simulator accepting VIHFs that `verifier` accepts; ids are drawn from `seed`.
    pub fn new(verifier: VihfVerifier, seed: u64) -> Self {
        Self {
            verifier,
            random: SeededRandomness::new(seed),
            state: Mutex::new(State::default()),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Registers a patient (a DMP exists for this INS, given as an XDS CX).
    pub fn add_patient(&self, patient_cx: &str) {
        self.state().patients.insert(patient_cx.to_owned());
    }

    /// Grants the professional `name_id` an authorisation on the patient.
    pub fn authorize(&self, name_id: &str, patient_cx: &str) {
        self.state()
            .authorizations
            .insert((name_id.to_owned(), patient_cx.to_owned()));
    }

    /// Number of stored documents (all statuses).
    pub fn document_count(&self) -> usize {
        self.state().documents.len()
    }

    /// Answers one request.
    pub fn handle(&self, request: &HttpRequest) -> HttpResponse {
        let reply = self.dispatch(request);
        match reply {
            Reply::Soap(body) => {
                let envelope = EnvelopeBuilder::new(&body).build();
                http(
                    200,
                    "application/soap+xml; charset=UTF-8",
                    envelope.into_bytes(),
                )
            }
            Reply::Mtom(body, content) => {
                let mut mtom = MtomBuilder::new(&self.random).action(action::ITI_43_RESPONSE);
                let attachment = mtom.attach(content, "application/octet-stream");
                let body = body.replace("@@XOP@@", &attachment.xop_include());
                let envelope = EnvelopeBuilder::new(&body).build();
                match mtom.finish(&envelope) {
                    Ok(m) => http(200, &m.content_type, m.body),
                    Err(e) => {
                        self.fault_response(fault("Receiver", "DMPInternalError", e.to_string()))
                    }
                }
            }
            Reply::Fault(f) => self.fault_response(f),
        }
    }

    fn fault_response(&self, f: FaultReply) -> HttpResponse {
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Body><soap:Fault><soap:Code><soap:Value>soap:{}</soap:Value><soap:Subcode><soap:Value xmlns:dmp=\"urn:si-dmp\">dmp:{}</soap:Value></soap:Subcode></soap:Code><soap:Reason><soap:Text xml:lang=\"fr\">{}</soap:Text></soap:Reason></soap:Fault></soap:Body></soap:Envelope>",
            f.code,
            f.dmp_code,
            escape(&f.reason)
        );
        http(500, "application/soap+xml; charset=UTF-8", xml.into_bytes())
    }

    fn dispatch(&self, request: &HttpRequest) -> Reply {
        let path = request.uri().path();
        let Some(service) = path.rsplit('/').next().and_then(Service::from_path) else {
            return Reply::Fault(fault(
                "Sender",
                "DMPServiceNotFound",
                format!("service inconnu: {path}"),
            ));
        };
        let content_type = request
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/soap+xml");
        let message = match MtomMessage::parse(content_type, request.body()) {
            Ok(m) => m,
            Err(e) => return Reply::Fault(fault("Sender", "DMPInvalidRequest", e.to_string())),
        };
        let envelope = match message.envelope() {
            Ok(e) => e,
            Err(e) => return Reply::Fault(fault("Sender", "DMPInvalidRequest", e.to_string())),
        };
        let verified = match self.verifier.verify(&message.root().body) {
            Ok(v) => v,
            Err(e) => {
                return Reply::Fault(fault(
                    "Sender",
                    "DMPInvalidCertificate",
                    format!("VIHF refusé : {e}"),
                ));
            }
        };
        if let Some(tls) = request.extensions().get::<TlsClientCertificate>()
            && let Err(reason) = tls.check_signer(&verified.certificate)
        {
            return Reply::Fault(fault("Sender", "DMPInvalidCertificate", reason));
        }
        if let Err(reason) = check_structure(&verified.vihf.vihf, &verified.certificate) {
            return Reply::Fault(fault("Sender", "DMPInvalidCertificate", reason));
        }
        let vihf = verified.vihf.vihf;
        let Body::Payload(payload) = envelope.body else {
            return Reply::Fault(fault("Sender", "DMPInvalidRequest", "corps SOAP vide"));
        };
        let act = envelope.addressing.action.unwrap_or_default();
        if act == action::TD0_4 {
            return self.patient_list(&vihf.name_id);
        }
        let Some(patient) = vihf
            .patient
            .as_ref()
            .map(segur_soap::vihf::PatientResourceId::to_cx)
        else {
            return Reply::Fault(fault(
                "Sender",
                "DMPInvalidVIHF",
                "resource-id (patient) absent du VIHF",
            ));
        };
        let known = self.state().patients.contains(&patient);
        if act == action::TD0_2 && service == Service::Patients {
            return self.existence(&vihf.name_id, &patient, known);
        }
        if !known {
            return Reply::Fault(fault(
                "Sender",
                "DMPPatientNotFound",
                "DMP inexistant pour ce patient",
            ));
        }
        if act == action::TD0_3 && service == Service::Habilitations {
            return self.set_authorization(&vihf.name_id, &patient, payload.xml.as_bytes());
        }
        let authorized = self
            .state()
            .authorizations
            .contains(&(vihf.name_id.clone(), patient.clone()));
        if !authorized {
            return Reply::Fault(fault(
                "Sender",
                "DMPAccessDeniedByRightsService",
                "Le professionnel n'est pas autorisé sur ce DMP",
            ));
        }
        match (service, act.as_str()) {
            (Service::Repository, action::ITI_41) => self.feed(&patient, &message, &payload.xml),
            (Service::Registry, action::ITI_18) => self.query(&patient, &payload.xml),
            (Service::Repository, action::ITI_43) => self.retrieve(&patient, &payload.xml),
            (Service::Registry, action::ITI_57) => self.update(&patient, &payload.xml),
            _ => Reply::Fault(fault(
                "Sender",
                "DMPActionNotSupported",
                format!("action {act} non supportée sur {}", service.path()),
            )),
        }
    }

    fn existence(&self, name_id: &str, patient: &str, known: bool) -> Reply {
        let authorized = self
            .state()
            .authorizations
            .contains(&(name_id.to_owned(), patient.to_owned()));
        let lines = if known {
            format!(
                "<attentionLine><keyWordText code=\"AUTORISATION\" codeSystem=\"1.2.250.1.213.4.1.2.6.1\"/><value xsi:type=\"CV\" code=\"{}\" codeSystem=\"1.2.250.1.213.4.1.2.6.2\"/></attentionLine>",
                if authorized { "VALIDE" } else { "NON_AUTORISE" }
            )
        } else {
            String::new()
        };
        Reply::Soap(format!(
            "<PRPA_IN201308UV02 xmlns=\"urn:hl7-org:v3\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ITSVersion=\"XML_1.0\"><id root=\"{}\"/>{lines}<acknowledgement typeCode=\"AA\"/><controlActProcess classCode=\"CACT\" moodCode=\"EVN\"><queryAck><queryResponseCode code=\"{}\"/></queryAck></controlActProcess></PRPA_IN201308UV02>",
            self.random.uuid_v4(),
            if known { "OK" } else { "NF" }
        ))
    }

    fn set_authorization(&self, name_id: &str, patient: &str, body: &[u8]) -> Reply {
        let action = xml::parse(body)
            .ok()
            .and_then(|r| r.child_text("action").map(str::to_owned))
            .unwrap_or_default();
        let key = (name_id.to_owned(), patient.to_owned());
        let mut state = self.state();
        let context = match action.as_str() {
            "AJOUT" | "MODIFICATION" => {
                if state.authorizations.insert(key) {
                    "Autorisation ajoutée"
                } else {
                    "Autorisation déjà présente aucune action effectuée"
                }
            }
            "SUPPRESSION" => {
                state.authorizations.remove(&key);
                "Autorisation supprimée"
            }
            other => {
                return Reply::Fault(fault(
                    "Sender",
                    "DMPInvalidRequest",
                    format!("action inconnue: {other}"),
                ));
            }
        };
        Reply::Soap(format!(
            "<setAuthorizationResponse xmlns=\"urn:si-dmp-habilitations\"><output><status>DMPOk</status><context>{context}</context></output></setAuthorizationResponse>"
        ))
    }

    fn patient_list(&self, name_id: &str) -> Reply {
        let state = self.state();
        let mut items = String::new();
        for (who, cx) in &state.authorizations {
            if who != name_id {
                continue;
            }
            let (id, rest) = cx.split_once("^^^&").unwrap_or((cx, ""));
            let oid = rest.split('&').next().unwrap_or_default();
            items.push_str(&format!(
                "<patientlistData><patientIdentifier><nationalId>{}</nationalId><nationalIdType>{}</nationalIdType></patientIdentifier></patientlistData>",
                escape(id),
                escape(oid)
            ));
        }
        Reply::Soap(format!(
            "<patientListResponse xmlns=\"urn:si-dmp-patients\"><output>{items}<status>DMPOk</status></output></patientListResponse>"
        ))
    }

    fn registry(errors: Vec<RegistryError>) -> Reply {
        let response = if errors.is_empty() {
            RegistryResponse::success()
        } else {
            RegistryResponse::failure(errors)
        };
        Reply::Soap(without_declaration(&response.to_xml()).to_owned())
    }

    fn feed(&self, patient: &str, message: &MtomMessage, xml: &str) -> Reply {
        let pnr = match ProvideAndRegister::from_xml(xml.as_bytes()) {
            Ok(p) => p,
            Err(e) => {
                return Self::registry(vec![registry_error(
                    XdsErrorCode::RepositoryMetadataError,
                    e.to_string(),
                )]);
            }
        };
        let mut contents = Vec::new();
        for part in &pnr.documents {
            let bytes = match &part.content {
                DocumentContent::Inline(b) => b.clone(),
                DocumentContent::XopInclude(cid) => match message.part(cid) {
                    Ok(p) => p.body.clone(),
                    Err(e) => {
                        return Self::registry(vec![registry_error(
                            XdsErrorCode::MissingDocument,
                            e.to_string(),
                        )]);
                    }
                },
            };
            contents.push((part.id.clone(), bytes));
        }
        let submission = pnr.submission;
        let refs: Vec<(EntryUuid, &[u8])> = contents
            .iter()
            .map(|(i, b)| (i.clone(), b.as_slice()))
            .collect();
        let report = validate_with_documents(&submission, Profile::Dmp, &refs);
        let mut errors: Vec<RegistryError> = report
            .errors()
            .map(|f| registry_error(f.code.clone(), f.message.clone()))
            .collect();
        // the TD2.1 signature document must sign the submitted documents; the simulator only
        // knows the VIHF trust anchors, so it trusts the certificate the signature embeds
        if errors.is_empty()
            && let Err(e) = crate::documents::verify_signature_document(
                &submission,
                &refs,
                segur_xmldsig::TrustPolicy::InsecureEmbeddedCertificate,
            )
        {
            errors.push(registry_error(
                XdsErrorCode::RepositoryMetadataError,
                format!("document de signature refusé : {e}"),
            ));
        }
        if submission.submission_set.patient_id.to_hl7v2() != patient {
            errors.push(registry_error(
                XdsErrorCode::PatientIdDoesNotMatch,
                "patient du lot différent de celui du VIHF",
            ));
        }
        let mut state = self.state();
        for doc in &submission.documents {
            if state.by_unique_id.contains_key(doc.unique_id.as_str()) {
                errors.push(registry_error(
                    XdsErrorCode::DuplicateUniqueIdInRegistry,
                    doc.unique_id.as_str().to_owned(),
                ));
            }
        }
        let replaced: Vec<EntryUuid> = submission
            .associations
            .iter()
            .filter(|a| a.association_type == AssociationType::Replace)
            .map(|a| a.target.clone())
            .collect();
        for target in &replaced {
            if !state.documents.iter().any(|d| {
                &d.entry.entry_uuid == target
                    && d.of_patient(patient)
                    && d.entry.availability_status == Some(AvailabilityStatus::Approved)
            }) {
                errors.push(registry_error(
                    XdsErrorCode::UnresolvedReferenceException,
                    target.as_str().to_owned(),
                ));
            }
        }
        if !errors.is_empty() {
            return Self::registry(errors);
        }
        for target in &replaced {
            if let Some(d) = state
                .documents
                .iter_mut()
                .find(|d| &d.entry.entry_uuid == target && d.of_patient(patient))
            {
                d.entry.availability_status = Some(AvailabilityStatus::Deprecated);
            }
        }
        for mut entry in submission.documents {
            let content = contents
                .iter()
                .find(|(id, _)| *id == entry.entry_uuid)
                .map(|(_, b)| b.clone())
                .unwrap_or_default();
            let uuid = EntryUuid::random(&self.random);
            entry.entry_uuid = uuid.clone();
            entry.logical_id = Some(uuid);
            entry.version = Some("1".to_owned());
            entry.availability_status = Some(AvailabilityStatus::Approved);
            entry.repository_unique_id = segur_xds::Oid::parse(DMP_REPOSITORY).ok();
            let index = state.documents.len();
            state
                .by_unique_id
                .insert(entry.unique_id.as_str().to_owned(), index);
            state.documents.push(Stored { entry, content });
        }
        Self::registry(Vec::new())
    }

    fn query(&self, patient: &str, xml: &str) -> Reply {
        let request = match AdhocQueryRequest::from_xml(xml.as_bytes()) {
            Ok(r) => r,
            Err(e) => {
                return Self::query_failure(registry_error(
                    XdsErrorCode::RegistryError,
                    e.to_string(),
                ));
            }
        };
        let values = |name: &str| -> Result<Vec<String>, RegistryError> {
            let mut out = Vec::new();
            for v in request.parameter(name).unwrap_or_default() {
                out.extend(
                    unquote(v)
                        .map_err(|e| registry_error(XdsErrorCode::RegistryError, e.to_string()))?,
                );
            }
            Ok(out)
        };
        let state = self.state();
        let selected: Result<Vec<DocumentEntry>, RegistryError> = (|| {
            let ours = state
                .documents
                .iter()
                .map(|d| &d.entry)
                .filter(|e| e.patient_id.to_hl7v2() == patient);
            if request.query_id == stored_query::FIND_DOCUMENTS {
                let ids = values("$XDSDocumentEntryPatientId")?;
                if ids.first().map(String::as_str) != Some(patient) {
                    return Err(registry_error(
                        XdsErrorCode::StoredQueryMissingParam,
                        "$XDSDocumentEntryPatientId absent ou différent du VIHF",
                    ));
                }
                let statuses = values("$XDSDocumentEntryStatus")?;
                if statuses.is_empty() {
                    return Err(registry_error(
                        XdsErrorCode::StoredQueryMissingParam,
                        "$XDSDocumentEntryStatus",
                    ));
                }
                Ok(ours
                    .filter(|e| {
                        e.availability_status
                            .is_some_and(|s| statuses.iter().any(|u| u == s.urn()))
                    })
                    .cloned()
                    .collect())
            } else if request.query_id == stored_query::GET_DOCUMENTS {
                let uuids = values("$XDSDocumentEntryEntryUUID")?;
                let uniques = values("$XDSDocumentEntryUniqueId")?;
                Ok(ours
                    .filter(|e| {
                        uuids.iter().any(|u| u == e.entry_uuid.as_str())
                            || uniques.iter().any(|u| u == e.unique_id.as_str())
                    })
                    .cloned()
                    .collect())
            } else {
                Err(registry_error(
                    XdsErrorCode::UnknownStoredQuery,
                    request.query_id.clone(),
                ))
            }
        })();
        match selected {
            Ok(documents) => {
                let response = AdhocQueryResponse {
                    status: ResponseStatus::Success,
                    objects: RegistryObjects {
                        documents,
                        ..RegistryObjects::default()
                    },
                    errors: Vec::new(),
                };
                Reply::Soap(without_declaration(&response.to_xml()).to_owned())
            }
            Err(e) => Self::query_failure(e),
        }
    }

    fn query_failure(error: RegistryError) -> Reply {
        let response = AdhocQueryResponse {
            status: ResponseStatus::Failure,
            objects: RegistryObjects::default(),
            errors: vec![error],
        };
        Reply::Soap(without_declaration(&response.to_xml()).to_owned())
    }

    fn retrieve(&self, patient: &str, xml: &str) -> Reply {
        let unique = xml::parse(xml.as_bytes())
            .ok()
            .and_then(|r| r.find("DocumentUniqueId").map(|d| d.text.trim().to_owned()))
            .unwrap_or_default();
        let state = self.state();
        let found = state
            .by_unique_id
            .get(&unique)
            .map(|&i| &state.documents[i])
            .filter(|d| {
                d.of_patient(patient)
                    && d.entry.availability_status != Some(AvailabilityStatus::Deleted)
            });
        let head = "<xdsb:RetrieveDocumentSetResponse xmlns:xdsb=\"urn:ihe:iti:xds-b:2007\" xmlns:rs=\"urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0\">";
        match found {
            Some(d) => Reply::Mtom(
                format!(
                    "{head}<rs:RegistryResponse status=\"{}\"/><xdsb:DocumentResponse><xdsb:RepositoryUniqueId>{DMP_REPOSITORY}</xdsb:RepositoryUniqueId><xdsb:DocumentUniqueId>{}</xdsb:DocumentUniqueId><xdsb:mimeType>{}</xdsb:mimeType><xdsb:Document>@@XOP@@</xdsb:Document></xdsb:DocumentResponse></xdsb:RetrieveDocumentSetResponse>",
                    ResponseStatus::Success.urn(),
                    escape(&unique),
                    escape(&d.entry.mime_type)
                ),
                d.content.clone(),
            ),
            None => Reply::Soap(format!(
                "{head}<rs:RegistryResponse status=\"{}\"><rs:RegistryErrorList><rs:RegistryError errorCode=\"XDSDocumentUniqueIdError\" codeContext=\"document {} introuvable\" severity=\"{}\"/></rs:RegistryErrorList></rs:RegistryResponse></xdsb:RetrieveDocumentSetResponse>",
                ResponseStatus::Failure.urn(),
                escape(&unique),
                Severity::Error.urn()
            )),
        }
    }

    fn update(&self, patient: &str, xml: &str) -> Reply {
        let submission = match Submission::from_ebrim(xml.as_bytes()) {
            Ok(s) => s,
            Err(e) => {
                return Self::registry(vec![registry_error(
                    XdsErrorCode::RegistryMetadataError,
                    e.to_string(),
                )]);
            }
        };
        if submission.submission_set.patient_id.to_hl7v2() != patient {
            return Self::registry(vec![registry_error(
                XdsErrorCode::PatientIdDoesNotMatch,
                "patient du lot différent de celui du VIHF",
            )]);
        }
        let mut state = self.state();
        // everything is checked before anything changes: an update is all or nothing
        let mut status_changes: Vec<(usize, Option<AvailabilityStatus>)> = Vec::new();
        for a in submission
            .associations
            .iter()
            .filter(|a| a.association_type == AssociationType::UpdateAvailabilityStatus)
        {
            let Some(index) = state
                .documents
                .iter()
                .position(|d| d.entry.entry_uuid == a.target && d.of_patient(patient))
            else {
                return Self::registry(vec![registry_error(
                    XdsErrorCode::UnresolvedReferenceException,
                    a.target.as_str().to_owned(),
                )]);
            };
            if a.original_status != state.documents[index].entry.availability_status {
                return Self::registry(vec![registry_error(
                    XdsErrorCode::MetadataUpdateError,
                    "OriginalStatus ne correspond pas",
                )]);
            }
            status_changes.push((index, a.new_status));
        }
        // the status a document will have once the status changes above are made
        let status_after = |index: usize, state: &State| {
            status_changes
                .iter()
                .rev()
                .find(|(i, _)| *i == index)
                .map_or(
                    state.documents[index].entry.availability_status,
                    |(_, s)| *s,
                )
        };
        // new versions, each replacing the approved version of its logical id
        let mut versions: Vec<(usize, DocumentEntry)> = Vec::new();
        for doc in submission.documents {
            let previous = submission
                .associations
                .iter()
                .find(|a| a.target == doc.entry_uuid)
                .and_then(|a| a.previous_version.clone());
            let Some(lid) = doc.logical_id.clone() else {
                return Self::registry(vec![registry_error(
                    XdsErrorCode::MetadataUpdateError,
                    "logicalId absent",
                )]);
            };
            let Some(index) = (0..state.documents.len()).find(|&i| {
                let d = &state.documents[i];
                d.entry.logical_id.as_ref() == Some(&lid)
                    && d.of_patient(patient)
                    && status_after(i, &state) == Some(AvailabilityStatus::Approved)
            }) else {
                return Self::registry(vec![registry_error(
                    XdsErrorCode::UnresolvedReferenceException,
                    lid.as_str().to_owned(),
                )]);
            };
            let current = state.documents[index].entry.version.clone();
            if previous != current || versions.iter().any(|(i, _)| *i == index) {
                return Self::registry(vec![registry_error(
                    XdsErrorCode::MetadataVersionError,
                    "PreviousVersion ne correspond pas",
                )]);
            }
            let next: u32 = current.and_then(|v| v.parse().ok()).unwrap_or(1) + 1;
            let mut entry = doc;
            entry.version = Some(next.to_string());
            entry.availability_status = Some(AvailabilityStatus::Approved);
            entry.repository_unique_id = segur_xds::Oid::parse(DMP_REPOSITORY).ok();
            versions.push((index, entry));
        }
        for (index, status) in status_changes {
            state.documents[index].entry.availability_status = status;
        }
        for (index, entry) in versions {
            let content = state.documents[index].content.clone();
            state.documents[index].entry.availability_status = Some(AvailabilityStatus::Deprecated);
            let new_index = state.documents.len();
            state
                .by_unique_id
                .insert(entry.unique_id.as_str().to_owned(), new_index);
            state.documents.push(Stored { entry, content });
        }
        Self::registry(Vec::new())
    }
}
