"""Search and offline copy, without a browser: the worker, the index budget, the zip.
The same behaviour in Chromium is tested in tests/browser/test_offline.py."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from kbtools import search  # noqa: E402
import offline_zip  # noqa: E402

WORKER = Path("assets/javascripts/workers/kb-search.js")


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_search_index_within_budget(site):
    sizes = search.index_size(site)
    assert sizes["search_index.js.gz"] < search.INDEX_BUDGET_GZIP, sizes
    assert sizes["search_index.json.gz"] < search.INDEX_BUDGET_GZIP, sizes


def test_index_holds_both_languages_and_every_fact(site, kb):
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    locations = {d["location"] for d in docs}
    js = (site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert js.startswith("var __index = ") and json.loads(js[len("var __index = "):])["docs"] == docs
    for fact in kb.facts.values():
        for prefix in ("", "en/"):
            assert f"{prefix}{fact.topic}.html#{fact.id}" in locations, f"no search entry for fact {fact.id} ({prefix or 'ko'})"


def test_worker_is_material_worker_with_prelude_and_aliases(site):
    text = (site / WORKER).read_text(encoding="utf-8")
    material = search.material_worker(site).read_text(encoding="utf-8")
    assert material.split("//# sourceMappingURL")[0].strip() in text
    assert text.index("KB_SEARCH_DATA") < text.index('addEventListener("message",t=>')
    data = json.loads(re.search(r"/\*KB_SEARCH_DATA\*/ (\{.*?\});\n", text).group(1))
    assert "Kubernetes" in data["aliases"]["쿠버네티스"]
    assert data["prefixes"] == {"ko": "", "en": "en/"}


def test_every_page_points_search_at_the_worker_in_its_language(site):
    for page in html_pages(site):
        html = page.read_text(encoding="utf-8")
        if page.name == "404.html" and page.parent == site or 'http-equiv="refresh"' in html:
            continue   # the 404 page is self-contained; redirect pages (short links, moved pages) have no search
        m = re.search(r'<script src="([^"]*kb-config\.js)" data-worker="([^"]+)" data-lang="([a-z]+)"', html)
        assert m, f"{page.relative_to(site)}: no kb-config.js"
        lang = re.search(r'<html lang="([a-z]+)"', html).group(1)
        assert m.group(3) == lang, page
        assert (page.parent / m.group(2)).resolve() == (site / WORKER).resolve(), page


def test_no_page_loads_anything_from_outside(site):
    external = re.compile(r'<(?:script|img|iframe|source|audio|video)\b[^>]*\ssrc="(?:https?:)?//'
                          r'|<link\b(?=[^>]*rel="(?:stylesheet|preconnect|preload|modulepreload|icon|dns-prefetch)")[^>]*href="(?:https?:)?//'
                          r'|@import\s+url\((?:https?:)?//|url\((?:https?:)?//')
    offenders = []
    for path in html_pages(site) + sorted(site.rglob("*.css")) + sorted(site.rglob("*.js")):
        if path.name.endswith(".min.js") or path.suffix == ".map":
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{path.relative_to(site)}: {m.group(0)[:80]}" for m in external.finditer(text)]
    assert not offenders, "\n".join(offenders)


NODE = shutil.which("node")


@pytest.mark.skipif(NODE is None, reason="node not installed; the browser suite covers the worker")
def test_query_rewrite(site):
    """The prelude alone, in node: particles, aliases, compounds, advanced syntax left alone."""
    prelude = (site / WORKER).read_text(encoding="utf-8").split("\n})();\n")[0] + "\n})();\n"
    cases = ["격리는", "이미지를", "나노 서버", "나노 서버를", "쿠버네티스에서", "Hyper-V", "HostProcess", "k8s",
             "한도", "+required -excluded", "docker export"]
    script = ("global.self={location:{href:'kb-search.js?lang=ko'},addEventListener(){},postMessage(){}};\n"
              + prelude + "\nconsole.log(JSON.stringify(" + json.dumps(cases)
              + ".map(q => self.kbSearch.rewrite(q).query)));")
    out = json.loads(subprocess.run([NODE, "-e", script], capture_output=True, text=True, check=True).stdout)
    got = dict(zip(cases, out))
    assert got["격리는"].split() == ["격리는", "격리"]
    assert got["이미지를"].split() == ["이미지를", "이미지"]
    assert {"Nano", "Server"} <= set(got["나노 서버"].split()) and "서버" not in got["나노 서버"].split()
    assert {"Nano", "Server"} <= set(got["나노 서버를"].split())
    assert "Kubernetes" in got["쿠버네티스에서"].split()
    assert got["Hyper-V"].split()[:2] == ["+Hyper", "+V"]
    assert "Kubernetes" in got["k8s"].split()
    assert got["한도"] == "한도"                       # a stem keeps two syllables
    assert got["+required -excluded"] == "+required -excluded"
    assert got["docker export"] == "docker export"


def test_offline_zip_is_reproducible_and_complete(site, tmp_path):
    one, two = tmp_path / "a" / "kb.zip", tmp_path / "b" / "kb.zip"
    for out in (one, two):
        subprocess.run([sys.executable, str(ROOT / "scripts" / "offline_zip.py"), str(site), str(out)],
                       check=True, capture_output=True, text=True)
    assert one.read_bytes() == two.read_bytes()
    with zipfile.ZipFile(one) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names)
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        site_files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
        assert sorted(set(names) - {"README.txt"}) == site_files
        assert all(zf.read(name) == (site / name).read_bytes() for name in site_files)
        readme = zf.read("README.txt").decode("utf-8-sig")
    assert "index.html" in readme and "압축" in readme and "Extract" in readme


def test_offline_zip_refuses_a_missing_site(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "offline_zip.py"), str(tmp_path / "nope"),
                             str(tmp_path / "x.zip")], capture_output=True, text=True)
    assert result.returncode == 1 and "make build" in result.stderr


def test_offline_page_in_both_languages_and_nav(site):
    for path in ("offline.html", "en/offline.html"):
        assert (site / path).exists()
    assert 'href="offline.html"' in (site / "index.html").read_text(encoding="utf-8")


def test_zip_time_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    assert offline_zip.zip_time() == (2025, 11, 24, 16, 0, 0)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert offline_zip.zip_time() == (1980, 1, 1, 0, 0, 0)


def test_vendored_shim_matches_its_pin():
    import hashlib
    readme = (ROOT / "docs/assets/vendor/README.md").read_text(encoding="utf-8")
    digest = hashlib.sha256((ROOT / "docs/assets/vendor/iframe-worker/shim.js").read_bytes()).hexdigest()
    assert digest in readme, "docs/assets/vendor/README.md must list the sha256 of the vendored shim (scripts/vendor.sh prints it)"
    assert "iframe-worker@1.0.4" in (ROOT / "scripts/vendor.sh").read_text(encoding="utf-8") and "| 1.0.4 |" in readme



@pytest.mark.skipif(NODE is None, reason="node not installed; the browser suite covers the worker")
def test_query_rewrite_reads_synonyms_fillers_and_pasted_errors(site):
    """kb/synonyms.yaml and the questions' error messages reach the worker: 윈도우 adds Windows,
    용량 adds 크기, a filler leaves the query, a pasted message (quotes and colon included) is
    plain words and names the question that lists it, a word alone names none."""
    prelude = (site / WORKER).read_text(encoding="utf-8").split("\n})();\n")[0] + "\n})();\n"
    cases = ["윈도우 이미지", "서버 코어 용량이", "도커 export 안 돼요", "안 돼요",
             'invalid mount config for type "bind": source path must be a directory', "0xc0370101", "에러 0xc0370101",
             "ltsc2022"]
    script = ("global.self={location:{href:'kb-search.js?lang=ko'},addEventListener(){},postMessage(){}};\n"
              + prelude + "\nconsole.log(JSON.stringify(" + json.dumps(cases)
              + ".map(q => { const r = self.kbSearch.rewrite(q); return [r.query, r.questions]; })));")
    out = json.loads(subprocess.run([NODE, "-e", script], capture_output=True, text=True, check=True).stdout)
    got = dict(zip(cases, out))
    assert "Windows" in got["윈도우 이미지"][0].split()
    assert {"크기", "size"} <= set(got["서버 코어 용량이"][0].split())
    assert got["도커 export 안 돼요"][0].split()[-1] == "export" and "돼요" not in got["도커 export 안 돼요"][0]
    assert got["안 돼요"][0].strip()                      # a query of fillers only is still searched
    mount = got['invalid mount config for type "bind": source path must be a directory']
    assert mount[1] == ["bind-mount-single-file"] and '"' not in mount[0] and ":" not in mount[0]
    assert got["0xc0370101"][1] == ["os-mismatch-0xc0370101"] == got["에러 0xc0370101"][1]
    assert got["ltsc2022"][1] == []                         # a tag alone: the facts, not a question, first


def test_benchmark_set_is_large_and_points_at_real_anchors(site):
    """Every expected page and anchor of tests/search_queries.yaml exists in the built site; the set
    has at least 100 queries, 70 in Korean, and a smaller subset runs in the browser suite."""
    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    from searchbench import QUERIES, TEST_QUERIES
    assert len(QUERIES) >= 100 and sum(q.lang == "ko" for q in QUERIES) >= 70
    assert 10 <= len(TEST_QUERIES) <= len(QUERIES) // 3
    assert len({q.id for q in QUERIES}) == len(QUERIES)
    ids: dict[str, set[str]] = {}
    for q in QUERIES:
        for target in q.expect.split("|"):
            page, _, anchor = target.partition("#")
            if page not in ids:
                assert (site / page).exists(), (q.id, page)
                ids[page] = set(re.findall(r'\sid="([^"]+)"', (site / page).read_text("utf-8")))
            # page.html#id also names the facts of that section (searchbench.matches)
            assert not anchor or any(i == anchor or i.startswith(anchor + "-") for i in ids[page]), (q.id, target)
