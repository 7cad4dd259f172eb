#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod envelope;
mod error;
mod exchange;
mod fault;
pub mod mtom;
pub mod ns;
pub mod vihf;
mod vihf_sign;
mod xml;

pub use crate::envelope::{
    ANONYMOUS, Addressing, Body, Envelope, EnvelopeBuilder, HeaderBlock, Payload, SoapVersion,
};
pub use crate::error::{Error, ErrorKind};
pub use crate::exchange::{SoapResponse, mtom_request, read_response, soap_request};
pub use crate::fault::{Fault, FaultCode, FaultReason};
pub use crate::xml::{Limits, QualifiedName};
