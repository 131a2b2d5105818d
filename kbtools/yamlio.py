"""Strict YAML reading: the mistakes PyYAML forgives are errors here, and no file can hurt the reader.

Duplicate keys silently drop data, a BOM or a tab breaks some editors' YAML, and Hangul that
is not NFC looks identical but does not match in search or comparisons.

A contribution is untrusted, so before anything is built from a file:
- the path must resolve inside kb/ and be a regular file (a FIFO would block the build, a
  device or a link out of the repository would publish what is not ours), of a bounded size;
- the event stream is checked first (libyaml streams events without recursion): bounded
  nesting, no tags, no anchors or aliases. Only then are objects built, so a 50,000-deep list or
  an alias bomb is a quick report instead of a crash or gigabytes of memory;
- only plain values come out: strings, booleans, integers of sane length, finite numbers, null,
  lists and mappings whose keys are strings.
"""
from __future__ import annotations

import errno
import math
import os
import re
import stat
import unicodedata
from dataclasses import replace
from pathlib import Path

import yaml

from .problems import Problem

MAX_BYTES = 256 * 1024   # the largest kb file today is 15 KB
MAX_DEPTH = 20            # the deepest kb file today nests 5 levels
MAX_DIGITS = 20           # beyond any count or build number; Python refuses to parse 4,300+ digits

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


class Refused(yaml.MarkedYAMLError):
    """A value the kb does not accept; `rule` names the check, `hint` how to fix it."""

    def __init__(self, rule: str, problem: str, mark, hint: str = ""):
        super().__init__(problem=problem, problem_mark=mark)
        self.rule, self.hint = rule, hint


def _mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False):
    seen: dict = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise Refused("yaml-key", f"a {'list' if isinstance(key_node, yaml.SequenceNode) else 'mapping'} "
                          "used as a mapping key", key_node.start_mark, "keys are plain words like `id:`")
        key = loader.construct_object(key_node)
        if not isinstance(key, str):
            kind = {type(None): "null", bool: "a boolean", int: "an integer", float: "a number"}.get(type(key), "not text")
            raise Refused("yaml-key", f"mapping key {key_node.value!r} is not a string (YAML reads it as {kind})",
                          key_node.start_mark,
                          "quote the key (\"on\", \"1\", \"null\" and \"yes\" are not strings in YAML)")
        if key in seen:
            raise Refused("duplicate-key", f"found duplicate key {key!r} (first at line {seen[key] + 1})",
                          key_node.start_mark, "a repeated key silently drops the first value; keep one")
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


def _int(loader: _StrictLoader, node: yaml.ScalarNode):
    if sum(c.isdigit() for c in node.value) > MAX_DIGITS:
        raise Refused("yaml-number", f"integer of {len(node.value)} characters", node.start_mark,
                      f"no kb number has more than {MAX_DIGITS} digits; quote it if it is a text")
    return loader.construct_yaml_int(node)


def _float(loader: _StrictLoader, node: yaml.ScalarNode):
    value = loader.construct_yaml_float(node)
    if not math.isfinite(value):
        raise Refused("yaml-number", f"{node.value!r} is not a finite number", node.start_mark,
                      "JSON has no infinity or NaN; write a number or quote the text")
    return value


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:int", _int)
_StrictLoader.add_constructor("tag:yaml.org,2002:float", _float)


def _check_events(text: str) -> None:
    """Walk the event stream once, before any object is built (libyaml does not recurse)."""
    depth = 0
    for event in yaml.parse(text, Loader=_Base):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise Refused("yaml-alias", "anchors (&name) and aliases (*name) are not accepted",
                          event.start_mark, "write the value out in full: a reviewer reads what is published")
        if getattr(event, "tag", None):
            raise Refused("yaml-tag", f"YAML tag {event.tag!r} is not accepted", event.start_mark,
                          "remove the tag (!!…); dates and numbers are written plain, texts may be quoted")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise Refused("yaml-depth", f"lists and mappings nested deeper than {MAX_DEPTH} levels",
                              event.start_mark, "kb files nest a few levels; look for unbalanced [ or {")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


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


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def read_bytes(path: Path, rel: str, root: Path) -> tuple[bytes | None, list[Problem]]:
    """The file's bytes if it is a regular file inside `root` (kb/) of a bounded size; else a report
    that never shows where a link points or what the target holds."""
    def refuse(rule, message, hint, actual=""):
        return None, [Problem(rel, rule, message, fact=path.stem, actual=actual, hint=hint)]

    inside = Path(root).resolve()
    target = path.resolve()
    if target != inside and inside not in target.parents:
        return refuse("file-outside-kb", "the path resolves outside kb/ (a symbolic link)",
                      "commit the file itself, not a link to it; links out of the repository are never read")
    try:
        fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        return refuse("file-type", "a symbolic link to nothing", "commit the file itself")
    except OSError as exc:
        if exc.errno == errno.EISDIR:
            return refuse("file-type", "a directory where a YAML file is expected", "rename the folder")
        return refuse("file-type", f"cannot be read ({exc.strerror})", "commit a readable regular file")
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return refuse("file-type", f"{_kind(st.st_mode)} where a YAML file is expected",
                          "kb/ holds regular files only")
        if st.st_size > MAX_BYTES:
            return refuse("file-size", "file is too large", f"split it: one entity per file",
                          actual=f"{st.st_size} bytes, limit {MAX_BYTES}")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            raw = fh.read(MAX_BYTES + 1)
    finally:
        os.close(fd)
    if len(raw) > MAX_BYTES:
        return refuse("file-size", "file is too large", "split it: one entity per file",
                      actual=f"over {MAX_BYTES} bytes")
    return raw, []


def read(path: Path, rel: str, root: Path | None = None) -> tuple[object | None, list[Problem]]:
    """Return the parsed document and the problems of the raw file (all of them), each naming the
    id it belongs to (the fact or entity around the offending line, else the file's id). `root`
    is the folder the file must resolve inside (default: its own folder)."""
    data, problems, _ = read_with_first_line(path, rel, root)
    return data, problems


def read_with_first_line(path: Path, rel: str, root: Path | None = None) -> tuple[object | None, list[Problem], str]:
    """read(), and the file's first line (for the schema comment check), from one read of the file."""
    raw, problems = read_bytes(path, rel, root if root is not None else path.parent)
    if raw is None:
        return None, problems, ""
    data, problems = _parse(raw, rel)
    lines = raw.decode("utf-8", errors="replace").lstrip("\ufeff").splitlines()
    if problems:
        problems = [p if p.fact else replace(p, fact=_owner(lines, p.field, path.stem)) for p in problems]
    return data, problems, (lines[0] if lines else "")


def _parse(raw: bytes, rel: str) -> tuple[object | None, list[Problem]]:
    problems: list[Problem] = []
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
        _check_events(text)
        data = yaml.load(text, Loader=_StrictLoader)
    except Refused as exc:
        problems.append(Problem(rel, exc.rule, exc.problem, field=f"line {exc.problem_mark.line + 1}",
                                hint=exc.hint))
        return None, problems
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problems.append(Problem(rel, "yaml-syntax", f"{getattr(exc, 'problem', None) or exc}", field=where,
                                hint="check indentation and quoting near that line"))
        return None, problems
    if data is None:
        problems.append(Problem(rel, "empty-file", "file is empty or holds only comments",
                                expected="a mapping with id: …",
                                hint="fill the file in (see kb/README.md) or delete it"))
    return data, problems
