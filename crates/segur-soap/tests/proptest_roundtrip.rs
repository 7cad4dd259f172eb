//! Property tests: what the writers produce, the readers give back.

use proptest::prelude::*;
use segur_soap::mtom::{DocumentDigest, MtomBuilder, MtomMessage};
use segur_soap::vihf::{
    AuthenticationMode, CodedValue, Lps, ParsedVihf, PurposeOfUse, VihfBuilder,
};
use segur_soap::{Addressing, Envelope, EnvelopeBuilder};
use segur_transport::{FixedClock, SeededRandomness};

/// Text with XML's special characters, accents, and no surrounding whitespace (readers trim).
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9éÀ&<>\"'^/()_.:-]([a-zA-Z0-9éÀ&<>\"' ^/()_.:-]{0,12}[a-zA-Z0-9é&<>\"'])?"
}

fn mode() -> impl Strategy<Value = AuthenticationMode> {
    prop_oneof![
        Just(AuthenticationMode::Directe),
        Just(AuthenticationMode::Indirecte),
        Just(AuthenticationMode::IndirecteRenforcee),
    ]
}

fn purpose() -> impl Strategy<Value = PurposeOfUse> {
    prop_oneof![
        Just(PurposeOfUse::Normal),
        Just(PurposeOfUse::BrisDeGlace),
        Just(PurposeOfUse::Centre15),
    ]
}

proptest! {
    #[test]
    fn vihf_write_then_parse(
        mode in mode(),
        purpose in purpose(),
        name_id in text(),
        subject in text(),
        structure in text(),
        sector in "SA[0-9]{2}",
        display in text(),
        lps in (text(), text(), text(), proptest::option::of(text())),
        issuer in text(),
        seed in any::<u64>(),
        millis in 0i64..4_000_000_000_000,
    ) {
        let mut l = Lps::new(lps.0, lps.1, lps.2);
        if let Some(id) = lps.3 {
            l = l.with_id(id);
        }
        let clock = FixedClock::new(chrono::DateTime::from_timestamp_millis(millis).unwrap());
        let vihf = VihfBuilder::new(mode)
            .name_id(&name_id)
            .subject_id(&subject)
            .structure(&structure, &sector)
            .role(CodedValue::profession("60").with_display_name(display))
            .purpose_of_use(purpose)
            .lps(l)
            .build(&clock, &SeededRandomness::new(seed))
            .unwrap();
        let xml = vihf.to_unsigned_xml(&issuer).unwrap();
        let parsed = ParsedVihf::parse(xml.as_bytes()).unwrap();
        prop_assert_eq!(&parsed.vihf, &vihf);
        prop_assert_eq!(parsed.issuer, issuer);
    }

    #[test]
    fn addressing_write_then_read(action in text(), to in text(), seed in any::<u64>()) {
        let a = Addressing::request(&action, &to, &SeededRandomness::new(seed));
        let xml = EnvelopeBuilder::new("<p/>").addressing(a.clone()).build();
        let read = Envelope::parse(xml.as_bytes()).unwrap();
        prop_assert_eq!(read.addressing, a);
    }

    #[test]
    fn mtom_parts_come_back_byte_for_byte(
        docs in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..600), 0..4),
        seed in any::<u64>(),
    ) {
        let mut b = MtomBuilder::new(&SeededRandomness::new(seed));
        let attachments: Vec<_> = docs
            .iter()
            .map(|d| b.attach(d.clone(), "application/octet-stream"))
            .collect();
        let includes: String = attachments
            .iter()
            .map(segur_soap::mtom::Attachment::xop_include)
            .collect();
        let envelope = EnvelopeBuilder::new(&format!("<d>{includes}</d>")).build();
        let out = b.finish(&envelope).unwrap();
        let read = MtomMessage::parse(&out.content_type, &out.body).unwrap();
        prop_assert_eq!(&read.root().body, envelope.as_bytes());
        for (doc, a) in docs.iter().zip(&attachments) {
            let part = read.part(&a.href()).unwrap();
            prop_assert_eq!(&part.body, doc);
            prop_assert_eq!(DocumentDigest::of(doc), a.digest.clone());
        }
    }
}

#[test]
fn control_characters_are_refused_by_the_builder() {
    let err = VihfBuilder::new(AuthenticationMode::Indirecte)
        .name_id("8999\u{1}")
        .subject_id("X")
        .structure("1", "SA07")
        .role(CodedValue::profession("60"))
        .lps(Lps::new("a", "b", "c"))
        .build(
            &FixedClock::from_rfc3339("2026-01-01T00:00:00Z").unwrap(),
            &SeededRandomness::new(1),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid NameID: contains U+0001, which XML cannot carry"
    );
}
