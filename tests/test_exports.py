"""Open data: catalog.json against its published schema, catalog.csv, the Atom feeds, and links to them."""

from __future__ import annotations

import csv
import io
import json
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml
from referencing import Registry, Resource

from conftest import REPO, valid_entry
from rcmkb.export import CSV_COLUMNS, SCHEMA_VERSION, export_files
from rcmkb.generate import load_model
from rcmkb.urls import site_url as published_url

ENTRY_IDS = sorted(p.stem for p in (REPO / "catalog" / "entries").glob("*.yml"))
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def validators(data_dir: Path) -> tuple[jsonschema.Draft202012Validator, jsonschema.Draft202012Validator]:
    """Validators for the published schemas, resolving their references to each other offline."""
    catalog_schema = load_json(data_dir / "catalog.schema.json")
    entry_schema = load_json(data_dir / "entry.schema.json")
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in (catalog_schema, entry_schema))
    return (jsonschema.Draft202012Validator(catalog_schema, registry=registry),
            jsonschema.Draft202012Validator(entry_schema, registry=registry))


# --- catalog.json ------------------------------------------------------------------------------------


@pytest.mark.build
def test_catalog_json_validates_against_the_published_schema(built_site: Path) -> None:
    data_dir = built_site / "data"
    document = load_json(data_dir / "catalog.json")
    catalog_validator, entry_validator = validators(data_dir)
    jsonschema.Draft202012Validator.check_schema(catalog_validator.schema)
    jsonschema.Draft202012Validator.check_schema(entry_validator.schema)
    catalog_validator.validate(document)
    for entry in document["entries"]:
        entry_validator.validate(entry)
    assert document["schema_version"] == SCHEMA_VERSION
    assert [e["id"] for e in document["entries"]] == ENTRY_IDS


@pytest.mark.build
def test_catalog_json_has_both_languages_and_resolved_labels(built_site: Path) -> None:
    document = load_json(built_site / "data" / "catalog.json")
    entry = next(e for e in document["entries"] if e["id"] == "rcm-regional-guidelines-child-protection-2016")
    assert entry["title"]["es"].startswith("Lineamientos Regionales") and entry["title"]["en"].startswith("Regional")
    assert entry["labels"]["type"] == {"guideline": {"es": "Lineamientos y directrices", "en": "Guidelines"}}
    assert set(entry["labels"]["themes"]) == set(entry["themes"])
    assert entry["urls"]["short"] == f"{published_url()}t/{entry['id']}/"
    # The addresses in the data are pages that exist.
    assert (built_site / "en" / "catalogo" / entry["id"] / "index.html").is_file()


@pytest.mark.build
def test_the_published_entry_schema_also_accepts_the_yaml_entries(built_site: Path) -> None:
    """It is the catalog's own entry schema plus the exported fields: one source of truth for fields."""
    _, entry_validator = validators(built_site / "data")
    for path in sorted((REPO / "catalog" / "entries").glob("*.yml")):
        entry_validator.validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_a_broken_export_does_not_validate(make_catalog: Callable[..., Path], tmp_path: Path) -> None:
    catalog = make_catalog(entries={"sample-guideline-2016": valid_entry()})
    schema = load_json(catalog / "schema" / "entry.schema.json")
    files = export_files(load_model(catalog), schema, "https://example.org/")
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    for name in ("catalog.schema.json", "entry.schema.json"):
        (data_dir / name).write_bytes(files[f"data/{name}"])
    catalog_validator, _ = validators(data_dir)
    document = json.loads(files["data/catalog.json"])
    catalog_validator.validate(document)
    del document["entries"][0]["labels"]
    with pytest.raises(jsonschema.ValidationError):
        catalog_validator.validate(document)


# --- catalog.csv -------------------------------------------------------------------------------------


@pytest.mark.build
def test_csv_has_fixed_columns_and_one_row_per_entry(built_site: Path) -> None:
    raw = (built_site / "data" / "catalog.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheet programs then read UTF-8 accents right
    assert b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [row[0] for row in rows[1:]] == ENTRY_IDS
    assert all(len(row) == len(CSV_COLUMNS) for row in rows)
    by_id = {row[0]: dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]}
    assert by_id["rcm-regional-guidelines-child-protection-2016"]["title_es"].startswith(
        "Lineamientos Regionales de Actuación para la Protección Integral de la Niñez")


def test_csv_quotes_commas_quotes_and_line_breaks(make_catalog: Callable[..., Path]) -> None:
    summary = 'Dice "protección", no custodia;\n  y sigue en otra línea.'
    catalog = make_catalog(entries={"sample-guideline-2016": valid_entry(
        summary='summary:\n  es: |-\n    Dice "protección", no custodia;\n      y sigue en otra línea.\n  en: Short.')})
    files = export_files(load_model(catalog), load_json(catalog / "schema" / "entry.schema.json"), "https://x.org/")
    rows = list(csv.reader(io.StringIO(files["data/catalog.csv"].decode("utf-8-sig"), newline="")))
    assert len(rows) == 2
    assert rows[1][CSV_COLUMNS.index("summary_es")] == summary


# --- Atom feeds --------------------------------------------------------------------------------------


@pytest.mark.build
@pytest.mark.parametrize("feed, lang", [("feed.xml", "es"), ("en/feed.xml", "en")])
def test_feeds_are_well_formed_and_carry_every_entry_newest_first(built_site: Path, feed: str, lang: str) -> None:
    root = ET.parse(built_site / feed).getroot()
    assert root.tag == f"{ATOM}feed" and root.get(XML_LANG) == lang
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == len(ENTRY_IDS)
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert root.findtext(f"{ATOM}updated") == updated[0]
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    prefix = "" if lang == "es" else "en/"
    for entry in entries:
        link = entry.find(f"{ATOM}link").get("href")
        assert link.startswith(f"{published_url()}{prefix}catalogo/")
        assert (built_site / link.removeprefix(published_url()) / "index.html").is_file()


def test_feed_order_follows_added_and_reviewed_dates(make_catalog: Callable[..., Path]) -> None:
    catalog = make_catalog(entries={
        "old-guide-2010": valid_entry("old-guide-2010", added='added: "2026-01-05"', reviewed='reviewed: "2026-01-05"'),
        "reviewed-guide-2011": valid_entry("reviewed-guide-2011", added='added: "2026-01-01"',
                                           reviewed='reviewed: "2026-09-30"'),
        "new-guide-2012": valid_entry("new-guide-2012", added='added: "2026-06-01"', reviewed='reviewed: "2026-06-01"'),
    })
    schema = load_json(catalog / "schema" / "entry.schema.json")
    files = export_files(load_model(catalog), schema, "https://x.org/")
    assert files == export_files(load_model(catalog), schema, "https://x.org/")  # same catalog, same bytes
    root = ET.fromstring(files["en/feed.xml"])
    order = [e.findtext(f"{ATOM}id").rstrip("/").rsplit("/", 1)[-1] for e in root.findall(f"{ATOM}entry")]
    assert order == ["reviewed-guide-2011", "new-guide-2012", "old-guide-2010"]
    assert root.findtext(f"{ATOM}updated") == "2026-09-30T00:00:00Z"


# --- Linked from the site ----------------------------------------------------------------------------


def _hrefs(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"[^>]*type="(?:application/json|text/csv|application/atom\+xml)"', html)


@pytest.mark.build
@pytest.mark.parametrize("page", ["catalogo/", "en/catalogo/", "datos/", "en/datos/"])
def test_catalog_and_open_data_pages_link_to_every_export(built_site: Path, page: str) -> None:
    html = (built_site / page / "index.html").read_text(encoding="utf-8")
    targets = {posixpath.normpath(posixpath.join(page, href)) for href in _hrefs(html)}
    assert {"data/catalog.json", "data/catalog.csv"} <= targets
    assert ("en/feed.xml" if page.startswith("en/") else "feed.xml") in targets
    for target in targets:
        assert (built_site / target).is_file(), target


@pytest.mark.build
@pytest.mark.parametrize("page, feed", [("index.html", "feed.xml"), ("en/catalogo/index.html", "en/feed.xml"),
                                        ("en/datos/index.html", "en/feed.xml")])
def test_home_catalog_and_open_data_pages_announce_their_languages_feed(built_site: Path, page: str,
                                                                        feed: str) -> None:
    # Only there (issue 10): "alternate feed", which Material's sitemap look-up does not follow.
    html = (built_site / page).read_text(encoding="utf-8")
    match = re.search(r'<link rel="alternate feed" type="application/atom\+xml" href="([^"]+)"', html)
    assert match
    assert posixpath.normpath(posixpath.join(posixpath.dirname(page), match.group(1))) == feed
