//! The document sets of the CDA benchmarks (`cda_parse`, `cda_memory`):
//!
//! * `real`: the ANS example corpus (`../shared/corpus/cda/examples/TestContenuCDA-3-0`);
//! * `real-nob64`: its documents without any base64 payload (markup-dense);
//! * `sb-10mb`: one synthetic ≥ 10 MB structured document (a real N3 body repeated);
//! * `n1-pdf5mb`: an N1 document carrying a 5 MiB PDF.

use std::path::PathBuf;

/// A named set of documents.
pub(crate) struct Set {
    /// The set's name (`real`, `real-nob64`, `sb-10mb`, `n1-pdf5mb`).
    pub(crate) name: &'static str,
    /// Its documents.
    pub(crate) docs: Vec<Vec<u8>>,
}

impl Set {
    /// The total size of the set.
    pub(crate) fn bytes(&self) -> u64 {
        self.docs.iter().map(|d| d.len() as u64).sum()
    }
}

fn corpus_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/cda/examples/TestContenuCDA-3-0"
    ))
}

fn real_docs() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("the CDA corpus (../shared/corpus/cda/examples/TestContenuCDA-3-0)")
        .map(|e| e.expect("readable directory").path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p
                .file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read(&p).expect("readable corpus file"))
        })
        .collect()
}

/// Whether a document carries a base64 payload.
fn has_base64(doc: &[u8]) -> bool {
    memchr::memmem::find(doc, b"representation=\"B64\"").is_some()
}

fn find(hay: &[u8], needle: &[u8]) -> usize {
    memchr::memmem::find(hay, needle)
        .unwrap_or_else(|| panic!("{} not found", String::from_utf8_lossy(needle)))
}

/// The largest base64-free N3 document with its body's components repeated to reach 10 MB.
fn synthetic_structured(real: &[(String, Vec<u8>)]) -> Vec<u8> {
    let (_, base) = real
        .iter()
        .filter(|(_, d)| !has_base64(d) && memchr::memmem::find(d, b"<structuredBody").is_some())
        .max_by_key(|(_, d)| d.len())
        .expect("an N3 document without base64");
    let body = find(base, b"<structuredBody");
    let first = body + find(&base[body..], b"<component");
    let end = find(base, b"</structuredBody>");
    let (head, components, tail) = (&base[..first], &base[first..end], &base[end..]);
    let mut out = head.to_vec();
    while out.len() + tail.len() < 10_000_000 {
        out.extend_from_slice(components);
    }
    out.extend_from_slice(tail);
    out
}

/// A real N1 document whose payload is replaced by 5 MiB of base64 (76-character lines).
fn n1_with_pdf(real: &[(String, Vec<u8>)]) -> Vec<u8> {
    let (_, base) = real
        .iter()
        .filter(|(_, d)| memchr::memmem::find(d, b"<nonXMLBody").is_some())
        .min_by_key(|(_, d)| d.len())
        .expect("an N1 document");
    let body = find(base, b"<nonXMLBody");
    let text = body + find(&base[body..], b"<text");
    let start = text + find(&base[text..], b">") + 1;
    let end = start + find(&base[start..], b"</text>");
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    while pdf.len() < 5 << 20 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        pdf.extend_from_slice(&state.to_le_bytes());
    }
    pdf.truncate(5 << 20);
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = Vec::with_capacity(pdf.len() * 4 / 3 + pdf.len() / 50);
    for (i, chunk) in pdf.chunks(3).enumerate() {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let w = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            b64.push(if k <= chunk.len() {
                alphabet[((w >> (18 - 6 * k)) & 63) as usize]
            } else {
                b'='
            });
        }
        if i % 19 == 18 {
            b64.push(b'\n');
        }
    }
    let mut out = base[..start].to_vec();
    out.extend_from_slice(&b64);
    out.extend_from_slice(&base[end..]);
    out
}

/// The four sets.
pub(crate) fn sets() -> Vec<Set> {
    let real = real_docs();
    let nob64: Vec<Vec<u8>> = real
        .iter()
        .filter(|(_, d)| !has_base64(d))
        .map(|(_, d)| d.clone())
        .collect();
    let sb = synthetic_structured(&real);
    let n1 = n1_with_pdf(&real);
    vec![
        Set {
            name: "real",
            docs: real.into_iter().map(|(_, d)| d).collect(),
        },
        Set {
            name: "real-nob64",
            docs: nob64,
        },
        Set {
            name: "sb-10mb",
            docs: vec![sb],
        },
        Set {
            name: "n1-pdf5mb",
            docs: vec![n1],
        },
    ]
}
