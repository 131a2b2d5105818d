"""The data `wckb` answers from: the `kb.json` built into the wheel, or, in a source checkout, a
fresh export of kb/ (slower: it loads and validates every file) unless a kb.json written by
`python -m kbtools.wckb.export` is newer than every file of kb/."""
from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGED = HERE / "kb.json"


class DataUnavailable(Exception):
    """Neither a packaged kb.json nor a valid kb/ folder: the message says what to do."""


def _fresh(kb_dir: Path) -> bool:
    """kb.json exists and no file of a source checkout's kb/ changed after it was written."""
    if not PACKAGED.exists():
        return False
    if not kb_dir.is_dir():
        return True           # installed: the wheel's kb.json is the kb
    built = PACKAGED.stat().st_mtime
    return all(p.stat().st_mtime <= built for p in kb_dir.rglob("*") if p.is_file())


def load() -> dict:
    kb_dir = HERE.parents[1] / "kb"
    if _fresh(kb_dir):
        return json.loads(PACKAGED.read_text("utf-8"))
    if not kb_dir.is_dir():
        raise DataUnavailable(f"{PACKAGED} is missing and there is no kb/ folder at {kb_dir}")
    from ..load import check
    from ..problems import KbInvalid
    from .export import default_site_url, export
    try:
        kb = check(kb_dir)
    except KbInvalid as exc:
        raise DataUnavailable(exc.report()) from None
    return json.loads(json.dumps(export(kb, default_site_url(kb_dir.parent))))
