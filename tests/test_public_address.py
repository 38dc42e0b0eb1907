"""One public address (issue 12 §6): every part reads mkdocs.yml's site_url, and a site built for a
sub-path works under it.

The build tests make one real build for SITE_URL=https://example.org/herramientas/ and serve it on
127.0.0.1 under /herramientas/ only (nothing at /), as a project page would be: a trainee's phone
follows a QR code read off the printed handout, a reader searches and switches language.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import KEY_ENTRY, REPO, biggest_theme, copy_repo, valid_entry
from rcmkb.generate import load_model
from rcmkb.render import PageRenderer
from rcmkb.urls import PREVIEW_WARNING, is_local_address, site_url, typed_url

PUBLIC = "https://example.org/herramientas/"
SUB_PATH = urlsplit(PUBLIC).path  # /herramientas/
LOCAL_NAMES = re.compile(rb"127\.0\.0\.1|localhost", re.IGNORECASE)
# Published files allowed to name this computer, and why:
DOCUMENT_THE_PREVIEW = {
    "contribuir/index.html",  # the maintainers' guide: "make serve ... http://127.0.0.1:8000"
    "en/contribuir/index.html",
}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
RESULT = "[data-rcm-result], pagefind-searchbox a.pf-searchbox-result"  # the new contract, then today's UI
SEARCH_INPUT = ".rcm-search__input, .rcm-search input"


# --- The setting: mkdocs.yml's site_url, as MkDocs resolves it (no build) ------------------------------


def _repo_with_config(tmp_path: Path, site_url_line: str) -> Path:
    (tmp_path / "mkdocs.yml").write_text(f"site_name: x\n{site_url_line}\n", encoding="utf-8")
    return tmp_path


def test_the_address_is_the_site_url_line_of_mkdocs_yml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.delenv("RCM_ADDRESS", raising=False)
    assert site_url(_repo_with_config(tmp_path, 'site_url: "https://a.example/tools"')) == "https://a.example/tools/"
    root = _repo_with_config(tmp_path, 'site_url: !ENV [RCM_ADDRESS, "https://default.example/"]')
    assert site_url(root) == "https://default.example/"  # !ENV's default, as MkDocs reads it
    monkeypatch.setenv("RCM_ADDRESS", "https://set.example/sub")
    assert site_url(root) == "https://set.example/sub/"


def test_the_repository_default_is_a_preview_and_site_url_overrides_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITE_URL", raising=False)
    assert is_local_address(site_url(REPO))
    monkeypatch.setenv("SITE_URL", PUBLIC)
    assert site_url(REPO) == site_url() == PUBLIC


@pytest.mark.parametrize("address, local", [
    ("http://127.0.0.1:8000/", True), ("http://localhost:8000/", True), ("http://[::1]:8000/", True),
    ("http://127.0.1.1/", True), ("http://LOCALHOST./", True), ("http://preview.localhost/", True), ("", True),
    (PUBLIC, False), ("https://iom.github.io/rcm/", False), ("https://localhost.example.org/", False),
])
def test_local_addresses_are_recognised(address: str, local: bool) -> None:
    assert is_local_address(address) is local


def test_short_links_print_without_the_scheme() -> None:
    assert typed_url(PUBLIC + "t/x/") == "example.org/herramientas/t/x/"
    assert typed_url("http://127.0.0.1:8000/t/x/") == "127.0.0.1:8000/t/x/"


@pytest.mark.parametrize("address, marked", [("http://127.0.0.1:8000/", True), ("http://localhost/", True),
                                             (PUBLIC, False)])
def test_printed_pages_carry_the_preview_mark_only_for_a_local_address(make_catalog, address: str,
                                                                        marked: bool) -> None:
    import datetime as dt

    catalog = make_catalog(entries={"sample-guideline-2016": valid_entry()})
    pages = PageRenderer(load_model(catalog), dt.date(2026, 11, 28), address).pages()
    mark = {"es": "Copia de vista previa&#58; los enlaces apuntan a este equipo",
            "en": "Preview copy&#58; links point to this computer"}
    for page, lang in [("sample-guideline-2016.md", "es"), ("sample-guideline-2016.en.md", "en"),
                       ("folleto/best-interests.md", "es"), ("folleto/best-interests.en.md", "en")]:
        assert ('class="rcm-preview-mark"' in pages[page]) is marked, page
        assert (mark[lang] in pages[page]) is marked, page
    assert ("example&#46;org/herramientas/t/sample&#45;guideline&#45;2016/" in pages["folleto/best-interests.md"]) \
        is not marked  # the typed short link beside the QR code


def _broken_repo(tmp_path: Path) -> Path:
    """A copy of the repository whose catalog fails validation: the build stops before MkDocs."""
    repo = copy_repo(tmp_path / "repo")
    (repo / "catalog" / "entries" / "broken-entry-2020.yml").write_text("id: broken-entry-2020\n", encoding="utf-8")
    return repo


@pytest.mark.parametrize("address, warned", [(None, True), ("http://localhost:8000/", True), (PUBLIC, False)])
def test_a_build_for_this_computer_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str], address: str | None,
                                           warned: bool) -> None:
    from rcmkb.build import BuildError, build_site

    if address is None:
        monkeypatch.delenv("SITE_URL", raising=False)
    else:
        monkeypatch.setenv("SITE_URL", address)
    with pytest.raises(BuildError):
        build_site(_broken_repo(tmp_path), tmp_path / "site")
    assert (PREVIEW_WARNING in capsys.readouterr().err) is warned


# --- A real build for https://example.org/herramientas/ ---------------------------------------------


@pytest.fixture(scope="session")
def public_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The repository built once with SITE_URL set as the Pages workflow sets it; (site, stderr)."""
    from rcmkb.build import build_site

    repo = copy_repo(tmp_path_factory.mktemp("public") / "repo")
    stderr = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(stderr):
        patch.setenv("SITE_URL", PUBLIC)
        site = build_site(repo, repo / "site")
    return site, stderr.getvalue()


@pytest.fixture(scope="session")
def public_site(public_build: tuple[Path, str]) -> Path:
    return public_build[0]


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under SUB_PATH only, as a project page is served; anything else is a 404."""

    def log_message(self, format: str, *args: object) -> None:
        pass  # the test output is for failures

    def send_head(self):  # type: ignore[no-untyped-def]
        if not urlsplit(self.path).path.startswith(SUB_PATH):
            self.send_error(404)
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + path[len(SUB_PATH):])


@pytest.fixture(scope="session")
def server(public_site: Path) -> Iterator[str]:
    """http://127.0.0.1:<port> (no path): the host that stands in for https://example.org."""
    handler = functools.partial(_SubPathHandler, directory=str(public_site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as httpd:
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
        httpd.shutdown()


def on_server(server: str, public_url: str) -> str:
    """A published address, on the test server (which stands in for example.org)."""
    assert public_url.startswith("https://example.org/"), public_url
    return server + public_url.removeprefix("https://example.org")


@contextlib.contextmanager
def browsing(browser, *, locale: str = "es-ES", viewport: dict | None = None, scale: int = 1) -> Iterator[object]:
    context = browser.new_context(locale=locale, viewport=viewport or DESKTOP, device_scale_factor=scale)
    page = context.new_page()
    failed: list[str] = []

    def record(response) -> None:  # type: ignore[no-untyped-def]
        path = urlsplit(response.url).path
        # Material looks for a sitemap.xml beside each alternate-language link (made for sites whose
        # languages live on other hosts) and does without it; that happens at / just the same.
        if response.status >= 400 and not (path.endswith("/sitemap.xml") and path != SUB_PATH + "sitemap.xml"):
            failed.append(f"{response.status} {response.url}")

    page.on("response", record)
    page.failed = failed  # every request the sub-path broke (an asset, the search bundle...)
    try:
        yield page
    finally:
        context.close()


@pytest.mark.build
def test_a_build_for_a_real_address_gives_no_preview_warning(public_build: tuple[Path, str]) -> None:
    assert PREVIEW_WARNING not in public_build[1]


@pytest.mark.build
def test_no_published_file_names_this_computer(public_site: Path) -> None:
    offenders = []
    for path in sorted(p for p in public_site.rglob("*") if p.is_file()):
        name = path.relative_to(public_site).as_posix()
        if name in DOCUMENT_THE_PREVIEW:
            continue
        if name.endswith(".js.map"):
            # The theme's source map: Material's own source comments on `mkdocs serve`'s dev_addr
            # ("localhost, 127.0.0.1 or even 0.0.0.0"); no address a reader is sent to.
            continue
        if LOCAL_NAMES.search(path.read_bytes()):
            offenders.append(name)
    assert offenders == []
    assert not any("rcm-preview-mark" in p.read_text(encoding="utf-8") for p in public_site.rglob("*.html"))


@pytest.mark.build
def test_every_own_absolute_address_is_the_public_one(public_site: Path) -> None:
    """QR codes aside (read off paper below): permanent links, feeds, exports, sitemap, canonical links."""
    import json

    document = json.loads((public_site / "data" / "catalog.json").read_text(encoding="utf-8"))
    assert document["site"] == PUBLIC
    assert all(url.startswith(PUBLIC) for e in document["entries"] for url in e["urls"].values())
    csv_text = (public_site / "data" / "catalog.csv").read_text(encoding="utf-8-sig")
    assert csv_text.count(PUBLIC + "t/") == len(document["entries"])
    for feed in ("feed.xml", "en/feed.xml", "sitemap.xml"):
        root = ET.parse(public_site / feed).getroot()
        addresses = [e.text for e in root.iter() if e.tag.endswith(("}id", "}loc"))]
        addresses += [e.get("href") for e in root.iter() if e.get("href")]
        assert addresses and all(a.startswith(PUBLIC) for a in addresses), feed
    entry_page = (public_site / "catalogo" / KEY_ENTRY / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{PUBLIC}catalogo/{KEY_ENTRY}/">' in entry_page
    assert f'href="{PUBLIC}t/{KEY_ENTRY}/"' in entry_page  # the permanent link


@pytest.mark.build
def test_every_xml_file_of_the_site_is_well_formed(public_site: Path) -> None:
    files = sorted(public_site.rglob("*.xml")) + sorted(public_site.rglob("*.svg"))
    assert {"feed.xml", "en/feed.xml", "sitemap.xml"} <= {p.relative_to(public_site).as_posix() for p in files}
    for path in files:
        ET.parse(path)  # raises on anything that is not well-formed


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize("lang, phone_locale", [("es", "en-US"), ("en", "es-ES")])
def test_a_printed_handouts_qr_code_opens_the_entry_in_the_handouts_language(
        browser, server: str, lang: str, phone_locale: str) -> None:
    """Read a QR code off the printed handout as a phone set to the other language would, and follow it."""
    prefix = "" if lang == "es" else "en/"
    with browsing(browser, locale=phone_locale, scale=2) as page:
        page.goto(f"{server}{SUB_PATH}{prefix}catalogo/folleto/{biggest_theme()}/")
        page.emulate_media(media="print")
        card = page.locator(".rcm-handout li").first
        entry_id = card.locator("a").first.get_attribute("href").strip("/").split("/")[-1]
        from test_print import decode_qr

        codes = decode_qr(card.screenshot())
        assert codes == [f"{PUBLIC}t/{entry_id}/{lang}/"]
        # Beside it, the short link to type when a scan fails: no scheme, on paper.
        typed = card.locator(".rcm-handout-short")
        assert typed.is_visible() and typed.inner_text() == f"example.org/herramientas/t/{entry_id}/"
        page.emulate_media(media="screen")
        page.goto(on_server(server, codes[0]))
        page.wait_for_url(f"{server}{SUB_PATH}{prefix}catalogo/{entry_id}/")
        assert page.locator("html").get_attribute("lang") == lang
        assert page.failed == []


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize("locale, prefix", [("es-ES", ""), ("en-GB", "en/")])
def test_a_typed_short_link_works_under_the_sub_path(browser, server: str, locale: str, prefix: str) -> None:
    """Typed as printed (the browser adds the scheme; a host adds the final slash), it follows the browser."""
    with browsing(browser, locale=locale, viewport=PHONE) as page:
        page.goto(f"{server}{SUB_PATH}t/{KEY_ENTRY}")
        page.wait_for_url(f"{server}{SUB_PATH}{prefix}catalogo/{KEY_ENTRY}/")
        assert page.locator("h1").first.is_visible()
        assert page.failed == []


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_search_works_under_the_sub_path(browser, server: str, viewport: dict) -> None:
    with browsing(browser, viewport=viewport) as page:
        page.goto(f"{server}{SUB_PATH}catalogo/")
        box = page.locator(SEARCH_INPUT).first
        box.click()
        page.keyboard.type("ninez no acompanada", delay=20)
        result = page.locator(RESULT).first
        result.wait_for(timeout=15_000)
        # The result itself or the link inside it (the search UI's contract marks the result).
        href = result.evaluate("el => (el.matches('a[href]') ? el : el.querySelector('a[href]')).href")
        assert urlsplit(href).path.startswith(SUB_PATH + "catalogo/")  # result links keep the sub-path
        result.click()
        page.wait_for_url(re.compile(re.escape(f"{server}{SUB_PATH}catalogo/") + r"[a-z0-9-]+/$"))
        assert page.failed == []


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_language_switcher_leads_to_the_same_page_under_the_sub_path(browser, server: str,
                                                                        viewport: dict) -> None:
    with browsing(browser, viewport=viewport) as page:
        page.goto(f"{server}{SUB_PATH}catalogo/{KEY_ENTRY}/")
        page.locator(".md-header__option .md-select").hover()
        page.locator("a.md-select__link[hreflang='en']").click()
        page.wait_for_url(f"{server}{SUB_PATH}en/catalogo/{KEY_ENTRY}/")
        assert page.locator("html").get_attribute("lang") == "en"
        page.locator(".md-header__option .md-select").hover()
        page.locator("a.md-select__link[hreflang='es']").click()
        page.wait_for_url(f"{server}{SUB_PATH}catalogo/{KEY_ENTRY}/")
        assert page.failed == []


def test_the_sub_path_server_serves_nothing_outside_it(public_site_stub: Path) -> None:
    """The stand-in host really is a sub-path host: a link that drops /herramientas/ gets a 404."""
    import urllib.error
    import urllib.request

    handler = functools.partial(_SubPathHandler, directory=str(public_site_stub))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as httpd:
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_address[1]}"
        assert urllib.request.urlopen(f"{base}{SUB_PATH}index.html").read() == b"home"
        with pytest.raises(urllib.error.HTTPError) as outside:
            urllib.request.urlopen(f"{base}/index.html")
        assert outside.value.code == 404
        httpd.shutdown()


@pytest.fixture
def public_site_stub(tmp_path: Path) -> Path:
    (tmp_path / "index.html").write_text("home", encoding="utf-8")
    return tmp_path



def test_each_short_link_has_one_page_per_language_for_qr_codes(make_catalog) -> None:
    """/t/<id>/es/ and /t/<id>/en/ (also for a former id) go to that language's page, even without JavaScript."""
    from rcmkb.shortlinks import redirect_pages

    catalog = make_catalog(entries={"sample-guideline-2016": valid_entry() + "former_ids: [old-guide]\n"})
    pages = redirect_pages(load_model(catalog), PUBLIC)
    for short_id in ("sample-guideline-2016", "old-guide"):
        for lang, target in (("es", "../../../catalogo/sample-guideline-2016/"),
                             ("en", "../../../en/catalogo/sample-guideline-2016/")):
            html = pages[f"t/{short_id}/{lang}/index.html"]
            assert f'<html lang="{lang}">' in html
            assert f'<meta http-equiv="refresh" content="0; url={target}">' in html
            assert f'<a href="{target}">' in html
            prefix = "" if lang == "es" else "en/"
            assert f'<link rel="canonical" href="{PUBLIC}{prefix}catalogo/sample-guideline-2016/">' in html
