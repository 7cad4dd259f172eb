//! Hostile or broken ebRIM gets typed errors that say where, never a panic, and never show the
//! patient identifier.

mod common;

use segur_xds::*;

fn feed_xml() -> String {
    common::feed().to_ebrim()
}

#[test]
fn missing_metadata_is_located() {
    let xml = feed_xml().replace(
        codes::scheme::DOC_CLASS_CODE,
        "urn:uuid:00000000-0000-0000-0000-000000000000",
    );
    let err = Submission::from_ebrim(xml.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), &XdsErrorKind::MissingMetadata("classCode"));
    assert_eq!(
        err.path(),
        Some("/SubmitObjectsRequest/RegistryObjectList/ExtrinsicObject[1]")
    );
}

#[test]
fn bad_patient_id_is_located_and_redacted() {
    let xml = feed_xml().replacen(
        "279035121518989^^^&amp;1.2.250.1.213.1.4.10&amp;ISO^NH",
        "279035121518989^x^^&amp;1.2.250.1.213.1.4.10&amp;ISO^NH",
        1,
    );
    let err = Submission::from_ebrim(xml.as_bytes()).unwrap_err();
    assert!(
        matches!(err.kind(), XdsErrorKind::InvalidValue { what: "CX", .. }),
        "{err}"
    );
    assert_eq!(
        err.path(),
        Some("/SubmitObjectsRequest/RegistryObjectList/RegistryPackage[1]/ExternalIdentifier[3]")
    );
    assert!(!err.to_string().contains("279035121518989"), "{err}");
}

#[test]
fn bad_slot_values_are_located() {
    let xml = feed_xml().replacen(
        "<rim:Value>20250115093012</rim:Value>",
        "<rim:Value>2025-01-15</rim:Value>",
        1,
    );
    let err = Submission::from_ebrim(xml.as_bytes()).unwrap_err();
    assert!(matches!(
        err.kind(),
        XdsErrorKind::InvalidValue {
            what: "XDS time",
            ..
        }
    ));
    assert_eq!(
        err.path(),
        Some("/SubmitObjectsRequest/RegistryObjectList/ExtrinsicObject[1]/Slot[1]")
    );
}

#[test]
fn wrong_documents_and_limits() {
    let err = RegistryResponse::from_xml(feed_xml().as_bytes()).unwrap_err();
    assert!(matches!(err.kind(), XdsErrorKind::UnexpectedRoot { .. }));
    let err = Submission::from_ebrim(
        b"<?xml version='1.0'?><!DOCTYPE l [<!ENTITY a 'aaaa'><!ENTITY b '&a;&a;&a;'>]><x>&b;</x>",
    )
    .unwrap_err();
    assert_eq!(err.kind(), &XdsErrorKind::DtdForbidden);
    let limits = ReadLimits::default().with_max_elements(50);
    let err = Submission::from_ebrim_with_limits(feed_xml().as_bytes(), &limits).unwrap_err();
    assert_eq!(
        err.kind(),
        &XdsErrorKind::LimitExceeded {
            what: "elements",
            limit: 50
        }
    );
    assert!(err.offset().is_some());
    // Two submission sets are not one submission.
    let xml = feed_xml();
    let start = xml.find("<rim:RegistryPackage").unwrap();
    let end = xml.find("</rim:RegistryPackage>").unwrap() + "</rim:RegistryPackage>".len();
    let doubled = format!("{}{}", &xml[..end], &xml[start..]);
    let err = Submission::from_ebrim(doubled.as_bytes()).unwrap_err();
    assert!(matches!(
        err.kind(),
        XdsErrorKind::InvalidValue {
            what: "number of submission sets",
            ..
        }
    ));
}

/// Slot names are checked for duplicates with a set: searching the slots already read made an
/// object with many slots quadratic (about 10¹¹ comparisons within the default limits).
#[test]
fn many_slots_are_checked_in_linear_time() {
    let xml = feed_xml();
    let open = xml.find("<rim:ExtrinsicObject").expect("a document entry");
    let at = open + xml[open..].find('>').expect("its start tag ends") + 1;
    let slots = 100_000;
    let mut many = String::with_capacity(slots * 40);
    for i in 0..slots {
        many.push_str(&format!(r#"<rim:Slot name="x{i}"/>"#));
    }
    many.push_str(r#"<rim:Slot name="x7"/>"#);
    let hostile = format!("{}{many}{}", &xml[..at], &xml[at..]);
    let err = Submission::from_ebrim(hostile.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("duplicate slot name"), "{err}");
    let expected = format!(
        "/SubmitObjectsRequest/RegistryObjectList/ExtrinsicObject[1]/Slot[{}]",
        slots + 1
    );
    assert_eq!(err.path(), Some(expected.as_str()));
}

/// A namespace URI longer than 2 KiB is refused where it is declared: quick-xml compares it
/// with every name it resolves, and each element kept a copy of it (now shared), so a long URI
/// on many elements cost its length in time and memory each (here 100 GB).
#[test]
fn a_long_namespace_is_refused_where_it_is_declared() {
    let uri = format!("urn:{}", "x".repeat(1 << 20));
    let xml = format!(r#"<r xmlns="{uri}">{}</r>"#, "<a/>".repeat(100_000));
    let err = Submission::from_ebrim(xml.as_bytes()).unwrap_err();
    assert!(
        matches!(
            err.kind(),
            XdsErrorKind::LimitExceeded {
                what: "namespace URI length",
                ..
            }
        ),
        "{err}"
    );
}
