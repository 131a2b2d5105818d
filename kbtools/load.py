"""Read every file of kb/, validate it against its schema, run the consistency rules.

`load()` never raises for a contributor's mistake: it returns the model and the problems, and
`check()` turns errors into one `KbInvalid` carrying all of them. Whatever a file holds, an
exception while reading it becomes a problem naming the file.
"""
from __future__ import annotations

from pathlib import Path

from . import yamlio
from .model import ENTITY_FOLDERS, KB, OTHER_FOLDERS, ROOT_FILES, Entity, Fact
from .problems import KbInvalid, Problem
from .schemas import validate


def _schema_comment_problem(rel: str, schema: str, first: str, ident: str) -> Problem | None:
    want = f"# yaml-language-server: $schema=../schema/{schema}"
    if first.strip() != want and not rel.endswith("labels.yaml"):
        return Problem(rel, "schema-comment", "first line does not name the file's JSON Schema",
                       fact=ident, field="line 1", actual=first[:80], expected=want,
                       hint="editors use this line to complete and check fields")
    return None


def _crashed(rel: str, stem: str, exc: Exception) -> Problem:
    return Problem(rel, "unreadable", f"the file could not be read ({type(exc).__name__}: {str(exc)[:120]})",
                   fact=stem, hint="compare it with a working file of its folder; report it if it looks right")


def load(root: Path) -> tuple[KB, list[Problem]]:
    root = Path(root)
    kb = KB(root=root)
    problems: list[Problem] = []
    base = root.parent

    def rel(p: Path) -> str:
        return p.relative_to(base).as_posix()

    for path in sorted(root.rglob("*")):
        if path.suffix in (".yml",) or (path.suffix == ".yaml" and path.parent == root and path.name not in ROOT_FILES):
            problems.append(Problem(rel(path), "file-placement", "YAML file outside a kb folder or with .yml",
                                    fact=path.stem,
                                    hint="put entities in the folder of their kind, named <id>.yaml"))
    for path in sorted(root.glob("*/*.yaml")):
        folder = path.parent.name
        r = rel(path)
        if folder in ENTITY_FOLDERS:
            schema = f"{ENTITY_FOLDERS[folder]}.schema.json"
        elif folder in OTHER_FOLDERS:
            schema = f"{OTHER_FOLDERS[folder]}.schema.json"
        else:
            problems.append(Problem(r, "file-placement", f"unknown kb folder '{folder}'", fact=path.stem,
                                    expected=", ".join(sorted({**ENTITY_FOLDERS, **OTHER_FOLDERS})),
                                    hint="see the layout table in kb/README.md"))
            continue
        try:
            problems += _add(kb, root, path, r, folder, schema)
        except Exception as exc:   # noqa: BLE001 - whatever a file holds, the contributor gets a report
            kb.broken.add(path.stem)
            problems.append(_crashed(r, path.stem, exc))

    labels = root / "labels.yaml"
    if labels.exists() or labels.is_symlink():
        problems += _root_file(root, labels, rel(labels), "labels.schema.json",
                               lambda doc: setattr(kb, "labels", doc))
    else:
        problems.append(Problem("kb/labels.yaml", "labels", "kb/labels.yaml is missing", fact="labels",
                                hint="copy the labels file from git; every interface label lives there"))

    changelog = root / "changelog.yaml"   # optional: the history shown on the changelog page
    if changelog.exists() or changelog.is_symlink():
        problems += _root_file(root, changelog, rel(changelog), ROOT_FILES["changelog.yaml"],
                               lambda doc: setattr(kb, "changelog", doc["entries"]))

    synonyms = root / "synonyms.yaml"   # optional: words readers type, for the site search
    if synonyms.exists() or synonyms.is_symlink():
        problems += _root_file(root, synonyms, rel(synonyms), ROOT_FILES["synonyms.yaml"],
                               lambda doc: setattr(kb, "synonyms", doc["entries"]))

    # Facts go into the id index after all files are read, so a clash names both files.
    for ent in kb.entities.values():
        for fact in ent.facts:
            other = kb.files.get(fact.id)
            if other is not None or fact.id in kb.facts:
                where = other or kb.facts[fact.id].file
                problems.append(Problem(ent.file, "unique-ids", f"id '{fact.id}' is already used",
                                        fact=fact.id, field=f"{fact.field}.id", actual=fact.id,
                                        expected="an id unique across the whole kb",
                                        hint=f"also defined in {where}"))
                continue
            kb.facts[fact.id] = fact

    from .rules import run_all
    problems += run_all(kb)
    return kb, problems


def _root_file(root: Path, path: Path, r: str, schema: str, keep) -> list[Problem]:
    """labels.yaml or changelog.yaml: read, validate, and hand the document to `keep` if valid."""
    try:
        doc, problems = yamlio.read(path, r, root)
        if doc is not None:
            found = validate(doc, root / "schema", schema, r)
            problems += found
            if not found:
                keep(doc)
        return problems
    except Exception as exc:   # noqa: BLE001
        return [_crashed(r, path.stem, exc)]


def _add(kb: KB, root: Path, path: Path, r: str, folder: str, schema: str) -> list[Problem]:
    """Read one entity (or source, term, figure, …) file into the kb; return its problems."""
    doc, problems, first = yamlio.read_with_first_line(path, r, root)
    if doc is None:
        kb.broken.add(path.stem)   # unreadable: references to it are not reported again
        return problems
    ident = doc.get("id") if isinstance(doc, dict) and isinstance(doc.get("id"), str) else None
    if (p := _schema_comment_problem(r, schema, first, ident or path.stem)):
        problems.append(p)
    if not isinstance(doc, dict):
        problems.append(Problem(r, "schema:type", "file is not a YAML mapping", fact=path.stem,
                                expected="a mapping with id: …"))
        return problems
    schema_problems = validate(doc, root / "schema", schema, r)
    problems += schema_problems
    if schema_problems:
        if ident:
            kb.broken.add(ident)
        return problems
    # A glossary term may share the id of the entity it names: they anchor different pages.
    taken = kb.terms if folder == "glossary" else kb.files
    clash = taken.get(ident)
    if clash is not None:
        problems.append(Problem(r, "unique-ids", f"id '{ident}' is already used",
                                fact=ident, field="id", actual=r, expected="a unique id",
                                hint=f"also defined in {clash if isinstance(clash, str) else clash['file']}"))
        return problems
    if folder != "glossary":
        kb.files[ident] = r
    if folder in ENTITY_FOLDERS:
        ent = Entity(doc, r)
        ent.facts = [Fact(f, ent, i) for i, f in enumerate(doc["facts"])]
        kb.entities[ident] = ent
    elif folder == "sources":
        kb.sources[ident] = {**doc, "file": r}
    elif folder == "glossary":
        kb.terms[ident] = {**doc, "file": r}
    elif folder == "figures":
        kb.figures[ident] = {**doc, "file": r}
    elif folder == "guide":
        kb.guides[ident] = {**doc, "file": r}
    elif folder == "questions":
        kb.questions[ident] = {**doc, "file": r}
    else:
        kb.tables[ident] = {**doc, "file": r}
    return problems


def check(root: Path) -> KB:
    """Load, and raise KbInvalid if there is any error. Warnings are returned on kb.warnings."""
    kb, problems = load(root)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise KbInvalid(problems)
    kb.warnings = [p for p in problems if p.severity == "warning"]   # type: ignore[attr-defined]
    return kb
