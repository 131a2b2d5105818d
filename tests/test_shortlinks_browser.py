"""Following old and short links in Chromium, from disk (file://) and over HTTP.

A copy of the project is changed the way the kb evolves (one fact moved to another page, one fact
given an old id) and built once for this module; then a short link, a moved fact's old link, an old
id's links and a link to an id nobody knows are followed. The 404 page (of the real build) is swept
for console errors, requests leaving the site and serious axe findings, and sends known old
addresses on.
"""
from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from pathlib import Path

import pytest

from conftest import ROOT, build_site
from test_a11y import AXE_DIR, RESULT_AXE, START_AXE, describe

pytestmark = pytest.mark.browser
LANGS = {"ko": "", "en": "en/"}


# --------------------------------------------------------------------------- a kb that moved on

@pytest.fixture(scope="module")
def moved(kb, tmp_path_factory, browser):
    """Build a copy of the project in which `moved` went from runtimes to building and `renamed`
    has the old id `old`. Yields ids and the built site."""
    ent = next(e for e in kb.entities.values() if e.topic == "runtimes" and len(e.facts) >= 3)
    fact_moved, fact_renamed = ent.facts[2].id, ent.facts[1].id
    old = f"{fact_renamed}-old"
    copy = tmp_path_factory.mktemp("moved") / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", "site", ".site-*", ".git", "dist",
                                                              "__pycache__", ".pytest_cache", ".cache", "bench", "tests"))
    yaml_file = copy / ent.file
    text = yaml_file.read_text("utf-8")
    for fid, line in ((fact_moved, "    topic: building\n"), (fact_renamed, f"    aliases: [{old}]\n")):
        marker = f"  - id: {fid}\n"
        assert marker in text, marker
        text = text.replace(marker, marker + line, 1)
    yaml_file.write_text(text, "utf-8")
    for prefix in ("ko", "en"):
        page = copy / "docs" / prefix / "building.md"
        page.write_text(page.read_text("utf-8") + f"\n<!-- kb:fact {fact_moved} -->\n", "utf-8")
    dest = copy / "site"
    result = build_site(dest, root=copy)
    assert result.returncode == 0, result.stdout + result.stderr
    handler = functools.partial(_Quiet, directory=str(dest))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"moved": fact_moved, "renamed": fact_renamed, "old": old, "site": dest,
           "http": f"http://127.0.0.1:{server.server_address[1]}/"}
    server.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def url(m: dict, scheme: str, rel: str) -> str:
    path, _, frag = rel.partition("#")
    base = m["http"] + path if scheme == "http" else (m["site"] / path).as_uri()
    return base + (f"#{frag}" if frag else "")


def cases(m: dict, prefix: str) -> dict[str, tuple[str, str]]:
    """name -> (where the reader starts, where they must land)."""
    return {
        "short link of a moved fact": (f"{prefix}f/{m['moved']}.html", f"{prefix}building.html#{m['moved']}"),
        "old link of a moved fact": (f"{prefix}runtimes.html#{m['moved']}", f"{prefix}building.html#{m['moved']}"),
        "short link of an old id": (f"{prefix}f/{m['old']}.html", f"{prefix}runtimes.html#{m['renamed']}"),
        "old id linked on another page": (f"{prefix}index.html#{m['old']}", f"{prefix}runtimes.html#{m['renamed']}"),
    }


CASE_NAMES = ["short link of a moved fact", "old link of a moved fact", "short link of an old id",
              "old id linked on another page"]


@pytest.fixture
def watched(page):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.errors = errors
    return page


# Every case from disk and over HTTP; the two moved-fact cases in both languages, the old-id cases
# in one language per scheme (the language prefix is exercised by the others).
RUNS = [(scheme, lang, case) for case in CASE_NAMES for scheme in ("http", "file") for lang in LANGS
        if "moved" in case or (scheme, lang) in (("http", "en"), ("file", "ko"))]


@pytest.mark.parametrize("scheme, lang, case", RUNS)
def test_old_and_short_links_land_on_the_fact(watched, moved, scheme, lang, case):
    start, land = cases(moved, LANGS[lang])[case]
    watched.goto(url(moved, scheme, start))
    target = url(moved, scheme, land)
    watched.wait_for_url(target, timeout=10000)
    anchor = land.split("#")[1]
    assert watched.evaluate("id => document.getElementById(id) !== null", anchor)
    assert watched.evaluate("document.documentElement.lang") == lang
    assert watched.locator("#kb-fragment-notice").count() == 0
    assert not watched.errors, watched.errors


@pytest.mark.parametrize("lang, unknown", [("ko", "no-such-fact-anywhere"), ("en", "constructor")])
@pytest.mark.parametrize("scheme", ["http", "file"])
def test_an_unknown_id_shows_a_notice_with_a_search_link(watched, moved, kb, axe_source, scheme, lang, unknown):
    """`constructor` is no id but a member every JavaScript object inherits: it must not be found."""
    start = f"{LANGS[lang]}runtimes.html#{unknown}"
    watched.goto(url(moved, scheme, start))
    notice = watched.locator("#kb-fragment-notice")
    notice.wait_for(state="visible", timeout=10000)
    assert notice.get_attribute("role") == "status"
    assert kb.ui("fragment.missing", lang).replace("{id}", unknown) in notice.inner_text()
    link = notice.locator("a")
    assert link.inner_text() == kb.ui("fragment.search", lang).replace("{id}", unknown)
    assert link.evaluate("a => a.href") == url(moved, scheme, f"{LANGS[lang]}index.html") + "?q=" + unknown.replace("-", "%20")
    assert watched.url == url(moved, scheme, start), "an unknown id must not navigate"
    if scheme == "http":   # the notice is accessible: no serious axe finding on the page that shows it
        watched.evaluate(axe_source)
        watched.evaluate(START_AXE, None)
        violations = watched.evaluate(RESULT_AXE)
        assert not violations, describe(violations)
    assert not watched.errors, watched.errors


def test_the_registry_records_the_move_and_then_passes(moved, tmp_path):
    from kbtools import registry
    from kbtools.load import check
    kb_root = moved["site"].parent / "kb"
    kb = check(kb_root)
    before = [p for p in registry.check(kb, moved["site"]) if moved["moved"] in p]
    assert before and "make registry" in before[0], before
    _, added = registry.update(kb_root, moved["site"])
    assert f"runtimes.html#{moved['moved']} -> building.html#{moved['moved']}" in added
    assert not [p for p in registry.check(kb, moved["site"]) if moved["moved"] in p]


# --------------------------------------------------------------------------- the 404 page

@pytest.fixture(scope="module")
def axe_source() -> str:
    return (AXE_DIR / "axe.min.js").read_text("utf-8")


def sweep(page, origin: str):
    """Console errors and requests that leave `origin`, recorded while the page is used."""
    seen = {"errors": [], "outside": []}
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("console", lambda msg: seen["errors"].append(f"{msg.text} {msg.location.get('url', '')}")
            if msg.type == "error" else None)
    page.on("request", lambda r: seen["outside"].append(r.url) if not r.url.startswith(origin) else None)
    return seen


@pytest.mark.parametrize("scheme", ["http", "file"])
@pytest.mark.parametrize("colour", ["light", "dark"])
def test_404_is_bilingual_clean_and_axe_clean(browser, site, http_site, axe_source, kb, scheme, colour):
    context = browser.new_context(color_scheme=colour)
    context.add_init_script(script=axe_source)
    try:
        page = context.new_page()
        origin = http_site if scheme == "http" else site.as_uri()
        seen = sweep(page, origin)
        start = http_site + "404.html" if scheme == "http" else (site / "404.html").as_uri()
        page.goto(start)
        assert page.evaluate("document.documentElement.lang") == "ko"
        sections = page.locator("main section")
        assert sections.count() == 2
        assert sections.nth(0).get_attribute("lang") is None and sections.nth(1).get_attribute("lang") == "en"
        assert kb.ui("notfound.title", "ko") in sections.nth(0).inner_text()
        assert kb.ui("notfound.title", "en") in sections.nth(1).inner_text()
        for lang, home in (("ko", "index.html"), ("en", "en/index.html")):
            field = page.locator(f"#kb-nf-q-{lang}")
            assert page.locator(f'label[for="kb-nf-q-{lang}"]').inner_text() == kb.ui("notfound.search", lang)
            link = page.locator(f'a:text-is("{kb.ui("notfound.home", lang)}")')
            assert link.evaluate("a => a.href") == (http_site + home if scheme == "http" else (site / home).as_uri())
            assert field.evaluate("f => f.form.action").split("?")[0] == link.evaluate("a => a.href")
        assert page.locator("link[hreflang]").count() == 0, "no language twin: no hreflang alternates"
        page.evaluate(START_AXE, None)
        violations = page.evaluate(RESULT_AXE)
        assert not violations, describe(violations)
        if colour == "light":
            # The Korean search box takes the reader to the Korean home page with the search open.
            page.locator("#kb-nf-q-ko").fill("격리")
            page.locator("#kb-nf-q-ko").press("Enter")
            page.wait_for_url(re.compile(r"/index\.html\?q="), timeout=10000)
            page.locator(".md-search__input").wait_for(state="visible", timeout=10000)
            assert page.locator(".md-search__input").input_value() == "격리"
        assert not seen["errors"], seen["errors"]
        assert not seen["outside"], seen["outside"]
    finally:
        context.close()


def serve_404(page, site: Path, missing: str) -> None:
    """Answer `missing` the way web servers do: status 404 with the site's 404.html."""
    body = (site / "404.html").read_text("utf-8")
    page.route(missing, lambda route: route.fulfill(status=404, body=body, content_type="text/html; charset=utf-8"))


@pytest.mark.parametrize("missing, lands", [
    ("runtimes", "runtimes.html"),
    ("en/runtimes/", "en/runtimes.html"),
    ("f/{fact}", "{topic}.html#{fact}"),
    ("en/f/{fact}/", "en/{topic}.html#{fact}"),
])
def test_404_sends_a_known_old_address_on(page, site, http_site, kb, missing, lands):
    fact = next(iter(kb.facts.values()))
    missing, lands = (x.format(fact=fact.id, topic=fact.topic) for x in (missing, lands))
    serve_404(page, site, http_site + missing)
    page.goto(http_site + missing)
    page.wait_for_url(http_site + lands, timeout=10000)
    if "#" in lands:
        assert page.evaluate("document.getElementById(location.hash.slice(1)) !== null")


def test_404_at_a_deep_unknown_path_keeps_its_links_right(page, site, http_site):
    missing = http_site + "en/no/such/page.html"
    serve_404(page, site, missing)
    seen = sweep(page, http_site)
    page.goto(missing)
    page.locator("#kb-nf-q-en").wait_for()
    page.wait_for_timeout(300)
    assert page.url == missing, "an unknown address stays, with the search box"
    hrefs = page.eval_on_selector_all("main a", "links => links.map(a => a.href)")
    assert hrefs == [http_site + "index.html", http_site + "en/index.html"]
    # Chromium logs the 404 status of the page itself; nothing else may fail.
    errors = [e for e in seen["errors"] if not e.endswith(" " + missing)]
    assert not errors and not seen["outside"], seen
