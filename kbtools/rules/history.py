"""Rules about the decision guide (kb/guide/) and the history (kb/changelog.yaml): every id resolves."""
from __future__ import annotations

from pathlib import PurePosixPath

from ..problems import Problem
from . import rule
from .references import _near


@rule("guide-references")
def guide_references(kb):
    aliases = kb.aliases()
    for guide in kb.guides.values():
        stem = PurePosixPath(guide["file"]).stem
        if stem != guide["id"]:
            yield Problem(guide["file"], "guide-references", "the id differs from the file name", fact=guide["id"],
                          field="id", actual=guide["id"], expected=stem, hint="rename the file to <id>.yaml")
        for i, rec in enumerate(guide["recommendations"]):
            for j, ref in enumerate(rec["facts"]):
                if ref in kb.facts or ref in kb.broken:
                    continue
                if ref in aliases:
                    hint = f"'{ref}' is an old id: write the current id '{aliases[ref]}'"
                else:
                    hint = _near(ref, kb.facts)
                yield Problem(guide["file"], "guide-references", f"fact '{ref}' does not exist", fact=guide["id"],
                              field=f"recommendations[{i}].facts[{j}]", actual=ref, expected="a fact id of kb/",
                              hint=hint)


def _known_ids(kb) -> set[str]:
    return set(kb.facts) | set(kb.entities) | set(kb.aliases()) | set(kb.retired()) | set(kb.broken)


@rule("changelog-references")
def changelog_references(kb):
    known, retired, aliases = _known_ids(kb), kb.retired(), kb.aliases()
    for i, entry in enumerate(kb.changelog):
        for j, ref in enumerate(entry["ids"]):
            field = f"entries[{i}].ids[{j}]"
            if ref not in known:
                yield Problem("kb/changelog.yaml", "changelog-references", f"id '{ref}' is no fact, entity, alias or retired id",
                              fact=ref, field=field, actual=ref, expected="an id of kb/ (current, old or retired)",
                              hint=_near(ref, set(kb.facts) | set(kb.entities)))
            elif entry["kind"] == "retired" and ref not in retired:
                yield Problem("kb/changelog.yaml", "changelog-references", f"'{ref}' is recorded as retired but is not",
                              fact=ref, field=field, actual=ref, expected="an id listed under retired: of its entity",
                              hint="move the fact's id to retired: with a reason, or change the entry's kind")
            elif entry["kind"] == "renamed" and ref not in aliases:
                yield Problem("kb/changelog.yaml", "changelog-references", f"'{ref}' is recorded as renamed but is no alias",
                              fact=ref, field=field, actual=ref, expected="the old id, listed under aliases: of the renamed thing",
                              hint="list the old id here; readers follow it to the new one")


@rule("changelog-order")
def changelog_order(kb):
    prev = ""
    for i, entry in enumerate(kb.changelog):
        if entry["date"] < prev:
            yield Problem("kb/changelog.yaml", "changelog-order", "entries are not in date order", fact=entry["ids"][0],
                          field=f"entries[{i}].date", actual=f"{entry['date']} after {prev}",
                          expected=f"on or after {prev}", hint="append new entries at the end, oldest first")
        prev = max(prev, entry["date"])


@rule("changelog-required")
def changelog_required(kb):
    """A fact that is new, or says something else than its recorded fingerprint, needs a changelog entry."""
    from .. import history
    todo = history.unrecorded(kb)
    for fid, old in todo["new"]:
        f = kb.facts[fid]
        yield Problem(f.file, "changelog-required", "new fact without a changelog entry naming it", fact=fid,
                      field=f.field, actual="no entry of kb/changelog.yaml names this id",
                      expected=f"an entry (kind: added) listing '{fid}' under ids",
                      hint="append the entry, then run `python -m kbtools fingerprints --update`")
    for fid, old in todo["changed"]:
        f = kb.facts[fid]
        yield Problem(f.file, "changelog-required", "fact changed without a changelog entry naming it", fact=fid,
                      field=f.field, actual=f"text, values, status or sources differ from fingerprint {old}",
                      expected=f"a new entry of kb/changelog.yaml listing '{fid}' (or its entity) under ids",
                      hint="append an entry saying what changed and why (kind: corrected, edited, status-changed…), "
                           "then run `python -m kbtools fingerprints --update`")


@rule("fingerprints-current")
def fingerprints_current(kb):
    """A recorded change (its changelog entry exists) whose fingerprint was not refreshed: a later change
    of the same fact would otherwise pass unnoticed. A warning, since nothing is unrecorded yet."""
    from .. import history
    for fid, old in history.unrecorded(kb)["stale"]:
        f = kb.facts[fid]
        yield Problem(f.file, "fingerprints-current", "changelog entry found, fingerprint not recorded yet", fact=fid,
                      field=f.field, actual=old or "no fingerprint", expected="the fact's current fingerprint",
                      hint="run `python -m kbtools fingerprints --update` and commit kb/fingerprints.txt",
                      severity="warning")
