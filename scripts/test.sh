#!/usr/bin/env bash
# Runs every test: formatting, lints (native and wasm), unit, property and scenario tests,
# the engine's native/wasm trace comparison, a release build of the site, and browser tests
# in headless Chromium. Installs what is missing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
cd "$REPO"
started=$SECONDS
ensure_web_tools
ensure_node
ensure_chromium
ensure_axe
ensure_cfn_lint

say "rustfmt"
cargo fmt --all -- --check

say "clippy (native)"
cargo clippy --workspace --all-targets --all-features -- -D warnings

say "clippy (wasm32)"
cargo clippy --workspace --exclude loosely-cli --target wasm32-unknown-unknown -- -D warnings

say "cargo test"
cargo test --workspace

say "cfn-lint on the CloudFormation export of every example"
cargo build --quiet -p loosely-cli
templates="$(mktemp -d)"
for example in examples/*.json; do
    "${CARGO_TARGET_DIR:-target}/debug/loosely" export --cloudformation "$example" >"$templates/$(basename "$example")"
done
"$TOOLS/venv/bin/cfn-lint" "$templates"/*.json
rm -rf "$templates"

# A short run of every fuzz target (scripts/fuzz.sh runs them for longer).
say "fuzz smoke run (10 s per target)"
scripts/fuzz.sh 10

# The engine's wasm-bindgen tests; the other engine test binaries use proptest, which is
# native only.
say "engine trace under wasm (must equal the native hash)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    cargo test -p loosely-engine --target wasm32-unknown-unknown --test trace_hash

say "release build of the site"
trunk build --release --offline
wasm="$(ls dist/loosely-web-*_bg.wasm)"
js="$(ls dist/loosely-web-*.js)"
printf 'site size: wasm %s bytes (%s gzip), js %s bytes (%s gzip)\n' \
    "$(wc -c <"$wasm")" "$(gzip -9c "$wasm" | wc -c)" "$(wc -c <"$js")" "$(gzip -9c "$js" | wc -c)"
# The CloudFormation worker is downloaded only when a template is opened or exported.
printf 'template worker (loaded on demand): wasm %s bytes (%s gzip), js %s gzip\n' \
    "$(wc -c <dist/cfn-worker_bg.wasm)" "$(gzip -9c dist/cfn-worker_bg.wasm | wc -c)" \
    "$(cat dist/cfn-worker.js dist/cfn-worker_loader.js | gzip -9 | wc -c)"
# The inspector's parameter schema is fetched when a panel first lists parameters.
printf 'parameter schema (loaded on demand): %s bytes (%s gzip)\n' \
    "$(wc -c <dist/scenario-schema.json)" "$(gzip -9c dist/scenario-schema.json | wc -c)"

say "browser tests (headless Chromium)"
cargo test -p loosely-web --features browser-tests --test browser
cat target/bench/first-render.txt target/bench/load.txt target/bench/memory.txt

say "all tests passed in $((SECONDS - started)) s"
