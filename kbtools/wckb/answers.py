"""Answers from the exported data: which release a host or an image is, whether it runs, how long
it is supported. Compatibility answers are the cells `compat.matrix` computed for the site; a host
given by its exact build is evaluated by `compat.evaluate` with the kb's own rules."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from .. import compat, lifecycle
from ..urls import fact_url
from . import refs

_BUILD = re.compile(r"^(?:10\.0\.)?(\d{5})(?:\.(\d+))?$")
# The name ends on a non-separator (what the lazy (.*?) found anyway): from every position of a long run of
# separators, (.*?) followed by [\s:@/(]+ rescanned the run (quadratic); this way each position is tried once.
_NAMED_BUILD = re.compile(r"^(.*?[^\s:@/(]|)[\s:@/(]+(?:build\s*)?((?:10\.0\.)?\d{5}(?:\.\d+)?)\)?$", re.I)
_NAMED_VERSION = re.compile(r"^(.*?[^\s:@/(]|)[\s:@/(]+(?:version\s*)?(\d{2}[hH]\d)\)?$", re.I)   # Windows 11 24H2
_ARCH = re.compile(r"-(?:amd64|arm64|arm32v7|arm)$")
_PATCH = re.compile(r"[-_]kb\d+$")
# Words in a tag that say an image is built on a Windows base image (golang:1.23-nanoserver-ltsc2022).
WINDOWS_WORDS = {"windowsservercore", "servercore", "nanoserver", "windows", "windowsserver", "server"}


class InputError(Exception):
    """A value the user gave that cannot be answered; the message is already in the user's language."""


def norm(s: str) -> str:
    return re.sub(r"[\s_\-]+", "", s.strip().lower())


@dataclass
class Host:
    release: compat.Release
    text: str                  # as given
    narrowed: bool = False     # a version of a family given by its exact build


@dataclass
class Target:
    """An image reference and what the kb knows about it."""
    text: str
    ref: refs.Ref | None
    kind: str                  # base (a kb base image) | derived (release read from the tag) | microsoft | other
    image: dict | None = None  # base image (kb.json images[repo])
    tag: str | None = None     # the tag without architecture and patch suffixes
    release: str | None = None  # os-release entity id
    row: dict | None = None    # lifecycle row (kb.json tags[])
    issue: str | None = None   # latest | no-tag | digest-only | unknown-tag | not-published


class Answers:
    def __init__(self, data: dict, lang: str, site_url: str | None = None):
        self.d, self.lang = data, lang
        self.site_url = site_url or data["site_url"]
        if not self.site_url.endswith("/"):
            self.site_url += "/"
        self.releases = {k: compat.Release(**v) for k, v in data["releases"].items()}
        r = data["rules"]
        self.rules = compat.Rules(process=r["process"], hyperv=r["hyperv"],
                                  exceptions={k: tuple(v) for k, v in r["exceptions"].items()},
                                  revision_build=r["revision_build"], revision_fact=r["revision_fact"],
                                  by_version={(h, i): f for h, i, f in r["by_version"]})
        self.tag_release = {}       # tag -> os-release id (any image's tag for that release)
        for oid, rel in data["os_releases"].items():
            for tag, _ in rel["tags"].values():
                if tag != "none":
                    self.tag_release.setdefault(tag.lower(), oid)

    # --- text -------------------------------------------------------------------------------
    def t(self, key: str, **values) -> str:
        text = self.d["labels"][key][self.lang]
        return re.sub(r"\{([a-z_]+)\}", lambda m: str(values.get(m.group(1), m.group(0))), text)

    def url(self, fid: str) -> str:
        f = self.d["facts"][fid]
        return self.site_url + fact_url(_FactRef(fid, f["topic"]), self.lang)

    def fact(self, fid: str | None) -> dict | None:
        if fid is None:
            return None
        return {"id": fid, "url": self.url(fid), "text": self.d["facts"][fid]["text"][self.lang]}

    def release_name(self, key: str) -> str:
        return self.t(f"compat.name.{key}")

    def image_name(self, target: Target) -> str:
        return target.image["name"][self.lang] if target.image else target.text

    def os_name(self, oid: str) -> str:
        return self.d["os_releases"][oid]["name"][self.lang]

    # --- hosts ------------------------------------------------------------------------------
    def host_names(self) -> dict[str, str]:
        """normalized name -> release key, for every host release."""
        out = {}
        for key, rel in self.releases.items():
            if not rel.host:
                continue
            out[norm(key)] = key
            for lang in ("ko", "en"):
                out[norm(self.d["labels"][f"compat.name.{key}"][lang])] = key
            m = re.search(r"(\d{2,4})$", key)
            if m and key.startswith("ws"):
                out[m.group(1)] = key
                out["server" + m.group(1)] = key
            elif m:
                out["windows" + m.group(1)] = key
        for oid, rel in self.d["os_releases"].items():
            if rel["compat"] and self.releases[rel["compat"]].host:
                out[norm(rel["name"]["en"])] = rel["compat"]
                for tag, _ in rel["tags"].values():
                    if tag != "none":
                        out.setdefault(norm(tag), rel["compat"])
        return out

    def _by_build(self, build: int, family: str | None = None) -> compat.Release | None:
        hosts = [r for r in self.releases.values() if r.host]
        if family is None:
            exact = [r for r in hosts if r.build == build]
            if exact:
                return exact[0]
        for r in hosts:
            if r.build is None and r.spans(build) and family in (None, r.key):
                return compat.Release(r.key, build, build, r.build_fact, host=True)
        return None

    def host(self, text: str) -> Host:
        s = text.strip()
        names = self.host_names()
        if norm(s) in names:
            return Host(self.releases[names[norm(s)]], s)
        m = _BUILD.match(s)
        if m:
            rel = self._by_build(int(m.group(1)))
            if rel:
                return Host(rel, s, narrowed=rel.build_min != self.releases[rel.key].build_min
                            or rel.build_max != self.releases[rel.key].build_max)
        m = _NAMED_VERSION.match(s)
        if m and norm(m.group(1)) in names:
            family = names[norm(m.group(1))]
            build = self.d["versions"].get(family, {}).get(m.group(2).lower(), [None])[0]
            if build is not None:
                return Host(self._by_build(build, family), s, narrowed=True)
        m = _NAMED_BUILD.match(s)
        if m and norm(m.group(1)) in names:
            family = names[norm(m.group(1))]
            b = int(_BUILD.match(m.group(2)).group(1))
            base = self.releases[family]
            if base.build == b:
                return Host(base, s)
            rel = self._by_build(b, family)
            if rel:
                return Host(rel, s, narrowed=True)
        known = sorted({self.release_name(k) for k in names.values()}
                       | {k for k in names.values()})
        close = difflib.get_close_matches(s, known, n=3, cutoff=0.4) or \
            [self.release_name(names[n]) for n in difflib.get_close_matches(norm(s), list(names), n=3, cutoff=0.5)]
        close = list(dict.fromkeys(close))
        builds = ", ".join([f"{self.release_name(r.key)} ({r.builds()})" for r in self.releases.values() if r.host]
                           + [f"{self.release_name(k)} {v.upper()} ({b})" for k, vs in sorted(self.d["versions"].items())
                              for v, (b, _) in sorted(vs.items())])
        msg = self.t("cli.error.unknown-host", host=s, known=builds)
        if close:
            msg += " " + self.t("cli.error.did-you-mean", names=", ".join(close))
        raise InputError(msg)

    # --- images -----------------------------------------------------------------------------
    def target(self, text: str) -> Target:
        """An image reference (mcr.microsoft.com/windows/servercore:ltsc2022, golang:…-nanoserver-ltsc2022)."""
        try:
            ref = refs.parse(text)
        except refs.BadReference:
            raise InputError(self.t("cli.error.bad-reference", image=text)) from None
        image = self.d["images"].get(ref.repository.lower())
        if image is None:
            return self._derived(text, ref)
        t = Target(text, ref, "base", image=image)
        if ref.tag is None:
            t.issue = "digest-only" if ref.digest else "no-tag"
            return t
        tag = _PATCH.sub("", _ARCH.sub("", ref.tag.lower()))
        t.tag = tag
        if tag == "latest":
            t.issue = "latest"
            return t
        m = _BUILD.match(tag) if tag.startswith("10.0.") else None
        if m:
            oid = next((o for o, r in self.d["os_releases"].items() if r["build"] == int(m.group(1))), None)
        else:
            oid = self.tag_release.get(tag)
        rows = [r for r in self.d["tags"] if r["repository"] == ref.repository.lower()]
        row = next((r for r in rows if (r["tag"].lower() == tag) or (m and r["release"] == oid)), None)
        if row:
            t.release, t.row = row["release"], row
            return t
        t.release = oid
        if oid and self.d["os_releases"][oid]["tags"].get(image["prefix"], ["none"])[0] == "none":
            t.issue = "not-published"
        else:
            t.issue = "unknown-tag"
        return t

    def _derived(self, text: str, ref: refs.Ref) -> Target:
        tokens = re.split(r"[-_]", (ref.tag or "").lower())
        windows = bool(WINDOWS_WORDS & set(tokens)) or any(t.startswith("ltsc") for t in tokens)
        oid = next((self.tag_release[t] for t in tokens if t in self.tag_release and windows), None)
        if oid:
            prefix = "nanoserver" if "nanoserver" in tokens else "servercore"
            row = next((r for r in self.d["tags"] if r["release"] == oid
                        and r["repository"].rsplit("/", 1)[-1] == prefix), None)
            return Target(text, ref, "derived", release=oid, row=row,
                          image=next((i for i in self.d["images"].values() if i["prefix"] == prefix), None))
        if ref.domain == "mcr.microsoft.com" and ref.path.startswith("windows/") or \
                ref.domain == "docker.io" and ref.path.split("/")[0] == "microsoft":
            return Target(text, ref, "microsoft")
        return Target(text, ref, "other")

    def image_release(self, text: str) -> tuple[str, Target | None]:
        """--image for `compat`: a release (ws2022, Windows Server 2022, ltsc2022, 20348) or a reference."""
        s = text.strip()
        images = {k for k, r in self.releases.items() if r.image}
        for key in images:
            if norm(s) in {norm(key), norm(self.d["labels"][f"compat.name.{key}"]["en"]),
                           norm(self.d["labels"][f"compat.name.{key}"]["ko"])}:
                return key, None
        oid = self.tag_release.get(s.lower())
        m = _BUILD.match(s)
        if m:
            oid = next((o for o, r in self.d["os_releases"].items() if r["build"] == int(m.group(1))), None)
        if oid and self.d["os_releases"][oid]["compat"] in images:
            return self.d["os_releases"][oid]["compat"], None
        t = self.target(s)
        if t.issue == "not-published":     # the Windows image for Windows Server 2025 does not exist
            raise InputError(self.t("cli.lint.not-published", image=s, name=self.image_name(t),
                                    release=self.os_name(t.release)))
        if t.release and self.d["os_releases"][t.release]["compat"] in images:
            return self.d["os_releases"][t.release]["compat"], t
        raise InputError(self.t("cli.error.unknown-image-release", image=s,
                                known=", ".join(sorted(self.tag_release))))

    # --- compatibility ----------------------------------------------------------------------
    def cell(self, host: Host, image_key: str) -> compat.Cell:
        image = self.releases[image_key]
        if host.narrowed:
            return compat.evaluate(host.release, image, self.rules)
        c = self.d["cells"][f"{host.release.key}|{image_key}"]
        return compat.Cell(host=host.release.key, image=image_key, runs=c["runs"], reasons=c["reasons"],
                           facts=c["facts"], notes=[tuple(n) for n in c["notes"]])

    def reason(self, cell: compat.Cell, mode: str, host: compat.Release) -> str:
        image = self.releases[cell.image]
        return self.t(f"compat.reason.{cell.reasons[mode]}", build=image.builds(), host_build=host.builds(),
                      image_build=image.builds())

    # --- lifecycle --------------------------------------------------------------------------
    def status(self, row: dict, as_of: str) -> lifecycle.Status:
        if not row["supported"]:
            return lifecycle.Status("ended", None, None, None)
        return lifecycle.status({k: v for k, (v, _) in row["dates"].items()}, as_of)

    def last_day(self, row: dict) -> str | None:
        """The last day of support (extended end, else mainstream end), None when none is announced."""
        dates = row["dates"]
        for key in ("extended_end", "mainstream_end"):
            if key in dates:
                return dates[key][0]
        return None


def days_between(a: str, b: str) -> int:
    return (dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days


@dataclass(frozen=True)
class _FactRef:
    id: str
    topic: str
