#!/usr/bin/env bash
# Side-by-side figures for the sqs-pipeline workload of shared/bench/WORKLOADS.md:
# the engine natively (untraced and with the per-message trace), the same example compiled to
# wasm32-wasip1 and run by Node's WASI, and the SimPy 4.1.2 peer. Prints a Markdown table.
#
#   scripts/bench.sh                 # N = 1,000,000, 3 rounds, medians
#   N=200000 RUNS=1 scripts/bench.sh # quicker
#
# Environment:
#   N                 messages (default 1000000)
#   RUNS              rounds; each round runs every variant once, interleaved (default 3)
#   SHARED_DIR        the shared directory holding bench/peers/ (default: ../shared next to the repo)
#   CARGO_TARGET_DIR  cargo's target directory (default: target-bench in the repo)
#   SKIP_PEER=1       do not run SimPy; SKIP_WASM=1 do not build or run the wasm variant
#   NODE_FLAGS        extra flags for node, e.g. "--no-liftoff" to skip V8's baseline wasm tier
#                     (short runs otherwise include the tier-up to optimised code)
# Quote ratios, not absolute times: the machines are shared and noisy.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED_DIR="${SHARED_DIR:-$(dirname "$REPO")/shared}"
N="${N:-1000000}"
RUNS="${RUNS:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target-bench}"
PEER="$SHARED_DIR/bench/peers/simpy_sqs_pipeline.py"
RUNNER="$REPO/crates/engine/benches/run-wasi.mjs"
NATIVE="$CARGO_TARGET_DIR/release/examples/workloads"
WASM="$CARGO_TARGET_DIR/wasm32-wasip1/release/examples/workloads.wasm"

cd "$REPO"
OUT="$(mktemp -d "${TMPDIR:-/tmp}/loosely-bench.XXXXXX")"
echo "# results in $OUT" >&2

command -v python3 >/dev/null || { echo "python3 is needed for the table" >&2; exit 1; }

echo "# building native example" >&2
cargo build --quiet --release -p loosely-engine --example workloads

run_wasm=1
if [[ "${SKIP_WASM:-0}" == 1 ]]; then
    run_wasm=0
elif ! command -v node >/dev/null; then
    echo "# node not found: skipping the wasm variant" >&2
    run_wasm=0
else
    echo "# building wasm32-wasip1 example" >&2
    if ! cargo build --quiet --release -p loosely-engine --example workloads --target wasm32-wasip1; then
        echo "# wasm32-wasip1 build failed (rustup target add wasm32-wasip1?): skipping wasm" >&2
        run_wasm=0
    fi
fi

run_peer=1
if [[ "${SKIP_PEER:-0}" == 1 ]]; then
    run_peer=0
elif [[ ! -f "$PEER" ]]; then
    echo "# SimPy peer not found at $PEER (set SHARED_DIR): skipping the peer" >&2
    run_peer=0
elif [[ "$(python3 -c 'import simpy; print(simpy.__version__)' 2>/dev/null)" != "4.1.2" ]]; then
    echo "# installing simpy 4.1.2" >&2
    if ! python3 -m pip install --quiet simpy==4.1.2; then
        echo "# pip install simpy==4.1.2 failed: skipping the peer" >&2
        run_peer=0
    fi
fi

# Runs "$@", echoes its output to stderr, appends its RESULT json (with the wasm memory
# figures merged in, when present) to $OUT/$name.jsonl.
record() {
    local name="$1"
    shift
    echo "# [$name] $*" >&2
    "$@" >"$OUT/last.txt"
    cat "$OUT/last.txt" >&2
    python3 - "$OUT/last.txt" >>"$OUT/$name.jsonl" <<'EOF'
import json, sys
result, extra = None, {}
for line in open(sys.argv[1]):
    if line.startswith("RESULT "):
        result = json.loads(line[7:])
    elif line.startswith("WASM_MEMORY "):
        extra = json.loads(line[12:])
if result is None:
    sys.exit("no RESULT line")
if extra:
    result["wasm_memory_mib"] = extra["mib"]
    result["node_max_rss_mib"] = extra["node_max_rss_mib"]
print(json.dumps(result))
EOF
}

for round in $(seq 1 "$RUNS"); do
    echo "# round $round of $RUNS" >&2
    record native "$NATIVE" sqs-pipeline "$N"
    record native_trace "$NATIVE" sqs-pipeline "$N" --trace
    if [[ $run_wasm == 1 ]]; then
        # shellcheck disable=SC2086 # NODE_FLAGS is split into flags on purpose
        record wasm node --no-warnings ${NODE_FLAGS:-} "$RUNNER" "$WASM" sqs-pipeline "$N"
    fi
    if [[ $run_peer == 1 ]]; then
        record simpy python3 "$PEER" --n "$N" --rate 1000 --consumers 100
    fi
done

python3 - "$OUT" "$N" "$RUNS" <<'EOF'
import json, os, platform, statistics, sys
out, n, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def load(name):
    path = os.path.join(out, name + ".jsonl")
    if not os.path.exists(path):
        return None
    rows = [json.loads(line) for line in open(path)]
    med = {}
    for key in ("messages_per_s", "events_per_s", "wall_s", "peak_rss_mib", "sim_time_s",
                "wasm_memory_mib", "node_max_rss_mib", "deleted", "dlq", "events"):
        values = [r[key] for r in rows if key in r]
        if values:
            med[key] = statistics.median(values)
    return med

native, traced, wasm, simpy = (load(k) for k in ("native", "native_trace", "wasm", "simpy"))

def num(x, digits=0):
    return "–" if x is None else f"{x:,.{digits}f}"

def memory(r):
    if r is None:
        return "–"
    if "wasm_memory_mib" in r:
        return f"{r['wasm_memory_mib']:.1f} MiB wasm memory ({r['node_max_rss_mib']:.1f} MiB node RSS)"
    return f"{r['peak_rss_mib']:.1f} MiB RSS"

print(f"\n## sqs-pipeline, N = {n:,}, 1,000/s, 100 consumers — median of {runs} run(s)\n")
print(f"{platform.node()} · {os.cpu_count()} CPUs · {platform.platform()}\n")
print("| run | messages/s | events/s | wall s | peak memory | deleted | DLQ | simulated s | × SimPy (messages/s) |")
print("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |")
for label, r in (("loosely native", native), ("loosely native, --trace", traced),
                 ("loosely wasm32-wasip1 (Node WASI)", wasm), ("SimPy 4.1.2", simpy)):
    if r is None:
        continue
    ratio = "–" if simpy is None else f"{r['messages_per_s'] / simpy['messages_per_s']:.1f}"
    print(f"| {label} | {num(r['messages_per_s'])} | {num(r['events_per_s'])} | {num(r['wall_s'], 2)} "
          f"| {memory(r)} | {num(r.get('deleted'))} | {num(r.get('dlq'))} | {num(r.get('sim_time_s'), 1)} | {ratio} |")
print()
print("| ratio | value | target |")
print("| --- | ---: | --- |")
if simpy:
    print(f"| ours / SimPy, messages/s (native, untraced) | {native['messages_per_s'] / simpy['messages_per_s']:.1f} | ≥ 50 |")
    print(f"| ours / SimPy, messages/s (native, --trace) | {traced['messages_per_s'] / simpy['messages_per_s']:.1f} | |")
    print(f"| peak memory, ours / SimPy (native RSS) | {native['peak_rss_mib'] / simpy['peak_rss_mib']:.2f} | < 1 |")
print(f"| traced / untraced rate (native) | {traced['messages_per_s'] / native['messages_per_s']:.2f} | ≥ 0.5 |")
if wasm:
    print(f"| wasm slowdown = native / wasm messages/s | {native['messages_per_s'] / wasm['messages_per_s']:.2f} | ≤ 1.5 |")
if simpy is None:
    print("\n(SimPy peer skipped.)")
EOF
