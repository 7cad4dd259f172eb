#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod datamatrix;
mod error;
mod ins;
mod matricule;
mod oid;
pub mod rniv;
pub mod status;
mod traits;

pub use error::InsError;
pub use ins::{Ins, MSSANTE_PATIENT_DOMAIN};
pub use matricule::{
    BODY_LEN, BirthMonth, BirthPlace, CorsicaDepartment, Decomposition, MATRICULE_LEN, Matricule,
    MatriculeKind, Profile, SexDigit, Warning, compute_key,
};
pub use oid::{Environment, InsOid};
pub use status::IdentityStatus;
pub use traits::{BirthDate, CalendarDate, Cog, IdentityTraits, Sex};
