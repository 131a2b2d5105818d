"""Every consistency rule has a failing and a passing fixture (tests/fixtures/rules/<rule>.yaml).

Each fixture patches a copy of tests/fixtures/kb-min (which passes every rule except
claims-carried, since it carries two article claims, not R01-R61). The failing patch must yield a
problem of that rule naming the file and the fact id; the passing patch must yield none of it.
The meta test fails when a rule is registered (kbtools/rules) or reported by the loader
(kbtools/yamlio.py, load.py) without fixtures.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from kbpatch import apply, load_fixtures
from kbtools.load import load
from kbtools.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
KB_MIN = ROOT / "tests" / "fixtures" / "kb-min"
FIXTURES = {f["rule"]: f for f in load_fixtures(ROOT / "tests" / "fixtures" / "rules").values()}
# JSON Schema keywords whose failures must each be shown to produce a located problem.
SCHEMA_RULES = {"schema:enum", "schema:required", "schema:additionalProperties", "schema:pattern", "schema:type"}


def loader_rules() -> set[str]:
    """Rule names the loader reports, read from its source so a new one cannot hide. "unreadable" is
    the loader's safety net: any exception no rule foresaw becomes a report instead of a traceback;
    no input is known to reach it (each known one has its own rule), so it has no fixture."""
    names = set()
    for name in ("yamlio.py", "load.py"):
        src = (ROOT / "kbtools" / name).read_text("utf-8")
        names |= set(re.findall(r'Problem\(\s*[^,()]+(?:\([^)]*\))?,\s*"([a-z0-9:-]+)"', src))
        names |= set(re.findall(r'(?:Refused|refuse)\(\s*"([a-z0-9:-]+)"', src))
    return names - {"unreadable"}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    # One fixed path for every fixture: the schema registry is cached per path, which keeps this fast.
    return tmp_path_factory.mktemp("rules") / "kb"


_RESULTS: dict[str, list] = {}


def run(workdir: Path, patch) -> list:
    key = json.dumps(patch, sort_keys=True)   # the many empty passing patches load kb-min once
    if key not in _RESULTS:
        _RESULTS[key] = _run(workdir, patch)
    return _RESULTS[key]


def _run(workdir: Path, patch) -> list:
    if workdir.exists():
        shutil.rmtree(workdir)
    shutil.copytree(KB_MIN, workdir, symlinks=False)
    apply(workdir, patch)
    _, problems = load(workdir)
    return problems


def test_every_rule_has_fixtures():
    wanted = set(RULES) | loader_rules() | SCHEMA_RULES
    missing = sorted(wanted - set(FIXTURES))
    assert not missing, f"rules without a fixture in tests/fixtures/rules/: {missing}"
    for rule, fx in FIXTURES.items():
        assert fx["fail"]["expect"]["file"] and fx["fail"]["expect"]["fact"], f"{rule}: expect needs file and fact"


def test_loader_rules_are_found():
    # Guards the regex above: it must see the rules we know are there.
    assert {"no-bom", "no-tabs", "nfc", "utf-8", "duplicate-key", "yaml-syntax", "unique-ids", "file-placement",
            "schema-comment", "yaml-tag", "yaml-alias", "yaml-depth", "file-outside-kb", "empty-file"} <= loader_rules()


def test_kb_min_passes_every_rule_but_claims_carried(workdir):
    problems = [p for p in run(workdir, []) if p.severity == "error"]
    assert {p.rule for p in problems} == {"claims-carried"}, "\n".join(p.format() for p in problems)


@pytest.mark.parametrize("rule", sorted(FIXTURES))
def test_failing_fixture(rule, workdir):
    fx = FIXTURES[rule]
    expect = fx["fail"]["expect"]
    found = [p for p in run(workdir, fx["fail"]["patch"]) if p.rule == rule]
    assert found, f"{rule}: the failing fixture raised no problem of this rule"
    match = [p for p in found if p.file == expect["file"] and p.fact == expect["fact"]
             and ("field" not in expect or p.field == expect["field"])]
    assert match, f"{rule}: expected file {expect['file']}, fact {expect['fact']}; got:\n" + \
        "\n".join(p.format() for p in found)
    p = match[0]
    assert p.message and (p.hint or p.expected), f"{rule}: a problem must say what is wrong and how to fix it"
    assert "Traceback" not in p.format()


@pytest.mark.parametrize("rule", sorted(FIXTURES))
def test_passing_fixture(rule, workdir):
    found = [p for p in run(workdir, FIXTURES[rule]["pass"]["patch"]) if p.rule == rule]
    assert not found, "\n".join(p.format() for p in found)
