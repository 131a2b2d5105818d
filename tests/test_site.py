"""The built site as readers and wiki authors use it (one strict build per session)."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from kbtools.labels import shown
from kbtools.text import format_value
from conftest import ROOT

TOPIC_PAGES = ["runtimes", "building", "ci-cd", "isolation", "base-images", "editions", "limitations"]
REFERENCE_PAGES = ["index", "glossary", "sources", "method"]
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@lru_cache(maxsize=None)
def _soup(path: str) -> BeautifulSoup:
    return BeautifulSoup(Path(path).read_text("utf-8"), "html.parser")


def soup(site: Path, rel: str) -> BeautifulSoup:
    return _soup(str(site / rel))


def pages(site: Path, lang: str) -> set[str]:
    base = site / "en" if lang == "en" else site
    return {p.relative_to(base).as_posix() for p in base.glob("*.html") if p.name != "404.html"}


def test_every_korean_page_has_its_english_twin(site):
    assert pages(site, "ko") == pages(site, "en")
    for name in TOPIC_PAGES + REFERENCE_PAGES:
        assert f"{name}.html" in pages(site, "ko"), name


@pytest.mark.parametrize("lang, prefix", [("ko", ""), ("en", "en/")])
def test_html_lang_is_right_on_every_page(site, lang, prefix):
    for name in pages(site, lang):
        assert soup(site, prefix + name).html["lang"] == lang, name


def test_hreflang_alternates_point_to_the_twin_page(site):
    for name in pages(site, "ko"):
        for prefix, other in (("", "en"), ("en/", "ko")):
            links = {l["hreflang"]: l["href"] for l in soup(site, prefix + name).select('link[rel=alternate][hreflang]')}
            assert other in links, (prefix + name, links)
            assert links[other].split("/")[-1] == name, (prefix + name, links[other])


def test_no_heading_or_element_id_is_auto_numbered(site):
    for path in site.rglob("*.html"):
        ids = [el["id"] for el in _soup(str(path)).select("[id]")]
        bad = [i for i in ids if re.fullmatch(r"_\d+", i)]
        assert not bad, (path.relative_to(site), bad)


def test_headings_have_the_same_ascii_ids_in_both_languages(site):
    for name in pages(site, "ko"):
        ko = [h["id"] for h in soup(site, name).select("article h1[id], article h2[id], article h3[id], article h4[id]")]
        en = [h["id"] for h in soup(site, "en/" + name).select("article h1[id], article h2[id], article h3[id], article h4[id]")]
        # The glossary is sorted in each language's alphabet; elsewhere the order must match too.
        assert (sorted(ko) == sorted(en)) if name == "glossary.html" else (ko == en), name
        assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ko), (name, ko)


def test_every_fact_has_its_permalink_with_its_values_in_both_languages(site, kb):
    facts = json.loads((site / "api/v1/facts.json").read_text("utf-8"))
    assert len(facts) == len(kb.facts) >= 60
    for record in facts:
        for lang in ("ko", "en"):
            page, frag = record["urls"][lang].split("#")
            el = soup(site, page).find(id=frag)
            assert el is not None and "kb-fact" in el.get("class", []), (lang, record["urls"][lang])
            text = el.get_text(" ", strip=True)
            want = " · ".join(f"{label}: {words}" for label, words in shown(kb, kb.facts[record["id"]], lang))
            row = el.select_one(".kb-values")
            assert (row.get_text() if row else "") == want, (lang, record["id"])
            if lang == "en":
                assert not HANGUL.search(el.select_one(".kb-fact-text").get_text()), record["id"]


def test_non_current_facts_show_a_badge_and_the_current_state(site, kb):
    labels = kb.labels["ui"]
    for fact in kb.facts.values():
        if fact.status == "current":
            continue
        for lang, prefix in (("ko", ""), ("en", "en/")):
            el = soup(site, f"{prefix}{fact.topic}.html").find(id=fact.id)
            badge = el.select_one(".kb-badge")
            assert badge is not None and badge.get_text() == labels[f"status.{fact.status}"][lang], fact.id
            if "current" in fact.data:
                cur = el.select_one(".kb-current")
                assert cur is not None and fact.data["current"]["as_of"] in cur.get_text(), fact.id


def test_tables_show_the_kb_values(site, kb):
    for table in kb.tables.values():
        for lang, prefix in (("ko", ""), ("en", "en/")):
            found = [soup(site, prefix + p).find(id=table["id"]) for p in sorted(pages(site, "ko"))]
            wrap = next((w for w in found if w is not None), None)
            assert wrap is not None, (lang, table["id"])
            rows = wrap.select("tbody tr")
            assert len(rows) == len(table["rows"])
            for tr, row in zip(rows, table["rows"]):
                ent = kb.entities[row]
                label = table.get("row_labels", {}).get(row, ent.data["name"])[lang]
                assert tr.th.get_text().strip() == label.replace("`", "")
                for td, col in zip(tr.select("td"), table["columns"]):
                    fact, value = ent.value(col["key"])
                    if fact is None:
                        assert "kb-na" in td["class"]
                        continue
                    names = col.get("values", {})
                    want = names[value][lang] if isinstance(value, str) and value in names else format_value(value, lang, col["key"])
                    assert td.get_text(strip=True) == want, (table["id"], row, col["key"], lang)
                    assert td.a["href"].endswith("#" + fact.id)


def test_footnotes_resolve_and_name_their_source(site, kb):
    for lang, prefix in (("ko", ""), ("en", "en/")):
        for name in pages(site, lang):
            doc = soup(site, prefix + name)
            for ref in doc.select("a.footnote-ref"):
                target = doc.find(id=ref["href"].lstrip("#"))
                assert target is not None, (prefix + name, ref["href"])
                sid = ref["href"].split(":", 1)[1]
                src = kb.sources[sid]
                title = src["title"].get(lang) or src["title"]["en"]
                assert title in target.get_text(), (prefix + name, sid)
            numbers = [int(a.get_text()) for a in doc.select("a.footnote-ref")]
            firsts = list(dict.fromkeys(numbers))
            assert firsts == list(range(1, len(firsts) + 1)), (prefix + name, "footnotes numbered in order")


def test_sources_page_lists_every_source_with_the_facts_citing_it(site, kb):
    for prefix in ("", "en/"):
        doc = soup(site, prefix + "sources.html")
        for sid in kb.sources:
            entry = doc.find(id=sid)
            assert entry is not None, sid
        for fact in kb.facts.values():
            for sid in fact.sources:
                links = [a["href"] for a in doc.find(id=sid).select("a")]
                assert any(h.endswith("#" + fact.id) for h in links), (sid, fact.id)


def test_abbreviations_expand_in_the_page_language(site, kb):
    abbrs = {t["abbr"]: t for t in kb.terms.values() if "abbr" in t}
    seen = 0
    for lang, prefix in (("ko", ""), ("en", "en/")):
        for name in pages(site, lang):
            for el in soup(site, prefix + name).select("article abbr[title]"):
                term = abbrs.get(el.get_text())
                if term:
                    seen += 1
                    assert term["term"]["en"] in el["title"]
                    assert bool(HANGUL.search(el["title"])) == (lang == "ko" and bool(HANGUL.search(term["term"]["ko"])))
    assert seen > 0


def test_glossary_page_lists_every_term_with_its_id(site, kb):
    for prefix in ("", "en/"):
        doc = soup(site, prefix + "glossary.html")
        for tid in kb.terms:
            assert doc.find(id=tid) is not None, (prefix, tid)


def test_pages_load_no_web_fonts_and_offer_both_palettes(site):
    html = (site / "index.html").read_text("utf-8")
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
    schemes = {i.get("data-md-color-scheme") for i in soup(site, "index.html").select("[data-md-color-scheme]")}
    assert {"default", "slate"} <= schemes


def test_api_json_is_published(site):
    for name in ("facts.json", "sources.json", "glossary.json", "api.schema.json", "index.json"):
        assert (site / "api/v1" / name).is_file()


def test_serve_rebuilds_when_kb_changes():
    from kbtools.engine import load_config
    cfg = load_config(str(ROOT / "mkdocs.yml"))
    watched = {Path(p).resolve() for p in cfg["watch"]}
    assert (ROOT / "kb").resolve() in watched and (ROOT / "kbtools").resolve() in watched


def test_quantities_are_grouped_but_build_numbers_are_quoted_as_written():
    assert format_value(29000, "en") == "29,000"
    assert format_value(26100, "en", "win11_24h2_build") == "26100"
    assert format_value(22000, "ko", "win11_build_min") == "22000"


@pytest.mark.parametrize("page", ["lifecycle.html", "en/lifecycle.html", "compatibility.html", "en/compatibility.html"])
def test_no_build_number_is_digit_grouped_on_the_page(site, page):
    text = soup(site, page).get_text(" ")
    assert "26100" in text
    grouped = re.findall(r"(?:build|빌드)\w*[\s=(:]*\d{1,3},\d{3}", text, re.IGNORECASE)
    assert not grouped, grouped
