"""The built site in Chromium, three ways: from disk (file://), over HTTP, and unpacked from the
offline zip (file://). Search typed into the site's own box, the language switch, navigation,
footnotes and figures, and no request outside the site and no script error on any page.

One browser for the session (conftest.browser); one tab per target for all search queries.
"""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from searchbench import TEST_QUERIES, SearchBox  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser

TARGETS = ["file", "http", "zip"]


@pytest.fixture(scope="session")
def zip_site(site, tmp_path_factory) -> Path:
    """The site as a user gets it: scripts/offline_zip.py, then unpacked."""
    folder = tmp_path_factory.mktemp("offline")
    archive = folder / "windows-containers-kb.zip"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "offline_zip.py"), str(site), str(archive)],
                   check=True, capture_output=True, text=True)
    dest = folder / "unpacked"
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(dest)
    return dest


@pytest.fixture(scope="module", params=TARGETS)
def base(request, site) -> str:
    """The site root URL, ending in /."""
    if request.param == "http":
        return request.getfixturevalue("http_site")
    if request.param == "zip":
        return request.getfixturevalue("zip_site").as_uri() + "/"
    return site.as_uri() + "/"


class Watch:
    """Everything a tab does that the offline copy must not: requests leaving the site, failed
    requests, HTTP errors, console errors and uncaught exceptions."""

    def __init__(self, context, page, base: str):
        self.base, self.problems = base, []
        context.route("**/*", self._route)
        self.page(page)

    def page(self, page):
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console error: {m.text} ({page.url})"))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e} ({page.url})"))
        page.on("requestfailed", self._failed)
        page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))
        return page

    def _failed(self, request):
        if request.failure != "net::ERR_ABORTED":     # cancelled by the next navigation, not missing
            self.problems.append(f"failed: {request.url} {request.failure} ({request.frame.url})")

    def inside(self, url: str) -> bool:
        return url.startswith(self.base) or url.startswith(("data:", "blob:", "about:"))

    def _route(self, route):
        if self.inside(route.request.url):
            route.continue_()
        else:
            self.problems.append(f"outside the site: {route.request.url} ({route.request.frame.url})")
            route.abort()

    def take(self) -> list[str]:
        out, self.problems = self.problems, []
        return out


@pytest.fixture(scope="module")
def tab(browser, base):
    context = browser.new_context()
    page = context.new_page()
    watch = Watch(context, page, base)
    yield page, watch
    context.close()


@pytest.fixture(scope="module")
def box(tab, base) -> SearchBox:
    page, _ = tab
    return SearchBox(page, base)


def pages_of(site: Path, base: str) -> list[str]:
    """Every HTML page; 404.html only over HTTP (its links are absolute, for a web server to
    serve it on any path; from disk nothing ever opens it)."""
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    # Short links (f/<id>.html, one per fact and question in each language) only redirect to a page
    # walked here anyway; tests/test_shortlinks_browser.py follows them. Two stand for the rest.
    short = [p for p in pages if "/f/" in f"/{p}"]
    pages = [p for p in pages if p not in short] + short[:1] + [p for p in short if p.startswith("en/")][:1]
    return [p for p in pages if p != "404.html" or base.startswith("http")]


@pytest.mark.parametrize("query", TEST_QUERIES, ids=[q.id for q in TEST_QUERIES])
def test_search(box, query):
    outcome = box.run(query)
    got = "\n".join(f"  {i + 1}. {' | '.join(links[:3])}" for i, links in enumerate(outcome.groups[:5])) or "  (none)"
    assert outcome.hit, (f"{query.id}: expected {query.expect} within the first {query.top} result page(s)"
                         f" ({query.why}), got:\n{got}")


def test_search_logged_no_error(tab):
    _, watch = tab
    assert not watch.take()


def test_search_results_in_page_language_first(box):
    """A word on pages of both languages: a Korean page lists Korean pages first, an English
    page English ones."""
    for lang in ("ko", "en"):
        groups, _ = box.search("containerd", lang)
        langs = ["en" if g[0].startswith("en/") else "ko" for g in groups if g]
        assert langs and langs[0] == lang, f"{lang} page: {langs}"
        assert langs == sorted(langs, key=lambda x: x != lang), f"{lang} page: {langs}"


def test_language_switch_keeps_the_page(tab, base):
    page, watch = tab
    page.goto(base + "runtimes.html")
    for lang, expect in (("en", "en/runtimes.html"), ("ko", "runtimes.html")):
        page.locator(".md-header__option .md-select button").hover()
        page.locator(f".md-select__link[hreflang={lang}]").click()
        page.wait_for_url(base + expect)
        assert page.locator("html").get_attribute("lang") == lang
    assert not watch.take()


def test_navigation_and_footnotes(tab, base):
    page, watch = tab
    page.goto(base + "index.html")
    page.locator(".md-nav__link[href$='isolation.html']").first.click()
    page.wait_for_url(base + "isolation.html")
    page.goto(base + "runtimes.html")
    ref = page.locator("sup[id^='fnref'] a.footnote-ref").first
    target = ref.get_attribute("href")
    ref.click()
    page.wait_for_url(f"**/runtimes.html{target}")
    note = page.locator(f"[id='{target[1:]}']")
    assert note.count() == 1 and note.locator("a[href^='https://']").count() >= 1
    assert not watch.take()


# The unpacked zip holds the site's files byte for byte (tests/test_search.py); from it, a sample
# of pages keeps the suite fast.
ZIP_SAMPLE = {"index.html", "runtimes.html", "offline.html", "en/index.html", "en/runtimes.html", "en/offline.html"}


def test_every_page_stays_inside_the_site_without_errors(tab, base, site, request):
    """Both languages, every page: nothing requested from outside, nothing failing, no script
    error, every image loaded."""
    page, watch = tab
    paths = pages_of(site, base)
    if request.node.callspec.params["base"] == "zip":
        paths = [p for p in paths if p in ZIP_SAMPLE]
    problems = []
    for path in paths:
        page.goto(base + path, wait_until="load")
        broken = page.evaluate("() => [...document.images].filter(i => !i.complete || !i.naturalWidth).map(i => i.src)")
        problems += [f"{path}: image not loaded: {src}" for src in broken]
        page.wait_for_timeout(30)
        problems += [f"{path}: {p}" for p in watch.take()]
    assert not problems, "\n".join(problems)
