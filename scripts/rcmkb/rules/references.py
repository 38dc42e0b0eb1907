"""Rules on what one file says about others: vocabulary terms, ids of entries and decisions, supersedes."""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Any

from rcmkb import fields
from rcmkb.findings import Findings
from rcmkb.messages import text
from rcmkb.rules.view import CatalogView, File, say

_LIST_ALL = 15  # a vocabulary this small is listed in full in the message


def _folded(value: str) -> str:
    """"Protección consular", "proteccion_consular" and "PROTECCION-CONSULAR" fold to one key."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii").casefold()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text))


def _names(terms: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Every way a maintainer may write a term (its id, labels, acronyms), folded -> term id."""
    names: dict[str, str] = {}
    for term in terms:
        names.setdefault(_folded(term), term)
    for term, data in terms.items():
        for key in ("es", "en"):
            if isinstance(data.get(key), str):
                names.setdefault(_folded(data[key]), term)
        for acronym in (data.get("acronym") or {}).values():
            if isinstance(acronym, str):
                names.setdefault(_folded(acronym), term)
    return names


def guess_term(value: str, terms: dict[str, dict[str, Any]]) -> str | None:
    """The term a maintainer most likely meant: a label or acronym in either language, or a near spelling."""
    names = _names(terms)
    folded = _folded(value)
    if folded in names:
        return names[folded]
    # "Manual" for "Manual o guía": the start of exactly one term's label.
    starting = {term for name, term in names.items() if folded and name.startswith(folded + "-")}
    if len(starting) == 1:
        return starting.pop()
    close = difflib.get_close_matches(folded, list(names), n=1, cutoff=0.75)
    return names[close[0]] if close else None


def did_you_mean(value: str, terms: dict[str, dict[str, Any]], lang: str) -> str:
    term = guess_term(value, terms)
    if term is None or term == value:
        return ""
    label = terms[term].get(lang)
    if isinstance(label, str) and _folded(label) != _folded(term):
        return text("did-you-mean-term", lang, guess=term, label=label)
    return text("did-you-mean", lang, guess=term)


def _vocabulary_of(file: File, path: tuple[Any, ...]) -> str | None:
    wanted = tuple(fields.ANY if isinstance(part, int) else part for part in path)
    return fields.vocabulary_fields(file.schema).get(wanted) if file.schema else None


def suggest_term(view: CatalogView, file: File, path: tuple[Any, ...], value: Any, lang: str) -> str:
    """A did-you-mean for a malformed term ("Protección consular" typed where `consular-protection` goes)."""
    vocabulary = _vocabulary_of(file, path)
    if vocabulary is None or not isinstance(value, str):
        return ""
    return did_you_mean(value, view.terms.get(vocabulary, {}), lang)


def unknown_term(view: CatalogView, findings: Findings) -> None:
    for file in view.of_kind("entry", "decision"):
        for field_path, vocabulary in fields.vocabulary_fields(file.schema).items():
            terms = view.terms.get(vocabulary) or {}
            for path, value in file.values(field_path):
                # An empty vocabulary is broken (reported there); a malformed term is term-format.
                if not terms or not isinstance(value, str) or not fields.TERM.match(value) or value in terms:
                    continue
                allowed = (", ".join(terms) if len(terms) <= _LIST_ALL
                           else text("see-vocabulary", findings.lang, vocabulary=vocabulary))
                say(findings, file, path, "unknown-term", "unknown-term", value=value, vocabulary=vocabulary,
                    hint=did_you_mean(value, terms, findings.lang), allowed=allowed)


def _references(view: CatalogView, target: str) -> list[tuple[File, tuple[Any, ...], str]]:
    """(file, path, id) for every well-formed id that a field marked `x-references: target` holds."""
    found = []
    for file in view.of_kind("entry", "decision", "glossary"):
        for field_path, points_to in fields.reference_fields(file.schema).items():
            if points_to != target:
                continue
            for path, value in file.values(field_path):
                if isinstance(value, str) and fields.ID.match(value):
                    found.append((file, path, value))
    return found


def _own_id(file: File) -> Any:
    return file.data.get("id") if file.kind == "entry" and isinstance(file.data, dict) else None


def _unknown(view: CatalogView, findings: Findings, target: str, rule: str) -> None:
    known = view.ids(target)
    for file, path, ref in _references(view, target):
        if ref in known or ref == _own_id(file):
            continue
        guess = difflib.get_close_matches(ref, sorted(known), n=1, cutoff=0.7)
        label = next((str(p) for p in reversed(path) if isinstance(p, str)), "")
        say(findings, file, path, rule, "unknown-reference", field=label, value=ref, folder=target,
            hint=text("did-you-mean", findings.lang, guess=guess[0]) if guess else "")


def unknown_entry(view: CatalogView, findings: Findings) -> None:
    _unknown(view, findings, "entries", "unknown-entry")


def unknown_decision(view: CatalogView, findings: Findings) -> None:
    _unknown(view, findings, "decisions", "unknown-decision")


def self_reference(view: CatalogView, findings: Findings) -> None:
    for file, path, ref in _references(view, "entries"):
        if ref == _own_id(file):
            label = next((str(p) for p in reversed(path) if isinstance(p, str)), "")
            say(findings, file, path, "self-reference", "self-reference", field=label)


def _valid_entries(view: CatalogView) -> dict[str, File]:
    return {file.data["id"]: file for file in view.of_kind("entry") if view.valid(file)}


def _replaces(entries: dict[str, File]) -> dict[str, list[str]]:
    # An entry listing itself is reported as self-reference; leave it out here.
    return {own: [old for old in file.data.get("supersedes", []) if old != own] for own, file in entries.items()}


def supersedes_cycle(view: CatalogView, findings: Findings) -> None:
    entries = _valid_entries(view)
    graph = _replaces(entries)
    reported: set[frozenset[str]] = set()
    for start in graph:
        cycle = _find_cycle(start, graph)
        if not cycle or frozenset(cycle) in reported:
            continue
        reported.add(frozenset(cycle))
        circle = " -> ".join(cycle + [cycle[0]])
        # Reported in every file of the circle, at the item that closes it, whichever file is open.
        for position, member in enumerate(cycle):
            file = entries[member]
            following = cycle[(position + 1) % len(cycle)]
            index = file.data["supersedes"].index(following)
            say(findings, file, ("supersedes", index), "supersedes-cycle", "supersedes-cycle", circle=circle)


def status_superseded(view: CatalogView, findings: Findings) -> None:
    entries = _valid_entries(view)
    replaced_by: dict[str, list[str]] = {}
    for newer, olds in _replaces(entries).items():
        for old in olds:
            replaced_by.setdefault(old, []).append(newer)
    for old, newer_ones in replaced_by.items():
        file = entries.get(old)
        if file is not None and file.data.get("status") != "superseded":
            say(findings, file, ("status",) if "status" in file.data else ("id",), "status-superseded",
                "status-superseded", newer=", ".join(newer_ones))


def _find_cycle(start: str, graph: dict[str, list[str]]) -> list[str] | None:
    path: list[str] = []
    on_path: set[str] = set()

    def visit(node: str) -> list[str] | None:
        if node in on_path:
            return path[path.index(node):]
        if node not in graph:
            return None
        path.append(node)
        on_path.add(node)
        for nxt in graph[node]:
            found = visit(nxt)
            if found:
                return found
        path.pop()
        on_path.discard(node)
        return None

    return visit(start)
