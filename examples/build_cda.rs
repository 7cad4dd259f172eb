//! Builds three CI-SIS documents for the same patient and writes them to a folder:
//! an N1 discharge letter carrying a PDF, an LDL-SES discharge letter (N3) and a BIO-CR-BIO
//! biology report (N3). Each is checked with `Document::validate` and parsed back.
//!
//! `cargo run --example build_cda -- OUTDIR` (default: `segur-cda-examples` in the system temp
//! folder). Check them with the ANS rules: `python3 ../shared/tools/validate-cda OUTDIR/*.xml`.

use std::path::PathBuf;

use segur::cda::build::{PatientInfo, samples};
use segur::cda::write::Style;
use segur::ins::{BirthDate, CalendarDate, Cog, IdentityTraits, Ins, Sex};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = std::env::args_os().nth(1).map_or_else(
        || std::env::temp_dir().join("segur-cda-examples"),
        PathBuf::from,
    );
    std::fs::create_dir_all(&out_dir)?;

    // The patient: the ANS test INS and its strict traits, as an INSi query would return them.
    let ins = Ins::from_cda_id("1.2.250.1.213.1.4.10", "279035121518989")?;
    let traits = IdentityTraits::new(
        "PAT-TROIS",
        "DOMINIQUE MARIE-LOUISE",
        BirthDate::Full(CalendarDate::new(1979, 3, 28)?),
        Sex::from_code("F")?,
        Some(Cog::parse("51215")?),
    )?;
    let patient = PatientInfo::from_ins(&ins, &traits);

    // The samples hold a fictitious hospital, laboratory and doctors; only the patient changes.
    let pdf = samples::minimal_pdf("Lettre de liaison a la sortie");
    std::fs::write(out_dir.join("letter.pdf"), &pdf)?;
    for (file, mut builder) in [
        ("n1-letter.xml", samples::n1_letter()),
        ("ldl-ses.xml", samples::ldl_ses()),
        ("bio-cr-bio.xml", samples::bio_report()),
    ] {
        builder.patient = Some(PatientInfo {
            local_ids: vec![],
            ..patient.clone()
        });
        // every missing or wrong field would be listed here at once, each with its path
        let doc = builder.build()?;
        let report = doc.validate();
        assert!(report.is_valid(), "{file}: {:?}", report.findings);
        let xml = doc.to_xml(Style::Pretty);
        assert_eq!(segur::cda::parse(xml.as_bytes())?.into_owned(), doc);
        let path = out_dir.join(file);
        std::fs::write(&path, &xml)?;
        println!("{} ({} bytes)", path.display(), xml.len());
    }
    Ok(())
}
