"""The kb as a plain pre-build and post-build step, for a docs engine without MkDocs hooks.

With hooks (MkDocs, ProperDocs), hooks/kb.py calls kbtools.site per page and once after the build.
An engine without hooks (Zensical today, see README "Leaving Material") gets the same output from:

    python -m kbtools.prepost pre  docs/ build/docs/   # every page's directives expanded to Markdown
    <engine> build                                      # builds build/docs/ into site/
    python -m kbtools.prepost post site/ [--site-url U] # API, figures, redirects, search worker

Both steps call the two engine-neutral entry points, `site.render_page` and `site.finish`.
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from . import site

ROOT = Path(__file__).resolve().parent.parent


def _render_all(docs: Path, kb_root: Path):
    """Render every language page once, as a hooked build would (placements recorded), in build order."""
    if (unsafe := site.docs_problems(docs)):   # a link out of docs/ would be read (and copied) from anywhere
        raise site.BuildStop(unsafe)
    site.load_checked(kb_root)
    site.begin()
    for md, uri, lang in site.language_pages(docs):
        yield uri, site.render_page(md.read_text("utf-8"), uri, lang)


def prebuild(docs: Path, out: Path, kb_root: Path = ROOT / "kb") -> list[Path]:
    """Copy `docs` to `out` with every language page's directives expanded; returns the pages written."""
    pages = dict(_render_all(docs, kb_root))
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(docs, out)
    for uri, markdown in pages.items():
        (out / uri).write_text(markdown, "utf-8")
    return [out / uri for uri in pages]


def postbuild(site_dir: Path, docs: Path, site_url: str | None = None, kb_root: Path = ROOT / "kb") -> None:
    """Finish a site built from pre-expanded pages: placements are taken again from `docs` (the pages
    are rendered, not written), so the placed-nowhere check and everything `site.finish` writes match a
    hooked build."""
    for _ in _render_all(docs, kb_root):
        pass
    site.finish(site_dir, site_url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kbtools.prepost", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="step", required=True)
    pre = sub.add_parser("pre", help="expand the directives of every page into a copy of docs/")
    pre.add_argument("docs", type=Path)
    pre.add_argument("out", type=Path)
    post = sub.add_parser("post", help="write the API, figures, redirects and search worker into a built site")
    post.add_argument("site", type=Path)
    post.add_argument("--docs", type=Path, default=ROOT / "docs")
    post.add_argument("--site-url", default=None)
    args = parser.parse_args(argv)
    from .urls import site_url_problem
    if args.step == "post" and (problem := site_url_problem(args.site_url)):
        print(f"--site-url {args.site_url!r}: {problem}; expected https://host/sub-path/", file=sys.stderr)
        return 1
    try:
        if args.step == "pre":
            print(f"expanded {len(prebuild(args.docs, args.out))} pages into {args.out}")
        else:
            postbuild(args.site, args.docs, args.site_url)
            print(f"finished {args.site}")
    except site.BuildStop as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
