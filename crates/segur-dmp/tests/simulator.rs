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
    std::fs::read(format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
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

#[test]
fn full_life_cycle() {
    let sim = simulator();
    let dmp = client(&sim, "sign.key.pem", "sign.pem");
    let ins = common::ins();

    // TD0.2 before the DMP exists, then without and with authorisation.
    assert!(!dmp.test_existence(&ins).unwrap().exists);
    sim.add_patient(&patient_cx());
    let status = dmp.test_existence(&ins).unwrap();
    assert!(status.exists && !status.is_authorized());
    let err = dmp
        .query(
            &ins,
            &Query::find_documents(&common::patient(), &[AvailabilityStatus::Approved]),
        )
        .unwrap_err();
    assert_eq!(err.dmp_code(), Some("DMPAccessDeniedByRightsService"));
    // TD0.3
    let st = dmp
        .set_authorization(&ins, AuthorizationAction::Add)
        .unwrap();
    assert_eq!(st.context.as_deref(), Some("Autorisation ajoutée"));
    assert!(dmp.test_existence(&ins).unwrap().is_authorized());
    // TD0.4
    let list = dmp
        .patient_list(&PatientList {
            start_date: "20250101000000".into(),
            date_type: PatientListDate::LastAuthorization,
        })
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0].identifier("1.2.250.1.213.1.4.10"),
        Some(common::INS)
    );

    // TD2.1
    dmp.feed(&ins, &common::feed(1, common::CDA)).unwrap();
    assert_eq!(sim.document_count(), 2);
    // the same uniqueIds again: refused by the registry
    let err = dmp.feed(&ins, &common::feed(1, common::CDA)).unwrap_err();
    assert!(
        err.registry_codes()
            .contains(&"XDSDuplicateUniqueIdInRegistry"),
        "{err}"
    );

    // TD3.1
    let found = dmp
        .query(
            &ins,
            &Query::find_documents(&common::patient(), &[AvailabilityStatus::Approved]),
        )
        .unwrap();
    let doc = found
        .objects
        .documents
        .iter()
        .find(|d| !d.is_signature())
        .unwrap()
        .clone();
    assert!(doc.entry_uuid.is_uuid());
    // TD3.2: the exact bytes back
    let got = dmp
        .retrieve(&ins, &Retrieve::new(doc.unique_id.clone()))
        .unwrap();
    assert_eq!(got[0].content, common::CDA);
    // replacement (RPLC)
    let rng = SeededRandomness::new(3);
    let mut v2 = common::feed(
        2,
        b"<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>CR v2</title></ClinicalDocument>",
    );
    let new_doc = v2.submission.documents.remove(0);
    v2.submission
        .associations
        .retain(|a| a.target != new_doc.entry_uuid);
    v2.submission
        .add_replacement(new_doc, doc.entry_uuid.clone(), &rng);
    dmp.feed(&ins, &v2).unwrap();
    let approved = dmp
        .query(
            &ins,
            &Query::find_documents(&common::patient(), &[AvailabilityStatus::Approved]),
        )
        .unwrap();
    assert!(
        approved
            .objects
            .documents
            .iter()
            .all(|d| d.entry_uuid != doc.entry_uuid),
        "replaced entry deprecated"
    );
    let current = approved
        .objects
        .documents
        .iter()
        .find(|d| !d.is_signature() && d.unique_id.as_str().ends_with(".3.2"))
        .unwrap()
        .clone();

    // TD3.3a mask, then a stale PreviousVersion is refused
    let mask = Update::visibility(common::submission_set(10), &current, true, false, &rng).unwrap();
    dmp.update(&ins, &mask).unwrap();
    let stale =
        Update::visibility(common::submission_set(11), &current, false, false, &rng).unwrap();
    let err = dmp.update(&ins, &stale).unwrap_err();
    assert_eq!(err.registry_codes(), ["XDSMetadataVersionError"]);
    let masked = dmp
        .query(
            &ins,
            &Query::find_documents(&common::patient(), &[AvailabilityStatus::Approved]),
        )
        .unwrap();
    let masked = masked
        .objects
        .documents
        .iter()
        .find(|d| {
            d.logical_id.as_ref() == Some(&current.entry_uuid) || d.logical_id == current.logical_id
        })
        .unwrap()
        .clone();
    assert!(
        masked
            .confidentiality_codes
            .iter()
            .any(|c| c.code == "MASQUE_PS")
    );
    // TD3.3b visible to the patient (and unmasked)
    let visible =
        Update::visibility(common::submission_set(12), &masked, false, false, &rng).unwrap();
    dmp.update(&ins, &visible).unwrap();
    let latest = dmp
        .query(
            &ins,
            &Query::find_documents(&common::patient(), &[AvailabilityStatus::Approved]),
        )
        .unwrap();
    let latest = latest
        .objects
        .documents
        .iter()
        .find(|d| d.logical_id == masked.logical_id)
        .unwrap()
        .clone();
    assert_eq!(latest.version.as_deref(), Some("3"));
    // TD3.3d archive / unarchive, French status in the query
    let archive = Update::status(
        common::submission_set(13),
        latest.entry_uuid.clone(),
        AvailabilityStatus::Approved,
        AvailabilityStatus::Archived,
        &rng,
    );
    dmp.update(&ins, &archive).unwrap();
    let archived = dmp
        .query(
            &ins,
            &Query::find_documents(&common::patient(), &[AvailabilityStatus::Archived]),
        )
        .unwrap();
    assert_eq!(archived.objects.documents.len(), 1);
    let unarchive = Update::status(
        common::submission_set(14),
        latest.entry_uuid.clone(),
        AvailabilityStatus::Archived,
        AvailabilityStatus::Approved,
        &rng,
    );
    dmp.update(&ins, &unarchive).unwrap();
    // TD3.3c delete: then not found
    let delete = Update::status(
        common::submission_set(15),
        latest.entry_uuid.clone(),
        AvailabilityStatus::Approved,
        AvailabilityStatus::Deleted,
        &rng,
    );
    dmp.update(&ins, &delete).unwrap();
    let err = dmp
        .retrieve(&ins, &Retrieve::new(latest.unique_id.clone()))
        .unwrap_err();
    assert_eq!(err.registry_codes(), ["XDSDocumentUniqueIdError"]);
    // a wrong OriginalStatus
    let again = Update::status(
        common::submission_set(16),
        latest.entry_uuid.clone(),
        AvailabilityStatus::Approved,
        AvailabilityStatus::Deleted,
        &rng,
    );
    assert_eq!(
        dmp.update(&ins, &again).unwrap_err().registry_codes(),
        ["XDSMetadataUpdateError"]
    );
    // TD0.3 removal
    dmp.set_authorization(&ins, AuthorizationAction::Remove)
        .unwrap();
    assert!(!dmp.test_existence(&ins).unwrap().is_authorized());
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
    // unsigned
    let unsigned = common::with_context(|ctx| {
        SetAuthorization {
            action: AuthorizationAction::Add,
        }
        .to_http(ctx)
        .unwrap()
    });
    let err = SetAuthorization::parse_response(&sim.handle(&unsigned)).unwrap_err();
    assert_eq!(err.dmp_code(), Some("DMPInvalidCertificate"));
    // tampered after signing
    let good = client(&sim, "sign.key.pem", "sign.pem");
    let signed = good.signed_vihf(Some(&ins)).unwrap();
    let tampered = signed.replace("SA07", "SA01");
    assert_ne!(signed, tampered);
    let env = Environment::new("https://dmp.test/si-dmp-server/v2/services");
    let (clock, random) = (common::clock(), SeededRandomness::new(1));
    let ctx = RequestContext {
        environment: &env,
        vihf: &tampered,
        clock: &clock,
        random: &random,
    };
    let req = SetAuthorization {
        action: AuthorizationAction::Add,
    }
    .to_http(&ctx)
    .unwrap();
    assert_eq!(
        SetAuthorization::parse_response(&sim.handle(&req))
            .unwrap_err()
            .dmp_code(),
        Some("DMPInvalidCertificate")
    );
    // the untampered one passes
    let ctx = RequestContext {
        environment: &env,
        vihf: &signed,
        clock: &clock,
        random: &random,
    };
    let req = SetAuthorization {
        action: AuthorizationAction::Add,
    }
    .to_http(&ctx)
    .unwrap();
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
    sim.add_patient(&patient_cx());
    sim.authorize("899900063480", &patient_cx());
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
