"""Invisible characters and unsafe URLs, anywhere in kb/.

A reviewer reads YAML, not code points: a bidi override makes `abc` display as `cba`, a zero-width
space splits a word search should find, a control character can end a line inside a page's Markdown
(a carriage return in a glossary term turned the rest of the term into raw HTML on every page).
So every string and key of every kb file is checked, after YAML has decoded its escapes ("\\u202e").
"""
from __future__ import annotations

from ..characters import describe as _describe, refused
from ..problems import Problem
from ..urls import url_problem
from . import rule

# Prose may be written as a YAML block scalar (`>` or `|`), which yields line breaks; the renderers
# turn them into spaces. Nothing else needs one: ids, names, terms, URLs and labels are one line.
_PROSE = {"text", "details", "current", "summary", "definition", "situation", "reason"}


def _documents(kb):
    """(file, owner id, field prefix, data) for everything loaded from kb/."""
    for ent in kb.entities.values():
        yield ent.file, ent.id.strip(), "", {k: v for k, v in ent.data.items() if k != "facts"}
        for fact in ent.facts:
            owner = fact.data["id"].strip() if isinstance(fact.data.get("id"), str) else ent.id
            yield ent.file, owner or ent.id, fact.field, fact.data
    for group in (kb.sources, kb.terms, kb.tables, kb.guides, kb.figures):
        for ident, doc in group.items():
            yield doc["file"], ident.strip(), "", {k: v for k, v in doc.items() if k != "file"}
    if kb.labels:
        yield "kb/labels.yaml", "labels", "", kb.labels
    for n, entry in enumerate(kb.changelog):
        yield "kb/changelog.yaml", f"entries[{n}]", f"entries[{n}]", entry


def _strings(data, field: str):
    """(field, string, is_key) for every string in data, depth first."""
    if isinstance(data, dict):
        for k, v in data.items():
            sub = f"{field}.{k}" if field else str(k)
            if isinstance(k, str):
                yield sub, k, True
            yield from _strings(v, sub)
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _strings(v, f"{field}[{i}]")
    elif isinstance(data, str):
        yield field, data, False


def _allows_newline(field: str) -> bool:
    parts = field.replace("]", "").replace("[", ".").split(".")
    return len(parts) >= 2 and parts[-1] in ("ko", "en") and parts[-2] in _PROSE


@rule("characters")
def characters(kb):
    for file, owner, prefix, data in _documents(kb):
        for field, value, is_key in _strings(data, prefix):
            for ch in dict.fromkeys(value):
                if not refused(ch) or (ch == "\n" and not is_key and _allows_newline(field)):
                    continue
                where = f"{field} (key)" if is_key else field
                if ch == "\n" and value.endswith("\n") and field.rsplit(".", 1)[-1] in ("id", "abbr", "url"):
                    hint = "an id is one line: remove the block scalar (| or >) or the trailing \\n"
                elif ch in "\n\r":
                    hint = "write this field on one line (a YAML block scalar | or > adds line breaks)"
                else:
                    hint = ("invisible, control and bidi characters change what a reader sees without "
                            "showing in review; delete it (look for a \\u escape or a pasted character)")
                yield Problem(file, "characters", f"invisible or control character {_describe(ch)}",
                              fact=owner, field=where, actual=repr(value)[:80],
                              expected="visible text (line breaks only in prose texts)", hint=hint)


@rule("url-safe")
def url_safe(kb):
    for src in kb.sources.values():
        url = src.get("url")
        if url is None:
            continue
        problem = url_problem(url)
        if problem:
            yield Problem(src["file"], "url-safe", f"source URL {problem}", fact=src["id"], field="url",
                          actual=repr(url)[:120], expected="https://host/path with no credentials, spaces or markup",
                          hint="copy the URL from the browser's address bar; percent-encode spaces and brackets")
