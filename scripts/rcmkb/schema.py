"""JSON Schema checks, with schema errors turned into plain words and rule ids."""

from __future__ import annotations

import difflib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource

from rcmkb.findings import Findings
from rcmkb.load import Document

SCHEMA_FILES = ("entry.schema.json", "decision.schema.json", "glossary.schema.json", "vocabulary.schema.json",
                "link-exceptions.schema.json")


@lru_cache(maxsize=8)
def _validators(schema_dir: Path) -> dict[str, jsonschema.Draft202012Validator]:
    contents = {name: json.loads((schema_dir / name).read_text(encoding="utf-8")) for name in SCHEMA_FILES}
    registry: Registry = Registry().with_resources(
        (name, Resource.from_contents(schema)) for name, schema in contents.items()
    )
    return {name: jsonschema.Draft202012Validator(_inline_refs(schema, name, contents), registry=registry)
            for name, schema in contents.items()}


# Keywords that only annotate: a $ref's target and its siblings may both carry them.
_ANNOTATIONS = frozenset({"description", "title", "$comment", "examples", "default"})


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
            if (set(siblings) & set(resolved)) - _ANNOTATIONS:
                return {"allOf": [resolved], **siblings}  # both apply, as a $ref with siblings does
            return {**resolved, **siblings}
    return {k: _inline_refs(v, base, contents, stack) for k, v in node.items()}


def check_schema(doc: Document, schema_name: str, schema_dir: Path, findings: Findings, what: str) -> bool:
    """Validate `doc` against one schema; report each error at its line. Returns True when valid."""
    validator = _validators(schema_dir.resolve())[schema_name]
    valid = True
    for error in sorted(validator.iter_errors(doc.data), key=lambda e: (list(map(str, e.absolute_path)))):
        valid = False
        _report(doc, error, findings, what)
    return valid


def _plain(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _field_name(path: list[Any]) -> str:
    parts = []
    for part in path:
        parts.append(f"[{part + 1}]" if isinstance(part, int) else ("." if parts else "") + str(part))
    return "".join(parts) or "the file"


def _report(doc: Document, error: jsonschema.ValidationError, findings: Findings, what: str) -> None:
    path = list(error.absolute_path)
    name = _field_name(path)
    line, col = doc.where(tuple(path))
    keyword = error.validator
    if keyword == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        line, col = doc.where_key(tuple(path)) if path else (line, col)  # the line that names the block
        if missing in ("es", "en"):
            language = "Spanish" if missing == "es" else "English"
            findings.add(doc.path, line, col, "missing-translation",
                         f"{name} has no {language} text: add `{missing}:` (both languages are required).")
        else:
            meaning = ((error.schema.get("properties") or {}).get(missing) or {}).get("description", "")
            findings.add(doc.path, line, col, "missing-field",
                         f"{what} must have the field `{missing}`" + (f" inside {name}" if path else "") + "."
                         + (f" It holds: {meaning}" if meaning else "")
                         + " See the annotated template in CONTRIBUTING.")
    elif keyword == "additionalProperties":
        allowed = sorted((error.schema.get("properties") or {}).keys())
        for extra in sorted(set(error.instance) - set(allowed)):
            kline, kcol = doc.where_key(tuple(path) + (extra,))
            guess = difflib.get_close_matches(str(extra), allowed, n=1, cutoff=0.6)
            hint = f' Did you mean `{guess[0]}`?' if guess else f" Allowed here: {', '.join(allowed)}."
            findings.add(doc.path, kline, kcol, "unknown-field",
                         f"`{extra}` is not a field of {what if not path else name}.{hint}")
    elif keyword == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        words = {"string": "text", "array": "a list", "object": "a block of fields", "integer": "a whole number",
                 "null": "empty"}
        expected_words = " or ".join(words.get(t, t) for t in str(expected).split(" or "))
        if error.instance is None:
            findings.add(doc.path, line, col, "empty-value",
                         f"{name} has no value: fill it in (it must be {expected_words}) or remove the field.")
        else:
            findings.add(doc.path, line, col, "wrong-type",
                         f"{name} must be {expected_words}, but it is {_plain(error.instance)}. "
                         + _type_hint(str(expected), path, error.instance))
    elif keyword == "enum":
        options = ", ".join(str(v) for v in error.validator_value)
        guess = difflib.get_close_matches(str(error.instance), [str(v) for v in error.validator_value], n=1)
        hint = f" Did you mean `{guess[0]}`?" if guess else ""
        findings.add(doc.path, line, col, "unknown-value",
                     f"{name} is {_plain(error.instance)}, which is not allowed.{hint} Allowed values: {options}.")
    elif keyword == "pattern":
        rule, advice = _pattern_advice(path)
        findings.add(doc.path, line, col, rule, f"{name} is {_plain(error.instance)}: {advice}")
    elif keyword in ("minItems", "minLength", "minProperties"):
        findings.add(doc.path, line, col, "empty-value", f"{name} is empty: fill it in or remove the field.")
    elif keyword == "maxLength":
        findings.add(doc.path, line, col, "too-long",
                     f"{name} has {len(error.instance)} characters, more than the {error.validator_value} allowed: "
                     "shorten it (a summary is two to four sentences; do not paste the document's text).")
    elif keyword == "uniqueItems":
        repeated = sorted({json.dumps(v, ensure_ascii=False) for v in error.instance
                           if error.instance.count(v) > 1})
        findings.add(doc.path, line, col, "repeated-value",
                     f"{name} lists {', '.join(repeated)} more than once: remove the repeat.")
    elif keyword in ("minimum", "maximum"):
        rule = "implausible-date" if path and path[-1] == "year" else "out-of-range"
        findings.add(doc.path, line, col, rule,
                     f"{name} is {_plain(error.instance)}, which cannot be right "
                     f"(it must be {'at least' if keyword == 'minimum' else 'at most'} {error.validator_value}).")
    elif keyword == "oneOf":
        options = [alt["required"][0] for alt in error.validator_value if alt.get("required")]
        if options == ["url", "site_page"]:
            message = f"{name} needs exactly one of `url` (an https:// address) or `site_page` (a page of this site)."
        else:
            message = f"{name} needs exactly one of " + " or ".join(f"`{o}`" for o in options) + "."
        findings.add(doc.path, line, col, "link-target", message)
    else:
        findings.add(doc.path, line, col, "schema", f"{name}: {error.message}")


def _type_hint(expected: str, path: list[Any], instance: Any) -> str:
    """How to write the value in the expected shape, with the maintainer's own field and value."""
    key = next((str(p) for p in reversed(path) if isinstance(p, str)), "field")
    if expected.startswith("array"):
        return f"Write it as a list in brackets, e.g. `{key}: [{instance}]`."
    if expected.startswith("string"):
        return "Put the text in quotes (e.g. \"2016-11\"); without quotes YAML reads numbers, dates and yes/no."
    if expected.startswith("integer"):
        return "Write a plain number without quotes, e.g. `year: 2016`."
    if expected.startswith("object"):
        return f"Write `{key}:` on its own line, then the fields of the block indented below it (e.g. es: and en:)."
    return "See the annotated template in CONTRIBUTING."


def _pattern_advice(path: list[Any]) -> tuple[str, str]:
    last = path[-1] if path else ""
    parent = path[-2] if len(path) > 1 else ""
    if last == "id" or parent in ("former_ids",):
        return "id-format", ("an id uses only lowercase letters a-z, digits and single hyphens "
                             "(e.g. iom-handbook-vulnerable-migrants-2019); no spaces, accents, dots or slashes.")
    if last in ("added", "reviewed", "expires"):
        return "date-format", 'write the date as "YYYY-MM-DD" in quotes, e.g. "2026-11-28".'
    if parent == "dates" or last == "date":
        return "date-format", 'write the date as "YYYY", "YYYY-MM" or "YYYY-MM-DD" in quotes.'
    if last == "site_page":
        return "link-target", "site_page is the name of a page under docs/, e.g. informe-2017.md."
    if parent in ("supersedes", "preceded_by", "related", "adopted_by", "requested_by", "concerns", "entries"):
        return "id-format", "ids use only lowercase letters a-z, digits and single hyphens."
    return "term-format", "terms use letters, digits and hyphens only (see catalog/vocab/)."
