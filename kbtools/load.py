"""Read every file of kb/, validate it against its schema, run the consistency rules.

`load()` never raises for a contributor's mistake: it returns the model and the problems, and
`check()` turns errors into one `KbInvalid` carrying all of them.
"""
from __future__ import annotations

from pathlib import Path

from . import yamlio
from .model import ENTITY_FOLDERS, KB, OTHER_FOLDERS, ROOT_FILES, Entity, Fact
from .problems import KbInvalid, Problem
from .schemas import validate


def _schema_comment_problem(path: Path, rel: str, schema: str, ident: str = "") -> Problem | None:
    first = path.read_text("utf-8", errors="replace").lstrip("\ufeff").split("\n", 1)[0]
    want = f"# yaml-language-server: $schema=../schema/{schema}"
    if first.strip() != want and not rel.endswith("labels.yaml"):
        return Problem(rel, "schema-comment", "first line does not name the file's JSON Schema",
                       fact=ident or path.stem, field="line 1", actual=first[:80], expected=want,
                       hint="editors use this line to complete and check fields")
    return None


def load(root: Path) -> tuple[KB, list[Problem]]:
    root = Path(root)
    kb = KB(root=root)
    problems: list[Problem] = []
    schema_dir = root / "schema"
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
        doc, raw_problems = yamlio.read(path, r)
        problems += raw_problems
        if doc is None:
            kb.broken.add(path.stem)   # unreadable: references to it are not reported again
            continue
        if (p := _schema_comment_problem(path, r, schema, doc.get("id") if isinstance(doc, dict) and isinstance(doc.get("id"), str) else "")):
            problems.append(p)
        if not isinstance(doc, dict):
            problems.append(Problem(r, "schema:type", "file is not a YAML mapping", fact=path.stem,
                                    expected="a mapping with id: …"))
            continue
        schema_problems = validate(doc, schema_dir, schema, r)
        problems += schema_problems
        ident = doc.get("id") if isinstance(doc.get("id"), str) else None
        if schema_problems:
            if ident:
                kb.broken.add(ident)
            continue
        # A glossary term may share the id of the entity it names: they anchor different pages.
        taken = kb.terms if folder == "glossary" else kb.files
        clash = taken.get(ident)
        if clash is not None:
            problems.append(Problem(r, "unique-ids", f"id '{ident}' is already used",
                                    fact=ident, field="id", actual=r, expected="a unique id",
                                    hint=f"also defined in {clash if isinstance(clash, str) else clash['file']}"))
            continue
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

    labels = root / "labels.yaml"
    if labels.exists():
        doc, raw_problems = yamlio.read(labels, rel(labels))
        problems += raw_problems
        if doc is not None:
            lp = validate(doc, schema_dir, "labels.schema.json", rel(labels))
            problems += lp
            if not lp:
                kb.labels = doc
    else:
        problems.append(Problem("kb/labels.yaml", "labels", "kb/labels.yaml is missing", fact="labels",
                                hint="copy the labels file from git; every interface label lives there"))

    changelog = root / "changelog.yaml"   # optional: the history shown on the changelog page
    if changelog.exists():
        doc, raw_problems = yamlio.read(changelog, rel(changelog))
        problems += raw_problems
        if doc is not None:
            cp = validate(doc, schema_dir, ROOT_FILES["changelog.yaml"], rel(changelog))
            problems += cp
            if not cp:
                kb.changelog = doc["entries"]

    synonyms = root / "synonyms.yaml"   # optional: words readers type, for the site search
    if synonyms.exists():
        doc, raw_problems = yamlio.read(synonyms, rel(synonyms))
        problems += raw_problems
        if doc is not None:
            sp = validate(doc, schema_dir, ROOT_FILES["synonyms.yaml"], rel(synonyms))
            problems += sp
            if not sp:
                kb.synonyms = doc["entries"]

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


def check(root: Path) -> KB:
    """Load, and raise KbInvalid if there is any error. Warnings are returned on kb.warnings."""
    kb, problems = load(root)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise KbInvalid(problems)
    kb.warnings = [p for p in problems if p.severity == "warning"]   # type: ignore[attr-defined]
    return kb
