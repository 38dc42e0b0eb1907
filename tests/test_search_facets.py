"""The catalog page's filters, used as an officer would, and the list they enhance.

Expected counts come from the catalog YAML itself, so the tests follow the catalog as it grows.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from playwright.sync_api import expect

from conftest import REPO

pytestmark = [pytest.mark.build, pytest.mark.browser]

ITEMS = "ul.rcm-entries > li"


@pytest.fixture(scope="module")
def entries() -> list[dict]:
    return [yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted((REPO / "catalog" / "entries").glob("*.yml"))]


def visible_ids(page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        ITEMS + ":not([hidden]) > a", "els => els.map(a => new URL(a.href).pathname)")
    return [re.search(r"/catalogo/([a-z0-9-]+)/$", href).group(1) for href in hrefs]


def tick(page, facet: str, label: str) -> None:
    details = page.locator(f"details[data-facet='{facet}']")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    details.get_by_label(label, exact=False).first.check()


def test_without_javascript_the_page_lists_every_entry(browser, site_url: str, entries: list[dict]) -> None:
    context = browser.new_context(java_script_enabled=False, locale="es-ES")
    page = context.new_page()
    for path in ("catalogo/", "en/catalogo/"):
        page.goto(site_url + path)
        assert page.locator(ITEMS).count() == len(entries)
        assert not page.locator("form.rcm-facets").is_visible()  # no controls that cannot work
        assert sorted(visible_ids(page)) == sorted(e["id"] for e in entries)
    context.close()


def test_filters_narrow_combine_count_and_survive_a_reload(page, site_url: str, entries: list[dict]) -> None:
    page.goto(site_url + "catalogo/")
    status = page.locator(".rcm-facets__status")
    expect(status).to_have_text(f"Se muestran {len(entries)} de {len(entries)} recursos.")

    protocols = {e["id"] for e in entries if e["type"] == "protocol"}
    protocol_box = page.locator("input[name='tipo'][value='protocol']")
    count = protocol_box.locator("xpath=..").locator(".rcm-count")
    expect(count).to_have_text(f"({len(protocols)})")
    tick(page, "tipo", "Protocolo")
    expect(status).to_have_text(f"Se muestran {len(protocols)} de {len(entries)} recursos.")
    assert set(visible_ids(page)) == protocols

    consular = {e["id"] for e in entries if "consular-protection" in e["themes"]}
    # The theme count now says what ticking it would leave, among protocols.
    theme_count = page.locator("input[name='tema'][value='consular-protection']").locator("xpath=..")
    expect(theme_count.locator(".rcm-count")).to_have_text(f"({len(protocols & consular)})")
    tick(page, "tema", "Protección consular")
    assert set(visible_ids(page)) == protocols & consular
    assert 0 < len(protocols & consular) < len(protocols)

    query = parse_qs(urlsplit(page.url).query)
    assert query == {"tipo": ["protocol"], "tema": ["consular-protection"]}

    page.reload()
    assert set(visible_ids(page)) == protocols & consular
    assert page.locator("input[name='tipo'][value='protocol']").is_checked()
    assert page.locator("details[data-facet='tema']").get_attribute("open") is not None

    page.get_by_role("button", name="Quitar los filtros").click()
    expect(status).to_have_text(f"Se muestran {len(entries)} de {len(entries)} recursos.")
    assert urlsplit(page.url).query == ""


def test_two_terms_of_one_filter_widen_the_list(page, site_url: str, entries: list[dict]) -> None:
    page.goto(site_url + "catalogo/?tema=trafficking,best-interests")
    expected = {e["id"] for e in entries if {"trafficking", "best-interests"} & set(e["themes"])}
    assert set(visible_ids(page)) == expected


def test_year_range_and_sorting(page, site_url: str, entries: list[dict]) -> None:
    page.goto(site_url + "catalogo/")
    details = page.locator("details[data-facet='anio']")
    details.locator("summary").click()
    page.select_option("select[name='desde']", "2010")
    page.select_option("select[name='hasta']", "2016")
    expected = {e["id"] for e in entries if e.get("year") and 2010 <= e["year"] <= 2016}
    assert set(visible_ids(page)) == expected

    page.select_option("select[name='orden']", "anio-desc")
    years = [int(y) for y in page.eval_on_selector_all(
        ITEMS + ":not([hidden])", "els => els.map(li => li.dataset.anio)")]
    assert years == sorted(years, reverse=True) and years[0] == 2016

    page.select_option("select[name='orden']", "anio-asc")
    page.select_option("select[name='desde']", "")
    page.select_option("select[name='hasta']", "")
    order = page.eval_on_selector_all(ITEMS, "els => els.map(li => li.dataset.anio || null)")
    known = [int(y) for y in order if y]
    assert known == sorted(known)
    assert order[len(known):] == [None] * (len(order) - len(known)), "entries without a year come last"
    assert parse_qs(urlsplit(page.url).query) == {"orden": ["anio-asc"]}


def test_a_shared_filtered_link_opens_in_english_too(page, site_url: str, entries: list[dict]) -> None:
    page.goto(site_url + "catalogo/?organizacion=unhcr&idioma=en")
    expected = {e["id"] for e in entries if "unhcr" in e["organizations"] and "en" in e["languages"]}
    assert set(visible_ids(page)) == expected
    # The language switcher carries the filters to the English page.
    page.locator(".md-header__option .md-select").hover()
    page.locator("a.md-select__link[hreflang='en']").click()
    page.wait_for_url(re.compile(r"/en/catalogo/\?"))
    assert set(visible_ids(page)) == expected
    expect(page.locator(".rcm-facets__status")).to_have_text(
        f"Showing {len(expected)} of {len(entries)} resources.")
    assert page.locator("details[data-facet='organizacion'] summary").inner_text().startswith("Organizations")


def test_filter_labels_and_counts_cover_every_used_term(page, site_url: str, entries: list[dict]) -> None:
    page.goto(site_url + "en/catalogo/")
    types = {e["type"] for e in entries}
    values = page.eval_on_selector_all("input[name='tipo']", "els => els.map(e => e.value)")
    assert set(values) == types
    total = sum(int(t.strip("()")) for t in page.locator("details[data-facet='tipo'] .rcm-count").all_text_contents())
    assert total == len(entries)  # each entry has exactly one type


def test_the_overview_page_is_the_only_one_loading_the_filters(built_site: Path) -> None:
    pages = [p for p in built_site.rglob("index.html") if "facets.js" in p.read_text(encoding="utf-8")]
    assert sorted(str(p.relative_to(built_site)) for p in pages) == ["catalogo/index.html", "en/catalogo/index.html"]


@pytest.mark.parametrize("lang_prefix", ["", "en/"])
def test_without_javascript_the_browse_pages_reach_every_entry(built_site: Path, entries: list[dict],
                                                               lang_prefix: str) -> None:
    # Each entry has one type, so the type pages together must list the whole catalog.
    linked: set[str] = set()
    for page in (built_site / lang_prefix / "catalogo" / "tipo").glob("*/index.html"):
        linked |= set(re.findall(r'href="\.\./\.\./([a-z0-9-]+)/"', page.read_text(encoding="utf-8")))
    assert {e["id"] for e in entries} <= linked
