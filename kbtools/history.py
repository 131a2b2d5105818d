"""What changed and when: the changelog seen per fact, and the fingerprints that make it mandatory.

Changelog entries are numbered from 1 in file order (the file is append-only, so a number never
changes; the changelog page anchors them as `changelog.html#change-<n>`). An entry names a fact by
its id, one of its old ids (aliases) or its entity's id (which stands for all the entity's facts).

kb/fingerprints.txt records, per published fact, a hash of what the fact says (text, details,
current state, values, status, sources) and the number of the newest changelog entry naming it
when the hash was recorded. The rule `changelog-required` (kbtools/rules/history.py) compares:
a fact whose hash differs must be named by a newer entry, a fact without a line must be named by
its own id. `python -m kbtools fingerprints --update` (also run by `registry --update`) records the
current hashes, and refuses while a change has no entry.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import escape
from .model import KB

FINGERPRINTS_FILE = "fingerprints.txt"
HEADER = """\
# Fingerprints of the published facts: `<fact id> <hash of text, details, current, values, status,
# sources> <number of the newest kb/changelog.yaml entry naming the fact when recorded>`.
# Written by `python -m kbtools fingerprints --update` (kb/README.md, "Changelog"); do not edit by hand.
"""


def fingerprint(fact) -> str:
    d = fact.data
    said = {k: d.get(k) for k in ("text", "details", "current", "values", "status", "sources")}
    blob = json.dumps(said, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def read(kb_root: Path) -> dict[str, tuple[str, int]]:
    p = Path(kb_root) / FINGERPRINTS_FILE
    out: dict[str, tuple[str, int]] = {}
    if p.exists():
        for line in p.read_text("utf-8").splitlines():
            parts = line.split()
            if len(parts) == 3 and not line.startswith("#") and parts[2].isdigit():
                out[parts[0]] = (parts[1], int(parts[2]))
    return out


def _names(kb: KB) -> dict[str, set[str]]:
    """fact id -> every id an entry may use for it (its own, its old ids, its entity's and theirs)."""
    out = {}
    for ent in kb.entities.values():
        ent_ids = {ent.id, *ent.data.get("aliases", [])}
        for fact in ent.facts:
            out[fact.id] = {fact.id, *fact.data.get("aliases", []), *ent_ids}
    return out


def entries_by_fact(kb: KB) -> dict[str, list[int]]:
    """fact id -> numbers (1-based) of the changelog entries naming it, oldest first."""
    names = _names(kb)
    out: dict[str, list[int]] = {fid: [] for fid in names}
    for n, entry in enumerate(kb.changelog, 1):
        ids = set(entry["ids"])
        for fid, own in names.items():
            if own & ids:
                out[fid].append(n)
    return out


def own_entries(kb: KB) -> dict[str, list[int]]:
    """fact id -> numbers of the entries naming the fact itself (its id or an old id), not its entity."""
    out: dict[str, list[int]] = {}
    for fact in kb.facts.values():
        own = {fact.id, *fact.data.get("aliases", [])}
        out[fact.id] = [n for n, e in enumerate(kb.changelog, 1) if own & set(e["ids"])]
    return out


def unrecorded(kb: KB) -> dict[str, list[tuple[str, str]]]:
    """Facts changed or new without a changelog entry naming them: {"changed": [...], "new": [...]},
    each (fact id, recorded hash or "") — what the rule reports and --update refuses."""
    recorded, by_fact, own = read(kb.root), entries_by_fact(kb), own_entries(kb)
    out: dict[str, list[tuple[str, str]]] = {"changed": [], "new": [], "stale": []}
    for fid, fact in sorted(kb.facts.items()):
        now = fingerprint(fact)
        if fid not in recorded:
            out["new" if not own[fid] else "stale"].append((fid, ""))
        elif recorded[fid][0] != now:
            newest = max(by_fact[fid], default=0)
            out["changed" if newest <= recorded[fid][1] else "stale"].append((fid, recorded[fid][0]))
    return out


def update(kb: KB) -> list[str]:
    """Record every fact's fingerprint. Returns the ids recorded anew; raises ValueError listing the
    facts that changed or are new without a changelog entry (nothing is written then)."""
    todo = unrecorded(kb)
    missing = todo["changed"] + todo["new"]
    if missing:
        raise ValueError("no kb/changelog.yaml entry names these new or changed facts: "
                         + ", ".join(fid for fid, _ in missing)
                         + "\n  add an entry (date, kind, ids, reason) naming them, then run this again")
    recorded, by_fact = read(kb.root), entries_by_fact(kb)
    lines, changed = [], []
    for fid, fact in sorted(kb.facts.items()):
        rec = (fingerprint(fact), max(by_fact[fid], default=0))
        if recorded.get(fid) != rec:
            changed.append(fid)
        lines.append(f"{fid} {rec[0]} {rec[1]}")
    # Lines of facts no longer in kb/ (retired) are kept: their history stays readable.
    lines += [f"{fid} {h} {n}" for fid, (h, n) in sorted(recorded.items()) if fid not in kb.facts]
    (Path(kb.root) / FINGERPRINTS_FILE).write_text(HEADER + "\n".join(sorted(lines)) + "\n", "utf-8")
    return changed


def last_change(kb: KB, fact_id: str, by_fact: dict[str, list[int]] | None = None) -> tuple[str | None, list[int]]:
    """(date of the newest entry naming the fact, numbers of all entries naming it)."""
    nums = (by_fact or entries_by_fact(kb)).get(fact_id, [])
    return (kb.changelog[nums[-1] - 1]["date"] if nums else None), nums


_BY_FACT: dict = {"kb": None, "map": {}}     # one kb at a time: every page of a build shares it


def meta_html(kb: KB, fact, lang: str, topic: str) -> str:
    """The fact's line "last changed <date>" linking the newest changelog entry naming it, and the
    earlier ones by date (changelog page anchors), for the fact's meta line. Empty when none names it."""
    from .urls import relative
    if _BY_FACT["kb"] is not kb:
        _BY_FACT.update(kb=kb, map=entries_by_fact(kb))
    nums = _BY_FACT["map"].get(fact.id, [])
    if not nums:
        return ""

    def link(n: int) -> str:
        date = escape.text(kb.changelog[n - 1]["date"])
        return f'<a href="{relative("changelog", f"change-{n}", topic)}"><time datetime="{date}">{date}</time></a>'
    # Excluded from search: the same words on every fact would only add noise to the results.
    out = f'<span class="kb-fact-changed" data-search-exclude>{escape.text(kb.ui("fact.last-changed", lang))} {link(nums[-1])}'
    if len(nums) > 1:
        earlier = ", ".join(link(n) for n in reversed(nums[:-1]))
        out += f' ({escape.text(kb.ui("fact.history", lang))}: {earlier})'
    return out + "</span>"
