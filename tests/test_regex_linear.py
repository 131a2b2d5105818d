"""No regular expression of the build or the search worker backtracks into super-linear time.

Every pattern is found in the source itself (Python: string literals passed to re.compile,
re.sub, … in kbtools/, hooks/ and scripts/build.py; JavaScript: regex literals in
kbtools/search_worker.js), so a pattern added later is covered without editing this test. Each
runs over long adversarial strings (100,000 characters built from the pattern's own literals and
characters, the classic triggers of catastrophic backtracking: runs that a `\\s+` or `.*?` and the
next part both accept, unclosed openers). A linear pattern finishes all of them in seconds; one
quadratic pattern takes minutes on a single string (the directive pattern that took 37 s on
100 KB of spaces), so the subprocess timeout is generous and never a speed measurement.
"""
from __future__ import annotations

import ast
import json
import queue
import re
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PY_SOURCES = sorted([*(ROOT / "kbtools").rglob("*.py"), *(ROOT / "hooks").glob("*.py"), ROOT / "scripts" / "build.py"])
WORKER = ROOT / "kbtools" / "search_worker.js"
RE_FUNCS = {"compile", "sub", "subn", "match", "fullmatch", "search", "findall", "finditer", "split"}
N = 100_000
PER_PATTERN_S = 30   # generous: a linear pattern takes well under a second on all its inputs


ANCHORED = {"match", "fullmatch"}    # tried at one position only: a search elsewhere cannot happen


def _uses(tree: ast.AST) -> dict[str, set[str]]:
    """name -> the methods called on it (`PATTERN.fullmatch(…)`), to know how a compiled pattern is used."""
    out: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
            out.setdefault(node.func.value.id, set()).add(node.func.attr)
    return out


def python_patterns() -> list[tuple[str, str, int, bool]]:
    """(where, pattern, flags, anchored) of every constant pattern given to the re module; anchored
    when it is only ever matched at one position (re.match/fullmatch, or a compiled pattern whose
    every use is .match/.fullmatch), else it is tried at every position (search, sub, findall, …)."""
    found = []
    for path in PY_SOURCES:
        tree = ast.parse(path.read_text("utf-8"))
        uses = _uses(tree)
        names = {id(node.value): [t.id for t in node.targets if isinstance(t, ast.Name)]
                 for node in ast.walk(tree) if isinstance(node, ast.Assign)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RE_FUNCS
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                flags = 0
                for arg in [*node.args[1:], *(k.value for k in node.keywords)]:
                    if isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name) and arg.value.id == "re":
                        flags |= getattr(re, arg.attr, 0) if arg.attr in ("S", "M", "I", "DOTALL", "MULTILINE", "IGNORECASE") else 0
                if node.func.attr == "compile":
                    called = set().union(*(uses.get(n, set()) for n in names.get(id(node), []))) or {"search"}
                    anchored = called <= ANCHORED
                else:
                    anchored = node.func.attr in ANCHORED
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node.args[0].value, flags, anchored))
    return found


# A regex literal: after ( , = : ! & | ? { ; or return, a / not starting a comment, up to the closing /.
JS_REGEX = re.compile(r"(?:[(,=:!&|?{;]|\breturn)\s*/(?![/*])((?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\n\[])+)/([gimsuy]*)")


def js_patterns() -> list[tuple[str, str, str]]:
    text = WORKER.read_text("utf-8")
    code = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)   # drop comments
    out = []
    for m in JS_REGEX.finditer(code):
        line = code.count("\n", 0, m.start()) + 1
        out.append((f"{WORKER.relative_to(ROOT)}:{line}", m.group(1), m.group(2).replace("g", "")))
    return out


def attacks(pattern: str) -> list[str]:
    """Long strings aimed at this pattern: each character and each literal run it names, repeated;
    each run followed by a long tail of spaces, letters or itself (an opener that never closes);
    the pattern's runs in order, cut off after each one and followed by words separated by a long
    space, the shape that made the old directive pattern take 37 s (`<!-- kb:entity moby`, 100 KB
    of spaces, `x`)."""
    literal = re.sub(r"\[(?:\\.|[^\]\\])*\]|\\[sSdDwWbBAZ]|\{\d*,?\d*\}|\(\?[:=!]|\(\?<?[=!]|\(\?P<\w+>", "\0", pattern)
    ordered = [re.sub(r"\\(.)", r"\1", r) for r in re.findall(r"(?:\\.|[^\\()\[\]{}*+?|^$.\0])+", literal)]
    runs = {r for r in ordered if len(r) > 1} | {"<!--", "kb:", "<p>", "http://", "url(", "`", "```"}
    chars = set(re.sub(r"\\[sdwSDWbB]", "", pattern)) | set(" \t\n-_.,:;#<>/=\"'`[](){}a0가")
    out = [c * N for c in sorted(chars)]
    for run in sorted(runs):
        times = max(1, N // len(run))
        out += [run * times, run + " " * N, run + "a" * N, (run + " ") * (times // 2)]
    for i in range(len(ordered) + 1):
        start = "".join(ordered[:i])
        out += [start + "a a" + " " * N + "a", start + " " * N + "a", start + "a" * N + " ", start + "a " * (N // 2)]
    return out


SCRIPT_PY = textwrap.dedent("""
    import json, re, sys
    sys.path.insert(0, sys.argv[1])
    from test_regex_linear import attacks
    for where, pattern, flags, anchored in json.loads(sys.stdin.readline()):
        rx = re.compile(pattern, flags)
        for s in attacks(pattern):
            rx.match(s)
            rx.fullmatch(s)
            if not anchored:
                for _ in rx.finditer(s):
                    pass
        print(where, flush=True)
    print("done", flush=True)
""")

SCRIPT_JS = """
const rl = require('readline').createInterface({input: process.stdin});
rl.once('line', line => {
  for (const [where, pattern, flags, inputs] of JSON.parse(line)) {
    const rx = new RegExp(pattern, flags + 'g');
    for (const s of inputs) { s.replace(rx, ''); new RegExp(pattern, flags).test(s); }
    console.log(where);
  }
  console.log('done');
  process.exit(0);
});
"""


def run_each_within(cmd: list[str], cases: list, count: int) -> None:
    """Feed the cases to a child that prints a line after each pattern; fail naming the pattern that
    does not finish within PER_PATTERN_S."""
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x.strip()) for x in proc.stdout], daemon=True).start()
    proc.stdin.write(json.dumps(cases) + "\n")
    proc.stdin.flush()
    done = 0
    try:
        while True:
            try:
                line = lines.get(timeout=PER_PATTERN_S)
            except queue.Empty:
                stuck = cases[done][1]
                pytest.fail(f"{cases[done][0]}: /{stuck}/ ran over {PER_PATTERN_S} s on a long input "
                            "(catastrophic backtracking)", pytrace=False)
            if line == "done":
                break
            done += 1
    finally:
        proc.kill()
        proc.wait()
    assert done == count, proc.stderr.read()


def test_patterns_are_found():
    py = python_patterns()
    assert any("kb:" in p and not anchored for _, p, _, anchored in py), py
    assert any(anchored for *_, anchored in py) and len(py) > 20, py
    js = js_patterns()
    assert any(p == r"\s+" for _, p, _ in js) and len(js) >= 5, js


def test_python_patterns_are_linear():
    patterns = python_patterns()
    run_each_within([sys.executable, "-c", SCRIPT_PY, str(Path(__file__).parent)], patterns, len(patterns))


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_worker_patterns_are_linear():
    cases = [(where, pattern, flags, attacks(pattern)) for where, pattern, flags in js_patterns()]
    run_each_within(["node", "-e", SCRIPT_JS], cases, len(cases))
