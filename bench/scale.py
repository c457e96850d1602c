#!/usr/bin/env python3
"""Throughput of one Pulse instance against three on one PostgreSQL database, both behind
nginx (deploy/nginx.conf, TLS), on a release build.

    python3 bench/scale.py --database postgres://postgres@127.0.0.1:5432/test [--seconds 10] [--rounds 3] [--no-build]

For each round, a one-instance and a three-instance cluster (tests/blackbox/cluster.py, on a
database of their own on that server) each take wrk's load through nginx: GET /users/me
(reads from the session cache) and POST /customers (a write per request, through to
PostgreSQL). Prints medians of the rounds. On a 2-core machine the instances, nginx,
PostgreSQL and wrk share the same two cores: three instances cannot be faster than one
here, and the ratio measures what running several costs, not what they gain.
"""
import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "blackbox"))
from cluster import Cluster  # noqa: E402

BIN = ROOT / "target" / "release" / "pulse"
WRITES = ROOT / "tests" / "blackbox" / "acknowledged_writes.lua"


def wrk(args: list[str]) -> tuple[float, float]:
    """Requests/s and p99 in ms of one wrk run."""
    out = subprocess.run(["wrk", "-t2", "-c32", "--latency", *args], check=True, capture_output=True, text=True).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        sys.exit(f"wrk saw errors:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    return rate, float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def measure(instances: int, database: str, seconds: int) -> dict[str, tuple[float, float]]:
    with Cluster(BIN, database, instances=instances) as cluster, tempfile.TemporaryDirectory() as out:
        token = cluster.front().login()
        return {
            "GET /users/me": wrk([f"-d{seconds}s", "-H", f"Authorization: Bearer {token}",
                                  "-H", "Host: pulse.example.com", f"{cluster.url}/api/v1/users/me"]),
            "POST /customers": wrk([f"-d{seconds}s", "-s", str(WRITES), cluster.url, "--", out, token]),
        }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--database", required=True, help="a PostgreSQL server URL (a database is created on it)")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "pulse"], cwd=ROOT, check=True)
    runs: dict[int, list[dict]] = {1: [], 3: []}
    for _ in range(args.rounds):
        for instances in runs:
            runs[instances].append(measure(instances, args.database, args.seconds))
    print("| load (wrk -t2 -c32, through nginx) | 1 instance | 3 instances | 3 ÷ 1 |")
    print("|---|---|---|---|")
    for load in runs[1][0]:
        one = [statistics.median(r[load][k] for r in runs[1]) for k in (0, 1)]
        three = [statistics.median(r[load][k] for r in runs[3]) for k in (0, 1)]
        print(f"| {load} | {one[0]:,.0f} req/s, p99 {one[1]:.1f} ms | {three[0]:,.0f} req/s, p99 {three[1]:.1f} ms "
              f"| {three[0] / one[0]:.2f} |")


if __name__ == "__main__":
    main()
