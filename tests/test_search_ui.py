"""The header search box, used as an officer would: type into it, read the results shown.

Runs against the real built site (MkDocs + Pagefind) served on 127.0.0.1, in Debian's Chromium.
"""

from __future__ import annotations

import re
import shutil
import time
import unicodedata
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import serve

pytestmark = [pytest.mark.build, pytest.mark.browser]

RESULT = "pagefind-searchbox a.pf-searchbox-result"


def fold(text: str) -> str:
    """Lower case without accents, as an officer types."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def search(page, text: str) -> list[tuple[str, str]]:
    """Type `text` into the header box and return the results shown, as (path, title) pairs."""
    box = page.locator(".rcm-search input")
    box.click()
    page.keyboard.type(text, delay=20)
    page.wait_for_selector(RESULT, timeout=15_000)
    return _settled(page)


def _settled(page) -> list[tuple[str, str]]:
    # Results arrive in stages (debounced search as one types, then each result's data), so read
    # the list until it stops changing.
    previous: list[tuple[str, str]] = []
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        page.wait_for_timeout(400)
        current = page.eval_on_selector_all(
            RESULT, "els => els.map(e => [new URL(e.href).pathname,"
                    " (e.querySelector('.pf-searchbox-result-title') || e).innerText.trim()])")
        current = [tuple(pair) for pair in current]
        # Results scrolled out of the dropdown stay placeholders until seen; those in view load.
        if current and current == previous:
            return current
        previous = current
    raise AssertionError(f"search results never settled: {previous}")


def entry_id(path: str) -> str | None:
    match = re.fullmatch(r"/(?:en/)?catalogo/([a-z0-9-]+)/", path)
    return match.group(1) if match else None


def test_no_search_code_is_downloaded_until_the_box_is_used(page, site_url: str) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site_url + "catalogo/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".rcm-search input").is_visible()
    assert not [url for url in requests if "/pagefind/" in url or "search_index" in url]
    assert page.locator(".md-search").count() == 0, "Material's stock search should be gone"

    search(page, "trata")
    assert any("/pagefind/pagefind-component-ui.js" in url for url in requests)
    assert not [url for url in requests if "search_index" in url]


@pytest.mark.parametrize("query, expected", [
    ("ninez", None),
    ("proteccion", None),
    ("interes superior", {"unhcr-bid-guidelines-2008", "unhcr-bip-guidelines-2021", "crc-general-comment-14-2013"}),
])
def test_spanish_page_accent_free_queries_find_spanish_entries(page, site_url: str, query: str,
                                                               expected: set[str] | None) -> None:
    page.goto(site_url + "catalogo/")
    results = search(page, query)
    paths = [path for path, _ in results]
    assert not [p for p in paths if p.startswith("/en/")], f"English pages among Spanish results: {paths}"
    titles = [title for _, title in results]
    # The first results carry the accented word in their title: ninez -> Niñez, proteccion -> Protección.
    first_word = query.split()[0]
    assert any(first_word in fold(title) for title in titles[:5]), titles[:5]
    if expected:
        shown = {entry_id(p) for p in paths[:5]}
        assert expected <= shown, f"{query!r}: wanted {expected} in the first five, saw {paths[:5]}"


def test_english_page_returns_only_english_results(page, site_url: str) -> None:
    page.goto(site_url + "en/catalogo/")
    results = search(page, "children")
    paths = [path for path, _ in results]
    assert paths and all(p.startswith("/en/") for p in paths), paths
    assert any("child" in title.lower() for _, title in results[:5])


def test_spanish_page_never_returns_english_pages_even_for_english_words(page, site_url: str) -> None:
    page.goto(site_url)
    results = search(page, "children")  # matched through the English titles indexed with each entry
    paths = [path for path, _ in results]
    assert paths and not [p for p in paths if p.startswith("/en/")], paths


def test_an_acronym_from_the_other_language_finds_the_organization(page, site_url: str) -> None:
    page.goto(site_url + "en/")
    results = search(page, "ACNUR")  # UNHCR's Spanish acronym, typed on an English page
    titles = [title for _, title in results[:5]]
    assert all(path.startswith("/en/") for path, _ in results)
    assert sum("UNHCR" in title for title in titles) >= 2, titles


def test_results_show_type_and_year_and_lead_to_the_entry(page, site_url: str) -> None:
    page.goto(site_url + "catalogo/")
    results = search(page, "albergue")
    path = results[0][0]
    assert entry_id(path) == "dif-oim-shelter-protocol-uasc-2015"
    facts = page.locator(RESULT).first.locator(".rcm-search__facts").inner_text()
    assert facts == "Protocolo · 2015"
    page.locator(RESULT).first.click()
    page.wait_for_url(re.compile(r"/catalogo/dif-oim-shelter-protocol-uasc-2015/$"))
    assert "albergad" in fold(page.locator("h1").inner_text())  # Spanish stemming: albergue ~ albergados


@pytest.mark.parametrize("path, placeholder, no_results", [
    ("catalogo/", "Buscar", "No se encontraron resultados"),
    ("en/catalogo/", "Search", "No results"),
])
def test_search_labels_follow_the_page_language(page, site_url: str, path: str, placeholder: str,
                                                no_results: str) -> None:
    page.goto(site_url + path)
    assert page.locator(".rcm-search input").get_attribute("placeholder") == placeholder
    box = page.locator(".rcm-search input")
    box.click()
    page.keyboard.type("qqzzxxw")
    expect(page.locator("pagefind-searchbox .pf-searchbox-status")).to_contain_text(no_results, timeout=15_000)
    assert page.locator("pagefind-searchbox input").get_attribute("placeholder") == placeholder


def test_search_metadata_is_indexed_but_not_shown(page, site_url: str) -> None:
    page.goto(site_url + "en/catalogo/iom-handbook-vulnerable-migrants-2019/")
    meta = page.locator(".rcm-search-meta")
    assert meta.count() == 1 and not meta.is_visible()
    assert "OIM" not in page.locator("article").inner_text()  # only the hidden block has the Spanish acronym
    results = search(page, "OIM manual")
    assert entry_id(results[0][0]) == "iom-handbook-vulnerable-migrants-2019"


def test_language_switcher_keeps_the_page_after_navigating(page, site_url: str) -> None:
    page.goto(site_url)
    page.locator(".md-nav__link", has_text="Catálogo").first.click()
    page.wait_for_url(re.compile(r"/catalogo/$"))
    page.locator("article a[href='rcm-regional-guidelines-child-protection-2016/']").first.click()
    page.wait_for_url(re.compile(r"/catalogo/rcm-regional-guidelines-child-protection-2016/$"))
    page.locator(".md-header__option .md-select").hover()
    page.locator("a.md-select__link[hreflang='en']").click()
    page.wait_for_url(re.compile(r"/en/catalogo/rcm-regional-guidelines-child-protection-2016/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator(".md-header__option .md-select").hover()
    page.locator("a.md-select__link[hreflang='es']").click()
    page.wait_for_url(re.compile(r"127\.0\.0\.1:\d+/catalogo/rcm-regional-guidelines-child-protection-2016/$"))


def test_box_says_so_when_the_site_has_no_search_index(browser, tmp_path: Path, built_site: Path) -> None:
    """A copy of the site without Pagefind's bundle (e.g. `mkdocs serve`) keeps working."""
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy, ignore=shutil.ignore_patterns("pagefind"))
    with serve(copy) as url:
        context = browser.new_context(locale="es-ES")
        page = context.new_page()
        page.goto(url + "catalogo/")
        page.locator(".rcm-search input").click()
        disabled = page.locator(".rcm-search input:disabled")
        disabled.wait_for(timeout=10_000)
        assert "no está disponible" in disabled.get_attribute("placeholder")
        assert page.locator("ul.rcm-entries li").count() > 0  # the page itself still works
        context.close()


@pytest.mark.parametrize("path", ["catalogo/", "en/catalogo/"])
def test_open_search_and_open_filters_pass_axe(page, site_url: str, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto(site_url + path + "?tema=trafficking")
    page.locator("details[data-facet='tipo'] summary").click()
    search(page, "consular")
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}
    violations = Axe().run(page, options=options).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]


def test_search_works_from_the_not_found_page(page, site_url: str) -> None:
    # The 404 page is served at any depth, so its links are absolute: the box must cope.
    page.goto(site_url + "404.html")
    results = search(page, "UNICEF")
    assert any(entry_id(path) for path, _ in results[:5]), results[:5]
    page.locator(RESULT).first.click()
    page.wait_for_url(re.compile(r"/catalogo/"))
    assert page.locator("h1").count() == 1
