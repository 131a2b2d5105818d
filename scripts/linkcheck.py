#!/usr/bin/env python3
"""Check the external URLs of the source registry (kb/sources/*.yaml). On demand, not in CI.

    make linkcheck                      # every source, 8 at a time
    .venv/bin/python scripts/linkcheck.py --only ms-containers-faq --timeout 5

Prints one row per URL (status, time, source id, URL and what went wrong) and exits 1 if any URL
failed. Without network every row says why the connection failed; nothing raises. Sites that
refuse robots (401/403/429) are listed as `blocked` and only fail with --strict.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import socket
import ssl
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kbtools import yamlio  # noqa: E402

AGENT = "Mozilla/5.0 (compatible; windows-containers-kb-linkcheck/1.0; +https://github.com/)"
BLOCKED = {401, 403, 429}


def sources(kb: Path) -> list[tuple[str, str]]:
    """(id, url) of every source with a URL; read leniently so a broken kb still gets its links checked."""
    out = []
    for path in sorted((kb / "sources").glob("*.yaml")):
        doc, _ = yamlio.read(path, path.name)
        if isinstance(doc, dict) and isinstance(doc.get("url"), str):
            out.append((str(doc.get("id", path.stem)), doc["url"]))
    return out


def _request(url: str, method: str, timeout: float):
    req = urllib.request.Request(url, method=method, headers={"User-Agent": AGENT, "Accept": "*/*"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:   # noqa: S310 - http(s) from our own registry
        return resp.status, resp.geturl()


def check(url: str, timeout: float) -> dict:
    start = time.monotonic()
    row = {"url": url, "status": "", "result": "", "note": ""}
    try:
        try:
            code, final = _request(url, "HEAD", timeout)
        except urllib.error.HTTPError as exc:
            if exc.code not in (400, 403, 404, 405, 501):
                raise
            code, final = _request(url, "GET", timeout)   # some servers refuse HEAD only
        row.update(status=str(code), result="ok")
        if final.rstrip("/") != url.rstrip("/"):
            row["note"] = f"redirects to {final}"
    except urllib.error.HTTPError as exc:
        row.update(status=str(exc.code), result="blocked" if exc.code in BLOCKED else "failed",
                   note=str(exc.reason)[:60])
    except urllib.error.URLError as exc:
        reason = exc.reason
        row.update(status="-", result="failed", note=f"connection error: {reason}"[:90])
    except (socket.timeout, TimeoutError):
        row.update(status="-", result="failed", note=f"timed out after {timeout:g} s")
    except (ssl.SSLError, ConnectionError, OSError, ValueError) as exc:
        row.update(status="-", result="failed", note=f"{type(exc).__name__}: {exc}"[:90])
    row["seconds"] = round(time.monotonic() - start, 2)
    return row


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kb", type=Path, default=ROOT / "kb")
    parser.add_argument("--only", nargs="*", help="source ids to check")
    parser.add_argument("--timeout", type=float, default=15.0)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--strict", action="store_true", help="count blocked (401/403/429) as failures")
    args = parser.parse_args(argv)

    todo = [(sid, url) for sid, url in sources(args.kb) if not args.only or sid in args.only]
    if not todo:
        print("no source URLs to check")
        return 0
    with cf.ThreadPoolExecutor(max_workers=args.workers) as pool:
        rows = list(pool.map(lambda su: {"id": su[0], **check(su[1], args.timeout)}, todo))

    width = max(len(r["id"]) for r in rows)
    print(f"{'result':8} {'status':6} {'secs':>5}  {'source':{width}}  url")
    for r in sorted(rows, key=lambda r: (r["result"] == "ok", r["id"])):
        print(f"{r['result']:8} {r['status']:6} {r['seconds']:5.1f}  {r['id']:{width}}  {r['url']}")
        if r["note"]:
            print(f"{'':23}{'':{width}}  ↳ {r['note']}")
    bad = [r for r in rows if r["result"] == "failed" or (args.strict and r["result"] == "blocked")]
    blocked = sum(r["result"] == "blocked" for r in rows)
    print(f"\n{len(rows)} URLs: {sum(r['result'] == 'ok' for r in rows)} ok, {blocked} blocked, "
          f"{sum(r['result'] == 'failed' for r in rows)} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
