"""kb text is data: whatever characters it holds, the render layer shows them as typed.

Each string goes through the functions that put kb text into pages (kbtools.text.to_markdown and
to_html, the footnote/source line, figures' SVG text) and then through Python-Markdown configured
exactly as mkdocs.yml configures it; the visible text must equal the input, with no element, link,
emphasis, list or footnote made out of it. The built site is checked in tests/test_broken.py.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from kbtools.load import load
from kbtools.render import Page
from kbtools.render.notes import source_line
from kbtools.text import to_html, to_markdown

ROOT = Path(__file__).resolve().parent.parent

NASTY = [
    "<script>alert(1)</script>",
    'a <b>bold</b> & <i>it</i> "q" \'s\'',
    "x<3 & y>2",
    "&amp; &lt; &#60; &copy;",
    "*em* _em_ **strong** __strong__",
    "[link](https://evil.example) ![img](x.png) <https://auto.example>",
    "footnote[^1] and [^note]: def",
    "a | b | c",
    "a ~~strike~~ ^sup^ ~sub~",
    "# heading",
    "1. list",
    "- item",
    "+ item",
    "> quote",
    "{: .attr } {#id}",
    "back\\slash \\* \\<",
    "*[HTML]: abbreviation definition",
    "<!-- kb:entity moby -->",
    "<div markdown=\"1\">*x*</div>",
    "onerror=alert(1) javascript:alert(1)",
    "Hangul 한국어 <태그> & 기호",
]


@pytest.fixture(scope="module")
def md():
    from kbtools.engine import load_config
    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])


def visible(md, source: str, wrap: str = "") -> tuple[str, BeautifulSoup]:
    md.reset()
    out = md.convert(f'<p markdown="span">{source}</p>' if wrap == "span" else source)
    soup = BeautifulSoup(out, "html.parser")
    return soup.get_text().strip(), soup


MADE = ("script", "b", "i", "em", "strong", "a", "img", "del", "sup", "sub", "ol", "ul", "li", "blockquote",
        "h1", "abbr", "div", "table")


@pytest.mark.parametrize("text", NASTY)
@pytest.mark.parametrize("wrap", ["block", "span"])
def test_to_markdown_shows_text_as_typed(md, text, wrap):
    shown, soup = visible(md, to_markdown(text), wrap)
    assert shown == text
    made = [t.name for t in soup.find_all(MADE)]
    assert not made, f"{text!r} became {made}"


@pytest.mark.parametrize("text", NASTY)
def test_code_spans_stay_code(md, text):
    shown, soup = visible(md, to_markdown(f"run `{text.replace('`', '')}` now"))
    assert soup.find("code").get_text() == text.replace("`", "")


@pytest.mark.parametrize("text", NASTY)
def test_to_html_escapes(text):
    soup = BeautifulSoup(f"<td>{to_html(text)}</td>", "html.parser")
    assert soup.get_text() == text
    assert [t.name for t in soup.find_all(True)] == ["td"]


@pytest.fixture(scope="module")
def kb_min():
    return load(ROOT / "tests" / "fixtures" / "kb-min")[0]


@pytest.mark.parametrize("text", NASTY)
def test_source_titles_and_publishers_are_text(md, kb_min, text):
    page = Page(kb=kb_min, lang="en", topic="sources")
    src = {"id": "s", "title": {"en": text}, "publisher": text, "url": "https://example.org/a?b=1&c=%3C2%3E",
           "accessed": "2026-11-24"}
    shown, soup = visible(md, source_line(page, src), "span")
    assert shown.startswith(f"{text}. {text}. https://example.org/a?b=1&c=%3C2%3E")
    assert [a["href"] for a in soup.find_all("a")] == ["https://example.org/a?b=1&c=%3C2%3E"]
    assert not soup.find_all([t for t in MADE if t != "a"])


@pytest.mark.parametrize("url", [
    "https://example.org/[x](javascript:alert(1))",
    "https://example.org/![i](https://evil.example/p.png)",
    "https://example.org/<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "https://user:secret@example.org/",
])
def test_unsafe_source_urls_are_shown_as_text_not_linked(md, kb_min, url):
    # The url-safe rule refuses these before a build; if one reached a page it would still be inert.
    page = Page(kb=kb_min, lang="en", topic="sources")
    src = {"id": "s", "title": {"en": "T"}, "publisher": "P", "url": url, "accessed": "2026-11-24"}
    shown, soup = visible(md, source_line(page, src), "span")
    assert shown.startswith(f"T. P. {url}. ")
    assert not soup.find_all(MADE)


def test_figures_escape_their_text():
    figures = pytest.importorskip("kbtools.figures")
    for text in NASTY:
        svg = f'<svg xmlns="http://www.w3.org/2000/svg"><text>{figures._esc(text)}</text></svg>'
        root = ET.fromstring(svg)
        assert "".join(root.itertext()) == text
        assert len(list(root.iter())) == 2


@pytest.mark.parametrize("text", NASTY)
def test_question_blocks_show_kb_strings_as_typed(md, kb_min, text):
    """A question's own strings (what people type and paste) reach its page as text: the answer,
    the pasted messages and the thread's title; only the fact link and the thread link are links."""
    from kbtools.render.questions import question_block
    kb_min.labels["ui"].update({k: {"ko": k, "en": k} for k in ("questions.errors", "questions.facts", "questions.asked-in")})
    kb_min.sources["thread-x"] = {"id": "thread-x", "title": {"en": text}, "publisher": text,
                                  "url": "https://github.com/o/r/issues/1", "kind": "thread", "accessed": "2026-11-24"}
    q = {"id": "q-x", "group": "hosts", "question": {"ko": "질문", "en": "question"}, "errors": [text],
         "answer": {"ko": text, "en": text}, "answers": ["containerd-free"], "asked_in": ["thread-x"]}
    page = Page(kb=kb_min, lang="en", topic="questions")
    body = question_block(page, q).split("\n", 2)[2]          # the block below its heading
    shown, soup = visible(md, body)
    assert soup.find("p", class_="kb-question-answer").get_text().strip() == text.strip()
    assert soup.find("p", class_="kb-question-errors").find("code").get_text() == text
    assert soup.find("a", class_="kb-thread").get_text() == text
    assert [a["href"] for a in soup.find_all("a")] == ["runtimes.html#containerd-free", "https://github.com/o/r/issues/1"]
    assert not soup.find_all([t for t in MADE if t not in ("a", "div")])
    assert len(soup.find_all("div")) == 1
