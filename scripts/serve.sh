#!/usr/bin/env bash
# Builds the playground and serves it on http://127.0.0.1:8080 (installs what is missing).
# Rebuilds when a source file changes; Ctrl-C stops it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
cd "$REPO"
ensure_web_tools
say "building the playground; it will be served on http://127.0.0.1:8080"
exec trunk serve --release --offline --address 127.0.0.1 --port 8080 --disable-address-lookup
