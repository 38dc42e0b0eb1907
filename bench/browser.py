"""What an officer's phone fetches and waits for: Debian's Chromium driven by Playwright, at 390x844.

Every view opens a fresh browser context (empty cache, as on a first visit) on a site served by
bench.support.serve, which gzips, caches and revalidates like GitHub Pages and logs the bytes it sends.

Search is timed as an officer meets it: the query is typed key by key, at the pace of an average
phone typist, and the clock runs from the last keystroke (the timestamp of its keydown event, taken
in the page) to the first moment a result of the whole query is visible (a search UI that says
which query its results answer, as ours does, is not credited for results of a prefix). Cold: the
first search on a freshly opened page (the search code and index load while the officer types).
Warm: the next query on the same page, after clearing the box. The same again under Chrome
DevTools' Fast 3G profile. Only Playwright's TimeoutError means "no result in time"; any other
error, a JavaScript exception included, stops the run.
"""

from __future__ import annotations

import contextlib
import statistics
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bench.support import PHONE, ByteLog, Sent

# Broad words an officer would look for (each matches much of the catalog), and selective queries
# that name one tool, an issuer acronym or a country, typed without accents as officers do.
BROAD_QUERIES = ("protección", "retorno", "trata", "consular", "albergue")
SELECTIVE_QUERIES = ("protocolo belice", "SENNIAF", "ORR", "repatriacion guatemala")
# Between keystrokes: the average phone typist. Palin et al., "How do People Type on Mobile
# Devices?" (MobileHCI 2019, 37,370 volunteers) measured 36.2 words per minute on average, that is
# 60,000 / (36.2 * 5) = 331 ms per character. (Earlier runs used 80 ms, 150 words per minute, faster
# than nearly every phone typist in that study: it gave the search less time to load while typing
# than an officer gives it.) Typing starts the moment the box is tapped: the time an officer's
# keyboard takes to slide up is not granted, so a cold search is timed a little harder than it is met.
KEY_DELAY_MS = 331
SETTLE_SECONDS = 0.5  # after "network idle", for late requests (the search worker, sitemap look-ups)
QUIET_MS = 600  # results are settled when they have not changed for this long

# Chrome DevTools' "Fast 3G" preset (front_end/core/sdk/NetworkManager.ts, Fast3GConditions:
# download 1.6 Mbit/s * 0.9, upload 750 kbit/s * 0.9, latency 150 ms * 3.75), in CDP's units
# (bytes per second, milliseconds), for Network.emulateNetworkConditions.
FAST_3G = {"offline": False, "latency": 150 * 3.75, "downloadThroughput": 1.6 * 1000 * 1000 / 8 * 0.9,
           "uploadThroughput": 750 * 1000 / 8 * 0.9}


@dataclass(frozen=True)
class SearchUI:
    """Where a site's search box and its results are, as CSS selectors."""

    name: str
    box: str  # the input an officer types into
    container: str  # what holds the results (shown or hidden as a whole)
    result: str  # one rendered result element (counted)
    shown: str  # the part of a result that has text once it is filled in
    all_results: str | None = None  # the "see all results" link
    answers: str | None = None  # an attribute of `container`: the query its results answer, if it says
    opener: str | None = None  # a button to press first on a phone, unless `opened` matches
    opened: str | None = None  # present while the search is open


# The contract with our search UI (overrides/partials/rcm-search.html, assets/search.js).
OURS = SearchUI("ours", box=".rcm-search__input", container="[data-rcm-results]",
                result="[data-rcm-results] [data-rcm-result]", shown="[data-rcm-results] [data-rcm-result]",
                all_results="[data-rcm-all-results]", answers="data-rcm-query")
# Pagefind's Component UI, as the header used it until the contract above: only a fallback, so
# the benchmark still runs on a site built before it.
PAGEFIND_COMPONENT_UI = SearchUI("pagefind-component-ui", box=".rcm-search input",
                                 container="pagefind-searchbox .pf-searchbox-dropdown",
                                 result="pagefind-searchbox .pf-searchbox-result",
                                 shown="pagefind-searchbox .pf-searchbox-result-title")
# Material's own search (lunr) on the baseline site; on a phone it opens from the header button.
LUNR = SearchUI("lunr", box="input.md-search__input", container=".md-search-result__list",
                result=".md-search-result__item", shown=".md-search-result__item h1, .md-search-result__item h2",
                opener='label.md-header__button[for="__search"]', opened="#__search:checked")


def _either(*selectors: str) -> str:
    return ", ".join(selectors)


# Installed once per page: notes every trusted keydown (performance clock) and every moment a
# mutation touches the results while a result with text is visible. Where the results container says
# which query it answers (`answers`), results count only once they answer what the box holds: the
# results of a prefix still on their way when the last key is typed are not the officer's results.
_WATCH = """sel => {
  if (window.__rcm) return;
  const rcm = window.__rcm = {keys: [], shows: [], changed: 0};
  document.addEventListener("keydown", e => { if (e.isTrusted) rcm.keys.push(e.timeStamp); }, true);
  const inResults = node => {
    const element = node.nodeType === 1 ? node : node.parentElement;
    return !!element && !!element.closest(sel.result);
  };
  const touches = record => {
    if (inResults(record.target)) return true;
    if (record.type === "attributes") return record.target.nodeType === 1 && record.target.matches(sel.container);
    return [...record.addedNodes].some(n => n.nodeType === 1 && (n.matches(sel.result) || n.querySelector(sel.result)));
  };
  const answersTheBox = () => {
    if (!sel.answers) return true;
    const box = [...document.querySelectorAll(sel.box)].find(e => e.getClientRects().length);
    const containers = [...document.querySelectorAll(sel.container)].filter(c => c.hasAttribute(sel.answers));
    return !box || !containers.length || containers.some(c => c.getAttribute(sel.answers) === box.value);
  };
  rcm.visible = () => answersTheBox() && [...document.querySelectorAll(sel.shown)].some(e =>
    e.textContent.trim() && e.getClientRects().length &&
    e.checkVisibility({opacityProperty: true, visibilityProperty: true}));
  new MutationObserver(records => {
    const now = performance.now();
    if (!records.some(touches)) return;
    rcm.changed = now;
    if (rcm.visible()) rcm.shows.push(now);
  }).observe(document.documentElement, {childList: true, subtree: true, characterData: true, attributes: true,
                                        attributeFilter: ["hidden", "class", "style", "open"]});
}"""
_SETTLED = "quiet => performance.now() - window.__rcm.changed >= quiet"
_NONE_VISIBLE = "() => !window.__rcm.visible()"
_FIRST_SHOW_AFTER = "t0 => window.__rcm.shows.some(t => t > t0)"

# Pagefind's own JavaScript API (no search box): how many pages match each query, and how long the
# engine takes once loaded (search, then the first result's data).
_PAGEFIND_COUNTS = """async queries => {
  const pagefind = await import(new URL("/pagefind/pagefind.js", location.href).href);
  await pagefind.init();
  const out = [];
  for (const query of queries) {
    const started = performance.now();
    const search = await pagefind.search(query);
    if (search.results.length) await search.results[0].data();
    out.push({query, matches: search.results.length, ms: performance.now() - started});
  }
  return out;
}"""


def _phone(browser: Any, throttled: bool = False) -> tuple[Any, Any, list[str]]:
    """A fresh context and page at phone size; JavaScript errors of the page are collected."""
    context = browser.new_context(locale="es-ES", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    if throttled:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", FAST_3G)
    return context, page, errors


def _open(browser: Any, url: str, throttled: bool = False) -> tuple[Any, Any, list[str]]:
    context, page, errors = _phone(browser, throttled)
    page.goto(url, wait_until="networkidle", timeout=120_000)
    time.sleep(SETTLE_SECONDS)
    return context, page, errors


def _is_search(item: Sent) -> bool:
    path = item.path.lower()
    return "pagefind" in path or "search" in path or "lunr" in path


def cold_view(browser: Any, url: str, log: ByteLog) -> dict[str, Any]:
    """Every request a first visit to `url` makes until the network is idle, with its compressed
    bytes as sent by the server, and every request that failed (4xx/5xx, or never answered)."""
    mark = log.mark()
    context, page, _ = _phone(browser)
    seen: list[str] = []
    unanswered: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.on("requestfailed", lambda request: unanswered.append(f"{request.url} ({request.failure})"))
    page.goto(url, wait_until="networkidle", timeout=120_000)
    time.sleep(SETTLE_SECONDS)
    context.close()
    items = log.since(mark)
    host = urlsplit(url).netloc
    failed = sorted({f"{i.status} {i.path}" for i in items if i.status >= 400} | set(unanswered))
    return {
        "bytes": sum(i.body_bytes for i in items), "raw_bytes": sum(i.raw_bytes for i in items),
        "requests": len(seen), "served": len(items),
        "items": [{"path": i.path, "status": i.status, "bytes": i.body_bytes} for i in items],
        "failed": failed, "failed_count": len(failed),
        "not_found": sorted({i.path for i in items if i.status == 404}),
        "third_party": sorted({u for u in seen if urlsplit(u).netloc not in (host, "")
                               and not u.startswith(("data:", "blob:"))}),
        "search_bytes": sum(i.body_bytes for i in items if _is_search(i)),
    }


def _visible_box(page: Any, ui: SearchUI, fallback: SearchUI | None) -> Any:
    if ui.opener and not (ui.opened and page.locator(ui.opened).count()):
        openers = page.locator(ui.opener).filter(visible=True)
        if openers.count():
            openers.first.click()
    return page.locator(_either(ui.box, fallback.box) if fallback else ui.box).filter(visible=True).first


def _timed_query(page: Any, ui: SearchUI, fallback: SearchUI | None, text: str, clear: bool,
                 timeout_ms: int) -> dict[str, Any]:
    """Type `text` into the search box as a person does; milliseconds from the last keystroke to
    the first visible result (None: nothing shown within the timeout), and what the page holds."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    uis = [ui, fallback] if fallback else [ui]
    page.evaluate(_WATCH, {"result": _either(*(u.result for u in uis)),
                           "container": _either(*(u.container for u in uis)),
                           "shown": _either(*(u.shown for u in uis)),
                           "box": _either(*(u.box for u in uis)), "answers": ui.answers})
    box = _visible_box(page, ui, fallback)
    box.click()
    if clear:  # warm: empty the box as a person does, and let the old results go
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.press("Backspace")
        # Some boxes keep the last results until the next query: the clock below still starts afresh.
        with contextlib.suppress(PlaywrightTimeoutError):
            page.wait_for_function(_NONE_VISIBLE, timeout=5_000)
        page.wait_for_timeout(300)
    page.keyboard.type(text, delay=KEY_DELAY_MS)
    t0 = page.evaluate("window.__rcm.keys.at(-1)")
    try:
        page.wait_for_function(_FIRST_SHOW_AFTER, arg=t0, timeout=timeout_ms, polling=50)
        ms: float | None = round(page.evaluate("t0 => window.__rcm.shows.find(t => t > t0) - t0", t0), 1)
    except PlaywrightTimeoutError:
        ms = None
    with contextlib.suppress(PlaywrightTimeoutError):  # still changing after 10 s: counted as it stands
        page.wait_for_function(_SETTLED, arg=QUIET_MS, timeout=10_000, polling=100)
    counts = {u.name: page.locator(u.result).count() for u in uis}
    used = next((u for u in uis if counts[u.name]), ui)
    return {"ms": ms, "elements": counts[used.name], "ui": used.name,
            "all_results_link": bool(used.all_results and page.locator(used.all_results).count())}


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.median(present), 1) if present else None


def _max(values: list[int | None]) -> int | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def search_timings(browser: Any, url: str, log: ByteLog, queries: tuple[str, ...], ui: SearchUI,
                   fallback: SearchUI | None = None, throttled: bool = False) -> dict[str, Any]:
    """Per query: cold (the first search on a freshly opened page) and warm (the next query typed on
    that same page, so each query gets one of each), the result elements held, the page's JS errors,
    and the bytes of search code and index fetched from opening the page until the cold results settled."""
    # Generous: stock lunr builds its whole index in the page first (about 35 s at N = 5,000), and
    # a result that never shows costs only this wait.
    timeout_ms = 120_000 if throttled else 60_000
    rows: dict[str, dict[str, Any]] = {q: {"query": q} for q in queries}
    errors: list[str] = []
    for index, query in enumerate(queries):
        mark = log.mark()
        context, page, page_errors = _open(browser, url, throttled)
        if not page.locator(_either(ui.box, fallback.box) if fallback else ui.box).count() and not (
                ui.opener and page.locator(ui.opener).count()):
            context.close()
            return {}  # this site has no such search box
        cold = _timed_query(page, ui, fallback, query, clear=False, timeout_ms=timeout_ms)
        rows[query].update(cold_ms=cold["ms"], elements=cold["elements"], ui=cold["ui"],
                           all_results_link=cold["all_results_link"],
                           search_bytes=sum(i.body_bytes for i in log.since(mark) if _is_search(i)))
        if len(queries) > 1:  # a query typed again would be answered from what the page already holds
            following = queries[(index + 1) % len(queries)]
            warm = _timed_query(page, ui, fallback, following, clear=True, timeout_ms=timeout_ms)
            rows[following].update(warm_ms=warm["ms"], warm_elements=warm["elements"])
        errors += page_errors
        context.close()
    per_query = list(rows.values())
    return {
        "viewport": f"{PHONE['width']}x{PHONE['height']}", "network": "Fast 3G" if throttled else "unthrottled",
        "key_delay_ms": KEY_DELAY_MS, "per_query": per_query,
        "cold_ms_median": _median([r.get("cold_ms") for r in per_query]),
        "warm_ms_median": _median([r.get("warm_ms") for r in per_query]),
        "cold_ms_max": max((r["cold_ms"] for r in per_query if r.get("cold_ms") is not None), default=None),
        "warm_ms_max": max((r["warm_ms"] for r in per_query if r.get("warm_ms") is not None), default=None),
        "missing": [r["query"] for r in per_query if r.get("cold_ms") is None],
        "elements_max": _max([max(r.get("elements") or 0, r.get("warm_elements") or 0) for r in per_query]),
        "ui": sorted({r["ui"] for r in per_query if r.get("ui")}),
        "search_bytes_median": _median([r.get("search_bytes") for r in per_query]),
        "page_errors": errors,
    }


def pagefind_counts(browser: Any, url: str, queries: tuple[str, ...]) -> list[dict[str, Any]]:
    """How many pages match each query (Pagefind's own API), and the engine's time once loaded."""
    context, page, _ = _open(browser, url)
    try:
        rows = page.evaluate(_PAGEFIND_COUNTS, list(queries))
    finally:
        context.close()
    return [{"query": r["query"], "matches": r["matches"], "api_ms": round(r["ms"], 1)} for r in rows]


def our_search(browser: Any, url: str, log: ByteLog, queries: tuple[str, ...],
               throttled_queries: tuple[str, ...]) -> dict[str, Any]:
    """Our header search: matches per query, phone timings unthrottled and on Fast 3G, bytes."""
    counts = {row["query"]: row for row in pagefind_counts(browser, url, queries)}
    # A query nothing matches can show no result: timing it would only wait for the timeout.
    timed = tuple(q for q in queries if counts[q]["matches"])
    phone = search_timings(browser, url, log, timed, OURS, PAGEFIND_COMPONENT_UI) if timed else {}
    slow = tuple(q for q in throttled_queries if q in timed)
    fast3g = search_timings(browser, url, log, slow, OURS, PAGEFIND_COMPONENT_UI, throttled=True) if slow else {}
    for row in phone.get("per_query", []) + fast3g.get("per_query", []):
        row["matches"] = counts[row["query"]]["matches"]
    return {"queries": list(queries), "matches": {q: counts[q]["matches"] for q in queries},
            "api_ms": {q: counts[q]["api_ms"] for q in queries},
            "api_ms_median": _median([counts[q]["api_ms"] for q in queries]),
            "phone": phone, "fast3g": fast3g, "bytes_median": phone.get("search_bytes_median")}


def lunr_search(browser: Any, url: str, log: ByteLog, queries: tuple[str, ...]) -> dict[str, Any]:
    """Material's built-in search (lunr) on the baseline site, which downloads its whole index with
    every page; timed the same way, unthrottled."""
    measured = search_timings(browser, url, log, queries, LUNR)
    if measured:
        measured["bytes_median"] = measured["search_bytes_median"]
    return measured
