//! TD0.2 (existence test + authorisation), TD0.3 (set authorisation), TD0.4 (authorised
//! patients list): request builders and response parsers.

use segur_ins::Ins;
use segur_transport::{HttpRequest, HttpResponse};

use crate::env::{RequestContext, Service, action, read_payload};
use crate::error::{DmpError, DmpErrorKind};
use crate::xml::{self, Element, escape};

/// OID of the DMP as HL7 v3 receiver device.
pub const DMP_DEVICE_OID: &str = "1.2.250.1.213.4.1.1.1";
/// Code system of `controlActProcess/reasonCode`.
pub const REASON_CODE_SYSTEM: &str = "1.2.250.1.213.1.1.4.11";

/// The sending software as HL7 v3 `sender/device`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SenderDevice {
    /// The LPS OID (`sender/device/id/@root`, also the root of message ids).
    pub oid: String,
    /// The software name.
    pub name: String,
}

/// TD0.2: does the patient have a DMP, and is the caller authorised?
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistenceTest {
    /// The patient.
    pub patient: Ins,
    /// The sender.
    pub sender: SenderDevice,
}

/// The TD0.2 answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DmpStatus {
    /// `queryResponseCode` `OK` (true) or `NF` (false).
    pub exists: bool,
    /// The `AUTORISATION` attention line (`VALIDE`, or another value), if given.
    pub authorization: Option<String>,
    /// The `STATUT_MT` attention line: the caller is the patient's treating physician.
    pub treating_physician: Option<bool>,
    /// `COMPTE_INTERNET_OUVERT` administrative observation.
    pub internet_account_open: Option<bool>,
}

impl DmpStatus {
    /// Whether the caller holds a valid authorisation (`AUTORISATION` = `VALIDE`).
    pub fn is_authorized(&self) -> bool {
        self.authorization.as_deref() == Some("VALIDE")
    }
}

impl ExistenceTest {
    /// The `PRPA_IN201307UV02` body (message and query ids from the context's randomness,
    /// creation time from its clock).
    pub fn body(&self, ctx: &RequestContext<'_>) -> String {
        let message_id = ctx.random.uuid_v4();
        let query_id = ctx.random.uuid_v4();
        let now = ctx.clock.now().format("%Y%m%d%H%M%S");
        let oid = escape(&self.sender.oid);
        format!(
            concat!(
                "<PRPA_IN201307UV02 xmlns=\"urn:hl7-org:v3\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ITSVersion=\"XML_1.0\">",
                "<id root=\"{oid}.1\" extension=\"{message_id}\"/>",
                "<creationTime value=\"{now}\"/>",
                "<interactionId root=\"2.16.840.1.113883.1.6\" extension=\"PRPA_IN201307UV02\"/>",
                "<processingCode code=\"D\"/><processingModeCode code=\"T\"/><acceptAckCode code=\"AL\"/>",
                "<receiver typeCode=\"RCV\"><device classCode=\"DEV\" determinerCode=\"INSTANCE\"><id root=\"{dmp}\"/><softwareName>DMP</softwareName></device></receiver>",
                "<sender typeCode=\"SND\"><device classCode=\"DEV\" determinerCode=\"INSTANCE\"><id root=\"{oid}\"/><softwareName>{name}</softwareName></device></sender>",
                "<attentionLine xsi:nil=\"true\"/>",
                "<controlActProcess classCode=\"CACT\" moodCode=\"EVN\">",
                "<reasonCode code=\"TEST_EXST\" codeSystem=\"{reason}\" displayName=\"Test d'existence de dossier\"/>",
                "<queryByParameter><queryId root=\"{oid}.2\" extension=\"{query_id}\"/><statusCode code=\"new\"/>",
                "<parameterList><dataSource xsi:nil=\"true\"/>",
                "<patientIdentifier><value root=\"{ins_root}\" extension=\"{ins}\"/><semanticsText>Patient.id</semanticsText></patientIdentifier>",
                "</parameterList></queryByParameter></controlActProcess></PRPA_IN201307UV02>"
            ),
            oid = oid,
            message_id = message_id,
            now = now,
            dmp = DMP_DEVICE_OID,
            name = escape(&self.sender.name),
            reason = REASON_CODE_SYSTEM,
            query_id = query_id,
            ins_root = self.patient.cda_root(),
            ins = escape(self.patient.cda_extension()),
        )
    }

    /// The HTTP request to the `patients` service.
    pub fn to_http(&self, ctx: &RequestContext<'_>) -> Result<HttpRequest, DmpError> {
        ctx.soap(Service::Patients, action::TD0_2, &self.body(ctx))
    }

    /// Reads the `PRPA_IN201308UV02` answer.
    pub fn parse_response(response: &HttpResponse) -> Result<DmpStatus, DmpError> {
        let (_, payload) = read_payload(response)?;
        parse_existence(payload.xml.as_bytes())
    }
}

fn hl7_ack(root: &Element) -> Result<(), DmpError> {
    let ack = root
        .child("acknowledgement")
        .ok_or_else(|| DmpError::missing("acknowledgement"))?;
    let type_code = ack.attr("typeCode").unwrap_or_default();
    if type_code == "AA" || type_code == "CA" {
        return Ok(());
    }
    let detail = ack.child("acknowledgementDetail").and_then(|d| {
        d.child_text("text").map(str::to_owned).or_else(|| {
            d.child("code")
                .and_then(|c| c.attr("code"))
                .map(str::to_owned)
        })
    });
    Err(DmpError::new(DmpErrorKind::Hl7Acknowledgement {
        type_code: type_code.to_owned(),
        detail,
    }))
}

fn boolean(el: &Element) -> Option<bool> {
    el.child("value")
        .and_then(|v| v.attr("value"))
        .and_then(|v| v.parse().ok())
}

/// Reads a `PRPA_IN201308UV02` (the TD0.2 answer), from its standalone XML.
pub fn parse_existence(xml_bytes: &[u8]) -> Result<DmpStatus, DmpError> {
    let root = xml::parse(xml_bytes)?;
    if root.name != "PRPA_IN201308UV02" {
        return Err(DmpError::invalid("TD0.2 response root", root.name));
    }
    hl7_ack(&root)?;
    let code = root
        .find("queryResponseCode")
        .and_then(|c| c.attr("code"))
        .ok_or_else(|| DmpError::missing("controlActProcess/queryAck/queryResponseCode"))?;
    let exists = match code {
        "OK" => true,
        "NF" => false,
        other => {
            return Err(DmpError::new(DmpErrorKind::Hl7Acknowledgement {
                type_code: format!("queryResponseCode {other}"),
                detail: None,
            }));
        }
    };
    let mut status = DmpStatus {
        exists,
        authorization: None,
        treating_physician: None,
        internet_account_open: None,
    };
    for line in root.children_named("attentionLine") {
        match line.child("keyWordText").and_then(|k| k.attr("code")) {
            Some("AUTORISATION") => {
                status.authorization = line
                    .child("value")
                    .and_then(|v| v.attr("code"))
                    .map(str::to_owned);
            }
            Some("STATUT_MT") => status.treating_physician = boolean(line),
            _ => {}
        }
    }
    if let Some(obs) = root.find("administrativeObservation")
        && obs.child("code").and_then(|c| c.attr("code")) == Some("COMPTE_INTERNET_OUVERT")
    {
        status.internet_account_open = boolean(obs);
    }
    Ok(status)
}

/// TD0.3 `action`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthorizationAction {
    /// `AJOUT`: declare oneself authorised.
    Add,
    /// `MODIFICATION`.
    Modify,
    /// `SUPPRESSION`: remove one's authorisation.
    Remove,
}

impl AuthorizationAction {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Add => "AJOUT",
            Self::Modify => "MODIFICATION",
            Self::Remove => "SUPPRESSION",
        }
    }

    /// Reads a wire value.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Add, Self::Modify, Self::Remove]
            .into_iter()
            .find(|a| a.as_str() == text)
    }
}

/// The `status`/`context` output of the `urn:si-dmp-*` services.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServiceStatus {
    /// `status` (`DMPOk` on success).
    pub status: String,
    /// `context`: the human-readable detail.
    pub context: Option<String>,
}

/// TD0.3: set the caller's authorisation on the patient's DMP (the patient is the VIHF's
/// resource).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetAuthorization {
    /// What to do.
    pub action: AuthorizationAction,
}

impl SetAuthorization {
    /// The body.
    pub fn body(&self) -> String {
        format!(
            "<setAuthorization xmlns=\"urn:si-dmp-habilitations\"><action>{}</action></setAuthorization>",
            self.action.as_str()
        )
    }

    /// The HTTP request to the `habilitations` service.
    pub fn to_http(&self, ctx: &RequestContext<'_>) -> Result<HttpRequest, DmpError> {
        ctx.soap(Service::Habilitations, action::TD0_3, &self.body())
    }

    /// Reads `setAuthorizationResponse`; a status other than `DMPOk` is an error.
    pub fn parse_response(response: &HttpResponse) -> Result<ServiceStatus, DmpError> {
        let (_, payload) = read_payload(response)?;
        let root = xml::parse(payload.xml.as_bytes())?;
        let output = root.child("output").unwrap_or(&root);
        service_status(output)
    }
}

fn service_status(output: &Element) -> Result<ServiceStatus, DmpError> {
    let status = output
        .child_text("status")
        .ok_or_else(|| DmpError::missing("output/status"))?
        .to_owned();
    let context = output.child_text("context").map(str::to_owned);
    if status != "DMPOk" {
        return Err(DmpError::new(DmpErrorKind::Status { status, context }));
    }
    Ok(ServiceStatus { status, context })
}

/// TD0.4 `dateType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PatientListDate {
    /// `LASTDOC`: patients with a document since the date.
    LastDocument,
    /// `LASTAUTORIZATION`: patients authorised since the date.
    LastAuthorization,
}

impl PatientListDate {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::LastDocument => "LASTDOC",
            Self::LastAuthorization => "LASTAUTORIZATION",
        }
    }
}

/// TD0.4: the DMPs the caller is authorised on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientList {
    /// `startDate`, `YYYYMMDDhhmmss`.
    pub start_date: String,
    /// `dateType`.
    pub date_type: PatientListDate,
}

/// One patient of the TD0.4 answer. Its `Debug` output redacts names and identifiers.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuthorizedPatient {
    /// `(nationalId, nationalIdType)` pairs (INS, legacy INS-C...).
    pub identifiers: Vec<(String, String)>,
    /// `lastName`.
    pub last_name: Option<String>,
    /// `firstName`.
    pub first_name: Option<String>,
    /// `dateOfBirth`.
    pub date_of_birth: Option<String>,
    /// `MT`: the caller is the treating physician.
    pub treating_physician: Option<bool>,
    /// `lastAddDate`.
    pub last_add_date: Option<String>,
}

impl std::fmt::Debug for AuthorizedPatient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthorizedPatient")
            .field("identifiers", &self.identifiers.len())
            .field("treating_physician", &self.treating_physician)
            .finish_non_exhaustive()
    }
}

impl AuthorizedPatient {
    /// The identifier issued by `oid`, if any.
    pub fn identifier(&self, oid: &str) -> Option<&str> {
        self.identifiers
            .iter()
            .find(|(_, t)| t == oid)
            .map(|(id, _)| id.as_str())
    }
}

impl PatientList {
    /// The body.
    pub fn body(&self) -> Result<String, DmpError> {
        if self.start_date.len() != 14 || !self.start_date.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DmpError::invalid("TD0.4 startDate", &self.start_date));
        }
        Ok(format!(
            "<patientList xmlns=\"urn:si-dmp-patients\"><startDate>{}</startDate><dateType>{}</dateType></patientList>",
            self.start_date,
            self.date_type.as_str()
        ))
    }

    /// The HTTP request to the `patientsSpecific` service.
    pub fn to_http(&self, ctx: &RequestContext<'_>) -> Result<HttpRequest, DmpError> {
        ctx.soap(Service::PatientsSpecific, action::TD0_4, &self.body()?)
    }

    /// Reads `patientListResponse`.
    pub fn parse_response(response: &HttpResponse) -> Result<Vec<AuthorizedPatient>, DmpError> {
        let (_, payload) = read_payload(response)?;
        parse_patient_list(payload.xml.as_bytes())
    }
}

/// Reads a `patientListResponse` from its standalone XML.
pub fn parse_patient_list(xml_bytes: &[u8]) -> Result<Vec<AuthorizedPatient>, DmpError> {
    let root = xml::parse(xml_bytes)?;
    let output = root
        .child("output")
        .ok_or_else(|| DmpError::missing("patientListResponse/output"))?;
    service_status(output)?;
    Ok(output
        .children_named("patientlistData")
        .map(|d| AuthorizedPatient {
            identifiers: d
                .children_named("patientIdentifier")
                .filter_map(|i| {
                    Some((
                        i.child_text("nationalId")?.to_owned(),
                        i.child_text("nationalIdType")?.to_owned(),
                    ))
                })
                .collect(),
            last_name: d.child_text("lastName").map(str::to_owned),
            first_name: d.child_text("firstName").map(str::to_owned),
            date_of_birth: d.child_text("dateOfBirth").map(str::to_owned),
            treating_physician: d.child_text("MT").and_then(|v| v.parse().ok()),
            last_add_date: d.child_text("lastAddDate").map(str::to_owned),
        })
        .collect())
}
