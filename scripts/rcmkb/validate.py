"""Validation: every rule the catalog must meet, all reported in one run.

Structure comes from the JSON Schemas in catalog/schema/ (the single source of truth that
editors also use); the rules here are the ones a schema cannot express: references between
files, vocabulary terms, URL safety, plausible dates, and plain-text fields.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rcmkb.catalog import ENTRY_TERM_FIELDS, Catalog, load_catalog
from rcmkb.findings import Findings
from rcmkb.linkexceptions import load_exceptions
from rcmkb.load import Document
from rcmkb.routes import RESERVED_IDS  # names the site's own pages take (the route table)
from rcmkb.schema import check_schema

EARLIEST_YEAR = 1900
REVIEW_MAX_AGE_DAYS = 365

# Text that would turn into markup if it reached a page unescaped: tags, Markdown links and images,
# HTML entities, code spans. Titles and summaries are plain text.
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_TERM = re.compile(r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$")
_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
_SITE_PAGE = re.compile(r"^[a-z0-9][a-z0-9/-]*\.md$")
# Characters that are invisible or reorder text on screen (a title could display differently from
# what it says), and zero-width ones pasted from PDFs that break search.
_HIDDEN = re.compile("[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u200B-\u200F\u202A-\u202E\u2060-\u2064"
                     "\u2066-\u2069\uFEFF]")
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

    former_owner: dict[str, str] = {}  # former id -> entry that claims it

    # The rules below also run on entries with schema errors (on the fields that are well formed),
    # so that one run reports every problem of a file, not only the first kind.
    for doc in catalog.entries.values():
        data = doc.data
        if not isinstance(data, dict):
            continue
        if data.get("id") in RESERVED_IDS:
            findings.add(doc.path, *doc.where(("id",)), "id-reserved",
                         f'"{data["id"]}" is a word the site uses for its own pages (/catalogo/{data["id"]}/); '
                         "choose a more specific id, e.g. add the organization and the year.")
        _check_terms(doc, catalog, findings)
        for field in ("supersedes", "preceded_by", "related"):
            _check_refs(doc, field, entry_ids, findings, "entry", own_id=data.get("id"))
        for field in ("adopted_by", "requested_by"):
            _check_refs(doc, field, decision_ids, findings, "decision")
        for index, link in _links(data):
            _check_link(doc, ("links", index), link, findings, docs_dir)
        _check_dates(doc, findings, today)
        _check_plain_text(doc, findings)
        _check_characters(doc, findings)
        for former in _strings(data.get("former_ids")):
            if former in entry_ids:
                line, col = doc.where(("former_ids",))
                findings.add(doc.path, line, col, "former-id-conflict",
                             f'former id "{former}" is the id of another entry; an old address cannot point to two '
                             "pages. Remove it from former_ids (former ids are only for entries that were renamed).")
            elif former in former_owner and former_owner[former] != data.get("id"):
                line, col = doc.where(("former_ids",))
                findings.add(doc.path, line, col, "former-id-conflict",
                             f'former id "{former}" is also listed by {former_owner[former]}; an old address can '
                             "only lead to one page. Keep it on the entry that really had that id.")
            else:
                former_owner[former] = str(data.get("id"))

    for doc in valid_decisions.values():
        data = doc.data
        _check_refs(doc, "concerns", entry_ids, findings, "entry")
        _check_characters(doc, findings)
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

    if catalog.glossary is not None:
        _check_characters(catalog.glossary, findings)
    load_exceptions(catalog.root, findings, today)
    _check_supersedes(valid_entries, findings)


def _check_duplicate_terms(doc: Document, findings: Findings) -> None:
    seen: set[str] = set()
    for index, term in enumerate(doc.data["terms"]):
        if term["id"] in seen:
            findings.add(doc.path, *doc.where(("terms", index, "id")), "duplicate-id",
                         f'the term "{term["id"]}" is defined twice in this vocabulary.')
        seen.add(term["id"])


def _check_ids(docs: dict[str, Document], findings: Findings, what: str) -> set[str]:
    by_id: dict[str, list[tuple[str, Document]]] = {}
    for stem, doc in docs.items():
        data = doc.data if isinstance(doc.data, dict) else {}
        own_id = data.get("id")
        if isinstance(own_id, str) and _ID.match(own_id):  # a malformed id is reported as id-format
            by_id.setdefault(own_id, []).append((stem, doc))
    for own_id, holders in by_id.items():
        # The file named after the id owns it; the others are copies that kept it.
        owner = next((doc for stem, doc in holders if stem == own_id), holders[0][1])
        for stem, doc in holders:
            if doc is not owner:
                findings.add(doc.path, *doc.where(("id",)), "duplicate-id",
                             f'the id "{own_id}" is already used by {owner.path.name}; every {what} needs its own '
                             f'id. If this file was copied from that one, change the id to "{stem}", the name of '
                             "this file.")
            elif stem != own_id:
                findings.add(doc.path, *doc.where(("id",)), "file-name-mismatch",
                             f'the id is "{own_id}" but the file is named "{stem}.yml"; they must be equal. '
                             "Rename the file or fix the id (ids are permanent addresses: prefer renaming the file).")
    return set(docs) | set(by_id)


def _strings(value: Any) -> list[str]:
    """The text items of a list field (anything else is the schema's to report)."""
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _links(data: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    links = data.get("links")
    return [(i, link) for i, link in enumerate(links) if isinstance(link, dict)] if isinstance(links, list) else []


def _check_terms(doc: Document, catalog: Catalog, findings: Findings) -> None:
    data = doc.data
    for field, vocab_name in ENTRY_TERM_FIELDS.items():
        values = data.get(field)
        if values is None:
            continue
        for position, value in ([((field,), values)] if isinstance(values, str)
                                else [((field, i), v) for i, v in enumerate(values)] if isinstance(values, list)
                                else []):
            _check_term(doc, position, value, catalog, vocab_name, findings)
    for index, link in _links(data):
        _check_term(doc, ("links", index, "language"), link.get("language"), catalog, "languages", findings)


def _check_term(doc: Document, position: tuple[Any, ...], value: str, catalog: Catalog, vocab_name: str,
                findings: Findings) -> None:
    terms = catalog.vocab[vocab_name].terms
    if not terms or not isinstance(value, str) or not _TERM.match(value) or value in terms:
        return  # a malformed term is reported as term-format or wrong-type
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
    if not isinstance(node, list):
        return
    for index, ref in enumerate(node):
        if not isinstance(ref, str) or not _ID.match(ref):
            continue
        if ref == own_id:
            findings.add(doc.path, *doc.where(path + (index,)), "self-reference",
                         f"{label} lists this entry itself; an entry cannot refer to itself: remove it from the list.")
        elif ref not in known:
            guess = difflib.get_close_matches(ref, sorted(known), n=1, cutoff=0.7)
            hint = f" Did you mean `{guess[0]}`?" if guess else ""
            folder = "entries" if what == "entry" else "decisions"
            findings.add(doc.path, *doc.where(path + (index,)), f"unknown-{what}",
                         f'{label} names "{ref}", but there is no catalog/{folder}/{ref}.yml.{hint} '
                         "Check the spelling, or add that file first.")


def _check_link(doc: Document, path: tuple[Any, ...], link: dict[str, Any], findings: Findings,
                docs_dir: Path) -> None:
    if isinstance(link.get("site_page"), str):
        if _SITE_PAGE.match(link["site_page"]) and not (docs_dir / link["site_page"]).is_file():
            findings.add(doc.path, *doc.where(path + ("site_page",)), "link-target",
                         f'site_page "{link["site_page"]}" is not a page under docs/. Check the spelling '
                         "(e.g. informe-2017.md), or use url for a page on another site.")
        return
    if not isinstance(link.get("url"), str):
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
    dates = data.get("dates") if isinstance(data.get("dates"), dict) else {}
    values: list[tuple[tuple[Any, ...], str]] = [(("dates", key), value) for key, value in dates.items()]
    values += [((key,), data.get(key)) for key in ("added", "reviewed")]
    # Only well-formed dates; a malformed one is reported as date-format by the schema.
    values = [(path, value) for path, value in values if isinstance(value, str) and _DATE.match(value)]
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
                         f'{".".join(map(str, path))} is "{value}", which is in the future. Check the year; '
                         "a date that has not happened yet is left out until it does.")
    year = data.get("year")
    if isinstance(year, int) and not isinstance(year, bool) and year > today.year:
        findings.add(doc.path, *doc.where(("year",)), "future-date",
                     f"year {year} is in the future. Check it; if the year is not known, leave `year` out.")
    well_formed = dict(values)
    added = _parse_partial_date(well_formed[("added",)]) if ("added",) in well_formed else None
    reviewed = _parse_partial_date(well_formed[("reviewed",)]) if ("reviewed",) in well_formed else None
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
            shown = text[match.start():].split()[0][:20] if text[match.start():].split() else match.group(0)
            findings.add(doc.path, *doc.where(path), "markup-in-text",
                         f"{_field_label(path)} contains \"{shown}\", which looks like HTML or Markdown. Catalog "
                         "text is plain text and is shown exactly as written: remove the markup "
                         "(web addresses go under `links:`).")


def _check_characters(doc: Document, findings: Findings) -> None:
    def walk(node: Any, path: tuple[Any, ...]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, path + (key,))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, path + (index,))
        elif isinstance(node, str):
            hidden = _HIDDEN.search(node)
            if hidden:
                code = ord(hidden.group())
                name = unicodedata.name(hidden.group(), "a control character")
                findings.add(doc.path, *doc.where(path), "control-character",
                             f"{_field_label(path)} contains an invisible character (U+{code:04X} {name}) at "
                             f"position {hidden.start() + 1} of the text; it can hide or reorder what readers see. "
                             "Delete it (retype the text around it, or paste as plain text).")

    walk(doc.data, ())


def _field_label(path: tuple[Any, ...]) -> str:
    return "".join(f"[{p + 1}]" if isinstance(p, int) else ("." if i else "") + str(p) for i, p in enumerate(path))


def _check_supersedes(entries: dict[str, Document], findings: Findings) -> None:
    # An entry listing itself is reported as self-reference; leave it out here.
    graph = {doc.data["id"]: [old for old in doc.data.get("supersedes", []) if old != doc.data["id"]]
             for doc in entries.values()}
    by_id = {doc.data["id"]: doc for doc in entries.values()}
    replaced_by: dict[str, list[str]] = {}
    for newer, olds in graph.items():
        for old in olds:
            replaced_by.setdefault(old, []).append(newer)
    reported: set[frozenset[str]] = set()
    for start in graph:
        cycle = _find_cycle(start, graph)
        if not cycle or frozenset(cycle) in reported:
            continue
        reported.add(frozenset(cycle))
        circle = " -> ".join(cycle + [cycle[0]])
        # Reported in every file of the circle, at the item that closes it, whichever file is open.
        for position, member in enumerate(cycle):
            doc = by_id[member]
            following = cycle[(position + 1) % len(cycle)]
            index = doc.data["supersedes"].index(following)
            findings.add(doc.path, *doc.where(("supersedes", index)), "supersedes-cycle",
                         f"supersedes goes round in a circle: {circle}. An entry cannot (even indirectly) replace "
                         "itself: keep `supersedes` only in the newer entry.")
    for old, newer in replaced_by.items():
        doc = by_id.get(old)
        if doc is not None and doc.data.get("status") != "superseded":
            findings.add(doc.path, *doc.where(("status",) if "status" in doc.data else ("id",)), "status-superseded",
                         f"{', '.join(newer)} replaces this entry (supersedes), so its status must be `superseded`: "
                         "write `status: superseded`.")


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
