"""What a reader's browser fetches and waits for: Debian's Chromium driven by Playwright.

Every measurement opens a fresh browser context (empty cache, as on a first visit) on a site
served by bench.server, which gzips like a web host and counts the bytes it sends.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rcmkb.bench.server import ByteLog, Sent

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Spanish words a liaison officer would look for; each occurs in the catalog's Spanish text.
QUERIES = ("protección", "retorno", "trata", "consular", "albergue")
SETTLE_SECONDS = 0.5  # after "network idle", for late requests (the search worker, sitemap look-ups)
# The search boxes a reader types into, and a rendered result (one with its title filled in).
OUR_BOX, OUR_RESULT = ".rcm-search input", "pagefind-searchbox a.pf-searchbox-result .pf-searchbox-result-title"
LUNR_BOX, LUNR_RESULT = "input.md-search__input", ".md-search-result__item h1, .md-search-result__item h2"

# Notes the moment (performance.now) the first result with visible text appears in the page.
_WATCH_FOR = """selector => {
  window.__rcmFirst = null;
  const shown = () => [...document.querySelectorAll(selector)].some(e => e.textContent.trim());
  const observer = new MutationObserver(() => {
    if (window.__rcmFirst === null && shown()) { window.__rcmFirst = performance.now(); observer.disconnect(); }
  });
  observer.observe(document.documentElement, {childList: true, subtree: true, characterData: true});
  return performance.now();
}"""
_NO_RESULT_SHOWN = """selector => ![...document.querySelectorAll(selector)].some(e => e.textContent.trim())"""

# Pagefind through its JavaScript API alone (no search box): load the library, search, and
# load the first result's data. Used where a site has no Pagefind search box.
_PAGEFIND_API = """async query => {
  const started = performance.now();
  window.__rcmPagefind = window.__rcmPagefind || await import(new URL("/pagefind/pagefind.js", location.href).href);
  const search = await window.__rcmPagefind.search(query);
  if (!search.results.length) return null;
  await search.results[0].data();
  return performance.now() - started;
}"""


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _is_search(item: Sent) -> bool:
    path = item.path.lower()
    return "pagefind" in path or "search" in path or "lunr" in path


def _summary(items: list[Sent]) -> dict[str, Any]:
    return {"bytes": sum(i.body_bytes for i in items), "raw_bytes": sum(i.raw_bytes for i in items),
            "requests": len(items), "not_found": sorted({i.path for i in items if i.status == 404})}


def _open(browser: Any, url: str) -> tuple[Any, Any]:
    context = browser.new_context(locale="es-ES")
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    time.sleep(SETTLE_SECONDS)
    return context, page


def cold_view(browser: Any, url: str, log: ByteLog) -> dict[str, Any]:
    """Everything a first visit to `url` downloads, until the network is idle."""
    mark = log.mark()
    context, _ = _open(browser, url)
    context.close()
    items = log.since(mark)
    result = _summary(items)
    result["search_bytes"] = sum(i.body_bytes for i in items if _is_search(i))
    return result


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.median(present), 1) if present else None


def _type_and_wait(page: Any, box: str, result: str, text: str, timeout_ms: int) -> float | None:
    """Milliseconds from clicking into the search box and typing `text` until a result is shown."""
    started = page.evaluate(_WATCH_FOR, result)
    page.locator(box).first.click()
    page.keyboard.type(text)
    try:
        page.wait_for_function("window.__rcmFirst !== null", timeout=timeout_ms)
    except Exception:  # no result in time: recorded as missing, never as fast
        return None
    return round(page.evaluate("window.__rcmFirst") - started, 1)


def _clear(page: Any, box: str, result: str) -> None:
    page.locator(box).first.fill("")
    page.keyboard.press("Backspace")  # both search boxes react to key events
    try:
        page.wait_for_function(_NO_RESULT_SHOWN, arg=result, timeout=10_000)
    except Exception:
        page.wait_for_timeout(1000)


def ui_search(browser: Any, url: str, log: ByteLog, box: str, result: str, queries: tuple[str, ...] = QUERIES,
              timeout_ms: int = 60_000) -> dict[str, Any]:
    """Search as a reader does, per query on a freshly opened page (cold: the first search of the
    visit), then a second query on the same page (warm). Bytes: every response whose path names
    pagefind, search or lunr, from opening the page until the first result is shown."""
    cold, warm, fetched, counts = [], [], [], []
    for index, query in enumerate(queries):
        mark = log.mark()
        context, page = _open(browser, url)
        if not page.locator(box).count():
            context.close()
            return {}
        cold.append(_type_and_wait(page, box, result, query, timeout_ms))
        fetched.append(sum(i.body_bytes for i in log.since(mark) if _is_search(i)))
        page.wait_for_timeout(500)
        counts.append(page.locator(result).count())
        _clear(page, box, result)
        warm.append(_type_and_wait(page, box, result, queries[(index + 1) % len(queries)], timeout_ms))
        context.close()
    return {"method": f"type into the search box ({box}) until the first result ({result}) shows text, "
                      "timed in the page",
            "queries": list(queries), "results_shown": counts, "latency_ms": cold,
            "latency_ms_median": _median(cold), "warm_latency_ms_median": _median(warm), "bytes": fetched,
            "bytes_median": int(statistics.median(fetched))}


def pagefind_search(browser: Any, url: str, log: ByteLog, queries: tuple[str, ...] = QUERIES) -> dict[str, Any]:
    """Our header search box; also Pagefind's own time (its API, no search box) for reference."""
    measured = ui_search(browser, url, log, OUR_BOX, OUR_RESULT, queries)
    engine = []
    for query in queries:
        context, page = _open(browser, url)
        engine.append(page.evaluate(_PAGEFIND_API, query))
        context.close()
    if not measured:  # a site without our search box: the API figures stand in
        measured = {"method": "pagefind.search() then results[0].data(), timed in the page (no search box)",
                    "queries": list(queries), "latency_ms": engine, "latency_ms_median": _median(engine)}
    measured["api_latency_ms"] = engine
    measured["api_latency_ms_median"] = _median(engine)
    return measured


def lunr_search(browser: Any, url: str, log: ByteLog, queries: tuple[str, ...] = QUERIES) -> dict[str, Any]:
    """Material's built-in search (lunr), which downloads its whole index with every page."""
    return ui_search(browser, url, log, LUNR_BOX, LUNR_RESULT, queries)
