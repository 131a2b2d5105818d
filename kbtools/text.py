"""Fact text: value placeholders, value formatting per language, and safe Markdown output."""
from __future__ import annotations

import html
import re

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
CODE_SPAN = re.compile(r"(`[^`\n]+`)")
# Markdown would otherwise turn these into emphasis, links, footnotes or headings; each has a
# backslash escape in Python-Markdown. `<`, `>`, `~` and `^` have none (a backslash would show), so
# they become character references, which mean the same character everywhere.
_MD_SPECIAL = re.compile(r"([\\*_\[\]()#!|{}+])")
_CHAR_REF = {"<": "&lt;", ">": "&gt;", "~": "&#126;", "^": "&#94;"}
_CHAR_REF_RX = re.compile(r"[<>~^]")
# At the start of a block, "1. " or "- " would begin a list.
_LIST_START = re.compile(r"^(\s*)(?:(\d+)\.|-)(?=\s)")

_UNLIMITED = {"ko": "무제한", "en": "unlimited"}
_BOOL = {"ko": ("예", "아니요"), "en": ("yes", "no")}


# Build numbers name a Windows release; a digit group separator (26,100) would misquote them.
_IDENTIFIER_KEY = re.compile(r"(?:^|_)build(?:_min|_max)?$")


def format_value(value, lang: str, key: str = "") -> str:
    """A value as a reader sees it in running text or a table cell (`key`: the value's name)."""
    if isinstance(value, bool):
        return _BOOL[lang][0 if value else 1]
    if isinstance(value, dict):   # size
        basis = {"ko": {"compressed": "압축", "on-disk": "디스크"}, "en": {"compressed": "compressed", "on-disk": "on disk"}}
        number = f"{value['value']:g}"
        return f"{number} {value['unit']} ({basis[lang][value['basis']]})"
    if value == "unlimited":
        return _UNLIMITED[lang]
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10000 and not _IDENTIFIER_KEY.search(key) else str(value)
    return str(value)


def fill(text: str, values: dict, lang: str) -> str:
    """Replace {key} with the formatted value; unknown keys are left for the rule to report."""
    def sub(m):
        key = m.group(1)
        return format_value(values[key], lang, key) if key in values else m.group(0)
    return PLACEHOLDER.sub(sub, text)


def to_markdown(text: str) -> str:
    """Plain text with `code` spans -> Markdown that renders exactly that text.

    kb text is data, not markup: HTML is escaped and Markdown syntax is backslash-escaped, so a
    fact can never inject a tag, a link or a footnote into a page.
    """
    out = []
    for i, part in enumerate(CODE_SPAN.split(text)):
        if part.startswith("`") and part.endswith("`") and len(part) > 1:
            out.append(part)
        else:
            escaped = _MD_SPECIAL.sub(r"\\\1", part.replace("&", "&amp;"))
            escaped = _CHAR_REF_RX.sub(lambda m: _CHAR_REF[m.group(0)], escaped)
            if i == 0:
                escaped = _LIST_START.sub(lambda m: m.group(1) + (f"{m.group(2)}\\." if m.group(2) else "\\-"), escaped)
            out.append(escaped)
    return "".join(out).replace("\n", " ")


def to_html(text: str) -> str:
    """Plain text with `code` spans -> escaped HTML (for tables and attributes built as HTML)."""
    out = []
    for part in CODE_SPAN.split(text):
        if part.startswith("`") and part.endswith("`") and len(part) > 1:
            out.append(f"<code>{html.escape(part[1:-1])}</code>")
        else:
            out.append(html.escape(part))
    return "".join(out)


def plain(text: str) -> str:
    """Text without backticks, for search snippets, JSON and copy-as-text."""
    return text.replace("`", "")


NUMBER = re.compile(r"(?<![A-Za-z0-9])(\d+(?:[.,]\d+)*)")


def numbers(text: str) -> set[str]:
    """Numbers as written, commas removed (2,000 == 2000); used to compare ko and en text."""
    return {n.replace(",", "") for n in NUMBER.findall(text)}


URL = re.compile(r"https?://[^\s`]+[^\s`.,)]")


def code_spans(text: str) -> set[str]:
    """The untranslatable literals of a text: `code` spans (commands, tags, paths) and bare URLs."""
    return {c.strip("`") for c in CODE_SPAN.findall(text)} | set(URL.findall(CODE_SPAN.sub("", text)))
