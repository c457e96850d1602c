#!/usr/bin/env bash
# Every check and test of Pulse. Runs the integration suite on SQLite, and again on
# PostgreSQL when TEST_DATABASE_URL is set (e.g. postgres://postgres@127.0.0.1:5432/test),
# followed by the scale-out test (three instances on that server behind nginx).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "web UI: install, type-check, lint, unit tests, build (before the server: the binary embeds it)"
(cd web && npm ci --no-audit --no-fund --loglevel=error && npm run check && npm run build)

step "cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets --quiet -- -D warnings

step "Redis on 127.0.0.1:6379 (the shared rate limit test)"
if (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  echo "Redis answers"
else
  command -v redis-server >/dev/null ||
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null)
  redis-server --bind 127.0.0.1 --port 6379 --save '' --appendonly no --daemonize yes
fi

step "unit and integration tests on SQLite"
env -u TEST_DATABASE_URL cargo test --all-targets

step "web UI: the generated API types match the server's OpenAPI document"
(cd web && npm run --silent gen:api && git diff --exit-code -- src/api/schema.d.ts)

step "web UI: end-to-end specs in Chromium against a real pulse"
if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
(cd web && npx playwright test)

step "black-box runs: newman, wrk, nginx and Caddy configs, schemathesis"
bash scripts/blackbox.sh target/debug/pulse

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  step "integration tests on PostgreSQL (${TEST_DATABASE_URL%%@*}@…)"
  drop_test_databases() {
    command -v psql >/dev/null || return 0
    psql "$TEST_DATABASE_URL" -Atqc "SELECT datname FROM pg_database WHERE datname LIKE 'pulse_test_%'" 2>/dev/null |
      while read -r db; do psql "$TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true; done
  }
  drop_test_databases
  cargo test --test api
  drop_test_databases

  step "scale-out: three instances on PostgreSQL behind deploy/nginx.conf, Redis for the limits"
  python3 tests/blackbox/scale_out.py target/debug/pulse "$TEST_DATABASE_URL"
else
  step "SKIPPED: integration tests on PostgreSQL and the scale-out test — set TEST_DATABASE_URL to run them"
fi
