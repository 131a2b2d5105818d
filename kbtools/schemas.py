"""JSON Schema validation of kb files with readable, located messages."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .problems import Problem


@lru_cache(maxsize=4)
def _registry(schema_dir: Path) -> Registry:
    resources = []
    for path in sorted(schema_dir.glob("*.schema.json")):
        resources.append((path.name, Resource.from_contents(json.loads(path.read_text("utf-8")),
                                                           default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


def validator(schema_dir: Path, name: str) -> Draft202012Validator:
    registry = _registry(schema_dir)
    return Draft202012Validator(registry.contents(name), registry=registry)


def _path(parts) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _leaf(err: ValidationError) -> ValidationError:
    # oneOf/anyOf/allOf wrap the useful message; pick the deepest, most specific one, and prefer the
    # branch whose type matched (an integer over its maximum is "too large", not "not a string").
    while err.context:
        err = max(err.context, key=lambda e: (len(e.absolute_path), e.validator != "type", -len(e.message)))
    return err


def _fact_id(doc, parts) -> str:
    node, found = doc, ""
    for p in parts:
        try:
            node = node[p]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            found = node["id"]
    return found or (doc.get("id", "") if isinstance(doc, dict) else "")


def _explain(err: ValidationError) -> tuple[str, str, str, str]:
    """message, actual, expected, hint for one error."""
    v, kw = err.validator, err.validator_value
    actual = json.dumps(err.instance, ensure_ascii=False)[:80]
    if v == "enum":
        return ("value is not one of the allowed values", actual, " | ".join(map(str, kw)),
                "use one of the values listed under expected")
    if v == "const":
        return ("value does not match its schema", actual, json.dumps(kw, ensure_ascii=False),
                "the folder decides the kind; move the file or fix `kind`")
    if v == "required":
        missing = [k for k in kw if k not in err.instance]
        return (f"missing required field(s): {', '.join(missing)}", "absent", ", ".join(missing),
                "every fact needs id, claims, status, text {ko, en}, sources and verified")
    if v == "additionalProperties":
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
        return (f"unknown field(s): {', '.join(extra)}", ", ".join(extra),
                ", ".join(sorted(err.schema.get("properties", {}))), "check the spelling against kb/README.md")
    if v == "pattern":
        hints = {"^[a-z0-9]+(-[a-z0-9]+)*$": "ids are ASCII kebab-case: lower-case letters, digits and single hyphens",
                 "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "write dates as YYYY-MM-DD"}
        return ("value does not have the required form", actual, f"matching {kw}",
                hints.get(kw, "see the field's description in kb/schema"))
    if v in ("minItems", "minLength"):
        return (f"too short ({v} {kw})", actual, f"at least {kw}", "this field cannot be empty")
    if v in ("maxLength", "maxItems", "maximum"):
        return (f"too large ({v} {kw})", actual[:40] + ("…" if len(actual) > 40 else ""), f"at most {kw}",
                "split long text into `details`, or check the number")
    if v == "type":
        return ("wrong type", f"{type(err.instance).__name__} {actual}", str(kw),
                "quote strings that look like numbers or booleans; lists use - items")
    if v == "uniqueItems":
        return ("list has duplicate items", actual, "each item once", "remove the repeated id")
    return (err.message, actual, "", "")


def validate(doc, schema_dir: Path, schema_name: str, rel: str) -> list[Problem]:
    problems = []
    for err in validator(schema_dir, schema_name).iter_errors(doc):
        leaf = _leaf(err)
        message, actual, expected, hint = _explain(leaf)
        problems.append(Problem(rel, f"schema:{leaf.validator}", message,
                                fact=_fact_id(doc, list(leaf.absolute_path)),
                                field=_path(leaf.absolute_path) or "(file)",
                                actual=actual, expected=expected, hint=hint))
    return problems
