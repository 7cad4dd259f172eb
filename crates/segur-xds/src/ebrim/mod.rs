//! ebRIM 3.0 serialisation: `SubmitObjectsRequest` (ITI-41 metadata, ITI-57 updates, XDM
//! `METADATA.XML`), the metadata part of `ProvideAndRegisterDocumentSetRequest`, and the
//! `RegistryObjectList` shared with query responses.

pub(crate) mod read;
pub(crate) mod write;

use base64::Engine as _;

use crate::error::{XdsError, XdsErrorKind};
use crate::ids::EntryUuid;
use crate::model::{Association, DocumentEntry, Folder, Submission, SubmissionSet};

pub use read::ReadLimits;

/// XML namespaces of ebXML RegRep 3.0 and IHE XDS.b.
pub mod ns {
    /// ebRIM.
    pub const RIM: &str = "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0";
    /// Life-cycle management (SubmitObjectsRequest).
    pub const LCM: &str = "urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0";
    /// Query (AdhocQueryRequest / Response).
    pub const QUERY: &str = "urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0";
    /// Registry services (RegistryResponse).
    pub const RS: &str = "urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0";
    /// IHE XDS.b.
    pub const XDSB: &str = "urn:ihe:iti:xds-b:2007";
    /// XOP.
    pub const XOP: &str = "http://www.w3.org/2004/08/xop/include";
}

/// The registry objects of a `RegistryObjectList`, as found in a query response (`LeafClass`
/// or `ObjectRef`) or a submission.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RegistryObjects {
    /// Submission sets.
    pub submission_sets: Vec<SubmissionSet>,
    /// Folders.
    pub folders: Vec<Folder>,
    /// Document entries.
    pub documents: Vec<DocumentEntry>,
    /// Associations.
    pub associations: Vec<Association>,
    /// Object references (`returnType="ObjectRef"` responses): entryUUIDs only.
    pub object_refs: Vec<EntryUuid>,
}

impl RegistryObjects {
    pub(crate) fn from_submission(s: &Submission) -> Self {
        Self {
            submission_sets: vec![s.submission_set.clone()],
            folders: s.folders.clone(),
            documents: s.documents.clone(),
            associations: s.associations.clone(),
            object_refs: Vec::new(),
        }
    }

    /// Writes a standalone `rim:RegistryObjectList` document (e.g. the metadata derived for one
    /// document, without a submission around it).
    pub fn to_xml(&self) -> String {
        let mut x = write::Xml::new();
        x.registry_object_list_root(self);
        x.finish()
    }

    /// Reads a standalone `rim:RegistryObjectList` document with the default limits.
    pub fn from_xml(xml: &[u8]) -> Result<Self, XdsError> {
        Self::from_xml_with_limits(xml, &ReadLimits::default())
    }

    /// Reads a standalone `rim:RegistryObjectList` document with explicit limits.
    pub fn from_xml_with_limits(xml: &[u8], limits: &ReadLimits) -> Result<Self, XdsError> {
        let root = read::parse(xml, limits)?;
        root.expect(ns::RIM, "RegistryObjectList", "{rim}RegistryObjectList")?;
        read::registry_object_list(&root, "/RegistryObjectList")
    }

    /// Whether there is nothing in the list.
    pub fn is_empty(&self) -> bool {
        self.submission_sets.is_empty()
            && self.folders.is_empty()
            && self.documents.is_empty()
            && self.associations.is_empty()
            && self.object_refs.is_empty()
    }
}

impl Submission {
    /// Writes the submission as a standalone `lcm:SubmitObjectsRequest` document (ITI-57 body,
    /// XDM `METADATA.XML`).
    pub fn to_ebrim(&self) -> String {
        let mut x = write::Xml::new();
        x.submit_objects_request(self, true);
        x.finish()
    }

    /// Reads a `lcm:SubmitObjectsRequest` with the default [`ReadLimits`].
    pub fn from_ebrim(xml: &[u8]) -> Result<Self, XdsError> {
        Self::from_ebrim_with_limits(xml, &ReadLimits::default())
    }

    /// Reads a `lcm:SubmitObjectsRequest` with explicit limits.
    pub fn from_ebrim_with_limits(xml: &[u8], limits: &ReadLimits) -> Result<Self, XdsError> {
        let root = read::parse(xml, limits)?;
        root.expect(ns::LCM, "SubmitObjectsRequest", "{lcm}SubmitObjectsRequest")?;
        read::submission(&root, "/SubmitObjectsRequest")
    }
}

/// How a document's bytes appear in a `ProvideAndRegisterDocumentSetRequest`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentContent {
    /// An MTOM/XOP reference to a MIME part (`cid:` URL without the `cid:` prefix).
    XopInclude(String),
    /// The bytes inline, base64-encoded.
    Inline(Vec<u8>),
}

/// One `xdsb:Document` of a `ProvideAndRegisterDocumentSetRequest`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentPart {
    /// Must equal the `ExtrinsicObject/@id` of its entry (case included).
    pub id: EntryUuid,
    /// The content or its MIME reference.
    pub content: DocumentContent,
}

/// The metadata part of an ITI-41 `ProvideAndRegisterDocumentSetRequest`: the submission and
/// its `xdsb:Document` elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvideAndRegister {
    /// The `lcm:SubmitObjectsRequest`.
    pub submission: Submission,
    /// The documents, in order.
    pub documents: Vec<DocumentPart>,
}

impl ProvideAndRegister {
    /// Writes `xdsb:ProvideAndRegisterDocumentSetRequest`.
    pub fn to_xml(&self) -> String {
        let mut x = write::Xml::new();
        x.start(
            "xdsb:ProvideAndRegisterDocumentSetRequest",
            &[
                ("xmlns:xdsb", ns::XDSB),
                ("xmlns:lcm", ns::LCM),
                ("xmlns:rim", ns::RIM),
            ],
        );
        x.submit_objects_request(&self.submission, false);
        for doc in &self.documents {
            match &doc.content {
                DocumentContent::XopInclude(cid) => {
                    x.start("xdsb:Document", &[("id", doc.id.as_str())]);
                    x.empty(
                        "xop:Include",
                        &[("xmlns:xop", ns::XOP), ("href", &format!("cid:{cid}"))],
                    );
                    x.end("xdsb:Document");
                }
                DocumentContent::Inline(bytes) => {
                    let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
                    x.start("xdsb:Document", &[("id", doc.id.as_str())]);
                    x.text_inline(&b64);
                    x.end("xdsb:Document");
                }
            }
        }
        x.end("xdsb:ProvideAndRegisterDocumentSetRequest");
        x.finish()
    }

    /// Reads an `xdsb:ProvideAndRegisterDocumentSetRequest` (after MTOM unpacking, `xop:Include`
    /// elements are kept as references).
    pub fn from_xml(xml: &[u8]) -> Result<Self, XdsError> {
        Self::from_xml_with_limits(xml, &ReadLimits::default())
    }

    /// As [`ProvideAndRegister::from_xml`] with explicit limits.
    pub fn from_xml_with_limits(xml: &[u8], limits: &ReadLimits) -> Result<Self, XdsError> {
        let root = read::parse(xml, limits)?;
        let base = "/ProvideAndRegisterDocumentSetRequest";
        root.expect(
            ns::XDSB,
            "ProvideAndRegisterDocumentSetRequest",
            "{xdsb}ProvideAndRegisterDocumentSetRequest",
        )?;
        let sor = root.child(ns::LCM, "SubmitObjectsRequest").ok_or_else(|| {
            XdsError::new(XdsErrorKind::MissingElement("SubmitObjectsRequest")).at(base)
        })?;
        let submission = read::submission(sor, &format!("{base}/SubmitObjectsRequest"))?;
        let mut documents = Vec::new();
        for (i, d) in root.children_named(ns::XDSB, "Document").enumerate() {
            let path = format!("{base}/Document[{}]", i + 1);
            let id = EntryUuid::parse(d.req_attr("id", &path)?).map_err(|e| e.at(&path))?;
            let content = match d.child(ns::XOP, "Include") {
                Some(inc) => {
                    let href = inc.req_attr("href", &path)?;
                    let cid = href
                        .strip_prefix("cid:")
                        .ok_or_else(|| XdsError::invalid("xop:Include/@href", href).at(&path))?;
                    DocumentContent::XopInclude(cid.to_owned())
                }
                None => {
                    let text: String = d.text.chars().filter(|c| !c.is_whitespace()).collect();
                    let bytes = base64::engine::general_purpose::STANDARD
                        .decode(text.as_bytes())
                        .map_err(|_| XdsError::invalid("base64 document", "<content>").at(&path))?;
                    DocumentContent::Inline(bytes)
                }
            };
            documents.push(DocumentPart { id, content });
        }
        Ok(Self {
            submission,
            documents,
        })
    }
}
