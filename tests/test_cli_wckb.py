"""`wckb`: the kb's answers in a terminal or CI job (kbtools/wckb/).

In-process: main(argv, data) with the data exported from the real kb, the file the wheel carries.
The compatibility answers must equal the site's matrix, the lifecycle answers the site's lifecycle
table, and every --json output its published schema. Real Dockerfiles from public repositories
(tests/fixtures/dockerfiles/, each naming its source) give the expected lint findings.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from conftest import ROOT
from kbtools import compat, lifecycle
from kbtools.wckb import cli
from kbtools.wckb.export import NAMED_FACTS, export

FIXTURES = ROOT / "tests" / "fixtures" / "dockerfiles"
SITE = "https://kb.example.test/sub/"
AS_OF = "2026-11-24"


@pytest.fixture(scope="module")
def data(kb):
    return json.loads(json.dumps(export(kb, SITE)))


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(cli.SCHEMA_FILE.read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def run(data, capsys, *argv):
    code = cli.main(list(argv), data)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def run_json(data, capsys, validator, *argv):
    code, out, err = run(data, capsys, *argv, "--json")
    doc = json.loads(out)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    return code, doc


# --- compat: the same answers as the site's matrix ----------------------------------------------

@pytest.mark.parametrize("lang", ["ko", "en"])
def test_compat_equals_the_site_matrix_for_every_host_and_image(kb, data, capsys, validator, lang):
    cells = compat.matrix(kb)
    assert cells
    for c in cells:
        code, doc = run_json(data, capsys, validator, "compat", "--host", c.host, "--image", c.image, "--lang", lang)
        r = doc["result"]
        assert code == 0
        assert (r["host"]["release"], r["image"]["release"]) == (c.host, c.image)
        for mode in compat.MODES:
            iso = r["isolation"][mode]
            assert iso["runs"] == c.runs[mode], (c.host, c.image, mode)
            assert iso["reason_code"] == c.reasons[mode]
            assert [f["id"] for f in iso["facts"]] == c.facts[mode]
            assert all(f["url"] == f'{SITE}{"" if lang == "ko" else "en/"}{kb.facts[f["id"]].topic}.html#{f["id"]}'
                       for f in iso["facts"])
        assert [(n["code"], n["fact"]["id"]) for n in r["notes"]] == list(c.notes)
        assert r["modes"] == c.modes


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_compat_text_equals_the_site_checker(kb, data, capsys, validator, lang):
    """Word for word what the checker on the compatibility page shows (its embedded JSON)."""
    from kbtools.render import Page
    from kbtools.render.derived import checker_data
    site = checker_data(Page(kb=kb, lang=lang, topic="compatibility"))
    for key, cell in site["cells"].items():
        host, image = key.split("|")
        _, doc = run_json(data, capsys, validator, "compat", "--host", host, "--image", image, "--lang", lang)
        r = doc["result"]
        for mode in compat.MODES:
            assert r["isolation"][mode]["reason"] == cell[mode]["reason"]
            assert [f["text"] for f in r["isolation"][mode]["facts"]] == [site["facts"][f]["text"] for f in cell[mode]["facts"]]
        assert [(n["text"], n["fact"]["id"]) for n in r["notes"]] == [(n["text"], n["fact"]) for n in cell["notes"]]
        verdict = "runs" if r["modes"] else ("depends" if None in (cell["process"]["runs"], cell["hyperv"]["runs"]) else "blocked")
        assert r["verdict_text"] == site["labels"][f"verdict-{verdict}"]


def test_compat_accepts_names_tags_builds_and_references(kb, data, capsys, validator):
    rows = lifecycle.tag_rows(kb)
    for row in rows:
        build = kb.entities[row.release].value("build")[1]
        image = next(i for i in compat.images(kb) if i.build == build)
        for given in (f"{row.repository}:{row.tag}", f"10.0.{build}.1000"):
            _, doc = run_json(data, capsys, validator, "compat", "--host", "Windows Server 2022", "--image", given)
            assert doc["result"]["image"]["release"] == image.key
    for host in compat.hosts(kb):
        if host.build is not None:
            for given in (str(host.build), f"10.0.{host.build}.3000"):
                _, doc = run_json(data, capsys, validator, "compat", "--host", given, "--image", "ws2022")
                assert doc["result"]["host"]["release"] == host.key


def test_a_host_given_by_its_exact_build_is_answered_by_the_rules(kb, data, capsys, validator):
    """Windows 11 × Windows Server 2025 depends on the version; the kb says which versions run it."""
    v = kb.facts["windows-11-ws2025-images"].values
    _, doc = run_json(data, capsys, validator, "compat", "--host", "Windows 11", "--image", "ws2025")
    assert doc["result"]["verdict"] == "depends"
    _, doc = run_json(data, capsys, validator, "compat", "--host", f"Windows 11 {v['win11_24h2_build']}", "--image", "ws2025")
    assert doc["result"]["isolation"]["process"]["runs"] is True
    _, named = run_json(data, capsys, validator, "compat", "--host", "Windows 11 24H2", "--image", "ws2025")
    assert named["result"]["isolation"] == doc["result"]["isolation"]
    old = f"10.0.{v['win11_pre_24h2_build_max']}"
    _, doc = run_json(data, capsys, validator, "compat", "--host", old, "--image", "ws2025")
    assert doc["result"]["host"]["release"] == "win11"
    assert doc["result"]["verdict"] == "blocked"


# --- lifecycle: the same statuses as the site's lifecycle table --------------------------------

def _days_around(row):
    for value in {v for v, _ in row.dates.values()}:
        d = dt.date.fromisoformat(value)
        for delta in (-1, 0, 1):
            yield (d + dt.timedelta(days=delta)).isoformat()


def test_lifecycle_status_equals_the_site_table_on_fixed_days(kb, data, capsys, validator):
    rows = lifecycle.tag_rows(kb)
    checked = 0
    for row in rows:
        for day in sorted(set(_days_around(row)) | {"2020-01-01", "2040-01-01"}):
            expected = next(r for r in lifecycle.tag_rows(kb, day) if (r.repository, r.tag) == (row.repository, row.tag))
            _, doc = run_json(data, capsys, validator, "lifecycle", f"{row.repository}:{row.tag}", "--as-of", day)
            r = doc["result"]
            assert (r["status"], r["until"]) == (expected.status.status, expected.status.until), (row.tag, day)
            assert {k: v["date"] for k, v in r["dates"].items()} == {k: v for k, (v, _) in row.dates.items()}
            last = row.dates.get("extended_end", row.dates.get("mainstream_end"))
            if last:
                assert r["days_left"] == (dt.date.fromisoformat(last[0]) - dt.date.fromisoformat(day)).days
            checked += 1
    assert checked > len(rows)


def test_lifecycle_text_in_both_languages(kb, data, capsys):
    row = next(r for r in lifecycle.tag_rows(kb) if r.status.status in ("mainstream", "extended"))
    for lang in ("ko", "en"):
        code, out, _ = run(data, capsys, "lifecycle", f"{row.repository}:{row.tag}", "--as-of", AS_OF, "--lang", lang)
        assert code == 0
        assert data["labels"][f"lifecycle.status.{row.status.status}"][lang] in out
        assert row.dates["release_date"][0] in out


# --- lint: real Dockerfiles ---------------------------------------------------------------------

# path under tests/fixtures/dockerfiles -> extra options, expected (code, severity, fact) findings
REAL = {
    "iis-docker/windowsservercore-ltsc2022/Dockerfile": ([], set()),
    "iis-docker/windowsservercore-ltsc2025/Dockerfile": (
        [], {("host-process", "error", "process-isolation-same-build-rule")}),
    "iis-docker/nanoserver-sac2016/Dockerfile": (
        [], {("docker-hub-microsoft", "warning", "base-image-rules-mcr"),
             ("support-ended", "error", "windows-server-2016-image-tags"),
             ("host-process", "error", "process-isolation-same-build-rule")}),
    "iis-docker/windowsservercore-1709/Dockerfile": (
        [], {("docker-hub-microsoft", "warning", "base-image-rules-mcr"),
             ("unknown-tag", "warning", "server-core-repository")}),
    "iis-docker/windowsservercore-insider/Dockerfile": ([], {("unknown-image", "info", None)}),
    "dotnet-framework-docker/src/runtime/4.8/windowsservercore-ltsc2019/Dockerfile": (
        [], {("host-process", "error", "process-isolation-same-build-rule")}),
    "dotnet-framework-docker/src/sdk/4.8.1/windowsservercore-ltsc2025/Dockerfile": (
        [], {("derived-release", "info", "windows-server-2025-image-tags"),
             ("host-process", "error", "process-isolation-same-build-rule")}),
    "golang/1.23/windows/nanoserver-1809/Dockerfile": (
        ["--warn-within", "800"], {("host-process", "error", "process-isolation-same-build-rule"),
                                   ("support-ending", "warning", "windows-server-2019-support-dates")}),
    "kubernetes/test/images/busybox/Dockerfile_windows": ([], {("unresolved-arg", "info", None)}),
}


def test_every_fixture_names_its_source_and_has_expectations():
    files = {p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*") if p.is_file()}
    assert files == set(REAL)
    for rel in files:
        head = (FIXTURES / rel).read_text("utf-8").split("\n")[:4]
        assert any(re.match(r"# Source: https://github\.com/[\w.-]+/[\w.-]+/blob/[0-9a-f]{40}/", line) for line in head), rel


@pytest.mark.parametrize("rel", sorted(REAL))
def test_real_dockerfiles_give_the_expected_findings(data, capsys, validator, rel):
    extra, expected = REAL[rel]
    path = str(FIXTURES / rel)
    code, doc = run_json(data, capsys, validator, "lint", path, "--host", "ws2022", "--as-of", AS_OF, *extra)
    got = {(f["code"], f["severity"], f["fact"]["id"] if f["fact"] else None) for f in doc["result"]["findings"]}
    assert got == expected
    assert code == (1 if any(sev == "error" for _, sev, _ in expected) else 0)
    for f in doc["result"]["findings"]:
        if f["fact"]:
            assert f["fact"]["url"].startswith(SITE) and f["fact"]["url"].endswith("#" + f["fact"]["id"])


def test_build_args_resolve_from_and_linux_stages_are_skipped(data, capsys, validator):
    rel = "kubernetes/test/images/busybox/Dockerfile_windows"
    code, doc = run_json(data, capsys, validator, "lint", str(FIXTURES / rel), "--host", "ws2019", "--as-of", AS_OF,
                         "--build-arg", "BASEIMAGE=mcr.microsoft.com/windows/nanoserver:ltsc2022")
    froms = doc["result"]["files"][0]["from"]
    assert [f["stage"] for f in froms] == ["prep", "ps-helper", None]
    assert froms[0]["platform"] == "linux/amd64"
    assert froms[2]["image"] == "mcr.microsoft.com/windows/nanoserver:ltsc2022"
    assert [(f["code"], f["line"]) for f in doc["result"]["findings"]] == [("host-process", froms[2]["line"])]
    assert code == 1


def _lint(data, capsys, validator, tmp_path, text, *argv, name="Dockerfile"):
    p = tmp_path / name
    p.write_text(text, "utf-8")
    code, doc = run_json(data, capsys, validator, "lint", str(p), "--as-of", AS_OF, *argv)
    return code, [(f["code"], f["severity"], f["fact"]["id"] if f["fact"] else None) for f in doc["result"]["findings"]]


@pytest.mark.parametrize("text, expected", [
    ("FROM mcr.microsoft.com/windows/servercore:latest\n", [("latest-tag", "error", NAMED_FACTS["latest"])]),
    ("FROM mcr.microsoft.com/windows/nanoserver\n", [("latest-tag", "error", NAMED_FACTS["latest"])]),
    ("FROM mcr.microsoft.com/windows:ltsc2025\n", [("not-published", "error", "windows-server-2025-image-tags")]),
    ("FROM mcr.microsoft.com/windows/server:ltsc2019\n", [("not-published", "error", "windows-server-2019-image-tags")]),
    ("FROM mcr.microsoft.com/windows/servercore:ltsc2022-KB5034129\n", []),
    ("FROM mcr.microsoft.com/windows/servercore:10.0.20348.2227\n", []),
    ("FROM mcr.microsoft.com/windows/servercore:ltsc2022@sha256:" + "a" * 64 + "\n", []),
    ("FROM mcr.microsoft.com/windows/servercore@sha256:" + "a" * 64 + "\n",
     [("digest-only", "info", NAMED_FACTS["patch-tags"])]),
    ("ARG TAG=ltsc2016\nFROM mcr.microsoft.com/windows/servercore:${TAG} AS build\nFROM build\n",
     [("support-ending", "warning", "windows-server-2016-support-dates")]),
    ("FROM --platform=windows/amd64 mcr.microsoft.com/windows/nanoserver:ltsc2022 AS a\nFROM scratch\nCOPY --from=a / /\n",
     [("from-scratch", "error", NAMED_FACTS["scratch"])]),
    ("FROM scratch\nCOPY app /\n", [("from-scratch", "info", NAMED_FACTS["scratch"])]),
    ("FROM golang:1.23-alpine\n", []),
    ("FROM Mcr.Microsoft.com/Windows/ServerCore:ltsc2022\n", [("bad-reference", "error", None)]),
])
def test_lint_rules(data, capsys, validator, tmp_path, text, expected):
    code, got = _lint(data, capsys, validator, tmp_path, text)
    assert got == expected
    assert code == (1 if any(s == "error" for _, s, _ in expected) else 0)


def test_fail_on_sets_the_exit_code(data, capsys, validator, tmp_path):
    text = "FROM microsoft/nanoserver:1809\n"       # a warning only (Docker Hub name)
    assert _lint(data, capsys, validator, tmp_path, text)[0] == 0
    assert _lint(data, capsys, validator, tmp_path, text, "--fail-on", "warning")[0] == 1
    assert _lint(data, capsys, validator, tmp_path, "FROM golang:1.23-alpine\n", "--fail-on", "info")[0] == 0


def test_compose_single_file_bind_mounts(data, capsys, validator, tmp_path):
    (tmp_path / "app.config").write_text("<configuration/>", "utf-8")
    (tmp_path / "logs").mkdir()
    (tmp_path / "compose.yaml").write_text(
        "services:\n"
        "  web:\n"
        "    image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022\n"
        "    volumes:\n"
        "      - ./app.config:C:\\inetpub\\wwwroot\\web.config:ro\n"
        "      - ./logs:C:\\logs\n"
        "      - data:C:\\data\n"
        "      - type: bind\n"
        "        source: ./settings.json\n"
        "        target: C:\\app\\settings.json\n", "utf-8")
    (tmp_path / "Dockerfile").write_text("FROM mcr.microsoft.com/windows/servercore:ltsc2022\n", "utf-8")
    code, doc = run_json(data, capsys, validator, "lint", str(tmp_path / "Dockerfile"),
                         "--compose", str(tmp_path / "compose.yaml"), "--as-of", AS_OF)
    mounts = [(f["severity"], f["fact"]["id"], f["message"]) for f in doc["result"]["findings"] if f["code"] == "single-file-mount"]
    assert [(s, fid) for s, fid, _ in mounts] == [("error", NAMED_FACTS["mounts"]), ("warning", NAMED_FACTS["mounts"])]
    assert "./app.config" in mounts[0][2] and "./settings.json" in mounts[1][2]
    assert code == 1


# --- bad input: one clear message, exit 2, never a traceback -----------------------------------

def test_bad_input_exits_2_with_a_message(data, capsys, tmp_path):
    (tmp_path / "broken.yaml").write_text("services: [\n", "utf-8")
    latin1 = tmp_path / "Dockerfile.latin1"
    latin1.write_bytes("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nLABEL a=\"caf\xe9\"\n".encode("latin-1"))
    cases = [
        (["lint", str(tmp_path / "missing")], "missing"),
        (["lint", str(latin1)], "UTF-8"),
        (["lint", str(tmp_path)], str(tmp_path)),
        (["lifecycle", "mcr.microsoft.com/windows/servercore:LTSC 2022"], "LTSC 2022"),
        (["lifecycle", "UPPER/case:tag"], "UPPER/case:tag"),
        (["compat", "--host", "Windows Sever 2022", "--image", "ltsc2022"], "Windows Server 2022"),
        (["compat", "--host", "ws2022", "--image", "foo:bar"], "foo:bar"),
        (["compat", "--host", "ws2025", "--image", "mcr.microsoft.com/windows:ltsc2025"], "Windows Server 2025"),
        (["lifecycle", "mcr.microsoft.com/windows/servercore:ltsc2022", "--as-of", "2026-02-30"], "2026-02-30"),
        (["lint", "--warn-within", "soon", "x"], "soon"),
        (["lint", "--build-arg", "NOVALUE", str(FIXTURES / "golang/1.23/windows/nanoserver-1809/Dockerfile")], "NOVALUE"),
        (["frobnicate"], "frobnicate"),
        (["compat", "--host", "ws2022"], "--image"),
        (["lint"], "Dockerfile"),
        (["lint", "--compose", str(tmp_path / "no-compose.yaml")], "no-compose.yaml"),
        (["lint", "--compose", str(tmp_path / "broken.yaml")], "broken.yaml"),
    ]
    for argv, needle in cases:
        for lang in ("ko", "en"):
            code, out, err = run(data, capsys, *argv, "--lang", lang) if argv[0] != "frobnicate" else run(data, capsys, *argv)
            assert code == 2, argv
            assert needle in err, (argv, err)
            assert out == ""
    _, _, err = run(data, capsys, "lint", str(latin1), "--lang", "ko")
    assert "UTF-8 텍스트가 아닙니다" in err and "2번째 줄" in err


def test_unknown_host_suggests_the_closest_names(data, capsys):
    _, _, err = run(data, capsys, "compat", "--host", "Windows Servr 2025", "--image", "ltsc2022", "--lang", "en")
    assert "Did you mean" in err and "Windows Server 2025" in err


# --- messages and languages ---------------------------------------------------------------------

def test_every_message_the_command_uses_is_in_both_languages(kb):
    used = set()
    for path in (ROOT / "kbtools" / "wckb").glob("*.py"):
        used |= set(re.findall(r'"((?:cli|compat|lifecycle)\.[a-z0-9.-]+)"', path.read_text("utf-8")))
    labels = kb.labels["ui"]
    prefixes = tuple(k for k in used if k.endswith("."))
    assert used - set(prefixes) <= set(labels), sorted(used - set(prefixes) - set(labels))
    for key, pair in labels.items():
        if key.startswith("cli."):
            assert pair["ko"].strip() and pair["en"].strip(), key
            assert re.findall(r"\{[a-z_]+\}", pair["ko"]).sort() == re.findall(r"\{[a-z_]+\}", pair["en"]).sort()
            assert set(re.findall(r"\{[a-z_]+\}", pair["ko"])) == set(re.findall(r"\{[a-z_]+\}", pair["en"])), key
    for prefix in prefixes:
        assert any(k.startswith(prefix) for k in labels), prefix


@pytest.mark.parametrize("env, lang", [({"LANG": "ko_KR.UTF-8"}, "ko"), ({"LC_ALL": "en_US.UTF-8", "LANG": "ko_KR"}, "en"),
                                       ({}, "en"), ({"LANG": "C.UTF-8"}, "en")])
def test_language_follows_the_locale(env, lang):
    assert cli.locale_lang(env) == lang


def test_korean_text_output(data, capsys):
    code, out, _ = run(data, capsys, "compat", "--host", "ws2022", "--image", "ltsc2019", "--lang", "ko")
    assert code == 0
    assert "Hyper-V 격리" in out and "실행됩니다." in out and "근거 사실" in out
    assert "https://kb.example.test/sub/isolation.html#" in out


def test_schema_command_prints_the_schema(data, capsys):
    code, out, _ = run(data, capsys, "schema")
    assert code == 0 and json.loads(out)["properties"]["schema_version"]["const"] == cli.SCHEMA_VERSION


# --- the documentation page and the pre-commit hook ---------------------------------------------

DOC_SAMPLES = {   # command on the page -> the file it runs on (as `Dockerfile` in its folder)
    "lint": FIXTURES / "golang/1.23/windows/nanoserver-1809/Dockerfile",
}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_documented_outputs_are_what_the_command_prints(kb, capsys, tmp_path, monkeypatch, lang):
    """Each ```text block holding a wckb command, followed by a ```text block on docs/<lang>/cli.md prints exactly that block
    (the commands give --as-of, so the page stays true on any day)."""
    from kbtools.wckb.export import default_site_url
    monkeypatch.delenv("SITE_URL", raising=False)
    data = json.loads(json.dumps(export(kb, default_site_url())))
    page = (ROOT / "docs" / lang / "cli.md").read_text("utf-8")
    pairs = re.findall(r"```text\n(wckb [^\n]+)\n```\n\n```text\n(.*?)```", page, re.S)
    assert len(pairs) == 2
    for command, shown in pairs:
        argv = command.split()[1:]
        if argv[0] in DOC_SAMPLES:
            (tmp_path / "Dockerfile").write_text(DOC_SAMPLES[argv[0]].read_text("utf-8"), "utf-8")
            monkeypatch.chdir(tmp_path)
        _, out, _ = run(data, capsys, *argv, "--lang", lang)
        assert out == shown, command


def test_pre_commit_hook_runs_the_installed_lint_on_dockerfiles():
    import tomllib
    import yaml
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    (hook,) = hooks
    assert hook["language"] == "python" and hook["entry"] == "wckb lint" and "wckb" in scripts
    files = re.compile(hook["files"])
    for name in ("Dockerfile", "windows/Dockerfile_windows", "src/app.dockerfile", "Dockerfile.ltsc2022"):
        assert files.search(name), name
    for name in ("README.md", "docs/Dockerfiles.md/x.txt", "compose.yaml"):
        assert not files.search(name), name


def test_a_source_checkout_never_answers_from_a_stale_export(tmp_path, monkeypatch, kb):
    from kbtools.wckb import data as wdata
    kb_dir = tmp_path / "kb"
    (kb_dir / "releases").mkdir(parents=True)
    (kb_dir / "releases" / "x.yaml").write_text("id: x\n", "utf-8")
    stale = tmp_path / "kb.json"
    stale.write_text("{}", "utf-8")
    monkeypatch.setattr(wdata, "PACKAGED", stale)
    os.utime(stale, (1, 1))                       # written before the kb changed
    assert not wdata._fresh(kb_dir)
    os.utime(stale, None)
    os.utime(kb_dir / "releases" / "x.yaml", (1, 1))
    assert wdata._fresh(kb_dir)
    assert wdata._fresh(tmp_path / "no-kb-here")  # installed: the packaged file is the kb
