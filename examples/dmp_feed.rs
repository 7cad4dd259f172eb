//! A DMP round trip against the in-memory simulator of `segur-dmp`: a CI-SIS discharge letter
//! (N1: a PDF in a CDA header) is built with the `segur-cda` builder for a patient with a test
//! INS, fed (TD2.1) with the DMP's signature document (detached XAdES over the submission's
//! manifest, made by `Feed::signed` and verified before sending), found (TD3.1), retrieved
//! (TD3.2) and compared byte for byte, masked (TD3.3a) and deleted (TD3.3c). Every request
//! carries a VIHF signed with the throw-away test key of `crates/segur-soap/tests/data/` (the
//! same key signs the XAdES document here; a real LPS uses the CPS signature key or the
//! structure's signing certificate).
//!
//! Run with `cargo run --example dmp_feed`.

use segur::cda::build::{PatientInfo, samples};
use segur::cda::write::Style;
use segur::dmp::simulator::Simulator;
use segur::dmp::{
    AuthorizationAction, DmpClient, Environment, Feed, Query, Retrieve, SenderDevice,
    SignatureDocument, Update,
};
use segur::ins::{BirthDate, CalendarDate, Cog, IdentityTraits, Ins, Sex};
use segur::soap::vihf::{AuthenticationMode, CodedValue, Lps, VihfBuilder, VihfVerifier};
use segur::transport::{
    Clock, FixedClock, HttpRequest, HttpResponse, SeededRandomness, TransportError,
};
use segur::xds::cda::CdaOverrides;
use segur::xds::{
    AvailabilityStatus, Code, Cx, DocumentEntry, EntryUuid, Oid, Submission, SubmissionSet,
    UniqueId, XdsTime,
};
use segur::xmldsig::{Certificate, SoftwareSigner, TrustPolicy};

const CA: &[u8] = include_bytes!("../crates/segur-soap/tests/data/ca.pem");
const KEY: &[u8] = include_bytes!("../crates/segur-soap/tests/data/sign.key.pem");
const CERT: &[u8] = include_bytes!("../crates/segur-soap/tests/data/sign.pem");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The test certificates are valid from 2026-11-22: a fixed clock keeps the example stable.
    let clock = FixedClock::from_rfc3339("2026-11-22T09:00:00Z")?;
    let random = SeededRandomness::new(2026);
    let ins = Ins::from_cda_id("1.2.250.1.213.1.4.10", "279035121518989")?;
    let patient = Cx::from_ins(&ins);

    // The CDA: the builder's N1 discharge letter sample (fictitious hospital and doctor) for
    // this patient, with the strict traits an INSi query would return.
    let traits = IdentityTraits::new(
        "PAT-TROIS",
        "DOMINIQUE MARIE-LOUISE",
        BirthDate::Full(CalendarDate::new(1979, 3, 28)?),
        Sex::from_code("F")?,
        Some(Cog::parse("51215")?),
    )?;
    let mut builder = samples::n1_letter();
    builder.patient = Some(PatientInfo::from_ins(&ins, &traits));
    let document = builder.build()?;
    let report = document.validate();
    if !report.is_valid() {
        return Err(format!("CDA not valid: {:?}", report.findings).into());
    }
    let cda = document.to_xml(Style::Pretty).into_bytes();
    println!("CDA built: N1 discharge letter, {} bytes", cda.len());

    // The simulated DMP: trusts the test CA, knows the patient.
    let sim = Simulator::new(
        VihfVerifier::with_trust_anchors(vec![Certificate::from_pem(CA)?], clock.now()),
        1,
    );
    sim.add_patient(&patient.to_hl7v2());

    let vihf = VihfBuilder::new(AuthenticationMode::Indirecte)
        .name_id("899900063480")
        .subject_id("LIBRE Max")
        .structure("499900063480001", "SA07")
        .role(CodedValue::profession("10"))
        .role(CodedValue::specialty("SM26"))
        .lps(Lps::new("segur-example", "0.1.0", "NumAutorisation"));
    let transport =
        |req: HttpRequest| -> Result<HttpResponse, TransportError> { Ok(sim.handle(&req)) };
    let dmp = DmpClient::new(
        transport,
        Environment::new("https://dmp.simulator/si-dmp-server/v2/services"),
        vihf,
        Box::new(SoftwareSigner::from_pem(KEY, CERT)?),
        SenderDevice {
            oid: "1.2.250.1.999.1.1".into(),
            name: "segur-example".into(),
        },
        Box::new(FixedClock::new(clock.now())),
        Box::new(SeededRandomness::new(7)),
    );

    let status = dmp.test_existence(&ins)?;
    println!(
        "TD0.2 existence: DMP exists = {}, authorised = {}",
        status.exists,
        status.is_authorized()
    );
    dmp.set_authorization(&ins, AuthorizationAction::Add)?;
    println!("TD0.3 authorisation added");

    // Metadata from the CDA header (the class code of a discharge letter is given: the
    // built-in ASS_X04 excerpt does not map its type 11490-0).
    let doc_id = EntryUuid::parse("Document01")?;
    let overrides = CdaOverrides::new().with_class_code(Code::new(
        "10",
        "1.2.250.1.213.1.1.4.1",
        "Compte rendu",
    ));
    let entry = DocumentEntry::from_cda_bytes(&cda, doc_id.clone(), &overrides)?;
    let set = SubmissionSet {
        entry_uuid: EntryUuid::parse("SubmissionSet01")?,
        unique_id: Oid::parse("1.2.250.1.999.1.1.1.1")?,
        source_id: Oid::parse("1.2.250.1.999.1.1")?,
        patient_id: patient.clone(),
        submission_time: XdsTime::now(&clock),
        content_type_code: Some(Code::new("07", "1.2.250.1.213.2.2", "Consultations")),
        authors: entry.authors.clone(),
        title: None,
        comments: None,
        intended_recipients: Vec::new(),
        availability_status: None,
    };
    let unique_id = entry.unique_id.clone();
    let mut submission = Submission::new(set.clone());
    submission.add_document(entry, &random);
    // The DMP's signature entry and its XAdES document, signed now.
    let xades_signer = SoftwareSigner::from_pem(KEY, CERT)?;
    let feed = Feed::signed(
        submission,
        vec![(doc_id, cda.clone())],
        SignatureDocument {
            entry_uuid: EntryUuid::parse("Signature01")?,
            unique_id: UniqueId::parse("1.2.250.1.999.1.1.3.1")?,
        },
        &xades_signer,
        &clock,
        &random,
    )?;
    let verified = feed.verify_signature(TrustPolicy::Anchors {
        anchors: vec![Certificate::from_pem(CA)?],
        at: clock.now(),
    })?;
    println!(
        "XAdES signature document: Id {}, signed by {}, manifest of {} references",
        verified.signature_id,
        verified.certificate.subject_dn(),
        verified.manifest.len()
    );
    dmp.feed(&ins, &feed)?;
    println!(
        "TD2.1 feed: {} bytes of CDA + signature document accepted",
        cda.len()
    );

    let found = dmp.query(
        &ins,
        &Query::find_documents(&patient, &[AvailabilityStatus::Approved]),
    )?;
    let registered = found
        .objects
        .documents
        .iter()
        .find(|d| d.unique_id == unique_id)
        .ok_or("fed document not found")?
        .clone();
    println!(
        "TD3.1 FindDocuments: {} entries, the letter is {} (uniqueId {})",
        found.objects.documents.len(),
        registered.entry_uuid.as_str(),
        registered.unique_id.as_str()
    );

    let retrieved = dmp.retrieve(&ins, &Retrieve::new(unique_id.clone()))?;
    let same = retrieved.first().is_some_and(|d| d.content == cda);
    println!(
        "TD3.2 retrieve: {} bytes, identical to what was sent: {same}",
        retrieved.first().map_or(0, |d| d.content.len())
    );
    if !same {
        return Err("retrieved bytes differ".into());
    }

    let mut update_set = set.clone();
    update_set.unique_id = Oid::parse("1.2.250.1.999.1.1.1.2")?;
    dmp.update(
        &ins,
        &Update::visibility(update_set, &registered, true, false, &random)?,
    )?;
    let masked = dmp.query(
        &ins,
        &Query::find_documents(&patient, &[AvailabilityStatus::Approved]),
    )?;
    let current = masked
        .objects
        .documents
        .iter()
        .find(|d| {
            d.unique_id == unique_id
                && d.confidentiality_codes
                    .iter()
                    .any(|c| c.code == "MASQUE_PS")
        })
        .ok_or("masked version not found")?
        .clone();
    println!(
        "TD3.3a masked: version {} carries MASQUE_PS",
        current.version.as_deref().unwrap_or("?")
    );

    let mut delete_set = set;
    delete_set.unique_id = Oid::parse("1.2.250.1.999.1.1.1.3")?;
    dmp.update(
        &ins,
        &Update::status(
            delete_set,
            current.entry_uuid.clone(),
            AvailabilityStatus::Approved,
            AvailabilityStatus::Deleted,
            &random,
        ),
    )?;
    match dmp.retrieve(&ins, &Retrieve::new(unique_id)) {
        Err(e) => println!(
            "TD3.3c deleted: retrieving it now fails with {:?}",
            e.registry_codes()
        ),
        Ok(_) => return Err("deleted document still retrievable".into()),
    }
    Ok(())
}
