#!/usr/bin/env bash
# Black-box runs against a live `pulse serve` (fresh SQLite in a temp folder), one script of
# tests/blackbox/ per tool, each given the server's URL and the temp folder (WORK):
#   1. newman_run.py: the Postman collection (docs/postman) with newman: sign up, read the
#      verification email from the outbox, then verify → login → me → refresh → customers →
#      import → export → analytics → logout; then workspaces, members and invitations;
#   2. wrk_me.py: a short wrk load on /api/v1/users/me: every response 200, no socket errors;
#   3. proxies.py: the nginx and Caddy configs of deploy/ in front of it: TLS, redirect, a
#      2 MB upload streamed through, the client address forwarded;
#   4. schemathesis_run.py: schemathesis over /api/openapi.json as the admin: no 5xx, no
#      response outside the schema (last: it may change the admin).
# Usage: scripts/blackbox.sh [PULSE_BINARY]   (default target/debug/pulse)
# Installs what it needs: newman (npm, tests/blackbox), schemathesis (PyPI, a venv in
# tests/blackbox/.venv), wrk, nginx and caddy (Debian's apt) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$(realpath "${1:-target/debug/pulse}")
WORK=$(mktemp -d /tmp/pulse-blackbox.XXXXXX)
PULSE_PID=
stop_pulse() {
  [ -n "$PULSE_PID" ] || return 0
  kill "$PULSE_PID" 2>/dev/null || true
  wait "$PULSE_PID" 2>/dev/null || true
  PULSE_PID=
}
cleanup() {
  stop_pulse
  rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf '\n==> blackbox: %s\n' "$*"; }
# The last lines of every log in WORK: pulse.log, and those of the proxies (nginx/, caddy.log).
show_logs() {
  find "$WORK" -name '*.log' -size +0 | sort | while read -r log; do
    echo "--- last lines of $log:" >&2
    tail -n 20 "$log" >&2
  done
}
fail() {
  echo "FAILED: $*" >&2
  show_logs
  exit 1
}
# run NAME COMMAND...: one tool's script; it prints what failed, this adds the logs.
run() {
  local name=$1
  shift
  "$@" || fail "blackbox step: $name"
}

step "tools"
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || missing+=(nginx-light)
command -v caddy >/dev/null || missing+=(caddy)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian's ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
(cd tests/blackbox && npm ci --no-audit --no-fund --loglevel=error)
if [ ! -x tests/blackbox/.venv/bin/schemathesis ]; then
  python3 -m venv tests/blackbox/.venv
  tests/blackbox/.venv/bin/pip install --quiet --disable-pip-version-check -r tests/blackbox/requirements.txt
fi

step "start pulse"
export PYTHONDONTWRITEBYTECODE=1 # the scripts below leave no __pycache__ in tests/blackbox
PORT=$(python3 tests/blackbox/free_port.py)
BASE="http://127.0.0.1:$PORT"
mkdir -p "$WORK/data" "$WORK/outbox"
env -i PATH="$PATH" HOME="$WORK" \
  DATABASE_URL="sqlite://$WORK/data/pulse.db" DATA_DIR="$WORK/data" BIND_ADDR="127.0.0.1:$PORT" \
  PUBLIC_URL="$BASE" MAIL_OUTBOX_DIR="$WORK/outbox" WEB_DIR="$ROOT/web/dist" \
  AUTH_RATE_LIMIT_PER_MINUTE=0 TRUSTED_PROXIES=127.0.0.1/32 LOG_FORMAT=json \
  "$BIN" serve >"$WORK/pulse.log" 2>&1 &
PULSE_PID=$!
for _ in $(seq 100); do
  curl -fsS "$BASE/health/ready" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "$BASE/health/ready" >/dev/null || fail "pulse did not become ready"

step "newman: the Postman collection"
run newman python3 tests/blackbox/newman_run.py "$BASE" "$WORK"

step "wrk: 10 s of GET /api/v1/users/me, 16 connections"
run wrk python3 tests/blackbox/wrk_me.py "$BASE"

step "reverse proxies: deploy/nginx.conf and deploy/Caddyfile in front of pulse"
run proxies python3 tests/blackbox/proxies.py "$BASE" "$WORK"

step "schemathesis: /api/openapi.json as the admin"
run schemathesis python3 tests/blackbox/schemathesis_run.py "$BASE" "$WORK"

step "stop pulse"
stop_pulse

step "all black-box runs passed"
