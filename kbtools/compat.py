"""Version compatibility of Windows containers, computed from the rules stored as facts in kb/.

Plain Python, no MkDocs. `matrix(kb)` answers, for every host × image release × isolation mode,
whether the container runs and why, from the *rules*; `published(kb)` reads the table Microsoft
publishes (stored as facts too), so a test can hold the two against each other.

What the kb provides (kb/isolation/*.yaml):

- the published table: values `<host>_<mode>_<image>: true|false` (mode `process` or `hyperv`)
  on the facts of entity `version-compatibility`, one fact per host;
- build numbers: `<release>_build` (one build), or `<release>_build_min` and optionally
  `<release>_build_max` for a host that is a family of versions (Windows 10, Windows 11; without
  a maximum the family is still growing);
- the process-isolation rule: a fact with `image_host_build_rule: same-build`;
- the Hyper-V rule: a fact with `image_host_build_rule: same-or-older`;
- exceptions to the process rule: `<host>_process_image_build: <build>` (that host also runs images
  of that build with process isolation);
- the revision rule: `revision_must_match_build: <build>` (that build must also match in revision);
- per-version answers: a fact with `depends_host: <host>` and `depends_image: <image>` says which
  versions of a host family run that image; a cell that depends on the version points to it.

An answer is True, False or None ("depends on the version"): a host family whose builds span the
image's build can neither be said to run it nor not to.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import KB

MODES = ("process", "hyperv")
TABLE_ENTITY = "version-compatibility"
PUBLISHED_KEY = re.compile(r"^([a-z][a-z0-9]*)_(process|hyperv)_([a-z][a-z0-9]*)$")
VERIFIED = {"current"}      # statuses of published rows a test holds the rules against


class CompatDataMissing(Exception):
    """The kb lacks a value the matrix needs; the message says which."""


@dataclass(frozen=True)
class Release:
    key: str                           # ws2022, win11, … (the key used in the published table)
    build_min: int
    build_max: int | None               # None: open-ended (new versions keep coming)
    build_fact: str                    # the fact carrying the build
    host: bool = False
    image: bool = False

    @property
    def build(self) -> int | None:
        return self.build_min if self.build_min == self.build_max else None

    def builds(self) -> str:
        if self.build is not None:
            return str(self.build_min)
        return f"{self.build_min}–{self.build_max}" if self.build_max else f"{self.build_min}+"

    def spans(self, build: int) -> bool:
        return self.build_min <= build and (self.build_max is None or build <= self.build_max)

    def above(self, build: int) -> bool:
        """Every version of this release is older than `build`."""
        return self.build_max is not None and build > self.build_max


@dataclass
class Rules:
    process: str | None = None                         # fact ids of the rules
    hyperv: str | None = None
    exceptions: dict = field(default_factory=dict)     # host key -> (image build, fact id)
    revision_build: int | None = None
    revision_fact: str | None = None
    by_version: dict = field(default_factory=dict)     # (host key, image key) -> fact id answering per version


@dataclass
class Cell:
    host: str
    image: str
    runs: dict                           # mode -> True | False | None (depends on the host version)
    reasons: dict                        # mode -> reason code (labels: compat.reason.<code>)
    facts: dict = field(default_factory=dict)    # mode -> [fact ids the answer rests on]
    notes: list = field(default_factory=list)    # (note code, fact id)

    @property
    def modes(self) -> list[str]:
        return [m for m in MODES if self.runs[m]]


def _published_values(kb: KB):
    ent = kb.entities.get(TABLE_ENTITY)
    if ent is None:
        return
    for fact in ent.facts:
        for key, value in fact.values.items():
            m = PUBLISHED_KEY.match(key)
            if m and isinstance(value, bool):
                yield m.group(1), m.group(2), m.group(3), value, fact


def releases(kb: KB) -> dict[str, Release]:
    """Every host and image named in the published table, with its build(s)."""
    hosts, images = set(), set()
    for h, _, i, _, _ in _published_values(kb):
        hosts.add(h)
        images.add(i)
    ents = [kb.entities[TABLE_ENTITY]] if TABLE_ENTITY in kb.entities else []
    ents += [e for e in kb.entities.values() if e.id != TABLE_ENTITY]
    out = {}
    for key in sorted(hosts | images):
        for ent in ents:
            f, b = ent.value(f"{key}_build")
            if f is not None and isinstance(b, int):
                out[key] = Release(key, b, b, f.id, key in hosts, key in images)
                break
            f1, lo = ent.value(f"{key}_build_min")
            _, hi = ent.value(f"{key}_build_max")
            if f1 is not None and isinstance(lo, int):
                out[key] = Release(key, lo, hi if isinstance(hi, int) else None, f1.id, key in hosts, key in images)
                break
    return out


def rules(kb: KB) -> Rules:
    r = Rules()
    for fact in kb.facts.values():
        v = fact.values
        if v.get("image_host_build_rule") == "same-build":
            r.process = fact.id
        elif v.get("image_host_build_rule") == "same-or-older":
            r.hyperv = fact.id
        if isinstance(v.get("revision_must_match_build"), int):
            r.revision_build, r.revision_fact = v["revision_must_match_build"], fact.id
        if "depends_host" in v and "depends_image" in v:
            r.by_version[(v["depends_host"], v["depends_image"])] = fact.id
        for key, value in v.items():
            if key.endswith("_process_image_build") and isinstance(value, int):
                r.exceptions[key[: -len("_process_image_build")]] = (value, fact.id)
    return r


def _order(rels):
    # Newest first: by the (highest) build; a family after a single release of the same build.
    # Single releases (Windows Server) newest first, then families of versions (clients).
    return sorted(rels, key=lambda r: (r.build is None, -r.build_min, r.key))


def hosts(kb: KB) -> list[Release]:
    return _order(r for r in releases(kb).values() if r.host)


def images(kb: KB) -> list[Release]:
    return _order(r for r in releases(kb).values() if r.image)


def evaluate(host: Release, image: Release, rules: Rules) -> Cell:
    """Whether `image` runs on `host` in each isolation mode, with the reason and the facts."""
    runs, reasons, facts, notes = {}, {}, {}, []
    basis = [host.build_fact] + ([image.build_fact] if image.build_fact != host.build_fact else [])
    img = image.build_min
    # Process isolation: the container shares the host's kernel, so the build must match …
    exc = rules.exceptions.get(host.key)
    if host.build == img:
        runs["process"], reasons["process"] = True, "same-build"
        facts["process"] = [rules.process] + basis
        if rules.revision_build == img:
            notes.append(("revision-must-match", rules.revision_fact))
    elif exc and exc[0] == img:   # … unless Microsoft documents an exception for this pair
        runs["process"], reasons["process"] = True, "exception"
        facts["process"] = [exc[1]] + basis
    elif host.spans(img):
        runs["process"], reasons["process"] = None, "depends-process"
        facts["process"] = [rules.process] + basis
    else:
        runs["process"] = False
        reasons["process"] = "image-newer" if host.above(img) else "build-differs"
        facts["process"] = [rules.process] + basis
    # Hyper-V isolation: the container brings its own kernel; it may be older, never newer.
    facts["hyperv"] = [rules.hyperv] + basis
    if img <= host.build_min:
        runs["hyperv"] = True
        reasons["hyperv"] = "same-build-hyperv" if img == host.build else "older-image"
    elif host.above(img):
        runs["hyperv"], reasons["hyperv"] = False, "image-newer"
    else:
        runs["hyperv"], reasons["hyperv"] = None, "depends-hyperv"
    return Cell(host=host.key, image=image.key, runs=runs, reasons=reasons, facts=facts, notes=notes)


def matrix(kb: KB) -> list[Cell]:
    r = rules(kb)
    missing = [k for k, v in (("image_host_build_rule: same-build", r.process),
                              ("image_host_build_rule: same-or-older", r.hyperv)) if v is None]
    rels = releases(kb)
    named = {h for h, *_ in _published_values(kb)} | {i for _, _, i, _, _ in _published_values(kb)}
    missing += [f"{k}_build (or {k}_build_min and {k}_build_max)" for k in sorted(named - set(rels))]
    if not named:
        missing.append(f"the published table (entity {TABLE_ENTITY} with <host>_<mode>_<image> values)")
    if missing:
        raise CompatDataMissing("no fact carries " + "; ".join(missing))
    cells = [evaluate(h, i, r) for h in hosts(kb) for i in images(kb)]
    # An answer that depends on the host's version points to the fact that answers per version.
    for c in cells:
        if None in c.runs.values() and (c.host, c.image) in r.by_version:
            c.notes.append(("by-version", r.by_version[(c.host, c.image)]))
    # A published row that is not verified and disagrees with the rules is shown beside the answer.
    pub = published(kb, verified_only=False)
    for c in cells:
        for mode in MODES:
            row = pub.get((c.host, mode, c.image))
            if row and row["status"] not in VERIFIED and row["runs"] != c.runs[mode]:
                c.notes.append((f"unverified-{mode}", row["fact"]))
    return cells


def published(kb: KB, verified_only: bool = True) -> dict[tuple[str, str, str], dict]:
    """Microsoft's table as stored in kb: (host, mode, image) -> {runs, fact, status}."""
    out = {}
    for h, mode, i, value, fact in _published_values(kb):
        if verified_only and fact.status not in VERIFIED:
            continue
        out[(h, mode, i)] = {"runs": value, "fact": fact.id, "status": fact.status}
    return out


def differences(kb: KB) -> list[str]:
    """Where the computed matrix and the verified published rows disagree (empty when they agree)."""
    by = {(c.host, c.image): c for c in matrix(kb)}
    out = []
    for (h, mode, i), row in sorted(published(kb).items()):
        cell = by.get((h, i))
        got = cell.runs[mode] if cell else "no such cell"
        if got != row["runs"]:
            why = cell.reasons[mode] if cell else ""
            out.append(f"{h} × {i} ({mode}): computed {got} ({why}), published {row['runs']} (fact {row['fact']})")
    return out
