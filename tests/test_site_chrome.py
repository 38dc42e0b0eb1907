"""What frames every page, as an officer on a phone meets it: the header title, the menu, the footer,
and counts that read right ("1 recurso", "58 recursos")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.build]

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("prefix, words", [("", ("recurso", "recursos")), ("en/", ("resource", "resources"))])
def test_counts_take_the_singular_for_one_and_the_plural_otherwise(built_site: Path, prefix: str,
                                                                 words: tuple[str, str]) -> None:
    one, many = words
    pages = list((built_site / prefix / "catalogo").rglob("index.html"))
    text = "\n".join(p.read_text(encoding="utf-8") for p in pages)
    assert not re.search(rf"(?<![\d.,])1 {many}\b", text), f"'1 {many}' printed somewhere"
    assert re.search(rf"(?<![\d.,])1 {one}\b", text)  # some organization has a single resource
    overview = (built_site / prefix / "catalogo" / "index.html").read_text(encoding="utf-8")
    assert re.search(rf"\(\d\d+ {many}\)", overview)


@pytest.mark.browser
@pytest.mark.parametrize("prefix, says", [("", "Catálogo de las herramientas de la CRM"),
                                          ("en/", "Catalog of the RCM tools")])
def test_the_footer_says_whose_catalog_this_is_in_the_page_language(page, site_url: str, prefix: str,
                                                                    says: str) -> None:
    page.goto(site_url + prefix + "catalogo/")
    footer = page.locator(".md-copyright").inner_text()
    assert says in footer and "Made with" not in footer and "Material for MkDocs" not in footer


@pytest.mark.browser
@pytest.mark.parametrize("prefix, short", [("", "Herramientas CRM"), ("en/", "RCM tools")])
def test_the_phone_header_shows_a_short_title_whole(browser, site_url: str, prefix: str, short: str) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(site_url + prefix)
    title = page.locator(".md-header__topic").first
    assert title.inner_text().strip() == short
    fits = title.locator(".md-ellipsis").evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    context.close()
    assert fits, f"{short!r} is cut in the header"


@pytest.mark.browser
@pytest.mark.parametrize("prefix, group, handouts, maintainer_pages", [
    ("", "Para mantenedores", "Folletos imprimibles", ("Pendientes", "Contribuir")),
    ("en/", "For maintainers", "Printable handouts", ("Catalog to-do list", "Contribute")),
])
def test_the_menu_keeps_maintainer_pages_apart_and_leads_to_the_handouts(page, site_url: str, prefix: str,
                                                                         group: str, handouts: str,
                                                                         maintainer_pages: tuple[str, str]) -> None:
    page.goto(site_url + prefix)
    menu = page.locator(".md-nav--primary > .md-nav__list > .md-nav__item")
    top_links = [t.strip() for t in menu.locator(":scope > a.md-nav__link").all_inner_texts()]
    assert handouts in top_links
    assert not set(maintainer_pages) & set(top_links), top_links
    section = menu.filter(has=page.locator(":scope > .md-nav__link", has_text=group))
    assert section.count() == 1
    inside = [t.strip() for t in section.locator("nav a.md-nav__link").all_inner_texts()]
    assert list(maintainer_pages) == inside
    page.locator(".md-nav--primary a.md-nav__link", has_text=handouts).first.click()
    page.wait_for_url(re.compile(r"/catalogo/folleto/$"))


@pytest.mark.parametrize("prefix, title, other", [("", "Enlace permanente", "Permanent link"),
                                                  ("en/", "Permanent link", "Enlace permanente")])
def test_heading_permalinks_are_named_in_the_page_language(built_site: Path, prefix: str, title: str,
                                                           other: str) -> None:
    """Screen readers read a heading anchor's title: a Spanish page must not say it in English."""
    page = (built_site / prefix / "acerca" / "index.html").read_text(encoding="utf-8")
    assert 'class="headerlink" href="#' in page
    assert f'title="{title}"' in page and f'title="{other}"' not in page
