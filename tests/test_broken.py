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
    # A new fact needs its changelog entry (rule changelog-required), dated like the latest one.
    last = (kb_copy[0] / "kb/changelog.yaml").read_text("utf-8").rsplit("- date: ", 1)[1].split()[0]
    entry = {"file": "kb/changelog.yaml", "append": f"  - date: {last}\n    kind: added\n    ids: [broken-runtime-fact]\n"
                                                  "    reason: {ko: 테스트용 사실입니다., en: A test fact.}\n"}
    new = _loaded(kb_copy, [clean, source, entry])
    assert not [p for p in new if p.severity == "error"], "\n".join(p.format() for p in new)


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


# Text that looks like markup, in fields the schema and rules allow it in (a publisher, a source title
# with `*`, `_`, `<` and `&`, an interface label, a glossary term shown in figures, a figure caption).
# The site built from it must show every character as typed.
PUBLISHER = 'Seed <b>article</b> & <script>alert("kb")</script> [link](https://evil.example) *em*'
TITLE = 'Exploring Windows containers *not emphasis* _nor this_ x<3 & y>2 "quoted"'
LABEL = "Verified <i>on</i> & checked"
TERM = "kernel <b>&</b> co"
CAPTION = 'The Windows container runtime stack (x<3 & y>2, "quoted")'
MARKUP_PATCH = [
    {"file": "kb/sources/seed-article.yaml", "replace": [
        ["  en: Seed article (Korean, 2024)", f"  en: '{PUBLISHER}'"],
        ["  en: Exploring Windows container technology (Korean article this knowledge base starts from)",
         f"  en: '{TITLE}'"]]},
    {"file": "kb/labels.yaml", "replace": [["fact.verified: {ko: 확인일, en: Verified}",
                                            f"fact.verified: {{ko: 확인일, en: '{LABEL}'}}"]]},
    {"file": "kb/glossary/kernel.yaml", "replace": [['en: "kernel"}', f'en: "{TERM}"}}']]},
    {"file": "kb/figures/fig-runtime-stack.yaml", "replace": [
        ["  en: The Windows container runtime stack", f"  en: '{CAPTION}'"]]},   # markup itself is refused here
]


@pytest.fixture(scope="module")
def built_project(tmp_path_factory):
    """A copy of the project (venv symlinked in) whose kb carries markup-like text where it is
    allowed, built once with `make build`: the site the broken inputs must leave untouched."""
    project = tmp_path_factory.mktemp("built") / "project"
    shutil.copytree(ROOT, project, ignore=IGNORE)
    (project / ".venv").symlink_to(ROOT / ".venv")
    apply(project, MARKUP_PATCH)
    result = make_build(project)
    if result.returncode != 0:
        pytest.fail(f"`make build` of an unchanged copy failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return project, _digest(project / "site")


@pytest.mark.parametrize("name", BUILD_ITEMS)
def test_make_build_refuses_it_and_keeps_the_site(name, built_project):
    project, before = built_project
    item = CORPUS[name]
    expect = item["expect"]
    saved = _snapshot(project, touched(item["patch"]))
    try:
        apply(project, item["patch"])
        result = make_build(project)
    finally:
        _restore(project, saved)   # ready for the next item
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"{name}: make build succeeded on broken input"
    for text in (expect["file"], expect["fact"], expect["rule"]):
        assert text in output, f"{name}: the message does not name {text!r}:\n{output}"
    assert "Traceback" not in output, output
    assert not (project / ".site-new").exists()
    assert _digest(project / "site") == before, f"{name}: the previous site/ was changed by a failed build"


# --- kb text is always text ------------------------------------------------------------------

# What the markup-like text would have become had it been taken as HTML or Markdown.
MADE = ['<script>alert("kb")', "<b>article</b>", "<i>on</i>", '<a href="https://evil.example"', "<em>not emphasis</em>",
        "<em>nor this</em>", "<em>em</em>", "<b>&amp;</b>", "<b>&</b>"]


def test_markup_in_kb_text_is_shown_as_text(built_project):
    from bs4 import BeautifulSoup
    project, _ = built_project
    site = project / "site"
    for path in sorted(site.rglob("*.html")):
        raw = path.read_text("utf-8")
        made = [m for m in MADE if m in raw]
        assert not made, f"{path.relative_to(site)}: kb text became markup: {made}"
    # And it is there, character for character, where a reader sees it.
    shown = {"en/sources.html": [PUBLISHER, TITLE], "en/runtimes.html": [LABEL, CAPTION], "en/glossary.html": [TERM]}
    for page, texts in shown.items():
        text = BeautifulSoup((site / page).read_text("utf-8"), "html.parser").get_text()
        for expected in texts:
            assert expected in text, f"{page}: {expected!r} is not shown as typed"


def test_markup_in_kb_text_is_text_in_figures(built_project):
    import xml.etree.ElementTree as ET
    project, _ = built_project
    svgs = sorted((project / "site").rglob("*.svg"))
    found = {"term": False, "caption": False}
    for svg in svgs:
        root = ET.parse(svg).getroot()          # well-formed: an unescaped < or & would not parse
        tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
        assert "script" not in tags and "b" not in tags, f"{svg.name}: kb text became markup"
        texts = "".join(root.itertext())
        found["term"] |= TERM in texts
        found["caption"] |= CAPTION in texts
    assert all(found.values()), found


def test_markup_in_kb_text_is_text_in_search(built_project):
    project, _ = built_project
    index = json.loads((project / "site" / "search" / "search_index.json").read_text("utf-8"))
    texts = [d["title"] + " " + d["text"] for d in index["docs"]]
    # Material puts `text` into the result list as HTML: kb text must arrive there escaped.
    for raw in ('<script>alert("kb")</script>', "<b>article</b>", "<i>on</i>", "<b>&</b>"):
        assert not any(raw in t for t in texts), f"{raw} is raw HTML in the search index"
    assert any("&lt;script&gt;alert" in t for t in texts), "the publisher is missing from the search index"
