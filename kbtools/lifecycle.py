"""Support status of every base image tag, computed against the kb's own date (KB.as_of).

Never the wall clock: the same kb gives the same page on any day, and a test can pass any as_of.

A status holds from one date to the next:
  preview   before release_date
  mainstream  from release_date to mainstream_end (inclusive)
  extended  after mainstream_end to extended_end (inclusive)
  ended     after the last end date
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import KB

STATUSES = ("preview", "mainstream", "extended", "ended")
DATE_KEYS = ("release_date", "mainstream_end", "extended_end")


@dataclass(frozen=True)
class Status:
    status: str                  # one of STATUSES
    changes_on: str | None       # the first day of the next status, None if it never changes
    next_status: str | None
    until: str | None            # the last day of the current status (the published end date)


def _d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def status(dates: dict, as_of: str) -> Status:
    """The support status on `as_of` for {release_date?, mainstream_end?, extended_end?}."""
    day = _d(as_of)
    release, mainstream, extended = (dates.get(k) for k in DATE_KEYS)
    if release and day < _d(release):
        after = "mainstream" if mainstream else ("extended" if extended else None)
        return Status("preview", release, after, (_d(release) - dt.timedelta(days=1)).isoformat())
    if mainstream and day <= _d(mainstream):
        nxt = "extended" if extended and extended > mainstream else "ended"
        return Status("mainstream", (_d(mainstream) + dt.timedelta(days=1)).isoformat(), nxt, mainstream)
    if extended and day <= _d(extended):
        return Status("extended", (_d(extended) + dt.timedelta(days=1)).isoformat(), "ended", extended)
    if not (mainstream or extended):
        return Status("mainstream", None, None, None)   # no end announced
    return Status("ended", None, None, None)


@dataclass(frozen=True)
class TagRow:
    image: str                   # base-image entity id
    repository: str              # e.g. mcr.microsoft.com/windows/servercore
    tag: str                     # e.g. ltsc2022
    tag_fact: str                # the fact saying the tag exists
    release: str                 # os-release entity id
    dates: dict                  # date key -> (value, fact id)
    status: Status


def _dates_for(image_ent, tag: str, release_ent) -> dict:
    """Dates of one tag: the image's own `<tag>_<key>` values win over the release's `<key>`."""
    out = {}
    for key in DATE_KEYS:
        fact, value = image_ent.value(f"{tag}_{key}")
        if fact is None:
            fact, value = release_ent.value(key)
        if fact is not None and isinstance(value, str):
            out[key] = (value, fact.id)
    return out


def tag_rows(kb: KB, as_of: str | None = None) -> list[TagRow]:
    """Every base image tag the kb knows, with its status on `as_of` (default: the kb's as_of).

    A base-image entity names its repository in `registry_path` (mcr.microsoft.com/windows/servercore);
    the last path segment (`servercore`) is the prefix under which an os-release lists the image's
    tag for that release: `servercore_tag: ltsc2022` (`none` when there is no such image). A tag
    follows its release's `release_date`, `mainstream_end` and `extended_end` unless the image
    carries its own `<tag>_<key>`; `<prefix>_supported: false` on the release marks a tag whose
    support has ended outside those dates (a Semi-Annual Channel image).
    """
    as_of = as_of or kb.as_of
    releases = [e for e in kb.entities.values() if e.kind == "os-release"
                and any(k.endswith("_tag") for f in e.facts for k in f.values)]
    releases.sort(key=lambda e: -(e.value("build")[1] or 0))
    rows = []
    for image in sorted((e for e in kb.entities.values() if e.kind == "base-image"), key=lambda e: e.id):
        _, repo = image.value("registry_path")
        if not isinstance(repo, str):
            continue
        prefix = repo.rstrip("/").rsplit("/", 1)[-1]
        for rel in releases:
            fact, tag = rel.value(f"{prefix}_tag")
            if fact is None or not isinstance(tag, str) or tag == "none":
                continue
            _, supported = rel.value(f"{prefix}_supported")
            if supported is False:
                dates, st = {}, Status("ended", None, None, None)
            else:
                dates = _dates_for(image, tag, rel)
                st = status({k: v for k, (v, _) in dates.items()}, as_of)
            rows.append(TagRow(image=image.id, repository=repo, tag=tag, tag_fact=fact.id, release=rel.id,
                               dates=dates, status=st))
    return rows
