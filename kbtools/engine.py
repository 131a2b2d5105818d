"""The docs engine, chosen in one place: `DOCS_ENGINE=mkdocs|properdocs` (default mkdocs).

Material for MkDocs reaches end of life on 2027-05-05 and MkDocs 1.x is unmaintained; ProperDocs is
the maintained fork of MkDocs 1.6 and runs the same config, theme, plugins and hooks. Every build,
serve, test and benchmark path asks this module for the command and the config loader, so a test run
with `DOCS_ENGINE=properdocs` really exercises ProperDocs even when mkdocs is installed alongside it
(pip installs it because Material and mkdocs-static-i18n depend on it).
"""
from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

ENGINES = ("mkdocs", "properdocs")
CONFIG = "mkdocs.yml"   # both engines read it when named with -f (ProperDocs would look for properdocs.yml first)


class UnknownEngine(SystemExit):
    pass


def name() -> str:
    engine = os.environ.get("DOCS_ENGINE", "").strip() or "mkdocs"
    if engine not in ENGINES:
        raise UnknownEngine(f"DOCS_ENGINE={engine!r} is not a docs engine this project builds with; "
                            f"use one of: {', '.join(ENGINES)}")
    return engine


def env(extra: dict | None = None) -> dict:
    """The environment a build runs in: both engines' "MkDocs 2" warnings off, the engine passed on."""
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
            "DOCS_ENGINE": name(), **(extra or {})}


def command(*args: str, project: Path | None = None) -> list[str]:
    """`python -m <engine> <args> -f <project>/mkdocs.yml`, run by the interpreter running us."""
    config = (Path(project) / CONFIG) if project else Path(CONFIG)
    return [sys.executable, "-m", name(), *args, "--config-file", str(config)]


def build_command(dest: Path, project: Path | None = None, strict: bool = True) -> list[str]:
    args = ["build", "--quiet", "--site-dir", str(dest)]
    if strict:
        args.insert(1, "--strict")
    return command(*args, project=project)


def load_config(path: Path | str):
    """The engine's own config loader (plugins loaded, `!ENV` resolved), as a build would see it."""
    engine = name()
    if engine == "properdocs":
        # What `python -m properdocs` does first: from here on `import mkdocs.…` (Material, the i18n
        # plugin, our hook) resolves to ProperDocs, even with mkdocs installed alongside.
        importlib.import_module("properdocs.replacement")
    module = importlib.import_module(f"{engine}.config")
    return module.load_config(str(path))


def main(argv: list[str]) -> None:
    """`python -m kbtools.engine <engine args>`: run the chosen engine (what the Makefile calls)."""
    cmd = command(*argv)
    os.execve(cmd[0], cmd, env())


if __name__ == "__main__":
    main(sys.argv[1:])
