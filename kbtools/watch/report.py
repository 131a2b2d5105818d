"""The watch report: one line per watched value for people, a JSON file for the site and CI.

Exit codes of `make watch` (also in README.md):
  0  every watched value is unchanged upstream
  1  drift found: at least one value differs upstream (whatever else happened)
  3  could not check: no drift, but at least one source was unreachable or changed its format
  2  the kb itself is invalid, or the command line is wrong (nothing was fetched)
"""
from __future__ import annotations

import json
from pathlib import Path

from . import STATUSES, Result

EXIT_CURRENT, EXIT_DRIFT, EXIT_INVALID, EXIT_UNCHECKED = 0, 1, 2, 3
REPORT_VERSION = 1


def exit_code(results: list[Result]) -> int:
    if any(r.status == "drifted" for r in results):
        return EXIT_DRIFT
    if any(r.status in ("unreachable", "format-changed") for r in results):
        return EXIT_UNCHECKED
    return EXIT_CURRENT


def line(r: Result) -> str:
    head = f"{r.status:<15}{r.fact} · {r.value}"
    if r.status == "unchanged":
        return f"{head} = {r.kb}  ({r.kind})"
    if r.status == "drifted":
        more = f" ({r.detail})" if r.detail else ""
        return f"{head}: kb {r.kb} → upstream {r.upstream}{more}  {r.url}"
    return f"{head}: {r.detail}  {r.url}"


def counts(results: list[Result]) -> dict[str, int]:
    return {s: sum(r.status == s for r in results) for s in STATUSES}


def summary(results: list[Result], seconds: float) -> str:
    c = counts(results)
    facts = len({r.fact for r in results})
    return (f"{facts} facts, {len(results)} values: {c['unchanged']} unchanged, {c['drifted']} drifted, "
            f"{c['unreachable']} unreachable, {c['format-changed']} format changed ({seconds:.1f} s)")


def to_json(results: list[Result], checked: str, seconds: float) -> dict:
    return {"version": REPORT_VERSION, "checked": checked, "seconds": round(seconds, 1),
            "counts": counts(results), "results": [r.to_json() for r in results]}


def write(path: Path, results: list[Result], checked: str, seconds: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(to_json(results, checked, seconds), ensure_ascii=False, indent=1) + "\n", "utf-8")
    tmp.replace(path)


def markdown(report: dict) -> str:
    """The body of the tracking issue the weekly workflow opens or updates."""
    c = report["counts"]
    out = [f"Watch run of {report['checked']}: {c['drifted']} drifted, {c['unreachable']} unreachable, "
           f"{c['format-changed']} format changed, {c['unchanged']} unchanged.", ""]
    rows = [r for r in report["results"] if r["status"] != "unchanged"]
    if rows:
        out += ["| status | fact | value | kb | upstream / why | source |", "|---|---|---|---|---|---|"]
        for r in rows:
            why = r["upstream"] if r["status"] == "drifted" else r["detail"]
            cells = [r["status"], f"`{r['fact']}`", f"`{r['value']}`", r["kb"], why, f"<{r['url']}>"]
            out.append("| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    else:
        out.append("Every watched value matches its upstream source.")
    return "\n".join(out) + "\n"
