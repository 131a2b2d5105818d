"""What a reader sees on the built pages, without a browser: tables whose headers sit over their
columns, values in words instead of keys, labels in the page's language, clean search snippets."""
from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup


def _html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


def _width(row) -> int:
    return sum(int(c.get("colspan", 1)) for c in row.find_all(["th", "td"], recursive=False))


def table_misfits(doc: BeautifulSoup) -> list[str]:
    """Tables whose rows do not all have as many cells as the header row has columns."""
    out = []
    for n, table in enumerate(doc.find_all("table")):
        rows = table.find_all("tr")
        head = table.thead.find("tr") if table.thead else rows[0]
        cols = _width(head)
        for row in rows:
            if _width(row) != cols:
                cells = [c.get_text(" ", strip=True)[:20] for c in row.find_all(["th", "td"], recursive=False)]
                out.append(f"table {table.get('class') or n}: {_width(row)} cells, header has {cols}: {cells}")
                break
    return out


def test_every_table_has_one_header_per_column(site):
    tables, misfits = 0, {}
    for path in _html_pages(site):
        doc = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        tables += len(doc.find_all("table"))
        found = table_misfits(doc)
        if found:
            misfits[path.relative_to(site).as_posix()] = found
    assert tables >= 20
    assert not misfits, misfits


def test_the_misfit_check_catches_a_shifted_header():
    doc = BeautifulSoup("<table><thead><tr><th>Image</th><th>Tag</th><th>Released</th></tr></thead>"
                        "<tbody><tr><th>nano</th><td>2024</td></tr></tbody></table>", "html.parser")
    assert table_misfits(doc)
    doc = BeautifulSoup("<table><thead><tr><td></td><th colspan=2>A</th></tr></thead>"
                        "<tbody><tr><th>x</th><td>1</td><td>2</td></tr></tbody></table>", "html.parser")
    assert not table_misfits(doc)


def test_fact_values_are_shown_in_words_never_as_keys(site, kb):
    from kbtools.labels import SLUG
    keys = {k for f in kb.facts.values() for k in f.values}
    slugs = {v for f in kb.facts.values() for v in f.values.values() if isinstance(v, str) and SLUG.match(v)}
    rows = 0
    for lang, prefix in (("ko", ""), ("en", "en/")):
        for path in sorted((site / prefix).glob("*.html")):
            for row in BeautifulSoup(path.read_text("utf-8"), "html.parser").select(".kb-values"):
                rows += 1
                shown = {w for item in row.get_text().split(" · ") for w in item.split(": ", 1)}
                # English names may be the same word as the slug ("none"); Korean pages never show one.
                raw = keys | (slugs if lang == "ko" else set())
                assert not shown & raw, (path.name, row.get_text())
                assert row.code is None and " = " not in row.get_text(), (path.name, row.get_text())
    assert rows >= 2 * 70
    costs = {f["id"]: f.get("values", {}).get("cost") for f in json.loads((site / "api/v1/facts.json").read_text("utf-8"))}
    assert costs["docker-desktop-license-terms"] == "free-conditional"   # the API keeps the slug
    ko = BeautifulSoup((site / "runtimes.html").read_text("utf-8"), "html.parser")
    assert ko.find(id="docker-desktop-license-terms").select_one(".kb-values").get_text() == "비용: 조건부 무료 · 라이선스: 독점"


BLOCKS = ["p", "li", "td", "th", "h1", "h2", "h3", "h4", "div", "dt", "dd", "caption", "figcaption"]


def test_every_particle_after_a_number_or_latin_word_fits_its_reading(site):
    """Over the rendered Korean pages: filled values, kb text and page prose alike."""
    from kbtools import josa
    from kbtools.rules.shown import _AFTER_LATIN
    checked, wrong = 0, []
    for path in sorted(site.glob("*.html")):
        article = BeautifulSoup(path.read_text("utf-8"), "html.parser").select_one("article")
        if article is None:
            continue
        for el in article.select("sup, script"):
            el.decompose()                           # footnote numbers are not read before a particle
        for el in article.find_all(BLOCKS):
            el.append("\n")                          # a particle never reaches into the next block
        text = article.get_text()
        for m in _AFTER_LATIN.finditer(text):
            end = josa.reading_end(text[max(0, m.start() - 80):m.start()])
            checked += end is not None
            if end and josa.form(end, m.group(0)) != m.group(0):
                wrong.append((path.name, text[max(0, m.start() - 20):m.end()]))
    assert checked >= 500
    assert not wrong, wrong


def test_an_abbreviation_with_two_meanings_is_never_expanded(site, kb):
    from kbtools.render.notes import ambiguous_abbreviations
    ambiguous = ambiguous_abbreviations(kb)
    assert "Mirantis Container Runtime" in ambiguous.get("MCR", set())   # found in the kb text, not listed
    assert "HNS" not in ambiguous and "HCS" not in ambiguous and "gMSA" not in ambiguous
    expanded = set()
    for path in _html_pages(site):
        for el in BeautifulSoup(path.read_text("utf-8"), "html.parser").select("abbr[title]"):
            expanded.add(el.get_text())
            assert el.get_text() not in ambiguous, (path.name, el.get_text(), el["title"])
    assert {"HNS", "CRI"} <= expanded


def test_footnotes_name_the_publisher_in_the_page_language(site, kb):
    localized = {sid: s["publisher"] for sid, s in kb.sources.items() if isinstance(s["publisher"], dict)}
    assert "seed-article" in localized
    for lang, prefix in (("ko", ""), ("en", "en/")):
        other = "en" if lang == "ko" else "ko"
        doc = BeautifulSoup((site / prefix / "runtimes.html").read_text("utf-8"), "html.parser")
        notes = doc.select_one(".footnote").get_text()
        assert localized["seed-article"][lang] in notes
        assert not any(p[other] in notes for p in localized.values() if p[other] != p[lang]), lang
    sources = json.loads((site / "api/v1/sources.json").read_text("utf-8"))
    assert all(isinstance(s["publisher"], str) for s in sources)          # the API keeps one string


def test_limitation_rows_are_named_after_the_feature(site, kb):
    table = kb.tables["limitations-table"]
    for lang, prefix, negations in (("ko", "", ("불가", "미지원", "없음")), ("en", "en/", ("No ", "not "))):
        doc = BeautifulSoup((site / prefix / "limitations.html").read_text("utf-8"), "html.parser")
        heads = [th.get_text().strip() for th in doc.select("#limitations-table tbody th")]
        assert len(heads) == len(table["rows"])
        assert not [h for h in heads if any(n in h for n in negations)], heads


def test_korean_interface_strings_read_as_korean(site):
    import re
    import material
    theme = (Path(material.__file__).parent / "templates/partials/languages/ko.html").read_text("utf-8")
    ours = (Path(__file__).resolve().parent.parent / "overrides/partials/languages/ko.html").read_text("utf-8")
    keys = lambda src: set(re.findall(r'^\s*"([a-z.]+)":', src, re.M))   # noqa: E731
    assert keys(theme) <= keys(ours), "the theme has Korean strings the override lacks"
    page = (site / "index.html").read_text("utf-8")
    doc = BeautifulSoup(page, "html.parser")
    config = json.loads(doc.select_one("#__config").string)
    assert config["translations"]["search.result.other"] == "일치하는 문서 #개"
    assert doc.select_one("nav.md-nav--primary")["aria-label"] == "탐색"
    assert doc.select_one(".md-header__inner")["aria-label"] == "머리글"
    for wrong in ("맨위로", "언어설정", "네비게이션", "검색 초기화", "개의 일치하는 문서", "상단/헤더", "하단/푸터"):
        assert wrong not in page, wrong
    assert "맨 위로" in page and "언어 선택" in page


def test_search_entries_are_clean_sentences(site, kb):
    from kbtools.search import clean_text
    assert clean_text("<p>맞습니다.<sup>12</sup><sup>11</sup></p> <ol> <li> <p>제목. Microsoft. 확인일 2026-11-24. ↩↩</p> </li> </ol>") \
        == "<p>맞습니다.</p>"
    docs = json.loads((site / "search/search_index.json").read_text("utf-8"))["docs"]
    accessed = {s["accessed"] for s in kb.sources.values()}
    for d in docs:
        assert "↩" not in d["text"] and "<sup>" not in d["text"], d["location"]
        if not d["location"].split("#")[0].endswith("sources.html"):
            # a footnote line ends "확인일 2026-11-24." / "accessed 2026-11-24."; only the sources page lists them
            assert not any(f" {day}." in d["text"] for day in accessed), (d["location"], d["text"][:200])
    facts = {d["location"].split("#")[1] for d in docs if "#" in d["location"] and not d["location"].startswith("en/")}
    assert set(kb.facts) <= facts                      # every fact keeps its own entry


def test_korean_prose_has_no_bare_year_month(site):
    import re
    partial = re.compile(r"(?<![\w.-])\d{4}-(?:0[1-9]|1[0-2])(?![\w-]|\.\d)")
    found = {}
    for path in sorted(site.glob("*.html")):
        article = BeautifulSoup(path.read_text("utf-8"), "html.parser").select_one("article")
        if article is None:
            continue
        for el in article.select("code, time, script, pre"):
            el.decompose()                           # tags, commands and machine dates stay as written
        hits = partial.findall(article.get_text(" "))
        if hits:
            found[path.name] = hits
    assert not found, found
    assert "2026년 11월" in (site / "lifecycle.html").read_text("utf-8")


def test_filled_text_has_no_placeholder_debris(site):
    for lang, prefix in (("ko", ""), ("en", "en/")):
        for path in sorted((site / prefix).glob("*.html")):
            doc = BeautifulSoup(path.read_text("utf-8"), "html.parser")
            for el in doc.select(".kb-fact p, .kb-guide-text, .kb-term-def, .kb-values"):
                assert "{" not in el.get_text() and "}" not in el.get_text(), (path.name, el.get_text()[:120])
