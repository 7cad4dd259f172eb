//! An MSSanté message carrying a CDA document, twice: to a professional (read and delivery
//! receipts) and to the patient's Mon espace santé mailbox (no reply allowed). The archive,
//! subject and `X-MSS-*` headers all come from the document; nothing is sent over the network
//! (see `segur::mssante::smtp::send` behind the `segur-mssante/transport` feature).
//!
//! Run with `cargo run --example mss_send`. The document is the public CI-SIS vaccination note
//! example, whose patient has a test INS.

use segur::ins::rniv::{CompareOptions, compare};
use segur::ins::status::{Event, IdentityDocument, InsiMode};
use segur::ins::{BirthDate, CalendarDate, IdentityStatus, IdentityTraits, Ins, Sex};
use segur::mssante::{
    Mailbox, MessageBuilder, ReadOptions, SubmissionOptions, WriteOptions, XdmWriter,
    pdf_file_name, read_message, submission_for_cda,
};
use segur::transport::{SystemClock, SystemRandomness};
use segur::xds::cda::{CdaOverrides, class_code_for_type};
use segur::xds::{Code, Oid};

const CDA: &[u8] = include_bytes!("../crates/segur-mssante/tests/data/VAC-NOTE_2023.01.xml");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let clock = SystemClock::default();
    let random = SystemRandomness::new();

    // 1. The IHE_XDM.ZIP archive: metadata derived from the CDA header.
    let mut options = SubmissionOptions::new(Oid::parse("1.2.250.1.999.1.1")?);
    options.overrides = CdaOverrides::new()
        .with_class_code(class_code_for_type("11488-4").ok_or("class code")?)
        .with_format_code(Code::new(
            "urn:asip:ci-sis:vac-note:2023",
            "1.2.250.1.213.1.1.4.2.282",
            "Note de vaccination",
        ));
    options
        .intended_recipients
        .push(Mailbox::new("cabinet.durand@medecin.mssante.fr")?);
    let submission = submission_for_cda(&[CDA], &options, &clock, &random)?;
    let mut writer = XdmWriter::new(WriteOptions::default());
    writer.add_submission(submission, vec![CDA.to_vec()])?;
    let archive = writer.write()?;
    println!("IHE_XDM.ZIP     {} bytes", archive.len());

    // 2. To a professional, with the PDF rendering and both receipts.
    let sender = Mailbox::with_name("paul.martin@ch-a.mssante.fr", "Dr Paul MARTIN - CH A")?;
    let act = chrono::NaiveDate::from_ymd_opt(2023, 6, 1).ok_or("date")?;
    let pro = MessageBuilder::new(sender.clone(), "DEV935997")
        .to(Mailbox::new("cabinet.durand@medecin.mssante.fr")?)
        .body("Bonjour,\nveuillez trouver ci-joint la note de vaccination.\nCordialement")
        .xdm(archive.clone())
        .pdf(
            &pdf_file_name(act, "Note de vaccination", "PAT-TROIS", "Dominique", None),
            b"%PDF-1.4 (the PDF/A rendering of the document goes here)".to_vec(),
        )
        .read_receipt(true)
        .delivery_receipt(true)
        .build(&clock, &random)?;

    // 3. To the patient: the address only from a qualified identity.
    let ins = Ins::from_cda_id("1.2.250.1.213.1.4.10", "279035121518989")?;
    let patient = Mailbox::patient(&ins, &qualified_identity()?)?;
    let to_patient = MessageBuilder::new(sender, "DEV935997")
        .to(patient)
        .body("Bonjour, votre note de vaccination est disponible.")
        .xdm(archive)
        .no_reply(true)
        .build(&clock, &random)?;

    for (who, built) in [("professional", &pro), ("patient", &to_patient)] {
        let back = read_message(&built.bytes, &ReadOptions::strict())?;
        println!(
            "\nto the {who}: {} bytes, envelope {:?}",
            built.bytes.len(),
            built.envelope
        );
        println!("  Subject       {}", back.subject.as_deref().unwrap_or(""));
        println!("  X-MSS-CODECDA {}", back.mss.codes.join(","));
        println!("  X-MSS-INS     {:?}", back.mss.qualified_ins);
        println!("  X-MSS-NIL     {}", back.mss.nil.as_deref().unwrap_or(""));
        println!("  no reply      {}", back.mss.no_reply);
        println!(
            "  attachments   IHE_XDM.ZIP + {:?}",
            back.attachments.iter().map(|a| &a.name).collect::<Vec<_>>()
        );
    }
    Ok(())
}

/// A qualified identity: INSi answer, then an identity document checked.
fn qualified_identity() -> Result<IdentityStatus, segur::ins::InsError> {
    let traits = IdentityTraits::new(
        "PAT-TROIS",
        "DOMINIQUE",
        BirthDate::from_insi("1979-03-28")?,
        Sex::Female,
        None,
    )?;
    let today = CalendarDate::new(2026, 11, 22)?;
    let mut status = IdentityStatus::new();
    status.apply(Event::InsiAnswer {
        mode: InsiMode::Traits,
        date: today,
        comparison: compare(&traits, &traits, &CompareOptions::default()),
    })?;
    status.apply(Event::DocumentChecked {
        document: IdentityDocument::Passeport,
        date: today,
    })?;
    Ok(status)
}
