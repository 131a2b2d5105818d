"""The URL contract: where a fact lives, identical in shape for the web, a sub-path and the zip.

Korean (the default language) is at the site root, English under en/. Pages are flat
`<topic>.html` files, so a link between pages of one language is always `<topic>.html#<id>`.
"""
from __future__ import annotations

import re

LANG_PREFIX = {"ko": "", "en": "en/"}


def page_path(topic: str, lang: str) -> str:
    return f"{LANG_PREFIX[lang]}{topic}.html"


def fact_url(fact, lang: str) -> str:
    return f"{page_path(fact.topic, lang)}#{fact.id}"


def relative(topic: str, anchor: str, current_topic: str | None) -> str:
    """A link from a page of one language to an anchor on a page of the same language."""
    if topic == current_topic:
        return f"#{anchor}"
    return f"{topic}.html#{anchor}"


# ---------------------------------------------------------------------------- absolute URLs from kb/

# Characters RFC 3986 never allows unescaped, which are also Markdown or HTML syntax: with them a URL
# could spell a link, an image, a code span or a tag wherever it is shown as text.
_NOT_IN_URL = set('<>"`{}|\\^[]')


def _refused_char(url: str) -> str | None:
    from .characters import refused   # C0/C1 controls, bidi, zero-width (one definition)
    for ch in url:
        if ch.isspace() or ch in _NOT_IN_URL or refused(ch):
            return ch
    return None


def url_problem(url, schemes: tuple[str, ...] = ("https",)) -> str | None:
    """What is wrong with an absolute URL taken from kb/ or the environment, or None.

    Parsed with urllib.parse: the scheme must be one of `schemes`, the host a plain ASCII name,
    with no user-info (credentials would be published), no whitespace and no Markdown/HTML syntax.
    """
    from urllib.parse import urlsplit
    if not isinstance(url, str) or not url:
        return "not a URL"
    bad = _refused_char(url)
    if bad is not None:
        return f"contains {'whitespace' if bad.isspace() else 'the character'} {bad!r} (U+{ord(bad):04X})"
    try:
        parts = urlsplit(url)
        parts.port   # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        return f"does not parse as a URL ({exc})"
    if parts.scheme.lower() not in schemes:
        return f"scheme '{parts.scheme or '(none)'}' is not allowed (only {', '.join(schemes)})"
    if "@" in parts.netloc:
        return "contains user-info (user:password@) that would be published"
    if not parts.hostname or not parts.hostname.isascii() or not re.fullmatch(r"[a-z0-9.-]+", parts.hostname):
        return f"host '{parts.hostname or ''}' is not a plain DNS name (write an IDN host in punycode)"
    return None


def site_url_problem(site_url) -> str | None:
    """What is wrong with SITE_URL (MkDocs' site_url), or None. It is written into every page's
    canonical and hreflang links, the sitemap, redirect pages and the API, so it is checked once
    here like a kb URL (http allowed: an internal wiki host may have no certificate)."""
    if not site_url:
        return None
    return url_problem(site_url, ("https", "http"))
