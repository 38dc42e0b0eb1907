"""`make serve` as a maintainer uses it: edit an entry, break it, fix it, search, in a real browser.

One `mkdocs serve --dirty --no-strict` (what `make serve` runs) on a free 127.0.0.1 port, in a
throwaway copy of the repository, serves every test of the module; each test undoes its edit.
The server's log is read to count builds: one per edit, none caused by the generator's writes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bench.support import SERVE_BUILD_STARTED, free_port, serve_log_unfinished, wait_until
from conftest import KEY_ENTRY, copy_repo

pytestmark = pytest.mark.build

START_SECONDS = 300  # the first build of the whole site, on a busy machine
REBUILD_SECONDS = 120
BUILD_STARTED = SERVE_BUILD_STARTED
PHONE = {"width": 390, "height": 844}


def _fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


class Preview:
    def __init__(self, repo: Path, port: int, log: Path) -> None:
        self.repo, self.url, self.log_path = repo, f"http://127.0.0.1:{port}/", log

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def builds(self) -> int:
        return self.log().count(BUILD_STARTED)

    def wait_idle(self, quiet: float = 4.0, seconds: float = REBUILD_SECONDS) -> None:
        """Until the log has been still for `quiet` seconds with the last build, and the extras after
        it, finished. Only the log after the last build's start is read: one line that never came
        (seen once on a loaded CI machine: a build ended with "Reloading browsers" but no
        "Documentation built") must not make every later wait fail."""
        deadline = time.monotonic() + seconds
        last, since = self.log(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.3)
            text = self.log()
            if text != last:
                last, since = text, time.monotonic()
            elif time.monotonic() - since >= quiet and not serve_log_unfinished(text):
                return
        raise AssertionError(f"mkdocs serve never went quiet ({serve_log_unfinished(self.log())} unfinished); "
                             f"its log ends with:\n{self.log()[-2000:]}")

    def entry_file(self, entry_id: str = KEY_ENTRY) -> Path:
        return self.repo / "catalog" / "entries" / f"{entry_id}.yml"


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    repo = copy_repo(tmp_path_factory.mktemp("serve") / "repo")
    port = free_port()
    log = repo.parent / "serve.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": f"http://127.0.0.1:{port}/"}
    env.pop("RCMKB_PAGES_READY", None)
    with open(log, "w", encoding="utf-8") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dirty", "--no-strict",
             "--dev-addr", f"127.0.0.1:{port}"],
            cwd=repo, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    preview = Preview(repo, port, log)
    try:
        wait_until(lambda: "Serving on" in preview.log() and _fetch(preview.url)[0] == 200, START_SECONDS,
              "mkdocs serve coming up")
        preview.wait_idle(seconds=START_SECONDS)
        yield preview
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


@pytest.fixture(scope="module")
def chromium(browser: object) -> object:
    """The session's browser (conftest): Playwright's sync API allows one instance per process."""
    return browser


@pytest.fixture
def restore(preview: Preview) -> Iterator[Callable[[Path], str]]:
    """Keep a file's text to put it back after the test (and wait for the preview to settle)."""
    saved: dict[Path, str] = {}

    def keep(path: Path) -> str:
        saved.setdefault(path, path.read_text(encoding="utf-8"))
        return saved[path]

    yield keep
    for path, text in saved.items():
        if path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    if saved:
        preview.wait_idle()


def _retitle(text: str, es: str, en: str) -> str:
    text = re.sub(r"(?m)^(title:\n  es: ).*$", lambda m: m.group(1) + es, text, count=1)
    return re.sub(r"(?m)^(title:\n  es: .*\n  en: ).*$", lambda m: m.group(1) + en, text, count=1)


def test_an_entry_edit_shows_in_open_pages_in_both_languages_after_one_build(
        preview: Preview, chromium, restore) -> None:
    from playwright.sync_api import expect

    entry = preview.entry_file()
    original = restore(entry)
    pages = {}
    for lang, path in (("es", ""), ("en", "en/")):
        pages[lang] = chromium.new_page(viewport=PHONE)
        pages[lang].goto(f"{preview.url}{path}catalogo/{KEY_ENTRY}/")
    before = preview.builds()
    entry.write_text(_retitle(original, "Lineamientos editados en vivo", "Guidelines edited live"),
                     encoding="utf-8")
    # Nobody reloads: live reload does, once the rebuilt page is ready.
    expect(pages["es"].locator("h1")).to_contain_text("Lineamientos editados en vivo",
                                                      timeout=REBUILD_SECONDS * 1000)
    expect(pages["en"].locator("h1")).to_contain_text("Guidelines edited live", timeout=REBUILD_SECONDS * 1000)
    preview.wait_idle()
    assert preview.builds() - before == 1, "one edit must cause one build, not a second one for the generator's writes"
    assert "edited entries and their listings rendered" in preview.log()
    # The listings that show the entry changed too: the catalog overview lists the new title.
    assert "Lineamientos editados en vivo" in _fetch(f"{preview.url}catalogo/")[1]
    for page in pages.values():
        page.close()


def test_a_catalog_error_shows_on_every_page_until_it_is_fixed(preview: Preview, chromium, restore) -> None:
    from playwright.sync_api import expect

    entry = preview.entry_file()
    original = restore(entry)
    broken = re.sub(r"(?m)^themes: \[", "themes: [tema-que-no-existe, ", original, count=1)
    assert broken != original, "the entry's themes are not written as an inline list any more"
    line = next(number for number, text in enumerate(broken.splitlines(), start=1) if text.startswith("themes:"))
    page = chromium.new_page(viewport=PHONE)
    page.goto(f"{preview.url}catalogo/{KEY_ENTRY}/")
    entry.write_text(broken, encoding="utf-8")

    banner = page.locator("#rcm-preview-errors")
    expect(banner).to_be_visible(timeout=REBUILD_SECONDS * 1000)
    shown = banner.inner_text()
    assert re.search(rf"catalog/entries/{KEY_ENTRY}\.yml:{line}:\d+: error \[unknown-term\]", shown), shown
    assert "tema-que-no-existe" in shown
    assert "La vista previa no se actualizó" in shown
    # The same line as in the terminal.
    terminal = next(text for text in preview.log().splitlines() if "[unknown-term]" in text)
    assert terminal.split("ERROR", 1)[-1].strip(" -") in shown
    # The rest of the site still works: another page loads at once, with the banner, in its language.
    other = chromium.new_page(viewport=PHONE)
    other.goto(f"{preview.url}en/catalogo/glosario/", timeout=15_000)
    expect(other.locator("#rcm-preview-errors")).to_contain_text("The preview was not updated")
    expect(other.locator("article h1")).to_be_visible()
    # The last good pages stay: the entry page is the one from before the mistake.
    expect(page.locator("article h1")).to_be_visible()

    entry.write_text(original, encoding="utf-8")
    expect(banner).to_have_count(0, timeout=REBUILD_SECONDS * 1000)
    other.reload()
    expect(other.locator("#rcm-preview-errors")).to_have_count(0)
    page.close()
    other.close()


def test_catalog_text_in_an_error_is_shown_as_text(preview: Preview, chromium, restore) -> None:
    from playwright.sync_api import expect

    entry = preview.entry_file()
    original = restore(entry)
    entry.write_text(re.sub(r"(?m)^themes: \[", 'themes: ["<img src=x onerror=alert(1)>", ', original, count=1),
                     encoding="utf-8")
    page = chromium.new_page()
    page.goto(f"{preview.url}catalogo/glosario/")
    expect(page.locator("#rcm-preview-errors")).to_be_visible(timeout=REBUILD_SECONDS * 1000)
    assert page.locator("#rcm-preview-errors img").count() == 0
    page.close()


def test_typing_in_the_search_box_stays_on_the_page_and_finds_current_pages(
        preview: Preview, chromium, restore) -> None:
    entry = preview.entry_file()
    original = restore(entry)
    entry.write_text(_retitle(original, "Lineamientos zafiroverde", "Guidelines zafiroverde"), encoding="utf-8")
    preview.wait_idle()
    assert "search index updated" in preview.log()
    page = chromium.new_page(viewport=PHONE)
    start = f"{preview.url}catalogo/"
    page.goto(start)
    box = page.locator(".rcm-search input").first
    box.click()
    page.keyboard.type("nin", delay=120)
    page.wait_for_timeout(1500)
    assert page.url == start, "the typed keys went to the theme's keyboard shortcuts"
    # The preview has a search index of its pages as they are now, so search works there.
    found = page.evaluate("""async () => {
        const pagefind = await import('/pagefind/pagefind.js');
        const search = await pagefind.search('zafiroverde');
        return Promise.all(search.results.map(r => r.data().then(d => d.url)));
    }""")
    assert f"/catalogo/{KEY_ENTRY}/" in found
    page.close()


def test_short_links_and_open_data_exist_in_the_preview(preview: Preview) -> None:
    status, body = _fetch(f"{preview.url}t/{KEY_ENTRY}/")
    assert status == 200 and f"catalogo/{KEY_ENTRY}/" in body
    assert _fetch(f"{preview.url}data/catalog.json")[0] == 200


def test_a_code_edit_runs_without_restarting(preview: Preview, restore) -> None:
    # The interface strings are read once and cached by rcmkb.render: only a fresh import of the
    # package (not a reload of the generator alone) shows an edit.
    strings = preview.repo / "scripts" / "rcmkb" / "templates" / "strings.yml"
    original = restore(strings)
    assert "  where_to_read: Dónde leerlo\n" in original
    strings.write_text(original.replace("  where_to_read: Dónde leerlo\n", "  where_to_read: Dónde leerlo hoy\n", 1),
                       encoding="utf-8")
    page = f"{preview.url}catalogo/{KEY_ENTRY}/"
    wait_until(lambda: "Dónde leerlo hoy" in _fetch(page)[1], REBUILD_SECONDS * 2, "the edited code running")
    preview.wait_idle()


def test_incremental_pages_equal_a_full_render(tmp_path: Path) -> None:
    """What the preview renders after an entry edit leaves docs/catalogo/ as a full render would."""
    from rcmkb.generate import load_model, write_pages
    from rcmkb.preview import unchanged_pages

    today = dt.date(2099, 12, 31)  # after every date in the catalog, whatever day the test runs
    repo = copy_repo(tmp_path / "repo")
    before = load_model(repo / "catalog", today)
    write_pages(before, repo / "docs", today)
    entry = repo / "catalog" / "entries" / f"{KEY_ENTRY}.yml"
    text = entry.read_text(encoding="utf-8")
    edited = _retitle(text, "Lineamientos renombrados", "Renamed guidelines")
    edited = re.sub(r"(?m)^themes: \[", "themes: [trafficking, ", edited, count=1)
    assert edited != text
    entry.write_text(edited, encoding="utf-8")
    after = load_model(repo / "catalog", today)
    skip = unchanged_pages(before, after, [f"entries/{KEY_ENTRY}.yml"])
    assert skip, "an entry edit should leave most pages alone"
    write_pages(after, repo / "docs", today, skip=skip)

    full = tmp_path / "full"
    shutil.copytree(repo / "docs", full, ignore=shutil.ignore_patterns("catalogo"))
    write_pages(after, full, today)
    incremental = {p.relative_to(repo / "docs").as_posix(): p.read_bytes()
                   for p in (repo / "docs" / "catalogo").rglob("*.md")}
    expected = {p.relative_to(full).as_posix(): p.read_bytes() for p in (full / "catalogo").rglob("*.md")}
    assert incremental.keys() == expected.keys()
    assert [name for name in expected if incremental[name] != expected[name]] == []


def test_remembered_validation_reports_what_a_fresh_one_does(tmp_path: Path) -> None:
    """The preview parses and checks only changed files again; it must still report every problem."""
    from rcmkb.preview import ValidationMemo
    from rcmkb.validate import validate

    today = dt.date(2099, 12, 31)
    repo = copy_repo(tmp_path / "repo")
    catalog = repo / "catalog"
    memo = ValidationMemo()

    def remembered(today: dt.date = today) -> list[str]:
        return [f.format() for f in validate(catalog, today=today, memo=memo)[1].sorted()]

    def fresh(today: dt.date = today) -> list[str]:
        return [f.format() for f in validate(catalog, today=today)[1].sorted()]

    assert remembered() == fresh()
    entry = catalog / "entries" / f"{KEY_ENTRY}.yml"
    text = entry.read_text(encoding="utf-8")
    broken_text = re.sub(r"(?m)^themes: \[", "themes: [tema-que-no-existe, ", text, count=1)
    broken_text = re.sub(r"(?m)^year: .*$", 'year: "dos mil dieciseis"', broken_text, count=1)
    entry.write_text(broken_text, encoding="utf-8")
    broken = remembered()
    assert broken == fresh()
    assert any("[unknown-term]" in line for line in broken)  # a cross-file rule
    assert any("year" in line and KEY_ENTRY in line for line in broken if "[unknown-term]" not in line)  # the schema
    entry.write_text(text, encoding="utf-8")
    assert remembered() == fresh()
    # A per-file rule (remembered for the other files), then another day (which it reads).
    entry.write_text(re.sub(r"(?m)^  es: (.*)$", r"  es: <b>\1</b>", text, count=1), encoding="utf-8")
    marked = remembered()
    assert marked == fresh() and any("[markup-in-text]" in line and KEY_ENTRY in line for line in marked)
    earlier = dt.date(2026, 12, 1)
    assert remembered(earlier) == fresh(earlier) != marked  # review-overdue: fewer entries are late then
    entry.write_text(text, encoding="utf-8")
    assert remembered() == fresh()
