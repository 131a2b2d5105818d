"""Fetch the watched URLs: concurrently, with timeouts, retries, conditional requests and a disk cache.

Every failure comes back as a `Fetched` with an `error` sentence, never as an exception, so one
dead source never stops the others. Tests inject an `httpx.MockTransport`; the code path is the same.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

# Short connect timeout: with no network every source fails in seconds, not minutes.
TIMEOUT = httpx.Timeout(20.0, connect=3.0)
RETRIES = 2                       # tries = 1 + RETRIES
BACKOFF = 0.5                     # seconds, doubled at each retry
MAX_WAIT = 10.0                   # the longest Retry-After honoured; beyond it the source is rate limited
CONCURRENCY = 8
GITHUB_HOSTS = ("api.github.com", "raw.githubusercontent.com")
USER_AGENT = "windows-containers-kb-watch (+https://github.com/; make watch)"


@dataclass
class Fetched:
    url: str
    status: int = 0               # HTTP status of the answer used (200, also when a 304 revalidated the cache)
    text: str = ""
    revalidated: bool = False     # 304 Not Modified: the cached body is current
    error: str = ""               # why the source could not be read; empty on success
    tries: int = 0


def _cache_file(cache_dir: Path, url: str) -> Path:
    return cache_dir / (hashlib.sha256(url.encode("utf-8")).hexdigest()[:32] + ".json")


def _read_cache(path: Path) -> dict | None:
    try:
        entry = json.loads(path.read_text("utf-8"))
        return entry if isinstance(entry, dict) and isinstance(entry.get("text"), str) else None
    except (OSError, ValueError):
        return None


def _rate_limited(resp: httpx.Response) -> str:
    """GitHub's primary limit (403/429 with x-ratelimit-remaining: 0) or a secondary limit (Retry-After)."""
    if resp.status_code not in (403, 429):
        return ""
    remaining = resp.headers.get("x-ratelimit-remaining")
    reset = resp.headers.get("x-ratelimit-reset")
    if remaining == "0" and reset and reset.isdigit():
        when = time.strftime("%H:%M UTC", time.gmtime(int(reset)))
        return f"rate limited (HTTP {resp.status_code}, limit resets at {when}); set GITHUB_TOKEN for a higher limit"
    if resp.status_code == 429 or "retry-after" in resp.headers:
        return f"rate limited (HTTP {resp.status_code}, retry after {resp.headers.get('retry-after', '?')} s)"
    return ""


def _retry_after(resp: httpx.Response) -> float | None:
    value = resp.headers.get("retry-after", "")
    return float(value) if value.isdigit() else None


class Fetcher:
    def __init__(self, cache_dir: Path, *, transport: httpx.AsyncBaseTransport | None = None,
                 token: str | None = None, retries: int = RETRIES, backoff: float = BACKOFF,
                 timeout: httpx.Timeout = TIMEOUT):
        self.cache_dir = Path(cache_dir)
        self.transport = transport
        self.token = token if token is not None else os.environ.get("GITHUB_TOKEN", "")
        self.retries, self.backoff, self.timeout = retries, backoff, timeout

    def _headers(self, url: str, cached: dict | None) -> dict:
        headers = {"User-Agent": USER_AGENT}
        host = httpx.URL(url).host
        if host == "api.github.com":
            headers["Accept"] = "application/vnd.github+json"
            headers["X-GitHub-Api-Version"] = "2022-11-28"
        if self.token and host in GITHUB_HOSTS:
            headers["Authorization"] = f"Bearer {self.token}"
        if cached:
            if cached.get("etag"):
                headers["If-None-Match"] = cached["etag"]
            if cached.get("last_modified"):
                headers["If-Modified-Since"] = cached["last_modified"]
        return headers

    async def _get(self, client: httpx.AsyncClient, url: str, limit: asyncio.Semaphore) -> Fetched:
        path = _cache_file(self.cache_dir, url)
        cached = _read_cache(path)
        out = Fetched(url)
        for attempt in range(self.retries + 1):
            out.tries = attempt + 1
            wait = self.backoff * (2 ** attempt)
            try:
                async with limit:          # held per request, not during the back-off sleep
                    resp = await client.get(url, headers=self._headers(url, cached))
            except httpx.TimeoutException:
                out.error = f"timed out ({out.tries} tries)"
            except httpx.TransportError as exc:
                why = str(exc).strip().splitlines()[0][:80] if str(exc).strip() else type(exc).__name__
                out.error = f"connection failed: {why} ({out.tries} tries)"
            else:
                if resp.status_code == 304 and cached:
                    return Fetched(url, 200, cached["text"], revalidated=True, tries=out.tries)
                if resp.status_code == 200:
                    text = resp.text
                    self._store(path, url, resp, text)
                    return Fetched(url, 200, text, tries=out.tries)
                limited = _rate_limited(resp)
                after = _retry_after(resp)
                if limited and (after is None or after > MAX_WAIT or attempt == self.retries):
                    return Fetched(url, resp.status_code, error=limited, tries=out.tries)
                if resp.status_code < 500 and not limited:
                    # 404, 410, 401…: retrying will not help; the endpoint moved or needs access.
                    return Fetched(url, resp.status_code, error=f"HTTP {resp.status_code} {resp.reason_phrase}".strip(),
                                   tries=out.tries)
                out.status, out.error = resp.status_code, limited or f"HTTP {resp.status_code} {resp.reason_phrase}".strip()
                wait = max(wait, after or 0)
            if attempt < self.retries:
                await asyncio.sleep(wait)
        return out

    def _store(self, path: Path, url: str, resp: httpx.Response, text: str) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            entry = {"url": url, "etag": resp.headers.get("etag", ""),
                     "last_modified": resp.headers.get("last-modified", ""), "text": text}
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(entry, ensure_ascii=False), "utf-8")
            tmp.replace(path)
        except OSError:
            pass   # a read-only cache only costs the conditional request next time

    async def fetch_all(self, urls: list[str]) -> dict[str, Fetched]:
        limit = asyncio.Semaphore(CONCURRENCY)
        async with httpx.AsyncClient(transport=self.transport, timeout=self.timeout,
                                     follow_redirects=True) as client:
            done = await asyncio.gather(*(self._get(client, u, limit) for u in urls))
        return {f.url: f for f in done}


def fetch_all(urls: list[str], cache_dir: Path, **kwargs) -> dict[str, Fetched]:
    def run() -> dict[str, Fetched]:
        return asyncio.run(Fetcher(cache_dir, **kwargs).fetch_all(sorted(set(urls))))
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return run()
    # The caller already runs an event loop in this thread (Playwright's sync API does, for a whole
    # test session), and asyncio.run refuses to nest: give the fetch a thread of its own.
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()
