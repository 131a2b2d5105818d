"""`make linkcheck` (scripts/linkcheck.py) against a loopback server: a table, exit 1 on failures,
connection errors reported per URL instead of raised."""
from __future__ import annotations

import http.server
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


class _Handler(http.server.BaseHTTPRequestHandler):
    def _answer(self, body: bool):
        if self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        elif self.path in ("/ok", "/no-head"):
            self.send_response(200)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/robots-only":
            self.send_response(403)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self):
        self._answer(False)

    def do_GET(self):
        self._answer(True)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _kb(tmp_path: Path, urls: dict[str, str]) -> Path:
    kb = tmp_path / "kb"
    (kb / "sources").mkdir(parents=True)
    for sid, url in urls.items():
        (kb / "sources" / f"{sid}.yaml").write_text(
            f"# yaml-language-server: $schema=../schema/source.schema.json\nid: {sid}\n"
            f"title: {{en: {sid}}}\npublisher: test\nurl: {url}\nkind: primary\naccessed: 2026-11-24\n", "utf-8")
    return kb


def _run(kb: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "linkcheck.py"), "--kb", str(kb), "--timeout", "5", *args],
                          capture_output=True, text=True, timeout=60)


def test_all_good_exits_zero(tmp_path, server):
    result = _run(_kb(tmp_path, {"good": f"{server}/ok", "head-refused": f"{server}/no-head",
                                 "moved": f"{server}/moved", "robots": f"{server}/robots-only"}))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 URLs: 3 ok, 1 blocked, 0 failed" in result.stdout
    assert "redirects to" in result.stdout


def test_failures_are_listed_and_exit_non_zero(tmp_path, server):
    port = _closed_port()
    result = _run(_kb(tmp_path, {"good": f"{server}/ok", "gone": f"{server}/missing",
                                 "offline": f"https://127.0.0.1:{port}/nothing", "robots": f"{server}/robots-only"}),
                  "--strict")
    out = result.stdout
    assert result.returncode == 1
    assert "Traceback" not in out + result.stderr
    rows = {line.split()[3]: line.split()[0] for line in out.splitlines()[1:] if line[:1].isalpha() and len(line.split()) > 4}
    assert rows == {"good": "ok", "gone": "failed", "offline": "failed", "robots": "blocked"}
    assert "connection error" in out and "404" in out
