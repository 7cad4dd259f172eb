//! The INS in a few calls: read a matricule, carry it in each wire form, check an INSi answer
//! against the local identity, follow the identity status, read a Datamatrix.
//!
//! Run with `cargo run --example ins`. Every value is a public test identity.

use segur::ins::rniv::{CompareOptions, compare};
use segur::ins::status::{Event, IdentityDocument, InsiMode};
use segur::ins::{
    BirthDate, CalendarDate, Cog, Environment, IdentityStatus, IdentityTraits, Ins, InsOid,
    Matricule, Sex, datamatrix,
};

fn main() -> Result<(), segur::ins::InsError> {
    // 1. A matricule typed by a user: spaces, dots and a lower-case 2a are fine.
    let matricule = Matricule::parse("2 97 02 2a 020 778 78")?;
    println!("parsed          {matricule}   (Display masks the INS)");
    println!("explicitly      {}", matricule.grouped());
    println!("birth place     {}", matricule.decompose().place);

    // A typo never gets through, and the error says why without echoing the number.
    match Matricule::parse("297022A02077887") {
        Ok(_) => unreachable!("the key is wrong"),
        Err(e) => println!("typo            {e}"),
    }

    // 2. The INS = matricule + assigning authority, in every wire form.
    let ins = Ins::new(matricule, InsOid::InsNir)?;
    Environment::Production.check(ins.oid())?;
    println!(
        "CDA             <id root=\"{}\" extension=\"{}\"/>",
        ins.cda_root(),
        ins.cda_extension()
    );
    println!("XDS patientId   {}", ins.to_xds_cx());
    println!("HL7 v2 PID-3    {}", ins.to_hl7v2_pam_cx());
    println!(
        "FHIR            {} | {}",
        ins.fhir_system(),
        ins.fhir_value()
    );
    println!("MSSanté         {}", ins.mssante_address());
    assert_eq!(Ins::from_xds_cx(&ins.to_xds_cx())?, ins);

    // 3. The local identity (typed at the front desk) against the INSi answer.
    let born = BirthDate::from_insi("1997-02-26")?;
    let place = Some(Cog::parse("2A020")?);
    let local =
        IdentityTraits::from_local_input("Adrtrois", "Dominique", born, Sex::Female, place)?;
    let insi = IdentityTraits::new("ADRTROIS", "DOMINIQUE", born, Sex::Female, place)?;
    let comparison = compare(&local, &insi, &CompareOptions::default());
    println!("INSi coherent   {}", comparison.is_coherent());

    // 4. Status: INSi answer + identity document = qualifiée, the only status that shares the INS.
    let today = CalendarDate::new(2026, 11, 22)?;
    let mut status = IdentityStatus::new();
    status.apply(Event::InsiAnswer {
        mode: InsiMode::Traits,
        date: today,
        comparison,
    })?;
    println!(
        "after INSi      {} (may share INS: {})",
        status.status(),
        status.may_share_ins()
    );
    let document = IdentityDocument::CarteNationaleIdentite;
    status.apply(Event::DocumentChecked {
        document,
        date: today,
    })?;
    println!(
        "after ID check  {} (may share INS: {})",
        status.status(),
        status.may_share_ins()
    );

    // 5. The INS Datamatrix: written for a qualified identity, read back tolerantly.
    let payload = datamatrix::encode(&ins, &insi, &status)?;
    let scanned = datamatrix::decode(&payload.replace('\u{1d}', "<GS>"))?;
    assert_eq!(scanned.ins()?, ins);
    println!(
        "Datamatrix      {} characters, read back: {:?}",
        payload.len(),
        scanned.traits()?
    );
    Ok(())
}
