"""The computed pages in the built site: compatibility (with the offline checker), lifecycle,
review, decision guide and changelog, in both languages."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from bs4 import BeautifulSoup

from kbtools import compat, lifecycle

LANGS = [("ko", ""), ("en", "en/")]
PAGES = ["compatibility", "lifecycle", "decision-guide", "changelog", "review"]


def soup(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel).read_text("utf-8"), "html.parser")


@lru_cache(maxsize=None)   # many links point into the same few pages; parse each once
def _anchors(site: Path, rel: str) -> set[str]:
    return {el["id"] for el in soup(site, rel).select("[id]")}


def assert_links_resolve(site: Path, rel: str, selector: str) -> int:
    """Every matched link points to an existing page and anchor of the same language."""
    base = (site / rel).parent
    n = 0
    for a in soup(site, rel).select(selector):
        href, frag = urldefrag(a["href"])
        target = (base / href).resolve() if href else (site / rel).resolve()
        assert target.exists(), (rel, a["href"])
        if frag:
            assert frag in _anchors(site, target.relative_to(site.resolve()).as_posix()), (rel, a["href"])
        n += 1
    return n


@pytest.mark.parametrize("lang, prefix", LANGS)
def test_new_pages_are_built_in_nav_and_on_the_home_page(site, lang, prefix):
    home = soup(site, prefix + "index.html")
    nav = {a["href"].split("#")[0] for a in home.select("nav.md-nav a[href]")}
    table = {a["href"] for a in home.select("#contents ~ table a[href], table a[href]")}
    for name in PAGES:
        assert (site / f"{prefix}{name}.html").exists(), name
        assert f"{name}.html" in nav, (lang, name)
        if name in ("compatibility", "lifecycle", "decision-guide", "changelog", "review"):
            assert f"{name}.html" in table, (lang, name)


@pytest.mark.parametrize("lang, prefix", LANGS)
def test_matrix_on_the_page_is_the_computed_one(site, kb, lang, prefix):
    page = soup(site, prefix + "compatibility.html")
    cells = page.select("#compat-matrix td[data-host][data-image]")
    computed = {(c.host, c.image): c for c in compat.matrix(kb)}
    assert len(cells) == len(computed)
    classes = {True: "kb-compat-yes", False: "kb-compat-no", None: "kb-compat-depends"}
    for td in cells:
        cell = computed[(td["data-host"], td["data-image"])]
        for mode in compat.MODES:
            li = td.select_one(f'li[data-mode="{mode}"]')
            assert classes[cell.runs[mode]] in li["class"], (td["data-host"], td["data-image"], mode)
    assert assert_links_resolve(site, prefix + "compatibility.html", "#compat-matrix a.kb-factref") > 50


@pytest.mark.parametrize("lang, prefix", LANGS)
def test_checker_data_is_embedded_and_matches_the_matrix(site, kb, lang, prefix):
    page = soup(site, prefix + "compatibility.html")
    form = page.select_one("form#compat-checker")
    assert form is not None
    for sel in ("kb-compat-host", "kb-compat-image"):
        assert page.select_one(f'label[for="{sel}"]') and page.select_one(f"select#{sel}")
    data = json.loads(page.select_one("script#kb-compat-data").string)
    assert data["lang"] == lang and data["as_of"] == kb.as_of
    for c in compat.matrix(kb):
        entry = data["cells"][f"{c.host}|{c.image}"]
        assert {m: entry[m]["runs"] for m in compat.MODES} == c.runs
        assert all(f in data["facts"] for m in compat.MODES for f in entry[m]["facts"])
    for fact in data["facts"].values():
        assert all(s in data["sources"] for s in fact["sources"])
    # no fetch: the checker reads the page, nothing else
    js = (site / "assets" / "js" / "compat.js").read_text("utf-8")
    assert "fetch(" not in js and "XMLHttpRequest" not in js


@pytest.mark.parametrize("lang, prefix", LANGS)
def test_lifecycle_statuses_follow_the_kb_date(site, kb, lang, prefix):
    page = soup(site, prefix + "lifecycle.html")
    rows = page.select("#lifecycle-table tbody tr")
    expected = {f"tag-{r.image}-{r.tag}": r.status.status for r in lifecycle.tag_rows(kb)}
    assert {tr["id"]: tr["data-status"] for tr in rows} == expected
    assert kb.as_of in page.select_one("#lifecycle-table caption").get_text()
    assert_links_resolve(site, prefix + "lifecycle.html", "#lifecycle-table a[href]")


@pytest.mark.parametrize("lang, prefix", LANGS)
def test_review_page_lists_or_says_empty(site, kb, lang, prefix):
    page = soup(site, prefix + "review.html")
    for key in ("overdue", "stale", "upcoming"):
        assert page.select_one(f"#review-{key}") is not None, key
        listed = page.select_one(f'ul.kb-review[data-review="{key}"]')
        empty = page.select_one(f'p.kb-review-empty[data-review="{key}"]')
        assert (listed is None) != (empty is None), key
    assert page.select_one('p.kb-review-empty[data-review="overdue"]') is not None   # a due-passed fact fails the build
    assert_links_resolve(site, prefix + "review.html", "ul.kb-review a.kb-factref")


@pytest.mark.parametrize("lang, prefix", LANGS)
def test_guide_links_every_recommendation_to_its_facts(site, kb, lang, prefix):
    page = soup(site, prefix + "decision-guide.html")
    for g in kb.guides.values():
        assert page.select_one(f'[id="{g["id"]}"]') is not None, g["id"]
    recs = page.select(".kb-guide-rec")
    assert len(recs) == sum(len(g["recommendations"]) for g in kb.guides.values())
    for rec in recs:
        assert rec.select("ul.kb-guide-basis a.kb-factref") and rec.select("sup, .footnote-ref, a[href^='#fn']")
    assert assert_links_resolve(site, prefix + "decision-guide.html", "ul.kb-guide-basis a.kb-factref") > 20


@pytest.mark.parametrize("lang, prefix", LANGS)
def test_changelog_links_resolve(site, kb, lang, prefix):
    page = soup(site, prefix + "changelog.html")
    assert len(page.select(".kb-change")) == len(kb.changelog)
    assert assert_links_resolve(site, prefix + "changelog.html", ".kb-change a.kb-factref") >= 100


# --- the checker in a real browser, from file://, keyboard only ------------------------------------

def _tab_to(page, element_id: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with Tab")


@pytest.mark.browser
@pytest.mark.parametrize("lang, prefix", LANGS)
def test_checker_works_from_file_url_with_the_keyboard(page, site, kb, lang, prefix):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: errors.append("network: " + r.url) if not r.url.startswith(("file:", "data:")) else None)
    page.goto((site / f"{prefix}compatibility.html").as_uri())
    result = page.locator("#kb-compat-result")
    computed = {(c.host, c.image): c for c in compat.matrix(kb)}
    hosts = [h.key for h in compat.hosts(kb)]
    images = [i.key for i in compat.images(kb)]

    def verdict(host, image):
        c = computed[(host, image)]
        return "runs" if any(v is True for v in c.runs.values()) else (
            "depends" if any(v is None for v in c.runs.values()) else "blocked")

    assert result.get_attribute("data-verdict") == verdict(hosts[0], images[0])
    _tab_to(page, "kb-compat-host")
    seen = set()
    for h in range(len(hosts)):
        if h:
            page.keyboard.press("ArrowDown")
        assert page.locator("#kb-compat-host").input_value() == hosts[h]
        _tab_to(page, "kb-compat-image", limit=3)
        for i in range(len(images)):
            if i:
                page.keyboard.press("ArrowDown")
            assert page.locator("#kb-compat-image").input_value() == images[i]
            assert result.get_attribute("data-verdict") == verdict(hosts[h], images[i]), (hosts[h], images[i])
            seen.add(result.get_attribute("data-verdict"))
            text = result.inner_text()
            for mode in compat.MODES:
                assert page.locator(f'#kb-compat-result li[data-mode="{mode}"]').get_attribute("data-runs") == \
                    json.dumps(computed[(hosts[h], images[i])].runs[mode])
            assert ("#" + computed[(hosts[h], images[i])].facts["process"][0]) in text
        for _ in range(len(images) - 1):
            page.keyboard.press("ArrowUp")
        page.keyboard.press("Shift+Tab")
        assert page.evaluate("document.activeElement.id") == "kb-compat-host"
    assert seen == {"runs", "blocked", "depends"}
    # the answer is in the page's language, with labels tied to the lists
    assert page.locator('label[for="kb-compat-host"]').inner_text().strip()
    labels = json.loads(page.locator("#kb-compat-data").inner_text())["labels"]
    assert labels["why"] in result.inner_text()
    # a source link and a fact link work from file://
    href = page.locator("#kb-compat-result .kb-compat-basis a.kb-factref").first.get_attribute("href")
    assert href and not href.startswith("http")
    assert not errors, errors
