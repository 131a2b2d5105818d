"""Rules about what readers see: every value a fact shows has words in both languages."""
from __future__ import annotations

from .. import labels
from ..problems import Problem
from . import rule


@rule("value-labels")
def value_labels(kb):
    for fact in kb.facts.values():
        for key, missing, value in labels.unnamed(kb, fact):
            if missing == "label":
                yield Problem(fact.file, "value-labels", f"value '{key}' is shown to readers without a label",
                              fact=fact.id, field=f"{fact.field}.values.{key}", actual=key,
                              expected="a {ko, en} label for the key",
                              hint=f"add `{key}: {{label: {{ko: …, en: …}}}}` under values: in kb/labels.yaml, "
                                   "or name it in a table column of this entity, or say it in the text as {" + key + "}")
            else:
                yield Problem(fact.file, "value-labels", f"value '{value}' of '{key}' is a slug with no name",
                              fact=fact.id, field=f"{fact.field}.values.{key}", actual=value,
                              expected="a {ko, en} name for the value",
                              hint=f"add `{value}: {{ko: …, en: …}}` under the key's values: (kb/labels.yaml or its table column)")
