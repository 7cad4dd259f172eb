//! Shared by the CLI tests: running the built `segur` binary, and the vaccination note the
//! MSSanté and XDM tests package.
#![allow(dead_code)]

use std::process::{Command, Output};

/// Runs the built `segur` binary with `args`, as a user would, and collects its output.
pub(crate) fn segur(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_segur"))
        .args(args)
        .output()
        .expect("the segur binary runs")
}

/// A CI-SIS vaccination note (segur-mssante's test data).
pub(crate) const VAC_NOTE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../segur-mssante/tests/data/VAC-NOTE_2023.01.xml"
);
/// Its XDS classCode (the vaccination note is outside segur-xds's built-in ASS_X04 / ASS_A11
/// excerpts).
pub(crate) const VAC_NOTE_CLASS: &str = "10|1.2.250.1.213.1.1.4.1|Compte rendu";
/// Its XDS formatCode.
pub(crate) const VAC_NOTE_FORMAT: &str =
    "urn:asip:ci-sis:vac-note:2023|1.2.250.1.213.1.1.4.2.282|Note de vaccination";
