#!/usr/bin/env python3
"""How long a logout on one instance takes to be refused on another (PostgreSQL).

    python3 bench/revocation.py --database postgres://postgres@127.0.0.1:5432/pulse_bench [--sessions 1000] [--no-build]

Starts two `pulse serve` instances (release build) on the given database, which must be
empty (it is left filled). For each of --sessions logins: B serves the session once (so it
is in B's memory), A logs it out, and B is asked again and again until it refuses it; the
time from A's answer to B's first refusal is one sample. Prints p50, p99 and the highest.
"""
import argparse
import http.client
import json
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from data import ADMIN, BIN, ROOT, env_for, free_port, wait_ready


def call(conn: http.client.HTTPConnection, method: str, path: str, token: str | None = None,
         body: dict | None = None) -> tuple[int, dict]:
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    data = response.read()
    return response.status, (json.loads(data) if data else {})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--database", required=True, help="an empty PostgreSQL database")
    ap.add_argument("--sessions", type=int, default=1000)
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "pulse"], cwd=ROOT, check=True)
    tmp = Path(tempfile.mkdtemp(prefix="pulse-revocation-"))
    servers, ports = [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            env = env_for(tmp / name, port) | {"DATABASE_URL": args.database}
            servers.append(subprocess.Popen([str(BIN), "serve"], env=env, stdout=subprocess.DEVNULL, cwd=tmp))
            ports.append(port)
            wait_ready(port)
        a, b = (http.client.HTTPConnection("127.0.0.1", p) for p in ports)
        samples, polls = [], 0
        for _ in range(args.sessions):
            status, reply = call(a, "POST", "/api/v1/auth/login", body=ADMIN)
            assert status == 200, (status, reply)
            token = reply["data"]["access_token"]
            assert call(b, "GET", "/api/v1/users/me", token)[0] == 200
            assert call(b, "GET", "/api/v1/users/me", token)[0] == 200
            assert call(a, "POST", "/api/v1/auth/logout", token)[0] == 200
            done = time.perf_counter()
            while call(b, "GET", "/api/v1/users/me", token)[0] == 200:
                polls += 1
            samples.append((time.perf_counter() - done) * 1000)
        samples.sort()
        p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
        print(f"{len(samples)} revocations on A, refused on B after: p50 {statistics.median(samples):.2f} ms, "
              f"p99 {p99:.2f} ms, highest {samples[-1]:.2f} ms ({polls} requests B still served)")
    finally:
        for server in servers:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
