//! `rs:RegistryResponse` with its typed `RegistryErrorList`, and the XDS error codes.

use std::fmt;

use crate::ebrim::read::{self, Element};
use crate::ebrim::write::Xml;
use crate::ebrim::{ReadLimits, ns};
use crate::error::{XdsError, XdsErrorKind};

/// The overall status of a registry response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResponseStatus {
    /// `urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success`.
    Success,
    /// `urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure`.
    Failure,
    /// `urn:ihe:iti:2007:ResponseStatusType:PartialSuccess`.
    PartialSuccess,
}

impl ResponseStatus {
    /// The status URN.
    pub fn urn(self) -> &'static str {
        match self {
            Self::Success => "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success",
            Self::Failure => "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure",
            Self::PartialSuccess => "urn:ihe:iti:2007:ResponseStatusType:PartialSuccess",
        }
    }

    fn from_urn(urn: &str) -> Result<Self, XdsError> {
        [Self::Success, Self::Failure, Self::PartialSuccess]
            .into_iter()
            .find(|s| s.urn() == urn)
            .ok_or_else(|| XdsError::invalid("response status", urn))
    }
}

/// The severity of a registry error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// `urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning`.
    Warning,
    /// `urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error`.
    Error,
}

impl Severity {
    /// The severity URN.
    pub fn urn(self) -> &'static str {
        match self {
            Self::Warning => "urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning",
            Self::Error => "urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error",
        }
    }

    fn from_urn(urn: &str) -> Result<Self, XdsError> {
        match urn {
            "urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning" => Ok(Self::Warning),
            "urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error" => Ok(Self::Error),
            other => Err(XdsError::invalid("error severity", other)),
        }
    }
}

macro_rules! error_codes {
    ($($variant:ident => $text:literal, $doc:literal;)*) => {
        /// An XDS error code (IHE ITI TF-3 table 4.2.4.1-2, ITI-57 codes, DMP codes), as carried
        /// by `RegistryError/@errorCode` and by the findings of the [`crate::validate`]or.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum XdsErrorCode {
            $(#[doc = $doc] $variant,)*
            /// Any other code (DMP-specific codes such as `DMPInvalidCertificate`...).
            Other(String),
        }

        impl XdsErrorCode {
            /// The code as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)*
                    Self::Other(s) => s,
                }
            }

            /// Reads a code; unknown codes become [`XdsErrorCode::Other`].
            pub fn parse(text: &str) -> Self {
                match text {
                    $($text => Self::$variant,)*
                    other => Self::Other(other.to_owned()),
                }
            }
        }
    };
}

error_codes! {
    RegistryMetadataError => "XDSRegistryMetadataError", "Metadata rejected by the registry.";
    RepositoryMetadataError => "XDSRepositoryMetadataError", "Metadata rejected by the repository.";
    PatientIdDoesNotMatch => "XDSPatientIdDoesNotMatch", "Patient ids of the set, its documents and folders differ.";
    RegistryDuplicateUniqueIdInMessage => "XDSRegistryDuplicateUniqueIdInMessage", "A uniqueId is used twice in the submission (found by the registry).";
    RepositoryDuplicateUniqueIdInMessage => "XDSRepositoryDuplicateUniqueIdInMessage", "A uniqueId is used twice in the submission (found by the repository).";
    DuplicateUniqueIdInRegistry => "XDSDuplicateUniqueIdInRegistry", "A uniqueId is already registered.";
    NonIdenticalHash => "XDSNonIdenticalHash", "The hash does not match the document bytes.";
    NonIdenticalSize => "XDSNonIdenticalSize", "The size does not match the document bytes.";
    MissingDocument => "XDSMissingDocument", "A DocumentEntry has no document.";
    MissingDocumentMetadata => "XDSMissingDocumentMetadata", "A document has no DocumentEntry.";
    UnknownPatientId => "XDSUnknownPatientId", "The patient is unknown to the registry.";
    DocumentUniqueIdError => "XDSDocumentUniqueIdError", "No document with this uniqueId in the repository.";
    UnknownRepositoryId => "XDSUnknownRepositoryId", "Unknown repositoryUniqueId.";
    RegistryError => "XDSRegistryError", "Internal registry error.";
    RepositoryError => "XDSRepositoryError", "Internal repository error.";
    RegistryBusy => "XDSRegistryBusy", "The registry is busy.";
    RegistryOutOfResources => "XDSRegistryOutOfResources", "The registry is out of resources.";
    RegistryNotAvailable => "XDSRegistryNotAvailable", "The registry cannot be reached.";
    RegistryDeprecatedDocumentError => "XDSRegistryDeprecatedDocumentError", "An association references a deprecated document.";
    StoredQueryMissingParam => "XDSStoredQueryMissingParam", "A required stored query parameter is missing.";
    StoredQueryParamNumber => "XDSStoredQueryParamNumber", "A single-valued query parameter has several values.";
    UnknownStoredQuery => "XDSUnknownStoredQuery", "Unknown stored query id.";
    ResultNotSinglePatient => "XDSResultNotSinglePatient", "The query result would span several patients.";
    TooManyResults => "XDSTooManyResults", "The query matches too many objects.";
    MetadataUpdateError => "XDSMetadataUpdateError", "ITI-57: the update is not allowed.";
    MetadataVersionError => "XDSMetadataVersionError", "ITI-57: PreviousVersion does not match.";
    MetadataUpdateOperationError => "XDSMetadataUpdateOperationError", "ITI-57: unsupported update operation.";
    UnresolvedReferenceException => "UnresolvedReferenceException", "An association or reference points to nothing.";
    InvalidDocumentContent => "InvalidDocumentContent", "The document content is not acceptable.";
}

impl fmt::Display for XdsErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One `rs:RegistryError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryError {
    /// `@errorCode`.
    pub code: XdsErrorCode,
    /// `@severity`.
    pub severity: Severity,
    /// `@codeContext`: the human-readable explanation.
    pub code_context: String,
    /// `@location`: where the error was detected.
    pub location: Option<String>,
}

/// An `rs:RegistryResponse` (ITI-41/42/57 responses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryResponse {
    /// `@status`.
    pub status: ResponseStatus,
    /// The `RegistryErrorList` entries (errors and warnings).
    pub errors: Vec<RegistryError>,
}

impl RegistryResponse {
    /// A success with no errors.
    pub fn success() -> Self {
        Self {
            status: ResponseStatus::Success,
            errors: Vec::new(),
        }
    }

    /// A failure with these errors.
    pub fn failure(errors: Vec<RegistryError>) -> Self {
        Self {
            status: ResponseStatus::Failure,
            errors,
        }
    }

    /// Writes `rs:RegistryResponse`.
    pub fn to_xml(&self) -> String {
        let mut x = Xml::new();
        x.start(
            "rs:RegistryResponse",
            &[("xmlns:rs", ns::RS), ("status", self.status.urn())],
        );
        write_errors(&mut x, &self.errors);
        x.end("rs:RegistryResponse");
        x.finish()
    }

    /// Reads an `rs:RegistryResponse` with the default limits.
    pub fn from_xml(xml: &[u8]) -> Result<Self, XdsError> {
        Self::from_xml_with_limits(xml, &ReadLimits::default())
    }

    /// Reads an `rs:RegistryResponse` with explicit limits.
    pub fn from_xml_with_limits(xml: &[u8], limits: &ReadLimits) -> Result<Self, XdsError> {
        let root = read::parse(xml, limits)?;
        root.expect(ns::RS, "RegistryResponse", "{rs}RegistryResponse")?;
        let path = "/RegistryResponse";
        Ok(Self {
            status: response_status(&root, path)?,
            errors: read_errors(&root, path)?,
        })
    }

    /// The errors of severity `Error` (warnings excluded).
    pub fn errors_only(&self) -> impl Iterator<Item = &RegistryError> {
        self.errors.iter().filter(|e| e.severity == Severity::Error)
    }
}

pub(crate) fn response_status(root: &Element, path: &str) -> Result<ResponseStatus, XdsError> {
    ResponseStatus::from_urn(root.req_attr("status", path)?).map_err(|e| e.at(path))
}

pub(crate) fn write_errors(x: &mut Xml, errors: &[RegistryError]) {
    if errors.is_empty() {
        return;
    }
    let highest = errors
        .iter()
        .map(|e| e.severity)
        .max()
        .unwrap_or(Severity::Error);
    x.start(
        "rs:RegistryErrorList",
        &[("highestSeverity", highest.urn())],
    );
    for e in errors {
        let mut attrs = vec![
            ("codeContext", e.code_context.as_str()),
            ("errorCode", e.code.as_str()),
            ("severity", e.severity.urn()),
        ];
        if let Some(l) = &e.location {
            attrs.push(("location", l));
        }
        x.empty("rs:RegistryError", &attrs);
    }
    x.end("rs:RegistryErrorList");
}

pub(crate) fn read_errors(root: &Element, path: &str) -> Result<Vec<RegistryError>, XdsError> {
    let Some(list) = root.child(ns::RS, "RegistryErrorList") else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (i, e) in list.children_named(ns::RS, "RegistryError").enumerate() {
        let epath = format!("{path}/RegistryErrorList/RegistryError[{}]", i + 1);
        out.push(RegistryError {
            code: XdsErrorCode::parse(e.req_attr("errorCode", &epath)?),
            severity: match e.attr("severity") {
                Some(s) => Severity::from_urn(s).map_err(|err| err.at(&epath))?,
                None => Severity::Error,
            },
            // Some registries put the explanation in the element text instead.
            code_context: match e.attr("codeContext") {
                Some(c) => c.to_owned(),
                None if !e.text.trim().is_empty() => e.text.trim().to_owned(),
                None => {
                    return Err(
                        XdsError::new(XdsErrorKind::MissingAttribute("codeContext")).at(epath)
                    );
                }
            },
            location: e.attr("location").map(str::to_owned),
        });
    }
    Ok(out)
}
