#!/usr/bin/env bash
# Black-box runs against a live `pulse serve` (fresh SQLite in a temp folder):
#   1. the Postman collection (docs/postman) with newman: sign up, read the verification
#      email from the outbox, then verify → login → me → refresh → customers → import →
#      export → analytics → logout; then workspaces, members and invitations;
#   2. a short wrk load on /api/v1/users/me: every response 200, no socket errors;
#   3. the nginx and Caddy configs of deploy/ in front of it: TLS, redirect, a 2 MB upload
#      streamed through, the client address forwarded;
#   4. schemathesis over /api/openapi.json as the admin: no 5xx, no response outside the schema.
# Usage: scripts/blackbox.sh [PULSE_BINARY]   (default target/debug/pulse)
# Installs what it needs: newman (npm, tests/blackbox), schemathesis (PyPI, a venv in
# tests/blackbox/.venv), wrk, nginx and caddy (Debian's apt) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$(realpath "${1:-target/debug/pulse}")
WORK=$(mktemp -d /tmp/pulse-blackbox.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf '\n==> blackbox: %s\n' "$*"; }
fail() {
  echo "FAILED: $*" >&2
  for log in "$WORK/pulse.log" "$WORK/nginx/error.log" "$WORK/caddy.log"; do
    [ -s "$log" ] && { echo "--- last lines of $log:" >&2; tail -n 20 "$log" >&2; }
  done
  exit 1
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

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
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
mkdir -p "$WORK/data" "$WORK/outbox"
env -i PATH="$PATH" HOME="$WORK" \
  DATABASE_URL="sqlite://$WORK/data/pulse.db" DATA_DIR="$WORK/data" BIND_ADDR="127.0.0.1:$PORT" \
  PUBLIC_URL="$BASE" MAIL_OUTBOX_DIR="$WORK/outbox" WEB_DIR="$ROOT/web/dist" \
  AUTH_RATE_LIMIT_PER_MINUTE=0 TRUSTED_PROXIES=127.0.0.1/32 LOG_FORMAT=json \
  "$BIN" serve >"$WORK/pulse.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
  curl -fsS "$BASE/health/ready" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "$BASE/health/ready" >/dev/null || fail "pulse did not become ready"

step "newman: the Postman collection"
NEWMAN=tests/blackbox/node_modules/.bin/newman
COLLECTION=docs/postman/pulse.postman_collection.json
"$NEWMAN" run "$COLLECTION" -e docs/postman/pulse.postman_environment.json --env-var "baseUrl=$BASE" \
  --folder "1 Sign up" --export-environment "$WORK/env.json" --color off || fail "newman: 1 Sign up"
EMAIL=$(python3 -c "
import json
print(next(v['value'] for v in json.load(open('$WORK/env.json'))['values'] if v['key'] == 'email'))")
TOKEN=$(python3 - "$WORK/outbox" "$EMAIL" <<'EOF'
import email, email.policy, pathlib, re, sys
outbox, to = pathlib.Path(sys.argv[1]), sys.argv[2]
for path in sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True):
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    if to not in str(message["To"]):
        continue
    text = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"/verify-email\?token=([A-Za-z0-9_-]+)", text)
    if match:
        print(match.group(1))
        break
EOF
)
[ -n "$TOKEN" ] || fail "no verification email for $EMAIL in the outbox"
"$NEWMAN" run "$COLLECTION" -e "$WORK/env.json" --env-var "verify_token=$TOKEN" \
  --folder "2 Session" --export-environment "$WORK/env.json" --color off || fail "newman: 2 Session"
"$NEWMAN" run "$COLLECTION" -e "$WORK/env.json" --folder "3 Workspaces" --color off || fail "newman: 3 Workspaces"

login_token() {
  curl -fsS "$1/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"login":"admin1224","password":"Admin@1224"}' | json "['data']['access_token']"
}

step "wrk: 10 s of GET /api/v1/users/me, 16 connections"
ADMIN_TOKEN=$(login_token "$BASE")
wrk -t2 -c16 -d10s --latency -H "Authorization: Bearer $ADMIN_TOKEN" "$BASE/api/v1/users/me" | tee "$WORK/wrk.txt"
if grep -qE "Non-2xx or 3xx responses|Socket errors" "$WORK/wrk.txt"; then fail "wrk saw errors"; fi
grep -qE "^ +[0-9]+ requests in" "$WORK/wrk.txt" || fail "wrk made no requests"

step "reverse proxies: deploy/nginx.conf and deploy/Caddyfile in front of pulse"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=pulse.example.com" \
  -addext "subjectAltName=DNS:pulse.example.com" \
  -keyout "$WORK/privkey.pem" -out "$WORK/fullchain.pem" 2>/dev/null
python3 -c "
import sys
rows = ''.join(f'Proxy {i},proxy{i}@example.com,Came through the proxy and liked it,{1 + i % 5},2026-03-{1 + i % 28:02}\n' for i in range(40000))
open('$WORK/big.csv', 'w').write('name,email,review,satisfaction_score,feedback_at\n' + rows)"
[ "$(stat -c %s "$WORK/big.csv")" -gt 2000000 ] || fail "the proxy upload must exceed nginx's 1 MB default"

# check_proxy NAME HTTPS_PORT HTTP_PORT: TLS, redirect, a streamed upload, forwarded address.
check_proxy() {
  local name=$1 tls=$2 plain=$3 token reply
  local site="https://pulse.example.com:$tls"
  local curl=(curl -fsS --resolve "pulse.example.com:$tls:127.0.0.1" --resolve "pulse.example.com:$plain:127.0.0.1"
    --cacert "$4")
  for _ in $(seq 50); do "${curl[@]}" "$site/health/live" >/dev/null 2>&1 && break; sleep 0.2; done
  "${curl[@]}" "$site/health/live" | grep -q '"status":"ok"' || fail "$name: /health/live over TLS"
  local redirect
  redirect=$("${curl[@]}" -o /dev/null -w '%{http_code} %{redirect_url}' "http://pulse.example.com:$plain/login")
  case "$redirect" in 301\ https://pulse.example.com*/login | 308\ https://pulse.example.com*/login) ;;
    *) fail "$name: plain HTTP should redirect to HTTPS, got '$redirect'" ;;
  esac
  token=$("${curl[@]}" "$site/api/v1/auth/login" -H 'Content-Type: application/json' \
    -H 'X-Forwarded-For: 203.0.113.7' -d '{"login":"admin1224","password":"Admin@1224"}' |
    json "['data']['access_token']")
  reply=$("${curl[@]}" "$site/api/v1/auth/sessions" -H "Authorization: Bearer $token")
  echo "$reply" | json "['data']['items']" | grep -q "203.0.113.7" ||
    fail "$name: the session should record the forwarded client address: $reply"
  reply=$("${curl[@]}" "$site/api/v1/customers/import?on_conflict=update" -H "Authorization: Bearer $token" \
    -H 'Content-Type: text/csv' --data-binary "@$WORK/big.csv")
  [ "$(echo "$reply" | json "['data']['total_rows']")" = 40000 ] || fail "$name: upload through the proxy: $reply"
  echo "$name: TLS, redirect, forwarded address and a $(stat -c %s "$WORK/big.csv")-byte upload: ok"
}

NGINX_TLS=$(free_port) NGINX_PLAIN=$(free_port)
mkdir -p "$WORK/nginx" && chmod 777 "$WORK/nginx"
sed -e "s#listen 443 #listen 127.0.0.1:$NGINX_TLS #" -e "s#listen 80;#listen 127.0.0.1:$NGINX_PLAIN;#" \
  -e "s#/etc/letsencrypt/live/pulse.example.com#$WORK#" -e "s#127.0.0.1:8000#127.0.0.1:$PORT#" \
  deploy/nginx.conf >"$WORK/nginx/site.conf"
cat >"$WORK/nginx/nginx.conf" <<EOF
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events {}
http {
    access_log off;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    include $WORK/nginx/site.conf;
}
EOF
nginx -t -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" 2>/dev/null || nginx -t -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx"
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
PIDS+=($!)
check_proxy nginx "$NGINX_TLS" "$NGINX_PLAIN" "$WORK/fullchain.pem"

CADDY_TLS=$(free_port) CADDY_PLAIN=$(free_port)
{
  printf '{\n\tadmin off\n\tskip_install_trust\n\thttp_port %s\n\thttps_port %s\n\tstorage file_system %s\n}\n' \
    "$CADDY_PLAIN" "$CADDY_TLS" "$WORK/caddy"
  sed -e "s#127.0.0.1:8000#127.0.0.1:$PORT#" -e "s#^pulse.example.com {#pulse.example.com {\n\ttls internal#" \
    deploy/Caddyfile
} >"$WORK/Caddyfile"
caddy run --config "$WORK/Caddyfile" --adapter caddyfile >"$WORK/caddy.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [ -f "$WORK/caddy/pki/authorities/local/root.crt" ] && break; sleep 0.2; done
check_proxy caddy "$CADDY_TLS" "$CADDY_PLAIN" "$WORK/caddy/pki/authorities/local/root.crt"

step "schemathesis: /api/openapi.json as the admin"
ADMIN_TOKEN=$(login_token "$BASE")
# Last, because it may change the admin (e.g. mark it unverified). Operations that would
# end the fuzzer's own session or rename its account are left out; every other one is
# fuzzed with valid and invalid input. Run from $WORK, where schemathesis keeps its cache.
(cd "$WORK" && "$ROOT/tests/blackbox/.venv/bin/schemathesis" run "$BASE/api/openapi.json" \
  --header "Authorization: Bearer $ADMIN_TOKEN" \
  --checks not_a_server_error,response_schema_conformance,content_type_conformance \
  --exclude-operation-id logout --exclude-operation-id logout_all --exclude-operation-id revoke_session \
  --exclude-operation-id change_password --exclude-operation-id update_me \
  --phases examples,coverage,fuzzing --max-examples 30 --seed 1224 \
  --request-timeout 30 --workers 2 --warnings off --no-color) \
  || fail "schemathesis found a 5xx or a response outside the schema"
# The run means something only if the fuzzer was let in: show what it got, and require
# successful answers from the data routes.
python3 - "$WORK/pulse.log" <<'EOF' || fail "schemathesis was not let in"
import collections, json, sys
seen = collections.Counter()
for line in open(sys.argv[1]):
    try:
        event = json.loads(line)
    except ValueError:
        continue
    if event.get("message") == "request":
        seen[(event["span"].get("route", "?"), event["status"])] += 1
print("answers by route and status:", ", ".join(f"{r} {s}: {n}" for (r, s), n in sorted(seen.items())))
ok = sum(n for (r, s), n in seen.items() if r.startswith(("/api/v1/customers", "/api/v1/analytics")) and s < 300)
sys.exit(0 if ok > 100 else f"only {ok} successful answers from the data routes")
EOF

step "all black-box runs passed"
