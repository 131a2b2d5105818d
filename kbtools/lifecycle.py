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
    release: str | None          # os-release entity id
    dates: dict                  # date key -> (value, fact id)
    status: Status


def _dates_for(kb: KB, image_ent, tag: str, release_ent) -> dict:
    """Dates of one tag: the image's own `<tag>_<key>` values win over the release's `<key>`."""
    out = {}
    for key in DATE_KEYS:
        fact, value = image_ent.value(f"{tag}_{key}")
        if fact is None and release_ent is not None:
            fact, value = release_ent.value(key)
        if fact is not None and isinstance(value, str):
            out[key] = (value, fact.id)
    return out


def tag_rows(kb: KB, as_of: str | None = None) -> list[TagRow]:
    """Every base image tag the kb knows, with its status on `as_of` (default: the kb's as_of).

    A base-image entity names its repository in `repository` and has a tag when some os-release
    lists it: the release's `image_tag` (e.g. ltsc2022) and `<image id>_tag: true|false`
    (`server_core_tag`, ...; absent means the image has that tag unless the image says
    `<tag>_available: false`).
    """
    as_of = as_of or kb.as_of
    releases = [e for e in kb.entities.values() if e.kind == "os-release" and isinstance(e.value("image_tag")[1], str)]
    releases.sort(key=lambda e: -(e.value("build")[1] or 0))
    rows = []
    for image in sorted((e for e in kb.entities.values() if e.kind == "base-image"), key=lambda e: e.id):
        _, repo = image.value("repository")
        if not isinstance(repo, str):
            continue
        for rel in releases:
            tag = rel.value("image_tag")[1]
            _, available = image.value(f"{tag}_available")
            if available is False:
                continue
            dates = _dates_for(kb, image, tag, rel)
            rows.append(TagRow(image=image.id, repository=repo, tag=tag, release=rel.id, dates=dates,
                               status=status({k: v for k, (v, _) in dates.items()}, as_of)))
    return rows
