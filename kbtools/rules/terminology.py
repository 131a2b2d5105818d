"""The one terminology table: a variant a glossary term lists under `avoid` appears nowhere.

Scanned: every {ko, en} text of entities and facts, glossary terms, figures, the decision guide,
tables, the answers of questions (not the questions: they keep the words people type) and interface labels, and the prose of docs/<lang>/*.md. Not scanned: aliases (the
spellings readers type into search), source titles (the publisher's own words), the changelog (it
names what was corrected), code, URLs and quoted text (a quotation keeps its author's wording), and
the definition of the term that lists the variant (the one place that may say what not to write).
"""
from __future__ import annotations

import re
from pathlib import Path

from ..model import LANGS
from ..problems import Problem
from . import rule

_SKIP_KEYS = {"aliases", "avoid", "sources", "id", "url", "facts_ref"}
# Removed from the text before matching, each replaced by a space so words on either side stay apart.
# No part may scan past the next opener of its own kind: from each of many unclosed openers
# (`<!--`, `](`, `{#`, `“`) a scan to the end of the page made the check quadratic.
_NOT_PROSE = re.compile(
    r"```.*?```"                      # fenced code
    r"|<!--(?:(?!<!--|-->).)*-->"     # directives and comments
    r"|`[^`\n]+`"                     # code spans
    r"|\]\([^()\s]*\)"                # link targets
    r"|https?://\S+"                  # bare URLs
    r"|\{[:#][^{}\n]*\}"              # attribute lists {: .x } and { #id }
    r"|\"[^\"\n]*\"|“[^“”\n]*”|(?<![A-Za-z0-9])'[^'\n]*'(?![A-Za-z0-9])|‘[^‘’\n]*’",   # quotations, not apostrophes
    re.S,
)
# A Korean variant starts a word (particles may follow it); an English one is a whole word.
_WORD_CHAR = r"[\w\uac00-\ud7a3]"


def _pattern(variant: str, lang: str) -> re.Pattern:
    tail = r"(?![\w])" if lang == "en" or re.search(r"[A-Za-z0-9]$", variant) else ""
    return re.compile(rf"(?<!{_WORD_CHAR}){re.escape(variant)}{tail}")


def table(kb) -> dict[str, list[tuple[str, re.Pattern, str, str]]]:
    """lang -> [(variant, pattern, preferred term, term id)] from the glossary's avoid lists."""
    out: dict[str, list] = {lang: [] for lang in LANGS}
    for term in kb.terms.values():
        for lang in LANGS:
            for variant in (term.get("avoid") or {}).get(lang, []):
                out[lang].append((variant, _pattern(variant, lang), term["term"][lang], term["id"]))
    return out


def prose(text: str) -> str:
    return _NOT_PROSE.sub(" ", text)


def _pairs(node, path: str, owner: str):
    """(field path, lang, text, owner id) for every {ko, en} text below node."""
    if isinstance(node, dict):
        owner = node["id"] if isinstance(node.get("id"), str) else owner
        if all(isinstance(node.get(lang), str) for lang in LANGS):
            for lang in LANGS:
                yield f"{path}.{lang}".lstrip("."), lang, node[lang], owner
            return
        for key, value in node.items():
            if key not in _SKIP_KEYS:
                yield from _pairs(value, f"{path}.{key}", owner)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _pairs(value, f"{path}[{i}]", owner)


def _documents(kb):
    """(file, owner id, document) of every kb document whose text readers see."""
    for ent in kb.entities.values():
        yield ent.file, ent.id, ent.data
    for group in (kb.terms, kb.figures, kb.guides, kb.tables):
        for ident, doc in group.items():
            yield doc["file"], ident, {k: v for k, v in doc.items() if k != "file"}
    for ident, q in kb.questions.items():   # the answer; the question keeps the words people type
        yield q["file"], ident, {"answer": q["answer"]}
    if kb.labels.get("ui"):
        yield "kb/labels.yaml", "labels", kb.labels


def _found(text: str, variants, lang: str, own_term: str = ""):
    clean = prose(text)
    for variant, pattern, preferred, term_id in variants[lang]:
        if term_id != own_term and pattern.search(clean):
            yield variant, preferred, term_id


def _problem(file, owner, field, variant, preferred, term_id):
    return Problem(file, "terminology", f"'{variant}' is a variant the terminology table avoids",
                   fact=owner, field=field, actual=variant, expected=preferred,
                   hint=f"write '{preferred}' (kb/glossary/{term_id}.yaml lists the variants to avoid)")


@rule("terminology")
def terminology(kb):
    variants = table(kb)
    if not any(variants.values()):
        return
    for file, owner, doc in _documents(kb):
        own = owner if file.startswith("kb/glossary/") else ""
        for field, lang, text, where in _pairs(doc, "", owner):
            for variant, preferred, term_id in _found(text, variants, lang, own if field.startswith("definition") else ""):
                yield _problem(file, where, field, variant, preferred, term_id)
    docs = Path(kb.root).parent / "docs"
    for lang in LANGS:
        for page in sorted((docs / lang).glob("*.md")):
            if page.is_symlink() or not page.is_file():   # a FIFO would block; links are reported by kbtools.site
                continue
            for n, line in enumerate(_lines_outside_fences(page.read_text("utf-8")), 1):
                for variant, preferred, term_id in _found(line, variants, lang):
                    yield _problem(f"docs/{lang}/{page.name}", page.stem, f"line {n}", variant, preferred, term_id)


def _lines_outside_fences(text: str):
    """Each line of a page, with fenced code blocks blanked (keeps the line numbers)."""
    fenced = False
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            yield ""
        else:
            yield "" if fenced else line
