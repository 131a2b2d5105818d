"""One reportable problem in the knowledge base, and how it is shown to a contributor."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str                 # path relative to the repository, e.g. kb/runtimes/moby.yaml
    rule: str                 # the name of the check that failed
    message: str              # what is wrong, in one line
    fact: str = ""            # fact (or entity/source/term) id, when known
    field: str = ""           # dotted path inside the file, e.g. facts[2].text.ko
    actual: str = ""
    expected: str = ""
    hint: str = ""
    severity: str = "error"   # error | warning

    def format(self) -> str:
        mark = "✖" if self.severity == "error" else "⚠"
        where = " · ".join(p for p in (self.file, self.fact and f"id {self.fact}", self.field) if p)
        lines = [f"{mark} {where} — {self.rule}: {self.message}"]
        if self.actual:
            lines.append(f"    actual:   {self.actual}")
        if self.expected:
            lines.append(f"    expected: {self.expected}")
        if self.hint:
            lines.append(f"    hint:     {self.hint}")
        # A file name that is not UTF-8 arrives as lone surrogates, which no terminal or log can print.
        return "\n".join(lines).encode("utf-8", "backslashreplace").decode("utf-8")


class KbInvalid(Exception):
    """Raised with every error found, so a contributor fixes them in one pass."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(self.report())

    def report(self) -> str:
        return report(self.problems, "knowledge base")


def report(problems: list[Problem], what: str) -> str:
    """The one format every contributor mistake is shown in: a count, then each problem."""
    errors = [p for p in problems if p.severity == "error"]
    body = "\n".join(p.format() for p in problems)
    return f"{what} has {len(errors)} error(s):\n{body}"


def summary(problems: list[Problem]) -> str:
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    return f"{errors} error(s), {warnings} warning(s)"
