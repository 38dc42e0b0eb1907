"""Light pages: nothing is fetched from a third party or in vain, and document links say what the reader will get."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from conftest import KEY_ENTRY, REPO, key_pages

pytestmark = [pytest.mark.build]


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "en/"])
@pytest.mark.parametrize("path", key_pages())
def test_pages_request_nothing_from_another_host(browser, site_url: str, prefix: str, path: str) -> None:
    context = browser.new_context(locale="es-ES")
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + prefix + path, wait_until="networkidle")
    # Searching loads more (the index, its code): type into the header's search box as a reader would.
    box = page.locator("header input:visible").first
    if box.count():
        box.click()
        page.keyboard.type("proteccion")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
    context.close()
    assert len(requested) >= 3  # the page, its stylesheet, its script at least
    foreign = [url for url in requested
               if not url.startswith(("data:", "blob:")) and urlsplit(url).hostname != "127.0.0.1"]
    assert foreign == []


PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "en/"])
@pytest.mark.parametrize("path", ["", f"catalogo/{KEY_ENTRY}/", "catalogo/tema/trafficking/", "catalogo/"])
def test_a_cold_page_view_on_a_phone_makes_no_failing_or_needless_request(browser, site_url: str, prefix: str,
                                                                         path: str) -> None:
    """No 404 (Material's sitemap.xml look-ups), no sitemap.xml at all, no console error."""
    context = browser.new_context(viewport=PHONE, locale="es-ES")
    page = context.new_page()
    requested: list[str] = []
    failed: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("requestfailed", lambda request: failed.append(f"failed {request.url}"))
    page.on("response", lambda response: response.status >= 400 and failed.append(f"{response.status} {response.url}"))
    page.on("console", lambda message: message.type == "error" and failed.append(f"console: {message.text}"))
    page.goto(site_url + prefix + path, wait_until="networkidle")
    page.wait_for_timeout(300)
    context.close()
    assert failed == []
    assert not [url for url in requested if "sitemap" in url]
    assert not [url for url in requested if "/pagefind/" in url], "search code before the box is used"


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_feed_link_only_where_the_catalog_is_presented_and_no_relative_alternates(built_site: Path,
                                                                                prefix: str) -> None:
    with_feed = {f"{prefix}index.html", f"{prefix}catalogo/index.html", f"{prefix}datos/index.html"}
    for path in [*with_feed, f"{prefix}catalogo/{KEY_ENTRY}/index.html", f"{prefix}acerca/index.html"]:
        head = (built_site / path).read_text(encoding="utf-8").split("</head>")[0]
        # Material fetches sitemap.xml next to every link[rel=alternate]; none is left in the head.
        assert not re.search(r'<link rel="alternate"', head), path
        feeds = re.findall(r'<link rel="alternate feed" type="application/atom\+xml" href="([^"]+)"', head)
        assert (len(feeds) == 1) == (path in with_feed), (path, feeds)
        if feeds:
            assert urljoin("/" + path, feeds[0]) == f"/{prefix}feed.xml", (path, feeds)


def _document_links() -> list[tuple[str, dict]]:
    out = []
    for path in sorted((REPO / "catalog" / "entries").glob("*.yml")):
        entry = yaml.safe_load(path.read_text(encoding="utf-8"))
        out += [(entry["id"], link) for link in entry["links"] if link.get("url")]
    return out


def test_the_catalog_records_sizes_and_page_counts_somewhere() -> None:
    links = [link for _, link in _document_links()]
    assert any(link.get("format") for link in links)
    assert any(link.get("size_kb") or link.get("pages") for link in links)


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_document_links_show_format_size_and_pages(built_site: Path, prefix: str) -> None:
    checked = 0
    for entry_id, link in _document_links():
        if not (link.get("format") or link.get("size_kb") or link.get("pages")):
            continue
        html = (built_site / prefix / "catalogo" / entry_id / "index.html").read_text(encoding="utf-8")
        # The list item of this link: from its anchor to the end of the line.
        escaped = re.escape(link["url"].replace("&", "&amp;"))
        line = re.search(rf'href="{escaped}".*', html)
        assert line, (entry_id, link["url"])
        text = line.group(0)
        if link.get("format"):
            assert f"· {link['format'].upper()}" in text, (entry_id, link["url"])
        if link.get("size_kb"):
            assert f"· {link['size_kb']} KB" in text, (entry_id, link["url"])
        if link.get("pages"):
            assert f"· {link['pages']} p." in text, (entry_id, link["url"])
        checked += 1
    assert checked >= 1


def test_our_stylesheets_and_scripts_are_served_minified_with_every_rule_of_their_sources(built_site: Path) -> None:
    """Every page view loads them on a phone: the site gets them without the maintainers' comments.
    (That the minified scripts still work is what every browser test of search and filters checks.)"""
    import rcssmin
    import rjsmin

    sources = sorted(p for p in (REPO / "docs" / "assets").iterdir() if p.suffix in {".css", ".js"})
    assert {p.suffix for p in sources} == {".css", ".js"}
    for source in sources:
        text = source.read_text(encoding="utf-8")
        served = (built_site / "assets" / source.name).read_text(encoding="utf-8")
        assert "/*" in text and "/*" not in served, source.name
        assert len(served) < 0.8 * len(text), source.name
        minify = rcssmin.cssmin if source.suffix == ".css" else rjsmin.jsmin
        assert served == minify(text), f"{source.name}: a rule was lost or changed"
        for selector in re.findall(r"^(\.[\w-]+)\s*\{", text, re.M):  # top-level CSS rules survive
            assert selector + "{" in served, (source.name, selector)
    vendored = REPO / "docs" / "assets" / "vendor"
    for source in vendored.iterdir():  # a vendored file stays as its authors wrote it
        assert (built_site / "assets" / "vendor" / source.name).read_bytes() == source.read_bytes()
