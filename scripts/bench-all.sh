#!/usr/bin/env bash
# Every workload of shared/bench/WORKLOADS.md the engine runs (sqs-pipeline, fanout,
# asl-map), natively and compiled to wasm32-wasip1 under Node's WASI, printed beside the
# peer figures recorded in WORKLOADS.md, as ratios. The peers are not run again here
# (scripts/bench.sh runs SimPy side by side for sqs-pipeline).
#
#   scripts/bench-all.sh                       # the sizes of WORKLOADS.md, 1 round
#   RUNS=3 scripts/bench-all.sh                # medians of 3 rounds
#   SQS_N=200000 FANOUT_N=50000 scripts/bench-all.sh   # quicker (rates barely depend on N)
#
# Environment: RUNS, SQS_N (1000000), FANOUT_N publishes (200000), ASL_RUNS (100),
# SHARED_DIR (../shared next to the repo), CARGO_TARGET_DIR (target-bench), SKIP_WASM=1.
# Quote ratios, not absolute times: the machines are shared and noisy.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED_DIR="${SHARED_DIR:-$(dirname "$REPO")/shared}"
RUNS="${RUNS:-1}"
SQS_N="${SQS_N:-1000000}"
FANOUT_N="${FANOUT_N:-200000}"
ASL_RUNS="${ASL_RUNS:-100}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target-bench}"
RUNNER="$REPO/crates/engine/benches/run-wasi.mjs"
NATIVE="$CARGO_TARGET_DIR/release/examples/workloads"
WASM="$CARGO_TARGET_DIR/wasm32-wasip1/release/examples/workloads.wasm"
cd "$REPO"
OUT="$(mktemp -d "${TMPDIR:-/tmp}/loosely-bench-all.XXXXXX")"
echo "# results in $OUT" >&2

echo "# building native example" >&2
cargo build --quiet --release -p loosely-engine --example workloads
run_wasm=1
if [[ "${SKIP_WASM:-0}" == 1 ]] || ! command -v node >/dev/null; then
    echo "# skipping wasm (SKIP_WASM=1 or no node)" >&2
    run_wasm=0
elif ! cargo build --quiet --release -p loosely-engine --example workloads --target wasm32-wasip1; then
    echo "# wasm32-wasip1 build failed (rustup target add wasm32-wasip1?): skipping wasm" >&2
    run_wasm=0
fi

# Runs "$@" and appends its RESULT json to $OUT/$1-$2.jsonl (workload-variant).
record() {
    local file="$OUT/$1-$2.jsonl"
    shift 2
    echo "# $*" >&2
    "$@" | tee /dev/stderr | sed -n 's/^RESULT //p' >>"$file"
}

for round in $(seq 1 "$RUNS"); do
    echo "# round $round of $RUNS" >&2
    for workload in "sqs-pipeline $SQS_N" "fanout $FANOUT_N" "asl-map $ASL_RUNS"; do
        # shellcheck disable=SC2086 # "name N" splits into two arguments on purpose
        set -- $workload
        record "$1" native "$NATIVE" "$1" "$2"
        if [[ $run_wasm == 1 ]]; then
            record "$1" wasm node --no-warnings "$RUNNER" "$WASM" "$1" "$2"
        fi
    done
done

python3 - "$OUT" "$SHARED_DIR/bench/WORKLOADS.md" "$RUNS" <<'PY'
import json, os, platform, re, statistics, sys
out, workloads_md, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])

# The peer figures: the first "about N" of each row of the "Peer figures measured here" table.
peers = {}
if os.path.exists(workloads_md):
    for line in open(workloads_md):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and (m := re.search(r"about ([\d,\.]+)", cells[2])):
            peers[cells[0].split(" ")[0]] = (cells[1], float(m.group(1).replace(",", "")))

def median(workload, variant, key):
    path = os.path.join(out, f"{workload}-{variant}.jsonl")
    if not os.path.exists(path):
        return None
    values = [json.loads(l)[key] for l in open(path) if l.strip()]
    return statistics.median(values) if values else None

rows = (("sqs-pipeline", "messages_per_s", "messages resolved/s"),
        ("fanout", "deliveries_per_s", "deliveries/s"),
        ("asl-map", "transitions_per_s", "state transitions/s"))
print(f"\n## Workloads side by side — median of {runs} round(s)\n")
print(f"{platform.node()} · {os.cpu_count()} CPUs · {platform.platform()}\n")
print("| workload | figure | loosely native | loosely wasm (Node WASI) | peer (WORKLOADS.md) | native ÷ peer | wasm ÷ peer | native ÷ wasm |")
print("| --- | --- | ---: | ---: | --- | ---: | ---: | ---: |")
for workload, key, unit in rows:
    native, wasm = median(workload, "native", key), median(workload, "wasm", key)
    peer_name, peer = peers.get(workload, ("–", None))
    def ratio(a, b):
        return "–" if a is None or b is None else f"{a / b:.1f}"
    def num(x):
        return "–" if x is None else f"{x:,.0f}"
    print(f"| {workload} | {unit} | {num(native)} | {num(wasm)} | {peer_name}: {num(peer)} "
          f"| {ratio(native, peer)} | {ratio(wasm, peer)} | {'–' if native is None or wasm is None else f'{native / wasm:.2f}'} |")
print("\nTargets (WORKLOADS.md): native ≥ 50 × peer for each workload; native ÷ wasm ≤ 1.5.")
PY
