"""The JSON API published with the site: api/v1/{facts,sources,glossary,questions}.json and their schema.

Wiki tooling reads these; their shape is part of the URL contract (tests pin it).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from .model import KB, LANGS
from .shortlinks import short_path
from .text import fill, plain
from .urls import LANG_PREFIX, fact_url

API_DIR = "api/v1"
SCHEMA_FILE = "api.schema.json"


def _pair(pair: dict, values: dict) -> dict:
    return {lang: plain(fill(pair[lang], values, lang)) for lang in LANGS}


def fact_record(kb: KB, fact, site_url: str | None = None) -> dict:
    """One fact. `urls` and `shortlinks` (f/<id>.html, which redirect to the fact and unfurl as it)
    are relative to the site root (valid on any mirror and offline); `permalinks` and
    `short_permalinks` are the same, absolute under the site_url the site was built for (SITE_URL)."""
    d = fact.data
    rec = {
        "id": fact.id,
        "entity": fact.entity.id,
        "kind": fact.entity.kind,
        "topic": fact.topic,
        "status": fact.status,
        "text": _pair(d["text"], fact.values),
        "sources": fact.sources,
        "verified": d["verified"],
        "claims": d["claims"],
        "urls": {lang: fact_url(fact, lang) for lang in LANGS},
        "shortlinks": {lang: short_path(fact.id, lang) for lang in LANGS},
    }
    if site_url:
        base = site_url if site_url.endswith("/") else site_url + "/"
        rec["permalinks"] = {lang: base + fact_url(fact, lang) for lang in LANGS}
        rec["short_permalinks"] = {lang: base + short_path(fact.id, lang) for lang in LANGS}
    if "details" in d:
        rec["details"] = _pair(d["details"], fact.values)
    if "current" in d:
        cur = d["current"]
        rec["current"] = {**_pair(cur, fact.values), "sources": cur["sources"], "as_of": cur["as_of"]}
    if fact.values:
        rec["values"] = fact.values
    if "due" in d:
        rec["due"] = d["due"]
    if d.get("aliases"):
        rec["aliases"] = d["aliases"]
    return rec


def question_record(q: dict, site_url: str | None = None) -> dict:
    """One question; like a fact's, `urls` are relative to the site root and `permalinks` absolute."""
    urls = {lang: f"{LANG_PREFIX[lang]}questions.html#{q['id']}" for lang in LANGS}
    rec = {"id": q["id"], "group": q["group"], "question": dict(q["question"]), "errors": list(q.get("errors", [])),
           "answer": {lang: plain(q["answer"][lang]) for lang in LANGS}, "answers": list(q["answers"]),
           "asked_in": list(q["asked_in"]), "urls": urls,
           "shortlinks": {lang: short_path(q["id"], lang) for lang in LANGS}}
    if site_url:
        base = site_url if site_url.endswith("/") else site_url + "/"
        rec["permalinks"] = {lang: base + url for lang, url in urls.items()}
        rec["short_permalinks"] = {lang: base + short_path(q["id"], lang) for lang in LANGS}
    return rec


def documents(kb: KB, site_url: str | None = None) -> dict[str, object]:
    facts = [fact_record(kb, f, site_url) for f in sorted(kb.facts.values(), key=lambda f: f.id)]
    # v1 publishes the publisher as one string; a localized one is published in English.
    sources = [{k: (v["en"] if k == "publisher" and isinstance(v, dict) else v) for k, v in s.items() if k != "file"}
               for s in sorted(kb.sources.values(), key=lambda s: s["id"])]
    glossary = [{k: v for k, v in t.items() if k != "file"} for t in sorted(kb.terms.values(), key=lambda t: t["id"])]
    questions = [question_record(q, site_url) for _, q in sorted(kb.questions.items())]
    meta = {"as_of": kb.as_of, "facts": len(facts), "sources": len(sources), "terms": len(glossary),
            "questions": len(questions), "schema": SCHEMA_FILE}
    return {"facts.json": facts, "sources.json": sources, "glossary.json": glossary, "questions.json": questions,
            "index.json": meta}


def write_api(kb: KB, site_dir: Path, site_url: str | None = None) -> list[Path]:
    out = Path(site_dir) / API_DIR
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, doc in documents(kb, site_url).items():
        path = out / name
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")
        written.append(path)
    schema = out / SCHEMA_FILE
    shutil.copyfile(kb.root / "schema" / SCHEMA_FILE, schema)
    written.append(schema)
    return written
