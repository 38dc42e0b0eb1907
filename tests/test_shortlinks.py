"""Short links /t/<id>/ and renamed entries: a printed link keeps working, in the reader's language."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from conftest import KEY_ENTRY, REPO, copy_repo, serve, valid_entry
from rcmkb.catalog import load_catalog
from rcmkb.findings import Findings
from rcmkb.generate import GenerationError, load_model
from rcmkb.model import build_model
from rcmkb.shortlinks import ShortLinkError, write_short_links
from rcmkb.urls import site_url as published_url

ENTRY_IDS = sorted(p.stem for p in (REPO / "catalog" / "entries").glob("*.yml"))
TITLES = yaml.safe_load((REPO / "catalog" / "entries" / f"{KEY_ENTRY}.yml").read_text(encoding="utf-8"))["title"]
OLD_ID = "old-regional-guidelines"


def heading(page) -> str:
    return page.locator("h1").inner_text().replace("\u00b6", "").strip()  # without the permalink sign


@pytest.mark.build
def test_every_entry_has_a_short_link_with_an_absolute_canonical(built_site: Path) -> None:
    for entry_id in ENTRY_IDS:
        html = (built_site / "t" / entry_id / "index.html").read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="{published_url()}catalogo/{entry_id}/">' in html, entry_id
        # Without JavaScript the reader chooses: no refresh may pick a language for them.
        assert 'http-equiv="refresh"' not in html


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize("locale, prefix, lang", [
    ("es-MX", "", "es"),
    ("en-US", "en/", "en"),
    ("fr-FR", "", "es"),  # neither language: Spanish, the site's first language
])
def test_short_link_opens_the_entry_in_the_browsers_language(browser, site_url: str, locale: str, prefix: str,
                                                             lang: str) -> None:
    context = browser.new_context(locale=locale)
    page = context.new_page()
    page.goto(f"{site_url}t/{KEY_ENTRY}/")
    page.wait_for_url(f"{site_url}{prefix}catalogo/{KEY_ENTRY}/")
    assert page.locator("html").get_attribute("lang") == lang
    assert heading(page) == TITLES[lang]
    context.close()


@pytest.mark.build
@pytest.mark.browser
def test_short_link_takes_the_first_language_the_site_has(browser, site_url: str) -> None:
    context = browser.new_context(locale="pt-BR")
    # A reader whose browser asks for Portuguese first, then English.
    context.add_init_script("Object.defineProperty(navigator, 'languages', {get: () => ['pt-BR', 'pt', 'en-GB']})")
    page = context.new_page()
    page.goto(f"{site_url}t/{KEY_ENTRY}/#donde-leerlo")
    page.wait_for_url(f"{site_url}en/catalogo/{KEY_ENTRY}/#donde-leerlo")  # the anchor survives
    context.close()


@pytest.mark.build
@pytest.mark.browser
def test_without_javascript_the_short_link_offers_both_languages(browser, site_url: str) -> None:
    context = browser.new_context(locale="en-US", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}t/{KEY_ENTRY}/")
    page.wait_for_timeout(300)
    assert page.url == f"{site_url}t/{KEY_ENTRY}/"  # stays: nothing chose for the reader
    spanish = page.get_by_role("link", name="Ver la ficha en español")
    english = page.get_by_role("link", name="See this resource in English")
    assert spanish.get_attribute("hreflang") == "es"
    english.click()
    page.wait_for_url(f"{site_url}en/catalogo/{KEY_ENTRY}/")
    assert heading(page) == TITLES["en"]
    page.go_back()
    page.get_by_role("link", name="Ver la ficha en español").click()
    page.wait_for_url(f"{site_url}catalogo/{KEY_ENTRY}/")
    context.close()


@pytest.mark.build
@pytest.mark.browser
def test_short_links_work_under_a_sub_path(browser, built_site: Path, tmp_path: Path) -> None:
    """A GitHub project page serves the site under /<repo>/: every link must be relative."""
    (tmp_path / "repo").symlink_to(built_site, target_is_directory=True)
    with serve(tmp_path) as root:
        for locale, prefix in (("es-ES", ""), ("en-US", "en/")):
            context = browser.new_context(locale=locale)
            page = context.new_page()
            page.goto(f"{root}repo/t/{KEY_ENTRY}/")
            page.wait_for_url(f"{root}repo/{prefix}catalogo/{KEY_ENTRY}/")
            # The page found its stylesheet, so it is the real page, not a bare file.
            assert page.locator(".md-header").is_visible()
            context.close()


# --- Renamed entries -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def renamed_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real site, built from a copy of the repository where one entry lists a former id."""
    from rcmkb.build import build_site

    repo = copy_repo(tmp_path_factory.mktemp("renamed") / "repo")
    entry_file = repo / "catalog" / "entries" / f"{KEY_ENTRY}.yml"
    entry_file.write_text(entry_file.read_text(encoding="utf-8") + f"former_ids: [{OLD_ID}]\n", encoding="utf-8")
    site = build_site(repo, repo / "site", search=False)
    with serve(site) as url:
        yield url


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize("javascript", [True, False])
@pytest.mark.parametrize("prefix, lang", [("", "es"), ("en/", "en")])
def test_old_entry_pages_redirect_to_the_renamed_entry(browser, renamed_site_url: str, javascript: bool,
                                                       prefix: str, lang: str) -> None:
    context = browser.new_context(locale="es-ES", java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{renamed_site_url}{prefix}catalogo/{OLD_ID}/")
    page.wait_for_url(f"{renamed_site_url}{prefix}catalogo/{KEY_ENTRY}/")
    assert heading(page) == TITLES[lang]
    context.close()


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize("locale, prefix", [("es-ES", ""), ("en-US", "en/")])
def test_old_short_links_still_work(browser, renamed_site_url: str, locale: str, prefix: str) -> None:
    context = browser.new_context(locale=locale)
    page = context.new_page()
    page.goto(f"{renamed_site_url}t/{OLD_ID}/")
    page.wait_for_url(f"{renamed_site_url}{prefix}catalogo/{KEY_ENTRY}/")
    context.close()


# --- Refusals (no build needed) ----------------------------------------------------------------------


def test_a_former_id_claimed_by_two_entries_is_refused(make_catalog: Callable[..., Path], tmp_path: Path) -> None:
    catalog = make_catalog(entries={
        "sample-guideline-2016": valid_entry() + "former_ids: [old-guide]\n",
        "other-guideline-2017": valid_entry("other-guideline-2017") + "former_ids: [old-guide]\n",
    })
    # The validator already refuses it (former-id-conflict), so no build ever gets this far.
    with pytest.raises(GenerationError) as refused:
        write_short_links(tmp_path / "site", load_model(catalog))
    assert [f.rule for f in refused.value.findings.errors] == ["former-id-conflict"]


def test_a_former_id_never_replaces_a_page_of_the_site(make_catalog: Callable[..., Path], tmp_path: Path) -> None:
    catalog = make_catalog(entries={"sample-guideline-2016": valid_entry() + "former_ids: [glosario]\n"})
    site = tmp_path / "site"
    (site / "catalogo" / "glosario").mkdir(parents=True)
    (site / "catalogo" / "glosario" / "index.html").write_text("the glossary", encoding="utf-8")
    # The validator refuses it first (id-reserved); the writer must refuse too, should a model ever
    # be built without validation (defence in depth).
    with pytest.raises(GenerationError) as refused:
        load_model(catalog)
    assert [f.rule for f in refused.value.findings.errors] == ["id-reserved"]
    unvalidated = build_model(load_catalog(catalog, Findings()))
    with pytest.raises(ShortLinkError, match="already exists"):
        write_short_links(site, unvalidated)
    assert (site / "catalogo" / "glosario" / "index.html").read_text(encoding="utf-8") == "the glossary"


def test_short_links_point_at_the_published_address(make_catalog: Callable[..., Path], tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(os.environ, "SITE_URL", "https://example.github.io/rcm")
    catalog = make_catalog(entries={"sample-guideline-2016": valid_entry()})
    write_short_links(tmp_path / "site", load_model(catalog))
    html = (tmp_path / "site" / "t" / "sample-guideline-2016" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.github.io/rcm/catalogo/sample-guideline-2016/">' in html
    assert 'href="../../en/catalogo/sample-guideline-2016/"' in html  # the links themselves stay relative
