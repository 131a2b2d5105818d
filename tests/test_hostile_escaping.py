"""Hostile input, as an attacker or a careless contributor writes it (issue 14, points 1, 2 and 7).

Each case asserts its exact outcome:

- a report: `make check` (kbtools.load) names the file, the id, the field and the rule; or
- inert text: one hostile copy of the project, holding every payload that passes the rules, is built
  once; its pages carry each payload as text, and Chromium loading them from disk (file://) runs none.

Every script payload calls alert('<class>'): a dialog, on the page or on the page it redirects to,
is a script that ran. test_the_detector_sees_a_script_run shows the detector works.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build_site
from kbpatch import apply
from kbtools import escape, registry
from kbtools.load import load
from kbtools.render import Page
from kbtools.render.notes import abbreviations

KB_MIN = ROOT / "tests" / "fixtures" / "kb-min"
CONTAINERD = "runtimes/containerd.yaml"
TERM = "glossary/containerd.yaml"
SOURCE = "sources/containerd-releases.yaml"
FREE_EN = "en: containerd is free to install and use under the `Apache-2.0` licence."
FREE_KO = "ko: containerd는 `Apache-2.0` 라이선스로 무료로 설치해 사용할 수 있습니다."
URL = "url: https://github.com/containerd/containerd/blob/main/RELEASES.md"


def line(file: str, old: str, new: str) -> list[dict]:
    return [{"file": file, "replace": [[old, new]]}]


def moved(text: str) -> list[dict]:
    return [{"file": "published.txt", "write": text + "\n"}]


# ------------------------------------------------------------------------------------------- reports
# (case, patch of kb-min, (rule, file, id, field)). YAML double-quoted escapes ("\u202e") put the
# character in the loaded string exactly as a contributor's "\u…" escape or paste would.

REPORTS = [
    # invisible, control and bidi characters (rule: characters)
    ("bidi-override-in-fact-text", line(CONTAINERD, "free to install", "free \u202eto install"),
     ("characters", "kb/runtimes/containerd.yaml", "containerd-free", "facts[0].text.en")),
    ("bidi-isolate-in-entity-name", line(CONTAINERD, "name: {ko: containerd, en: containerd}",
                                         'name: {ko: containerd, en: "contain\\u2066erd"}'),
     ("characters", "kb/runtimes/containerd.yaml", "containerd", "name.en")),
    ("zero-width-space-in-summary", line(CONTAINERD, "ko: containerd는 Kubernetes", "ko: containerd는\u200bKubernetes"),
     ("characters", "kb/runtimes/containerd.yaml", "containerd", "summary.ko")),
    ("zero-width-joiner-in-term", line(TERM, "term: {ko: containerd, en: containerd}",
                                       'term: {ko: "contain\\u200derd", en: containerd}'),
     ("characters", "kb/glossary/containerd.yaml", "containerd", "term.ko")),
    ("carriage-return-in-term", line(TERM, "term: {ko: containerd, en: containerd}",
                                     'term: {ko: containerd, en: "containerd\\r<img src=x onerror=alert(1)>"}'),
     ("characters", "kb/glossary/containerd.yaml", "containerd", "term.en")),
    ("bell-in-source-title", line(SOURCE, "title: {en: containerd RELEASES.md}", 'title: {en: "containerd\\a RELEASES.md"}'),
     ("characters", "kb/sources/containerd-releases.yaml", "containerd-releases", "title.en")),
    ("c1-next-line-in-definition", line(TERM, "en: The CNCF's open-source container runtime.",
                                        'en: "The CNCF\'s open-source\\N container runtime."'),
     ("characters", "kb/glossary/containerd.yaml", "containerd", "definition.en")),
    ("line-separator-in-summary", line(CONTAINERD, "en: containerd is the container runtime that Kubernetes Windows nodes use.",
                                       'en: "containerd is the\\L container runtime that Kubernetes Windows nodes use."'),
     ("characters", "kb/runtimes/containerd.yaml", "containerd", "summary.en")),
    ("byte-order-mark-in-definition", line(TERM, "ko: CNCF의 오픈 소스", 'ko: \ufeffCNCF의 오픈 소스'),
     ("characters", "kb/glossary/containerd.yaml", "containerd", "definition.ko")),
    ("byte-order-mark-in-abbr", line(TERM, "abbr: CTRD", 'abbr: "\\uFEFFCTRD"'),
     ("schema:pattern", "kb/glossary/containerd.yaml", "containerd", "abbr")),
    ("trailing-newline-in-abbr", line(TERM, "abbr: CTRD", 'abbr: "CTRD\\n"'),
     ("characters", "kb/glossary/containerd.yaml", "containerd", "abbr")),
    ("trailing-newline-in-fact-id", line(CONTAINERD, "- id: containerd-free", '- id: "containerd-free\\n"'),
     ("characters", "kb/runtimes/containerd.yaml", "containerd-free", "facts[0].id")),
    ("tab-escape-in-publisher", line(SOURCE, "publisher: containerd project", 'publisher: "containerd\\tproject"'),
     ("characters", "kb/sources/containerd-releases.yaml", "containerd-releases", "publisher")),
    ("newline-in-a-value", line(CONTAINERD, "cost: free", 'cost: "free\\n"'),
     ("characters", "kb/runtimes/containerd.yaml", "containerd-free", "facts[0].values.cost")),
    ("newline-in-a-label", line("labels.yaml", "fact.due: {ko: 기한, en: Due}", 'fact.due: {ko: 기한, en: "Due\\n<b>"}'),
     ("schema:pattern", "kb/labels.yaml", "", "ui.fact.due.en")),   # labels.yaml has no id: the key names it
    ("zero-width-space-in-a-label", line("labels.yaml", "fact.due: {ko: 기한, en: Due}", 'fact.due: {ko: 기한, en: "D\\u200bue"}'),
     ("characters", "kb/labels.yaml", "labels", "ui.fact.due.en")),
    ("soft-hyphen-in-korean-text", line(CONTAINERD, FREE_KO, FREE_KO.replace("무료로", "무\u00ad료로")),
     ("characters", "kb/runtimes/containerd.yaml", "containerd-free", "facts[0].text.ko")),
    ("delete-control-in-table-caption", line("tables/runtimes-table.yaml", "en: Container runtimes compared}",
                                             'en: "Container\\x7F runtimes compared"}'),
     ("characters", "kb/tables/runtimes-table.yaml", "runtimes-table", "caption.en")),
    # source URLs (rule: url-safe, parsed with urllib.parse; the schema already wants https://\S+)
    ("credentials-in-url", line(SOURCE, URL, URL.replace("https://", "https://deploy:hunter2@")),
     ("url-safe", "kb/sources/containerd-releases.yaml", "containerd-releases", "url")),
    ("token-user-info-in-url", line(SOURCE, URL, URL.replace("https://", "https://ghp_0123456789@")),
     ("url-safe", "kb/sources/containerd-releases.yaml", "containerd-releases", "url")),
    ("markdown-link-in-url", line(SOURCE, URL, URL + "#[x](javascript:alert(1))"),
     ("url-safe", "kb/sources/containerd-releases.yaml", "containerd-releases", "url")),
    ("markdown-image-in-url", line(SOURCE, URL, URL + "?![i](https://evil.example/p.png)"),
     ("url-safe", "kb/sources/containerd-releases.yaml", "containerd-releases", "url")),
    ("tag-in-url", line(SOURCE, URL, "url: 'https://github.com/\"><script>alert(1)</script>'"),
     ("url-safe", "kb/sources/containerd-releases.yaml", "containerd-releases", "url")),
    ("backtick-in-url", line(SOURCE, URL, URL + "`x`"),
     ("url-safe", "kb/sources/containerd-releases.yaml", "containerd-releases", "url")),
    ("bidi-override-in-url", line(SOURCE, URL, URL.replace("RELEASES", "\u202eSESAELER")),
     ("url-safe", "kb/sources/containerd-releases.yaml", "containerd-releases", "url")),
    ("homograph-host-in-url", line(SOURCE, URL, URL.replace("github", "g\u0456thub")),
     ("url-safe", "kb/sources/containerd-releases.yaml", "containerd-releases", "url")),
    ("port-out-of-range-in-url", line(SOURCE, URL, URL.replace("github.com", "github.com:99999")),
     ("url-safe", "kb/sources/containerd-releases.yaml", "containerd-releases", "url")),
    ("javascript-scheme-url", line(SOURCE, URL, "url: javascript:alert(1)"),
     ("schema:pattern", "kb/sources/containerd-releases.yaml", "containerd-releases", "url")),
    ("http-scheme-url", line(SOURCE, URL, URL.replace("https:", "http:")),
     ("schema:pattern", "kb/sources/containerd-releases.yaml", "containerd-releases", "url")),
    ("space-in-url", line(SOURCE, URL, "url: 'https://github.com/containerd/a b'"),
     ("schema:pattern", "kb/sources/containerd-releases.yaml", "containerd-releases", "url")),
    # text is checked after {placeholders} are filled (rule: text-is-plain)
    ("markdown-link-filled-into-placeholder",
     [{"file": CONTAINERD, "replace": [["free to install", "{cost} to install"], ["무료로", "{cost}로"],
                                       ["cost: free", "cost: '[x](javascript:alert(1))'"]]}],
     ("text-is-plain", "kb/runtimes/containerd.yaml", "containerd-free", "facts[0].text.en")),
    ("tag-filled-into-placeholder",
     [{"file": CONTAINERD, "replace": [["free to install", "{cost} to install"], ["무료로", "{cost}로"],
                                       ["cost: free", "cost: '<img src=x onerror=alert(1)>'"]]}],
     ("text-is-plain", "kb/runtimes/containerd.yaml", "containerd-free", "facts[0].text.en")),
    ("tag-in-glossary-definition", line(TERM, "en: The CNCF's open-source container runtime.",
                                        "en: The CNCF's <b onmouseover=alert(1)>open-source</b> container runtime."),
     ("text-is-plain", "kb/glossary/containerd.yaml", "containerd", "definition.en")),
    # moved-page lines of kb/published.txt (rule: moved-pages)
    ("moved-old-path-climbs-out", moved("../../outside.html -> runtimes.html"),
     ("moved-pages", "kb/published.txt", "../../outside.html", "line 1")),
    ("moved-old-path-absolute", moved("/tmp/pwned.html -> runtimes.html"),
     ("moved-pages", "kb/published.txt", "/tmp/pwned.html", "line 1")),
    ("moved-old-path-climbs-inside", moved("en/../../x.html -> runtimes.html"),
     ("moved-pages", "kb/published.txt", "en/../../x.html", "line 1")),
    ("moved-old-path-percent-encoded", moved("%2e%2e/x.html -> runtimes.html"),
     ("moved-pages", "kb/published.txt", "%2e%2e/x.html", "line 1")),
    ("moved-old-path-windows-drive", moved("C:\\x.html -> runtimes.html"),
     ("moved-pages", "kb/published.txt", "C:\\x.html", "line 1")),
    ("moved-target-javascript", moved("old.html -> javascript:alert(1)//.html"),
     ("moved-pages", "kb/published.txt", "old.html", "line 1")),
    ("moved-target-closes-script", moved("old.html -> x.html</script><script>alert(1)</script>"),
     ("moved-pages", "kb/published.txt", "old.html", "line 1")),
    ("moved-target-other-site", moved("old.html -> https://evil.example/x.html"),
     ("moved-pages", "kb/published.txt", "old.html", "line 1")),
    ("moved-target-not-a-page", moved("# a comment\nold.html -> runtimes.txt"),
     ("moved-pages", "kb/published.txt", "old.html", "line 2")),
    ("moved-to-itself", moved("old.html -> old.html"),
     ("moved-pages", "kb/published.txt", "old.html", "line 1")),
]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hostile") / "kb"   # one path: the schema registry is cached per path


@pytest.mark.parametrize("case,patch,expect", REPORTS, ids=[c[0] for c in REPORTS])
def test_hostile_input_is_reported(workdir, case, patch, expect):
    if workdir.exists():
        shutil.rmtree(workdir)
    shutil.copytree(KB_MIN, workdir)
    apply(workdir, patch)
    _, problems = load(workdir)
    rule, file, ident, field = expect
    found = [p for p in problems if (p.rule, p.file, p.fact, p.field) == expect]
    assert found, f"{case}: expected {expect}; got:\n" + "\n".join(p.format() for p in problems if p.rule != "claims-carried")
    assert found[0].severity == "error" and (found[0].hint or found[0].expected)
    assert not [p for p in problems if "crashed" in p.message or "Traceback" in p.format()]


def test_reports_cover_each_class():
    rules = [e[0] for _, _, e in REPORTS]
    assert all(rules.count(r) >= 3 for r in ("characters", "url-safe", "text-is-plain", "moved-pages", "schema:pattern"))


# ------------------------------------------------------------------------------------- escapers

@pytest.mark.parametrize("payload", ["</script><script>alert(1)</script>", "<!--<script>", "a\u2028b\u2029c",
                                     "&lt;/script&gt; & <", "\"'`\\"])
def test_json_script_cannot_leave_its_script_element(payload):
    data = {"label": payload, payload: [payload]}
    out = escape.json_script(data)
    assert json.loads(out) == data
    assert not re.search(r"[<>&\u2028\u2029]", out)
    # The HTML parser sees one script element whose text is the JSON, whatever the payload.
    soup = BeautifulSoup(f'<script type="application/json" id="d">{out}</script><p id="after">x</p>', "html.parser")
    assert json.loads(soup.find(id="d").string) == data and soup.find(id="after")


@pytest.fixture(scope="module")
def md():
    from kbtools.engine import load_config
    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])


@pytest.mark.parametrize("title", ["containerd\r<img src=x onerror=alert(1)>", "containerd\n\n<script>alert(1)</script>",
                                   "containerd\u2028*[X]: <img src=x onerror=alert(1)>", "a]: b\r\n<i>x</i>"])
def test_abbreviation_definitions_stay_one_line(md, title):
    # The characters rule refuses these in kb/; this is the boundary's own guarantee if one got through.
    kb = load(KB_MIN)[0]
    kb.terms["containerd"] = {**kb.terms["containerd"], "term": {"ko": title, "en": title}}
    page = Page(kb=kb, lang="en", topic="runtimes")
    md.reset()
    soup = BeautifulSoup(md.convert("CTRD is used.\n" + abbreviations(page)), "html.parser")
    assert [t.name for t in soup.find_all(True)] == ["p", "abbr"]
    assert soup.find("abbr")["title"].split() == title.replace("]", "").split()


@pytest.mark.parametrize("code", ["</p><img src=x onerror=alert(1)>", "<!--", "<script>alert(1)</script>",
                                  "</div></div><script>alert(1)</script>", "a & b &amp; <x>"])
def test_code_spans_with_tags_stay_code_inside_html(md, code):
    md.reset()
    html = md.convert(f'<div markdown="1">\n<p class="t" markdown="span">run {escape.markdown(f"`{code}`")} now</p>\n</div>')
    soup = BeautifulSoup(html, "html.parser")
    assert [t.name for t in soup.find_all(True)] == ["div", "p", "code"]
    assert soup.find("code").get_text() == code


# ------------------------------------------------------------------------------ redirect pages

def test_redirects_write_nothing_outside_the_site(tmp_path):
    kb = load(KB_MIN)[0]
    kb.root = tmp_path / "kb"
    kb.root.mkdir()
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (kb.root / "published.txt").write_text("../escaped.html -> runtimes.html\nok.html -> runtimes.html\n", "utf-8")
    with pytest.raises(ValueError, match=r"line 1: \.\./escaped\.html"):
        registry.write_redirects(kb, site)
    assert not (tmp_path / "escaped.html").exists() and not (site / "ok.html").exists()


def test_redirects_resolve_symlinks_before_writing(tmp_path):
    kb = load(KB_MIN)[0]
    kb.root = tmp_path / "kb"
    kb.root.mkdir()
    site, outside = tmp_path / "site", tmp_path / "outside"
    site.mkdir()
    outside.mkdir()
    (site / "en").symlink_to(outside, target_is_directory=True)   # a folder of the site that leads out
    (kb.root / "published.txt").write_text("old.html -> runtimes.html\n", "utf-8")
    with pytest.raises(ValueError, match="outside the site folder"):
        registry.write_redirects(kb, site)
    assert list(outside.iterdir()) == [] and not (site / "old.html").exists()


def test_redirect_page_script_data_is_escaped():
    kb = load(KB_MIN)[0]
    kb.labels["ui"]["page.moved"] = {"ko": "</title><script>alert(1)</script>", "en": "x"}
    page = registry.stub_html(kb, "ko", "old.html", "new-page.html", "https://wiki.corp/kb/")
    soup = BeautifulSoup(page, "html.parser")
    assert soup.title.string == "</title><script>alert(1)</script>"
    assert [s.string for s in soup.find_all("script")] == ['location.replace("new-page.html" + location.hash)']
    with pytest.raises(ValueError):
        registry.stub_html(kb, "ko", "old.html", "javascript:alert(1)", None)


# ------------------------------------------------------------------- one hostile project, built once
# Payloads that pass every rule (code spans may hold anything; publishers, labels and SITE_URL are not
# prose), one per XSS class. Each must reach the reader as the text typed, never as markup.

CODE = "</p><script>alert('code')</script>"
VALUE = "`</p><div><img src=x onerror=alert('value')></div>`"
GLOSSARY = "</p></div><p markdown=1><img src=x onerror=alert('glossary')></p>"
ABBR_TERM = "Container Network Interface\" onmouseover=\"alert('abbr')\" x=\""
PUBLISHER = "![i](https://evil.example/p.png) [click](javascript:alert('source')) <https://evil.example>"
URL_TAIL = "?_a_=*b*(c)!"
LABEL = "</script><script>alert('labels')</script><!--<script>"
ACCESSED = "[accessed](javascript:alert('accessed')) *[CNI]: x"
MOVED = "</title><script>alert('redirect')</script>"
SITE_URL = "https://wiki.corp/kb'onmouseover='window.__pwned=1'/"   # quotes close no attribute, no JS string

def yq(text: str) -> str:
    """A YAML single-quoted scalar holding text exactly."""
    return "'" + text.replace("'", "''") + "'"


def _sub(path: Path, pattern: str, repl, count: int = 1) -> None:
    """Regex substitution on a kb file that must match exactly `count` times (a patch never rots
    silently). Patterns key on YAML structure (ids, keys), not on prose that copy edits change."""
    text = path.read_text("utf-8")
    text, n = re.subn(pattern, repl, text, flags=re.M)
    assert n == count, f"{path.name}: {pattern!r} matched {n} times, expected {count}"
    path.write_text(text, "utf-8")


def _text_block(fact_id: str, field: str, lang: str) -> str:
    """A pattern up to the first character of `field.lang` of the fact (or of the file itself when
    fact_id is empty), as group 1, so a substitution can put text in front of the prose."""
    owner = rf"^[ ]*- id: {fact_id}\n(?:(?![ ]*- id:).*\n)*?" if fact_id else "^"
    return "(" + owner + rf"[ ]*{field}:\n(?:(?![ ]*{lang}:).*\n)*?[ ]*{lang}: (?:[>|]-?\n[ ]*)?)(?=\S)"


def hostile_patch(project: Path) -> None:
    kb = project / "kb"
    runtime = kb / "runtimes" / "containerd.yaml"
    for lang in ("ko", "en"):   # the same code span in both languages (rule bilingual-code)
        _sub(runtime, _text_block("containerd-generation", "text", lang), rf"\g<1>`{CODE}` ")
        _sub(runtime, _text_block("containerd-free-apache", "text", lang), r"\g<1>({spdx}) ")
    _sub(runtime, r"(^[ ]*- id: containerd-free-apache\n(?:(?![ ]*- id:).*\n)*?([ ]*)values:\n)",
         lambda m: m.group(1) + m.group(2) + "  spdx: " + yq(VALUE) + "\n")
    term = kb / "glossary" / "cni.yaml"
    _sub(term, _text_block("", "definition", "en"), rf"\g<1>(`{GLOSSARY}`) ")
    _sub(term, r"^(term: \{ko: [^,]*, en: )[^}]*\}", lambda m: m.group(1) + yq(ABBR_TERM) + "}")
    source = kb / "sources" / "containerd-license.yaml"
    _sub(source, r"^publisher: .*$", lambda m: "publisher: " + yq(PUBLISHER))
    _sub(source, r"^(url: \S+)$", lambda m: m.group(1) + URL_TAIL)
    labels = kb / "labels.yaml"
    for key, value in (("permalink.copy", LABEL), ("footnote.accessed", ACCESSED), ("page.moved", MOVED)):
        _sub(labels, rf"^  {re.escape(key)}: .*$", lambda m, k=key, v=value: f"  {k}: {{ko: {yq(v)}, en: {yq(v)}}}")
    with (kb / "published.txt").open("a", encoding="utf-8") as fh:
        fh.write("hostile-moved.html -> runtimes.html\n")
    # The changed facts need their changelog entry (rule changelog-required), dated like the latest one.
    changelog = kb / "changelog.yaml"
    last = changelog.read_text("utf-8").rsplit("- date: ", 1)[1].split()[0]
    with changelog.open("a", encoding="utf-8") as fh:
        fh.write(f"\n  - date: {last}\n    kind: edited\n    reason: {{ko: 테스트용 변경입니다., en: A test change.}}\n"
                 "    ids: [containerd-generation, containerd-free-apache]\n")


def _copy_project(dest: Path) -> Path:
    ignore = shutil.ignore_patterns(".venv", "site", ".site-*", ".git", "dist", "__pycache__", ".pytest_cache")
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    project = _copy_project(tmp_path_factory.mktemp("hostile-project") / "project")
    hostile_patch(project)
    dest = tmp_path_factory.mktemp("hostile-site") / "site"
    result = build_site(dest, root=project, env={"SITE_URL": SITE_URL})
    assert result.returncode == 0, f"the hostile project must build (its payloads pass the rules):\n{result.stderr[-3000:]}"
    return dest


def _soup(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel).read_text("utf-8"), "html.parser")


def _text(site: Path, rel: str) -> str:
    return " ".join(_soup(site, rel).get_text().split())


@pytest.mark.parametrize("rel", ["runtimes.html", "en/runtimes.html"])
def test_code_span_payload_is_code_text(hostile_site, rel):
    codes = [c.get_text() for c in _soup(hostile_site, rel).find_all("code")]
    assert CODE in codes


def test_placeholder_value_is_text_in_sentence_and_values(hostile_site):
    soup = _soup(hostile_site, "en/runtimes.html")
    fact = soup.find(id="containerd-free-apache")
    assert VALUE.strip("`") in [c.get_text() for c in fact.select(".kb-fact-text code")]
    # The values row lists only values the sentence does not say (the sentence says this one).
    assert "spdx" not in fact.select_one(".kb-values").get_text() and not fact.select("img, script, div div")


def test_glossary_definition_and_abbreviation_title_are_text(hostile_site):
    soup = _soup(hostile_site, "en/glossary.html")
    assert GLOSSARY in [c.get_text() for c in soup.select("#cni ~ .kb-term-def code, .kb-term-def code")]
    titles = {a["title"] for a in _soup(hostile_site, "en/runtimes.html").find_all("abbr") if a.get_text() == "CNI"}
    assert titles == {ABBR_TERM}


def test_source_publisher_and_url_are_text_and_one_https_link(hostile_site):
    soup = _soup(hostile_site, "en/sources.html")
    block = soup.find(id="containerd-license")
    assert PUBLISHER in " ".join(block.get_text().split())
    assert [a["href"] for a in block.select(".kb-source-title a")] == \
        ["https://github.com/containerd/containerd/blob/main/LICENSE" + URL_TAIL]
    assert ACCESSED in block.get_text()


def test_labels_json_round_trips(hostile_site):
    for rel in ("index.html", "en/runtimes.html"):
        data = json.loads(_soup(hostile_site, rel).find(id="kb-permalink-labels").string)
        assert data["copy"] == LABEL


def test_redirect_page_title_is_text(hostile_site):
    soup = _soup(hostile_site, "hostile-moved.html")
    assert soup.title.string == MOVED
    assert [s.string for s in soup.find_all("script")] == ['location.replace("runtimes.html" + location.hash)']


def test_site_url_stays_inside_its_attributes(hostile_site):
    soup = _soup(hostile_site, "en/runtimes.html")
    assert soup.find("link", rel="canonical")["href"] == SITE_URL + "en/runtimes.html"
    assert {l["hreflang"]: l["href"] for l in soup.select("link[rel=alternate][hreflang]")} == \
        {"ko": SITE_URL + "runtimes.html", "en": SITE_URL + "en/runtimes.html"}


def test_no_page_of_the_hostile_site_carries_markup_from_kb(hostile_site):
    """Across every page: no event-handler attribute, no javascript: link, no image from outside the
    site, and no executable script holding a payload (JSON data scripts may carry it as text)."""
    found = []
    for file in sorted(hostile_site.rglob("*.html")):
        soup = BeautifulSoup(file.read_text("utf-8"), "html.parser")
        rel = file.relative_to(hostile_site).as_posix()
        for tag in soup.find_all(True):
            found += [f"{rel}: <{tag.name} {a}>" for a in tag.attrs if a.lower().startswith("on")]
        found += [f"{rel}: {a['href']}" for a in soup.find_all("a", href=True) if a["href"].lower().startswith("javascript:")
                  and a["href"] != "javascript:void(0)"]
        found += [f"{rel}: img {i['src']}" for i in soup.find_all("img", src=True) if "evil.example" in i["src"]]
        found += [f"{rel}: script {s.string[:60]!r}" for s in soup.find_all("script")
                  if s.get("type", "text/javascript") in ("text/javascript", "module") and s.string and "alert(" in s.string]
    assert not found, "\n".join(found[:20])


# Shown to Chromium from disk: (page, what must still be there as text). A dialog means a script ran.
BROWSER = [
    ("code", "runtimes.html", CODE),
    ("placeholder-value", "en/runtimes.html", VALUE.strip("`")),
    ("glossary-definition", "en/glossary.html", GLOSSARY),
    ("glossary-abbreviation", "runtimes.html", None),
    ("source-url-and-publisher", "en/sources.html", PUBLISHER),
    ("labels-json", "en/index.html", None),
    ("redirect-page", "hostile-moved.html", None),
    ("site-url", "en/runtimes.html", None),
]


def _load(page, url: str) -> list[str]:
    dialogs: list[str] = []

    def seen(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()
    page.on("dialog", seen)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(150)   # onerror of a broken image and timers fire after load
    return dialogs


INERT = """() => ({
  handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes].filter(a => /^on/i.test(a.name)).map(a => e.tagName + ' ' + a.name)),
  js: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')).filter(h => /^\\s*javascript:(?!void\\(0\\))/i.test(h)),
  text: document.body.innerText,
  labels: (() => { try { return JSON.parse(document.getElementById('kb-permalink-labels').textContent).copy; }
                    catch (e) { return String(e); } })(),
  pwned: window.__pwned,
})"""


@pytest.mark.parametrize("cls,rel,shown", BROWSER, ids=[b[0] for b in BROWSER])
def test_no_script_runs_from_disk(hostile_site, page, cls, rel, shown):
    dialogs = _load(page, (hostile_site / rel).as_uri())
    if cls == "redirect-page":
        page.wait_for_url("**/runtimes.html", timeout=5000)
        page.wait_for_timeout(150)
    state = page.evaluate(INERT)
    assert dialogs == [] and state["pwned"] is None, f"{cls}: a script ran: {dialogs}"
    assert state["handlers"] == [] and state["js"] == []
    if cls in ("labels-json", "redirect-page"):   # the labels JSON parses, with the payload as data
        assert state["labels"] == LABEL
    if shown:
        assert shown in " ".join(state["text"].split())


def test_the_detector_sees_a_script_run(page, tmp_path):
    """The same loader on a page where the code-span payload is raw HTML: the dialog is seen."""
    raw = tmp_path / "raw.html"
    raw.write_text(f"<!doctype html><html><body><p>{CODE}</p></body></html>", "utf-8")
    assert _load(page, raw.as_uri()) == ["code"]


# ---------------------------------------------------------------- builds that must stop with a report

@pytest.mark.parametrize("site_url", ['https://wiki.corp/"><script>alert(1)</script>', "javascript:alert(1)//x/",
                                      "https://user:pw@wiki.corp/kb/", "https://wiki.corp/k b/"])
def test_hostile_site_url_stops_the_build(tmp_path, site_url):
    result = build_site(tmp_path / "site", env={"SITE_URL": site_url})
    assert result.returncode != 0
    assert "site_url" in result.stderr.lower() and "Traceback" not in result.stderr   # MkDocs or kbtools.urls
    assert not (tmp_path / "site" / "index.html").exists()


def test_moved_line_out_of_the_site_stops_the_build_and_writes_nothing(tmp_path):
    project = _copy_project(tmp_path / "project")
    apply(project, [{"file": "kb/published.txt", "append": "../../pwned.html -> runtimes.html\n"}])
    result = build_site(tmp_path / "out" / "site", root=project)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "kb/published.txt" in result.stderr and "moved-pages" in result.stderr and "../../pwned.html" in result.stderr
    assert not list(tmp_path.rglob("pwned.html"))
