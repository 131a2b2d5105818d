"""Characters no kb string may hold: a reviewer reading the YAML cannot see them.

Cc: C0 and C1 controls (tab and line breaks included), Cf: format characters (bidi embeddings,
overrides and isolates, LRM/RLM, zero-width space/joiners, word joiner, BOM, soft hyphen),
Zl/Zp: the Unicode line and paragraph separators, Cs: lone surrogates, Co: private use.
Used by the `characters` rule (kbtools/rules/characters.py) and the URL check (kbtools/urls.py).
"""
from __future__ import annotations

import unicodedata

REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co"})


def refused(ch: str) -> bool:
    return unicodedata.category(ch) in REFUSED_CATEGORIES


def describe(ch: str) -> str:
    name = unicodedata.name(ch, "") or {"\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\t": "TAB"}.get(ch, "control")
    return f"U+{ord(ch):04X} {name}"
