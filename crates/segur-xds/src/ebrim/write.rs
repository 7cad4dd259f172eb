//! ebRIM 3.0 writer (quick-xml event API). Output is deterministic: the ids of the
//! Classification and ExternalIdentifier children are symbolic and numbered in order.

use std::borrow::Cow;

use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;

use crate::codes::{Code, ext_id, object_type, scheme};
use crate::hl7v2::{Cx, Xcn, Xon, Xtn};
use crate::ids::{EntryUuid, Oid, XdsTime};
use crate::model::{
    Association, Author, AvailabilityStatus, DocumentEntry, Folder, Submission, SubmissionSet,
    SubmissionSetStatus,
};

use super::ns;

/// Escapes markup characters, and the whitespace characters that XML parsers would otherwise
/// normalise (CR in text; TAB, LF, CR in attribute values), so that values read back exactly.
fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

/// A thin event writer into memory.
pub(crate) struct Xml {
    w: Writer<Vec<u8>>,
    next_id: usize,
}

impl Xml {
    pub(crate) fn new() -> Self {
        let mut this = Self {
            w: Writer::new_with_indent(Vec::new(), b' ', 2),
            next_id: 0,
        };
        this.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        this
    }

    fn event(&mut self, event: Event<'_>) {
        // Writing into a Vec<u8> cannot fail: the only error quick-xml reports is the sink's.
        let _ = self.w.write_event(event);
    }

    fn element<'a>(name: &'a str, attrs: &[(&'a str, &'a str)]) -> BytesStart<'a> {
        let mut e = BytesStart::new(name);
        for (k, v) in attrs {
            e.push_attribute(Attribute {
                key: QName(k),
                value: Cow::Owned(escape(v, true)),
            });
        }
        e
    }

    pub(crate) fn start(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.event(Event::Start(Self::element(name, attrs)));
    }

    pub(crate) fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.event(Event::Empty(Self::element(name, attrs)));
    }

    pub(crate) fn end(&mut self, name: &str) {
        self.event(Event::End(BytesEnd::new(name)));
    }

    pub(crate) fn text_element(&mut self, name: &str, text: &str) {
        self.start(name, &[]);
        self.text_inline(text);
        self.end(name);
    }

    pub(crate) fn text_inline(&mut self, text: &str) {
        self.event(Event::Text(BytesText::from_escaped(escape(text, false))));
    }

    fn fresh_id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}{}", self.next_id)
    }

    pub(crate) fn finish(self) -> String {
        let mut bytes = self.w.into_inner();
        bytes.push(b'\n');
        // Only `&str` pieces were written, so the buffer is UTF-8.
        String::from_utf8_lossy(&bytes).into_owned()
    }

    // ---- ebRIM building blocks ------------------------------------------------------------

    pub(crate) fn slot<S: AsRef<str>>(&mut self, name: &str, values: &[S]) {
        if values.is_empty() {
            return;
        }
        self.start("rim:Slot", &[("name", name)]);
        self.start("rim:ValueList", &[]);
        for v in values {
            self.text_element("rim:Value", v.as_ref());
        }
        self.end("rim:ValueList");
        self.end("rim:Slot");
    }

    fn opt_slot(&mut self, name: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.slot(name, &[v]);
        }
    }

    fn international(&mut self, element: &str, text: Option<&str>) {
        if let Some(text) = text {
            self.start(element, &[]);
            self.empty("rim:LocalizedString", &[("value", text)]);
            self.end(element);
        }
    }

    fn code_classification(&mut self, scheme: &str, object: &EntryUuid, code: &Code) {
        let id = self.fresh_id("cl");
        self.start(
            "rim:Classification",
            &[
                ("id", &id),
                ("classificationScheme", scheme),
                ("classifiedObject", object.as_str()),
                ("nodeRepresentation", &code.code),
            ],
        );
        self.slot("codingScheme", &[&code.coding_scheme]);
        self.international("rim:Name", Some(&code.display_name));
        self.end("rim:Classification");
    }

    fn author_classification(&mut self, scheme: &str, object: &EntryUuid, author: &Author) {
        let id = self.fresh_id("cl");
        self.start(
            "rim:Classification",
            &[
                ("id", &id),
                ("classificationScheme", scheme),
                ("classifiedObject", object.as_str()),
                ("nodeRepresentation", ""),
            ],
        );
        if let Some(person) = &author.person {
            self.slot("authorPerson", &[person.to_hl7v2()]);
        }
        let all = |v: &[Code]| v.iter().map(Code::to_hl7v2).collect::<Vec<_>>();
        let institutions: Vec<String> = author.institutions.iter().map(Xon::to_hl7v2).collect();
        self.slot("authorInstitution", &institutions);
        self.slot("authorRole", &all(&author.roles));
        self.slot("authorSpecialty", &all(&author.specialties));
        let telecoms: Vec<String> = author.telecoms.iter().map(Xtn::to_hl7v2).collect();
        self.slot("authorTelecommunication", &telecoms);
        self.end("rim:Classification");
    }

    fn node_classification(&mut self, node: &str, object: &EntryUuid) {
        let id = self.fresh_id("cl");
        self.empty(
            "rim:Classification",
            &[
                ("id", &id),
                ("classifiedObject", object.as_str()),
                ("classificationNode", node),
            ],
        );
    }

    fn external_identifier(&mut self, scheme: &str, object: &EntryUuid, value: &str, label: &str) {
        let id = self.fresh_id("ei");
        self.start(
            "rim:ExternalIdentifier",
            &[
                ("id", &id),
                ("registryObject", object.as_str()),
                ("identificationScheme", scheme),
                ("value", value),
            ],
        );
        self.international("rim:Name", Some(label));
        self.end("rim:ExternalIdentifier");
    }

    // ---- XDS objects ----------------------------------------------------------------------

    pub(crate) fn submission_set(&mut self, set: &SubmissionSet) {
        let id = &set.entry_uuid;
        let mut attrs = vec![
            ("id", id.as_str()),
            ("objectType", object_type::REGISTRY_PACKAGE),
        ];
        if let Some(s) = set.availability_status {
            attrs.push(("status", s.urn()));
        }
        self.start("rim:RegistryPackage", &attrs);
        self.slot("submissionTime", &[set.submission_time.as_str()]);
        self.slot("intendedRecipient", &set.intended_recipients);
        self.international("rim:Name", set.title.as_deref());
        self.international("rim:Description", set.comments.as_deref());
        for author in &set.authors {
            self.author_classification(scheme::SET_AUTHOR, id, author);
        }
        if let Some(code) = &set.content_type_code {
            self.code_classification(scheme::SET_CONTENT_TYPE_CODE, id, code);
        }
        self.node_classification(object_type::SUBMISSION_SET_NODE, id);
        self.external_identifier(
            ext_id::SET_UNIQUE_ID,
            id,
            set.unique_id.as_str(),
            "XDSSubmissionSet.uniqueId",
        );
        self.external_identifier(
            ext_id::SET_SOURCE_ID,
            id,
            set.source_id.as_str(),
            "XDSSubmissionSet.sourceId",
        );
        self.external_identifier(
            ext_id::SET_PATIENT_ID,
            id,
            &set.patient_id.to_hl7v2(),
            "XDSSubmissionSet.patientId",
        );
        self.end("rim:RegistryPackage");
    }

    pub(crate) fn folder(&mut self, folder: &Folder) {
        let id = &folder.entry_uuid;
        let mut attrs = vec![
            ("id", id.as_str()),
            ("objectType", object_type::REGISTRY_PACKAGE),
        ];
        if let Some(s) = folder.availability_status {
            attrs.push(("status", s.urn()));
        }
        self.start("rim:RegistryPackage", &attrs);
        self.opt_slot(
            "lastUpdateTime",
            folder.last_update_time.as_ref().map(XdsTime::as_str),
        );
        self.international("rim:Name", folder.title.as_deref());
        self.international("rim:Description", folder.comments.as_deref());
        for code in &folder.codes {
            self.code_classification(scheme::FOLDER_CODE_LIST, id, code);
        }
        self.node_classification(object_type::FOLDER_NODE, id);
        self.external_identifier(
            ext_id::FOLDER_PATIENT_ID,
            id,
            &folder.patient_id.to_hl7v2(),
            "XDSFolder.patientId",
        );
        self.external_identifier(
            ext_id::FOLDER_UNIQUE_ID,
            id,
            folder.unique_id.as_str(),
            "XDSFolder.uniqueId",
        );
        self.end("rim:RegistryPackage");
    }

    pub(crate) fn document(&mut self, doc: &DocumentEntry) {
        let id = &doc.entry_uuid;
        let mut attrs = vec![("id", id.as_str())];
        if let Some(lid) = &doc.logical_id {
            attrs.push(("lid", lid.as_str()));
        }
        attrs.push(("mimeType", &doc.mime_type));
        attrs.push(("objectType", doc.kind.urn()));
        if let Some(s) = doc.availability_status {
            attrs.push(("status", s.urn()));
        }
        self.start("rim:ExtrinsicObject", &attrs);
        self.opt_slot(
            "creationTime",
            doc.creation_time.as_ref().map(XdsTime::as_str),
        );
        self.opt_slot("hash", doc.hash.map(|h| h.to_hex()).as_deref());
        self.opt_slot("languageCode", doc.language_code.as_deref());
        self.opt_slot(
            "legalAuthenticator",
            doc.legal_authenticator
                .as_ref()
                .map(Xcn::to_hl7v2)
                .as_deref(),
        );
        self.opt_slot(
            "repositoryUniqueId",
            doc.repository_unique_id.as_ref().map(Oid::as_str),
        );
        self.opt_slot(
            "serviceStartTime",
            doc.service_start_time.as_ref().map(XdsTime::as_str),
        );
        self.opt_slot(
            "serviceStopTime",
            doc.service_stop_time.as_ref().map(XdsTime::as_str),
        );
        self.opt_slot("size", doc.size.map(|s| s.to_string()).as_deref());
        self.opt_slot(
            "sourcePatientId",
            doc.source_patient_id.as_ref().map(Cx::to_hl7v2).as_deref(),
        );
        self.slot("sourcePatientInfo", &doc.source_patient_info);
        self.opt_slot("URI", doc.uri.as_deref());
        self.international("rim:Name", doc.title.as_deref());
        self.international("rim:Description", doc.comments.as_deref());
        if let Some(v) = &doc.version {
            self.empty("rim:VersionInfo", &[("versionName", v)]);
        }
        for author in &doc.authors {
            self.author_classification(scheme::DOC_AUTHOR, id, author);
        }
        self.code_classification(scheme::DOC_CLASS_CODE, id, &doc.class_code);
        for code in &doc.confidentiality_codes {
            self.code_classification(scheme::DOC_CONFIDENTIALITY_CODE, id, code);
        }
        for code in &doc.event_codes {
            self.code_classification(scheme::DOC_EVENT_CODE, id, code);
        }
        self.code_classification(scheme::DOC_FORMAT_CODE, id, &doc.format_code);
        self.code_classification(
            scheme::DOC_FACILITY_TYPE_CODE,
            id,
            &doc.healthcare_facility_type_code,
        );
        self.code_classification(
            scheme::DOC_PRACTICE_SETTING_CODE,
            id,
            &doc.practice_setting_code,
        );
        self.code_classification(scheme::DOC_TYPE_CODE, id, &doc.type_code);
        self.external_identifier(
            ext_id::DOC_PATIENT_ID,
            id,
            &doc.patient_id.to_hl7v2(),
            "XDSDocumentEntry.patientId",
        );
        self.external_identifier(
            ext_id::DOC_UNIQUE_ID,
            id,
            doc.unique_id.as_str(),
            "XDSDocumentEntry.uniqueId",
        );
        self.end("rim:ExtrinsicObject");
    }

    pub(crate) fn association(&mut self, a: &Association) {
        let mut attrs = vec![
            ("id", a.id.as_str()),
            ("associationType", a.association_type.urn()),
            ("sourceObject", a.source.as_str()),
            ("targetObject", a.target.as_str()),
            ("objectType", object_type::ASSOCIATION),
        ];
        if let Some(s) = a.availability_status {
            attrs.push(("status", s.urn()));
        }
        let has_slots = a.submission_set_status.is_some()
            || a.previous_version.is_some()
            || a.original_status.is_some()
            || a.new_status.is_some();
        if !has_slots {
            self.empty("rim:Association", &attrs);
            return;
        }
        self.start("rim:Association", &attrs);
        self.opt_slot(
            "SubmissionSetStatus",
            a.submission_set_status.map(SubmissionSetStatus::as_str),
        );
        self.opt_slot("PreviousVersion", a.previous_version.as_deref());
        self.opt_slot(
            "OriginalStatus",
            a.original_status.map(AvailabilityStatus::urn),
        );
        self.opt_slot("NewStatus", a.new_status.map(AvailabilityStatus::urn));
        self.end("rim:Association");
    }

    /// `<rim:RegistryObjectList>` as the document element.
    pub(crate) fn registry_object_list_root(&mut self, objects: &super::RegistryObjects) {
        self.objects(objects, &[("xmlns:rim", ns::RIM)]);
    }

    /// `<rim:RegistryObjectList>` with a submission's objects.
    pub(crate) fn registry_object_list(&mut self, objects: &super::RegistryObjects) {
        self.objects(objects, &[]);
    }

    fn objects(&mut self, objects: &super::RegistryObjects, attrs: &[(&str, &str)]) {
        self.start("rim:RegistryObjectList", attrs);
        for set in &objects.submission_sets {
            self.submission_set(set);
        }
        for folder in &objects.folders {
            self.folder(folder);
        }
        for doc in &objects.documents {
            self.document(doc);
        }
        for a in &objects.associations {
            self.association(a);
        }
        for r in &objects.object_refs {
            self.empty("rim:ObjectRef", &[("id", r.as_str())]);
        }
        self.end("rim:RegistryObjectList");
    }

    pub(crate) fn submit_objects_request(&mut self, submission: &Submission, declare_ns: bool) {
        let attrs: &[(&str, &str)] = if declare_ns {
            &[("xmlns:lcm", ns::LCM), ("xmlns:rim", ns::RIM)]
        } else {
            &[]
        };
        self.start("lcm:SubmitObjectsRequest", attrs);
        self.registry_object_list(&super::RegistryObjects::from_submission(submission));
        self.end("lcm:SubmitObjectsRequest");
    }
}
