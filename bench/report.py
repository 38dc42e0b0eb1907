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


# --- budgets -----------------------------------------------------------------------------------

def _budget(name: str, limit: str, value: float | None, ok: bool | None, measured: str, note: str = "") -> dict:
    return {"budget": name, "limit": limit, "value": value, "met": ok, "measured": measured, "note": note}


def evaluate_budgets(results: dict[str, Any]) -> list[dict[str, Any]]:
    runs = results["runs"]
    largest = max(runs, key=lambda r: r["n"]) if runs else None
    out = []

    at5000 = _run_at(results, 5000)
    if at5000 and _get(at5000, "generate", "ms_per_entry") is not None:
        value = at5000["generate"]["ms_per_entry"]
        out.append(_budget("Validate and generate", "≤ 2 ms per entry at N = 5,000", value, value <= 2,
                           f"{value:.2f} ms per entry"))
    else:
        value = _get(largest, "generate", "ms_per_entry") if largest else None
        out.append(_budget("Validate and generate", "≤ 2 ms per entry at N = 5,000", value, None,
                           "not measured at 5,000" + (f" ({value:.2f} ms at N = {_n(largest['n'])})"
                                                      if value is not None else "")))

    at1000 = _run_at(results, 1000)
    t1, t5 = _get(at1000, "build", "median_seconds"), _get(at5000, "build", "median_seconds")
    if t1 and t5:
        ratio = t5 / t1
        out.append(_budget("Build time grows linearly", "t(5,000) / t(1,000) ≤ 5.5", round(ratio, 2), ratio <= 5.5,
                           f"{ratio:.2f} ({t5:.0f} s / {t1:.0f} s)"))
    else:
        out.append(_budget("Build time grows linearly", "t(5,000) / t(1,000) ≤ 5.5", None, None,
                           "needs N = 1,000 and 5,000"))

    sizes = [(r["build"]["entry_html"]["max_bytes"], r["n"]) for r in runs if _get(r, "build", "entry_html")]
    if sizes:
        worst, n = max(sizes)
        out.append(_budget("Entry-page HTML", "< 30 KB at every N", worst, worst < 30_000,
                           f"{_kb(worst)} (largest entry page, N = {_n(n)})"))

    cold = [(r["browser"]["cold_view_ours"]["bytes"], r["n"]) for r in runs if _get(r, "browser", "cold_view_ours")]
    if cold:
        worst, n = max(cold)
        out.append(_budget("Cold entry-page view", "≤ 120 KB gzip", worst, worst <= 120_000,
                           f"{_kb(worst)} (N = {_n(n)})"))

    ours, lunr = _get(at1000, "browser", "pagefind", "bytes_median"), _get(at1000, "browser", "lunr", "bytes_median")
    if ours is not None and lunr:
        out.append(_budget("First search", "≤ 1/5 of stock lunr bytes at N = 1,000", round(ours / lunr, 3),
                           ours * 5 <= lunr, f"{_kb(ours)} vs {_kb(lunr)} (1/{lunr / ours:.1f})"))
    else:
        out.append(_budget("First search", "≤ 1/5 of stock lunr bytes at N = 1,000", None, None,
                           "not measured at 1,000"))

    latency = [(r["browser"]["pagefind"]["latency_ms_median"], r["n"]) for r in runs
               if _get(r, "browser", "pagefind", "latency_ms_median") is not None]
    if latency:
        worst, n = max(latency)
        out.append(_budget("Search latency", "≤ 300 ms", worst, worst <= 300,
                           f"{_ms(worst)} median, first search on a fresh page (N = {_n(n)})"))

    serve = _get(at1000, "serve", "rebuild_seconds_median")
    dirty = _get(at1000, "serve_dirty", "rebuild_seconds_median")
    if serve is not None:
        out.append(_budget("Serve rebuild after one edit", "≤ 5 s at N = 1,000", serve, serve <= 5,
                           f"{_s(serve)} as `make serve` runs it" + (f"; {_s(dirty)} with --dirty" if dirty else "")))
    else:
        out.append(_budget("Serve rebuild after one edit", "≤ 5 s at N = 1,000", None, None, "not measured at 1,000"))
    return out


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
    ("Search latency", ("browser", "pagefind", "latency_ms_median")),
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


def finish(results: dict[str, Any]) -> dict[str, Any]:
    results["growth"] = growth(results)
    results["budgets"] = evaluate_budgets(results)
    return results


# --- Markdown ----------------------------------------------------------------------------------

def _status(met: bool | None) -> str:
    return "met" if met else "n/a" if met is None else "**missed**"


def budgets_table(results: dict[str, Any]) -> str:
    lines = ["| Budget | Limit | Measured | Status |", "| --- | --- | --- | --- |"]
    for b in results["budgets"]:
        lines.append(f"| {b['budget']} | {b['limit']} | {b['measured']} | {_status(b['met'])} |")
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
        return f"{_kb(view['bytes'])} in {view['requests']} requests" if view else "–"

    row("Cold entry-page view, gzip", cold("ours"), cold("baseline"), cold("stock_nav"))
    pagefind, lunr = browser.get("pagefind"), browser.get("lunr")
    row("Bytes fetched up to the first search result",
        _kb(pagefind["bytes_median"]) + " (Pagefind)" if pagefind else "–",
        _kb(lunr["bytes_median"]) + " (lunr)" if lunr else "–", "same as baseline")
    row("Search latency: median first search (then warm)",
        f"{_ms(pagefind['latency_ms_median'])} ({_ms(pagefind['warm_latency_ms_median'])})" if pagefind else "–",
        f"{_ms(lunr['latency_ms_median'])} ({_ms(lunr['warm_latency_ms_median'])})" if lunr else "–", "–")
    generate = run.get("generate")
    if generate:
        row("Validate + generate (in-process)",
            f"{generate['ms_per_entry']:.2f} ms/entry ({_s(generate['median_seconds'])} for {generate['pages']:,} "
            f"pages; validation alone {generate['validate_ms_per_entry']:.2f} ms/entry) · "
            f"{generate['peak_mb']:,.0f} MB peak", "same pages", "same pages")
    for key, label in (("serve", "`mkdocs serve`: edit saved → page rebuilt"),
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


def summary_table(results: dict[str, Any]) -> str:
    """One column per N: the figures the README shows."""
    runs = sorted(results["runs"], key=lambda r: r["n"])

    def line(label: str, value: Callable[[Run], str]) -> str:
        return f"| {label} | " + " | ".join(value(r) for r in runs) + " |"

    def pair(r: Run, a: tuple[str, ...], b: tuple[str, ...], fmt: Callable[[Any], str]) -> str:
        x, y = _get(r, *a), _get(r, *b)
        return f"{fmt(x)} / {fmt(y)}" if x is not None or y is not None else "–"

    def mb(v: Any) -> str:
        return "–" if v is None else f"{v:,.1f} MB"

    lines = ["| N entries | " + " | ".join(_n(r["n"]) for r in runs) + " |", "| --- |" + " --- |" * len(runs)]
    lines.append(line("Validate + generate, per entry",
                      lambda r: f"{_get(r, 'generate', 'ms_per_entry'):.2f} ms" if _get(r, "generate") else "–"))
    lines.append(line("Build: ours / stock Material search",
                      lambda r: pair(r, ("build", "median_seconds"), ("baseline", "median_seconds"), _s)))
    lines.append(line("Build: stock, every entry in nav (site size)",
                      lambda r: f"{_s(_get(r, 'stock_nav', 'median_seconds'))} ({mb(_get(r, 'stock_nav', 'site_mb'))})"
                      if r.get("stock_nav") else "not run"))
    lines.append(line("Site size: ours / stock search",
                      lambda r: pair(r, ("build", "site_mb"), ("baseline", "site_mb"), mb)))
    lines.append(line("Entry-page HTML, largest",
                      lambda r: _kb(_get(r, "build", "entry_html", "max_bytes"))))
    lines.append(line("Cold entry view, gzip: ours / stock search",
                      lambda r: pair(r, ("browser", "cold_view_ours", "bytes"),
                                     ("browser", "cold_view_baseline", "bytes"), _kb)))
    lines.append(line("First search, bytes: Pagefind / lunr",
                      lambda r: pair(r, ("browser", "pagefind", "bytes_median"), ("browser", "lunr", "bytes_median"),
                                     _kb)))
    lines.append(line("Search latency: Pagefind / lunr",
                      lambda r: pair(r, ("browser", "pagefind", "latency_ms_median"),
                                     ("browser", "lunr", "latency_ms_median"), _ms)))
    lines.append(line("Serve rebuild after an edit (with --dirty)",
                      lambda r: (_s(_get(r, "serve", "rebuild_seconds_median"))
                                 + (f" ({_s(_get(r, 'serve_dirty', 'rebuild_seconds_median'))})"
                                    if r.get("serve_dirty") else "")) if r.get("serve") else "not run"))
    lines.append(line("Peak memory, full build",
                      lambda r: f"{_get(r, 'build', 'peak_mb'):,.0f} MB" if _get(r, "build") else "–"))
    return "\n".join(lines)


METHOD = """\
- **Catalogs**: the real entries first, verbatim, then variations of them (new id, title and summary
  words mixed from the real ones, other years, themes, organizations, countries, cross-references
  only to ids that exist). Decisions, glossary and vocabularies are the real ones. Each catalog
  passes `rcmkb validate`. Work happens in a throwaway copy of the repository (`bench/work/`).
- **Validate + generate**: `generate_site_pages` in-process into an empty folder (validation, model,
  templates, QR codes, writing), each repetition in a fresh process after a warm-up validation
  (imports, compiled schemas), so in-memory caches start empty as in `rcmkb build`; median of the
  repetitions, divided by N. "Validation alone" is `validate()` timed the same way.
- **Build (ours)**: `rcmkb build` from a clean state (no generated pages): validation, generation,
  MkDocs (both languages), Pagefind. **Baseline**: the same generated Markdown built by MkDocs with
  a config that INHERITs `mkdocs.yml` and adds Material's `search` plugin, without Pagefind.
  **Stock nav**: the baseline with every entry page listed in `nav`, as a stock MkDocs site does.
  Times are wall-clock medians; peak memory is `ru_maxrss` of the child process from `wait4()`
  (the largest process of its tree).
- **Page weight**: the largest entry page of the site (both languages looked at). A fresh Chromium
  context (empty cache) opens it; the local server gzips every response (level 6) as a web host
  would, unless it is already compressed, and counts the body bytes it sends, headers aside,
  until the network is idle plus 0.5 s. Requests made by web workers are included.
- **First search**: bytes of every response whose path names `pagefind`, `search` or `lunr`, from
  opening the page until the first result is shown. Ours: typing into the header search box (it
  loads Pagefind's Component UI on first use, then Pagefind loads the index chunks it needs) until
  the first result shows its title; Pagefind's own time through its JavaScript API
  (`pagefind.search()` and the first result's `data()`) is recorded too. Stock: typing into
  Material's search box of the baseline site (Material downloads its whole lunr index with every
  page, before any search). Latency is timed inside the page (performance.now(), a
  MutationObserver notes the first result): the median over the queries, each the first search on
  a freshly opened page; in brackets a second search on the same page.
- **Serve**: `mkdocs serve --livereload` on 127.0.0.1 in the copy, as `make serve` runs it, and
  with `--dirty --no-strict` (MkDocs re-renders only pages whose Markdown changed); an entry's
  Spanish and English titles are changed in its YAML file, and both pages are polled every 0.1 s
  until they show the new title. Serve must go quiet before the next edit. "Builds per edit":
  the generator's own writes into docs/ make MkDocs build a second time after each save.
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
        f"Written by `rcmkb bench` on {results['generated_at']}"
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
        "![Build time and bytes against N](chart.svg)",
        "",
    ]
    for run in sorted(results["runs"], key=lambda r: r["n"]):
        parts += [f"## N = {_n(run['n'])}", "", size_table(run), ""]
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
        "version in under 3 minutes. Details, method and growth ratios: [bench/results.md](bench/results.md); "
        "causes of the missed budgets, from profiling: [bench/analysis.md](bench/analysis.md).",
        "",
        summary_table(results),
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
