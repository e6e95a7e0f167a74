# Sourced by serve.sh and test.sh: installs whatever the build needs and is missing.
# Needs only the Rust toolchain (rustup, cargo); Node.js/npm and Chromium come from Debian's
# packages when absent.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$REPO/.tools"
export PATH="$HOME/.cargo/bin:$TOOLS/binaryen/node_modules/.bin:$PATH"

say() { printf '\n==> %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
    say "installing $* from Debian's packages"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

ensure_wasm_target() {
    if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        say "adding the wasm32-unknown-unknown target"
        rustup target add wasm32-unknown-unknown
    fi
}

# The wasm-bindgen version in Cargo.lock; the CLI must match it exactly.
wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$REPO/Cargo.lock"
}

ensure_wasm_bindgen() {
    local want have
    want="$(wasm_bindgen_version)"
    # `|| true`: on a fresh machine wasm-bindgen is absent, and under `set -e -o pipefail`
    # the failed pipeline would end the script instead of installing it.
    have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" || true
    if [ "$have" != "$want" ]; then
        say "installing wasm-bindgen-cli $want (matching Cargo.lock)"
        # Without --locked: with it the install fails on this toolchain.
        cargo install wasm-bindgen-cli --version "$want"
    fi
}

ensure_trunk() {
    if ! trunk --version 2>/dev/null | grep -q ' 0\.21\.'; then
        say "installing trunk 0.21 (about 10 minutes the first time)"
        cargo install trunk --version '~0.21' --locked
    fi
}

# Node.js runs wasm-opt's npm package and the engine's wasm tests (wasm-bindgen-test-runner).
ensure_node() {
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        apt_install nodejs npm
    fi
}

# Debian's binaryen is too old to read current rustc output; npm's binaryen 132 works.
ensure_wasm_opt() {
    if ! [ -x "$TOOLS/binaryen/node_modules/.bin/wasm-opt" ]; then
        ensure_node
        say "installing wasm-opt (npm binaryen 132) into .tools/"
        mkdir -p "$TOOLS/binaryen"
        npm install --silent --no-audit --no-fund --prefix "$TOOLS/binaryen" binaryen@132
    fi
}

# Chromium for the browser tests, and ChromeDriver, through which they drive it (WebDriver).
ensure_chromium() {
    if ! [ -x /usr/bin/chromium ] || ! [ -x /usr/bin/chromedriver ]; then
        apt_install chromium chromium-driver
    fi
}

ensure_web_tools() {
    ensure_wasm_target
    ensure_wasm_bindgen
    ensure_trunk
    ensure_wasm_opt
}

# cfn-lint (PyPI) checks the CloudFormation templates `loosely export` writes.
ensure_cfn_lint() {
    if ! [ -x "$TOOLS/venv/bin/cfn-lint" ]; then
        if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
            apt_install python3-venv
        fi
        say "installing cfn-lint into .tools/venv"
        python3 -m venv "$TOOLS/venv"
        "$TOOLS/venv/bin/pip" install --quiet cfn-lint
    fi
}

# cargo-fuzz drives the libFuzzer targets in fuzz/ (scripts/fuzz.sh).
ensure_cargo_fuzz() {
    if ! cargo fuzz --version >/dev/null 2>&1; then
        say "installing cargo-fuzz"
        cargo install cargo-fuzz --locked
    fi
}

# axe-core (npm), the accessibility checker the browser tests inject into the page.
ensure_axe() {
    if ! [ -f "$TOOLS/axe/node_modules/axe-core/axe.min.js" ]; then
        ensure_node
        say "installing axe-core into .tools/"
        mkdir -p "$TOOLS/axe"
        npm install --silent --no-audit --no-fund --prefix "$TOOLS/axe" axe-core@4
    fi
}
