#!/usr/bin/env python3
"""The scale-out test: three Pulse instances on one PostgreSQL database behind nginx
(deploy/nginx.conf), Redis for the shared rate limits (docs/DEPLOY.md, "Several instances").

    python3 tests/blackbox/scale_out.py target/debug/pulse postgres://postgres@127.0.0.1:5432/test

Creates (and drops after) its own database on that server. Checks, failing with a message:
  1. a logout on one instance is refused by the two others within 50 ms (p99 of 150);
  2. the per-IP limit on /api/v1/auth/* holds across the instances, not per instance;
  3. background jobs run exactly once while three instances compete for them: a survey to
     300 customers sends each one email, and their 300 `response.created` webhooks arrive
     once each;
  4. one instance killed (SIGKILL) under wrk's load of writes through nginx loses none of the
     writes that were acknowledged (every 201's customer is in the database after), and the
     others go on answering.
Needs psql, nginx, wrk and openssl on the PATH and Redis on 127.0.0.1:6379.
"""
import csv
import io
import shutil
import subprocess
import sys
import time
from pathlib import Path

from cluster import Cluster, Client

HERE = Path(__file__).resolve().parent
REVOCATION_TARGET_MS = 50
AUTH_LIMIT = 20


def check(condition: bool, message: str) -> None:
    if not condition:
        sys.exit(f"FAILED: {message}")


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def revocation_reaches_every_instance(cluster: Cluster, sessions: int = 150) -> None:
    clients = [cluster.instance(i) for i in range(cluster.count)]
    samples = []
    for n in range(sessions):
        # Each session from its own address: the per-IP limit on /auth/* is not under test here.
        address = f"10.9.{n // 250}.{n % 250 + 1}"
        a, others = clients[n % 3], [c for i, c in enumerate(clients) if i != n % 3]
        token = a.login(forwarded_for=address)
        for other in others:  # now in the other instances' session caches
            check(other.call("GET", "/api/v1/users/me", token).status == 200, "a session works on every instance")
        reply = a.call("POST", "/api/v1/auth/logout", token, headers={"x-forwarded-for": address})
        check(reply.status == 200, f"logout: {reply.status} {reply.body[:200]!r}")
        done = time.perf_counter()
        for other in others:
            while (status := other.call("GET", "/api/v1/users/me", token).status) == 200:
                check(time.perf_counter() - done < 5, "a logged-out session still works after 5 s")
            check(status == 401, f"a logged-out session answers {status}, not 401")
            samples.append((time.perf_counter() - done) * 1000)
    p50, p99 = percentile(samples, 0.5), percentile(samples, 0.99)
    print(f"  {len(samples)} refusals after a logout elsewhere: p50 {p50:.2f} ms, p99 {p99:.2f} ms, "
          f"highest {max(samples):.2f} ms")
    check(p99 < REVOCATION_TARGET_MS, f"p99 {p99:.1f} ms is over the {REVOCATION_TARGET_MS} ms target")


def the_rate_limit_is_shared(cluster: Cluster) -> None:
    # Redis counts fixed one-minute windows: keep the burst inside one.
    if time.time() % 60 > 50:
        time.sleep(61 - time.time() % 60)
    front = cluster.front()
    statuses = [
        front.call("POST", "/api/v1/auth/forgot-password", body={"email": "nobody@example.com"},
                   headers={"x-forwarded-for": "198.51.100.77"}).status
        for _ in range(AUTH_LIMIT + 10)
    ]
    print(f"  {len(statuses)} requests from one address through nginx: "
          f"{statuses.count(202)} accepted, {statuses.count(429)} refused (limit {AUTH_LIMIT} per minute)")
    check(statuses == [202] * AUTH_LIMIT + [429] * 10,
          f"expected {AUTH_LIMIT} accepted then 429s across the three instances, got {statuses}")


def jobs_run_exactly_once(cluster: Cluster, token: str, customers: int = 300) -> None:
    front = cluster.front()
    wid = front.call("GET", "/api/v1/users/me", token).data()["default_workspace_id"]
    hook = front.call("POST", f"/api/v1/workspaces/{wid}/webhooks", token,
                      {"url": cluster.webhooks.url, "events": ["response.created"]})
    check(hook.status == 201, f"webhook: {hook.status} {hook.body[:300]!r}")
    emails = [f"asked{i}@example.com" for i in range(customers)]
    rows = "".join(f"Asked {i},{email},{i % 5 + 1}\n" for i, email in enumerate(emails))
    reply = front.call("POST", "/api/v1/customers/import", token, f"name,email,satisfaction_score\n{rows}".encode(),
                       {"content-type": "text/csv"})
    check(reply.status == 200 and reply.data()["inserted"] == customers, f"import: {reply.status} {reply.body[:300]!r}")
    reply = front.call("POST", f"/api/v1/workspaces/{wid}/surveys", token, {"filter": {}})
    check(reply.status == 202 and reply.data()["queued"] == customers, f"survey: {reply.status} {reply.body[:300]!r}")
    deadline = time.monotonic() + 180
    while len(cluster.smtp.recipients) < customers or sum(cluster.webhooks.deliveries.values()) < customers:
        check(time.monotonic() < deadline, f"after 3 minutes: {len(cluster.smtp.recipients)} emails, "
              f"{sum(cluster.webhooks.deliveries.values())} webhook deliveries of {customers}")
        time.sleep(0.05)
    time.sleep(3)  # time for a duplicate to show up, were there one
    sent = sorted(cluster.smtp.recipients)
    check(sent == sorted(emails), f"each customer gets exactly one email: {len(sent)} sent to "
          f"{len(set(sent))} addresses")
    repeated = {k: n for k, n in cluster.webhooks.deliveries.items() if n > 1}
    check(len(cluster.webhooks.deliveries) == customers and not repeated,
          f"each webhook is delivered once: {len(cluster.webhooks.deliveries)} ids, repeated {repeated}")
    print(f"  {customers} survey emails and {customers} webhook deliveries, each exactly once")
    front.call("DELETE", f"/api/v1/workspaces/{wid}/webhooks/{hook.data()['id']}", token)


def a_killed_instance_loses_no_acknowledged_write(cluster: Cluster, token: str, seconds: int = 8) -> None:
    folder = cluster.work / "load"
    folder.mkdir()
    wrk = subprocess.Popen(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "-s", str(HERE / "acknowledged_writes.lua"), cluster.url,
         "--", str(folder), token], stdout=subprocess.PIPE, text=True)
    time.sleep(seconds / 3)
    cluster.kill(1)
    killed_at = int(time.time())
    output, _ = wrk.communicate(timeout=seconds * 10)
    answers = [line.split() for path in folder.glob("answers-*.txt") for line in path.read_text().splitlines()]
    acknowledged = {email for status, _, email in answers if status == "201"}
    later = sum(1 for status, at, _ in answers if status == "201" and int(at) > killed_at)
    failed = len(answers) - len(acknowledged)
    reply = cluster.front().call("GET", "/api/v1/customers/export", token)
    check(reply.status == 200, f"export: {reply.status}")
    stored = {row["email"] for row in csv.DictReader(io.StringIO(reply.body.decode()))}
    lost = acknowledged - stored
    print(f"  wrk through nginx, instance 1 killed after {seconds / 3:.0f} s: {len(acknowledged)} writes "
          f"acknowledged ({later} after the kill), {failed} refused or cut, {len(lost)} lost")
    check(not lost, f"acknowledged writes missing from the database: {sorted(lost)[:10]}")
    check(later > 0, f"no write succeeded after the kill:\n{output}")
    check(len(acknowledged) > 100, f"too little load to mean anything:\n{output}")


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    missing = [tool for tool in ("psql", "nginx", "wrk", "openssl") if not shutil.which(tool)]
    check(not missing, f"missing tools: {', '.join(missing)}")
    binary, server = Path(sys.argv[1]).resolve(), sys.argv[2]
    with Cluster(binary, server, instances=3, env={"AUTH_RATE_LIMIT_PER_MINUTE": str(AUTH_LIMIT)}) as cluster:
        print(f"three instances on ports {cluster.ports}, nginx on {cluster.tls_port} (TLS)")
        try:
            print("1. revocation across instances")
            revocation_reaches_every_instance(cluster)
            print("2. the per-IP limit across instances")
            the_rate_limit_is_shared(cluster)
            token = Client(cluster.ports[0]).login(forwarded_for="10.10.0.1")
            print("3. background jobs exactly once")
            jobs_run_exactly_once(cluster, token)
            print("4. an instance killed under load")
            a_killed_instance_loses_no_acknowledged_write(cluster, token)
        except SystemExit:
            for i in range(cluster.count):
                print(f"--- instance {i}:\n{cluster.log_tail(i)}", file=sys.stderr)
            raise
    print("scale-out: all checks passed")


if __name__ == "__main__":
    main()
