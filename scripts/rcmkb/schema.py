"""JSON Schema checks, with schema errors turned into plain words and rule ids."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource

from rcmkb import fields
from rcmkb.findings import Findings
from rcmkb.load import Document
from rcmkb.messages import text


# Draft 2020-12 counts 2017.0 as an integer; the catalog does not (the site would show "2017.0").
def _is_integer(checker: Any, instance: Any) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


_STRICT_TYPES = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer)
_Validator = jsonschema.validators.extend(jsonschema.Draft202012Validator, type_checker=_STRICT_TYPES)


def _anchored(node: Any) -> Any:
    """The schema with each `pattern` matching whole values (see fields.whole)."""
    if isinstance(node, list):
        return [_anchored(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {key: (fields.whole(value).pattern if key == "pattern" and isinstance(value, str) else _anchored(value))
            for key, value in node.items()}


@lru_cache(maxsize=8)
def _validators(schema_dir: Path) -> dict[str, jsonschema.protocols.Validator]:
    contents = fields.schemas(schema_dir)
    registry: Registry = Registry().with_resources(
        (name, Resource.from_contents(_anchored(schema))) for name, schema in contents.items()
    )
    return {name: _Validator(_anchored(schema), registry=registry)
            for name, schema in fields.inlined(schema_dir).items()}


@lru_cache(maxsize=8)
def _resolved(schema_dir: Path) -> Path:
    return schema_dir.resolve()  # once, not per file: resolving walks every folder of the path


def schema_errors(doc: Document, schema_name: str, schema_dir: Path) -> list[jsonschema.ValidationError]:
    """Every way `doc` breaks its schema, in the order of the file's fields."""
    resolved = _resolved(schema_dir) if schema_dir.is_absolute() else schema_dir.resolve()
    valid = _quick_checks(resolved).get(schema_name)
    if valid is not None and valid(doc.data):
        return []
    validator = _validators(resolved)[schema_name]
    return sorted(validator.iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path)))


# --- A quick yes for valid files ----------------------------------------------------------------
# jsonschema walks every value through generic, per-keyword machinery; for a large catalog that was
# a third of validation, although nearly every file is valid. So each schema is also compiled into
# plain Python predicates that answer only "certainly valid" (then there are no errors to report)
# or "maybe not" (then jsonschema runs as before and finds the errors, with its own messages). A
# schema using a keyword the compiler does not know gets no predicate: jsonschema alone decides.

Check = Callable[[Any], bool]
_IGNORED_KEYWORDS = frozenset({"$schema", "$id", "$defs", "$comment", "title", "description", "default",
                               "examples", "format"})  # annotations: format is not asserted here either


class _Unsupported(Exception):
    pass


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_TYPE_TESTS: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),  # as _is_integer: 2017.0 is not
    "number": _is_number,
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _compile(schema: Any) -> Check:
    """A predicate that is True only where `schema` (in the subset used here) has no error."""
    if schema is True or schema == {}:
        return lambda value: True
    if not isinstance(schema, dict):
        raise _Unsupported(repr(schema))
    checks: list[Check] = []
    for keyword, rule in schema.items():
        if keyword in _IGNORED_KEYWORDS or keyword.startswith("x-"):
            continue
        checks.append(_keyword(keyword, rule, schema))
    if len(checks) == 1:
        return checks[0]
    return lambda value: all(check(value) for check in checks)


def _keyword(keyword: str, rule: Any, schema: dict[str, Any]) -> Check:
    if keyword == "type":
        tests = [_TYPE_TESTS[t] for t in (rule if isinstance(rule, list) else [rule])]
        return lambda v: any(test(v) for test in tests)
    if keyword == "properties":
        children = {name: _compile(sub) for name, sub in rule.items()}
        return lambda v: not isinstance(v, dict) or all(children[k](x) for k, x in v.items() if k in children)
    if keyword == "additionalProperties":
        if rule is not False or set(schema) & {"patternProperties"}:
            raise _Unsupported("additionalProperties other than false")
        allowed = frozenset(schema.get("properties") or {})
        return lambda v: not isinstance(v, dict) or all(isinstance(k, str) and k in allowed for k in v)
    if keyword == "required":
        names = tuple(rule)
        return lambda v: not isinstance(v, dict) or all(name in v for name in names)
    if keyword == "items":
        if "prefixItems" in schema:
            raise _Unsupported("prefixItems")
        item = _compile(rule)
        return lambda v: not isinstance(v, list) or all(item(x) for x in v)
    if keyword in ("minLength", "maxLength"):
        limit = int(rule)
        if keyword == "minLength":
            return lambda v: not isinstance(v, str) or len(v) >= limit
        return lambda v: not isinstance(v, str) or len(v) <= limit
    if keyword == "minItems":
        least = int(rule)
        return lambda v: not isinstance(v, list) or len(v) >= least
    if keyword in ("enum", "const"):
        options = rule if keyword == "enum" else [rule]
        if not all(isinstance(o, (str, bool)) for o in options):
            raise _Unsupported("an enum of numbers, lists or blocks")  # jsonschema compares those by type too
        texts = frozenset(o for o in options if isinstance(o, str))
        flags = tuple(o for o in options if isinstance(o, bool))  # true equals only true, never 1
        return lambda v: (v in texts if isinstance(v, str) else any(v is flag for flag in flags))
    if keyword == "uniqueItems":
        if not rule:
            return lambda v: True
        # Only lists of texts are answered here; anything else is left to jsonschema.
        return lambda v: not isinstance(v, list) or (all(isinstance(x, str) for x in v) and len(set(v)) == len(v))
    if keyword == "pattern":
        search = re.compile(rule).search  # as jsonschema: re.search on the (anchored) pattern
        return lambda v: not isinstance(v, str) or search(v) is not None
    if keyword in ("minimum", "maximum"):
        if not _is_number(rule):
            raise _Unsupported(keyword)
        if keyword == "minimum":
            return lambda v: not _is_number(v) or v >= rule
        return lambda v: not _is_number(v) or v <= rule
    if keyword in ("oneOf", "allOf", "anyOf"):
        alternatives = [_compile(sub) for sub in rule]
        if keyword == "allOf":
            return lambda v: all(alt(v) for alt in alternatives)
        if keyword == "anyOf":
            return lambda v: any(alt(v) for alt in alternatives)
        return lambda v: sum(1 for alt in alternatives if alt(v)) == 1
    raise _Unsupported(keyword)


@lru_cache(maxsize=8)
def _quick_checks(schema_dir: Path) -> dict[str, Check]:
    checks: dict[str, Check] = {}
    for name, validator in _validators(schema_dir).items():
        try:
            checks[name] = _compile(validator.schema)
        except (_Unsupported, KeyError, TypeError, ValueError, re.error):
            continue  # jsonschema alone decides for this schema
    return checks


def check_schema(doc: Document, schema_name: str, schema_dir: Path, findings: Findings, what: str) -> bool:
    """Validate `doc` against one schema; report each error at its line. Returns True when valid.

    `what` names the kind of file for the messages: entry, decision, glossary, vocabulary or
    link-exceptions.
    """
    errors = schema_errors(doc, schema_name, schema_dir)
    for error in errors:
        report(doc, error, findings, what, schema_name, schema_dir)
    return not errors


def field_label(path: list[Any] | tuple[Any, ...], lang: str = "en") -> str:
    """A field's place as a maintainer reads it: links[2].label.en (list items counted from 1)."""
    parts: list[str] = []
    for part in path:
        parts.append(f"[{part + 1}]" if isinstance(part, int) else ("." if parts else "") + str(part))
    return "".join(parts) or text("the-file", lang)


def _plain(value: Any) -> str:
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= 60 else shown[:57] + "..."


_PATTERN_RULES = {"id": "id-format", "date": "date-format", "term": "term-format", "site_page": "link-target"}


def rule_of(error: jsonschema.ValidationError) -> str:
    """The rule id a schema error is reported under."""
    keyword, path = error.validator, list(error.absolute_path)
    last = path[-1] if path else ""
    if keyword == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        return "missing-translation" if missing in ("es", "en") else "missing-field"
    if keyword == "type":
        return "empty-value" if error.instance is None else "wrong-type"
    if keyword in ("minItems", "minLength", "minProperties"):
        return "empty-value"
    if keyword == "pattern":
        return _PATTERN_RULES[_pattern_kind(error)]
    if keyword in ("minimum", "maximum"):
        return "implausible-date" if last == "year" else "out-of-range"
    return {"additionalProperties": "unknown-field", "enum": "unknown-value", "maxLength": "too-long",
            "uniqueItems": "repeated-value", "oneOf": "link-target"}.get(str(keyword), "wrong-type")


def _pattern_kind(error: jsonschema.ValidationError) -> str:
    pattern = str(error.validator_value)
    if pattern == fields.whole(fields.ID_PATTERN).pattern:
        return "id"
    if pattern == fields.whole(fields.TERM_PATTERN).pattern:
        return "term"
    path = list(error.absolute_path)
    if path and path[-1] == "site_page":
        return "site_page"
    if error.schema.get("x-date"):
        return "date"
    return "term"


def _what(what: str, lang: str) -> str:
    return text(f"what-{what}", lang)


def report(doc: Document, error: jsonschema.ValidationError, findings: Findings, what: str,
           schema_name: str = fields.ENTRY, schema_dir: Path = fields.SCHEMA_DIR,
           suggest: Callable[[tuple[Any, ...], str], str] | None = None) -> None:
    """One schema error as a finding. `suggest(path, value)` may add a did-you-mean to a term-format error."""
    lang = findings.lang
    path = list(error.absolute_path)
    name = field_label(path, lang)
    line, col = doc.where(tuple(path))
    keyword = error.validator
    rule = rule_of(error)

    def say(key: str, at: tuple[int, int] = (line, col), **params: Any) -> None:
        findings.say(doc.path, at[0], at[1], rule, key, name=name, **params)

    if keyword == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        at = doc.where_key(tuple(path)) if path else (line, col)  # the line that names the block
        if rule == "missing-translation":
            say("missing-translation", at, lang_code=missing, language=text(f"language-{missing}", lang))
        else:
            meaning = ((error.schema.get("properties") or {}).get(missing) or {}).get("description", "")
            say("missing-field-inside" if path else "missing-field", at, what=_what(what, lang), field=missing,
                meaning=text("missing-field-meaning", lang, meaning=meaning) if meaning else "")
    elif keyword == "additionalProperties":
        allowed = sorted((error.schema.get("properties") or {}).keys())
        for extra in sorted(map(str, set(error.instance) - set(allowed))):
            guess = difflib.get_close_matches(extra, allowed, n=1, cutoff=0.6)
            hint = (text("did-you-mean", lang, guess=guess[0]) if guess
                    else text("allowed-here", lang, allowed=", ".join(allowed)))
            say("unknown-field", doc.where_key(tuple(path) + (extra,)), field=extra,
                where=_what(what, lang) if not path else name, hint=hint)
    elif keyword == "type":
        expected = error.validator_value
        expected_types = expected if isinstance(expected, list) else [expected]
        words = text("type-or", lang).join(text(f"type-{t}", lang) for t in expected_types)
        if error.instance is None:
            found = fields.field(tuple(path), schema_name, schema_dir)
            optional = found is not None and not found.required
            say("empty-value-optional" if optional else "empty-value-required", expected=words)
        else:
            say("wrong-type", expected=words, value=_plain(error.instance),
                hint=_type_hint(str(expected_types[0]), path, error, schema_name, schema_dir, lang))
    elif keyword == "enum":
        options = ", ".join(str(v) for v in error.validator_value)
        guess = difflib.get_close_matches(str(error.instance), [str(v) for v in error.validator_value], n=1)
        say("unknown-value", value=_plain(error.instance), options=options,
            hint=text("did-you-mean", lang, guess=guess[0]) if guess else "")
    elif keyword == "pattern":
        kind = _pattern_kind(error)
        advice = text(f"pattern-{kind}", lang)
        if kind == "date" and error.schema.get("x-date") == "full":
            advice = text("pattern-full-date", lang)
        if kind == "id" and path and path[-1] != "id" and not (len(path) > 1 and path[-2] == "former_ids"):
            advice = text("pattern-reference", lang)
        hint = suggest(tuple(path), error.instance) if suggest and kind == "term" else ""
        say("pattern", value=_plain(error.instance), advice=advice + hint)
    elif keyword in ("minItems", "minLength", "minProperties"):
        found = fields.field(tuple(path), schema_name, schema_dir)
        optional = found is not None and not found.required
        say("empty-optional" if optional else "empty-required")
    elif keyword == "maxLength":
        say("too-long", length=len(error.instance), limit=error.validator_value)
    elif keyword == "uniqueItems":
        repeated = sorted({json.dumps(v, ensure_ascii=False) for v in error.instance if error.instance.count(v) > 1})
        say("repeated-value", values=", ".join(repeated))
    elif keyword in ("minimum", "maximum"):
        say("out-of-range-minimum" if keyword == "minimum" else "out-of-range-maximum",
            value=_plain(error.instance), limit=error.validator_value)
    elif keyword == "oneOf":
        alternatives = [alt["required"][0] for alt in error.validator_value if alt.get("required")]
        if alternatives == ["url", "site_page"]:
            say("one-of-link")
        else:
            say("one-of", options=text("type-or", lang).join(f"`{o}`" for o in alternatives))
    else:
        say("schema-other", problem=error.message[:200])


def _type_hint(expected: str, path: list[Any], error: jsonschema.ValidationError, schema_name: str,
               schema_dir: Path, lang: str) -> str:
    """How to write the value in the expected shape, with the maintainer's own field and value."""
    key = next((str(p) for p in reversed(path) if isinstance(p, str)), "field")
    instance = error.instance
    found = fields.field(tuple(path), schema_name, schema_dir)
    if found is not None and found.bilingual:
        return text("hint-bilingual", lang, key=key)
    if expected == "array":
        shown = instance if isinstance(instance, str) and len(instance) < 40 else "..."
        return text("hint-array", lang, key=key, value=shown)
    if expected == "string":
        return text("hint-string", lang)
    if expected == "integer":
        return text("hint-integer", lang, key=key)
    if expected == "object":
        if len(path) == 2 and path[0] == "links" and isinstance(path[1], int):
            return text("hint-link-block", lang)
        return text("hint-object", lang, key=key)
    return text("hint-template", lang)
