"""The `FROM` lines of a Dockerfile, as BuildKit reads them.

Parser directives (`# escape=`) only count before any other line; a line ending in the escape
character continues on the next; comment lines inside a continued instruction are dropped. Global
`ARG`s (before the first `FROM`) and `--build-arg` values are substituted into `FROM`
(`$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME:+alt}`); a `FROM` naming an earlier stage refers
to that stage, not to an image.
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

_DIRECTIVE = re.compile(r"^#\s*([A-Za-z]+)\s*=\s*(.*?)\s*$")
_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")


@dataclass
class From:
    line: int                  # first physical line, 1-based
    raw: str                   # the instruction's arguments as written
    image: str | None          # after substitution; None when an ARG has no value
    stage: str | None          # AS name
    platform: str | None
    stage_ref: bool = False    # names an earlier stage
    missing: list = field(default_factory=list)   # ARG names without a value


def _logical_lines(text: str):
    lines = text.split("\n")
    escape = "\\"
    start = 0
    for i, line in enumerate(lines):   # parser directives: only at the very top
        m = _DIRECTIVE.match(line.strip())
        if not m:
            break
        if m.group(1).lower() == "escape" and m.group(2) in ("`", "\\"):
            escape = m.group(2)
        start = i + 1
    buf, first = [], None
    for i in range(start, len(lines)):
        line = lines[i].rstrip("\r")
        stripped = line.strip()
        if not buf and (not stripped or stripped.startswith("#")):
            continue
        if buf and (stripped.startswith("#") or not stripped):
            continue   # comments and empty lines inside a continued instruction
        if first is None:
            first = i + 1
        body = line.rstrip()
        if body.endswith(escape):
            buf.append(body[:-1])
            continue
        buf.append(body)
        yield first, " ".join(part.strip() for part in buf)
        buf, first = [], None
    if buf:
        yield first, " ".join(part.strip() for part in buf)


def _substitute(text: str, env: dict[str, str | None]) -> tuple[str, list[str]]:
    missing = []

    def sub(m):
        name = m.group(1) or m.group(4)
        op, word = m.group(2), m.group(3)
        value = env.get(name)
        if op in (":-", "-"):
            return value if value else (word or "")
        if op in (":+", "+"):
            return (word or "") if value else ""
        if value is None:
            missing.append(name)
            return ""
        return value
    return _VAR.sub(sub, text), missing


def _arg_pairs(args: str):
    try:
        words = shlex.split(args, posix=True)
    except ValueError:
        words = args.split()
    for w in words:
        name, eq, value = w.partition("=")
        yield name, (value if eq else None)


def froms(text: str, build_args: dict[str, str] | None = None) -> list[From]:
    build_args = build_args or {}
    env: dict[str, str | None] = {}
    stages: set[str] = set()
    out: list[From] = []
    for line, logical in _logical_lines(text):
        word, _, args = logical.partition(" ")
        instr = word.upper()
        if instr == "ARG" and not out:
            for name, default in _arg_pairs(args):
                env[name] = build_args.get(name, default)
        elif instr == "FROM":
            parts = args.split()
            platform = None
            while parts and parts[0].startswith("--"):
                flag = parts.pop(0)
                if flag.lower().startswith("--platform="):
                    platform = flag.split("=", 1)[1]
            stage = None
            if len(parts) >= 3 and parts[-2].lower() == "as":
                stage = parts[-1]
                parts = parts[:-2]
            image_text = parts[0] if parts else ""
            image, missing = _substitute(image_text, env)
            if platform:
                platform, _ = _substitute(platform, {**env, "BUILDPLATFORM": None, "TARGETPLATFORM": None})
            f = From(line, args, None if missing else image, stage, platform or None, missing=missing)
            if f.image and f.image.lower() in stages:
                f.stage_ref = True
            if stage:
                stages.add(stage.lower())
            out.append(f)
    return out
