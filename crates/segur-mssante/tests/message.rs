//! MSSanté messages: building (subject, X-MSS headers from the archive, receipts, one patient,
//! size limits), snapshots, reading back, MDN round trips.

mod common;

use common::*;
use segur_mssante::{
    DispositionType, DocumentSubject, ErrorKind, IntegrationError, Mailbox, MdnBuilder,
    MessageBuilder, ReadOptions, Receipt, WriteOptions, XdmWriter, pdf_file_name, read_message,
};
use segur_transport::SeededRandomness;

const PDF: &[u8] = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

fn archive(seed: u64) -> Vec<u8> {
    let rng = SeededRandomness::new(seed);
    let mut w = XdmWriter::new(WriteOptions::default());
    w.add_submission(
        submission(&rng, &["Note de vaccination"]),
        vec![VAC_NOTE.to_vec()],
    )
    .unwrap();
    w.write().unwrap()
}

fn professional_message() -> MessageBuilder {
    let from = Mailbox::with_name("paul.martin@ch-a.mssante.fr", "Dr Paul MARTIN CH A").unwrap();
    let act = chrono::NaiveDate::from_ymd_opt(2025, 1, 15).unwrap();
    MessageBuilder::new(from, "DEV935997")
        .to(Mailbox::new("serviceY@ch-b.mssante.fr").unwrap())
        .reply_to(Mailbox::new("secretariat@ch-a.mssante.fr").unwrap())
        .body("Bonjour,\nveuillez trouver ci-joint la note de vaccination.\nCordialement")
        .xdm(archive(1))
        .pdf(
            &pdf_file_name(act, "Note de vaccination", "Pat-Trois", "Dominique", None),
            PDF.to_vec(),
        )
        .read_receipt(true)
        .delivery_receipt(true)
}

#[test]
fn message_to_a_professional_snapshot() {
    let built = professional_message()
        .build(&clock(), &SeededRandomness::new(7))
        .unwrap();
    let again = professional_message()
        .build(&clock(), &SeededRandomness::new(7))
        .unwrap();
    assert_eq!(built.bytes, again.bytes, "the output is reproducible");
    assert!(built.envelope.delivery_receipt);
    assert_eq!(built.envelope.to, ["servicey@ch-b.mssante.fr"]);
    let text = String::from_utf8(built.bytes.clone()).unwrap();
    insta::assert_snapshot!("message_to_professional", text);
}

#[test]
fn headers_are_computed_from_the_archive_and_read_back() {
    let built = professional_message()
        .build(&clock(), &SeededRandomness::new(7))
        .unwrap();
    let m = read_message(&built.bytes, &ReadOptions::strict()).unwrap();
    assert_eq!(
        m.subject.as_deref(),
        Some("XDM/1.0/DDM+NOTE DE VACCINATION PAT-TROIS DOMINIQUE 28/03/1979")
    );
    assert_eq!(
        m.display_subject(),
        Some("NOTE DE VACCINATION PAT-TROIS DOMINIQUE 28/03/1979")
    );
    assert_eq!(m.mss.codes, ["87273-9"]);
    assert_eq!(m.mss.qualified_ins, Some(true));
    assert_eq!(m.mss.nil.as_deref(), Some("DEV935997"));
    assert!(!m.mss.no_reply);
    assert_eq!(
        m.disposition_notification_to.as_deref(),
        Some("paul.martin@ch-a.mssante.fr")
    );
    assert_eq!(m.reply_to.as_deref(), Some("secretariat@ch-a.mssante.fr"));
    assert_eq!(m.message_id.as_deref(), Some(built.message_id.as_str()));
    assert_eq!(m.archives.len(), 1);
    let archive = m.archives[0].archive.as_ref().unwrap();
    assert_eq!(archive.documents().next().unwrap().data, VAC_NOTE);
    let facts = m.archives[0].documents[0].facts.as_ref().unwrap();
    assert_eq!(facts.code.as_deref(), Some("87273-9"));
    assert_eq!(m.attachments.len(), 1);
    assert_eq!(
        m.attachments[0].name,
        "20250115_Note_de_vaccination_PAT-TROIS_Dominique.pdf"
    );
    assert_eq!(m.attachments[0].data, PDF);
    assert!(m.receipt.is_none());
}

#[test]
fn message_to_a_patient_needs_the_patient_of_the_documents() {
    let from = Mailbox::new("paul.martin@ch-a.mssante.fr").unwrap();
    let ins = segur_ins::Ins::from_cda_id(INS_TEST_OID, INS).unwrap();
    let status = qualified_status();
    let patient = Mailbox::patient(&ins, &status).unwrap();
    assert_eq!(patient.address(), "279035121518989@patient.mssante.fr");
    assert!(patient.is_patient());
    assert_eq!(patient.patient_ins().unwrap().matricule(), ins.matricule());
    let built = MessageBuilder::new(from.clone(), "DEV935997")
        .to(patient.clone())
        .body("Bonjour")
        .xdm(archive(1))
        .no_reply(true)
        .build(&clock(), &SeededRandomness::new(1))
        .unwrap();
    let m = read_message(&built.bytes, &ReadOptions::strict()).unwrap();
    assert!(m.mss.no_reply);
    // another patient: refused
    let other = segur_ins::Ins::from_cda_id(INS_TEST_OID, "180023134503767").unwrap();
    let e = MessageBuilder::new(from.clone(), "DEV935997")
        .to(Mailbox::patient(&other, &status).unwrap())
        .xdm(archive(1))
        .build(&clock(), &SeededRandomness::new(1))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MixedPatients, "{e}");
    // two patients: refused
    let e = MessageBuilder::new(from, "DEV935997")
        .to(patient)
        .cc(Mailbox::patient(&other, &status).unwrap())
        .subject("x")
        .build(&clock(), &SeededRandomness::new(1))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MixedPatients);
}

#[test]
fn mixed_patient_archives_are_refused() {
    let rng = SeededRandomness::new(3);
    let other = String::from_utf8(VAC_NOTE.to_vec())
        .unwrap()
        .replace("279035121518989", "180023134503767");
    let mut w = XdmWriter::new(WriteOptions::default());
    w.add_submission(
        submission(&rng, &["A", "B"]),
        vec![VAC_NOTE.to_vec(), other.into_bytes()],
    )
    .unwrap();
    let e = professional_message()
        .xdm(w.write().unwrap())
        .build(&clock(), &SeededRandomness::new(1))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MixedPatients, "{e}");
}

#[test]
fn limits_and_mandatory_fields() {
    let e = professional_message()
        .max_size(10_000)
        .build(&clock(), &SeededRandomness::new(1))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MessageTooLarge);
    let from = Mailbox::new("a@b.mssante.fr").unwrap();
    let to = Mailbox::new("c@d.mssante.fr").unwrap();
    let e = MessageBuilder::new(from.clone(), " ")
        .to(to.clone())
        .subject("x")
        .build(&clock(), &SeededRandomness::new(1))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    let e = MessageBuilder::new(from.clone(), "NIL")
        .to(to.clone())
        .subject("a\r\nBcc: x@y.fr")
        .build(&clock(), &SeededRandomness::new(1))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    let e = MessageBuilder::new(from, "NIL")
        .subject("x")
        .build(&clock(), &SeededRandomness::new(1))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
}

#[test]
fn explicit_subject_and_reply_threading() {
    let built = professional_message()
        .document_subject(DocumentSubject {
            label: "CR d'imagerie médicale".into(),
            family: "Martin".into(),
            given: "Paul".into(),
            birth_date: None,
        })
        .in_reply_to("<orig@ch-b.mssante.fr>", &["<first@ch-b.mssante.fr>"])
        .build(&clock(), &SeededRandomness::new(2))
        .unwrap();
    let text = String::from_utf8_lossy(&built.bytes);
    assert!(
        text.contains("In-Reply-To: <orig@ch-b.mssante.fr>"),
        "{text}"
    );
    assert!(text.contains("<first@ch-b.mssante.fr>"));
    let m = read_message(&built.bytes, &ReadOptions::strict()).unwrap();
    assert_eq!(
        m.subject.as_deref(),
        Some("XDM/1.0/DDM+CR d'imagerie médicale MARTIN Paul")
    );
}

#[test]
fn mdn_round_trip_with_integration_error() {
    let original = professional_message()
        .build(&clock(), &SeededRandomness::new(7))
        .unwrap();
    let received = read_message(&original.bytes, &ReadOptions::strict()).unwrap();
    let mdn = MdnBuilder::new(
        Mailbox::new("servicey@ch-b.mssante.fr").unwrap(),
        Mailbox::new(received.disposition_notification_to.as_deref().unwrap()).unwrap(),
        received.message_id.as_deref().unwrap(),
        received.subject.as_deref().unwrap(),
    )
    .disposition(DispositionType::Processed, true)
    .error(IntegrationError::UnknownPatient, None)
    .original_recipient("servicey@ch-b.mssante.fr")
    .include_original(original.bytes.clone())
    .build(&clock(), &SeededRandomness::new(9))
    .unwrap();
    assert_eq!(mdn.envelope.from, "", "MDNs use a null reverse path");
    insta::assert_snapshot!(
        "mdn_fields",
        String::from_utf8_lossy(&mdn.bytes)
            .split("message/disposition-notification")
            .nth(1)
            .unwrap()
            .split("--=_segur")
            .next()
            .unwrap()
    );
    let back = read_message(&mdn.bytes, &ReadOptions::strict()).unwrap();
    assert!(
        back.subject
            .as_deref()
            .unwrap()
            .starts_with("[KO Intégration système !][902] XDM/1.0/DDM+")
    );
    let Some(Receipt::Mdn(parsed)) = back.receipt else {
        panic!("not an MDN: {:?}", back.receipt)
    };
    assert_eq!(parsed.disposition, DispositionType::Processed);
    assert!(parsed.automatic);
    assert_eq!(parsed.final_recipient, "servicey@ch-b.mssante.fr");
    assert_eq!(
        parsed.original_message_id.as_deref(),
        Some(original.message_id.as_str())
    );
    assert_eq!(
        parsed.error.as_ref().unwrap().code,
        Some(IntegrationError::UnknownPatient)
    );
    // the attachments of the returned original are not taken as the MDN's own
    assert!(back.archives.is_empty());

    let ok = MdnBuilder::new(
        Mailbox::new("servicey@ch-b.mssante.fr").unwrap(),
        Mailbox::new("paul.martin@ch-a.mssante.fr").unwrap(),
        &original.message_id,
        "XDM/1.0/DDM+x",
    )
    .build(&clock(), &SeededRandomness::new(9))
    .unwrap();
    let back = read_message(&ok.bytes, &ReadOptions::strict()).unwrap();
    let Some(Receipt::Mdn(parsed)) = back.receipt else {
        panic!("not an MDN")
    };
    assert!(parsed.is_success());
    assert_eq!(parsed.disposition, DispositionType::Displayed);
}

#[test]
fn dsn_and_bounces_are_classified() {
    let dsn = "From: MAILER-DAEMON@mx.mssante.fr\r\nTo: a@b.mssante.fr\r\nSubject: Delivery Status Notification\r\n\
        MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n\
        --B\r\nContent-Type: text/plain\r\n\r\nYour message was delivered.\r\n\
        --B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.mssante.fr\r\n\r\n\
        Final-Recipient: rfc822; c@d.mssante.fr\r\nAction: delivered\r\nStatus: 2.0.0\r\n\r\n--B--\r\n";
    let m = read_message(dsn.as_bytes(), &ReadOptions::strict()).unwrap();
    let Some(Receipt::Dsn(d)) = m.receipt else {
        panic!("not a DSN: {:?}", m.receipt)
    };
    assert_eq!(d.recipients[0].final_recipient, "c@d.mssante.fr");
    let bounce = "From: noreply@patient.mssante.fr\r\nTo: a@b.mssante.fr\r\nSubject: Message non distribu\u{e9}\r\n\r\n\
        La bo\u{ee}te aux lettres du patient est ferm\u{e9}e.\r\n";
    let m = read_message(bounce.as_bytes(), &ReadOptions::strict()).unwrap();
    assert_eq!(
        m.receipt,
        Some(Receipt::Bounce(segur_mssante::BounceReason::MailboxClosed))
    );
    assert!(m.is_from_patient());
}

mod round_trip {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Any printable subject and body survive building and reading back, and the headers
        /// computed from options read back the same.
        #[test]
        fn subject_body_and_headers_survive(
            subject in "[^\\p{C}]{1,120}",
            body in "([^\\p{C}]{0,90}\n){0,8}",
            no_reply in any::<bool>(),
            read_receipt in any::<bool>(),
            seed in any::<u64>(),
        ) {
            let built = MessageBuilder::new(Mailbox::new("a@ch-a.mssante.fr").unwrap(), "NIL-1")
                .to(Mailbox::new("b@ch-b.mssante.fr").unwrap())
                .subject(&subject)
                .body(&body)
                .no_reply(no_reply)
                .read_receipt(read_receipt)
                .build(&clock(), &SeededRandomness::new(seed))
                .unwrap();
            let m = read_message(&built.bytes, &ReadOptions::strict()).unwrap();
            prop_assert_eq!(m.subject.as_deref(), Some(subject.as_str()));
            let text = m.text.unwrap_or_default().replace("\r\n", "\n");
            prop_assert_eq!(text.trim_end(), body.trim_end());
            prop_assert_eq!(m.mss.no_reply, no_reply || subject.trim() == "[FIN]");
            prop_assert_eq!(m.disposition_notification_to.is_some(), read_receipt);
            prop_assert_eq!(m.mss.nil.as_deref(), Some("NIL-1"));
            prop_assert_eq!(m.message_id.as_deref(), Some(built.message_id.as_str()));
        }
    }
}
