//! `segur xdm pack` and `segur xdm unpack`, run as a user would.

mod common;
use common::segur;

const CDA: &str = common::VAC_NOTE;
const DIRECT_SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../segur-mssante/tests/data/direct-ri-samplexdm.zip"
);
const CLASS: &str = common::VAC_NOTE_CLASS;
const FORMAT: &str = common::VAC_NOTE_FORMAT;

#[test]
fn pack_then_unpack_strictly() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("IHE_XDM.ZIP");
    let zip_s = zip.to_str().unwrap();
    let out = segur(&[
        "xdm",
        "pack",
        "--out",
        zip_s,
        "--to",
        "serviceY@ch-b.mssante.fr",
        "--class-code",
        CLASS,
        "--format-code",
        FORMAT,
        CDA,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let target = dir.path().join("out");
    let out = segur(&["xdm", "unpack", zip_s, target.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listing = String::from_utf8(out.stdout).unwrap();
    assert!(
        listing.contains("IHE_XDM/SUBSET01/DOC0001.XML\ttext/xml"),
        "{listing}"
    );
    let unpacked = std::fs::read(target.join("IHE_XDM/SUBSET01/DOC0001.XML")).unwrap();
    assert_eq!(unpacked, std::fs::read(CDA).unwrap());
    assert!(target.join("IHE_XDM/SUBSET01/METADATA.XML").exists());
    assert!(target.join("README.TXT").exists());
}

#[test]
fn pack_reports_what_cannot_be_derived() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("IHE_XDM.ZIP");
    let out = segur(&["xdm", "pack", "--out", zip.to_str().unwrap(), CDA]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("classCode"), "{err}");
    assert!(!zip.exists());
}

#[test]
fn broken_samples_need_lenient() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    let out = segur(&["xdm", "unpack", DIRECT_SAMPLE, target.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("strict mode"), "{err}");
    let out = segur(&[
        "xdm",
        "unpack",
        "--lenient",
        DIRECT_SAMPLE,
        target.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("warning: extra top folder"), "{err}");
    assert!(
        target
            .join("samplexdm/IHE_XDM/SUBSET01/Document01.xml")
            .exists()
    );
}
