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

from .model import KB, LANGS
from .urls import LANG_PREFIX

WORKER = "kb-search.js"
WORKERS_DIR = Path("assets/javascripts/workers")
PRELUDE = Path(__file__).with_name("search_worker.js")
MARKER = re.compile(r"/\*KB_SEARCH_DATA\*/ \{.*?\};\n")
INDEX_BUDGET_GZIP = 200 * 1024


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
    return {k: v for k, v in sorted(table.items()) if v}


def search_data(kb: KB) -> dict:
    return {"default": LANGS[0], "prefixes": dict(LANG_PREFIX), "aliases": alias_table(kb)}


def material_worker(site_dir: Path) -> Path:
    found = sorted(p for p in (site_dir / WORKERS_DIR).glob("search.*.min.js"))
    if len(found) != 1:
        raise FileNotFoundError(f"expected one Material search worker in {site_dir / WORKERS_DIR}, found {found}")
    return found[0]


def worker_source(kb: KB, material: str) -> str:
    prelude = PRELUDE.read_text(encoding="utf-8")
    data = json.dumps(search_data(kb), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    prelude, n = MARKER.subn(lambda _: f"/*KB_SEARCH_DATA*/ {data};\n", prelude, count=1)
    if n != 1:
        raise ValueError(f"{PRELUDE}: the /*KB_SEARCH_DATA*/ marker is missing")
    # Material's worker ends with a sourceMappingURL comment for its own name; drop it.
    material = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", material)
    return prelude + "\n" + material


def write_worker(kb: KB, site_dir: Path) -> Path:
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
