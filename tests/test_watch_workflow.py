"""The weekly watch workflow parses, runs `make watch`, and keeps ONE tracking issue up to date."""
from __future__ import annotations

import yaml

from conftest import ROOT

WORKFLOW = ROOT / ".github/workflows/watch.yml"


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text("utf-8"))


def steps() -> list[dict]:
    return workflow()["jobs"]["watch"]["steps"]


def script() -> str:
    return "\n".join(s.get("run", "") for s in steps())


def test_runs_weekly_and_on_demand_never_on_pull_requests():
    on = workflow().get("on", workflow().get(True))      # PyYAML reads the bare key `on` as True
    minute, hour, day, month, weekday = on["schedule"][0]["cron"].split()
    assert day == "*" and month == "*" and weekday.isdigit(), "once a week"
    assert "workflow_dispatch" in on and "pull_request" not in on and "push" not in on


def test_runs_make_watch_with_a_token_and_the_issue_body():
    job = workflow()["jobs"]["watch"]
    assert "make watch" in script() and "--markdown watch-issue.md" in script()
    assert "--report kb/watch-report.json" in script(), "the report the site shows is written here, not by local runs"
    assert job["env"]["GITHUB_TOKEN"] == "${{ secrets.GITHUB_TOKEN }}"     # GitHub's higher rate limit
    assert "test -s watch-issue.md" in script(), "an invalid kb must fail the run, not report nothing"


def test_one_tracking_issue_is_found_by_label_then_edited_or_created():
    wf = workflow()
    assert wf["permissions"]["issues"] == "write"
    update = next(s for s in steps() if "gh issue create" in s.get("run", ""))
    run = update["run"]
    find, edit, create = run.find("gh issue list"), run.find("gh issue edit"), run.find("gh issue create")
    assert 0 <= find < edit < create, "look for the open issue first, edit it, create only when there is none"
    assert "--label \"$ISSUE_LABEL\"" in run and "--state open" in run
    assert "drifted != '0'" in update["if"]
    close = next(s for s in steps() if "gh issue close" in s.get("run", ""))
    assert "drifted == '0'" in close["if"]


def test_the_report_is_committed_for_the_site_only_when_something_was_checked():
    commit = next(s for s in steps() if "git push" in s.get("run", ""))
    assert "git add kb/watch-report.json" in commit["run"] and "checked != '0'" in commit["if"]
    assert "gh workflow run publish.yml" in commit["run"]
    assert workflow()["permissions"]["contents"] == "write"
