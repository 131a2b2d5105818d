"""Image references as Docker reads them: [registry/]path[:tag][@digest].

The grammar is the one of github.com/distribution/reference (the package Docker uses): path
components are lower-case, a tag is at most 128 word characters, dots and dashes, a digest is
`algorithm:hex`. The first component is a registry only if it has a dot or a port or is localhost.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_COMPONENT = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")
_DOMAIN = re.compile(r"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
                     r"|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$")
_TAG = re.compile(r"^[\w][\w.-]{0,127}$")
_DIGEST = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$")


class BadReference(ValueError):
    pass


@dataclass(frozen=True)
class Ref:
    domain: str            # docker.io when none is given
    path: str              # library/alpine, windows/servercore
    tag: str | None
    digest: str | None
    text: str              # as written

    @property
    def repository(self) -> str:
        return f"{self.domain}/{self.path}"


def parse(text: str) -> Ref:
    s = text.strip()
    if not s or any(c.isspace() for c in s):
        raise BadReference(text)
    name, digest = (s.split("@", 1) + [None])[:2] if "@" in s else (s, None)
    if digest is not None and not _DIGEST.match(digest):
        raise BadReference(text)
    tag = None
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        name, tag = name[:colon], name[colon + 1:]
        if not _TAG.match(tag):
            raise BadReference(text)
    first, _, rest = name.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        if not _DOMAIN.match(first):
            raise BadReference(text)
        domain, path = first.lower(), rest
    else:
        domain, path = "docker.io", name
    if not all(_COMPONENT.match(c) for c in path.split("/")):
        raise BadReference(text)
    if domain == "docker.io" and "/" not in path:
        path = f"library/{path}"
    return Ref(domain, path, tag, digest, s)
