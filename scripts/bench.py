#!/usr/bin/env python3
"""`make bench`: how fast the site builds and how light and quick it is for a reader.

Measures, prints a table and writes bench/results/latest.json (git-ignored):

- build: a cold build (a fresh process into an empty folder) and warm builds (fresh processes into
  the existing folder, median of --runs) of the whole bilingual site, as `make build` runs them;
- hook overhead: the warm build time divided by that of a copy of the project whose pages have
  every kb directive expanded into plain Markdown beforehand, built without the kb hooks;
- first-visit weight of every page: the HTML plus every stylesheet, script, icon and image it
  loads (and files those stylesheets load), each gzip -9, against a vanilla Material page built
  here with the same MkDocs and Material versions;
- the search index, gzip -9 (the worker fetches it when the search opens);
- time to search results in Debian's Chromium (tests/browser/searchbench.py: from the last key
  press to the last change of the result list).

Targets on a 2-core machine: warm build < 8 s, hook overhead < 1.5x, median page < 90 KB, no page
over 250 KB, search index < 200 KB gzip, search results < 300 ms (median). `--check` exits 1 when a
target is missed.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kbtools import engine  # noqa: E402
OUT = ROOT / "bench" / "results" / "latest.json"
IGNORE = shutil.ignore_patterns(".venv", "site", ".site-*", ".git", "dist", "__pycache__", ".pytest_cache", "bench")
from kbtools import budgets  # noqa: E402
from kbtools.budgets import gz as _gz, weights  # noqa: E402
ENV = engine.env({"PYTHONDONTWRITEBYTECODE": "1"})

TARGETS = {   # the size limits are those the build enforces (kbtools/budgets.py)
    "build_warm_s": ("<", 8.0),
    "hook_overhead": ("<", 1.5),
    "page_kb_median": ("<", budgets.PAGE_KB_MEDIAN),
    "page_kb_max": ("<", budgets.PAGE_KB_MAX),
    "search_index_kb_gzip": ("<", budgets.SEARCH_INDEX_KB_GZIP),
    "search_worker_kb_gzip": ("<", budgets.SEARCH_WORKER_KB_GZIP),
    "search_ms_median": ("<", 300.0),
    "wckb_lint_s": ("<", 0.3),
    "id_map_kb_gzip": ("<", 10.0),      # assets/js/kb-ids.js, loaded when an old #id is followed
    # tests/search_queries.yaml: the expected page first (top-1) or in the first three (top-3)
    **{f"search_{lang}_{m}": (">=", limit) for lang in ("ko", "en") for m, limit in (("top1", 0.80), ("top3", 0.95))},
}


def id_map_file(site: Path) -> Path:
    from kbtools.shortlinks import ID_MAP
    return site / ID_MAP


# --- builds ----------------------------------------------------------------------------------

def mkdocs_build(project: Path, dest: Path, strict: bool = True) -> float:
    cmd = engine.build_command(dest, project=project, strict=strict)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=project, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"build of {project} failed:\n{result.stdout}\n{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def build_times(project: Path, dest: Path, runs: int, strict: bool = True) -> dict:
    """Wall-clock seconds (the target) and CPU seconds (steadier on a busy machine)."""
    if dest.exists():
        shutil.rmtree(dest)
    cold, cold_cpu = mkdocs_build(project, dest, strict)
    warm = [mkdocs_build(project, dest, strict) for _ in range(runs)]
    return {"cold_s": round(cold, 2), "cold_cpu_s": round(cold_cpu, 2),
            "warm_s": round(statistics.median(w for w, _ in warm), 2),
            "warm_cpu_s": round(statistics.median(c for _, c in warm), 2),
            "warm_runs_s": [round(w, 2) for w, _ in warm]}


def plain_project(dest: Path) -> Path:
    """A copy of the project whose pages carry the kb content as plain Markdown, without the hooks."""
    from kbtools.prepost import prebuild
    shutil.copytree(ROOT, dest, ignore=IGNORE)
    prebuild(ROOT / "docs", dest / "docs")
    config = (dest / "mkdocs.yml").read_text("utf-8")
    config, n = re.subn(r"(?m)^hooks:\n(?:[ \t]+-.*\n)+", "", config)
    if n != 1:
        raise SystemExit("bench: could not remove the hooks: block from mkdocs.yml")
    (dest / "mkdocs.yml").write_text(config, "utf-8")
    return dest


VANILLA_YML = "site_name: Vanilla\ntheme:\n  name: material\nplugins:\n  - search\n"
VANILLA_MD = "# Vanilla\n\nA plain page of the default Material theme, for comparison.\n\n## Section\n\nMore text.\n"


def vanilla_site(work: Path) -> Path:
    project = work / "vanilla"
    (project / "docs").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(VANILLA_YML, "utf-8")
    (project / "docs" / "index.md").write_text(VANILLA_MD, "utf-8")
    mkdocs_build(project, project / "site", strict=False)
    return project / "site"


# --- page weight -----------------------------------------------------------------------------

def heaviest_page(pages: list[dict]) -> str:
    return max(pages, key=lambda p: p["bytes"])["page"]


def first_visits(site: Path, pages: list[str]) -> dict:
    """What Chromium actually fetches on a first visit (page load plus one idle second, over HTTP):
    the static count above plus whatever scripts fetch by themselves, gzip -9 each."""
    if not Path("/usr/bin/chromium").exists():
        return {"skipped": "Debian's chromium is not installed"}
    import functools
    import http.server
    import threading
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    cache: dict = {}
    out = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                         args=["--headless=new", "--no-sandbox", "--disable-gpu"])
            for rel in pages:
                context = browser.new_context()
                page = context.new_page()
                urls: list[str] = []
                page.on("request", lambda r: urls.append(r.url))
                page.goto(base + rel, wait_until="networkidle")
                page.wait_for_timeout(1000)
                context.close()
                local = sorted({urlsplit(u).path for u in urls if u.startswith(base)})
                files = [site / p.lstrip("/") for p in local]
                files = [f for f in files if f.is_file()]
                out[rel] = {"kb": kb_(sum(_gz(f, cache) for f in files)), "requests": len(urls),
                            "external": sorted({u for u in urls if not u.startswith(base) and not u.startswith("data:")}),
                            "files": [f.relative_to(site).as_posix() for f in files]}
            browser.close()
    finally:
        server.shutdown()
    return out


# --- search ----------------------------------------------------------------------------------

def search_index(site: Path) -> dict:
    out = {}
    for name in ("search_index.json", "search_index.js"):
        path = site / "search" / name
        if path.exists():
            out[name] = {"bytes": path.stat().st_size, "gzip_bytes": len(gzip.compress(path.read_bytes(), 9, mtime=0))}
    return out


def search_speed(site: Path) -> dict:
    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    try:
        from searchbench import bench
    except ImportError as exc:
        return {"skipped": f"tests/browser/searchbench.py not importable: {exc}"}
    if not Path("/usr/bin/chromium").exists():
        return {"skipped": "Debian's chromium is not installed"}
    result = bench(site)
    return {k: result[k] for k in ("queries", "korean_queries", "top1", "top3", "mrr", "by_language", "hit_rate",
                                   "latency_ms", "first_query_ms", "misses") if k in result}


# --- test suite ------------------------------------------------------------------------------

def suite_times() -> dict:
    """The whole suite's wall time, and the time of each test file (setup of shared fixtures such as
    the one site build and the browser is charged to the first file that asks for them)."""
    import xml.etree.ElementTree as ET
    with tempfile.TemporaryDirectory(prefix="kb-suite-") as tmp:
        report = Path(tmp) / "junit.xml"
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                 f"--junitxml={report}"], cwd=ROOT, env=ENV, capture_output=True, text=True)
        wall = time.perf_counter() - start
        if not report.exists():
            return {"skipped": f"pytest wrote no report (exit {result.returncode})"}
        by_file: dict[str, float] = {}
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for case in ET.parse(report).iter("testcase"):
            name = (case.get("file") or case.get("classname", "").replace(".", "/") + ".py")
            by_file[name] = by_file.get(name, 0.0) + float(case.get("time") or 0)
            counts["tests"] += 1
            for tag, key in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
                if case.find(tag) is not None:
                    counts[key] += 1
    files = dict(sorted(((k, round(v, 1)) for k, v in by_file.items()), key=lambda kv: -kv[1]))
    return {"wall_s": round(wall, 1), "exit": result.returncode, **counts, "files_s": files}


# --- report ----------------------------------------------------------------------------------

def wckb_lint_times(runs: int = 9) -> dict:
    """One `wckb lint` per real Dockerfile, start-up included, from the data file the wheel carries."""
    from kbtools.wckb import data
    subprocess.run([sys.executable, "-m", "kbtools.wckb.export", str(data.PACKAGED)], cwd=ROOT, check=True, env=ENV)
    out = {}
    for path in sorted((ROOT / "tests" / "fixtures" / "dockerfiles").rglob("*")):
        if not path.is_file():
            continue
        walls, cpus = [], []
        for _ in range(runs):
            r0, t = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
            subprocess.run([sys.executable, "-m", "kbtools.wckb", "lint", str(path), "--host", "ws2022"],
                           cwd=ROOT, capture_output=True, env={**ENV, "PYTHONDONTWRITEBYTECODE": ""})
            walls.append(time.perf_counter() - t)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
        out[path.relative_to(ROOT).as_posix()] = {"wall_s": round(statistics.median(walls), 3),
                                                  "cpu_s": round(statistics.median(cpus), 3)}
    return out


kb_ = budgets.kb_


def verdict(key: str, value) -> str:
    if key not in TARGETS or value is None:
        return ""
    op, limit = TARGETS[key]
    ok = {"<": value < limit, ">": value > limit, ">=": value >= limit}[op]
    return f"{'✓' if ok else '✗'} (target {op} {limit:g})"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="build time, hook overhead, page weight, search size and speed")
    parser.add_argument("--runs", type=int, default=3, help="warm builds to take the median of (default 3)")
    parser.add_argument("--no-search", action="store_true", help="skip the browser measurement")
    parser.add_argument("--no-suite", action="store_true", help="skip timing the test suite (about 4 minutes)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        work = Path(tmp)
        print("building the site (cold, then warm) …", file=sys.stderr)
        full = build_times(ROOT, work / "site", args.runs)
        print("building the same Markdown without the kb hooks …", file=sys.stderr)
        plain = build_times(plain_project(work / "plain"), work / "plain-site", args.runs, strict=False)
        site = work / "site"
        pages = weights(site)
        vanilla_dir = vanilla_site(work)
        vanilla = next(p for p in weights(vanilla_dir) if p["page"] == "index.html")
        print("loading pages in Chromium …", file=sys.stderr)
        browser_visits = first_visits(site, ["index.html", "en/index.html", heaviest_page(pages)])
        if "skipped" not in browser_visits:
            browser_visits["vanilla Material index.html"] = first_visits(vanilla_dir, ["index.html"])["index.html"]
        index = search_index(site)
        id_map = {"bytes": id_map_file(site).stat().st_size, "gzip_bytes": _gz(id_map_file(site), {})}
        worker_gz = _gz(site / budgets.WORKER) if (site / budgets.WORKER).exists() else None
        print("measuring search in Chromium …", file=sys.stderr)
        search = {"skipped": "--no-search"} if args.no_search else search_speed(site)
    print("timing wckb lint on the real Dockerfiles …", file=sys.stderr)
    lint = wckb_lint_times()
    if args.no_suite:
        suite = {"skipped": "--no-suite"}
    else:
        print("running the test suite (make test) to time it by file …", file=sys.stderr)
        suite = suite_times()

    sizes = sorted(p["bytes"] for p in pages)
    heaviest = max(pages, key=lambda p: p["bytes"])
    figures = {
        "build_cold_s": full["cold_s"],
        "build_warm_s": full["warm_s"],
        "build_cold_cpu_s": full["cold_cpu_s"],
        "build_warm_cpu_s": full["warm_cpu_s"],
        "plain_build_warm_cpu_s": plain["warm_cpu_s"],
        "hook_overhead_cpu": round(full["warm_cpu_s"] / plain["warm_cpu_s"], 2),
        "plain_build_warm_s": plain["warm_s"],
        "hook_overhead": round(full["warm_s"] / plain["warm_s"], 2),
        "pages": len(pages),
        "page_kb_median": kb_(statistics.median(sizes)),
        "page_kb_max": kb_(sizes[-1]),
        "page_max": heaviest["page"],
        "vanilla_material_page_kb": kb_(vanilla["bytes"]),
        "search_index_kb_gzip": kb_(index.get("search_index.json", {}).get("gzip_bytes", 0)),
        "search_index_js_kb_gzip": kb_(index.get("search_index.js", {}).get("gzip_bytes", 0)),
        "id_map_kb_gzip": kb_(id_map["gzip_bytes"]),
        "id_map_kb": kb_(id_map["bytes"]),
        "search_worker_kb_gzip": kb_(worker_gz) if worker_gz is not None else None,
        "search_ms_median": (search.get("latency_ms") or {}).get("median"),
        "search_ms_p95": (search.get("latency_ms") or {}).get("p95"),
        "search_top3": search.get("top3"),
        **{f"search_{lang}_{m}": (search.get("by_language") or {}).get(lang, {}).get(m)
           for lang in ("ko", "en") for m in ("top1", "top3", "mrr")},
        "suite_wall_s": suite.get("wall_s"),
        "wckb_lint_s": max(v["wall_s"] for v in lint.values()),
        "wckb_lint_cpu_s": max(v["cpu_s"] for v in lint.values()),
        "external_requests": sorted({e for p in pages for e in p["external"]}),
        "missing_assets": sorted({f"{p['page']}: {m}" for p in pages for m in p["missing"]}),
    }
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "targets": {k: f"{op} {v:g}" for k, (op, v) in TARGETS.items()},
        "figures": figures,
        "build": {"full": full, "plain": plain},
        "vanilla_material_page": vanilla,
        "search_index": index,
        "first_visit_in_chromium": browser_visits,
        "search": search,
        "suite": suite,
        "wckb_lint": lint,
        "pages": pages,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", "utf-8")

    rows = [
        ("cold build (whole bilingual site), wall", f"{full['cold_s']:.2f} s", ""),
        ("cold build, CPU", f"{full['cold_cpu_s']:.2f} s", ""),
        (f"warm build (median of {args.runs}), wall", f"{full['warm_s']:.2f} s", verdict("build_warm_s", full["warm_s"])),
        ("warm build, CPU", f"{full['warm_cpu_s']:.2f} s", ""),
        ("same Markdown without kb hooks (warm), wall", f"{plain['warm_s']:.2f} s", ""),
        ("same Markdown without kb hooks (warm), CPU", f"{plain['warm_cpu_s']:.2f} s", ""),
        ("hook overhead (wall)", f"{figures['hook_overhead']:.2f}x", verdict("hook_overhead", figures["hook_overhead"])),
        ("hook overhead (CPU)", f"{figures['hook_overhead_cpu']:.2f}x", ""),
        (f"first-visit weight, median of {len(pages)} pages", f"{figures['page_kb_median']} KB",
         verdict("page_kb_median", figures["page_kb_median"])),
        (f"heaviest page ({heaviest['page']})", f"{figures['page_kb_max']} KB", verdict("page_kb_max", figures["page_kb_max"])),
        ("vanilla Material page (same versions)", f"{figures['vanilla_material_page_kb']} KB", ""),
        ("search index (search_index.json, gzip)", f"{figures['search_index_kb_gzip']} KB",
         verdict("search_index_kb_gzip", figures["search_index_kb_gzip"])),
        ("offline search index (search_index.js, gzip)", f"{figures['search_index_js_kb_gzip']} KB", ""),
        ("search worker (kb-search.js, gzip)", f"{figures['search_worker_kb_gzip']} KB",
         verdict("search_worker_kb_gzip", figures["search_worker_kb_gzip"])),
        (f"wckb lint, one Dockerfile with start-up, slowest of {len(lint)}, wall", f"{figures['wckb_lint_s']:.3f} s",
         verdict("wckb_lint_s", figures["wckb_lint_s"])),
        ("wckb lint, one Dockerfile with start-up, CPU", f"{figures['wckb_lint_cpu_s']:.3f} s", ""),
        ("id map of old and moved ids (kb-ids.js), raw / gzip", f"{figures['id_map_kb']} KB / {figures['id_map_kb_gzip']} KB",
         verdict("id_map_kb_gzip", figures["id_map_kb_gzip"])),
    ]
    if "skipped" in search:
        rows.append(("time to search results", "skipped", search["skipped"]))
    else:
        rows += [(f"time to search results, median of {search['queries']} queries", f"{figures['search_ms_median']} ms",
                  verdict("search_ms_median", figures["search_ms_median"])),
                 ("time to search results, p95", f"{figures['search_ms_p95']} ms", ""),
                 ("time to first results (index built on the first query)",
                  ", ".join(f"{ms:g}" for ms in search.get("first_query_ms", [])) + " ms", "")]
        for lang, name in (("ko", "Korean"), ("en", "English")):
            got = search.get("by_language", {}).get(lang)
            if got:
                rows += [(f"search, {name} ({got['queries']} queries): top-1", f"{got['top1']:.1%}",
                          verdict(f"search_{lang}_top1", got["top1"])),
                         (f"search, {name}: top-3", f"{got['top3']:.1%}", verdict(f"search_{lang}_top3", got["top3"])),
                         (f"search, {name}: mean reciprocal rank", f"{got['mrr']:.3f}", "")]
        if search.get("misses"):
            rows.append(("search misses (see bench/results: search.misses)", str(len(search["misses"])), ""))
    if "skipped" not in browser_visits:
        for rel, v in browser_visits.items():
            rows.append((f"first visit in Chromium: {rel} ({len(v['files'])} files)", f"{v['kb']} KB", ""))
    rows.append(("requests to other hosts", str(len(figures["external_requests"])
                                                + sum(len(v.get("external", [])) for k, v in browser_visits.items()
                                                      if isinstance(v, dict) and not k.startswith("vanilla"))),
                 "vanilla Material asks Google Fonts; this site asks no one"))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':{width}}  {'value':>10}  target")
    for name, value, mark in rows:
        print(f"{name:{width}}  {value:>10}  {mark}")
    print(f"\n{'page':32} {'KB':>6} {'html':>6} {'css':>6} {'js':>6} {'other':>6} requests")
    for p in pages:
        print(f"{p['page']:32} {kb_(p['bytes']):6} {kb_(p['html_bytes']):6} {kb_(p['css_bytes']):6} "
              f"{kb_(p['js_bytes']):6} {kb_(p['other_bytes']):6} {p['requests']}")
    if "skipped" not in suite:
        print(f"\ntest suite ({engine.name()}): {suite['tests']} tests, {suite['failures']} failed, {suite['errors']} errors, "
              f"{suite['skipped']} skipped, {suite['wall_s']} s wall; by file:")
        for name, secs in suite["files_s"].items():
            print(f"  {secs:7.1f} s  {name}")
    print(f"\nwrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    missed = [k for k in TARGETS if figures.get(k) is not None and verdict(k, figures[k]).startswith("✗")]
    if missed:
        print("targets missed: " + ", ".join(missed))
    return 1 if (args.check and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
