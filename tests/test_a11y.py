"""Accessibility: axe-core in Chromium finds no WCAG 2.1 AA violation, and other-language text is marked."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import key_pages

pytestmark = [pytest.mark.build, pytest.mark.browser]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
              "resultTypes": ["violations"]}


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
                     for v in violations)


@pytest.mark.parametrize("prefix", ["", "en/"])
@pytest.mark.parametrize("path", key_pages() + ["catalogo/folleto/", "datos/", "crm/", "informe-2017/",
                                                "buscar/?q=proteccion"])
def test_no_wcag_aa_violations(page, site_url: str, prefix: str, path: str) -> None:
    page.goto(site_url + prefix + path)
    assert page.locator("html").get_attribute("lang") == ("en" if prefix else "es")
    violations = Axe().run(page, options=WCAG_21_AA).response["violations"]
    assert violations == [], describe(violations)


@pytest.mark.parametrize("prefix, other", [("", "en"), ("en/", "es")])
def test_text_in_the_other_language_carries_its_lang(page, site_url: str, built_site: Path, prefix: str,
                                                    other: str) -> None:
    # The language switcher names the other language in that language ("English" on a Spanish page).
    page.goto(f"{site_url}{prefix}catalogo/glosario/")
    switcher = page.locator(f"a.md-select__link[hreflang={other}]")
    assert switcher.get_attribute("lang") == other
    # Each glossary term is given in the other language too, marked as such.
    terms = page.locator("article h2[id]").count() - 1  # the last heading is the acronyms table
    assert page.locator(f"article span[lang={other}]").count() == terms > 0
    # Names of organisations and publications quoted in the other language on the RCM page.
    page.goto(f"{site_url}{prefix}crm/")
    assert page.locator(f"article em[lang={other}]").count() >= 2


def test_the_report_in_english_is_marked_english_on_the_spanish_page(page, site_url: str) -> None:
    page.goto(f"{site_url}informe-2017/")
    report = page.locator("article div[lang=en]")
    assert "Liaison Officers Network" in report.inner_text()
    # Its English heading is not repeated, unmarked, in a table of contents (role queries skip hidden ones).
    assert page.get_by_role("link", name="Report of the Meeting").count() == 0
