"""The URL contract: where a fact lives, identical in shape for the web, a sub-path and the zip.

Korean (the default language) is at the site root, English under en/. Pages are flat
`<topic>.html` files, so a link between pages of one language is always `<topic>.html#<id>`.
"""
from __future__ import annotations

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
