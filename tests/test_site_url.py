"""`SITE_URL=https://wiki.corp/kb/ make build` moves canonical links, hreflang and the sitemap."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from conftest import build_site

SITE_URL = "https://wiki.corp/kb/"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(scope="module")
def wiki_site(tmp_path_factory):
    dest = tmp_path_factory.mktemp("wiki-site") / "site"
    result = build_site(dest, env={"SITE_URL": SITE_URL})
    if result.returncode != 0:
        pytest.fail(f"SITE_URL build failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return dest


def head(site, rel):
    return BeautifulSoup((site / rel).read_text("utf-8"), "html.parser")


def test_canonical_and_hreflang_use_the_host_and_sub_path(wiki_site):
    pages = sorted(p.name for p in wiki_site.glob("*.html") if p.name != "404.html")
    assert "runtimes.html" in pages
    for name in pages:
        for prefix in ("", "en/"):
            doc = head(wiki_site, prefix + name)
            assert doc.find("link", rel="canonical")["href"] == f"{SITE_URL}{prefix}{name}", (prefix, name)
            alternates = {l["hreflang"]: l["href"] for l in doc.select("link[rel=alternate][hreflang]")}
            assert alternates == {"ko": f"{SITE_URL}{name}", "en": f"{SITE_URL}en/{name}"}, (prefix, name, alternates)


def test_sitemap_lists_both_languages_under_the_host_and_sub_path(wiki_site):
    root = ET.parse(wiki_site / "sitemap.xml").getroot()
    locs = [u.find("s:loc", NS).text for u in root.findall("s:url", NS)]
    alternates = [l.get("href") for l in root.iter("{%s}link" % NS["x"])]
    assert locs and all(u.startswith(SITE_URL) for u in locs + alternates), [u for u in locs + alternates if not u.startswith(SITE_URL)][:5]
    listed = set(locs) | set(alternates)
    for name in ("index.html", "runtimes.html", "api.html"):
        assert f"{SITE_URL}{name}" in listed and f"{SITE_URL}en/{name}" in listed, name
    assert "windows-containers-kb.example.org" not in (wiki_site / "sitemap.xml").read_text("utf-8")


def test_api_permalinks_use_the_host_and_sub_path(wiki_site):
    facts = json.loads((wiki_site / "api/v1/facts.json").read_text("utf-8"))
    for f in facts:
        assert f["permalinks"] == {"ko": SITE_URL + f["urls"]["ko"], "en": SITE_URL + f["urls"]["en"]}


def test_pages_link_relatively_so_the_same_build_works_anywhere(wiki_site):
    text = (wiki_site / "en/runtimes.html").read_text("utf-8")
    doc = BeautifulSoup(text, "html.parser")
    for el in doc.select("a[href], script[src], link[href]"):
        url = el.get("href") or el.get("src")
        assert not url.startswith("/"), url
        if url.startswith(SITE_URL):
            assert el.name == "link" and el.get("rel")[0] in ("canonical", "alternate"), url


def test_short_links_feeds_and_404_use_the_host_and_sub_path(wiki_site):
    fact = json.loads((wiki_site / "api/v1/facts.json").read_text("utf-8"))[0]
    for lang, prefix in (("ko", ""), ("en", "en/")):
        doc = head(wiki_site, f"{prefix}f/{fact['id']}.html")
        og = {m["property"]: m["content"] for m in doc.find_all("meta", property=True)}
        assert og["og:url"] == f"{SITE_URL}{prefix}f/{fact['id']}.html"
        assert og["og:image"].startswith(SITE_URL + "assets/")
        assert doc.find("link", rel="canonical")["href"] == SITE_URL + fact["urls"][lang]
        feed = (wiki_site / prefix / "feed.xml").read_text("utf-8")
        assert f'rel="self" type="application/atom+xml" href="{SITE_URL}{prefix}feed.xml"' in feed
        assert "windows-containers-kb.example.org" not in feed
    data = json.loads(head(wiki_site, "404.html").find("script", id="kb-nf-data").string)
    assert data["root"] == "/kb/", "the 404 page finds the site root under the sub-path"
