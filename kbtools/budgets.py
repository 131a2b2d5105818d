"""What a reader downloads, measured once and held to limits that the build enforces.

`make bench` (scripts/bench.py) reports the same figures with the same functions and limits, so
a number can only be over budget in one way. The limits:

- first-visit weight of any page (its HTML plus every stylesheet, script, icon and image it
  loads, and what those stylesheets load), each file gzip -9: PAGE_KB_MAX;
- the search index as served (search_index.json) and as loaded from disk (search_index.js),
  gzip -9: SEARCH_INDEX_KB_GZIP (the worker parses all of it before the first result);
- the search worker (kb-search.js: the prelude with the alias table, then Material's worker),
  gzip -9: SEARCH_WORKER_KB_GZIP (about 19 KB today).
"""
from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from .problems import Problem

PAGE_KB_MAX = 250.0
PAGE_KB_MEDIAN = 90.0            # a target of `make bench`, not a build limit: one page may grow
SEARCH_INDEX_KB_GZIP = 200.0
SEARCH_WORKER_KB_GZIP = 64.0
WORKER = Path("assets/javascripts/workers/kb-search.js")


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        rel = (a.get("rel") or "").lower()
        if tag == "link" and a.get("href") and ("stylesheet" in rel or "icon" in rel or "preload" in rel):
            self.refs.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.refs.append(a["src"])
        elif tag in ("img", "source", "iframe", "embed") and a.get("src"):
            self.refs.append(a["src"])
        elif tag == "object" and a.get("data"):
            self.refs.append(a["data"])


# url(…) in a stylesheet; the quotes and spaces are stripped in Python: a pattern that matched them
# too rescanned the rest of the file from every "url(" left open.
CSS_URL = re.compile(r"url\(([^()]*)\)")


def css_urls(css: str) -> list[str]:
    return [u for u in (m.strip().strip("'\"").strip() for m in CSS_URL.findall(css)) if u]


def gz(path: Path, cache: dict | None = None) -> int:
    cache = {} if cache is None else cache
    if path not in cache:
        cache[path] = len(gzip.compress(path.read_bytes(), 9, mtime=0))
    return cache[path]


# The tags that load something, cut out before parsing: HTMLParser over whole pages was most of the
# time of this check (4 MB of HTML in 550 pages). [^<>]* stops at the next bracket, so this is linear.
LOADING_TAG = re.compile(r"<(?:link|script|img|source|iframe|embed|object)\b[^<>]*>", re.I)


def page_weight(site: Path, page: Path, cache: dict) -> dict:
    parser = _Refs()
    # Each <script> closed again, or the parser would read the tags after it as script text.
    parser.feed("".join(t + "</script>" if t[1:7].lower() == "script" else t
                        for t in LOADING_TAG.findall(page.read_text("utf-8"))))
    seen, external, missing = set(), [], []
    todo = [(page.parent, r) for r in parser.refs]
    while todo:
        base, ref = todo.pop()
        ref = urldefrag(ref)[0]
        if not ref or ref.startswith("data:"):
            continue
        if urlsplit(ref).scheme or ref.startswith("//"):
            external.append(ref)
            continue
        path = urlsplit(ref).path
        target = ((site / path.lstrip("/")) if path.startswith("/") else (base / path)).resolve()
        if target in seen:
            continue
        if not target.is_file():
            missing.append(ref)
            continue
        seen.add(target)
        if target.suffix == ".css":
            todo += [(target.parent, u) for u in css_urls(target.read_text("utf-8", errors="replace"))]
    html = gz(page, cache)
    kinds = {"html": html, "css": 0, "js": 0, "other": 0}
    for t in seen:
        kinds[{".css": "css", ".js": "js"}.get(t.suffix, "other")] += gz(t, cache)
    return {"page": page.relative_to(site).as_posix(), "bytes": sum(kinds.values()),
            **{f"{k}_bytes": v for k, v in kinds.items()}, "requests": 1 + len(seen),
            "external": sorted(set(external)), "missing": sorted(set(missing))}


def weights(site: Path) -> list[dict]:
    cache: dict = {}
    pages = [p for p in sorted(site.rglob("*.html")) if "assets" not in p.relative_to(site).parts]
    return [page_weight(site, p, cache) for p in pages]


def kb_(n: int) -> float:
    return round(n / 1024, 1)


def over_budget(site: Path) -> list[Problem]:
    """A problem for every figure of the built site over its limit, with the figure and the limit."""
    def over(what: str, file: str, size: int, limit: float, hint: str) -> Problem:
        return Problem(file, "budget", f"{what} is over budget", actual=f"{kb_(size)} KB gzip",
                       expected=f"under {limit:g} KB gzip", hint=hint)

    found = []
    for page in weights(site):
        if page["bytes"] / 1024 >= PAGE_KB_MAX:
            found.append(over("first-visit weight of the page", f"site/{page['page']}", page["bytes"], PAGE_KB_MAX,
                              "split the page, or move facts to the page of their topic"))
    for name in ("search_index.json", "search_index.js"):
        path = site / "search" / name
        if path.exists() and (size := gz(path)) / 1024 >= SEARCH_INDEX_KB_GZIP:
            found.append(over("the search index", f"site/search/{name}", size, SEARCH_INDEX_KB_GZIP,
                              "every fact's text is indexed: shorten texts or exclude long lists from search"))
    worker = site / WORKER
    if worker.exists() and (size := gz(worker)) / 1024 >= SEARCH_WORKER_KB_GZIP:
        found.append(over("the search worker", f"site/{WORKER.as_posix()}", size, SEARCH_WORKER_KB_GZIP,
                          "the glossary aliases are in the worker: fewer or shorter aliases"))
    return found
