"""The loaded knowledge base: entities with their facts, sources, terms, tables and labels."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

LANGS = ("ko", "en")

# folder -> (schema file, kind). The folder decides the kind so a file cannot hide elsewhere.
ENTITY_FOLDERS = {
    "runtimes": "runtime", "building": "build-tool", "ci-cd": "ci-service",
    "orchestration": "orchestrator", "isolation": "isolation-mode", "base-images": "base-image",
    "editions": "edition", "limitations": "limitation", "releases": "os-release",
}
OTHER_FOLDERS = {"sources": "source", "glossary": "term", "tables": "table", "guide": "guide",
                 "figures": "figure", "questions": "question"}
ROOT_FILES = {"labels.yaml": "labels.schema.json", "changelog.yaml": "changelog.schema.json",
              "synonyms.yaml": "synonyms.schema.json"}

CLAIMS = tuple(f"R{n:02d}" for n in range(1, 62))


@dataclass
class Fact:
    data: dict
    entity: "Entity"
    index: int

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def file(self) -> str:
        return self.entity.file

    @property
    def field(self) -> str:
        return f"facts[{self.index}]"

    @property
    def topic(self) -> str:
        return self.data.get("topic") or self.entity.topic

    @property
    def status(self) -> str:
        return self.data["status"]

    @property
    def values(self) -> dict:
        return self.data.get("values") or {}

    @property
    def sources(self) -> list[str]:
        return list(self.data["sources"])

    def all_sources(self) -> list[str]:
        """Sources of the fact and of its current-state note, in citation order, once each."""
        out = list(self.data["sources"])
        for s in (self.data.get("current") or {}).get("sources", []):
            if s not in out:
                out.append(s)
        return out


@dataclass
class Entity:
    data: dict
    file: str
    facts: list[Fact] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def kind(self) -> str:
        return self.data["kind"]

    @property
    def topic(self) -> str:
        return self.data["topic"]

    def value(self, key: str):
        """(fact, value) for a value key of this entity, or (None, None)."""
        for fact in self.facts:
            if key in fact.values:
                return fact, fact.values[key]
        return None, None


@dataclass
class KB:
    root: Path
    entities: dict[str, Entity] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    sources: dict[str, dict] = field(default_factory=dict)
    terms: dict[str, dict] = field(default_factory=dict)
    tables: dict[str, dict] = field(default_factory=dict)
    labels: dict = field(default_factory=lambda: {"ui": {}, "values": {}})
    guides: dict[str, dict] = field(default_factory=dict)      # kb/guide/<id>.yaml: decision-guide cases
    figures: dict[str, dict] = field(default_factory=dict)     # kb/figures/<id>.yaml: SVG figures
    questions: dict[str, dict] = field(default_factory=dict)   # kb/questions/<id>.yaml: what engineers ask
    changelog: list[dict] = field(default_factory=list)      # kb/changelog.yaml entries, oldest first
    synonyms: list[dict] = field(default_factory=list)       # kb/synonyms.yaml: what readers type, for search
    files: dict[str, str] = field(default_factory=dict)      # id -> file of every loaded thing
    broken: set[str] = field(default_factory=set)           # ids of files that failed the schema

    @property
    def as_of(self) -> str:
        """The knowledge base's own date: the latest verification. Builds use it, never the clock."""
        dates = [f.data["verified"] for f in self.facts.values()]
        return max(dates) if dates else "1970-01-01"

    def aliases(self) -> dict[str, str]:
        """old id -> current id, for facts and entities."""
        out = {}
        for ent in self.entities.values():
            for old in ent.data.get("aliases", []):
                out[old] = ent.id
            for fact in ent.facts:
                for old in fact.data.get("aliases", []):
                    out[old] = fact.id
        return out

    def retired(self) -> dict[str, dict]:
        return {r["id"]: {**r, "entity": e.id} for e in self.entities.values() for r in e.data.get("retired", [])}

    def ui(self, key: str, lang: str) -> str:
        return self.labels["ui"][key][lang]
