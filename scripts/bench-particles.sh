#!/usr/bin/env bash
# Measures frame times with 5,000 particles on the canvas: builds the site, opens
# ?bench=particles in headless Chromium in real time (virtual time would make frame timing
# meaningless) and prints what the page measured over 300 frames.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
cd "$REPO"
ensure_web_tools
ensure_node
ensure_chromium
if ! [ -d "$TOOLS/playwright/node_modules/playwright-core" ]; then
    say "installing playwright-core (drives Chromium for the measurement)"
    mkdir -p "$TOOLS/playwright"
    (cd "$TOOLS/playwright" && npm install --silent --no-audit --no-fund playwright-core@1 >/dev/null)
fi
say "release build of the site"
trunk build --release --offline
port=$((20000 + RANDOM % 20000))
python3 -m http.server "$port" --bind 127.0.0.1 --directory dist >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
sleep 1
say "5,000 particles, 300 frames"
NODE_PATH="$TOOLS/playwright/node_modules" node - "http://127.0.0.1:$port/?paused&bench=particles" <<'JS'
const { chromium } = require('playwright-core');
(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(process.argv[2]);
  const out = page.locator('[data-testid="particle-bench"][data-done="true"]');
  await out.waitFor({ timeout: 60000 });
  console.log(await out.textContent());
  await page.screenshot({ path: 'target/screenshots/particle-bench.png' });
  await browser.close();
})().catch((error) => { console.error(error); process.exit(1); });
JS
