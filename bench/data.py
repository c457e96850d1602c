#!/usr/bin/env python3
"""Import and analytics benchmark (the customers issue), on a release build with SQLite.

    python3 bench/data.py [--rows 1000000] [--requests 200] [--rounds 3] [--no-cli]

Generates a deterministic CSV, then reports, in one run on this machine:
  - import rows/s via HTTP (multipart upload) and via `pulse import`, and the server's
    peak RSS during the HTTP import;
  - the ceiling: the same file loaded by sqlite3's `.import` into a plain table (ratio printed);
    the ceiling and both imports run --rounds times, interleaved; medians are reported, with
    each round's ratios;
  - p50/p95 latency of /analytics/summary and /analytics/trends?granularity=month over all rows.
Prints a Markdown table. `bench/perf.py` runs the same measurements beside the HTTP ones.
"""
import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release" / "pulse"
sys.path.insert(0, str(ROOT / "tests" / "blackbox"))
from cluster import ADMIN  # noqa: E402  (the development admin, defined once for the Python tools)


# `q` searches of the customer list (a page of 20 and the total), from one match to a tenth
# of the rows: what each finds in `gen_customers.py`'s data.
SEARCHES = {
    "customer123456@": "one customer's email",
    "Customer 4242": "a name, ~100 matches",
    "refund": "a review word, ~5 % of rows",
    "ab": "two letters, no index",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(tmp: Path, port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env.update({
        "DATABASE_URL": f"sqlite://{tmp}/pulse.db", "BIND_ADDR": f"127.0.0.1:{port}",
        "JWT_SECRET": "bench-secret-bench-secret-bench-secret-0123", "MAIL_OUTBOX_DIR": str(tmp / "outbox"),
        "DATA_DIR": str(tmp / "data"), "AUTH_RATE_LIMIT_PER_MINUTE": "0", "LOG_FORMAT": "json",
        "RUST_LOG": "warn", "MAX_UPLOAD_BYTES": str(1 << 31),
    })
    return env


def wait_ready(port: int) -> None:
    # Polled every 5 ms: the cold start is timed by this loop.
    for _ in range(3000):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            c.request("GET", "/health/ready")
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.005)
    sys.exit("the server did not become ready")


def post_json(port: int, path: str, body: dict, expect: int = 200) -> dict:
    """POSTs JSON and returns the envelope's `data`, checking the status."""
    c = http.client.HTTPConnection("127.0.0.1", port)
    c.request("POST", path, json.dumps(body), {"content-type": "application/json"})
    r = c.getresponse()
    reply = json.loads(r.read())
    assert r.status == expect, (path, r.status, reply)
    return reply["data"]


def login(port: int) -> str:
    return post_json(port, "/api/v1/auth/login", ADMIN)["access_token"]


def rss_mb(pid: int, field: str = "VmHWM") -> float:
    """A process's memory from /proc: VmHWM is the peak resident set, VmRSS the current one."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def latencies(port: int, token: str, path: str, n: int) -> tuple[float, float]:
    c = http.client.HTTPConnection("127.0.0.1", port)
    times = []
    for i in range(n + 5):
        start = time.perf_counter()
        c.request("GET", path, headers={"authorization": f"Bearer {token}"})
        r = c.getresponse()
        r.read()
        assert r.status == 200, (path, r.status)
        if i >= 5:  # warm-up
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def searches(port: int, requests: int) -> dict:
    """p50 / p95 of each of SEARCHES, with a fresh token (an unindexed search over 1M rows
    takes seconds, and access tokens last 15 minutes)."""
    token = login(port)
    return {q: latencies(port, token, f"/api/v1/customers?q={urllib.parse.quote(q)}", requests) for q in SEARCHES}


def settle_disk() -> None:
    """Writes back what earlier steps left dirty in the page cache, so that a timed step's own
    fsyncs do not queue behind another step's writeback (the HTTP import leaves ~400 MB)."""
    os.sync()


def ceiling_seconds(csv: Path, db: Path) -> float:
    """sqlite3's `.import` of the file into a plain table of a new database."""
    settle_disk()
    start = time.perf_counter()
    subprocess.run(["sqlite3", str(db)], input=f".mode csv\n.import {csv} customers\n", text=True, check=True)
    return time.perf_counter() - start


def http_import(csv: Path, folder: Path, rows: int, requests: int) -> dict:
    """A multipart upload to a new server: seconds, peak and idle RSS, and, when `requests`,
    the analytics latencies over the imported rows."""
    folder.mkdir()
    port = free_port()
    server = subprocess.Popen([str(BIN), "serve"], env=env_for(folder, port), stdout=subprocess.DEVNULL)
    try:
        wait_ready(port)
        token = login(port)
        result = {"idle": rss_mb(server.pid, "VmRSS")}
        settle_disk()
        start = time.perf_counter()
        out = subprocess.run(
            ["curl", "-sS", "-H", f"authorization: Bearer {token}", "-F", f"file=@{csv}",
             f"http://127.0.0.1:{port}/api/v1/customers/import"],
            capture_output=True, text=True, check=True)
        result["seconds"] = time.perf_counter() - start
        report = json.loads(out.stdout)["data"]
        assert report["inserted"] == rows, report
        result["peak"] = rss_mb(server.pid)
        if requests:
            result["summary"] = latencies(port, token, "/api/v1/analytics/summary", requests)
            result["trends"] = latencies(port, token, "/api/v1/analytics/trends?granularity=month", requests)
            result["filtered"] = latencies(
                port, token, "/api/v1/analytics/summary?from=2024-03-01&to=2025-02-28&min_score=2", requests)
            # The two-letter search scans every row: at 10M rows, 20 of them take minutes.
            result["searches"] = searches(port, min(requests, 20)) if rows <= 2_000_000 else {}
        return result
    finally:
        server.terminate()
        server.wait()


def cli_seconds(csv: Path, folder: Path) -> float:
    """`pulse import` of the file into a new database, start to exit."""
    folder.mkdir()
    settle_disk()
    start = time.perf_counter()
    subprocess.run([str(BIN), "import", str(csv)], env=env_for(folder, free_port()), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(rows: int, requests: int, rounds: int = 3, cli: bool = True) -> list[tuple[str, str, str]]:
    """Runs the import and analytics measurements; returns (measure, value, target) rows.
    The ceiling and both imports run `rounds` times, interleaved, and the medians are
    reported: this machine's speed drifts by 10-20 % within minutes, which a single run
    of each, a few seconds apart, turns into a ratio off by as much."""
    if not shutil.which("sqlite3"):
        sys.exit("sqlite3 is needed for the ceiling: apt-get install -y sqlite3")
    tmp = Path(tempfile.mkdtemp(prefix="pulse-bench-"))
    csv = tmp / "customers.csv"
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen_customers.py"), str(rows), str(csv)], check=True)
    size_mb = csv.stat().st_size / 1e6

    ceilings, https, clis = [], [], []
    for i in range(rounds):
        ceilings.append(ceiling_seconds(csv, tmp / f"ceiling{i}.db"))
        https.append(http_import(csv, tmp / f"http{i}", rows, requests if i == 0 else 0))
        if cli:
            clis.append(cli_seconds(csv, tmp / f"cli{i}"))
    shutil.rmtree(tmp, ignore_errors=True)

    first = https[0]
    ceiling = rows / statistics.median(ceilings)
    http_rate = rows / statistics.median(h["seconds"] for h in https)
    cli_rate = rows / statistics.median(clis) if clis else 0.0

    def per_round(seconds: list[float]) -> str:
        return ", ".join(f"{c / s:.0%}" for c, s in zip(ceilings, seconds))

    summary, trends, filtered = first["summary"], first["trends"], first["filtered"]
    searches = [(f"/customers?q={q} ({what}), p50 / p95", f"{p50:.2f} / {p95:.2f} ms", "p50 < 20 ms")
                for (q, what), (p50, p95) in zip(SEARCHES.items(), first["searches"].values())]
    return [
        (f"sqlite3 `.import` of {rows:,} rows ({size_mb:.0f} MB CSV) into a plain table (ceiling), median of {rounds}",
         f"{ceiling:,.0f} rows/s", ""),
        ("import via HTTP (multipart), median", f"{http_rate:,.0f} rows/s ({http_rate / ceiling:.0%} of ceiling; "
         f"rounds: {per_round([h['seconds'] for h in https])})", "≥ 50 %"),
    ] + ([
        ("import via `pulse import`, median", f"{cli_rate:,.0f} rows/s ({cli_rate / ceiling:.0%} of ceiling; "
         f"rounds: {per_round(clis)})", "≥ 50 %"),
    ] if clis else []) + [
        ("server peak RSS during the HTTP import, highest", f"{max(h['peak'] for h in https):.0f} MB "
         f"(idle {first['idle']:.0f} MB)", "< 200 MB"),
        (f"/analytics/summary over {rows:,} rows, p50 / p95", f"{summary[0]:.2f} / {summary[1]:.2f} ms", "p50 < 30 ms"),
        ("/analytics/trends?granularity=month, p50 / p95", f"{trends[0]:.2f} / {trends[1]:.2f} ms", "p50 < 30 ms"),
        ("/analytics/summary, a year + score filter, p50 / p95", f"{filtered[0]:.2f} / {filtered[1]:.2f} ms", ""),
    ] + searches


def table(rows: list[tuple[str, str, str]]) -> str:
    return "\n".join(["| measure | value | target |", "|---|---|---|"] + [f"| {m} | {v} | {t} |" for m, v, t in rows])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3, help="interleaved runs of the ceiling and both imports")
    ap.add_argument("--no-cli", action="store_true", help="skip `pulse import` (e.g. for 10M rows: half the time)")
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "pulse"], cwd=ROOT, check=True)
    print(f"Machine: {os.cpu_count()} cores; SQLite; release build.\n")
    print(table(measure(args.rows, args.requests, args.rounds, cli=not args.no_cli)))


if __name__ == "__main__":
    main()
