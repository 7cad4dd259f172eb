#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod client;
mod documents;
mod env;
mod error;
mod patients;
#[cfg(feature = "simulator")]
#[cfg_attr(docsrs, doc(cfg(feature = "simulator")))]
pub mod simulator;
mod xml;

pub use crate::client::DmpClient;
pub use crate::documents::{
    DMP_REPOSITORY, Feed, Query, Retrieve, RetrievedDocument, SignatureDocument, Update,
    check_metadata, invisible_to_patient_code, masked_code, verify_signature_document,
};
pub use crate::env::{Environment, PRODUCTION, RequestContext, Service, action};
pub use crate::error::{DmpError, DmpErrorKind, DmpFault};
pub use crate::patients::{
    AuthorizationAction, AuthorizedPatient, DMP_DEVICE_OID, DmpStatus, ExistenceTest, PatientList,
    PatientListDate, REASON_CODE_SYSTEM, SenderDevice, ServiceStatus, SetAuthorization,
    parse_existence, parse_patient_list,
};
