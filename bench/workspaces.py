#!/usr/bin/env python3
"""Analytics over one workspace among many (the workspaces issue), on a release build.

    python3 bench/workspaces.py [--workspaces 100] [--rows 10000] [--large 1000000] [--requests 200]

Two servers on fresh SQLite databases, side by side in one run:
  - alone: one workspace with `--rows` customers and one with `--large`, nothing else;
  - crowded: the same two workspaces among `--workspaces` others of `--rows` customers each.
For each, p50/p95 of /workspaces/{wid}/analytics/summary and /trends?granularity=month on
the small and the large workspace, and the crowded/alone ratio of the p50s. Analytics read
`daily_stats`, whose key starts with the workspace, so the ratio should stay near 1.
"""
import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import data  # noqa: E402  (the same server, login and latency helpers)


def request(port: int, method: str, path: str, token: str, body: bytes | None = None,
            content_type: str = "application/json") -> dict:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {"authorization": f"Bearer {token}", "content-type": content_type}
    c.request(method, path, body, headers)
    r = c.getresponse()
    reply = json.loads(r.read())
    assert r.status < 300, (path, r.status, reply)
    return reply["data"]


def import_into(port: int, token: str, wid: int, csv: Path) -> None:
    report = request(port, "POST", f"/api/v1/workspaces/{wid}/customers/import", token, csv.read_bytes(), "text/csv")
    assert report["invalid"] == 0, report


def populate(port: int, token: str, small: Path, large: Path, others: int) -> tuple[int, int]:
    """The measured small and large workspaces, created first, then `others` more."""
    wids = []
    for name, csv in (("Small", small), ("Large", large)):
        wid = request(port, "POST", "/api/v1/workspaces", token, json.dumps({"name": name}).encode())["id"]
        import_into(port, token, wid, csv)
        wids.append(wid)
    for i in range(others):
        wid = request(port, "POST", "/api/v1/workspaces", token, json.dumps({"name": f"Shop {i}"}).encode())["id"]
        import_into(port, token, wid, small)
    return wids[0], wids[1]


def measure(folder: Path, small: Path, large: Path, others: int, requests: int) -> dict:
    folder.mkdir()
    port = data.free_port()
    server = subprocess.Popen([str(data.BIN), "serve"], env=data.env_for(folder, port), stdout=subprocess.DEVNULL)
    try:
        data.wait_ready(port)
        token = data.login(port)
        small_wid, large_wid = populate(port, token, small, large, others)
        out = {}
        for label, wid in (("small", small_wid), ("large", large_wid)):
            base = f"/api/v1/workspaces/{wid}/analytics"
            out[label, "summary"] = data.latencies(port, token, f"{base}/summary", requests)
            out[label, "trends"] = data.latencies(port, token, f"{base}/trends?granularity=month", requests)
        return out
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workspaces", type=int, default=100)
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--large", type=int, default=1_000_000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "pulse"], cwd=data.ROOT, check=True)
    tmp = Path(tempfile.mkdtemp(prefix="pulse-bench-ws-"))
    small, large = tmp / "small.csv", tmp / "large.csv"
    for rows, csv in ((args.rows, small), (args.large, large)):
        subprocess.run([sys.executable, str(data.ROOT / "bench" / "gen_customers.py"), str(rows), str(csv)], check=True)
    alone = measure(tmp / "alone", small, large, 0, args.requests)
    crowded = measure(tmp / "crowded", small, large, args.workspaces, args.requests)
    total = args.rows * (args.workspaces + 1) + args.large
    print(f"Machine: {os.cpu_count()} cores; SQLite; release build. Crowded: {args.workspaces + 2} workspaces, "
          f"{total:,} customers.\n")
    rows = []
    for label, size in (("small", args.rows), ("large", args.large)):
        for route in ("summary", "trends"):
            a, c = alone[label, route], crowded[label, route]
            rows.append((f"`{route}` of a workspace of {size:,}, p50 / p95: alone → among {args.workspaces} others",
                         f"{a[0]:.2f} / {a[1]:.2f} ms → {c[0]:.2f} / {c[1]:.2f} ms ({c[0] / a[0]:.2f}×)", "≈ 1×"))
    print(data.table(rows))


if __name__ == "__main__":
    main()
