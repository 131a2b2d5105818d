"""What the MkDocs hooks call. Keeps per-process state: the loaded kb and what each build placed.

Every contributor mistake found while building (a page's directives, a fact placed twice or
nowhere, a budget exceeded) stops the build with a `BuildStop` whose message is the report in
kbtools/problems.py's format: file, id, field, rule, hint; never a traceback.
"""
from __future__ import annotations

from pathlib import Path

from .load import check
from .model import KB, LANGS
from .problems import KbInvalid, Problem, report
from .render import DirectiveError, Page, expand, placed_ids


class BuildStop(Exception):
    """A contributor's mistake: the message is the whole report, shown without a traceback."""

    def __init__(self, problems: list[Problem], what: str = "the site"):
        self.problems = problems
        super().__init__(report(problems, what))


_state: dict = {"signature": None, "kb": None, "placed": {}}


def _signature(root: Path):
    return tuple((p.as_posix(), p.lstat().st_mtime_ns, p.lstat().st_size) for p in sorted(root.rglob("*"))
                 if not p.is_dir())


def load_checked(root: Path) -> KB:
    """Load kb/ unless nothing changed since the last build (each language build calls this)."""
    sig = _signature(root)
    if sig != _state["signature"]:
        try:
            kb = check(root)
        except KbInvalid as exc:
            _state["signature"] = None
            raise BuildStop(exc.problems, "knowledge base") from None
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
        raise BuildStop(exc.problems) from None
    placed = _state["placed"].setdefault(lang, {})
    twice = []
    for ident in page.placed:
        for fid in placed_ids(kb, ident, page.topic):
            if fid in placed and placed[fid][0] != page.topic:
                twice.append(Problem(page.src, "placed-twice", f"'{fid}' is already placed on {placed[fid][1]}",
                                     fact=fid, field=f"line {page.placed_on.get(fid, 0)}",
                                     hint="place each entity and fact once: remove one directive"))
            placed[fid] = (page.topic, page.src)
    if twice:
        raise BuildStop(twice)
    return out


def unplaced(kb: KB) -> dict[str, list[str]]:
    return {lang: sorted(set(kb.facts) - set(_state["placed"].get(lang, {}))) for lang in LANGS}


def unplaced_problems(kb: KB, placed: dict[str, dict]) -> list[Problem]:
    """One problem per entity none of whose facts a language's pages place (the usual mistake: a new
    entity file and no directive), else one per fact placed nowhere; languages are merged."""
    missing: dict[tuple[str, str], list[str]] = {}     # (file, id) -> languages
    hints: dict[tuple[str, str], tuple[str, str]] = {}   # (file, id) -> (directive, topic)
    for lang in LANGS:
        done = placed.get(lang, {})
        for ent in kb.entities.values():
            facts = [f for f in ent.facts if f.id not in done]
            if not facts:
                continue
            own = [f for f in ent.facts if f.topic == ent.topic]
            if ent.id not in done and own and all(f in facts for f in own):
                key = (ent.file, ent.id)
                hints[key] = (f"<!-- kb:entity {ent.id} -->", ent.topic)
                facts = [f for f in facts if f not in own]
                missing.setdefault(key, []).append(lang)
            for f in facts:
                key = (f.file, f.id)
                hints[key] = (f"<!-- kb:fact {f.id} -->", f.topic)
                missing.setdefault(key, []).append(lang)
    return [Problem(file, "placed-nowhere", f"placed on no page ({', '.join(langs)})", fact=ident,
                    hint=f"add {hints[(file, ident)][0]} to "
                         + " and ".join(f"docs/{lang}/{hints[(file, ident)][1]}.md" for lang in langs))
            for (file, ident), langs in sorted(missing.items())]


def docs_problems(docs: Path) -> list[Problem]:
    """docs/ holds regular files and folders inside docs/ only: MkDocs follows links (it would publish
    a file from anywhere) and would wait forever reading a FIFO."""
    inside = Path(docs).resolve()
    problems = []
    for path in sorted(Path(docs).rglob("*")):
        rel = f"docs/{path.relative_to(docs).as_posix()}"
        target = path.resolve()
        if target != inside and inside not in target.parents:
            problems.append(Problem(rel, "file-outside-docs", "the path resolves outside docs/ (a symbolic link)",
                                    hint="commit the file itself; links out of docs/ are never published"))
        elif not target.exists():
            problems.append(Problem(rel, "file-type", "a symbolic link to nothing", hint="commit the file itself"))
        elif not (target.is_file() or target.is_dir()):
            problems.append(Problem(rel, "file-type", "neither a file nor a folder (a pipe, socket or device)",
                                    hint="docs/ holds regular files only"))
    return problems


def language_pages(docs: Path):
    """(path, uri relative to docs/, language) of every page of docs/<lang>/, the pages a build renders."""
    for lang in LANGS:
        for md in sorted((Path(docs) / lang).rglob("*.md")):
            yield md, md.relative_to(docs).as_posix(), lang


def check_pages(kb: KB, docs: Path) -> list[Problem]:
    """Every problem a build would find in the pages of docs/<lang>/, without building the site
    (`python -m kbtools check` runs it): directives, placements, facts placed nowhere."""
    problems: list[Problem] = docs_problems(docs)
    if problems:
        return problems
    saved = dict(_state)
    _state.update(kb=kb, placed={lang: {} for lang in LANGS})
    try:
        for md, uri, lang in language_pages(docs):
            try:
                render_page(md.read_text("utf-8"), uri, lang)
            except BuildStop as exc:
                problems += exc.problems
        if not problems:
            problems = unplaced_problems(kb, _state["placed"])
    finally:
        _state.clear()
        _state.update(saved)
    return problems


def finish(site_dir: Path, site_url: str | None = None) -> None:
    from .export import write_api
    from .registry import write_redirects
    kb = _state["kb"]
    missing = unplaced_problems(kb, _state["placed"])
    if missing:
        raise BuildStop(missing)
    write_api(kb, site_dir, site_url)
    from .figures import write_figures
    write_figures(kb, Path(site_dir))            # standalone SVG of each figure (kbtools/figures.py)
    try:
        write_redirects(kb, site_dir, site_url)   # old paths of moved pages (kb/published.txt)
    except ValueError as exc:
        raise BuildStop([Problem("kb/published.txt", "published", str(exc))]) from None
    from .search import write_worker
    write_worker(kb, site_dir)                   # Korean-aware search worker (kbtools/search.py)
    from . import feed, notfound, shortlinks
    shortlinks.write(kb, Path(site_dir), site_url)      # f/<id>.html per fact and old id (unfurl, redirect)
    shortlinks.write_id_map(kb, Path(site_dir))          # where old #ids live now (kb-fragment.js)
    feed.write(kb, Path(site_dir), site_url)             # feed.xml, en/feed.xml from kb/changelog.yaml
    notfound.write(kb, Path(site_dir), site_url)         # one bilingual, self-contained 404.html
    from .budgets import over_budget
    if (over := over_budget(Path(site_dir))):
        raise BuildStop(over)


def post_page(output: str, lang: str, canonical_url: str | None) -> str:
    """Localized heading-link titles, absolute hreflang, copy-menu labels (kbtools/permalinks.py)."""
    from .feed import head_link
    from .permalinks import post_page as run
    return head_link(run(output, _state["kb"], lang, canonical_url), _state["kb"], lang)
