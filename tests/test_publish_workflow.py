"""The GitHub Actions workflow parses and runs what README.md documents: make test, build, offline."""
from __future__ import annotations

import yaml

from conftest import ROOT

WORKFLOW = ROOT / ".github/workflows/publish.yml"


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text("utf-8"))


def runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job.get("steps", []))


def uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in job.get("steps", []) if "uses" in step]


def test_workflow_parses_and_triggers_on_main_and_releases():
    wf = workflow()
    on = wf.get("on", wf.get(True))          # PyYAML reads the bare key `on` as True
    assert "main" in on["push"]["branches"]
    assert "published" in on["release"]["types"]
    assert {"build", "deploy", "release-asset"} <= set(wf["jobs"])


def test_build_job_installs_chromium_and_runs_the_make_targets_in_order():
    build = workflow()["jobs"]["build"]
    script = runs(build)
    assert "apt-get install" in script and "chromium" in script
    positions = [script.find(f"make {t}") for t in ("test", "build", "offline")]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), positions
    assert build["env"]["CI"] == "true"      # the browser tests fail instead of skipping without Chromium
    assert "actions/upload-pages-artifact" in uses(build)
    paths = [s["with"]["path"] for s in build["steps"] if s.get("uses", "").startswith("actions/upload-")]
    assert "site" in paths and "dist/windows-containers-kb.zip" in paths


def test_pages_deploy_and_release_asset():
    jobs = workflow()["jobs"]
    assert "actions/deploy-pages" in uses(jobs["deploy"])
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert "dist/windows-containers-kb.zip" in runs(jobs["release-asset"])
    assert "release" in jobs["release-asset"]["if"]
    assert jobs["release-asset"]["permissions"]["contents"] == "write"


def test_the_published_site_gets_its_address_from_pages():
    build = workflow()["jobs"]["build"]
    build_steps = [s for s in build["steps"] if "make build" in s.get("run", "")]
    assert build_steps and "SITE_URL" in build_steps[0]["env"]
    assert "actions/configure-pages" in uses(build)


def test_a_second_job_runs_the_suite_on_properdocs_and_deploys_wait_for_it():
    jobs = workflow()["jobs"]
    second = jobs["properdocs"]
    assert second["env"]["DOCS_ENGINE"] == "properdocs" and second["env"]["CI"] == "true"
    assert "make test" in runs(second) and "chromium" in runs(second)
    assert "properdocs" in jobs["deploy"]["needs"]


def test_the_wckb_wheel_is_built_after_the_tests_and_attached_to_each_release():
    jobs = workflow()["jobs"]
    script = runs(jobs["build"])
    wheel = script.find("pip wheel")
    assert 0 <= script.find("make test") < wheel, "the wheel is built from a tested tree"
    assert "--no-deps" in script[wheel:]
    paths = [s["with"]["path"] for s in jobs["build"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact")]
    assert "dist/windows_containers_kb-*.whl" in paths
    downloads = [s["with"]["name"] for s in jobs["release-asset"]["steps"] if s.get("uses", "").startswith("actions/download-artifact")]
    uploaded = {s["with"]["name"]: s["with"]["path"] for s in jobs["build"]["steps"]
                if s.get("uses", "").startswith("actions/upload-artifact")}
    assert set(downloads) == set(uploaded)
    release = runs(jobs["release-asset"])
    assert "gh release upload" in release and "dist/windows_containers_kb-*.whl" in release
