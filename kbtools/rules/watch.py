"""Rules about watch specs: each must name a value the fact has, a source the fact cites, and
expressions that compile, so `make watch` never meets a spec it cannot run."""
from __future__ import annotations

import json
import re

import jmespath
import soupsieve
from jmespath.exceptions import JMESPathError

from ..problems import Problem
from ..schemas import validate
from . import rule

REPORT = "watch-report.json"


def _specs(kb):
    for fact in kb.facts.values():
        for i, spec in enumerate(fact.data.get("watch", [])):
            yield fact, i, spec


@rule("watch-value")
def watch_value(kb):
    for fact, i, spec in _specs(kb):
        if spec["value"] not in fact.values:
            yield Problem(fact.file, "watch-value", "the watch spec checks a value the fact does not have",
                          fact=fact.id, field=f"{fact.field}.watch[{i}].value", actual=spec["value"],
                          expected=" | ".join(fact.values) or "a key of values (the fact has none)",
                          hint="name a key of this fact's values:, or add the value first")


@rule("watch-source")
def watch_source(kb):
    for fact, i, spec in _specs(kb):
        if spec["source"] not in fact.all_sources():
            yield Problem(fact.file, "watch-source", "the watch spec reads a source the fact does not cite",
                          fact=fact.id, field=f"{fact.field}.watch[{i}].source", actual=spec["source"],
                          expected=" | ".join(fact.all_sources()),
                          hint="watch the source the fact rests on; cite it in sources: if it is a new one")


@rule("watch-expression")
def watch_expression(kb):
    for fact, i, spec in _specs(kb):
        for key, compile_ in (("pattern", re.compile), ("path", jmespath.compile), ("selector", soupsieve.compile)):
            if key not in spec:
                continue
            try:
                compile_(spec[key])
            except (re.error, JMESPathError, soupsieve.SelectorSyntaxError) as exc:
                yield Problem(fact.file, "watch-expression", f"the watch spec's {key} does not compile",
                              fact=fact.id, field=f"{fact.field}.watch[{i}].{key}", actual=spec[key][:80],
                              expected={"pattern": "a Python regular expression", "path": "a JMESPath expression",
                                        "selector": "a CSS selector"}[key],
                              hint=str(exc).splitlines()[0][:120])


@rule("watch-report")
def watch_report(kb):
    """The committed report feeds the review page and the facts' notes: it must be what `make watch` writes."""
    path = kb.root / REPORT
    if not path.exists():
        return
    rel = f"{kb.root.name}/{REPORT}"
    try:
        doc = json.loads(path.read_text("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        yield Problem(rel, "watch-report", "the watch report is not valid JSON", fact="watch-report",
                      actual=str(exc)[:80], expected="the JSON that python -m kbtools watch writes",
                      hint="run make watch again, or delete the file")
        return
    yield from validate(doc, kb.root / "schema", "watch-report.schema.json", rel)
