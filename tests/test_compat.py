"""Executable knowledge: the compatibility matrix, lifecycle statuses, freshness, guide and changelog.

Fast unit tests over the real kb (no site build). The matrix is computed from the rule facts and
must equal the table Microsoft publishes, which the kb stores as facts too.
"""
from __future__ import annotations

import copy

import pytest

from kbtools import compat, lifecycle, review
from kbtools.rules.dates import due_passed, stale_verification
from kbtools.rules.history import changelog_references, guide_references

GUIDE_CASES = {"developer-desktop", "kubernetes-node", "ci-build-agent", "dotnet-framework-lift-and-shift",
               "gpu-workloads"}


def _set_values(kb, fact_id, **values):
    kb.facts[fact_id].data.setdefault("values", {}).update(values)


# --- compatibility -------------------------------------------------------------------------------

def test_matrix_equals_the_published_table(kb):
    rows = compat.published(kb)
    assert len(rows) >= 40, "the published table should hold a row per host × image × mode"
    assert compat.differences(kb) == []


def test_matrix_covers_every_published_host_and_image(kb):
    hosts = [h.key for h in compat.hosts(kb)]
    images = [i.key for i in compat.images(kb)]
    assert {"ws2016", "ws2019", "ws2022", "ws2025", "win10", "win11"} <= set(hosts)
    assert {"ws2016", "ws2019", "ws2022", "ws2025"} <= set(images)
    assert len(compat.matrix(kb)) == len(hosts) * len(images)
    published_pairs = {(h, i) for h, _, i in compat.published(kb, verified_only=False)}
    assert published_pairs <= {(c.host, c.image) for c in compat.matrix(kb)}


def test_matrix_is_computed_from_the_rules_not_copied(kb):
    broken = copy.deepcopy(kb)
    exc_fact = compat.rules(broken).exceptions["win11"][1]
    _set_values(broken, exc_fact, win11_process_image_build=99999)   # drop the Windows 11 exception
    assert any("win11 × ws2022 (process)" in d for d in compat.differences(broken))
    broken = copy.deepcopy(kb)
    _set_values(broken, compat.rules(broken).hyperv, image_host_build_rule="same-build")  # lose the Hyper-V rule
    with pytest.raises(compat.CompatDataMissing):
        compat.matrix(broken)


def test_every_answer_gives_a_reason_and_rests_on_existing_facts(kb):
    for cell in compat.matrix(kb):
        for mode in compat.MODES:
            assert cell.reasons[mode], (cell.host, cell.image, mode)
            assert cell.facts[mode] and all(f in kb.facts for f in cell.facts[mode]), (cell.host, cell.image)
        assert all(fid in kb.facts for _, fid in cell.notes)


def test_known_answers(kb):
    by = {(c.host, c.image): c for c in compat.matrix(kb)}
    assert by[("ws2022", "ws2022")].runs == {"process": True, "hyperv": True}
    assert by[("ws2025", "ws2019")].runs == {"process": False, "hyperv": True}
    assert by[("ws2019", "ws2022")].runs == {"process": False, "hyperv": False}
    assert by[("win11", "ws2022")].reasons["process"] == "exception"
    assert by[("win11", "ws2025")].runs == {"process": None, "hyperv": None}   # depends on the Windows 11 version
    assert ("revision-must-match", "process-isolation-revision-rule") in by[("ws2016", "ws2016")].notes


def test_ws2025_host_runs_the_previous_ltsc_by_exception(kb):
    cell = {(c.host, c.image): c for c in compat.matrix(kb)}[("ws2025", "ws2022")]
    assert cell.runs == {"process": True, "hyperv": True}
    assert cell.reasons["process"] == "exception"
    assert cell.facts["process"][0] == "process-isolation-ws2025-ws2022-exception"


def test_unverified_published_row_is_shown_not_trusted(kb):
    doubtful = copy.deepcopy(kb)
    _set_values(doubtful, "process-isolation-ws2025-ws2022-exception", ws2025_process_image_build=99999)
    doubtful.facts["version-compatibility-ws2025-host-ws2022-process"].data["status"] = "unverified"
    cell = {(c.host, c.image): c for c in compat.matrix(doubtful)}[("ws2025", "ws2022")]
    assert cell.runs["process"] is False
    assert cell.notes == [("unverified-process", "version-compatibility-ws2025-host-ws2022-process")]
    assert compat.differences(doubtful) == []      # an unverified row is shown, never held against the rules


def test_every_answer_that_depends_on_the_version_points_to_the_answer_per_version(kb):
    depends = [c for c in compat.matrix(kb) if None in c.runs.values()]
    assert {(c.host, c.image) for c in depends} == {("win11", "ws2025")}
    for c in depends:
        by_version = [fid for note, fid in c.notes if note == "by-version"]
        assert by_version == ["windows-11-ws2025-images"], (c.host, c.image)


# --- lifecycle -----------------------------------------------------------------------------------

DATES = {"release_date": "2021-08-18", "mainstream_end": "2026-10-13", "extended_end": "2031-10-14"}


@pytest.mark.parametrize("as_of, expected", [
    ("2021-08-17", ("preview", "2021-08-18", "mainstream")),
    ("2021-08-18", ("mainstream", "2026-10-14", "extended")),
    ("2026-10-13", ("mainstream", "2026-10-14", "extended")),
    ("2026-10-14", ("extended", "2031-10-15", "ended")),
    ("2031-10-14", ("extended", "2031-10-15", "ended")),
    ("2031-10-15", ("ended", None, None)),
])
def test_status_boundaries(as_of, expected):
    st = lifecycle.status(DATES, as_of)
    assert (st.status, st.changes_on, st.next_status) == expected


def test_lifecycle_uses_the_given_as_of_never_the_clock(kb):
    early = {(r.repository, r.tag): r.status.status for r in lifecycle.tag_rows(kb, "2026-01-01")}
    late = {(r.repository, r.tag): r.status.status for r in lifecycle.tag_rows(kb, "2026-11-24")}
    key = ("mcr.microsoft.com/windows/servercore", "ltsc2022")
    assert early[key] == "mainstream" and late[key] == "extended"
    assert lifecycle.tag_rows(kb) == lifecycle.tag_rows(kb, kb.as_of)


def test_every_base_image_tag_has_a_status(kb):
    rows = lifecycle.tag_rows(kb)
    tags = {(r.repository, r.tag) for r in rows}
    for key in [("mcr.microsoft.com/windows/servercore", t) for t in ("ltsc2016", "ltsc2019", "ltsc2022", "ltsc2025")] + \
               [("mcr.microsoft.com/windows/nanoserver", t) for t in ("1809", "ltsc2022", "ltsc2025")]:
        assert key in tags
    for r in rows:
        assert r.status.status in lifecycle.STATUSES
        assert r.tag_fact in kb.facts and all(fid in kb.facts for _, fid in r.dates.values())
        if r.status.status != "ended":
            assert r.status.changes_on, r


# --- freshness -----------------------------------------------------------------------------------

def _prediction(kb, claim="R24"):
    return next(f for f in kb.facts.values() if claim in f.data["claims"] and f.data.get("due"))


def test_the_2024_buildkit_prediction_has_a_due_date(kb):
    fact = _prediction(kb)
    assert fact.data["due"] <= "2024-12-31" and fact.status != "current"
    assert not list(due_passed(kb))


def test_due_passed_catches_the_buildkit_prediction_left_current(kb):
    broken = copy.deepcopy(kb)
    fact = _prediction(broken)
    fact.data["status"] = "current"
    fact.data.pop("current", None)
    found = [p for p in due_passed(broken) if p.fact == fact.id]
    assert found and found[0].severity == "error"
    assert [i.fact for i in review.overdue(broken)] == [fact.id]


def test_stale_verification_warns_and_lists_for_review(kb):
    assert review.stale(kb) == []
    old = copy.deepcopy(kb)
    fid = sorted(old.facts)[0]
    old.facts[fid].data["verified"] = "2025-01-01"
    warnings = [p for p in stale_verification(old) if p.fact == fid]
    assert warnings and warnings[0].severity == "warning"
    assert [i.fact for i in review.stale(old)] == [fid]


# --- decision guide and changelog ------------------------------------------------------------------

def test_guide_has_the_common_cases_and_every_reference_resolves(kb):
    assert GUIDE_CASES <= set(kb.guides)
    assert not list(guide_references(kb))
    for g in kb.guides.values():
        assert {"isolation", "base-image"} <= {r["aspect"] for r in g["recommendations"]}, g["id"]
        for rec in g["recommendations"]:
            assert all(f in kb.facts for f in rec["facts"]), g["id"]


def test_guide_reference_to_a_missing_fact_is_an_error(kb):
    broken = copy.deepcopy(kb)
    broken.guides["developer-desktop"]["recommendations"][0]["facts"].append("no-such-fact")
    assert [p.actual for p in guide_references(broken)] == ["no-such-fact"]


def test_changelog_references_resolve_and_seed_the_import(kb):
    assert not list(changelog_references(kb))
    seed = [e for e in kb.changelog if e["date"] == "2026-11-24" and e["kind"] == "added"]
    assert seed, "the initial import is recorded"
    recorded = {i for e in kb.changelog for i in e["ids"]}
    article = {f.id for f in kb.facts.values() if f.data["claims"]}
    assert article <= recorded, sorted(article - recorded)


def test_changelog_accepts_old_and_retired_ids_only_as_such(kb):
    broken = copy.deepcopy(kb)
    broken.changelog.append({"date": "2026-11-24", "kind": "retired", "ids": [sorted(broken.facts)[0]],
                             "reason": {"ko": "폐기했습니다.", "en": "Retired."}})
    broken.changelog.append({"date": "2026-11-24", "kind": "corrected", "ids": ["no-such-fact"],
                             "reason": {"ko": "고쳤습니다.", "en": "Corrected."}})
    problems = list(changelog_references(broken))
    assert {p.fact for p in problems} == {sorted(broken.facts)[0], "no-such-fact"}
