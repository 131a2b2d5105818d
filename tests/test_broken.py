"""Bad input never reaches a reader (issue 8).

tests/fixtures/broken/*.yaml is a corpus of broken inputs, each a patch to a copy of the project
(see tests/kbpatch.py) and the problem it must produce: the file, the fact and the rule.

- Every kb item is checked through the loader in-process (fast): `kbtools check` must report
  exactly that problem, and the build's report (the message `make build` prints) names the file,
  the fact and the rule, without a traceback.
- Items marked `build: true` (and the page items, which only a build sees) go through the real
  `make build` in a copy of the project that was built successfully first: the build fails with
  that message, no traceback, and the previous site/ is left byte for byte as it was.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import kbtools.load
from kbpatch import apply, load_fixtures, touched
from kbtools.load import load
from kbtools.schemas import validate as _validate
from kbtools.problems import KbInvalid

ROOT = Path(__file__).resolve().parent.parent
CORPUS = load_fixtures(ROOT / "tests" / "fixtures" / "broken")
LOADER_ITEMS = sorted(n for n, c in CORPUS.items() if c.get("loader", True))
BUILD_ITEMS = sorted(n for n, c in CORPUS.items() if c.get("build"))
IGNORE = shutil.ignore_patterns(".venv", "site", ".site-*", ".git", "dist", "__pycache__", ".pytest_cache", "bench")


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 30
    assert len(BUILD_ITEMS) >= 5
    rules = {c["expect"]["rule"] for c in CORPUS.values()}
    for needed in ("yaml-syntax", "duplicate-key", "unique-ids", "schema:type", "schema:enum", "schema:required",
                   "source-exists", "dates-valid", "dates-not-future", "nfc", "no-tabs", "no-bom",
                   "schema:maxLength", "text-is-plain", "unknown directive"):
        assert needed in rules, f"the corpus has no item for {needed}"


@pytest.fixture(scope="module")
def kb_copy(tmp_path_factory):
    """A copy of kb/ at one fixed path; each item patches it and is undone afterwards."""
    work = tmp_path_factory.mktemp("broken") / "project"
    shutil.copytree(ROOT / "kb", work / "kb", ignore=IGNORE)
    # Schema validation is a pure function of the document; memoising it lets each item re-check
    # only the files it changed (the whole corpus then loads in a few seconds, not twenty).
    memo: dict = {}

    def validate(doc, schema_dir, schema_name, rel):
        key = (json.dumps(doc, sort_keys=True, default=str), str(schema_dir), schema_name, rel)
        if key not in memo:
            memo[key] = _validate(doc, schema_dir, schema_name, rel)
        return list(memo[key])

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kbtools.load, "validate", validate)
        baseline = {(p.file, p.rule, p.fact) for p in load(work / "kb")[1]}
        yield work, baseline


def _loaded(kb_copy, patch):
    work, baseline = kb_copy
    before = _snapshot(work, touched(patch))
    try:
        apply(work, patch)
        _, problems = load(work / "kb")
    finally:
        _restore(work, before)
    return [p for p in problems if (p.file, p.rule, p.fact) not in baseline]


def _snapshot(project: Path, files) -> dict[str, bytes | None]:
    return {rel: (project / rel).read_bytes() if (project / rel).exists() else None for rel in files}


def _restore(project: Path, snapshot: dict[str, bytes | None]) -> None:
    for rel, content in snapshot.items():
        target = project / rel
        if content is not None:
            target.write_bytes(content)
        elif target.exists():
            target.unlink()
            if target.parent != project and not any(target.parent.iterdir()):
                target.parent.rmdir()


def test_the_corpus_template_is_valid(kb_copy):
    # The items break one thing each in a valid new entity and source; the template itself is clean.
    entity = CORPUS["dangling-source"]["patch"][0]
    clean = {**entity, "write": entity["write"].replace(", no-such-source", ", broken-source")}
    source = CORPUS["unknown-source-kind"]["patch"][1]
    source = {**source, "write": source["write"].replace("kind: blog", "kind: secondary")}
    new = _loaded(kb_copy, [clean, source])
    assert not new, "\n".join(p.format() for p in new)


@pytest.mark.parametrize("name", LOADER_ITEMS)
def test_loader_reports_it(name, kb_copy):
    item = CORPUS[name]
    expect = item["expect"]
    new = _loaded(kb_copy, item["patch"])
    errors = [p for p in new if p.severity == "error"]
    assert errors, f"{name}: no error for a broken input"
    hit = [p for p in errors if (p.file, p.fact, p.rule) == (expect["file"], expect["fact"], expect["rule"])]
    assert hit, f"{name}: expected {expect}; got:\n" + "\n".join(p.format() for p in errors)
    report = KbInvalid(errors).report()   # what the build prints
    for text in (expect["file"], f"id {expect['fact']}", expect["rule"]):
        assert text in report
    assert "Traceback" not in report


# --- the real `make build` --------------------------------------------------------------------

def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def make_build(project: Path) -> subprocess.CompletedProcess:
    # STAMP= : the venv is the project's own (symlinked); never reinstall it from a test.
    return subprocess.run(["make", "--no-print-directory", "build", "STAMP="], cwd=project, capture_output=True,
                          text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, timeout=300)


@pytest.fixture(scope="module")
def built_project(tmp_path_factory):
    """A copy of the project with the venv symlinked in, built once with `make build`."""
    project = tmp_path_factory.mktemp("built") / "project"
    shutil.copytree(ROOT, project, ignore=IGNORE)
    (project / ".venv").symlink_to(ROOT / ".venv")
    result = make_build(project)
    if result.returncode != 0:
        pytest.fail(f"`make build` of an unchanged copy failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return project, _digest(project / "site")


@pytest.mark.parametrize("name", BUILD_ITEMS)
def test_make_build_refuses_it_and_keeps_the_site(name, built_project):
    project, before = built_project
    item = CORPUS[name]
    expect = item["expect"]
    before = _snapshot(project, touched(item["patch"]))
    try:
        apply(project, item["patch"])
        result = make_build(project)
    finally:
        _restore(project, before)   # ready for the next item
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"{name}: make build succeeded on broken input"
    for text in (expect["file"], expect["fact"], expect["rule"]):
        assert text in output, f"{name}: the message does not name {text!r}:\n{output}"
    assert "Traceback" not in output, output
    assert not (project / ".site-new").exists()
    assert _digest(project / "site") == before, f"{name}: the previous site/ was changed by a failed build"
