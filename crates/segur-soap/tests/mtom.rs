//! MTOM/XOP: a full ITI-41-shaped message written and read back, byte-for-byte reproducible
//! (insta snapshot), with the digest of each document computed on the exact bytes sent.

use segur_soap::mtom::{DocumentDigest, MtomBuilder, MtomMessage};
use segur_soap::{Addressing, Body, EnvelopeBuilder, FaultCode};
use segur_transport::SeededRandomness;

const CDA: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ClinicalDocument xmlns=\"urn:hl7-org:v3\">\n  <title>CR de consultation</title>\n</ClinicalDocument>\n";

fn message() -> (
    segur_soap::mtom::MtomBody,
    Vec<segur_soap::mtom::Attachment>,
) {
    let random = SeededRandomness::new(2026);
    let mut mtom =
        MtomBuilder::new(&random).action("urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b");
    let doc = mtom.attach(CDA.to_vec(), "text/xml");
    let pdf_like: Vec<u8> = b"%PDF-1.4\r\n\x00\xff\xfe\r\n--not-a-boundary\r\n%%EOF".to_vec();
    let bin = mtom.attach(pdf_like, "application/octet-stream");
    let body = format!(
        "<xdsb:ProvideAndRegisterDocumentSetRequest xmlns:xdsb=\"urn:ihe:iti:xds-b:2007\">\
         <xdsb:Document id=\"Doc01\">{}</xdsb:Document><xdsb:Document id=\"Doc02\">{}</xdsb:Document>\
         </xdsb:ProvideAndRegisterDocumentSetRequest>",
        doc.xop_include(),
        bin.xop_include()
    );
    let envelope = EnvelopeBuilder::new(&body)
        .addressing(Addressing::request(
            "urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b",
            "https://lps2.dmp.gouv.fr/si-dmp-server/v2/services/repository",
            &random,
        ))
        .build();
    (mtom.finish(&envelope).unwrap(), vec![doc, bin])
}

/// The body with CR and non-printable bytes escaped, so that the snapshot is a text file.
fn printable(bytes: &[u8]) -> String {
    let mut out = String::new();
    for &b in bytes {
        match b {
            b'\r' => out.push_str("\\r"),
            b'\n' => out.push('\n'),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out
}

#[test]
fn an_mtom_message_round_trips_and_is_reproducible() {
    let (out, attachments) = message();
    assert_eq!(out, message().0);
    let read = MtomMessage::parse(&out.content_type, &out.body).unwrap();
    assert_eq!(read.parts().len(), 3);
    // the digest declared for each document is the digest of the bytes that arrive
    for a in &attachments {
        let part = read.part(&a.href()).unwrap();
        assert_eq!(DocumentDigest::of(&part.body), a.digest);
    }
    assert_eq!(read.part(&attachments[0].href()).unwrap().body, CDA);
    assert_eq!(attachments[0].digest.size, CDA.len());
    let payload = read.envelope().unwrap().into_payload().unwrap();
    assert_eq!(payload.name.local, "ProvideAndRegisterDocumentSetRequest");
    let snapshot = format!(
        "Content-Type: {}\n\n{}",
        out.content_type,
        printable(&out.body)
    );
    insta::assert_snapshot!("mtom_body", snapshot);
}

#[test]
fn a_fault_inside_a_multipart_is_a_typed_fault() {
    // ITI-43 responses are multipart even for faults
    let body = "--uuid:x\r\nContent-Type: application/xop+xml; charset=UTF-8; type=\"application/soap+xml\"\r\nContent-ID: <root.message@cxf.apache.org>\r\n\r\n\
        <soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Body><soap:Fault>\
        <soap:Code><soap:Value>soap:Sender</soap:Value><soap:Subcode><soap:Value xmlns:s=\"urn:dmp\">s:DMPAccessDeniedByRightsService</soap:Value></soap:Subcode></soap:Code>\
        <soap:Reason><soap:Text xml:lang=\"fr\">Accès refusé</soap:Text></soap:Reason></soap:Fault></soap:Body></soap:Envelope>\r\n--uuid:x--\r\n";
    let msg = MtomMessage::parse(
        "multipart/related; type=\"application/xop+xml\"; boundary=\"uuid:x\"; start=\"<root.message@cxf.apache.org>\"; start-info=\"application/soap+xml\"",
        body.as_bytes(),
    )
    .unwrap();
    let Body::Fault(fault) = msg.envelope().unwrap().body else {
        panic!("expected a fault")
    };
    assert_eq!(fault.code, FaultCode::Sender);
    assert_eq!(
        fault.innermost_subcode(),
        Some("DMPAccessDeniedByRightsService")
    );
    assert_eq!(fault.reason(), Some("Accès refusé"));
}

#[test]
fn the_official_td21_request_reads() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/xds/samples/cnam-dmp-lps-exemples-messages-v02.05.00/TD2.1_-_Alimentation_requete.xml"
    );
    let raw = std::fs::read(path).unwrap();
    // the sample is the HTTP body; its boundary is the first line
    let first_line = raw.split(|b| *b == b'\n').next().unwrap();
    let boundary = String::from_utf8_lossy(first_line)
        .trim()
        .strip_prefix("--")
        .unwrap()
        .to_owned();
    let msg = MtomMessage::parse(
        &format!("multipart/related; boundary=\"{boundary}\"; type=\"application/xop+xml\""),
        &raw,
    )
    .unwrap();
    assert_eq!(msg.parts().len(), 3);
    // a SOAP 1.1 envelope (a defect of the sample, recorded in the corpus README)
    let envelope = msg.envelope().unwrap();
    assert_eq!(envelope.version, segur_soap::SoapVersion::Soap11);
    // every xop:Include of the body resolves to a part
    let root = String::from_utf8(msg.root().body.clone()).unwrap();
    let mut hrefs = 0;
    for piece in root.split("href=\"").skip(1) {
        let href = &piece[..piece.find('"').unwrap()];
        assert!(!msg.part(href).unwrap().body.is_empty(), "{href}");
        hrefs += 1;
    }
    assert_eq!(hrefs, 2);
}

#[test]
fn parts_are_found_without_decoding_every_content_id() {
    // the most parts a message may have, each with a long URL-encoded Content-ID, each looked
    // up: decoding every id on every lookup cost parts x parts x id length (4 * 10^9 byte
    // operations here)
    let boundary = "b0undary";
    let id = |i: usize| format!("{i}%40{}", "x%2F".repeat(1000));
    let mut body = Vec::new();
    for i in 0..1024 {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-ID: <{}>\r\nContent-Type: text/plain\r\n\r\npart {i}\r\n",
                id(i)
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let msg = MtomMessage::parse(
        &format!("multipart/related; boundary=\"{boundary}\""),
        &body,
    )
    .unwrap();
    for i in 0..1024 {
        // by the id as written, and decoded
        let part = msg.part(&format!("cid:{}", id(i))).unwrap();
        assert_eq!(part.body, format!("part {i}").as_bytes());
        let decoded = format!("{i}@{}", "x/".repeat(1000));
        assert_eq!(msg.part(&decoded).unwrap().body, part.body);
    }
    assert!(msg.part("cid:1024%40x").is_err());
}
