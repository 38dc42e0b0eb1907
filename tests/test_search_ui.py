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

from bench.support import ByteLog
from conftest import KEY_ENTRY, serve

pytestmark = [pytest.mark.build, pytest.mark.browser]

RESULT = "[data-rcm-results] [data-rcm-result]"
PHONE = {"width": 390, "height": 844}
# Text that belongs to an entry's metadata or page furniture, never to a summary.
METADATA_TEXT = ("Traducción no oficial", "Unofficial translation", "Título tal como", "Title as seen",
                 "Permanent link", "Enlace permanente", "http://", "https://", " · ")


def fold(text: str) -> str:
    """Lower case without accents, as an officer types."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def search(page, text: str) -> list[tuple[str, str]]:
    """Type `text` into the header box and return the results shown, as (path, title) pairs."""
    box = page.locator(".rcm-search__input")
    box.click()
    page.keyboard.type(text, delay=20)
    page.wait_for_selector(RESULT, timeout=15_000)
    return _settled(page)


def _settled(page) -> list[tuple[str, str]]:
    # Results arrive as one types, the text of each a moment later (of the first five at once, of the
    # rest once typing pauses, search-ui.js): read the list until it has not changed for 900 ms.
    previous: list[tuple[str, str]] = []
    unchanged = 0
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        page.wait_for_timeout(300)
        current = page.eval_on_selector_all(
            RESULT, "els => els.map(e => [new URL(e.href).pathname,"
                    " e.querySelector('.rcm-result__title').innerText.trim()])")
        current = [tuple(pair) for pair in current]
        unchanged = unchanged + 1 if current and current == previous else 0
        if unchanged == 3:
            return current
        previous = current
    raise AssertionError(f"search results never settled: {previous}")


def is_tool(path: str) -> bool:
    """An entry or decision page, the pages an officer searches for."""
    match = re.fullmatch(r"/(?:en/)?catalogo/(?:decisiones/)?([a-z0-9-]+)/", path)
    return bool(match) and match.group(1) not in {"tipo", "tema", "etapa", "publico", "organizacion", "pais",
                                                   "folleto", "mandatos", "glosario", "pendientes", "decisiones"}


@pytest.fixture
def phone(browser) -> object:
    context = browser.new_context(viewport=PHONE, locale="es-ES", has_touch=True)
    yield context.new_page()
    context.close()


def entry_id(path: str) -> str | None:
    match = re.fullmatch(r"/(?:en/)?catalogo/([a-z0-9-]+)/", path)
    return match.group(1) if match else None


def test_no_search_code_is_downloaded_until_the_box_is_used(page, site_url: str) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site_url + "catalogo/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".rcm-search__input").is_visible()
    assert not [url for url in requests if "/pagefind/" in url or "search_index" in url]
    assert page.locator(".md-search").count() == 0, "Material's stock search should be gone"

    page.locator(".rcm-search__input").hover()  # pointing at the box is not using it
    page.wait_for_timeout(300)
    assert not [url for url in requests if "/pagefind/" in url or "/assets/search-ui" in url]

    search(page, "trata")
    assert any(url.endswith("/pagefind/pagefind.js") for url in requests)
    assert not [url for url in requests if "component-ui" in url or "search_index" in url]


def shown_paths(page) -> list[str]:
    return page.eval_on_selector_all(RESULT, "els => els.map(e => new URL(e.href).pathname)")


def ranked_paths(page, query: str) -> list[str]:
    """The top results the box's own ranking gives for `query` (what a slow typist would see)."""
    urls = page.evaluate("q => window.rcmSearch.rank(q, 10)", query)
    return [new_path(url) for url in urls]


@pytest.mark.parametrize("query", ["repatriacion guatemala", "proteccion consular"])
def test_typing_fast_shows_the_results_of_the_whole_text(phone, site_url: str, query: str) -> None:
    phone.goto(site_url + "catalogo/")
    box = phone.locator(".rcm-search__input")
    box.click()
    phone.keyboard.type(query, delay=0)  # every key before any search can answer
    results = _settled(phone)
    assert phone.locator("[data-rcm-results]").get_attribute("data-rcm-query") == query
    assert [path for path, _ in results] == ranked_paths(phone, query)
    # And when the text changes again quickly, the older results give way to the newer ones.
    phone.keyboard.press("Backspace", delay=0)
    phone.keyboard.type("x", delay=0)
    phone.keyboard.press("Backspace", delay=0)
    expect(phone.locator("[data-rcm-results]")).to_have_attribute("data-rcm-query", query[:-1], timeout=15_000)
    assert [path for path, _ in _settled(phone)] == ranked_paths(phone, query[:-1])


def test_while_typing_only_the_first_five_results_fetch_their_text(phone, site_url: str) -> None:
    """Each letter's results show as they come, but only the first five (a phone screen) fetch their
    text until typing pauses: on a slow link the other five of every letter would delay the word's."""
    phone.goto(site_url + "catalogo/")
    phone.evaluate("""() => {
      window.__most = {};  // the most results shown for each query
      new MutationObserver(() => {
        const list = document.querySelector("[data-rcm-results]");
        const query = list && list.getAttribute("data-rcm-query");
        const shown = list ? list.querySelectorAll("[data-rcm-result]").length : 0;
        if (query) window.__most[query] = Math.max(window.__most[query] || 0, shown);
      }).observe(document.body, {subtree: true, childList: true, attributes: true});
    }""")
    box = phone.locator(".rcm-search__input")
    box.click()
    search(phone, "a")  # Pagefind loaded and a first search answered: the rest is typing
    phone.keyboard.type("cuerdo", delay=50)
    final = _settled(phone)
    most = phone.evaluate("window.__most")
    assert len(final) == 10 and most["acuerdo"] == 10  # after the pause, the whole top ten
    partial = {query: n for query, n in most.items() if query not in ("a", "acuerdo")}
    assert partial, "no result of a partial word was shown while typing"
    assert max(partial.values()) <= 5, partial


def _search_while_loading(browser, url: str, log: ByteLog, typed: bool) -> tuple[list[tuple[str, str]], list[str]]:
    """Enter "albergue" while Pagefind's script is held back (as on a slow link), then let it
    arrive: the results shown and the search files fetched from the server meanwhile."""
    context = browser.new_context(viewport=PHONE, locale="es-ES", has_touch=True)
    page = context.new_page()
    held: list = []
    page.route("**/pagefind/pagefind.js", lambda route: held.append(route))
    page.goto(url + "catalogo/")
    page.wait_for_load_state("networkidle")
    mark = log.mark()
    box = page.locator(".rcm-search__input")
    box.click()
    if typed:
        page.keyboard.type("albergue", delay=60)
    else:
        box.fill("albergue")  # pasted: one change of the text
    expect(page.locator(".rcm-search__status")).to_have_text("Cargando la búsqueda…")
    assert len(held) == 1
    held[0].continue_()
    results = _settled(page)
    context.close()
    return results, [item.path for item in log.since(mark) if item.path.startswith("/pagefind/")]


def test_text_typed_while_search_loads_is_searched_once_as_a_whole(browser, built_site: Path) -> None:
    """On a slow link Pagefind arrives after the officer has typed: then only the whole text is
    looked up, not each letter typed meanwhile (each would cost an index chunk of bandwidth)."""
    log = ByteLog()
    with serve(built_site, log) as url:
        typed, fetched = _search_while_loading(browser, url, log, typed=True)
        pasted, fetched_for_paste = _search_while_loading(browser, url, log, typed=False)
    assert entry_id(typed[0][0]) == "dif-oim-shelter-protocol-uasc-2015" and typed == pasted

    def chunks(paths: list[str]) -> set[str]:
        return {p for p in paths if p.startswith("/pagefind/index/")}

    assert chunks(fetched) == chunks(fetched_for_paste), (fetched, fetched_for_paste)
    # Every file of the search crosses the wire once: the entry read early is handed to Pagefind,
    # the preloaded WebAssembly and metadata are the ones it uses.
    assert len(fetched) == len(set(fetched)), fetched
    assert "/pagefind/pagefind-entry.json" in fetched and any(p.endswith(".pf_meta") for p in fetched)


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
    facts = page.locator(RESULT).first.locator(".rcm-result__facts").inner_text()
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
    box = page.locator(".rcm-search__input")
    assert box.get_attribute("placeholder") == placeholder
    box.click()
    page.keyboard.type("qqzzxxw")
    expect(page.locator(".rcm-search__status")).to_have_text(no_results, timeout=15_000)
    assert page.locator(RESULT).count() == 0


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
        page.locator(".rcm-search__input").click()
        disabled = page.locator(".rcm-search__input:disabled")
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


# --- On a phone (390 x 844), typed as an officer would ------------------------------------------

@pytest.mark.parametrize("prefix, query", [("", "proteccion consular"), ("", "ninez no acompanada"),
                                           ("en/", "unaccompanied children"), ("en/", "trafficking")])
def test_phone_results_are_wide_and_at_least_three_fit_on_the_screen(phone, site_url: str, prefix: str,
                                                                      query: str) -> None:
    phone.goto(site_url + prefix + "catalogo/")
    results = search(phone, query)
    assert len(results) >= 3
    boxes = phone.eval_on_selector_all(RESULT, """els => els.map(e => {
        const r = e.getBoundingClientRect();
        const ex = e.querySelector('.rcm-result__excerpt');
        return {width: r.width, top: r.top, bottom: r.bottom,
                title: e.querySelector('.rcm-result__title').innerText.trim(),
                facts: (e.querySelector('.rcm-result__facts') || {innerText: ''}).innerText.trim(),
                lines: ex.getBoundingClientRect().height / parseFloat(getComputedStyle(ex).lineHeight)};
    })""")
    assert all(b["width"] >= 300 for b in boxes), [round(b["width"]) for b in boxes]
    on_screen = [b for b in boxes if b["top"] >= 0 and b["bottom"] <= PHONE["height"]]
    assert len(on_screen) >= 3, [(round(b["top"]), round(b["bottom"])) for b in boxes[:4]]
    for b in on_screen[:3]:
        assert b["title"] and re.search(r"\d{4}$|^\w", b["facts"]), b  # type, and the year when known
        assert 1.8 <= b["lines"] <= 2.2, b  # two lines of summary
    assert is_tool(results[0][0]), results[:3]


@pytest.mark.parametrize("prefix, query", [("", "ACNUR"), ("", "mexico"), ("", "guatemala repatriacion"),
                                           ("", "OIM manual"), ("en/", "UNICEF"), ("en/", "Mexico"),
                                           ("en/", "shelter")])
def test_phone_first_result_is_a_tool_and_no_excerpt_shows_metadata(phone, site_url: str, prefix: str,
                                                                   query: str) -> None:
    phone.goto(site_url + prefix)
    results = search(phone, query)
    assert is_tool(results[0][0]), f"{query!r}: the first result is not a tool: {results[:3]}"
    excerpts = phone.locator(RESULT + " .rcm-result__excerpt").all_inner_texts()
    assert excerpts and all(excerpts)
    shown = [(text, bad) for text in excerpts for bad in METADATA_TEXT if bad in text]
    assert not shown, shown


def test_phone_results_overlay_the_page_under_the_header(phone, site_url: str) -> None:
    phone.goto(site_url + "catalogo/rcm-regional-guidelines-child-protection-2016/")
    search(phone, "repatriacion")
    header = phone.locator(".md-header").bounding_box()
    panel = phone.locator(".rcm-search__panel").bounding_box()
    assert panel["x"] == 0 and panel["width"] == PHONE["width"]
    assert abs(panel["y"] - (header["y"] + header["height"])) <= 2
    assert panel["y"] + panel["height"] >= PHONE["height"] - 2


def test_desktop_results_are_a_drop_down_panel(page, site_url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url + "catalogo/")
    search(page, "albergue")
    box = page.locator(".rcm-search__input").bounding_box()
    panel = page.locator(".rcm-search__panel").bounding_box()
    assert 400 <= panel["width"] <= 700 and panel["y"] >= box["y"] + box["height"]
    assert panel["height"] < 800 * 0.8
    assert is_tool(_settled(page)[0][0])


def test_only_the_top_results_are_rendered_and_all_of_them_are_one_link_away(phone, site_url: str) -> None:
    phone.goto(site_url + "catalogo/")
    search(phone, "proteccion")
    rendered = phone.locator(RESULT).count()
    status = phone.locator(".rcm-search__status").inner_text()
    total = int(re.match(r"(\d+) resultados$", status).group(1))
    assert rendered == 10 < total
    see_all = phone.locator("[data-rcm-all-results]")
    assert see_all.inner_text() == f"Ver los {total} resultados"
    see_all.click()
    phone.wait_for_url(re.compile(r"/buscar/\?q=proteccion$"))
    listed = phone.locator(".rcm-results-page [data-rcm-result]")
    expect(listed).to_have_count(min(20, total), timeout=15_000)
    assert phone.locator(".rcm-search__input").input_value() == "proteccion"
    if total > 20:
        phone.get_by_role("button", name="Mostrar 20 más").click()
        expect(listed).to_have_count(min(40, total), timeout=15_000)
    paths = [new_path for new_path in listed.evaluate_all("els => els.map(e => e.querySelector('a').pathname)")]
    assert len(set(paths)) == len(paths) and is_tool(paths[0])


def test_the_full_results_page_speaks_english_on_english_pages(page, site_url: str) -> None:
    page.goto(site_url + "en/buscar/?q=children")
    expect(page.locator(".rcm-results-page__status")).to_have_text(re.compile(r"^\d+ results$"), timeout=15_000)
    paths = page.locator(".rcm-results-page [data-rcm-result] a").evaluate_all("els => els.map(e => e.pathname)")
    assert paths and all(p.startswith("/en/") for p in paths)


def test_keyboard_moves_through_results_opens_them_and_escape_closes(page, site_url: str) -> None:
    page.goto(site_url)  # the home page has a "next page" link Material would follow on "n"
    results = search(page, "nin")  # "n" is one of Material's shortcuts; it must stay in the box
    assert page.url == site_url
    box = page.locator(".rcm-search__input")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "true"
    assert page.locator("[data-rcm-results]").get_attribute("role") == "listbox"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowDown")
    selected = page.locator(RESULT + "[aria-selected=true]")
    assert selected.count() == 1 and box.get_attribute("aria-activedescendant") == selected.get_attribute("id")
    assert new_path(selected.get_attribute("href")) == results[1][0]
    page.keyboard.press("Escape")
    assert page.locator(".rcm-search__panel").is_hidden()
    assert box.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('rcm-search__input')")
    page.keyboard.press("ArrowDown")  # opens the results again, on the first one
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(results[1][0]) + "$"))


def test_enter_opens_the_top_result(page, site_url: str) -> None:
    page.goto(site_url + "en/")
    results = search(page, "Broken Dreams")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(results[0][0]) + "$"))
    assert entry_id(results[0][0]) == "unicef-broken-dreams-2016"


@pytest.mark.parametrize("prefix, pattern", [("", r"^\d+ resultados?$"), ("en/", r"^\d+ results?$")])
def test_the_number_of_results_is_announced(page, site_url: str, prefix: str, pattern: str) -> None:
    page.goto(site_url + prefix)
    search(page, "repatriacion" if not prefix else "repatriation")
    status = page.locator(".rcm-search__status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    expect(status).to_have_text(re.compile(pattern))
    count = int(status.inner_text().split()[0])
    assert page.locator(RESULT).count() == min(count, 10)


def new_path(href: str) -> str:
    from urllib.parse import urlsplit
    return urlsplit(href).path


# --- Entry pages put the document first --------------------------------------------------------

def test_phone_entry_pages_show_the_first_document_link_on_the_first_screen(phone, site_url: str) -> None:
    from conftest import REPO

    late = []
    for prefix in ("", "en/"):
        for path in sorted((REPO / "catalog" / "entries").glob("*.yml")):
            phone.goto(f"{site_url}{prefix}catalogo/{path.stem}/")
            # The first item under "where to read it", or the note that no copy was found yet.
            first = phone.locator("article h2 + ul li a, article .rcm-no-copy").first
            box = first.bounding_box()
            if box is None or box["y"] + box["height"] > PHONE["height"]:
                late.append((prefix + path.stem, box and round(box["y"])))
    assert not late, late


def test_an_entry_with_only_news_about_it_says_no_copy_was_found(page, site_url: str) -> None:
    page.goto(site_url + "catalogo/unhcr-regional-safe-spaces-network-toolkit/")  # unknown: document-text
    assert "Aún no se encontró una copia" in page.locator("article .rcm-no-copy").inner_text()
    page.goto(site_url + "en/catalogo/unhcr-regional-safe-spaces-network-toolkit/")
    assert "No copy of the document has been found" in page.locator("article .rcm-no-copy").inner_text()


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_open_results_on_a_phone_pass_axe(phone, site_url: str, prefix: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    phone.goto(site_url + prefix + f"catalogo/{KEY_ENTRY}/")
    search(phone, "repatriacion" if not prefix else "repatriation")
    phone.keyboard.press("ArrowDown")
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}
    violations = Axe().run(phone, options=options).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
