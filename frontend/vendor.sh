#!/usr/bin/env bash
# Copies the pinned front-end packages into coopchain/static/vendor (run by `make vendor`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../coopchain/static/vendor"
cd "$here"
npm install --no-audit --no-fund --silent
mkdir -p "$out/pico" "$out/htmx" "$out/leaflet"
cp node_modules/@picocss/pico/css/pico.green.min.css "$out/pico/"
cp node_modules/@picocss/pico/LICENSE.md "$out/pico/LICENSE.md"
cp node_modules/htmx.org/dist/htmx.min.js "$out/htmx/"
cp node_modules/htmx.org/LICENSE "$out/htmx/LICENSE"
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css "$out/leaflet/"
cp -r node_modules/leaflet/dist/images "$out/leaflet/"
cp node_modules/leaflet/LICENSE "$out/leaflet/LICENSE"
