//! [`DmpClient`]: the transactions over a [`Transport`], with a VIHF signed per request.

use segur_ins::Ins;
use segur_soap::vihf::VihfBuilder;
use segur_transport::{Clock, HttpRequest, HttpResponse, Randomness, Transport};
use segur_xds::{AdhocQueryResponse, RegistryResponse};
use segur_xmldsig::Signer;

use crate::documents::{Feed, Query, Retrieve, RetrievedDocument, Update};
use crate::env::{Environment, RequestContext};
use crate::error::DmpError;
use crate::patients::{
    AuthorizationAction, AuthorizedPatient, DmpStatus, ExistenceTest, PatientList, SenderDevice,
    ServiceStatus, SetAuthorization,
};

/// A DMP client: an environment, a transport (mutual TLS in production, e.g.
/// `segur_transport::HttpsTransport`), a VIHF template (everything but the patient) and the
/// signer of the VIHF, plus the clock and randomness.
///
/// Each call builds a VIHF for the call's patient, signs it, sends the request and maps the
/// answer (SOAP faults, `RegistryError`s, HL7 v3 acknowledgements) to [`DmpError`].
pub struct DmpClient<T> {
    transport: T,
    environment: Environment,
    vihf: VihfBuilder,
    signer: Box<dyn Signer>,
    sender: SenderDevice,
    clock: Box<dyn Clock>,
    random: Box<dyn Randomness>,
}

impl<T> std::fmt::Debug for DmpClient<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DmpClient")
            .field("environment", &self.environment)
            .field("sender", &self.sender)
            .finish_non_exhaustive()
    }
}

impl<T: Transport> DmpClient<T> {
    /// A client. `vihf` holds the professional, structure, roles and LPS; the patient is set
    /// per call.
    pub fn new(
        transport: T,
        environment: Environment,
        vihf: VihfBuilder,
        signer: Box<dyn Signer>,
        sender: SenderDevice,
        clock: Box<dyn Clock>,
        random: Box<dyn Randomness>,
    ) -> Self {
        Self {
            transport,
            environment,
            vihf,
            signer,
            sender,
            clock,
            random,
        }
    }

    /// The environment.
    pub fn environment(&self) -> &Environment {
        &self.environment
    }

    /// The signed VIHF for a request about `patient`.
    pub fn signed_vihf(&self, patient: Option<&Ins>) -> Result<String, DmpError> {
        let mut builder = self.vihf.clone();
        if let Some(p) = patient {
            builder = builder.patient(*p);
        }
        let vihf = builder.build(self.clock.as_ref(), self.random.as_ref())?;
        Ok(vihf.sign(self.signer.as_ref())?)
    }

    fn exchange(
        &self,
        patient: Option<&Ins>,
        build: impl FnOnce(&RequestContext<'_>) -> Result<HttpRequest, DmpError>,
    ) -> Result<HttpResponse, DmpError> {
        let vihf = self.signed_vihf(patient)?;
        let ctx = RequestContext {
            environment: &self.environment,
            vihf: &vihf,
            clock: self.clock.as_ref(),
            random: self.random.as_ref(),
        };
        let request = build(&ctx)?;
        Ok(self.transport.send(request)?)
    }

    /// TD0.2: existence of the patient's DMP and the caller's authorisation.
    pub fn test_existence(&self, patient: &Ins) -> Result<DmpStatus, DmpError> {
        let test = ExistenceTest {
            patient: *patient,
            sender: self.sender.clone(),
        };
        let response = self.exchange(Some(patient), |ctx| test.to_http(ctx))?;
        ExistenceTest::parse_response(&response)
    }

    /// TD0.3: add, modify or remove the caller's authorisation.
    pub fn set_authorization(
        &self,
        patient: &Ins,
        action: AuthorizationAction,
    ) -> Result<ServiceStatus, DmpError> {
        let request = SetAuthorization { action };
        let response = self.exchange(Some(patient), |ctx| request.to_http(ctx))?;
        SetAuthorization::parse_response(&response)
    }

    /// TD0.4: the patients the caller is authorised on.
    pub fn patient_list(&self, list: &PatientList) -> Result<Vec<AuthorizedPatient>, DmpError> {
        let response = self.exchange(None, |ctx| list.to_http(ctx))?;
        PatientList::parse_response(&response)
    }

    /// TD2.1 (and replacement): feeds the documents.
    pub fn feed(&self, patient: &Ins, feed: &Feed) -> Result<RegistryResponse, DmpError> {
        let response = self.exchange(Some(patient), |ctx| feed.to_http(ctx))?;
        Feed::parse_response(&response)
    }

    /// TD3.1: a stored query.
    pub fn query(&self, patient: &Ins, query: &Query) -> Result<AdhocQueryResponse, DmpError> {
        let response = self.exchange(Some(patient), |ctx| query.to_http(ctx))?;
        Query::parse_response(&response)
    }

    /// TD3.2: retrieves documents.
    pub fn retrieve(
        &self,
        patient: &Ins,
        retrieve: &Retrieve,
    ) -> Result<Vec<RetrievedDocument>, DmpError> {
        let response = self.exchange(Some(patient), |ctx| retrieve.to_http(ctx))?;
        Retrieve::parse_response(&response)
    }

    /// TD3.3a/b/c/d: a metadata or status update.
    pub fn update(&self, patient: &Ins, update: &Update) -> Result<RegistryResponse, DmpError> {
        let response = self.exchange(Some(patient), |ctx| update.to_http(ctx))?;
        Update::parse_response(&response)
    }
}
