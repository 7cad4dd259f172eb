//! Every transaction through [`DmpClient`] against the in-memory DMP simulator (feature
//! `simulator`), with VIHFs really signed and verified, and the failure paths: unsigned,
//! tampered and wrongly-signed VIHF, unknown patient, missing authorisation, bad metadata,
//! document not found, wrong ITI-57 previous version.

mod common;

use segur_dmp::simulator::Simulator;
use segur_dmp::*;
use segur_soap::vihf::VihfVerifier;
use segur_transport::{HttpRequest, HttpResponse, SeededRandomness, TransportError};
use segur_xds::{AvailabilityStatus, Cx};
use segur_xmldsig::{Certificate, SoftwareSigner};

fn data(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../segur-soap/tests/data/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn simulator() -> Simulator {
    let ca = Certificate::from_pem(&data("ca.pem")).unwrap();
    let at = chrono_at();
    Simulator::new(VihfVerifier::with_trust_anchors(vec![ca], at), 99)
}

fn chrono_at() -> chrono::DateTime<chrono::Utc> {
    use segur_transport::Clock;
    common::clock().now()
}

type Client<'a> = DmpClient<Box<dyn Fn(HttpRequest) -> Result<HttpResponse, TransportError> + 'a>>;

fn client<'a>(sim: &'a Simulator, key: &str, cert: &str) -> Client<'a> {
    let signer = SoftwareSigner::from_pem(&data(key), &data(cert)).unwrap();
    DmpClient::new(
        Box::new(move |req: HttpRequest| Ok(sim.handle(&req))),
        Environment::new("https://dmp.test/si-dmp-server/v2/services"),
        common::vihf_template(),
        Box::new(signer),
        common::sender(),
        Box::new(common::clock()),
        Box::new(SeededRandomness::new(5)),
    )
}

fn patient_cx() -> String {
    common::patient().to_hl7v2()
}

/// Registers the patient `cx` and authorises the test professional on their record.
fn register(sim: &Simulator, cx: &str) {
    sim.add_patient(cx);
    sim.authorize("899900063480", cx);
}

#[test]
fn full_life_cycle() {
    let sim = simulator();
    let dmp = client(&sim, "sign.key.pem", "sign.pem");
    common::life_cycle(&dmp, &sim);
}

/// A caller reaches the documents of the VIHF's patient only: an update naming another
/// patient's entry is an unresolved reference, and that entry is left alone.
#[test]
fn updates_cannot_reach_another_patients_documents() {
    let sim = simulator();
    let dmp = client(&sim, "sign.key.pem", "sign.pem");
    let other_cx = Cx::ins("187016018200069", segur_xds::codes::oid::INS_NIR_TEST);
    for cx in [patient_cx(), other_cx.to_hl7v2()] {
        register(&sim, &cx);
    }
    let ins = common::ins();
    dmp.feed(&ins, &common::feed(1, common::CDA)).unwrap();
    let found = dmp
        .query(
            &ins,
            &Query::find_documents(&common::patient(), &[AvailabilityStatus::Approved]),
        )
        .unwrap();
    let target = found.objects.documents[0].entry_uuid.clone();
    let other = segur_ins::Ins::from_xds_cx(&other_cx.to_hl7v2()).unwrap();
    let mut set = common::submission_set(2);
    set.patient_id = other_cx;
    let delete = Update::status(
        set,
        target.clone(),
        AvailabilityStatus::Approved,
        AvailabilityStatus::Deleted,
        &SeededRandomness::new(2),
    );
    let err = dmp.update(&other, &delete).unwrap_err();
    assert!(
        err.registry_codes()
            .contains(&"UnresolvedReferenceException"),
        "{err}"
    );
    let after = dmp
        .query(
            &ins,
            &Query::find_documents(&common::patient(), &[AvailabilityStatus::Approved]),
        )
        .unwrap();
    assert!(
        after
            .objects
            .documents
            .iter()
            .any(|d| d.entry_uuid == target)
    );
}

/// An ITI-57 update is all or nothing: a status change is not kept when a new version in the
/// same submission is refused.
#[test]
fn a_refused_update_changes_nothing() {
    let sim = simulator();
    register(&sim, &patient_cx());
    let dmp = client(&sim, "sign.key.pem", "sign.pem");
    let ins = common::ins();
    dmp.feed(&ins, &common::feed(1, common::CDA)).unwrap();
    let approved = |dmp: &DmpClient<_>| {
        dmp.query(
            &ins,
            &Query::find_documents(&common::patient(), &[AvailabilityStatus::Approved]),
        )
        .unwrap()
        .objects
        .documents
    };
    let before = approved(&dmp);
    let signature = before.iter().find(|d| d.is_signature()).unwrap().clone();
    let mut stale = before.iter().find(|d| !d.is_signature()).unwrap().clone();
    stale.version = Some("9".into());
    let rng = SeededRandomness::new(3);
    // archive the signature entry, and add a new version of the CDA with a stale
    // PreviousVersion
    let mut update = Update::status(
        common::submission_set(3),
        signature.entry_uuid.clone(),
        AvailabilityStatus::Approved,
        AvailabilityStatus::Archived,
        &rng,
    );
    let version = Update::visibility(common::submission_set(4), &stale, true, false, &rng).unwrap();
    update
        .submission
        .documents
        .extend(version.submission.documents);
    update
        .submission
        .associations
        .extend(version.submission.associations);
    let err = dmp.update(&ins, &update).unwrap_err();
    assert!(
        err.registry_codes().contains(&"XDSMetadataVersionError"),
        "{err}"
    );
    let after = approved(&dmp);
    assert_eq!(
        after.iter().map(|d| &d.entry_uuid).collect::<Vec<_>>(),
        before.iter().map(|d| &d.entry_uuid).collect::<Vec<_>>()
    );
}

#[test]
fn vihf_failures_are_faults() {
    let sim = simulator();
    sim.add_patient(&patient_cx());
    let ins = common::ins();
    // signed by a certificate that does not chain to the anchors
    let rogue = client(&sim, "rogue.key.pem", "rogue.pem");
    assert_eq!(
        rogue.test_existence(&ins).unwrap_err().dmp_code(),
        Some("DMPInvalidCertificate")
    );
    // unsigned, tampered after signing, and the untampered one
    let env = Environment::new("https://dmp.test/si-dmp-server/v2/services");
    let good = client(&sim, "sign.key.pem", "sign.pem");
    let signed = good.signed_vihf(Some(&ins)).unwrap();
    let tampered = signed.replace("SA07", "SA01");
    assert_ne!(signed, tampered);
    for vihf in [common::unsigned_vihf(), tampered] {
        let req = common::set_authorization_request(&env, &vihf);
        let err = SetAuthorization::parse_response(&sim.handle(&req)).unwrap_err();
        assert_eq!(err.dmp_code(), Some("DMPInvalidCertificate"), "{err}");
    }
    let req = common::set_authorization_request(&env, &signed);
    SetAuthorization::parse_response(&sim.handle(&req)).unwrap();
}

#[test]
fn unknown_patient_and_bad_metadata() {
    let sim = simulator();
    let dmp = client(&sim, "sign.key.pem", "sign.pem");
    let ins = common::ins();
    let err = dmp
        .set_authorization(&ins, AuthorizationAction::Add)
        .unwrap_err();
    assert_eq!(err.dmp_code(), Some("DMPPatientNotFound"));
    let err = dmp.feed(&ins, &common::feed(1, common::CDA)).unwrap_err();
    assert_eq!(err.dmp_code(), Some("DMPPatientNotFound"));
    register(&sim, &patient_cx());
    // metadata for another patient than the VIHF's
    let mut other = common::feed(1, common::CDA);
    let stranger = Cx::ins("187016018200069", segur_xds::codes::oid::INS_NIR_TEST);
    other.submission.submission_set.patient_id = stranger.clone();
    for d in &mut other.submission.documents {
        d.patient_id = stranger.clone();
    }
    let err = dmp.feed(&ins, &other).unwrap_err();
    assert!(
        err.registry_codes().contains(&"XDSPatientIdDoesNotMatch"),
        "{err}"
    );
    // metadata the client-side validator refuses never leave the machine
    let mut bad = common::feed(1, common::CDA);
    bad.documents[0].1.push(b' ');
    assert!(matches!(
        dmp.feed(&ins, &bad).unwrap_err().kind(),
        DmpErrorKind::InvalidMetadata(_)
    ));
    assert_eq!(sim.document_count(), 0);
}

/// The simulator verifies the TD2.1 signature document against the submitted documents: a
/// placeholder, or a signature made for other bytes, is a `XDSRepositoryMetadataError`.
#[test]
fn a_feed_without_a_valid_signature_document_is_refused() {
    let sim = simulator();
    register(&sim, &patient_cx());
    let dmp = client(&sim, "sign.key.pem", "sign.pem");
    let ins = common::ins();
    // a placeholder signature document, with consistent metadata
    let placeholder: &[u8] = b"<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"/>";
    let rng = SeededRandomness::new(1);
    let mut submission = segur_xds::Submission::new(common::submission_set(1));
    submission.add_document(common::document(1, common::CDA), &rng);
    let mut entry = segur_xds::DocumentEntry::dmp_signature(
        segur_xds::EntryUuid::parse("Signature01").unwrap(),
        segur_xds::UniqueId::parse("1.2.250.1.999.1.1.7898.4.1").unwrap(),
        common::patient(),
        common::facility(),
        common::practice(),
        segur_xds::XdsTime::parse("20250115100000").unwrap(),
        vec![common::author()],
    );
    entry.set_content(placeholder);
    submission.add_dmp_signature(entry, &rng);
    let unsigned = Feed::new(
        submission,
        vec![
            (
                segur_xds::EntryUuid::parse("Doc01").unwrap(),
                common::CDA.to_vec(),
            ),
            (
                segur_xds::EntryUuid::parse("Signature01").unwrap(),
                placeholder.to_vec(),
            ),
        ],
    );
    let err = dmp.feed(&ins, &unsigned).unwrap_err();
    assert!(
        err.registry_codes().contains(&"XDSRepositoryMetadataError"),
        "{err}"
    );
    // a genuine signature document, but made for another CDA
    let other_cda: &[u8] =
        b"<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>Autre</title></ClinicalDocument>";
    let mut swapped = common::feed(1, common::CDA);
    let signed_other = common::feed(1, other_cda);
    let sig = |f: &Feed| {
        f.submission
            .documents
            .iter()
            .position(segur_xds::DocumentEntry::is_signature)
            .unwrap()
    };
    let (mine, theirs) = (sig(&swapped), sig(&signed_other));
    swapped.submission.documents[mine] = signed_other.submission.documents[theirs].clone();
    swapped.documents[1] = signed_other.documents[1].clone();
    let err = dmp.feed(&ins, &swapped).unwrap_err();
    assert!(
        err.registry_codes().contains(&"XDSRepositoryMetadataError"),
        "{err}"
    );
    assert_eq!(sim.document_count(), 0);
    // the genuine feed goes through: the CDA and its signature document are stored
    dmp.feed(&ins, &common::feed(1, common::CDA)).unwrap();
    assert_eq!(sim.document_count(), 2);
}

#[test]
fn a_vihf_for_another_structure_than_its_signer_is_refused() {
    let sim = simulator();
    sim.add_patient(&patient_cx());
    let signer = SoftwareSigner::from_pem(&data("sign.key.pem"), &data("sign.pem")).unwrap();
    // sign.pem is the certificate of structure 499900063480001 (OU)
    let dmp = DmpClient::new(
        Box::new(|req: HttpRequest| Ok(sim.handle(&req)))
            as Box<dyn Fn(HttpRequest) -> Result<HttpResponse, TransportError>>,
        Environment::new("https://dmp.test/si-dmp-server/v2/services"),
        common::vihf_template().structure("499900063480002", "SA07"),
        Box::new(signer),
        common::sender(),
        Box::new(common::clock()),
        Box::new(SeededRandomness::new(5)),
    );
    let err = dmp.test_existence(&common::ins()).unwrap_err();
    assert_eq!(err.dmp_code(), Some("DMPInvalidCertificate"), "{err}");
    assert!(err.to_string().contains("499900063480002"), "{err}");
}
