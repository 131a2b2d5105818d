"""Rules about the article: every claim carried, and carried with the article as a source."""
from __future__ import annotations

from ..model import CLAIMS
from ..problems import Problem
from . import rule

ARTICLE = "seed-article"


@rule("claims-carried")
def claims_carried(kb):
    carried = {c for f in kb.facts.values() for c in f.data["claims"]}
    for claim in CLAIMS:
        if claim not in carried:
            yield Problem("kb/", "claims-carried", f"article claim {claim} is carried by no fact", fact=claim,
                          field="claims", actual="none", expected=f"a fact with claims: [{claim}]",
                          hint="see the claim table in shared/research/fact-check.md")


@rule("claims-cite-article")
def claims_cite_article(kb):
    for fact in kb.facts.values():
        if fact.data["claims"] and ARTICLE not in fact.sources:
            yield Problem(fact.file, "claims-cite-article", "a fact carrying article claims does not cite the article",
                          fact=fact.id, field=f"{fact.field}.sources", actual=", ".join(fact.sources),
                          expected=f"{ARTICLE} among the sources",
                          hint="the article is the source of what it said; today's state cites its own source")
