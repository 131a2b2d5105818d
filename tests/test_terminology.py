"""The terminology rule reads page prose as well as kb text: docs/<lang>/*.md outside code and links."""
from __future__ import annotations

import shutil
from pathlib import Path

from kbtools.load import load

ROOT = Path(__file__).resolve().parent.parent
KB_MIN = ROOT / "tests" / "fixtures" / "kb-min"


def _problems(tmp_path: Path, page: str) -> list:
    kb = tmp_path / "kb"
    shutil.copytree(KB_MIN, kb)
    term = kb / "glossary" / "containerd.yaml"
    term.write_text(term.read_text("utf-8").replace("aliases: {ko: [컨테이너디]}",
                                                    "aliases: {ko: [컨테이너디]}\navoid: {ko: [컨테이너디]}"), "utf-8")
    (tmp_path / "docs" / "ko").mkdir(parents=True)
    (tmp_path / "docs" / "ko" / "runtimes.md").write_text(page, "utf-8")
    _, problems = load(kb)
    return [p for p in problems if p.rule == "terminology"]


def test_a_variant_in_page_prose_is_reported_with_its_line(tmp_path):
    found = _problems(tmp_path, "# 런타임\n\n본문 첫 줄입니다.\n컨테이너디는 런타임입니다.\n")
    assert [(p.file, p.field, p.actual, p.expected) for p in found] == \
        [("docs/ko/runtimes.md", "line 4", "컨테이너디", "containerd")]


def test_code_links_comments_and_longer_words_are_not_prose(tmp_path):
    page = ("`컨테이너디` 명령과 [링크](https://example.org/컨테이너디) <!-- kb:entity 컨테이너디 -->\n"
            "```\n컨테이너디 run\n```\n큰컨테이너디는 다른 낱말입니다.\n")
    assert _problems(tmp_path, page) == []
