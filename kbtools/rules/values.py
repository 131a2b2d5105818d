"""Rules about statuses and structured values agreeing with each other."""
from __future__ import annotations

from ..problems import Problem
from . import rule

NEEDS_CURRENT = {"outdated", "incorrect", "disputed"}
NO_CURRENT = {"current", "unverified"}


@rule("status-current-state")
def status_current_state(kb):
    for fact in kb.facts.values():
        has = "current" in fact.data
        if fact.status in NEEDS_CURRENT and not has:
            yield Problem(fact.file, "status-current-state", f"a {fact.status} fact must say what holds now",
                          fact=fact.id, field=f"{fact.field}.current", actual="absent",
                          expected="current: {ko, en, sources, as_of}",
                          hint="keep the article's claim in text and put today's state with its source in current")
        if fact.status in NO_CURRENT and has:
            yield Problem(fact.file, "status-current-state", f"a {fact.status} fact has a current: block",
                          fact=fact.id, field=f"{fact.field}.current", actual="present",
                          expected="no current: block", hint="if the text is no longer true, set status outdated")


def _size_mb(size):
    return size["value"] * {"KB": 1 / 1024, "MB": 1, "GB": 1024}[size["unit"]]


SIZE_ORDER = ("nano-server", "server-core", "windows-image")


@rule("base-image-sizes-ordered")
def base_image_sizes_ordered(kb):
    for key in ("size_compressed", "size_on_disk"):
        chain = []
        for ident in SIZE_ORDER:
            ent = kb.entities.get(ident)
            fact, size = ent.value(key) if ent else (None, None)
            if isinstance(size, dict):
                chain.append((ident, fact, size))
        for (a, _, sa), (b, fb, sb) in zip(chain, chain[1:]):
            if sa["basis"] != sb["basis"] or _size_mb(sa) >= _size_mb(sb):
                yield Problem(fb.file, "base-image-sizes-ordered", f"{a} is not smaller than {b} ({key})",
                              fact=fb.id, field=f"{fb.field}.values.{key}",
                              actual=f"{a}={sa['value']} {sa['unit']} {sa['basis']}, {b}={sb['value']} {sb['unit']} {sb['basis']}",
                              expected="Nano Server < Server Core < Windows, on the same basis",
                              hint="compare compressed with compressed and on-disk with on-disk")


def _limit(v):
    return float("inf") if v == "unlimited" else v


@rule("edition-limits")
def edition_limits(kb):
    std, dc = kb.entities.get("windows-server-standard"), kb.entities.get("windows-server-datacenter")
    if not (std and dc):
        return
    for key in ("hyperv_max", "process_max"):
        fs, vs = std.value(key)
        fd, vd = dc.value(key)
        if fs is None or fd is None:
            continue
        if _limit(vs) > _limit(vd):
            yield Problem(fs.file, "edition-limits", f"Standard allows more than Datacenter ({key})", fact=fs.id,
                          field=f"{fs.field}.values.{key}", actual=f"Standard {vs}, Datacenter {vd}",
                          expected="Standard ≤ Datacenter", hint="check the licensing table of the containers FAQ")
    # Wherever another fact restates an edition limit it must match the edition's own value.
    for fact in kb.facts.values():
        for ent, prefix in ((std, "standard_"), (dc, "datacenter_")):
            for key, value in fact.values.items():
                if key.startswith(prefix):
                    own_fact, own = ent.value(key[len(prefix):])
                    if own_fact is not None and own != value:
                        yield Problem(fact.file, "edition-limits", f"{key} disagrees with {ent.id}", fact=fact.id,
                                      field=f"{fact.field}.values.{key}", actual=str(value),
                                      expected=f"{own} (from fact {own_fact.id})",
                                      hint="a limit is stated once in its edition; the other facts must agree")
