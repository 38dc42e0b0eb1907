"""What the Pagefind index holds: page content only, one index per language, entry metadata included."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from conftest import REPO
from rcmkb import routes

pytestmark = pytest.mark.build


def indexed_pages(site: Path) -> dict[str, list[str]]:
    """Pages Pagefind indexes (those with a data-pagefind-body element), by <html lang>."""
    out: dict[str, list[str]] = {}
    for path in sorted(site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if "data-pagefind-body" in text:
            lang = re.search(r'<html lang="([a-z]+)"', text).group(1)
            out.setdefault(lang, []).append(str(path.relative_to(site)))
    return out


def test_one_index_per_language_with_the_content_pages_only(built_site: Path) -> None:
    entry = json.loads((built_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    pages = indexed_pages(built_site)
    assert set(entry["languages"]) == {"es", "en"} == set(pages)
    for lang in ("es", "en"):
        assert entry["languages"][lang]["page_count"] == len(pages[lang])
    assert all(p.startswith("en/") for p in pages["en"]) and not any(p.startswith("en/") for p in pages["es"])
    assert "404.html" not in pages["es"] + pages["en"]
    # Every catalog entry is indexed in both languages.
    for entry_file in (REPO / "catalog" / "entries").glob("*.yml"):
        assert f"catalogo/{entry_file.stem}/index.html" in pages["es"]
        assert f"en/catalogo/{entry_file.stem}/index.html" in pages["en"]


@pytest.mark.browser
@pytest.mark.parametrize("path", ["catalogo/rcm-regional-guidelines-child-protection-2016/", "en/crm/"])
def test_menus_header_search_box_and_footer_are_outside_the_indexed_content(page, site_url: str,
                                                                            path: str) -> None:
    page.goto(site_url + path)
    bodies = page.locator("[data-pagefind-body]")
    assert bodies.count() == 1
    assert bodies.locator("h1").count() == 1
    for chrome in (".md-header", ".md-nav", ".md-footer", ".md-banner", ".rcm-search", ".md-select"):
        assert bodies.locator(chrome).count() == 0, chrome


def test_entry_pages_carry_names_acronyms_keywords_and_aliases_for_search(built_site: Path) -> None:
    page = (built_site / "en" / "catalogo" / "iom-handbook-vulnerable-migrants-2019" / "index.html").read_text(
        encoding="utf-8")
    meta = html.unescape(re.search(r'<div class="rcm-search-meta" hidden>(.*?)</div>', page, re.S).group(1))
    assert '<span data-pagefind-filter="kind:tool"></span>' in meta
    for expected in ("Organización Internacional para las Migraciones", "International Organization for Migration",
                     "OIM", "IOM", "Manual de la OIM", "IOM Handbook", "case management",
                     "Manual de la OIM sobre Protección y Asistencia"):
        assert expected in meta, expected
    assert re.search(r'data-pagefind-meta="facts">Handbook or manual · 2019<', html.unescape(page))


@pytest.mark.browser
def test_the_replaced_banner_is_not_indexed(page, site_url: str) -> None:
    """The banner on a replaced entry is a notice, not content: its words would match every replaced entry."""
    page.goto(site_url + "en/")
    content = page.evaluate("""async () => {
        const pagefind = await import('/pagefind/pagefind.js');
        const search = await pagefind.search('UNHCR Guidelines on Determining the Best Interests of the Child');
        for (const result of search.results) {
            const data = await result.data();
            if (data.url === '/en/catalogo/unhcr-bid-guidelines-2008/') return data.content;
        }
        return null;
    }""")
    assert content is not None
    assert "This resource has been replaced" not in content


def test_untranslated_pages_are_not_indexed_in_the_other_language(temp_repo: Path) -> None:
    """A page shown in English because it has no Spanish version (or the reverse) stays out of search."""
    from rcmkb.build import build_site

    (temp_repo / "docs" / "acerca.en.md").unlink()
    site = build_site(temp_repo, temp_repo / "site")
    fallback = (site / "en" / "acerca" / "index.html").read_text(encoding="utf-8")
    assert "This page is not translated yet" in fallback
    assert "data-pagefind-body" not in fallback
    pages = indexed_pages(site)
    assert "acerca/index.html" in pages["es"] and "en/acerca/index.html" not in pages["en"]
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == entry["languages"]["es"]["page_count"] - 1


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_listing_pages_stay_out_of_the_index(built_site: Path, prefix: str) -> None:
    """Browse, overview, to-do and results pages list tools; they would crowd the tools out of the results."""
    pages = set(indexed_pages(built_site)["en" if prefix else "es"])
    lang = "en" if prefix else "es"
    # From the route table, so that a new kind of listing page (a country's page and its coverage
    # cells under pais/<code>/, the coverage matrices) is checked without editing this test.
    overview_pages = (routes.OVERVIEW_PAGE, routes.TODO_PAGE, routes.COVERAGE_PAGE)
    listings = [routes.built_file(routes.page_site_path(page, lang)) for page in overview_pages]
    listings.append(f"{prefix}buscar/index.html")  # the full results page (hand-written, docs/buscar.md)
    for folder in [folder for folder, _, _ in routes.FACETS] + [routes.HANDOUTS_DIR]:
        folder_pages = (built_site / prefix / routes.GENERATED_DIR / folder).rglob("*.html")
        listings += [str(p.relative_to(built_site)) for p in folder_pages]
    assert routes.built_file(routes.page_site_path(routes.coverage_cell_page("gt", "transit"), lang)) in listings
    assert len(listings) > 20
    assert not pages & set(listings), sorted(pages & set(listings))
    # Entries and decisions are indexed, and filtered as tools so that the box can put them first.
    decision_pages = (built_site / prefix / "catalogo" / "decisiones").rglob("*.html")
    decisions = [str(p.relative_to(built_site)) for p in decision_pages]
    assert decisions and set(decisions) <= pages
    for name in decisions[:3]:
        assert 'data-pagefind-filter="kind:tool"' in (built_site / name).read_text(encoding="utf-8")


def test_each_result_shows_the_summary_never_the_metadata(built_site: Path) -> None:
    """The excerpt under a result is the page's summary (its description), a sentence an officer reads."""
    page = (built_site / "catalogo" / "acnur-arrancados-de-raiz-2014" / "index.html").read_text(encoding="utf-8")
    description = re.search(r'<meta name="description" content="([^"]*)" data-pagefind-meta="summary\[content\]">',
                            page)
    assert description and len(description.group(1)) > 40
    # Notes about the page itself are not content: kept out of the index and so out of any excerpt.
    assert re.search(r'<small class="rcm-dates" data-pagefind-ignore>', page)
    english = (built_site / "en" / "catalogo" / "acnur-arrancados-de-raiz-2014" / "index.html").read_text(
        encoding="utf-8")
    assert re.search(r'<p class="rcm-unofficial" data-pagefind-ignore[ =>]', english)
