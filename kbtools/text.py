"""Fact text: value placeholders, value formatting per language, and safe Markdown output."""
from __future__ import annotations

import re

from . import escape, josa

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
        # Korean writes no space before a bracket: 175 MB(압축).
        space = "" if lang == "ko" else " "
        return f"{number} {value['unit']}{space}({basis[lang][value['basis']]})"
    if value == "unlimited":
        return _UNLIMITED[lang]
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10000 and not _IDENTIFIER_KEY.search(key) else str(value)
    return str(value)


# A year and month alone (2026-09) in Korean prose is read 2026년 9월; a full date stays ISO.
PARTIAL_DATE = re.compile(r"(?<![0-9A-Za-z_.-])(\d{4})-(0[1-9]|1[0-2])(?![0-9A-Za-z_-]|\.\d)")
_KO_TOKEN = re.compile(f"{PLACEHOLDER.pattern}|{PARTIAL_DATE.pattern}")


def korean_date(word: str) -> str:
    m = PARTIAL_DATE.fullmatch(word)
    return f"{m.group(1)}년 {int(m.group(2))}월" if m else word


def fill(text: str, values: dict, lang: str) -> str:
    """Replace {key} with the formatted value; unknown keys are left for the rule to report.

    In Korean the particle after a filled value follows how the value is read (2.1.6이, Docker가),
    and a partial date outside `code` reads as Korean (2026-09 → 2026년 9월).
    """
    if lang != "ko":
        return PLACEHOLDER.sub(lambda m: format_value(values[m.group(1)], lang, m.group(1))
                               if m.group(1) in values else m.group(0), text)
    code = [m.span() for m in CODE_SPAN.finditer(text)]
    out, pos = [], 0
    for m in _KO_TOKEN.finditer(text):
        if m.start() < pos:
            continue                             # inside a particle already rewritten
        in_code = any(a < m.start() < b for a, b in code)
        key = m.group(1)
        if key is None:
            if in_code:
                continue
            word = korean_date(m.group(0))
        elif key in values:
            word = format_value(values[key], lang, key)
            word = word if in_code else korean_date(word)
        else:
            continue
        out += [text[pos:m.start()], word]
        pos = m.end()
        # The particle may follow the closing backtick of a code span that ends with the value.
        at = pos + 1 if in_code and text.startswith("`", pos) else pos
        particle = josa.particle_at(text, at)
        end = josa.reading_end(word)
        if particle and end:
            out += [text[pos:at], josa.form(end, particle)]
            pos = at + len(particle)
    out.append(text[pos:])
    return "".join(out)


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
    """Numbers as written, commas and leading zeros removed (2,000 == 2000; the 09 of 2026-09 ==
    the 9 of 2026년 9월); used to compare ko and en text."""
    out = set()
    for n in NUMBER.findall(text):
        n = n.replace(",", "")
        out.add(n if "." in n else (n.lstrip("0") or "0"))
    return out


URL = re.compile(r"https?://[^\s`]+[^\s`.,)]")


def code_spans(text: str) -> set[str]:
    """The untranslatable literals of a text: `code` spans (commands, tags, paths) and bare URLs."""
    return {c.strip("`") for c in CODE_SPAN.findall(text)} | set(URL.findall(CODE_SPAN.sub("", text)))
