"""What every generated page ends with: footnote definitions and glossary abbreviations."""
from __future__ import annotations

from .. import escape as esc
from ..text import to_markdown
from . import Page


def source_line(page: Page, src: dict) -> str:
    """A source as one line of Markdown (a footnote, a line of the sources page).

    The URL is shown as text through the Markdown escaper, so no Markdown inside it becomes a link
    or an image; it becomes a link only when it parses as a safe https URL (kbtools/urls.py).
    """
    title = src["title"].get(page.lang) or src["title"]["en"]
    bits = [f"{to_markdown(title)}", to_markdown(src["publisher"])]
    if src.get("url"):
        shown = esc.markdown(src["url"])
        target = esc.href(src["url"])
        bits.append(f'<a href="{target}">{shown}</a>' if target else shown)
    bits.append(f'{esc.markdown(page.ui("footnote.accessed"))} {esc.markdown(src["accessed"])}')
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
        lines.append(esc.abbr_line(term["abbr"], title))
    return ("\n\n" + "\n".join(lines) + "\n") if lines else ""
