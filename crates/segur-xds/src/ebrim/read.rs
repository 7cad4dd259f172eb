//! Hostile-input-safe ebRIM reader: a bounded, namespace-resolved element tree built with the
//! quick-xml event API (no DTD, no entity other than the predefined ones), then mapped to the
//! model with element paths in every error.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use crate::codes::{Code, ext_id, object_type, scheme};
use crate::error::{XdsError, XdsErrorKind};
use crate::hl7v2::{Cx, Xcn, Xon, Xtn};
use crate::ids::{EntryUuid, Oid, UniqueId, XdsTime};
use crate::model::{
    Association, AssociationType, Author, AvailabilityStatus, DocumentEntry, EntryKind, Folder,
    Sha1Hash, Submission, SubmissionSet, SubmissionSetStatus,
};

use super::{RegistryObjects, ns};

/// Limits applied to untrusted ebRIM input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReadLimits {
    /// Maximum input size in bytes (default 64 MiB: ITI-41 bodies carry inline documents).
    pub max_bytes: usize,
    /// Maximum element nesting depth (default 32; ebRIM needs about 8).
    pub max_depth: usize,
    /// Maximum number of elements (default 500 000).
    pub max_elements: usize,
    /// Maximum attributes on one element (default 32).
    pub max_attributes: usize,
}

impl Default for ReadLimits {
    fn default() -> Self {
        Self {
            max_bytes: 64 * 1024 * 1024,
            max_depth: 32,
            max_elements: 500_000,
            max_attributes: 32,
        }
    }
}

impl ReadLimits {
    /// Limits with a different maximum input size.
    pub fn with_max_bytes(mut self, max_bytes: usize) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    /// Limits with a different maximum depth.
    pub fn with_max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = max_depth;
        self
    }

    /// Limits with a different maximum element count.
    pub fn with_max_elements(mut self, max_elements: usize) -> Self {
        self.max_elements = max_elements;
        self
    }
}

/// One element of the bounded tree.
#[derive(Debug)]
pub(crate) struct Element {
    /// The namespace URI, shared by the elements of the same namespace: a copy each would let
    /// a long URI on many elements take unbounded memory.
    pub(crate) ns: Rc<str>,
    pub(crate) name: String,
    attrs: Vec<(String, String)>,
    pub(crate) children: Vec<Self>,
    pub(crate) text: String,
}

/// The longest namespace URI accepted (real ones are under a hundred bytes).
const MAX_NAMESPACE_URI: usize = 2048;

/// The shared copy of a namespace URI.
fn intern(namespaces: &mut HashSet<Rc<str>>, uri: &str) -> Rc<str> {
    if let Some(shared) = namespaces.get(uri) {
        return Rc::clone(shared);
    }
    let shared: Rc<str> = Rc::from(uri);
    namespaces.insert(Rc::clone(&shared));
    shared
}

fn limit(what: &'static str, limit: usize) -> XdsError {
    XdsError::new(XdsErrorKind::LimitExceeded { what, limit })
}

/// Parses `input` into an element tree.
pub(crate) fn parse(input: &[u8], limits: &ReadLimits) -> Result<Element, XdsError> {
    if input.len() > limits.max_bytes {
        return Err(limit("input bytes", limits.max_bytes));
    }
    let text = std::str::from_utf8(input)
        .map_err(|e| XdsError::new(XdsErrorKind::NotUtf8).at_offset(e.valid_up_to() as u64))?;
    let mut reader = NsReader::from_str(text);
    let mut namespaces: HashSet<Rc<str>> = HashSet::new();
    let no_namespace: Rc<str> = Rc::from("");
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut elements = 0usize;
    loop {
        let offset = reader.buffer_position();
        let step = match reader.read_resolved_event() {
            Ok((resolved, event)) => Ok((
                match resolved {
                    ResolveResult::Bound(ns) => Ok(intern(&mut namespaces, ns.into_inner())),
                    ResolveResult::Unbound => Ok(Rc::clone(&no_namespace)),
                    ResolveResult::Unknown(p) => Err(p),
                },
                event,
            )),
            Err(e) => Err(e),
        };
        let (resolved, event) = step.map_err(|e| {
            XdsError::new(XdsErrorKind::Xml(e.to_string())).at_offset(reader.error_position())
        })?;
        let xml_err = |m: String| XdsError::new(XdsErrorKind::Xml(m)).at_offset(offset);
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                if root.is_some() {
                    return Err(xml_err("content after the document element".into()));
                }
                elements += 1;
                if elements > limits.max_elements {
                    return Err(limit("elements", limits.max_elements).at_offset(offset));
                }
                if stack.len() >= limits.max_depth {
                    return Err(limit("depth", limits.max_depth).at_offset(offset));
                }
                let ns =
                    resolved.map_err(|p| xml_err(format!("undeclared namespace prefix {p}")))?;
                let name = e.local_name().into_inner().to_owned();
                let mut attrs = Vec::new();
                for attr in e.attributes().with_checks(true) {
                    let attr = attr.map_err(|err| xml_err(err.to_string()))?;
                    let key = attr.key.into_inner().to_owned();
                    if key == "xmlns" || key.starts_with("xmlns:") {
                        // quick-xml compares a URI with the names it resolves: a long one on
                        // many elements would cost its length each
                        if attr.value.len() > MAX_NAMESPACE_URI {
                            return Err(
                                limit("namespace URI length", MAX_NAMESPACE_URI).at_offset(offset)
                            );
                        }
                        continue;
                    }
                    if attrs.len() >= limits.max_attributes {
                        return Err(limit("attributes", limits.max_attributes).at_offset(offset));
                    }
                    let value = attr
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|err| match err {
                            quick_xml::Error::Escape(
                                quick_xml::escape::EscapeError::UnrecognizedEntity(_, name),
                            ) => XdsError::new(XdsErrorKind::UnknownEntity(name)).at_offset(offset),
                            other => xml_err(other.to_string()),
                        })?;
                    attrs.push((key, value.into_owned()));
                }
                let element = Element {
                    ns,
                    name,
                    attrs,
                    children: Vec::new(),
                    text: String::new(),
                };
                if matches!(event, Event::Start(_)) {
                    stack.push(element);
                } else {
                    attach(&mut stack, &mut root, element);
                }
            }
            Event::End(_) => {
                // quick-xml checks that end names match their start.
                if let Some(done) = stack.pop() {
                    attach(&mut stack, &mut root, done);
                }
            }
            Event::Text(t) => append_text(&mut stack, &t.xml10_content(), &xml_err)?,
            Event::CData(t) => append_text(&mut stack, &t.xml10_content(), &xml_err)?,
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().map_err(|e| xml_err(e.to_string()))? {
                    Some(c) => c,
                    None => match r.xml10_content().as_ref() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "apos" => '\'',
                        "quot" => '"',
                        other => {
                            return Err(XdsError::new(XdsErrorKind::UnknownEntity(
                                other.to_owned(),
                            ))
                            .at_offset(offset));
                        }
                    },
                };
                append_text(&mut stack, c.encode_utf8(&mut [0; 4]), &xml_err)?;
            }
            Event::DocType(_) => {
                return Err(XdsError::new(XdsErrorKind::DtdForbidden).at_offset(offset));
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(XdsError::new(XdsErrorKind::Xml(
            "unexpected end of input".into(),
        )));
    }
    root.ok_or_else(|| XdsError::new(XdsErrorKind::Xml("no document element".into())))
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, element: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None => *root = Some(element),
    }
}

fn append_text(
    stack: &mut [Element],
    text: &str,
    err: &dyn Fn(String) -> XdsError,
) -> Result<(), XdsError> {
    match stack.last_mut() {
        Some(parent) => {
            parent.text.push_str(text);
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None => Err(err("text outside the document element".into())),
    }
}

impl Element {
    pub(crate) fn is(&self, ns: &str, name: &str) -> bool {
        &*self.ns == ns && self.name == name
    }

    pub(crate) fn expect(
        &self,
        ns: &str,
        name: &str,
        expected: &'static str,
    ) -> Result<(), XdsError> {
        if self.is(ns, name) {
            Ok(())
        } else {
            Err(XdsError::new(XdsErrorKind::UnexpectedRoot {
                expected,
                found: format!("{{{}}}{}", self.ns, self.name),
            }))
        }
    }

    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn req_attr(&self, name: &'static str, path: &str) -> Result<&str, XdsError> {
        self.attr(name)
            .ok_or_else(|| XdsError::new(XdsErrorKind::MissingAttribute(name)).at(path))
    }

    pub(crate) fn child(&self, ns: &str, name: &str) -> Option<&Self> {
        self.children.iter().find(|c| c.is(ns, name))
    }

    pub(crate) fn children_named<'a>(
        &'a self,
        ns: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Self> + 'a {
        self.children.iter().filter(move |c| c.is(ns, name))
    }

    /// `Name` / `Description` → the first `LocalizedString/@value`.
    fn localized(&self, name: &str) -> Option<String> {
        self.child(ns::RIM, name)?
            .child(ns::RIM, "LocalizedString")?
            .attr("value")
            .map(str::to_owned)
    }
}

/// The slots of a registry object, by name, with their paths.
pub(crate) struct Slots<'a> {
    entries: Vec<(&'a str, Vec<&'a str>, String)>,
    owner: String,
}

impl<'a> Slots<'a> {
    pub(crate) fn of(element: &'a Element, path: &str) -> Result<Self, XdsError> {
        let mut entries: Vec<(&'a str, Vec<&'a str>, String)> = Vec::new();
        // a set, not a search of `entries`: a hostile object may hold many slots
        let mut names = HashSet::new();
        for (i, slot) in element.children_named(ns::RIM, "Slot").enumerate() {
            let spath = format!("{path}/Slot[{}]", i + 1);
            let name = slot.req_attr("name", &spath)?;
            if !names.insert(name) {
                return Err(XdsError::invalid("duplicate slot name", name).at(spath));
            }
            let values = slot
                .child(ns::RIM, "ValueList")
                .map(|vl| {
                    vl.children_named(ns::RIM, "Value")
                        .map(|v| v.text.as_str())
                        .collect()
                })
                .unwrap_or_default();
            entries.push((name, values, spath));
        }
        Ok(Self {
            entries,
            owner: path.to_owned(),
        })
    }

    pub(crate) fn all(&self, name: &str) -> &[&'a str] {
        self.entries
            .iter()
            .find(|(n, _, _)| *n == name)
            .map_or(&[], |(_, v, _)| v.as_slice())
    }

    fn path(&self, name: &str) -> &str {
        self.entries
            .iter()
            .find(|(n, _, _)| *n == name)
            .map_or(self.owner.as_str(), |(_, _, p)| p.as_str())
    }

    /// The single value of a slot, if present; more than one is an error.
    pub(crate) fn one(&self, name: &'static str) -> Result<Option<&'a str>, XdsError> {
        match self.all(name) {
            [] => Ok(None),
            [v] => Ok(Some(v)),
            _ => Err(XdsError::invalid("single-valued slot", name).at(self.path(name))),
        }
    }

    /// The single value of a slot, parsed with `parse`.
    fn parse_one<T>(
        &self,
        name: &'static str,
        parse: impl Fn(&str) -> Result<T, XdsError>,
    ) -> Result<Option<T>, XdsError> {
        self.one(name)?
            .map(|v| parse(v).map_err(|e| e.at(self.path(name))))
            .transpose()
    }

    /// Every value of a slot, parsed with `parse`.
    fn parse_all<T>(
        &self,
        name: &'static str,
        parse: impl Fn(&str) -> Result<T, XdsError>,
    ) -> Result<Vec<T>, XdsError> {
        self.all(name)
            .iter()
            .map(|v| parse(v).map_err(|e| e.at(self.path(name))))
            .collect()
    }
}

fn status(element: &Element, path: &str) -> Result<Option<AvailabilityStatus>, XdsError> {
    element
        .attr("status")
        .map(|s| AvailabilityStatus::from_urn(s).map_err(|e| e.at(path)))
        .transpose()
}

fn id(element: &Element, path: &str) -> Result<EntryUuid, XdsError> {
    EntryUuid::parse(element.req_attr("id", path)?).map_err(|e| e.at(path))
}

/// The Classification / ExternalIdentifier children of a registry object, sorted by scheme.
struct Classified<'a> {
    codes: Vec<(&'a str, Code)>,
    authors: Vec<Author>,
    nodes: Vec<&'a str>,
    external: Vec<(&'a str, &'a str, String)>,
}

fn classified<'a>(
    element: &'a Element,
    path: &str,
    author_scheme: &str,
) -> Result<Classified<'a>, XdsError> {
    let mut out = Classified {
        codes: Vec::new(),
        authors: Vec::new(),
        nodes: Vec::new(),
        external: Vec::new(),
    };
    for (i, c) in element
        .children_named(ns::RIM, "Classification")
        .enumerate()
    {
        let cpath = format!("{path}/Classification[{}]", i + 1);
        if let Some(node) = c.attr("classificationNode") {
            out.nodes.push(node);
            continue;
        }
        let scheme = c.req_attr("classificationScheme", &cpath)?;
        let slots = Slots::of(c, &cpath)?;
        if scheme == author_scheme {
            out.authors.push(author(&slots)?);
        } else {
            let code = c.req_attr("nodeRepresentation", &cpath)?;
            let coding_scheme = slots.one("codingScheme")?.ok_or_else(|| {
                XdsError::new(XdsErrorKind::MissingMetadata("codingScheme")).at(&cpath)
            })?;
            out.codes.push((
                scheme,
                Code::new(code, coding_scheme, c.localized("Name").unwrap_or_default()),
            ));
        }
    }
    for (i, e) in element
        .children_named(ns::RIM, "ExternalIdentifier")
        .enumerate()
    {
        let epath = format!("{path}/ExternalIdentifier[{}]", i + 1);
        let scheme = e.req_attr("identificationScheme", &epath)?;
        let value = e.req_attr("value", &epath)?;
        out.external.push((scheme, value, epath));
    }
    Ok(out)
}

impl<'a> Classified<'a> {
    fn codes(&self, scheme: &str) -> Vec<Code> {
        self.codes
            .iter()
            .filter(|(s, _)| *s == scheme)
            .map(|(_, c)| c.clone())
            .collect()
    }

    fn code(&self, scheme: &str, name: &'static str, path: &str) -> Result<Code, XdsError> {
        let mut codes = self.codes(scheme);
        match codes.len() {
            1 => Ok(codes.remove(0)),
            0 => Err(XdsError::new(XdsErrorKind::MissingMetadata(name)).at(path)),
            _ => Err(XdsError::invalid("single-valued code", name).at(path)),
        }
    }

    fn external<T>(
        &self,
        scheme: &str,
        name: &'static str,
        path: &str,
        parse: impl Fn(&str) -> Result<T, XdsError>,
    ) -> Result<T, XdsError> {
        let mut found = self.external.iter().filter(|(s, _, _)| *s == scheme);
        let (_, value, epath) = found
            .next()
            .ok_or_else(|| XdsError::new(XdsErrorKind::MissingMetadata(name)).at(path))?;
        if found.next().is_some() {
            return Err(XdsError::invalid("single-valued identifier", name).at(path));
        }
        parse(value).map_err(|e| e.at(epath.as_str()))
    }
}

fn author(slots: &Slots<'_>) -> Result<Author, XdsError> {
    Ok(Author {
        person: slots.parse_one("authorPerson", Xcn::parse)?,
        institutions: slots.parse_all("authorInstitution", Xon::parse)?,
        roles: slots.parse_all("authorRole", Code::parse_hl7v2)?,
        specialties: slots.parse_all("authorSpecialty", Code::parse_hl7v2)?,
        telecoms: slots.parse_all("authorTelecommunication", Xtn::parse)?,
    })
}

fn time(slots: &Slots<'_>, name: &'static str) -> Result<Option<XdsTime>, XdsError> {
    slots.parse_one(name, XdsTime::parse)
}

pub(crate) fn document(e: &Element, path: &str) -> Result<DocumentEntry, XdsError> {
    let slots = Slots::of(e, path)?;
    let c = classified(e, path, scheme::DOC_AUTHOR)?;
    let kind = match e.attr("objectType") {
        None => EntryKind::Stable,
        Some(object_type::STABLE_DOCUMENT) => EntryKind::Stable,
        Some(object_type::ON_DEMAND_DOCUMENT) => EntryKind::OnDemand,
        Some(other) => return Err(XdsError::invalid("objectType", other).at(path)),
    };
    Ok(DocumentEntry {
        entry_uuid: id(e, path)?,
        logical_id: e
            .attr("lid")
            .map(|l| EntryUuid::parse(l).map_err(|err| err.at(path)))
            .transpose()?,
        version: e
            .child(ns::RIM, "VersionInfo")
            .and_then(|v| v.attr("versionName"))
            .map(str::to_owned),
        kind,
        unique_id: c.external(ext_id::DOC_UNIQUE_ID, "uniqueId", path, UniqueId::parse)?,
        patient_id: c.external(ext_id::DOC_PATIENT_ID, "patientId", path, Cx::parse)?,
        source_patient_id: slots.parse_one("sourcePatientId", Cx::parse)?,
        source_patient_info: slots
            .all("sourcePatientInfo")
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        mime_type: e
            .attr("mimeType")
            .unwrap_or("application/octet-stream")
            .to_owned(),
        title: e.localized("Name"),
        comments: e.localized("Description"),
        class_code: c.code(scheme::DOC_CLASS_CODE, "classCode", path)?,
        type_code: c.code(scheme::DOC_TYPE_CODE, "typeCode", path)?,
        format_code: c.code(scheme::DOC_FORMAT_CODE, "formatCode", path)?,
        confidentiality_codes: c.codes(scheme::DOC_CONFIDENTIALITY_CODE),
        healthcare_facility_type_code: c.code(
            scheme::DOC_FACILITY_TYPE_CODE,
            "healthcareFacilityTypeCode",
            path,
        )?,
        practice_setting_code: c.code(
            scheme::DOC_PRACTICE_SETTING_CODE,
            "practiceSettingCode",
            path,
        )?,
        event_codes: c.codes(scheme::DOC_EVENT_CODE),
        authors: c.authors,
        legal_authenticator: slots.parse_one("legalAuthenticator", Xcn::parse)?,
        creation_time: time(&slots, "creationTime")?,
        service_start_time: time(&slots, "serviceStartTime")?,
        service_stop_time: time(&slots, "serviceStopTime")?,
        hash: slots.parse_one("hash", Sha1Hash::from_hex)?,
        size: slots.parse_one("size", |s| {
            s.parse::<u64>().map_err(|_| XdsError::invalid("size", s))
        })?,
        language_code: slots.one("languageCode")?.map(str::to_owned),
        repository_unique_id: slots.parse_one("repositoryUniqueId", Oid::parse)?,
        uri: slots.one("URI")?.map(str::to_owned),
        availability_status: status(e, path)?,
    })
}

enum Package {
    Set(SubmissionSet),
    Folder(Folder),
}

fn package(
    e: &Element,
    path: &str,
    outer_nodes: &HashSet<(&str, &str)>,
) -> Result<Package, XdsError> {
    let entry_uuid = id(e, path)?;
    let slots = Slots::of(e, path)?;
    let node_of = |c: &Classified<'_>, node: &str| {
        c.nodes.contains(&node) || outer_nodes.contains(&(entry_uuid.as_str(), node))
    };
    // Authors only exist on submission sets; the folder scheme has no authors.
    let c = classified(e, path, scheme::SET_AUTHOR)?;
    if node_of(&c, object_type::SUBMISSION_SET_NODE) {
        let mut content = c.codes(scheme::SET_CONTENT_TYPE_CODE);
        if content.len() > 1 {
            return Err(XdsError::invalid("single-valued code", "contentTypeCode").at(path));
        }
        Ok(Package::Set(SubmissionSet {
            unique_id: c.external(ext_id::SET_UNIQUE_ID, "uniqueId", path, Oid::parse)?,
            source_id: c.external(ext_id::SET_SOURCE_ID, "sourceId", path, Oid::parse)?,
            patient_id: c.external(ext_id::SET_PATIENT_ID, "patientId", path, Cx::parse)?,
            submission_time: time(&slots, "submissionTime")?.ok_or_else(|| {
                XdsError::new(XdsErrorKind::MissingMetadata("submissionTime")).at(path)
            })?,
            content_type_code: content.pop(),
            authors: c.authors,
            title: e.localized("Name"),
            comments: e.localized("Description"),
            intended_recipients: slots
                .all("intendedRecipient")
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            availability_status: status(e, path)?,
            entry_uuid,
        }))
    } else if node_of(&c, object_type::FOLDER_NODE) {
        Ok(Package::Folder(Folder {
            unique_id: c.external(ext_id::FOLDER_UNIQUE_ID, "uniqueId", path, Oid::parse)?,
            patient_id: c.external(ext_id::FOLDER_PATIENT_ID, "patientId", path, Cx::parse)?,
            codes: c.codes(scheme::FOLDER_CODE_LIST),
            title: e.localized("Name"),
            comments: e.localized("Description"),
            last_update_time: time(&slots, "lastUpdateTime")?,
            availability_status: status(e, path)?,
            entry_uuid,
        }))
    } else {
        Err(XdsError::new(XdsErrorKind::MissingMetadata(
            "SubmissionSet or Folder classification node",
        ))
        .at(path))
    }
}

fn association(e: &Element, path: &str) -> Result<Association, XdsError> {
    let slots = Slots::of(e, path)?;
    let reference = |name: &'static str| -> Result<EntryUuid, XdsError> {
        EntryUuid::parse(e.req_attr(name, path)?).map_err(|err| err.at(path))
    };
    let st = |name: &'static str| slots.parse_one(name, AvailabilityStatus::from_urn);
    Ok(Association {
        id: id(e, path)?,
        association_type: AssociationType::from_urn(e.req_attr("associationType", path)?)
            .map_err(|err| err.at(path))?,
        source: reference("sourceObject")?,
        target: reference("targetObject")?,
        submission_set_status: slots
            .parse_one("SubmissionSetStatus", SubmissionSetStatus::parse)?,
        previous_version: slots.one("PreviousVersion")?.map(str::to_owned),
        original_status: st("OriginalStatus")?,
        new_status: st("NewStatus")?,
        availability_status: status(e, path)?,
    })
}

/// Maps a `RegistryObjectList` element.
pub(crate) fn registry_object_list(
    list: &Element,
    path: &str,
) -> Result<RegistryObjects, XdsError> {
    // Classification nodes may also be given as top-level Classifications (a set: each
    // package looks its own up, and a hostile list may hold many of both)
    let outer_nodes: HashSet<(&str, &str)> = list
        .children_named(ns::RIM, "Classification")
        .filter_map(|c| Some((c.attr("classifiedObject")?, c.attr("classificationNode")?)))
        .collect();
    let mut out = RegistryObjects::default();
    let mut counts = HashMap::<&str, usize>::new();
    for child in &list.children {
        if &*child.ns != ns::RIM {
            continue;
        }
        let n = counts.entry(child.name.as_str()).or_default();
        *n += 1;
        let cpath = format!("{path}/{}[{n}]", child.name);
        match child.name.as_str() {
            "ExtrinsicObject" => out.documents.push(document(child, &cpath)?),
            "RegistryPackage" => match package(child, &cpath, &outer_nodes)? {
                Package::Set(s) => out.submission_sets.push(s),
                Package::Folder(f) => out.folders.push(f),
            },
            "Association" => out.associations.push(association(child, &cpath)?),
            "ObjectRef" => out.object_refs.push(id(child, &cpath)?),
            _ => {}
        }
    }
    Ok(out)
}

/// Maps a `SubmitObjectsRequest` element.
pub(crate) fn submission(sor: &Element, path: &str) -> Result<Submission, XdsError> {
    let list = sor.child(ns::RIM, "RegistryObjectList").ok_or_else(|| {
        XdsError::new(XdsErrorKind::MissingElement("RegistryObjectList")).at(path)
    })?;
    let lpath = format!("{path}/RegistryObjectList");
    let mut objects = registry_object_list(list, &lpath)?;
    if objects.submission_sets.len() != 1 {
        return Err(XdsError::invalid(
            "number of submission sets",
            objects.submission_sets.len().to_string(),
        )
        .at(lpath));
    }
    Ok(Submission {
        submission_set: objects.submission_sets.remove(0),
        documents: objects.documents,
        folders: objects.folders,
        associations: objects.associations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(xml: &str) -> XdsErrorKind {
        parse(xml.as_bytes(), &ReadLimits::default())
            .unwrap_err()
            .kind()
            .clone()
    }

    #[test]
    fn hostile_inputs_get_typed_errors() {
        assert_eq!(
            err("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>"),
            XdsErrorKind::DtdForbidden
        );
        assert_eq!(err("<a>&x;</a>"), XdsErrorKind::UnknownEntity("x".into()));
        assert!(matches!(err("<a><b></a>"), XdsErrorKind::Xml(_)));
        assert!(matches!(err("<p:a/>"), XdsErrorKind::Xml(_)));
        assert!(matches!(err("<a/><b/>"), XdsErrorKind::Xml(_)));
        assert!(matches!(err("<a>"), XdsErrorKind::Xml(_)));
        let deep = "<a>".repeat(40) + &"</a>".repeat(40);
        assert_eq!(
            err(&deep),
            XdsErrorKind::LimitExceeded {
                what: "depth",
                limit: 32
            }
        );
        let small = ReadLimits::default().with_max_bytes(10);
        assert!(matches!(
            parse(b"<a>0123456789</a>", &small).unwrap_err().kind(),
            XdsErrorKind::LimitExceeded { .. }
        ));
        assert_eq!(
            parse(&[0x3c, 0x61, 0xff, 0x3e], &ReadLimits::default())
                .unwrap_err()
                .kind(),
            &XdsErrorKind::NotUtf8
        );
    }

    #[test]
    fn text_references_are_resolved() {
        let e = parse(
            b"<a x='1&amp;2'>A&lt;B&#x41;<![CDATA[<c>]]></a>",
            &ReadLimits::default(),
        )
        .unwrap();
        assert_eq!(e.text, "A<BA<c>");
        assert_eq!(e.attr("x"), Some("1&2"));
    }
}
