"""The compact data file `wckb` reads at run time, exported from the checked kb.

Everything is computed here by the site's own code: the compatibility cells come from
`compat.matrix` (what the site's matrix and checker show), the release builds and rules from
`compat.releases` and `compat.rules` (so a host given by its exact build is evaluated by
`compat.evaluate`), the tags and their dates from `lifecycle.tag_rows`. The command only looks up
and formats; `lifecycle.status` is a pure function of the dates and is called at run time for the
requested day.

`python -m kbtools.wckb.export OUT` writes the file; setup.py runs it while building the wheel.
"""
from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import asdict
from pathlib import Path

from .. import compat, lifecycle
from ..model import KB
from ..text import fill, plain

FORMAT = 1
ROOT = Path(__file__).resolve().parents[2]
# Facts the lint checks name by id: ids never change (a rename keeps an alias), so naming them is stable.
NAMED_FACTS = {
    "latest": "base-image-rules-no-latest-tag",
    "mcr": "base-image-rules-mcr",
    "patch-tags": "base-image-rules-patch-tags",
    "scratch": "no-from-scratch-docker-rejects",
    "mounts": "directory-only-mounts-docker",
}
LABEL_PREFIXES = ("cli.", "compat.", "lifecycle.", "fact.sources")
_VERSION_BUILD = re.compile(r"^([a-z][a-z0-9]*)_(\d{2}h\d|\d{4})_build$")   # win11_24h2_build: 26100
_SITE_URL = re.compile(r'^site_url:\s*(?:!ENV\s*\[\s*SITE_URL\s*,\s*)?["\']?([^"\'\]\s]+)', re.M)


def default_site_url(root: Path = ROOT) -> str:
    """The site address the build uses: $SITE_URL, else mkdocs.yml's default (read as text: no MkDocs)."""
    env = os.environ.get("SITE_URL")
    if env:
        return env if env.endswith("/") else env + "/"
    m = _SITE_URL.search((root / "mkdocs.yml").read_text("utf-8"))
    if not m:
        raise SystemExit("mkdocs.yml has no site_url")
    url = m.group(1)
    return url if url.endswith("/") else url + "/"


def _fact(kb: KB, fid: str) -> dict:
    f = kb.facts[fid]
    return {"topic": f.topic, "status": f.status,
            "text": {lang: plain(fill(f.data["text"][lang], f.values, lang)) for lang in ("ko", "en")}}


def export(kb: KB, site_url: str) -> dict:
    """Everything `wckb` answers from, as plain JSON data."""
    missing = [fid for fid in NAMED_FACTS.values() if fid not in kb.facts]
    if missing:
        raise compat.CompatDataMissing(f"wckb names facts the kb no longer has: {', '.join(missing)}")
    used = set(NAMED_FACTS.values())
    rels = compat.releases(kb)
    rules = compat.rules(kb)
    cells = {}
    for c in compat.matrix(kb):
        cells[f"{c.host}|{c.image}"] = {"runs": c.runs, "reasons": c.reasons, "facts": c.facts,
                                        "notes": [list(n) for n in c.notes]}
        used.update(f for ids in c.facts.values() for f in ids)
        used.update(fid for _, fid in c.notes)
    releases = {}
    for r in rels.values():
        releases[r.key] = asdict(r)
        used.add(r.build_fact)
    # os-release entities: build, the compat key of that build, and which image tags exist for it.
    os_releases = {}
    for ent in kb.entities.values():
        if ent.kind != "os-release":
            continue
        bfact, build = ent.value("build")
        if not isinstance(build, int):
            continue
        key = next((r.key for r in rels.values() if r.build == build), None)
        tags = {}
        for fact in ent.facts:
            for k, v in fact.values.items():
                if k.endswith("_tag") and isinstance(v, str):
                    tags[k[:-4]] = [v, fact.id]
                    used.add(fact.id)
        os_releases[ent.id] = {"build": build, "build_fact": bfact.id, "compat": key,
                               "name": ent.data["name"], "tags": tags}
        used.add(bfact.id)
    images = {}
    for ent in kb.entities.values():
        if ent.kind != "base-image":
            continue
        f, repo = ent.value("registry_path")
        if isinstance(repo, str):
            images[repo] = {"id": ent.id, "prefix": repo.rsplit("/", 1)[-1], "name": ent.data["name"], "fact": f.id}
            used.add(f.id)
    tags = []
    for row in lifecycle.tag_rows(kb):
        _, supported = kb.entities[row.release].value(f"{images[row.repository]['prefix']}_supported")
        tags.append({"image": row.image, "repository": row.repository, "tag": row.tag, "tag_fact": row.tag_fact,
                     "release": row.release, "supported": supported is not False,
                     "dates": {k: list(v) for k, v in row.dates.items()}})
        used.add(row.tag_fact)
        used.update(fid for _, fid in row.dates.values())
    # Named versions of a host family (Windows 11 24H2), so a user can give the version a host runs.
    versions = {}
    for fact in kb.facts.values():
        for key, value in fact.values.items():
            m = _VERSION_BUILD.match(key)
            if m and m.group(1) in rels and isinstance(value, int):
                versions.setdefault(m.group(1), {})[m.group(2)] = [value, fact.id]
                used.add(fact.id)
    labels = {k: v for k, v in kb.labels["ui"].items() if k.startswith(LABEL_PREFIXES)}
    return {
        "format": FORMAT, "as_of": kb.as_of, "site_url": site_url,
        "named_facts": NAMED_FACTS,
        "releases": releases,
        "rules": {"process": rules.process, "hyperv": rules.hyperv,
                  "exceptions": {k: list(v) for k, v in rules.exceptions.items()},
                  "revision_build": rules.revision_build, "revision_fact": rules.revision_fact,
                  "by_version": [[h, i, f] for (h, i), f in sorted(rules.by_version.items())]},
        "cells": cells, "os_releases": os_releases, "images": images, "tags": tags, "versions": versions,
        "facts": {fid: _fact(kb, fid) for fid in sorted(used) if fid},
        "labels": labels,
    }


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def main(argv=None) -> int:
    from ..load import check
    from ..problems import KbInvalid
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m kbtools.wckb.export OUT.json", file=sys.stderr)
        return 2
    try:
        kb = check(ROOT / "kb")
    except KbInvalid as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    out = Path(argv[0])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(dumps(export(kb, default_site_url())), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
