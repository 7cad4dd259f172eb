//! Writing each model type in CDA schema order.

use crate::model::{
    Addr, AnyValue, Body, ClinicalStatement, Code, ComponentOf, Consent, Device, Document, Ed,
    Element, HL7_NS, HealthCareFacility, Ii, InFulfillmentOf, Name, Node, Organization,
    ParentDocument, Participation, Patient, Person, Place, QName, RelatedDocument, Relationship,
    Role, Section, ServiceEvent, Telecom, Time, XSI_NS, is_extra_role, is_extra_statement,
};

use super::Style;
use super::xml::XmlOut;

pub(super) fn write_document(doc: &Document<'_>, style: Style) -> String {
    let mut w = XmlOut::new(style);
    w.start("ClinicalDocument");
    let root_end = w.len();
    w.opt_attr("classCode", doc.class_code.as_deref());
    w.opt_attr("moodCode", doc.mood_code.as_deref());
    for c in &doc.realm_codes {
        code(&mut w, "realmCode", c);
    }
    if let Some(t) = &doc.type_id {
        ii(&mut w, "typeId", t);
    }
    iis(&mut w, "templateId", &doc.template_ids);
    if let Some(i) = &doc.id {
        ii(&mut w, "id", i);
    }
    if let Some(c) = &doc.code {
        code(&mut w, "code", c);
    }
    if let Some(t) = &doc.title {
        w.text_element("title", t);
    }
    if let Some(t) = &doc.effective_time {
        time(&mut w, "effectiveTime", t);
    }
    if let Some(c) = &doc.confidentiality_code {
        code(&mut w, "confidentialityCode", c);
    }
    if let Some(c) = &doc.language_code {
        code(&mut w, "languageCode", c);
    }
    if let Some(i) = &doc.set_id {
        ii(&mut w, "setId", i);
    }
    if let Some(v) = &doc.version_number {
        w.start("versionNumber");
        w.attr("value", v);
        w.end();
    }
    let (copy_time, other_ext): (Vec<&Element<'_>>, Vec<&Element<'_>>) = doc
        .extensions
        .iter()
        .partition(|e| document_extension_rank(e) == 0);
    for e in copy_time {
        element(&mut w, e);
    }
    participations(&mut w, &doc.record_targets);
    participations(&mut w, &doc.authors);
    if let Some(p) = &doc.data_enterer {
        participation(&mut w, p);
    }
    participations(&mut w, &doc.informants);
    if let Some(p) = &doc.custodian {
        participation(&mut w, p);
    }
    participations(&mut w, &doc.information_recipients);
    if let Some(p) = &doc.legal_authenticator {
        participation(&mut w, p);
    }
    participations(&mut w, &doc.authenticators);
    participations(&mut w, &doc.participants);
    for f in &doc.in_fulfillment_of {
        in_fulfillment_of(&mut w, f);
    }
    for s in &doc.documentation_of {
        w.start("documentationOf");
        service_event(&mut w, s);
        w.end();
    }
    for r in &doc.related_documents {
        related_document(&mut w, r);
    }
    for c in &doc.authorizations {
        consent(&mut w, c);
    }
    if let Some(c) = &doc.component_of {
        component_of(&mut w, c);
    }
    // an extension named like a typed child (lifted by the parser out of a `component`,
    // `componentOf`, `documentationOf` or `authorization` it did not understand) would read
    // back as that child: it goes back into a `component`, out of which it is lifted again
    let mut wrapped = false;
    for e in other_ext {
        let typed_name = e.name.namespace.as_deref() == Some(HL7_NS)
            && DOCUMENT_CHILDREN.contains(&e.name.local.as_ref());
        if typed_name && !wrapped {
            w.start("component");
        } else if !typed_name && wrapped {
            w.end();
        }
        wrapped = typed_name;
        element(&mut w, e);
    }
    if wrapped {
        w.end();
    }
    if let Some(b) = &doc.body {
        body(&mut w, b);
    }
    w.end();
    w.finish(root_end)
}

// ---------------------------------------------------------------------------------------------
// data types

fn ii_attrs(w: &mut XmlOut, i: &Ii<'_>) {
    w.opt_attr("root", i.root.as_deref());
    w.opt_attr("extension", i.extension.as_deref());
    w.opt_attr("assigningAuthorityName", i.assigning_authority_name());
    w.opt_attr("displayable", i.displayable());
    w.opt_attr("nullFlavor", i.null_flavor.as_deref());
}

fn ii(w: &mut XmlOut, tag: &str, i: &Ii<'_>) {
    w.start(tag);
    ii_attrs(w, i);
    w.end();
}

fn iis(w: &mut XmlOut, tag: &str, list: &[Ii<'_>]) {
    for i in list {
        ii(w, tag, i);
    }
}

fn xsi_type(w: &mut XmlOut, t: Option<&QName<'_>>) {
    if let Some(t) = t {
        let value = w.qname_value(t.namespace.as_deref(), &t.local);
        let name = w.attr_name(Some(XSI_NS), "type");
        w.attr(&name, &value);
    }
}

/// Whether the default namespace inside an element with this `xsi:type` can stay `hl7_default`:
/// an unprefixed type name means the default namespace, so a type in no namespace needs none.
fn default_for_type(t: Option<&QName<'_>>, hl7_default: bool) -> bool {
    hl7_default && t.is_none_or(|t| t.namespace.is_some())
}

fn code(w: &mut XmlOut, tag: &str, c: &Code<'_>) {
    w.start(tag);
    code_body(w, c);
    w.end();
}

/// Attributes and children of a coded value, after the start tag (and an `xsi:type`) is written.
fn code_body(w: &mut XmlOut, c: &Code<'_>) {
    w.opt_attr("code", c.code.as_deref());
    w.opt_attr("codeSystem", c.code_system.as_deref());
    w.opt_attr("codeSystemName", c.code_system_name.as_deref());
    w.opt_attr("codeSystemVersion", c.code_system_version());
    w.opt_attr("displayName", c.display_name.as_deref());
    w.opt_attr("nullFlavor", c.null_flavor.as_deref());
    if let Some(t) = c.original_text() {
        ed(w, "originalText", t);
    }
    for q in c.qualifiers() {
        w.start("qualifier");
        w.opt_attr("inverted", q.inverted.as_deref());
        if let Some(n) = &q.name {
            code(w, "name", n);
        }
        if let Some(v) = &q.value {
            code(w, "value", v);
        }
        for e in &q.extensions {
            element(w, e);
        }
        w.end();
    }
    for e in c.extensions() {
        element(w, e);
    }
    for t in c.translations() {
        code(w, "translation", t);
    }
}

fn ed(w: &mut XmlOut, tag: &str, e: &Ed<'_>) {
    w.start(tag);
    w.opt_attr("mediaType", e.media_type.as_deref());
    w.opt_attr("representation", e.representation.as_deref());
    w.opt_attr("compression", e.compression());
    w.opt_attr("language", e.language());
    w.opt_attr("nullFlavor", e.null_flavor());
    if !e.content.is_empty() {
        w.mixed();
    }
    if let Some(r) = &e.reference {
        w.start("reference");
        w.attr("value", r);
        w.end();
    }
    for x in e.extensions() {
        element(w, x);
    }
    if !e.content.is_empty() {
        w.text(&e.content);
    }
    w.end();
}

fn name(w: &mut XmlOut, n: &Name<'_>) {
    w.start("name");
    w.opt_attr("use", n.use_.as_deref());
    w.opt_attr("nullFlavor", n.null_flavor.as_deref());
    if n.parts.iter().any(|p| p.kind.element_name().is_none()) {
        w.mixed();
    }
    for p in &n.parts {
        match p.kind.element_name() {
            Some(tag) => {
                w.start(tag);
                w.opt_attr("qualifier", p.qualifier.as_deref());
                w.text(&p.value);
                w.end();
            }
            None => w.text(&p.value),
        }
    }
    w.end();
}

fn addr(w: &mut XmlOut, a: &Addr<'_>) {
    w.start("addr");
    w.opt_attr("use", a.use_.as_deref());
    w.opt_attr("nullFlavor", a.null_flavor.as_deref());
    if a.parts.iter().any(|p| p.name.is_none()) {
        w.mixed();
    }
    for p in &a.parts {
        match &p.name {
            Some(tag) => w.text_element(tag, &p.value),
            None => w.text(&p.value),
        }
    }
    w.end();
}

fn telecom(w: &mut XmlOut, t: &Telecom<'_>) {
    w.start("telecom");
    w.opt_attr("value", t.value.as_deref());
    w.opt_attr("use", t.use_.as_deref());
    w.opt_attr("nullFlavor", t.null_flavor.as_deref());
    w.end();
}

fn time(w: &mut XmlOut, tag: &str, t: &Time<'_>) {
    let hl7_default = default_for_type(t.xsi_type.as_ref(), w.hl7_default());
    w.start_in(Some(HL7_NS), tag, hl7_default);
    xsi_type(w, t.xsi_type.as_ref());
    w.opt_attr("value", t.value.as_deref());
    w.opt_attr("nullFlavor", t.null_flavor.as_deref());
    if let Some(x) = &t.low {
        time(w, "low", x);
    }
    if let Some(x) = &t.center {
        time(w, "center", x);
    }
    for e in &t.extensions {
        element(w, e);
    }
    if let Some(x) = &t.high {
        time(w, "high", x);
    }
    w.end();
}

/// A statement's `value`.
fn any_value(w: &mut XmlOut, v: &AnyValue<'_>) {
    let start = |w: &mut XmlOut, data_type: &str| {
        w.start("value");
        xsi_type(w, Some(&QName::hl7(data_type)));
    };
    match v {
        AnyValue::Element(e) => element(w, e),
        AnyValue::Scalar(s) => {
            start(w, s.data_type.name());
            w.opt_attr("value", s.value.as_deref());
            w.opt_attr("unit", s.unit.as_deref());
            w.opt_attr("nullFlavor", s.null_flavor.as_deref());
            w.end();
        }
        AnyValue::Coded(t, c) => {
            start(w, t.name());
            code_body(w, c);
            w.end();
        }
    }
}

/// A generic element: namespace-qualified name, `xsi:type`, attributes, children. Inside an
/// element in no namespace the default namespace is undeclared, and an HL7 element declares it
/// again.
fn element(w: &mut XmlOut, e: &Element<'_>) {
    let namespace = e.name.namespace.as_deref();
    let hl7_default = match namespace {
        None => false,
        Some(HL7_NS) => true,
        Some(_) => w.hl7_default(),
    };
    let hl7_default = default_for_type(e.xsi_type.as_ref(), hl7_default);
    w.start_in(namespace, &e.name.local, hl7_default);
    xsi_type(w, e.xsi_type.as_ref());
    for a in &e.attributes {
        let n = w.attr_name(a.name.namespace.as_deref(), &a.name.local);
        w.attr(&n, &a.value);
    }
    if e.children.iter().any(|c| matches!(c, Node::Text(_))) {
        w.mixed();
    }
    for c in &e.children {
        match c {
            Node::Element(child) => element(w, child),
            Node::Text(t) => w.text(t),
        }
    }
    w.end();
}

// ---------------------------------------------------------------------------------------------
// participations and roles

fn participations(w: &mut XmlOut, list: &[Participation<'_>]) {
    for p in list {
        participation(w, p);
    }
}

fn participation(w: &mut XmlOut, p: &Participation<'_>) {
    w.start(&p.tag);
    w.opt_attr("typeCode", p.type_code.as_deref());
    w.opt_attr("contextControlCode", p.context_control_code.as_deref());
    iis(w, "templateId", &p.template_ids);
    if let Some(c) = &p.function_code {
        code(w, "functionCode", c);
    }
    if let Some(t) = &p.time {
        time(w, "time", t);
    }
    if let Some(c) = &p.signature_code {
        code(w, "signatureCode", c);
    }
    // the other children (`awarenessCode`, `modeCode`, `sdtc:` extensions) precede the role, a
    // second role follows it
    for e in p.extensions.iter().filter(|e| !is_extra_role(e)) {
        element(w, e);
    }
    if let Some(r) = &p.role {
        role(w, r);
    }
    for e in p.extensions.iter().filter(|e| is_extra_role(e)) {
        element(w, e);
    }
    w.end();
}

/// The element names of the entities a role holds, by role element name:
/// (person, organization).
fn entity_tags(role_tag: &str) -> (&'static str, &'static str) {
    match role_tag {
        "associatedEntity" => ("associatedPerson", "scopingOrganization"),
        "intendedRecipient" => ("informationRecipient", "receivedOrganization"),
        "relatedEntity" | "relatedSubject" => ("relatedPerson", "representedOrganization"),
        "patientRole" => ("patient", "providerOrganization"),
        "assignedCustodian" => ("assignedPerson", "representedCustodianOrganization"),
        "manufacturedProduct" => ("assignedPerson", "manufacturerOrganization"),
        "participantRole" | "specimenRole" => ("assignedPerson", "scopingEntity"),
        _ => ("assignedPerson", "representedOrganization"),
    }
}

/// The `ClinicalDocument` children the parser reads as typed data (an element of the HL7
/// namespace with another name is kept as an extension).
pub(crate) const DOCUMENT_CHILDREN: [&str; 26] = [
    "realmCode",
    "typeId",
    "templateId",
    "id",
    "code",
    "title",
    "effectiveTime",
    "confidentialityCode",
    "languageCode",
    "setId",
    "versionNumber",
    "recordTarget",
    "author",
    "dataEnterer",
    "informant",
    "custodian",
    "informationRecipient",
    "legalAuthenticator",
    "authenticator",
    "participant",
    "inFulfillmentOf",
    "documentationOf",
    "relatedDocument",
    "authorization",
    "componentOf",
    "component",
];

/// Document children kept as extensions: `copyTime` (rank 0), the only schema element between
/// versionNumber and recordTarget, and the others (rank 1, after the typed children).
pub(crate) fn document_extension_rank(e: &Element<'_>) -> u8 {
    u8::from(!e.name.is_hl7("copyTime"))
}

/// Role children the model keeps as extensions, in schema order relative to the typed ones:
/// rank 0 goes before the entities, 1 between the person and the organization, 2 after.
pub(crate) fn role_extension_rank(e: &Element<'_>) -> u8 {
    if e.name.namespace.as_deref() != Some(HL7_NS) {
        return 2;
    }
    match e.name.local.as_ref() {
        "effectiveTime" | "certificateText" => 0,
        "playingDevice"
        | "playingEntity"
        | "manufacturedLabeledDrug"
        | "manufacturedMaterial"
        | "specimenPlayingEntity"
        | "subjectPerson" => 1,
        _ => 2,
    }
}

fn role(w: &mut XmlOut, r: &Role<'_>) {
    w.start(&r.tag);
    w.opt_attr("classCode", r.class_code.as_deref());
    iis(w, "templateId", &r.template_ids);
    iis(w, "id", &r.ids);
    if let Some(c) = &r.code {
        code(w, "code", c);
    }
    for a in &r.addrs {
        addr(w, a);
    }
    for t in &r.telecoms {
        telecom(w, t);
    }
    for e in r.extensions.iter().filter(|e| role_extension_rank(e) == 0) {
        element(w, e);
    }
    let (person_tag, org_tag) = entity_tags(&r.tag);
    if let Some(p) = &r.patient {
        patient(w, p);
    }
    if let Some(p) = &r.person {
        person(w, person_tag, p);
    }
    if let Some(d) = &r.device {
        device(w, d);
    }
    for e in r.extensions.iter().filter(|e| role_extension_rank(e) == 1) {
        element(w, e);
    }
    if let Some(o) = &r.organization {
        organization(w, org_tag, o);
    }
    for e in r.extensions.iter().filter(|e| role_extension_rank(e) == 2) {
        element(w, e);
    }
    w.end();
}

fn person(w: &mut XmlOut, tag: &str, p: &Person<'_>) {
    w.start(tag);
    w.opt_attr("classCode", p.class_code.as_deref());
    for n in &p.names {
        name(w, n);
    }
    for e in &p.extensions {
        element(w, e);
    }
    w.end();
}

fn device(w: &mut XmlOut, d: &Device<'_>) {
    w.start("assignedAuthoringDevice");
    if let Some(m) = &d.manufacturer_model_name {
        w.text_element("manufacturerModelName", m);
    }
    if let Some(s) = &d.software_name {
        w.text_element("softwareName", s);
    }
    for e in &d.extensions {
        element(w, e);
    }
    w.end();
}

/// Patient children kept as extensions: rank 0 between birthTime and birthplace (marital status
/// and the other codes, `guardian`, the `sdtc:` extensions), 1 after birthplace.
pub(crate) fn patient_extension_rank(e: &Element<'_>) -> u8 {
    u8::from(e.name.is_hl7("languageCommunication"))
}

fn patient(w: &mut XmlOut, p: &Patient<'_>) {
    w.start("patient");
    for n in &p.names {
        name(w, n);
    }
    if let Some(c) = &p.administrative_gender_code {
        code(w, "administrativeGenderCode", c);
    }
    if let Some(t) = &p.birth_time {
        time(w, "birthTime", t);
    }
    if let Some(c) = &p.marital_status_code {
        code(w, "maritalStatusCode", c);
    }
    for e in p
        .extensions
        .iter()
        .filter(|e| patient_extension_rank(e) == 0)
    {
        element(w, e);
    }
    if let Some(b) = &p.birthplace {
        w.start("birthplace");
        place(w, b);
        w.end();
    }
    for e in p
        .extensions
        .iter()
        .filter(|e| patient_extension_rank(e) == 1)
    {
        element(w, e);
    }
    w.end();
}

fn place(w: &mut XmlOut, p: &Place<'_>) {
    w.start("place");
    if let Some(n) = &p.name {
        w.text_element("name", n);
    }
    if let Some(a) = &p.addr {
        addr(w, a);
    }
    for e in &p.extensions {
        element(w, e);
    }
    w.end();
}

fn organization(w: &mut XmlOut, tag: &str, o: &Organization<'_>) {
    w.start(tag);
    iis(w, "id", &o.ids);
    for n in &o.names {
        w.text_element("name", n);
    }
    for t in &o.telecoms {
        telecom(w, t);
    }
    for a in &o.addrs {
        addr(w, a);
    }
    if let Some(c) = &o.standard_industry_class_code {
        code(w, "standardIndustryClassCode", c);
    }
    for e in &o.extensions {
        element(w, e);
    }
    w.end();
}

// ---------------------------------------------------------------------------------------------
// other header parts

fn in_fulfillment_of(w: &mut XmlOut, f: &InFulfillmentOf<'_>) {
    w.start("inFulfillmentOf");
    w.opt_attr("typeCode", f.type_code.as_deref());
    if let Some(o) = &f.order {
        w.start("order");
        iis(w, "id", &o.ids);
        if let Some(c) = &o.code {
            code(w, "code", c);
        }
        if let Some(c) = &o.priority_code {
            code(w, "priorityCode", c);
        }
        for e in &o.extensions {
            element(w, e);
        }
        w.end();
    }
    w.end();
}

fn service_event(w: &mut XmlOut, s: &ServiceEvent<'_>) {
    w.start("serviceEvent");
    w.opt_attr("classCode", s.class_code.as_deref());
    iis(w, "templateId", &s.template_ids);
    iis(w, "id", &s.ids);
    if let Some(c) = &s.code {
        code(w, "code", c);
    }
    if let Some(t) = &s.effective_time {
        time(w, "effectiveTime", t);
    }
    participations(w, &s.performers);
    for e in &s.extensions {
        element(w, e);
    }
    w.end();
}

fn related_document(w: &mut XmlOut, r: &RelatedDocument<'_>) {
    w.start("relatedDocument");
    w.opt_attr("typeCode", r.type_code.as_deref());
    if let Some(p) = &r.parent_document {
        parent_document(w, p);
    }
    w.end();
}

fn parent_document(w: &mut XmlOut, p: &ParentDocument<'_>) {
    w.start("parentDocument");
    iis(w, "id", &p.ids);
    if let Some(c) = &p.code {
        code(w, "code", c);
    }
    // `text` comes between code and setId.
    for e in &p.extensions {
        element(w, e);
    }
    if let Some(s) = &p.set_id {
        ii(w, "setId", s);
    }
    if let Some(v) = &p.version_number {
        w.start("versionNumber");
        w.attr("value", v);
        w.end();
    }
    w.end();
}

fn consent(w: &mut XmlOut, c: &Consent<'_>) {
    w.start("authorization");
    w.attr("typeCode", "AUTH");
    w.start("consent");
    w.attr("classCode", "CONS");
    w.attr("moodCode", "EVN");
    iis(w, "templateId", &c.template_ids);
    iis(w, "id", &c.ids);
    if let Some(x) = &c.code {
        code(w, "code", x);
    }
    if let Some(x) = &c.status_code {
        code(w, "statusCode", x);
    }
    for e in &c.extensions {
        element(w, e);
    }
    w.end();
    w.end();
}

fn component_of(w: &mut XmlOut, c: &ComponentOf<'_>) {
    w.start("componentOf");
    w.start("encompassingEncounter");
    iis(w, "id", &c.ids);
    if let Some(x) = &c.code {
        code(w, "code", x);
    }
    if let Some(t) = &c.effective_time {
        time(w, "effectiveTime", t);
    }
    if let Some(x) = &c.discharge_disposition_code {
        code(w, "dischargeDispositionCode", x);
    }
    if let Some(p) = &c.responsible_party {
        participation(w, p);
    }
    participations(w, &c.encounter_participants);
    if let Some(f) = &c.health_care_facility {
        w.start("location");
        health_care_facility(w, f);
        w.end();
    }
    for e in &c.extensions {
        element(w, e);
    }
    w.end();
    w.end();
}

fn health_care_facility(w: &mut XmlOut, f: &HealthCareFacility<'_>) {
    w.start("healthCareFacility");
    iis(w, "id", &f.ids);
    if let Some(c) = &f.code {
        code(w, "code", c);
    }
    if let Some(p) = &f.location {
        // the facility's `location` is a Place under another name
        w.start("location");
        if let Some(n) = &p.name {
            w.text_element("name", n);
        }
        if let Some(a) = &p.addr {
            addr(w, a);
        }
        for e in &p.extensions {
            element(w, e);
        }
        w.end();
    }
    if let Some(o) = &f.service_provider_organization {
        organization(w, "serviceProviderOrganization", o);
    }
    for e in &f.extensions {
        element(w, e);
    }
    w.end();
}

// ---------------------------------------------------------------------------------------------
// body

fn body(w: &mut XmlOut, b: &Body<'_>) {
    w.start("component");
    match b {
        Body::NonXml(n) => {
            w.start("nonXMLBody");
            ed(w, "text", &n.text);
            for e in &n.extensions {
                element(w, e);
            }
            w.end();
        }
        Body::Structured(s) => {
            w.start("structuredBody");
            for e in &s.extensions {
                element(w, e);
            }
            for sec in &s.sections {
                w.start("component");
                section(w, sec);
                w.end();
            }
            w.end();
        }
    }
    w.end();
}

/// The rank of a section extension (see [`section_rank`]).
pub(crate) fn section_extension_rank(e: &Element<'_>) -> u8 {
    section_rank(&e.name.local)
}

/// Position of a section child in the schema, for the ones kept as extensions.
fn section_rank(local: &str) -> u8 {
    match local {
        "subject" => 0,
        "author" => 1,
        "informant" => 2,
        _ => 3,
    }
}

fn section(w: &mut XmlOut, s: &Section<'_>) {
    w.start("section");
    w.opt_attr("ID", s.id_attr.as_deref());
    iis(w, "templateId", &s.template_ids);
    if let Some(i) = &s.id {
        ii(w, "id", i);
    }
    if let Some(c) = &s.code {
        code(w, "code", c);
    }
    if let Some(t) = &s.title {
        w.text_element("title", t);
    }
    if let Some(n) = &s.text {
        w.start("text");
        w.opt_attr("mediaType", n.media_type.as_deref());
        // The narrative is kept as written; its elements are in the HL7 namespace, so any prefix
        // it uses (`c:` in the auto-présentable files) is bound to that namespace here.
        for prefix in narrative_prefixes(&n.raw) {
            w.attr(&format!("xmlns:{prefix}"), HL7_NS);
        }
        if !n.raw.is_empty() {
            w.raw(&n.raw);
        }
        w.end();
    }
    if let Some(c) = &s.confidentiality_code {
        code(w, "confidentialityCode", c);
    }
    if let Some(c) = &s.language_code {
        code(w, "languageCode", c);
    }
    let mut ranked: Vec<(u8, Item<'_, '_>)> = Vec::new();
    for e in &s.extensions {
        ranked.push((section_rank(&e.name.local), Item::Ext(e)));
    }
    for p in &s.participations {
        ranked.push((section_rank(&p.tag), Item::Part(p)));
    }
    ranked.sort_by_key(|(r, _)| *r);
    for (_, item) in ranked {
        item.write(w);
    }
    for e in &s.entries {
        w.start("entry");
        w.opt_attr("typeCode", e.type_code.as_deref());
        w.opt_attr("contextConductionInd", e.context_conduction_ind.as_deref());
        for x in e.extensions.iter().filter(|x| !is_extra_statement(x)) {
            element(w, x);
        }
        if let Some(st) = &e.statement {
            statement(w, st);
        }
        for x in e.extensions.iter().filter(|x| is_extra_statement(x)) {
            element(w, x);
        }
        w.end();
    }
    for sub in &s.sections {
        w.start("component");
        section(w, sub);
        w.end();
    }
    w.end();
}

/// The namespace prefixes used by element names in a raw narrative block, sorted, unique.
fn narrative_prefixes(raw: &str) -> Vec<&str> {
    let mut out: Vec<&str> = raw
        .match_indices('<')
        .filter_map(|(i, _)| {
            let rest = raw[i + 1..].strip_prefix('/').unwrap_or(&raw[i + 1..]);
            let name_end = rest
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(rest.len());
            let (prefix, _) = rest[..name_end].split_once(':')?;
            (!prefix.is_empty()
                && prefix != "xml"
                && prefix
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.'))
            .then_some(prefix)
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// A child of a clinical statement to be written at its schema rank.
enum Item<'r, 'a> {
    Ext(&'r Element<'a>),
    Part(&'r Participation<'a>),
    Rel(&'r Relationship<'a>),
    Value(&'r AnyValue<'a>),
    Time(&'r Time<'a>),
    Code(&'static str, &'r Code<'a>),
}

impl Item<'_, '_> {
    fn write(&self, w: &mut XmlOut) {
        match self {
            Self::Ext(e) => element(w, e),
            Self::Part(p) => participation(w, p),
            Self::Rel(r) => relationship(w, r),
            Self::Value(v) => any_value(w, v),
            Self::Time(t) => time(w, "effectiveTime", t),
            Self::Code(tag, c) => code(w, tag, c),
        }
    }
}

/// The children of every clinical statement kind (act, observation, substanceAdministration,
/// supply, procedure, encounter, organizer, observationMedia, regionOfInterest) merged into one
/// order compatible with each kind's schema sequence.
const STATEMENT_ORDER: &[&str] = &[
    "templateId",
    "id",
    "code",
    "derivationExpr",
    "text",
    "statusCode",
    "effectiveTime",
    "priorityCode",
    "repeatNumber",
    "languageCode",
    "independentInd",
    "quantity",
    "expectedUseTime",
    "routeCode",
    "value",
    "interpretationCode",
    "methodCode",
    "approachSiteCode",
    "targetSiteCode",
    "doseQuantity",
    "rateQuantity",
    "maxDoseQuantity",
    "administrationUnitCode",
    "subject",
    "specimen",
    "product",
    "consumable",
    "performer",
    "author",
    "informant",
    "participant",
    "entryRelationship",
    "reference",
    "precondition",
    "referenceRange",
    "component",
];

/// The rank of a statement extension (see [`statement_rank`]).
pub(crate) fn statement_extension_rank(e: &Element<'_>) -> usize {
    statement_rank(&e.name)
}

fn statement_rank(e: &QName<'_>) -> usize {
    if e.namespace.as_deref() != Some(HL7_NS) {
        // extension elements (`lab:statusCode`, `pharm:...`, `sdtc:...`) follow the typed status
        // code; keep them right after it
        return STATEMENT_ORDER
            .iter()
            .position(|n| *n == "statusCode")
            .unwrap_or(0);
    }
    STATEMENT_ORDER
        .iter()
        .position(|n| *n == e.local)
        .unwrap_or(STATEMENT_ORDER.len())
}

fn rank_of(local: &str) -> usize {
    STATEMENT_ORDER
        .iter()
        .position(|n| *n == local)
        .unwrap_or(STATEMENT_ORDER.len())
}

fn statement(w: &mut XmlOut, s: &ClinicalStatement<'_>) {
    w.start(s.kind.local_name());
    w.opt_attr("classCode", s.class_code.as_deref());
    w.opt_attr("moodCode", s.mood_code.as_deref());
    w.opt_attr("negationInd", s.negation_ind.as_deref());
    w.opt_attr("ID", s.id_attr.as_deref());
    iis(w, "templateId", &s.template_ids);
    iis(w, "id", &s.ids);
    if let Some(c) = &s.code {
        code(w, "code", c);
    }
    let mut ranked: Vec<(usize, Item<'_, '_>)> = Vec::new();
    for e in &s.extensions {
        ranked.push((statement_rank(&e.name), Item::Ext(e)));
    }
    let text_rank = rank_of("text");
    let status_rank = rank_of("statusCode");
    for t in &s.effective_times {
        ranked.push((rank_of("effectiveTime"), Item::Time(t)));
    }
    for v in &s.values {
        ranked.push((rank_of("value"), Item::Value(v)));
    }
    for t in &s.tagged_codes {
        let tag = t.tag.name();
        ranked.push((rank_of(tag), Item::Code(tag, &t.code)));
    }
    for p in &s.participations {
        ranked.push((rank_of(&p.tag), Item::Part(p)));
    }
    for r in &s.relationships {
        ranked.push((rank_of(&r.tag), Item::Rel(r)));
    }
    ranked.sort_by_key(|(r, _)| *r);
    let mut text_done = false;
    let mut status_done = false;
    let flush = |w: &mut XmlOut, upto: usize, text_done: &mut bool, status_done: &mut bool| {
        if !*text_done && upto > text_rank {
            if let Some(t) = &s.text {
                ed(w, "text", t);
            }
            *text_done = true;
        }
        if !*status_done && upto >= status_rank {
            if let Some(c) = &s.status_code {
                code(w, "statusCode", c);
            }
            *status_done = true;
        }
    };
    for (rank, item) in &ranked {
        flush(w, *rank, &mut text_done, &mut status_done);
        item.write(w);
    }
    flush(w, usize::MAX, &mut text_done, &mut status_done);
    w.end();
}

fn relationship(w: &mut XmlOut, r: &Relationship<'_>) {
    w.start(&r.tag);
    w.opt_attr("typeCode", r.type_code.as_deref());
    w.opt_attr("inversionInd", r.inversion_ind.as_deref());
    w.opt_attr("contextConductionInd", r.context_conduction_ind.as_deref());
    w.opt_attr("negationInd", r.negation_ind.as_deref());
    for e in r.extensions.iter().filter(|e| !is_extra_statement(e)) {
        element(w, e);
    }
    if let Some(s) = &r.statement {
        statement(w, s);
    }
    for e in r.extensions.iter().filter(|e| is_extra_statement(e)) {
        element(w, e);
    }
    w.end();
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_typed_document_children_are_those_the_writer_knows() {
        // the writer wraps extensions with these names (see `DOCUMENT_CHILDREN`) because the
        // parser would read them as typed data
        for name in super::DOCUMENT_CHILDREN {
            let doc =
                format!(r#"<ClinicalDocument xmlns="urn:hl7-org:v3"><{name}/></ClinicalDocument>"#);
            let parsed = crate::parse(doc.as_bytes()).unwrap();
            assert!(parsed.extensions.is_empty(), "{name}");
        }
        let doc = r#"<ClinicalDocument xmlns="urn:hl7-org:v3"><copyTime/></ClinicalDocument>"#;
        assert_eq!(crate::parse(doc.as_bytes()).unwrap().extensions.len(), 1);
    }

    #[test]
    fn code_tags_are_declared_in_the_order_they_are_written() {
        // the parser keeps a statement's tagged codes sorted by tag, so that they read back in
        // the order the writer puts them in
        let ranks: Vec<usize> = crate::model::CodeTag::ALL
            .iter()
            .map(|t| super::rank_of(t.name()))
            .collect();
        assert!(ranks.is_sorted(), "{ranks:?}");
        assert!(ranks.iter().all(|&r| r < super::STATEMENT_ORDER.len()));
    }
}
