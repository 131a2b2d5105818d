"""What a Korean reader sees laid out: no word split between two syllables at phone, tablet and
desktop widths, in the body, the tables, the navigation, the table of contents and search results.

One browser (conftest.browser), one context per width, every Korean page walked in it; the walker
is tests/browser/linebreaks.py, which also prints the counts for any built site.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
from linebreaks import WIDTHS, breaks_in_search, breaks_on_page, korean_pages  # noqa: E402


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_no_korean_word_is_split_across_lines(browser, http_site, site, width):
    pages = korean_pages(site)
    assert len(pages) >= 15
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        tab = context.new_page()
        found, overflow = {}, []
        for name in pages:
            found[name] = breaks_on_page(tab, http_site + name)
            # A wide table scrolls inside its wrapper; the page itself never scrolls sideways.
            if tab.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"):
                overflow.append(name)
        found["search results"] = breaks_in_search(tab, http_site + "index.html")
    finally:
        context.close()
    split = {name: [b["text"] for b in found_on] for name, found_on in found.items() if found_on}
    total = sum(len(v) for v in split.values())
    print(f"{width} px: {total} breaks between two Hangul syllables over {len(pages)} pages and search")
    assert not split, f"{total} Korean words split at {width} px: {split}"
    assert not overflow, f"pages wider than the {width} px window: {overflow}"
