"""What every generated page ends with: footnote definitions and glossary abbreviations."""
from __future__ import annotations

import html

from ..text import to_markdown
from . import Page


def source_line(page: Page, src: dict) -> str:
    title = src["title"].get(page.lang) or src["title"]["en"]
    bits = [f"{to_markdown(title)}", to_markdown(src["publisher"])]
    if src.get("url"):
        url = html.escape(src["url"], quote=True)
        bits.append(f'<a href="{url}">{html.escape(src["url"])}</a>')
    bits.append(f'{page.ui("footnote.accessed")} {src["accessed"]}')
    return ". ".join(bits) + "."


def footnotes(page: Page) -> str:
    if not page.cited:
        return ""
    lines = [f"[^{sid}]: {source_line(page, page.kb.sources[sid])}" for sid in page.cited]
    return "\n\n" + "\n".join(lines) + "\n"


def abbreviations(page: Page) -> str:
    lines = []
    for term in sorted(page.kb.terms.values(), key=lambda t: t["id"]):
        if "abbr" not in term:
            continue
        ko, en = term["term"]["ko"], term["term"]["en"]
        title = en if page.lang == "en" else (ko if ko == en else f"{ko}({en})")
        lines.append(f"*[{term['abbr']}]: {title.replace(']', '')}")
    return ("\n\n" + "\n".join(lines) + "\n") if lines else ""
