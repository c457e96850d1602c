#!/usr/bin/env bash
# Builds the web UI (when present) and the release server, then runs Pulse on
# http://127.0.0.1:8000 with SQLite in ./data (migrations applied, admin seeded).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f web/package.json ]; then
  (cd web && npm ci --no-audit --no-fund && npm run build)
fi
exec cargo run --release -- serve "$@"
