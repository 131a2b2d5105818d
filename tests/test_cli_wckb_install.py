"""`pip install` of the wheel gives a working `wckb` with no MkDocs: built from a copy of the
project as the publish workflow builds it, installed into a fresh virtual environment.

One isolated wheel build (its build requirements come from PyPI or pip's cache; about 10 s) and an
install of the wheel alone (`--no-deps --no-index`, under a second): the command's own path needs
only the standard library, PyYAML is imported for `--compose` only, and the declared requirements
are checked in the wheel's metadata instead of being downloaded again.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT
from kbtools.wckb.export import default_site_url, dumps, export

PACKAGING = ["pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "mkdocs.yml"]
FIXTURE = ROOT / "tests/fixtures/dockerfiles/iis-docker/windowsservercore-ltsc2025/Dockerfile"


def z_read(wheel, name: str) -> str:
    with zipfile.ZipFile(wheel) as z:
        return z.read(name).decode("utf-8")


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wckb")
    src = tmp / "src"
    src.mkdir()
    for name in PACKAGING:
        shutil.copy2(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "kb.json")
    shutil.copytree(ROOT / "kb", src / "kb", ignore=ignore)
    shutil.copytree(ROOT / "kbtools", src / "kbtools", ignore=ignore)
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PYTHONPATH")}
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    built = subprocess.run(pip + ["wheel", "--no-deps", "-q", "-w", str(tmp / "dist"), str(src)], env=env,
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    wheel = next((tmp / "dist").glob("*.whl"))
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(pip + ["--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
                   check=True, env=env, capture_output=True)
    return wheel, venv, env


def test_the_wheel_carries_a_fresh_export_of_the_checked_kb(installed, kb):
    wheel, _, env = installed
    with zipfile.ZipFile(wheel) as z:
        packaged = z.read("kbtools/wckb/kb.json").decode("utf-8")
        names = z.namelist()
    assert "kbtools/wckb/schema/output-v1.schema.json" in names
    assert not any(n.startswith("kb/") for n in names)
    meta = z_read(wheel, next(n for n in names if n.endswith(".dist-info/METADATA")))
    requires = sorted(line.split(":", 1)[1].strip().split(">")[0].split("=")[0].strip().lower()
                      for line in meta.splitlines() if line.startswith("Requires-Dist:"))
    assert requires == ["jsonschema", "pyyaml"]
    entry = z_read(wheel, next(n for n in names if n.endswith(".dist-info/entry_points.txt")))
    assert "wckb = kbtools.wckb.cli:main" in entry
    saved = os.environ.pop("SITE_URL", None)
    try:
        assert packaged == dumps(export(kb, default_site_url()))
    finally:
        if saved is not None:
            os.environ["SITE_URL"] = saved


def test_installed_command_works_without_mkdocs(installed, tmp_path):
    _, venv, env = installed
    python = venv / "bin" / "python"
    assert subprocess.run([str(python), "-c", "import mkdocs"], capture_output=True).returncode != 0
    env = {**env, "LANG": "ko_KR.UTF-8", "LC_ALL": ""}
    proc = subprocess.run([str(venv / "bin" / "wckb"), "lint", str(FIXTURE), "--host", "ws2022", "--json"],
                          capture_output=True, text=True, cwd=tmp_path, env=env)
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["lang"] == "ko"
    assert [f["code"] for f in doc["result"]["findings"]] == ["host-process"]
    proc = subprocess.run([str(venv / "bin" / "wckb"), "compat", "--host", "nope", "--image", "ltsc2022"],
                          capture_output=True, text=True, cwd=tmp_path, env=env)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "nope" in proc.stderr
