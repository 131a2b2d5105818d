"""What a reader sees on the built pages, without a browser: tables whose headers sit over their
columns, values in words instead of keys, labels in the page's language, clean search snippets."""
from __future__ import annotations

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
