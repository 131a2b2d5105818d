"""Findings for Dockerfiles (and a compose file): every `FROM` checked against the kb.

One function per check; each finding names the fact it rests on, so the user can read why.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .answers import Answers, Host, InputError, Target, days_between
from .dockerfile import From, froms

SEVERITIES = ("info", "warning", "error")       # ascending
HUB_NAMES = {"windowsservercore": "servercore", "nanoserver": "nanoserver"}


@dataclass
class Finding:
    severity: str
    code: str
    file: str
    line: int | None
    image: str | None
    message: str
    fact: str | None


@dataclass
class Options:
    as_of: str
    warn_within: int
    host: Host | None = None
    build_args: dict | None = None


def lint_text(a: Answers, path: str, text: str, opt: Options) -> tuple[list[From], list[Finding]]:
    stages = froms(text, opt.build_args)
    out: list[Finding] = []
    windows_file = any((f.platform or "").lower().startswith("windows") for f in stages)
    checked = []
    for f in stages:
        if f.image is None:
            out.append(Finding("info", "unresolved-arg", path, f.line, None,
                               a.t("cli.lint.unresolved-arg", raw=f.raw, names=", ".join(f.missing)), None))
            continue
        if f.stage_ref or (f.platform or "").lower().startswith("linux"):
            continue
        if f.image.lower() == "scratch":
            checked.append((f, None))
            continue
        try:
            t = a.target(f.image)
        except InputError:
            out.append(Finding("error", "bad-reference", path, f.line, f.image,
                               a.t("cli.error.bad-reference", image=f.image), None))
            continue
        checked.append((f, t))
        windows_file = windows_file or t.kind in ("base", "derived")
    for f, t in checked:
        if t is None:
            out += _scratch(a, path, f, windows_file)
        else:
            out += image_findings(a, path, f.line, t, opt)
    return stages, out


def _scratch(a, path, f, windows_file):
    # Linux images are built FROM scratch every day; it only fails for a Windows image.
    sev = "error" if windows_file else "info"
    return [Finding(sev, "from-scratch", path, f.line, "scratch", a.t("cli.lint.from-scratch"),
                    a.d["named_facts"]["scratch"])]


def image_findings(a: Answers, path: str, line: int | None, t: Target, opt: Options) -> list[Finding]:
    named = a.d["named_facts"]
    img = t.text
    if t.kind == "other":
        return []
    if t.kind == "microsoft":
        if t.ref.domain == "docker.io":
            out = [Finding("warning", "docker-hub-microsoft", path, line, img,
                           a.t("cli.lint.docker-hub-microsoft", image=img), named["mcr"])]
            # microsoft/windowsservercore and microsoft/nanoserver on Docker Hub carried the same tags
            # as their mcr.microsoft.com successors, so the tag is checked as if it named those.
            name = HUB_NAMES.get(t.ref.path.split("/", 1)[1])
            if name and t.ref.tag:
                mcr = a.target(f"mcr.microsoft.com/windows/{name}:{t.ref.tag}")
                for f in image_findings(a, path, line, mcr, opt):
                    f.image = img
                    out.append(f)
            return out
        return [Finding("info", "unknown-image", path, line, img, a.t("cli.lint.unknown-image", image=img), None)]
    out = []
    if t.issue in ("latest", "no-tag"):
        return [Finding("error", "latest-tag", path, line, img, a.t("cli.lint.latest-tag", image=img), named["latest"])]
    if t.issue == "digest-only":
        return [Finding("info", "digest-only", path, line, img, a.t("cli.lint.digest-only", image=img), named["patch-tags"])]
    if t.issue == "not-published":
        fact = a.d["os_releases"][t.release]["tags"][t.image["prefix"]][1]
        return [Finding("error", "not-published", path, line, img,
                        a.t("cli.lint.not-published", image=img, name=a.image_name(t), release=a.os_name(t.release)), fact)]
    if t.issue == "unknown-tag":
        known = sorted(r["tag"] for r in a.d["tags"] if r["repository"] == t.ref.repository.lower())
        return [Finding("warning", "unknown-tag", path, line, img,
                        a.t("cli.lint.unknown-tag", image=img, tags=", ".join(known)), t.image["fact"])]
    if t.kind == "derived":
        # The fact naming the base image's tag for that release (servercore_tag: ltsc2025).
        rel = a.d["os_releases"][t.release]
        fact = rel["tags"].get(t.image["prefix"], [None, rel["build_fact"]])[1]
        out.append(Finding("info", "derived-release", path, line, img,
                           a.t("cli.lint.derived-release", image=img, release=a.os_name(t.release)), fact))
    if t.row:
        out += _support(a, path, line, t, opt)
    if opt.host:
        out += _host(a, path, line, t, opt.host)
    return out


def _support(a, path, line, t, opt):
    row, img = t.row, t.text
    st = a.status(row, opt.as_of)
    fact = row["dates"].get("extended_end", row["dates"].get("mainstream_end", [None, row["tag_fact"]]))[1]
    if st.status == "ended":
        last = a.last_day(row)
        msg = a.t("cli.lint.support-ended", image=img, date=last) if last else a.t("cli.lint.support-ended-tag", image=img)
        return [Finding("error", "support-ended", path, line, img, msg, fact if last else row["tag_fact"])]
    last = a.last_day(row)
    if last and st.status in ("mainstream", "extended"):
        days = days_between(opt.as_of, last)
        if days <= opt.warn_within:
            return [Finding("warning", "support-ending", path, line, img,
                            a.t("cli.lint.support-ending", image=img, date=last, days=days), fact)]
    return []


def _host(a, path, line, t, host: Host):
    key = a.d["os_releases"][t.release]["compat"]
    if key is None or key not in a.releases or not a.releases[key].image:
        return []
    cell = a.cell(host, key)
    hname = a.release_name(host.release.key) + f" ({host.release.builds()})"
    fact = cell.facts["process"][0]
    if cell.runs["process"] is False:
        alt = a.t("cli.lint.hyperv-works") if cell.runs["hyperv"] else a.t("cli.lint.hyperv-fails")
        return [Finding("error", "host-process", path, line, t.text,
                        a.t("cli.lint.host-process", image=t.text, host=hname,
                            reason=a.reason(cell, "process", host.release)) + " " + alt, fact)]
    if cell.runs["process"] is None:
        note = next((fid for code, fid in cell.notes if code == "by-version"), fact)
        return [Finding("warning", "host-depends", path, line, t.text,
                        a.t("cli.lint.host-depends", image=t.text, host=hname,
                            reason=a.reason(cell, "process", host.release)), note)]
    return []


# --- compose ---------------------------------------------------------------------------------

_SHORT = re.compile(r"^(?P<src>(?:[A-Za-z]:)?[^:]*)(?::(?P<dst>(?:[A-Za-z]:)?[^:]*))?(?::(?P<mode>[a-z,]+))?$")


def _looks_like_file(p: str) -> bool:
    name = re.split(r"[\\/]", p.rstrip("\\/"))[-1]
    return "." in name.strip(".") and not name.startswith(".")


def _is_path(src: str) -> bool:
    return bool(re.match(r"^(?:[A-Za-z]:|[./\\~])", src)) or "/" in src or "\\" in src


def lint_compose(a: Answers, path: Path, opt: Options) -> list[Finding]:
    import yaml   # only for --compose: keeps the start-up of the other commands small
    try:
        doc = yaml.safe_load(path.read_text("utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(a.t("cli.error.bad-compose", file=str(path), detail=str(exc).splitlines()[0])) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("services"), dict):
        raise InputError(a.t("cli.error.bad-compose", file=str(path), detail="services:"))
    out = []
    fact = a.d["named_facts"]["mounts"]
    base = path.parent
    for name, svc in doc["services"].items():
        if not isinstance(svc, dict):
            continue
        if isinstance(svc.get("image"), str):
            try:
                t = a.target(svc["image"])
                out += image_findings(a, str(path), None, t, opt)
            except InputError:
                out.append(Finding("error", "bad-reference", str(path), None, svc["image"],
                                   a.t("cli.error.bad-reference", image=svc["image"]), None))
        for vol in svc.get("volumes") or []:
            src = dst = None
            if isinstance(vol, str):
                m = _SHORT.match(vol)
                if m and m.group("dst"):
                    src, dst = m.group("src"), m.group("dst")
            elif isinstance(vol, dict) and vol.get("type", "volume") == "bind":
                src, dst = vol.get("source"), vol.get("target")
            if not src or not dst or not _is_path(src):
                continue
            local = (base / src) if not re.match(r"^[A-Za-z]:", src) else None
            if local is not None and local.is_file():
                sev = "error"
            elif (local is None or not local.exists()) and _looks_like_file(src) and _looks_like_file(dst):
                sev = "warning"
            else:
                continue
            out.append(Finding(sev, "single-file-mount", str(path), None, svc.get("image"),
                               a.t("cli.lint.single-file-mount", service=name, source=src, target=dst), fact))
    return out


def at_or_above(findings: list[Finding], level: str) -> list[Finding]:
    return [f for f in findings if SEVERITIES.index(f.severity) >= SEVERITIES.index(level)]
