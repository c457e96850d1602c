#!/usr/bin/env python3
"""The Postman collection (docs/postman) with newman against a running pulse:

    python3 tests/blackbox/newman_run.py BASE_URL WORK

folder "1 Sign up"; then the verification email that pulse wrote to WORK/outbox (its
MAIL_OUTBOX_DIR) for the new account; then "2 Session" with that token (verify → login → me →
refresh → customers → import → export → analytics → logout) and "3 Workspaces" (workspaces,
members and invitations). The environment passes from one run to the next through
WORK/env.json. Fails with a message naming the folder or the missing email.
"""
import email
import email.policy
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

from cluster import ROOT

HERE = Path(__file__).resolve().parent
NEWMAN = HERE / "node_modules" / ".bin" / "newman"
COLLECTION = ROOT / "docs" / "postman" / "pulse.postman_collection.json"
ENVIRONMENT = ROOT / "docs" / "postman" / "pulse.postman_environment.json"


def fail(message: str) -> NoReturn:
    sys.exit(f"FAILED: {message}")


def newman(folder: str, environment: Path, *options: str) -> None:
    command = [str(NEWMAN), "run", str(COLLECTION), "-e", str(environment), *options,
               "--folder", folder, "--color", "off"]
    if subprocess.run(command).returncode != 0:
        fail(f"newman: {folder}")


def variable(environment: Path, key: str) -> str:
    """A value of a Postman environment file, "" when it is not there."""
    values = json.loads(environment.read_text())["values"]
    return next((v["value"] for v in values if v["key"] == key), "")


def verification_token(outbox: Path, to: str) -> str | None:
    """The token of the newest verification email to `to` in the outbox."""
    for path in sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if to not in str(message["To"]):
            continue
        text = message.get_body(preferencelist=("plain",)).get_content()
        match = re.search(r"/verify-email\?token=([A-Za-z0-9_-]+)", text)
        if match:
            return match.group(1)
    return None


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    base, work = sys.argv[1], Path(sys.argv[2])
    env = work / "env.json"
    newman("1 Sign up", ENVIRONMENT, "--env-var", f"baseUrl={base}", "--export-environment", str(env))
    address = variable(env, "email")
    if not address:
        fail("newman: 1 Sign up left no email in its environment")
    token = verification_token(work / "outbox", address)
    if not token:
        fail(f"no verification email for {address} in the outbox")
    newman("2 Session", env, "--env-var", f"verify_token={token}", "--export-environment", str(env))
    newman("3 Workspaces", env)


if __name__ == "__main__":
    main()
