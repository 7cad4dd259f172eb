#!/usr/bin/env bash
# Companion of benches/cda_parse.rs: adds the non-Rust competitors (lxml + XPath, pugixml) and
# prints ratios against the Rust anchors measured in the neighbouring runs.
#
#   bash benches/compare.sh [CYCLES]     (default 3 cycles; needs python3-lxml, g++, libpugixml-dev)
#
# Each cycle runs the Rust anchors (CDA_BENCH_MODE=anchors), then lxml, then pugixml, on the
# same four sets (written once by CDA_BENCH_MODE=write-sets). Ratios use the medians over cycles.
# "segur / it" is segur_extract's throughput (segur_flat on the N1 set) over the row's.
set -euo pipefail
cd "$(dirname "$0")/.."
cycles=${1:-3}
out=${CDA_BENCH_DIR:-target/cda-bench}
mkdir -p "$out"
python3 -c 'import lxml' || { echo "compare.sh needs lxml: python3 -m pip install lxml" >&2; exit 1; }
[ -f /usr/include/pugixml.hpp ] || { echo "compare.sh needs libpugixml-dev and g++ (apt-get install libpugixml-dev g++)" >&2; exit 1; }

CDA_BENCH_MODE=write-sets CDA_BENCH_DIR="$(realpath "$out")" cargo bench --bench cda_parse
g++ -O2 -std=c++17 benches/pugixml_extract.cpp -lpugixml -o "$out/pugixml_extract"

: > "$out/results.tsv"
for cycle in $(seq "$cycles"); do
  echo "cycle $cycle/$cycles" >&2
  CDA_BENCH_MODE=anchors cargo bench --bench cda_parse | grep -P '^\S+\t\S+\t[0-9.]+$' >> "$out/results.tsv"
  python3 benches/lxml_extract.py "$out" >> "$out/results.tsv"
  "$out/pugixml_extract" "$out" >> "$out/results.tsv"
done

python3 - "$out/results.tsv" <<'PY'
import statistics, sys
from collections import defaultdict
runs = defaultdict(list)
for line in open(sys.argv[1]):
    s, impl, mbs = line.split("\t")
    runs[(s, impl)].append(float(mbs))
med = {k: statistics.median(v) for k, v in runs.items()}
impls = ["memchr_lt", "qx_raw", "segur_flat", "segur_flat_reuse", "segur_extract", "segur_typed",
         "segur_typed_reuse", "segur_typed_read", "segur_parse",
         "rox_extract",
         "lxml_xpath_extract", "pugi_parse", "pugi_extract"]
print(f"{'set':<11} {'impl':<19} {'MB/s':>9} {'x memchr':>9} {'x qx_raw':>9} {'segur / it':>11}")
for s in ["real", "real-nob64", "sb-10mb", "n1-pdf5mb"]:
    qx = med.get((s, "qx_raw"))
    mc = med.get((s, "memchr_lt"))
    seg = med.get((s, "segur_extract")) or med.get((s, "segur_flat"))
    for i in impls:
        if (s, i) not in med:
            continue
        v = med[(s, i)]
        print(f"{s:<11} {i:<19} {v:>9.1f} {v / mc:>9.4f} {v / qx:>9.3f} {seg / v:>11.2f}")
PY
