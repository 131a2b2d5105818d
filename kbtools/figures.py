"""Figures as SVG, drawn from kb/figures/<id>.yaml in one language.

A figure is a grid: `rows` gives each row's height, `columns` the number of equal columns.
Boxes sit on grid cells (`row`, `col`, `width`, `height`); frames (styles frame, container, vm)
hold other boxes and carry their label in their first row. Arrows join two boxes. Every label is
a glossary term id, so the Korean page shows the Korean terms and the English page the English
ones, and renaming a term in kb/glossary/ renames it in every figure.

Plain Python, no external tools: text widths are estimated per character (Hangul counts as one
em), labels wrap at spaces and shrink until they fit. The output is deterministic. Colours are
CSS classes (docs/assets/css/figures.css) that read Material's palette variables, so one SVG
serves the light and the dark palette; the standalone copy written to the site embeds that CSS.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import escape as esc
from .model import KB, LANGS

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
MARKUP = re.compile(r"<[a-zA-Z/!]|\[[^\[\]]*\]\(|\*\*")   # [^[\]]: no rescan from each "[" (linear)
KO_ENDING = re.compile(r"(니다|니까)[.?!]?[)\"'”’]*$")

FRAMES = {"frame", "container", "vm"}
DEFAULT_WIDTH = 720
DEFAULT_COLUMNS = 12
MARGIN = 8
INSET = 3          # gap between a cell and its box
NEST = 6           # extra inset per frame around a box
FONT = 14          # label size
FRAME_FONT = 13
MIN_FONT = 9
LINE = 1.25
PAD = 6            # text padding inside a box
OUT_DIR = "assets/figures"
CSS_FILE = Path(__file__).resolve().parent.parent / "docs" / "assets" / "css" / "figures.css"

# Material's palette values, for the standalone file that has no Material stylesheet around it.
STANDALONE_VARS = """
svg { background: var(--md-default-bg-color); }
:root {
  --md-text-font-family: "Segoe UI", "Apple SD Gothic Neo", "Malgun Gothic", "Noto Sans KR", "Noto Sans CJK KR", Roboto, Arial, sans-serif;
  --md-default-fg-color: rgba(0, 0, 0, 0.87); --md-default-fg-color--light: rgba(0, 0, 0, 0.54);
  --md-default-fg-color--lighter: rgba(0, 0, 0, 0.32); --md-default-fg-color--lightest: rgba(0, 0, 0, 0.07);
  --md-default-bg-color: #fff; --md-code-bg-color: #f5f5f5;
  --md-primary-fg-color: #4051b5; --md-primary-bg-color: #fff; --md-typeset-a-color: #4051b5;
  --md-accent-fg-color: #526cfe; --md-accent-fg-color--transparent: rgba(82, 108, 254, 0.1);
  --kb-incorrect: #b91c1c;
}
@media (prefers-color-scheme: dark) {
  :root {
    --md-default-fg-color: hsla(232, 75%, 95%, 0.82); --md-default-fg-color--light: hsla(232, 75%, 90%, 0.56);
    --md-default-fg-color--lighter: hsla(232, 75%, 90%, 0.32); --md-default-fg-color--lightest: hsla(232, 75%, 90%, 0.12);
    --md-default-bg-color: hsla(232, 15%, 14%, 1); --md-code-bg-color: hsla(232, 15%, 18%, 1);
    --md-primary-fg-color: #4051b5; --md-primary-bg-color: #fff; --md-typeset-a-color: #8c9de6;
    --md-accent-fg-color: #40c4ff; --md-accent-fg-color--transparent: rgba(64, 196, 255, 0.1);
    --kb-incorrect: #fca5a5;
  }
}
"""


class FigureError(Exception):
    """A figure refers to something that is not in kb/ (the consistency rule reports it first)."""


# ---------------------------------------------------------------- labels

def label_text(kb: KB, label, lang: str) -> str:
    """The text of a label: a glossary term in `lang`, its abbreviation or both, plus a number."""
    if isinstance(label, str):
        label = {"term": label}
    term = kb.terms.get(label["term"])
    if term is None:
        raise FigureError(f"glossary term '{label['term']}' does not exist")
    form = label.get("form", "term")
    name = term["term"][lang]
    if form == "abbr":
        if "abbr" not in term:
            raise FigureError(f"glossary term '{label['term']}' has no abbr")
        text = term["abbr"]
    elif form == "term-abbr" and term.get("abbr") and term["abbr"] != name:
        text = f"{name} ({term['abbr']})"
    else:
        text = name
    if label.get("n"):
        text = f"{text}\u00a0{label['n']}"     # no-break space: the number stays with its label
    return text


def label_terms(fig: dict) -> list[tuple[str, str]]:
    """(field, term id) of every label in a figure, in file order."""
    out = []
    for i, box in enumerate(fig.get("boxes", [])):
        for key in ("label", "sublabel"):
            if key in box:
                lab = box[key]
                out.append((f"boxes[{i}].{key}", lab if isinstance(lab, str) else lab["term"]))
    for i, arrow in enumerate(fig.get("arrows", [])):
        if "label" in arrow:
            lab = arrow["label"]
            out.append((f"arrows[{i}].label", lab if isinstance(lab, str) else lab["term"]))
    return out


# ---------------------------------------------------------------- text measuring and wrapping

def _wide(ch: str) -> bool:
    o = ord(ch)
    return (0x1100 <= o <= 0x11FF or 0x2E80 <= o <= 0x9FFF or 0xA960 <= o <= 0xA97F
            or 0xAC00 <= o <= 0xD7FF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF)


def char_em(ch: str) -> float:
    """A generous estimate of a character's advance in em, so real text is never wider."""
    if _wide(ch):
        return 1.0
    if ch in " \u00a0":
        return 0.32
    if ch in "iljfrtI.,:;'|!":
        return 0.36
    if ch in "()[]{}-":
        return 0.42
    if ch in "mwMW@%":
        return 0.95
    if ch.isupper():
        return 0.74
    if ch.isdigit():
        return 0.62
    return 0.62


def text_width(text: str, size: float, bold: bool = False) -> float:
    return sum(char_em(c) for c in text) * size * (1.08 if bold else 1.0)


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str] | None:
    """Greedy wrap at spaces; None if one word alone is wider than `width`."""
    lines: list[str] = []
    for word in text.split(" "):
        if text_width(word, size, bold) > width:
            return None
        if lines and text_width(lines[-1] + " " + word, size, bold) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


@dataclass
class Fitted:
    size: float
    lines: list[str]
    sub_size: float
    sub_lines: list[str]

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * LINE + len(self.sub_lines) * self.sub_size * LINE


def fit(text: str, sub: str | None, width: float, height: float, base: float = FONT, bold: bool = False) -> Fitted:
    """The largest font size (in half-pixel steps) at which the label fits the box."""
    size = base
    while True:
        sub_size = round(size * 0.82 * 2) / 2
        lines = wrap(text, width, size, bold)
        sub_lines = wrap(sub, width, sub_size) if sub else []
        if lines is not None and sub_lines is not None:
            fitted = Fitted(size, lines, sub_size, sub_lines)
            if fitted.height <= height:
                return fitted
        if size <= MIN_FONT:
            # Cannot fit: keep the minimum size on one line each; the rule and tests report it.
            return Fitted(size, lines or [text], sub_size, sub_lines or ([sub] if sub else []))
        size -= 0.5


# ---------------------------------------------------------------- layout

@dataclass
class Rect:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def w(self) -> float:
        return self.x1 - self.x0

    @property
    def h(self) -> float:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


def _cells(box: dict) -> tuple[int, int, int, int]:
    """(first row, last row, first col, last col), 1-based and inclusive."""
    r, c = box["row"], box["col"]
    return r, r + box.get("height", 1) - 1, c, c + box.get("width", 1) - 1


def _contains(outer: dict, inner: dict) -> bool:
    a, b = _cells(outer), _cells(inner)
    return a[0] <= b[0] and b[1] <= a[1] and a[2] <= b[2] and b[3] <= a[3]


def is_frame(box: dict) -> bool:
    return box.get("style") in FRAMES


def frames_around(fig: dict, box: dict) -> list[dict]:
    """The frames that hold `box`, outermost first."""
    out = [f for f in fig["boxes"] if f is not box and is_frame(f) and _contains(f, box)]
    return sorted(out, key=lambda f: (len(frames_around(fig, f)), f["id"]))


@dataclass
class Layout:
    width: float
    height: float
    rects: dict[str, Rect]
    header: dict[str, float]        # frame id -> bottom of its label band
    depth: dict[str, int]


def layout(fig: dict) -> Layout:
    width = fig.get("width", DEFAULT_WIDTH)
    cols = fig.get("columns", DEFAULT_COLUMNS)
    col_w = (width - 2 * MARGIN) / cols
    tops = [MARGIN]
    for h in fig["rows"]:
        tops.append(tops[-1] + h)
    rects, header, depth = {}, {}, {}
    for box in fig["boxes"]:
        r0, r1, c0, c1 = _cells(box)
        around = frames_around(fig, box)
        # A box moves in from each side once per frame whose edge it shares on that side, so
        # nested frames stay visible without shrinking boxes in the middle of a frame.
        left = INSET + NEST * sum(_cells(f)[2] == c0 for f in around)
        right = INSET + NEST * sum(_cells(f)[3] == c1 for f in around)
        top = INSET + NEST * sum(_cells(f)[0] == r0 for f in around)
        bottom = INSET + NEST * sum(_cells(f)[1] == r1 for f in around)
        cell = Rect(MARGIN + (c0 - 1) * col_w, tops[r0 - 1], MARGIN + c1 * col_w, tops[min(r1, len(fig["rows"]))])
        rects[box["id"]] = Rect(cell.x0 + left, cell.y0 + top, cell.x1 - right, cell.y1 - bottom)
        depth[box["id"]] = len(around)
        if is_frame(box):
            header[box["id"]] = tops[r0]
    return Layout(width, tops[-1] + MARGIN, rects, header, depth)


# ---------------------------------------------------------------- SVG

def _n(v: float) -> str:
    """Numbers in the SVG: one decimal at most, no trailing zeros (deterministic, compact)."""
    s = f"{v:.1f}"
    return s[:-2] if s.endswith(".0") else s


def _esc(text: str) -> str:
    return esc.text(text)   # SVG text and attribute values: the one escaper (kbtools/escape.py)


def _box_fit(kb, box, rect: Rect, lang: str, base: float = FONT) -> Fitted:
    main = label_text(kb, box["label"], lang)
    sub = label_text(kb, box["sublabel"], lang) if "sublabel" in box else None
    return fit(main, sub, rect.w - 2 * PAD, rect.h - 4, base)


def _label_svg(kb, box, rect: Rect, lang: str, frame_band: float | None, base: float = FONT) -> list[str]:
    main = label_text(kb, box["label"], lang)
    sub = label_text(kb, box["sublabel"], lang) if "sublabel" in box else None
    term = box["label"] if isinstance(box["label"], str) else box["label"]["term"]
    if frame_band is not None:    # frame: one line, left, in the band of its first row
        band_h = frame_band - rect.y0
        size = FRAME_FONT
        while size > MIN_FONT and text_width(main, size, True) > rect.w - 2 * PAD:
            size -= 0.5
        y = rect.y0 + (band_h - INSET) / 2 + 1
        return [f'<text class="kb-fig-frame-label" x="{_n(rect.x0 + PAD + 2)}" y="{_n(y)}" '
                f'font-size="{_n(size)}" dominant-baseline="central" data-term="{_esc(term)}">{_esc(main)}</text>']
    f = _box_fit(kb, box, rect, lang, base)
    y = rect.cy - f.height / 2
    spans = []
    for line in f.lines:
        spans.append(f'<tspan x="{_n(rect.cx)}" y="{_n(y + f.size * LINE / 2)}">{_esc(line)}</tspan>')
        y += f.size * LINE
    out = [f'<text class="kb-fig-label" text-anchor="middle" dominant-baseline="central" '
           f'font-size="{_n(f.size)}" data-term="{_esc(term)}">{"".join(spans)}</text>']
    if f.sub_lines:
        sub_term = box["sublabel"] if isinstance(box["sublabel"], str) else box["sublabel"]["term"]
        spans = []
        for line in f.sub_lines:
            spans.append(f'<tspan x="{_n(rect.cx)}" y="{_n(y + f.sub_size * LINE / 2)}">{_esc(line)}</tspan>')
            y += f.sub_size * LINE
        out.append(f'<text class="kb-fig-sublabel" text-anchor="middle" dominant-baseline="central" '
                   f'font-size="{_n(f.sub_size)}" data-term="{_esc(sub_term)}">{"".join(spans)}</text>')
    return out


def _term_of(label) -> str:
    return label if isinstance(label, str) else label["term"]


def _clip(r: Rect, px: float, py: float, qx: float, qy: float) -> tuple[float, float]:
    """Where the segment from the centre p of r towards q leaves r."""
    dx, dy = qx - px, qy - py
    ts = []
    if dx:
        ts += [(r.x1 - px) / dx, (r.x0 - px) / dx]
    if dy:
        ts += [(r.y1 - py) / dy, (r.y0 - py) / dy]
    t = min(t for t in ts if t > 0) if any(t > 0 for t in ts) else 0
    return px + dx * t, py + dy * t


def _entry(r: Rect, ax: float, ay: float, bx: float, by: float) -> tuple[float, float]:
    """Where the segment a→b (b inside r, a outside) enters r."""
    lo, hi = 0.0, 1.0
    for _ in range(40):
        mid = (lo + hi) / 2
        x, y = ax + (bx - ax) * mid, ay + (by - ay) * mid
        if r.x0 <= x <= r.x1 and r.y0 <= y <= r.y1:
            hi = mid
        else:
            lo = mid
    return ax + (bx - ax) * hi, ay + (by - ay) * hi


def arrow_points(a: Rect, b: Rect) -> tuple[float, float, float, float]:
    """Straight vertical or horizontal where the boxes overlap, else centre to centre."""
    gap = 2
    ox0, ox1 = max(a.x0, b.x0), min(a.x1, b.x1)
    oy0, oy1 = max(a.y0, b.y0), min(a.y1, b.y1)
    if ox1 - ox0 >= 8 and (b.y0 >= a.y1 or a.y0 >= b.y1):
        x = (ox0 + ox1) / 2
        return (x, a.y1 + gap, x, b.y0 - gap) if b.y0 >= a.y1 else (x, a.y0 - gap, x, b.y1 + gap)
    if oy1 - oy0 >= 8 and (b.x0 >= a.x1 or a.x0 >= b.x1):
        y = (oy0 + oy1) / 2
        return (a.x1 + gap, y, b.x0 - gap, y) if b.x0 >= a.x1 else (a.x0 - gap, y, b.x1 + gap, y)
    x0, y0 = _clip(a, a.cx, a.cy, b.cx, b.cy)
    x1, y1 = _clip(b, b.cx, b.cy, a.cx, a.cy)
    return x0, y0, x1, y1


def _arrow_svg(kb, fig, lay: Layout, arrow: dict, lang: str, marker: str) -> list[str]:
    boxes = {b["id"]: b for b in fig["boxes"]}
    a, b = lay.rects[arrow["from"]], lay.rects[arrow["to"]]
    x0, y0, x1, y1 = arrow_points(a, b)
    style = arrow.get("style", "solid")
    attrs = f'x1="{_n(x0)}" y1="{_n(y0)}" x2="{_n(x1)}" y2="{_n(y1)}"'
    out = [f'<g class="kb-fig-arrow kb-fig-arrow--{style}" data-from="{arrow["from"]}" data-to="{arrow["to"]}">']
    if style == "blocked":
        out.append(f'<line class="kb-fig-line" {attrs}/>')
        src, dst = boxes[arrow["from"]], boxes[arrow["to"]]
        walls = [f for f in frames_around(fig, dst) if f not in frames_around(fig, src)] or [dst]
        cx, cy = _entry(lay.rects[walls[0]["id"]], x0, y0, x1, y1)
        s = 6
        out.append(f'<path class="kb-fig-block" d="M{_n(cx - s)},{_n(cy - s)} L{_n(cx + s)},{_n(cy + s)} '
                   f'M{_n(cx - s)},{_n(cy + s)} L{_n(cx + s)},{_n(cy - s)}"/>')
    else:
        out.append(f'<line class="kb-fig-line" {attrs} marker-end="url(#{marker})"/>')
    if "label" in arrow:
        text = label_text(kb, arrow["label"], lang)
        term = arrow["label"] if isinstance(arrow["label"], str) else arrow["label"]["term"]
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        if abs(x1 - x0) < 1:   # vertical: text beside the line
            pos = f'x="{_n(mx + 5)}" y="{_n(my)}" text-anchor="start"'
        else:
            pos = f'x="{_n(mx)}" y="{_n(my - 8)}" text-anchor="middle"'
        out.append(f'<text class="kb-fig-arrow-label" {pos} dominant-baseline="central" font-size="11.5" '
                   f'data-term="{_esc(term)}">{_esc(text)}</text>')
    out.append("</g>")
    return out


def render_svg(kb: KB, fig: dict, lang: str, standalone: bool = False) -> str:
    """The figure as one SVG element (inline) or document (standalone), in `lang`."""
    lay = layout(fig)
    fid = _esc(fig["id"])
    title, desc = fig["caption"][lang], fig["description"][lang]
    marker = f"{fid}-arrowhead"
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="kb-fig" viewBox="0 0 {_n(lay.width)} {_n(lay.height)}" '
            f'role="img" aria-labelledby="{fid}-title {fid}-desc" lang="{lang}" data-figure="{fid}">')
    parts = []
    if standalone:
        parts.append('<?xml version="1.0" encoding="UTF-8"?>')
        head = head.replace('class="kb-fig"', f'class="kb-fig" width="{_n(lay.width)}" height="{_n(lay.height)}"')
    parts += [head, f'<title id="{fid}-title">{_esc(title)}</title>', f'<desc id="{fid}-desc">{_esc(desc)}</desc>']
    if standalone:
        css = CSS_FILE.read_text("utf-8") if CSS_FILE.exists() else ""
        parts.append(f"<style>{_esc_css(STANDALONE_VARS + css)}</style>")
    parts.append(f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" '
                 f'markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
                 f'<path class="kb-fig-arrowhead" d="M0,0 L10,5 L0,10 z"/></marker></defs>')
    # Outer frames first, so inner boxes paint over them.
    order = sorted(fig["boxes"], key=lambda b: (lay.depth[b["id"]], 0 if is_frame(b) else 1))
    # Boxes labelled with the same term (vmwp.exe 1, vmwp.exe 2) share one font size.
    same: dict[str, float] = {}
    for box in fig["boxes"]:
        if not is_frame(box):
            key = _term_of(box["label"])
            same[key] = min(same.get(key, FONT), _box_fit(kb, box, lay.rects[box["id"]], lang).size)
    for box in order:
        style = _esc(box.get("style", "service"))
        r = lay.rects[box["id"]]
        frame = is_frame(box)
        parts.append(f'<g class="kb-fig-box kb-fig-box--{style}{" kb-fig-frame" if frame else ""}" data-box="{_esc(box["id"])}">')
        parts.append(f'<rect x="{_n(r.x0)}" y="{_n(r.y0)}" width="{_n(r.w)}" height="{_n(r.h)}" rx="{4 if frame else 3}"/>')
        parts += _label_svg(kb, box, r, lang, lay.header[box["id"]] if frame else None,
                            FONT if frame else same[_term_of(box["label"])])
        parts.append("</g>")
    for arrow in fig.get("arrows", []):
        parts += _arrow_svg(kb, fig, lay, arrow, lang, marker)
    parts.append("</svg>")
    return "\n".join(parts) + ("\n" if standalone else "")


def _esc_css(css: str) -> str:
    # CSS inside <style> of an XML document: only & and < need care; our CSS has neither in values.
    return css.replace("&", "&amp;").replace("<", "&lt;")


def file_name(fig_id: str, lang: str) -> str:
    return f"{OUT_DIR}/{fig_id}.{lang}.svg"


def write_figures(kb: KB, site_dir: Path) -> list[Path]:
    """The standalone SVG of every figure in every language (the "open larger" link)."""
    out = []
    for fid in sorted(getattr(kb, "figures", {})):
        for lang in LANGS:
            path = Path(site_dir) / file_name(fid, lang)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render_svg(kb, kb.figures[fid], lang, standalone=True), "utf-8")
            out.append(path)
    return out


# ---------------------------------------------------------------- checks used by the rule

def problems_of(kb: KB, fig: dict) -> list[tuple[str, str, str, str]]:
    """(field, message, actual, expected) for every inconsistency of one figure."""
    out = []
    for field, term in label_terms(fig):
        if term not in kb.terms and term not in kb.broken:
            out.append((field, f"glossary term '{term}' does not exist", term, "an id of kb/glossary/*.yaml"))
    for i, box in enumerate(fig["boxes"]):
        for key in ("label", "sublabel"):
            lab = box.get(key)
            if isinstance(lab, dict) and lab.get("form") == "abbr" and lab["term"] in kb.terms \
                    and "abbr" not in kb.terms[lab["term"]]:
                out.append((f"boxes[{i}].{key}.form", f"term '{lab['term']}' has no abbr", "abbr", "term or term-abbr"))
    ids = [b["id"] for b in fig["boxes"]]
    seen = set()
    for i, ident in enumerate(ids):
        if ident in seen:
            out.append((f"boxes[{i}].id", f"box id '{ident}' is used twice", ident, "unique box ids"))
        seen.add(ident)
    rows, cols = len(fig["rows"]), fig.get("columns", DEFAULT_COLUMNS)
    for i, box in enumerate(fig["boxes"]):
        r0, r1, c0, c1 = _cells(box)
        if r1 > rows or c1 > cols:
            out.append((f"boxes[{i}]", f"box '{box['id']}' leaves the grid", f"rows {r0}-{r1}, cols {c0}-{c1}",
                        f"within {rows} rows and {cols} columns"))
    plain = [b for b in fig["boxes"] if not is_frame(b)]
    for i, a in enumerate(plain):
        for b in plain[i + 1:]:
            ra, rb = _cells(a), _cells(b)
            if ra[0] <= rb[1] and rb[0] <= ra[1] and ra[2] <= rb[3] and rb[2] <= ra[3]:
                out.append(("boxes", f"boxes '{a['id']}' and '{b['id']}' overlap", f"{a['id']}, {b['id']}",
                            "boxes on different cells"))
    for i, arrow in enumerate(fig.get("arrows", [])):
        for end in ("from", "to"):
            if arrow[end] not in seen:
                out.append((f"arrows[{i}].{end}", f"box '{arrow[end]}' does not exist", arrow[end], "a box id of this figure"))
    for i, sid in enumerate(fig["sources"]):
        if sid not in kb.sources and sid not in kb.broken:
            out.append((f"sources[{i}]", f"source '{sid}' is not in kb/sources/", sid, "an id of kb/sources/*.yaml"))
    for key in ("caption", "description"):
        if HANGUL.search(fig[key]["en"]):
            out.append((f"{key}.en", "English text contains Hangul", HANGUL.search(fig[key]["en"]).group(0), "English only"))
        if not HANGUL.search(fig[key]["ko"]):
            out.append((f"{key}.ko", "Korean text has no Hangul", fig[key]["ko"][:40], "Korean"))
        for lang in LANGS:
            if MARKUP.search(fig[key][lang]):
                out.append((f"{key}.{lang}", "text contains markup", MARKUP.search(fig[key][lang]).group(0),
                            "plain text (it is escaped)"))
    if not KO_ENDING.search(fig["description"]["ko"].strip()):
        out.append(("description.ko", "Korean sentence does not end in 합니다체", fig["description"]["ko"].strip()[-20:],
                    "…니다."))
    if out:
        return out
    # Everything resolves: now check that every label fits its box in both languages.
    lay = layout(fig)
    for i, box in enumerate(fig["boxes"]):
        r = lay.rects[box["id"]]
        for lang in LANGS:
            text = label_text(kb, box["label"], lang)
            if is_frame(box):
                if text_width(text, MIN_FONT, True) > r.w - 2 * PAD:
                    out.append((f"boxes[{i}].label", f"label '{text}' is too wide for frame '{box['id']}'",
                                text, "a wider frame or a shorter term"))
                continue
            sub = label_text(kb, box["sublabel"], lang) if "sublabel" in box else None
            f = fit(text, sub, r.w - 2 * PAD, r.h - 4)
            if f.size <= MIN_FONT and (f.height > r.h - 4 or any(text_width(x, f.size) > r.w - 2 * PAD for x in f.lines)):
                out.append((f"boxes[{i}].label", f"label '{text}' ({lang}) does not fit box '{box['id']}'",
                            text, "a wider or taller box"))
    return out
