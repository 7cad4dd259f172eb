//! ITI-18 stored queries: `query:AdhocQueryRequest` builders (with the French status values)
//! and the `query:AdhocQueryResponse` reader (`ObjectRef` and `LeafClass`).

use crate::codes::Code;
use crate::ebrim::read::{self, Element};
use crate::ebrim::write::Xml;
use crate::ebrim::{ReadLimits, RegistryObjects, ns};
use crate::error::{XdsError, XdsErrorKind};
use crate::hl7v2::Cx;
use crate::ids::{EntryUuid, UniqueId, XdsTime};
use crate::model::AvailabilityStatus;
use crate::response::{RegistryError, ResponseStatus, read_errors, response_status, write_errors};

/// Stored query ids (IHE ITI TF-2 §3.18.4.1.2.3.7).
pub mod stored_query {
    /// FindDocuments.
    pub const FIND_DOCUMENTS: &str = "urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d";
    /// FindSubmissionSets.
    pub const FIND_SUBMISSION_SETS: &str = "urn:uuid:f26abbcb-ac74-4422-8a30-edb644bbc1a9";
    /// FindFolders.
    pub const FIND_FOLDERS: &str = "urn:uuid:958f3006-baad-4929-a4de-ff1114824431";
    /// GetAll.
    pub const GET_ALL: &str = "urn:uuid:10b545ea-725c-446d-9b95-8aeb444eddf3";
    /// GetDocuments.
    pub const GET_DOCUMENTS: &str = "urn:uuid:5c4f972b-d56b-40ac-a5fc-c8ca9b40b9d4";
    /// GetFolders.
    pub const GET_FOLDERS: &str = "urn:uuid:5737b14c-8a1a-4539-b659-e03a34a5e1e4";
    /// GetAssociations.
    pub const GET_ASSOCIATIONS: &str = "urn:uuid:a7ae438b-4bc2-4642-93e9-be891f7bb155";
    /// GetDocumentsAndAssociations.
    pub const GET_DOCUMENTS_AND_ASSOCIATIONS: &str =
        "urn:uuid:bab9529a-4a10-40b3-a01f-f68a615d247a";
    /// GetSubmissionSets.
    pub const GET_SUBMISSION_SETS: &str = "urn:uuid:51224314-5390-4169-9b91-b1980040715a";
    /// GetSubmissionSetAndContents.
    pub const GET_SUBMISSION_SET_AND_CONTENTS: &str =
        "urn:uuid:e8e3cb2c-e39c-46b9-99e4-c12f57260b83";
    /// GetFolderAndContents.
    pub const GET_FOLDER_AND_CONTENTS: &str = "urn:uuid:b909a503-523d-4517-8acf-8e5834dfc4c7";
    /// GetFoldersForDocument.
    pub const GET_FOLDERS_FOR_DOCUMENT: &str = "urn:uuid:10cae35a-c7f9-4cf5-b61e-fc3278ffb578";
    /// GetRelatedDocuments.
    pub const GET_RELATED_DOCUMENTS: &str = "urn:uuid:d90e5407-b356-4d91-a89f-873917b4b0e6";
}

/// What the registry should return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ReturnType {
    /// Full objects.
    #[default]
    LeafClass,
    /// entryUUIDs only.
    ObjectRef,
}

impl ReturnType {
    fn as_str(self) -> &'static str {
        match self {
            Self::LeafClass => "LeafClass",
            Self::ObjectRef => "ObjectRef",
        }
    }
}

/// One query parameter slot. Each entry of `values` is the text of one `Value` element, in the
/// stored-query syntax: `'text'` (quotes doubled inside), a number, or a list `('a','b')`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryParameter {
    /// `$XDSDocumentEntryPatientId`...
    pub name: String,
    /// Raw `Value` texts.
    pub values: Vec<String>,
}

/// Quotes a string for a stored-query parameter: `O'Neil` → `'O''Neil'`.
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Formats a list parameter value: `('a','b')`.
pub fn quote_list<S: AsRef<str>>(items: &[S]) -> String {
    let inner: Vec<String> = items.iter().map(|s| quote(s.as_ref())).collect();
    format!("({})", inner.join(","))
}

/// Reads a parameter value (`'x'`, `('x','y')` or a bare number) into its strings.
pub fn unquote(value: &str) -> Result<Vec<String>, XdsError> {
    let err = || XdsError::invalid("stored query parameter value", value);
    let v = value.trim();
    let (inner, is_list) = match v.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        Some(inner) => (inner.trim(), true),
        None => (v, false),
    };
    let mut out = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.peek() {
            None => break,
            Some('\'') => {
                chars.next();
                let mut s = String::new();
                loop {
                    match chars.next() {
                        Some('\'') if chars.peek() == Some(&'\'') => {
                            chars.next();
                            s.push('\'');
                        }
                        Some('\'') => break,
                        Some(c) => s.push(c),
                        None => return Err(err()),
                    }
                }
                out.push(s);
            }
            Some(_) => {
                let s: String = chars.by_ref().take_while(|c| *c != ',').collect();
                let s = s.trim();
                if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                    return Err(err());
                }
                out.push(s.to_owned());
                if is_list {
                    continue;
                }
                break;
            }
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            Some(',') if is_list => {}
            None => break,
            _ => return Err(err()),
        }
    }
    if out.is_empty() || (!is_list && out.len() != 1) {
        return Err(err());
    }
    Ok(out)
}

/// A `query:AdhocQueryRequest` invoking a stored query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdhocQueryRequest {
    /// `ResponseOption/@returnType`.
    pub return_type: ReturnType,
    /// `AdhocQuery/@id`: the stored query id (see [`stored_query`]).
    pub query_id: String,
    /// `AdhocQuery/@home`: the homeCommunityId, if any.
    pub home_community_id: Option<String>,
    /// The parameters, in order (a name may repeat: AND of code lists).
    pub parameters: Vec<QueryParameter>,
}

fn codes_value(codes: &[Code]) -> String {
    let items: Vec<String> = codes
        .iter()
        .map(|c| format!("{}^^{}", c.code, c.coding_scheme))
        .collect();
    quote_list(&items)
}

/// The FindDocuments query (TD3.1), with its most used parameters. Empty lists and `None`
/// are left out of the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindDocuments {
    /// `$XDSDocumentEntryPatientId` (required).
    pub patient_id: Cx,
    /// `$XDSDocumentEntryStatus` (required; French Archived/Deleted accepted).
    pub statuses: Vec<AvailabilityStatus>,
    /// `$XDSDocumentEntryClassCode`.
    pub class_codes: Vec<Code>,
    /// `$XDSDocumentEntryTypeCode`.
    pub type_codes: Vec<Code>,
    /// `$XDSDocumentEntryPracticeSettingCode`.
    pub practice_setting_codes: Vec<Code>,
    /// `$XDSDocumentEntryHealthcareFacilityTypeCode`.
    pub healthcare_facility_type_codes: Vec<Code>,
    /// `$XDSDocumentEntryEventCodeList` (one AND-ed slot per entry).
    pub event_codes: Vec<Code>,
    /// `$XDSDocumentEntryConfidentialityCode`.
    pub confidentiality_codes: Vec<Code>,
    /// `$XDSDocumentEntryFormatCode`.
    pub format_codes: Vec<Code>,
    /// `$XDSDocumentEntryCreationTimeFrom` / `To`.
    pub creation_time: (Option<XdsTime>, Option<XdsTime>),
    /// `$XDSDocumentEntryServiceStartTimeFrom` / `To`.
    pub service_start_time: (Option<XdsTime>, Option<XdsTime>),
    /// `$XDSDocumentEntryServiceStopTimeFrom` / `To`.
    pub service_stop_time: (Option<XdsTime>, Option<XdsTime>),
    /// `$XDSDocumentEntryAuthorPerson` (LIKE patterns, `%` and `_` wildcards).
    pub author_persons: Vec<String>,
}

impl FindDocuments {
    /// FindDocuments for `patient_id` and `statuses`, no other criteria.
    pub fn new(patient_id: Cx, statuses: Vec<AvailabilityStatus>) -> Self {
        Self {
            patient_id,
            statuses,
            class_codes: Vec::new(),
            type_codes: Vec::new(),
            practice_setting_codes: Vec::new(),
            healthcare_facility_type_codes: Vec::new(),
            event_codes: Vec::new(),
            confidentiality_codes: Vec::new(),
            format_codes: Vec::new(),
            creation_time: (None, None),
            service_start_time: (None, None),
            service_stop_time: (None, None),
            author_persons: Vec::new(),
        }
    }

    /// The request.
    pub fn to_request(&self, return_type: ReturnType) -> AdhocQueryRequest {
        let mut q = AdhocQueryRequest::new(stored_query::FIND_DOCUMENTS, return_type);
        q.param(
            "$XDSDocumentEntryPatientId",
            quote(&self.patient_id.to_hl7v2()),
        );
        let statuses: Vec<&str> = self.statuses.iter().map(|s| s.urn()).collect();
        q.param("$XDSDocumentEntryStatus", quote_list(&statuses));
        for (name, codes) in [
            ("$XDSDocumentEntryClassCode", &self.class_codes),
            ("$XDSDocumentEntryTypeCode", &self.type_codes),
            (
                "$XDSDocumentEntryPracticeSettingCode",
                &self.practice_setting_codes,
            ),
            (
                "$XDSDocumentEntryHealthcareFacilityTypeCode",
                &self.healthcare_facility_type_codes,
            ),
            (
                "$XDSDocumentEntryConfidentialityCode",
                &self.confidentiality_codes,
            ),
            ("$XDSDocumentEntryFormatCode", &self.format_codes),
        ] {
            if !codes.is_empty() {
                q.param(name, codes_value(codes));
            }
        }
        for code in &self.event_codes {
            q.param(
                "$XDSDocumentEntryEventCodeList",
                codes_value(std::slice::from_ref(code)),
            );
        }
        for (prefix, (from, to)) in [
            ("$XDSDocumentEntryCreationTime", &self.creation_time),
            (
                "$XDSDocumentEntryServiceStartTime",
                &self.service_start_time,
            ),
            ("$XDSDocumentEntryServiceStopTime", &self.service_stop_time),
        ] {
            if let Some(t) = from {
                q.param(&format!("{prefix}From"), t.as_str().to_owned());
            }
            if let Some(t) = to {
                q.param(&format!("{prefix}To"), t.as_str().to_owned());
            }
        }
        if !self.author_persons.is_empty() {
            q.param(
                "$XDSDocumentEntryAuthorPerson",
                quote_list(&self.author_persons),
            );
        }
        q
    }
}

/// How GetDocuments / GetSubmissionSetAndContents designate objects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectsBy {
    /// By entryUUID (`$XDSDocumentEntryEntryUUID`, `$XDSSubmissionSetEntryUUID`...).
    EntryUuids(Vec<EntryUuid>),
    /// By uniqueId (`$XDSDocumentEntryUniqueId`, `$XDSSubmissionSetUniqueId`...).
    UniqueIds(Vec<UniqueId>),
}

impl AdhocQueryRequest {
    /// An empty request for the stored query `query_id`.
    pub fn new(query_id: &str, return_type: ReturnType) -> Self {
        Self {
            return_type,
            query_id: query_id.to_owned(),
            home_community_id: None,
            parameters: Vec::new(),
        }
    }

    /// Appends a parameter with one raw value.
    pub fn param(&mut self, name: &str, value: String) {
        self.parameters.push(QueryParameter {
            name: name.to_owned(),
            values: vec![value],
        });
    }

    /// The raw values of the first parameter named `name`.
    pub fn parameter(&self, name: &str) -> Option<&[String]> {
        self.parameters
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.values.as_slice())
    }

    /// GetDocuments by entryUUIDs or uniqueIds.
    pub fn get_documents(by: &ObjectsBy, return_type: ReturnType) -> Self {
        let mut q = Self::new(stored_query::GET_DOCUMENTS, return_type);
        match by {
            ObjectsBy::EntryUuids(ids) => q.param("$XDSDocumentEntryEntryUUID", quote_list(ids)),
            ObjectsBy::UniqueIds(ids) => q.param("$XDSDocumentEntryUniqueId", quote_list(ids)),
        }
        q
    }

    /// GetAssociations of the objects `uuids`.
    pub fn get_associations(uuids: &[EntryUuid], return_type: ReturnType) -> Self {
        let mut q = Self::new(stored_query::GET_ASSOCIATIONS, return_type);
        q.param("$uuid", quote_list(uuids));
        q
    }

    /// GetSubmissionSetAndContents of one submission set.
    pub fn get_submission_set_and_contents(by: &ObjectsBy, return_type: ReturnType) -> Self {
        let mut q = Self::new(stored_query::GET_SUBMISSION_SET_AND_CONTENTS, return_type);
        match by {
            ObjectsBy::EntryUuids(ids) => {
                q.param("$XDSSubmissionSetEntryUUID", quote_list(ids));
            }
            ObjectsBy::UniqueIds(ids) => q.param("$XDSSubmissionSetUniqueId", quote_list(ids)),
        }
        q
    }

    /// FindSubmissionSets for a patient and statuses (TD3.1 variant recommended to filter on
    /// the true submission date), optionally bounded by submission time.
    pub fn find_submission_sets(
        patient_id: &Cx,
        statuses: &[AvailabilityStatus],
        submission_time: (Option<&XdsTime>, Option<&XdsTime>),
        return_type: ReturnType,
    ) -> Self {
        let mut q = Self::new(stored_query::FIND_SUBMISSION_SETS, return_type);
        q.param("$XDSSubmissionSetPatientId", quote(&patient_id.to_hl7v2()));
        let s: Vec<&str> = statuses.iter().map(|s| s.urn()).collect();
        q.param("$XDSSubmissionSetStatus", quote_list(&s));
        if let Some(t) = submission_time.0 {
            q.param("$XDSSubmissionSetSubmissionTimeFrom", t.as_str().to_owned());
        }
        if let Some(t) = submission_time.1 {
            q.param("$XDSSubmissionSetSubmissionTimeTo", t.as_str().to_owned());
        }
        q
    }

    /// Writes `query:AdhocQueryRequest`.
    pub fn to_xml(&self) -> String {
        let mut x = Xml::new();
        x.start(
            "query:AdhocQueryRequest",
            &[("xmlns:query", ns::QUERY), ("xmlns:rim", ns::RIM)],
        );
        x.empty(
            "query:ResponseOption",
            &[
                ("returnComposedObjects", "true"),
                ("returnType", self.return_type.as_str()),
            ],
        );
        let mut attrs = vec![("id", self.query_id.as_str())];
        if let Some(home) = &self.home_community_id {
            attrs.push(("home", home));
        }
        x.start("rim:AdhocQuery", &attrs);
        for p in &self.parameters {
            x.slot(&p.name, &p.values);
        }
        x.end("rim:AdhocQuery");
        x.end("query:AdhocQueryRequest");
        x.finish()
    }

    /// Reads a `query:AdhocQueryRequest` (default limits).
    pub fn from_xml(xml: &[u8]) -> Result<Self, XdsError> {
        Self::from_xml_with_limits(xml, &ReadLimits::default())
    }

    /// Reads a `query:AdhocQueryRequest` with explicit limits.
    pub fn from_xml_with_limits(xml: &[u8], limits: &ReadLimits) -> Result<Self, XdsError> {
        let root = read::parse(xml, limits)?;
        root.expect(ns::QUERY, "AdhocQueryRequest", "{query}AdhocQueryRequest")?;
        let path = "/AdhocQueryRequest";
        let option = root.child(ns::QUERY, "ResponseOption").ok_or_else(|| {
            XdsError::new(XdsErrorKind::MissingElement("ResponseOption")).at(path)
        })?;
        let return_type = match option.attr("returnType") {
            Some("LeafClass") => ReturnType::LeafClass,
            Some("ObjectRef") => ReturnType::ObjectRef,
            Some(other) => {
                return Err(
                    XdsError::invalid("returnType", other).at(format!("{path}/ResponseOption"))
                );
            }
            None => ReturnType::ObjectRef,
        };
        let query = root
            .child(ns::RIM, "AdhocQuery")
            .ok_or_else(|| XdsError::new(XdsErrorKind::MissingElement("AdhocQuery")).at(path))?;
        let qpath = format!("{path}/AdhocQuery");
        let mut parameters = Vec::new();
        for (i, slot) in query.children_named(ns::RIM, "Slot").enumerate() {
            let spath = format!("{qpath}/Slot[{}]", i + 1);
            parameters.push(QueryParameter {
                name: slot.req_attr("name", &spath)?.to_owned(),
                values: slot
                    .child(ns::RIM, "ValueList")
                    .map(|vl| {
                        vl.children_named(ns::RIM, "Value")
                            .map(|v| v.text.clone())
                            .collect()
                    })
                    .unwrap_or_default(),
            });
        }
        Ok(Self {
            return_type,
            query_id: query.req_attr("id", &qpath)?.to_owned(),
            home_community_id: query.attr("home").map(str::to_owned),
            parameters,
        })
    }
}

/// A `query:AdhocQueryResponse`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdhocQueryResponse {
    /// `@status`.
    pub status: ResponseStatus,
    /// The returned objects (`LeafClass`) or references (`ObjectRef`).
    pub objects: RegistryObjects,
    /// Errors and warnings.
    pub errors: Vec<RegistryError>,
}

impl AdhocQueryResponse {
    /// Writes `query:AdhocQueryResponse`.
    pub fn to_xml(&self) -> String {
        let mut x = Xml::new();
        x.start(
            "query:AdhocQueryResponse",
            &[
                ("xmlns:query", ns::QUERY),
                ("xmlns:rim", ns::RIM),
                ("xmlns:rs", ns::RS),
                ("status", self.status.urn()),
            ],
        );
        write_errors(&mut x, &self.errors);
        x.registry_object_list(&self.objects);
        x.end("query:AdhocQueryResponse");
        x.finish()
    }

    /// Reads a `query:AdhocQueryResponse` (default limits).
    pub fn from_xml(xml: &[u8]) -> Result<Self, XdsError> {
        Self::from_xml_with_limits(xml, &ReadLimits::default())
    }

    /// Reads a `query:AdhocQueryResponse` with explicit limits.
    pub fn from_xml_with_limits(xml: &[u8], limits: &ReadLimits) -> Result<Self, XdsError> {
        let root: Element = read::parse(xml, limits)?;
        root.expect(ns::QUERY, "AdhocQueryResponse", "{query}AdhocQueryResponse")?;
        let path = "/AdhocQueryResponse";
        let objects = match root.child(ns::RIM, "RegistryObjectList") {
            Some(list) => read::registry_object_list(list, &format!("{path}/RegistryObjectList"))?,
            None => RegistryObjects::default(),
        };
        Ok(Self {
            status: response_status(&root, path)?,
            objects,
            errors: read_errors(&root, path)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_values_quote_and_unquote() {
        assert_eq!(quote("O'Neil"), "'O''Neil'");
        assert_eq!(quote_list(&["a", "b"]), "('a','b')");
        assert_eq!(unquote("('a', 'b''c')").unwrap(), ["a", "b'c"]);
        assert_eq!(unquote("'x'").unwrap(), ["x"]);
        assert_eq!(unquote("20200101").unwrap(), ["20200101"]);
        assert_eq!(unquote("(1, 2)").unwrap(), ["1", "2"]);
        for bad in ["'x", "('a' 'b')", "", "()", "abc", "'a','b'"] {
            assert!(unquote(bad).is_err(), "{bad}");
        }
    }
}
