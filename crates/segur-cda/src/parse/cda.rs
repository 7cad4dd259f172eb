//! The typed CDA parser: one function per model type, each consuming the element it is given.

use std::borrow::Cow;

use super::cursor::{Cursor, Res, join};
use super::reader::{Item, Start, TextItem, is_blank};
use crate::model::{
    Addr, AddrPart, AnyValue, Body, CODED_ATTRIBUTES, ClinicalStatement, Code, CodeTag, CodedType,
    ComponentOf, Consent, Device, Document, Ed, Element, Entry, HL7_NS, HealthCareFacility, Ii,
    InFulfillmentOf, List, Name, NamePart, NamePartKind, Narrative, NonXmlBody, Order,
    Organization, ParentDocument, Participation, Patient, Person, Place, QName, Qualifier,
    RelatedDocument, Relationship, Role, Scalar, ScalarType, Section, ServiceEvent, StatementKind,
    StructuredBody, TaggedCode, Telecom, Time, is_extra_role, is_extra_statement, is_role_element,
    is_statement_element, tight,
};
use crate::write::{
    document_extension_rank, patient_extension_rank, role_extension_rank, section_extension_rank,
    statement_extension_rank,
};

/// Reads the `ClinicalDocument` element `s`, held by the root `wrapper` if it is not the root.
pub(super) fn document<'a, R: Cursor<'a>>(
    r: &mut R,
    s: Start<'a>,
    wrapper: Option<Start<'a>>,
) -> Res<Document<'a>> {
    let wrapper = wrapper.map(|w| QName {
        namespace: w.ns.map(Cow::Borrowed),
        local: Cow::Borrowed(w.local),
    });
    clinical_document(r, s, wrapper, true)
}

pub(crate) fn clinical_document<'a, R: Cursor<'a>>(
    r: &mut R,
    s: Start<'a>,
    wrapper: Option<QName<'a>>,
    with_body: bool,
) -> Res<Document<'a>> {
    let mut d = Document {
        wrapper,
        class_code: r.attr("classCode", s.offset)?,
        mood_code: r.attr("moodCode", s.offset)?,
        ..Document::default()
    };
    while let Some(c) = r.next_child()? {
        if !c.is_hl7() {
            tight(&mut d.extensions).push(r.capture(c)?);
            continue;
        }
        match c.local {
            "realmCode" => code_fill(r, c, push_default(&mut d.realm_codes))?,
            "typeId" => d.type_id = Some(ii(r, c)?),
            "templateId" => tight(&mut d.template_ids).push(ii(r, c)?),
            "id" => d.id = Some(ii(r, c)?),
            "code" => code_fill(r, c, insert_default(&mut d.code))?,
            "title" => d.title = Some(r.text()?),
            "effectiveTime" => time_fill(r, c, insert_default(&mut d.effective_time))?,
            "confidentialityCode" => code_fill(r, c, insert_default(&mut d.confidentiality_code))?,
            "languageCode" => code_fill(r, c, insert_default(&mut d.language_code))?,
            "setId" => d.set_id = Some(ii(r, c)?),
            "versionNumber" => d.version_number = value_attr(r, c)?,
            "recordTarget" => participation_fill(r, c, push_default(&mut d.record_targets))?,
            "author" => participation_fill(r, c, push_default(&mut d.authors))?,
            "dataEnterer" => participation_fill(r, c, insert_default(&mut d.data_enterer))?,
            "informant" => participation_fill(r, c, push_default(&mut d.informants))?,
            "custodian" => participation_fill(r, c, insert_default(&mut d.custodian))?,
            "informationRecipient" => {
                participation_fill(r, c, push_default(&mut d.information_recipients))?;
            }
            "legalAuthenticator" => {
                participation_fill(r, c, insert_default(&mut d.legal_authenticator))?;
            }
            "authenticator" => participation_fill(r, c, push_default(&mut d.authenticators))?,
            "participant" => participation_fill(r, c, push_default(&mut d.participants))?,
            "inFulfillmentOf" => tight(&mut d.in_fulfillment_of).push(in_fulfillment_of(r, c)?),
            "documentationOf" => {
                while let Some(e) = r.next_child()? {
                    if e.is_hl7() && e.local == "serviceEvent" {
                        tight(&mut d.documentation_of).push(service_event(r, e)?);
                    } else {
                        tight(&mut d.extensions).push(r.capture(e)?);
                    }
                }
            }
            "relatedDocument" => tight(&mut d.related_documents).push(related_document(r, c)?),
            "authorization" => {
                while let Some(e) = r.next_child()? {
                    if e.is_hl7() && e.local == "consent" {
                        tight(&mut d.authorizations).push(consent(r, e)?);
                    } else {
                        tight(&mut d.extensions).push(r.capture(e)?);
                    }
                }
            }
            "componentOf" => {
                while let Some(e) = r.next_child()? {
                    if e.is_hl7() && e.local == "encompassingEncounter" {
                        d.component_of = Some(encounter(r, e)?);
                    } else {
                        tight(&mut d.extensions).push(r.capture(e)?);
                    }
                }
            }
            "component" => {
                while let Some(e) = r.next_child()? {
                    match (e.is_hl7(), e.local) {
                        (true, "nonXMLBody" | "structuredBody") if !with_body => r.skip()?,
                        (true, "nonXMLBody") => d.body = Some(Body::NonXml(non_xml_body(r, e)?)),
                        (true, "structuredBody") => {
                            d.body = Some(Body::Structured(structured_body(r, e)?));
                        }
                        _ => tight(&mut d.extensions).push(r.capture(e)?),
                    }
                }
            }
            _ => tight(&mut d.extensions).push(r.capture(c)?),
        }
    }
    sort_ranked(&mut d.extensions, document_extension_rank);
    Ok(d)
}

/// `@value` of an element without meaningful children (`versionNumber`).
fn value_attr<'a, R: Cursor<'a>>(r: &mut R, s: Start<'a>) -> Res<Option<Cow<'a, str>>> {
    let v = r.attr("value", s.offset)?;
    r.skip()?;
    Ok(v)
}

pub(crate) fn ii<'a, R: Cursor<'a>>(r: &mut R, s: Start<'a>) -> Res<Ii<'a>> {
    let mut id = Ii::default();
    r.fill_attrs(s.offset, &mut id, |id, name| match name {
        "root" => Some(&mut id.root),
        "extension" => Some(&mut id.extension),
        "nullFlavor" => Some(&mut id.null_flavor),
        "assigningAuthorityName" => Some(&mut id.more_mut().assigning_authority_name),
        "displayable" => Some(&mut id.more_mut().displayable),
        _ => None,
    })?;
    r.skip()?;
    Ok(id)
}

/// The field of a [`Code`] an attribute fills (see [`CODED_ATTRIBUTES`]).
fn code_slot<'t, 'a>(c: &'t mut Code<'a>, name: &str) -> Option<&'t mut Option<Cow<'a, str>>> {
    match name {
        "code" => Some(&mut c.code),
        "codeSystem" => Some(&mut c.code_system),
        "codeSystemName" => Some(&mut c.code_system_name),
        "codeSystemVersion" => Some(&mut c.more_mut().code_system_version),
        "displayName" => Some(&mut c.display_name),
        "nullFlavor" => Some(&mut c.null_flavor),
        _ => None,
    }
}

pub(crate) fn code_fill<'a, R: Cursor<'a>>(r: &mut R, s: Start<'a>, c: &mut Code<'a>) -> Res<()> {
    r.fill_attrs(s.offset, c, code_slot)?;
    while let Some(e) = r.next_child()? {
        match (e.is_hl7(), e.local) {
            (true, "originalText") => {
                ed_fill(r, e, insert_default(&mut c.more_mut().original_text))?;
            }
            (true, "translation") => code_fill(r, e, push_default(&mut c.more_mut().translations))?,
            (true, "qualifier") => {
                qualifier_fill(r, e, push_default(&mut c.more_mut().qualifiers))?;
            }
            _ => tight(&mut c.more_mut().extensions).push(r.capture(e)?),
        }
    }
    Ok(())
}

/// A statement's `value`: typed when its `xsi:type` is a typed data type and it holds nothing
/// the typed form would drop, kept whole otherwise.
pub(crate) fn any_value<'a, R: Cursor<'a>>(r: &mut R, s: Start<'a>) -> Res<AnyValue<'a>> {
    if let Some(t) = r.xsi_type(s.offset)?
        && t.namespace.as_deref() == Some(HL7_NS)
    {
        if let Some(data_type) = ScalarType::from_name(&t.local)
            && r.only_attributes(data_type.attributes())
        {
            let mut v = Scalar {
                data_type,
                value: None,
                unit: None,
                null_flavor: None,
            };
            if r.at_empty_element() {
                r.fill_attrs(s.offset, &mut v, scalar_slot)?;
                r.skip()?;
                return Ok(AnyValue::Scalar(v));
            }
            // content that is only layout or comments is written back as an empty element,
            // and must read back the same
            let e = r.capture(s)?;
            if !e.children.is_empty() {
                return Ok(AnyValue::element(e));
            }
            for a in e.attributes {
                if let Some(field) = scalar_slot(&mut v, &a.name.local) {
                    *field = Some(a.value);
                }
            }
            return Ok(AnyValue::Scalar(v));
        }
        if let Some(data_type) = CodedType::from_name(&t.local)
            && r.only_attributes(CODED_ATTRIBUTES)
        {
            let mut c = Code::default();
            code_fill(r, s, &mut c)?;
            return Ok(AnyValue::Coded(data_type, c));
        }
    }
    Ok(AnyValue::element(r.capture(s)?))
}

/// The field of a [`Scalar`] an attribute fills.
fn scalar_slot<'t, 'a>(v: &'t mut Scalar<'a>, name: &str) -> Option<&'t mut Option<Cow<'a, str>>> {
    match name {
        "value" => Some(&mut v.value),
        "unit" => Some(&mut v.unit),
        "nullFlavor" => Some(&mut v.null_flavor),
        _ => None,
    }
}

fn qualifier_fill<'a, R: Cursor<'a>>(r: &mut R, s: Start<'a>, q: &mut Qualifier<'a>) -> Res<()> {
    q.inverted = r.attr("inverted", s.offset)?;
    while let Some(e) = r.next_child()? {
        match (e.is_hl7(), e.local) {
            (true, "name") if q.name.is_none() => code_fill(r, e, insert_default(&mut q.name))?,
            (true, "value") if q.value.is_none() => code_fill(r, e, insert_default(&mut q.value))?,
            _ => tight(&mut q.extensions).push(r.capture(e)?),
        }
    }
    Ok(())
}

pub(crate) fn ed_fill<'a, R: Cursor<'a>>(r: &mut R, s: Start<'a>, e: &mut Ed<'a>) -> Res<()> {
    r.fill_attrs(s.offset, e, |e, name| match name {
        "mediaType" => Some(&mut e.media_type),
        "representation" => Some(&mut e.representation),
        "compression" => Some(&mut e.more_mut().compression),
        "language" => Some(&mut e.more_mut().language),
        "nullFlavor" => Some(&mut e.more_mut().null_flavor),
        _ => None,
    })?;
    let mut content: Option<Cow<'a, str>> = None;
    loop {
        match r.next_item()? {
            Item::End(_) => break,
            Item::Child(c) if c.is_hl7() && c.local == "reference" => {
                e.reference = r.attr("value", c.offset)?;
                r.skip()?;
            }
            Item::Child(c) => tight(&mut e.more_mut().extensions).push(r.capture(c)?),
            Item::Text(t) => {
                content = Some(join(content, r.text_content(t)?));
            }
        }
    }
    // whitespace around a reference or children is layout, not content
    e.content = match content {
        Some(t) if !(is_blank(&t) && (e.reference.is_some() || !e.extensions().is_empty())) => t,
        _ => Cow::Borrowed(""),
    };
    Ok(())
}

pub(crate) fn time_fill<'a, R: Cursor<'a>>(r: &mut R, s: Start<'a>, t: &mut Time<'a>) -> Res<()> {
    let o = s.offset;
    t.xsi_type = r.xsi_type(o)?;
    r.fill_attrs(o, t, |t, name| match name {
        "value" => Some(&mut t.value),
        "nullFlavor" => Some(&mut t.null_flavor),
        _ => None,
    })?;
    while let Some(e) = r.next_child()? {
        match (e.is_hl7(), e.local) {
            (true, "low") => time_fill(r, e, insert_default::<Box<Time<'a>>>(&mut t.low))?,
            (true, "high") => time_fill(r, e, insert_default::<Box<Time<'a>>>(&mut t.high))?,
            (true, "center") => time_fill(r, e, insert_default::<Box<Time<'a>>>(&mut t.center))?,
            _ => tight(&mut t.extensions).push(r.capture(e)?),
        }
    }
    Ok(())
}

pub(crate) fn name<'a, R: Cursor<'a>>(r: &mut R, s: Start<'a>) -> Res<Name<'a>> {
    let mut n = Name {
        use_: r.attr("use", s.offset)?,
        null_flavor: r.attr("nullFlavor", s.offset)?,
        parts: Vec::new(),
    };
    let mut parts = Gather::<NamePart<'a>, 4>::new();
    let mut text = None;
    let text_part = |value| NamePart {
        kind: NamePartKind::Text,
        value,
        qualifier: None,
    };
    loop {
        match r.next_item()? {
            Item::End(_) => {
                if let Some(value) = take_text(&mut text) {
                    parts.push(&mut n.parts, text_part(value));
                }
                parts.flush(&mut n.parts);
                return Ok(n);
            }
            Item::Child(c) => {
                let kind = match (c.is_hl7(), c.local) {
                    (true, "family") => NamePartKind::Family,
                    (true, "given") => NamePartKind::Given,
                    (true, "prefix") => NamePartKind::Prefix,
                    (true, "suffix") => NamePartKind::Suffix,
                    (true, "delimiter") => NamePartKind::Delimiter,
                    _ => {
                        r.skip()?;
                        continue;
                    }
                };
                if let Some(value) = take_text(&mut text) {
                    parts.push(&mut n.parts, text_part(value));
                }
                let qualifier = r.attr("qualifier", c.offset)?;
                let value = r.text()?;
                parts.push(
                    &mut n.parts,
                    NamePart {
                        kind,
                        value,
                        qualifier,
                    },
                );
            }
            Item::Text(t) => add_text(r, &mut text, t)?,
        }
    }
}

/// Adds text inside a name or an address to the text gathered since the last part: text on
/// both sides of a comment or of a skipped child is one part, as it is once written back.
fn add_text<'a, R: Cursor<'a>>(r: &R, text: &mut Option<Cow<'a, str>>, t: TextItem<'a>) -> Res<()> {
    match text {
        // leading blanks are trimmed anyway
        None if is_blank(t.raw) => {}
        None => *text = Some(r.text_content(t)?),
        Some(prev) => prev.to_mut().push_str(&r.text_content(t)?),
    }
    Ok(())
}

/// The text gathered since the last part, trimmed (none when blank).
fn take_text<'a>(text: &mut Option<Cow<'a, str>>) -> Option<Cow<'a, str>> {
    text.take().filter(|t| !is_blank(t)).map(trim_cow)
}

fn trim_cow(t: Cow<'_, str>) -> Cow<'_, str> {
    match t {
        Cow::Borrowed(b) => Cow::Borrowed(b.trim()),
        Cow::Owned(o) => Cow::Owned(o.trim().to_owned()),
    }
}

pub(crate) fn addr<'a, R: Cursor<'a>>(r: &mut R, s: Start<'a>) -> Res<Addr<'a>> {
    let mut a = Addr {
        use_: r.attr("use", s.offset)?,
        null_flavor: r.attr("nullFlavor", s.offset)?,
        parts: Vec::new(),
    };
    let mut parts = Gather::<AddrPart<'a>, 6>::new();
    let mut text = None;
    loop {
        match r.next_item()? {
            Item::End(_) => {
                if let Some(value) = take_text(&mut text) {
                    parts.push(&mut a.parts, AddrPart { name: None, value });
                }
                parts.flush(&mut a.parts);
                return Ok(a);
            }
            Item::Child(c) if c.is_hl7() && c.local != "useablePeriod" => {
                if let Some(value) = take_text(&mut text) {
                    parts.push(&mut a.parts, AddrPart { name: None, value });
                }
                let value = r.text()?;
                let name = Some(Cow::Borrowed(c.local));
                parts.push(&mut a.parts, AddrPart { name, value });
            }
            Item::Child(_) => {
                r.skip()?;
            }
            Item::Text(t) => add_text(r, &mut text, t)?,
        }
    }
}

pub(crate) fn telecom<'a, R: Cursor<'a>>(r: &mut R, s: Start<'a>) -> Res<Telecom<'a>> {
    let t = Telecom {
        value: r.attr("value", s.offset)?,
        use_: r.attr("use", s.offset)?,
        null_flavor: r.attr("nullFlavor", s.offset)?,
    };
    r.skip()?;
    Ok(t)
}

pub(crate) fn participation_fill<'a, R: Cursor<'a>>(
    r: &mut R,
    s: Start<'a>,
    p: &mut Participation<'a>,
) -> Res<()> {
    p.tag = Cow::Borrowed(s.local);
    r.fill_attrs(s.offset, p, |p, name| match name {
        "typeCode" => Some(&mut p.type_code),
        "contextControlCode" => Some(&mut p.context_control_code),
        _ => None,
    })?;
    while let Some(c) = r.next_child()? {
        if !c.is_hl7() {
            tight(&mut p.extensions).push(r.capture(c)?);
            continue;
        }
        match c.local {
            "templateId" => tight(&mut p.template_ids).push(ii(r, c)?),
            "functionCode" => code_fill(r, c, insert_default(&mut p.function_code))?,
            "time" => time_fill(r, c, insert_default(&mut p.time))?,
            "signatureCode" => code_fill(r, c, insert_default(&mut p.signature_code))?,
            name if p.role.is_none() && is_role_element(name) => {
                role_fill(r, c, insert_default::<Box<Role<'a>>>(&mut p.role))?;
            }
            _ => tight(&mut p.extensions).push(r.capture(c)?),
        }
    }
    sort_ranked(&mut p.extensions, is_extra_role);
    Ok(())
}

/// Puts the extensions (or tagged codes) of a completed element in the order in which the
/// writer puts them back around the typed children (a second role or statement, ranked `true`,
/// after the others), so that a written document parses to the same model: a stable sort by
/// `rank`, once. Placing each as it comes would be quadratic on a hostile document alternating
/// ranks.
fn sort_ranked<T, R: Ord>(list: &mut [T], rank: fn(&T) -> R) {
    if !list.is_sorted_by_key(rank) {
        list.sort_by_cached_key(rank);
    }
}

fn role_fill<'a, R: Cursor<'a>>(r: &mut R, s: Start<'a>, ro: &mut Role<'a>) -> Res<()> {
    ro.tag = Cow::Borrowed(s.local);
    ro.class_code = r.attr("classCode", s.offset)?;
    while let Some(c) = r.next_child()? {
        if !c.is_hl7() {
            tight(&mut ro.extensions).push(r.capture(c)?);
            continue;
        }
        match c.local {
            "templateId" => tight(&mut ro.template_ids).push(ii(r, c)?),
            "id" => tight(&mut ro.ids).push(ii(r, c)?),
            "code" => code_fill(r, c, insert_default(&mut ro.code))?,
            "addr" => tight(&mut ro.addrs).push(addr(r, c)?),
            "telecom" => tight(&mut ro.telecoms).push(telecom(r, c)?),
            "assignedPerson" | "associatedPerson" | "informationRecipient" | "relatedPerson"
                if ro.person.is_none() =>
            {
                ro.person = Some(person(r, c)?);
            }
            "patient" if ro.patient.is_none() => ro.patient = Some(Box::new(patient(r, c)?)),
            "assignedAuthoringDevice" if ro.device.is_none() => ro.device = Some(device(r, c)?),
            "representedOrganization"
            | "scopingOrganization"
            | "receivedOrganization"
            | "representedCustodianOrganization"
            | "providerOrganization"
                if ro.organization.is_none() =>
            {
                ro.organization = Some(Box::new(organization(r, c)?));
            }
            _ => tight(&mut ro.extensions).push(r.capture(c)?),
        }
    }
    sort_ranked(&mut ro.extensions, role_extension_rank);
    Ok(())
}

fn person<'a, R: Cursor<'a>>(r: &mut R, s: Start<'a>) -> Res<Person<'a>> {
    let mut p = Person {
        class_code: r.attr("classCode", s.offset)?,
        ..Person::default()
    };
    while let Some(c) = r.next_child()? {
        if c.is_hl7() && c.local == "name" {
            tight(&mut p.names).push(name(r, c)?);
        } else {
            tight(&mut p.extensions).push(r.capture(c)?);
        }
    }
    Ok(p)
}

fn patient<'a, R: Cursor<'a>>(r: &mut R, _s: Start<'a>) -> Res<Patient<'a>> {
    let mut p = Patient::default();
    while let Some(c) = r.next_child()? {
        match (c.is_hl7(), c.local) {
            (true, "name") => tight(&mut p.names).push(name(r, c)?),
            (true, "administrativeGenderCode") => {
                code_fill(r, c, insert_default(&mut p.administrative_gender_code))?;
            }
            (true, "birthTime") => time_fill(r, c, insert_default(&mut p.birth_time))?,
            (true, "maritalStatusCode") => {
                code_fill(r, c, insert_default(&mut p.marital_status_code))?;
            }
            (true, "birthplace") => {
                while let Some(e) = r.next_child()? {
                    if e.is_hl7() && e.local == "place" {
                        p.birthplace = Some(place(r, e)?);
                    } else {
                        tight(&mut p.extensions).push(r.capture(e)?);
                    }
                }
            }
            _ => tight(&mut p.extensions).push(r.capture(c)?),
        }
    }
    sort_ranked(&mut p.extensions, patient_extension_rank);
    Ok(p)
}

fn device<'a, R: Cursor<'a>>(r: &mut R, _s: Start<'a>) -> Res<Device<'a>> {
    let mut d = Device::default();
    while let Some(c) = r.next_child()? {
        match (c.is_hl7(), c.local) {
            (true, "manufacturerModelName") => d.manufacturer_model_name = Some(r.text()?),
            (true, "softwareName") => d.software_name = Some(r.text()?),
            _ => tight(&mut d.extensions).push(r.capture(c)?),
        }
    }
    Ok(d)
}

fn organization<'a, R: Cursor<'a>>(r: &mut R, _s: Start<'a>) -> Res<Organization<'a>> {
    let mut o = Organization::default();
    while let Some(c) = r.next_child()? {
        match (c.is_hl7(), c.local) {
            (true, "id") => tight(&mut o.ids).push(ii(r, c)?),
            (true, "name") => tight(&mut o.names).push(r.text()?),
            (true, "telecom") => tight(&mut o.telecoms).push(telecom(r, c)?),
            (true, "addr") => tight(&mut o.addrs).push(addr(r, c)?),
            (true, "standardIndustryClassCode") => {
                code_fill(r, c, insert_default(&mut o.standard_industry_class_code))?;
            }
            _ => tight(&mut o.extensions).push(r.capture(c)?),
        }
    }
    Ok(o)
}

fn place<'a, R: Cursor<'a>>(r: &mut R, _s: Start<'a>) -> Res<Place<'a>> {
    let mut p = Place::default();
    while let Some(c) = r.next_child()? {
        match (c.is_hl7(), c.local) {
            (true, "name") => p.name = Some(r.text()?),
            (true, "addr") => p.addr = Some(addr(r, c)?),
            _ => tight(&mut p.extensions).push(r.capture(c)?),
        }
    }
    Ok(p)
}

fn in_fulfillment_of<'a, R: Cursor<'a>>(r: &mut R, s: Start<'a>) -> Res<InFulfillmentOf<'a>> {
    let mut f = InFulfillmentOf {
        type_code: r.attr("typeCode", s.offset)?,
        order: None,
    };
    while let Some(c) = r.next_child()? {
        if c.is_hl7() && c.local == "order" && f.order.is_none() {
            let mut o = Order::default();
            while let Some(e) = r.next_child()? {
                match (e.is_hl7(), e.local) {
                    (true, "id") => tight(&mut o.ids).push(ii(r, e)?),
                    (true, "code") => code_fill(r, e, insert_default(&mut o.code))?,
                    (true, "priorityCode") => {
                        code_fill(r, e, insert_default(&mut o.priority_code))?;
                    }
                    _ => tight(&mut o.extensions).push(r.capture(e)?),
                }
            }
            f.order = Some(o);
        } else {
            r.skip()?;
        }
    }
    Ok(f)
}

fn service_event<'a, R: Cursor<'a>>(r: &mut R, s: Start<'a>) -> Res<ServiceEvent<'a>> {
    let mut e = ServiceEvent {
        class_code: r.attr("classCode", s.offset)?,
        ..ServiceEvent::default()
    };
    while let Some(c) = r.next_child()? {
        match (c.is_hl7(), c.local) {
            (true, "templateId") => tight(&mut e.template_ids).push(ii(r, c)?),
            (true, "id") => tight(&mut e.ids).push(ii(r, c)?),
            (true, "code") => code_fill(r, c, insert_default(&mut e.code))?,
            (true, "effectiveTime") => time_fill(r, c, insert_default(&mut e.effective_time))?,
            (true, "performer") => participation_fill(r, c, push_default(&mut e.performers))?,
            _ => tight(&mut e.extensions).push(r.capture(c)?),
        }
    }
    Ok(e)
}

fn related_document<'a, R: Cursor<'a>>(r: &mut R, s: Start<'a>) -> Res<RelatedDocument<'a>> {
    let mut d = RelatedDocument {
        type_code: r.attr("typeCode", s.offset)?,
        parent_document: None,
    };
    while let Some(c) = r.next_child()? {
        if c.is_hl7() && c.local == "parentDocument" && d.parent_document.is_none() {
            let mut p = ParentDocument::default();
            while let Some(e) = r.next_child()? {
                match (e.is_hl7(), e.local) {
                    (true, "id") => tight(&mut p.ids).push(ii(r, e)?),
                    (true, "code") => code_fill(r, e, insert_default(&mut p.code))?,
                    (true, "setId") => p.set_id = Some(ii(r, e)?),
                    (true, "versionNumber") => p.version_number = value_attr(r, e)?,
                    _ => tight(&mut p.extensions).push(r.capture(e)?),
                }
            }
            d.parent_document = Some(p);
        } else {
            r.skip()?;
        }
    }
    Ok(d)
}

fn consent<'a, R: Cursor<'a>>(r: &mut R, _s: Start<'a>) -> Res<Consent<'a>> {
    let mut c = Consent::default();
    while let Some(e) = r.next_child()? {
        match (e.is_hl7(), e.local) {
            (true, "templateId") => tight(&mut c.template_ids).push(ii(r, e)?),
            (true, "id") => tight(&mut c.ids).push(ii(r, e)?),
            (true, "code") => code_fill(r, e, insert_default(&mut c.code))?,
            (true, "statusCode") => code_fill(r, e, insert_default(&mut c.status_code))?,
            _ => tight(&mut c.extensions).push(r.capture(e)?),
        }
    }
    Ok(c)
}

fn encounter<'a, R: Cursor<'a>>(r: &mut R, _s: Start<'a>) -> Res<ComponentOf<'a>> {
    let mut enc = ComponentOf::default();
    while let Some(c) = r.next_child()? {
        match (c.is_hl7(), c.local) {
            (true, "id") => tight(&mut enc.ids).push(ii(r, c)?),
            (true, "code") => code_fill(r, c, insert_default(&mut enc.code))?,
            (true, "effectiveTime") => time_fill(r, c, insert_default(&mut enc.effective_time))?,
            (true, "dischargeDispositionCode") => {
                code_fill(r, c, insert_default(&mut enc.discharge_disposition_code))?;
            }
            (true, "responsibleParty") => {
                participation_fill(r, c, insert_default(&mut enc.responsible_party))?;
            }
            (true, "encounterParticipant") => {
                participation_fill(r, c, push_default(&mut enc.encounter_participants))?;
            }
            (true, "location") => {
                while let Some(e) = r.next_child()? {
                    if e.is_hl7() && e.local == "healthCareFacility" {
                        enc.health_care_facility = Some(facility(r, e)?);
                    } else {
                        tight(&mut enc.extensions).push(r.capture(e)?);
                    }
                }
            }
            _ => tight(&mut enc.extensions).push(r.capture(c)?),
        }
    }
    Ok(enc)
}

fn facility<'a, R: Cursor<'a>>(r: &mut R, _s: Start<'a>) -> Res<HealthCareFacility<'a>> {
    let mut f = HealthCareFacility::default();
    while let Some(c) = r.next_child()? {
        match (c.is_hl7(), c.local) {
            (true, "id") => tight(&mut f.ids).push(ii(r, c)?),
            (true, "code") => code_fill(r, c, insert_default(&mut f.code))?,
            (true, "location") => f.location = Some(place(r, c)?),
            (true, "serviceProviderOrganization") => {
                f.service_provider_organization = Some(organization(r, c)?);
            }
            _ => tight(&mut f.extensions).push(r.capture(c)?),
        }
    }
    Ok(f)
}

pub(crate) fn non_xml_body<'a, R: Cursor<'a>>(r: &mut R, _s: Start<'a>) -> Res<NonXmlBody<'a>> {
    let mut b = NonXmlBody::default();
    let mut seen_text = false;
    while let Some(c) = r.next_child()? {
        if c.is_hl7() && c.local == "text" && !seen_text {
            ed_fill(r, c, &mut b.text)?;
            seen_text = true;
        } else {
            tight(&mut b.extensions).push(r.capture(c)?);
        }
    }
    Ok(b)
}

fn structured_body<'a, R: Cursor<'a>>(r: &mut R, _s: Start<'a>) -> Res<StructuredBody<'a>> {
    let mut b = StructuredBody::default();
    while let Some(c) = r.next_child()? {
        if c.is_hl7() && c.local == "component" {
            while let Some(e) = r.next_child()? {
                if e.is_hl7() && e.local == "section" {
                    section_into(r, e, &mut b.sections)?;
                } else {
                    tight(&mut b.extensions).push(r.capture(e)?);
                }
            }
        } else {
            tight(&mut b.extensions).push(r.capture(c)?);
        }
    }
    Ok(b)
}

/// Appends a default value to `v` and returns it, so that large structs are filled in place
/// (no move) and their temporaries stay out of the recursive functions' frames.
#[inline]
fn push_default<T: Default>(v: &mut Vec<T>) -> &mut T {
    tight(v).push(T::default());
    let last = v.len() - 1;
    &mut v[last]
}

/// Sets `slot` to a default value and returns it (see [`push_default`]).
#[inline]
fn insert_default<T: Default>(slot: &mut Option<T>) -> &mut T {
    slot.insert(T::default())
}

#[inline(never)]
fn capture_into<'a, R: Cursor<'a>>(r: &mut R, c: Start<'a>, out: &mut Vec<Element<'a>>) -> Res<()> {
    out.push(r.capture(c)?);
    Ok(())
}

/// Parses a section as a new last element of `out`. Sections nest, and so does this function:
/// its frame holds only references and small values (the non-recursive cases live in
/// `section_child`), so that even a debug build stays within a thread's stack up to
/// [`crate::MAX_DEPTH_CAP`]. The same holds for the statement and relationship functions, which
/// recurse through each other.
pub(crate) fn section_into<'a, R: Cursor<'a>>(
    r: &mut R,
    s: Start<'a>,
    out: &mut Vec<Section<'a>>,
) -> Res<()> {
    let sec = push_default(out);
    sec.id_attr = r.attr("ID", s.offset)?;
    while let Some(c) = r.next_child()? {
        match part_of(&c, SectionPart::of, SectionPart::Other) {
            SectionPart::Entry => entry_into(r, c, &mut sec.entries)?,
            SectionPart::Component => {
                while let Some(e) = r.next_child()? {
                    if e.is_hl7() && e.local == "section" {
                        section_into(r, e, &mut sec.sections)?;
                    } else {
                        capture_into(r, e, &mut sec.extensions)?;
                    }
                }
            }
            part => section_child(r, c, part, sec)?,
        }
    }
    // entries hold their statement inline: the list's spare room would be large
    sec.entries.shrink_to_fit();
    sort_ranked(&mut sec.extensions, section_extension_rank);
    Ok(())
}

#[inline(never)]
fn section_child<'a, R: Cursor<'a>>(
    r: &mut R,
    c: Start<'a>,
    part: SectionPart,
    sec: &mut Section<'a>,
) -> Res<()> {
    match part {
        SectionPart::TemplateId => tight(&mut sec.template_ids).push(ii(r, c)?),
        SectionPart::Id => sec.id = Some(ii(r, c)?),
        SectionPart::Code => code_fill(r, c, insert_default(&mut sec.code))?,
        SectionPart::Title => sec.title = Some(r.text()?),
        SectionPart::Text => {
            let media_type = r.attr("mediaType", c.offset)?;
            let raw = Cow::Borrowed(r.skip_raw()?);
            sec.text = Some(Narrative { media_type, raw });
        }
        SectionPart::ConfidentialityCode => {
            code_fill(r, c, insert_default(&mut sec.confidentiality_code))?;
        }
        SectionPart::LanguageCode => code_fill(r, c, insert_default(&mut sec.language_code))?,
        SectionPart::Participation => {
            participation_fill(r, c, push_default(&mut sec.participations))?;
        }
        SectionPart::Entry | SectionPart::Component | SectionPart::Other => {
            tight(&mut sec.extensions).push(r.capture(c)?);
        }
    }
    Ok(())
}

/// What child `c` holds: `of` its local name when it is an HL7 v3 element, `other` (an
/// extension) otherwise.
#[inline]
fn part_of<P>(c: &Start<'_>, of: fn(&str) -> P, other: P) -> P {
    if c.is_hl7() { of(c.local) } else { other }
}

/// What a child of a section holds, by its local name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SectionPart {
    TemplateId,
    Id,
    Code,
    Title,
    /// The narrative block.
    Text,
    ConfidentialityCode,
    LanguageCode,
    /// `author`, `informant`.
    Participation,
    Entry,
    /// A `component`, which holds the nested sections.
    Component,
    /// Anything else: an extension.
    Other,
}

impl SectionPart {
    /// What the HL7 child `local` holds.
    #[inline]
    pub(crate) fn of(local: &str) -> Self {
        match local {
            "templateId" => Self::TemplateId,
            "id" => Self::Id,
            "code" => Self::Code,
            "title" => Self::Title,
            "text" => Self::Text,
            "confidentialityCode" => Self::ConfidentialityCode,
            "languageCode" => Self::LanguageCode,
            "author" | "informant" => Self::Participation,
            "entry" => Self::Entry,
            "component" => Self::Component,
            _ => Self::Other,
        }
    }
}

pub(crate) fn entry_into<'a, R: Cursor<'a>>(
    r: &mut R,
    s: Start<'a>,
    out: &mut Vec<Entry<'a>>,
) -> Res<()> {
    let e = push_default(out);
    r.fill_attrs(s.offset, e, |e, name| match name {
        "typeCode" => Some(&mut e.type_code),
        "contextConductionInd" => Some(&mut e.context_conduction_ind),
        _ => None,
    })?;
    while let Some(c) = r.next_child()? {
        if c.is_hl7() && e.statement.is_none() && is_statement_element(c.local) {
            statement_fill(r, c, insert_default(&mut e.statement))?;
        } else {
            let x = r.capture(c)?;
            tight(&mut e.extensions).push(x);
        }
    }
    sort_ranked(&mut e.extensions, is_extra_statement);
    Ok(())
}

pub(crate) fn statement_fill<'a, R: Cursor<'a>>(
    r: &mut R,
    s: Start<'a>,
    st: &mut ClinicalStatement<'a>,
) -> Res<()> {
    st.kind = StatementKind::from_local_name(s.local);
    r.fill_attrs(s.offset, st, |st, name| match name {
        "classCode" => Some(&mut st.class_code),
        "moodCode" => Some(&mut st.mood_code),
        "negationInd" => Some(&mut st.negation_ind),
        "ID" => Some(&mut st.id_attr),
        _ => None,
    })?;
    let mut next = r.next_child()?;
    while let Some(c) = next {
        let part = part_of(&c, StatementPart::of, StatementPart::Other);
        next = if part == StatementPart::Relationship {
            relationship_into(r, c, &mut st.relationships)?;
            r.next_child()?
        } else {
            statement_child(r, c, part, st)?
        };
    }
    // relationships hold their statement inline: the list's spare room would be large
    st.relationships.shrink_to_fit();
    sort_ranked(&mut st.extensions, statement_extension_rank);
    // the tagged codes in schema order too, as they are written back
    sort_ranked(&mut st.tagged_codes, |t| t.tag);
    Ok(())
}

/// Parses a child of a statement; returns the next child.
#[inline(never)]
fn statement_child<'a, R: Cursor<'a>>(
    r: &mut R,
    c: Start<'a>,
    part: StatementPart,
    st: &mut ClinicalStatement<'a>,
) -> Res<Option<Start<'a>>> {
    match part {
        StatementPart::TemplateId => {
            return run(r, c, &mut st.template_ids, named("templateId"), ii_of);
        }
        StatementPart::Id => return run(r, c, &mut st.ids, named("id"), ii_of),
        StatementPart::Code => code_fill(r, c, insert_default(&mut st.code))?,
        StatementPart::Text => ed_fill(r, c, insert_default(&mut st.text))?,
        StatementPart::StatusCode => code_fill(r, c, insert_default(&mut st.status_code))?,
        StatementPart::EffectiveTime => {
            time_fill(r, c, st.effective_times.push_mut(Time::default()))?;
        }
        StatementPart::Value => st.values.push(any_value(r, c)?),
        StatementPart::Participation => {
            participation_fill(r, c, push_default(&mut st.participations))?;
        }
        // the coded children come in a row (`methodCode`, `targetSiteCode`, ...)
        StatementPart::Tagged(_) => {
            return run(r, c, &mut st.tagged_codes, CodeTag::from_name, tagged_code);
        }
        StatementPart::Relationship | StatementPart::Other => {
            tight(&mut st.extensions).push(r.capture(c)?);
        }
    }
    r.next_child()
}

/// What an HL7 child of a clinical statement holds, by its local name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StatementPart {
    TemplateId,
    Id,
    Code,
    Text,
    StatusCode,
    EffectiveTime,
    Value,
    /// `author`, `informant`, `participant`, `performer`, `subject`, `specimen`,
    /// `consumable`, `product`, `responsibleParty`.
    Participation,
    /// `entryRelationship`, `component`.
    Relationship,
    /// A coded child other than `code` and `statusCode`.
    Tagged(CodeTag),
    /// Anything else: an extension.
    Other,
}

impl StatementPart {
    /// What the HL7 child `local` holds.
    #[inline]
    pub(crate) fn of(local: &str) -> Self {
        match local {
            "templateId" => Self::TemplateId,
            "id" => Self::Id,
            "code" => Self::Code,
            "text" => Self::Text,
            "statusCode" => Self::StatusCode,
            "effectiveTime" => Self::EffectiveTime,
            "value" => Self::Value,
            "author" | "informant" | "participant" | "performer" | "subject" | "specimen"
            | "consumable" | "product" | "responsibleParty" => Self::Participation,
            "entryRelationship" | "component" => Self::Relationship,
            other => CodeTag::from_name(other).map_or(Self::Other, Self::Tagged),
        }
    }
}

/// A coded child of a statement, named by `tag`.
fn tagged_code<'a, R: Cursor<'a>>(r: &mut R, s: Start<'a>, tag: CodeTag) -> Res<TaggedCode<'a>> {
    let mut code = Code::default();
    code_fill(r, s, &mut code)?;
    Ok(TaggedCode::new(tag, code))
}

/// [`ii`] for [`run`].
fn ii_of<'a, R: Cursor<'a>>(r: &mut R, s: Start<'a>, (): ()) -> Res<Ii<'a>> {
    ii(r, s)
}

/// The key of a [`run`] of elements named `name`.
fn named(name: &'static str) -> impl Fn(&str) -> Option<()> {
    move |local| (local == name).then_some(())
}

/// Parses `first` and the HL7 siblings that follow it and whose local name has a `key`, each
/// with `one`, appending them to `out`, gathered first (templateIds come two or three in a
/// row); returns the next child. Not for lists of mostly one item, which gathering only slows
/// down.
#[inline(never)]
fn run<'a, R: Cursor<'a>, K, T, O: Gathered<T>>(
    r: &mut R,
    first: Start<'a>,
    out: &mut O,
    key: impl Fn(&str) -> Option<K>,
    one: fn(&mut R, Start<'a>, K) -> Res<T>,
) -> Res<Option<Start<'a>>> {
    let mut run = Gather::<T, 4>::new();
    let mut next = Some(first);
    while let Some(c) = next
        && c.is_hl7()
        && let Some(k) = key(c.local)
    {
        run.push(out, one(r, c, k)?);
        next = r.next_child()?;
    }
    run.flush(out);
    Ok(next)
}

/// Items gathered on the stack, `N` at most, before they are appended to their list: a list
/// of up to `N` items is allocated once, at its exact size, instead of growing item by item.
struct Gather<T, const N: usize> {
    items: [Option<T>; N],
    len: usize,
}

impl<T, const N: usize> Gather<T, N> {
    fn new() -> Self {
        Self {
            items: std::array::from_fn(|_| None),
            len: 0,
        }
    }

    /// Gathers `item`, first appending the gathered items to `out` when there is no room.
    #[inline]
    fn push(&mut self, out: &mut impl Gathered<T>, item: T) {
        if self.len == N {
            self.flush(out);
        }
        self.items[self.len] = Some(item);
        self.len += 1;
    }

    /// Appends the gathered items to `out` (see [`Gathered::append_gathered`]).
    fn flush(&mut self, out: &mut impl Gathered<T>) {
        let n = self.len;
        self.len = 0;
        out.append_gathered(n, self.items.iter_mut().take(n).filter_map(Option::take));
    }
}

/// A list that items gathered by [`Gather`] are appended to.
trait Gathered<T> {
    /// Appends `n` items: exactly sized when the list was empty, with the usual amortised
    /// growth otherwise.
    fn append_gathered(&mut self, n: usize, items: impl Iterator<Item = T>);
}

impl<T> Gathered<T> for Vec<T> {
    fn append_gathered(&mut self, n: usize, items: impl Iterator<Item = T>) {
        if self.is_empty() {
            self.reserve_exact(n);
        } else {
            self.reserve(n);
        }
        self.extend(items);
    }
}

impl<T> Gathered<T> for List<T> {
    fn append_gathered(&mut self, n: usize, items: impl Iterator<Item = T>) {
        if n == 1 && self.is_empty() {
            self.extend(items);
        } else {
            let mut v = std::mem::take(self).into_vec();
            v.append_gathered(n, items);
            *self = Self::from(v);
        }
    }
}

pub(crate) fn relationship_into<'a, R: Cursor<'a>>(
    r: &mut R,
    s: Start<'a>,
    out: &mut Vec<Relationship<'a>>,
) -> Res<()> {
    let rel = push_default(out);
    rel.tag = Cow::Borrowed(s.local);
    r.fill_attrs(s.offset, rel, |rel, name| match name {
        "typeCode" => Some(&mut rel.type_code),
        "inversionInd" => Some(&mut rel.inversion_ind),
        "contextConductionInd" => Some(&mut rel.context_conduction_ind),
        "negationInd" => Some(&mut rel.negation_ind),
        _ => None,
    })?;
    while let Some(c) = r.next_child()? {
        if c.is_hl7() && rel.statement.is_none() && is_statement_element(c.local) {
            statement_fill(r, c, insert_default(&mut rel.statement))?;
        } else {
            let x = r.capture(c)?;
            tight(&mut rel.extensions).push(x);
        }
    }
    sort_ranked(&mut rel.extensions, is_extra_statement);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{CODED_ATTRIBUTES, Code, Scalar, code_slot, scalar_slot};
    use crate::model::{AnyValue, CodedType, ScalarType};

    #[test]
    fn typed_values_keep_every_attribute_they_accept() {
        // a value is typed only when all its attributes are listed: each listed one must have
        // a field, or the typed form would drop it
        for name in CODED_ATTRIBUTES {
            assert!(code_slot(&mut Code::default(), name).is_some(), "{name}");
        }
        for &t in ScalarType::ALL {
            for name in t.attributes() {
                let mut v = Scalar::new(t, "");
                assert!(scalar_slot(&mut v, name).is_some(), "{t:?} {name}");
            }
        }
    }

    /// The values of the one observation of a document whose body is `values`.
    fn values_of(values: &str) -> crate::List<AnyValue<'static>> {
        let doc = format!(
            r#"<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:h="urn:hl7-org:v3"
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:x="urn:x"><component>
            <structuredBody><component><section><entry><observation>{values}</observation>
            </entry></section></component></structuredBody></component></ClinicalDocument>"#
        );
        let d = crate::parse(doc.as_bytes()).unwrap().into_owned();
        for style in [crate::write::Style::Compact, crate::write::Style::Pretty] {
            let xml = d.to_xml(style);
            assert_eq!(crate::parse(xml.as_bytes()).unwrap(), d, "{xml}");
        }
        let st = d.sections()[0].entries[0].statement.as_ref().unwrap();
        st.values.clone()
    }

    #[test]
    fn other_statement_codes_are_kept_in_order_with_their_tag() {
        let doc = r#"<ClinicalDocument xmlns="urn:hl7-org:v3"><component><structuredBody>
            <component><section><entry><substanceAdministration><targetSiteCode code="t"/>
            <methodCode code="m1"/><routeCode code="r"/><methodCode code="m2"/>
            <priorityCode code="p1"/><priorityCode code="p2"/></substanceAdministration></entry>
            </section></component></structuredBody></component></ClinicalDocument>"#;
        let d = crate::parse(doc.as_bytes()).unwrap();
        let st = d.sections()[0].entries[0].statement.as_ref().unwrap();
        let codes =
            |tag| -> Vec<&str> { st.codes(tag).map(|c| c.code.as_deref().unwrap()).collect() };
        use crate::model::CodeTag;
        assert_eq!(codes(CodeTag::Method), ["m1", "m2"]);
        assert_eq!(codes(CodeTag::Route), ["r"]);
        // a second priorityCode (the schema allows one) is kept, not overwritten
        assert_eq!(codes(CodeTag::Priority), ["p1", "p2"]);
        assert_eq!(codes(CodeTag::Interpretation), Vec::<&str>::new());
        assert_eq!(st.tagged_codes[0].tag, CodeTag::Priority);
        assert_eq!(CodeTag::from_name("routeCode"), Some(CodeTag::Route));
        for style in [crate::write::Style::Compact, crate::write::Style::Pretty] {
            let xml = d.to_xml(style);
            // written in schema order, which reads back as the same codes per tag
            let back = crate::parse(xml.as_bytes()).unwrap();
            let back = back.sections()[0].entries[0].statement.as_ref().unwrap();
            for tag in [
                CodeTag::Method,
                CodeTag::Route,
                CodeTag::Priority,
                CodeTag::TargetSite,
            ] {
                assert!(back.codes(tag).eq(st.codes(tag)), "{xml}");
            }
        }
    }

    #[test]
    fn plain_values_are_typed() {
        let v = values_of(
            r#"<value xsi:type="PQ" value="4.89" unit="mmol/L"/>
            <value xsi:type="h:INT" value="3"></value>
            <value xsi:type="BL" nullFlavor="NI"> <!-- layout --> </value>
            <value xsi:type="CE" code="A" codeSystem="1.2" displayName="a &amp; b">
              <translation code="T"/><qualifier><name code="N"/></qualifier></value>"#,
        );
        let pq = v[0].as_scalar().unwrap();
        assert_eq!(pq.data_type, ScalarType::Pq);
        assert_eq!(pq.value.as_deref(), Some("4.89"));
        assert_eq!(pq.unit.as_deref(), Some("mmol/L"));
        assert_eq!(v[1].as_scalar().unwrap().data_type, ScalarType::Int);
        assert_eq!(v[1].data_type(), Some("INT"));
        let bl = v[2].as_scalar().unwrap();
        assert_eq!(
            (bl.value.as_deref(), bl.null_flavor.as_deref()),
            (None, Some("NI"))
        );
        let AnyValue::Coded(CodedType::Ce, c) = &v[3] else {
            panic!("{:?}", v[3]);
        };
        assert_eq!(c.display_name.as_deref(), Some("a & b"));
        assert_eq!(c.translations()[0].code.as_deref(), Some("T"));
        assert_eq!(
            c.qualifiers()[0].name.as_ref().unwrap().code.as_deref(),
            Some("N")
        );
    }

    #[test]
    fn values_the_typed_forms_cannot_hold_are_kept_whole() {
        let v = values_of(
            r#"<value xsi:type="PQ" value="1" unit="g"><translation value="2"/></value>
            <value xsi:type="ST">text</value>
            <value xsi:type="INT" value="1" unit="g"/>
            <value xsi:type="PQ" value="1" x:a="b"/>
            <value xsi:type="CD" code="A" sdtc="x"/>
            <value xsi:type="x:PQ" value="1"/>
            <value value="1"/>
            <value xsi:type="IVL_PQ"><low value="1"/></value>"#,
        );
        assert_eq!(v.len(), 8);
        for (i, value) in v.iter().enumerate() {
            assert!(value.as_element().is_some(), "{i}: {value:?}");
        }
        assert_eq!(v[0].data_type(), Some("PQ"));
        assert_eq!(v[6].data_type(), None);
    }

    #[test]
    fn the_role_is_found_by_its_name() {
        let doc = r#"<ClinicalDocument xmlns="urn:hl7-org:v3"><author><time value="2024"/>
            <unknownElement/><assignedAuthor><id root="1.2.3"/></assignedAuthor>
            <assignedAuthor><id root="4.5.6"/></assignedAuthor></author></ClinicalDocument>"#;
        let d = crate::parse(doc.as_bytes()).unwrap();
        let author = &d.authors[0];
        let role = author.role.as_ref().unwrap();
        assert_eq!(role.tag, "assignedAuthor");
        assert_eq!(role.ids[0].root.as_deref(), Some("1.2.3"));
        let kept: Vec<&str> = author
            .extensions
            .iter()
            .map(|e| e.name.local.as_ref())
            .collect();
        assert_eq!(kept, ["unknownElement", "assignedAuthor"]);
    }

    #[test]
    fn the_statement_is_found_by_its_name() {
        let doc = r#"<ClinicalDocument xmlns="urn:hl7-org:v3"><component><structuredBody>
            <component><section><entry><unknownElement/><observation classCode="OBS">
            <entryRelationship typeCode="COMP"><other/><act classCode="ACT"/><act/>
            </entryRelationship></observation><supply/></entry></section></component>
            </structuredBody></component></ClinicalDocument>"#;
        let d = crate::parse(doc.as_bytes()).unwrap();
        let section = &d.sections()[0];
        let entry = &section.entries[0];
        let st = entry.statement.as_ref().unwrap();
        assert_eq!(st.kind.local_name(), "observation");
        let names = |list: &[crate::model::Element<'_>]| -> Vec<String> {
            list.iter().map(|e| e.name.local.to_string()).collect()
        };
        assert_eq!(names(&entry.extensions), ["unknownElement", "supply"]);
        let rel = &st.relationships[0];
        assert_eq!(rel.statement.as_ref().unwrap().kind.local_name(), "act");
        assert_eq!(names(&rel.extensions), ["other", "act"]);
        let xml = d.to_xml(crate::write::Style::Compact);
        assert_eq!(crate::parse(xml.as_bytes()).unwrap(), d);
    }

    #[test]
    fn identifier_runs_keep_their_order() {
        let tids: String = (1..=9)
            .map(|i| format!(r#"<templateId root="1.{i}"/>"#))
            .collect();
        let doc = format!(
            r#"<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:x="urn:x"><component><structuredBody>
            <component><section><entry><act>{tids}<id root="i.1"/><id root="i.2"/>
            <x:templateId root="x"/><templateId root="1.10"/><code code="c"/><templateId root="1.11"/>
            <templateId root="1.12"/></act></entry></section></component></structuredBody>
            </component></ClinicalDocument>"#
        );
        let d = crate::parse(doc.as_bytes()).unwrap();
        let st = d.sections()[0].entries[0].statement.as_ref().unwrap();
        let roots: Vec<_> = st
            .template_ids
            .iter()
            .map(|t| t.root.as_deref().unwrap())
            .collect();
        let want: Vec<String> = (1..=12).map(|i| format!("1.{i}")).collect();
        assert_eq!(roots, want);
        let ids: Vec<_> = st.ids.iter().map(|t| t.root.as_deref().unwrap()).collect();
        assert_eq!(ids, ["i.1", "i.2"]);
        assert_eq!(st.extensions[0].name.local, "templateId");
        assert_eq!(st.code.as_ref().unwrap().code.as_deref(), Some("c"));
        let short = r#"<ClinicalDocument xmlns="urn:hl7-org:v3"><component><structuredBody>
            <component><section><entry><act><templateId root="1"/><templateId root="2"/>
            <templateId root="3"/><id root="i"/></act></entry></section></component>
            </structuredBody></component></ClinicalDocument>"#;
        let d = crate::parse(short.as_bytes()).unwrap();
        let st = d.sections()[0].entries[0].statement.as_ref().unwrap();
        assert_eq!(
            st.template_ids.capacity(),
            3,
            "a short run is allocated once, exactly"
        );
    }

    #[test]
    fn elements_in_no_namespace_write_back() {
        let doc = r#"<ClinicalDocument xmlns="urn:hl7-org:v3"><local xmlns="" a="1">
            <inner><hl7 xmlns="urn:hl7-org:v3"><deeper/></hl7></inner></local>
            </ClinicalDocument>"#;
        let d = crate::parse(doc.as_bytes()).unwrap();
        let local = &d.extensions[0];
        assert_eq!(local.name.namespace, None);
        let inner = local.child_elements().next().unwrap();
        assert_eq!(inner.name.namespace, None);
        let hl7 = inner.child_elements().next().unwrap();
        assert!(hl7.name.is_hl7("hl7"));
        assert!(hl7.child("deeper").is_some());
        for style in [crate::write::Style::Compact, crate::write::Style::Pretty] {
            let xml = d.to_xml(style);
            assert_eq!(crate::parse(xml.as_bytes()).unwrap(), d, "{xml}");
        }
    }

    #[test]
    fn namespace_names_write_back_verbatim() {
        let doc = r#"<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:g="urn>gt" xmlns:q='urn"q'>
            <g:a/><q:b/></ClinicalDocument>"#;
        let d = crate::parse(doc.as_bytes()).unwrap();
        let uris: Vec<_> = d
            .extensions
            .iter()
            .map(|e| e.name.namespace.clone())
            .collect();
        assert_eq!(uris, [Some("urn>gt".into()), Some("urn\"q".into())]);
        for style in [crate::write::Style::Compact, crate::write::Style::Pretty] {
            let xml = d.to_xml(style);
            assert_eq!(crate::parse(xml.as_bytes()).unwrap(), d, "{xml}");
        }
        for bad in ["urn&amp;x", "urn\tx", "urn&#10;x"] {
            let doc = format!(r#"<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:x="{bad}"/>"#);
            let e = crate::parse(doc.as_bytes()).unwrap_err();
            assert!(e.to_string().contains("namespace names"), "{e}");
        }
    }

    #[test]
    fn names_in_no_namespace_under_a_prefixed_document_write_back() {
        // HL7 under a prefix and no default namespace: unprefixed xsi:type values name types
        // in no namespace, which the writer (whose default namespace is HL7) must undeclare
        let doc = r#"<c:ClinicalDocument xmlns:c="urn:hl7-org:v3"
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
            <c:effectiveTime xsi:type="IVL_TS"><c:low value="2024"/><c:ext/></c:effectiveTime>
            <c:component><c:structuredBody><c:component><c:section><c:entry><c:observation>
            <c:value xsi:type="PQ" value="1" c:unit="mm"><c:inner xsi:type="c:CD"/></c:value>
            <c:value xsi:type="c:ST">t</c:value>
            </c:observation></c:entry></c:section></c:component></c:structuredBody></c:component>
            <local><typed xsi:type="c:PQ" c:a="1"/><c:hl7/></local>
            </c:ClinicalDocument>"#;
        let d = crate::parse(doc.as_bytes()).unwrap();
        let time = d.effective_time.as_ref().unwrap();
        assert_eq!(time.xsi_type.as_ref().unwrap().namespace, None);
        let st = d.sections()[0].entries[0].statement.as_ref().unwrap();
        // in no namespace, and with an HL7 attribute: kept whole
        let value = st.values[0].as_element().unwrap();
        assert_eq!(value.xsi_type.as_ref().unwrap().namespace, None);
        assert_eq!(
            value.attributes[1].name.namespace.as_deref(),
            Some(crate::model::HL7_NS)
        );
        for style in [crate::write::Style::Compact, crate::write::Style::Pretty] {
            let xml = d.to_xml(style);
            assert!(xml.contains(r#"xmlns:hl7="urn:hl7-org:v3""#), "{xml}");
            assert_eq!(crate::parse(xml.as_bytes()).unwrap(), d, "{xml}");
        }
    }

    #[test]
    fn name_and_address_text_split_by_markup_is_one_part() {
        let doc = r#"<ClinicalDocument xmlns="urn:hl7-org:v3"><recordTarget><patientRole>
            <addr> 3 rue <!-- c --> X <x:skipped xmlns:x="urn:x"/>Y <city>Paris</city> <!-- c -->
            </addr><patient><name>Dr<!-- c --> A<?pi?>B<unknown/>C <given>Ana</given>
            <![CDATA[ D ]]><!-- c --> E</name></patient></patientRole></recordTarget>
            </ClinicalDocument>"#;
        let d = crate::parse(doc.as_bytes()).unwrap();
        let role = d.record_targets[0].role.as_ref().unwrap();
        let addr: Vec<_> = role.addrs[0]
            .parts
            .iter()
            .map(|p| p.value.as_ref())
            .collect();
        assert_eq!(addr, ["3 rue  X Y", "Paris"]);
        let name = &role.patient.as_ref().unwrap().names[0];
        let parts: Vec<_> = name.parts.iter().map(|p| p.value.as_ref()).collect();
        assert_eq!(parts, ["Dr ABC", "Ana", "D  E"]);
        for style in [crate::write::Style::Compact, crate::write::Style::Pretty] {
            let xml = d.to_xml(style);
            assert_eq!(crate::parse(xml.as_bytes()).unwrap(), d, "{xml}");
        }
    }

    #[test]
    fn the_xml_namespace_is_never_declared() {
        let doc = r#"<ClinicalDocument xmlns="urn:hl7-org:v3"><note xml:lang="fr">a</note>
            </ClinicalDocument>"#;
        let d = crate::parse(doc.as_bytes()).unwrap();
        let xml = d.to_xml(crate::write::Style::Compact);
        assert!(xml.contains(r#"<note xml:lang="fr">"#), "{xml}");
        assert_eq!(crate::parse(xml.as_bytes()).unwrap(), d, "{xml}");
    }

    #[test]
    fn extensions_keep_the_order_they_are_written_in() {
        // each list out of schema order: the parser keeps them in the writer's order
        let doc = r#"<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:s="urn:hl7-org:sdtc">
            <other/><copyTime value="2024"/><recordTarget><patientRole><other/>
            <effectiveTime value="2024"/><patient><languageCommunication/><guardian/></patient>
            </patientRole></recordTarget><component><structuredBody><component><section>
            <other/><subject/><entry><act><precondition/><s:x/></act></entry></section>
            </component></structuredBody></component></ClinicalDocument>"#;
        let d = crate::parse(doc.as_bytes()).unwrap();
        let names = |list: &[crate::model::Element<'_>]| -> Vec<String> {
            list.iter().map(|e| e.name.local.to_string()).collect()
        };
        assert_eq!(names(&d.extensions), ["copyTime", "other"]);
        let role = d.record_targets[0].role.as_ref().unwrap();
        assert_eq!(names(&role.extensions), ["effectiveTime", "other"]);
        let patient = role.patient.as_ref().unwrap();
        assert_eq!(
            names(&patient.extensions),
            ["guardian", "languageCommunication"]
        );
        let section = &d.sections()[0];
        assert_eq!(names(&section.extensions), ["subject", "other"]);
        let st = section.entries[0].statement.as_ref().unwrap();
        assert_eq!(names(&st.extensions), ["x", "precondition"]);
        for style in [crate::write::Style::Compact, crate::write::Style::Pretty] {
            let xml = d.to_xml(style);
            assert_eq!(crate::parse(xml.as_bytes()).unwrap(), d, "{xml}");
        }
    }

    #[test]
    fn split_text_is_one_node() {
        let doc = r#"<ClinicalDocument xmlns="urn:hl7-org:v3"><note>a<!-- c -->b<![CDATA[<c>]]>d<?p?>e<x/>f</note></ClinicalDocument>"#;
        let d = crate::parse(doc.as_bytes()).unwrap();
        let note = &d.extensions[0];
        let texts: Vec<&str> = note
            .children
            .iter()
            .filter_map(|n| match n {
                crate::model::Node::Text(t) => Some(t.as_ref()),
                crate::model::Node::Element(_) => None,
            })
            .collect();
        assert_eq!(texts, ["ab<c>de", "f"]);
        let xml = d.to_xml(crate::write::Style::Compact);
        assert_eq!(crate::parse(xml.as_bytes()).unwrap(), d);
    }

    #[test]
    fn model_sizes_stay_moderate() {
        use crate::model::*;
        eprintln!(
            "Section {} ClinicalStatement {} Entry {} Relationship {} Code {} Ii {}",
            size_of::<Section<'_>>(),
            size_of::<ClinicalStatement<'_>>(),
            size_of::<Entry<'_>>(),
            size_of::<Relationship<'_>>(),
            size_of::<Code<'_>>(),
            size_of::<Ii<'_>>()
        );
        assert!(size_of::<ClinicalStatement<'_>>() < 2048);
    }

    #[test]
    fn children_lifted_out_of_containers_write_back_in_place() {
        // found by fuzz_cda_build: a `templateId` inside a document-level `component` was
        // lifted into the document's extensions, written at the document level and read back
        // as a typed `templateId`
        let doc = r#"<ClinicalDocument xmlns="urn:hl7-org:v3"><templateId root="1.2"/>
            <component><other/><templateId ro="x"/><component/></component>
            <componentOf><title>t</title></componentOf><after/></ClinicalDocument>"#;
        let parsed = crate::parse(doc.as_bytes()).unwrap();
        assert_eq!(parsed.template_ids.len(), 1);
        assert_eq!(parsed.extensions.len(), 5);
        for style in [crate::write::Style::Compact, crate::write::Style::Pretty] {
            let xml = parsed.to_xml(style);
            assert_eq!(crate::parse(xml.as_bytes()).unwrap(), parsed, "{xml}");
        }
    }
}
