"""The site shows the last committed watch report on the review page, and a drifted fact carries an
"upstream changed on …" note until it is re-verified after the report's date."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from kbtools.load import check
from kbtools.render import Page
from kbtools.render.blocks import fact_block
from kbtools.render.derived import review_lists


def report(checked, rows):
    counts = {s: sum(r["status"] == s for r in rows) for s in ("unchanged", "drifted", "unreachable", "format-changed")}
    return {"version": 1, "checked": checked, "seconds": 1.0, "counts": counts, "results": rows}


def row(fact, value, kb, upstream, status="drifted", url="https://api.github.com/repos/containerd/containerd/releases?per_page=100"):
    return {"fact": fact, "value": value, "check": "latest", "kind": "github-releases", "source": "containerd-github-releases",
            "url": url, "kb": kb, "status": status, "upstream": upstream, "detail": ""}


@pytest.fixture(scope="module")
def private_kb():
    return check(ROOT / "kb")      # not the shared session kb: the tests attach a report to it


@pytest.fixture
def kb(private_kb):
    kb = private_kb
    verified = kb.facts["containerd-latest-release"].data["verified"]
    kb._watch_report = report("2026-11-30", [
        row("containerd-latest-release", "latest_minor", "2.4", "2.5<script>"),
        row("kubernetes-latest-release", "latest_minor", "1.37", "1.37", status="unchanged"),
        row("windows-10-end-of-support", "end_of_support", "2025-10-14", "", status="unreachable")])
    yield kb
    kb.facts["containerd-latest-release"].data["verified"] = verified


def html(markdown: str) -> BeautifulSoup:
    return BeautifulSoup(markdown, "html.parser")


@pytest.mark.parametrize("lang, words", [("en", "Upstream changed on 2026-11-30:"), ("ko", "2026-11-30에 업스트림(upstream) 값이 바뀌었습니다:")])
def test_a_drifted_fact_carries_a_localized_note(kb, lang, words):
    page = Page(kb=kb, lang=lang, topic="runtimes")
    note = html(fact_block(page, kb.facts["containerd-latest-release"])).select_one(".kb-upstream-changed")
    assert note is not None and words in note.get_text()
    assert "2.4" in note.get_text() and "2.5<script>" in note.get_text() and not note.select("script")
    # unchanged and unreachable values are no news for a reader
    for fid in ("kubernetes-latest-release", "windows-10-end-of-support"):
        assert "kb-upstream-changed" not in fact_block(page, kb.facts[fid])


def test_the_note_goes_once_the_fact_is_reverified_after_the_report(kb):
    kb.facts["containerd-latest-release"].data["verified"] = "2026-12-01"
    page = Page(kb=kb, lang="en", topic="runtimes")
    assert "kb-upstream-changed" not in fact_block(page, kb.facts["containerd-latest-release"])
    assert "No watched value has changed upstream." in review_lists(page, [], {})


def test_review_page_lists_the_report_with_both_values_and_links(kb):
    page = Page(kb=kb, lang="en", topic="review")
    out = review_lists(page, [], {})
    assert "{ #review-watch }" in out
    doc = html(out)
    assert "Last watch run on 2026-11-30: 1 drifted, 1 could not be checked, 1 unchanged." in doc.get_text()
    items = doc.select('ul[data-review="watch"] li')
    assert len(items) == 1
    text = items[0].get_text()
    assert "kb 2.4 → upstream 2.5<script>" in text and "#containerd-latest-release" in text
    assert items[0].select_one('a[href="https://api.github.com/repos/containerd/containerd/releases?per_page=100"]')


def test_without_a_report_the_review_page_says_so(kb):
    kb._watch_report = None
    out = review_lists(Page(kb=kb, lang="ko", topic="review"), [], {})
    assert "커밋된 감시 보고서가 아직 없습니다." in out
