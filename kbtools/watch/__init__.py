"""Watch the upstream sources of facts and report drift (`make watch`, `python -m kbtools watch`).

A fact declares under `watch:` where one of its values can be read by a machine (see
kb/README.md, "Watching upstream"). `run()` fetches every distinct URL once, concurrently,
and gives one `Result` per spec: unchanged, drifted, unreachable or format-changed.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from ..model import KB
from .extract import FormatChanged, compare, extract, kb_value
from .fetch import fetch_all

STATUSES = ("unchanged", "drifted", "unreachable", "format-changed")


@dataclass(frozen=True)
class Target:
    fact: str
    index: int           # position in the fact's watch list
    spec: dict
    kb: str              # the kb value, as text


@dataclass(frozen=True)
class Result:
    fact: str
    value: str
    check: str
    kind: str
    source: str
    url: str
    kb: str
    status: str
    upstream: str = ""
    detail: str = ""

    def to_json(self) -> dict:
        return asdict(self)


def targets(kb: KB) -> list[Target]:
    out = []
    for fact in kb.facts.values():
        for i, spec in enumerate(fact.data.get("watch", [])):
            if spec["value"] in fact.values:      # rule watch-value reports the others
                out.append(Target(fact.id, i, spec, kb_value(fact.values[spec["value"]])))
    return sorted(out, key=lambda t: (t.fact, t.index))


def judge(target: Target, fetched) -> Result:
    s = target.spec
    base = dict(fact=target.fact, value=s["value"], check=s["check"], kind=s["kind"], source=s["source"],
                url=s["url"], kb=target.kb)
    if fetched.error:
        return Result(**base, status="unreachable", detail=fetched.error)
    try:
        found = extract(s["kind"], fetched.text, s)
    except FormatChanged as exc:
        return Result(**base, status="format-changed", detail=str(exc))
    verdict = compare(s["check"], target.kb, found)
    return Result(**base, status=verdict.status, upstream=verdict.upstream, detail=verdict.detail)


def run(kb: KB, cache_dir: Path, **fetch_options) -> list[Result]:
    todo = targets(kb)
    fetched = fetch_all([t.spec["url"] for t in todo], cache_dir, **fetch_options)
    return [judge(t, fetched[t.spec["url"]]) for t in todo]
