"""Rules about dates: real, not in the future, ordered, and predictions that came due."""
from __future__ import annotations

import datetime as dt
import re

from ..problems import Problem
from . import rule

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
STALE_DAYS = 365


def _parse(s: str):
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        return None


def _today() -> dt.date:
    return dt.datetime.now(dt.timezone.utc).date()


def _fact_dates(fact):
    d = fact.data
    yield f"{fact.field}.verified", d["verified"], True
    if "due" in d:
        yield f"{fact.field}.due", d["due"], False
    if "current" in d:
        yield f"{fact.field}.current.as_of", d["current"]["as_of"], True
    for k, v in fact.values.items():
        if isinstance(v, str) and DATE.match(v):
            yield f"{fact.field}.values.{k}", v, False


def _all_dates(kb):
    for fact in kb.facts.values():
        for field, value, past in _fact_dates(fact):
            yield fact.file, fact.id, field, value, past
    for src in kb.sources.values():
        yield src["file"], src["id"], "accessed", src["accessed"], True
        if "published" in src:
            yield src["file"], src["id"], "published", src["published"], True


@rule("dates-valid")
def dates_valid(kb):
    for file, owner, field, value, _ in _all_dates(kb):
        if _parse(value) is None:
            yield Problem(file, "dates-valid", "not a calendar date", fact=owner, field=field, actual=value,
                          expected="a real date YYYY-MM-DD", hint="check month (01-12) and day")


@rule("dates-not-future")
def dates_not_future(kb):
    today = _today()
    for file, owner, field, value, past in _all_dates(kb):
        date = _parse(value)
        if past and date and date > today:
            yield Problem(file, "dates-not-future", "a verification or access date lies in the future", fact=owner,
                          field=field, actual=value, expected=f"on or before {today.isoformat()}",
                          hint="use the date you actually checked the source")


ORDER = ("release_date", "mainstream_end", "extended_end")


@rule("date-order")
def date_order(kb):
    for ent in kb.entities.values():
        values = {k: (f, v) for f in ent.facts for k, v in f.values.items()}
        prefixes = {k[: -len(s)] for k in values for s in ORDER if k.endswith(s)}
        for prefix in sorted(prefixes):
            chain = [(prefix + s, values.get(prefix + s)) for s in ORDER]
            chain = [(k, fv[0], _parse(fv[1])) for k, fv in chain if fv and isinstance(fv[1], str) and _parse(fv[1])]
            for (k1, f1, d1), (k2, f2, d2) in zip(chain, chain[1:]):
                if d1 > d2:
                    yield Problem(ent.file, "date-order", f"{k1} is after {k2}", fact=f2.id,
                                  field=f"{f2.field}.values.{k2}", actual=f"{k1}={d1} > {k2}={d2}",
                                  expected="release_date ≤ mainstream_end ≤ extended_end",
                                  hint="check both dates against the lifecycle source")


@rule("due-passed")
def due_passed(kb):
    as_of = _parse(kb.as_of)
    for fact in kb.facts.values():
        due = _parse(fact.data.get("due", ""))
        if due and as_of and due < as_of and fact.status == "current":
            yield Problem(fact.file, "due-passed", "a prediction's due date has passed but the fact is still current",
                          fact=fact.id, field=f"{fact.field}.due", actual=f"due {due}, kb as of {as_of}",
                          expected="status outdated/incorrect with a current: block, or a later due date",
                          hint="check whether the prediction came true and record what happened")


@rule("stale-verification")
def stale_verification(kb):
    as_of = _parse(kb.as_of)
    for fact in kb.facts.values():
        verified = _parse(fact.data["verified"])
        if verified and as_of and (as_of - verified).days > STALE_DAYS:
            yield Problem(fact.file, "stale-verification", f"not verified in the last {STALE_DAYS} days",
                          fact=fact.id, field=f"{fact.field}.verified", actual=str(verified),
                          expected=f"after {as_of - dt.timedelta(days=STALE_DAYS)}",
                          hint="re-check the sources and update verified", severity="warning")
