#!/usr/bin/env bash
# Load-independent companion of benches/cda_parse.rs: counts the instructions each Rust
# implementation executes for one pass over each set (valgrind --tool=cachegrind), minus the
# set-up, and prints them with their ratio to quick-xml's raw event loop ("x qx_raw" > 1 means
# fewer instructions than quick-xml). Instructions are not time (memory stalls and vector
# width differ), but they do not move with the machine's load.
#
#   bash benches/instructions.sh        (needs valgrind; builds the bench profile first)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "instructions.sh needs valgrind (apt-get install valgrind)" >&2; exit 1; }
bin=$(cargo bench --bench cda_parse --no-run --message-format=json 2>/dev/null \
  | python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "cda_parse" and m.get("executable"):
        print(m["executable"])')
count() {
  CDA_BENCH_MODE=once CDA_BENCH_SET=$1 CDA_BENCH_IMPL=$2 valgrind --tool=cachegrind \
    --cache-sim=no --cachegrind-out-file=/dev/null "$bin" 2>&1 \
    | sed -n 's/.*I *refs: *\([0-9,]*\).*/\1/p' | tr -d ,
}
printf '%-11s %-17s %14s %9s\n' set impl instructions "x qx_raw"
for set in real real-nob64 sb-10mb n1-pdf5mb; do
  base=$(count "$set" none)
  qx=$(( $(count "$set" qx_raw) - base ))
  for impl in qx_raw segur_flat segur_flat_reuse segur_extract segur_typed segur_typed_reuse segur_typed_read segur_parse rox_extract memchr_lt; do
    if [ "$set" = n1-pdf5mb ] && [ "${impl%extract}" != "$impl" ]; then continue; fi
    n=$(( $(count "$set" "$impl") - base ))
    python3 -c "import sys; s,i,n,q=sys.argv[1:]; print(f'{s:<11} {i:<17} {int(n):>14,} {int(q)/int(n):>9.2f}')" "$set" "$impl" "$n" "$qx"
  done
done
