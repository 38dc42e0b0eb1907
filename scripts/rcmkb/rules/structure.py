"""Rules on the shape of each file (from its JSON Schema) and on ids."""

from __future__ import annotations

from typing import Any

from rcmkb import fields
from rcmkb.findings import Findings
from rcmkb.rules.view import CatalogView, File, say
from rcmkb.schema import report, rule_of


def _schema_rule(view: CatalogView, findings: Findings, rule: str) -> None:
    """Report the schema errors that fall under `rule`, in every file."""
    from rcmkb.rules.references import suggest_term

    for file in view.files:
        def suggest(path: tuple[Any, ...], value: Any, file: File = file) -> str:
            return suggest_term(view, file, path, value, findings.lang)

        for error in view.schema_errors(file):
            if rule_of(error) == rule:
                report(file.doc, error, findings, file.kind, file.schema, view.schema_dir, suggest=suggest)


def missing_field(view: CatalogView, findings: Findings) -> None:
    _schema_rule(view, findings, "missing-field")
    # An agreement is one numbered item of a report: what JSON Schema cannot say without if/then.
    for file in view.of_kind("decision"):
        if view.valid(file) and file.data["kind"] == "agreement":
            for name in ("part_of", "number"):
                if name not in file.data:
                    say(findings, file, (), "missing-field", "agreement-field", field=name)


def missing_translation(view: CatalogView, findings: Findings) -> None:
    _schema_rule(view, findings, "missing-translation")


def unknown_field(view: CatalogView, findings: Findings) -> None:
    _schema_rule(view, findings, "unknown-field")


def empty_value(view: CatalogView, findings: Findings) -> None:
    _schema_rule(view, findings, "empty-value")


def wrong_type(view: CatalogView, findings: Findings) -> None:
    _schema_rule(view, findings, "wrong-type")


def unknown_value(view: CatalogView, findings: Findings) -> None:
    _schema_rule(view, findings, "unknown-value")


def id_format(view: CatalogView, findings: Findings) -> None:
    _schema_rule(view, findings, "id-format")


def date_format(view: CatalogView, findings: Findings) -> None:
    _schema_rule(view, findings, "date-format")


def term_format(view: CatalogView, findings: Findings) -> None:
    _schema_rule(view, findings, "term-format")


def too_long(view: CatalogView, findings: Findings) -> None:
    _schema_rule(view, findings, "too-long")


def repeated_value(view: CatalogView, findings: Findings) -> None:
    _schema_rule(view, findings, "repeated-value")


def out_of_range(view: CatalogView, findings: Findings) -> None:
    _schema_rule(view, findings, "out-of-range")


def schema_implausible_year(view: CatalogView, findings: Findings) -> None:
    _schema_rule(view, findings, "implausible-date")


def schema_link_target(view: CatalogView, findings: Findings) -> None:
    _schema_rule(view, findings, "link-target")


def file_skipped(view: CatalogView, findings: Findings) -> None:
    for path in view.catalog.skipped:
        key = "file-skipped-folder" if path.is_dir() and not path.is_symlink() else "file-skipped"
        findings.say(path, 1, 1, "file-skipped", key, name=path.name, folder=path.parent.name)


def id_reserved(view: CatalogView, findings: Findings) -> None:
    from rcmkb.validate import RESERVED_IDS  # the site's own page folders; kept where other modules import it

    for file in view.of_kind("entry"):
        for path, value in [*file.values(("id",)), *(p for f in fields.former_id_fields() for p in file.values(f))]:
            if isinstance(value, str) and value in RESERVED_IDS:
                say(findings, file, path, "id-reserved", "id-reserved" if path == ("id",) else "former-id-reserved",
                    value=value)


def _holders(view: CatalogView, kind: str) -> dict[str, list[tuple[str, File]]]:
    docs = view.catalog.entries if kind == "entry" else view.catalog.decisions
    by_id: dict[str, list[tuple[str, File]]] = {}
    for stem, doc in docs.items():
        own_id = doc.data.get("id") if isinstance(doc.data, dict) else None
        if isinstance(own_id, str) and fields.ID.match(own_id):  # a malformed id is reported as id-format
            by_id.setdefault(own_id, []).append((stem, File(doc, kind, "")))
    return by_id


def _owner(holders: list[tuple[str, File]], own_id: str) -> File:
    # The file named after the id owns it; the others are copies that kept it.
    return next((file for stem, file in holders if stem == own_id), holders[0][1])


def duplicate_id(view: CatalogView, findings: Findings) -> None:
    for kind in ("entry", "decision"):
        for own_id, holders in _holders(view, kind).items():
            owner = _owner(holders, own_id)
            for stem, file in holders:
                if file.doc is not owner.doc:
                    say(findings, file, ("id",), "duplicate-id", f"duplicate-id-{kind}", value=own_id,
                        owner=owner.doc.path.name, stem=stem)


def file_name_mismatch(view: CatalogView, findings: Findings) -> None:
    for kind in ("entry", "decision"):
        for own_id, holders in _holders(view, kind).items():
            owner = _owner(holders, own_id)
            for stem, file in holders:
                if file.doc is owner.doc and stem != own_id:
                    say(findings, file, ("id",), "file-name-mismatch", "file-name-mismatch", value=own_id, stem=stem)


def duplicate_term(view: CatalogView, findings: Findings) -> None:
    """Term ids are unique regardless of case: `Return` and `return` would share one browse page."""
    for file in view.of_kind("vocabulary"):
        seen: dict[str, str] = {}
        for path, value in file.values(("terms", fields.ANY, "id")):
            if not isinstance(value, str):
                continue
            folded = value.casefold()
            if folded in seen:
                key = "duplicate-term" if seen[folded] == value else "duplicate-term-case"
                say(findings, file, path, "duplicate-term", key, value=value, other=seen[folded])
            else:
                seen[folded] = value


def former_id_conflict(view: CatalogView, findings: Findings) -> None:
    owner_of: dict[str, str] = {}  # former id -> entry that claims it
    for file in view.of_kind("entry"):
        own_id: Any = file.data.get("id") if isinstance(file.data, dict) else None
        for former_path in fields.former_id_fields():
            for path, former in file.values(former_path):
                if not isinstance(former, str):
                    continue
                where = path[:-1]
                if former in view.entry_ids:
                    say(findings, file, where, "former-id-conflict", "former-id-is-entry", value=former)
                elif former in owner_of and owner_of[former] != own_id:
                    say(findings, file, where, "former-id-conflict", "former-id-claimed", value=former,
                        owner=owner_of[former])
                else:
                    owner_of[former] = str(own_id)
