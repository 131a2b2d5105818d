"""The questions page: what engineers ask, as they phrase it, answered by links to the facts."""
from __future__ import annotations

from .. import escape as esc
from ..text import fill, plain
from ..urls import relative
from . import DirectiveError, Page, directive

# Sections in reading order: first what fails to start, then images and builds, CI, clusters, hosts.
GROUPS = ("versions", "images", "build", "ci", "kubernetes", "hosts", "features")


def _fact_ref(page: Page, fid: str) -> str:
    """A link to the fact's permalink; its sentence is the link's title, never copied into the page."""
    fact = page.kb.facts[fid]
    title = plain(fill(fact.data["text"][page.lang], fact.values, page.lang))
    return (f'<a class="kb-factref" href="{esc.text(relative(fact.topic, fid, page.topic))}" '
            f'title="{esc.text(title)}"><code>#{esc.text(fid)}</code></a>')


def _thread(page: Page, sid: str) -> str:
    src = page.kb.sources[sid]
    title = src["title"].get(page.lang) or src["title"]["en"]
    url = esc.href(src.get("url", ""))
    shown = f'<a class="kb-thread" href="{url}">{esc.text(title)}</a>' if url else esc.text(title)
    return f'{shown} <span class="kb-thread-where">({esc.text(src["publisher"])})</span>'



def question_block(page: Page, q: dict) -> str:
    lang = page.lang
    missing = [f for f in q["answers"] if f not in page.kb.facts]
    if missing:   # the rule question-answers reports it with the file; this guards a page built anyway
        raise DirectiveError(f"{page.src}: question '{q['id']}' is answered by unknown facts {missing}")
    out = [f'### {esc.markdown(q["question"][lang])} {{ #{q["id"]} }}', "",
           f'<div class="kb-question" data-group="{esc.text(q["group"])}" markdown="1">']
    if q.get("errors"):
        # Indexed by the site search: a pasted message finds its question (kbtools/search.py).
        codes = " ".join(esc.code(e) for e in q["errors"])
        out.append(f'<p class="kb-question-errors" markdown="span"><span class="kb-question-label">'
                   f'{esc.markdown(page.ui("questions.errors"))}</span> {codes}</p>')
    out.append(f'<p class="kb-question-answer" markdown="span">{esc.markdown(q["answer"][lang])}</p>')
    refs = " ".join(_fact_ref(page, f) for f in q["answers"])
    out.append(f'<p class="kb-question-facts" data-search-exclude="true"><span class="kb-question-label">'
               f'{esc.text(page.ui("questions.facts"))}</span> {refs}</p>')
    threads = "; ".join(_thread(page, s) for s in q["asked_in"])
    out.append(f'<p class="kb-question-asked" data-search-exclude="true"><span class="kb-question-label">'
               f'{esc.text(page.ui("questions.asked-in"))}</span> {threads}</p>')
    out += ["</div>", ""]
    return "\n".join(out)


@directive("questions")
def questions(page: Page, args, options) -> str:
    kb = page.kb
    if not kb.questions:
        raise DirectiveError(f"{page.src}: kb:questions found no questions in kb/questions/")
    out = []
    for group in GROUPS:
        qs = sorted((q for q in kb.questions.values() if q["group"] == group), key=lambda q: q["id"])
        if not qs:
            continue
        out += [f'## {esc.markdown(page.ui("questions.group." + group))} {{ #questions-{group} }}', ""]
        out += [question_block(page, q) for q in qs]
    return "\n".join(out) + "\n"

