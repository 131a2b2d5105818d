"""Directives for pages computed from the kb: compatibility, lifecycle, review, guide, changelog.

Every answer on these pages is computed from facts at build time and links to them; the pages'
own prose only introduces. Dates come from KB.as_of, never the clock.
"""
from __future__ import annotations

import re

from .. import compat, escape as esc, lifecycle, review
from . import notes
from ..text import fill, plain, to_markdown
from ..urls import relative
from . import DirectiveError, Page, directive

CHECKER_DATA_ID = "kb-compat-data"


def _fmt(template: str, **values) -> str:
    return re.sub(r"\{([a-z_]+)\}", lambda m: str(values.get(m.group(1), m.group(0))), template)


def _fact_href(page: Page, fid: str) -> str:
    f = page.kb.facts[fid]
    return relative(f.topic, f.id, page.topic)


def _fact_link(page: Page, fid: str) -> str:
    return f'<a class="kb-factref" href="{_fact_href(page, fid)}"><code>#{fid}</code></a>'


def _fact_quote(page: Page, fid: str) -> str:
    """The fact's own sentence with its footnotes and a link to its permalink (Markdown, one line)."""
    f = page.kb.facts[fid]
    text = to_markdown(fill(f.data["text"][page.lang], f.values, page.lang))
    return f'{text}{page.cite(f.sources)} {_fact_link(page, fid)}'


# --- compatibility -------------------------------------------------------------------------------

def _reason(page: Page, cell: compat.Cell, mode: str, host, image) -> str:
    code = cell.reasons[mode]
    return _fmt(page.ui(f"compat.reason.{code}"), build=image.builds(), host_build=host.builds(),
                image_build=image.builds())


def _cells(page: Page):
    kb = page.kb
    try:
        cells = compat.matrix(kb)
    except compat.CompatDataMissing as exc:
        raise DirectiveError(f"{page.src}: the compatibility matrix needs more kb data: {exc}") from None
    return cells, {h.key: h for h in compat.hosts(kb)}, {i.key: i for i in compat.images(kb)}


_STATE = {True: "yes", False: "no", None: "depends"}
_ANSWER = {True: "compat.runs", False: "compat.blocked", None: "compat.depends"}


def _name(page: Page, key: str) -> str:
    """Display name of a release key of the published table (ws2022 -> Windows Server 2022)."""
    return page.ui(f"compat.name.{key}")


@directive("compat-matrix")
def compat_matrix(page: Page, args, options) -> str:
    """Host OS (rows) × image release (columns); each cell says per isolation mode runs or not, and why."""
    kb, lang = page.kb, page.lang
    cells, hosts, images = _cells(page)
    by = {(c.host, c.image): c for c in cells}
    head = "".join(f'<th scope="col">{esc.text(_name(page, i.key))}<br>'
                   f'<span class="kb-compat-build">{esc.text(page.ui("compat.build"))} {i.builds()}</span></th>'
                   for i in images.values())
    rows = []
    for h in hosts.values():
        tds = []
        for i in images.values():
            c = by[(h.key, i.key)]
            items = []
            for mode in compat.MODES:
                ok = c.runs[mode]
                facts = " ".join(_fact_link(page, f) for f in c.facts[mode])
                items.append(f'<li class="kb-compat-{_STATE[ok]}" data-mode="{mode}">'
                             f'<strong>{esc.text(page.ui("compat.mode." + mode))}: '
                             f'{esc.text(page.ui(_ANSWER[ok]))}</strong> '
                             f'<span class="kb-compat-reason">{esc.text(_reason(page, c, mode, h, i))}</span> '
                             f'<span class="kb-compat-facts">{facts}</span></li>')
            for note, fid in c.notes:
                items.append(f'<li class="kb-compat-note">{esc.text(page.ui("compat.note." + note))} '
                             f'{_fact_link(page, fid)}</li>')
            values = list(c.runs.values())
            state = "both" if all(v is True for v in values) else ("none" if all(v is False for v in values) else "some")
            tds.append(f'<td class="kb-compat-cell kb-compat-cell--{state}" data-host="{h.key}" data-image="{i.key}">'
                       f'<ul>{"".join(items)}</ul></td>')
        rows.append(f'<tr><th scope="row">{esc.text(_name(page, h.key))}<br>'
                    f'<span class="kb-compat-build">{esc.text(page.ui("compat.build"))} {h.builds()}</span></th>'
                    f'{"".join(tds)}</tr>')
    caption = esc.text(page.ui("compat.matrix-caption"))
    corner = esc.text(page.ui("compat.host") + " \\ " + page.ui("compat.image"))
    # Excluded from search: its many fact ids and repeated answers would outrank the facts' own pages.
    return (f'<div class="kb-table-wrap kb-compat-wrap" id="compat-matrix" tabindex="0" role="region" aria-label="{caption}" data-search-exclude="true">\n'
            f'<table class="kb-table kb-compat-matrix">\n<caption>{caption}</caption>\n'
            f'<thead><tr><td>{corner}</td>{head}</tr></thead>\n<tbody>\n' + "\n".join(rows)
            + "\n</tbody></table>\n</div>\n")


def checker_data(page: Page) -> dict:
    """What the in-page checker needs, in the page's language: no fetch, so it works from file://."""
    kb, lang = page.kb, page.lang
    cells, hosts, images = _cells(page)
    used_facts, out_cells = set(), {}
    for c in cells:
        h, i = hosts[c.host], images[c.image]
        entry = {}
        for mode in compat.MODES:
            entry[mode] = {"runs": c.runs[mode], "reason": _reason(page, c, mode, h, i), "facts": c.facts[mode]}
            used_facts.update(c.facts[mode])
        entry["notes"] = [{"text": page.ui("compat.note." + n), "fact": fid} for n, fid in c.notes]
        used_facts.update(fid for _, fid in c.notes)
        out_cells[f"{c.host}|{c.image}"] = entry
    facts, sources = {}, {}
    for fid in sorted(used_facts):
        f = kb.facts[fid]
        facts[fid] = {"href": _fact_href(page, fid), "text": plain(fill(f.data["text"][lang], f.values, lang)),
                      "sources": f.sources}
        for sid in f.sources:
            s = kb.sources[sid]
            # compat.js makes the URL a link: only one that parses as a safe https URL (escape.href).
            sources[sid] = {"title": s["title"].get(lang) or s["title"]["en"], "publisher": notes.publisher(s, lang),
                            "url": s["url"] if s.get("url") and esc.href(s["url"]) else ""}
    labels = {k: page.ui(f"compat.{k}") for k in
              ("runs", "blocked", "depends", "verdict-runs", "verdict-blocked", "verdict-depends",
               "modes", "why", "basis", "none", "notes")}
    labels.update({"mode." + m: page.ui("compat.mode." + m) for m in compat.MODES})
    labels["sources"] = page.ui("fact.sources")
    return {"lang": lang, "as_of": kb.as_of,
            "hosts": [{"id": h.key, "name": _name(page, h.key), "build": h.builds()} for h in hosts.values()],
            "images": [{"id": i.key, "name": _name(page, i.key), "build": i.builds()} for i in images.values()],
            "cells": out_cells, "facts": facts, "sources": sources, "labels": labels}


def _json_script(ident: str, data) -> str:
    return f'<script type="application/json" id="{esc.text(ident)}">{esc.json_script(data, sort_keys=True)}</script>'


@directive("compat-checker")
def compat_checker(page: Page, args, options) -> str:
    """A form: pick host and image, see whether it runs, in which mode, why, from which source."""
    data = checker_data(page)

    def options_html(items, label):
        return "".join(f'<option value="{esc.text(x["id"])}">{esc.text(label(x))}</option>' for x in items)
    host_opts = options_html(data["hosts"], lambda h: f'{h["name"]} ({page.ui("compat.build")} {h["build"]})')
    image_opts = options_html(data["images"], lambda i: f'{i["name"]} ({page.ui("compat.build")} {i["build"]})')
    return (
        f'<form class="kb-compat-checker" id="compat-checker" data-kb-checker="{CHECKER_DATA_ID}" data-search-exclude="true" '
        f'aria-label="{esc.text(page.ui("compat.checker"))}">\n'
        f'<p class="kb-compat-field"><label for="kb-compat-host">{esc.text(page.ui("compat.host"))}</label>\n'
        f'<select id="kb-compat-host" name="host">{host_opts}</select></p>\n'
        f'<p class="kb-compat-field"><label for="kb-compat-image">{esc.text(page.ui("compat.image"))}</label>\n'
        f'<select id="kb-compat-image" name="image">{image_opts}</select></p>\n'
        f'<div class="kb-compat-result" id="kb-compat-result" role="status" aria-live="polite" aria-atomic="true">'
        f'<p>{esc.text(page.ui("compat.needs-js"))}</p></div>\n'
        f'</form>\n\n{_json_script(CHECKER_DATA_ID, data)}\n')


# --- lifecycle -----------------------------------------------------------------------------------

def _date_link(page: Page, pair) -> str:
    if not pair:
        return f'<span class="kb-na">{esc.text(page.ui("table.no-value"))}</span>'
    value, fid = pair
    return f'<a href="{_fact_href(page, fid)}"><time datetime="{value}">{value}</time></a>'


@directive("lifecycle")
def lifecycle_table(page: Page, args, options) -> str:
    kb, lang = page.kb, page.lang
    as_of = options.get("as_of") or kb.as_of
    rows = lifecycle.tag_rows(kb, as_of)
    if not rows:
        raise DirectiveError(f"{page.src}: kb:lifecycle found no base image tags (base-image `repository`, "
                             "os-release `image_tag`)")
    # One header per column: image and tag share the row header, so there is no separate tag column.
    cols = ["lifecycle.image", "lifecycle.release-date", "lifecycle.mainstream-end",
            "lifecycle.extended-end", "lifecycle.status", "lifecycle.next"]
    head = "".join(f'<th scope="col">{esc.text(page.ui(c))}</th>' for c in cols[1:])
    body = []
    for r in rows:
        ent = kb.entities[r.image]
        st = r.status
        if st.changes_on:
            nxt = (f'<time datetime="{st.changes_on}">{st.changes_on}</time>: '
                   f'{esc.text(page.ui("lifecycle.status." + st.next_status))}')
        else:
            nxt = esc.text(page.ui("lifecycle.no-change"))
        name = f'<a href="{relative(ent.topic, ent.id, page.topic)}">{esc.text(ent.data["name"][lang])}</a>'
        body.append(
            f'<tr id="tag-{r.image}-{r.tag}" data-status="{st.status}"><th scope="row">{name}<br>'
            # <wbr> after each / : on a phone the path wraps at its slashes and the dates stay in view.
            f'<code>{esc.text(r.repository).replace("/", "/<wbr>")}:{esc.text(r.tag)}</code></th>'
            f'<td>{_date_link(page, r.dates.get("release_date"))}</td>'
            f'<td>{_date_link(page, r.dates.get("mainstream_end"))}</td>'
            f'<td>{_date_link(page, r.dates.get("extended_end"))}</td>'
            f'<td class="kb-life kb-life--{st.status}">{esc.text(page.ui("lifecycle.status." + st.status))}</td>'
            f'<td>{nxt}</td></tr>')
    caption = esc.text(_fmt(page.ui("lifecycle.caption"), as_of=as_of))
    return (f'<div class="kb-table-wrap" id="lifecycle-table" tabindex="0" role="region" aria-label="{caption}">\n'
            f'<table class="kb-table kb-lifecycle">\n<caption>{caption}</caption>\n'
            f'<thead><tr><th scope="col">{esc.text(page.ui(cols[0]))}</th>{head}</tr></thead>\n<tbody>\n'
            + "\n".join(body) + "\n</tbody></table>\n</div>\n")


# --- review --------------------------------------------------------------------------------------

@directive("review")
def review_lists(page: Page, args, options) -> str:
    kb = page.kb
    found = review.needs_review(kb)
    out = [f'<p class="kb-review-asof">{esc.text(_fmt(page.ui("review.as-of"), as_of=kb.as_of))}</p>', ""]
    for key in ("overdue", "stale", "upcoming"):
        items = found[key]
        out += [f'## {to_markdown(page.ui("review." + key))} {{ #review-{key} }}', ""]
        if not items:
            out += [f'<p class="kb-review-empty" data-review="{key}">{esc.text(page.ui("review." + key + ".empty"))}</p>', ""]
            continue
        out.append(f'<ul class="kb-review" data-review="{key}" data-search-exclude="true" markdown="1">')
        for it in items:
            label = page.ui("fact.due" if key != "stale" else "fact.verified")
            out.append(f'<li markdown="span"><time datetime="{esc.text(it.date)}">{esc.markdown(it.date)}</time> ({esc.markdown(label)}) — '
                       f'{_fact_quote(page, it.fact)}</li>')
        out += ["</ul>", ""]
    return "\n".join(out + _watch_section(page)) + "\n"


def _source_link(url: str, text: str) -> str:
    """Markdown: the text, linked only when the URL parses as a safe https URL."""
    target = esc.href(url)
    return f'<a href="{target}">{esc.markdown(text)}</a>' if target else esc.markdown(text)


def _watch_section(page: Page) -> list[str]:
    """The last committed watch report: its date and counts, then each drifted value with both values."""
    out = [f'## {to_markdown(page.ui("review.watch"))} {{ #review-watch }}', ""]
    report = review.last_watch(page.kb)
    if report is None:
        return out + [f'<p class="kb-review-empty" data-review="watch">{esc.text(page.ui("review.watch.none"))}</p>', ""]
    c = report["counts"]
    out += [f'<p class="kb-review-asof" data-review="watch-date">{esc.text(_fmt(page.ui("review.watch.as-of"), checked=report["checked"], drifted=c["drifted"], unchecked=c["unreachable"] + c["format-changed"], unchanged=c["unchanged"]))}</p>', ""]
    changes = review.upstream_changes(page.kb)
    if not changes:
        return out + [f'<p class="kb-review-empty" data-review="watch">{esc.text(page.ui("review.watch.empty"))}</p>', ""]
    out.append('<ul class="kb-review" data-review="watch" data-search-exclude="true" markdown="1">')
    for fid in sorted(changes):
        values = "; ".join(
            f'{esc.code(r["value"])} '
            + esc.markdown(_fmt(page.ui("review.watch.values"), kb=r["kb"], upstream=r["upstream"]))
            + f' ({_source_link(r["url"], r["source"])})'
            for r in changes[fid])
        out.append(f'<li markdown="span">{values} — {_fact_quote(page, fid)}</li>')
    return out + ["</ul>", ""]


# --- decision guide ------------------------------------------------------------------------------

@directive("guide")
def guide(page: Page, args, options) -> str:
    kb, lang = page.kb, page.lang
    if not kb.guides:
        raise DirectiveError(f"{page.src}: kb:guide found no cases in kb/guide/")
    out = []
    for g in sorted(kb.guides.values(), key=lambda g: (g["order"], g["id"])):
        out += [f'## {to_markdown(g["title"][lang])} {{ #{g["id"]} }}', "",
                f'<p class="kb-guide-situation" markdown="span">{to_markdown(fill(g["situation"][lang], {}, lang))}</p>', ""]
        for rec in g["recommendations"]:
            missing = [f for f in rec["facts"] if f not in kb.facts]
            if missing:
                raise DirectiveError(f"{page.src}: guide '{g['id']}' rests on unknown facts {missing}")
            out.append(f'<div class="kb-guide-rec" data-aspect="{rec["aspect"]}" markdown="1">')
            out.append(f'<p class="kb-guide-choice" markdown="span"><span class="kb-guide-aspect">'
                       f'{esc.markdown(page.ui("guide.aspect." + rec["aspect"]))}</span> '
                       f'<strong>{to_markdown(rec["choice"][lang])}</strong></p>')
            out.append(f'<p class="kb-guide-text" markdown="span">{to_markdown(fill(rec["text"][lang], {}, lang))}</p>')
            out.append(f'<p class="kb-guide-basis-label">{esc.text(page.ui("guide.basis"))}</p>')
            out.append('<ul class="kb-guide-basis" data-search-exclude="true" markdown="1">')   # the facts are found on their pages
            out += [f'<li markdown="span">{_fact_quote(page, fid)}</li>' for fid in rec["facts"]]
            out += ["</ul>", "</div>", ""]
    return "\n".join(out) + "\n"


# --- changelog -----------------------------------------------------------------------------------

def _ref(page: Page, ident: str) -> str:
    kb = page.kb
    ident_now = kb.aliases().get(ident, ident)
    if ident_now in kb.facts:
        return _fact_link(page, ident_now) + ("" if ident_now == ident else f' <span class="kb-old-id">({esc.text(ident)})</span>')
    if ident_now in kb.entities:
        ent = kb.entities[ident_now]
        return (f'<a class="kb-factref" href="{relative(ent.topic, ent.id, page.topic)}">'
                f'{esc.text(ent.data["name"][page.lang])}</a>')
    return f'<code>#{esc.text(ident)}</code> <span class="kb-retired">({esc.text(page.ui("changelog.retired-id"))})</span>'


@directive("changelog")
def changelog(page: Page, args, options) -> str:
    kb, lang = page.kb, page.lang
    if not kb.changelog:
        raise DirectiveError(f"{page.src}: kb:changelog found no entries in kb/changelog.yaml")
    out = []
    for n, e in reversed(list(enumerate(kb.changelog, 1))):   # newest first; numbers stay stable
        refs = ", ".join(_ref(page, i) for i in e["ids"])
        out += [f'<div class="kb-change" id="change-{n}" data-kind="{e["kind"]}" markdown="1">',
                f'<p class="kb-change-head"><time datetime="{e["date"]}">{e["date"]}</time> '
                f'<span class="kb-badge kb-badge--change">{esc.text(page.ui("changelog.kind." + e["kind"]))}</span></p>',
                f'<p class="kb-change-reason" markdown="span">{to_markdown(fill(e["reason"][lang], {}, lang))}</p>',
                f'<p class="kb-change-ids" data-search-exclude="true">{esc.text(page.ui("changelog.ids"))} ({len(e["ids"])}): {refs}</p>',
                "</div>", ""]
    return "\n".join(out) + "\n"
