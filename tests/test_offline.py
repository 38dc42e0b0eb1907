"""The offline bundle: unzip dist/offline.zip, open index.html from disk, with no server and no network."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe

from conftest import REPO

pytestmark = [pytest.mark.build, pytest.mark.browser]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
           "resultTypes": ["violations"]}


@pytest.fixture(scope="module")
def offline_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from rcmkb.offline import build_offline

    path = build_offline(REPO, tmp_path_factory.mktemp("dist") / "offline.zip")
    print(f"\noffline bundle: {path.stat().st_size / 1_000_000:.2f} MB")  # reported, never asserted
    return path


@pytest.fixture(scope="module")
def unzipped(offline_zip: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(offline_zip) as archive:
        archive.extractall(folder)
    return folder


@pytest.fixture
def offline_page(browser, unzipped: Path) -> Iterator[object]:
    """A page that may only load files from the unzipped bundle: any other request fails the test."""
    context = browser.new_context(locale="es-ES")
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(("file://", "data:", "blob:", "about:"))
            else outside.append(request.url))
    yield page
    context.close()
    assert outside == [], f"requests outside the bundle: {outside}"


def search(page, query: str) -> list[str]:
    """Type a query into Material's search box as a reader would; the result links."""
    page.locator("input.md-search__input").click()
    page.keyboard.type(query)
    results = page.locator(".md-search-result__item > a")
    results.first.wait_for(timeout=15_000)
    return [link.get_attribute("href") or "" for link in results.all()]


def test_the_bundle_opens_at_index_html(offline_zip: Path) -> None:
    with zipfile.ZipFile(offline_zip) as archive:
        names = archive.namelist()
        modes = {info.external_attr >> 16 & 0o777 for info in archive.infolist()}
    assert modes == {0o644}
    assert offline_zip.stat().st_mode & 0o777 == 0o644
    assert "index.html" in names and "en/index.html" in names
    assert not any(name.startswith("pagefind/") for name in names)  # Pagefind cannot run from file://
    assert "assets/vendor/iframe-worker-shim.js" in names


def test_pages_and_language_switcher_work_from_disk(offline_page, unzipped: Path) -> None:
    page = offline_page
    page.goto((unzipped / "index.html").as_uri())
    assert page.locator("html").get_attribute("lang") == "es"
    page.locator(".md-nav__link", has_text="Catálogo").first.click()
    page.wait_for_url("**/catalogo/index.html")
    page.locator(".md-select").first.hover()  # the switcher opens on hover or focus
    page.locator("a.md-select__link[hreflang=en]").click()
    page.wait_for_url("**/en/catalogo/index.html")
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("article a", has_text="Glossary").first.click()
    page.wait_for_url("**/en/catalogo/glosario.html")


@pytest.mark.parametrize("start, query, english", [
    ("index.html", "repatriación", False),
    ("en/index.html", "repatriation", True),
])
def test_search_from_disk_returns_the_pages_language(offline_page, unzipped: Path, start: str, query: str,
                                                     english: bool) -> None:
    page = offline_page
    page.goto((unzipped / start).as_uri())
    hits = search(page, query)
    assert len(hits) >= 3
    assert all(("/en/" in hit) == english for hit in hits), hits
    page.locator(".md-search-result__item > a").first.click()
    page.wait_for_url("**/catalogo/*.html*")
    assert page.locator("html").get_attribute("lang") == ("en" if english else "es")


def test_spanish_search_leaves_out_english_pages(offline_page, unzipped: Path) -> None:
    """A word found only in English text ('shelter') finds nothing from a Spanish page."""
    page = offline_page
    page.goto((unzipped / "en" / "index.html").as_uri())
    assert search(page, "shelter")
    page.goto((unzipped / "index.html").as_uri())
    page.locator("input.md-search__input").click()
    page.keyboard.type("shelter")
    page.wait_for_timeout(1500)
    assert all("/en/" not in (a.get_attribute("href") or "") for a in page.locator(".md-search-result__item > a").all())


def test_offline_home_is_accessible(offline_page, unzipped: Path) -> None:
    page = offline_page
    page.goto((unzipped / "index.html").as_uri())
    violations = Axe().run(page, options=WCAG_AA).response["violations"]
    # Stock Material's search dialog has no name; ours does (best practice rule, checked on its own).
    dialog = Axe().run(page, options={"runOnly": {"type": "rule", "values": ["aria-dialog-name"]}})
    assert violations == [] and dialog.response["violations"] == []


def test_offline_config_is_made_from_the_sites_config() -> None:
    """One configuration to edit: the offline one takes the site's plugins (i18n) from mkdocs.yml,
    so a change there (a language, a menu translation) reaches the bundle too."""
    from rcmkb.offline import offline_config

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", lambda loader, node: None)
    site = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    config = offline_config(REPO)
    assert config["plugins"] == ["search", "offline", *site["plugins"]]
    assert config["INHERIT"] == str(REPO / "mkdocs.yml")
    assert not (REPO / "mkdocs.offline.yml").exists()  # no second copy to keep in step


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_listing_links_and_handout_codes_work_from_disk(offline_page, unzipped: Path, prefix: str) -> None:
    """Listings are raw HTML written for directory URLs; the offline build rewrites their links."""
    page = offline_page
    themes = sorted(p for p in (unzipped / prefix / "catalogo" / "tema").glob("*.html") if p.name != "index.html")
    handouts = sorted(p for p in (unzipped / prefix / "catalogo" / "folleto").glob("*.html") if p.name != "index.html")
    assert themes and handouts
    page.goto(themes[0].as_uri())
    first = page.locator("article ul[data-rcm-raw-links] > li > a").first
    title = first.inner_text()
    first.click()
    assert title in page.locator("article h1").inner_text()  # the entry's own page, opened from disk
    assert page.url.endswith(".html")
    page.goto(handouts[0].as_uri())
    code = page.locator(".rcm-handout li img.rcm-qr").first
    code.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete", arg=code.element_handle())
    assert code.evaluate("img => img.naturalWidth") > 0  # the QR image file was found
    entry = page.locator(".rcm-handout li > a").first
    title = entry.inner_text()
    entry.click()
    assert title in page.locator("article h1").inner_text()
    printed = page.locator(".rcm-print-qr img.rcm-qr")  # the entry page's own code, shown in print
    page.wait_for_function("img => img.complete", arg=printed.element_handle())
    assert printed.evaluate("img => img.naturalWidth") > 0
