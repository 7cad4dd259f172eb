//! Replays the committed fuzz corpora (`fuzz/corpus/fuzz_soap`, `fuzz/corpus/fuzz_mtom`) through
//! the same checks the fuzz targets run (`fuzz/checks/soap_*.rs`), on the stable toolchain.

#[path = "../../../fuzz/checks/soap_envelope.rs"]
mod soap_envelope;
#[path = "../../../fuzz/checks/soap_mtom.rs"]
mod soap_mtom;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz/corpus/").to_owned() + target;
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir}: {e}")) {
        let path = entry.unwrap().path();
        check(&std::fs::read(&path).unwrap());
        count += 1;
    }
    assert!(count >= 4, "{dir} holds only {count} seeds");
}

#[test]
fn fuzz_soap_corpus() {
    replay("fuzz_soap", soap_envelope::check);
}

#[test]
fn fuzz_mtom_corpus() {
    replay("fuzz_mtom", soap_mtom::check);
}

#[test]
fn hostile_inputs_go_through_the_checks() {
    // hostile inputs go through the checks without panicking
    for data in [
        &b""[..],
        b"<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>",
        b"multipart/related; boundary=\n--\n",
        b"multipart/related; boundary=x\n--x\r\n\r\n\r\n--x--",
    ] {
        soap_envelope::check(data);
        soap_mtom::check(data);
    }
}
