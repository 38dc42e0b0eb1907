"""What a phone trial of the merged site (390 x 844, Fast 3G) found, each checked as an officer meets it.

Runs against the real built site served on 127.0.0.1, in Debian's Chromium at phone size.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from bench.browser import FAST_3G

pytestmark = [pytest.mark.build, pytest.mark.browser]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser) -> object:
    context = browser.new_context(viewport=PHONE, locale="es-ES", has_touch=True)
    yield context.new_page()
    context.close()


def slow_link(page) -> None:
    """Chrome DevTools' Fast 3G profile, as the officers' phones meet the site."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", FAST_3G)


# --- 1. Cold search on a slow link is never silent ---------------------------------------------

@pytest.mark.parametrize("prefix, loading, count", [
    ("", "Cargando la búsqueda…", r"^\d+ resultados?$"),
    ("en/", "Loading search…", r"^\d+ results?$"),
])
def test_cold_search_says_it_is_loading_then_shows_results(phone, site_url: str, prefix: str, loading: str,
                                                          count: str) -> None:
    page = phone
    slow_link(page)
    page.goto(site_url + prefix + "catalogo/", wait_until="networkidle")
    # Hold Pagefind's index back: whatever the link speed, the officer types before search is ready.
    held: list = []
    page.route(re.compile(r"/pagefind/pagefind-entry\.json"), lambda route: held.append(route))
    page.locator(".rcm-search__input").tap()
    page.keyboard.type("nin", delay=80)
    status = page.locator(".rcm-search__status")
    expect(page.locator(".rcm-search__panel")).to_be_visible()
    expect(status).to_have_text(loading)
    assert status.get_attribute("aria-live") == "polite" and status.get_attribute("role") == "status"
    box = status.bounding_box()
    assert box and box["y"] < PHONE["height"] and box["width"] >= 300, box  # on screen, full width
    page.unroute(re.compile(r"/pagefind/pagefind-entry\.json"))
    for route in held:
        route.continue_()
    expect(page.locator("[data-rcm-results] [data-rcm-result]").first).to_be_visible(timeout=30_000)
    expect(status).to_have_text(re.compile(count), timeout=30_000)


def test_clearing_the_box_while_search_loads_closes_the_panel(phone, site_url: str) -> None:
    page = phone
    page.route(re.compile(r"/pagefind/"), lambda route: None)  # never answered: search stays loading
    page.goto(site_url + "catalogo/", wait_until="networkidle")
    page.locator(".rcm-search__input").tap()
    page.keyboard.type("nin", delay=30)
    expect(page.locator(".rcm-search__status")).to_have_text("Cargando la búsqueda…")
    for _ in range(3):
        page.keyboard.press("Backspace")
    expect(page.locator(".rcm-search__panel")).to_be_hidden()


# --- 2. Switching language on the results page keeps the search ---------------------------------

@pytest.mark.parametrize("start, other, target", [("buscar/", "en", "en/buscar/"), ("en/buscar/", "es", "buscar/")])
def test_language_switcher_on_the_results_page_keeps_the_query(phone, site_url: str, start: str, other: str,
                                                               target: str) -> None:
    page = phone
    page.goto(site_url + start + "?q=ninez")
    page.get_by_role("button", name=re.compile("Seleccionar idioma|Select language")).tap()
    page.locator(f"a.md-select__link[hreflang='{other}']").tap()
    page.wait_for_url(re.compile(re.escape(target) + r"\?q=ninez$"))
    expect(page.locator(".rcm-search__input")).to_have_value("ninez")
    expect(page.locator("[data-rcm-results-page-body] [data-rcm-result]").first).to_be_visible(timeout=15_000)
