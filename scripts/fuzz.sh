#!/usr/bin/env bash
# Runs every fuzz target of fuzz/ (cargo-fuzz, libFuzzer) for a fixed time, one after
# another, and prints the executions of each. Exits non-zero when a target finds a crash;
# the input that crashed is in fuzz/artifacts/TARGET/ (replay it with
# `scripts/fuzz.sh --replay TARGET FILE`), and belongs in a regression test once fixed.
#
#   scripts/fuzz.sh                   # 300 s per target
#   scripts/fuzz.sh 10                # the smoke run of scripts/test.sh
#   scripts/fuzz.sh 600 asl_run       # chosen targets only
#
# cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP=1 lets the stable toolchain accept them.
# The targets build without a sanitizer (address sanitizer needs a nightly standard library)
# and with debug assertions, so that an arithmetic overflow is a finding too.
# The corpus grows in fuzz/corpus/TARGET/ (not committed) and starts from the repository's
# examples, recorded links, ASL definitions and fuzz/seeds/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
cd "$REPO/fuzz"
export RUSTC_BOOTSTRAP=1
FLAGS=(--release --debug-assertions --sanitizer none)
ensure_cargo_fuzz

if [[ "${1:-}" == --replay ]]; then
    cargo fuzz run "${FLAGS[@]}" "$2" "$3"
    exit
fi

SECONDS_PER_TARGET="${1:-300}"
shift || true
if [[ $# -gt 0 ]]; then
    TARGETS=("$@")
else
    mapfile -t TARGETS < <(cargo fuzz list)
fi

say "building ${#TARGETS[@]} fuzz targets"
cargo fuzz build "${FLAGS[@]}"

# Seeds: files that are known to be meaningful inputs for each target.
seed() {
    local target="$1" dir="corpus/.seeds/$1"
    rm -rf "$dir"
    mkdir -p "$dir"
    case "$target" in
        share_link)
            cp "$REPO"/crates/scenario/tests/it/recorded_links/*.link "$dir/" ;;
        scenario_json)
            cp "$REPO"/examples/*.json "$REPO"/examples/bench/*.json "$dir/" ;;
        asl_validate)
            cp "$REPO"/examples/asl/*.json "$REPO"/crates/engine/tests/asl/asl-map.json "$dir/" ;;
        asl_run)
            for definition in "$REPO"/examples/asl/order-workflow.json "$REPO"/examples/asl/wait.json; do
                { cat "$definition"; printf '\0{"order_id":"o-1","items":[{"n":1}],"total":42}'; } \
                    >"$dir/$(basename "$definition")"
            done
            { cat "$REPO"/crates/engine/tests/asl/asl-map.json; printf '\0{"items":[{"n":0},{"n":1},{"n":2}]}'; } \
                >"$dir/asl-map" ;;
    esac
    if [[ -d "seeds/$target" ]]; then
        cp seeds/"$target"/* "$dir/"
    fi
}

LOGS="$(mktemp -d "${TMPDIR:-/tmp}/loosely-fuzz.XXXXXX")"
failed=0
printf '\n| target | seconds | executions | executions/s | corpus | result |\n| --- | ---: | ---: | ---: | ---: | --- |\n' >"$LOGS/table.md"
for target in "${TARGETS[@]}"; do
    seed "$target"
    mkdir -p "corpus/$target"
    say "fuzzing $target for $SECONDS_PER_TARGET s"
    result=ok
    if ! cargo fuzz run "${FLAGS[@]}" "$target" "corpus/$target" "corpus/.seeds/$target" -- \
        -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 >"$LOGS/$target.log" 2>&1; then
        result="CRASH: see $LOGS/$target.log and fuzz/artifacts/$target/"
        failed=1
        tail -n 40 "$LOGS/$target.log" >&2
    fi
    executions="$(awk '/stat::number_of_executed_units/ { print $2 }' "$LOGS/$target.log" | tail -n 1)"
    executions="${executions:-0}"
    printf '| %s | %s | %s | %s | %s | %s |\n' "$target" "$SECONDS_PER_TARGET" "$executions" \
        "$((executions / SECONDS_PER_TARGET))" "$(find "corpus/$target" -type f | wc -l)" "$result" \
        >>"$LOGS/table.md"
done
cat "$LOGS/table.md"
exit "$failed"
