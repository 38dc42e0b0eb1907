"""`python -m bench`: build synthetic catalogs of N entries and measure our site against stock MkDocs.

For each N, in a throwaway copy of the repository (bench/work/, git-ignored):
  1. validate + generate in-process (bench.probe, in a child for its own peak memory), for every N
     before anything else, and nothing is deleted until the end of the run: on a file system
     without a journal, files deleted in the last minutes make every new file slower to create
     (bench.probe says why), and the generator creates ten thousand of them;
  2. `rcmkb build` from a clean state (Pagefind included), and the same generated Markdown
     built by stock MkDocs + Material search, without Pagefind (the baseline);
  3. optionally the stock setup that lists every entry in the navigation;
  4. in Chromium at phone size: every request of a cold entry-page view, and search as an officer
     meets it (typed, timed from the last keystroke, warm and cold, unthrottled and on Fast 3G);
  5. the `mkdocs serve` rebuild after one edit.
Results go to bench/results.json, bench/results.md and bench/chart.svg (bench.report), next to
the previous full run's figures; budgets come from bench/budgets.yml.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import report
from bench.browser import BROAD_QUERIES, SELECTIVE_QUERIES
from bench.configs import write_baseline_config, write_stock_nav_config
from bench.procs import Measured, bench_env, folder_size, python, run_measured
from bench.support import ROOT
from bench.synthetic import make_bench_repo
from rcmkb.paths import GENERATED_DIRNAME


@dataclass(frozen=True)
class Plan:
    sizes: tuple[int, ...]
    build_reps: dict[int, int]
    generate_reps: dict[int, int]
    stock_nav_sizes: tuple[int, ...]  # where to build the stock setup (its build grows with N squared)
    serve_sizes: tuple[int, ...]
    serve_edits: int
    serve_variants: tuple[str, ...]  # result keys of SERVE_VARIANTS to measure
    queries: tuple[str, ...]  # typed into our search box, each cold and warm, at phone size
    throttled_queries: tuple[str, ...]  # the same on Fast 3G (page load included: slow)
    lunr_queries: int  # how many of `queries` to time on the stock lunr search too (slow at large N)
    quick: bool


# `mkdocs serve` as `make serve` runs it, and with --dirty (MkDocs re-renders only pages whose
# Markdown changed; --no-strict because MkDocs warns about every dirty build).
# "serve" is what `make serve` runs (Makefile); "serve_dirty" was the earlier runs' --dirty trial, kept for the report.
SERVE_VARIANTS = {"serve": ("--dirty", "--no-strict"), "serve_dirty": ("--dirty", "--no-strict")}


FULL = Plan(sizes=(100, 1000, 5000), build_reps={100: 3, 1000: 2}, generate_reps={100: 3, 1000: 3, 5000: 2},
            stock_nav_sizes=(100, 1000), serve_sizes=(100, 1000), serve_edits=3,
            serve_variants=("serve",), queries=BROAD_QUERIES + SELECTIVE_QUERIES,
            throttled_queries=BROAD_QUERIES[:2] + SELECTIVE_QUERIES[:2], lunr_queries=2, quick=False)
QUICK = Plan(sizes=(50, 200), build_reps={}, generate_reps={}, stock_nav_sizes=(200,), serve_sizes=(200,),
             serve_edits=1, serve_variants=("serve",), queries=BROAD_QUERIES[:2] + SELECTIVE_QUERIES[:2],
             throttled_queries=BROAD_QUERIES[:1], lunr_queries=1, quick=True)


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def _check(measured: Measured, what: str) -> Measured:
    if measured.returncode != 0:
        raise RuntimeError(f"{what} failed (exit {measured.returncode}):\n{measured.output[-3000:]}")
    return measured


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 2)


def _entry_html(site: Path, entry_ids: list[str]) -> dict[str, Any]:
    """Sizes of every entry page, both languages; the largest one is the page the browser loads."""
    sizes: list[tuple[int, str]] = []
    for entry_id in entry_ids:
        for prefix in ("", "en/"):
            page = site / prefix / GENERATED_DIRNAME / entry_id / "index.html"
            if page.is_file():
                sizes.append((page.stat().st_size, f"{prefix}{GENERATED_DIRNAME}/{entry_id}/"))
    sizes.sort()
    return {"max_bytes": sizes[-1][0], "median_bytes": int(statistics.median(s for s, _ in sizes)),
            "largest_page": sizes[-1][1], "pages": len(sizes)}


def _site_facts(site: Path, entry_ids: list[str]) -> dict[str, Any]:
    total, files = folder_size(site)
    facts: dict[str, Any] = {"site_mb": round(total / 1e6, 1), "files": files,
                             "entry_html": _entry_html(site, entry_ids)}
    index = site / "search" / "search_index.json"
    if index.is_file():
        raw = index.read_bytes()
        facts["lunr_index"] = {"bytes": len(raw), "gzip_bytes": len(gzip.compress(raw, 6))}
    pagefind = site / "pagefind"
    if pagefind.is_dir():
        facts["pagefind_mb"] = round(folder_size(pagefind)[0] / 1e6, 1)
    return facts


def _build(repo: Path, site: Path, reps: int) -> dict[str, Any]:
    runs = []
    for _ in range(reps):
        shutil.rmtree(repo / "docs" / GENERATED_DIRNAME, ignore_errors=True)  # as on a fresh clone
        runs.append(_check(run_measured(python("-m", "rcmkb", "build", "--root", str(repo), "--site-dir",
                                               str(site)), repo), "rcmkb build"))
    return {"seconds": [round(r.seconds, 2) for r in runs], "median_seconds": _median([r.seconds for r in runs]),
            "peak_mb": round(max(r.peak_mb for r in runs), 1)}


def _mkdocs(repo: Path, config: str, site: Path, reps: int) -> dict[str, Any]:
    runs = []
    command = python("-m", "mkdocs", "build", "--strict", "--clean", "--quiet", "--config-file", config,
                     "--site-dir", str(site))
    for _ in range(reps):
        runs.append(_check(run_measured(command, repo, bench_env(RCMKB_PAGES_READY="1")), f"mkdocs build -f {config}"))
    return {"seconds": [round(r.seconds, 2) for r in runs], "median_seconds": _median([r.seconds for r in runs]),
            "peak_mb": round(max(r.peak_mb for r in runs), 1)}


def _generate(repo: Path, reps: int, n: int, output: Path) -> dict[str, Any]:
    """Each repetition in a fresh process: the generator's in-memory caches (QR codes, links)
    start empty, as in `rcmkb build`, and the child's peak memory is its own. What each writes
    stays in `output` until the end of the run (see the module's docstring)."""
    validate_s, generate_s, create_us, peaks, pages = [], [], [], [], 0
    output.mkdir(parents=True, exist_ok=True)
    for _ in range(reps):
        # Run from the real repository, where `bench` is importable (the copy leaves it out).
        measured = _check(run_measured(python("-m", "bench.probe", str(repo / "catalog"), "1", str(output)), ROOT),
                          "validate+generate probe")
        data = json.loads(measured.output.strip().splitlines()[-1])
        validate_s += data["validate_seconds"]
        generate_s += data["generate_seconds"]
        create_us += data["create_file_us"]
        peaks.append(measured.peak_mb)
        pages = data["pages"]
    seconds = statistics.median(generate_s)
    return {"seconds": [round(s, 3) for s in generate_s], "median_seconds": round(seconds, 3),
            "ms_per_entry": round(1000 * seconds / n, 2),
            "validate_ms_per_entry": round(1000 * statistics.median(validate_s) / n, 2),
            "create_file_us": create_us, "pages": pages, "peak_mb": round(max(peaks), 1)}


def _browser(sites: dict[str, Path], page: str, plan: Plan) -> dict[str, Any]:
    from bench import browser
    from bench.support import GITHUB_PAGES_CACHE, ByteLog, chromium, serve

    out: dict[str, Any] = {"page": page}
    with chromium() as launched:
        out["chromium"] = launched.version
        for name, site in sites.items():
            log = ByteLog()
            with serve(site, log, GITHUB_PAGES_CACHE) as base:
                out[f"cold_view_{name}"] = browser.cold_view(launched, base + page, log)
                if name == "ours":
                    out["pagefind"] = browser.our_search(launched, base + page, log, plan.queries,
                                                         plan.throttled_queries)
                elif name == "baseline" and plan.lunr_queries:
                    out["lunr"] = browser.lunr_search(launched, base + page, log, plan.queries[: plan.lunr_queries])
    return out


def generate_size(n: int, plan: Plan, source: Path, folder: Path) -> dict[str, Any]:
    """The synthetic repository of N entries in `folder`, and the generator's timing on it."""
    say(f"N={n}: synthetic catalog")
    make_bench_repo(source, folder / "repo", n)
    say(f"N={n}: validate + generate (in-process)")
    return {"n": n, "generate": _generate(folder / "repo", plan.generate_reps.get(n, 1), n, folder / "probe")}


def measure_size(n: int, plan: Plan, folder: Path, result: dict[str, Any]) -> dict[str, Any]:
    """Everything else for N, in the repository generate_size made in `folder`."""
    from bench.live import serve_rebuild

    repo = folder / "repo"
    entry_ids = sorted(p.stem for p in (repo / "catalog" / "entries").glob("*.yml"))
    say(f"N={n}: rcmkb build (MkDocs + Pagefind)")
    result["build"] = _build(repo, folder / "site", plan.build_reps.get(n, 1))
    result["build"].update(_site_facts(folder / "site", entry_ids))
    say(f"N={n}: baseline (stock Material search, no Pagefind)")
    result["baseline"] = _mkdocs(repo, write_baseline_config(repo), folder / "site-baseline",
                                 plan.build_reps.get(n, 1))
    result["baseline"].update(_site_facts(folder / "site-baseline", entry_ids))
    result["build_ratio"] = round(result["build"]["median_seconds"] / result["baseline"]["median_seconds"], 2)
    sites = {"ours": folder / "site", "baseline": folder / "site-baseline"}
    if n in plan.stock_nav_sizes:
        say(f"N={n}: stock setup, every entry in the navigation")
        result["stock_nav"] = _mkdocs(repo, write_stock_nav_config(repo, entry_ids), folder / "site-stocknav", 1)
        result["stock_nav"].update(_site_facts(folder / "site-stocknav", entry_ids))
        sites["stock_nav"] = folder / "site-stocknav"
    say(f"N={n}: Chromium (page weight, search)")
    page = result["build"]["entry_html"]["largest_page"]
    result["browser"] = _browser(sites, page, plan)
    if n in plan.serve_sizes:
        for key in plan.serve_variants:
            say(f"N={n}: mkdocs serve {' '.join(SERVE_VARIANTS[key])}, rebuild after an edit")
            result[key] = serve_rebuild(repo, entry_ids, plan.serve_edits, extra_args=SERVE_VARIANTS[key])
    return result


def _set_aside(folders: list[Path], work: Path) -> Path:
    """Move what an earlier run (--keep) left in `folders` into one folder, to delete at the end: a
    rename frees no file, so the timings that follow are not slowed (see the module's docstring)."""
    aside = work / f"old-{os.getpid()}"
    for folder in folders:
        if folder.exists():
            aside.mkdir(parents=True, exist_ok=True)
            folder.rename(aside / folder.name)
    return aside


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    versions = {"python": platform.python_version()}
    for package in ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "pagefind", "playwright"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = "?"
    return versions


def _commit(root: Path) -> str | None:
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True,
                              timeout=10)
    except OSError:
        return None
    return done.stdout.strip() or None


def run(root: Path, plan: Plan, out_dir: Path, work: Path, keep: bool = False, readme: bool = True,
        previous: Path | None = None) -> dict[str, Any]:
    """Measure every N of the plan; write the reports to `out_dir`, with the figures of the full run
    recorded in `previous` (default: out_dir/results.json, before it is replaced) beside them."""
    started = time.perf_counter()
    before = report.previous_run(previous or out_dir / "results.json")
    results: dict[str, Any] = {
        "generated_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "quick": plan.quick, "sizes": list(plan.sizes), "commit": _commit(root),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "load_average_start": os.getloadavg()},
        "versions": _versions(), "runs": [],
    }
    folders = {n: work / f"n{n}" for n in plan.sizes}
    aside = _set_aside(list(folders.values()), work)
    try:
        generated = {n: generate_size(n, plan, root, folders[n]) for n in plan.sizes}
        for n in plan.sizes:
            results["runs"].append(measure_size(n, plan, folders[n], generated[n]))
    finally:
        for folder in [aside, *([] if keep else folders.values())]:
            shutil.rmtree(folder, ignore_errors=True)
    results["machine"]["load_average_end"] = os.getloadavg()
    if before:
        results["previous"] = before
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    report.finish(results)
    paths = report.write_reports(results, out_dir)
    if readme and not plan.quick:
        report.update_readme(root / "README.md", results)
        paths.append(root / "README.md")
    say("wrote " + ", ".join(str(p) for p in paths) + f" in {results['total_seconds']:.0f} s")
    print(report.budget_lines(results))
    return results


def main(args: Any) -> int:
    root = ROOT
    plan = QUICK if args.quick else FULL
    if args.sizes:
        plan = Plan(**{**plan.__dict__, "sizes": tuple(int(s) for s in args.sizes.split(","))})
    if args.queries is not None:
        plan = Plan(**{**plan.__dict__, "queries": plan.queries[: args.queries],
                       "throttled_queries": plan.throttled_queries[: args.queries]})
    work = Path(args.work_dir) if args.work_dir else root / "bench" / "work"
    # A reduced run never replaces the full run's figures that the README reads.
    out_dir = Path(args.out) if args.out else work / "quick" if plan.quick else root / "bench"
    if args.report_only:
        results = report.finish(json.loads((out_dir / "results.json").read_text(encoding="utf-8")))
        paths = report.write_reports(results, out_dir)
        if not results["quick"] and not args.no_readme:
            report.update_readme(root / "README.md", results)
        say("rewrote " + ", ".join(str(p) for p in paths))
        return 0
    if not (root / "catalog" / "entries").is_dir():
        print(f"no catalog in {root}: run `make bench` from the repository", file=sys.stderr)
        return 2
    run(root, plan, out_dir, work, keep=args.keep, readme=not args.no_readme, previous=root / "bench" / "results.json")
    return 0
