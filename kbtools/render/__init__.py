"""Markdown rendering of kb content for one page in one language.

Pages place content with HTML-comment directives, `<!-- kb:entity moby -->`, which stay
invisible anywhere else the Markdown is read. A directive is a whole line of its own, outside
code fences and HTML comments; anything else that looks like one stops the build, as do an
unknown directive or option, a fact placed twice and a heading whose id is a kb id. Every
mistake of a page is reported at once, with the page and the line.

The page is read line by line with plain string operations and two simple regular expressions
whose run time is linear in the line's length, so no input can make the build crawl.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Callable

from ..model import KB
from ..problems import Problem

NAME = re.compile(r"[a-z][a-z0-9-]*")
KB_MARK = re.compile(r"<!--\s*kb:")          # each <!-- consumes its own run of spaces: linear
FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")    # CommonMark fence opener (at most 3 spaces)

# Directives taking one id; the others take none. Options each directive accepts, with their check.
ONE_ID = {"entity", "fact", "table", "figure"}


def _level(value: str) -> str | None:
    return None if value in {"2", "3", "4", "5", "6"} else "a heading level from 2 to 6 (the page title is 1)"


def _date(value: str) -> str | None:
    try:
        if len(value) == 10 and datetime.date.fromisoformat(value):
            return None
    except ValueError:
        pass
    return "a date written YYYY-MM-DD"


OPTIONS: dict[str, dict[str, Callable[[str], str | None]]] = {
    "entity": {"level": _level},
    "lifecycle": {"as_of": _date},
}


class DirectiveError(Exception):
    """A page uses a directive wrongly. Renderers raise it with a message; `expand` gathers every
    one of a page into `problems` (file, line, rule) and raises them together."""

    def __init__(self, message: str = "", problems: list[Problem] | None = None):
        self.problems = list(problems or [])
        super().__init__(message or "\n".join(p.format() for p in self.problems))


@dataclass
class Page:
    kb: KB
    lang: str
    topic: str                       # the page's own name, e.g. runtimes (index for the home page)
    src: str = ""                    # docs-relative source path, for error messages
    cited: list[str] = field(default_factory=list)   # source ids in order of first citation
    placed: list[str] = field(default_factory=list)  # entity ids rendered on this page

    def cite(self, source_ids) -> str:
        """Footnote references for these sources; numbering follows first citation on the page."""
        refs = []
        for sid in source_ids:
            if sid not in self.cited:
                self.cited.append(sid)
            refs.append(f"[^{sid}]")
        return "".join(refs)

    def ui(self, key: str) -> str:
        return self.kb.ui(key, self.lang)


Renderer = Callable[[Page, list[str], dict[str, str]], str]
DIRECTIVES: dict[str, Renderer] = {}


def directive(name: str):
    def register(fn: Renderer) -> Renderer:
        DIRECTIVES[name] = fn
        return fn
    return register


@dataclass
class Directive:
    line: int                        # 1-based line of the page
    name: str
    args: list[str]
    options: dict[str, str]


def _directive(text: str) -> tuple[str, list[str]] | None:
    """`<!-- kb:name a b -->` alone on a line (no indentation) -> (name, tokens); else None."""
    body = text.rstrip()
    if not (body.startswith("<!--") and body.endswith("-->")):
        return None
    inner = body[4:-3]
    if "--" in inner or ">" in inner:
        return None
    tokens = inner.split()
    if not tokens or not tokens[0].startswith("kb:"):
        return None
    return tokens[0][3:], tokens[1:]


def _heading_id(text: str) -> str | None:
    """The id of an ATX heading line (`## Title { #id }` or the slug of its title), else None."""
    stripped = text.lstrip(" ")
    if len(text) - len(stripped) > 3 or not stripped.startswith("#"):
        return None
    hashes = len(stripped) - len(stripped.lstrip("#"))
    title = stripped[hashes:]
    if hashes > 6 or (title and not title[0].isspace()):
        return None
    title = title.strip().rstrip("#").strip()
    if title.endswith("}") and "{" in title:
        attrs = title[title.rfind("{") + 1:-1].split()
        explicit = [a[1:] for a in attrs if a.startswith("#")]
        if explicit:
            return explicit[-1]
        title = title[:title.rfind("{")].strip()
    from pymdownx.slugs import slugify   # the slugify mkdocs.yml gives the toc extension
    return slugify(case="lower")(title, "-") if title else None


class _Scan:
    """One pass over a page: the directives, and every problem of where and how they are written."""

    def __init__(self, markdown: str, src: str, kb_ids: set[str]):
        self.src, self.problems, self.directives = src, [], []
        fence: tuple[str, int] | None = None       # (fence characters, line it was opened on)
        comment = 0                                 # line an open HTML comment started on
        for n, line in enumerate(markdown.split("\n"), 1):
            if fence:
                opener = FENCE.match(line)
                if opener and opener.group(1)[0] == fence[0][0] and len(opener.group(1)) >= len(fence[0]) \
                        and not line[opener.end():].strip():
                    fence = None
                elif KB_MARK.search(line):
                    self.problem(n, "directive-in-code", "a directive inside a code fence is not placed",
                                 f"the fence opened on line {fence[1]}; close it before the directive")
                continue
            if comment:
                end = line.find("-->")
                if KB_MARK.search(line if end < 0 else line[:end]):
                    self.problem(n, "directive-in-comment", "a directive inside an HTML comment is not placed",
                                 f"the comment opened on line {comment}; close it with --> before the directive")
                if end < 0:
                    continue
                comment = 0
                line = " " * (end + 3) + line[end + 3:]
            found = _directive(line)
            if found:
                self.add(n, *found)
                continue
            opener = FENCE.match(line)
            if opener:
                fence = (opener.group(1), n)
                continue
            if KB_MARK.search(line):
                self.problem(n, "directive-malformed", "a directive must stand alone on its line, unindented",
                             "write it as <!-- kb:name args --> at the start of an otherwise empty line "
                             "(inside another comment it places nothing)")
            comment = self.comments(line, n)
            if not comment and (ident := _heading_id(line)) in kb_ids:
                self.problem(n, "heading-id", f"heading id '{ident}' is the id of a kb item",
                             "kb ids anchor facts and entities; give the heading another { #id }", fact=ident)

    @staticmethod
    def comments(line: str, n: int) -> int:
        """The line number if a comment opened on this line stays open, else 0."""
        pos = 0
        while (start := line.find("<!--", pos)) >= 0:
            end = line.find("-->", start + 4)
            if end < 0:
                return n
            pos = end + 3
        return 0

    def add(self, n: int, name: str, tokens: list[str]) -> None:
        if not NAME.fullmatch(name) or name not in DIRECTIVES:
            self.problem(n, "directive-unknown", f"unknown directive 'kb:{name[:40]}'",
                         f"known: {', '.join(sorted(DIRECTIVES))}", fact=f"kb:{name[:40]}")
            return
        args, options, allowed = [], {}, OPTIONS.get(name, {})
        for token in tokens:
            if "=" not in token:
                args.append(token)
                continue
            key, value = token.split("=", 1)
            if key not in allowed:
                self.problem(n, "directive-option", f"kb:{name} has no option '{key[:40]}'",
                             f"options of kb:{name}: {', '.join(allowed) or 'none'}", fact=f"kb:{name}")
            elif key in options:
                self.problem(n, "directive-option", f"option '{key}' is given twice", "keep one", fact=f"kb:{name}")
            elif (expected := allowed[key](value)):
                self.problem(n, "directive-option", f"kb:{name} {key}={value[:40]} is not valid",
                             f"{key} takes {expected}", fact=f"kb:{name}", actual=value[:40], expected=expected)
            else:
                options[key] = value
        want = 1 if name in ONE_ID else 0
        if len(args) != want:
            self.problem(n, "directive-args", f"kb:{name} takes {'one id' if want else 'no argument'}, "
                         f"got {len(args)}", f"write <!-- kb:{name}{' the-id' if want else ''} -->",
                         fact=args[0][:64] if args else f"kb:{name}")
            return
        self.directives.append(Directive(n, name, args, options))

    def problem(self, n: int, rule: str, message: str, hint: str, fact: str = "", **more) -> None:
        self.problems.append(Problem(self.src, rule, message, fact=fact, field=f"line {n}", hint=hint, **more))


def kb_ids(kb: KB) -> set[str]:
    """Every id that becomes an anchor somewhere: a page heading must not take one."""
    return set(kb.facts) | set(kb.files) | set(kb.terms)


def expand(markdown: str, page: Page) -> str:
    """Replace every directive; append footnote definitions and the glossary abbreviations.
    Raises DirectiveError with every problem of the page."""
    from . import blocks, reference, notes, derived, figure, questions   # noqa: F401  (register directives)

    scan = _Scan(markdown, page.src, kb_ids(page.kb))
    problems = scan.problems
    lines = markdown.split("\n")
    placed_on: dict[str, int] = page.__dict__.setdefault("placed_on", {})
    for d in scan.directives:
        before = len(page.placed)
        try:
            lines[d.line - 1] = DIRECTIVES[d.name](page, d.args, d.options)
        except DirectiveError as exc:
            message = str(exc).removeprefix(f"{page.src}: ")
            problems.append(Problem(page.src, f"kb:{d.name}", message, fact=(d.args or [f"kb:{d.name}"])[0],
                                    field=f"line {d.line}", hint="see the directives table in kb/README.md"))
            continue
        except Exception as exc:   # noqa: BLE001 - kb data that passed every check and still breaks a renderer
            problems.append(Problem(page.src, f"kb:{d.name}", f"could not be rendered ({type(exc).__name__}: "
                                    f"{str(exc)[:120]})", fact=(d.args or [f"kb:{d.name}"])[0], field=f"line {d.line}",
                                    hint="the kb passed its checks, so this is a bug of kbtools: please report it"))
            continue
        for ident in page.placed[before:]:
            for fid in [ident] if ident in placed_on else placed_ids(page.kb, ident, page.topic):
                if fid in placed_on:
                    problems.append(Problem(page.src, "placed-twice", f"'{fid}' is already placed on line "
                                            f"{placed_on[fid]}", fact=fid, field=f"line {d.line}",
                                            hint="place each entity and fact once: remove one directive"))
                else:
                    placed_on[fid] = d.line
    if problems:
        raise DirectiveError(problems=sorted(problems, key=lambda p: int(p.field.split()[-1])))
    return "\n".join(lines) + notes.footnotes(page) + notes.abbreviations(page)


def placed_ids(kb: KB, ident: str, topic: str) -> list[str]:
    """What placing `ident` on the page of `topic` puts there: an entity and its facts of that topic,
    or one fact."""
    ent = kb.entities.get(ident)
    if ent is None:
        return [ident]
    return [ident] + [f.id for f in ent.facts if f.topic == topic]
