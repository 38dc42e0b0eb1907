"""What a phone trial of the merged site (390 x 844, Fast 3G) found, each checked as an officer meets it.

Runs against the real built site served on 127.0.0.1, in Debian's Chromium at phone size.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bench.browser import FAST_3G
from conftest import REPO, biggest_theme
from rcmkb.generate import load_model
from rcmkb.render import edition_date
from rcmkb.urls import is_local_address
from rcmkb.urls import site_url as published_url

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
    # Let the held requests go (our loader reads the entry early, beside pagefind.js), then stop holding.
    for route in held:
        route.continue_()
    page.unroute(re.compile(r"/pagefind/pagefind-entry\.json"))
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


# --- 3. Every printed page of a handout says what it is -----------------------------------------

def pdf_page_texts(pdf: bytes, folder: Path) -> list[str]:
    """The text of each page of a PDF, as poppler's pdftotext reads it (form feed between pages)."""
    path = folder / "printed.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.mark.parametrize("prefix, edition_label, preview", [
    ("", "Edición del catálogo", "Copia de vista previa"),
    ("en/", "Catalog edition", "Preview copy"),
])
def test_every_printed_page_of_a_handout_carries_theme_edition_and_preview_mark(
        page, site_url: str, tmp_path: Path, prefix: str, edition_label: str, preview: str) -> None:
    model = load_model(REPO / "catalog")
    theme = biggest_theme()
    page.goto(f"{site_url}{prefix}catalogo/folleto/{theme}/")
    title = page.locator("h1").inner_text().replace("¶", "").strip()
    pages = pdf_page_texts(page.pdf(format="A4"), tmp_path)
    assert len(pages) >= 2, "the biggest theme should run past one page"
    for number, text in enumerate(pages, start=1):
        flat = " ".join(text.split())
        assert title in flat, f"page {number} does not name the theme {title!r}"
        assert f"{edition_label}: {edition_date(model)}" in flat, f"page {number} has no edition date"
        assert (preview in flat) == is_local_address(published_url()), f"page {number}: preview mark"


@pytest.mark.parametrize("prefix, one_sheet", [("", "Una hoja por tema"), ("en/", "One sheet per theme")])
def test_the_handout_index_does_not_promise_one_sheet_per_theme(page, site_url: str, prefix: str,
                                                                one_sheet: str) -> None:
    page.goto(f"{site_url}{prefix}catalogo/folleto/")
    text = page.locator("article").inner_text()
    assert one_sheet not in text
    assert ("una o varias páginas" if not prefix else "one page or several") in text


# --- 4. The catalog filter shows its effect where the thumb is -----------------------------------

def fold(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def on_screen(locator) -> bool:
    box = locator.bounding_box()
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


@pytest.mark.parametrize("prefix, country, status_text, heading", [
    ("", "Guatemala", r"^Se muestran (\d+) de (\d+) recursos\.$", r"^Todos los recursos \((\d+) de (\d+) recursos\)"),
    ("en/", "Guatemala", r"^Showing (\d+) of (\d+) resources\.$", r"^All resources \((\d+) of (\d+) resources\)"),
])
def test_ticking_a_country_on_a_phone_shows_the_count_without_scrolling(phone, site_url: str, prefix: str,
                                                                        country: str, status_text: str,
                                                                        heading: str) -> None:
    page = phone
    page.goto(site_url + prefix + "catalogo/")
    details = page.locator("details[data-facet='pais']")
    details.locator("summary").scroll_into_view_if_needed()
    details.locator("summary").tap()
    box = details.get_by_label(country, exact=False).first
    box.scroll_into_view_if_needed()
    box.tap()
    expect(box).to_be_checked()
    status = page.locator(".rcm-facets__status")
    expect(status).to_have_text(re.compile(status_text))
    assert status.get_attribute("aria-live") == "polite"
    assert on_screen(status), f"the count is off screen: {status.bounding_box()}"
    shown, total = map(int, re.match(status_text, status.inner_text().strip()).groups())
    assert shown < total
    title = page.locator("h2", has=page.locator("[data-rcm-entries-count]"))
    expect(title).to_have_text(re.compile(heading))
    assert tuple(map(int, re.match(heading, title.inner_text()).groups())) == (shown, total)
    assert page.locator("ul.rcm-entries > li:visible").count() == shown


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_filter_terms_are_in_the_alphabetical_order_of_their_labels(phone, site_url: str, prefix: str) -> None:
    page = phone
    page.goto(site_url + prefix + "catalogo/")
    expect(page.locator("form.rcm-facets")).to_be_visible()
    facets = page.eval_on_selector_all(
        "details[data-facet] fieldset", "sets => sets.map(s => [s.parentNode.dataset.facet,"
        " [...s.querySelectorAll('label:has(input[type=checkbox])')].map(l => l.firstChild.nextSibling"
        " ? l.textContent.replace(/\\(\\d+\\)\\s*$/, '').trim() : '')])")
    checked = 0
    for facet, labels in facets:
        if not labels:
            continue  # the year range: two selects, no terms
        assert labels == sorted(labels, key=fold), f"{facet}: {labels}"
        checked += 1
    assert checked >= 5
    countries = dict(facets)["pais"]
    assert len(countries) >= 11


# --- 5. The coverage matrix on a phone: whole words, and a cue that it scrolls ------------------

COVERAGE = "catalogo/cobertura/"
# For each word of each country name in the fixed column: how many line boxes it spans (1 = whole).
WORD_LINES = """region => [...region.querySelectorAll('tbody th a')].flatMap(link => {
  const text = link.firstChild; const out = [];
  for (const match of text.textContent.matchAll(/\\S+/g)) {
    const range = document.createRange();
    range.setStart(text, match.index); range.setEnd(text, match.index + match[0].length);
    const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    out.push([match[0], tops.size]);
  }
  return out;
})"""


@pytest.mark.parametrize("prefix, hint", [("", "Deslice la tabla"), ("en/", "Swipe the table")])
def test_phone_coverage_keeps_country_names_whole_and_shows_that_it_scrolls(phone, site_url: str, prefix: str,
                                                                            hint: str) -> None:
    page = phone
    page.goto(site_url + prefix + COVERAGE)
    for region in page.locator(".rcm-coverage").all():
        split = [word for word, lines in region.evaluate(WORD_LINES) if lines != 1]
        assert split == [], f"words broken across lines: {split}"
    names = page.locator(".rcm-coverage--themes tbody th").all_inner_texts()
    assert any(" " in name for name in names)  # names of two words are there to wrap between them
    themes = page.locator(".rcm-coverage--themes")
    assert themes.evaluate("box => box.scrollWidth > box.clientWidth")  # more columns off screen...
    cue = page.locator(".rcm-coverage-hint").first
    expect(cue).to_be_visible()  # ...and the officer is told so
    expect(cue).to_contain_text(hint)
    shadow = themes.evaluate("box => getComputedStyle(box).backgroundImage")
    assert shadow.count("linear-gradient") == 2, shadow  # the edge shadow and its cover


def test_desktop_and_paper_coverage_show_no_swipe_hint(page, site_url: str) -> None:
    page.goto(site_url + COVERAGE)
    expect(page.locator(".rcm-coverage-hint").first).to_be_hidden()
    page.emulate_media(media="print")
    expect(page.locator(".rcm-coverage-hint").first).to_be_hidden()
