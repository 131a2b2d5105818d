"""What a reader sees for a fact value: the value's label and the value in words, per language.

One place per key. A table column names the keys of the entities in its rows (the table shows
them, so the fact repeats the table's words); kb/labels.yaml `values:` names every other key,
either by its name (`cost`) or by a pattern (`{host}_{mode}_{image}`) whose parts are release or
isolation-mode names taken from the `compat.name.*` and `compat.mode.*` labels. Raw keys and slugs
stay in the JSON API (kbtools/export.py).
"""
from __future__ import annotations

import re
from functools import lru_cache

from .text import PLACEHOLDER, format_value

# Pattern parts and the ui labels that name them.
PART_LABELS = {"host": "compat.name.", "image": "compat.name.", "release": "compat.name.", "mode": "compat.mode."}
# A value written as a slug (free, free-conditional, same-or-older) is a name for code, not for
# readers. Tags and versions (ltsc2022, 1809, 2.1.6) are names readers type, so they are shown as they are.
SLUG = re.compile(r"^[a-z]+(?:-[a-z0-9]+)*$")


def shown_keys(fact) -> list[str]:
    """Keys of the fact's values that its sentences do not already say through a {placeholder}."""
    d, used = fact.data, set()
    for block in (d.get("text"), d.get("details"), d.get("current")):
        for lang in ("ko", "en"):
            if block and lang in block:
                used.update(PLACEHOLDER.findall(block[lang]))
    return [k for k in fact.values if k not in used]


def _column(kb, entity_id: str, key: str) -> dict | None:
    for table in kb.tables.values():
        if entity_id in table.get("rows", []):
            for col in table.get("columns", []):
                if col.get("key") == key:
                    return col
    return None


@lru_cache(maxsize=64)
def _pattern(pattern: str) -> re.Pattern:
    parts = re.split(r"\{([a-z]+)\}", pattern)
    rx = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>[a-z0-9]+)" for i, p in enumerate(parts))
    return re.compile(f"^{rx}$")


def definition(kb, entity_id: str, key: str) -> tuple[dict | None, dict]:
    """({ko, en} label or None, {slug: {ko, en}} value names) of `key` on entity `entity_id`."""
    col = _column(kb, entity_id, key)
    if col is not None:
        return col.get("label"), col.get("values", {})
    entries = kb.labels.get("values", {})
    if key in entries:
        return entries[key].get("label"), entries[key].get("values", {})
    for pattern, entry in entries.items():
        if "{" not in pattern:
            continue
        m = _pattern(pattern).match(key)
        if not m:
            continue
        parts = {part: kb.labels["ui"].get(PART_LABELS.get(part, "?") + val) for part, val in m.groupdict().items()}
        if None in parts.values():
            continue            # `win10_build_max` is not a host × mode × image key: "build" is no mode
        label = {lang: re.sub(r"\{([a-z]+)\}", lambda x: parts[x.group(1)][lang], template)
                 for lang, template in entry["label"].items()}
        return label, entry.get("values", {})
    return None, {}


def words(value, names: dict, lang: str, key: str) -> str:
    """The value as a reader reads it: its display name if it has one, else its formatted form."""
    if isinstance(value, str) and value in names:
        return names[value][lang]
    return format_value(value, lang, key)


def shown(kb, fact, lang: str) -> list[tuple[str, str]]:
    """[(label, value in words)] for the values the fact shows below its sentence."""
    out = []
    for key in shown_keys(fact):
        label, names = definition(kb, fact.entity.id, key)
        out.append(((label or {}).get(lang, key), words(fact.values[key], names, lang, key)))
    return out


def unnamed(kb, fact) -> list[tuple[str, str, str]]:
    """[(key, what is missing, value)] for shown values a reader would see as raw keys or slugs."""
    out = []
    for key in shown_keys(fact):
        label, names = definition(kb, fact.entity.id, key)
        value = fact.values[key]
        if not label or not all(label.get(lang) for lang in ("ko", "en")):
            out.append((key, "label", key))
        if isinstance(value, str) and value not in names and SLUG.match(value) and value != "unlimited":
            out.append((key, "value name", value))
    return out
