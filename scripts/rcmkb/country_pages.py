"""The pages of the member countries and the coverage view, for one language.

- a member country's browse page: a member country's national tools, then the regional instruments (marked);
  a country without national tools says so plainly and links to how to suggest one;
- the coverage page: the two coverage matrices (countries × stages, countries × themes);
- a cell's page: the list behind each non-empty cell (gaps get no page).

What is counted is decided in rcmkb.coverage; this module only lays it out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rcmkb.coverage import (
    AXES,
    COUNTRY_FOLDER,
    REGIONAL,
    matrix,
    member_countries,
    national_entries,
    regional_entries,
)
from rcmkb.model import SiteModel
from rcmkb.routes import COVERAGE_PAGE, facet_term_page

Put = Callable[..., None]  # PageRenderer.pages()'s put(page, template, **context)
EntryOrder = Callable[[dict[str, Any]], Any]
Used = Callable[..., set[str]]  # used(entries, (vocabulary, term), ...): the acronyms of a listing


def put_country_pages(put: Put, model: SiteModel, order: EntryOrder, used: Used,
                      wanted: Callable[[str], bool] = lambda page: True) -> None:
    """Every member country's page, the coverage page and its cell pages, through `put`; `used`
    names the acronyms a listing shows (PageRenderer._listing_acronyms). Pages not `wanted` (the
    preview's unchanged ones) are not put, and their listings are not worked out."""
    regional = sorted(regional_entries(model), key=order)
    for country in member_countries(model):
        if not wanted(facet_term_page(COUNTRY_FOLDER, country)):
            continue
        national = sorted(national_entries(model, country), key=order)
        own = {e["id"] for e in national}  # an entry listing the country and `regional` is listed once, as its own
        others = [e for e in regional if e["id"] not in own]
        put(facet_term_page(COUNTRY_FOLDER, country), "country.md.j2", term=country, national=national,
            regional=others, coverage_page=COVERAGE_PAGE, used=used([*national, *others], ("countries", country)))
    matrices = [(axis, matrix(model, axis)) for axis in AXES]
    put(COVERAGE_PAGE, "coverage.md.j2", matrices=matrices, coverage_page=COVERAGE_PAGE, regional_row=REGIONAL)
    for _axis, rows in matrices:
        for row in rows:
            for cell in row:
                if cell.path and wanted(cell.path):
                    put(cell.path, "coverage_cell.md.j2", cell=cell, entries=sorted(cell.entries, key=order),
                        coverage_page=COVERAGE_PAGE, regional_row=REGIONAL,
                        used=used(cell.entries, ("countries", cell.row), (cell.axis.vocab, cell.term)))
