"""What needs a reviewer's attention, computed from the kb's own date (KB.as_of), never the clock.

- overdue: predictions whose `due` date has passed while the fact is still current (rule
  due-passed; the build fails on these, so a published page normally shows none);
- stale: facts not verified within the last 12 months (rule stale-verification, a warning);
- upcoming: predictions still open (`due` on or after as_of), the next ones to check;
- upstream: the last committed watch report (kb/watch-report.json, written by `make watch`) and
  the facts whose upstream value drifted and that nobody re-verified since (verified ≤ report date).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from .model import KB
from .rules.dates import due_passed, stale_verification


@dataclass(frozen=True)
class Item:
    fact: str
    date: str          # the due date, or the last verification
    detail: str        # the rule's finding, for contributors


def overdue(kb: KB) -> list[Item]:
    return sorted((Item(p.fact, kb.facts[p.fact].data["due"], p.actual) for p in due_passed(kb)),
                  key=lambda i: (i.date, i.fact))


def stale(kb: KB) -> list[Item]:
    return sorted((Item(p.fact, kb.facts[p.fact].data["verified"], p.actual) for p in stale_verification(kb)),
                  key=lambda i: (i.date, i.fact))


def upcoming(kb: KB) -> list[Item]:
    as_of = kb.as_of
    return sorted((Item(f.id, f.data["due"], f.status) for f in kb.facts.values()
                   if f.data.get("due") and f.data["due"] >= as_of and f.status == "current"),
                  key=lambda i: (i.date, i.fact))


def needs_review(kb: KB) -> dict[str, list[Item]]:
    return {"overdue": overdue(kb), "stale": stale(kb), "upcoming": upcoming(kb)}


WATCH_REPORT = "watch-report.json"


def last_watch(kb: KB) -> dict | None:
    """The committed watch report, or None. Read once per loaded kb; rule watch-report has checked its shape."""
    if not hasattr(kb, "_watch_report"):
        path = kb.root / WATCH_REPORT
        try:
            kb._watch_report = json.loads(path.read_text("utf-8"))   # type: ignore[attr-defined]
        except (OSError, ValueError):
            kb._watch_report = None                                   # type: ignore[attr-defined]
    return kb._watch_report   # type: ignore[attr-defined]


def upstream_changes(kb: KB) -> dict[str, list[dict]]:
    """fact id -> its drifted values in the last report, for facts not re-verified after it."""
    report = last_watch(kb)
    out: dict[str, list[dict]] = {}
    if not report:
        return out
    for row in report["results"]:
        fact = kb.facts.get(row["fact"])
        if row["status"] == "drifted" and fact is not None and fact.data["verified"] <= report["checked"]:
            out.setdefault(fact.id, []).append(row)
    return out
