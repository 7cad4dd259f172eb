#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod cda;
pub mod codes;
pub mod ebrim;
mod error;
pub mod hl7v2;
mod ids;
mod ins;
mod jdv;
mod model;
pub mod query;
pub mod response;
pub mod validate;

pub use crate::codes::Code;
pub use crate::ebrim::{
    DocumentContent, DocumentPart, ProvideAndRegister, ReadLimits, RegistryObjects,
};
pub use crate::error::{XdsError, XdsErrorKind};
pub use crate::hl7v2::{Cx, Hd, Xcn, Xon, Xtn};
pub use crate::ids::{EntryUuid, Oid, UniqueId, XdsTime};
pub use crate::model::{
    Association, AssociationType, Author, AvailabilityStatus, DocumentEntry, EntryKind, Folder,
    PatientInfo, Sha1Hash, Submission, SubmissionSet, SubmissionSetStatus,
};
pub use crate::query::{AdhocQueryRequest, AdhocQueryResponse, FindDocuments, ReturnType};
pub use crate::response::{
    RegistryError, RegistryResponse, ResponseStatus, Severity, XdsErrorCode,
};
pub use crate::validate::{Finding, Profile, Report, Rule};
