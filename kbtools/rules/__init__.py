"""Consistency rules over the loaded kb. One function per rule; each has fixtures in tests/.

A rule yields Problems. A rule that crashes is reported as its own problem, so one broken rule
never hides the others' findings.
"""
from __future__ import annotations

import traceback
from typing import Callable, Iterator

from ..model import KB
from ..problems import Problem

Rule = Callable[[KB], Iterator[Problem]]
RULES: dict[str, Rule] = {}


def rule(name: str):
    def register(fn: Rule) -> Rule:
        fn.rule_name = name   # type: ignore[attr-defined]
        RULES[name] = fn
        return fn
    return register


def run_all(kb: KB, only: list[str] | None = None) -> list[Problem]:
    problems: list[Problem] = []
    for name, fn in RULES.items():
        if only and name not in only:
            continue
        try:
            problems.extend(fn(kb))
        except Exception:   # noqa: BLE001 - a crashing rule must not hide the others
            problems.append(Problem("kbtools/rules", name, "rule crashed: " + traceback.format_exc(limit=2)[-300:]))
    return problems


from . import references, texts, dates, futures, values, coverage, history, figures, watch, terminology, characters, published, questions, shown  # noqa: E402,F401  (registers the rules)
