"""Rules about ids and references between files."""
from __future__ import annotations

import re
from pathlib import PurePosixPath

from ..problems import Problem
from . import rule


def _everything(kb):
    yield from ((e.id, e.file, "") for e in kb.entities.values())
    yield from ((s["id"], s["file"], "") for s in kb.sources.values())
    yield from ((t["id"], t["file"], "") for t in kb.terms.values())
    yield from ((t["id"], t["file"], "") for t in kb.tables.values())
    yield from ((q["id"], q["file"], "") for q in kb.questions.values())


@rule("id-matches-filename")
def id_matches_filename(kb):
    for ident, file, _ in _everything(kb):
        stem = PurePosixPath(file).stem
        if stem != ident:
            yield Problem(file, "id-matches-filename", "the id differs from the file name", fact=ident,
                          field="id", actual=ident, expected=stem,
                          hint="rename the file to <id>.yaml; to change a published id keep the old one in aliases")


@rule("source-exists")
def source_exists(kb):
    def check(file, owner, field, ids):
        for i, sid in enumerate(ids):
            if sid not in kb.sources and sid not in kb.broken:
                yield Problem(file, "source-exists", f"source '{sid}' is not in kb/sources/", fact=owner,
                              field=f"{field}[{i}]", actual=sid, expected="an id of kb/sources/*.yaml",
                              hint=_near(sid, kb.sources))
    for fact in kb.facts.values():
        yield from check(fact.file, fact.id, f"{fact.field}.sources", fact.sources)
        cur = fact.data.get("current")
        if cur:
            yield from check(fact.file, fact.id, f"{fact.field}.current.sources", cur["sources"])
    for term in kb.terms.values():
        yield from check(term["file"], term["id"], "sources", term["sources"])


@rule("no-orphan-sources")
def no_orphan_sources(kb):
    used = {s for f in kb.facts.values() for s in f.all_sources()}
    used |= {s for t in kb.terms.values() for s in t["sources"]}
    used |= {s for q in kb.questions.values() for s in q["asked_in"]}
    for sid, src in kb.sources.items():
        if sid not in used:
            yield Problem(src["file"], "no-orphan-sources", "source is cited by no fact or term", fact=sid,
                          hint="cite it from the fact it supports, or delete the file")


@rule("term-exists")
def term_exists(kb):
    for term in kb.terms.values():
        for i, ref in enumerate(term.get("see_also", [])):
            if ref not in kb.terms and ref not in kb.broken:
                yield Problem(term["file"], "term-exists", f"glossary term '{ref}' does not exist", fact=term["id"],
                              field=f"see_also[{i}]", actual=ref, expected="an id of kb/glossary/*.yaml",
                              hint=_near(ref, kb.terms))
    for ent in kb.entities.values():
        for i, ref in enumerate(ent.data.get("terms", [])):
            if ref not in kb.terms and ref not in kb.broken:
                yield Problem(ent.file, "term-exists", f"glossary term '{ref}' does not exist", fact=ent.id,
                              field=f"terms[{i}]", actual=ref, expected="an id of kb/glossary/*.yaml",
                              hint=_near(ref, kb.terms))


@rule("table-cells")
def table_cells(kb):
    for table in kb.tables.values():
        for row in table.get("row_labels", {}):
            if row not in table["rows"]:
                yield Problem(table["file"], "table-cells", f"row label for '{row}', which is not a row",
                              fact=table["id"], field=f"row_labels.{row}", actual=row,
                              expected=" | ".join(table["rows"]), hint="label only rows listed under rows:")
        for i, row in enumerate(table["rows"]):
            ent = kb.entities.get(row)
            if ent is None:
                if row not in kb.broken:
                    yield Problem(table["file"], "table-cells", f"row entity '{row}' does not exist",
                                  fact=table["id"], field=f"rows[{i}]", actual=row,
                                  expected="an entity id", hint=_near(row, kb.entities))
                continue
            for col in table["columns"]:
                fact, value = ent.value(col["key"])
                if fact is None and not col.get("optional"):
                    yield Problem(table["file"], "table-cells", f"no fact of '{row}' carries value '{col['key']}'",
                                  fact=table["id"], field=f"columns.{col['key']}", actual="absent",
                                  expected=f"values.{col['key']} in one fact of {ent.file}",
                                  hint="add the sourced value to a fact, or mark the column optional: true")
                if isinstance(value, str) and col.get("values") and value not in col["values"]:
                    yield Problem(table["file"], "table-cells", f"value '{value}' has no display name",
                                  fact=table["id"], field=f"columns.{col['key']}.values", actual=value,
                                  expected=" | ".join(col["values"]), hint="add it under the column's values:")


@rule("value-key-once-per-entity")
def value_key_once(kb):
    for ent in kb.entities.values():
        seen = {}
        for fact in ent.facts:
            for key in fact.values:
                if key in seen:
                    yield Problem(ent.file, "value-key-once-per-entity",
                                  f"value '{key}' is also carried by fact '{seen[key]}'", fact=fact.id,
                                  field=f"{fact.field}.values.{key}", actual=key, expected="each key once per entity",
                                  hint="tables read a value from exactly one fact; rename one key or merge the facts")
                seen[key] = fact.id


@rule("aliases-free")
def aliases_free(kb):
    ids = set(kb.files) | set(kb.facts)
    seen = {}
    for ent in kb.entities.values():
        owners = [(ent.id, "aliases", ent.data.get("aliases", []))]
        owners += [(f.id, f"{f.field}.aliases", f.data.get("aliases", [])) for f in ent.facts]
        owners += [(r["id"], "retired", [r["id"]]) for r in ent.data.get("retired", [])]
        for owner, field, aliases in owners:
            for old in aliases:
                if (old in ids and field != "retired") or old in seen:
                    yield Problem(ent.file, "aliases-free", f"old id '{old}' is also used elsewhere", fact=owner,
                                  field=field, actual=old, expected="an id no current entity, fact or alias uses",
                                  hint="an old id must lead to exactly one place")
                seen[old] = owner


LOCALE = re.compile(r"/(?:[a-z]{2}-[a-z]{2}|[a-z]{2}-[a-z]{4}-[a-z]{2})(?:/|$)", re.I)


@rule("url-form")
def url_form(kb):
    for src in kb.sources.values():
        url = src.get("url")
        if url and (not url.startswith("https://") or LOCALE.search(url)):
            yield Problem(src["file"], "url-form", "URL must be https and carry no locale segment", fact=src["id"],
                          field="url", actual=url, expected="https://… without /en-us/ or /ko-kr/",
                          hint="drop the locale so each reader lands on their own language")


def _near(value: str, known) -> str:
    import difflib
    close = difflib.get_close_matches(value, list(known), n=3, cutoff=0.6)
    return f"did you mean: {', '.join(close)}?" if close else "check the id"
