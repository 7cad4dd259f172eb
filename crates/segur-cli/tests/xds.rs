//! `segur xds from-cda`, run as a user would.

mod common;
use common::segur;

use std::process::Command;

const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/corpus/cda/examples/TestContenuCDA-3-0"
);
const RIM_XSD: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/corpus/xds/xsd/dmp-lps-wsdl-schema/schema/ebRS/rim.xsd"
);

#[test]
fn from_cda_prints_schema_valid_ebrim() {
    let file = format!("{CORPUS}/DOC_NON_STRUCTURE_CDA-R2-N1.xml");
    let out = segur(&["xds", "from-cda", &file, "--visibility", "MASQUE_PS"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let objects = segur_xds::RegistryObjects::from_xml(&out.stdout).unwrap();
    let entry = &objects.documents[0];
    assert_eq!(entry.entry_uuid.as_str(), "Document01");
    assert_eq!(entry.type_code.code, "11502-2");
    assert_eq!(entry.format_code.code, "urn:ihe:iti:xds-sd:pdf:2008");
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(entry.size, Some(bytes.len() as u64));
    assert_eq!(entry.hash, Some(segur_xds::Sha1Hash::of(&bytes)));
    assert!(
        entry
            .confidentiality_codes
            .iter()
            .any(|c| c.code == "MASQUE_PS")
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("entry.xml");
    std::fs::write(&path, &out.stdout).unwrap();
    let lint = Command::new("xmllint")
        .args(["--nonet", "--noout", "--schema", RIM_XSD])
        .arg(&path)
        .output()
        .expect("xmllint is required (apt-get install libxml2-utils)");
    assert!(
        lint.status.success(),
        "{}",
        String::from_utf8_lossy(&lint.stderr)
    );
}

#[test]
fn from_cda_names_what_it_cannot_derive_and_accepts_overrides() {
    let file = format!("{CORPUS}/VAC_2023.01.xml");
    let out = segur(&["xds", "from-cda", &file]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("classCode"), "{stderr}");

    let out = segur(&[
        "xds",
        "from-cda",
        &file,
        "--id",
        "urn:uuid:fe5287a2-ae6a-11eb-8f5d-0050569e422e",
        "--class-code",
        "10",
        "--format-code",
        "urn:ihe:iti:xds-sd:text:2008^Texte^1.3.6.1.4.1.19376.1.2.3",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let objects = segur_xds::RegistryObjects::from_xml(&out.stdout).unwrap();
    assert_eq!(objects.documents[0].class_code.display_name, "Compte rendu");

    let out = segur(&["xds", "from-cda", &file, "--class-code", "99"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("JDV_J57"));
}
