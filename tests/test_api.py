"""The JSON API (api/v1/*.json) keeps its shape: schema-valid, with a pinned set of keys, documented."""
from __future__ import annotations

import json
import re

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from conftest import ROOT

API = "api/v1"
SCHEMA = json.loads((ROOT / "kb/schema/api.schema.json").read_text("utf-8"))

# Changing these sets is an API change: readers' scripts depend on them (docs/*/api.md).
FACT_REQUIRED = {"id", "entity", "kind", "topic", "status", "text", "sources", "verified", "claims", "urls", "permalinks",
                  "shortlinks", "short_permalinks"}
FACT_OPTIONAL = {"details", "current", "values", "due", "aliases"}
SOURCE_KEYS = {"id", "title", "publisher", "url", "kind", "accessed", "published"}
TERM_KEYS = {"id", "term", "abbr", "aliases", "avoid", "definition", "see_also", "sources"}
INDEX_KEYS = {"as_of", "facts", "sources", "terms", "questions", "schema"}
QUESTION_KEYS = {"id", "group", "question", "errors", "answer", "answers", "asked_in", "urls", "permalinks",
                 "shortlinks", "short_permalinks"}
FILES = {"facts.json": "fact", "sources.json": "source", "glossary.json": "term", "questions.json": "question"}


def load(site, name):
    return json.loads((site / API / name).read_text("utf-8"))


def validator(definition: str, array: bool = True) -> Draft202012Validator:
    ref = {"$ref": f"#/$defs/{definition}"}
    schema = {"$schema": SCHEMA["$schema"], "$defs": SCHEMA["$defs"],
              **({"type": "array", "items": ref} if array else ref)}
    return Draft202012Validator(schema, format_checker=FormatChecker())


def test_the_published_schema_is_the_kb_schema(site):
    assert load(site, "api.schema.json") == SCHEMA
    Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("name, definition", sorted(FILES.items()))
def test_api_files_validate_against_the_schema(site, name, definition):
    doc = load(site, name)
    errors = sorted(validator(definition).iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{name}{list(e.absolute_path)}: {e.message}" for e in errors[:20])


def test_index_validates_and_counts(site):
    index = load(site, "index.json")
    assert not list(validator("index", array=False).iter_errors(index))
    assert set(index) == INDEX_KEYS
    assert index["facts"] == len(load(site, "facts.json"))
    assert index["sources"] == len(load(site, "sources.json"))
    assert index["terms"] == len(load(site, "glossary.json"))
    assert index["questions"] == len(load(site, "questions.json"))


def test_pinned_keys(site):
    facts = load(site, "facts.json")
    assert set(SCHEMA["$defs"]["fact"]["properties"]) == FACT_REQUIRED | FACT_OPTIONAL
    for f in facts:
        assert FACT_REQUIRED <= set(f) <= FACT_REQUIRED | FACT_OPTIONAL, (f["id"], set(f) ^ FACT_REQUIRED)
        assert set(f["text"]) == {"ko", "en"}
    for s in load(site, "sources.json"):
        assert set(s) <= SOURCE_KEYS and {"id", "title", "publisher", "kind", "accessed"} <= set(s), s["id"]
    for t in load(site, "glossary.json"):
        assert set(t) <= TERM_KEYS and {"id", "term", "definition", "sources"} <= set(t), t["id"]
    assert set(SCHEMA["$defs"]["question"]["properties"]) == QUESTION_KEYS
    for q in load(site, "questions.json"):
        assert set(q) == QUESTION_KEYS, q["id"]


def test_questions_link_to_facts_and_threads_that_exist(site):
    """A reader follows a question to the facts that answer it and the thread where it was asked."""
    facts = {f["id"] for f in load(site, "facts.json")}
    threads = {s["id"] for s in load(site, "sources.json") if s["kind"] == "thread"}
    questions = load(site, "questions.json")
    assert len(questions) >= 50
    for q in questions:
        assert set(q["answers"]) <= facts and set(q["asked_in"]) <= threads, q["id"]
        page = (site / q["urls"]["en"].split("#")[0]).read_text("utf-8")
        assert f'id="{q["id"]}"' in page, q["id"]


def test_facts_are_sorted_unique_and_complete(site, kb):
    ids = [f["id"] for f in load(site, "facts.json")]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    assert set(ids) == set(kb.facts)


def test_every_fact_carries_permalinks_in_both_languages(site):
    from kbtools.engine import load_config
    site_url = load_config(str(ROOT / "mkdocs.yml"))["site_url"]
    for f in load(site, "facts.json"):
        assert f["urls"] == {"ko": f"{f['topic']}.html#{f['id']}", "en": f"en/{f['topic']}.html#{f['id']}"}
        assert f["permalinks"] == {lang: site_url + f["urls"][lang] for lang in ("ko", "en")}
        assert f["shortlinks"] == {"ko": f"f/{f['id']}.html", "en": f"en/f/{f['id']}.html"}
        assert f["short_permalinks"] == {lang: site_url + f["shortlinks"][lang] for lang in ("ko", "en")}
        for lang in ("ko", "en"):
            assert (site / f["shortlinks"][lang]).is_file(), f["shortlinks"][lang]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_api_page_documents_the_files_and_examples(site, kb, lang):
    text = (ROOT / f"docs/{lang}/api.md").read_text("utf-8")
    for needle in ("facts.json", "sources.json", "glossary.json", "api.schema.json", "curl", "jq", "import json",
                   "permalinks", "shortlinks", "feed.xml", "SITE_URL"):
        assert needle in text, (lang, needle)
    assert "containerd-free-apache" in text and "containerd-free-apache" in kb.facts, "the example fact id"
    prefix = "" if lang == "ko" else "en/"
    assert (site / f"{prefix}api.html").is_file()
    nav = (site / f"{prefix}index.html").read_text("utf-8")
    assert 'href="api.html"' in nav, "the API page is in the navigation"


def test_api_examples_work_against_the_built_files(site):
    """The Python example of the API page, run against the built facts.json instead of the network."""
    facts = load(site, "facts.json")
    wanted = "containerd-free-apache"
    found = [f for f in facts if f["id"] == wanted or wanted in f.get("aliases", [])]
    assert len(found) == 1
    page, frag = found[0]["urls"]["en"].split("#")
    assert f'id="{frag}"' in (site / page).read_text("utf-8")
