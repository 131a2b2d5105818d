"""The figure directive: `<!-- kb:figure fig-runtime-stack -->` places an inline SVG figure.

Figures are numbered per page in the order they appear ("그림 1:" / "Figure 1:"); the caption
cites the figure's sources as footnotes and links to the standalone SVG for a larger view.
"""
from __future__ import annotations

from .. import escape as esc
from ..figures import FigureError, file_name, render_svg
from ..text import to_markdown
from ..urls import LANG_PREFIX
from . import DirectiveError, Page, directive

DEFAULT_UI = {"figure.number": {"ko": "그림 {n}", "en": "Figure {n}"},
              "figure.open": {"ko": "크게 보기", "en": "Open full size"}}


def _ui(page: Page, key: str) -> str:
    return page.kb.labels.get("ui", {}).get(key, DEFAULT_UI[key])[page.lang]


@directive("figure")
def figure(page: Page, args, options) -> str:
    if len(args) != 1:
        raise DirectiveError(f"{page.src}: kb:figure takes exactly one id, got {args or 'none'}")
    ident = args[0]
    fig = getattr(page.kb, "figures", {}).get(ident)
    if fig is None:
        raise DirectiveError(f"{page.src}: kb:figure '{ident}' is not in kb/figures/")
    numbered = page.__dict__.setdefault("figures", [])
    if ident in numbered:
        raise DirectiveError(f"{page.src}: figure '{ident}' is placed twice")
    numbered.append(ident)
    try:
        svg = render_svg(page.kb, fig, page.lang)
    except FigureError as exc:
        raise DirectiveError(f"{page.src}: kb:figure '{ident}': {exc}") from None
    up = "../" * (LANG_PREFIX[page.lang].count("/") + page.topic.count("/"))
    href = esc.text(up + file_name(ident, page.lang))
    number = esc.markdown(_ui(page, "figure.number").replace("{n}", str(len(numbered))))
    caption = to_markdown(fig["caption"][page.lang])
    # md_in_html keeps the <div> (and the SVG in it) as raw HTML; only the caption is Markdown,
    # for its footnote references.
    return (f'<figure class="kb-figure" id="{esc.text(ident)}" markdown="1">\n'
            f'<div class="kb-figure-img">{svg}</div>\n'
            f'<figcaption markdown="span"><span class="kb-figure-number">{number}:</span> {caption}'
            f'{page.cite(fig["sources"])} '
            f'<a class="kb-figure-open" href="{href}" target="_blank" rel="noopener">'
            f'{esc.markdown(_ui(page, "figure.open"))}</a></figcaption>\n'
            f'</figure>\n')
