//! CDA parsing benchmark: segur-cda's flat parse (`segur_flat`: the index, with the slot of the
//! typed model of every body element), the same plus the extraction of the `segur cda inspect`
//! fields (`segur_extract`), the same plus the typed header (`segur_typed`: the typed parse,
//! whose body is read through the views), the same plus the reading of every typed field of
//! the body (`segur_typed_read`), and its typed-tree parse (`segur_parse`); `segur_flat_reuse`
//! and `segur_typed_reuse` are the flat and typed parses through one `flat::Parser`, which
//! writes each document's index into the buffers of the one before. All side
//! by side with quick-xml's raw event loop, roxmltree parse + extraction and a memchr scan, on
//! four sets:
//!
//! * `real`: the ANS example corpus (`../shared/corpus/cda/examples/TestContenuCDA-3-0`);
//! * `real-nob64`: its documents without any base64 payload (markup-dense);
//! * `sb-10mb`: one synthetic ≥ 10 MB structured document (a real N3 body repeated);
//! * `n1-pdf5mb`: an N1 document carrying a 5 MiB PDF (payload skipped, not decoded).
//!
//! Every competitor's extraction is checked against segur's before timing. Ratios are read from
//! one run (same process, same machine load). `benches/compare.sh` adds lxml and pugixml, which
//! cannot share the process: it uses two extra modes of this binary, selected by environment:
//! `CDA_BENCH_MODE=write-sets` (writes the four sets under `CDA_BENCH_DIR`) and
//! `CDA_BENCH_MODE=anchors` (prints MB/s of the Rust implementations, one line each).
//! `benches/instructions.sh` counts instructions instead of time (load-independent), with
//! `CDA_BENCH_MODE=once CDA_BENCH_SET=<set> CDA_BENCH_IMPL=<impl or none>`: one pass of one
//! implementation over one set, without the verification, under `valgrind --tool=cachegrind`.
//! `CDA_BENCH_MODE=interleaved [CDA_BENCH_ROUNDS=31]` alternates the implementations pass by pass
//! (each round times one pass of every implementation, in an order rotated from round to round)
//! and prints, per set and implementation, the median and quartiles of the per-round ratios to
//! quick-xml: a measure that sees what best-of-rounds hides (the pages a fresh allocation takes
//! after another implementation ran, the machine's drift between two implementations' rounds).

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use quick_xml::events::Event;
use segur::cda as segur_cda;

#[path = "support/cda_sets.rs"]
mod cda_sets;
use cda_sets::{Set, sets};

const HL7: &str = "urn:hl7-org:v3";

// ---------------------------------------------------------------------------------------------
// the competitors

/// A scan for `<`: the memory-bandwidth bound.
fn memchr_lt(doc: &[u8]) -> usize {
    memchr::memchr_iter(b'<', doc).count()
}

/// quick-xml's raw event loop (no namespaces, no attribute decoding): the reference.
fn qx_raw(doc: &[u8]) -> usize {
    let mut reader = quick_xml::Reader::from_reader(doc);
    let mut n = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => return n,
            Ok(_) => n += 1,
            Err(e) => panic!("quick-xml: {e}"),
        }
    }
}

/// segur's typed parse: the flat parse (every body element in its slot of the typed model) and
/// the header as the typed model.
fn segur_typed(doc: &[u8]) -> usize {
    with_header(&segur_cda::flat::parse(doc).expect("segur parses the set"))
}

/// The header of a flat document built as the typed model (a count of what was read).
fn with_header(parsed: &segur_cda::flat::Document<'_>) -> usize {
    let header = black_box(parsed.header());
    header.template_ids.len() + header.authors.len() + parsed.elements().len()
}

thread_local! {
    /// The parser of the `*_reuse` implementations: each document's index is written into the
    /// buffers of the one before (see `segur_cda::flat::Parser`).
    static PARSER: std::cell::RefCell<segur_cda::flat::Parser> =
        std::cell::RefCell::new(segur_cda::flat::Parser::new());
}

/// `read` on the flat parse of `doc` by the reusing parser, whose buffers are given back after.
fn reusing(doc: &[u8], read: fn(&segur_cda::flat::Document<'_>) -> usize) -> usize {
    PARSER.with_borrow_mut(|parser| {
        let parsed = parser.parse(doc).expect("segur parses the set");
        let n = read(&parsed);
        parser.recycle(parsed);
        n
    })
}

/// [`segur_typed`] through a parser that reuses its buffers from one document to the next.
fn segur_typed_reuse(doc: &[u8]) -> usize {
    reusing(doc, with_header)
}

/// segur's typed reading of a whole document: the flat parse, the header as the typed model, and
/// every typed field of the body read through its views (each section's identifiers, codes,
/// title, narrative and participations; each statement's attributes, identifiers, codes, text,
/// times, values, tagged codes, participations and relationships, recursively).
fn segur_typed_read(doc: &[u8]) -> usize {
    let parsed = segur_cda::flat::parse(doc).expect("segur parses the set");
    let mut n = with_header(&parsed);
    match parsed.body() {
        Some(segur_cda::flat::Body::Structured(body)) => {
            n += body.sections().map(typed_section).sum::<usize>();
        }
        Some(segur_cda::flat::Body::NonXml(body)) => n += black_box(body).text.content.len(),
        _ => {}
    }
    n
}

fn typed_section(s: segur_cda::flat::Section<'_>) -> usize {
    let mut n = s.template_ids().map(black_box).count() + s.participations().map(black_box).count();
    n += usize::from(black_box(s.id_attr()).is_some() && black_box(s.id()).is_some());
    n += usize::from(black_box(s.code()).is_some() && black_box(s.title()).is_some());
    n += usize::from(black_box(s.text()).is_some());
    n += usize::from(black_box(s.confidentiality_code()).is_some());
    n += usize::from(black_box(s.language_code()).is_some());
    for e in s.entries() {
        n += usize::from(black_box(e.type_code()).is_some());
        n += e.statement().map_or(0, typed_statement);
    }
    n + s.sections().map(typed_section).sum::<usize>()
}

fn typed_statement(st: segur_cda::flat::Statement<'_>) -> usize {
    let mut n = usize::from(black_box(st.kind()) == segur_cda::StatementKind::Observation);
    n += usize::from(
        black_box((st.class_code(), st.mood_code(), st.negation_ind()))
            .0
            .is_some(),
    );
    n += st.template_ids().map(black_box).count() + st.ids().map(black_box).count();
    n += usize::from(black_box(st.code()).is_some() && black_box(st.text()).is_some());
    n += usize::from(black_box(st.status_code()).is_some());
    n += st.effective_times().map(black_box).count() + st.values().map(black_box).count();
    n += st.tagged_codes().map(black_box).count() + st.participations().map(black_box).count();
    for r in st.relationships() {
        n += usize::from(black_box((r.type_code(), r.inversion_ind())).0.is_some());
        n += r.statement().map_or(0, typed_statement);
    }
    n
}

/// The extracted fields, as `key=value` lines (the `segur cda inspect` fields).
type Fields = Vec<String>;

fn segur_extract(doc: &[u8]) -> Fields {
    let parsed = segur_cda::flat::parse(doc).expect("segur parses the set");
    let s = segur_cda::Summary::of(&parsed);
    let mut f = Vec::with_capacity(32);
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "∅".into());
    f.extend(s.template_ids.iter().map(|t| format!("template={t}")));
    for (k, v) in [
        ("id", &s.id),
        ("code", &s.code),
        ("code_system", &s.code_system),
        ("title", &s.title),
        ("effective_time", &s.effective_time),
        ("confidentiality", &s.confidentiality),
        ("language", &s.language),
        ("set_id", &s.set_id),
        ("version", &s.version),
    ] {
        f.push(format!("{k}={}", opt(v)));
    }
    f.extend(s.patient_ids.iter().map(|t| format!("patient={t}")));
    f.extend(s.author_ids.iter().map(|t| format!("author={t}")));
    f.push(format!("custodian={}", opt(&s.custodian_id)));
    f.push(format!("body={}", s.body.unwrap_or("∅")));
    f.push(format!("media_type={}", opt(&s.media_type)));
    f.extend(
        s.section_codes
            .iter()
            .map(|c| format!("section={}", opt(c))),
    );
    f
}

type RoxNode<'a, 'i> = roxmltree::Node<'a, 'i>;

/// The HL7 child elements of `n` named `name`.
fn kids<'a, 'i>(n: RoxNode<'a, 'i>, name: &'static str) -> impl Iterator<Item = RoxNode<'a, 'i>> {
    n.children().filter(move |c| {
        c.is_element() && c.tag_name().name() == name && c.tag_name().namespace() == Some(HL7)
    })
}

/// The first element along a path of HL7 child names.
fn first<'a, 'i>(n: RoxNode<'a, 'i>, path: &[&'static str]) -> Option<RoxNode<'a, 'i>> {
    let mut cur = Some(n);
    for p in path {
        cur = cur.and_then(|c| kids(c, p).next());
    }
    cur
}

fn rox_extract(doc: &[u8]) -> Fields {
    let text = std::str::from_utf8(doc).expect("UTF-8 set");
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..roxmltree::ParsingOptions::default()
    };
    let tree =
        roxmltree::Document::parse_with_options(text, opts).expect("roxmltree parses the set");
    let is = |n: &roxmltree::Node<'_, '_>, name: &str| {
        n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(HL7)
    };
    let root = tree.root_element();
    let cd = if is(&root, "ClinicalDocument") {
        root
    } else {
        root.descendants()
            .find(|n| is(n, "ClinicalDocument"))
            .expect("a ClinicalDocument")
    };
    let ii = |n: roxmltree::Node<'_, '_>| {
        let root = n.attribute("root").unwrap_or("");
        n.attribute("extension")
            .map_or_else(|| root.to_owned(), |e| format!("{root}^{e}"))
    };
    let attr = |n: Option<roxmltree::Node<'_, '_>>, a: &str| {
        n.and_then(|n| n.attribute(a))
            .map_or_else(|| "∅".to_owned(), str::to_owned)
    };
    let mut f = Vec::with_capacity(32);
    for t in kids(cd, "templateId") {
        let root = t.attribute("root").unwrap_or("");
        f.push(match t.attribute("extension") {
            Some(e) => format!("template={root}:{e}"),
            None => format!("template={root}"),
        });
    }
    f.push(format!(
        "id={}",
        first(cd, &["id"]).map_or_else(|| "∅".to_owned(), ii)
    ));
    f.push(format!("code={}", attr(first(cd, &["code"]), "code")));
    f.push(format!(
        "code_system={}",
        attr(first(cd, &["code"]), "codeSystem")
    ));
    let title = first(cd, &["title"]).map_or_else(
        || "∅".to_owned(),
        |t| {
            let s: String = t
                .descendants()
                .filter(roxmltree::Node::is_text)
                .filter_map(|d| d.text())
                .collect();
            s.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
        },
    );
    f.push(format!("title={title}"));
    f.push(format!(
        "effective_time={}",
        attr(first(cd, &["effectiveTime"]), "value")
    ));
    f.push(format!(
        "confidentiality={}",
        attr(first(cd, &["confidentialityCode"]), "code")
    ));
    f.push(format!(
        "language={}",
        attr(first(cd, &["languageCode"]), "code")
    ));
    f.push(format!(
        "set_id={}",
        first(cd, &["setId"]).map_or_else(|| "∅".to_owned(), ii)
    ));
    f.push(format!(
        "version={}",
        attr(first(cd, &["versionNumber"]), "value")
    ));
    for rt in kids(cd, "recordTarget") {
        for pr in kids(rt, "patientRole") {
            f.extend(kids(pr, "id").map(|i| format!("patient={}", ii(i))));
        }
    }
    for au in kids(cd, "author") {
        for aa in kids(au, "assignedAuthor") {
            f.extend(kids(aa, "id").map(|i| format!("author={}", ii(i))));
        }
    }
    let custodian = first(
        cd,
        &[
            "custodian",
            "assignedCustodian",
            "representedCustodianOrganization",
            "id",
        ],
    );
    f.push(format!(
        "custodian={}",
        custodian.map_or_else(|| "∅".to_owned(), ii)
    ));
    let n1 = first(cd, &["component", "nonXMLBody"]);
    let n3 = first(cd, &["component", "structuredBody"]);
    f.push(format!(
        "body={}",
        if n1.is_some() {
            "N1"
        } else if n3.is_some() {
            "N3"
        } else {
            "∅"
        }
    ));
    f.push(format!(
        "media_type={}",
        attr(n1.and_then(|b| first(b, &["text"])), "mediaType")
    ));
    if let Some(sb) = n3 {
        for comp in kids(sb, "component") {
            for sec in kids(comp, "section") {
                f.push(format!("section={}", attr(first(sec, &["code"]), "code")));
            }
        }
    }
    f
}

/// Checks that roxmltree and segur extract the same fields from every document of every set.
fn verify(sets: &[Set]) {
    for set in sets {
        for doc in &set.docs {
            assert_eq!(
                rox_extract(doc),
                segur_extract(doc),
                "roxmltree and segur disagree in {}",
                set.name
            );
        }
    }
}

type Impl = (&'static str, fn(&[u8]) -> usize);

fn impls() -> Vec<Impl> {
    vec![
        ("memchr_lt", memchr_lt),
        ("qx_raw", qx_raw),
        ("segur_flat", |d| {
            segur_cda::flat::parse(d).expect("parses").elements().len()
        }),
        ("segur_flat_reuse", |d| reusing(d, |p| p.elements().len())),
        ("segur_extract", |d| segur_extract(d).len()),
        ("segur_typed", segur_typed),
        ("segur_typed_reuse", segur_typed_reuse),
        ("segur_typed_read", segur_typed_read),
        ("segur_parse", |d| {
            usize::from(segur_cda::parse(d).expect("parses").body.is_some())
        }),
        ("rox_extract", |d| rox_extract(d).len()),
    ]
}

fn run_set(f: fn(&[u8]) -> usize, set: &Set) -> usize {
    set.docs.iter().map(|d| f(black_box(d))).sum()
}

// ---------------------------------------------------------------------------------------------
// modes

fn criterion_mode(sets: &[Set]) {
    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    for set in sets {
        let mut group = c.benchmark_group(format!("cda/{}", set.name));
        group.throughput(Throughput::Bytes(set.bytes()));
        for (name, f) in impls() {
            // the N1 set only measures skipping the payload: no extraction competitors
            if set.name == "n1-pdf5mb" && name.ends_with("extract") {
                continue;
            }
            group.bench_function(name, |b| b.iter(|| run_set(f, set)));
        }
        if set.name == "n1-pdf5mb" {
            let doc = segur_cda::parse(&set.docs[0]).expect("parses");
            let Some(segur_cda::Body::NonXml(body)) = &doc.body else {
                panic!("an N1 body")
            };
            group.bench_function("segur_decode_payload", |b| {
                b.iter(|| body.text.decode_to(std::io::sink()).expect("valid base64"));
            });
        }
        group.finish();
    }
    c.final_summary();
}

/// Best-of-rounds MB/s of each implementation on each set, one line per (set, impl).
fn anchors_mode(sets: &[Set]) {
    for set in sets {
        for (name, f) in impls() {
            if set.name == "n1-pdf5mb" && name.ends_with("extract") {
                continue;
            }
            let mut best = f64::INFINITY;
            let deadline = Instant::now() + Duration::from_secs(2);
            let mut rounds = 0;
            while rounds < 5 || (Instant::now() < deadline && rounds < 200) {
                let t = Instant::now();
                black_box(run_set(f, set));
                best = best.min(t.elapsed().as_secs_f64());
                rounds += 1;
            }
            println!(
                "{}\t{}\t{:.1}",
                set.name,
                name,
                set.bytes() as f64 / best / 1e6
            );
        }
    }
}

/// The per-round ratios of each implementation to quick-xml, passes alternated: one line per
/// (set, impl) with the median, first and third quartiles.
fn interleaved_mode(sets: &[Set]) {
    let rounds: usize = std::env::var("CDA_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(31);
    let impls: Vec<Impl> = impls()
        .into_iter()
        .filter(|(n, _)| !matches!(*n, "memchr_lt" | "rox_extract"))
        .collect();
    let qx = impls
        .iter()
        .position(|(n, _)| *n == "qx_raw")
        .expect("quick-xml is an implementation");
    for set in sets.iter().filter(|s| s.name != "n1-pdf5mb") {
        let mut ratios = vec![Vec::with_capacity(rounds); impls.len()];
        for round in 0..rounds {
            let mut secs = vec![0.0; impls.len()];
            for k in 0..impls.len() {
                let i = (round + k) % impls.len();
                let t = Instant::now();
                black_box(run_set(impls[i].1, set));
                secs[i] = t.elapsed().as_secs_f64();
            }
            for (r, s) in ratios.iter_mut().zip(&secs) {
                r.push(secs[qx] / s);
            }
        }
        for ((name, _), r) in impls.iter().zip(&mut ratios) {
            r.sort_by(f64::total_cmp);
            let at = |q: usize| r[(r.len() - 1) * q / 4];
            println!(
                "{}\t{}\t{:.3}\t{:.3}\t{:.3}",
                set.name,
                name,
                at(2),
                at(1),
                at(3)
            );
        }
    }
}

fn write_sets(sets: &[Set], dir: &Path) {
    for set in sets {
        let sub = dir.join(set.name);
        std::fs::create_dir_all(&sub).expect("creatable set directory");
        for (i, doc) in set.docs.iter().enumerate() {
            std::fs::write(sub.join(format!("{i:03}.xml")), doc).expect("writable set file");
        }
    }
    println!("wrote {} sets under {}", sets.len(), dir.display());
}

/// One pass of `CDA_BENCH_IMPL` (or none: the set-up alone) over `CDA_BENCH_SET`.
fn once_mode(sets: &[Set]) {
    let var = |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("{name} is required"));
    let (set_name, impl_name) = (var("CDA_BENCH_SET"), var("CDA_BENCH_IMPL"));
    let set = sets
        .iter()
        .find(|s| s.name == set_name)
        .unwrap_or_else(|| panic!("no set {set_name}"));
    if impl_name != "none" {
        let (_, f) = impls()
            .into_iter()
            .find(|(n, _)| *n == impl_name)
            .unwrap_or_else(|| panic!("no implementation {impl_name}"));
        black_box(run_set(f, set));
    }
}

fn main() {
    let sets = sets();
    if std::env::var("CDA_BENCH_MODE").as_deref() == Ok("once") {
        return once_mode(&sets);
    }
    verify(&sets);
    match std::env::var("CDA_BENCH_MODE").as_deref() {
        Ok("anchors") => anchors_mode(&sets),
        Ok("interleaved") => interleaved_mode(&sets),
        Ok("write-sets") => {
            let dir =
                std::env::var("CDA_BENCH_DIR").expect("CDA_BENCH_DIR names the output directory");
            write_sets(&sets, Path::new(&dir));
        }
        _ => criterion_mode(&sets),
    }
}
