"""Real MkDocs builds: the page tree, the language switcher, flat entry pages, inert catalog text."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml

from conftest import REPO, valid_entry
from rcmkb.build import run_mkdocs
from rcmkb.catalog import load_catalog
from rcmkb.findings import Findings
from rcmkb.generate import sync_folder
from rcmkb.model import build_model
from rcmkb.render import PageRenderer

pytestmark = pytest.mark.build

ENTRY_IDS = sorted(p.stem for p in (REPO / "catalog" / "entries").glob("*.yml"))


class _Links(HTMLParser):
    """Collects <a> tags with their attributes, and the ones inside <nav> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []
        self.nav_links: list[str] = []
        self._nav_depth = 0
        self.html_lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang")
        if tag == "nav":
            self._nav_depth += 1
        if tag == "a":
            self.links.append(attributes)
            if self._nav_depth and attributes.get("href"):
                self.nav_links.append(attributes["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._nav_depth -= 1


def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_home_pages_exist_in_both_languages(built_site: Path) -> None:
    assert parse(built_site / "index.html").html_lang == "es"
    assert parse(built_site / "en" / "index.html").html_lang == "en"
    assert "Herramientas para la protección" in (built_site / "index.html").read_text(encoding="utf-8")
    assert "Tools for the protection" in (built_site / "en" / "index.html").read_text(encoding="utf-8")


def test_every_entry_has_a_page_in_both_languages(built_site: Path) -> None:
    assert len(ENTRY_IDS) >= 12
    for entry_id in ENTRY_IDS:
        assert parse(built_site / "catalogo" / entry_id / "index.html").html_lang == "es", entry_id
        assert parse(built_site / "en" / "catalogo" / entry_id / "index.html").html_lang == "en", entry_id


@pytest.mark.parametrize("lang_prefix, other_prefix, other_lang", [("", "en/", "en"), ("en/", "", "es")])
def test_language_switcher_leads_to_the_same_entry(built_site: Path, lang_prefix: str, other_prefix: str,
                                                   other_lang: str) -> None:
    entry_id = "rcm-regional-guidelines-child-protection-2016"
    page = f"{lang_prefix}catalogo/{entry_id}/"
    switcher = [a for a in parse(built_site / page / "index.html").links
                if "md-select__link" in (a.get("class") or "") and a.get("hreflang") == other_lang]
    assert len(switcher) == 1
    target = urljoin(f"http://site/{page}", switcher[0]["href"] or "")
    assert target == f"http://site/{other_prefix}catalogo/{entry_id}/"


def test_entry_pages_do_not_carry_the_catalog_in_their_navigation(built_site: Path) -> None:
    entry = parse(built_site / "catalogo" / ENTRY_IDS[0] / "index.html")
    # The language switcher links to this same entry in English; any other entry would be catalog in the menu.
    entry_links = [href for href in entry.nav_links if ENTRY_IDS[0] not in href
                   and re.search(r"catalogo/[a-z0-9-]+/?$", href) and not re.search(
                       r"catalogo/(mandatos|glosario|pendientes|folleto)/?$", href)]
    assert entry_links == []
    # The menu is the same handful of links whatever the catalog size.
    assert len(entry.nav_links) < 40


def test_catalog_text_cannot_inject_markup(temp_repo: Path) -> None:
    """Even if validation were bypassed, catalog text comes out of the generator and MkDocs inert."""
    attack = "Guía <script>alert(1)</script> [clic](javascript:alert(2)) </title><img src=x onerror=alert(3)>"
    entry = yaml.safe_load(valid_entry("attack-2016").replace('"2026-11-01"', '"2026-11-01"'))
    entry["title"] = {"es": attack, "en": attack}
    entry["summary"] = {"es": attack, "en": "**bold** <b>x</b> &lt;script&gt;"}
    entries = temp_repo / "catalog" / "entries"
    for path in entries.glob("*.yml"):
        path.unlink()
    (entries / "attack-2016.yml").write_text(yaml.safe_dump(entry, allow_unicode=True), encoding="utf-8")
    for path in (temp_repo / "catalog" / "decisions").glob("*.yml"):
        path.unlink()
    (temp_repo / "catalog" / "glossary.yml").unlink(missing_ok=True)

    catalog = load_catalog(temp_repo / "catalog", Findings())  # loaded, deliberately not validated
    files = PageRenderer(build_model(catalog), dt.date(2026, 11, 28)).files()
    sync_folder(temp_repo / "docs" / "catalogo", files)
    out = temp_repo / "site"
    run_mkdocs(temp_repo, out, {"RCMKB_PAGES_READY": "1", "SOURCE_DATE_EPOCH": "1700000000"})

    for prefix in (out, out / "en"):
        page = prefix / "catalogo" / "attack-2016" / "index.html"
        html = page.read_text(encoding="utf-8")
        assert "alert(1)</script>" not in html
        assert "<script>alert" not in html
        assert not re.search(r"<img[^>]*onerror", html)
        assert 'href="javascript:' not in html
        assert "<b>x</b>" not in html and "<strong>bold</strong>" not in html
        title = re.search(r"<title>(.*?)</title>", html, re.S)
        assert title and "<" not in title.group(1)
        # The reader still sees the text as written.
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "&#60;script&#62;alert" in html


def test_printable_handouts_stay_out_of_search(built_site: Path) -> None:
    handout = (built_site / "catalogo" / "folleto" / "best-interests" / "index.html").read_text(encoding="utf-8")
    entry = (built_site / "catalogo" / ENTRY_IDS[0] / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in handout
    assert "data-pagefind-body" in entry
