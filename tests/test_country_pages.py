"""A country is its national tools plus the regional ones (issue 10 §3).

Every member country has a browse page and a box in the catalog filter; both list the country's
own tools first, then the regional instruments (which apply to every member), marked as regional.
A country with no national tool says so plainly and says how to suggest one.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import KEY_ENTRY, REPO, copy_repo, valid_entry
from rcmkb.coverage import REGIONAL, member_countries, national_entries, regional_entries
from rcmkb.generate import load_model

pytestmark = [pytest.mark.build]

GUATEMALA = "GT"
ITEMS = "ul.rcm-entries > li"
RCM_MEMBERS = ["BZ", "CA", "CR", "DO", "SV", "GT", "HN", "MX", "NI", "PA", "US"]


@pytest.fixture(scope="module")
def model():
    return load_model(REPO / "catalog")


def article(html: str) -> str:
    return html[html.index("<article"):html.index("</article>")]


def entry_ids_in_order(html: str) -> list[str]:
    """The entries a country page lists, in page order (links to ../../<id>/ inside list items)."""
    return re.findall(r'<li><a href="\.\./\.\./([a-z0-9-]+)/">', article(html))


def test_the_member_countries_are_marked_in_the_vocabulary(model) -> None:
    assert member_countries(model) == RCM_MEMBERS
    assert REGIONAL in model.vocab["countries"].terms
    assert not model.vocab["countries"].terms[REGIONAL].get("member")


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_every_member_country_has_a_browse_page_listed_in_the_index(built_site: Path, model, prefix: str) -> None:
    index = article((built_site / prefix / "catalogo" / "pais" / "index.html").read_text(encoding="utf-8"))
    for country in member_countries(model):
        page = built_site / prefix / "catalogo" / "pais" / country.lower() / "index.html"
        assert page.is_file(), country
        assert f'href="{country.lower()}/"' in index, country


@pytest.mark.parametrize("prefix, regional_heading, mark", [
    ("", "Instrumentos regionales", "Regional"), ("en/", "Regional instruments", "Regional")])
def test_guatemala_page_lists_its_tools_then_the_regional_guidelines_marked_regional(
        built_site: Path, model, prefix: str, regional_heading: str, mark: str) -> None:
    html = (built_site / prefix / "catalogo" / "pais" / "gt" / "index.html").read_text(encoding="utf-8")
    national = {e["id"] for e in national_entries(model, GUATEMALA)}
    regional = {e["id"] for e in regional_entries(model)}
    listed = entry_ids_in_order(html)
    assert national and listed[:len(national)] and set(listed[:len(national)]) == national
    assert set(listed[len(national):]) == regional - national
    assert KEY_ENTRY in listed[len(national):]
    # The regional ones come under their own heading, each with a visible "Regional" label.
    body = article(html)
    assert body.index(regional_heading) < body.index(f'href="../../{KEY_ENTRY}/"')
    line = re.search(rf'<li><a href="\.\./\.\./{KEY_ENTRY}/">.*?</li>', body, re.S).group(0)
    assert f'<span class="rcm-regional">{mark}</span>' in line


@pytest.mark.browser
@pytest.mark.parametrize("prefix, facet_label, status", [
    ("", "Guatemala", "Se muestran {n} de {total} recursos."),
    ("en/", "Guatemala", "Showing {n} of {total} resources.")])
def test_ticking_guatemala_on_a_phone_shows_its_tools_then_the_regional_ones(
        browser, site_url: str, model, prefix: str, facet_label: str, status: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-ES", has_touch=True)
    page = context.new_page()
    page.goto(site_url + prefix + "catalogo/")
    details = page.locator("details[data-facet='pais']")
    details.locator("summary").scroll_into_view_if_needed()
    details.locator("summary").click()
    box = details.get_by_label(facet_label, exact=False)
    national = {e["id"] for e in national_entries(model, GUATEMALA)}
    regional = {e["id"] for e in regional_entries(model)} - national
    expect(box.locator("xpath=..").locator(".rcm-count")).to_have_text(f"({len(national) + len(regional)})")
    box.click()
    expect(page.locator(".rcm-facets__status")).to_have_text(
        status.format(n=len(national) + len(regional), total=len(model.entries)))
    shown = page.eval_on_selector_all(
        ITEMS + ":not([hidden]) > a", "els => els.map(a => new URL(a.href).pathname.split('/').slice(-2)[0])")
    assert set(shown[:len(national)]) == national  # its own tools first
    assert set(shown[len(national):]) == regional  # then the regional ones
    divider = page.locator(f"{ITEMS}.rcm-entries__also")  # a line between the two groups
    expect(divider).to_have_count(1)
    assert divider.locator("a").get_attribute("href").strip("/").split("/")[-1] == shown[len(national)]
    guidelines = page.locator(f"{ITEMS}:not([hidden])", has=page.locator(f"a[href$='{KEY_ENTRY}/']"))
    expect(guidelines.locator(".rcm-regional")).to_be_visible()
    expect(guidelines.locator(".rcm-regional")).to_have_text("Regional")
    assert "pais=GT" in page.url
    context.close()


@pytest.mark.browser
def test_every_member_country_is_in_the_filter_even_without_national_tools(page, site_url: str, model) -> None:
    page.goto(site_url + "catalogo/")
    boxes = page.locator("details[data-facet='pais'] input[data-also='regional']")
    # (listed by their names, in alphabetical order: tests/test_phone_trial.py checks that)
    assert sorted(boxes.evaluate_all("els => els.map(e => e.value)")) == sorted(member_countries(model))
    # A member country without national tools still leads to the regional instruments.
    without = [c for c in member_countries(model) if not national_entries(model, c)]
    for country in without:
        box = page.locator(f"details[data-facet='pais'] input[value='{country}']")
        assert box.is_enabled()
        expect(box.locator("xpath=..").locator(".rcm-count")).to_have_text(f"({len(regional_entries(model))})")


def test_a_country_without_national_tools_says_so_and_how_to_suggest_one(tmp_path: Path) -> None:
    """A real build of a two-entry catalog: Belize has no national tool there."""
    from rcmkb.build import build_site

    repo = copy_repo(tmp_path / "repo")
    catalog = repo / "catalog"
    for folder in ("entries", "decisions"):
        shutil.rmtree(catalog / folder)
        (catalog / folder).mkdir()
    (catalog / "glossary.yml").unlink(missing_ok=True)
    (catalog / "entries" / "sample-protocol-2020.yml").write_text(
        valid_entry("sample-protocol-2020", countries="countries: [GT]", year="year: 2020"), encoding="utf-8")
    (catalog / "entries" / "sample-guideline-2016.yml").write_text(
        valid_entry("sample-guideline-2016", countries="countries: [regional]"), encoding="utf-8")
    site = build_site(repo, repo / "site", search=False)

    contribute = "../../../contribuir/"  # docs/contribuir.md (and .en.md), the guide to suggesting a resource
    for prefix, note in (("", "Aún no hay ninguna herramienta nacional catalogada."),
                         ("en/", "No national tool catalogued yet.")):
        belize = (site / prefix / "catalogo" / "pais" / "bz" / "index.html").read_text(encoding="utf-8")
        assert note in re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), article(belize))
        assert f'href="{contribute}"' in article(belize)
        assert entry_ids_in_order(belize) == ["sample-guideline-2016"]  # the regional one is still there
        guatemala = (site / prefix / "catalogo" / "pais" / "gt" / "index.html").read_text(encoding="utf-8")
        assert note not in re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), article(guatemala))
        assert entry_ids_in_order(guatemala) == ["sample-protocol-2020", "sample-guideline-2016"]
    assert (site / "en" / "contribuir" / "index.html").is_file()
