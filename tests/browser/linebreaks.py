"""Count line breaks that fall between two Hangul syllables, as Chromium lays the page out.

A Korean word split across two lines (라이|선스) reads as two words. The walker visits every
text node of the page, asks Chromium for the box of each syllable (Range.getBoundingClientRect)
and counts a break wherever the next syllable starts on a lower line. The browser tests and a
before/after measurement share it:

    .venv/bin/python tests/browser/linebreaks.py /tmp/site     # prints breaks per width and page
"""
from __future__ import annotations

import functools
import http.server
import json
import sys
import threading
from pathlib import Path

WIDTHS = (360, 768, 1280)

# Returns [{where, text}] for every break between two Hangul syllables under `root` (a selector).
WALK = r"""
(root) => {
  const SYL = /[\uAC00-\uD7A3]/;
  const found = [];
  const range = document.createRange();
  const box = (node, i) => { range.setStart(node, i); range.setEnd(node, i + 1); return range.getBoundingClientRect(); };
  for (const top of document.querySelectorAll(root)) {
    const walker = document.createTreeWalker(top, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.data;
      if (!/[\uAC00-\uD7A3]{2}/.test(text)) continue;
      // A closed dialog or folded drawer is laid out at zero size; the reader sees it only open.
      if (!node.parentElement.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
      range.selectNodeContents(node);
      if (range.getClientRects().length < 2) continue;          // the whole node sits on one line
      for (let i = 0; i + 1 < text.length; i++) {
        if (!SYL.test(text[i]) || !SYL.test(text[i + 1])) continue;
        const a = box(node, i), b = box(node, i + 1);
        if (!a.width || !b.width) continue;                      // not rendered
        if (b.top >= a.bottom - 1) {
          const el = node.parentElement;
          const where = el.closest('.md-nav--secondary') ? 'toc' : el.closest('.md-nav') ? 'nav'
            : el.closest('.md-search-result') ? 'search' : el.closest('table') ? 'table' : 'body';
          found.push({where, text: text.slice(Math.max(0, i - 8), i + 1) + '|' + text.slice(i + 1, i + 9)});
        }
      }
    }
  }
  return found;
}
"""

SEARCH_QUERY = "컨테이너 이미지"


def korean_pages(site: Path) -> list[str]:
    """Every Korean page of the built site (the root folder, not en/), site-relative."""
    return sorted(p.name for p in site.glob("*.html") if p.name != "404.html")


def breaks_on_page(page, url: str) -> list[dict]:
    page.goto(url)
    return page.evaluate(WALK, "body")


def breaks_in_search(page, url: str, query: str = SEARCH_QUERY) -> list[dict]:
    """Open the search dialog on `url`, type a query a reader types, walk the result list."""
    page.goto(url)
    page.keyboard.press("/")
    page.wait_for_function("document.activeElement && document.activeElement.matches('.md-search__input')")
    page.keyboard.type(query)
    page.keyboard.press("End")                       # Hangul typed as text sends no keyup; End does
    page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=15000)
    for more in page.locator(".md-search-result__more summary").all()[:3]:
        more.click()                                 # the folded "more results" lines too
    return page.evaluate(WALK, ".md-search-result")


def measure(browser, base: str, pages: list[str]) -> dict[int, dict[str, list[dict]]]:
    """{width: {page or 'search': [breaks]}}: one context per width, every page in it."""
    out = {}
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        found = {name: breaks_on_page(page, base + name) for name in pages}
        found["search"] = breaks_in_search(page, base + "index.html")
        out[width] = found
        context.close()
    return out


def _serve(site: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(site: Path) -> None:
    from playwright.sync_api import sync_playwright
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from searchbench import CHROMIUM, CHROMIUM_ARGS
    server = _serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        result = measure(browser, base, korean_pages(site))
        browser.close()
    server.shutdown()
    summary = {w: {"total": sum(len(v) for v in found.values()),
                   "by_page": {k: len(v) for k, v in found.items() if v},
                   "examples": [b["text"] for v in found.values() for b in v][:12]}
               for w, found in result.items()}
    print(json.dumps(summary, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
