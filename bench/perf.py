#!/usr/bin/env python3
"""Pulse against its ceilings, side by side in one run, on a release build with SQLite.

    python3 bench/perf.py [--rows 1000000] [--seconds 10] [--no-build] [--out docs/PERFORMANCE.md]

Measures, with wrk (Debian's package) as the load generator on the same machine:
  - GET /api/v1/users/me (bearer) at 64 connections, and the same load on /health/live,
    the build's bare route (no auth, no database): req/s, p50, p99 and the ratio;
  - logins/s against two Argon2 ceilings: the simple one (cores ÷ the median time of one
    hash, read from the server's own `password_hash_seconds` after sequential logins) and
    the measured one (examples/argon2_parallel.rs: the same parameters verified on every
    core at once, nothing else running, just before the storm); then /users/me p99 during
    a second storm;
  - the import and analytics figures of bench/data.py (1M generated rows by default);
  - idle RSS, release binary size, cold start to ready.
Prints a Markdown table and writes it into --out between the perf markers.
"""
import argparse
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import data
from data import BIN, ROOT, env_for, free_port, login, post_json, rss_mb, wait_ready

CORES = os.cpu_count() or 1
ACCOUNTS = 64
PASSWORD = "violet-harbor-9137"
# Logins rotate over many accounts: one account refuses more than LOCKOUT_THRESHOLD
# password checks in flight at once (they are claimed before they run).
LOGIN_LUA = """local n = 0
request = function()
  n = n + 1
  local body = string.format('{"login":"bench%%d","password":"%s"}', n %% %d)
  return wrk.format("POST", "/api/v1/auth/login", {["Content-Type"] = "application/json"}, body)
end
""" % (PASSWORD, ACCOUNTS)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


class Wrk:
    """One wrk run's figures: requests/s, latency percentiles in ms, errors."""

    def __init__(self, output: str):
        self.output = output
        self.rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
        self.pct = {
            int(p): float(v) * UNITS[u]
            for p, v, u in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        }
        non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        socket = re.search(r"Socket errors: (.*)", output)
        self.errors = (non_2xx.group(1) + " non-2xx" if non_2xx else "") + (socket.group(1) if socket else "")


def wrk(url: str, connections: int, seconds: int, threads: int = 2, token: str | None = None,
        script: Path | None = None) -> subprocess.Popen:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if token:
        cmd += ["-H", f"Authorization: Bearer {token}"]
    if script:
        cmd += ["-s", str(script)]
    return subprocess.Popen(cmd + [url], stdout=subprocess.PIPE, text=True)


def finish(run: subprocess.Popen) -> Wrk:
    out, _ = run.communicate()
    result = Wrk(out)
    if result.errors:
        sys.exit(f"wrk saw errors ({result.errors}):\n{out}")
    return result


def sign_up(port: int, count: int) -> None:
    for i in range(count):
        body = {"username": f"bench{i}", "email": f"bench{i}@example.com", "password": PASSWORD}
        post_json(port, "/api/v1/auth/signup", body, expect=201)


def metrics_text(port: int) -> str:
    c = http.client.HTTPConnection("127.0.0.1", port)
    c.request("GET", "/metrics")
    return c.getresponse().read().decode()


def hash_totals(port: int) -> tuple[float, int]:
    """`password_hash_seconds` sum and count so far."""
    text = metrics_text(port)
    total = float(re.search(r"^password_hash_seconds_sum ([\d.e-]+)$", text, re.MULTILINE).group(1))
    count = int(re.search(r"^password_hash_seconds_count (\d+)$", text, re.MULTILINE).group(1))
    return total, count


def reset_postgres(database: str) -> None:
    """Drops and recreates `database` (its name from the URL) on its server."""
    parts = urllib.parse.urlsplit(database)
    name, server = parts.path.lstrip("/"), urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    quiet = {**os.environ, "PGOPTIONS": "-c client_min_messages=warning"}
    for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", server, "-qAtc", sql], check=True, stdout=subprocess.DEVNULL, env=quiet)


def parallel_hashes_per_second(seconds: int) -> float:
    """Argon2 verifications/s of the standalone program on every core at once."""
    program = ROOT / "target" / "release" / "examples" / "argon2_parallel"
    out = subprocess.run([str(program), str(seconds)], check=True, capture_output=True, text=True).stdout
    return float(out.split()[0])


def single_hash_ms(port: int, logins: int = 60) -> float:
    """The median time of one Argon2 hash inside the server (its `password_hash_seconds`
    metric), over sequential logins: one hash at a time, on a warm process."""
    for i in range(logins):
        post_json(port, "/api/v1/auth/login", {"login": f"bench{i % ACCOUNTS}", "password": PASSWORD})
    text = metrics_text(port)
    return float(re.search(r'^password_hash_seconds\{quantile="0.5"\} ([\d.e-]+)$', text, re.MULTILINE).group(1)) * 1000


def http_figures(seconds: int, database: str | None = None) -> list[tuple[str, str, str]]:
    """The HTTP, login and process figures on a fresh SQLite file, or on `database` (a
    PostgreSQL database that is emptied first)."""
    tmp = Path(tempfile.mkdtemp(prefix="pulse-perf-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = env_for(tmp, port)
    if database:
        reset_postgres(database)
        env["DATABASE_URL"] = database
    started = time.perf_counter()
    # Started outside the project: the UI must come from the binary itself.
    server = subprocess.Popen([str(BIN), "serve"], env=env, stdout=subprocess.DEVNULL, cwd=tmp)
    try:
        wait_ready(port)
        ready_ms = (time.perf_counter() - started) * 1000
        page = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        page.request("GET", "/")
        ui = b'<div id="root">' in page.getresponse().read()
        token = login(port)
        time.sleep(0.5)
        after_login = rss_mb(server.pid, "VmRSS")
        # The login's hashing thread keeps Argon2's 19 MiB until tokio ends it, idle 10 s.
        time.sleep(10.5)
        idle = rss_mb(server.pid, "VmRSS")

        bare = finish(wrk(f"{base}/health/live", 64, seconds))
        me = finish(wrk(f"{base}/api/v1/users/me", 64, seconds, token=token))

        sign_up(port, ACCOUNTS)
        hash_ms = single_hash_ms(port)
        ceiling = CORES / (hash_ms / 1000)
        parallel = parallel_hashes_per_second(seconds)
        script = tmp / "login.lua"
        script.write_text(LOGIN_LUA)
        before = hash_totals(port)
        logins = finish(wrk(f"{base}/api/v1/auth/login", 16, seconds, threads=1, script=script))
        after = hash_totals(port)
        storm_hash_ms = (after[0] - before[0]) / max(after[1] - before[1], 1) * 1000
        # Again, and after 2 s /users/me is probed from 4 connections while the logins saturate.
        storm = wrk(f"{base}/api/v1/auth/login", 16, seconds + 4, threads=1, script=script)
        time.sleep(2)
        during = finish(wrk(f"{base}/api/v1/users/me", 4, seconds, threads=1, token=token))
        stormed = finish(storm)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(tmp, ignore_errors=True)

    size_mb = BIN.stat().st_size / 1e6
    return [
        ("bare route `/health/live`, 64 connections: req/s, p50 / p99",
         f"{bare.rps:,.0f} req/s, {bare.pct[50]:.2f} / {bare.pct[99]:.2f} ms", ""),
        ("`GET /api/v1/users/me` (bearer; JWT + session + user read), 64 connections: req/s, p50 / p99",
         f"{me.rps:,.0f} req/s ({me.rps / bare.rps:.0%} of bare), {me.pct[50]:.2f} / {me.pct[99]:.2f} ms",
         "≥ 50 % of bare, p99 < 5 ms"),
        (f"Argon2 ceiling: {CORES} cores ÷ {hash_ms:.1f} ms per hash (median inside the server)", f"{ceiling:,.1f} logins/s", ""),
        (f"Argon2 on {CORES} cores at once, standalone (examples/argon2_parallel.rs)", f"{parallel:,.1f} hashes/s", ""),
        (f"logins/s, 16 connections over {ACCOUNTS} accounts",
         f"{logins.rps:,.1f} logins/s ({logins.rps / ceiling:.0%} of ceiling, {logins.rps / parallel:.0%} of standalone), "
         f"p50 {logins.pct[50]:.0f} ms; one hash took {storm_hash_ms:.1f} ms on average meanwhile",
         "≥ 85 % of ceiling, ≥ 90 % of standalone"),
        ("`/users/me` during a second login storm, 4 connections: req/s, p50 / p99 (logins/s meanwhile)",
         f"{during.rps:,.0f} req/s, {during.pct[50]:.2f} / {during.pct[99]:.2f} ms ({stormed.rps:,.1f} logins/s)",
         "p99 < 10 ms"),
        ("RSS after start and one login: at once / idle 11 s later", f"{after_login:.0f} / {idle:.0f} MB", "< 30 MB"),
        (f"cold start to ready (fresh {'PostgreSQL database' if database else 'SQLite file'}, migrations, admin seed)", f"{ready_ms:.0f} ms", "< 100 ms"),
        ("release binary size (stripped; the UI embedded: served from another directory)",
         f"{size_mb:.1f} MB ({'UI served' if ui else 'NO UI: build web/ first'})", "< 25 MB"),
    ]


def write(out: Path, text: str) -> None:
    begin, end = "<!-- perf:begin -->", "<!-- perf:end -->"
    old = out.read_text() if out.exists() else f"# Performance\n\n{begin}\n{end}\n"
    if begin not in old:
        old += f"\n{begin}\n{end}\n"
    head, rest = old.split(begin, 1)
    out.write_text(f"{head}{begin}\n{text}\n{end}{rest.split(end, 1)[1]}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--out", default=str(ROOT / "docs" / "PERFORMANCE.md"))
    ap.add_argument("--database", help="also measure the HTTP figures on this PostgreSQL database "
                    "(dropped and recreated), e.g. postgres://postgres@127.0.0.1:5432/pulse_perf")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is the load generator: apt-get install -y wrk")
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "pulse", "--example", "argon2_parallel"],
                       cwd=ROOT, check=True)
    rows = [("**SQLite**", "", "")] + http_figures(args.seconds)
    if args.database:
        rows += [("**PostgreSQL** (same machine)", "", "")] + http_figures(args.seconds, args.database)
    rows += [("**Import and analytics, SQLite**", "", "")] + data.measure(args.rows, args.requests)
    command = "python3 bench/perf.py" + ("" if args.rows == 1_000_000 else f" --rows {args.rows}")
    command += f" --database {args.database}" if args.database else ""
    text = (f"Command: `{command}` — one run, {time.strftime('%Y-%m-%d')}, {CORES} cores, release build; "
            f"wrk runs on the same cores as the server.\n\n{data.table(rows)}")
    print(text)
    write(Path(args.out), text)


if __name__ == "__main__":
    main()
