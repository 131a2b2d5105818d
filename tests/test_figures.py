"""Figures (kb/figures/*.yaml -> inline SVG): unit tests on kbtools, the built site, and Chromium.

The unit tests call kbtools directly on the real kb (fast); the site tests read the strict build
of the `site` fixture; one browser test renders both palettes and checks colours and text boxes.
"""
from __future__ import annotations

import copy
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kbtools.figures import file_name, label_text, label_terms, layout, problems_of, render_svg, write_figures
from kbtools.load import load
from kbtools.render import Page, expand

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
LANGS = ("ko", "en")
FIGURE_PAGES = {"fig-process-isolation": ("isolation", 1), "fig-hyperv-isolation": ("isolation", 2),
                "fig-runtime-stack": ("runtimes", 1)}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[ET.Element]:
    return [t for t in root.iter(f"{SVG}text")]


def text_of(el: ET.Element) -> str:
    return "".join(el.itertext())


@pytest.fixture(scope="module")
def figures(kb):
    assert kb.figures, "kb/figures/ holds no figure"
    return kb.figures


# ---------------------------------------------------------------- unit: kbtools on the real kb

def test_the_three_figures_exist(figures):
    assert set(FIGURE_PAGES) <= set(figures)


@pytest.mark.parametrize("lang", LANGS)
def test_svg_is_xml_with_title_desc_and_real_text(kb, figures, lang):
    for fid, fig in figures.items():
        root = parse(render_svg(kb, fig, lang))
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img" and root.get("viewBox")
        ids = {el.get("id"): el for el in root.iter() if el.get("id")}
        labelled = root.get("aria-labelledby").split()
        assert labelled == [f"{fid}-title", f"{fid}-desc"]
        assert text_of(ids[f"{fid}-title"]) == fig["caption"][lang]
        assert text_of(ids[f"{fid}-desc"]) == fig["description"][lang]
        assert len(texts(root)) >= len(fig["boxes"]), f"{fid}: every box has a <text> label"


@pytest.mark.parametrize("lang", LANGS)
def test_every_label_is_a_glossary_term_in_the_page_language(kb, figures, lang):
    for fid, fig in figures.items():
        for field, term in label_terms(fig):
            assert term in kb.terms, f"{fid} {field}: '{term}' is not in kb/glossary/"
        root = parse(render_svg(kb, fig, lang))
        for el in texts(root):
            term = kb.terms[el.get("data-term")]
            shown = text_of(el).replace("\u00a0", " ")
            names = [term["term"][lang]] + ([term["abbr"]] if term.get("abbr") else [])
            assert any(n in shown for n in names), f"{fid}: '{shown}' is not the {lang} term {names}"


def test_english_figures_have_no_hangul_and_korean_ones_do(kb, figures):
    for fid, fig in figures.items():
        en = "".join(text_of(t) for t in parse(render_svg(kb, fig, "en")).iter() if t.tag != f"{SVG}style")
        assert not HANGUL.search(en), f"{fid} (en): {HANGUL.search(en).group(0)!r}"
        ko = "".join(text_of(t) for t in texts(parse(render_svg(kb, fig, "ko"))))
        assert HANGUL.search(ko), f"{fid} (ko) shows no Korean label"


def test_rendering_is_deterministic(kb, figures):
    for fig in figures.values():
        for lang in LANGS:
            assert render_svg(kb, fig, lang) == render_svg(kb, copy.deepcopy(fig), lang)


def test_the_figure_rule_finds_nothing_in_the_real_kb(kb, figures):
    for fid, fig in figures.items():
        assert problems_of(kb, fig) == [], fid


def test_a_label_changed_in_the_glossary_changes_the_figure(kb, figures):
    changed = copy.deepcopy(kb)
    changed.terms["hypervisor"]["term"] = {"ko": "새 하이퍼바이저 이름", "en": "renamed hypervisor"}
    fig = figures["fig-hyperv-isolation"]
    for lang, new in (("ko", "새 하이퍼바이저 이름"), ("en", "renamed hypervisor")):
        before, after = render_svg(kb, fig, lang), render_svg(changed, fig, lang)
        assert before != after
        shown = [text_of(t) for t in texts(parse(after)) if t.get("data-term") == "hypervisor"]
        assert shown == [new]


def test_html_and_script_in_a_label_come_out_escaped(kb, figures):
    evil = '<script>alert("x")</script> & <b>bold</b>'
    changed = copy.deepcopy(kb)
    changed.terms["kernel"]["term"]["en"] = evil
    svg = render_svg(changed, figures["fig-runtime-stack"], "en")
    assert "<script" not in svg and "<b>" not in svg
    root = parse(svg)
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter("script"))
    shown = " ".join(text_of(t) for t in texts(root) if t.get("data-term") == "kernel")
    assert "<script>" in shown and "& <b>bold</b>" in shown       # shown as typed, never as markup


def test_labels_fit_their_boxes(kb, figures):
    """The estimate the renderer wraps and shrinks by must keep every label inside its box."""
    from kbtools.figures import FRAMES, PAD, fit, text_width
    for fid, fig in figures.items():
        lay = layout(fig)
        for box in fig["boxes"]:
            if box.get("style") in FRAMES:
                continue
            r = lay.rects[box["id"]]
            for lang in LANGS:
                f = fit(label_text(kb, box["label"], lang), None, r.w - 2 * PAD, r.h - 4)
                assert all(text_width(line, f.size) <= r.w - 2 * PAD for line in f.lines), (fid, box["id"], lang)


def test_unknown_term_and_dangling_arrow_are_reported_by_the_loader(tmp_path):
    kb_dir = tmp_path / "kb"
    shutil.copytree(ROOT / "tests" / "fixtures" / "kb-min", kb_dir)
    (kb_dir / "figures").mkdir()
    (kb_dir / "figures" / "fig-bad.yaml").write_text(
        "# yaml-language-server: $schema=../schema/figure.schema.json\n"
        "id: fig-bad\n"
        "caption: {ko: 잘못된 그림, en: A bad figure}\n"
        "description: {ko: 없는 용어를 씁니다., en: It uses a missing term.}\n"
        "sources: [containerd-releases]\n"
        "rows: [40]\n"
        "boxes:\n"
        "  - {id: a, label: containerd, row: 1, col: 1, width: 6}\n"
        "  - {id: b, label: no-such-term, row: 1, col: 7, width: 6}\n"
        "arrows:\n"
        "  - {from: a, to: nowhere}\n", "utf-8")
    schema = kb_dir / "schema" / "figure.schema.json"
    if not schema.exists():     # the fixture may carry its own copy of the schemas
        shutil.copy(ROOT / "kb" / "schema" / "figure.schema.json", schema)
    kb, problems = load(kb_dir)
    assert "fig-bad" in kb.figures
    mine = [p for p in problems if p.rule == "figure-labels"]
    assert any("no-such-term" in p.message and p.field == "boxes[1].label" for p in mine), mine
    assert any("nowhere" in p.message and p.field == "arrows[0].to" for p in mine), mine


def test_directive_numbers_figures_per_page_and_cites_sources(kb, figures):
    md = "<!-- kb:figure fig-process-isolation -->\n\n<!-- kb:figure fig-hyperv-isolation -->\n"
    for lang, word in (("ko", "그림"), ("en", "Figure")):
        page = Page(kb=kb, lang=lang, topic="isolation", src=f"docs/{lang}/isolation.md")
        out = expand(md, page)
        assert re.findall(rf'kb-figure-number">({word} \d):', out) == [f"{word} 1", f"{word} 2"]
        assert "ms-isolation-modes" in page.cited
        up = "../" if lang == "en" else ""
        assert f'href="{up}assets/figures/fig-process-isolation.{lang}.svg"' in out


def test_standalone_svgs_embed_the_palette(kb, figures, tmp_path):
    paths = write_figures(kb, tmp_path)
    assert len(paths) == 2 * len(figures)
    for path in paths:
        root = parse(path.read_text("utf-8"))
        style = "".join(text_of(s) for s in root.iter(f"{SVG}style"))
        assert "--md-default-fg-color" in style and "prefers-color-scheme: dark" in style
        assert root.get("width") and root.get("height")


# ---------------------------------------------------------------- the built site

def _figure_html(site: Path, page: str, fid: str) -> str:
    html = (site / page).read_text("utf-8")
    m = re.search(rf'<figure class="kb-figure" id="{fid}">(.*?)</figure>', html, re.S)
    assert m, f"figure {fid} is not on {page}"
    return m.group(1)


@pytest.mark.parametrize("lang", LANGS)
def test_every_figure_is_on_its_page_in_both_languages(site, kb, figures, lang):
    prefix = "en/" if lang == "en" else ""
    for fid, (topic, number) in FIGURE_PAGES.items():
        body = _figure_html(site, f"{prefix}{topic}.html", fid)
        svg = re.search(r"<svg.*?</svg>", body, re.S).group(0)
        root = parse(svg)                                  # inline SVG is well-formed XML too
        assert root.get("lang") == lang
        word = "그림" if lang == "ko" else "Figure"
        cap = re.search(r"<figcaption>(.*?)</figcaption>", body, re.S).group(1)
        assert f'<span class="kb-figure-number">{word} {number}:</span>' in cap
        assert kb.figures[fid]["caption"][lang] in cap
        assert 'class="footnote-ref"' in cap               # the figure's sources are cited
        href = re.search(r'class="kb-figure-open" href="([^"]+)"', cap).group(1)
        assert (site / prefix / href).resolve() == (site / file_name(fid, lang)).resolve()
        assert (site / file_name(fid, lang)).exists()
        if lang == "en":
            assert not HANGUL.search("".join(text_of(t) for t in texts(root)))


def test_figure_numbers_match_between_languages(site):
    for topic in sorted({t for t, _ in FIGURE_PAGES.values()}):
        ko = re.findall(r'<figure class="kb-figure" id="([^"]+)">', (site / f"{topic}.html").read_text("utf-8"))
        en = re.findall(r'<figure class="kb-figure" id="([^"]+)">', (site / f"en/{topic}.html").read_text("utf-8"))
        assert ko == en and ko


def test_figures_css_is_linked(site):
    assert (site / "assets/css/figures.css").exists()
    assert "assets/css/figures.css" in (site / "isolation.html").read_text("utf-8")


# ---------------------------------------------------------------- Chromium: both palettes

LUMINANCE = """
(el) => {
  const parse = c => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  return {fill: parse(getComputedStyle(el).fill),
          bg: parse(getComputedStyle(document.querySelector('.md-main') || document.body).backgroundColor
                    .replace(/^rgba\\(0, 0, 0, 0\\)$/, getComputedStyle(document.body).backgroundColor))};
}
"""

GEOMETRY = """
(svg) => {
  const out = [];
  for (const g of svg.querySelectorAll('.kb-fig-box')) {
    const r = g.querySelector('rect').getBBox();
    for (const t of g.querySelectorAll('text')) {
      const b = t.getBBox();
      out.push({box: g.dataset.box, frame: g.classList.contains('kb-fig-frame'), text: t.textContent,
                r: [r.x, r.y, r.x + r.width, r.y + r.height], b: [b.x, b.y, b.x + b.width, b.y + b.height]});
    }
  }
  return out;
}
"""


def _rel_lum(rgb):
    def ch(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (ch(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    la, lb = sorted((_rel_lum(a), _rel_lum(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_figures_in_both_palettes(page, http_site, lang, tmp_path):
    shots = Path(os.environ.get("FIGURE_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    prefix = "en/" if lang == "en" else ""
    colours = {}
    for topic in ("isolation", "runtimes"):
        page.set_viewport_size({"width": 1200, "height": 900})
        page.goto(f"{http_site}{prefix}{topic}.html")
        for scheme in ("default", "slate"):
            page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
            for fig in page.locator("figure.kb-figure").all():
                fid = fig.get_attribute("id")
                fig.scroll_into_view_if_needed()
                fig.screenshot(path=str(shots / f"{fid}.{lang}.{scheme}.png"))
                c = fig.locator(".kb-fig-label").first.evaluate(LUMINANCE)
                assert c["fill"] != c["bg"], (fid, scheme, c)
                assert contrast(c["fill"], c["bg"]) >= 4.5, (fid, scheme, c)
                k = fig.locator(".kb-fig-box--kernel text").first.evaluate(
                    "t => [getComputedStyle(t).fill, getComputedStyle(t.closest('g').querySelector('rect')).fill]")
                rgb = [list(map(float, re.findall(r"[\d.]+", x)[:3])) for x in k]
                assert contrast(*rgb) >= 4.5, (fid, scheme, k)
                colours[(fid, scheme)] = c["fill"]
                if scheme == "default":
                    _assert_text_inside_boxes(fig.locator("svg").evaluate(GEOMETRY), fid)
    for (fid, scheme), fill in colours.items():
        if scheme == "slate":
            assert fill != colours[(fid, "default")], f"{fid}: label colour does not follow the palette"


def _ink(b):
    """getBBox spans the font's whole ascent and descent (about 1.45 em for Noto Sans CJK); the
    glyphs sit in roughly its middle 70 %, which is what must not overflow or overlap."""
    x0, y0, x1, y1 = b
    trim = (y1 - y0) * 0.15
    return [x0, y0 + trim, x1, y1 - trim]


def _assert_text_inside_boxes(items, fid):
    for it in items:
        it["b"] = _ink(it["b"])
    for it in items:
        (rx0, ry0, rx1, ry1), (bx0, by0, bx1, by1) = it["r"], it["b"]
        assert rx0 - 0.5 <= bx0 and bx1 <= rx1 + 0.5, f"{fid}: '{it['text']}' overflows box {it['box']} sideways"
        assert ry0 - 0.5 <= by0 and by1 <= ry1 + 0.5, f"{fid}: '{it['text']}' overflows box {it['box']} vertically"
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = a["b"], b["b"]
            overlap = min(ax1, bx1) - max(ax0, bx0) > 1 and min(ay1, by1) - max(ay0, by0) > 1
            assert not overlap, f"{fid}: '{a['text']}' overlaps '{b['text']}'"


@pytest.mark.browser
def test_figures_fit_a_phone(page, http_site):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{http_site}isolation.html")
    width = page.evaluate("document.documentElement.clientWidth")
    for svg in page.locator("figure.kb-figure svg").all():
        box = svg.bounding_box()
        assert box["width"] <= width and box["x"] >= 0
        assert box["width"] >= width * 0.8, "the figure uses the width of the text column"


@pytest.mark.browser
def test_figures_use_the_text_width_on_a_desktop(page, http_site):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{http_site}en/runtimes.html")
    text_width = page.locator(".md-content .md-typeset").first.bounding_box()["width"]
    svg = page.locator("figure.kb-figure svg").first.bounding_box()
    assert svg["width"] >= min(text_width * 0.9, 720)
