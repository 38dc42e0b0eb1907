"""Validation: every rule the catalog must meet, all reported in one run.

Structure comes from the JSON Schemas in catalog/schema/ (the single source of truth that
editors also use); the rules here are the ones a schema cannot express: references between
files, vocabulary terms, URL safety, plausible dates, and plain-text fields.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rcmkb.catalog import ENTRY_TERM_FIELDS, Catalog, load_catalog
from rcmkb.findings import Findings
from rcmkb.load import Document
from rcmkb.schema import check_schema

# Folder names the generator uses next to entry pages; an entry with such an id would collide.
RESERVED_IDS = frozenset({
    "index", "tipo", "tema", "etapa", "publico", "organizacion", "pais", "idioma",
    "mandatos", "decisiones", "glosario", "pendientes", "assets", "data", "en", "es", "t",
})
EARLIEST_YEAR = 1900
REVIEW_MAX_AGE_DAYS = 365

# Text that would turn into markup if it reached a page unescaped: tags, Markdown links and images,
# HTML entities, code spans. Titles and summaries are plain text.
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?]|\]\s*\(|!\[|&[#A-Za-z0-9]+;|`|\bjavascript\s*:|^\s*#", re.IGNORECASE)


def validate(catalog_dir: Path, *, today: dt.date | None = None) -> tuple[Catalog, Findings]:
    findings = Findings()
    catalog = load_catalog(catalog_dir, findings)
    check(catalog, findings, today=today or dt.date.today())
    return catalog, findings


def check(catalog: Catalog, findings: Findings, *, today: dt.date) -> None:
    schema_dir = catalog.schema_dir
    for vocabulary in catalog.vocab.values():
        if vocabulary.doc is None:
            continue
        if check_schema(vocabulary.doc, "vocabulary.schema.json", schema_dir, findings,
                        f"vocabulary {vocabulary.name}"):
            _check_duplicate_terms(vocabulary.doc, findings)
        else:
            vocabulary.terms = {}  # a broken vocabulary would only cause a cascade of unknown-term errors
    valid_entries = {stem: doc for stem, doc in catalog.entries.items()
                     if check_schema(doc, "entry.schema.json", schema_dir, findings, "an entry")}
    valid_decisions = {stem: doc for stem, doc in catalog.decisions.items()
                       if check_schema(doc, "decision.schema.json", schema_dir, findings, "a decision")}
    if catalog.glossary is not None:
        check_schema(catalog.glossary, "glossary.schema.json", schema_dir, findings, "the glossary")

    entry_ids = _check_ids(catalog.entries, findings, "entry")
    decision_ids = _check_ids(catalog.decisions, findings, "decision")
    docs_dir = catalog.root.parent / "docs"

    for doc in valid_entries.values():
        data = doc.data
        if data["id"] in RESERVED_IDS:
            findings.add(doc.path, *doc.where(("id",)), "id-reserved",
                         f'"{data["id"]}" is a word the site uses for its own pages; choose a more specific id.')
        _check_terms(doc, catalog, findings)
        for field in ("supersedes", "preceded_by", "related"):
            _check_refs(doc, field, entry_ids, findings, "entry", own_id=data["id"])
        for field in ("adopted_by", "requested_by"):
            _check_refs(doc, field, decision_ids, findings, "decision")
        for index, link in enumerate(data["links"]):
            _check_link(doc, ("links", index), link, findings, docs_dir)
        _check_dates(doc, findings, today)
        _check_plain_text(doc, findings)
        for former in data.get("former_ids", []):
            if former in entry_ids:
                line, col = doc.where(("former_ids",))
                findings.add(doc.path, line, col, "former-id-conflict",
                             f'former id "{former}" is the id of another entry; '
                             "an old address cannot point to two pages.")

    for doc in valid_decisions.values():
        data = doc.data
        _check_refs(doc, "concerns", entry_ids, findings, "entry")
        if data["kind"] == "agreement":
            for field in ("part_of", "number"):
                if field not in data:
                    findings.add(doc.path, *doc.where(), "missing-field",
                                 f"an agreement must have `{field}` (the report it belongs to, and its number).")
            if data.get("part_of") and data["part_of"] not in decision_ids:
                findings.add(doc.path, *doc.where(("part_of",)), "unknown-decision",
                             f'part_of names "{data["part_of"]}", but there is no '
                             f'catalog/decisions/{data["part_of"]}.yml.')
        for index, link in enumerate(data.get("links", [])):
            _check_link(doc, ("links", index), link, findings, docs_dir)
        _check_plain_text(doc, findings)

    if catalog.glossary is not None and isinstance(catalog.glossary.data, dict):
        for index, term in enumerate(catalog.glossary.data.get("terms") or []):
            if isinstance(term, dict):
                _check_refs(catalog.glossary, ("terms", index, "entries"), entry_ids, findings, "entry")

    _check_supersedes(valid_entries, findings)


def _check_duplicate_terms(doc: Document, findings: Findings) -> None:
    seen: set[str] = set()
    for index, term in enumerate(doc.data["terms"]):
        if term["id"] in seen:
            findings.add(doc.path, *doc.where(("terms", index, "id")), "duplicate-id",
                         f'the term "{term["id"]}" is defined twice in this vocabulary.')
        seen.add(term["id"])


def _check_ids(docs: dict[str, Document], findings: Findings, what: str) -> set[str]:
    seen: dict[str, Document] = {}
    for stem, doc in docs.items():
        data = doc.data if isinstance(doc.data, dict) else {}
        own_id = data.get("id")
        if not isinstance(own_id, str):
            continue
        if own_id != stem:
            findings.add(doc.path, *doc.where(("id",)), "file-name-mismatch",
                         f'the id is "{own_id}" but the file is named "{stem}.yml"; they must be equal. '
                         f"Rename the file or fix the id (ids are permanent addresses: prefer renaming the file).")
        if own_id in seen:
            findings.add(doc.path, *doc.where(("id",)), "duplicate-id",
                         f'the id "{own_id}" is already used by {seen[own_id].path.name}; '
                         f"every {what} needs its own id.")
        else:
            seen[own_id] = doc
    return set(docs) | set(seen)


def _check_terms(doc: Document, catalog: Catalog, findings: Findings) -> None:
    data = doc.data
    for field, vocab_name in ENTRY_TERM_FIELDS.items():
        values = data.get(field)
        if values is None:
            continue
        for position, value in ([((field,), values)] if isinstance(values, str)
                                else [((field, i), v) for i, v in enumerate(values)]):
            _check_term(doc, position, value, catalog, vocab_name, findings)
    for index, link in enumerate(data["links"]):
        _check_term(doc, ("links", index, "language"), link["language"], catalog, "languages", findings)


def _check_term(doc: Document, position: tuple[Any, ...], value: str, catalog: Catalog, vocab_name: str,
                findings: Findings) -> None:
    terms = catalog.vocab[vocab_name].terms
    if not terms or value in terms:
        return
    guess = difflib.get_close_matches(value, list(terms), n=1, cutoff=0.6)
    hint = f" Did you mean `{guess[0]}`?" if guess else ""
    allowed = ", ".join(terms) if len(terms) <= 15 else f"see catalog/vocab/{vocab_name}.yml"
    findings.add(doc.path, *doc.where(position), "unknown-term",
                 f'"{value}" is not a term of vocab/{vocab_name}.yml.{hint} Allowed: {allowed}. '
                 "To add a new term, add it (with Spanish and English labels) to that file.")


def _check_refs(doc: Document, field: str | tuple[Any, ...], known: set[str], findings: Findings, what: str,
                own_id: str | None = None) -> None:
    path = (field,) if isinstance(field, str) else field
    node: Any = doc.data
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return
    label = path[-1]
    for index, ref in enumerate(node):
        if not isinstance(ref, str):
            continue
        if ref == own_id:
            findings.add(doc.path, *doc.where(path + (index,)), "self-reference",
                         f"{label} lists this entry itself; remove it.")
        elif ref not in known:
            guess = difflib.get_close_matches(ref, sorted(known), n=1, cutoff=0.7)
            hint = f" Did you mean `{guess[0]}`?" if guess else ""
            folder = "entries" if what == "entry" else "decisions"
            findings.add(doc.path, *doc.where(path + (index,)), f"unknown-{what}",
                         f'{label} names "{ref}", but there is no catalog/{folder}/{ref}.yml.{hint}')


def _check_link(doc: Document, path: tuple[Any, ...], link: dict[str, Any], findings: Findings,
                docs_dir: Path) -> None:
    if "site_page" in link:
        if not (docs_dir / link["site_page"]).is_file():
            findings.add(doc.path, *doc.where(path + ("site_page",)), "link-target",
                         f'site_page "{link["site_page"]}" is not a page under docs/.')
        return
    url = link["url"].strip()
    line, col = doc.where(path + ("url",))
    scheme = urlsplit(url).scheme.lower() if ":" in url else ""
    if scheme in ("http", "https"):
        parts = urlsplit(url)
        if not parts.hostname or " " in url:
            findings.add(doc.path, line, col, "url-scheme",
                         f"{url!r} is not a complete web address (a host name is missing or it contains a space).")
        elif "…" in url or url.endswith("..."):
            findings.add(doc.path, line, col, "url-truncated",
                         "the address is cut short (it contains '…'); use the full address or leave the link out.")
        return
    if scheme in ("javascript", "data", "file", "vbscript"):
        findings.add(doc.path, line, col, "url-scheme",
                     f"a {scheme}: address is not allowed; links must start with https:// (or http://).")
    elif not scheme:
        findings.add(doc.path, line, col, "url-scheme",
                     f"{url!r} is a relative address; write the full address starting with https://, "
                     "or use site_page for a page of this site.")
    else:
        findings.add(doc.path, line, col, "url-scheme",
                     f"a {scheme}: address is not allowed; links must start with https:// (or http://).")


def _parse_partial_date(text: str) -> dt.date | None:
    parts = [int(p) for p in text.split("-")]
    year, month, day = (parts + [1, 1])[:3]
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _check_dates(doc: Document, findings: Findings, today: dt.date) -> None:
    data = doc.data
    values: list[tuple[tuple[Any, ...], str]] = [((("dates", key)), value) for key, value in
                                                  (data.get("dates") or {}).items()]
    values += [((key,), data[key]) for key in ("added", "reviewed")]
    for path, value in values:
        parsed = _parse_partial_date(value)
        line, col = doc.where(path)
        if parsed is None:
            findings.add(doc.path, line, col, "implausible-date",
                         f'{".".join(map(str, path))} is "{value}", which is not a real date (check month and day).')
        elif parsed.year < EARLIEST_YEAR:
            findings.add(doc.path, line, col, "implausible-date",
                         f'{".".join(map(str, path))} is "{value}", before {EARLIEST_YEAR}: that cannot be right.')
        elif parsed > today:
            findings.add(doc.path, line, col, "future-date",
                         f'{".".join(map(str, path))} is "{value}", which is in the future.')
    year = data.get("year")
    if isinstance(year, int) and year > today.year:
        findings.add(doc.path, *doc.where(("year",)), "future-date", f"year {year} is in the future.")
    added = _parse_partial_date(data["added"])
    reviewed = _parse_partial_date(data["reviewed"])
    if added and reviewed and reviewed < added:
        findings.add(doc.path, *doc.where(("reviewed",)), "implausible-date",
                     "reviewed is earlier than added: an entry cannot be reviewed before it was added.")
    if reviewed and (today - reviewed).days > REVIEW_MAX_AGE_DAYS:
        findings.add(doc.path, *doc.where(("reviewed",)), "review-overdue",
                     f"last reviewed on {data['reviewed']}, more than a year ago: check the entry against its "
                     "sources and update `reviewed`.", severity="warning")


def _plain_text_fields(data: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    fields: list[tuple[tuple[Any, ...], str]] = []
    for key in ("title", "summary", "date_note", "place", "body", "evidence"):
        block = data.get(key)
        if isinstance(block, dict):
            fields += [((key, lang), text) for lang, text in block.items() if isinstance(text, str)]
    for index, link in enumerate(data.get("links") or []):
        for lang, text in (link.get("label") or {}).items():
            fields.append((("links", index, "label", lang), text))
    for key in ("keywords", "aliases"):
        for lang, words in (data.get(key) or {}).items():
            fields += [((key, lang, i), w) for i, w in enumerate(words or []) if isinstance(w, str)]
    return fields


def _check_plain_text(doc: Document, findings: Findings) -> None:
    for path, text in _plain_text_fields(doc.data):
        match = _MARKUP.search(text)
        if match:
            findings.add(doc.path, *doc.where(path), "markup-in-text",
                         f"{'.'.join(map(str, path))} contains {match.group(0).strip()!r}, which looks like HTML or "
                         "Markdown. Catalog text is plain text: remove the markup (links go under `links:`).")


def _check_supersedes(entries: dict[str, Document], findings: Findings) -> None:
    graph = {doc.data["id"]: list(doc.data.get("supersedes", [])) for doc in entries.values()}
    by_id = {doc.data["id"]: doc for doc in entries.values()}
    replaced_by: dict[str, list[str]] = {}
    for newer, olds in graph.items():
        for old in olds:
            replaced_by.setdefault(old, []).append(newer)
    reported: set[frozenset[str]] = set()
    for start in graph:
        cycle = _find_cycle(start, graph)
        if cycle and frozenset(cycle) not in reported:
            reported.add(frozenset(cycle))
            doc = by_id[start]
            findings.add(doc.path, *doc.where(("supersedes",)), "supersedes-cycle",
                         "supersedes goes round in a circle: " + " -> ".join(cycle + [cycle[0]])
                         + ". An entry cannot (indirectly) replace itself.")
    for old, newer in replaced_by.items():
        doc = by_id.get(old)
        if doc is not None and doc.data.get("status") != "superseded":
            findings.add(doc.path, *doc.where(("status",) if "status" in doc.data else ("id",)), "status-superseded",
                         f"{', '.join(newer)} replaces this entry (supersedes), so its status must be `superseded`.")


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
