"""The docs engine is switchable (kbtools/engine.py) and the two engines publish the same site.

Material for MkDocs ends on 2027-05-05 and MkDocs 1.x is unmaintained; ProperDocs (the maintained
fork of MkDocs 1.6) must build this project unchanged. These tests keep that true.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import sys
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import ROOT, build_site
from kbtools import engine

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
# Calls that would pick an engine behind DOCS_ENGINE's back.
DIRECT = re.compile(r'-m["\',\s]+mkdocs\b|bin/mkdocs\b|from mkdocs\.config import|"mkdocs", "build"|'
                    r'-m["\',\s]+properdocs\b|from properdocs')


def other_engine() -> str:
    return next(e for e in engine.ENGINES if e != engine.name())


def test_every_build_serve_test_and_bench_path_goes_through_the_engine_switch():
    paths = [ROOT / "Makefile", *sorted((ROOT / "tests").rglob("*.py")), *sorted((ROOT / "scripts").glob("*")),
             *sorted((ROOT / "kbtools").rglob("*.py")), *sorted((ROOT / "hooks").glob("*.py")),
             *sorted((ROOT / ".github/workflows").glob("*.yml")), ROOT / ".ci/run"]
    offenders = []
    for path in paths:
        if path in (ROOT / "kbtools/engine.py", Path(__file__)) or not path.is_file():
            continue
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if DIRECT.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, "call kbtools.engine instead:\n" + "\n".join(offenders)


def test_an_unknown_engine_is_a_message_not_a_traceback():
    result = subprocess.run([sys.executable, "-m", "kbtools.engine", "build"], cwd=ROOT,
                            capture_output=True, text=True, env={**os.environ, "DOCS_ENGINE": "zensical"})
    assert result.returncode != 0
    assert "DOCS_ENGINE='zensical'" in result.stderr and "mkdocs, properdocs" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_engine_config_loader_is_the_engine_s_own():
    config = engine.load_config(ROOT / "mkdocs.yml")
    assert type(config).__module__.split(".")[0] == engine.name()
    assert config["site_url"] and "i18n" in config["plugins"]


@pytest.fixture(scope="module")
def other_site(tmp_path_factory):
    name = other_engine()
    try:   # not find_spec: under ProperDocs `mkdocs` is an alias of `properdocs` in this process
        importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        pytest.skip(f"{name} is not installed, so there is no second build to compare with "
                    f"(requirements.txt pins both; this is the 'engine uninstalled' case)")
    dest = tmp_path_factory.mktemp("other") / "site"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DOCS_ENGINE", name)
        result = build_site(dest)
    assert result.returncode == 0, f"{name} build failed:\n{result.stdout}\n{result.stderr}"
    return dest


def test_both_engines_publish_the_same_site_but_for_the_generator_line(site, other_site):
    ours = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    theirs = {p.relative_to(other_site).as_posix() for p in other_site.rglob("*") if p.is_file()}
    assert ours == theirs, {"only here": sorted(ours - theirs)[:10], "only there": sorted(theirs - ours)[:10]}
    differing, beyond_generator = [], []
    for rel in sorted(ours):
        a, b = (site / rel).read_bytes(), (other_site / rel).read_bytes()
        if a == b:
            continue
        differing.append(rel)
        if GENERATOR.sub(b"", a) != GENERATOR.sub(b"", b):
            beyond_generator.append(rel)
    assert not beyond_generator, f"{len(beyond_generator)} files differ beyond <meta name=generator>: {beyond_generator[:10]}"
    assert all(rel.endswith(".html") for rel in differing)


def test_the_i18n_plugin_still_flags_its_nested_language_builds(monkeypatch):
    """hooks/kb.py reads the plugin's private `building` flag to run once per whole build; if a new
    plugin version stops setting it around its nested builds, this fails before the site breaks."""
    engine.load_config(ROOT / "mkdocs.yml")          # under properdocs: mkdocs.* imports now resolve to it
    from mkdocs_static_i18n import plugin as i18n
    plugin = i18n.I18n()
    assert plugin.building is False
    monkeypatch.setattr(i18n.I18n, "build_languages", property(lambda self: ["ko", "en"]))
    plugin.current_language = "ko"
    monkeypatch.setattr(plugin, "extend_search_entries", lambda config: None, raising=False)
    monkeypatch.setattr(plugin, "reconfigure_search_index", lambda config: None, raising=False)
    seen = []
    monkeypatch.setattr(i18n, "build", lambda config, dirty=False: seen.append(plugin.building))
    config = SimpleNamespace(plugins={})
    plugin.on_post_build(config)
    assert seen == [True], "the plugin no longer sets `building` during its nested build"
    assert plugin.building is False

    hooks = SimpleNamespace(plugins={"i18n": plugin})
    kb_hook = _load_hook()
    plugin.building = True
    assert kb_hook.nested_language_build(hooks) is True
    plugin.building = False
    assert kb_hook.nested_language_build(hooks) is False


def _load_hook():
    spec = importlib.util.spec_from_file_location("kb_hook_under_test", ROOT / "hooks/kb.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_kbtools_imports_no_engine():
    """kbtools is plain Python: only hooks/ and kbtools/engine.py know a docs engine exists."""
    offenders = [p.relative_to(ROOT).as_posix() for p in (ROOT / "kbtools").rglob("*.py")
                 if p.name != "engine.py"
                 and re.search(r"^\s*(from|import)\s+(mkdocs|properdocs|material)\b", p.read_text("utf-8"), re.M)]
    assert not offenders


def test_an_engine_without_hooks_gets_the_same_kb_output_from_the_pre_and_post_build_steps(site, project_copy):
    """The Zensical path: expand pages before the build, finish the site after it, no hooks."""
    from kbtools.prepost import postbuild, prebuild
    prebuild(ROOT / "docs", project_copy / "docs")
    config = (project_copy / "mkdocs.yml").read_text("utf-8")
    config, n = re.subn(r"(?m)^hooks:\n(?:[ \t]+-.*\n)+", "", config)
    assert n == 1
    (project_copy / "mkdocs.yml").write_text(config, "utf-8")
    dest = project_copy / "site"
    result = build_site(dest, root=project_copy)
    assert result.returncode == 0, result.stderr
    assert not (dest / "api").exists()            # nothing of the kb's own output without the steps
    postbuild(dest, ROOT / "docs", kb_root=ROOT / "kb",   # the original pages: placements come from them
              site_url=engine.load_config(ROOT / "mkdocs.yml")["site_url"])
    published = sorted(p.relative_to(site).as_posix() for p in site.rglob("*")
                       if p.is_file() and p.suffix in (".json", ".svg", ".js") and not p.is_relative_to(site / "assets")
                       and not p.is_relative_to(site / "search"))
    assert any(rel.startswith("api/v1/") for rel in published)
    different = [rel for rel in published if (dest / rel).read_bytes() != (site / rel).read_bytes()]
    assert not different, different
