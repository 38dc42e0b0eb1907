"""What the rules look at: the loaded catalog and facts derived from it, computed once and never written back.

The loaded `Catalog` stays as it was read. Where a rule needs a cleaned-up picture (the terms of
vocabularies that passed their schema, the ids in use), it asks this view, which derives it.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import jsonschema

from rcmkb import fields
from rcmkb.catalog import Catalog
from rcmkb.findings import Finding, Findings
from rcmkb.load import Document
from rcmkb.schema import schema_errors


@dataclass(frozen=True, eq=False)
class File:
    """One loaded catalog file and what kind of file it is."""

    doc: Document
    kind: str  # entry, decision, vocabulary, glossary, link-exceptions (also the `what-` message key)
    schema: str  # its schema file

    @property
    def data(self) -> Any:
        return self.doc.data

    def values(self, path: fields.FieldPath) -> Iterator[tuple[tuple[Any, ...], Any]]:
        """Every (path, value) a field path names in this file; found once, asked by many rules."""
        if path not in self._values:
            self._values[path] = list(fields.values_at(self.doc.data, path))
        return iter(self._values[path])

    @cached_property
    def _values(self) -> dict[fields.FieldPath, list[tuple[tuple[Any, ...], Any]]]:
        return {}

    @cached_property
    def texts(self) -> list[tuple[tuple[Any, ...], str, bool]]:
        """(path, text, is_key) for every text of the file, field names included (walked once per file)."""
        found: list[tuple[tuple[Any, ...], str, bool]] = []

        def walk(node: Any, path: tuple[Any, ...]) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    found.append((path + (key,), str(key), True))
                    walk(value, path + (key,))
            elif isinstance(node, list):
                for index, value in enumerate(node):
                    walk(value, path + (index,))
            elif isinstance(node, str):
                found.append((path, node, False))

        walk(self.doc.data, ())
        return found


class Memo(Protocol):
    """What validation may remember between runs while a file is unchanged (the preview's
    rcmkb.preview.ValidationMemo): its schema errors, and what each per-file rule found in it."""

    def schema_errors(self, doc: Document, schema_name: str, schema_dir: Path) -> list[jsonschema.ValidationError]:
        ...

    def file_findings(self, rule_id: str, doc: Document, lang: str) -> list[Finding] | None:
        ...

    def keep_file_findings(self, rule_id: str, doc: Document, lang: str, items: list[Finding]) -> None:
        ...

    def file(self, doc: Document, kind: str, schema: str) -> File:
        """The File of an unchanged document, kept with what rules derived from it (its values, texts)."""
        ...


@dataclass
class CatalogView:
    catalog: Catalog
    today: dt.date
    memo: Memo | None = None

    @cached_property
    def schema_dir(self) -> Path:
        return self.catalog.schema_dir.resolve()  # asked once per file: resolving walks every folder

    @property
    def docs_dir(self) -> Path:
        return self.catalog.root.parent / "docs"

    @cached_property
    def files(self) -> list[File]:
        make = self.memo.file if self.memo is not None else File
        found = [make(doc, "entry", fields.ENTRY) for doc in self.catalog.entries.values()]
        found += [make(doc, "decision", fields.DECISION) for doc in self.catalog.decisions.values()]
        found += [make(v.doc, "vocabulary", fields.VOCABULARY) for v in self.catalog.vocab.values()
                  if v.doc is not None]
        if self.catalog.glossary is not None:
            found.append(make(self.catalog.glossary, "glossary", fields.GLOSSARY))
        if self.catalog.link_exceptions is not None:
            found.append(make(self.catalog.link_exceptions, "link-exceptions", fields.LINK_EXCEPTIONS))
        return found

    def only(self, files: list[File]) -> CatalogView:
        """The same view, with its rules seeing only `files` (what it derived is shared)."""
        narrowed = copy.copy(self)
        narrowed.__dict__["files"] = files
        return narrowed

    def of_kind(self, *kinds: str) -> list[File]:
        return [f for f in self.files if f.kind in kinds]

    @cached_property
    def _schema_errors(self) -> dict[int, list[jsonschema.ValidationError]]:
        return {}

    def schema_errors(self, file: File) -> list[jsonschema.ValidationError]:
        """The file's schema errors, checked at the first question (a rule that asks about one file,
        in a child, does not have every file checked)."""
        found = self._schema_errors.get(id(file.doc))
        if found is None:
            errors = self.memo.schema_errors if self.memo is not None else schema_errors
            found = [e for e in errors(file.doc, file.schema, self.schema_dir) if not _cascade(e)]
            self._schema_errors[id(file.doc)] = found
        return found

    def valid(self, file: File) -> bool:
        return not self.schema_errors(file)

    @cached_property
    def terms(self) -> dict[str, dict[str, dict[str, Any]]]:
        """Vocabulary -> its terms, only for vocabularies that pass their schema.

        A broken vocabulary would otherwise turn every use of its terms into an unknown-term error.
        """
        result: dict[str, dict[str, dict[str, Any]]] = {}
        for name, vocabulary in self.catalog.vocab.items():
            ok = vocabulary.doc is not None and self.valid(File(vocabulary.doc, "vocabulary", fields.VOCABULARY))
            result[name] = dict(vocabulary.terms) if ok else {}
        return result

    @cached_property
    def entry_ids(self) -> set[str]:
        return _ids(self.catalog.entries)

    @cached_property
    def decision_ids(self) -> set[str]:
        return _ids(self.catalog.decisions)

    def ids(self, folder: str) -> set[str]:
        return self.entry_ids if folder == "entries" else self.decision_ids


def _cascade(error: jsonschema.ValidationError) -> bool:
    """A "needs url or site_page" error on a link that is not even a block: its wrong-type says it all."""
    return error.validator == "oneOf" and not isinstance(error.instance, dict)


def _ids(docs: dict[str, Document]) -> set[str]:
    """The ids in use: every file name, and every well-formed id written inside a file."""
    own = [doc.data.get("id") for doc in docs.values() if isinstance(doc.data, dict)]
    return set(docs) | {i for i in own if isinstance(i, str) and fields.ID.match(i)}


def say(findings: Findings, file: File | Document, path: tuple[Any, ...], rule: str, template: str, *,
        at_key: bool = False, **params: Any) -> None:
    """Report `rule` at the value (or, with at_key, the field name) that `path` names."""
    doc = file.doc if isinstance(file, File) else file
    line, col = doc.where_key(path) if at_key else doc.where(path)
    findings.say(doc.path, line, col, rule, template, **params)
