"""`make build` cannot leave a broken site (scripts/build.py).

A build that fails leaves site/ byte for byte as it was (tests/test_broken.py builds for real);
here: a second build while one runs is refused, a site/ that cannot be swapped in one step
(read-only, a symbolic link, a mount point) stops the build before anything is built, a kill at
any moment of the swap leaves the old or the new site whole, and a build over a size budget fails
with the figure and the limit.
"""
from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("kb_build", ROOT / "scripts" / "build.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def make_build(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", "build", "STAMP="], cwd=project, capture_output=True,
                          text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, timeout=300)


@pytest.fixture
def project(project_copy) -> Path:
    """A copy of the project with the venv linked in and a previous site/ to protect."""
    (project_copy / ".venv").symlink_to(ROOT / ".venv")
    site = project_copy / "site"
    (site / "en").mkdir(parents=True)
    (site / "index.html").write_text("<p>previous build</p>", "utf-8")
    (site / "en" / "index.html").write_text("<p>previous build (en)</p>", "utf-8")
    return project_copy


def refused(project: Path, before: dict, *words: str) -> None:
    result = make_build(project)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for word in words:
        assert word in output, output
    assert "Traceback" not in output, output
    assert digest(project / "site") == before
    assert not list(project.glob(".site-build-*")) and not list(project.glob(".site-old-*"))


def test_a_second_build_is_refused_while_one_runs(project):
    before = digest(project / "site")
    with open(project / build.LOCK, "a+") as held:       # what a running build holds
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        refused(project, before, "another build of this project is running")


def test_a_read_only_site_is_not_silently_left_old(project):
    site = project / "site"
    before = digest(site)
    os.chmod(site, 0o555)
    try:
        refused(project, before, "read-only", "not updated")
    finally:
        os.chmod(site, 0o755)


def test_a_symlinked_site_is_refused(project, tmp_path):
    elsewhere = tmp_path / "published"
    (project / "site").rename(elsewhere)
    (project / "site").symlink_to(elsewhere)
    before = digest(project / "site")
    refused(project, before, "symbolic link")
    assert (project / "site").is_symlink()


def test_a_mount_point_is_refused():
    mount = next((Path(p) for p in ("/proc", "/dev", "/sys") if os.path.ismount(p)), None)
    if mount is None:
        pytest.skip("no mount point to test with")
    with pytest.raises(build.Refused, match="mount point"):
        build.check_replaceable(mount)


# A child swaps in new builds one after another until it is killed; the site it leaves must be one
# build, whole: every file of that version and nothing else.
SWAPPER = textwrap.dedent("""
    import importlib.util, sys, tempfile
    from pathlib import Path
    spec = importlib.util.spec_from_file_location("kb_build", sys.argv[1])
    build = importlib.util.module_from_spec(spec); spec.loader.exec_module(build)
    project = Path(sys.argv[2])
    version = 0
    while True:
        version += 1
        new = Path(tempfile.mkdtemp(prefix=build.BUILDING, dir=project))
        for i in range(300):
            (new / f"page-{i}.html").write_text(f"version {version}")
        build.publish(new, project / "site")
""")


def _whole(site: Path) -> set[str]:
    files = sorted(site.iterdir())
    assert [f.name for f in files] == sorted(f"page-{i}.html" for i in range(300)), "pages are missing"
    return {f.read_text() for f in files}


def test_a_kill_at_any_moment_leaves_a_whole_site(tmp_path):
    project = tmp_path / "project"
    (project / "site").mkdir(parents=True)
    for i in range(300):
        (project / "site" / f"page-{i}.html").write_text("version 0")
    rng = random.Random(14)
    for _ in range(12):
        child = subprocess.Popen([sys.executable, "-c", SWAPPER, str(ROOT / "scripts" / "build.py"), str(project)])
        time.sleep(rng.uniform(0.05, 0.6))
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert len(_whole(project / "site")) == 1, "a mix of two builds"
        build.recover(project, project / "site")     # what the next build does first
        assert len(_whole(project / "site")) == 1
        assert not list(project.glob(".site-*"))


def test_a_site_renamed_aside_is_restored(tmp_path):
    # Where the filesystem cannot exchange two folders, publish() renames the old site aside first;
    # a kill right after leaves no site/ but the old one whole beside it: the next build puts it back.
    project = tmp_path / "project"
    aside = project / f"{build.OLD}abc"
    aside.mkdir(parents=True)
    (aside / "index.html").write_text("old")
    (project / f"{build.BUILDING}xyz").mkdir()
    build.recover(project, project / "site")
    assert (project / "site" / "index.html").read_text() == "old"
    assert not list(project.glob(".site-*"))


def test_a_page_over_budget_fails_the_build_with_the_figure_and_the_limit(project_copy):
    # 300 KB that gzip cannot shrink, on one page: over the 250 KB first-visit budget.
    from kbtools import budgets
    (project_copy / ".venv").symlink_to(ROOT / ".venv")
    noise = random.Random(14).randbytes(300 * 1024).hex()
    page = project_copy / "docs" / "en" / "offline.md"
    page.write_text(page.read_text("utf-8") + f"\n\n<!-- {noise} -->\n", "utf-8")
    result = make_build(project_copy)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "site/en/offline.html — budget: first-visit weight of the page is over budget" in output, output
    assert f"expected: under {budgets.PAGE_KB_MAX:g} KB gzip" in output
    assert "Traceback" not in output
    assert not (project_copy / "site").exists(), "a build over budget was published"


def test_search_index_and_worker_over_budget_are_reported(tmp_path):
    from kbtools import budgets
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    (site / budgets.WORKER).parent.mkdir(parents=True)
    noise = random.Random(14).randbytes(400 * 1024).hex()           # about 400 KB once gzipped
    (site / "search" / "search_index.json").write_text(noise, "utf-8")
    (site / budgets.WORKER).write_text(noise[: 200 * 1024], "utf-8")
    (site / "index.html").write_text("<p>small</p>", "utf-8")
    found = {p.file: p for p in budgets.over_budget(site)}
    assert set(found) == {"site/search/search_index.json", f"site/{budgets.WORKER.as_posix()}"}
    index = found["site/search/search_index.json"]
    assert index.rule == "budget" and index.expected == f"under {budgets.SEARCH_INDEX_KB_GZIP:g} KB gzip"
    assert float(index.actual.split()[0]) > budgets.SEARCH_INDEX_KB_GZIP
    (site / "search" / "search_index.json").write_text("{}", "utf-8")
    (site / budgets.WORKER).write_text("self.onmessage = () => {};", "utf-8")
    assert budgets.over_budget(site) == []
