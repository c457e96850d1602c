#!/usr/bin/env python3
"""`q` searches of the customer list over many customers, on SQLite or PostgreSQL.

    python3 bench/search.py [--rows 1000000] [--requests 20] [--database postgres://…/db] [--no-build]

Generates the rows (bench/gen_customers.py), loads them with `pulse import` into a new
database (a new SQLite file, or the PostgreSQL database given, which must be empty and is
left filled), starts `pulse serve` on it and reports p50 / p95 of `GET /api/v1/customers?q=…`
for the searches of bench/data.py (a page of 20 and the total).
"""
import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from data import BIN, ROOT, SEARCHES, env_for, free_port, searches, wait_ready


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--requests", type=int, default=20)
    ap.add_argument("--database", help="an empty PostgreSQL database (default: a new SQLite file)")
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "pulse"], cwd=ROOT, check=True)
    tmp = Path(tempfile.mkdtemp(prefix="pulse-search-"))
    try:
        csv = tmp / "customers.csv"
        subprocess.run([sys.executable, str(ROOT / "bench" / "gen_customers.py"), str(args.rows), str(csv)], check=True)
        port = free_port()
        env = env_for(tmp, port)
        if args.database:
            env["DATABASE_URL"] = args.database
        start = time.perf_counter()
        subprocess.run([str(BIN), "import", str(csv)], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        imported = time.perf_counter() - start
        server = subprocess.Popen([str(BIN), "serve"], env=env, stdout=subprocess.DEVNULL, cwd=tmp)
        try:
            wait_ready(port)
            backend = "PostgreSQL" if args.database else "SQLite"
            print(f"{backend}, {args.rows:,} customers (imported in {imported:.1f} s), {args.requests} requests each\n")
            print("| search | p50 / p95 | target |\n|---|---|---|")
            for (q, what), (p50, p95) in zip(SEARCHES.items(), searches(port, args.requests).values()):
                print(f"| `q={q}` ({what}) | {p50:.2f} / {p95:.2f} ms | p50 < 20 ms |")
        finally:
            server.terminate()
            server.wait()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
