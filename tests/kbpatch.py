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
- `write_repeated: [[text, n], …]`  create the file from pieces repeated n times (long inputs)
- `symlink: target`           make the file a symbolic link to target (as written: relative to
                              the link's folder, or absolute)
- `mkdir: true` / `mkfifo: true`  make it a folder / a named pipe instead of a file
- `changelog_added: [id, …]`  append an entry (kind: added) naming these new facts to the
                              changelog, dated like its latest entry (rule changelog-required)
"""
from __future__ import annotations

import os
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
        elif "write_repeated" in step:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes("".join(text * n for text, n in step["write_repeated"]).encode("utf-8"))
        elif "symlink" in step:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.symlink_to(step["symlink"])
        elif step.get("mkdir"):
            path.mkdir(parents=True)
        elif step.get("mkfifo"):
            path.parent.mkdir(parents=True, exist_ok=True)
            os.mkfifo(path)
        elif "changelog_added" in step:
            text = path.read_text("utf-8")
            last = text.rsplit("- date: ", 1)[1].split()[0]
            path.write_bytes((text + f"  - date: {last}\n    kind: added\n    ids: [{', '.join(step['changelog_added'])}]\n"
                              "    reason: {ko: 테스트용 사실입니다., en: A test fact.}\n").encode("utf-8"))
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
