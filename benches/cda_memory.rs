//! Memory of the CDA parser: for every document of the benchmark sets (see
//! `support/cda_sets.rs`), the heap the parsed document holds (the flat index of
//! `segur_cda::flat`, and the typed tree of `segur_cda::parse`), as a multiple of the input
//! size, counted by an instrumented global allocator. The input itself is not counted (it is
//! read before), nor the stack. Prints three lines per set: `flat` (the index alone), `typed`
//! (the typed parse of `benches/cda_parse.rs`: the index and the header built as the typed
//! model, held together) and `tree`: the median, the largest ratio and the total (held bytes of
//! the whole set ÷ its size), plus the allocation count.
//!
//! `cargo bench --bench cda_memory`

use std::alloc::System;

use segur::cda as segur_cda;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[path = "support/cda_sets.rs"]
mod cda_sets;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// The bytes a region holds now: allocated − freed. stats_alloc already adds a reallocation's
/// growth to `bytes_allocated` (and its shrinking to `bytes_deallocated`); its
/// `bytes_reallocated` is the same amount again, so it must not be added.
fn held(region: &Region<'_, System>) -> usize {
    let c = region.change();
    c.bytes_allocated.saturating_sub(c.bytes_deallocated)
}

/// The heap `parse` leaves held by what it returns, and its allocation count.
fn held_by<T>(parse: impl FnOnce() -> T) -> (usize, usize) {
    let region = Region::new(GLOBAL);
    let parsed = parse();
    let bytes = held(&region);
    let allocations = region.change().allocations;
    drop(parsed);
    (bytes, allocations)
}

/// [`held_by`] for the typed parse: the flat index and the typed header, both alive.
fn held_by_typed(doc: &[u8]) -> (usize, usize) {
    let region = Region::new(GLOBAL);
    let parsed = segur_cda::flat::parse(doc).expect("the set parses");
    let header = parsed.header();
    let bytes = held(&region);
    let allocations = region.change().allocations;
    drop(header);
    drop(parsed);
    (bytes, allocations)
}

/// One line: the median and largest held ÷ input ratios, the held total ÷ the set's size, and
/// the allocation count, of `measure` (see [`held_by`]) over every document of `set`.
fn report(set: &cda_sets::Set, label: &str, measure: impl Fn(&[u8]) -> (usize, usize)) {
    let mut ratios = Vec::with_capacity(set.docs.len());
    let (mut held_total, mut allocations) = (0usize, 0usize);
    for doc in &set.docs {
        let (bytes, count) = measure(doc);
        allocations += count;
        held_total += bytes;
        ratios.push(bytes as f64 / doc.len() as f64);
    }
    ratios.sort_by(f64::total_cmp);
    println!(
        "{:<11} {:<6} {:>5.2}x  {:>5.2}x  {:>5.2}x  {}",
        set.name,
        label,
        ratios[ratios.len() / 2],
        ratios[ratios.len() - 1],
        held_total as f64 / set.bytes() as f64,
        allocations
    );
}

fn main() {
    println!("set         parse  median   max      total    allocations");
    for set in cda_sets::sets() {
        report(&set, "flat", |d| {
            held_by(|| segur_cda::flat::parse(d).expect("the set parses"))
        });
        report(&set, "typed", held_by_typed);
        report(&set, "tree", |d| {
            held_by(|| segur_cda::parse(d).expect("the set parses"))
        });
    }
}
