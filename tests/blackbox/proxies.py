#!/usr/bin/env python3
"""The reverse-proxy configs of deploy/ in front of a running pulse: nginx (deploy/nginx.conf)
and then Caddy (deploy/Caddyfile), each on test ports.

    python3 tests/blackbox/proxies.py BASE_URL WORK

For each: /health/live over TLS, plain HTTP redirected to HTTPS, a login whose session records
the client address sent in X-Forwarded-For (pulse trusts 127.0.0.1), and a CSV upload larger
than nginx's 1 MB default streamed through to the import. Requests go through curl with
pulse.example.com resolved to 127.0.0.1 (SNI and Host as in production).

nginx runs a certificate made here; Caddy its own local CA (`tls internal`). Everything goes in
WORK: fullchain.pem, privkey.pem, big.csv, nginx/ (site.conf, nginx.conf, error.log,
stderr.log), Caddyfile, caddy/ (its storage), caddy.log. Both proxies are stopped before exit.
"""
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import NoReturn

from cluster import ADMIN, HOST, ROOT, free_port, nginx_site, self_signed_certificate, start_nginx, stop

ROWS = 40000
FORWARDED = "203.0.113.7"  # TEST-NET-3: the client address the proxy must pass on


def fail(message: str) -> NoReturn:
    sys.exit(f"FAILED: {message}")


def write_upload(path: Path) -> int:
    """A CSV of ROWS customers; returns its size, which must exceed nginx's 1 MB default."""
    rows = "".join(f"Proxy {i},proxy{i}@example.com,Came through the proxy and liked it,{1 + i % 5},"
                   f"2026-03-{1 + i % 28:02}\n" for i in range(ROWS))
    path.write_text("name,email,review,satisfaction_score,feedback_at\n" + rows)
    size = path.stat().st_size
    if size <= 2_000_000:
        fail("the proxy upload must exceed nginx's 1 MB default")
    return size


def caddy_config(upstream_port: int, tls_port: int, plain_port: int, storage: Path) -> str:
    """deploy/Caddyfile behind a global block (no admin endpoint, the test ports, storage in
    `storage`), with exactly these substitutions: the upstream port, and `tls internal` (a
    local CA instead of ACME) in the site block. Fails if the file no longer has them."""
    site = (ROOT / "deploy" / "Caddyfile").read_text()
    for old, new in [("reverse_proxy 127.0.0.1:8000", f"reverse_proxy 127.0.0.1:{upstream_port}"),
                     (f"\n{HOST} {{\n", f"\n{HOST} {{\n\ttls internal\n")]:
        if old not in site:
            fail(f"deploy/Caddyfile no longer has {old!r}")
        site = site.replace(old, new)
    return (f"{{\n\tadmin off\n\tskip_install_trust\n\thttp_port {plain_port}\n\thttps_port {tls_port}\n"
            f"\tstorage file_system {storage}\n}}\n{site}")


class Proxy:
    """curl to a proxy on 127.0.0.1 as https://pulse.example.com:TLS and
    http://pulse.example.com:PLAIN, trusting `cacert`."""

    def __init__(self, name: str, process: subprocess.Popen, tls: int, plain: int, cacert: Path) -> None:
        self.name, self.process, self.plain, self.cacert = name, process, plain, cacert
        self.site = f"https://{HOST}:{tls}"
        self.curl = ["curl", "-fsS", "--resolve", f"{HOST}:{tls}:127.0.0.1", "--resolve", f"{HOST}:{plain}:127.0.0.1",
                     "--cacert", str(cacert)]

    def ask(self, what: str, *args: str) -> str:
        """curl's output; fails with `what` when curl does (including an HTTP status ≥ 400)."""
        done = subprocess.run([*self.curl, *args], capture_output=True, text=True)
        if done.returncode != 0:
            fail(f"{self.name}: {what}: {done.stderr.strip() or f'curl exited with status {done.returncode}'}")
        return done.stdout

    def data(self, what: str, *args: str):
        reply = self.ask(what, *args)
        try:
            return json.loads(reply)["data"], reply
        except (ValueError, KeyError, TypeError):
            fail(f"{self.name}: {what}: not a JSON envelope: {reply[:500]}")

    def wait(self, tries: int = 50) -> None:
        for _ in range(tries):
            if self.process.poll() is not None:
                fail(f"{self.name} exited with status {self.process.returncode}")
            if subprocess.run([*self.curl, f"{self.site}/health/live"], capture_output=True).returncode == 0:
                return
            time.sleep(0.2)

    def check(self, upload: Path, size: int) -> None:
        """TLS, redirect, forwarded address and the upload."""
        self.wait()
        if '"status":"ok"' not in self.ask("/health/live over TLS", f"{self.site}/health/live"):
            fail(f"{self.name}: /health/live over TLS")

        redirect = self.ask("plain HTTP should redirect to HTTPS", "-o", os.devnull,
                            "-w", "%{http_code} %{redirect_url}", f"http://{HOST}:{self.plain}/login")
        if not re.fullmatch(rf"(301|308) https://{re.escape(HOST)}.*/login", redirect):
            fail(f"{self.name}: plain HTTP should redirect to HTTPS, got '{redirect}'")

        login, _ = self.data("login through the proxy", f"{self.site}/api/v1/auth/login",
                             "-H", "Content-Type: application/json", "-H", f"X-Forwarded-For: {FORWARDED}",
                             "-d", json.dumps(ADMIN))
        bearer = f"Authorization: Bearer {login['access_token']}"
        sessions, reply = self.data("sessions", f"{self.site}/api/v1/auth/sessions", "-H", bearer)
        if FORWARDED not in json.dumps(sessions.get("items")):
            fail(f"{self.name}: the session should record the forwarded client address: {reply}")

        imported, reply = self.data("upload through the proxy", f"{self.site}/api/v1/customers/import?on_conflict=update",
                                    "-H", bearer, "-H", "Content-Type: text/csv", "--data-binary", f"@{upload}")
        if imported.get("total_rows") != ROWS:
            fail(f"{self.name}: upload through the proxy: {reply}")
        print(f"{self.name}: TLS, redirect, forwarded address and a {size}-byte upload: ok", flush=True)


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    pulse_port, work = urllib.parse.urlsplit(sys.argv[1]).port, Path(sys.argv[2])
    upload = work / "big.csv"
    size = write_upload(upload)

    cert = self_signed_certificate(work)
    tls, plain = free_port(), free_port()
    nginx = start_nginx(work / "nginx", nginx_site([pulse_port], tls, plain, work))
    try:
        Proxy("nginx", nginx, tls, plain, cert).check(upload, size)
    finally:
        stop(nginx)

    tls, plain = free_port(), free_port()
    storage = work / "caddy"
    config = work / "Caddyfile"
    config.write_text(caddy_config(pulse_port, tls, plain, storage))
    with open(work / "caddy.log", "wb") as log:
        caddy = subprocess.Popen(["caddy", "run", "--config", str(config), "--adapter", "caddyfile"],
                                 stdout=log, stderr=subprocess.STDOUT)
    try:
        root = storage / "pki" / "authorities" / "local" / "root.crt"
        for _ in range(50):
            if root.exists() or caddy.poll() is not None:
                break
            time.sleep(0.2)
        if not root.exists():
            fail(f"caddy: no local CA certificate at {root}")
        Proxy("caddy", caddy, tls, plain, root).check(upload, size)
    finally:
        stop(caddy)


if __name__ == "__main__":
    main()
