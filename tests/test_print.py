"""Print: entry pages and theme handouts on A4 and Letter, with QR codes a phone can read."""

from __future__ import annotations

import math
import re
import struct
import zlib

import pytest
import zxingcpp
from playwright.sync_api import expect

from conftest import KEY_ENTRY, REPO, biggest_theme
from rcmkb.generate import load_model
from rcmkb.render import edition_date
from rcmkb.urls import is_local_address, typed_url
from rcmkb.urls import site_url as published_url

pytestmark = [pytest.mark.build, pytest.mark.browser]

CM = 96 / 2.54  # CSS pixels per centimetre


def pdf_pages(pdf: bytes) -> int:
    """Pages in a PDF from Chromium: one `/Type /Page` object each (`/Pages` is the tree, not a page)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def png_to_gray(png: bytes) -> tuple[int, int, bytes]:
    """Decode an 8-bit RGB or RGBA PNG (what Chromium's screenshots are) into grey pixels."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, header = 8, [], b""
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position:position + 8])
        data = png[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = data
        elif kind == b"IDAT":
            chunks.append(data)
        position += 12 + length
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and color in (2, 6) and interlace == 0, "unexpected PNG format"
    channels = 3 if color == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    previous = bytearray(stride)
    gray = bytearray()
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                estimate = left + up - up_left
                pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - up_left)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else up_left)) & 0xFF
        gray += bytes((line[i] * 3 + line[i + 1] * 6 + line[i + 2]) // 10 for i in range(0, stride, channels))
        previous = line
    return width, height, bytes(gray)


def decode_qr(png: bytes) -> list[str]:
    width, height, gray = png_to_gray(png)
    image = memoryview(gray).cast("B", (height, width))
    return [code.text for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def printed(page, url: str) -> None:
    page.goto(url)
    page.emulate_media(media="print")


def visible(page, selector: str) -> bool:
    return any(element.is_visible() for element in page.locator(selector).all())


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_entry_page_prints_without_the_interface(page, site_url: str, prefix: str) -> None:
    printed(page, f"{site_url}{prefix}catalogo/{KEY_ENTRY}/")
    for interface in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-search"):
        assert not visible(page, interface), interface
    # External links show their full address on paper.
    urls = page.locator(".rcm-url")
    assert urls.count() >= 1 and all(u.is_visible() and u.inner_text().startswith("http") for u in urls.all())
    qr = page.locator(".rcm-print-qr img.rcm-qr")
    assert qr.is_visible()
    assert qr.bounding_box()["width"] >= 2.5 * CM  # big enough to scan from a printed page


@pytest.mark.parametrize("prefix, lang", [("", "es"), ("en/", "en")])
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_entry_page_qr_code_leads_to_its_short_link(page, site_url: str, paper: str, prefix: str,
                                                    lang: str) -> None:
    printed(page, f"{site_url}{prefix}catalogo/{KEY_ENTRY}/")
    pdf = page.pdf(format=paper)
    assert 1 <= pdf_pages(pdf) <= 3
    codes = decode_qr(page.locator(".rcm-print-qr img.rcm-qr").screenshot())
    assert codes == [f"{published_url()}t/{KEY_ENTRY}/{lang}/"]  # the printed page's language
    # Beside it, the short link to type when a scan fails (the browser adds the scheme).
    typed = page.locator(".rcm-print-short")
    assert typed.is_visible() and typed.inner_text() == typed_url(f"{published_url()}t/{KEY_ENTRY}/")


# Two columns of small cards (print.css). The catalog outgrew "a theme on two pages" (66 entries on
# its biggest theme by December 2026), so the budget is a density: a handout as short as its entries allow.
ENTRIES_PER_PAGE = 14


@pytest.mark.parametrize("prefix", ["", "en/"])
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_longest_handout_prints_densely(page, site_url: str, prefix: str,
                                                               paper: str) -> None:
    theme = biggest_theme()
    entries = len(load_model(REPO / "catalog").entries_with("themes", theme))
    printed(page, f"{site_url}{prefix}catalogo/folleto/{theme}/")
    assert page.locator(".rcm-handout li").count() == entries
    assert page.locator(".rcm-handout li img.rcm-qr").count() == entries
    assert not visible(page, ".rcm-print-action")  # the print button is not printed
    pages = pdf_pages(page.pdf(format=paper))
    print(f"handout {prefix}{theme}: {entries} entries on {pages} {paper} page(s)")
    assert pages <= max(2, math.ceil(entries / ENTRIES_PER_PAGE))


def test_a_printed_handout_qr_code_opens_the_entry(browser, site_url: str) -> None:
    """Read a QR code off the printed handout as a phone would, and follow it."""
    context = browser.new_context(locale="es-ES", device_scale_factor=2)
    page = context.new_page()
    printed(page, f"{site_url}catalogo/folleto/{biggest_theme()}/")
    first = page.locator(".rcm-handout li").first
    entry_path = first.locator("a").first.get_attribute("href")  # ../../<id>/
    entry_id = entry_path.strip("/").split("/")[-1]
    # The card as printed: QR code, title and text side by side, as a camera would frame it.
    codes = decode_qr(first.screenshot())
    assert codes == [f"{published_url()}t/{entry_id}/es/"]
    # The decoded address points at the published site; here the site is served elsewhere.
    page.emulate_media(media="screen")
    page.goto(site_url + codes[0].removeprefix(published_url()))
    page.wait_for_url(f"{site_url}catalogo/{entry_id}/")
    context.close()


def test_print_button_on_handouts(page, site_url: str) -> None:
    page.goto(f"{site_url}en/catalogo/folleto/{biggest_theme()}/")
    button = page.get_by_role("button", name="Print")
    assert button.is_visible()
    page.evaluate("window.print = () => { window.__printed = true }")
    button.click()
    assert page.evaluate("window.__printed") is True


def test_handout_index_lists_every_theme_with_entries(page, site_url: str) -> None:
    model = load_model(REPO / "catalog")
    themes = [t for t in model.vocab["themes"].terms if model.entries_with("themes", t)]
    page.goto(f"{site_url}catalogo/")
    page.get_by_role("link", name="Folletos para imprimir").click()
    # The click returns once the navigation commits; wait for the new page's list, not the old page.
    page.wait_for_url("**/catalogo/folleto/")
    links = page.locator("article li a")
    expect(links).to_have_count(len(themes))
    links.first.click()
    expect(page.locator(".rcm-handout li").first).to_be_visible()


def test_pdf_page_counter_counts_pages(page) -> None:
    page.set_content("<p style='break-after: page'>one</p><p style='break-after: page'>two</p><p>three</p>")
    assert pdf_pages(page.pdf(format="A4")) == 3


def test_qr_decoder_reads_a_generated_code(page) -> None:
    from rcmkb.qr import qr_svg_file

    svg = qr_svg_file("https://example.org/t/x/").decode("ascii")
    page.set_content(f"<div style='width:300px'>{svg}</div>")
    assert decode_qr(page.locator("svg").screenshot()) == ["https://example.org/t/x/"]



@pytest.mark.parametrize("prefix, locale", [("", "en-US"), ("en/", "es-ES")])
def test_handout_qr_codes_open_the_handouts_language_whatever_the_phones(browser, site_url: str, prefix: str,
                                                                         locale: str) -> None:
    context = browser.new_context(locale=locale)
    page = context.new_page()
    page.goto(f"{site_url}{prefix}catalogo/folleto/{biggest_theme()}/")
    entry_id = page.locator(".rcm-handout li a").first.get_attribute("href").strip("/").split("/")[-1]
    lang = "en" if prefix else "es"
    # What the handout's first code carries, followed by a phone set to the other language.
    page.goto(f"{site_url}t/{entry_id}/{lang}/")
    page.wait_for_url(f"{site_url}{prefix}catalogo/{entry_id}/")
    context.close()


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_every_handout_qr_code_has_its_short_link_beside_it(page, site_url: str, prefix: str) -> None:
    printed(page, f"{site_url}{prefix}catalogo/folleto/{biggest_theme()}/")
    cards = page.locator(".rcm-handout li").all()
    assert cards
    for card in cards:
        entry_id = card.locator("a").first.get_attribute("href").strip("/").split("/")[-1]
        typed = card.locator(".rcm-handout-short")
        assert typed.is_visible()
        assert typed.inner_text() == typed_url(f"{published_url()}t/{entry_id}/")
        assert "://" not in typed.inner_text()


@pytest.mark.parametrize("prefix, label", [("", "Edición del catálogo"), ("en/", "Catalog edition")])
def test_handouts_show_the_catalogs_edition_date(page, site_url: str, prefix: str, label: str) -> None:
    """The newest added or reviewed date of the catalog: the same on every build of the same catalog."""
    edition = edition_date(load_model(REPO / "catalog"))
    dates = [e[key] for e in load_model(REPO / "catalog").entries for key in ("added", "reviewed")]
    assert edition == max(dates)
    printed(page, f"{site_url}{prefix}catalogo/folleto/{biggest_theme()}/")
    shown = page.locator(".rcm-handout-edition")
    assert shown.is_visible() and shown.inner_text() == f"{label}: {edition}"


@pytest.mark.parametrize("path", ["catalogo/folleto/{theme}/", f"catalogo/{KEY_ENTRY}/"])
@pytest.mark.parametrize("prefix, text", [("", "Copia de vista previa: los enlaces apuntan a este equipo"),
                                          ("en/", "Preview copy: links point to this computer")])
@pytest.mark.parametrize("media", ["screen", "print"])
def test_a_preview_builds_printed_pages_say_so(page, site_url: str, path: str, prefix: str, text: str,
                                               media: str) -> None:
    """The session's site is built for the repository's default address (this computer) unless SITE_URL says
    otherwise: its handouts and entry pages carry the mark exactly when the address is local."""
    page.goto(site_url + prefix + path.format(theme=biggest_theme()))
    page.emulate_media(media=media)
    mark = page.locator(".rcm-preview-mark")
    if is_local_address(published_url()):
        assert mark.is_visible() and text in mark.inner_text()
    else:
        assert mark.count() == 0
