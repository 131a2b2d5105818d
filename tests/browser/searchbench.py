"""Drive the site's own search box in Chromium: the browser tests and `make bench` share this.

    from searchbench import bench            # tests/browser on sys.path
    numbers = bench(Path("site"))            # builds nothing; measures the site folder given
    # {'queries': 144, 'top1': …, 'top3': …, 'mrr': …, 'by_language': {'ko': {'top1': …, 'top3': …, 'mrr': …}, 'en': …},
    #  'latency_ms': {'median': …, 'p95': …, 'max': …}, 'index_gzip_bytes': …, 'misses': [...], 'results': [...]}

or `.venv/bin/python tests/browser/searchbench.py site/` (prints the same as JSON).

A query is typed with the keyboard into the search box opened by the search toggle, as a reader
does; one of five words or more (an error message) is pasted into it at once. Latency is measured in the page: from the last keyup in the search box to the last change
of the result list (a MutationObserver), so it covers the worker's query rewrite, lunr and
Material's rendering, but not Playwright's round trips.
"""
from __future__ import annotations

import gzip
import json
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass(frozen=True)
class Query:
    lang: str          # the language of the page the reader searches from: ko or en
    text: str          # what the reader types
    expect: str        # page.html or page.html#id (a section or a fact), site-relative
    top: int = 3       # the expected result must be within the first `top` result pages
    why: str = ""
    test: bool = False  # also a test of the browser suite (a fast subset)

    @property
    def id(self) -> str:
        return f"{self.lang}:{self.text}"


QUERY_FILE = Path(__file__).resolve().parent.parent / "search_queries.yaml"


def load_queries(path: Path = QUERY_FILE) -> list[Query]:
    """The benchmark set (tests/search_queries.yaml): what readers type and where the answer is."""
    import yaml
    rows = yaml.safe_load(path.read_text("utf-8"))["queries"]
    return [Query(r["lang"], str(r["q"]), r["expect"], int(r.get("top", 3)), r.get("why", ""), bool(r.get("test")))
            for r in rows]


QUERIES: list[Query] = load_queries()
# The browser suite runs this subset as tests; `make bench` runs them all.
TEST_QUERIES: list[Query] = [q for q in QUERIES if q.test]

# Runs before any page script: timestamps of the last keyup in the search box and of every
# change to the result list.
INSTRUMENT = """
(() => {
  const kb = window.__kbSearch = {keyup: 0, renders: []};
  document.addEventListener("keyup", ev => {
    if (ev.target instanceof Element && ev.target.matches(".md-search__input")) kb.keyup = performance.now();
  }, true);
  document.addEventListener("DOMContentLoaded", () => {
    const output = document.querySelector(".md-search__output");
    if (output) new MutationObserver(() => kb.renders.push(performance.now()))
      .observe(output, {childList: true, subtree: true, characterData: true});
  });
})();
"""

RESULTS = """
base => [...document.querySelectorAll(".md-search-result__item")].map(li =>
  [...li.querySelectorAll("a.md-search-result__link")].map(a => {
    const url = new URL(a.href); url.search = "";
    const href = url.href;
    return href.startsWith(base) ? href.slice(base.length) : href;
  }))
"""

SETTLED = """
([quiet]) => {
  const kb = window.__kbSearch, last = kb.renders[kb.renders.length - 1] || 0;
  return last > kb.keyup && performance.now() - last > quiet;
}
"""


@dataclass
class Outcome:
    query: Query
    groups: list[list[str]]
    latency_ms: float
    rank: int | None = field(default=None)     # index of the first result page holding the target
    cold: bool = False                         # the first query after the page loaded (index built)

    @property
    def hit(self) -> bool:
        return self.rank is not None and self.rank < self.query.top


def matches(expect: str, link: str) -> bool:
    """page.html#id matches that section and the facts in it: fact ids start with their
    entity's id (runtimes.html#kubernetes holds runtimes.html#kubernetes-hostprocess)."""
    return link == expect or link.startswith(expect + "-")


def rank_of(expect: str, groups: list[list[str]]) -> int | None:
    """The index of the first result page that holds `expect`: the page itself, or, for
    page.html#id, that section or fact among the page's first three links. `a|b`: either."""
    if "|" in expect:
        ranks = [r for r in (rank_of(e, groups) for e in expect.split("|")) if r is not None]
        return min(ranks) if ranks else None
    for i, links in enumerate(groups):
        if "#" in expect:
            if any(matches(expect, link) for link in links[:3]):
                return i
        elif links and links[0] == expect:
            return i
    return None


# A query of this many words or more is pasted (an error message), shorter ones are typed.
PASTED_WORDS = 5


class SearchBox:
    """The search of one site in one browser tab."""

    def __init__(self, page, base: str, quiet_ms: int = 120):
        self.page, self.base, self.quiet = page, base, quiet_ms
        self.lang = None
        page.add_init_script(INSTRUMENT)

    def open(self, lang: str) -> None:
        """Load the home page of `lang` and open the search with its toggle."""
        if self.lang == lang:
            return
        self.page.goto(self.base + ("en/index.html" if lang == "en" else "index.html"))
        # The header's search toggle on narrow screens; on wide ones the box itself opens it.
        toggle = self.page.locator("label.md-header__button[for=__search]")
        (toggle if toggle.is_visible() else self.page.locator(".md-search__input")).click()
        self.page.locator(".md-search__input").wait_for(state="visible")
        self.page.wait_for_function("document.activeElement && document.activeElement.matches('.md-search__input')")
        self.lang = lang

    def search(self, text: str, lang: str = "ko") -> tuple[list[list[str]], float]:
        self.open(lang)
        kb = self.page.keyboard
        kb.press("Control+A")
        kb.press("Backspace")
        self.page.evaluate("window.__kbSearch.renders = []")
        if len(text.split()) >= PASTED_WORDS:
            kb.insert_text(text)   # an error message is pasted, not typed
            kb.press("End")        # insert_text sends no keyup; End does
        else:
            kb.type(text)
            if not text[-1].isascii():
                kb.press("End")     # Hangul arrives as text input without a keyup, as from an IME; End sends one
        self.page.wait_for_function(SETTLED, arg=[self.quiet], timeout=15000, polling=20)
        latency = self.page.evaluate(
            "() => { const kb = window.__kbSearch; return kb.renders[kb.renders.length - 1] - kb.keyup; }")
        return self.page.evaluate(RESULTS, self.base), latency - 0.0

    def run(self, query: Query) -> Outcome:
        cold = self.lang != query.lang
        groups, latency = self.search(query.text, query.lang)
        return Outcome(query, groups, latency, rank_of(query.expect, groups), cold)


def index_gzip(site: Path) -> int:
    return len(gzip.compress((site / "search" / "search_index.js").read_bytes(), 9, mtime=0))


def mrr(outcomes: list[Outcome]) -> float:
    """Mean reciprocal rank: 1 for a first place, 1/2 for a second, 0 when the answer is not listed."""
    return round(sum(1 / (o.rank + 1) for o in outcomes if o.rank is not None) / (len(outcomes) or 1), 3)


def summarize(outcomes: list[Outcome], site: Path | None = None) -> dict:
    """Hit rates over all queries; latency over warm queries (the index already loaded), and
    separately for the first query after a page load, which also builds the index."""
    n = len(outcomes) or 1
    lat = sorted(o.latency_ms for o in outcomes if not o.cold) or [0.0]
    m = len(lat)
    out = {
        "queries": n,
        "korean_queries": sum(o.query.lang == "ko" for o in outcomes),
        "top1": round(sum(o.rank == 0 for o in outcomes) / n, 3),
        "top3": round(sum(o.rank is not None and o.rank < 3 for o in outcomes) / n, 3),
        "hit_rate": round(sum(o.hit for o in outcomes) / n, 3),
        "mrr": mrr(outcomes),
        "by_language": {lang: {"queries": len(mine), "top1": round(sum(o.rank == 0 for o in mine) / len(mine), 3),
                               "top3": round(sum(o.rank is not None and o.rank < 3 for o in mine) / len(mine), 3),
                               "mrr": mrr(mine)}
                        for lang in ("ko", "en") for mine in [[o for o in outcomes if o.query.lang == lang]] if mine},
        "latency_ms": {"median": round(statistics.median(lat), 1),
                       "p95": round(lat[min(m - 1, int(0.95 * m))], 1), "max": round(lat[-1], 1)},
        "first_query_ms": [round(o.latency_ms, 1) for o in outcomes if o.cold],
        "misses": [{"query": o.query.id, "expect": o.query.expect, "top": o.query.top,
                    "got": [g[:3] for g in o.groups[:3]]} for o in outcomes if not o.hit],
        "results": [{"query": o.query.id, "rank": o.rank, "latency_ms": round(o.latency_ms, 1),
                     "first": o.groups[0][:2] if o.groups else []} for o in outcomes],
    }
    if site is not None:
        out["index_gzip_bytes"] = index_gzip(site)
    return out


def bench(site: Path, browser=None, queries: list[Query] | None = None) -> dict:
    """Search speed and hit rate of a built site opened from disk (file://), as numbers.

    `browser`: a Playwright Browser to reuse; without one, Debian's Chromium is started."""
    site = Path(site).resolve()
    base = site.as_uri() + "/"

    def measure(b) -> dict:
        context = b.new_context()
        try:
            box = SearchBox(context.new_page(), base)
            return summarize([box.run(q) for q in (queries or QUERIES)], site)
        finally:
            context.close()

    if browser is not None:
        return measure(browser)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return measure(b)
        finally:
            b.close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: searchbench.py SITE_DIR")
    print(json.dumps(bench(Path(sys.argv[1])), ensure_ascii=False, indent=1))
