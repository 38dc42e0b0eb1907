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


# --- Safe to open (issue 12 §4) ----------------------------------------------------------------------


def _csv_rows(files: dict[str, bytes]) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(files["data/catalog.csv"].decode("utf-8-sig"), newline="")))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _files(catalog: Path, base: str = "https://example.org/") -> dict[str, bytes]:
    return export_files(load_model(catalog), load_json(catalog / "schema" / "entry.schema.json"), base)


def test_no_csv_cell_can_run_as_a_formula(make_catalog: Callable[..., Path]) -> None:
    """A maintainer's text that a spreadsheet would run (=HYPERLINK, +, -, @) is shown as text."""
    catalog = make_catalog(entries={"sample-guideline-2016": valid_entry(
        title='title:\n  es: "=HYPERLINK(\\"https://evil.example/\\",\\"Abrir\\")"\n  en: "+1+1"',
        summary='summary:\n  es: "-2+3 y sigue"\n  en: "@SUM(A1:A9)"')})
    row = _csv_rows(_files(catalog))[0]
    assert row["title_es"] == "'=HYPERLINK(\"https://evil.example/\",\"Abrir\")"
    assert row["title_en"] == "'+1+1"
    assert row["summary_es"] == "'-2+3 y sigue"
    assert row["summary_en"] == "'@SUM(A1:A9)"
    assert row["id"] == "sample-guideline-2016" and row["year"] == "2016"  # plain values are left as they are
    from rcmkb.export import FORMULA_STARTS

    assert not any(cell.startswith(FORMULA_STARTS) for cell in row.values())


@pytest.mark.parametrize("value, safe", [
    ("=1+1", "'=1+1"), ("+34 600", "'+34 600"), ("-x", "'-x"), ("@me", "'@me"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("\uff1d1+1", "'\uff1d1+1"), ("Guía", "Guía"), ("", ""), (2016, 2016), ("a=b", "a=b"),
])
def test_spreadsheet_safe_neutralises_only_formula_starts(value: object, safe: object) -> None:
    from rcmkb.export import spreadsheet_safe

    assert spreadsheet_safe(value) == safe


def test_csv_exports_every_link_of_an_entry_best_first(make_catalog: Callable[..., Path]) -> None:
    links = ("links:\n"
             "  - url: https://example.org/copy.pdf\n    kind: copy\n    language: es\n"
             "  - url: https://www.iom.int/official\n    kind: official\n    language: en\n"
             "  - url: https://example.org/news\n    kind: mention\n    language: es\n"
             "  - site_page: informe-2017.md\n    kind: copy\n    language: en\n")
    catalog = make_catalog(entries={"sample-guideline-2016": valid_entry(links=links)})
    (catalog.parent / "docs").mkdir()
    (catalog.parent / "docs" / "informe-2017.md").write_text("# Informe\n", encoding="utf-8")
    row = _csv_rows(_files(catalog, "https://example.org/herramientas/"))[0]
    assert row["link_urls"].split(" | ") == ["https://www.iom.int/official", "https://example.org/copy.pdf",
                                            "https://example.org/herramientas/informe-2017/",
                                            "https://example.org/news"]
    assert row["link_kinds"].split(" | ") == ["official", "copy", "copy", "mention"]
    assert row["link_languages"].split(" | ") == ["en", "es", "en", "es"]
    assert (row["link_url"], row["link_kind"]) == ("https://www.iom.int/official", "official")  # as in 1.0


def test_csv_names_countries_and_other_codes_in_both_languages(make_catalog: Callable[..., Path]) -> None:
    catalog = make_catalog(entries={"sample-guideline-2016": valid_entry(
        countries="countries: [GT, HN]", languages="languages: [es, en]")})
    row = _csv_rows(_files(catalog))[0]
    assert (row["countries"], row["countries_es"], row["countries_en"]) == ("GT | HN", "Guatemala | Honduras",
                                                                             "Guatemala | Honduras")
    assert row["stages_es"] and row["stages_es"] != row["stages"]  # labels of the vocabulary, not its codes
    assert (row["languages_es"], row["languages_en"]) == ("Español | Inglés", "Spanish | English")
    assert CSV_COLUMNS[:28] == CSV_COLUMNS_1_0  # 1.1 only adds columns, at the end
    assert SCHEMA_VERSION == "1.1"


CSV_COLUMNS_1_0 = (
    "id", "title_es", "title_en", "summary_es", "summary_en", "type", "type_es", "type_en", "year", "status",
    "organizations", "organizations_es", "organizations_en", "themes", "themes_es", "themes_en", "stages",
    "audiences", "countries", "languages", "link_url", "link_kind", "page_es", "page_en", "short_url",
    "added", "reviewed", "former_ids",
)

HOSTILE = "A\x00B\x01\x08\x0b\x0c\x1b[31m\ud800\udfff\ufffe\uffffC <&> \"'\u202e"


def test_feeds_are_well_formed_whatever_the_catalog_holds(make_catalog: Callable[..., Path]) -> None:
    """Characters XML cannot hold (controls, lone surrogates, U+FFFE) in titles, summaries and labels.

    The validator refuses most of them in entries; a vocabulary label may still carry one, and the
    feed must stay well-formed however the catalog came to hold it."""
    from rcmkb.export import atom_feed

    catalog = make_catalog(entries={"sample-guideline-2016": valid_entry()})
    model = load_model(catalog)
    entry = model.entries[0]
    entry["title"]["es"] = entry["summary"]["en"] = HOSTILE
    model.vocab["themes"].terms["best-interests"]["en"] = HOSTILE
    for lang in ("es", "en"):
        root = ET.fromstring(atom_feed(model, "https://example.org/", lang))  # raises if not well-formed
        item = root.find(f"{ATOM}entry")
        kept = "AB[31mC <&> \"'\u202e"  # what XML can hold stays (escaped on the way), the rest is left out
        if lang == "es":
            assert item.findtext(f"{ATOM}title") == kept
        else:
            assert item.findtext(f"{ATOM}summary") == kept
            assert item.find(f"{ATOM}category").get("label") == kept


def test_a_control_character_in_a_vocabulary_label_never_breaks_a_feed(make_catalog: Callable[..., Path]) -> None:
    """From the YAML file on: either the validator refuses the label, located, or the feeds stay well-formed."""
    from rcmkb.generate import GenerationError

    catalog = make_catalog(entries={"sample-guideline-2016": valid_entry()})
    themes = catalog / "vocab" / "themes.yml"
    text = themes.read_text(encoding="utf-8")
    assert "    en: Best interests of the child\n" in text
    themes.write_text(text.replace("    en: Best interests of the child\n",
                                   '    en: "Best interests\\x01 of the\\x0b child"\n'), encoding="utf-8")
    try:
        model = load_model(catalog)
    except GenerationError as refused:
        assert [(f.rule, Path(f.path).name) for f in refused.findings.errors] == [("control-character", "themes.yml")]
        return
    files = export_files(model, load_json(catalog / "schema" / "entry.schema.json"), "https://example.org/")
    feed = ET.fromstring(files["en/feed.xml"])  # raises if not well-formed
    assert feed.find(f"{ATOM}entry/{ATOM}category").get("label") == "Best interests of the child"
