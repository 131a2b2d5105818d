"""Rules about dates a fact holds that lie ahead of its verification: a scheduled end of life, a
planned release, "becomes the default from". Such a fact goes stale by itself on that date, so it
must say when to look again (`due:`), and due-passed then fails the build once the day has passed.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re

from ..problems import Problem
from . import rule

# A value is a date at day or month precision ("2026-09-16", "2026-09"); a month counts as its last day,
# since the event may fall on any day of it.
PARTIAL_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
# Words that present a date as still to come. Only the sentence that shows the value is read.
FUTURE_WORDS = re.compile(r"\b(scheduled|planned|expected|will|upcoming|is set to|are set to)\b", re.I)
SENTENCE = re.compile(r"[^.;]*[.;]?")


def _latest_day(value) -> dt.date | None:
    if not isinstance(value, str):
        return None
    m = PARTIAL_DATE.match(value)
    if not m:
        return None
    year, month = int(m[1]), int(m[2])
    try:
        if m[3]:
            return dt.date(year, month, int(m[3]))
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:   # not a calendar date: dates-valid reports it
        return None


def _verified(fact) -> dt.date | None:
    try:
        return dt.date.fromisoformat(fact.data["verified"])
    except ValueError:
        return None


def _future_values(fact):
    verified = _verified(fact)
    if verified is None:
        return []
    dated = ((k, _latest_day(v)) for k, v in fact.values.items())
    return sorted((day, k) for k, day in dated if day and day > verified)


@rule("future-needs-due")
def future_needs_due(kb):
    for fact in kb.facts.values():
        future = _future_values(fact)
        if not future:
            continue
        earliest, key = future[0]
        due = fact.data.get("due")
        try:
            due_day = dt.date.fromisoformat(due) if due else None
        except ValueError:
            continue   # dates-valid reports it
        if due_day is None or due_day > earliest:
            yield Problem(fact.file, "future-needs-due",
                          f"values.{key} ({fact.values[key]}) lies after the fact was verified, but no due date "
                          "makes sure the fact is re-checked when it arrives",
                          fact=fact.id, field=f"{fact.field}.due",
                          actual=f"due {due}" if due else "no due",
                          expected=f"due: {earliest.isoformat()} or earlier",
                          hint="add due: with the earliest future date of values; once it has passed, due-passed "
                               "fails the build until the fact says what happened")


@rule("future-wording-past-date")
def future_wording_past_date(kb):
    """A current fact that still calls a date ahead when it had already passed at verification."""
    for fact in kb.facts.values():
        verified = _verified(fact)
        if verified is None or fact.status != "current":
            continue   # outdated/disputed facts keep the article's words on purpose
        for key, value in fact.values.items():
            day = _latest_day(value)
            if day is None or day > verified:
                continue
            for part in ("text", "details"):
                en = (fact.data.get(part) or {}).get("en", "")
                for sentence in SENTENCE.findall(en):
                    if "{" + key + "}" in sentence and FUTURE_WORDS.search(sentence):
                        yield Problem(fact.file, "future-wording-past-date",
                                      f"the text presents values.{key} ({value}) as still to come, but it had passed "
                                      "when the fact was verified",
                                      fact=fact.id, field=f"{fact.field}.{part}.en",
                                      actual=sentence.strip(), expected=f"what happened by {verified.isoformat()}",
                                      hint="check the source and say what happened on that date (ko and en)")
