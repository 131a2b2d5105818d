"""Fact text: value placeholders, value formatting per language, and safe Markdown output."""
from __future__ import annotations

import re

from . import escape

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
CODE_SPAN = escape.CODE_SPAN

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
    """Plain text with `code` spans -> Markdown that renders exactly that text (escape.markdown)."""
    return escape.markdown(text)


def to_html(text: str) -> str:
    """Plain text with `code` spans -> escaped HTML for raw HTML blocks (escape.html)."""
    return escape.html(text)


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
