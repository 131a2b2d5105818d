"""Atom feeds of what changed, one per language (feed.xml, en/feed.xml), from kb/changelog.yaml.

One entry per changelog entry, newest first: what changed and why (the entry's reason), and each
fact it names with its short link (kbtools/shortlinks.py) and its sentence today. Entry ids and
links are the changelog page's anchors (changelog.html#change-<n>), stable because the changelog
is append-only. Every page's head links its language's feed (`head_link`).
"""
from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from .model import KB, LANGS
from . import escape
from .escape import html as to_html
from .shortlinks import _base, fact_description, short_path
from .text import plain
from .urls import LANG_PREFIX

FEED = "feed.xml"
ATOM = "http://www.w3.org/2005/Atom"


def feed_path(lang: str) -> str:
    return f"{LANG_PREFIX[lang]}{FEED}"


def _x(value) -> str:
    return xml_escape(str(value), {'"': "&quot;"})


def _stamp(date) -> str:
    return f"{date}T00:00:00Z"


def _touched(kb: KB, ident: str, lang: str, base: str) -> str:
    """One <li> of the entry's HTML content: the id, its short link and what it says now."""
    aliases, retired = kb.aliases(), kb.retired()
    now = aliases.get(ident, ident)
    if now in kb.facts:
        f = kb.facts[now]
        old = "" if now == ident else f" ({escape.text(ident)})"
        return (f'<li><a href="{escape.text(base + short_path(now, lang))}"><code>#{escape.text(now)}</code></a>{old} '
                f'{escape.text(f.entity.data["name"][lang])}: {escape.text(fact_description(kb, f, lang))}</li>')
    if now in kb.entities:
        e = kb.entities[now]
        href = f"{base}{LANG_PREFIX[lang]}{e.topic}.html#{e.id}"
        return f'<li><a href="{escape.text(href)}">{escape.text(e.data["name"][lang])}</a>: {escape.text(plain(e.data["summary"][lang]))}</li>'
    label = kb.ui("changelog.retired-id", lang)
    return f"<li><code>#{escape.text(ident)}</code> ({escape.text(label)})" + (
        f": {escape.text(retired[ident]['reason'][lang])}" if ident in retired and "reason" in retired[ident] else "") + "</li>"


def _title(kb: KB, entry: dict, lang: str) -> str:
    names = []
    for ident in entry["ids"]:
        now = kb.aliases().get(ident, ident)
        name = (kb.facts[now].entity.data["name"][lang] if now in kb.facts
                else kb.entities[now].data["name"][lang] if now in kb.entities else ident)
        if name not in names:
            names.append(name)
    shown = ", ".join(names[:3]) + (" …" if len(names) > 3 else "")
    return f'{kb.ui("changelog.kind." + entry["kind"], lang)}: {shown}'


def atom(kb: KB, lang: str, site_url: str | None) -> str:
    base = _base(site_url)
    page = f"{base}{LANG_PREFIX[lang]}changelog.html"
    entries = []
    for n, e in reversed(list(enumerate(kb.changelog, 1))):
        reason = e["reason"][lang]
        body = (f"<p>{to_html(reason)}</p>\n<p>{escape.text(kb.ui('feed.facts', lang))} ({len(e['ids'])}):</p>\n<ul>\n"
                + "\n".join(_touched(kb, i, lang, base) for i in e["ids"]) + "\n</ul>")
        entries.append(
            f"  <entry>\n    <id>{_x(page)}#change-{n}</id>\n    <title>{_x(_title(kb, e, lang))}</title>\n"
            f"    <updated>{_stamp(e['date'])}</updated>\n"
            f'    <link rel="alternate" type="text/html" href="{_x(page)}#change-{n}"/>\n'
            f'    <category term="{_x(e["kind"])}" label="{_x(kb.ui("changelog.kind." + e["kind"], lang))}"/>\n'
            f"    <summary>{_x(plain(reason))}</summary>\n"
            f'    <content type="html">{_x(body)}</content>\n  </entry>')
    updated = max((str(e["date"]) for e in kb.changelog), default=kb.as_of)
    name = kb.ui("site.name", lang)
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="{ATOM}" xml:lang="{lang}">\n'
            f"  <id>{_x(base + feed_path(lang))}</id>\n  <title>{_x(kb.ui('feed.title', lang))}</title>\n"
            f"  <updated>{_stamp(updated)}</updated>\n"
            f'  <link rel="self" type="application/atom+xml" href="{_x(base + feed_path(lang))}"/>\n'
            f'  <link rel="alternate" type="text/html" href="{_x(page)}"/>\n'
            f"  <author><name>{_x(name)}</name></author>\n"
            + "\n".join(entries) + "\n</feed>\n")


def write(kb: KB, site_dir: Path, site_url: str | None = None) -> list[Path]:
    written = []
    for lang in LANGS:
        dest = Path(site_dir) / feed_path(lang)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(atom(kb, lang, site_url), "utf-8")
        written.append(dest)
    return written


def head_link(output: str, kb: KB, lang: str) -> str:
    """<link rel=alternate type=application/atom+xml> in the page's head. Pages are flat in their
    language root, so the relative `feed.xml` is the feed of the page's language everywhere."""
    tag = f'<link rel="alternate" type="application/atom+xml" href="{FEED}" title="{escape.text(kb.ui("feed.subscribe", lang))}">\n'
    idx = output.find("</head>")
    return output[:idx] + tag + output[idx:] if idx != -1 else output
