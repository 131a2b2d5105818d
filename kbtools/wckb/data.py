"""The data `wckb` answers from: the `kb.json` built into the wheel, or, in a source checkout
without it, a fresh export of kb/ (slower: it loads and validates every file)."""
from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGED = HERE / "kb.json"


class DataUnavailable(Exception):
    """Neither a packaged kb.json nor a valid kb/ folder: the message says what to do."""


def load() -> dict:
    if PACKAGED.exists():
        return json.loads(PACKAGED.read_text("utf-8"))
    kb_dir = HERE.parents[1] / "kb"
    if not kb_dir.is_dir():
        raise DataUnavailable(f"no kb data: {PACKAGED} is missing and there is no kb/ folder at {kb_dir}")
    from ..load import check
    from ..problems import KbInvalid
    from .export import default_site_url, export
    try:
        kb = check(kb_dir)
    except KbInvalid as exc:
        raise DataUnavailable(exc.report()) from None
    return json.loads(json.dumps(export(kb, default_site_url(kb_dir.parent))))
