"""The 404 page (404.html at the site root): bilingual, self-contained, and it sends readers on.

Web servers answer every missing path with this one file, at any depth (/a/b/c.html), while the
offline copy opens it from disk; relative asset links cannot serve both. So the page has no asset
but the favicon: its style and script are inline. Links are relative to the site root; over HTTP a `<base>`
set by the inline script (from SITE_URL's path) makes them right at any depth.

When the missing path is a page that moved (kb/published.txt `old.html -> new.html`), a page
without its `.html` (`/runtimes`, `/runtimes/`), or a short link `f/<id>` of an old or unknown
form, the script sends the reader on (the id map, assets/js/kb-ids.js, resolves ids).
Korean comes first; the English part is marked lang="en". No hreflang alternates: the page has
no language twin.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from . import escape, registry
from .model import KB

STYLE = """
:root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fff;--muted:#4a4a4f;--link:#2e3d9c;--line:#c8c8d0}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8ec;--bg:#16171d;--muted:#c2c2cc;--link:#a9b8ff;--line:#44465a}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);line-height:1.6;
font-family:-apple-system,BlinkMacSystemFont,"Apple SD Gothic Neo","Malgun Gothic","Noto Sans KR","Segoe UI",Roboto,sans-serif}
header{background:#3f51b5;color:#fff;padding:.8rem 1.2rem;font-weight:700}
main{max-width:40rem;margin:0 auto;padding:1rem 1.2rem 3rem}
section+section{border-top:1px solid var(--line);margin-top:2rem;padding-top:1rem}
h1{font-size:1.6rem;margin:.6rem 0}
p{margin:.6rem 0}
a{color:var(--link);text-decoration:underline}
form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:1rem 0}
label{width:100%;font-weight:600}
input{flex:1 1 14rem;font:inherit;padding:.4rem .6rem;border:1px solid var(--muted);border-radius:4px;background:var(--bg);color:var(--fg)}
button{font:inherit;padding:.4rem 1rem;border:0;border-radius:4px;background:#3f51b5;color:#fff;cursor:pointer}
input:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid var(--link);outline-offset:2px}
#kb-nf-status:empty{display:none}
#kb-nf-status{font-weight:600}
"""

# Runs in <head> before anything is resolved: set <base> to the site root (HTTP), then, once the
# page is parsed, send a known old address on. Everything it reads is in the JSON above it.
SCRIPT = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kb-nf-data").textContent);
  var root = "";
  if (location.protocol === "http:" || location.protocol === "https:") {
    var path = location.pathname.indexOf(data.root) === 0 ? data.root : "/";
    root = location.origin + path;
    var base = document.createElement("base");
    base.href = root;
    document.head.appendChild(base);
  } else {
    root = location.href.split("#")[0].split("?")[0].replace(/[^\\/]*$/, "");
  }
  function go(url) {
    var s = document.getElementById("kb-nf-status");
    if (s) s.textContent = data.moving;
    location.replace(url);
  }
  function onward() {
    var here = location.href.split("#")[0].split("?")[0];
    if (here.indexOf(root) !== 0) return;
    var rel = decodeURIComponent(here.slice(root.length));
    var m = /^(en\\/)?f\\/([a-z0-9-]+?)(?:\\.html)?\\/?$/.exec(rel);
    if (m) {
      var lang = m[1] || "";
      var id = m[2];
      var s = document.createElement("script");
      s.src = root + "assets/js/kb-ids.js";
      s.onload = function () {
        var ids = window.kbIds && window.kbIds.i;
        if (!ids || !Object.prototype.hasOwnProperty.call(ids, id)) return;
        var e = ids[id];
        var page = window.kbIds.p[typeof e === "number" ? e : e[0]];
        go(root + lang + page + "#" + (typeof e === "number" ? id : e[1]));
      };
      document.head.appendChild(s);
      return;
    }
    m = /^(en\\/)?([a-z0-9-]+)(?:\\.html|\\/|\\/index\\.html)?$/.exec(rel);
    if (!m) return;
    var name = m[2] + ".html";
    var own = Object.prototype.hasOwnProperty;
    var target = own.call(data.moved, name) ? data.moved[name] : (data.pages.indexOf(name) !== -1 ? name : null);
    if (target && (m[1] || "") + target !== rel) go(root + (m[1] || "") + target + location.hash);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onward);
  else onward();
})();
"""


def _section(kb: KB, lang: str, home: str) -> str:
    ui = lambda key: escape.text(kb.ui(key, lang))   # noqa: E731
    lang_attr = "" if lang == "ko" else ' lang="en"'
    return (f'<section{lang_attr} aria-labelledby="kb-nf-title-{lang}">\n'
            f'<h1 id="kb-nf-title-{lang}">{ui("notfound.title")}</h1>\n'
            f'<p>{ui("notfound.text")}</p>\n'
            f'<form role="search" action="{home}" method="get">\n'
            f'<label for="kb-nf-q-{lang}">{ui("notfound.search")}</label>\n'
            f'<input type="search" id="kb-nf-q-{lang}" name="q" autocomplete="off">\n'
            f'<button type="submit">{ui("notfound.submit")}</button>\n</form>\n'
            f'<p><a href="{home}">{ui("notfound.home")}</a></p>\n</section>\n')


def page(kb: KB, site_url: str | None) -> str:
    reg = registry.read(kb.root)
    data = {"root": urlparse(site_url or "/").path or "/",
            "pages": sorted(reg["pages"]), "moved": {old: registry.final_page(reg, old) for old in reg["moved"]},
            "moving": f'{kb.ui("notfound.moving", "ko")} · {kb.ui("notfound.moving", "en")}'}
    if not data["root"].endswith("/"):
        data["root"] += "/"
    blob = escape.json_script(data, sort_keys=True)
    title = f'{kb.ui("notfound.title", "ko")} · {kb.ui("notfound.title", "en")}'
    return ('<!doctype html>\n<html lang="ko">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="robots" content="noindex">\n'
            f'<title>{escape.text(title)}</title>\n<style>{STYLE}</style>\n'
            f'<script type="application/json" id="kb-nf-data">{blob}</script>\n'
            f'<script>{SCRIPT}</script>\n'
            '<link rel="icon" href="assets/favicon.svg">\n</head>\n<body>\n'
            f'<header>{escape.text(kb.ui("site.name", "ko"))} · <span lang="en">{escape.text(kb.ui("site.name", "en"))}</span></header>\n'
            '<main>\n<p id="kb-nf-status" role="status"></p>\n'
            + _section(kb, "ko", "index.html") + _section(kb, "en", "en/index.html")
            + "</main>\n</body>\n</html>\n")


def write(kb: KB, site_dir: Path, site_url: str | None = None) -> Path:
    """Replace the theme's 404.html (English-only, absolute asset links) with this page."""
    dest = Path(site_dir) / "404.html"
    dest.write_text(page(kb, site_url), "utf-8")
    en = Path(site_dir) / "en" / "404.html"
    if en.exists():
        en.unlink()
    return dest
