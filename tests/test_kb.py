"""The knowledge base as wiki authors and readers rely on it: complete, sourced, bilingual."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from jsonschema import Draft202012Validator

from kbtools.export import documents
from kbtools.model import CLAIMS
from conftest import ROOT

FOOTNOTE_CLAIMS = {
    "footnote 1 (Docker EE → Mirantis)": {"R57", "R58", "R59"},
    "footnote 2 (install scripts)": {"R60", "R61"},
    "footnote 3 (BuildKit 0.13)": {"R23", "R24", "R25"},
    "footnote 4 (foreign layers)": {"R32", "R33", "R34"},
}


def carried(kb):
    return {c for f in kb.facts.values() for c in f.data["claims"]}


def test_holds_at_least_60_sourced_bilingual_facts(kb):
    assert len(kb.facts) >= 60
    for fact in kb.facts.values():
        assert fact.sources, fact.id
        assert fact.data["text"]["ko"].strip() and fact.data["text"]["en"].strip(), fact.id


def test_every_article_claim_is_carried(kb):
    missing = sorted(set(CLAIMS) - carried(kb))
    assert len(CLAIMS) == 61
    assert not missing, f"article claims carried by no fact: {missing}"


@pytest.mark.parametrize("footnote", sorted(FOOTNOTE_CLAIMS))
def test_each_footnote_of_the_article_is_carried(kb, footnote):
    assert FOOTNOTE_CLAIMS[footnote] <= carried(kb)


def test_facts_carrying_claims_cite_the_article(kb):
    for fact in kb.facts.values():
        if fact.data["claims"]:
            assert "seed-article" in fact.sources, fact.id


def statuses_of(kb, claim):
    return {f.status for f in kb.facts.values() if claim in f.data["claims"]}


@pytest.mark.parametrize("claim, why", [
    ("R08", "Windows Server 2025 is the current LTSC"),
    ("R22", "BuildKit on Windows is still experimental"),
    ("R24", "BuildKit did not stabilise in 2024"),
    ("R26", "GitHub-hosted Windows runners ship Docker"),
    ("R41", "AWS offers nested virtualization on virtual instances since 2026"),
    ("R49", "there are four base images"),
])
def test_outdated_article_claims_are_marked_with_the_current_state(kb, claim, why):
    facts = [f for f in kb.facts.values() if claim in f.data["claims"]]
    assert facts, claim
    marked = [f for f in facts if f.status in {"outdated", "incorrect", "disputed"}]
    assert marked, f"{claim} should not be plain current: {why}"
    for f in marked:
        cur = f.data["current"]
        assert cur["sources"] and cur["as_of"] and cur["ko"] and cur["en"]
        assert set(cur["sources"]) - {"seed-article"}, "the current state needs its own source"


@pytest.mark.parametrize("claim", ["R29", "R61"])
def test_author_opinions_stay_marked_as_opinion(kb, claim):
    assert "opinion" in statuses_of(kb, claim)


def test_predictions_carry_a_due_date(kb):
    buildkit = [f for f in kb.facts.values() if "R24" in f.data["claims"]]
    assert any("due" in f.data for f in buildkit), "the 2024 BuildKit prediction needs a due date"


@pytest.mark.parametrize("abbr", ["HNS", "CNI", "OCI", "MCR", "SKU", "LTSC", "WSL", "HCS"])
def test_glossary_expands_abbreviations(kb, abbr):
    assert abbr in {t.get("abbr") for t in kb.terms.values()}


@pytest.mark.parametrize("spelling", ["나노 서버", "서버 코어", "빌드킷", "쿠버네티스", "도커"])
def test_glossary_knows_korean_spellings_people_type(kb, spelling):
    aliases = {a for t in kb.terms.values() for a in t.get("aliases", {}).get("ko", [])}
    assert spelling in aliases


def test_every_source_is_cited_and_primary_sources_have_urls(kb):
    cited = {s for f in kb.facts.values() for s in f.all_sources()} | {s for t in kb.terms.values() for s in t["sources"]}
    asked = {s for q in kb.questions.values() for s in q["asked_in"]}
    assert set(kb.sources) == cited | asked
    assert all(kb.sources[s]["kind"] == "thread" for s in asked) and not any(kb.sources[s]["kind"] == "thread" for s in cited)
    for src in kb.sources.values():
        if src["kind"] != "article":
            assert src["url"].startswith("https://"), src["id"]


def test_structured_values_agree(kb):
    std = kb.entities["windows-server-standard"].value("hyperv_max")[1]
    dc = kb.entities["windows-server-datacenter"].value("hyperv_max")[1]
    assert std == 2 and dc == "unlimited"


def test_export_follows_its_published_schema(kb):
    schema = json.loads((ROOT / "kb/schema/api.schema.json").read_text("utf-8"))
    docs = documents(kb)
    kinds = {"facts.json": "fact", "sources.json": "source", "glossary.json": "term"}
    for name, kind in kinds.items():
        validator = Draft202012Validator({**schema, "$ref": f"#/$defs/{kind}"})
        for record in docs[name]:
            errors = list(validator.iter_errors(record))
            assert not errors, (name, record.get("id"), errors[0].message)
    for fact in docs["facts.json"]:
        assert fact["urls"]["en"] == "en/" + fact["urls"]["ko"]
        assert fact["urls"]["ko"].endswith("#" + fact["id"])


def run_cli(*args, kb_dir=None):
    extra = ["--kb", str(kb_dir)] if kb_dir else []
    return subprocess.run([sys.executable, "-m", "kbtools", *extra, *args], cwd=ROOT, capture_output=True, text=True)


def test_cli_check_passes_on_the_real_kb():
    result = run_cli("check")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 error(s)" in result.stdout


def test_cli_check_reports_every_error_with_file_fact_rule_and_hint(project_copy):
    first, second = sorted((project_copy / "kb").glob("runtimes/*.yaml"))[:2]
    first.write_text(first.read_text("utf-8").replace("status: current", "status: maybe", 1), "utf-8")
    second.write_text(second.read_text("utf-8").replace("sources: [", "sources: [no-such-source, ", 1), "utf-8")
    result = run_cli("check", kb_dir=project_copy / "kb")
    assert result.returncode == 1
    out = result.stdout
    assert "Traceback" not in out + result.stderr
    assert f"kb/runtimes/{first.name}" in out and f"kb/runtimes/{second.name}" in out   # both, in one run
    assert "schema:enum" in out and "current | outdated" in out          # enum: lists valid values
    assert "source-exists" in out and "no-such-source" in out and "hint:" in out


def test_cli_show_prints_one_fact_as_json(kb):
    some = sorted(kb.facts)[0]
    result = run_cli("show", some)
    assert result.returncode == 0
    record = json.loads(result.stdout)
    assert record["id"] == some and set(record["text"]) == {"ko", "en"}
