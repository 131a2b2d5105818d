"""Directives for the reference pages: the source registry and the glossary."""
from __future__ import annotations

from .. import escape as esc
from ..text import fill, to_markdown
from ..urls import relative
from . import Page, directive
from .notes import source_line

KIND_ORDER = {"article": 0, "primary": 1, "secondary": 2, "thread": 3}


def _citing(kb) -> dict[str, list]:
    out: dict[str, list] = {}
    for fact in kb.facts.values():
        for sid in fact.all_sources():
            out.setdefault(sid, []).append(fact)
    return out


@directive("sources")
def sources(page: Page, args, options) -> str:
    kb, lang = page.kb, page.lang
    citing = _citing(kb)
    out = []
    for src in sorted(kb.sources.values(), key=lambda s: (KIND_ORDER[s["kind"]], s["id"])):
        facts = citing.get(src["id"], [])
        links = ", ".join(f'[{f.id}]({f.topic}.md#{f.id})' for f in facts)
        asking = [q for q in sorted(kb.questions) if src["id"] in kb.questions[q]["asked_in"]]
        if asking:   # a thread is cited by the questions asked in it
            facts = asking
            links = ", ".join(f'[{q}](questions.md#{q})' for q in asking)
        out += [f'<div class="kb-source" id="{esc.text(src["id"])}" markdown="1">',
                f'<p class="kb-source-title" markdown="span"><span class="kb-badge kb-badge--{esc.text(src["kind"])}">'
                f'{esc.markdown(page.ui("sources.kind." + src["kind"]))}</span> {source_line(page, src)}</p>',
                f'<p class="kb-cited-by" markdown="span">{esc.markdown(page.ui("sources.cited-by"))} '
                f'({len(facts)}): {links}</p>',
                "</div>", ""]
    return "\n".join(out)


@directive("glossary")
def glossary(page: Page, args, options) -> str:
    kb, lang = page.kb, page.lang
    other = "en" if lang == "ko" else "ko"
    out = []
    for term in sorted(kb.terms.values(), key=lambda t: t["term"][lang].casefold()):
        name = term["term"][lang]
        out += [f'### {to_markdown(name)} {{ #{term["id"]} }}', ""]
        meta = []
        if term["term"][other] != name:
            meta.append(esc.text(term["term"][other]))
        if term.get("abbr"):
            meta.append(f'{esc.text(page.ui("glossary.abbr"))} <code>{esc.text(term["abbr"])}</code>')
        aliases = [a for langs in ("ko", "en") for a in term.get("aliases", {}).get(langs, [])]
        if aliases:
            meta.append(f'{esc.text(page.ui("glossary.aliases"))}: ' + ", ".join(esc.text(a) for a in aliases))
        if meta:
            out.append(f'<p class="kb-term-meta">{" · ".join(meta)}</p>')
        out.append(f'<p class="kb-term-def" markdown="span">{to_markdown(fill(term["definition"][lang], {}, lang))}'
                   f'{page.cite(term["sources"])}</p>')
        if term.get("see_also"):
            links = ", ".join(f'[{to_markdown(kb.terms[s]["term"][lang])}](#{s})' for s in term["see_also"] if s in kb.terms)
            out.append(f'<p class="kb-see-also" markdown="span">→ {links}</p>')
        out.append("")
    return "\n".join(out)
