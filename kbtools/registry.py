"""The published-link registry, kb/published.txt: every page and anchor a wiki may link to.

One published link per line, relative to the language root (Korean at the site root, English
under en/; every page and anchor is checked in both languages), sorted, `# ` starts a comment:

    api/v1/facts.json                  a file of the site (the JSON API), language-independent
    runtimes.html                      a page
    runtimes.html#containerd-free      an anchor on that page (fact, entity, section, table, term…)
    containers.html -> runtimes.html   a moved page (hand-written): the build writes a redirect page
    runtimes.html#x -> building.html#x a moved anchor (recorded by --update when a fact changes page)

`python -m kbtools registry --update` (`make registry`) adds what a build publishes and never
removes a line. A build that drops a registered anchor fails the check unless kb/ declares it
renamed (`aliases:`, still rendered as an anchor) or `retired:`; a dropped page fails unless a
`old.html -> new.html` line names its new page, for which the build writes a redirect page at the
old path in both languages (it keeps the #fragment and works from file:// too).
"""
from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from . import escape as esc
from .model import KB, LANGS
from .urls import LANG_PREFIX

REGISTRY_FILE = "published.txt"
ANCHOR = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_ID = re.compile(r"""\sid=["']([^"']+)["']""")
_TAG_ID = re.compile(r"""<([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?\sid=["']([^"']+)["']""")
# Ids of controls and SVG internals are not places a reader is sent to: not registered.
NOT_ANCHORS = {"input", "select", "textarea", "button", "option", "output", "form", "label", "script", "template",
               "style", "path", "g", "defs", "clippath", "lineargradient", "radialgradient", "mask", "marker",
               "symbol", "use", "title", "desc", "pattern", "filter"}
MOVED_MARK = '<meta name="kb-moved"'
HEADER = """\
# The published URL contract: every page and anchor wiki authors may link to (kb/README.md, "Permalinks").
# One link per line, relative to the language root; each is checked in Korean (/) and English (/en/).
# `make registry` (python -m kbtools registry --update) adds new pages and ids; it never removes a line.
# Never delete a line: rename an id with aliases:, retire it with retired: (in its entity), and move a
# page with a line `old.html -> new.html` (the build writes a redirect page at the old path).
"""


# ---------------------------------------------------------------------------- reading and writing

# A moved-page line names two pages of the site: relative paths of plain segments ending in .html.
# No `..`, no absolute path, no scheme (`javascript:`), no quote or `<`: whatever the line says is
# refused here before the build writes a file or a redirect for it.
SITE_PAGE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*(?:/[A-Za-z0-9_-][A-Za-z0-9._-]*)*\.html")


def moved_problem(old: str, new: str) -> str | None:
    """Why a line `old -> new` cannot be a redirect, or None."""
    for side, value in (("old", old), ("new", new)):
        if not SITE_PAGE.fullmatch(value):
            return (f"{side} path {value!r} is not a relative .html page inside the site "
                    "(letters, digits, - _ . and / only; no '..', no leading '/', no scheme)")
    if old == new:
        return f"{old!r} redirects to itself"
    return None


def moved_lines(text: str) -> list[tuple[int, str, str]]:
    """(line number, old, new) of every moved-page line, for reports."""
    out = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = re.sub(r"(?<=\S)\s+#.*$", "", raw.strip())   # anchored after a non-space: linear
        if line and not line.startswith("#") and "->" in line:
            old, new = (x.strip() for x in line.split("->", 1))
            out.append((n, old, new))
    return out


def path(kb_root: Path) -> Path:
    return Path(kb_root) / REGISTRY_FILE


def parse(text: str) -> dict:
    reg: dict = {"moved": {}, "moved_ids": {}, "files": [], "pages": {}}
    for n, raw in enumerate(text.splitlines(), 1):
        line = re.sub(r"(?<=\S)\s+#.*$", "", raw.strip())     # a trailing comment; anchors have no space before #
        if not line or line.startswith("#"):
            continue
        if "->" in line:
            old, new = (x.strip() for x in line.split("->", 1))
            reg["moved_ids" if "#" in old else "moved"][old] = new
        elif not line.endswith(".html") and "#" not in line:
            reg["files"].append(line)
        else:
            page, _, anchor = line.partition("#")
            anchors = reg["pages"].setdefault(page, [])
            if anchor:
                anchors.append(anchor)
    return reg


def read(kb_root: Path) -> dict:
    p = path(kb_root)
    return parse(p.read_text("utf-8") if p.exists() else "")


def dump(reg: dict) -> str:
    lines = [f"{old} -> {new}" for old, new in [*reg["moved"].items(), *reg.get("moved_ids", {}).items()]]
    lines += list(reg["files"])
    for page, anchors in reg["pages"].items():
        lines.append(page)
        lines += [f"{page}#{a}" for a in anchors]
    return HEADER + "\n".join(sorted(set(lines))) + "\n"


# ---------------------------------------------------------------------------- the built site

def _article(text: str) -> str:
    start = text.find("<article")
    end = text.rfind("</article>")
    return text[start:end] if start != -1 and end != -1 else ""


def page_ids(file: Path) -> set[str]:
    """Every element id of a built page (anywhere: an anchor resolves wherever it is)."""
    return set(_ID.findall(file.read_text("utf-8")))


def is_moved_stub(file: Path) -> bool:
    return MOVED_MARK in file.read_text("utf-8")[:2000]


def collect(site_dir: Path) -> dict:
    """Pages, their linkable anchors (kebab-case ids inside the article) and the API files."""
    site_dir = Path(site_dir)
    pages: dict[str, set[str]] = {}
    for lang in LANGS:
        base = site_dir / LANG_PREFIX[lang] if LANG_PREFIX[lang] else site_dir
        for file in sorted(base.glob("*.html")):
            if file.name == "404.html" or is_moved_stub(file):
                continue
            ids = {i for tag, i in _TAG_ID.findall(_article(file.read_text("utf-8")))
                   if ANCHOR.match(i) and tag.lower() not in NOT_ANCHORS}
            pages.setdefault(file.name, set()).update(ids)
    files = sorted(p.relative_to(site_dir).as_posix() for p in (site_dir / "api").rglob("*") if p.is_file()) \
        if (site_dir / "api").is_dir() else []
    return {"pages": {k: sorted(v) for k, v in pages.items()}, "files": files}


def update(kb_root: Path, site_dir: Path) -> tuple[dict, list[str]]:
    """Add what the built site publishes to the registry; never remove. Returns (registry, added)."""
    reg = read(kb_root)
    found = collect(site_dir)
    added = []
    for f in found["files"]:
        if f not in reg["files"]:
            reg["files"].append(f)
            added.append(f)
    for page, anchors in found["pages"].items():
        if page in reg["moved"]:
            continue
        have = reg["pages"].setdefault(page, [])
        if not have and page not in added:
            added.append(page)
        for a in anchors:
            if a not in have:
                have.append(a)
                added.append(f"{page}#{a}")
    added += record_moves(reg, found)
    path(kb_root).write_text(dump(reg), "utf-8")
    return reg, added


def record_moves(reg: dict, found: dict) -> list[str]:
    """A registered anchor the build no longer has on its page, found on exactly one other page, has
    moved (a fact whose topic changed): record `old.html#id -> new.html#id`. Returns the lines added."""
    moved_ids, added = reg.setdefault("moved_ids", {}), []
    where: dict[str, list[str]] = {}
    for page, anchors in found["pages"].items():
        for a in anchors:
            where.setdefault(a, []).append(page)
    for page, anchors in reg["pages"].items():
        if page in reg["moved"] or page not in found["pages"]:
            continue
        for a in anchors:
            key = f"{page}#{a}"
            elsewhere = [p for p in where.get(a, []) if p != page]
            if a not in found["pages"][page] and key not in moved_ids and len(elsewhere) == 1:
                moved_ids[key] = f"{elsewhere[0]}#{a}"
                added.append(f"{key} -> {moved_ids[key]}")
    return added


def build_site(project: Path, dest: Path) -> None:
    from . import engine
    result = subprocess.run(engine.build_command(dest, project=project), env=engine.env(),
                            cwd=project, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{engine.name()} build --strict failed:\n{result.stdout}\n{result.stderr}")


def with_site(project: Path, site_dir: Path | None, fn):
    """Call fn(site_dir), building the site into a temporary folder when none is given."""
    if site_dir is not None:
        return fn(Path(site_dir))
    with tempfile.TemporaryDirectory(prefix="kb-site-") as tmp:
        dest = Path(tmp) / "site"
        build_site(project, dest)
        return fn(dest)


# ---------------------------------------------------------------------------- the check

def final_page(reg: dict, page: str) -> str:
    seen = set()
    while page in reg["moved"] and page not in seen:
        seen.add(page)
        page = reg["moved"][page]
    return page


def check(kb: KB, site_dir: Path, reg: dict | None = None) -> list[str]:
    """Problems: registered pages/anchors/files the build dropped, and published ones not registered."""
    site_dir = Path(site_dir)
    reg = reg if reg is not None else read(kb.root)
    aliases, retired = kb.aliases(), kb.retired()
    problems: list[str] = []
    for f in reg["files"]:
        if not (site_dir / f).is_file():
            problems.append(f"{f}: published file is no longer built")
    for old, new in reg["moved"].items():
        for lang in LANGS:
            stub = site_dir / (LANG_PREFIX[lang] + old)
            if not stub.is_file() or not is_moved_stub(stub):
                problems.append(f"{LANG_PREFIX[lang]}{old}: moved to {new} but no redirect page was written")
    for page, anchors in sorted(reg["pages"].items()):
        target = final_page(reg, page)
        for lang in LANGS:
            rel = LANG_PREFIX[lang] + target
            file = site_dir / rel
            if not file.is_file() or is_moved_stub(file):
                problems.append(f"{LANG_PREFIX[lang]}{page}: published page is gone"
                                + (f" (moved to {target})" if target != page else "")
                                + f" — add a line '{page} -> new.html' to kb/published.txt")
                continue
            ids = page_ids(file)
            for a in anchors:
                if a in ids or a in retired:
                    continue
                if f"{page}#{a}" in reg.get("moved_ids", {}):
                    problems += moved_anchor_problems(reg, site_dir, lang, f"{page}#{a}")
                    continue
                if a in aliases:
                    problems.append(f"{rel}#{a}: renamed to '{aliases[a]}' but the old anchor is not rendered on this page")
                elif a in kb.facts or a in kb.entities:
                    obj = kb.facts.get(a) or kb.entities[a]
                    problems.append(f"{rel}#{a}: '{a}' moved to {obj.topic}.html — record the move with `make registry` "
                                    "(readers of the old link are then sent on)")
                else:
                    problems.append(f"{rel}#{a}: published anchor is gone — list the old id under aliases: of "
                                    "what replaces it, or under retired: of its entity (kb/README.md)")
    # Completeness: what kb/ publishes must be registered, or it is unprotected.
    registered = {(p, a) for p, anchors in reg["pages"].items() for a in anchors}
    for obj in [*kb.entities.values(), *kb.facts.values()]:
        if (f"{obj.topic}.html", obj.id) not in registered:
            problems.append(f"{obj.topic}.html#{obj.id}: published but not in kb/published.txt — run `make registry`")
    for lang in LANGS:
        base = site_dir / LANG_PREFIX[lang] if LANG_PREFIX[lang] else site_dir
        for file in sorted(base.glob("*.html")):
            if file.name != "404.html" and not is_moved_stub(file) and file.name not in reg["pages"]:
                problems.append(f"{LANG_PREFIX[lang]}{file.name}: published but not in kb/published.txt — run `make registry`")
    return list(dict.fromkeys(problems))


def moved_anchor_problems(reg: dict, site_dir: Path, lang: str, key: str) -> list[str]:
    """A recorded anchor move must still land: the new page exists and has the id."""
    page, _, anchor = reg["moved_ids"][key].partition("#")
    target = LANG_PREFIX[lang] + final_page(reg, page)
    file = Path(site_dir) / target
    if not file.is_file() or anchor not in page_ids(file):
        return [f"{LANG_PREFIX[lang]}{key}: moved to {target}#{anchor}, which the build no longer has"]
    return []


# ---------------------------------------------------------------------------- redirect pages

def stub_html(kb: KB, lang: str, old: str, new: str, site_url: str | None) -> str:
    problem = moved_problem(old, new)
    if problem:
        raise ValueError(f"kb/published.txt: {old} -> {new}: {problem}")
    target = esc.text(new)
    canonical = ""
    if site_url:
        base = site_url if site_url.endswith("/") else site_url + "/"
        canonical = f'<link rel="canonical" href="{esc.text(base + LANG_PREFIX[lang] + new)}">\n'
    up = "../" if LANG_PREFIX[lang] else ""
    alternates = "".join(
        f'<link rel="alternate" href="{esc.text((up if other == "ko" else ("" if lang == "en" else "en/")) + new)}" '
        f'hreflang="{other}">\n' for other in LANGS)
    from .permalinks import label
    text = esc.text(label(kb, "page.moved", lang))
    return (f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'{MOVED_MARK} content="{target}">\n<meta name="robots" content="noindex">\n'
            f'<meta http-equiv="refresh" content="0; url={target}">\n{canonical}{alternates}'
            f'<title>{text}</title>\n'
            f'<script>location.replace({esc.json_script(new)} + location.hash)</script>\n</head>\n'
            f'<body>\n<p>{text} <a href="{target}">{target}</a></p>\n</body>\n</html>\n')


def _inside(site_dir: Path, rel: str) -> Path:
    """site_dir/rel, resolved; ValueError if it resolves outside site_dir (a symlink, a `..`)."""
    root = Path(site_dir).resolve()
    dest = (root / rel).resolve()
    if not dest.is_relative_to(root) or dest == root:
        raise ValueError(f"kb/published.txt: {rel} resolves outside the site folder ({dest})")
    return dest


def write_redirects(kb: KB, site_dir: Path, site_url: str | None = None) -> list[Path]:
    """A redirect page at each moved page's old path, in both languages (run after the build).

    Every line is checked before any file is written: a bad line writes nothing anywhere."""
    p = path(kb.root)
    text = p.read_text("utf-8") if p.exists() else ""
    bad = [f"kb/published.txt line {n}: {old} -> {new}: {problem}"
           for n, old, new in moved_lines(text) if (problem := moved_problem(old, new))]
    if bad:
        raise ValueError("\n".join(bad))
    reg = parse(text)
    plan = []
    for old in reg["moved"]:
        new = final_page(reg, old)
        for lang in LANGS:
            dest = _inside(site_dir, LANG_PREFIX[lang] + old)
            if dest.exists() and (not dest.is_file() or not is_moved_stub(dest)):
                raise ValueError(f"kb/published.txt: {old} -> {new}, but {dest.name} is still a page")
            plan.append((dest, stub_html(kb, lang, old, new, site_url)))
    written = []
    for dest, page in plan:
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(page, "utf-8")
        written.append(dest)
    return written
