"""Benchmark reports: results.json, results.md (a table per N, growth, budgets), chart.svg, README section.

Everything here works from the results dictionary alone, so it can be tested with fake figures.
KB and MB are decimal (1 KB = 1,000 bytes).
"""

from __future__ import annotations

import html
import itertools
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

README_START = "<!-- bench:start -->"
README_END = "<!-- bench:end -->"

Run = dict[str, Any]


def _get(run: Run, *path: str) -> Any:
    node: Any = run
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _run_at(results: dict[str, Any], n: int) -> Run | None:
    return next((r for r in results["runs"] if r["n"] == n), None)


def _kb(value: float | None) -> str:
    return "–" if value is None else f"{value / 1000:,.1f} KB"


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f} s"


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f} ms"


def _n(n: int) -> str:
    return f"{n:,}"


# --- budgets (bench/budgets.yml) ---------------------------------------------------------------

BUDGETS_FILE = Path(__file__).with_name("budgets.yml")
UNIT_SCALE = {"KB": 1000}  # a figure in bytes shown and compared in KB


def load_budgets(path: Path = BUDGETS_FILE) -> list[dict[str, Any]]:
    budgets = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    for budget in budgets:
        missing = {"name", "figure", "limit", "unit"} - set(budget)
        if missing:
            raise ValueError(f"{path}: budget {budget.get('name', '?')!r} lacks {', '.join(sorted(missing))}")
    return budgets


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit in ("ms", "elements", "requests", "builds"):
        return f"{value:,.0f} {unit}"
    if unit == "ms per entry":
        return f"{value:,.2f} ms per entry"
    if unit == "×":
        return f"{value:,.2f} ×"
    return f"{value:,.1f} {unit}"


def _limit_text(budget: dict[str, Any]) -> str:
    text = f"{'<' if budget.get('below') else '≤'} {_fmt(budget['limit'], budget['unit'])}"
    if budget.get("growth"):
        a, b = budget["growth"]
        return f"{text} from N = {_n(a)} to {_n(b)}"
    if budget.get("at"):
        return f"{text} at N = {' and '.join(_n(n) for n in budget['at'])}"
    return f"{text} at every N"


def _figure(run: Run, budget: dict[str, Any]) -> float | None:
    value = _get(run, *budget["figure"].split("."))
    if not isinstance(value, int | float):
        return None
    if budget.get("per"):
        divisor = _get(run, *budget["per"].split("."))
        if not isinstance(divisor, int | float) or not divisor:
            return None
        value = value / divisor
    return value / UNIT_SCALE.get(budget["unit"], 1)


def measure_budget(runs: list[Run], budget: dict[str, Any]) -> tuple[float | None, str]:
    """The budget's value over `runs` (the worst N, or the growth ratio) and how it reads."""
    unit = budget["unit"]
    if budget.get("growth"):
        a, b = budget["growth"]
        first = next((r for r in runs if r["n"] == a), None)
        last = next((r for r in runs if r["n"] == b), None)
        x = _figure(first, {**budget, "unit": ""}) if first else None
        y = _figure(last, {**budget, "unit": ""}) if last else None
        if x is None or y is None or not x:
            return None, f"needs N = {_n(a)} and {_n(b)}"
        return y / x, f"{y / x:,.2f} × (N = {_n(a)} → {_n(b)})"
    wanted = budget.get("at")
    values = [(v, r["n"]) for r in runs if (not wanted or r["n"] in wanted) and (v := _figure(r, budget)) is not None]
    if not values:
        return None, "not measured" + (f" at N = {' and '.join(_n(n) for n in wanted)}" if wanted else "")
    worst, n = max(values)
    return worst, f"{_fmt(worst, unit)} (N = {_n(n)})"


def _within(value: float | None, budget: dict[str, Any]) -> bool | None:
    if value is None:
        return None
    return value < budget["limit"] if budget.get("below") else value <= budget["limit"]


def evaluate_budgets(results: dict[str, Any], budgets: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Each budget of budgets.yml against this run, and against the previous full run."""
    previous = (results.get("previous") or {}).get("runs") or []
    out = []
    for budget in budgets if budgets is not None else load_budgets():
        value, measured = measure_budget(results["runs"], budget)
        before, before_text = measure_budget(previous, budget) if previous else (None, "–")
        met = _within(value, budget)
        out.append({"budget": budget["name"], "limit": _limit_text(budget), "value": value, "met": met,
                    "measured": measured, "previous_value": before,
                    "previous": before_text if before is not None else "–", "source": budget.get("source", "")})
    return out


def previous_run(path: Path) -> dict[str, Any] | None:
    """The last full run's figures, from the results.json about to be replaced (a QUICK run
    passes on the full run it was compared with)."""
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("quick"):
        return data.get("previous")
    return {"generated_at": data.get("generated_at"), "commit": data.get("commit"),
            "runs": [_upgrade(run) for run in data.get("runs", [])]}


def _upgrade(run: Run) -> Run:
    """Figures an older results.json recorded under another name (the same measure, the same way)."""
    view = _get(run, "browser", "cold_view_ours")
    if isinstance(view, dict) and "failed_count" not in view and "not_found" in view:
        view["failed_count"] = len(view["not_found"])  # the server logged every 404 then too
    for key in ("serve", "serve_dirty"):
        serve = run.get(key)
        if isinstance(serve, dict) and "builds_per_edit_max" not in serve and serve.get("builds_per_edit"):
            serve["builds_per_edit_max"] = max(serve["builds_per_edit"])
    return run


# --- growth ------------------------------------------------------------------------------------

GROWTH_METRICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Build (ours)", ("build", "median_seconds")),
    ("Build (baseline)", ("baseline", "median_seconds")),
    ("Build (stock nav)", ("stock_nav", "median_seconds")),
    ("Validate + generate", ("generate", "median_seconds")),
    ("Site size (ours)", ("build", "site_mb")),
    ("Site size (stock nav)", ("stock_nav", "site_mb")),
    ("Entry HTML (ours)", ("build", "entry_html", "max_bytes")),
    ("Cold view (ours)", ("browser", "cold_view_ours", "bytes")),
    ("First search, Pagefind", ("browser", "pagefind", "bytes_median")),
    ("First search, lunr", ("browser", "lunr", "bytes_median")),
    ("Warm search, phone", ("browser", "pagefind", "phone", "warm_ms_median")),
    ("Cold search, phone", ("browser", "pagefind", "phone", "cold_ms_median")),
    ("Cold search, Fast 3G", ("browser", "pagefind", "fast3g", "cold_ms_median")),
    ("Serve rebuild", ("serve", "rebuild_seconds_median")),
    ("Serve --dirty rebuild", ("serve_dirty", "rebuild_seconds_median")),
)


def growth(results: dict[str, Any]) -> list[dict[str, Any]]:
    runs = sorted(results["runs"], key=lambda r: r["n"])
    rows = []
    for before, after in itertools.pairwise(runs):
        ratios = {}
        for label, path in GROWTH_METRICS:
            a, b = _get(before, *path), _get(after, *path)
            ratios[label] = round(b / a, 2) if a and b is not None else None
        rows.append({"from": before["n"], "to": after["n"], "factor": round(after["n"] / before["n"], 2),
                     "ratios": ratios})
    return rows


def finish(results: dict[str, Any], budgets: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    results["growth"] = growth(results)
    results["budgets"] = evaluate_budgets(results, budgets)
    return results


# --- Markdown ----------------------------------------------------------------------------------

def _status(met: bool | None) -> str:
    return "met" if met else "n/a" if met is None else "**missed**"


def budgets_table(results: dict[str, Any]) -> str:
    lines = ["| Budget | Limit | Measured | Previous run | Status |", "| --- | --- | --- | --- | --- |"]
    for b in results["budgets"]:
        lines.append(f"| {b['budget']} | {b['limit']} | {b['measured']} | {b.get('previous', '–')} | "
                     f"{_status(b['met'])} |")
    return "\n".join(lines)


def _cell(run: Run, key: str, fmt: Callable[[Run, dict], str]) -> str:
    part = run.get(key)
    return fmt(run, part) if part else "–"


def _build_cell(run: Run, part: dict) -> str:
    return f"{_s(part['median_seconds'])} · {part['peak_mb']:,.0f} MB peak"


def _size_cell(run: Run, part: dict) -> str:
    return f"{part['site_mb']:,.1f} MB · {part['files']:,} files"


def _html_cell(run: Run, part: dict) -> str:
    return f"{_kb(part['entry_html']['max_bytes'])} ({_kb(part['entry_html']['median_bytes'])})"


def _file_cost(generate: dict[str, Any]) -> str:
    """What creating one file cost the disk just before each timed generation (bench.probe says why it varies)."""
    costs = generate.get("create_file_us")
    if not costs:
        return ""
    return "; a new file cost the disk " + " and ".join(f"{c:,.0f}" for c in costs) + " µs"


def _search_cell(search: dict | None) -> str:
    if not search or (search.get("cold_ms_median") is None and search.get("warm_ms_median") is None):
        return "–"
    return (f"cold {_ms(search.get('cold_ms_median'))}, warm {_ms(search.get('warm_ms_median'))} "
            f"(worst {_ms(search.get('cold_ms_max'))} / {_ms(search.get('warm_ms_max'))})")


def size_table(run: Run) -> str:
    browser = run.get("browser") or {}
    stock = "stock_nav" in run
    head = "| Measure | Ours: MkDocs + Pagefind | Baseline: stock Material search |"
    head += " Stock: every entry in nav |" if stock else ""
    sep = "| --- | --- | --- |" + (" --- |" if stock else "")
    rows = [head, sep]

    def row(label: str, *cells: str) -> None:
        rows.append(f"| {label} | " + " | ".join(cells[: 3 if stock else 2]) + " |")

    row("Build time · peak memory", _cell(run, "build", _build_cell), _cell(run, "baseline", _build_cell),
        _cell(run, "stock_nav", _build_cell))
    row("Site size", _cell(run, "build", _size_cell), _cell(run, "baseline", _size_cell),
        _cell(run, "stock_nav", _size_cell))
    row("Entry-page HTML: largest (median)", _cell(run, "build", _html_cell), _cell(run, "baseline", _html_cell),
        _cell(run, "stock_nav", _html_cell))

    def cold(name: str) -> str:
        view = browser.get(f"cold_view_{name}")
        if not view:
            return "–"
        failed = view.get("failed", [f"404 {p}" for p in view.get("not_found", [])])
        return (f"{_kb(view['bytes'])} in {view['requests']} requests"
                + (f"; failed: {', '.join(f'`{f}`' for f in failed)}" if failed else "; none failed"))

    row("Cold entry-page view, compressed", cold("ours"), cold("baseline"), cold("stock_nav"))
    pagefind, lunr = browser.get("pagefind") or {}, browser.get("lunr") or {}
    row("Search bytes, opening the page until the first results settle",
        _kb(pagefind.get("bytes_median")) + " (Pagefind)" if pagefind else "–",
        _kb(lunr.get("bytes_median")) + " (lunr)" if lunr else "–", "same as baseline")
    row("Search at 390x844, last keystroke → first visible result (median)",
        _search_cell(pagefind.get("phone")), _search_cell(lunr), "–")
    row("The same on Fast 3G", _search_cell(pagefind.get("fast3g")), "–", "–")
    row("Result elements on the page after a query (most)",
        f"{_get(pagefind, 'phone', 'elements_max')}" if _get(pagefind, "phone", "elements_max") is not None else "–",
        f"{lunr['elements_max']}" if lunr.get("elements_max") is not None else "–", "–")
    if pagefind.get("api_ms_median") is not None:
        row("Pagefind's own search, loaded (median)", _ms(pagefind["api_ms_median"]), "–", "–")
    generate = run.get("generate")
    if generate:
        row("Validate + generate (in-process)",
            f"{generate['ms_per_entry']:.2f} ms/entry ({_s(generate['median_seconds'])} for {generate['pages']:,} "
            f"pages; validation alone {generate['validate_ms_per_entry']:.2f} ms/entry{_file_cost(generate)}) · "
            f"{generate['peak_mb']:,.0f} MB peak", "same pages", "same pages")
    for key, label in (("serve", "`make serve` (mkdocs serve --dirty --no-strict): edit saved → page rebuilt"),
                       ("serve_dirty", "`mkdocs serve --dirty`: edit saved → page rebuilt")):
        serve = run.get(key)
        if serve:
            row(label, f"{_s(serve['rebuild_seconds_median'])} median of {len(serve['rebuild_seconds'])} "
                f"(start-up {_s(serve['startup_seconds'])}, {max(serve['builds_per_edit'], default=0)} builds per "
                "edit" + (f", {serve['peak_mb']:,.0f} MB peak)" if serve.get("peak_mb") else ")"), "–", "–")
    if "build_ratio" in run:
        rows.append("")
        rows.append(f"Full build / baseline build: **{run['build_ratio']:.2f}**.")
    return "\n".join(rows)


def queries_table(run: Run) -> str:
    """One row per query: how many pages match, and how long the first visible result takes."""
    pagefind = _get(run, "browser", "pagefind") or {}
    if not pagefind.get("queries"):
        return ""
    phone = {r["query"]: r for r in _get(pagefind, "phone", "per_query") or []}
    slow = {r["query"]: r for r in _get(pagefind, "fast3g", "per_query") or []}
    lines = ["| Query | Pages matching | Cold | Warm | Fast 3G cold | Fast 3G warm | Result elements | "
             "\"All results\" link |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for query in pagefind["queries"]:
        p, t = phone.get(query, {}), slow.get(query, {})
        matches = (pagefind.get("matches") or {}).get(query)
        link = "yes" if p.get("all_results_link") else "no" if p else "–"
        lines.append(f"| {query} | {matches if matches is not None else '–'} | {_ms(p.get('cold_ms'))} | "
                     f"{_ms(p.get('warm_ms'))} | {_ms(t.get('cold_ms'))} | {_ms(t.get('warm_ms'))} | "
                     f"{p.get('elements', '–')} | {link} |")
    ui = ", ".join(_get(pagefind, "phone", "ui") or []) or "–"
    errors = _get(pagefind, "phone", "page_errors") or []
    lines += ["", f"Search UI found: {ui}. JavaScript errors in the page: "
              + ("; ".join(f"`{e}`" for e in errors[:5]) if errors else "none") + "."]
    return "\n".join(lines)


def requests_table(run: Run) -> str:
    view = _get(run, "browser", "cold_view_ours") or {}
    if not view.get("items"):
        return ""
    lines = [f"Cold view of `{_get(run, 'browser', 'page')}`, every request:", "",
             "| Request | Status | Bytes sent |", "| --- | --- | --- |"]
    lines += [f"| `{i['path']}` | {i['status']} | {i['bytes']:,} |" for i in view["items"]]
    if view.get("third_party"):
        lines += ["", "Third-party requests: " + ", ".join(f"`{u}`" for u in view["third_party"])]
    return "\n".join(lines)


def growth_table(results: dict[str, Any]) -> str:
    if not results.get("growth"):
        return "(one size only)"
    labels = [label for label, _ in GROWTH_METRICS
              if any(g["ratios"][label] is not None for g in results["growth"])]
    lines = ["| From → to | × N | " + " | ".join(labels) + " |", "| --- | --- |" + " --- |" * len(labels)]
    for g in results["growth"]:
        cells = [f"× {g['ratios'][label]:.2f}" if g["ratios"][label] is not None else "–" for label in labels]
        lines.append(f"| {_n(g['from'])} → {_n(g['to'])} | × {g['factor']:g} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _mb(v: Any) -> str:
    return "–" if v is None else f"{v:,.1f} MB"


def _pair(r: Run, a: tuple[str, ...], b: tuple[str, ...], fmt: Callable[[Any], str]) -> str:
    x, y = _get(r, *a), _get(r, *b)
    return f"{fmt(x)} / {fmt(y)}" if x is not None or y is not None else "–"


def _one(path: tuple[str, ...], fmt: Callable[[Any], str]) -> Callable[[Run], str]:
    return lambda r: fmt(_get(r, *path)) if _get(r, *path) is not None else "–"


def _serve(r: Run) -> str:
    if not r.get("serve"):
        return "not run"
    dirty = f" ({_s(_get(r, 'serve_dirty', 'rebuild_seconds_median'))})" if r.get("serve_dirty") else ""
    return _s(_get(r, "serve", "rebuild_seconds_median")) + dirty


# The figures of the summary (README and results.md): label, and how a run shows it.
SUMMARY_ROWS: tuple[tuple[str, Callable[[Run], str]], ...] = (
    ("Validate + generate, per entry", _one(("generate", "ms_per_entry"), lambda v: f"{v:.2f} ms")),
    ("Build: ours / stock Material search",
     lambda r: _pair(r, ("build", "median_seconds"), ("baseline", "median_seconds"), _s)),
    ("Build: ours ÷ stock search", _one(("build_ratio",), lambda v: f"{v:.2f} ×")),
    ("Build: stock, every entry in nav (site size)",
     lambda r: f"{_s(_get(r, 'stock_nav', 'median_seconds'))} ({_mb(_get(r, 'stock_nav', 'site_mb'))})"
     if r.get("stock_nav") else "not run"),
    ("Site size: ours / stock search", lambda r: _pair(r, ("build", "site_mb"), ("baseline", "site_mb"), _mb)),
    ("Entry-page HTML, largest", _one(("build", "entry_html", "max_bytes"), _kb)),
    ("Cold entry view, compressed: ours / stock search",
     lambda r: _pair(r, ("browser", "cold_view_ours", "bytes"), ("browser", "cold_view_baseline", "bytes"), _kb)),
    ("Cold entry view: requests (failed)",
     lambda r: f"{_get(r, 'browser', 'cold_view_ours', 'requests')} "
               f"({_get(r, 'browser', 'cold_view_ours', 'failed_count')})"
     if _get(r, "browser", "cold_view_ours", "failed_count") is not None else "–"),
    ("First search, bytes: Pagefind / lunr",
     lambda r: _pair(r, ("browser", "pagefind", "bytes_median"), ("browser", "lunr", "bytes_median"), _kb)),
    ("Search on a phone, warm: ours / lunr",
     lambda r: _pair(r, ("browser", "pagefind", "phone", "warm_ms_median"),
                     ("browser", "lunr", "warm_ms_median"), _ms)),
    ("Search on a phone, cold: ours / lunr",
     lambda r: _pair(r, ("browser", "pagefind", "phone", "cold_ms_median"),
                     ("browser", "lunr", "cold_ms_median"), _ms)),
    ("Search on Fast 3G: cold / warm",
     lambda r: _pair(r, ("browser", "pagefind", "fast3g", "cold_ms_median"),
                     ("browser", "pagefind", "fast3g", "warm_ms_median"), _ms)),
    ("Result elements after a query, most", _one(("browser", "pagefind", "phone", "elements_max"), str)),
    ("Serve rebuild after an edit (with --dirty)", _serve),
    ("Peak memory, full build", _one(("build", "peak_mb"), lambda v: f"{v:,.0f} MB")),
)


def summary_table(results: dict[str, Any]) -> str:
    """One column per N, each followed by the previous full run's figure at the same N."""
    runs = sorted(results["runs"], key=lambda r: r["n"])
    previous = {r["n"]: r for r in (results.get("previous") or {}).get("runs") or []}
    head = "| N entries | " + " | ".join(f"{_n(r['n'])} | previous" for r in runs) + " |"
    lines = [head, "| --- |" + " --- | --- |" * len(runs)]
    for label, show in SUMMARY_ROWS:
        cells = [f"{show(r)} | {show(previous[r['n']]) if r['n'] in previous else '–'}" for r in runs]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _previous_note(results: dict[str, Any]) -> str:
    previous = results.get("previous")
    if not previous:
        return "No previous full run was recorded."
    return (f"\"previous\": the full run of {str(previous.get('generated_at', '?'))[:10]}"
            + (f" (commit {previous['commit']})" if previous.get("commit") else "")
            + "; – where it did not measure a figure this way.")


METHOD = """\
- **Catalogs**: the real entries first, verbatim, then variations of them (new id, title and summary
  words mixed from the real ones, other years, themes, organizations, countries, cross-references
  only to ids that exist). Decisions, glossary and vocabularies are the real ones. Each catalog
  passes `rcmkb validate`. Work happens in a throwaway copy of the repository (`bench/work/`).
- **Validate + generate**: `generate_site_pages` in-process into an empty folder (validation, model,
  templates, writing), each repetition in a fresh process after a warm-up validation
  (imports, compiled schemas), so in-memory caches start empty as in `rcmkb build`; median of the
  repetitions, divided by N. "Validation alone" is `validate()` timed the same way. The QR codes
  are not part of it: since 2026-12-01 (afternoon) a post-build step writes them beside the short
  links, in the thread that runs beside MkDocs, so they count in the full build. Since 2026-12-01
  (night) every N is timed here before any other step, and nothing the bench wrote is deleted
  before the end of the run: on this machine's disk (ext4 without a journal) creating a file cost
  from about 20 µs to 1 ms, depending on what was deleted in the minutes before, and the generator
  creates two files per entry. "A new file cost the disk" is that cost, measured just before each
  timed repetition (an indicator: it is measured in a folder of its own).
- **Build (ours)**: `rcmkb build` from a clean state (no generated pages): validation, generation,
  MkDocs (both languages) beside the short links, QR codes and open data, Pagefind. **Baseline**:
  the same generated Markdown built by MkDocs with a config that INHERITs `mkdocs.yml` and adds
  Material's `search` plugin, without Pagefind (nor the post-build steps: its entry pages ask for
  a QR code that is not there, the one failed request of its cold view).
  **Stock nav**: the baseline with every entry page listed in `nav`, as a stock MkDocs site does.
  Times are wall-clock medians; peak memory is `ru_maxrss` of the child process from `wait4()`
  (the largest process of its tree).
- **Page weight**: the largest entry page of the site (both languages looked at), opened in a fresh
  Chromium context (empty cache) at 390x844; the local server gzips every response (level 6) as a
  web host would, unless it is already compressed, and counts the body bytes it sends, headers
  aside, until the network is idle plus 0.5 s. Every request is counted (web workers' included);
  a request fails when it gets a 4xx/5xx status or no answer at all. Caching as on GitHub Pages:
  `Cache-Control: max-age=600`, an ETag and Last-Modified on every file, 304 Not Modified to a
  request whose validators match (for the previous figures the server sent `no-cache` without
  validators, so a file asked for twice, such as a preload and the fetch that uses it, crossed the
  wire twice).
- **Search, as an officer meets it**: at 390x844, the box is tapped and the query typed into it key
  by key at once (Playwright's `keyboard.type`, 331 ms between keys: the average phone typist, 36.2
  words per minute, in Palin et al., "How do People Type on Mobile Devices?", MobileHCI 2019, 37,370
  volunteers; the previous figures were typed at 80 ms, 150 words per minute, faster than nearly
  every phone typist, which left the search less time to load while typing than an officer does; the
  moment a phone keyboard takes to slide up after the tap is not granted). The clock starts at the
  last keystroke (the timestamp of its keydown event in the page) and stops when a result element
  with text is visible (a MutationObserver on the results, `performance.now()`), and answers the
  whole query: our results list names the query it answers (`data-rcm-query`), so results of a
  prefix that arrive after the last key are not counted. **Cold**: the first search on a freshly
  opened page, so the search code and index load while the officer types. **Warm**: the next
  query typed on that same page after clearing the box. **Fast 3G**: the same in a page throttled
  by CDP `Network.emulateNetworkConditions` with Chrome DevTools' Fast 3G preset (562.5 ms latency,
  1.44 Mbit/s down, 675 kbit/s up), page load included. Result elements: how many the page holds
  once the results stop changing. Pages matching: Pagefind's own API (`pagefind.search()`), which
  also gives the engine's time once loaded. Queries nothing matches are not timed. Selectors: the
  search UI's contract (`.rcm-search__input`, `[data-rcm-results] [data-rcm-result]`,
  `[data-rcm-all-results]`), or Pagefind's Component UI on a site built before it. Stock: the same
  with Material's search box (lunr), opened from its header button. Bytes: every response whose path
  names `pagefind`, `search` or `lunr`, from opening the page until the cold results settle.
- **Serve**: `mkdocs serve --livereload` on 127.0.0.1 in the copy, as `make serve` runs it, and
  with `--dirty --no-strict` (MkDocs re-renders only pages whose Markdown changed); an entry's
  Spanish and English titles are changed in its YAML file, and both pages are polled every 0.1 s
  until they show the new title. Serve must go quiet before the next edit. "Builds per edit":
  how many builds MkDocs started after each save.
- **Budgets**: `bench/budgets.yml`; each applies to the worst N it covers.
- **Noise**: the machine has 2 cores shared with other work (the load average at start and end is
  recorded); timings can vary by tens of percent between runs. Byte counts are exact.
"""


def results_markdown(results: dict[str, Any], analysis: str = "") -> str:
    machine = results["machine"]
    versions = ", ".join(f"{k} {v}" for k, v in results["versions"].items())
    load = f"{machine['load_average_start'][0]:.1f} at start, {machine.get('load_average_end', [0])[0]:.1f} at end"
    parts = [
        "# Benchmark results" + (" (QUICK run: reduced sizes)" if results["quick"] else ""),
        "",
        f"Written by `make bench` on {results['generated_at']}"
        + (f" at commit {results['commit']}" if results.get("commit") else "")
        + f", in {results['total_seconds']:,.0f} s. Machine: {machine['cpus']} CPUs, load average {load}. "
        + f"{versions}." + (f" Chromium {results['runs'][0]['browser']['chromium']}."
                             if results["runs"] and _get(results["runs"][0], "browser", "chromium") else ""),
        "",
        "## Budgets",
        "",
        budgets_table(results),
        "",
        "## Summary",
        "",
        summary_table(results),
        "",
        _previous_note(results),
        "",
        "![Build time and bytes against N](chart.svg)",
        "",
    ]
    for run in sorted(results["runs"], key=lambda r: r["n"]):
        parts += [f"## N = {_n(run['n'])}", "", size_table(run), ""]
        for extra in (queries_table(run), requests_table(run)):
            if extra:
                parts += [extra, ""]
    parts += ["## Growth from each N to the next", "", growth_table(results), "", "## Method", "", METHOD]
    if analysis:
        parts += ["## Analysis (hand-written, from bench/analysis.md)", "", analysis.strip(), ""]
    return "\n".join(parts)


# --- SVG chart ---------------------------------------------------------------------------------

CHART_SERIES = (
    ("time", "Build, ours (s)", ("build", "median_seconds"), "#3949ab", ""),
    ("time", "Build, stock search (s)", ("baseline", "median_seconds"), "#8e24aa", "6 3"),
    ("time", "Build, stock nav (s)", ("stock_nav", "median_seconds"), "#c62828", "2 3"),
    ("bytes", "Cold entry view, ours (KB)", ("browser", "cold_view_ours", "bytes"), "#3949ab", ""),
    ("bytes", "First search, Pagefind (KB)", ("browser", "pagefind", "bytes_median"), "#2e7d32", ""),
    ("bytes", "First search, lunr (KB)", ("browser", "lunr", "bytes_median"), "#8e24aa", "6 3"),
    ("bytes", "Cold entry view, stock search (KB)", ("browser", "cold_view_baseline", "bytes"), "#c62828", "2 3"),
)


def _ticks(low: float, high: float) -> list[float]:
    start, stop = math.floor(math.log10(low)), math.ceil(math.log10(high))
    ticks = [10.0**e * m for e in range(start, stop + 1) for m in (1, 2, 5)]
    return [t for t in ticks if low / 1.01 <= t <= high * 1.01] or [low, high]


def _panel(x: float, title: str, series: list[tuple[str, list[tuple[float, float]], str, str]],
           ns: list[int]) -> list[str]:
    width, height, top, left = 330.0, 230.0, 40.0, x + 50.0
    values = [v for _, points, _, _ in series for _, v in points if v > 0]
    out = [f'<text x="{x + 50 + width / 2}" y="22" text-anchor="middle" font-weight="bold">{html.escape(title)}</text>']
    if not values or not ns:
        return out
    low, high = min(values) / 1.3, max(values) * 1.3
    nlow, nhigh = min(ns) / 1.3, max(ns) * 1.3

    def px(n: float) -> float:
        return left + (math.log10(n) - math.log10(nlow)) / (math.log10(nhigh) - math.log10(nlow) or 1) * width

    def py(v: float) -> float:
        return top + height - (math.log10(v) - math.log10(low)) / (math.log10(high) - math.log10(low) or 1) * height

    out.append(f'<rect x="{left}" y="{top}" width="{width}" height="{height}" fill="none" stroke="#999"/>')
    for tick in _ticks(low, high):
        y = py(tick)
        out.append(f'<line x1="{left}" x2="{left + width}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>')
        out.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{tick:g}</text>')
    for n in ns:
        out.append(f'<text x="{px(n):.1f}" y="{top + height + 16}" text-anchor="middle">{n:,}</text>')
    out.append(f'<text x="{left + width / 2}" y="{top + height + 32}" text-anchor="middle">N entries (log)</text>')
    for index, (label, points, color, dash) in enumerate(series):
        coords = " ".join(f"{px(n):.1f},{py(v):.1f}" for n, v in points if v > 0)
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        if coords:
            out.append(f'<polyline points="{coords}" fill="none" stroke="{color}" stroke-width="2"{dashes}/>')
            out += [f'<circle cx="{px(n):.1f}" cy="{py(v):.1f}" r="3" fill="{color}"/>' for n, v in points if v > 0]
        ly = top + height + 52 + 16 * index
        out.append(f'<line x1="{left}" x2="{left + 24}" y1="{ly - 4}" y2="{ly - 4}" stroke="{color}" '
                   f'stroke-width="2"{dashes}/>')
        out.append(f'<text x="{left + 30}" y="{ly}">{html.escape(label)}</text>')
    return out


def chart_svg(results: dict[str, Any]) -> str:
    runs = sorted(results["runs"], key=lambda r: r["n"])
    ns = [r["n"] for r in runs]
    panels: dict[str, list[tuple[str, list[tuple[float, float]], str, str]]] = {"time": [], "bytes": []}
    for panel, label, path, color, dash in CHART_SERIES:
        scale = 1000 if panel == "bytes" else 1
        points = [(r["n"], _get(r, *path) / scale) for r in runs if _get(r, *path)]
        if points:
            panels[panel].append((label, points, color, dash))
    rows = max(len(panels["time"]), len(panels["bytes"]))
    total_height = 40 + 230 + 52 + 16 * rows + 10
    body = _panel(0, "Build time (s, log scale)", panels["time"], ns)
    body += _panel(400, "Bytes (KB gzip, log scale)", panels["bytes"], ns)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="800" height="{total_height}" '
            f'viewBox="0 0 800 {total_height}" font-family="sans-serif" font-size="11" role="img" '
            f'aria-label="Build time and bytes against the number of entries">\n'
            f'<title>Build time and bytes against N</title>\n<rect width="800" height="{total_height}" fill="white"/>\n'
            + "\n".join(body) + "\n</svg>\n")


# --- files -------------------------------------------------------------------------------------

def write_reports(results: dict[str, Any], out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "results.json", out_dir / "results.md", out_dir / "chart.svg"]
    paths[0].write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    # The profiling notes on missed budgets are kept by hand beside the results, and included.
    analysis = out_dir / "analysis.md"
    notes = analysis.read_text(encoding="utf-8") if analysis.is_file() else ""
    paths[1].write_text(results_markdown(results, notes), encoding="utf-8")
    paths[2].write_text(chart_svg(results), encoding="utf-8")
    return paths


def readme_section(results: dict[str, Any]) -> str:
    return "\n".join([
        README_START,
        f"Latest full run ({results['generated_at'][:10]}, {results['machine']['cpus']} shared CPUs, so timings "
        "are noisy; byte counts are exact). `make bench` runs it again; `make bench QUICK=1` runs a reduced "
        "version in a few minutes (into bench/work/quick/). Details, method and growth ratios: "
        "[bench/results.md](bench/results.md); "
        "causes of the missed budgets, from profiling: [bench/analysis.md](bench/analysis.md).",
        "",
        summary_table(results),
        "",
        _previous_note(results),
        "",
        budgets_table(results),
        "",
        "![Build time and bytes against N](bench/chart.svg)",
        README_END,
    ])


def update_readme(readme: Path, results: dict[str, Any]) -> None:
    """Replace the text between the benchmark markers (or add a Benchmark section at the end)."""
    text = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    section = readme_section(results)
    if README_START in text and README_END in text:
        before, rest = text.split(README_START, 1)
        after = rest.split(README_END, 1)[1]
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n## Benchmark\n\n" + section + "\n"
    readme.write_text(text, encoding="utf-8")


def budget_lines(results: dict[str, Any]) -> str:
    return "\n".join(f"  {_status(b['met']):>10}  {b['budget']} ({b['limit']}): {b['measured']}"
                     for b in results["budgets"])
