"""Shared fixtures: the real kb, one strict build of the real site, a static server and Chromium.

The site is built once per test session into a temporary folder (never into site/), so tests
see exactly what `make build` publishes.
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kbtools import engine  # noqa: E402
from kbtools.load import check  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def kb():
    return check(ROOT / "kb")


def build_site(dest: Path, root: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """A strict build of the project at `root` into `dest` with the chosen engine (kbtools/engine.py)."""
    return subprocess.run(engine.build_command(dest, project=root), cwd=root, capture_output=True, text=True,
                          env=engine.env(env))


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("site") / "site"
    result = build_site(dest)
    if result.returncode != 0:
        pytest.fail(f"{engine.name()} build --strict failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return dest


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def http_site(site):
    """The built site over HTTP on loopback; yields the base URL ending in /."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Skips locally without Chromium, never under CI."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM}; .ci/run installs Debian's chromium", pytrace=False)
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's chromium to run the browser tests")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A throw-away copy of the project (without .venv or site/) for tests that break things."""
    dest = tmp_path / "project"
    ignore = shutil.ignore_patterns(".venv", "site", ".site-*", ".git", "dist", "__pycache__", ".pytest_cache")
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest
