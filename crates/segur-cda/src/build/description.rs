//! The JSON description of a document (feature `serde`), read by `segur cda build`.
//!
//! A description is an object with two members: `header`, the [`DocumentBuilder`] fields
//! (times in RFC 3339 with their offset, codes as plain strings checked against the CI-SIS value
//! sets), and `body`, one of:
//! * `{"n1": {"media_type": "application/pdf", "file": "letter.pdf"}}` (or `"base64": "..."`
//!   instead of `file`): an N1 document;
//! * `{"ldl_ses": {...}}`: an LDL-SES discharge letter ([`LdlSes`] fields);
//! * `{"bio_cr_bio": {"chapters": [...], "pdf_file": "report.pdf"}}` (or `"pdf_base64"`): a
//!   BIO-CR-BIO report ([`LabChapter`]s and the PDF copy).
//!
//! `file` paths are resolved by the caller (the command line resolves them relative to the
//! description file). A complete example is in the crate's `examples-data/ldl-ses.json`.
//!
//! ```
//! # #[cfg(feature = "serde")] {
//! use segur_cda::build::DocumentDescription;
//!
//! let json = r#"{"header": {"title": "Lettre"},
//!               "body": {"n1": {"media_type": "application/pdf", "base64": ""}}}"#;
//! let description: DocumentDescription = serde_json::from_str(json).unwrap();
//! let err = description.to_builder(&mut |_| unreachable!()).unwrap().build().unwrap_err();
//! assert!(err.for_field("body.bytes").len() == 1); // the PDF is empty
//! assert!(err.for_field("author").len() == 1);     // and much is missing
//! # }
//! ```

use super::error::{BuildError, Problem, ProblemKind};
use super::header::{BodyContent, DocumentBuilder, N1MediaType, NonXmlPayload};
use super::volets::bio_cr_bio::{BioReport, LabChapter};
use super::volets::ldl_ses::LdlSes;

/// A whole document: header fields and body.
#[derive(Clone, Debug, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentDescription {
    /// The header (every [`DocumentBuilder`] field but the body).
    pub header: DocumentBuilder,
    /// The body.
    pub body: BodyDescription,
}

/// Where the bytes of a payload come from.
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct PayloadSource {
    /// A file path, read by the caller.
    pub file: Option<String>,
    /// The bytes as base64.
    pub base64: Option<String>,
}

/// The body of a [`DocumentDescription`].
#[derive(Clone, Debug, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum BodyDescription {
    /// An N1 document.
    N1 {
        /// The media type (`application/pdf`, `text/plain`, `text/rtf`, `image/jpeg`,
        /// `image/tiff`).
        media_type: N1MediaType,
        /// The payload.
        #[serde(flatten)]
        payload: PayloadSource,
    },
    /// An LDL-SES discharge letter.
    LdlSes(LdlSes),
    /// A BIO-CR-BIO report.
    BioCrBio {
        /// The specialties and their results.
        chapters: Vec<LabChapter>,
        /// The PDF copy: `pdf_file` or `pdf_base64`.
        #[serde(default)]
        pdf_file: Option<String>,
        /// The PDF copy as base64.
        #[serde(default)]
        pdf_base64: Option<String>,
    },
}

impl DocumentDescription {
    /// The builder this description stands for. `read_file` loads the files the description
    /// names (its error is reported as the field's problem).
    ///
    /// # Errors
    /// [`BuildError`] when a payload cannot be read or decoded, or is given twice or not at all.
    pub fn to_builder(
        &self,
        read_file: &mut dyn FnMut(&str) -> Result<Vec<u8>, String>,
    ) -> Result<DocumentBuilder, BuildError> {
        let mut problems = Vec::new();
        let mut load = |field: &str, file: Option<&String>, b64: Option<&String>| -> Vec<u8> {
            let result = match (file, b64) {
                (Some(f), None) => read_file(f),
                (None, Some(b)) => {
                    let mut out = Vec::new();
                    crate::base64::decode_to(b.as_bytes(), &mut out)
                        .map(|_| out)
                        .map_err(|e| e.to_string())
                }
                (None, None) => Err("give either a file or base64".to_owned()),
                (Some(_), Some(_)) => Err("give a file or base64, not both".to_owned()),
            };
            result.unwrap_or_else(|reason| {
                problems.push(Problem {
                    field: field.to_owned(),
                    kind: ProblemKind::Invalid { reason },
                });
                Vec::new()
            })
        };
        let body = match &self.body {
            BodyDescription::N1 {
                media_type,
                payload,
            } => BodyContent::NonXml(NonXmlPayload {
                media_type: *media_type,
                bytes: load("body.n1", payload.file.as_ref(), payload.base64.as_ref()),
            }),
            BodyDescription::LdlSes(l) => BodyContent::Structured(l.to_content()),
            BodyDescription::BioCrBio {
                chapters,
                pdf_file,
                pdf_base64,
            } => BodyContent::Structured(
                BioReport {
                    chapters: chapters.clone(),
                    pdf_copy: load(
                        "body.bio_cr_bio.pdf",
                        pdf_file.as_ref(),
                        pdf_base64.as_ref(),
                    ),
                }
                .to_content(),
            ),
        };
        if !problems.is_empty() {
            return Err(BuildError { problems });
        }
        Ok(DocumentBuilder {
            body: Some(body),
            ..self.header.clone()
        })
    }
}
