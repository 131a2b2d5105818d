"""No broken internal link or anchor anywhere in the built site.

Every HTML page is parsed; every relative href/src/srcset (a, link, script, img, source, iframe…)
is resolved against the page's own location in the site tree, and a #fragment must name an element
of the target page. This is what makes the same site work on any host, sub-path and from file://.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from kbtools.engine import load_config

from conftest import ROOT

ATTRS = ("href", "src", "data", "poster")
BASE_PATH = urlsplit(load_config(str(ROOT / "mkdocs.yml"))["site_url"]).path or "/"
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)   # http:, https:, mailto:, data:, javascript:, //host


@lru_cache(maxsize=None)
def ids_of(path: str) -> frozenset[str]:
    doc = BeautifulSoup(Path(path).read_text("utf-8"), "html.parser")
    return frozenset([el["id"] for el in doc.select("[id]")] + [el["name"] for el in doc.select("a[name]")])


def references(doc: BeautifulSoup):
    for el in doc.find_all(True):
        for attr in ATTRS:
            if el.has_attr(attr) and isinstance(el[attr], str):
                yield el.name, attr, el[attr]
        if el.has_attr("srcset"):
            for part in el["srcset"].split(","):
                if part.strip():
                    yield el.name, "srcset", part.strip().split()[0]


def test_no_broken_internal_link_or_anchor(site):
    broken = []
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        rel = page.relative_to(site).as_posix()
        doc = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        for tag, attr, url in references(doc):
            url = url.strip()
            if not url or EXTERNAL.match(url):
                continue
            parts = urlsplit(url)
            if parts.path.startswith("/"):
                # Only the 404 page may (must) use root-absolute URLs: the server shows it at any path.
                if rel != "404.html" or not parts.path.startswith(BASE_PATH):
                    broken.append(f"{rel}: <{tag} {attr}={url!r}> is root-absolute (breaks on a sub-path and offline)")
                    continue
                target = (site / unquote(parts.path[len(BASE_PATH):])).resolve()
            else:
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            try:
                target.relative_to(site.resolve())
            except ValueError:
                broken.append(f"{rel}: <{tag} {attr}={url!r}> points outside the site")
                continue
            if not target.is_file():
                broken.append(f"{rel}: <{tag} {attr}={url!r}> -> missing {target.relative_to(site.resolve())}")
                continue
            frag = unquote(parts.fragment)
            if frag and tag in ("a", "area") and target.suffix == ".html" and frag not in ids_of(str(target)):
                broken.append(f"{rel}: <{tag} {attr}={url!r}> -> no element #{frag}")
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:50])
