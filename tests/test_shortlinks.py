"""Links that outlive their page, checked on the built files: short links and their Open Graph
cards, the id map, the Atom feeds, each fact's history line, and the registry recording moved facts.
The browser side (following the links from disk and over HTTP, the 404 page) is in
tests/test_shortlinks_browser.py."""
from __future__ import annotations

import gzip
import json
import re
import struct
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from kbtools import history, registry, shortlinks
from kbtools.text import fill, plain

LANGS = {"ko": "", "en": "en/"}
OG_LOCALE = {"ko": "ko_KR", "en": "en_US"}


def site_url() -> str:
    from kbtools.engine import load_config
    return load_config(str(ROOT / "mkdocs.yml"))["site_url"]


def meta(soup: BeautifulSoup) -> dict[str, str]:
    out = {}
    for m in soup.find_all("meta"):
        key = m.get("property") or m.get("name")
        if key:
            out[key] = m.get("content")
    return out


# --------------------------------------------------------------------------- short links

def test_every_fact_question_and_old_id_has_a_short_link_in_both_languages(site, kb):
    wanted = set(kb.facts) | set(kb.aliases()) | set(kb.questions)
    for lang, prefix in LANGS.items():
        built = {p.stem for p in (site / prefix / "f").glob("*.html")}
        assert built == wanted, (lang, sorted(built ^ wanted)[:10])


@pytest.mark.parametrize("lang", LANGS)
def test_open_graph_card_of_every_short_link(site, kb, lang):
    """Parsed like an unfurler: title = entity name, description = the fact's sentence in the link's
    language, og:url = the link itself, a 1200x630 PNG card, the fact page as canonical and target."""
    base = site_url()
    card = site / shortlinks.CARD
    width, height = struct.unpack(">II", card.read_bytes()[16:24])
    assert card.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and (width, height) == (1200, 630)
    aliases = kb.aliases()
    for path in sorted((site / LANGS[lang] / "f").glob("*.html")):
        ident = path.stem
        fact = kb.facts.get(aliases.get(ident, ident))
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        m = meta(soup)
        rel = path.relative_to(site).as_posix()
        assert soup.html["lang"] == lang
        assert m["og:url"] == base + rel
        assert m["og:locale"] == OG_LOCALE[lang] and m["og:site_name"] == kb.ui("site.name", lang)
        assert m["og:image"] == base + shortlinks.CARD and m["twitter:image"] == m["og:image"]
        assert m["twitter:card"] == "summary_large_image"
        if ident in kb.questions:     # a question unfurls as the question and its short answer
            q = kb.questions[ident]
            assert m["og:title"] == plain(q["question"][lang]), ident
            assert m["og:description"] == " ".join(plain(q["answer"][lang]).split()), ident
            refresh = next(x for x in soup.find_all("meta") if x.get("http-equiv") == "refresh")["content"]
            assert refresh == f"0; url=../questions.html#{ident}"
            assert f'id="{ident}"' in (site / LANGS[lang] / "questions.html").read_text("utf-8")
            continue
        if fact is None:       # an old id of an entity
            continue
        sentence = " ".join(plain(fill(fact.data["text"][lang], fact.values, lang)).split())
        assert m["og:title"] == m["twitter:title"] == fact.entity.data["name"][lang], ident
        assert sentence in m["og:description"] and m["twitter:description"] == m["og:description"], ident
        assert "`" not in m["og:description"] and not re.search(r"\{[a-z_]+\}", m["og:description"])
        target = f"{fact.topic}.html#{fact.id}"
        assert soup.find("link", rel="canonical")["href"] == base + LANGS[lang] + target
        refresh = next(x for x in soup.find_all("meta") if x.get("http-equiv") == "refresh")["content"]
        assert refresh == f"0; url=../{target}"
        page = site / LANGS[lang] / f"{fact.topic}.html"
        assert f'id="{fact.id}"' in page.read_text("utf-8"), f"{rel} points at a fact its page lacks"


def test_card_values_are_escaped_for_attributes(kb):
    hostile = '"><script>alert(1)</script>&amp; \'x\' <b>'
    rec = {"topic": "runtimes", "anchor": "containerd", "title": {"ko": hostile, "en": hostile},
           "description": {"ko": hostile, "en": hostile}}
    text = shortlinks.page_html(kb, "some-id", rec, "en", 'https://wiki.corp/kb"/')
    soup = BeautifulSoup(text, "html.parser")
    m = meta(soup)
    assert m["og:title"] == hostile and m["og:description"] == hostile and m["twitter:description"] == hostile
    assert m["og:url"] == 'https://wiki.corp/kb"/f/some-id.html'.replace("f/", "en/f/")
    assert len(soup.find_all("script")) == 1 and "alert" not in soup.find("script").text
    assert soup.find("b") is None


# --------------------------------------------------------------------------- the id map

def test_id_map_knows_every_published_id_and_is_small(site, kb):
    raw = (site / shortlinks.ID_MAP).read_bytes()
    assert raw.startswith(b"window.kbIds=")
    data = json.loads(raw.decode("utf-8")[len("window.kbIds="):].rstrip().rstrip(";"))
    reg = registry.read(kb.root)
    known = {a for anchors in reg["pages"].values() for a in anchors}
    known |= set(kb.facts) | set(kb.entities) | set(kb.aliases()) | set(kb.retired())
    assert known <= set(data["i"]), sorted(known - set(data["i"]))[:10]
    for fid, fact in kb.facts.items():
        assert data["p"][data["i"][fid]] == f"{fact.topic}.html", fid
    for old, new in kb.aliases().items():
        page, anchor = data["p"][data["i"][old][0]], data["i"][old][1]
        assert anchor == new
    for lang in LANGS:
        assert data["l"][lang]["missing"] == kb.ui("fragment.missing", lang)
    assert len(gzip.compress(raw, 9)) <= 10 * 1024, "the id map must stay under 10 KB gzip"


def test_every_page_loads_the_fragment_resolver_and_links_its_feed(site):
    for lang, prefix in LANGS.items():
        for path in sorted((site / prefix).glob("*.html")) if prefix else sorted(site.glob("*.html")):
            text = path.read_text("utf-8")
            if path.name == "404.html" or 'http-equiv="refresh"' in text:
                continue
            soup = BeautifulSoup(text, "html.parser")
            feed = soup.head.find("link", rel="alternate", type="application/atom+xml")
            assert feed and feed["href"] == "feed.xml", path
            assert any(s.get("src", "").endswith("assets/js/kb-fragment.js") for s in soup.find_all("script")), path


# --------------------------------------------------------------------------- registry: moved facts

def test_a_fact_moved_to_another_page_is_recorded_not_refused(tmp_path, site, kb):
    """Simulate the registry of an older build in which a fact lived on another page."""
    fact = next(f for f in kb.facts.values() if f.topic == "runtimes")
    kb_root = tmp_path / "kb"
    kb_root.mkdir()
    (kb_root / registry.REGISTRY_FILE).write_text(f"building.html\nbuilding.html#{fact.id}\n", "utf-8")
    reg, added = registry.update(kb_root, site)
    assert f"building.html#{fact.id} -> runtimes.html#{fact.id}" in added
    text = registry.path(kb_root).read_text("utf-8")
    assert f"building.html#{fact.id} -> runtimes.html#{fact.id}" in text.splitlines()
    assert registry.parse(text)["moved_ids"] == {f"building.html#{fact.id}": f"runtimes.html#{fact.id}"}
    problems = [p for p in registry.check(kb, site, reg) if f"#{fact.id}" in p and "building.html" in p]
    assert problems == []
    # without the record, the check names the move and how to record it
    reg["moved_ids"] = {}
    problems = [p for p in registry.check(kb, site, reg) if "building.html#" + fact.id in p]
    assert problems and "make registry" in problems[0]
    # the map sends the old link on
    assert shortlinks.id_map(kb, registry.parse(text))[fact.id] == ("runtimes.html", fact.id)


# --------------------------------------------------------------------------- feeds

@pytest.mark.parametrize("lang", LANGS)
def test_feed_is_valid_atom_with_one_entry_per_change(site, kb, lang):
    base = site_url()
    parsed = feedparser.parse((site / LANGS[lang] / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == kb.ui("feed.title", lang) and parsed.feed.language == lang
    assert any(l.rel == "self" and l.href == base + LANGS[lang] + "feed.xml" for l in parsed.feed.links)
    assert len(parsed.entries) == len(kb.changelog)
    changelog_page = (site / LANGS[lang] / "changelog.html").read_text("utf-8")
    aliases = kb.aliases()
    for entry, (n, change) in zip(parsed.entries, reversed(list(enumerate(kb.changelog, 1)))):
        assert entry.link == f"{base}{LANGS[lang]}changelog.html#change-{n}" and entry.id == entry.link
        assert f'id="change-{n}"' in changelog_page
        assert entry.summary == plain(change["reason"][lang])
        assert entry.updated.startswith(str(change["date"]))
        content = BeautifulSoup(entry.content[0].value, "html.parser")
        hrefs = [a["href"] for a in content.find_all("a")]
        for ident in change["ids"]:
            now = aliases.get(ident, ident)
            if now in kb.facts:
                assert f"{base}{LANGS[lang]}f/{now}.html" in hrefs, (n, ident)


# --------------------------------------------------------------------------- history on the page

def test_every_fact_shows_its_last_change_linking_the_changelog(site, kb):
    by_fact = history.entries_by_fact(kb)
    for lang, prefix in LANGS.items():
        blocks: dict[str, dict] = {}     # topic -> {fact id: its block}, one parse per page
        for fid, fact in kb.facts.items():
            if fact.topic not in blocks:
                soup = BeautifulSoup((site / prefix / f"{fact.topic}.html").read_text("utf-8"), "html.parser")
                blocks[fact.topic] = {el["id"]: el for el in soup.select("div.kb-fact[id]")}
            line = blocks[fact.topic][fid].select_one(".kb-fact-changed")
            nums = by_fact[fid]
            assert nums, f"{fid}: no changelog entry names it"
            assert line is not None and line.text.startswith(kb.ui("fact.last-changed", lang)), fid
            links = [a["href"] for a in line.find_all("a")]
            assert links[0] == f"changelog.html#change-{nums[-1]}"
            assert sorted(links) == sorted(f"changelog.html#change-{n}" for n in nums)
            assert line.find("time")["datetime"] == str(kb.changelog[nums[-1] - 1]["date"])


def test_fingerprints_cover_every_fact(kb):
    recorded = history.read(kb.root)
    assert set(kb.facts) <= set(recorded)
    todo = history.unrecorded(kb)
    assert todo["new"] == [] and todo["changed"] == []


def test_fingerprint_update_refuses_an_unrecorded_change(tmp_path):
    import shutil
    from kbtools.load import load
    copy = tmp_path / "kb"
    shutil.copytree(ROOT / "tests/fixtures/kb-min", copy)
    path = copy / "runtimes/containerd.yaml"
    path.write_text(path.read_text("utf-8").replace("status: current", "status: disputed\n    current: "
                    "{ko: 바뀌었습니다., en: It changed., sources: [seed-article], as_of: 2026-11-24}", 1), "utf-8")
    kb, _ = load(copy)
    with pytest.raises(ValueError, match="containerd-free"):
        history.update(kb)
    before = (copy / history.FINGERPRINTS_FILE).read_text("utf-8")
    assert "containerd-free" in before
    with (copy / "changelog.yaml").open("a", encoding="utf-8") as fh:
        fh.write("  - date: 2026-11-25\n    kind: status-changed\n    ids: [containerd-free]\n"
                 "    reason: {ko: 상태를 바꿨습니다., en: Changed the status.}\n")
    kb, _ = load(copy)
    assert history.update(kb) == ["containerd-free"]
    assert history.unrecorded(load(copy)[0]) == {"changed": [], "new": [], "stale": []}


def test_retired_ids_lead_to_their_replacement_or_their_entity(kb, monkeypatch):
    fact = next(iter(kb.facts.values()))
    ent = fact.entity
    retired = {"gone-with-heir": {"id": "gone-with-heir", "entity": ent.id, "replaced_by": fact.id},
               "gone-for-good": {"id": "gone-for-good", "entity": ent.id}}
    monkeypatch.setattr(type(kb), "retired", lambda self: retired)
    ids = shortlinks.id_map(kb)
    assert ids["gone-with-heir"] == (f"{fact.topic}.html", fact.id)
    assert ids["gone-for-good"] == (f"{ent.topic}.html", ent.id)
