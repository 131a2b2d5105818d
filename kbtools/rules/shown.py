"""Rules about what readers see: every value a fact shows has words in both languages."""
from __future__ import annotations

import re

from .. import josa, labels
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


# A particle right after a number, a Latin word, a `code` span or a closing bracket.
_AFTER_LATIN = re.compile(r"(?<=[0-9A-Za-z%)`'\"])(?:" + "|".join(josa.FORMS) + r")(?![\uac00-\ud7a3])")


def korean_texts(kb):
    """(file, owner id, field, Korean text) for every Korean string of the kb."""
    def walk(node, path):
        if isinstance(node, dict):
            if isinstance(node.get("ko"), str):
                yield path + ".ko" if path else "ko", node["ko"]
            for k, v in node.items():
                if k != "ko":
                    yield from walk(v, f"{path}.{k}" if path else str(k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from walk(v, f"{path}[{i}]")
    for ent in kb.entities.values():
        for field, text in walk(ent.data, ""):
            m = re.match(r"facts\[(\d+)\]", field)
            owner = ent.facts[int(m.group(1))].id if m and int(m.group(1)) < len(ent.facts) else ent.id
            yield ent.file, owner, field, text
    for group in (kb.terms, kb.guides, kb.figures, kb.tables, kb.questions):
        for ident, data in group.items():
            for field, text in walk(data, ""):
                yield data.get("file", ident), ident, field, text


@rule("korean-particles")
def korean_particles(kb):
    for file, owner, field, text in korean_texts(kb):
        for m in _AFTER_LATIN.finditer(text):
            before = text[:m.start()]
            if before.endswith("}"):
                continue                      # a placeholder: the renderer picks the particle (kbtools.text.fill)
            end = josa.reading_end(before[-80:])
            if end is None:
                continue
            want = josa.form(end, m.group(0))
            if want != m.group(0):
                word = "" if not before or before[-1].isspace() else before.split()[-1]   # not \S*$: quadratic
                yield Problem(file, "korean-particles", f"'{word}{m.group(0)}' takes {want}, not {m.group(0)}",
                              fact=owner, field=field, actual=f"{word}{m.group(0)}", expected=f"{word}{want}",
                              hint="the particle follows how the word is read aloud (2.1.6 육 → 이, Docker 도커 → 가, "
                                   "MCR 알 → 로); see kbtools/josa.py")
