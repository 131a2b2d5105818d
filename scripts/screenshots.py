#!/usr/bin/env python3
"""Full-page screenshots of every page, so a reviewer sees the whole site at once.

Usage: python scripts/screenshots.py SITE_DIR OUT_DIR      (`make screenshots` runs it on site/)

Every page of both languages, at 1280 px (desktop) and 390 px (phone), in the light and the dark
palette (the reader's prefers-color-scheme, which the site follows), as OUT_DIR/<lang>/<page>-<width>-<scheme>.png,
plus OUT_DIR/index.html: a contact sheet with one row per page and one thumbnail per variant,
each linking to its full-size PNG. One Chromium (Debian's, as the tests use), one context per
width and palette, every page in it. Not part of `make test`: it checks nothing, it shows.
"""
from __future__ import annotations

import functools
import html
import http.server
import shutil
import sys
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTHS = (1280, 390)
SCHEMES = ("light", "dark")
LANGS = {"ko": "", "en": "en/"}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def pages(site: Path) -> list[str]:
    """Page names present in both languages, home first, then alphabetical (404 included)."""
    names = sorted(p.name for p in site.glob("*.html") if (site / "en" / p.name).exists())
    return sorted(names, key=lambda n: (n != "index.html", n))


def shoot(site: Path, out: Path) -> list[tuple[str, str, int, str, Path]]:
    from playwright.sync_api import sync_playwright
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    shots = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for width in WIDTHS:
                for scheme in SCHEMES:
                    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme,
                                                  device_scale_factor=1)
                    tab = context.new_page()
                    for lang, prefix in LANGS.items():
                        for name in pages(site):
                            tab.goto(base + prefix + name, wait_until="load")
                            tab.evaluate("document.fonts.ready")
                            path = out / lang / f"{name[:-5]}-{width}-{scheme}.png"
                            path.parent.mkdir(parents=True, exist_ok=True)
                            tab.screenshot(path=str(path), full_page=True)
                            shots.append((lang, name, width, scheme, path))
                    context.close()
            browser.close()
    finally:
        server.shutdown()
    return shots


def contact_sheet(shots, out: Path) -> Path:
    variants = [(lang, w, s) for lang in LANGS for w in WIDTHS for s in SCHEMES]
    by = {(lang, name, w, s): p for lang, name, w, s, p in shots}
    names = sorted({name for _, name, _, _, _ in shots}, key=lambda n: (n != "index.html", n))
    head = "".join(f"<th>{lang} · {w} px · {s}</th>" for lang, w, s in variants)
    rows = []
    for name in names:
        cells = []
        for lang, w, s in variants:
            p = by.get((lang, name, w, s))
            rel = html.escape(p.relative_to(out).as_posix()) if p else ""
            cells.append(f'<td><a href="{rel}"><img src="{rel}" loading="lazy" alt="{html.escape(name)} {lang} {w} {s}"></a></td>'
                         if p else "<td></td>")
        rows.append(f"<tr><th scope=row>{html.escape(name)}</th>{''.join(cells)}</tr>")
    page = f"""<!doctype html>
<html lang="en"><meta charset="utf-8"><title>Screenshots: every page, both languages, 1280/390 px, light/dark</title>
<style>
body {{ font: 14px system-ui, sans-serif; margin: 1rem; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #ccc; padding: 4px; vertical-align: top; }}
thead th {{ position: sticky; top: 0; background: #fff; font-weight: 600; }}
img {{ width: 150px; max-height: 600px; object-fit: cover; object-position: top; display: block; }}
</style>
<h1>Screenshots ({len(shots)} pages shot)</h1>
<p>Full-page PNGs; click a thumbnail for the full size.</p>
<table><thead><tr><th>page</th>{head}</tr></thead><tbody>
{chr(10).join(rows)}
</tbody></table></html>
"""
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    site, out = Path(argv[1]), Path(argv[2])
    if not (site / "index.html").exists():
        print(f"{site}/index.html not found: build the site first (make build)", file=sys.stderr)
        return 1
    if not Path(CHROMIUM).exists():
        print(f"Chromium not found at {CHROMIUM}: apt-get install chromium", file=sys.stderr)
        return 1
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shots = shoot(site, out)
    index = contact_sheet(shots, out)
    print(f"{len(shots)} screenshots; contact sheet: {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
