"""Strict YAML reading: the mistakes PyYAML forgives are errors here.

Duplicate keys silently drop data, a BOM or a tab breaks some editors' YAML, and Hangul that
is not NFC looks identical but does not match in search or comparisons.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path

import yaml

from .problems import Problem


# libyaml's parser when PyYAML has it (several times faster); same constructors, same marks.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_Base):
    """SafeLoader that keeps dates as strings and rejects duplicate keys."""


# Dates stay strings: the schema checks their format and rules check the calendar, which gives
# a readable error for 2026-13-01 instead of a constructor exception.
_StrictLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class DuplicateKey(yaml.MarkedYAMLError):
    pass


def _mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False):
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise DuplicateKey(
                "while constructing a mapping", node.start_mark,
                f"found duplicate key {key!r} (first at line {seen[key] + 1})", key_node.start_mark)
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


_ID_LINE = re.compile(r"^\s*(?:-\s+)?id:\s*['\"]?([A-Za-z0-9_-]+)")
_LINE = re.compile(r"^line (\d+)")


def _owner(lines: list[str], field: str, stem: str) -> str:
    """The id a raw-file problem belongs to: the nearest `id:` at or above its line (else the file's)."""
    m = _LINE.match(field)
    upto = int(m.group(1)) if m else 0
    for line in reversed(lines[:upto]):
        if (found := _ID_LINE.match(line)):
            return found.group(1)
    for line in lines:
        if (found := re.match(r"^id:\s*['\"]?([A-Za-z0-9_-]+)", line)):
            return found.group(1)
    return stem


def read(path: Path, rel: str) -> tuple[object | None, list[Problem]]:
    """Return the parsed document and the problems of the raw file (all of them), each naming the
    id it belongs to (the fact or entity around the offending line, else the file's id)."""
    data, problems = _read(path, rel)
    if problems:
        lines = path.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff").splitlines()
        problems = [p if p.fact else replace(p, fact=_owner(lines, p.field, path.stem)) for p in problems]
    return data, problems


def _read(path: Path, rel: str) -> tuple[object | None, list[Problem]]:
    problems: list[Problem] = []
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(rel, "no-bom", "file starts with a UTF-8 byte order mark",
                                actual="EF BB BF", expected="no BOM",
                                hint="save the file as UTF-8 without BOM"))
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(rel, "utf-8", f"file is not valid UTF-8 ({exc.reason} at byte {exc.start})",
                                hint="save the file as UTF-8"))
        return None, problems
    for n, line in enumerate(text.splitlines(), 1):
        if "\t" in line:
            problems.append(Problem(rel, "no-tabs", f"tab character on line {n}", field=f"line {n}",
                                    actual=repr(line.strip())[:60], expected="spaces",
                                    hint="indent YAML with spaces only"))
        if unicodedata.normalize("NFC", line) != line:
            problems.append(Problem(rel, "nfc", f"text on line {n} is not in Unicode NFC", field=f"line {n}",
                                    actual=repr(line.strip())[:60], expected="NFC-normalised text",
                                    hint="decomposed Hangul (NFD, e.g. pasted from macOS) looks the same but "
                                         "does not match in search; re-type it or normalise the file to NFC"))
    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except DuplicateKey as exc:
        problems.append(Problem(rel, "duplicate-key", exc.problem, field=f"line {exc.problem_mark.line + 1}",
                                hint="a repeated key silently drops the first value; keep one"))
        return None, problems
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problems.append(Problem(rel, "yaml-syntax", f"{getattr(exc, 'problem', None) or exc}", field=where,
                                hint="check indentation and quoting near that line"))
        return None, problems
    return data, problems
