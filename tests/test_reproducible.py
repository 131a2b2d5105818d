"""Two clean builds of the same commit are byte-identical, and their dates come from the kb.

The session build (conftest `site`) and a second clean build into another folder are compared file
by file. The hook sets SOURCE_DATE_EPOCH from the kb's as_of (the latest `verified`), so the
sitemap's lastmod and the gzip header carry that date, not the day of the build.
"""
from __future__ import annotations

import calendar
import datetime
import gzip
import hashlib
import re
import struct
from pathlib import Path

from conftest import build_site


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_clean_builds_are_identical(site, tmp_path):
    again = tmp_path / "site"
    result = build_site(again)
    assert result.returncode == 0, result.stdout + result.stderr
    first, second = _digest(site), _digest(again)
    assert sorted(first) == sorted(second), "the two builds wrote different files"
    differ = sorted(name for name in first if first[name] != second[name])
    assert not differ, f"files differ between two builds of one commit: {differ}"


def _epoch(date: str) -> int:
    return calendar.timegm(datetime.date.fromisoformat(date).timetuple())


def test_dates_come_from_the_kb_not_the_clock(site, kb):
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    lastmods = set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap))
    assert lastmods == {kb.as_of}, f"sitemap lastmod {lastmods}, kb as of {kb.as_of}"
    raw = (site / "sitemap.xml.gz").read_bytes()
    mtime = struct.unpack("<I", raw[4:8])[0]     # RFC 1952: MTIME, bytes 4-7
    assert mtime == _epoch(kb.as_of)
    assert gzip.decompress(raw).decode("utf-8") == sitemap
