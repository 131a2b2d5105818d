"""The escaping boundary: every string from kb/ or docs/ directives reaches a page through one of these.

One function per output context. kb text is data, never markup, so each function returns text that
the context shows exactly as typed:

- `markdown(text)`   plain text with `code` spans -> Markdown (page Markdown, and HTML elements that
                     Markdown still processes: md_in_html `markdown="1"`/`"span"`, headings, footnotes)
- `code(text)`       literal text -> one code span in Markdown
- `html(text)`       plain text with `code` spans -> HTML for raw HTML blocks Markdown never reads (tables)
- `text(text)`       plain text -> HTML text or a quoted attribute value, no code spans
- `href(url)`        a checked absolute URL -> a quoted attribute value, or None when it is not safe
- `json_script(obj)` data -> JSON to put inside <script> (application/json or JavaScript)
- `abbr_line(abbr, title)`  one abbreviation definition line of the abbr extension (`*[X]: title`)

Line breaks of every kind become spaces everywhere: a line break inside a raw HTML block can end the
block and hand the rest to Markdown; the kb rules refuse them outside prose anyway.
"""
from __future__ import annotations

import html as _html
import json
import re

from .urls import url_problem

CODE_SPAN = re.compile(r"(`[^`\n]+`)")
# Python's str.splitlines() breaks on all of these; Markdown and browsers on some. None survives.
_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")
# Markdown would otherwise turn these into emphasis, links, footnotes or headings; each has a
# backslash escape in Python-Markdown. `<`, `>`, `~` and `^` have none (a backslash would show), so
# they become character references, which mean the same character everywhere.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]()#!|{}+])")
_CHAR_REF = {"<": "&lt;", ">": "&gt;", "~": "&#126;", "^": "&#94;"}
_CHAR_REF_RX = re.compile(r"[<>~^]")
# At the start of a block, "1. " or "- " would begin a list.
_LIST_START = re.compile(r"^(\s*)(?:(\d+)\.|-)(?=\s)")
# JSON is valid JavaScript and stays inside its <script> element only if it cannot spell `</script`,
# `<!--` or a line terminator JavaScript disallows in strings (before ES2019).
_JSON_SCRIPT = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_SCRIPT_RX = re.compile("[<>&\u2028\u2029]")


def one_line(value: str) -> str:
    return _BREAKS.sub(" ", value)


def text(value: str) -> str:
    """Plain text as HTML text or a double-quoted attribute value (nothing is markup)."""
    return _html.escape(one_line(str(value)), quote=True)


def _markdown_plain(part: str) -> str:
    escaped = _MD_SPECIAL.sub(r"\\\1", part.replace("&", "&amp;"))
    return _CHAR_REF_RX.sub(lambda m: _CHAR_REF[m.group(0)], escaped)


def code(content: str) -> str:
    """Literal text as a code span in Markdown (content may hold backticks or tags)."""
    content = one_line(str(content))
    return _code(content) if "`" not in content else "<code>" + "".join(f"&#{ord(ch)};" for ch in content) + "</code>"


def _code(content: str) -> str:
    """A code span as Markdown. md_in_html reads tags before Markdown sees backticks, so inside an
    HTML element a backtick span holding `<` is not opaque (`</p><img onerror=…>` would close the
    paragraph). Such a span becomes a <code> element of character references: Markdown keeps each
    as it is (no emphasis, no abbreviation, no tag) and the browser shows the characters."""
    if "<" not in content:
        return f"`{content}`"
    return "<code>" + "".join(f"&#{ord(ch)};" for ch in content) + "</code>"


def markdown(value: str) -> str:
    """Plain text with `code` spans -> Markdown that renders exactly that text."""
    out = []
    for i, part in enumerate(CODE_SPAN.split(one_line(str(value)))):
        if part.startswith("`") and part.endswith("`") and len(part) > 1:
            out.append(_code(part[1:-1]))
        else:
            escaped = _markdown_plain(part)
            if i == 0:
                escaped = _LIST_START.sub(lambda m: m.group(1) + (f"{m.group(2)}\\." if m.group(2) else "\\-"), escaped)
            out.append(escaped)
    return "".join(out)


def html(value: str) -> str:
    """Plain text with `code` spans -> HTML, for raw HTML blocks that Markdown does not process."""
    out = []
    for part in CODE_SPAN.split(one_line(str(value))):
        if part.startswith("`") and part.endswith("`") and len(part) > 1:
            out.append(f"<code>{text(part[1:-1])}</code>")
        else:
            out.append(text(part))
    return "".join(out)


def href(url: str, schemes: tuple[str, ...] = ("https",)) -> str | None:
    """A URL for href="…": None unless it parses as a safe absolute URL (urls.url_problem)."""
    if url_problem(url, schemes):
        return None
    return _html.escape(url, quote=True)


def json_script(data, sort_keys: bool = False) -> str:
    """JSON that can sit inside any <script> element and be read as JSON or as JavaScript."""
    dumped = json.dumps(data, ensure_ascii=False, sort_keys=sort_keys)
    return _JSON_SCRIPT_RX.sub(lambda m: _JSON_SCRIPT[m.group(0)], dumped)


def abbr_line(abbr: str, title: str) -> str:
    """`*[ABBR]: title` for the abbr extension; both sides on one line, `]` cannot end the key early.

    The extension puts the title into a title="" attribute itself (escaped), so only the line
    structure needs guarding here.
    """
    return f"*[{one_line(abbr).replace(']', '')}]: {one_line(title).replace(']', '').strip()}"
