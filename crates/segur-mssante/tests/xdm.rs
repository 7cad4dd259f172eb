//! The XDM writer and reader: round trips, external oracles (xmllint against ebRS lcm.xsd,
//! Python's zipfile), the Direct Project samples, and hostile archives.

mod common;

use std::io::Write;

use common::*;
use segur_mssante::{
    ErrorKind, Mailbox, Mode, ReadLimits, ReadOptions, SubmissionOptions, WriteOptions, XdmWarning,
    XdmWriter, read_xdm, submission_for_cda,
};
use segur_transport::SeededRandomness;
use segur_xds::Sha1Hash;
use segur_xds::cda::{CdaOverrides, class_code_for_type};

fn two_subset_archive() -> Vec<u8> {
    let rng = SeededRandomness::new(1);
    let mut w = XdmWriter::new(WriteOptions::default());
    w.add_submission(
        submission(&rng, &["Note de vaccination"]),
        vec![VAC_NOTE.to_vec()],
    )
    .unwrap();
    let mut second = submission(&rng, &["Note A", "Note B"]);
    second.documents[1].uri = Some("note vaccinale.xml".to_owned());
    w.add_submission(second, vec![VAC_NOTE.to_vec(), VAC_NOTE.to_vec()])
        .unwrap();
    w.write().unwrap()
}

#[test]
fn archives_are_deterministic_and_read_back_strictly() {
    let zip = two_subset_archive();
    assert_eq!(zip, two_subset_archive());
    let archive = read_xdm(&zip, &ReadOptions::strict()).unwrap();
    assert!(archive.warnings.is_empty());
    assert_eq!(archive.subsets.len(), 2);
    assert_eq!(archive.subsets[0].folder, "SUBSET01");
    let paths: Vec<&str> = archive.documents().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "IHE_XDM/SUBSET01/DOC0001.XML",
            "IHE_XDM/SUBSET02/DOC0001.XML",
            "IHE_XDM/SUBSET02/NOTE_VAC.XML"
        ]
    );
    for d in archive.documents() {
        assert_eq!(d.data, VAC_NOTE);
        let entry = d.entry.as_ref().unwrap();
        assert_eq!(entry.size, Some(VAC_NOTE.len() as u64));
        assert_eq!(entry.hash, Some(Sha1Hash::of(VAC_NOTE)));
        assert_eq!(d.link.hash, Some(Sha1Hash::of(VAC_NOTE).to_hex()));
    }
    assert!(archive.readme.unwrap().contains("SUBSET02/"));
}

/// An archive whose metadata is derived from the CDA headers (segur-xds CI-SIS mapping).
fn derived_archive() -> Vec<u8> {
    let rng = SeededRandomness::new(2);
    let mut options = SubmissionOptions::new(segur_xds::Oid::parse("1.2.250.1.999.1").unwrap());
    // the vaccination note is outside segur-xds's built-in ASS_X04 / ASS_A11 excerpts
    options.overrides = CdaOverrides::new()
        .with_class_code(class_code_for_type("11488-4").unwrap())
        .with_format_code(segur_xds::Code::new(
            "urn:asip:ci-sis:vac-note:2023",
            "1.2.250.1.213.1.1.4.2.282",
            "Note de vaccination",
        ));
    options
        .intended_recipients
        .push(Mailbox::new("serviceY@ch-b.mssante.fr").unwrap());
    let submission = submission_for_cda(&[VAC_NOTE], &options, &clock(), &rng).unwrap();
    let mut w = XdmWriter::new(WriteOptions::default());
    w.add_submission(submission, vec![VAC_NOTE.to_vec()])
        .unwrap();
    w.write().unwrap()
}

#[test]
fn metadata_derived_from_cda_reads_back() {
    let archive = read_xdm(&derived_archive(), &ReadOptions::strict()).unwrap();
    let doc = archive.documents().next().unwrap();
    let entry = doc.entry.as_ref().unwrap();
    assert_eq!(entry.type_code.code, "87273-9");
    assert_eq!(entry.uri.as_deref(), Some("DOC0001.XML"));
    let set = &archive.subsets[0]
        .submission
        .as_ref()
        .unwrap()
        .submission_set;
    assert!(set.unique_id.as_str().starts_with("2.25."));
    assert_eq!(
        set.intended_recipients,
        ["||^^Internet^servicey@ch-b.mssante.fr"]
    );
}

#[test]
fn metadata_validates_against_ebrs_lcm_xsd() {
    for zip in [two_subset_archive(), derived_archive()] {
        validate_metadata(&zip);
    }
}

fn validate_metadata(zip: &[u8]) {
    let archive = read_xdm(zip, &ReadOptions::strict()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let xsd = shared("corpus/xds/xsd/dmp-lps-wsdl-schema/schema/ebRS/lcm.xsd");
    assert!(xsd.exists(), "missing {}", xsd.display());
    for subset in &archive.subsets {
        let path = dir.path().join(format!("{}.xml", subset.folder));
        std::fs::write(&path, &subset.metadata_xml).unwrap();
        let out = run(
            "xmllint",
            &[
                "--nonet",
                "--noout",
                "--schema",
                xsd.to_str().unwrap(),
                path.to_str().unwrap(),
            ],
        );
        assert!(
            out.status.success(),
            "xmllint rejects {}: {}",
            subset.folder,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn python_zipfile_unpacks_our_archives() {
    let zip = two_subset_archive();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("IHE_XDM.ZIP");
    std::fs::write(&path, &zip).unwrap();
    let script = "import sys, zipfile, hashlib\n\
                  z = zipfile.ZipFile(sys.argv[1])\n\
                  assert z.testzip() is None\n\
                  for i in z.infolist():\n\
                  \x20   print(i.filename, i.date_time, hashlib.sha1(z.read(i)).hexdigest())\n";
    let out = run("python3", &["-c", script, path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "python3 zipfile: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listing = String::from_utf8(out.stdout).unwrap();
    let sha = Sha1Hash::of(VAC_NOTE).to_hex();
    assert!(listing.contains(&format!(
        "IHE_XDM/SUBSET02/NOTE_VAC.XML (1980, 1, 1, 0, 0, 0) {sha}"
    )));
    for name in ["INDEX.HTM", "README.TXT", "IHE_XDM/SUBSET01/METADATA.XML"] {
        assert!(listing.contains(name), "{name} missing from\n{listing}");
    }
}

#[test]
fn direct_sample_with_extra_folder_reads_leniently_only() {
    let zip = std::fs::read(data("direct-ri-samplexdm.zip")).unwrap();
    let strict = read_xdm(&zip, &ReadOptions::strict()).unwrap_err();
    assert_eq!(strict.kind(), ErrorKind::InvalidLayout, "{strict}");
    assert!(strict.to_string().contains("samplexdm"), "{strict}");
    let archive = read_xdm(&zip, &ReadOptions::lenient()).unwrap();
    assert!(archive.warnings.contains(&XdmWarning::ExtraTopFolder {
        folder: "samplexdm".to_owned()
    }));
    assert!(
        archive
            .warnings
            .iter()
            .any(|w| matches!(w, XdmWarning::MissingUri { .. })),
        "{:?}",
        archive.warnings
    );
    assert!(
        archive
            .warnings
            .iter()
            .any(|w| matches!(w, XdmWarning::MatchedByHash { .. })),
        "{:?}",
        archive.warnings
    );
    let docs: Vec<_> = archive.documents().collect();
    assert_eq!(docs.len(), 1);
    assert!(
        docs[0]
            .path
            .eq_ignore_ascii_case("samplexdm/IHE_XDM/SUBSET01/Document01.xml")
    );
    // the stylesheet next to the document is kept, not lost
    assert!(
        archive.subsets[0]
            .other_files
            .iter()
            .any(|(p, _)| p.ends_with("CCD.xsl"))
    );
}

#[test]
fn direct_sample_without_subset_separator_reads_leniently_only() {
    let zip = std::fs::read(data("direct-ri-xdm-missing-slash-paths.zip")).unwrap();
    let strict = read_xdm(&zip, &ReadOptions::strict()).unwrap_err();
    assert_eq!(strict.kind(), ErrorKind::InvalidLayout, "{strict}");
    let lenient = read_xdm(&zip, &ReadOptions::lenient());
    match lenient {
        Ok(archive) => {
            assert!(
                archive
                    .warnings
                    .iter()
                    .any(|w| matches!(w, XdmWarning::MissingSeparator { .. })),
                "{:?}",
                archive.warnings
            );
            assert_eq!(archive.documents().count(), 1);
        }
        // its METADATA.XML lacks required attributes: a clear metadata error is acceptable
        Err(e) => assert_eq!(e.kind(), ErrorKind::InvalidMetadata, "{e}"),
    }
}

// ---------------------------------------------------------------------------------------------
// hostile archives

fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn kind_of(zip: &[u8]) -> ErrorKind {
    read_xdm(zip, &ReadOptions::lenient()).unwrap_err().kind()
}

#[test]
fn zip_bomb_is_refused_by_ratio() {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    w.start_file("IHE_XDM/SUBSET01/DOC0001.XML", opts).unwrap();
    let block = vec![0u8; 1 << 20];
    for _ in 0..8 {
        w.write_all(&block).unwrap();
    }
    let zip = w.finish().unwrap().into_inner();
    assert!(zip.len() < 100_000, "{}", zip.len());
    let e = read_xdm(&zip, &ReadOptions::lenient()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ZipBomb, "{e}");
}

#[test]
fn total_size_limit_applies_across_entries() {
    let data = vec![b'x'; 60_000];
    let names: Vec<String> = (0..10)
        .map(|i| format!("IHE_XDM/SUBSET01/F{i}.TXT"))
        .collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &data[..])).collect();
    let zip = zip_with(&entries);
    let options = ReadOptions {
        mode: Mode::Lenient,
        limits: ReadLimits {
            max_total_size: 300_000,
            ..ReadLimits::default()
        },
    };
    let e = read_xdm(&zip, &options).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooLarge, "{e}");
    let options = ReadOptions {
        limits: ReadLimits {
            max_entry_size: 50_000,
            ..ReadLimits::default()
        },
        ..options
    };
    assert_eq!(
        read_xdm(&zip, &options).unwrap_err().kind(),
        ErrorKind::TooLarge
    );
}

#[test]
fn zip_slip_is_refused() {
    for name in [
        "../../etc/passwd",
        "IHE_XDM/../../x",
        "/abs/path",
        "C:\\win\\x",
        "IHE_XDM\\..\\..\\x",
    ] {
        let zip = zip_with(&[(name, b"x")]);
        assert_eq!(kind_of(&zip), ErrorKind::ZipSlip, "{name}");
    }
}

/// A stored-only archive of `count` empty files, written by hand (fast for large counts).
fn many_empty_entries(count: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for i in 0..count {
        let name = format!("F{i}");
        let offset = out.len() as u32;
        let header = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(&sig.to_le_bytes());
            if central {
                h.extend_from_slice(&20u16.to_le_bytes()); // made by
            }
            h.extend_from_slice(&20u16.to_le_bytes()); // needed
            h.extend_from_slice(&[0; 4]); // flags, method (stored)
            h.extend_from_slice(&[0; 4]); // time, date
            h.extend_from_slice(&[0; 12]); // crc, sizes
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes()); // extra
            if central {
                h.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
                h.extend_from_slice(&[0; 4]); // external attributes
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        central.extend(header(0x0201_4b50, true));
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    let n = u16::try_from(count).unwrap();
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[test]
fn ten_thousand_entries_are_refused_before_decompression() {
    let zip = many_empty_entries(10_000);
    let e = read_xdm(&zip, &ReadOptions::lenient()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooManyEntries, "{e}");
    assert!(e.to_string().contains("10000"), "{e}");
    // the same archive is well-formed: with a higher limit it is read (and found not XDM)
    let options = ReadOptions {
        mode: Mode::Lenient,
        limits: ReadLimits {
            max_entries: 20_000,
            ..ReadLimits::default()
        },
    };
    let e = read_xdm(&zip, &options).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidLayout, "{e}");
}

#[test]
fn duplicate_names_are_refused() {
    // same name up to case and separator
    let zip = zip_with(&[
        ("IHE_XDM/SUBSET01/A.XML", b"1"),
        ("ihe_xdm\\subset01\\a.xml", b"2"),
    ]);
    assert_eq!(kind_of(&zip), ErrorKind::DuplicateEntry);
    // byte-identical names (patched in: writers refuse to produce them)
    let mut zip = zip_with(&[("IHE_XDM/A.XML", b"1"), ("IHE_XDM/B.XML", b"2")]);
    let needle = b"IHE_XDM/B.XML";
    let mut i = 0;
    while let Some(p) = zip[i..].windows(needle.len()).position(|w| w == needle) {
        zip[i + p + 8] = b'A';
        i += p + 1;
    }
    assert_eq!(kind_of(&zip), ErrorKind::DuplicateEntry);
}

#[test]
fn encrypted_entries_are_refused() {
    let mut zip = zip_with(&[("IHE_XDM/A.XML", b"secret")]);
    // set bit 0 of the general purpose flags in the local and central headers
    for sig in [[0x50u8, 0x4b, 3, 4], [0x50, 0x4b, 1, 2]] {
        let p = zip.windows(4).position(|w| w == sig).unwrap();
        let flags_at = if sig[2] == 3 { p + 6 } else { p + 8 };
        zip[flags_at] |= 1;
    }
    assert_eq!(kind_of(&zip), ErrorKind::EncryptedEntry);
}

#[test]
fn broken_central_directories_are_typed_errors() {
    let good = two_subset_archive();
    let cd = good
        .windows(4)
        .position(|w| w == [0x50, 0x4b, 1, 2])
        .unwrap();
    // corrupt the first central directory signature
    let mut bad = good.clone();
    bad[cd] = 0;
    assert_eq!(kind_of(&bad), ErrorKind::BrokenArchive);
    // truncated archives
    for cut in [10, good.len() / 2, good.len() - 30] {
        assert_eq!(
            kind_of(&good[..cut]),
            ErrorKind::BrokenArchive,
            "cut at {cut}"
        );
    }
    // directory offset pointing past the end
    let mut bad = good.clone();
    let eocd = good.len() - 22;
    bad[eocd + 16..eocd + 20].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(kind_of(&bad), ErrorKind::BrokenArchive);
    // a corrupted deflate stream / CRC mismatch inside an entry
    let mut bad = good.clone();
    let data_at = 30 + "INDEX.HTM".len() + 5;
    bad[data_at] ^= 0xff;
    assert_eq!(kind_of(&bad), ErrorKind::BrokenArchive);
}

#[test]
fn every_truncation_and_bit_flip_is_an_error_or_a_read() {
    let good = two_subset_archive();
    for cut in (0..good.len()).step_by(211) {
        let _ = read_xdm(&good[..cut], &ReadOptions::lenient());
    }
    for at in (0..good.len()).step_by(101) {
        let mut bad = good.clone();
        bad[at] ^= 0x5a;
        let _ = read_xdm(&bad, &ReadOptions::lenient());
    }
}

mod round_trip {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// Whatever the contents and requested names, an archive reads back strictly with the
        /// same bytes under 8.3 names.
        #[test]
        fn any_documents_read_back(
            docs in proptest::collection::vec(
                (proptest::collection::vec(any::<u8>(), 0..2048), "\\PC{0,20}"),
                1..4,
            ),
            seed in any::<u64>(),
        ) {
            let rng = SeededRandomness::new(seed);
            let titles: Vec<&str> = docs.iter().map(|_| "Document").collect();
            let mut s = submission(&rng, &titles);
            for (entry, (_, name)) in s.documents.iter_mut().zip(&docs) {
                entry.mime_type = "application/pdf".to_owned();
                entry.uri = Some(name.clone());
            }
            let mut w = XdmWriter::new(WriteOptions::default());
            w.add_submission(s, docs.iter().map(|(d, _)| d.clone()).collect()).unwrap();
            let zip = w.write().unwrap();
            let archive = read_xdm(&zip, &ReadOptions::strict()).unwrap();
            let read: Vec<&segur_mssante::XdmDocument> = archive.documents().collect();
            prop_assert_eq!(read.len(), docs.len());
            for (d, (data, _)) in read.iter().zip(&docs) {
                prop_assert_eq!(&d.data, data);
                let name = d.path.rsplit('/').next().unwrap();
                prop_assert!(segur_mssante::names::is_dos_name(name), "{}", name);
            }
        }
    }
}
