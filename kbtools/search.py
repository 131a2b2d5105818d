"""Korean-aware site search, written after the build (kbtools.site.finish calls write_worker).

Material runs its search in a web worker whose URL the page reads from the theme config. This
module writes a second worker, assets/javascripts/workers/kb-search.js: the prelude in
search_worker.js (particle stripping, glossary aliases, results in the page's language first)
with the glossary aliases filled in, followed by Material's own worker unchanged. The file sits
next to Material's worker because that worker finds its lunr languages relative to its own URL.
assets/js/kb-config.js points each page at it with ?lang=<page language>.
"""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

from . import budgets, labels, review
from .model import KB, LANGS
from .urls import LANG_PREFIX

WORKER = "kb-search.js"
WORKERS_DIR = Path("assets/javascripts/workers")
PRELUDE = Path(__file__).with_name("search_worker.js")
MARKER = "/*KB_SEARCH_DATA*/ "      # followed by the placeholder object and "};\n"
INDEX_BUDGET_GZIP = int(budgets.SEARCH_INDEX_KB_GZIP * 1024)   # the build's limit (kbtools/budgets.py)


def key(text: str) -> str:
    """How the worker compares what was typed with an alias: lower case, no whitespace."""
    return re.sub(r"\s+", "", str(text)).lower()


def alias_table(kb: KB) -> dict[str, list[str]]:
    """Every spelling of a glossary term (ko/en names, abbreviation, aliases) -> the names the
    site's pages use for it (term.en, term.ko, abbreviation), minus the spelling itself."""
    table: dict[str, list[str]] = {}
    for term in sorted(kb.terms.values(), key=lambda t: t["id"]):
        names = [term["term"][lang] for lang in LANGS if term.get("term", {}).get(lang)]
        if term.get("abbr"):
            names.append(term["abbr"])
        aliases = term.get("aliases") or {}
        spellings = names + [a for lang in LANGS for a in aliases.get(lang) or []]
        for spelling in spellings:
            k = key(spelling)
            if not k:
                continue
            canon = [n for n in names if key(n) != k]
            merged = table.setdefault(k, [])
            for name in canon:
                if name not in merged:
                    merged.append(name)
    for entry in kb.synonyms:   # kb/synonyms.yaml: what readers type that is no glossary term
        for typed in entry["typed"]:
            merged = table.setdefault(key(typed), [])
            for name in entry["means"]:
                if name not in merged and key(name) != key(typed):
                    merged.append(name)
    return {k: v for k, v in sorted(table.items()) if v}


def fillers(kb: KB) -> list[str]:
    """Words that end a question as people type it (안 돼요, 되나요): left out of the query."""
    return sorted({key(t) for e in kb.synonyms if not e["means"] for t in e["typed"]})


ERROR_CODE = re.compile(r"^0x[0-9a-f]{8}$", re.I)


def normalize(text: str) -> str:
    """How the worker compares a pasted message with a known one: lower case, no quotes or
    trailing dot, single spaces."""
    return re.sub(r"\s+", " ", re.sub(r"[\"'`“”‘’]", "", str(text))).strip().rstrip(".").lower()


def error_table(kb: KB) -> list[list[str]]:
    """[message, question id] for each error message or code a question lists, so a pasted message
    leads to the question that explains it. Single words (a product name, a tag) are left out:
    those should find the facts about them, not every question that mentions them."""
    out = []
    for qid, q in sorted(kb.questions.items()):
        for err in q.get("errors", []):
            if ERROR_CODE.match(err) or len(err.split()) >= 3:
                out.append([normalize(err), qid])
    return out


# Pages that name everything rank lower than the facts (score multiplied), so that 빌드킷 leads
# to the BuildKit facts before the glossary entry; they still come first when only they match.
REFERENCE_WEIGHTS = {"glossary": 0.25, "sources": 0.2, "changelog": 0.2,
                     # The questions page names many things too; a fact wins a tie, while a pasted
                     # error message still leads to its question (error_table).
                     "questions": 0.9}


def search_data(kb: KB) -> dict:
    weights = {f"{LANG_PREFIX[lang]}{topic}.html": w for topic, w in REFERENCE_WEIGHTS.items() for lang in LANGS}
    return {"default": LANGS[0], "prefixes": dict(LANG_PREFIX), "aliases": alias_table(kb), "weights": weights,
            "fillers": fillers(kb), "errors": error_table(kb), "questions": "questions.html"}


def material_worker(site_dir: Path) -> Path:
    found = sorted(p for p in (site_dir / WORKERS_DIR).glob("search.*.min.js"))
    if len(found) != 1:
        raise FileNotFoundError(f"expected one Material search worker in {site_dir / WORKERS_DIR}, found {found}")
    return found[0]


def worker_source(kb: KB, material: str) -> str:
    prelude = PRELUDE.read_text(encoding="utf-8")
    data = json.dumps(search_data(kb), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    start = prelude.find(MARKER + "{")
    end = prelude.find("};\n", start)
    if start < 0 or end < 0:
        raise ValueError(f"{PRELUDE}: the /*KB_SEARCH_DATA*/ marker is missing")
    prelude = f"{prelude[:start]}{MARKER}{data};\n{prelude[end + 3:]}"
    # Material's worker ends with a sourceMappingURL comment for its own name; drop it.
    material = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", material)
    return prelude + "\n" + material


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every `<p>…</p>` in order. Plain find(), not the regex `<p>.*?</p>`, which
    rescans the rest of the text from every unclosed <p>: quadratic in a page full of them."""
    out, pos = [], 0
    while (start := text.find("<p>", pos)) >= 0 and (end := text.find("</p>", start + 3)) >= 0:
        out.append((start, end + 4))
        pos = end + 4
    return out


META = re.compile(r"<p>#(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*) · [^<]*</p>")


def _fact_paragraphs(fact, drifted: dict) -> int:
    """How many paragraphs kbtools.render.blocks.fact_block writes for a fact."""
    d = fact.data
    return 2 + ("details" in d) + ("current" in d) + bool(drifted.get(fact.id)) + bool(labels.shown_keys(fact))


def split_facts(docs: list[dict], kb: KB) -> list[dict]:
    """Give every fact its own search entry (page.html#fact-id), so a result leads to the fact.

    Material indexes one entry per heading; a fact is a block inside its entity's section, ending
    with its meta paragraph `#fact-id · …`. Each fact's paragraphs move from the section's entry
    into an entry of their own, titled like the section; the section keeps its other text."""
    out = []
    drifted = review.upstream_changes(kb)        # a drifted fact has one more paragraph
    for doc in docs:
        location = doc.get("location", "")
        text = doc.get("text", "")
        if "#" not in location or "<p>#" not in text:
            out.append(doc)
            continue
        page = location.split("#", 1)[0]
        paras = paragraphs(text)
        taken: list[tuple[int, int]] = []
        facts = []
        for j, (start, end) in enumerate(paras):
            meta = META.fullmatch(text, start, end)
            fact = kb.facts.get(meta.group("id")) if meta else None
            if fact is None:
                continue
            first = j - _fact_paragraphs(fact, drifted) + 1
            if first < 0 or any(s < end and paras[first][0] < e for s, e in taken):
                continue
            span = (paras[first][0], end)
            taken.append(span)
            facts.append({"location": f"{page}#{fact.id}", "title": doc.get("title", ""),
                          "text": text[span[0]:span[1]]})
        rest, pos = [], 0
        for start, end in sorted(taken):
            rest.append(text[pos:start])
            pos = end
        rest.append(text[pos:])
        out.append({**doc, "text": re.sub(r"\s{2,}", " ", "".join(rest)).strip()})
        out.extend(facts)
    return out


# Footnote references (<sup>12</sup>) would glue their numbers to the sentence in a result
# ("…맞습니다.1211"); the footnote list (sources with ↩ backlinks) is found on the sources page,
# and inside a section it would outrank the facts that cite it.
FOOTNOTE_REF = re.compile(r"<sup>\d+</sup>")
FOOTNOTE_LIST = re.compile(r"<ol>\s*(?:<li>\s*<p>(?:(?!</?li>).)*?↩\s*</p>\s*</li>\s*)+</ol>", re.S)


def clean_text(text: str) -> str:
    """A search entry's text as sentences only: no footnote numbers, lists or ↩ backlinks."""
    text = FOOTNOTE_LIST.sub("", FOOTNOTE_REF.sub("", text)).replace("↩", "")
    return re.sub(r"\s{2,}", " ", text).strip()


def rewrite_index(kb: KB, site_dir: Path) -> None:
    """Split facts into their own entries in search_index.json and its file:// twin (offline plugin)."""
    folder = site_dir / "search"
    path = folder / "search_index.json"
    if not path.exists():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    index["docs"] = [{**d, "text": clean_text(d.get("text", ""))} for d in split_facts(index["docs"], kb)]
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    path.write_text(data, encoding="utf-8")
    if (folder / "search_index.js").exists():
        (folder / "search_index.js").write_text(f"var __index = {data}", encoding="utf-8")


def write_worker(kb: KB, site_dir: Path) -> Path:
    rewrite_index(kb, site_dir)
    material = material_worker(site_dir)
    out = site_dir / WORKERS_DIR / WORKER
    out.write_text(worker_source(kb, material.read_text(encoding="utf-8")), encoding="utf-8")
    return out


def index_size(site_dir: Path) -> dict[str, int]:
    """Bytes of the search index as served (json) and as loaded from disk (js), raw and gzip -9."""
    out = {}
    for name in ("search_index.json", "search_index.js"):
        path = site_dir / "search" / name
        if path.exists():
            raw = path.read_bytes()
            out[name] = len(raw)
            out[name + ".gz"] = len(gzip.compress(raw, 9, mtime=0))
    return out
