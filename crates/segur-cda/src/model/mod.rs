//! The CDA document model: plain data, borrowed from the parsed input.
//!
//! Every string is a [`Cow<'a, str>`](Cow): the parser borrows it from the input when the source
//! text needed no decoding (the common case) and owns it otherwise (entity references, transcoded
//! input). [`Document::into_owned`] turns a borrowed document into a `Document<'static>`.
//!
//! The model is deliberately regular so that a builder can construct it and a serialiser can write
//! it back:
//! * data types: [`Ii`] (identifiers), [`Code`] (CD/CE/CS), [`Time`] (TS and IVL_TS, with
//!   [`Timestamp`] for the parsed value), [`Name`], [`Addr`], [`Telecom`], [`Ed`] (encapsulated
//!   data, e.g. a base64 PDF kept as a borrowed span), and [`AnyValue`] for the `value` of a
//!   statement (PQ, BL, INT, REAL, TS and the coded types typed, any other kept whole);
//! * every header participation (author, custodian, legalAuthenticator, performer, ...) is a
//!   [`Participation`] holding one [`Role`] (assignedAuthor, assignedEntity, patientRole, ...)
//!   which holds the played entities ([`Person`], [`Patient`], [`Device`], [`Organization`]);
//! * the body is a [`Body`]: [`NonXmlBody`] (N1) or [`StructuredBody`] (N3) made of [`Section`]s
//!   whose entries are generic [`ClinicalStatement`]s;
//! * whatever the typed model does not know is kept as a generic [`Element`] in the `extensions`
//!   field of the enclosing struct (namespaces resolved to URIs), never dropped.
//!
//! Its layout follows the documents: parts most values lack live out of line (`more` boxes of
//! [`Ii`], [`Code`] and [`Ed`]; a statement's rarer codes in one list of [`TaggedCode`]s), and
//! children most statements have exactly one of are a [`List`], which holds its first item
//! inline. Allocation was the largest cost of parsing after tokenizing.
//!
//! Whitespace-only text between elements is not kept; comments and processing instructions are
//! not part of the model.

mod body;
mod datatypes;
mod header;
mod list;
mod owned;
mod time;
mod value;

pub use body::{
    Body, ClinicalStatement, CodeTag, Entry, Narrative, NonXmlBody, Relationship, Section,
    StatementKind, StructuredBody, TaggedCode,
};
pub(crate) use body::{is_extra_statement, is_statement_element};
pub use datatypes::{
    Addr, AddrPart, Attribute, Code, CodeMore, Ed, EdMore, Element, INS_ROOTS, Ii, IiMore, Name,
    NamePart, NamePartKind, Node, QName, Qualifier, Telecom,
};
pub use header::{
    ComponentOf, Consent, Device, Document, HealthCareFacility, InFulfillmentOf, Order,
    Organization, ParentDocument, Participation, Patient, Person, Place, RelatedDocument, Role,
    ServiceEvent,
};
pub(crate) use header::{is_extra_role, is_role_element};
pub use list::List;
pub(crate) use list::tight;
pub use time::{Precision, Time, Timestamp, TimestampError};
pub(crate) use value::CODED_ATTRIBUTES;
pub use value::{AnyValue, CodedType, Scalar, ScalarType};

#[cfg(doc)]
use std::borrow::Cow;

/// The HL7 v3 namespace, `urn:hl7-org:v3`, in which every CDA element lives.
pub const HL7_NS: &str = "urn:hl7-org:v3";
/// The XML Schema instance namespace (`xsi:type`).
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// The XML namespace, always bound to the prefix `xml` (`xml:lang`, `xml:space`).
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// The HL7 SDTC extension namespace (`sdtc:`).
pub const SDTC_NS: &str = "urn:hl7-org:sdtc";
