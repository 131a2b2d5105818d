"""Directives that place facts: an entity with its facts, one fact, a comparison table."""
from __future__ import annotations

from .. import escape as esc, labels, review
from ..text import fill, format_value, to_html, to_markdown
from ..urls import relative
from . import DirectiveError, Page, directive

BADGED = {"outdated", "incorrect", "disputed", "unverified", "opinion"}


def _one(page: Page, args: list[str], name: str) -> str:
    if len(args) != 1:
        raise DirectiveError(f"{page.src}: kb:{name} takes exactly one id, got {args or 'none'}")
    return args[0]


def fact_block(page: Page, fact) -> str:
    lang, d = page.lang, fact.data
    text = to_markdown(fill(d["text"][lang], fact.values, lang))
    badge = ""
    if fact.status in BADGED:
        badge = (f'<span class="kb-badge kb-badge--{esc.text(fact.status)}">'
                 f'{esc.markdown(page.ui("status." + fact.status))}</span> ')
    parts = [f'<div class="kb-fact" id="{esc.text(fact.id)}" data-status="{esc.text(fact.status)}" markdown="1">']
    parts += [f'<span class="kb-alias" id="{esc.text(old)}"></span>' for old in d.get("aliases", [])]
    parts.append(f'<p class="kb-fact-text" markdown="span">{badge}{text}{page.cite(fact.sources)}</p>')
    if "details" in d:
        details = to_markdown(fill(d["details"][lang], fact.values, lang))
        parts.append(f'<p class="kb-fact-details" markdown="span">{details}</p>')
    if "current" in d:
        cur = d["current"]
        body = to_markdown(fill(cur[lang], fact.values, lang))
        parts.append(
            f'<p class="kb-current" markdown="span"><strong>{esc.markdown(page.ui("fact.current"))}</strong> '
            f'<span class="kb-asof">({esc.markdown(page.ui("fact.as-of"))} <time datetime="{esc.text(cur["as_of"])}">'
            f'{esc.markdown(cur["as_of"])}</time>)</span> {body}{page.cite(cur["sources"])}</p>')
    changed = review.upstream_changes(page.kb).get(fact.id)
    if changed:
        # Until someone re-verifies the fact (verified later than the watch run), readers see the drift.
        report = review.last_watch(page.kb)
        label = esc.text(page.ui("fact.upstream-changed").replace("{date}", report["checked"]))
        vals = "; ".join(f'<code>{esc.text(r["value"])}</code> '
                         + esc.text(page.ui("review.watch.values").replace("{kb}", r["kb"]).replace("{upstream}", r["upstream"]))
                         for r in changed)
        parts.append(f'<p class="kb-upstream-changed" data-checked="{esc.text(report["checked"])}"><strong>{label}</strong> {vals}</p>')
    shown = labels.shown(page.kb, fact, lang)      # values the sentence does not already say, in words
    if shown:
        items = " · ".join(f'<span class="kb-value"><span class="kb-value-label">{esc.text(label)}</span>: '
                           f'{esc.text(words)}</span>' for label, words in shown)
        parts.append(f'<p class="kb-values">{items}</p>')
    meta = [f'<a class="kb-permalink" href="#{esc.text(fact.id)}" title="{esc.text(page.ui("fact.permalink"))}">#{esc.text(fact.id)}</a>',
            f'{esc.text(page.ui("fact.verified"))} <time datetime="{esc.text(d["verified"])}">{esc.text(d["verified"])}</time>']
    if d.get("due"):
        meta.append(f'{esc.text(page.ui("fact.due"))} <time datetime="{esc.text(d["due"])}">{esc.text(d["due"])}</time>')
    if d["claims"]:
        meta.append(f'{esc.text(page.ui("fact.claims"))} {esc.text(", ".join(d["claims"]))}')
    # "확인일 2026-11-24" is one item: a line may break between items, never inside one.
    meta[1:] = [f'<span class="kb-meta-item">{m}</span>' for m in meta[1:]]
    from ..history import meta_html   # when it last changed, from kb/changelog.yaml
    if changed := meta_html(page.kb, fact, lang, page.topic):
        meta.append(changed)
    parts.append(f'<p class="kb-fact-meta">{" · ".join(meta)}</p>')
    parts.append("</div>")
    return "\n".join(parts) + "\n"


def _check_topic(page: Page, topic: str, what: str) -> None:
    if topic != page.topic:
        raise DirectiveError(f"{page.src}: {what} belongs on page '{topic}.md' (its topic), not '{page.topic}.md'")


def _place(page: Page, args, name: str, known: dict):
    """The entity or fact a directive places on this page, recorded so unplaced facts are caught."""
    ident = _one(page, args, name)
    item = known.get(ident)
    if item is None:
        raise DirectiveError(f"{page.src}: kb:{name} '{ident}' is not in kb/")
    _check_topic(page, item.topic, f"{name} '{ident}'")
    page.placed.append(ident)
    return item


@directive("entity")
def entity(page: Page, args, options) -> str:
    ent = _place(page, args, "entity", page.kb.entities)
    level = int(options.get("level", "2"))
    out = [f'{"#" * level} {to_markdown(ent.data["name"][page.lang])} {{ #{ent.id} }}', ""]
    out += [f'<span class="kb-alias" id="{esc.text(old)}"></span>' for old in ent.data.get("aliases", [])]
    out += [to_markdown(fill(ent.data["summary"][page.lang], {}, page.lang)), ""]   # Korean dates, particles
    for fact in ent.facts:
        if fact.topic == page.topic:
            out.append(fact_block(page, fact))
    return "\n".join(out) + "\n"


@directive("fact")
def fact(page: Page, args, options) -> str:
    return fact_block(page, _place(page, args, "fact", page.kb.facts))


def cell(page: Page, ent, column) -> str:
    fact, value = ent.value(column["key"])
    if fact is None:
        return f'<td class="kb-na">{esc.text(page.ui("table.no-value"))}</td>'
    names = column.get("values", {})
    shown = names[value][page.lang] if isinstance(value, str) and value in names else format_value(value, page.lang, column["key"])
    href = relative(fact.topic, fact.id, page.topic)
    kind = "bool-" + str(value).lower() if isinstance(value, bool) else "value"
    return f'<td class="kb-{kind}"><a href="{esc.text(href)}">{to_html(shown)}</a></td>'


@directive("table")
def table(page: Page, args, options) -> str:
    ident = _one(page, args, "table")
    t = page.kb.tables.get(ident)
    if t is None:
        raise DirectiveError(f"{page.src}: kb:table '{ident}' is not in kb/tables/")
    lang = page.lang
    head = "".join(f'<th scope="col">{esc.text(c["label"][lang])}</th>' for c in t["columns"])
    rows = []
    for row in t["rows"]:
        ent = page.kb.entities[row]
        label = t.get("row_labels", {}).get(row)
        name = esc.html(label[lang]) if label else esc.html(ent.data["name"][lang])
        cells = "".join(cell(page, ent, c) for c in t["columns"])
        rows.append(f'<tr><th scope="row"><a href="{esc.text(relative(ent.topic, ent.id, page.topic))}">{name}</a></th>{cells}</tr>')
    return (f'<div class="kb-table-wrap" id="{esc.text(t["id"])}" tabindex="0" role="region" aria-label="{esc.text(t["caption"][lang])}">\n'
            f'<table class="kb-table">\n<caption>{esc.text(t["caption"][lang])}</caption>\n'
            f'<thead><tr><td></td>{head}</tr></thead>\n<tbody>\n' + "\n".join(rows) + "\n</tbody></table>\n</div>\n")
