"""The coverage view (issue 11 §3): member countries against stages and themes, cell by cell.

Each count on the page must be the number of entries on the page it links to, and the same figure
as in data/coverage.json; a gap is visible and said to screen readers; the page needs no
JavaScript, reads on a phone, prints on one A4 page, asks nothing of another host and passes axe.
"""

from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from conftest import REPO, valid_entry
from rcmkb.coverage import AXES, coverage_rows, matrix
from rcmkb.generate import load_model
from test_a11y import WCAG_21_AA, describe
from test_print import pdf_pages

pytestmark = [pytest.mark.build]

COVERAGE = "catalogo/cobertura/"
GAP_WORDS = {"": "sin herramientas", "en/": "no tools"}


class Matrices(HTMLParser):
    """The coverage tables of a built page: per table, rows of (row header, [(href or None, text, class)])."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[tuple[str, list[tuple[str | None, str, str]]]]] = []
        self.columns: list[list[str]] = []
        self._cell: list | None = None
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "table" and "rcm-coverage__table" in (attributes.get("class") or ""):
            self.tables.append([])
            self.columns.append([])
        elif not self.tables:
            return
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and not self._in_head:
            self.tables[-1].append(("", []))
        elif tag in ("th", "td"):
            self._cell = [tag, None, "", attributes.get("class") or ""]
        elif tag == "a" and self._cell is not None:
            self._cell[1] = attributes.get("href")

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell[2] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._in_head = False
        elif tag in ("th", "td") and self._cell is not None and self.tables:
            kind, href, text, css = self._cell
            self._cell = None
            if self._in_head:
                self.columns[-1].append(text.strip())
            elif kind == "th":
                self.tables[-1][-1] = (text.strip(), [])
            else:
                self.tables[-1][-1][1].append((href, text.strip(), css))


def parse_matrices(html: str) -> Matrices:
    parser = Matrices()
    parser.feed(html)
    return parser


def listed_entries(html: str, page_path: str, entry_ids: set[str]) -> list[str]:
    """Entry ids linked from the list items of a page's article (page_path: its path in the site)."""
    body = html[html.index("<article"):html.index("</article>")]
    out = []
    for href in re.findall(r'<li><a href="([^"]+)"', body):
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), href)).strip("/")
        entry_id = target.split("/")[-1]
        if entry_id in entry_ids:
            out.append(entry_id)
    return out


@pytest.fixture(scope="module")
def model():
    return load_model(REPO / "catalog")


def test_cells_count_national_tools_and_the_regional_row_counts_regional_ones(make_catalog) -> None:
    catalog = make_catalog(entries={
        "gt-protocol-2020": valid_entry("gt-protocol-2020", countries="countries: [GT]",
                                        stages="stages: [origin, return]", themes="themes: [trafficking]"),
        "gt-hn-protocol-2021": valid_entry("gt-hn-protocol-2021", countries="countries: [GT, HN]",
                                           stages="stages: [return]"),
        "regional-guideline-2016": valid_entry("regional-guideline-2016", countries="countries: [regional]",
                                               stages="stages: [transit]"),
        "global-standard-2015": valid_entry("global-standard-2015", countries="countries: [global]"),
    })
    small = load_model(catalog)
    stages = {(cell.row, cell.term): cell.count for row in matrix(small, AXES[0]) for cell in row}
    assert coverage_rows(small)[-1] == "regional" and len(coverage_rows(small)) == 12
    assert stages[("GT", "origin")] == 1 and stages[("GT", "return")] == 2  # a binational tool counts for both
    assert stages[("HN", "return")] == 1 and stages[("HN", "origin")] == 0
    assert stages[("GT", "transit")] == 0  # a regional instrument is not a national tool
    assert stages[("regional", "transit")] == 1 and stages[("regional", "origin")] == 0
    assert sum(stages.values()) == 5  # the global standard is in no row
    gaps = [cell for row in matrix(small, AXES[0]) for cell in row if not cell.count]
    assert gaps and all(cell.path is None for cell in gaps)


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_each_cell_count_is_the_number_of_entries_on_the_page_it_links_to(
        built_site: Path, model, prefix: str) -> None:
    html = (built_site / prefix / COVERAGE / "index.html").read_text(encoding="utf-8")
    found = parse_matrices(html)
    ids = {e["id"] for e in model.entries}
    data = json.loads((built_site / "data" / "coverage.json").read_text(encoding="utf-8"))
    assert len(found.tables) == len(AXES) == 2
    checked = gaps = 0
    for axis, table, columns in zip(AXES, found.tables, found.columns, strict=True):
        expected = matrix(model, axis)
        assert len(table) == len(coverage_rows(model)) == 12  # 11 member countries and the regional row
        assert len(columns) - 1 == len(model.vocab[axis.vocab].terms)  # 4 stages, 9 themes
        cells_in_data = {(c["row"], c["column"]): c for c in data["matrices"][axis.key]["cells"]}
        for (header, cells), expected_row in zip(table, expected, strict=True):
            assert len(cells) == len(expected_row), header
            for (href, text, css), cell in zip(cells, expected_row, strict=True):
                in_data = cells_in_data[(cell.row, cell.term)]
                if href is None:  # a gap: marked for sight and for screen readers, and no link
                    assert "rcm-gap" in css and GAP_WORDS[prefix] in text and cell.count == 0
                    assert in_data["count"] == 0 and in_data["pages"] is None
                    gaps += 1
                    continue
                count = int(re.match(r"\d+", text).group(0))
                target = posixpath.normpath(posixpath.join(prefix + COVERAGE, href)) + "/"
                linked = (built_site / target / "index.html").read_text(encoding="utf-8")
                assert len(listed_entries(linked, target, ids)) == count == cell.count, (header, cell.term)
                assert in_data["count"] == count
                assert urlsplit(in_data["pages"]["en" if prefix else "es"]).path.endswith("/" + target)
                checked += 1
    assert checked >= 20 and gaps >= 1  # the real catalog has both


def test_coverage_json_is_listed_on_the_open_data_page(built_site: Path) -> None:
    for prefix in ("", "en/"):
        html = (built_site / prefix / "datos" / "index.html").read_text(encoding="utf-8")
        href = re.search(r'<a href="([^"]*coverage\.json)"', html).group(1)
        assert (built_site / posixpath.normpath(posixpath.join(prefix + "datos/", href))).is_file()


@pytest.mark.browser
def test_without_javascript_a_count_leads_to_its_list(browser, site_url: str, model) -> None:
    context = browser.new_context(java_script_enabled=False, locale="es-ES")
    page = context.new_page()
    page.goto(site_url + COVERAGE)
    guatemala = page.locator("#por-etapa ~ .rcm-coverage tr", has=page.get_by_role("link", name="Guatemala")).first
    origin = next(cell for row in matrix(model, AXES[0]) for cell in row if (cell.row, cell.term) == ("GT", "origin"))
    link = guatemala.get_by_role("link", name=re.compile(rf"^{origin.count} herramientas?$"))
    link.first.click()
    page.wait_for_url(re.compile(r"/catalogo/pais/gt/origin/$"))
    expect(page.locator("article li")).to_have_count(origin.count)
    context.close()


@pytest.mark.browser
def test_on_a_phone_the_country_column_stays_in_view_while_the_counts_scroll(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-ES", has_touch=True)
    page = context.new_page()
    page.goto(site_url + COVERAGE)
    region = page.locator(".rcm-coverage--themes")
    header = region.locator("tbody th").first
    last = region.locator("thead th").last
    before = header.bounding_box()
    assert last.bounding_box()["x"] > 390  # nine themes do not fit: the table scrolls...
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390  # ...inside its box, not the page
    region.evaluate("box => box.scrollLeft = box.scrollWidth")
    after = header.bounding_box()
    assert abs(after["x"] - before["x"]) < 1  # the country column stayed put
    assert last.bounding_box()["x"] + last.bounding_box()["width"] <= 390 + 1  # and the last theme came in
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "en/"])
def test_coverage_page_asks_nothing_of_another_host(browser, site_url: str, prefix: str) -> None:
    context = browser.new_context(locale="es-ES")
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + prefix + COVERAGE, wait_until="networkidle")
    context.close()
    assert any(url.endswith("/assets/coverage.css") for url in requested)
    foreign = [url for url in requested
               if not url.startswith(("data:", "blob:")) and urlsplit(url).hostname != "127.0.0.1"]
    assert foreign == []


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "en/"])
@pytest.mark.parametrize("width, height", [(390, 844), (1280, 900)])
def test_coverage_page_has_no_wcag_aa_violations(browser, site_url: str, prefix: str, width: int,
                                                height: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="es-ES")
    page = context.new_page()
    page.goto(site_url + prefix + COVERAGE)
    violations = Axe().run(page, options=WCAG_21_AA).response["violations"]
    context.close()
    assert violations == [], describe(violations)


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "en/"])
def test_coverage_page_prints_on_one_a4_page(page, site_url: str, model, prefix: str) -> None:
    page.goto(site_url + prefix + COVERAGE)
    page.emulate_media(media="print")
    # Both matrices, whole, on paper.
    for table in page.locator("table.rcm-coverage__table").all():
        expect(table.locator("tbody tr")).to_have_count(len(coverage_rows(model)))
        assert table.is_visible()
    assert pdf_pages(page.pdf(format="A4")) == 1
