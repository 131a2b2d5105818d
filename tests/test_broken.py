"""Bad input never reaches a reader (issues 8 and 14).

tests/fixtures/broken/*.yaml (careless input) and tests/fixtures/hostile/*.yaml (input a hostile
or very careless contributor writes: YAML tags, aliases, deep nesting, links out of kb/, FIFOs,
misplaced directives, long lines) form one corpus. Each item is a patch to a copy of the project
(see tests/kbpatch.py) and the problem it must produce: the file, the id, the rule, and for most
hostile items the line.

- Every item is checked in-process (fast) the way `python -m kbtools check` checks: the loader,
  then, if the kb is valid, the pages' directives and placements. It must report exactly that
  problem, and the report (the message `make build` prints) names the file, the id and the rule,
  without a traceback. Hostile items run `kbtools check` itself (in-process): exit code 1, the
  problem's headline (file · id · line — rule) in its output, nothing of what must stay unread
  (`absent`: a linked file's content).
- Items marked `slow: true` (long inputs) run `kbtools check` in a subprocess with a timeout:
  they must be reported in seconds, not minutes.
- Items marked `build: true` go through the real `make build` in a copy of the project that was
  built successfully first: the build fails with that message, no traceback, and the previous
  site/ is left byte for byte as it was.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import kbtools.load
from kbpatch import apply, load_fixtures, touched
from kbtools import cli
from kbtools.load import load
from kbtools.schemas import validate as _validate
from kbtools.site import check_pages
from kbtools.problems import KbInvalid

ROOT = Path(__file__).resolve().parent.parent
BROKEN = load_fixtures(ROOT / "tests" / "fixtures" / "broken")
HOSTILE = load_fixtures(ROOT / "tests" / "fixtures" / "hostile")
assert not set(BROKEN) & set(HOSTILE), "an item name is in both corpora"
CORPUS = {**BROKEN, **HOSTILE}
LOADER_ITEMS = sorted(n for n, c in BROKEN.items() if c.get("loader", True))
HOSTILE_ITEMS = sorted(n for n, c in HOSTILE.items() if not c.get("slow"))
SLOW_ITEMS = sorted(n for n, c in CORPUS.items() if c.get("slow"))
BUILD_ITEMS = sorted(n for n, c in CORPUS.items() if c.get("build"))
IGNORE = shutil.ignore_patterns(".venv", "site", ".site-*", ".git", "dist", "__pycache__", ".pytest_cache", "bench")


def test_corpus_is_large_enough():
    assert len(BROKEN) >= 30 and len(HOSTILE) >= 35
    assert len(BUILD_ITEMS) >= 5
    rules = {c["expect"]["rule"] for c in CORPUS.values()}
    for needed in ("yaml-syntax", "duplicate-key", "unique-ids", "schema:type", "schema:enum", "schema:required",
                   "source-exists", "dates-valid", "dates-not-future", "nfc", "no-tabs", "no-bom",
                   "schema:maxLength", "text-is-plain", "directive-unknown"):
        assert needed in rules, f"the corpus has no item for {needed}"


@pytest.fixture(scope="module")
def kb_copy(tmp_path_factory):
    """A copy of kb/ at one fixed path; each item patches it and is undone afterwards."""
    work = tmp_path_factory.mktemp("broken") / "project"
    shutil.copytree(ROOT / "kb", work / "kb", ignore=IGNORE)
    shutil.copytree(ROOT / "docs", work / "docs", ignore=IGNORE)
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
        baseline = {(p.file, p.rule, p.fact) for p in _check(work)}
        yield work, baseline


def _check(work: Path):
    """What `python -m kbtools check` finds: the kb's problems, then, if it has no error, the pages'."""
    kb, problems = load(work / "kb")
    if not any(p.severity == "error" for p in problems):
        problems += check_pages(kb, work / "docs")
    return problems


def _loaded(kb_copy, patch, expect: dict | None = None):
    """The new problems a patch causes; resolves `expect` (see _expected) while the patch is applied."""
    work, baseline = kb_copy
    with _patched(work, patch):
        problems = _check(work)
        if expect is not None:
            expect.update(_expected(work, expect))
    return [p for p in problems if (p.file, p.rule, p.fact) not in baseline]


def _expected(project: Path, expect: dict) -> dict:
    """`line_of: text` names the expected line by its text (the last line holding it), so an item
    appending to a page does not depend on how long the page is today."""
    expect = dict(expect)
    if "line_of" in expect:
        lines = (project / expect["file"]).read_text("utf-8").split("\n")
        n = max(i for i, line in enumerate(lines, 1) if expect["line_of"] in line)
        expect["field"] = f"line {n}"
    return expect


class _patched:
    """Apply a patch to the copy, and undo it (files, links, folders and FIFOs alike) on exit."""

    def __init__(self, project: Path, patch):
        self.project, self.patch = project, patch

    def __enter__(self):
        self.saved = _snapshot(self.project, touched(self.patch))
        apply(self.project, self.patch)

    def __exit__(self, *exc):
        _restore(self.project, self.saved)


def _snapshot(project: Path, files) -> dict[str, bytes | None]:
    def content(path: Path):
        return path.read_bytes() if path.is_file() and not path.is_symlink() else None
    return {rel: content(project / rel) for rel in files}


def _restore(project: Path, snapshot: dict[str, bytes | None]) -> None:
    for rel, content in snapshot.items():
        target = project / rel
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif os.path.lexists(target) and (content is None or target.is_symlink() or not target.is_file()):
            target.unlink()
        if content is not None:
            target.write_bytes(content)
        elif target.parent != project and target.parent.exists() and not any(target.parent.iterdir()):
            target.parent.rmdir()


def test_the_corpus_template_is_valid(kb_copy):
    # The items break one thing each in a valid new entity and source; the template itself is clean
    # once the entity is placed on its page in both languages.
    entity = CORPUS["dangling-source"]["patch"][0]
    clean = {**entity, "write": entity["write"].replace(", no-such-source", ", broken-source")}
    source = CORPUS["unknown-source-kind"]["patch"][1]
    source = {**source, "write": source["write"].replace("kind: blog", "kind: secondary")}
    # A new fact needs its changelog entry (rule changelog-required), dated like the latest one, and a
    # place on its page in both languages.
    last = (kb_copy[0] / "kb/changelog.yaml").read_text("utf-8").rsplit("- date: ", 1)[1].split()[0]
    entry = {"file": "kb/changelog.yaml", "append": f"  - date: {last}\n    kind: added\n    ids: [broken-runtime-fact]\n"
                                                  "    reason: {ko: 테스트용 사실입니다., en: A test fact.}\n"}
    placed = [{"file": f"docs/{lang}/runtimes.md", "append": "\n<!-- kb:entity broken-runtime -->\n"}
              for lang in ("ko", "en")]
    new = _loaded(kb_copy, [clean, source, entry, *placed])
    assert not [p for p in new if p.severity == "error"], "\n".join(p.format() for p in new)
    hostile = CORPUS["entity-placed-in-one-language"]["patch"]
    new = _loaded(kb_copy, [*hostile, {**hostile[-1], "file": "docs/en/runtimes.md"}])
    assert not [p for p in new if p.severity == "error"], "\n".join(p.format() for p in new)


def _headline(expect: dict) -> str:
    """The first line of the problem's report: the file, the id, the line and the rule, in order."""
    where = " · ".join(x for x in (expect["file"], expect["fact"] and f"id {expect['fact']}", expect.get("field")) if x)
    return f"✖ {where} — {expect['rule']}:"


@pytest.mark.parametrize("name", LOADER_ITEMS)
def test_loader_reports_it(name, kb_copy):
    item = CORPUS[name]
    expect = dict(item["expect"])
    new = _loaded(kb_copy, item["patch"], expect)
    errors = [p for p in new if p.severity == "error"]
    assert errors, f"{name}: no error for a broken input"
    hit = [p for p in errors if (p.file, p.fact, p.rule) == (expect["file"], expect["fact"], expect["rule"])
           and p.field == expect.get("field", p.field)]
    assert hit, f"{name}: expected {expect}; got:\n" + "\n".join(p.format() for p in errors)
    report = KbInvalid(errors).report()   # what the build prints
    for text in (expect["file"], expect["fact"] and f"id {expect['fact']}", expect["rule"]):
        assert text in report
    assert "Traceback" not in report
    for text in expect.get("absent", []):
        assert text not in report


@pytest.mark.parametrize("name", HOSTILE_ITEMS)
def test_kbtools_check_reports_it(name, kb_copy, capsys):
    """The command a contributor runs: exit code 1, the problem's headline, no traceback."""
    work, _ = kb_copy
    with _patched(work, CORPUS[name]["patch"]):
        expect = _expected(work, CORPUS[name]["expect"])
        code = cli.main(["--kb", str(work / "kb"), "check"])
    out = capsys.readouterr()
    output = out.out + out.err
    assert code == 1, output
    assert _headline(expect) in output, f"{name}: no line {_headline(expect)!r} in:\n{output}"
    assert "Traceback" not in output
    for text in expect.get("absent", []):
        assert text not in output


@pytest.mark.parametrize("name", SLOW_ITEMS)
def test_long_input_is_reported_quickly(name, tmp_path):
    """Long inputs once took from 37 s to forever (a backtracking pattern, a recursive parser): now
    `kbtools check` reports them in seconds. The timeout is generous; the old code never made it."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "kb", project / "kb", ignore=IGNORE)
    shutil.copytree(ROOT / "docs", project / "docs", ignore=IGNORE)
    apply(project, CORPUS[name]["patch"])
    result = subprocess.run([sys.executable, "-m", "kbtools", "--kb", str(project / "kb"), "check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=30,
                            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert _headline(_expected(project, CORPUS[name]["expect"])) in output, output
    assert "Traceback" not in output


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
    assert not list(project.glob(".site-build-*")) and not list(project.glob(".site-old-*"))
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
