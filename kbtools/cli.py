"""Command line: `python -m kbtools check | show ID | export DIR | registry [--update] | watch |
fingerprints [--update]`.

Contributor mistakes come out as a report and exit code 1, never as a traceback.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .load import load
from .problems import summary

ROOT = Path(__file__).resolve().parent.parent / "kb"


def _check(args) -> int:
    kb, problems = load(args.kb)
    docs = Path(args.kb).parent / "docs"
    if docs.is_dir() and not any(p.severity == "error" for p in problems):
        from .site import check_pages   # the pages' directives and placements, as a build finds them
        problems += check_pages(kb, docs)
    for p in sorted(problems):
        print(p.format())
    errors = [p for p in problems if p.severity == "error"]
    print(f"{args.kb}: {len(kb.entities)} entities, {len(kb.facts)} facts, {len(kb.sources)} sources, "
          f"{len(kb.terms)} terms — {summary(problems)}")
    return 1 if errors else 0


def _show(args) -> int:
    from .export import fact_record
    kb, problems = load(args.kb)
    ident = kb.aliases().get(args.id, args.id)
    fact = kb.facts.get(ident)
    if fact is None:
        print(f"no fact with id '{args.id}'", file=sys.stderr)
        return 1
    print(json.dumps(fact_record(kb, fact), ensure_ascii=False, indent=2))
    return 0


def _checked(kb_dir):
    """The kb if it has no error; otherwise print the report and return None (exit code 1)."""
    from .load import check
    from .problems import KbInvalid
    try:
        return check(kb_dir)
    except KbInvalid as exc:
        print(exc.report(), file=sys.stderr)
        return None


def _export(args) -> int:
    from .export import write_api
    kb = _checked(args.kb)
    if kb is None:
        return 1
    for path in write_api(kb, Path(args.out)):
        print(path)
    return 0


def _registry(args) -> int:
    """Check the built site against kb/published.txt, or add what it publishes (--update)."""
    from . import registry
    kb = _checked(args.kb)
    if kb is None:
        return 1
    project = Path(args.kb).resolve().parent
    try:
        if args.update:
            _, added = registry.with_site(project, args.site, lambda site: registry.update(args.kb, site))
            print(f"{registry.path(args.kb)}: {len(added)} new entr{'y' if len(added) == 1 else 'ies'}")
            for entry in added:
                print(f"  + {entry}")
            return _fingerprints_update(kb)
        problems = registry.with_site(project, args.site, lambda site: registry.check(kb, site))
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    for p in problems:
        print(p)
    print(f"{registry.path(args.kb)}: {'ok' if not problems else f'{len(problems)} problem(s)'}")
    return 1 if problems else 0


def _watch(args) -> int:
    """Compare watched values with their upstream sources; exit codes in kbtools/watch/report.py."""
    import time
    from datetime import datetime, timezone

    from . import watch
    from .watch import report
    kb = _checked(args.kb)
    if kb is None:
        return report.EXIT_INVALID
    started = time.monotonic()
    results = watch.run(kb, args.cache)
    seconds = time.monotonic() - started
    for r in results:
        print(report.line(r))
    print(report.summary(results, seconds))
    checked = datetime.now(timezone.utc).date().isoformat()
    # By default the report stays in the cache: a run from a machine that reached nothing must not
    # become what the site shows. The weekly workflow passes --report kb/watch-report.json.
    out = args.report if args.report is not None else Path(args.cache) / "report.json"
    report.write(out, results, checked, seconds)
    print(f"report: {out}")
    if args.markdown:
        Path(args.markdown).write_text(report.markdown(report.to_json(results, checked, seconds)), "utf-8")
    return report.exit_code(results)


def _fingerprints_update(kb) -> int:
    from . import history
    try:
        changed = history.update(kb)
    except ValueError as exc:
        print(f"kb/{history.FINGERPRINTS_FILE}: {exc}", file=sys.stderr)
        return 1
    print(f"kb/{history.FINGERPRINTS_FILE}: {len(changed)} fingerprint(s) recorded")
    return 0


def _fingerprints(args) -> int:
    """Without --update: list facts changed or new since their recorded fingerprint (exit 1 if unrecorded)."""
    from . import history
    from .load import load
    kb, problems = load(args.kb)
    if args.update:
        blocking = [p for p in problems if p.severity == "error" and p.rule != "changelog-required"]
        if blocking:
            print("fix the other errors first (`python -m kbtools check`)", file=sys.stderr)
            return 1
        return _fingerprints_update(kb)
    todo = history.unrecorded(kb)
    for kind in ("new", "changed", "stale"):
        for fid, _ in todo[kind]:
            print(f"{kind:8} {fid}")
    return 1 if todo["new"] or todo["changed"] else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kbtools", description="Windows containers knowledge base")
    parser.add_argument("--kb", type=Path, default=ROOT, help="the kb/ folder (default: %(default)s)")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("check", help="validate every file and rule; list all problems").set_defaults(fn=_check)
    show = sub.add_parser("show", help="print one fact as JSON (old ids are followed)")
    show.add_argument("id")
    show.set_defaults(fn=_show)
    exp = sub.add_parser("export", help="write api/v1/*.json into a folder")
    exp.add_argument("out")
    exp.set_defaults(fn=_export)
    reg = sub.add_parser("registry", help="check the built site against kb/published.txt (--update: add new pages and ids)")
    reg.add_argument("--update", action="store_true", help="add what the build publishes; never removes an entry")
    reg.add_argument("--site", type=Path, default=None, help="a built site/ (default: build into a temporary folder)")
    reg.set_defaults(fn=_registry)
    wat = sub.add_parser("watch", help="compare watched values with their upstream sources "
                                       "(exit 0 current, 1 drift, 3 could not check, 2 invalid kb)")
    wat.add_argument("--report", type=Path, default=None, help="JSON report (default: <cache>/report.json; "
                     "the site shows kb/watch-report.json once committed)")
    wat.add_argument("--cache", type=Path, default=Path(".cache/watch"), help="response cache (default: %(default)s)")
    wat.add_argument("--markdown", type=Path, default=None, help="also write the report as Markdown (the tracking issue's body)")
    wat.set_defaults(fn=_watch)
    fp = sub.add_parser("fingerprints", help="facts changed since kb/fingerprints.txt (--update: record them; "
                                             "needs a changelog entry naming each change)")
    fp.add_argument("--update", action="store_true", help="record the current fingerprints")
    fp.set_defaults(fn=_fingerprints)
    args = parser.parse_args(argv)
    return args.fn(args)
