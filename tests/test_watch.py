"""`make watch` without network: recorded responses replayed through the real httpx client.

tests/fixtures/watch/recorded.yaml maps every watched URL to a response in the documented shape of
its API (endoflife.date v1, the OCI tag list, GitHub REST, raw repository files, a Learn page).
A scenario overrides some URLs (drift, 404, timeout, rate limit, malformed or re-shaped bodies);
the same Fetcher code path runs, only its transport is an httpx.MockTransport.
"""
from __future__ import annotations

import json
import re

import httpx
import pytest
import yaml

from conftest import ROOT
from kbtools import cli, watch
from kbtools.schemas import validate
from kbtools.watch import report

FIX = ROOT / "tests" / "fixtures" / "watch"
RECORDED = yaml.safe_load((FIX / "recorded.yaml").read_text("utf-8"))
GITHUB_404 = {"message": "Not Found", "documentation_url": "https://docs.github.com/rest/releases/releases#get-the-latest-release",
              "status": "404"}
GITHUB_RATE_LIMIT = {"message": "API rate limit exceeded for 203.0.113.7. (But here's the good news: Authenticated requests get a "
                                "higher rate limit. Check out the documentation for more details.)",
                     "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}
RESET = 1795076800   # 2026-11-19 08:26:40 UTC


class Replay:
    """MockTransport handler: the recorded response of each URL, or a scenario's override."""

    def __init__(self, overrides: dict | None = None):
        self.overrides = overrides or {}
        self.requests: list[httpx.Request] = []

    def recorded(self, request: httpx.Request) -> httpx.Response:
        rec = RECORDED[str(request.url)]
        headers = {"content-type": rec["type"]}
        if rec.get("etag"):
            headers["etag"] = rec["etag"]
        if rec.get("last_modified"):
            headers["last-modified"] = rec["last_modified"]
        if (rec.get("etag") and request.headers.get("if-none-match") == rec["etag"]) or \
                (rec.get("last_modified") and request.headers.get("if-modified-since") == rec["last_modified"]):
            return httpx.Response(304, headers=headers)
        return httpx.Response(200, headers=headers, content=(FIX / rec["file"]).read_bytes())

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        override = self.overrides.get(str(request.url))
        return override(self, request) if override else self.recorded(request)


def run(kb, tmp_path, overrides=None, token=""):
    replay = Replay(overrides)
    results = watch.run(kb, tmp_path / "cache", transport=httpx.MockTransport(replay), backoff=0, token=token)
    return results, replay


def by(results, fact, value):
    return next(r for r in results if r.fact == fact and r.value == value)


def test_every_watched_url_has_a_recording(kb):
    urls = {t.spec["url"] for t in watch.targets(kb)}
    assert urls <= set(RECORDED), sorted(urls - set(RECORDED))


def test_recorded_responses_agree_with_the_kb(kb, tmp_path):
    results, replay = run(kb, tmp_path)
    wrong = [report.line(r) for r in results if r.status != "unchanged"]
    assert not wrong, "\n".join(wrong)
    assert report.exit_code(results) == report.EXIT_CURRENT
    # each distinct URL is fetched once, however many facts read it
    urls = [str(r.url) for r in replay.requests]
    assert len(urls) == len(set(urls)) == len({r.url for r in results})


def test_coverage_of_sources_and_kinds(kb):
    found = watch.targets(kb)
    facts = {t.fact for t in found}
    assert len(facts) >= 30, len(facts)
    schema = json.loads((ROOT / "kb/schema/defs.schema.json").read_text("utf-8"))
    assert {t.spec["kind"] for t in found} == set(schema["$defs"]["watch"]["properties"]["kind"]["enum"])
    for fact in ("windows-server-2016-support-dates", "windows-server-2019-support-dates", "windows-server-2022-support-dates",
                 "windows-server-2025-support-dates", "windows-10-end-of-support", "windows-11-builds",
                 "nano-server-repository", "server-core-repository", "windows-image-repository", "windows-server-image-ltsc2025",
                 "containerd-latest-release", "containerd-support-schedule", "buildkit-windows-release-binaries",
                 "moby-latest-release", "kubernetes-latest-release", "github-hosted-runners-docker-version",
                 "aks-windows-server-2022-retirement", "eks-windows-amis", "gke-windows-ltsc-versions"):
        assert fact in facts, fact


def _json(status, body, headers=None):
    return lambda replay, request: httpx.Response(status, json=body, headers=headers or {})


def _with_release(tag, published):
    def answer(replay, request):
        releases = json.loads(replay.recorded(request).content)
        newest = {**releases[0], "tag_name": tag, "name": tag.lstrip("v"), "published_at": published, "prerelease": False}
        return httpx.Response(200, json=[newest] + releases)
    return answer


def _edited(old, new):
    def answer(replay, request):
        resp = replay.recorded(request)
        text = resp.content.decode("utf-8")
        assert old in text, f"the recording no longer contains {old!r}"
        return httpx.Response(200, headers={"content-type": resp.headers["content-type"]}, content=text.replace(old, new).encode())
    return answer


CONTAINERD = "https://api.github.com/repos/containerd/containerd/releases?per_page=100"
EOL_WS = "https://endoflife.date/api/v1/products/windows-server/"
MCR_NANO = "https://mcr.microsoft.com/v2/windows/nanoserver/tags/list"
RUNNER = "https://raw.githubusercontent.com/actions/runner-images/main/images/windows/Windows2022-Readme.md"
LIFECYCLE = "https://learn.microsoft.com/virtualization/windowscontainers/deploy-containers/base-image-lifecycle"
BUILDKIT = "https://api.github.com/repos/moby/buildkit/releases/latest"


def test_drift_shows_both_values_and_the_url(kb, tmp_path):
    results, _ = run(kb, tmp_path, {
        CONTAINERD: _with_release("v2.5.0", "2026-12-02T10:00:00Z"),
        EOL_WS: _edited('"eolFrom": "2031-10-14"', '"eolFrom": "2032-10-12"'),
        MCR_NANO: _edited('"ltsc2025-amd64"', '"ltsc2025-amd64",\n  "ltsc2028"'),
        RUNNER: _edited("- Docker 29.1.5", "- Docker 29.2.0"),
    })
    drifted = {(r.fact, r.value): r for r in results if r.status == "drifted"}
    assert set(drifted) == {("containerd-latest-release", "latest_minor"), ("windows-server-2022-support-dates", "extended_end"),
                            ("nano-server-repository", "latest_release"), ("github-hosted-runners-docker-version", "docker")}
    line = report.line(drifted[("containerd-latest-release", "latest_minor")])
    assert "kb 2.4 → upstream 2.5" in line and CONTAINERD in line
    assert "kb 2031-10-14 → upstream 2032-10-12" in report.line(drifted[("windows-server-2022-support-dates", "extended_end")])
    assert drifted[("nano-server-repository", "latest_release")].upstream == "ltsc2028"
    assert by(results, "windows-server-2022-support-dates", "mainstream_end").status == "unchanged"
    assert report.exit_code(results) == report.EXIT_DRIFT


def _timeout(replay, request):
    raise httpx.ReadTimeout("The read operation timed out", request=request)


FAILURES = {
    # url, answer, status, words the line must contain
    "github-404": (BUILDKIT, _json(404, GITHUB_404), "unreachable", "HTTP 404 Not Found"),
    "registry-404": (MCR_NANO, _json(404, {"errors": [{"code": "NAME_UNKNOWN", "message": "repository name not known to registry",
                                                       "detail": {"name": "windows/nanoserver"}}]}), "unreachable", "HTTP 404"),
    "timeout": (EOL_WS, _timeout, "unreachable", "timed out (3 tries)"),
    "github-rate-limit-403": (CONTAINERD, _json(403, GITHUB_RATE_LIMIT, {
        "x-ratelimit-limit": "60", "x-ratelimit-remaining": "0", "x-ratelimit-reset": str(RESET),
        "x-ratelimit-used": "60", "x-ratelimit-resource": "core"}), "unreachable", "limit resets at 08:26 UTC); set GITHUB_TOKEN"),
    "secondary-rate-limit-429": (CONTAINERD, _json(429, {"message": "You have exceeded a secondary rate limit. Please wait a few minutes "
                                                         "before you try again.", "documentation_url": "https://docs.github.com/rest/"
                                                         "overview/rate-limits-for-the-rest-api#about-secondary-rate-limits", "status": "429"},
                                                   {"retry-after": "60"}), "unreachable", "retry after 60 s"),
    "malformed-json": (EOL_WS, lambda replay, req: httpx.Response(200, headers={"content-type": "application/json"},
                                                                  content=replay.recorded(req).content[:700]),
                       "format-changed", "the response is not JSON"),
    "reshaped-json": (EOL_WS, _json(200, [{"cycle": "2022", "releaseDate": "2021-08-18", "support": "2026-10-13",
                                           "eol": "2031-10-14", "latest": "10.0.20348.4405", "lts": True}]),
                      "format-changed", "found nothing in the response"),
    "reshaped-html": (LIFECYCLE, lambda replay, req: httpx.Response(200, headers={"content-type": "text/html"},
                                                                    content=b"<main><ul><li>ltsc2025: 10/09/2029</li></ul></main>"),
                      "format-changed", "selector 'table tr' matched no element"),
    "reshaped-file": (RUNNER, _edited("- Docker 29.1.5", "- Docker Engine 29.1.5"), "format-changed", "matched nothing"),
}


@pytest.mark.parametrize("name", sorted(FAILURES))
def test_each_failure_is_one_clear_line(name, kb, tmp_path):
    url, answer, status, words = FAILURES[name]
    results, _ = run(kb, tmp_path, {url: answer})
    hit = [r for r in results if r.url == url and r.status != "unchanged"]   # a changed line hides one value of a file
    assert hit and all(r.status == status for r in hit), [report.line(r) for r in hit]
    for r in hit:
        line = report.line(r)
        assert words in line and url in line and r.fact in line and "Traceback" not in line, line
    others = [r for r in results if r not in hit]
    assert others and all(r.status == "unchanged" for r in others)
    assert report.exit_code(results) == report.EXIT_UNCHECKED


def test_a_server_error_is_retried(kb, tmp_path):
    seen = []

    def flaky(replay, request):
        seen.append(request)
        return httpx.Response(503, text="Service Unavailable") if len(seen) == 1 else replay.recorded(request)
    results, _ = run(kb, tmp_path, {EOL_WS: flaky})
    assert len(seen) == 2 and all(r.status == "unchanged" for r in results if r.url == EOL_WS)


def test_conditional_requests_revalidate_the_cache(kb, tmp_path):
    run(kb, tmp_path)
    results, replay = run(kb, tmp_path)       # same cache folder
    sent = {str(r.url): r.headers for r in replay.requests}
    assert sent[CONTAINERD]["if-none-match"] == RECORDED[CONTAINERD]["etag"]
    assert sent[LIFECYCLE]["if-modified-since"] == RECORDED[LIFECYCLE]["last_modified"]
    assert all(r.status == "unchanged" for r in results)


def test_the_token_goes_to_github_only(kb, tmp_path):
    _, replay = run(kb, tmp_path, token="ghp_example")
    for req in replay.requests:
        github = req.url.host in ("api.github.com", "raw.githubusercontent.com")
        assert (req.headers.get("authorization") == "Bearer ghp_example") == github, req.url
        if req.url.host == "api.github.com":
            assert req.headers["x-github-api-version"] == "2022-11-28"


def test_no_network_means_every_source_unreachable(kb, tmp_path):
    def offline(replay, request):
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)
    results, _ = run(kb, tmp_path, {url: offline for url in RECORDED})
    assert results and all(r.status == "unreachable" and "name resolution" in r.detail for r in results)
    assert report.exit_code(results) == report.EXIT_UNCHECKED


def test_cli_prints_lines_writes_the_report_and_the_issue_body(kb, tmp_path, monkeypatch, capsys):
    replay = Replay({CONTAINERD: _with_release("v2.5.0", "2026-12-02T10:00:00Z")})
    real = watch.fetch_all
    monkeypatch.setattr(watch, "fetch_all", lambda urls, cache, **kw: real(urls, cache, transport=httpx.MockTransport(replay),
                                                                          backoff=0, token=""))
    out, body = tmp_path / "report.json", tmp_path / "issue.md"
    code = cli.main(["--kb", str(ROOT / "kb"), "watch", "--report", str(out), "--cache", str(tmp_path / "c"), "--markdown", str(body)])
    printed = capsys.readouterr().out
    assert code == report.EXIT_DRIFT
    assert re.search(r"^drifted\s+containerd-latest-release · latest_minor: kb 2.4 → upstream 2.5", printed, re.M)
    assert re.search(r"^\d+ facts, \d+ values: \d+ unchanged, 1 drifted, 0 unreachable, 0 format changed", printed, re.M)
    data = json.loads(out.read_text("utf-8"))
    assert validate(data, ROOT / "kb" / "schema", "watch-report.schema.json", "report.json") == []   # what the site accepts
    assert data["counts"]["drifted"] == 1 and re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["checked"])
    row = next(r for r in data["results"] if r["status"] == "drifted")
    assert (row["fact"], row["kb"], row["upstream"], row["url"]) == ("containerd-latest-release", "2.4", "2.5", CONTAINERD)
    assert "| drifted | `containerd-latest-release` | `latest_minor` | 2.4 | 2.5 |" in body.read_text("utf-8")


def test_without_report_the_run_stays_in_the_cache_and_leaves_kb_alone(tmp_path, monkeypatch, capsys):
    """A developer's offline `make watch` must not produce the report the site shows."""
    replay = Replay({CONTAINERD: _with_release("v2.5.0", "2026-12-02T10:00:00Z")})
    real = watch.fetch_all
    monkeypatch.setattr(watch, "fetch_all", lambda urls, cache, **kw: real(urls, cache, transport=httpx.MockTransport(replay),
                                                                          backoff=0, token=""))
    committed = ROOT / "kb" / "watch-report.json"
    before = committed.read_bytes() if committed.exists() else None
    cli.main(["--kb", str(ROOT / "kb"), "watch", "--cache", str(tmp_path / "c")])
    assert f"report: {tmp_path / 'c' / 'report.json'}" in capsys.readouterr().out
    assert (tmp_path / "c" / "report.json").is_file()
    assert (committed.read_bytes() if committed.exists() else None) == before
