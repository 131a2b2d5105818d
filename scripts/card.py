"""Render docs/assets/images/kb-card.svg to kb-card.png (1200x630), the image of every short link's
Open Graph card (kbtools/shortlinks.py). Unfurlers accept PNG, not SVG; run after editing the SVG
and commit both: `.venv/bin/python scripts/card.py`."""
from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import sync_playwright

IMAGES = Path(__file__).resolve().parent.parent / "docs" / "assets" / "images"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def main() -> None:
    svg = (IMAGES / "kb-card.svg").read_text("utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 630})
        page.set_content(f"<!doctype html><body style='margin:0'>{svg}</body>")
        page.screenshot(path=str(IMAGES / "kb-card.png"), clip={"x": 0, "y": 0, "width": 1200, "height": 630})
        browser.close()
    print(IMAGES / "kb-card.png")


if __name__ == "__main__":
    main()
