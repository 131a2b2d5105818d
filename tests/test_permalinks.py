"""Permalinks that never break: every fact and section anchor, in both languages, and the registry.

kb/published.txt lists every published page and anchor (kbtools/registry.py). A build that drops
one fails here unless kb/ declares it renamed (aliases:) or retired (retired:), or the page moved.
"""
from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from kbtools import registry
from kbtools.permalinks import JS_LABELS, LABELS_ID

HANGUL = re.compile(r"[\uac00-\ud7a3]")
LANGS = {"ko": "", "en": "en/"}


@lru_cache(maxsize=None)
def _parse(path: str) -> BeautifulSoup:
    return BeautifulSoup(Path(path).read_text("utf-8"), "html.parser")


def html(site: Path, rel: str) -> BeautifulSoup:
    return _parse(str(site / rel))


@lru_cache(maxsize=None)
def id_counts(path: str) -> Counter:
    return Counter(el["id"] for el in _parse(path).select("[id]"))


def facts_json(site: Path) -> list[dict]:
    return json.loads((site / "api/v1/facts.json").read_text("utf-8"))


# ------------------------------------------------------------------------------------- anchors

def test_every_permalink_in_facts_json_resolves_in_both_languages(site):
    facts = facts_json(site)
    assert facts
    for record in facts:
        assert set(record["urls"]) == set(record["permalinks"]) == {"ko", "en"}, record["id"]
        for lang, prefix in LANGS.items():
            url = record["urls"][lang]
            page, _, frag = url.partition("#")
            assert page.startswith(prefix) and frag == record["id"], url
            assert record["permalinks"][lang].endswith("/" + url), (record["permalinks"][lang], url)
            doc = html(site, page)
            el = doc.find(id=frag)
            assert el is not None and "kb-fact" in el.get("class", []), (lang, url)
            assert id_counts(str(site / page))[frag] == 1, (lang, url, "id not unique on its page")


def test_facts_and_sections_have_the_same_ids_in_both_languages(site):
    ko_pages = {p.name for p in site.glob("*.html") if not registry.is_moved_stub(p)}
    for name in ko_pages - {"404.html"}:
        ids = {}
        for lang, prefix in LANGS.items():
            doc = html(site, prefix + name)
            ids[lang] = [el["id"] for el in doc.select("article .kb-fact[id], article .kb-alias[id], "
                                                        "article h1[id], article h2[id], article h3[id], "
                                                        "article h4[id], article h5[id], article h6[id]")]
        assert sorted(ids["ko"]) == sorted(ids["en"]), (name, set(ids["ko"]) ^ set(ids["en"]))  # order may follow the language


def test_renamed_ids_still_answer_on_the_page_of_the_fact(site, kb):
    for old, new in kb.aliases().items():
        obj = kb.facts.get(new) or kb.entities[new]
        for prefix in LANGS.values():
            doc = html(site, f"{prefix}{obj.topic}.html")
            span = doc.find(id=old)
            assert span is not None, (prefix, old)
            holder = doc.find(id=new)
            # a fact's alias sits inside the fact; an entity's right after its heading
            assert holder is not None and (holder in span.parents or span.find_previous(id=new) is holder), (old, new)


def test_heading_links_are_titled_in_the_page_language(site, kb):
    for lang, prefix in LANGS.items():
        want = kb.ui("permalink.section", lang)
        for path in (site / prefix.rstrip("/") if prefix else site).glob("*.html"):
            links = _parse(str(path)).select("a.headerlink")
            for a in links:
                assert a["title"] == want, (path.name, a["title"])
                assert a["href"] == "#" + a.parent["id"], (path.name, a["href"])
    assert "Permanent link\"" not in (site / "runtimes.html").read_text("utf-8")


def test_copy_menu_labels_are_embedded_in_the_page_language(site, kb):
    for lang, prefix in LANGS.items():
        doc = html(site, prefix + "runtimes.html")
        data = json.loads(doc.find(id=LABELS_ID).string)
        assert set(data) == set(JS_LABELS)
        for js, key in JS_LABELS.items():
            assert data[js] == kb.ui(key, lang), (lang, key)
        assert bool(HANGUL.search(data["copy"])) == (lang == "ko")


def test_the_permalink_script_and_style_are_on_every_page(site):
    for path in site.rglob("*.html"):
        # Redirect pages (moved pages, short links) hold no content; 404.html is self-contained.
        if registry.is_moved_stub(path) or path.parts[-2] == "f" or path.name == "404.html":
            continue
        text = path.read_text("utf-8")
        assert "assets/js/permalink.js" in text and "assets/css/permalink.css" in text, path.relative_to(site)


# ------------------------------------------------------------------------------------- registry

def test_registry_lists_every_published_page_and_id_and_the_build_keeps_them(site, kb):
    problems = registry.check(kb, site)
    assert not problems, "kb/published.txt vs the build:\n" + "\n".join(problems)


def test_registry_is_sorted_and_well_formed(kb):
    text = registry.path(kb.root).read_text("utf-8")
    assert text == registry.dump(registry.parse(text)), "run `make registry` (it rewrites the file sorted)"
    reg = registry.parse(text)
    for page, anchors in reg["pages"].items():
        assert re.fullmatch(r"[a-z0-9-]+\.html", page), page
        assert all(registry.ANCHOR.match(a) for a in anchors), page


def test_a_dropped_anchor_or_page_fails_the_check(site, kb):
    reg = registry.read(kb.root)
    reg["pages"].setdefault("runtimes.html", []).append("no-such-anchor")
    reg["pages"]["no-such-page.html"] = []
    problems = registry.check(kb, site, reg)
    assert any("runtimes.html#no-such-anchor" in p for p in problems)
    assert any(p.startswith("en/runtimes.html#no-such-anchor") for p in problems), "checked in English too"
    assert any("no-such-page.html" in p for p in problems)


def test_a_declared_rename_or_retirement_keeps_the_check_green(site, kb, monkeypatch):
    fact = next(iter(kb.facts.values()))
    reg = registry.read(kb.root)
    reg["pages"].setdefault(f"{fact.topic}.html", []).extend(["old-retired-id", "old-renamed-id"])
    assert any("old-retired-id" in p for p in registry.check(kb, site, reg))
    monkeypatch.setattr(type(kb), "retired", lambda self: {"old-retired-id": {"id": "old-retired-id", "reason": "x"}})
    problems = registry.check(kb, site, reg)
    assert not any("old-retired-id" in p for p in problems)
    # a rename is declared with aliases: and the old id is rendered as an anchor on the fact's page
    monkeypatch.setattr(type(kb), "aliases", lambda self: {"old-renamed-id": fact.id})
    assert any("renamed to" in p and "old-renamed-id" in p for p in registry.check(kb, site, reg)), \
        "a declared alias must still be rendered as an anchor"


def test_update_only_adds(tmp_path, site):
    kb_root = tmp_path / "kb"
    kb_root.mkdir()
    (kb_root / registry.REGISTRY_FILE).write_text("gone.html\ngone.html#kept-forever\nold.html -> runtimes.html\n", "utf-8")
    reg, added = registry.update(kb_root, site)
    assert "kept-forever" in reg["pages"]["gone.html"] and reg["moved"] == {"old.html": "runtimes.html"}
    assert "runtimes.html" in reg["pages"] and "api/v1/facts.json" in reg["files"]
    assert added
    again, added_again = registry.update(kb_root, site)
    assert added_again == [] and registry.dump(again) == registry.path(kb_root).read_text("utf-8")
    assert "gone.html#kept-forever" in registry.path(kb_root).read_text("utf-8").splitlines()


def test_a_moved_page_redirects_with_its_fragment_even_offline(site, kb, tmp_path, browser):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    kb_root = tmp_path / "kb"
    kb_root.mkdir()
    (kb_root / registry.REGISTRY_FILE).write_text("containers.html -> runtimes.html\n", "utf-8")
    fake = SimpleNamespace(root=kb_root, labels=kb.labels)
    written = registry.write_redirects(fake, copy, "https://wiki.corp/kb/")
    assert {p.relative_to(copy).as_posix() for p in written} == {"containers.html", "en/containers.html"}
    reg = registry.read(kb_root)
    reg["pages"]["containers.html"] = ["containerd"]
    fake_kb = SimpleNamespace(root=kb_root, aliases=dict, retired=dict, facts={}, entities={})
    assert not [p for p in registry.check(fake_kb, copy, reg) if "containers.html" in p]
    stub = BeautifulSoup((copy / "en/containers.html").read_text("utf-8"), "html.parser")
    assert stub.html["lang"] == "en" and stub.find("link", rel="canonical")["href"] == "https://wiki.corp/kb/en/runtimes.html"
    context = browser.new_context()
    try:
        page = context.new_page()
        for prefix in LANGS.values():
            page.goto((copy / f"{prefix}containers.html").as_uri() + "#containerd")
            page.wait_for_url(re.compile(rf"/{prefix}runtimes\.html#containerd$"))
            assert page.evaluate("document.getElementById(location.hash.slice(1)) !== null")
    finally:
        context.close()
