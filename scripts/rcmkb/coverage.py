"""Which tools exist for which member country: the country lists and the coverage matrices.

A member country is a term of the countries vocabulary marked `member: true` (the vocabulary is
the single source of truth). Its national tools are the entries that list its code in `countries`;
the regional instruments (entries listing `regional`) apply to every member, so a country's page
and filter show them too, after its own tools. The coverage matrices count national tools only,
one row per member country, plus a "regional" row that counts the regional instruments: a cell
at 0 is a gap the Network can see.

The site pages (render), their tests and data/coverage.json (export) all read these functions,
so a count and the page it links to can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rcmkb.model import REGIONAL, SiteModel, as_list
from rcmkb.routes import COVERAGE_PAGE, FOLDER_OF_FIELD, LANGS, coverage_cell_page, page_site_path

COUNTRY_FOLDER = FOLDER_OF_FIELD["countries"]  # the browse folder of the countries facet


@dataclass(frozen=True)
class Axis:
    """One matrix: the member countries against the terms of one entry field."""

    key: str  # anchor and data key: "stages" or "themes"
    field: str  # entry field
    vocab: str  # vocabulary of its terms (and its columns, in vocabulary order)


AXES: tuple[Axis, ...] = (Axis("stages", "stages", "stages"), Axis("themes", "themes", "themes"))


def member_countries(model: SiteModel) -> list[str]:
    """The member countries' codes, in the order of catalog/vocab/countries.yml."""
    return [term for term, data in model.vocab["countries"].terms.items() if data.get("member")]


def coverage_rows(model: SiteModel) -> list[str]:
    """The rows of both matrices: every member country, then the regional row."""
    return member_countries(model) + [REGIONAL]


def national_entries(model: SiteModel, country: str) -> list[dict[str, Any]]:
    return model.entries_with("countries", country)


def regional_entries(model: SiteModel) -> list[dict[str, Any]]:
    return model.entries_with("countries", REGIONAL)


def is_regional(entry: dict[str, Any]) -> bool:
    return REGIONAL in as_list(entry.get("countries"))


def cell_entries(model: SiteModel, row: str, axis: Axis, term: str) -> list[dict[str, Any]]:
    """The entries a cell counts: those listing the row's country (or `regional`) and the column's term."""
    return [e for e in model.entries_with("countries", row) if term in as_list(e.get(axis.field))]


def cell_path(row: str, term: str) -> str:
    """The list page of a non-empty cell, beside the country's page (the route table says where)."""
    return coverage_cell_page(row, term)


@dataclass(frozen=True)
class Cell:
    row: str
    axis: Axis
    term: str
    entries: tuple[dict[str, Any], ...]

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def path(self) -> str | None:
        """Its list page, or None for a gap (an empty cell links nowhere)."""
        return cell_path(self.row, self.term) if self.entries else None


def matrix(model: SiteModel, axis: Axis) -> list[list[Cell]]:
    """One list of cells per row (coverage_rows order), one cell per term (vocabulary order)."""
    return [[Cell(row, axis, term, tuple(cell_entries(model, row, axis, term)))
             for term in model.vocab[axis.vocab].terms]
            for row in coverage_rows(model)]


def coverage_document(model: SiteModel, pages: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The counts as open data. `pages` maps a cell's page path to its URL in each language."""
    def labels(vocab: str, term: str) -> dict[str, str]:
        return {lang: model.label(vocab, term, lang) for lang in LANGS}

    matrices = {}
    for axis in AXES:
        cells = []
        for row in matrix(model, axis):
            for cell in row:
                cells.append({
                    "row": cell.row, "column": cell.term, "count": cell.count,
                    "entries": [e["id"] for e in cell.entries],
                    "pages": pages[cell.path] if cell.path else None,
                })
        matrices[axis.key] = {
            "field": axis.field,
            "columns": [{"id": term, "labels": labels(axis.vocab, term)} for term in model.vocab[axis.vocab].terms],
            "cells": cells,
        }
    return {
        "rows": [{"id": row, "labels": labels("countries", row), "member": row != REGIONAL}
                 for row in coverage_rows(model)],
        "matrices": matrices,
    }


def cell_urls(path: str, base: str) -> dict[str, str]:
    """A generated page's address in each language."""
    return {lang: base + page_site_path(path, lang) for lang in LANGS}


def coverage_export(model: SiteModel, base: str) -> dict[str, Any]:
    """data/coverage.json, less its version: the same counts as the coverage pages, with their addresses."""
    paths = {cell.path for axis in AXES for row in matrix(model, axis) for cell in row if cell.path}
    return {
        "site": base,
        "page": cell_urls(COVERAGE_PAGE, base),
        "definition": {
            "es": "Cada celda cuenta las fichas que incluyen el país de la fila en `countries` y el término de la "
                  "columna; la fila `regional` cuenta las fichas con `regional` en `countries`.",
            "en": "Each cell counts the entries listing the row's country in `countries` and the column's term; "
                  "the `regional` row counts the entries listing `regional` in `countries`.",
        },
        **coverage_document(model, {path: cell_urls(path, base) for path in paths}),
    }
