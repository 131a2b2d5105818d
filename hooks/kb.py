"""MkDocs hooks: a thin bridge to kbtools (plain Python, usable without MkDocs).

- on_config: load and check kb/ once per build; a bad kb stops the build with the full report.
- on_page_markdown: expand <!-- kb:… --> directives in the page's language.
- on_post_page: localized heading-link titles, absolute hreflang, labels of the copy menu.
- on_post_build: publish api/v1/*.json once, after the last language build, the redirect
  pages of moved pages (kb/published.txt), the short links f/<id>.html, the id map, the Atom
  feeds and the 404 page (kbtools/site.py finish); facts placed nowhere and sizes over budget stop it.

Every contributor mistake arrives as site.BuildStop and leaves as PluginError, which MkDocs prints
as the report alone, without a traceback.
"""
from __future__ import annotations

import calendar
import datetime
import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kbtools import site  # noqa: E402


_EPOCH: dict = {"ours": None}


def _reproducible(as_of: str) -> None:
    """Every date MkDocs writes (sitemap lastmod, the gzip header, build_date_utc) comes from the kb's
    own date (the latest `verified`), never the clock, so two builds of one commit are identical.
    A SOURCE_DATE_EPOCH given by the caller wins."""
    if os.environ.get("SOURCE_DATE_EPOCH") in (None, _EPOCH["ours"]):
        epoch = calendar.timegm(datetime.date.fromisoformat(as_of).timetuple())
        _EPOCH["ours"] = os.environ["SOURCE_DATE_EPOCH"] = str(epoch)


def nested_language_build(config) -> bool:
    """True while mkdocs-static-i18n runs its build of the other language inside ours.

    The one private coupling to the plugin: it sets `building` on itself around those nested builds
    (mkdocs_static_i18n/plugin.py, on_post_build). tests/test_engines.py fails if it stops doing so.
    """
    return bool(getattr(config.plugins.get("i18n"), "building", False))


def on_config(config):
    if not nested_language_build(config):
        site.begin()   # a new top-level build (also each `serve` rebuild): forget old placements
    from kbtools.urls import site_url_problem
    if (problem := site_url_problem(config.site_url)):
        raise PluginError(f"SITE_URL {config.site_url!r}: {problem}; expected https://host/sub-path/")
    try:
        if (unsafe := site.docs_problems(Path(config.docs_dir))):   # before MkDocs reads a file of docs/
            raise site.BuildStop(unsafe)
        kb = site.load_checked(ROOT / "kb")
    except site.BuildStop as exc:
        raise PluginError(str(exc)) from None
    _reproducible(kb.as_of)
    return config


def on_page_markdown(markdown, page, config, files):
    try:
        return site.render_page(markdown, page.file.src_uri, config.theme["language"])
    except site.BuildStop as exc:
        raise PluginError(str(exc)) from None


def on_post_page(output, page, config):
    return site.post_page(output, config.theme["language"], page.canonical_url)


@event_priority(-110)   # after the i18n plugin has run its nested build of the other language
def on_post_build(config):
    if nested_language_build(config):
        return
    try:
        site.finish(Path(config.site_dir), config.site_url)
    except site.BuildStop as exc:
        raise PluginError(str(exc)) from None
