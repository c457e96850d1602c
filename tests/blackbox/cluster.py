"""Several `pulse serve` instances on one fresh PostgreSQL database, behind nginx running
deploy/nginx.conf (TLS, the instances in its upstream), with Redis for the shared rate
limits, an SMTP sink and a webhook receiver that remember every message they get.

Used by tests/blackbox/scale_out.py (the scale-out test of the test command) and
bench/scale.py (one instance against three); its nginx helpers (self_signed_certificate,
nginx_site, start_nginx) also by tests/blackbox/proxies.py. Standard library only; needs
psql, nginx and openssl on the PATH and Redis on 127.0.0.1:6379.
"""
from __future__ import annotations

import asyncio
import collections
import http.client
import http.server
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ADMIN = {"login": "admin1224", "password": "Admin@1224"}
HOST = "pulse.example.com"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(process: subprocess.Popen | None, timeout: float = 20) -> None:
    """Terminates a process started here, if it still runs, and waits for it; kills it
    after `timeout` seconds."""
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def self_signed_certificate(folder: Path) -> Path:
    """A throwaway certificate for HOST (and 127.0.0.1) and its key, written as fullchain.pem
    and privkey.pem in `folder`, the names deploy/nginx.conf uses. Returns the certificate."""
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST},IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert


def nginx_site(upstream_ports: list[int], tls_port: int, plain_port: int, certificates: Path) -> str:
    """deploy/nginx.conf with exactly these substitutions: its two `listen` lines on 127.0.0.1
    with the given ports, the letsencrypt folder replaced by `certificates` (which holds
    fullchain.pem and privkey.pem, as self_signed_certificate writes them), and one upstream
    `server` line per port instead of 127.0.0.1:8000. Fails if the file no longer has them."""
    upstream = "\n    ".join(f"server 127.0.0.1:{port};" for port in upstream_ports)
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    for old, new in [("listen 443 ", f"listen 127.0.0.1:{tls_port} "),
                     ("listen 80;", f"listen 127.0.0.1:{plain_port};"),
                     ("/etc/letsencrypt/live/pulse.example.com", str(certificates)),
                     ("server 127.0.0.1:8000;", upstream)]:
        if old not in site:
            raise RuntimeError(f"deploy/nginx.conf no longer has {old!r}")
        site = site.replace(old, new)
    return site


def start_nginx(folder: Path, site: str) -> subprocess.Popen:
    """nginx in the foreground with `site` (e.g. nginx_site's) as its only server
    configuration. `folder` is made here and holds everything nginx writes: nginx.pid,
    error.log, stderr.log and the temp folders body/ and proxy/. Stop it with stop().

    Started as root, nginx reads the configuration and the certificate and opens the logs in
    its master process, which also creates the temp folders and hands them to the user its
    workers run as (nobody or www-data). Those workers only need to reach the temp folders:
    `folder` and its parent (the caller's temporary folder, 0700 from mkdtemp) get search
    permission (x) for others, nothing more."""
    folder.mkdir(mode=0o700)
    (folder / "site.conf").write_text(site)
    (folder / "nginx.conf").write_text(f"""daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
worker_processes 1;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    include {folder}/site.conf;
}}
""")
    for path in (folder.parent, folder):
        path.chmod(path.stat().st_mode & 0o7777 | 0o011)
    with open(folder / "stderr.log", "wb") as stderr:
        return subprocess.Popen(["nginx", "-c", str(folder / "nginx.conf"), "-p", str(folder)], stderr=stderr)


def nginx_log_tail(folder: Path, lines: int = 20) -> str:
    """The last lines of what nginx started by start_nginx(folder) wrote to stderr and its error log."""
    text = ""
    for path in (folder / "stderr.log", folder / "error.log"):
        if path.exists():
            text += "".join(f"{line}\n" for line in path.read_text(errors="replace").splitlines()[-lines:])
    return text


class Reply:
    def __init__(self, status: int, body: bytes, headers: http.client.HTTPMessage) -> None:
        self.status, self.body, self.headers = status, body, headers

    def json(self) -> dict:
        return json.loads(self.body) if self.body else {}

    def data(self):
        return self.json()["data"]


class Client:
    """One keep-alive connection to an instance (plain HTTP) or to nginx (TLS)."""

    def __init__(self, port: int, tls: ssl.SSLContext | None = None) -> None:
        self.port, self.tls = port, tls
        self.conn = self._connect()

    def _connect(self) -> http.client.HTTPConnection:
        if self.tls:
            return http.client.HTTPSConnection("127.0.0.1", self.port, context=self.tls, timeout=30)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def call(self, method: str, path: str, token: str | None = None, body=None,
             headers: dict | None = None) -> Reply:
        sent = {"host": HOST, **(headers or {})}
        if token:
            sent["authorization"] = f"Bearer {token}"
        if isinstance(body, (dict, list)):
            body, sent["content-type"] = json.dumps(body).encode(), "application/json"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=sent)
                response = self.conn.getresponse()
                return Reply(response.status, response.read(), response.headers)
            except (ConnectionError, http.client.RemoteDisconnected):
                # The server closed an idle keep-alive connection: once more on a new one.
                self.conn.close()
                self.conn = self._connect()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def login(self, forwarded_for: str | None = None) -> str:
        headers = {"x-forwarded-for": forwarded_for} if forwarded_for else None
        reply = self.call("POST", "/api/v1/auth/login", body=ADMIN, headers=headers)
        assert reply.status == 200, (reply.status, reply.body)
        return reply.data()["access_token"]


class SmtpSink:
    """An SMTP server that accepts every message and remembers its recipients."""

    def __init__(self) -> None:
        self.port = free_port()
        self.recipients: list[str] = []
        ready = threading.Event()

        async def serve() -> None:
            server = await asyncio.start_server(self._session, "127.0.0.1", self.port)
            ready.set()
            async with server:
                await server.serve_forever()

        threading.Thread(target=lambda: asyncio.run(serve()), daemon=True).start()
        ready.wait()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await self._converse(reader, writer)
        except ConnectionError:
            pass  # an instance killed with its connection open

    async def _converse(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"220 sink ESMTP\r\n")
        in_data, to = False, []
        while line := await reader.readline():
            if in_data:
                if line in (b".\r\n", b".\n"):
                    in_data = False
                    self.recipients.extend(to)
                    to = []
                    writer.write(b"250 OK\r\n")
                continue
            verb = line[:4].upper()
            if verb == b"EHLO":
                writer.write(b"250-sink\r\n250 8BITMIME\r\n")
            elif verb == b"RCPT":
                to.append(line.decode().split(":", 1)[1].strip().strip("<>").lower())
                writer.write(b"250 OK\r\n")
            elif verb == b"DATA":
                in_data = True
                writer.write(b"354 go ahead\r\n")
            elif verb == b"QUIT":
                writer.write(b"221 bye\r\n")
                break
            else:
                writer.write(b"250 OK\r\n")
            await writer.drain()
        writer.close()


class WebhookReceiver:
    """An HTTP server that answers 204 to every POST and counts them by `webhook-id`."""

    def __init__(self) -> None:
        self.deliveries: collections.Counter[str] = collections.Counter()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length", 0)))
                receiver.deliveries[self.headers["webhook-id"]] += 1
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def psql(url: str, sql: str) -> None:
    env = {**os.environ, "PGOPTIONS": "-c client_min_messages=warning"}
    subprocess.run(["psql", url, "-qAtc", sql], check=True, stdout=subprocess.DEVNULL, env=env)


class Cluster:
    """`instances` Pulse processes on a new database of the PostgreSQL server at
    `server_url`, nginx in front. Use as a context manager; everything goes away after."""

    def __init__(self, binary: Path, server_url: str, instances: int = 3, env: dict | None = None) -> None:
        self.binary, self.count, self.extra = binary, instances, env or {}
        self.work = Path(tempfile.mkdtemp(prefix="pulse-cluster-"))
        name = f"pulse_cluster_{os.getpid()}"
        parts = urllib.parse.urlsplit(server_url)
        self.server_db = server_url
        self.database = urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
        self.db_name = name
        self.ports = [free_port() for _ in range(instances)]
        self.processes: list[subprocess.Popen | None] = [None] * instances
        self.nginx: subprocess.Popen | None = None
        self.smtp = SmtpSink()
        self.webhooks = WebhookReceiver()
        self.tls_port = free_port()
        self.tls: ssl.SSLContext | None = None  # trusts nginx's certificate once it is made

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> "Cluster":
        try:
            psql(self.server_db, f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
            psql(self.server_db, f'CREATE DATABASE "{self.db_name}"')
            # The first instance migrates and seeds the admin; the others find it done.
            self.start(0)
            for i in range(1, self.count):
                self.start(i)
            self._start_nginx()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        for process in [*self.processes, self.nginx]:
            stop(process)
        self.webhooks.server.shutdown()
        try:
            psql(self.server_db, f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        except subprocess.CalledProcessError as err:
            print(f"could not drop {self.db_name}: {err}", file=sys.stderr)

    def env(self, i: int) -> dict:
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
        env.update({
            "DATABASE_URL": self.database, "BIND_ADDR": f"127.0.0.1:{self.ports[i]}",
            "PUBLIC_URL": f"https://{HOST}:{self.tls_port}",
            # Every instance signs and checks tokens with the same keys.
            "JWT_SECRET": "scale-out-secret-scale-out-secret-0123456789",
            "ENCRYPTION_KEY": "11" * 32, "DATA_DIR": str(self.work / f"data{i}"),
            "SMTP_URL": f"smtp://127.0.0.1:{self.smtp.port}", "MAIL_OUTBOX_DIR": "",
            "TRUSTED_PROXIES": "127.0.0.1/32", "WEBHOOK_ALLOW_PRIVATE": "true",
            "RATE_LIMIT_URL": "redis://127.0.0.1:6379/", "RATE_LIMIT_PREFIX": f"pulse-scale-{os.getpid()}",
            "AUTH_RATE_LIMIT_PER_MINUTE": "0", "LOG_FORMAT": "json", "RUST_LOG": "warn",
        })
        env.update(self.extra)
        return env

    def start(self, i: int) -> None:
        log = open(self.work / f"pulse{i}.log", "ab")
        self.processes[i] = subprocess.Popen([str(self.binary), "serve"], env=self.env(i), cwd=self.work,
                                             stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.processes[i].poll() is not None:
                raise RuntimeError(f"instance {i} exited: {self.log_tail(i)}")
            try:
                if Client(self.ports[i]).call("GET", "/health/ready").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError(f"instance {i} did not become ready: {self.log_tail(i)}")

    def kill(self, i: int) -> None:
        self.processes[i].send_signal(signal.SIGKILL)
        self.processes[i].wait()

    def log_tail(self, i: int, lines: int = 20) -> str:
        path = self.work / f"pulse{i}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def _start_nginx(self) -> None:
        folder = self.work / "nginx"
        cert = self_signed_certificate(self.work)
        self.tls = ssl.create_default_context(cafile=str(cert))
        self.nginx = start_nginx(folder, nginx_site(self.ports, self.tls_port, free_port(), self.work))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.nginx.poll() is not None:
                break
            try:
                if self.front().call("GET", "/health/live").status == 200:
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"nginx did not answer: {nginx_log_tail(folder)}")

    # -- clients -----------------------------------------------------------------------------
    def front(self) -> Client:
        """A connection to nginx, which spreads requests over the instances."""
        return Client(self.tls_port, self.tls)

    def instance(self, i: int) -> Client:
        return Client(self.ports[i])

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.tls_port}"
