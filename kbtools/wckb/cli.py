"""`wckb compat | lifecycle | lint | schema`: the kb's answers for people (text) and tools (--json).

Exit codes: 0 ok, 1 a lint finding at or above --fail-on, 2 a usage or input error. A user's
mistake ends in one clear message in the chosen language and exit 2, never a traceback.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from .. import compat
from .answers import Answers, InputError, days_between
from .data import DataUnavailable, load
from .lint import SEVERITIES, Options, at_or_above, lint_compose, lint_text

SCHEMA_VERSION = 1
SCHEMA_FILE = Path(__file__).resolve().parent / "schema" / "output-v1.schema.json"
LANGS = ("ko", "en")


def locale_lang(env=os.environ) -> str:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var)
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


def _argv_lang(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGS:
            return argv[i + 1]
        if arg.startswith("--lang=") and arg[7:] in LANGS:
            return arg[7:]
    return None


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is returned (exit 2) instead of exiting the interpreter."""
    def error(self, message):
        self.print_usage(sys.stderr)
        command = self.prog.partition(" ")[2]      # "wckb lint" -> "lint"; main prefixes "wckb: "
        raise InputError(f"{command}: {message}" if command else message)


def parser(a: Answers) -> argparse.ArgumentParser:
    h = a.t
    p = _Parser(prog="wckb", description=h("cli.description"), add_help=False)
    p.add_argument("-h", "--help", action="help", help=h("cli.help.help"))
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-h", "--help", action="help", help=h("cli.help.help"))
    common.add_argument("--lang", choices=LANGS, help=h("cli.help.lang"))
    common.add_argument("--json", action="store_true", help=h("cli.help.json"))
    common.add_argument("--site-url", help=h("cli.help.site-url"))

    def date(value):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise argparse.ArgumentTypeError(h("cli.error.bad-date", value=value)) from None

    def days(value):
        if not value.isdigit():
            raise argparse.ArgumentTypeError(h("cli.error.bad-number", value=value))
        return int(value)

    sub = p.add_subparsers(dest="cmd", required=True, parser_class=_Parser)
    c = sub.add_parser("compat", parents=[common], add_help=False, help=h("cli.help.compat"), description=h("cli.help.compat"))
    c.add_argument("--host", required=True, help=h("cli.help.host"))
    c.add_argument("--image", required=True, help=h("cli.help.image"))
    life = sub.add_parser("lifecycle", parents=[common], add_help=False, help=h("cli.help.lifecycle"), description=h("cli.help.lifecycle"))
    life.add_argument("image", help=h("cli.help.image"))
    life.add_argument("--as-of", type=date, help=h("cli.help.as-of"))
    lint = sub.add_parser("lint", parents=[common], add_help=False, help=h("cli.help.lint"), description=h("cli.help.lint"))
    lint.add_argument("dockerfile", nargs="*", help=h("cli.help.dockerfile"))
    lint.add_argument("--host", help=h("cli.help.host"))
    lint.add_argument("--compose", type=Path, help=h("cli.help.compose"))
    lint.add_argument("--as-of", type=date, help=h("cli.help.as-of"))
    lint.add_argument("--warn-within", type=days, default=180, help=h("cli.help.warn-within"))
    lint.add_argument("--fail-on", choices=SEVERITIES, default="error", help=h("cli.help.fail-on"))
    lint.add_argument("--build-arg", action="append", default=[], metavar="NAME=VALUE", help=h("cli.help.build-arg"))
    schema = sub.add_parser("schema", add_help=False, help=h("cli.help.schema"), description=h("cli.help.schema"))
    schema.add_argument("-h", "--help", action="help", help=h("cli.help.help"))
    return p


# --- compat ----------------------------------------------------------------------------------

def compat_result(a: Answers, host_text: str, image_text: str) -> dict:
    host = a.host(host_text)
    key, target = a.image_release(image_text)
    cell = a.cell(host, key)
    image = a.releases[key]
    modes = {}
    for mode in compat.MODES:
        modes[mode] = {"runs": cell.runs[mode], "answer": a.t({True: "compat.runs", False: "compat.blocked",
                                                             None: "compat.depends"}[cell.runs[mode]]),
                       "reason_code": cell.reasons[mode], "reason": a.reason(cell, mode, host.release),
                       "facts": [a.fact(f) for f in cell.facts[mode]]}
    values = list(cell.runs.values())
    verdict = "runs" if True in values else ("depends" if None in values else "blocked")
    return {
        "host": {"input": host_text, "release": host.release.key, "name": a.release_name(host.release.key),
                 "builds": host.release.builds()},
        "image": {"input": image_text, "release": key, "name": a.release_name(key), "builds": image.builds(),
                  "reference": target.ref.text if target else None},
        "verdict": verdict, "verdict_text": a.t(f"compat.verdict-{verdict}"),
        "modes": [m for m in compat.MODES if cell.runs[m] is True],
        "isolation": modes,
        "notes": [{"code": code, "text": a.t(f"compat.note.{code}"), "fact": a.fact(fid)} for code, fid in cell.notes],
    }


def compat_text(a: Answers, r: dict) -> str:
    host = f'{r["host"]["name"]} ({a.t("compat.build")} {r["host"]["builds"]})'
    image = f'{r["image"]["reference"] or r["image"]["name"]} ({a.t("compat.build")} {r["image"]["builds"]})'
    names = [a.t(f"compat.mode.{m}") for m in r["modes"]]
    out = [a.t("cli.compat.title", host=host, image=image), r["verdict_text"],
           f'{a.t("compat.modes")}: {", ".join(names) if names else a.t("compat.none")}', "", a.t("compat.why")]
    facts = []
    for mode, m in r["isolation"].items():
        out.append(f'  {a.t("compat.mode." + mode)}: {m["answer"]}. {m["reason"]}')
        facts += [f for f in m["facts"] if f["id"] not in {x["id"] for x in facts}]
    if r["notes"]:
        out += ["", a.t("compat.notes")]
        out += [f'  {n["text"]} #{n["fact"]["id"]}\n    {n["fact"]["url"]}' for n in r["notes"]]
    out += ["", a.t("compat.basis")]
    out += [f'  #{f["id"]} {f["text"]}\n    {f["url"]}' for f in facts]
    return "\n".join(out)


# --- lifecycle -------------------------------------------------------------------------------

def lifecycle_result(a: Answers, image_text: str, as_of: str) -> dict:
    t = a.target(image_text)
    if t.row is None:
        if t.kind == "base" and t.issue in ("unknown-tag", "not-published", "latest", "no-tag", "digest-only"):
            from .lint import image_findings
            f = image_findings(a, image_text, None, t, Options(as_of=as_of, warn_within=0))
            raise InputError(f[0].message)
        raise InputError(a.t("cli.error.no-lifecycle", image=image_text))
    row = t.row
    st = a.status(row, as_of)
    last = a.last_day(row)
    dates = {k: {"date": v, "fact": a.fact(fid)} for k, (v, fid) in row["dates"].items()}
    result = {
        "image": image_text, "repository": row["repository"], "tag": row["tag"],
        "base_image": {"id": row["image"], "name": a.d["images"][row["repository"]]["name"][a.lang]},
        "derived": t.kind == "derived",
        "release": {"id": row["release"], "name": a.os_name(row["release"])},
        "tag_fact": a.fact(row["tag_fact"]),
        "dates": dates, "as_of": as_of, "status": st.status, "status_text": a.t(f"lifecycle.status.{st.status}"),
        "until": st.until, "last_day": last,
        "days_left": days_between(as_of, last) if last else None,
        "next": {"date": st.changes_on, "status": st.next_status} if st.changes_on else None,
    }
    return result


def lifecycle_text(a: Answers, r: dict) -> str:
    out = [f'{r["image"]} — {r["base_image"]["name"]}, {r["release"]["name"]}']
    if r["derived"]:
        out.append(a.t("cli.lifecycle.derived", release=r["release"]["name"], name=r["base_image"]["name"]))
    for key, label in (("release_date", "lifecycle.release-date"), ("mainstream_end", "lifecycle.mainstream-end"),
                       ("extended_end", "lifecycle.extended-end")):
        d = r["dates"].get(key)
        out.append(f'  {a.t(label)}: {d["date"] if d else a.t("compat.none")}'
                   + (f'  #{d["fact"]["id"]} {d["fact"]["url"]}' if d else ""))
    out.append(a.t("cli.lifecycle.status", as_of=r["as_of"], status=r["status_text"]))
    if r["next"]:
        out.append(f'  {a.t("lifecycle.next")}: {r["next"]["date"]} {a.t("lifecycle.status." + r["next"]["status"])}')
    if r["days_left"] is None:
        out.append(a.t("cli.lifecycle.ended-tag") if r["status"] == "ended" else a.t("cli.lifecycle.no-end"))
    elif r["days_left"] >= 0:
        out.append(a.t("cli.lifecycle.days-left", days=r["days_left"], date=r["last_day"]))
    else:
        out.append(a.t("cli.lifecycle.ended-on", days=-r["days_left"], date=r["last_day"]))
    if r["status"] == "ended" and r["days_left"] is None:
        out.append(f'  #{r["tag_fact"]["id"]} {r["tag_fact"]["url"]}')
    return "\n".join(out)


# --- lint ------------------------------------------------------------------------------------

def read_text(a: Answers, path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(a.t("cli.error.unreadable", file=str(path), detail=exc.strerror or type(exc).__name__)) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputError(a.t("cli.error.not-utf8", file=str(path), line=line, byte=f"0x{raw[exc.start]:02x}")) from None


def lint_result(a: Answers, args) -> dict:
    build_args = {}
    for item in args.build_arg:
        name, eq, value = item.partition("=")
        if not eq or not name:
            raise InputError(a.t("cli.error.bad-build-arg", value=item))
        build_args[name] = value
    opt = Options(as_of=args.as_of or dt.date.today().isoformat(), warn_within=args.warn_within,
                  host=a.host(args.host) if args.host else None, build_args=build_args)
    texts = [(str(p), read_text(a, Path(p))) for p in args.dockerfile]   # all inputs read before any output
    files, findings = [], []
    for path, text in texts:
        stages, found = lint_text(a, path, text, opt)
        files.append({"path": path, "from": [{"line": f.line, "raw": f.raw, "image": f.image, "stage": f.stage,
                                              "platform": f.platform, "stage_ref": f.stage_ref} for f in stages],
                      "findings": len(found)})
        findings += found
    if args.compose:
        read_text(a, args.compose)    # unreadable or not UTF-8: the same message as for a Dockerfile
        findings += lint_compose(a, args.compose, opt)
    failing = at_or_above(findings, args.fail_on)
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
    return {"as_of": opt.as_of, "host": opt.host.release.key if opt.host else None,
            "warn_within": opt.warn_within, "fail_on": args.fail_on, "files": files,
            "findings": [{**asdict(f), "fact": a.fact(f.fact)} for f in findings],
            "summary": counts, "failed": bool(failing)}


def lint_text_out(a: Answers, r: dict) -> str:
    out = []
    for f in r["findings"]:
        where = f'{f["file"]}:{f["line"]}' if f["line"] else f["file"]
        out.append(f'{where}: {a.t("cli.severity." + f["severity"])} [{f["code"]}] {f["message"]}')
        if f["fact"]:
            out.append(f'  #{f["fact"]["id"]} {f["fact"]["url"]}')
    for file in r["files"]:
        if not file["findings"]:
            count = sum(1 for x in file["from"] if not x["stage_ref"])
            out.append(a.t("cli.lint.file-ok", file=file["path"], count=count))
    out.append(a.t("cli.lint.summary", **r["summary"]))
    return "\n".join(out)


# --- main ------------------------------------------------------------------------------------

def envelope(a: Answers, command: str, result: dict) -> dict:
    return {"schema_version": SCHEMA_VERSION, "command": command, "lang": a.lang, "kb_as_of": a.d["as_of"],
            "site_url": a.site_url, "result": result}


def main(argv=None, data=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _argv_lang(argv) or locale_lang()
    try:
        data = data if data is not None else load()
    except DataUnavailable as exc:
        print(f"wckb: {exc}", file=sys.stderr)
        return 2
    a = Answers(data, lang)
    try:
        args = parser(a).parse_args(argv)
        if args.cmd == "schema":
            print(SCHEMA_FILE.read_text("utf-8"), end="")
            return 0
        if args.site_url or os.environ.get("SITE_URL"):
            a = Answers(data, lang, args.site_url or os.environ["SITE_URL"])
        if args.cmd == "compat":
            result, text = compat_result(a, args.host, args.image), compat_text
        elif args.cmd == "lifecycle":
            result, text = lifecycle_result(a, args.image, args.as_of or dt.date.today().isoformat()), lifecycle_text
        else:
            if not args.dockerfile and not args.compose:
                raise InputError(a.t("cli.error.no-input"))
            result, text = lint_result(a, args), lint_text_out
    except InputError as exc:
        print(f"wckb: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:       # --help
        return int(exc.code or 0)
    if args.json:
        print(json.dumps(envelope(a, args.cmd, result), ensure_ascii=False, indent=2))
    else:
        print(text(a, result))
    return 1 if args.cmd == "lint" and result["failed"] else 0
