"""Rules about the bilingual text of facts."""
from __future__ import annotations

import re

from ..text import PLACEHOLDER, code_spans, fill, numbers
from ..problems import Problem
from . import rule

HANGUL = re.compile(r"[\uac00-\ud7a3]")
MARKUP = re.compile(r"<\s*[A-Za-z/!?]|\]\(|\*\*|\[\^|&#?[a-z0-9]+;", re.I)


def _texts(fact):
    d = fact.data
    yield "text", d["text"]
    if "details" in d:
        yield "details", d["details"]
    if "current" in d:
        yield "current", {"ko": d["current"]["ko"], "en": d["current"]["en"]}


@rule("placeholders-resolve")
def placeholders_resolve(kb):
    for fact in kb.facts.values():
        for field, pair in _texts(fact):
            for lang in ("ko", "en"):
                for key in PLACEHOLDER.findall(pair[lang]):
                    if key not in fact.values:
                        yield Problem(fact.file, "placeholders-resolve", f"{{{key}}} has no value", fact=fact.id,
                                      field=f"{fact.field}.{field}.{lang}", actual=f"{{{key}}}",
                                      expected=", ".join(sorted(fact.values)) or "a key under values",
                                      hint="add the value under values:, or fix the key")


@rule("bilingual-numbers")
def bilingual_numbers(kb):
    for fact in kb.facts.values():
        for field, pair in _texts(fact):
            ko = fill(pair["ko"], fact.values, "ko")
            en = fill(pair["en"], fact.values, "en")
            only_ko, only_en = numbers(ko) - numbers(en), numbers(en) - numbers(ko)
            if only_ko or only_en:
                yield Problem(fact.file, "bilingual-numbers", "numbers differ between the Korean and English text",
                              fact=fact.id, field=f"{fact.field}.{field}",
                              actual=f"only in ko: {sorted(only_ko)}; only in en: {sorted(only_en)}",
                              expected="the same numbers, versions and dates in both languages",
                              hint="write numbers as digits in both (2, not two / 두); put shared numbers in values")


@rule("bilingual-code")
def bilingual_code(kb):
    for fact in kb.facts.values():
        for field, pair in _texts(fact):
            ko, en = code_spans(pair["ko"]), code_spans(pair["en"])
            if ko != en:
                yield Problem(fact.file, "bilingual-code", "commands, tags, paths or URLs differ between the languages",
                              fact=fact.id, field=f"{fact.field}.{field}",
                              actual=f"only in ko: {sorted(ko - en)}; only in en: {sorted(en - ko)}",
                              expected="the same `code` spans and URLs in both languages",
                              hint="tags, commands and paths are never translated")


@rule("text-is-plain")
def text_is_plain(kb):
    def check(file, owner, field, text):
        outside_code = re.sub(r"`[^`]*`", "", text)
        if MARKUP.search(outside_code):
            yield Problem(file, "text-is-plain", "text contains markup", fact=owner, field=field,
                          actual=MARKUP.search(outside_code).group(0), expected="plain text and `code` only",
                          hint="kb text is shown as typed; links belong in sources, emphasis in the page prose")
    for fact in kb.facts.values():
        for field, pair in _texts(fact):
            for lang in ("ko", "en"):
                # Checked as the reader gets it: a value filled into {placeholder} is text too.
                yield from check(fact.file, fact.id, f"{fact.field}.{field}.{lang}", fill(pair[lang], fact.values, lang))
    for ent in kb.entities.values():
        for lang in ("ko", "en"):
            yield from check(ent.file, ent.id, f"summary.{lang}", ent.data["summary"][lang])
            yield from check(ent.file, ent.id, f"name.{lang}", ent.data["name"][lang])
    for term in kb.terms.values():
        for lang in ("ko", "en"):
            yield from check(term["file"], term["id"], f"definition.{lang}", term["definition"][lang])
    for src in kb.sources.values():
        for lang, title in src["title"].items():
            yield from check(src["file"], src["id"], f"title.{lang}", title)
    for q in kb.questions.values():
        for field in ("question", "answer"):
            for lang in ("ko", "en"):
                yield from check(q["file"], q["id"], f"{field}.{lang}", q[field][lang])


@rule("english-has-no-hangul")
def english_has_no_hangul(kb):
    for fact in kb.facts.values():
        for field, pair in _texts(fact):
            if HANGUL.search(pair["en"]):
                yield Problem(fact.file, "english-has-no-hangul", "English text contains Hangul", fact=fact.id,
                              field=f"{fact.field}.{field}.en", actual=HANGUL.search(pair["en"]).group(0),
                              expected="English only", hint="the Korean goes in ko")
    for q in kb.questions.values():
        for field in ("question", "answer"):
            if HANGUL.search(q[field]["en"]):
                yield Problem(q["file"], "english-has-no-hangul", "English text contains Hangul", fact=q["id"],
                              field=f"{field}.en", actual=HANGUL.search(q[field]["en"]).group(0),
                              expected="English only", hint="the Korean goes in ko")


ENDING = re.compile(r"(니다|니까|입니다|습니다)[.?!]?[)\"'”’]*$")


@rule("korean-style")
def korean_style(kb):
    def check(file, owner, field, text):
        if "당신" in text:
            yield Problem(file, "korean-style", "uses 당신", fact=owner, field=field, actual="당신",
                          expected="no direct address", hint="rephrase without 당신 (see kb/README.md, Korean style)")
        if not HANGUL.search(text):
            yield Problem(file, "korean-style", "Korean text has no Hangul", fact=owner, field=field,
                          actual=text[:40], expected="a Korean sentence", hint="write the Korean version")
        elif not ENDING.search(text.strip()):
            yield Problem(file, "korean-style", "Korean sentence does not end in 합니다체", fact=owner, field=field,
                          actual=text.strip()[-20:], expected="…니다.", hint="end sentences with 합니다/입니다/습니다")
    for fact in kb.facts.values():
        for field, pair in _texts(fact):
            yield from check(fact.file, fact.id, f"{fact.field}.{field}.ko", pair["ko"])
    for ent in kb.entities.values():
        yield from check(ent.file, ent.id, "summary.ko", ent.data["summary"]["ko"])
    for term in kb.terms.values():
        yield from check(term["file"], term["id"], "definition.ko", term["definition"]["ko"])
    for q in kb.questions.values():   # the answer, not the question: people type questions as they like
        yield from check(q["file"], q["id"], "answer.ko", q["answer"]["ko"])
