//! Property tests: model → ebRIM → model is the identity, and so is format → parse for the
//! HL7 v2 datatypes, stored query parameters and registry responses.

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use segur_xds::query::{QueryParameter, quote_list, unquote};
use segur_xds::*;

/// Free text with XML markup, HL7 v2 delimiters, quotes, accents and the whitespace that XML
/// parsers normalise.
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 éÀ'\"<>&^|~\\\\\t\n\r%_.-]{1,16}"
}

fn oid() -> impl Strategy<Value = String> {
    (vec(0u32..100_000, 1..6), 0u32..3).prop_map(|(arcs, first)| {
        let mut s = first.to_string();
        for a in arcs {
            s.push('.');
            s.push_str(&a.to_string());
        }
        s
    })
}

fn hd() -> impl Strategy<Value = Hd> {
    (option::of(text()), oid(), option::of("[A-Z]{1,4}")).prop_map(|(ns, uid, ty)| Hd {
        namespace_id: ns,
        universal_id: Some(uid),
        universal_id_type: ty,
    })
}

fn cx() -> impl Strategy<Value = Cx> {
    (
        text(),
        option::of(hd()),
        option::of("[A-Z]{2}"),
        option::of("[0-9]{8}"),
    )
        .prop_map(|(id, aa, ty, date)| Cx {
            id,
            assigning_authority: aa,
            identifier_type_code: ty,
            effective_date: date,
        })
}

fn xcn() -> impl Strategy<Value = Xcn> {
    (
        (
            text(),
            option::of(text()),
            option::of(text()),
            option::of(text()),
        ),
        (option::of(text()), option::of(text()), option::of(hd())),
        (option::of("[A-Z]"), option::of("[A-Z]{2,5}")),
    )
        .prop_map(
            |((id, family, given, further), (suffix, prefix, aa), (nt, it))| Xcn {
                id: Some(id),
                family,
                given,
                further_given: further,
                suffix,
                prefix,
                assigning_authority: aa,
                name_type_code: nt,
                identifier_type_code: it,
            },
        )
}

fn xon() -> impl Strategy<Value = Xon> {
    (
        text(),
        option::of(hd()),
        option::of("[A-Z]{2,5}"),
        option::of("[0-9]{9,15}"),
    )
        .prop_map(|(name, aa, it, id)| Xon {
            name,
            assigning_authority: aa,
            identifier_type_code: it,
            organization_identifier: id,
        })
}

fn xtn() -> impl Strategy<Value = Xtn> {
    (
        (option::of("[A-Z]{3}"), option::of("[A-Za-z]{2,8}"), text()),
        (
            option::of("[0-9]{2}"),
            option::of("[0-9]{1,3}"),
            option::of("[0-9]{6,8}"),
        ),
        (
            option::of("[0-9]{1,4}"),
            option::of(text()),
            option::of("\\+[0-9]{11}"),
        ),
    )
        .prop_map(|((u, e, mail), (cc, area, local), (ext, any, unf))| Xtn {
            use_code: u,
            equipment_type: e,
            email: Some(mail),
            country_code: cc,
            area_code: area,
            local_number: local,
            extension: ext,
            any_text: any,
            unformatted: unf,
        })
}

fn code() -> impl Strategy<Value = Code> {
    (text(), oid(), text()).prop_map(|(c, s, d)| Code::new(c, s, d))
}

fn author() -> impl Strategy<Value = Author> {
    (
        option::of(xcn()),
        vec(xon(), 0..2),
        vec(code(), 0..2),
        vec(code(), 0..2),
        vec(xtn(), 0..2),
    )
        .prop_map(
            |(person, institutions, roles, specialties, telecoms)| Author {
                person,
                institutions,
                roles,
                specialties,
                telecoms,
            },
        )
}

fn entry_id() -> impl Strategy<Value = EntryUuid> {
    prop_oneof![
        "[A-Za-z][A-Za-z0-9._-]{0,20}".prop_map(|s| EntryUuid::parse(&s).unwrap()),
        any::<u128>().prop_map(|n| {
            let h = format!("{n:032x}");
            EntryUuid::parse(&format!(
                "urn:uuid:{}-{}-{}-{}-{}",
                &h[..8],
                &h[8..12],
                &h[12..16],
                &h[16..20],
                &h[20..]
            ))
            .unwrap()
        }),
    ]
}

fn time() -> impl Strategy<Value = XdsTime> {
    (
        1900u32..2100,
        1u32..13,
        1u32..29,
        0u32..24,
        0u32..60,
        0u32..60,
        0usize..6,
    )
        .prop_map(|(y, mo, d, h, mi, s, cut)| {
            let full = format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}");
            XdsTime::parse(&full[..4 + 2 * cut.min(5)]).unwrap()
        })
}

fn status() -> impl Strategy<Value = AvailabilityStatus> {
    prop_oneof![
        Just(AvailabilityStatus::Submitted),
        Just(AvailabilityStatus::Approved),
        Just(AvailabilityStatus::Deprecated),
        Just(AvailabilityStatus::Archived),
        Just(AvailabilityStatus::Deleted),
    ]
}

fn document() -> impl Strategy<Value = DocumentEntry> {
    (
        (
            entry_id(),
            option::of(entry_id()),
            option::of("[0-9]{1,3}"),
            any::<bool>(),
        ),
        (
            oid(),
            option::of("[A-Z0-9]{1,16}"),
            cx(),
            option::of(cx()),
            vec(text(), 0..3),
        ),
        (
            "[a-z]{2,10}/[a-z+.-]{2,12}",
            option::of(text()),
            option::of(text()),
        ),
        (
            code(),
            code(),
            code(),
            vec(code(), 0..3),
            code(),
            code(),
            vec(code(), 0..3),
        ),
        (vec(author(), 0..3), option::of(xcn())),
        (option::of(time()), option::of(time()), option::of(time())),
        (
            option::of(any::<[u8; 20]>()),
            option::of(any::<u64>()),
            option::of("[a-z]{2}-[A-Z]{2}"),
        ),
        (option::of(oid()), option::of(text()), option::of(status())),
    )
        .prop_map(
            |(
                (id, lid, version, on_demand),
                (uid, ext, patient, source_patient, info),
                (mime, title, comments),
                (class, ty, format, conf, facility, practice, events),
                (authors, legal),
                (creation, start, stop),
                (hash, size, lang),
                (repo, uri, st),
            )| DocumentEntry {
                entry_uuid: id,
                logical_id: lid,
                version,
                kind: if on_demand {
                    EntryKind::OnDemand
                } else {
                    EntryKind::Stable
                },
                unique_id: UniqueId::from_root_extension(&uid, ext.as_deref()).unwrap(),
                patient_id: patient,
                source_patient_id: source_patient,
                source_patient_info: info,
                mime_type: mime,
                title,
                comments,
                class_code: class,
                type_code: ty,
                format_code: format,
                confidentiality_codes: conf,
                healthcare_facility_type_code: facility,
                practice_setting_code: practice,
                event_codes: events,
                authors,
                legal_authenticator: legal,
                creation_time: creation,
                service_start_time: start,
                service_stop_time: stop,
                hash: hash.map(Sha1Hash),
                size,
                language_code: lang,
                repository_unique_id: repo.map(|o| Oid::parse(&o).unwrap()),
                uri,
                availability_status: st,
            },
        )
}

fn submission_set() -> impl Strategy<Value = SubmissionSet> {
    (
        (entry_id(), oid(), oid(), cx(), time()),
        (option::of(code()), vec(author(), 0..3)),
        (
            option::of(text()),
            option::of(text()),
            vec(text(), 0..2),
            option::of(status()),
        ),
    )
        .prop_map(
            |((id, uid, source, patient, t), (content, authors), (title, comments, rcpt, st))| {
                SubmissionSet {
                    entry_uuid: id,
                    unique_id: Oid::parse(&uid).unwrap(),
                    source_id: Oid::parse(&source).unwrap(),
                    patient_id: patient,
                    submission_time: t,
                    content_type_code: content,
                    authors,
                    title,
                    comments,
                    intended_recipients: rcpt,
                    availability_status: st,
                }
            },
        )
}

fn folder() -> impl Strategy<Value = Folder> {
    (
        (entry_id(), oid(), cx(), vec(code(), 0..3)),
        (
            option::of(text()),
            option::of(text()),
            option::of(time()),
            option::of(status()),
        ),
    )
        .prop_map(
            |((id, uid, patient, codes), (title, comments, t, st))| Folder {
                entry_uuid: id,
                unique_id: Oid::parse(&uid).unwrap(),
                patient_id: patient,
                codes,
                title,
                comments,
                last_update_time: t,
                availability_status: st,
            },
        )
}

fn association() -> impl Strategy<Value = Association> {
    (
        (entry_id(), 0usize..9, entry_id(), entry_id()),
        (
            option::of(prop_oneof![
                Just(SubmissionSetStatus::Original),
                Just(SubmissionSetStatus::Reference)
            ]),
            option::of("[0-9]{1,3}"),
            option::of(status()),
            option::of(status()),
            option::of(status()),
        ),
    )
        .prop_map(|((id, t, source, target), (sss, pv, from, to, st))| {
            let urns = [
                "urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember",
                "urn:ihe:iti:2007:AssociationType:RPLC",
                "urn:ihe:iti:2007:AssociationType:XFRM",
                "urn:ihe:iti:2007:AssociationType:APND",
                "urn:ihe:iti:2007:AssociationType:XFRM_RPLC",
                "urn:ihe:iti:2007:AssociationType:signs",
                "urn:ihe:iti:2010:AssociationType:IsSnapshotOf",
                "urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus",
                "urn:ihe:iti:2010:AssociationType:SubmitAssociation",
            ];
            let mut a = Association::new(
                id,
                AssociationType::from_urn(urns[t]).unwrap(),
                source,
                target,
            );
            a.submission_set_status = sss;
            a.previous_version = pv;
            a.original_status = from;
            a.new_status = to;
            a.availability_status = st;
            a
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn cx_roundtrip(v in cx()) {
        prop_assert_eq!(Cx::parse(&v.to_hl7v2()).unwrap(), v);
    }

    #[test]
    fn xcn_roundtrip(v in xcn()) {
        prop_assert_eq!(Xcn::parse(&v.to_hl7v2()).unwrap(), v);
    }

    #[test]
    fn xon_roundtrip(v in xon()) {
        prop_assert_eq!(Xon::parse(&v.to_hl7v2()).unwrap(), v);
    }

    #[test]
    fn xtn_roundtrip(v in xtn()) {
        prop_assert_eq!(Xtn::parse(&v.to_hl7v2()).unwrap(), v);
    }

    #[test]
    fn escape_roundtrip(s in "\\PC*") {
        prop_assert_eq!(hl7v2::unescape(&hl7v2::escape(&s)).unwrap(), s);
    }

    #[test]
    fn query_list_roundtrip(items in vec(text(), 1..4)) {
        prop_assert_eq!(unquote(&quote_list(&items)).unwrap(), items);
    }

    #[test]
    fn submission_roundtrip(
        set in submission_set(),
        documents in vec(document(), 0..3),
        folders in vec(folder(), 0..2),
        associations in vec(association(), 0..4),
    ) {
        let s = Submission { submission_set: set, documents, folders, associations };
        let xml = s.to_ebrim();
        prop_assert_eq!(Submission::from_ebrim(xml.as_bytes()).unwrap(), s);
    }

    #[test]
    fn provide_and_register_roundtrip(doc in document(), bytes in vec(any::<u8>(), 0..64), cid in "[a-z0-9.@%-]{1,20}") {
        let mut s = Submission::new(SubmissionSet {
            entry_uuid: EntryUuid::parse("SS").unwrap(),
            unique_id: Oid::parse("1.2.3").unwrap(),
            source_id: Oid::parse("1.2.4").unwrap(),
            patient_id: doc.patient_id.clone(),
            submission_time: XdsTime::parse("2025").unwrap(),
            content_type_code: None,
            authors: Vec::new(),
            title: None,
            comments: None,
            intended_recipients: Vec::new(),
            availability_status: None,
        });
        let id = doc.entry_uuid.clone();
        s.documents.push(doc);
        let pnr = ProvideAndRegister {
            submission: s,
            documents: vec![
                DocumentPart { id: id.clone(), content: DocumentContent::Inline(bytes) },
                DocumentPart { id, content: DocumentContent::XopInclude(cid) },
            ],
        };
        prop_assert_eq!(ProvideAndRegister::from_xml(pnr.to_xml().as_bytes()).unwrap(), pnr);
    }

    #[test]
    fn query_response_roundtrip(
        documents in vec(document(), 0..3),
        associations in vec(association(), 0..3),
        refs in vec(entry_id(), 0..3),
        context in text(),
    ) {
        let response = AdhocQueryResponse {
            status: ResponseStatus::PartialSuccess,
            objects: RegistryObjects { documents, associations, object_refs: refs, ..RegistryObjects::default() },
            errors: vec![RegistryError {
                code: XdsErrorCode::parse("DMPSomething"),
                severity: Severity::Warning,
                code_context: context,
                location: Some("here".into()),
            }],
        };
        prop_assert_eq!(AdhocQueryResponse::from_xml(response.to_xml().as_bytes()).unwrap(), response.clone());
        let objects = response.objects;
        prop_assert_eq!(RegistryObjects::from_xml(objects.to_xml().as_bytes()).unwrap(), objects);
    }

    #[test]
    fn query_request_roundtrip(params in vec(("\\$[A-Za-z]{1,20}", vec(text(), 1..3)), 0..5), home in option::of(oid())) {
        let request = AdhocQueryRequest {
            return_type: ReturnType::ObjectRef,
            query_id: query::stored_query::FIND_FOLDERS.to_owned(),
            home_community_id: home.map(|h| format!("urn:oid:{h}")),
            parameters: params.into_iter().map(|(name, values)| QueryParameter { name, values }).collect(),
        };
        prop_assert_eq!(AdhocQueryRequest::from_xml(request.to_xml().as_bytes()).unwrap(), request);
    }
}
