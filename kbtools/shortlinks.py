"""Links that outlive their page: short links per fact, and the id map every page falls back on.

- `f/<id>.html` (Korean) and `en/f/<id>.html` (English) for every fact, question and old id (alias):
  a page that sends the reader to the fact's current page and anchor (meta refresh plus
  location.replace, relative, so it works over HTTP, under a sub-path and from file://), and that
  carries Open Graph and Twitter card metadata in its language, so a pasted link unfurls as the
  fact itself: the entity's name, the fact's sentence, the site card image.
- `assets/js/kb-ids.js`: every known id (published anchors of kb/published.txt, moved ones
  followed; facts and entities at their current page; old ids; retired ids) -> page and anchor.
  docs/assets/js/kb-fragment.js loads it when a page's #fragment names no element of the page.

Written once per build, after the last language (kbtools/site.py finish).
"""
from __future__ import annotations

from pathlib import Path

from . import escape, registry
from .model import KB, LANGS
from .text import fill, plain
from .urls import LANG_PREFIX

SHORT_DIR = "f"
CARD = "assets/images/kb-card.png"          # 1200x630, drawn from docs/assets/images/kb-card.svg
CARD_SIZE = (1200, 630)
ID_MAP = "assets/js/kb-ids.js"
OG_LOCALE = {"ko": "ko_KR", "en": "en_US"}
BADGED = {"outdated", "incorrect", "disputed", "unverified", "opinion"}
FRAGMENT_LABELS = {"missing": "fragment.missing", "search": "fragment.search"}


def short_path(ident: str, lang: str) -> str:
    """A short link relative to the site root: f/<id>.html, en/f/<id>.html."""
    return f"{LANG_PREFIX[lang]}{SHORT_DIR}/{ident}.html"


def _base(site_url: str | None) -> str:
    url = site_url or "/"
    return url if url.endswith("/") else url + "/"


# ---------------------------------------------------------------------------- what a link says

def fact_description(kb: KB, fact, lang: str) -> str:
    """The fact's sentence, placeholders filled and markup removed; a non-current fact says so and
    adds what holds now, so an unfurled outdated claim is never read as current."""
    d = fact.data
    text = plain(fill(d["text"][lang], fact.values, lang))
    if fact.status in BADGED:
        text = f"[{kb.ui('status.' + fact.status, lang)}] {text}"
    if "current" in d:
        now = plain(fill(d["current"][lang], fact.values, lang))
        text = f"{text} {kb.ui('fact.current', lang)}: {now}"
    return " ".join(text.split())


def targets(kb: KB) -> dict[str, dict]:
    """short id -> {"topic", "anchor", "title": {lang}, "description": {lang}} for facts, old ids and questions."""
    out: dict[str, dict] = {}
    for fact in kb.facts.values():
        ent = fact.entity
        rec = {"topic": fact.topic, "anchor": fact.id,
               "title": {lang: ent.data["name"][lang] for lang in LANGS},
               "description": {lang: fact_description(kb, fact, lang) for lang in LANGS}}
        out[fact.id] = rec
        for old in fact.data.get("aliases", []):
            out[old] = rec
    for ent in kb.entities.values():
        for old in ent.data.get("aliases", []):
            out.setdefault(old, {"topic": ent.topic, "anchor": ent.id,
                                 "title": {lang: ent.data["name"][lang] for lang in LANGS},
                                 "description": {lang: plain(ent.data["summary"][lang]) for lang in LANGS}})
    for q in kb.questions.values():      # a question unfurls as itself: the question, then its short answer
        out[q["id"]] = {"topic": "questions", "anchor": q["id"],
                        "title": {lang: plain(q["question"][lang]) for lang in LANGS},
                        "description": {lang: " ".join(plain(q["answer"][lang]).split()) for lang in LANGS}}
    return dict(sorted(out.items()))


def page_html(kb: KB, ident: str, rec: dict, lang: str, site_url: str | None) -> str:
    base = _base(site_url)
    target = f"../{rec['topic']}.html#{rec['anchor']}"       # f/ sits one level below the language root
    canonical = f"{base}{LANG_PREFIX[lang]}{rec['topic']}.html#{rec['anchor']}"
    title, desc = rec["title"][lang], rec["description"][lang]
    site_name = kb.ui("site.name", lang)
    other = [x for x in LANGS if x != lang][0]
    meta = [
        ("property", "og:type", "article"), ("property", "og:title", title), ("property", "og:description", desc),
        ("property", "og:url", base + short_path(ident, lang)), ("property", "og:site_name", site_name),
        ("property", "og:locale", OG_LOCALE[lang]), ("property", "og:locale:alternate", OG_LOCALE[other]),
        ("property", "og:image", base + CARD), ("property", "og:image:width", str(CARD_SIZE[0])),
        ("property", "og:image:height", str(CARD_SIZE[1])), ("property", "og:image:alt", site_name),
        ("name", "twitter:card", "summary_large_image"), ("name", "twitter:title", title),
        ("name", "twitter:description", desc), ("name", "twitter:image", base + CARD),
        ("name", "description", desc), ("name", "robots", "noindex"),
    ]
    tags = "\n".join(f'<meta {k}="{escape.text(n)}" content="{escape.text(v)}">' for k, n, v in meta)
    script = escape.json_script(target)
    return (f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="kb-shortlink" content="{escape.text(rec["anchor"])}">\n'
            f'<meta http-equiv="refresh" content="0; url={escape.text(target)}">\n'
            f'<title>{escape.text(title)} — {escape.text(site_name)}</title>\n{tags}\n'
            f'<link rel="canonical" href="{escape.text(canonical)}">\n'
            f'<script>location.replace({script})</script>\n</head>\n'
            f'<body>\n<p><a href="{escape.text(target)}">{escape.text(title)}</a></p>\n<p>{escape.text(desc)}</p>\n</body>\n</html>\n')


def write(kb: KB, site_dir: Path, site_url: str | None = None) -> list[Path]:
    written = []
    for ident, rec in targets(kb).items():
        for lang in LANGS:
            dest = Path(site_dir) / short_path(ident, lang)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(page_html(kb, ident, rec, lang, site_url), "utf-8")
            written.append(dest)
    return written


# ---------------------------------------------------------------------------- the id map

def id_map(kb: KB, reg: dict | None = None) -> dict[str, tuple[str, str]]:
    """id -> (page, anchor) where a link to that id must land today."""
    reg = reg if reg is not None else registry.read(kb.root)
    moved_ids = reg.get("moved_ids", {})
    out: dict[str, tuple[str, str]] = {}
    for page, anchors in sorted(reg["pages"].items()):
        for a in anchors:
            new = moved_ids.get(f"{page}#{a}")
            if new:
                p, _, anc = new.partition("#")
                out.setdefault(a, (registry.final_page(reg, p), anc or a))
            else:
                out.setdefault(a, (registry.final_page(reg, page), a))
    for obj in [*kb.entities.values(), *kb.facts.values()]:      # kb objects win over same-named headings
        out[obj.id] = (f"{obj.topic}.html", obj.id)
    for old, new in kb.aliases().items():
        out[old] = out[new]
    for rid, r in kb.retired().items():
        to = r.get("replaced_by")
        ent = kb.entities[r["entity"]]
        out[rid] = out[to] if to in out else (f"{ent.topic}.html", ent.id)
    return dict(sorted(out.items()))


def id_map_js(kb: KB, reg: dict | None = None) -> str:
    """The map as compact JS: {p: [pages], i: {id: page index | [page index, anchor]}, m: moved pages, l: labels}."""
    reg = reg if reg is not None else registry.read(kb.root)
    ids = id_map(kb, reg)
    pages = sorted({p for p, _ in ids.values()})
    index = {p: n for n, p in enumerate(pages)}
    compact = {i: (index[p] if a == i else [index[p], a]) for i, (p, a) in ids.items()}
    moved = {old: registry.final_page(reg, old) for old in reg["moved"]}
    labels = {lang: {k: kb.ui(v, lang) for k, v in FRAGMENT_LABELS.items()} for lang in LANGS}
    return "window.kbIds=" + escape.json_script({"p": pages, "i": compact, "m": moved, "l": labels}, sort_keys=True) + ";\n"


def write_id_map(kb: KB, site_dir: Path) -> Path:
    dest = Path(site_dir) / ID_MAP
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(id_map_js(kb), "utf-8")
    return dest
