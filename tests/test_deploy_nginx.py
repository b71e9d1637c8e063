"""deploy/nginx.conf, as deploy/local-cluster.sh runs it, in front of three small HTTP servers that say
which one answered: sticky by cookie, spread over the replicas, scripts gzipped, hashed assets cached
for good, the websocket upgrade passed on, uploads up to Streamlit's 50 MB. Needs Debian's nginx
(`./run.sh test` installs it as root; skipped without it, failed under CI=true). The full check with
Streamlit and Chromium is `deploy/local-cluster.sh check`.
"""

from __future__ import annotations

import gzip
import http.client
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from support.browser import free_port
from support.tools import require_program

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SCRIPT = b"console.log('dvk');\n" * 400  # 8 KB of JavaScript


class Replica(BaseHTTPRequestHandler):
    """Answers with its own port; scripts under /static/ with a short cache header nginx must replace."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        port = str(self.server.server_address[1]).encode()
        if self.path.startswith("/_stcore/stream"):
            # what Streamlit needs from the proxy: the upgrade asked for, and the Host with its port
            body = f"{self.headers.get('Upgrade')}|{self.headers.get('Connection')}|{self.headers.get('Host')}".encode()
            self._send(200, body, "text/plain", port)
        elif self.path.startswith("/static/"):
            self._send(200, SCRIPT, "application/javascript", port, cache="no-cache")
        else:
            self._send(200, b"<html>" + port + b"</html>", "text/html", port)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length", 0))
        remaining = length
        while remaining:
            remaining -= len(self.rfile.read(min(remaining, 1 << 20)))
        self._send(200, str(length).encode(), "text/plain", str(self.server.server_address[1]).encode())

    def _send(self, status: int, body: bytes, kind: str, port: bytes, cache: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Replica", port.decode())
        if cache:
            self.send_header("Cache-Control", cache)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def proxy():
    require_program("nginx", package="nginx")
    replicas = [ThreadingHTTPServer(("127.0.0.1", 0), Replica) for _ in range(3)]
    for server in replicas:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    ports = [str(s.server_address[1]) for s in replicas]
    port = free_port()
    # nginx's workers (www-data when started by root) must reach its folder: not under pytest's 0700 one
    folder = Path(tempfile.mkdtemp(prefix="dvk-nginx-test-", dir="/tmp"))
    folder.chmod(0o755)
    (folder / "cache").mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder / "cache", "www-data")
    env = dict(
        os.environ,
        DVK_CLUSTER_DIR=str(folder),
        DVK_CLUSTER_PORT=str(port),
        DVK_CLUSTER_REPLICAS=" ".join(ports),
    )
    conf = subprocess.run(
        ["sh", str(ROOT / "deploy" / "local-cluster.sh"), "conf"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (folder / "nginx.conf").write_text(conf)
    args = [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")]
    args += ["-g", f"pid {folder / 'nginx.pid'};"]
    subprocess.run(args, check=True, capture_output=True, timeout=30)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield {"port": port, "replicas": set(ports), "conf": conf, "folder": folder}
    finally:
        subprocess.run([*args, "-s", "quit"], capture_output=True, timeout=30)
        pid = folder / "nginx.pid"
        deadline = time.monotonic() + 10
        while pid.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        for server in replicas:
            server.shutdown()
        shutil.rmtree(folder, ignore_errors=True)


def request(
    port: int, path: str, headers: dict | None = None, method: str = "GET", body: bytes | None = None
):
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        con.request(method, path, body=body, headers=headers or {})
        resp = con.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        con.close()


def test_the_configuration_runs_the_three_replicas(proxy):
    conf = proxy["conf"]
    for p in proxy["replicas"]:
        assert f"server 127.0.0.1:{p} " in conf
    assert "dashboard-1" not in conf and f"listen 127.0.0.1:{proxy['port']} default_server;" in conf


def test_a_browser_keeps_to_one_replica_and_browsers_are_spread(proxy):
    port = proxy["port"]
    status, headers, _ = request(port, "/")
    assert status == 200
    cookie = headers["set-cookie"].split(";")[0]
    assert cookie.startswith("dvk_route=") and "HttpOnly" in headers["set-cookie"]
    first = headers["x-replica"]
    for path in ["/", "/don-vi", "/_stcore/stream", "/static/js/index.abc.js", "/_stcore/health"] * 4:
        _, again, _ = request(port, path, {"Cookie": cookie})
        assert again.get("x-replica", first) == first, path  # /static/ may come from nginx's cache
        assert "set-cookie" not in again  # given once
    used = {request(port, "/", {"Cookie": f"dvk_route=visitor{i}"})[1]["x-replica"] for i in range(30)}
    assert used == proxy["replicas"]


def test_scripts_arrive_gzipped_and_are_cached_for_good(proxy):
    status, headers, body = request(proxy["port"], "/static/js/app.0123abcd.js", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == SCRIPT and len(body) < len(SCRIPT) / 10
    assert (
        headers["cache-control"] == "public, max-age=31536000, immutable"
    )  # the replica's no-cache replaced
    _, again, _ = request(proxy["port"], "/static/js/app.0123abcd.js", {"Accept-Encoding": "gzip"})
    assert again["x-cache"] == "HIT"
    _, plain, body = request(proxy["port"], "/static/js/app.0123abcd.js")
    assert "content-encoding" not in plain and body == SCRIPT  # a client without gzip gets it as it is


def test_the_websocket_upgrade_and_the_host_are_passed_on(proxy):
    port = proxy["port"]
    _, _, body = request(port, "/_stcore/stream", {"Upgrade": "websocket", "Connection": "Upgrade"})
    assert body.decode() == f"websocket|upgrade|127.0.0.1:{port}"
    _, _, body = request(port, "/don-vi")
    assert b"<html>" in body


def test_uploads_up_to_fifty_megabytes_pass_and_larger_ones_stop_at_nginx(proxy):
    port = proxy["port"]
    status, _, body = request(port, "/_stcore/upload_file/x", method="POST", body=b"x" * (50 * 1024 * 1024))
    assert status == 200 and body == str(50 * 1024 * 1024).encode()
    status, _, _ = request(port, "/_stcore/upload_file/x", method="POST", body=b"x" * (52 * 1024 * 1024))
    assert status == 413
