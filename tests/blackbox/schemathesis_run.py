#!/usr/bin/env python3
"""schemathesis over a running pulse's /api/openapi.json, as the admin:

    python3 tests/blackbox/schemathesis_run.py BASE_URL WORK

Fails on a 5xx or a response outside the schema. Operations that would end the fuzzer's own
session or rename its account are left out; every other one is fuzzed with valid and invalid
input. Run last: it may change the admin (e.g. mark it unverified). schemathesis runs in WORK,
where it keeps its cache. The run means something only if the fuzzer was let in, so this then
counts pulse's answers by route and status in its JSON log, WORK/pulse.log, prints them, and
requires more than 100 successful answers from the data routes.
"""
import collections
import json
import subprocess
import sys
import urllib.parse
from pathlib import Path
from typing import NoReturn

from cluster import Client

HERE = Path(__file__).resolve().parent
SCHEMATHESIS = HERE / ".venv" / "bin" / "schemathesis"
LEFT_OUT = ["logout", "logout_all", "revoke_session", "change_password", "update_me"]
DATA_ROUTES = ("/api/v1/customers", "/api/v1/analytics")


def fail(message: str) -> NoReturn:
    sys.exit(f"FAILED: {message}")


def answers(log: Path) -> collections.Counter:
    """(route, status) → how many times, from the "request" events of pulse's JSON log."""
    seen = collections.Counter()
    for line in log.read_text(errors="replace").splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict) and event.get("message") == "request":
            seen[(event["span"].get("route", "?"), event["status"])] += 1
    return seen


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    base, work = sys.argv[1], Path(sys.argv[2])
    token = Client(urllib.parse.urlsplit(base).port).login()
    command = [str(SCHEMATHESIS), "run", f"{base}/api/openapi.json",
               "--header", f"Authorization: Bearer {token}",
               "--checks", "not_a_server_error,response_schema_conformance,content_type_conformance",
               *(option for operation in LEFT_OUT for option in ("--exclude-operation-id", operation)),
               "--phases", "examples,coverage,fuzzing", "--max-examples", "30", "--seed", "1224",
               "--request-timeout", "30", "--workers", "2", "--warnings", "off", "--no-color"]
    if subprocess.run(command, cwd=work).returncode != 0:
        fail("schemathesis found a 5xx or a response outside the schema")
    seen = answers(work / "pulse.log")
    print("answers by route and status:", ", ".join(f"{r} {s}: {n}" for (r, s), n in sorted(seen.items())))
    ok = sum(n for (route, status), n in seen.items() if route.startswith(DATA_ROUTES) and status < 300)
    if ok <= 100:
        fail(f"schemathesis was not let in: only {ok} successful answers from the data routes")


if __name__ == "__main__":
    main()
