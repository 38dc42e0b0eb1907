"""Post-build step: the catalog as open data (JSON, CSV, Atom), with the schemas it follows.

Writes, relative to the site root:
- data/catalog.json: every entry as in its YAML file, plus `labels` (every vocabulary term it
  uses, in both languages) and `urls` (its pages and short link); with a schema_version;
- data/entry.schema.json: one exported entry. Made from catalog/schema/entry.schema.json
  (the single source of truth for fields) by adding `labels` and `urls`, so a YAML entry
  also validates against it;
- data/catalog.schema.json: the whole of catalog.json (it refers to entry.schema.json);
- data/catalog.csv: fixed columns, one row per entry, UTF-8 with a byte order mark so that
  spreadsheet programs read accents right, RFC 4180 quoting (CRLF line ends). Every link of an
  entry is in it (parallel lists), every coded column has its labels in both languages, and no
  cell can run as a formula in a spreadsheet (see spreadsheet_safe);
- feed.xml and en/feed.xml: Atom feeds of every entry, newest change first. Text and attributes
  pass through xml_safe, so the feeds are well-formed XML whatever the catalog holds;
- data/coverage.json: the counts of the coverage view (rcmkb/coverage.py), cell by cell.

Everything is derived from the catalog alone (no clock), so the same catalog gives the same
bytes. Format changes are recorded in docs/datos/ (see SCHEMA_VERSION).
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from rcmkb.catalog import ENTRY_TERM_FIELDS
from rcmkb.coverage import coverage_export
from rcmkb.model import SiteModel, as_list
from rcmkb.render import _strings
from rcmkb.routes import LANGS, OVERVIEW_PAGE, data_path, docs_page_site_path, feed_path, page_site_path
from rcmkb.urls import entry_url, short_url, site_url

# Bump on any change to the shape of catalog.json or catalog.csv, and say what changed in the
# changelog of docs/datos/index.md and docs/datos/index.en.md. Minor: fields added. Major: renamed or removed.
SCHEMA_VERSION = "1.1"
ATOM_NS = "http://www.w3.org/2005/Atom"
JOIN = " | "  # between the values of a list in one CSV cell

CSV_COLUMNS = (
    "id", "title_es", "title_en", "summary_es", "summary_en",
    "type", "type_es", "type_en", "year", "status",
    "organizations", "organizations_es", "organizations_en",
    "themes", "themes_es", "themes_en", "stages", "audiences", "countries", "languages",
    "link_url", "link_kind", "page_es", "page_en", "short_url",
    "added", "reviewed", "former_ids",
    # 1.1: every link (parallel lists, best first, so item n of each is one link), and the
    # labels of the coded columns that had none.
    "link_urls", "link_kinds", "link_languages",
    "countries_es", "countries_en", "stages_es", "stages_en", "audiences_es", "audiences_en",
    "languages_es", "languages_en",
)

# What a spreadsheet program reads as the start of a formula (tab and CR: some programs drop them,
# and the next character then starts one). The fullwidth forms too, to be safe: no title needs them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

# Characters XML 1.0 cannot hold at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def spreadsheet_safe(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text, never runs: an apostrophe before a formula start.

    The apostrophe is what spreadsheet programs themselves use to mark text; it is visible in a
    plain-text reader, which is the price of `=HYPERLINK(...)` never running on a reader's computer.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xml_safe(value: str) -> str:
    """Text that XML 1.0 can hold: characters it forbids are left out (they carry no meaning here)."""
    return _NOT_XML.sub("", value)


def exported_entry(entry: dict[str, Any], model: SiteModel, base: str) -> dict[str, Any]:
    out = copy.deepcopy(entry)
    out["labels"] = {
        field: {term: {lang: model.label(vocab, term, lang) for lang in LANGS}
                for term in as_list(entry.get(field))}
        for field, vocab in ENTRY_TERM_FIELDS.items() if entry.get(field)
    }
    out["urls"] = {"es": entry_url(entry["id"], "es", base), "en": entry_url(entry["id"], "en", base),
                   "short": short_url(entry["id"], base)}
    return out


def catalog_document(model: SiteModel, base: str) -> dict[str, Any]:
    return {
        "$schema": base + data_path("catalog.schema.json"),
        "schema_version": SCHEMA_VERSION,
        "site": base,
        "entries": [exported_entry(entry, model, base) for entry in model.entries],
    }


def entry_schema(catalog_schema: dict[str, Any], base: str) -> dict[str, Any]:
    """The published schema of one exported entry: the catalog's entry schema plus labels and urls."""
    schema = copy.deepcopy(catalog_schema)
    schema["$id"] = base + data_path("entry.schema.json")
    schema["title"] = "RCM child-protection tools catalog: one entry, as published in catalog.json"
    schema["description"] = (
        "An entry exactly as in the catalog's YAML file, plus `labels` and `urls`, which the export adds. "
        f"Format version {SCHEMA_VERSION}.")
    schema["$defs"]["labels"] = {
        "description": "Labels in both languages of the vocabulary terms used, by term.",
        "type": "object",
        "additionalProperties": {"$ref": "#/$defs/bilingualText"},
    }
    schema["properties"]["labels"] = {
        "description": "For each field holding vocabulary terms (type, themes, ...): its terms' labels.",
        "type": "object",
        "additionalProperties": False,
        "properties": {field: {"$ref": "#/$defs/labels"} for field in ENTRY_TERM_FIELDS},
    }
    url = {"type": "string", "format": "uri", "pattern": "^https?://"}
    schema["properties"]["urls"] = {
        "description": "The entry's page in each language, and its permanent short link.",
        "type": "object",
        "additionalProperties": False,
        "required": ["es", "en", "short"],
        "properties": {"es": url, "en": url, "short": url},
    }
    return schema


def catalog_schema(base: str) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": base + data_path("catalog.schema.json"),
        "title": "RCM child-protection tools catalog: catalog.json",
        "type": "object",
        "additionalProperties": False,
        "required": ["schema_version", "site", "entries"],
        "properties": {
            "$schema": {"type": "string"},
            "schema_version": {"const": SCHEMA_VERSION,
                               "description": "Format version; see the changelog on the site's open data page."},
            "site": {"type": "string", "format": "uri", "description": "Address the site is published at."},
            "entries": {
                "type": "array",
                "description": "Every entry, sorted by id.",
                "items": {"allOf": [{"$ref": "entry.schema.json"}, {"required": ["labels", "urls"]}]},
            },
        },
    }


def csv_row(entry: dict[str, Any], model: SiteModel, base: str) -> list[Any]:
    def terms(field: str) -> str:
        return JOIN.join(as_list(entry.get(field)))

    def labels(field: str, vocab: str, lang: str) -> str:
        return JOIN.join(model.label(vocab, term, lang) for term in as_list(entry.get(field)))

    links = model.sorted_links(entry)
    best = next((link for link in links if link.get("url")), {})
    row = {
        "id": entry["id"],
        "title_es": entry["title"]["es"], "title_en": entry["title"]["en"],
        "summary_es": entry["summary"]["es"], "summary_en": entry["summary"]["en"],
        "type": entry["type"], "type_es": labels("type", "types", "es"), "type_en": labels("type", "types", "en"),
        "year": entry.get("year") or "", "status": entry.get("status", ""),
        "organizations": terms("organizations"),
        "organizations_es": labels("organizations", "organizations", "es"),
        "organizations_en": labels("organizations", "organizations", "en"),
        "themes": terms("themes"), "themes_es": labels("themes", "themes", "es"),
        "themes_en": labels("themes", "themes", "en"),
        "stages": terms("stages"), "audiences": terms("audiences"), "countries": terms("countries"),
        "languages": terms("languages"),
        "link_url": best.get("url", ""), "link_kind": best.get("kind", ""),
        "page_es": entry_url(entry["id"], "es", base), "page_en": entry_url(entry["id"], "en", base),
        "short_url": short_url(entry["id"], base),
        "added": entry["added"], "reviewed": entry["reviewed"], "former_ids": terms("former_ids"),
        "link_urls": JOIN.join(_link_url(link, base) for link in links),
        "link_kinds": JOIN.join(link["kind"] for link in links),
        "link_languages": JOIN.join(link["language"] for link in links),
        **{f"{field}_{lang}": labels(field, field, lang)
           for field in ("countries", "stages", "audiences", "languages") for lang in LANGS},
    }
    return [spreadsheet_safe(row[column]) for column in CSV_COLUMNS]


def _link_url(link: dict[str, Any], base: str) -> str:
    """A link's address; a page of this site (`site_page`) by its published Spanish address."""
    return link.get("url") or base + docs_page_site_path(link["site_page"], "es")


def catalog_csv(model: SiteModel, base: str) -> bytes:
    buffer = io.StringIO()
    # QUOTE_MINIMAL with CRLF is RFC 4180: fields holding commas, quotes or line breaks are quoted.
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_row(entry, model, base) for entry in model.entries)
    return buffer.getvalue().encode("utf-8-sig")


def _timestamp(day: str) -> str:
    return f"{day}T00:00:00Z"


def _changed(entry: dict[str, Any]) -> str:
    return max(entry["added"], entry["reviewed"])


def atom_feed(model: SiteModel, base: str, lang: str) -> bytes:
    """Every entry, most recently added or reviewed first (ties by id, so the order is stable)."""
    strings = _strings()[lang]
    entries = sorted(model.entries, key=lambda e: e["id"])
    entries.sort(key=_changed, reverse=True)

    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: xml_safe(v) for k, v in attributes.items()})
        element.text = None if text is None else xml_safe(text)
        return element

    feed = ET.Element(f"{{{ATOM_NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    sub(feed, "id", base + feed_path(lang))
    sub(feed, "title", strings["feed_title"])
    sub(feed, "updated", _timestamp(max((_changed(e) for e in entries), default="2017-03-17")))
    sub(feed, "link", rel="self", type="application/atom+xml", href=base + feed_path(lang))
    sub(feed, "link", rel="alternate", type="text/html", href=base + page_site_path(OVERVIEW_PAGE, lang))
    author = sub(feed, "author")
    sub(author, "name", strings["feed_author"])
    for entry in entries:
        item = sub(feed, "entry")
        url = entry_url(entry["id"], lang, base)
        sub(item, "id", url)
        sub(item, "title", entry["title"][lang])
        sub(item, "link", rel="alternate", type="text/html", href=url, hreflang=lang)
        sub(item, "published", _timestamp(entry["added"]))
        sub(item, "updated", _timestamp(_changed(entry)))
        sub(item, "summary", entry["summary"][lang])
        for term in as_list(entry.get("themes")):
            sub(item, "category", term=term, label=model.label("themes", term, lang))
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def export_files(model: SiteModel, schema: dict[str, Any], base: str) -> dict[str, bytes]:
    """Every file this step writes: path relative to the site root -> bytes."""
    return {
        data_path("catalog.json"): _json(catalog_document(model, base)),
        data_path("entry.schema.json"): _json(entry_schema(schema, base)),
        data_path("catalog.schema.json"): _json(catalog_schema(base)),
        data_path("catalog.csv"): catalog_csv(model, base),
        **{feed_path(lang): atom_feed(model, base, lang) for lang in LANGS},
        data_path("coverage.json"): _json({"schema_version": SCHEMA_VERSION, **coverage_export(model, base)}),
    }


def write_exports(site_dir: Path, model: SiteModel, base: str | None = None) -> int:
    """The post-build step."""
    schema = json.loads((model.catalog.schema_dir / "entry.schema.json").read_text(encoding="utf-8"))
    files = export_files(model, schema, base or site_url())
    for relative_path, data in files.items():
        target = site_dir / relative_path
        if target.exists():
            raise FileExistsError(f"{relative_path} already exists in the built site")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return len(files)
