"""Patches that break (or bend) a copy of a knowledge base or project, described as data.

Used by the rule fixtures (tests/fixtures/rules/*.yaml, applied to a copy of tests/fixtures/kb-min)
and the broken-input corpus (tests/fixtures/broken/*.yaml, applied to a copy of the project).

A patch is a list of steps, each naming a `file` (relative to the copy) and one action:

- `replace: [[old, new], …]`  text substitution; `old` must occur (a fixture never silently rots)
- `write: text`               create or overwrite the file
- `append: text`              add text at the end
- `prepend_bytes: hex` / `append_bytes: hex`   raw bytes (a BOM, invalid UTF-8)
- `delete: true`              remove the file
- `rename: new/path`          move the file
"""
from __future__ import annotations

from pathlib import Path

import yaml


class PatchError(AssertionError):
    pass


def apply(base: Path, steps: list[dict] | None) -> None:
    for step in steps or []:
        path = base / step["file"]
        if "replace" in step:
            text = path.read_text("utf-8")
            for old, new in step["replace"]:
                if old not in text:
                    raise PatchError(f"{step['file']}: text to replace not found: {old!r}")
                text = text.replace(old, new, 1)
            path.write_bytes(text.encode("utf-8"))
        elif "write" in step:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(step["write"].encode("utf-8"))
        elif "append" in step:
            with path.open("ab") as fh:
                fh.write(step["append"].encode("utf-8"))
        elif "prepend_bytes" in step:
            path.write_bytes(bytes.fromhex(step["prepend_bytes"]) + path.read_bytes())
        elif "append_bytes" in step:
            path.write_bytes(path.read_bytes() + bytes.fromhex(step["append_bytes"]))
        elif step.get("delete"):
            path.unlink()
        elif "rename" in step:
            target = base / step["rename"]
            target.parent.mkdir(parents=True, exist_ok=True)
            path.rename(target)
        else:
            raise PatchError(f"patch step without an action: {step}")


def touched(steps: list[dict] | None) -> set[str]:
    """Files a patch changes (to restore them afterwards)."""
    out = set()
    for step in steps or []:
        out.add(step["file"])
        if "rename" in step:
            out.add(step["rename"])
    return out


def load_fixtures(folder: Path) -> dict[str, dict]:
    """name -> fixture, for every *.yaml in folder."""
    return {p.stem: yaml.safe_load(p.read_text("utf-8")) for p in sorted(folder.glob("*.yaml"))}
