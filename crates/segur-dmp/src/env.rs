//! Endpoints, SOAP actions and the common SOAP plumbing of every transaction.

use segur_soap::{Addressing, Body, EnvelopeBuilder, Payload, SoapResponse};
use segur_transport::{Clock, HttpRequest, HttpResponse, Randomness};

use crate::error::{DmpError, DmpErrorKind};

/// The DMP's web services, appended to the environment's base URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Service {
    /// `registry`: TD3.1 (ITI-18), TD3.3 (ITI-57).
    Registry,
    /// `repository`: TD2.1 (ITI-41), TD3.2 (ITI-43).
    Repository,
    /// `patients`: TD0.2 (HL7 v3).
    Patients,
    /// `patientsSpecific`: TD0.4.
    PatientsSpecific,
    /// `habilitations`: TD0.3.
    Habilitations,
}

impl Service {
    /// The path segment.
    pub fn path(self) -> &'static str {
        match self {
            Self::Registry => "registry",
            Self::Repository => "repository",
            Self::Patients => "patients",
            Self::PatientsSpecific => "patientsSpecific",
            Self::Habilitations => "habilitations",
        }
    }

    /// The service of a path segment.
    pub fn from_path(path: &str) -> Option<Self> {
        [
            Self::Registry,
            Self::Repository,
            Self::Patients,
            Self::PatientsSpecific,
            Self::Habilitations,
        ]
        .into_iter()
        .find(|s| s.path() == path)
    }
}

/// The WS-Addressing actions of the transactions (the WSDL `soapAction`s).
pub mod action {
    /// TD0.2 request (HL7 v3 query).
    pub const TD0_2: &str = "urn:hl7-org:v3:PRPA_IN201307UV02";
    /// TD0.2 response.
    pub const TD0_2_RESPONSE: &str = "urn:hl7-org:v3:PRPA_IN201308UV02";
    /// TD0.3.
    pub const TD0_3: &str = "urn:si-dmp-habilitations:HabilitationsEndPoint:setAuthorization";
    /// TD0.4.
    pub const TD0_4: &str = "urn:si-dmp-patients:PatientSpecificEndPoint:patientList";
    /// TD2.1 (ITI-41).
    pub const ITI_41: &str = "urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b";
    /// TD2.1 response.
    pub const ITI_41_RESPONSE: &str = "urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-bResponse";
    /// TD3.1 (ITI-18).
    pub const ITI_18: &str = "urn:ihe:iti:2007:RegistryStoredQuery";
    /// TD3.1 response.
    pub const ITI_18_RESPONSE: &str = "urn:ihe:iti:2007:RegistryStoredQueryResponse";
    /// TD3.2 (ITI-43).
    pub const ITI_43: &str = "urn:ihe:iti:2007:RetrieveDocumentSet";
    /// TD3.2 response.
    pub const ITI_43_RESPONSE: &str = "urn:ihe:iti:2007:RetrieveDocumentSetResponse";
    /// TD3.3 (ITI-57).
    pub const ITI_57: &str = "urn:ihe:iti:2010:UpdateDocumentSet";
    /// TD3.3 response.
    pub const ITI_57_RESPONSE: &str = "urn:ihe:iti:2010:UpdateDocumentSet-Response";
}

/// Production base URL.
pub const PRODUCTION: &str = "https://lps2.dmp.gouv.fr/si-dmp-server/v2/services";

/// Where the DMP is: a base URL to which [`Service`] paths are appended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    base_url: String,
}

impl Environment {
    /// An environment at `base_url` (`https://host/si-dmp-server/v2/services`, a trailing `/`
    /// is dropped).
    pub fn new(base_url: impl Into<String>) -> Self {
        let mut base_url = base_url.into();
        while base_url.ends_with('/') {
            base_url.pop();
        }
        Self { base_url }
    }

    /// The production DMP.
    pub fn production() -> Self {
        Self::new(PRODUCTION)
    }

    /// The URL of `service`.
    pub fn url(&self, service: Service) -> String {
        format!("{}/{}", self.base_url, service.path())
    }

    /// The base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

/// What every request needs besides its own parameters: where to send it, the signed VIHF to
/// put in `wsse:Security`, and the injected clock and randomness (message ids, timestamps,
/// MIME boundaries), so that outputs are reproducible.
#[derive(Clone, Copy)]
pub struct RequestContext<'a> {
    /// The environment.
    pub environment: &'a Environment,
    /// The signed VIHF (`saml2:Assertion`), as produced by `segur_soap::vihf::Vihf::sign`.
    pub vihf: &'a str,
    /// The clock.
    pub clock: &'a dyn Clock,
    /// The randomness.
    pub random: &'a dyn Randomness,
}

impl std::fmt::Debug for RequestContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestContext")
            .field("environment", self.environment)
            .finish_non_exhaustive()
    }
}

impl RequestContext<'_> {
    /// The SOAP 1.2 envelope of `body` for `action` sent to `service`.
    pub(crate) fn envelope(&self, service: Service, action: &str, body: &str) -> String {
        EnvelopeBuilder::new(body)
            .addressing(Addressing::request(
                action,
                &self.environment.url(service),
                self.random,
            ))
            .security_assertion(self.vihf)
            .build()
    }

    /// A plain (non-MTOM) SOAP request.
    pub(crate) fn soap(
        &self,
        service: Service,
        action: &str,
        body: &str,
    ) -> Result<HttpRequest, DmpError> {
        let envelope = self.envelope(service, action, body);
        Ok(segur_soap::soap_request(
            &self.environment.url(service),
            action,
            &envelope,
        )?)
    }
}

/// Reads a SOAP response and returns its payload; a fault becomes [`DmpErrorKind::Fault`].
pub(crate) fn read_payload(response: &HttpResponse) -> Result<(SoapResponse, Payload), DmpError> {
    let soap = segur_soap::read_response(response).map_err(|e| {
        if e.fault().is_some() {
            DmpError::from(e)
        } else {
            DmpError::new(DmpErrorKind::Unexpected(format!(
                "HTTP {}: {e}",
                response.status().as_u16()
            )))
        }
    })?;
    let payload = match &soap.envelope.body {
        Body::Payload(p) => p.clone(),
        Body::Fault(f) => {
            return Err(DmpError::new(DmpErrorKind::Fault(Box::new(
                crate::error::DmpFault::from(f.as_ref()),
            ))));
        }
        _ => return Err(DmpError::missing("SOAP Body content")),
    };
    Ok((soap, payload))
}
