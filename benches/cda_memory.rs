//! Memory of the CDA parser: for every document of the benchmark sets (see
//! `support/cda_sets.rs`), the heap the parsed [`Document`](segur::cda::Document) holds, as a
//! multiple of the input size, counted by an instrumented global allocator. The input itself
//! is not counted (it is read before), nor the stack. Prints one line per set: the median, the
//! largest ratio and the total (held bytes of the whole set ÷ its size), plus the allocation
//! count of the set.
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

fn main() {
    println!("set         median   max      total    allocations");
    for set in cda_sets::sets() {
        let mut ratios = Vec::with_capacity(set.docs.len());
        let (mut held_total, mut allocations) = (0usize, 0usize);
        for doc in &set.docs {
            let region = Region::new(GLOBAL);
            let parsed = segur_cda::parse(doc).expect("the set parses");
            let bytes = held(&region);
            allocations += region.change().allocations;
            drop(parsed);
            held_total += bytes;
            ratios.push(bytes as f64 / doc.len() as f64);
        }
        ratios.sort_by(f64::total_cmp);
        println!(
            "{:<11} {:>5.2}x  {:>5.2}x  {:>5.2}x  {}",
            set.name,
            ratios[ratios.len() / 2],
            ratios[ratios.len() - 1],
            held_total as f64 / set.bytes() as f64,
            allocations
        );
    }
}
