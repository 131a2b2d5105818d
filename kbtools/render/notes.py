"""What every generated page ends with: footnote definitions and glossary abbreviations."""
from __future__ import annotations

import re

from .. import escape as esc
from ..text import to_markdown
from . import Page


def publisher(src: dict, lang: str) -> str:
    """The publisher in the page's language: a name, or {ko, en} when it carries an annotation."""
    p = src["publisher"]
    return p[lang] if isinstance(p, dict) else p


def source_line(page: Page, src: dict) -> str:
    """A source as one line of Markdown (a footnote, a line of the sources page).

    The URL is shown as text through the Markdown escaper, so no Markdown inside it becomes a link
    or an image; it becomes a link only when it parses as a safe https URL (kbtools/urls.py).
    """
    title = src["title"].get(page.lang) or src["title"]["en"]
    bits = [f"{to_markdown(title)}", to_markdown(publisher(src, page.lang))]
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


# "Mirantis Container Runtime(MCR)", "Microsoft Container Registry (MCR)": a name spelled out
# before its abbreviation in brackets.
# The lookbehind starts a name only at a word's start: from every letter of a long word the search
# rescanned the rest of it (quadratic on a long run of capitals).
_SPELLED_OUT = re.compile(r"(?<![A-Za-z0-9.-])((?:[A-Z][A-Za-z0-9.-]*\s+){1,5}[A-Z][A-Za-z0-9.-]*)\s?\(([^()\s]{2,12})\)")


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


def ambiguous_abbreviations(kb) -> dict[str, set[str]]:
    """Glossary abbreviations that also name something else on the site -> the other names.

    An abbreviation is ambiguous when another term uses it too, or when some kb text spells it
    out as a name that is not its term's name or alias (MCR: Microsoft Container Registry, and
    Mirantis Container Runtime). Expanding it everywhere would mislabel half its uses.
    """
    own = {}
    for term in kb.terms.values():
        if "abbr" in term:
            names = {term["term"][l].lower() for l in ("ko", "en")}
            names |= {a.lower() for l in ("ko", "en") for a in term.get("aliases", {}).get(l, [])}
            own.setdefault(term["abbr"], []).append(names)
    found = {abbr: set() for abbr, owners in own.items() if len(owners) > 1}
    texts = [kb.entities[e].data for e in kb.entities] + list(kb.terms.values()) + list(kb.guides.values())
    for text in (t for data in texts for t in _strings(data)):
        for m in _SPELLED_OUT.finditer(text):
            name, abbr = m.group(1).strip(), m.group(2)
            low = name.lower()
            # "Windows Host Compute Service" still names the Host Compute Service (HCS).
            if abbr in own and not any(low in n or n in low for names in own[abbr] for n in names):
                found.setdefault(abbr, set()).add(name)
    return found


def abbreviations(page: Page) -> str:
    lines = []
    ambiguous = ambiguous_abbreviations(page.kb)
    for term in sorted(page.kb.terms.values(), key=lambda t: t["id"]):
        if "abbr" not in term or term["abbr"] in ambiguous:
            continue
        ko, en = term["term"]["ko"], term["term"]["en"]
        title = en if page.lang == "en" else (ko if ko == en else f"{ko}({en})")
        lines.append(esc.abbr_line(term["abbr"], title))
    return ("\n\n" + "\n".join(lines) + "\n") if lines else ""
