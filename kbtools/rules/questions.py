"""Rules about the questions engineers ask (kb/questions): what answers them and where they were asked."""
from __future__ import annotations

from ..problems import Problem
from . import rule
from .references import _near


@rule("question-answers")
def question_answers(kb):
    """A question is answered by facts; a misspelt or retired id would leave it unanswered."""
    for q in kb.questions.values():
        for i, ref in enumerate(q["answers"]):
            if ref not in kb.facts and ref not in kb.broken:
                yield Problem(q["file"], "question-answers", f"fact '{ref}' does not exist", fact=q["id"],
                              field=f"answers[{i}]", actual=ref, expected="an id of a fact in kb/",
                              hint=_near(ref, kb.facts))


@rule("question-threads")
def question_threads(kb):
    """Where a question was asked is a public thread: a source of kind thread, never a document."""
    for q in kb.questions.values():
        for i, sid in enumerate(q["asked_in"]):
            src = kb.sources.get(sid)
            if src is None:
                if sid not in kb.broken:
                    yield Problem(q["file"], "question-threads", f"source '{sid}' is not in kb/sources/",
                                  fact=q["id"], field=f"asked_in[{i}]", actual=sid,
                                  expected="an id of kb/sources/*.yaml with kind: thread", hint=_near(sid, kb.sources))
            elif src["kind"] != "thread":
                yield Problem(q["file"], "question-threads", f"source '{sid}' is not a thread", fact=q["id"],
                              field=f"asked_in[{i}]", actual=src["kind"], expected="thread",
                              hint="cite the issue or Q&A thread where the question was asked; documents back facts")


@rule("synonyms-one-place")
def synonyms_one_place(kb):
    """A spelling of a glossary term lives in the term (its name, abbreviation or aliases), never
    also in kb/synonyms.yaml: one place per word, so renaming a term renames what search adds."""
    from ..search import key
    spelled = {}
    for term in kb.terms.values():
        aliases = term.get("aliases") or {}
        for word in [term["term"][lang] for lang in ("ko", "en")] + [term.get("abbr") or ""] \
                + [a for lang in ("ko", "en") for a in aliases.get(lang) or []]:
            if word:
                spelled.setdefault(key(word), term)
    for i, entry in enumerate(kb.synonyms):
        for j, typed in enumerate(entry["typed"]):
            term = spelled.get(key(typed))
            if term is not None:
                yield Problem("kb/synonyms.yaml", "synonyms-one-place", f"'{typed}' already spells glossary term '{term['id']}'",
                              fact="synonyms", field=f"entries[{i}].typed[{j}]", actual=typed,
                              expected="a spelling no glossary term lists",
                              hint=f"keep it in {term['file']} (aliases) and delete it here")
