"""What the MkDocs hooks call. Keeps per-process state: the loaded kb and what each build placed."""
from __future__ import annotations

from pathlib import Path

from .load import check
from .model import KB, LANGS
from .problems import KbInvalid
from .render import DirectiveError, Page, expand


class BuildStop(Exception):
    """A contributor's mistake: the message is the whole report, shown without a traceback."""


_state: dict = {"signature": None, "kb": None, "placed": {}}


def _signature(root: Path):
    return tuple((p.as_posix(), p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(root.rglob("*")) if p.is_file())


def load_checked(root: Path) -> KB:
    """Load kb/ unless nothing changed since the last build (each language build calls this)."""
    sig = _signature(root)
    if sig != _state["signature"]:
        try:
            kb = check(root)
        except KbInvalid as exc:
            _state["signature"] = None
            raise BuildStop(exc.report()) from None
        _state.update(signature=sig, kb=kb, placed={lang: {} for lang in LANGS})
    return _state["kb"]


def begin() -> None:
    _state["placed"] = {lang: {} for lang in LANGS}


def topic_of(src_uri: str) -> str:
    parts = src_uri.split("/")
    if parts[0] in LANGS:
        parts = parts[1:]
    return "/".join(parts).removesuffix(".md")


def render_page(markdown: str, src_uri: str, lang: str) -> str:
    kb = _state["kb"]
    page = Page(kb=kb, lang=lang, topic=topic_of(src_uri), src=f"docs/{src_uri}")
    try:
        out = expand(markdown, page)
    except DirectiveError as exc:
        raise BuildStop(str(exc)) from None
    placed = _state["placed"].setdefault(lang, {})
    for ident in page.placed:
        ids = [f.id for f in kb.entities[ident].facts if f.topic == page.topic] if ident in kb.entities else [ident]
        for fid in ids:
            if fid in placed and placed[fid] != page.topic:
                raise BuildStop(f"{page.src}: fact '{fid}' is already placed on {placed[fid]}.md")
            placed[fid] = page.topic
    return out


def unplaced(kb: KB) -> dict[str, list[str]]:
    return {lang: sorted(set(kb.facts) - set(_state["placed"].get(lang, {}))) for lang in LANGS}


def finish(site_dir: Path, site_url: str | None = None) -> None:
    from .export import write_api
    from .registry import write_redirects
    kb = _state["kb"]
    missing = {lang: ids for lang, ids in unplaced(kb).items() if ids}
    if missing:
        lines = [f"  {lang}: {', '.join(ids)}" for lang, ids in missing.items()]
        raise BuildStop("facts not placed on any page (add <!-- kb:entity … --> or <!-- kb:fact … --> "
                        "to the page of their topic):\n" + "\n".join(lines))
    write_api(kb, site_dir, site_url)
    from .figures import write_figures
    write_figures(kb, Path(site_dir))            # standalone SVG of each figure (kbtools/figures.py)
    try:
        write_redirects(kb, site_dir, site_url)   # old paths of moved pages (kb/published.txt)
    except ValueError as exc:
        raise BuildStop(str(exc)) from None
    from .search import write_worker
    write_worker(kb, site_dir)                   # Korean-aware search worker (kbtools/search.py)
    from . import feed, notfound, shortlinks
    shortlinks.write(kb, Path(site_dir), site_url)      # f/<id>.html per fact and old id (unfurl, redirect)
    shortlinks.write_id_map(kb, Path(site_dir))          # where old #ids live now (kb-fragment.js)
    feed.write(kb, Path(site_dir), site_url)             # feed.xml, en/feed.xml from kb/changelog.yaml
    notfound.write(kb, Path(site_dir), site_url)         # one bilingual, self-contained 404.html


def post_page(output: str, lang: str, canonical_url: str | None) -> str:
    """Localized heading-link titles, absolute hreflang, copy-menu labels (kbtools/permalinks.py)."""
    from .feed import head_link
    from .permalinks import post_page as run
    return head_link(run(output, _state["kb"], lang, canonical_url), _state["kb"], lang)
