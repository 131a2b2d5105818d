"""Permalinks in the built HTML: what the page-level hook step adds around the kb's anchors.

- The toc extension's heading link (`<a class="headerlink" title="Permanent link">`) gets its
  title in the page's language (Python-Markdown has one global title for all languages).
- `<link rel="alternate" hreflang>` in the head becomes absolute under `site_url`, like the
  canonical link and the sitemap, so `SITE_URL=https://wiki.corp/kb/ make build` moves all three.
- The labels that docs/assets/js/permalink.js shows (copy button, menu) are embedded per page
  as JSON, in the page's language, from the `permalink.*` keys of kb/labels.yaml.

Plain string work on the page HTML: no MkDocs import, so another engine can call it too.
"""
from __future__ import annotations

import html
import re
from urllib.parse import urljoin

from . import escape as esc
from .model import KB

LABELS_ID = "kb-permalink-labels"
JS_LABELS = {   # key in the JSON read by permalink.js -> key in kb/labels.yaml ui
    "copy": "permalink.copy",
    "copied": "permalink.copied",
    "copyFailed": "permalink.copy-failed",
    "menu": "permalink.menu",
    "asMarkdown": "permalink.as-markdown",
    "asHtml": "permalink.as-html",
    "asText": "permalink.as-text",
    "asShort": "permalink.as-short",
    "sources": "fact.sources",
    "section": "permalink.section",
    "fact": "fact.permalink",
}

FALLBACK = {   # used only when a kb (e.g. a test fixture) lacks a label; kb/labels.yaml has them all
    "fact.permalink": "Permanent link to this fact", "fact.sources": "Sources", "page.moved": "This page has moved",
    "permalink.as-html": "Copy as HTML link", "permalink.as-markdown": "Copy as Markdown link", "permalink.as-short": "Copy short link",
    "permalink.as-text": "Copy as text with sentence and source", "permalink.copied": "Link copied",
    "permalink.copy": "Copy permalink", "permalink.copy-failed": "Could not copy automatically. Select the text below and copy it (Ctrl+C).",
    "permalink.menu": "Copy as…", "permalink.section": "Permanent link to this section",
}

_HEADERLINK = re.compile(r'(<a class="headerlink" href="#[^"]*" title=")Permanent link(")')
_ALTERNATE = re.compile(r'<link rel="alternate" href="([^"]*)" hreflang="([^"]*)"\s*/?>')


def label(kb: KB, key: str, lang: str) -> str:
    pair = kb.labels.get("ui", {}).get(key)
    return pair[lang] if pair else FALLBACK[key]


def labels(kb: KB, lang: str) -> dict[str, str]:
    return {js: label(kb, key, lang) for js, key in JS_LABELS.items()}


def post_page(output: str, kb: KB, lang: str, canonical_url: str | None) -> str:
    """Localize heading-link titles, make hreflang absolute, embed the copy-menu labels.

    `canonical_url` is the page's absolute URL under site_url (MkDocs' page.canonical_url).
    """
    title = esc.text(label(kb, "permalink.section", lang))
    output = _HEADERLINK.sub(lambda m: f"{m.group(1)}{title}{m.group(2)}", output)
    if canonical_url:
        here = canonical_url

        def absolute(m: re.Match) -> str:
            href = html.unescape(m.group(1))
            return f'<link rel="alternate" href="{esc.text(urljoin(here, href))}" hreflang="{m.group(2)}">'
        output = _ALTERNATE.sub(absolute, output)
    tag = f'<script type="application/json" id="{LABELS_ID}">{esc.json_script(labels(kb, lang))}</script>\n'
    idx = output.rfind("</body>")
    return output[:idx] + tag + output[idx:] if idx != -1 else output + tag
