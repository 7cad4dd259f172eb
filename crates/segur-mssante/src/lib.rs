#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod address;
mod content;
mod error;
#[cfg(feature = "transport")]
#[cfg_attr(docsrs, doc(cfg(feature = "transport")))]
pub mod imap;
mod message;
mod metascan;
pub mod names;
mod reader;
mod receipt;
#[cfg(feature = "transport")]
#[cfg_attr(docsrs, doc(cfg(feature = "transport")))]
pub mod smtp;
mod submission;
mod xdm;
mod zipread;
mod zipwrite;

pub use crate::address::{Mailbox, PATIENT_DOMAIN};
pub use crate::content::{CdaFacts, cda_facts};
pub use crate::error::{Error, ErrorKind, Result};
pub use crate::message::{
    BuiltMessage, DEFAULT_MAX_SIZE, DocumentSubject, Envelope, MessageBuilder, PATIENT_MAX_SIZE,
    SUBJECT_PREFIX, pdf_file_name,
};
pub use crate::metascan::EntryLink;
pub use crate::reader::{
    DEFAULT_MAX_MESSAGE_SIZE, MssHeaders, ReceivedArchive, ReceivedAttachment, ReceivedDocument,
    ReceivedMessage, read_message, read_message_with_limit,
};
pub use crate::receipt::{
    BounceReason, DispositionType, Dsn, DsnAction, DsnRecipient, IntegrationError, Mdn, MdnBuilder,
    MdnError, Receipt, acknowledgement_subject, classify_bounce, parse_delivery_status,
    parse_disposition_notification,
};
pub use crate::submission::{SubmissionOptions, submission_for_cda};
pub use crate::xdm::{
    ARCHIVE_NAME, Mode, ReadOptions, Readme, WriteOptions, XdmArchive, XdmDocument, XdmSubset,
    XdmWarning, XdmWriter, read_xdm,
};
pub use crate::zipread::ReadLimits;
