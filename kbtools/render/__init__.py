"""Markdown rendering of kb content for one page in one language.

Pages place content with HTML-comment directives, `<!-- kb:entity moby -->`, which stay
invisible anywhere else the Markdown is read. An unknown directive stops the build.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from ..model import KB

DIRECTIVE = re.compile(r"^<!--\s*kb:([a-z][a-z0-9-]*)((?:\s+[^\s>][^>]*?)?)\s*-->\s*$", re.M)
ANY_KB_COMMENT = re.compile(r"<!--\s*kb:.*?-->", re.S)


class DirectiveError(Exception):
    """A page uses a directive wrongly; the message names the page and the directive."""


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


def _args(raw: str) -> tuple[list[str], dict[str, str]]:
    positional, options = [], {}
    for token in raw.split():
        if "=" in token:
            k, v = token.split("=", 1)
            options[k] = v
        else:
            positional.append(token)
    return positional, options


def expand(markdown: str, page: Page) -> str:
    """Replace every directive; append footnote definitions and the glossary abbreviations."""
    from . import blocks, reference, notes, derived, figure, questions   # noqa: F401  (register directives)

    def replace(m: re.Match) -> str:
        name = m.group(1)
        if name not in DIRECTIVES:
            raise DirectiveError(f"{page.src}: unknown directive 'kb:{name}' "
                                 f"(known: {', '.join(sorted(DIRECTIVES))})")
        args, options = _args(m.group(2) or "")
        return DIRECTIVES[name](page, args, options)

    out = DIRECTIVE.sub(replace, markdown)
    leftover = ANY_KB_COMMENT.search(out)
    if leftover:
        raise DirectiveError(f"{page.src}: malformed directive {leftover.group(0)!r}; "
                             "write it alone on its line as <!-- kb:name args -->")
    return out + notes.footnotes(page) + notes.abbreviations(page)
