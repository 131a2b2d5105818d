"""Accessible to everyone: axe-core on every page, both languages, both palettes; search by keyboard.

axe-core (tests/vendor/axe-core, pinned, test-only) is injected by Playwright into Debian's Chromium
on every page of the built site, served over loopback: all of axe's default rules in the light
palette, then, after the palette toggle a reader uses, the colour rules in the dark one (nothing
else depends on the palette). No serious or
critical violation may remain. The search dialog is then used with the keyboard alone, and checked
by axe while open with results. (The copy buttons and the compatibility checker have their own
keyboard tests: tests/test_browser_permalinks.py, tests/test_compat_site.py.)
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE_DIR = ROOT / "tests" / "vendor" / "axe-core"
TOPICS = sorted(p.stem for p in (ROOT / "docs" / "ko").glob("*.md"))
PAGES = ["404.html"] + [f"{t}.html" for t in TOPICS] + [f"en/{t}.html" for t in TOPICS]
SCHEMES = {"light": "default", "dark": "slate"}
COLOUR_RULES = ["color-contrast", "link-in-text-block"]

# axe.run starts in every tab before any result is awaited, so the two language versions of a page
# are checked in two renderer processes at once (two cores).
START_AXE = """(only) => {
  const options = {resultTypes: ['violations'], selectors: false};   // selectors cost a third of the time
  if (only) options.runOnly = {type: 'rule', values: only};
  window.__kbAxe = axe.run(document, options).then(result => result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
      rule: v.id, impact: v.impact, count: v.nodes.length,
      nodes: v.nodes.slice(0, 3).map(n => n.html.slice(0, 120) + ': ' +
        ((n.any[0] || n.all[0] || n.none[0] || {}).message || '').slice(0, 160))})));
}"""
RESULT_AXE = "() => window.__kbAxe"
# Pages checked together: the Korean and the English version of each topic. 404.html is
# self-contained, without the palette toggle: tests/test_shortlinks_browser.py checks it in both schemes.
PAIRS = {t: [f"{t}.html", f"en/{t}.html"] for t in TOPICS}


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe.min.js, checked against the version and sha256 recorded in its README."""
    source = (AXE_DIR / "axe.min.js").read_bytes()
    readme = (AXE_DIR / "README.md").read_text("utf-8")
    recorded = re.search(r"\| (\d+\.\d+\.\d+) \|.*`([0-9a-f]{64})`", readme)
    assert recorded, "tests/vendor/axe-core/README.md must record the version and sha256"
    assert hashlib.sha256(source).hexdigest() == recorded.group(2), "axe.min.js differs from its recorded sha256"
    assert source.startswith(f"/*! axe v{recorded.group(1)}".encode()), "axe.min.js is not the recorded version"
    return source.decode("utf-8")


@pytest.fixture(scope="module")
def tabs(browser, axe_source):
    """A tab per palette preference, axe-core loaded into every page it opens."""
    contexts = {name: browser.new_context(color_scheme=name) for name in SCHEMES}
    for ctx in contexts.values():
        ctx.add_init_script(script=axe_source)
    yield {name: ctx.new_page() for name, ctx in contexts.items()}
    for ctx in contexts.values():
        ctx.close()


@pytest.fixture(scope="module")
def page_tabs(browser, axe_source):
    """Two light tabs for the pages: a topic's two languages are checked at once."""
    ctx = browser.new_context(color_scheme="light")
    ctx.add_init_script(script=axe_source)
    yield [ctx.new_page(), ctx.new_page()]
    ctx.close()


def axe_all(pages, only=None) -> list[list[dict]]:
    for page in pages:
        page.evaluate(START_AXE, only)
    return [page.evaluate(RESULT_AXE) for page in pages]


def axe(page, only=None) -> list[dict]:
    return axe_all([page], only)[0]


def describe(violations: list[dict]) -> str:
    return "\n".join(f"  {v['rule']} ({v['impact']}, {v['count']}x)\n    " + "\n    ".join(v["nodes"])
                     for v in violations)


def test_every_page_is_checked(site):
    built = {p.relative_to(site).as_posix() for p in site.rglob("*.html")
             if not p.relative_to(site).parts[0] in ("assets", "api")}
    missing = sorted(p for p in PAGES if p not in built)
    assert not missing, f"pages the a11y test expects but the build lacks: {missing}"
    unchecked = sorted(built - set(PAGES))
    # Redirect stubs of moved pages (kb/published.txt) hold no content; anything else must be listed.
    for rel in unchecked:
        assert 'http-equiv="refresh"' in (site / rel).read_text("utf-8"), f"{rel} is not checked by axe"


@pytest.mark.browser
@pytest.mark.parametrize("topic", PAIRS)
def test_no_serious_axe_violation(page_tabs, http_site, topic):
    """All rules in the light palette; then the reader's palette toggle, and the colour rules in dark."""
    rels = PAIRS[topic]
    pages = page_tabs[:len(rels)]
    for page, rel in zip(pages, rels):
        page.goto(http_site + rel)
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == SCHEMES["light"]
    found = {(rel, "light"): v for rel, v in zip(rels, axe_all(pages))}
    for page in pages:
        page.locator("label.md-header__button[for^=__palette]:visible").click()
        page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{SCHEMES['dark']}'")
    found |= {(rel, "dark"): v for rel, v in zip(rels, axe_all(pages, COLOUR_RULES))}
    pages[0].evaluate("localStorage.clear()")   # the toggle is remembered; the next pages start light again
    failed = {k: v for k, v in found.items() if v}
    assert not failed, "\n".join(f"{rel} ({scheme}):\n{describe(v)}" for (rel, scheme), v in failed.items())


# --- the search dialog, keyboard only --------------------------------------------------------

SEARCH = {"ko": ("index.html", "격리"), "en": ("en/index.html", "isolation")}


def _open_search_with_keyboard(page, query: str) -> None:
    page.keyboard.press("/")                      # Material's shortcut (also "s" and "f")
    page.wait_for_function("document.activeElement && document.activeElement.matches('.md-search__input')")
    page.keyboard.type(query)
    page.keyboard.press("End")                    # Hangul typed as text sends no keyup; End does
    page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=15000)


@pytest.mark.browser
@pytest.mark.parametrize("lang", SEARCH)
def test_search_dialog_with_the_keyboard_alone(page, http_site, lang):
    start, query = SEARCH[lang]
    page.goto(http_site + start)
    dialog = page.locator(".md-search[role=dialog]")
    assert dialog.get_attribute("aria-label"), "the search dialog needs a name"
    _open_search_with_keyboard(page, query)
    # Down moves from the box into the results; Enter follows the focused result.
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.closest('.md-search-result__item') !== null")
    assert focused, "ArrowDown does not reach the results"
    target = page.evaluate("document.activeElement.href || document.activeElement.querySelector('a').href")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.split("#")[0].split("?")[0] == target.split("#")[0].split("?")[0], timeout=10000)
    # Escape closes a reopened dialog and gives the page back.
    _open_search_with_keyboard(page, query)
    page.keyboard.press("Escape")
    page.wait_for_function("!document.querySelector('#__search').checked")
    assert not page.evaluate("document.activeElement && document.activeElement.matches('.md-search__input')")


@pytest.mark.browser
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("lang", SEARCH)
def test_open_search_dialog_passes_axe(tabs, http_site, lang, scheme):
    page = tabs[scheme]
    start, query = SEARCH[lang]
    page.goto(http_site + start)
    _open_search_with_keyboard(page, query)
    page.wait_for_timeout(200)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == SCHEMES[scheme]
    violations = axe(page)
    assert not violations, f"search open on {start} ({scheme}):\n{describe(violations)}"
