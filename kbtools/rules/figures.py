"""Rules about figures (kb/figures/*.yaml): labels are glossary terms, boxes and arrows resolve."""
from __future__ import annotations

from pathlib import PurePosixPath

from ..figures import problems_of
from ..problems import Problem
from . import rule


@rule("figure-labels")
def figure_labels(kb):
    for fig in getattr(kb, "figures", {}).values():
        stem = PurePosixPath(fig["file"]).stem
        if stem != fig["id"]:
            yield Problem(fig["file"], "figure-labels", "the id differs from the file name", fact=fig["id"],
                          field="id", actual=fig["id"], expected=stem, hint="rename the file to <id>.yaml")
        for field, message, actual, expected in problems_of(kb, fig):
            hint = ("add the term to kb/glossary/ (both languages) or use an existing id"
                    if "glossary term" in message else "see 'Figures' in kb/README.md")
            yield Problem(fig["file"], "figure-labels", message, fact=fig["id"], field=field,
                          actual=actual, expected=expected, hint=hint)
