//! The committed value-set tables (`src/valuesets/generated.rs`) must be what
//! `tools/gen_valuesets.py` generates from the ANS JDV files in `../shared`.

use std::process::Command;

#[test]
fn valuesets_up_to_date() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tools/gen_valuesets.py");
    let out = Command::new("python3")
        .arg(script)
        .arg("--check")
        .output()
        .unwrap_or_else(|e| panic!("python3 is required to check the value-set tables: {e}"));
    assert!(
        out.status.success(),
        "value-set tables out of date or generator failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
