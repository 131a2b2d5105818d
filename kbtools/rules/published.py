"""kb/published.txt: its moved-page lines become files and redirects, so they are checked like kb data."""
from __future__ import annotations

from ..problems import Problem
from ..registry import REGISTRY_FILE, moved_lines, moved_problem
from . import rule


@rule("moved-pages")
def moved_pages(kb):
    file = kb.root / REGISTRY_FILE
    if not file.is_file():
        return
    rel = f"{kb.root.name}/{REGISTRY_FILE}"
    for n, old, new in moved_lines(file.read_text("utf-8", errors="replace")):
        problem = moved_problem(old, new)
        if problem:
            yield Problem(rel, "moved-pages", f"moved-page line: {problem}", fact=old or "(empty)", field=f"line {n}",
                          actual=f"{old} -> {new}"[:120], expected="old.html -> new.html (pages of this site)",
                          hint="both sides are page paths relative to the language root, e.g. containers.html -> runtimes.html")
