#!/usr/bin/env python3
"""Login cost on a release build: the median of sequential logins, and the server's idle RSS.

    python3 bench/auth.py [--logins 30]
"""
import argparse
import http.client
import json
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from data import BIN, ROOT, env_for, free_port, rss_mb, wait_ready


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--logins", type=int, default=30)
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    tmp = Path(tempfile.mkdtemp(prefix="pulse-auth-bench-"))
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen([str(BIN), "serve"], env=env_for(tmp, port), stdout=subprocess.DEVNULL)
    try:
        wait_ready(port)
        ready_ms = (time.perf_counter() - started) * 1000
        time.sleep(0.5)
        idle = rss_mb(server.pid, "VmRSS")
        body = json.dumps({"login": "admin1224", "password": "Admin@1224"})
        times = []
        for _ in range(args.logins):
            c = http.client.HTTPConnection("127.0.0.1", port)
            t = time.perf_counter()
            c.request("POST", "/api/v1/auth/login", body, {"content-type": "application/json"})
            r = c.getresponse()
            r.read()
            times.append((time.perf_counter() - t) * 1000)
            assert r.status == 200, r.status
    finally:
        server.terminate()
        server.wait()
    size_mb = BIN.stat().st_size / 1e6
    print("| measure | value |\n|---|---|")
    print(f"| single login, median of {args.logins} (Argon2id m=19456 KiB, t=2, p=1) | {statistics.median(times):.1f} ms |")
    print(f"| idle RSS after start | {idle:.0f} MB |")
    print(f"| start to ready (fresh SQLite, migrations, admin seed) | {ready_ms:.0f} ms |")
    print(f"| release binary size | {size_mb:.1f} MB |")


if __name__ == "__main__":
    main()
