#!/usr/bin/env python3
"""Survey sending (the surveys issue), on a release build with SQLite.

    python3 bench/surveys.py [--customers 10000]

Starts `pulse serve` with SMTP_URL pointing at a local SMTP sink (Python's asyncio, in this
process: it answers every command at once and counts the messages), imports --customers
customers, sends one survey to all of them and reports:
  - the time from the 202 to the last email received by the sink, and the rate;
  - the server's RSS before, its peak (VmHWM) during, and after sending.
The sink runs in this process on the same two cores, so the rate is a floor of the server's.
"""
import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "blackbox"))
import data  # noqa: E402  (the server, login and RSS helpers)
import workspaces  # noqa: E402  (request)
from cluster import SmtpSink  # noqa: E402  (the SMTP sink of the scale-out test)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=10_000)
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=data.ROOT, check=True)
    sink = SmtpSink()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        port = data.free_port()
        env = data.env_for(tmp, port)
        env.update({"SMTP_URL": f"smtp://127.0.0.1:{sink.port}", "MAIL_OUTBOX_DIR": "", "PUBLIC_URL": "http://pulse.test"})
        server = subprocess.Popen([str(data.BIN), "serve"], env=env, cwd=tmp, stdout=subprocess.DEVNULL)
        try:
            data.wait_ready(port)
            token = data.login(port)
            csv = "name,email,score\n" + "".join(f"C{i},c{i}@example.com,{i % 5 + 1}\n" for i in range(args.customers))
            me = workspaces.request(port, "GET", "/api/v1/users/me", token)
            wid = me["default_workspace_id"]
            workspaces.request(port, "POST", f"/api/v1/workspaces/{wid}/customers/import", token, csv.encode(), "text/csv")
            rss_before = data.rss_mb(server.pid, "VmRSS")
            start = time.perf_counter()
            queued = workspaces.request(port, "POST", f"/api/v1/workspaces/{wid}/surveys", token, b'{"filter": {}}')
            accepted = time.perf_counter() - start
            assert queued["queued"] == args.customers, queued
            while len(sink.recipients) < args.customers:
                time.sleep(0.01)
                if time.perf_counter() - start > 600:
                    sys.exit(f"only {len(sink.recipients)} emails after 10 minutes")
            seconds = time.perf_counter() - start
            peak = data.rss_mb(server.pid, "VmHWM")
            after = data.rss_mb(server.pid, "VmRSS")
        finally:
            server.terminate()
            server.wait()
    print(data.table([
        ("survey emails", f"{args.customers:,}", ""),
        ("POST /surveys answered (202) in", f"{accepted * 1000:.0f} ms", "tokens, recipients and jobs written"),
        ("all received by the SMTP sink in", f"{seconds:.2f} s", f"{args.customers / seconds:,.0f} emails/s"),
        ("server RSS before / peak / after", f"{rss_before:.0f} / {peak:.0f} / {after:.0f} MB", "VmRSS / VmHWM / VmRSS"),
    ]))


if __name__ == "__main__":
    main()
