//! Build the DMP's VIHF for a doctor logged in with Pro Santé Connect (AIR mode), sign it with
//! the structure's key, wrap it in a SOAP 1.2 envelope with WS-Addressing, then read it back and
//! verify it as the DMP would.
//!
//! Uses the throw-away test PKI of `crates/segur-soap/tests/data/`; clock and randomness are
//! fixed, so the output is the same on every run.
//! Run: `cargo run --example dmp_vihf_envelope`.

use segur::ins::Ins;
use segur::soap::vihf::{Lps, PscProfessional, VihfBuilder, VihfVerifier};
use segur::soap::{Addressing, Envelope, EnvelopeBuilder, soap_request};
use segur::transport::{Clock, FixedClock, SeededRandomness};
use segur::xmldsig::{Certificate, SoftwareSigner};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/crates/segur-soap/tests/data/");
    let read = |f: &str| std::fs::read(format!("{data}{f}"));
    let clock = FixedClock::from_rfc3339("2026-11-22T09:00:00Z")?;
    let random = SeededRandomness::new(2026);

    // What the PSC crate extracts from a validated UserInfo (the chosen work situation).
    let doctor = PscProfessional::new(
        "899700218896",
        "DOCTEUR",
        "Paul",
        "10",
        "499900063480001",
        "SA07",
    )
    .with_specialty("SM54");
    let patient = Ins::from_vihf_resource_id("279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH")?;
    let vihf = VihfBuilder::from_psc(&doctor)
        .patient(patient)
        .lps(Lps::new("MON-LPS", "1.0.0", "NumAutorisation"))
        .build(&clock, &random)?;

    let signer = SoftwareSigner::from_pem(&read("sign.key.pem")?, &read("sign.pem")?)?;
    let assertion = vihf.sign(&signer)?;
    let url = "https://lps2.dmp.gouv.fr/si-dmp-server/v2/services/registry";
    let action = "urn:ihe:iti:2007:RegistryStoredQuery";
    let envelope = EnvelopeBuilder::new(
        "<query:AdhocQueryRequest xmlns:query=\"urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0\"/>",
    )
    .addressing(Addressing::request(action, url, &random))
    .security_assertion(&assertion)
    .build();
    let request = soap_request(url, action, &envelope)?;
    println!(
        "POST {} ({} bytes, {})",
        request.uri(),
        request.body().len(),
        request.headers()["content-type"].to_str()?
    );

    // The receiving side: read the envelope, verify the VIHF against the CA.
    let read_back = Envelope::parse(request.body())?;
    println!("Action       {:?}", read_back.addressing.action);
    println!("MessageID    {:?}", read_back.addressing.message_id);
    let anchors = Certificate::all_from_pem(&read("ca.pem")?)?;
    let verified = VihfVerifier::with_trust_anchors(anchors, clock.now()).verify(request.body())?;
    let v = &verified.vihf.vihf;
    println!("VIHF         {} signed by {}", v.id, verified.vihf.issuer);
    println!("mode         {}", v.mode.as_str());
    println!("user         {} ({})", v.subject_id, v.name_id);
    let roles: Vec<&str> = v.roles.iter().map(|r| r.code.as_str()).collect();
    println!("roles        {}", roles.join(", "));
    Ok(())
}
