"""Read one value out of a fetched response and compare it with the kb.

The kind of endpoint decides how the body is parsed: JSON (endoflife.date, the registry's tag
list, GitHub's REST API) is queried with a JMESPath `path`; a repository file is searched with
`pattern`; an HTML page is narrowed with a CSS `selector`. Each gives a list of strings, which
`pattern` filters (its first group, if any, is the value) and `as` normalises. A response that
no longer yields a value is a changed format, reported as such, never a traceback.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

import jmespath
from bs4 import BeautifulSoup

JSON_KINDS = {"endoflife", "registry-tags", "github-releases", "github-tags", "json-api"}
MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), start=1)}


class FormatChanged(Exception):
    """The response no longer has the shape the spec reads."""


def kb_value(value) -> str:
    """A kb value as the text compared upstream (YAML may hand dates and numbers over typed)."""
    if isinstance(value, bool):
        return str(value).lower()
    return value.isoformat() if isinstance(value, date) else str(value)


def _texts(kind: str, body: str, spec: dict) -> list[str]:
    if kind in JSON_KINDS:
        try:
            doc = json.loads(body)
        except ValueError as exc:
            raise FormatChanged(f"the response is not JSON ({exc.msg} at char {exc.pos})") from None
        found = jmespath.search(spec["path"], doc)
        if found is None or found == []:
            raise FormatChanged(f"path {spec['path']!r} found nothing in the response")
        items = found if isinstance(found, list) else [found]
        if any(isinstance(i, (dict, list)) for i in items):
            raise FormatChanged(f"path {spec['path']!r} found an object, not a value")
        return [kb_value(i) for i in items if i is not None]
    if kind == "html":
        soup = BeautifulSoup(body, "html.parser")
        found = [el.get_text(" ", strip=True) for el in soup.select(spec["selector"])]
        if not found:
            raise FormatChanged(f"selector {spec['selector']!r} matched no element")
        return found
    return [body]   # repo-file: the pattern searches the whole file


def _normalise_date(text: str, month_only: bool) -> str:
    t = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", t)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3] or 0)
    elif m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", t):          # US: 4/30/2028
        mo, d, y = int(m[1]), int(m[2]), int(m[3])
    elif m := re.fullmatch(r"([A-Za-z]+)\.?\s+(?:(\d{1,2}),?\s+)?(\d{4})", t):   # April 30, 2028 / Sep 2026
        name = m[1].lower()
        mo = next((n for full, n in MONTHS.items() if full.startswith(name) and len(name) >= 3), 0)
        d, y = int(m[2] or 0), int(m[3])
    else:
        raise FormatChanged(f"{t!r} is not a date")
    if not 1 <= mo <= 12:
        raise FormatChanged(f"{t!r} is not a date")
    if month_only:
        return f"{y:04d}-{mo:02d}"
    if not d:
        raise FormatChanged(f"{t!r} names a month, not a day")
    return f"{y:04d}-{mo:02d}-{d:02d}"


def extract(kind: str, body: str, spec: dict) -> list[str]:
    """The upstream values the spec reads, in document order."""
    texts = _texts(kind, body, spec)
    if "pattern" in spec:
        rx = re.compile(spec["pattern"], re.M)
        out = []
        for t in texts:
            for m in rx.finditer(t):
                out.append(m.group(1) if rx.groups else m.group(0))
                if kind != "repo-file":
                    break          # one value per JSON item or element
        texts = [t.strip() for t in out]
        if not texts:
            raise FormatChanged(f"pattern {spec['pattern']!r} matched nothing")
    if spec.get("as"):
        texts = [_normalise_date(t, spec["as"] == "month") for t in texts]
    return texts


def version_key(text: str):
    """Order versions, dates and tags by their numbers: v1.37.0 < v1.37.10, ltsc2022 < ltsc2025."""
    return tuple(int(n) for n in re.findall(r"\d+", text)), text


@dataclass(frozen=True)
class Verdict:
    status: str          # unchanged | drifted | format-changed
    upstream: str        # the value seen upstream (the one compared), or what was found
    detail: str = ""


def compare(check: str, kb: str, found: list[str]) -> Verdict:
    distinct = list(dict.fromkeys(found))
    if check == "contains":
        ok = kb in distinct
        return Verdict("unchanged" if ok else "drifted", kb if ok else f"{len(distinct)} values without {kb}",
                       "" if ok else "not among: " + ", ".join(distinct[:8]) + (" …" if len(distinct) > 8 else ""))
    if check == "equals":
        if len(distinct) != 1:
            return Verdict("format-changed", ", ".join(distinct[:5]),
                           f"expected one value, found {len(distinct)}")
        up = distinct[0]
        return Verdict("unchanged" if up == kb else "drifted", up)
    up = max(distinct, key=version_key)
    if check == "latest":
        ok = up == kb
    elif check == "at-least":      # the kb gives a lower bound of what upstream says
        ok = version_key(up) >= version_key(kb)
    else:                          # at-most: the kb gives an upper bound
        ok = version_key(up) <= version_key(kb)
    return Verdict("unchanged" if ok else "drifted", up)
