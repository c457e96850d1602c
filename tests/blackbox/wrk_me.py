#!/usr/bin/env python3
"""A short wrk load on a running pulse: 10 s of GET /api/v1/users/me as the admin, 2 threads,
16 connections.

    python3 tests/blackbox/wrk_me.py BASE_URL

Prints wrk's report; fails if wrk saw a non-2xx/3xx answer or a socket error, or made no
request at all.
"""
import re
import subprocess
import sys
import urllib.parse
from typing import NoReturn

from cluster import Client


def fail(message: str) -> NoReturn:
    sys.exit(f"FAILED: {message}")


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    base = sys.argv[1]
    token = Client(urllib.parse.urlsplit(base).port).login()
    done = subprocess.run(["wrk", "-t2", "-c16", "-d10s", "--latency", "-H", f"Authorization: Bearer {token}",
                           f"{base}/api/v1/users/me"], stdout=subprocess.PIPE, text=True)
    print(done.stdout, end="", flush=True)
    if done.returncode != 0:
        fail(f"wrk exited with status {done.returncode}")
    if re.search(r"Non-2xx or 3xx responses|Socket errors", done.stdout):
        fail("wrk saw errors")
    if not re.search(r"^ +[0-9]+ requests in", done.stdout, re.MULTILINE):
        fail("wrk made no requests")


if __name__ == "__main__":
    main()
