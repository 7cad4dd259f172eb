#![doc = include_str!("../README.md")]

mod base64;
pub mod build;
mod error;
pub mod flat;
mod inspect;
pub mod model;
mod parse;
pub mod validate;
pub mod valuesets;
pub mod write;

pub use base64::Base64Error;
pub use error::{Error, Limit, ParseError, ParseErrorKind};
pub use inspect::Summary;
pub use model::*;
pub use parse::{Limits, MAX_DEPTH_CAP, parse, parse_str, parse_with};
