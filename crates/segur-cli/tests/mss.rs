//! `segur mss build` and `segur mss read`, run as a user would.

mod common;
use common::segur;

const CDA: &str = common::VAC_NOTE;
const CLASS: &str = common::VAC_NOTE_CLASS;
const FORMAT: &str = common::VAC_NOTE_FORMAT;

#[test]
fn build_then_read() {
    let dir = tempfile::tempdir().unwrap();
    let eml = dir.path().join("message.eml");
    let pdf = dir.path().join("note.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n%%EOF\n").unwrap();
    let out = segur(&[
        "mss",
        "build",
        "--from",
        "paul.martin@ch-a.mssante.fr",
        "--from-name",
        "Dr Paul MARTIN",
        "--to",
        "serviceY@ch-b.mssante.fr",
        "--nil",
        "DEV935997",
        "--cda",
        CDA,
        "--class-code",
        CLASS,
        "--format-code",
        FORMAT,
        "--pdf",
        pdf.to_str().unwrap(),
        "--body",
        "Bonjour",
        "--read-receipt",
        "--out",
        eml.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = segur(&["mss", "read", eml.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "Subject: XDM/1.0/DDM+NOTE DE VACCINATION PAT-TROIS DOMINIQUE 28/03/1979",
        "X-MSS-CODECDA: 87273-9",
        "X-MSS-INS: O",
        "X-MSS-NIL: DEV935997",
        "read receipt requested by: paul.martin@ch-a.mssante.fr",
        "CDA IHE_XDM/SUBSET01/DOC0001.XML: code 87273-9, INS qualifiée O",
        "attachment note.pdf (application/pdf, 15 bytes)",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from\n{text}");
    }
}

#[test]
fn nil_is_mandatory_and_garbage_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let eml = dir.path().join("m.eml");
    let out = segur(&[
        "mss",
        "build",
        "--from",
        "a@b.mssante.fr",
        "--to",
        "c@d.mssante.fr",
        "--nil",
        "",
        "--subject",
        "x",
        "--out",
        eml.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("X-MSS-NIL"));
    std::fs::write(&eml, b"\x00\x01").unwrap();
    let out = segur(&["mss", "read", eml.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an RFC 5322 message"));
}
