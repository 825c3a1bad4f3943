#!/usr/bin/env bash
# Renders an HTML report of `crible evaluate --report` in headless Chromium and saves a
# screenshot, to check that the page displays as intended (Debian: apt-get install chromium).
#
# usage: Scripts/screenshot-report.sh REPORT.html SCREENSHOT.png [WIDTH,HEIGHT]
set -euo pipefail
report=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
size=${3:-1100,2600}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "No Chromium found: apt-get install chromium" >&2; exit 69; }
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$size" \
  --screenshot="$2" "file://$report" 2>/dev/null
echo "wrote $2"
