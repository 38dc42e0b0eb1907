"""The catalog's fields, read from the marks in the JSON Schemas (the one source of truth).

The schemas in catalog/schema/ carry a few `x-` keywords that JSON Schema ignores and that say what
a field is for the rest of the code:

- `x-vocabulary: <name>`: its values are terms of catalog/vocab/<name>.yml;
- `x-references: entries|decisions`: its values are ids of other catalog files;
- `x-plain-text: true`: text shown exactly as written, where markup is refused;
- `x-bilingual: true`: a block with the Spanish (`es`) and English (`en`) forms;
- `x-inline-list: true`: a list of free text usually written inline (`[a, b]`);
- `x-date: partial|full`: a quoted date ("2016", "2016-11", "2016-11-18"; full: always the day);
- `x-url: true`: a web address;
- `x-former-ids: true`: ids an entry had before a rename.

Validation rules, `rcmkb new`, the exports and the benchmark's synthetic data ask this module, so a
new vocabulary field, say, needs only its mark in the schema. Paths use "*" for "every item of a list".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rcmkb.paths import PACKAGE_DIR

SCHEMA_DIR = PACKAGE_DIR.parents[1] / "catalog" / "schema"
SCHEMA_FILES = ("entry.schema.json", "decision.schema.json", "glossary.schema.json", "vocabulary.schema.json",
                "link-exceptions.schema.json")
ENTRY = "entry.schema.json"
DECISION = "decision.schema.json"
GLOSSARY = "glossary.schema.json"
VOCABULARY = "vocabulary.schema.json"
LINK_EXCEPTIONS = "link-exceptions.schema.json"
ANY = "*"  # in a field path: every item of a list

FieldPath = tuple[str, ...]

# Keywords that only annotate: a $ref's target and its siblings may both carry them.
_ANNOTATIONS = frozenset({"description", "title", "$comment", "examples", "default"})


@dataclass(frozen=True)
class Field:
    """One field of a schema, as its marks describe it."""

    path: FieldPath
    schema: dict[str, Any]
    required: bool

    @property
    def name(self) -> str:
        return next((part for part in reversed(self.path) if part != ANY), "")

    @property
    def vocabulary(self) -> str | None:
        return self.schema.get("x-vocabulary")

    @property
    def references(self) -> str | None:
        return self.schema.get("x-references")

    @property
    def plain_text(self) -> bool:
        return bool(self.schema.get("x-plain-text"))

    @property
    def bilingual(self) -> bool:
        return bool(self.schema.get("x-bilingual"))

    @property
    def date(self) -> str | None:
        return self.schema.get("x-date")

    @property
    def description(self) -> str:
        return str(self.schema.get("description", ""))

    @property
    def enum(self) -> tuple[Any, ...]:
        values = self.schema.get("enum") or (self.schema.get("items") or {}).get("enum") or ()
        return tuple(values)

    @property
    def is_list(self) -> bool:
        return self.schema.get("type") == "array" or "items" in self.schema


@lru_cache(maxsize=8)
def schemas(schema_dir: Path = SCHEMA_DIR) -> dict[str, dict[str, Any]]:
    """Every schema file, as written."""
    return {name: json.loads((schema_dir / name).read_text(encoding="utf-8")) for name in SCHEMA_FILES}


@lru_cache(maxsize=8)
def inlined(schema_dir: Path = SCHEMA_DIR) -> dict[str, dict[str, Any]]:
    """Every schema with the $refs to our own files replaced by their targets (marks travel along)."""
    contents = schemas(schema_dir)
    return {name: _inline_refs(schema, name, contents) for name, schema in contents.items()}


def _inline_refs(node: Any, base: str, contents: dict[str, Any], stack: tuple[str, ...] = ()) -> Any:
    """The schema with each $ref to our own schema files replaced by its target.

    Resolving a $ref at every use was half of the validation time of a large catalog; doing it
    once here gives the same results. A $ref that cannot be inlined (a cycle, another site)
    stays and is resolved through the registry as before.
    """
    if isinstance(node, list):
        return [_inline_refs(item, base, contents, stack) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        file_name, _, pointer = ref.partition("#")
        file_name = file_name or base
        key = f"{file_name}#{pointer}"
        if file_name in contents and key not in stack and (not pointer or pointer.startswith("/")):
            target: Any = contents[file_name]
            for part in pointer.split("/")[1:]:
                target = target[part.replace("~1", "/").replace("~0", "~")]
            resolved = _inline_refs(target, file_name, contents, (*stack, key))
            siblings = {k: _inline_refs(v, base, contents, stack) for k, v in node.items() if k != "$ref"}
            if (set(siblings) & set(resolved)) - _ANNOTATIONS - {k for k in siblings if k.startswith("x-")}:
                return {"allOf": [resolved], **siblings}  # both apply, as a $ref with siblings does
            return {**resolved, **siblings}
    return {k: _inline_refs(v, base, contents, stack) for k, v in node.items()}


def _merged(node: dict[str, Any]) -> dict[str, Any]:
    """A schema node with the parts of its allOf folded in (what a $ref with siblings became)."""
    if "allOf" not in node:
        return node
    result: dict[str, Any] = {}
    for part in node["allOf"]:
        result.update(_merged(part))
    result.update({k: v for k, v in node.items() if k != "allOf"})
    return result


def _walk(node: dict[str, Any], path: FieldPath, required: bool) -> Iterator[Field]:
    node = _merged(node)
    if path:
        yield Field(path, node, required)
    for name, child in (node.get("properties") or {}).items():
        yield from _walk(child, path + (name,), name in (node.get("required") or ()))
    items = node.get("items")
    if isinstance(items, dict):
        yield from _walk(items, path + (ANY,), True)


@lru_cache(maxsize=32)
def fields(schema_name: str = ENTRY, schema_dir: Path = SCHEMA_DIR) -> tuple[Field, ...]:
    """Every field of one schema, parents before their children."""
    return tuple(_walk(inlined(schema_dir)[schema_name], (), True))


@lru_cache(maxsize=64)
def field(path: FieldPath, schema_name: str = ENTRY, schema_dir: Path = SCHEMA_DIR) -> Field | None:
    """The field at `path` (list positions may be given as numbers or "*")."""
    wanted = tuple(ANY if isinstance(part, int) else str(part) for part in path)
    return _by_path(schema_name, schema_dir).get(wanted)


@lru_cache(maxsize=32)
def _by_path(schema_name: str, schema_dir: Path) -> dict[FieldPath, Field]:
    return {f.path: f for f in fields(schema_name, schema_dir)}


@lru_cache(maxsize=64)
def marked(mark: str, schema_name: str = ENTRY, schema_dir: Path = SCHEMA_DIR) -> tuple[Field, ...]:
    """The fields that carry `mark` (e.g. "x-vocabulary")."""
    return tuple(f for f in fields(schema_name, schema_dir) if f.schema.get(mark))


@lru_cache(maxsize=64)
def vocabulary_fields(schema_name: str = ENTRY, schema_dir: Path = SCHEMA_DIR) -> dict[FieldPath, str]:
    """Field path -> the vocabulary its terms come from (the path of a list ends in "*")."""
    result: dict[FieldPath, str] = {}
    for f in marked("x-vocabulary", schema_name, schema_dir):
        result[f.path + ((ANY,) if f.is_list else ())] = str(f.vocabulary)
    return result


@lru_cache(maxsize=64)
def entry_term_fields(schema_dir: Path = SCHEMA_DIR) -> dict[str, str]:
    """Top-level entry field -> vocabulary: what the site browses by (type, themes, countries...)."""
    return {f.path[0]: str(f.vocabulary) for f in marked("x-vocabulary", ENTRY, schema_dir) if len(f.path) == 1}


@lru_cache(maxsize=64)
def reference_fields(schema_name: str = ENTRY, schema_dir: Path = SCHEMA_DIR) -> dict[FieldPath, str]:
    """Field path -> "entries" or "decisions": fields whose values are ids of other catalog files."""
    return {f.path + ((ANY,) if f.is_list else ()): str(f.references)
            for f in marked("x-references", schema_name, schema_dir)}


@lru_cache(maxsize=64)
def plain_text_fields(schema_name: str = ENTRY, schema_dir: Path = SCHEMA_DIR) -> tuple[FieldPath, ...]:
    return tuple(f.path for f in marked("x-plain-text", schema_name, schema_dir))


@lru_cache(maxsize=64)
def bilingual_fields(schema_name: str = ENTRY, schema_dir: Path = SCHEMA_DIR) -> tuple[FieldPath, ...]:
    return tuple(f.path for f in marked("x-bilingual", schema_name, schema_dir))


@lru_cache(maxsize=64)
def inline_list_fields(schema_name: str = ENTRY, schema_dir: Path = SCHEMA_DIR) -> tuple[FieldPath, ...]:
    return tuple(f.path + (ANY,) for f in marked("x-inline-list", schema_name, schema_dir))


@lru_cache(maxsize=64)
def date_fields(schema_name: str = ENTRY, schema_dir: Path = SCHEMA_DIR) -> dict[FieldPath, str]:
    """Field path -> "partial" or "full"."""
    return {f.path: str(f.date) for f in marked("x-date", schema_name, schema_dir)}


@lru_cache(maxsize=64)
def url_fields(schema_name: str = ENTRY, schema_dir: Path = SCHEMA_DIR) -> tuple[FieldPath, ...]:
    return tuple(f.path for f in marked("x-url", schema_name, schema_dir))


@lru_cache(maxsize=64)
def former_id_fields(schema_name: str = ENTRY, schema_dir: Path = SCHEMA_DIR) -> tuple[FieldPath, ...]:
    return tuple(f.path + (ANY,) for f in marked("x-former-ids", schema_name, schema_dir))


@lru_cache(maxsize=64)
def enum_values(path: FieldPath, schema_name: str = ENTRY, schema_dir: Path = SCHEMA_DIR) -> tuple[str, ...]:
    """The allowed values of a choice field, in the schema's order (e.g. ("links", "*", "kind"))."""
    found = field(path, schema_name, schema_dir)
    return tuple(str(v) for v in found.enum) if found else ()


LINK_KINDS = enum_values(("links", ANY, "kind"))
LINK_FORMATS = enum_values(("links", ANY, "format"))


def _definition_pattern(name: str, schema_dir: Path = SCHEMA_DIR) -> str:
    return str(schemas(schema_dir)[ENTRY]["$defs"][name]["pattern"])


ID_PATTERN = _definition_pattern("id")  # entry and decision ids: the one place is entry.schema.json
TERM_PATTERN = _definition_pattern("term")
ID_MAX_LENGTH = int(schemas()[ENTRY]["$defs"]["id"]["maxLength"])


def whole(pattern: str) -> re.Pattern[str]:
    """A schema pattern compiled to match whole values only.

    In Python, `$` also matches before a final newline, so "old-one\\n" would pass `^[a-z-]+$`; the
    schema's ECMAScript patterns are anchored at the very start and end, which `\\A` and `\\Z` say.
    """
    body = pattern
    if body.startswith("^"):
        body = "\\A" + body[1:]
    if body.endswith("$") and not body.endswith("\\$"):
        body = body[:-1] + "\\Z"
    return re.compile(body)


ID = whole(ID_PATTERN)
TERM = whole(TERM_PATTERN)


def values_at(data: Any, path: FieldPath) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every concrete (path, value) of a document that a field path names; "*" goes through each item.

    Anything of the wrong shape on the way is skipped (the schema reports it): a bare string where
    a list of blocks is expected never raises.
    """
    def walk(node: Any, rest: FieldPath, where: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
        if not rest:
            yield where, node
            return
        head, tail = rest[0], rest[1:]
        if head == ANY:
            if isinstance(node, list):
                for index, item in enumerate(node):
                    yield from walk(item, tail, where + (index,))
        elif isinstance(node, dict) and head in node:
            yield from walk(node[head], tail, where + (head,))

    yield from walk(data, path, ())
