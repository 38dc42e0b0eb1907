"""The benchmark's own parts: synthetic catalogs that validate, stock configs, and the reports.

No timing is asserted here: `make bench` prints and records figures, tests only check that the
machinery produces valid input and readable output.
"""

from __future__ import annotations

import ast
import json
import time
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from bench import report
from bench.configs import write_baseline_config, write_stock_nav_config
from bench.synthetic import make_bench_repo
from conftest import REPO
from rcmkb.validate import validate


def _real_count() -> int:
    return len(list((REPO / "catalog" / "entries").glob("*.yml")))


@pytest.mark.parametrize("extra", [40, -5])
def test_synthetic_catalog_validates_with_unique_ids_and_existing_references(tmp_path: Path, extra: int) -> None:
    n = _real_count() + extra  # more entries than the real catalog, and fewer (references pruned)
    repo = make_bench_repo(REPO, tmp_path / "repo", n)
    catalog, findings = validate(repo / "catalog")
    assert not findings.errors, [f.format() for f in findings.errors[:5]]
    ids = [doc.data["id"] for doc in catalog.entries.values()]
    assert len(ids) == len(set(ids)) == n
    for doc in catalog.entries.values():
        for field in ("related", "supersedes", "preceded_by"):
            assert set(doc.data.get(field, [])) <= set(ids)
    # Varied text: variants do not repeat the title or summary of the entry they come from.
    summaries = [doc.data["summary"]["en"] for doc in catalog.entries.values()]
    assert len(set(summaries)) > 0.9 * n
    assert not (repo / "docs" / "catalogo").exists() and not (repo / "site").exists()


def test_same_size_gives_the_same_catalog(tmp_path: Path) -> None:
    first = make_bench_repo(REPO, tmp_path / "a", _real_count() + 3) / "catalog" / "entries"
    second = make_bench_repo(REPO, tmp_path / "b", _real_count() + 3) / "catalog" / "entries"
    assert {p.name: p.read_text() for p in first.iterdir()} == {p.name: p.read_text() for p in second.iterdir()}


def test_stock_configs_add_material_search_and_list_entries_in_nav(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        'site_url: !ENV [SITE_URL, "http://x/"]\nnav:\n  - Inicio: index.md\nplugins:\n'
        "  - i18n:\n      build_only_locale: !ENV [I18N_ONLY, null]\n", encoding="utf-8")
    baseline = (tmp_path / write_baseline_config(tmp_path)).read_text(encoding="utf-8")
    assert "INHERIT: mkdocs.yml" in baseline
    assert "!ENV [I18N_ONLY, null]" in baseline  # tags are written back as they were
    plugins = yaml.safe_load(baseline.replace("!ENV", ""))["plugins"]
    assert plugins[0] == "search" and "i18n" in plugins[1]
    stock = yaml.safe_load((tmp_path / write_stock_nav_config(tmp_path, ["a-1", "b-2"])).read_text()
                           .replace("!ENV", ""))
    assert stock["nav"][-1] == {"Fichas": ["catalogo/a-1.md", "catalogo/b-2.md"]}


def _fake_run(n: int, scale: float) -> dict:
    """A run as `python -m bench` records it, with made-up figures."""
    query = {"query": "trata", "cold_ms": 240.0, "warm_ms": 120.0, "elements": 10, "ui": "ours",
             "all_results_link": True, "search_bytes": 60_000, "matches": 31}
    search = {"per_query": [query], "cold_ms_median": 240.0, "warm_ms_median": 120.0 * scale,
              "cold_ms_max": 240.0, "warm_ms_max": 130.0, "elements_max": 10, "ui": ["ours"], "page_errors": []}
    return {
        "n": n,
        "generate": {"seconds": [n * 0.003], "median_seconds": n * 0.003, "ms_per_entry": 3.0,
                     "validate_ms_per_entry": 1.0, "pages": 2 * n + 300, "peak_mb": 60.0},
        "build": {"seconds": [5 * scale], "median_seconds": 5 * scale, "peak_mb": 90.0, "site_mb": 10 * scale,
                  "files": 3 * n, "entry_html": {"max_bytes": 27_000, "median_bytes": 20_000,
                                                 "largest_page": "catalogo/x/", "pages": 2 * n}},
        "baseline": {"seconds": [4 * scale], "median_seconds": 4 * scale, "peak_mb": 80.0, "site_mb": 9 * scale,
                     "files": 2 * n, "entry_html": {"max_bytes": 28_000, "median_bytes": 21_000,
                                                    "largest_page": "catalogo/x/", "pages": 2 * n}},
        "build_ratio": 1.25,
        "browser": {"page": "catalogo/x/", "chromium": "156",
                    "cold_view_ours": {"bytes": 66_000, "raw_bytes": 500_000, "requests": 12, "failed": [],
                                       "failed_count": 0, "not_found": [], "third_party": [],
                                       "items": [{"path": "/catalogo/x/", "status": 200, "bytes": 9_000}]},
                    "cold_view_baseline": {"bytes": 100_000 * scale, "raw_bytes": 1, "requests": 16,
                                           "failed": [], "failed_count": 0, "not_found": []},
                    "pagefind": {"queries": ["trata"], "matches": {"trata": 31}, "api_ms": {"trata": 20.0},
                                 "api_ms_median": 20.0, "bytes_median": 60_000, "phone": search,
                                 "fast3g": {**search, "cold_ms_median": 900.0, "warm_ms_median": 400.0,
                                            "per_query": [{**query, "cold_ms": 900.0, "warm_ms": 400.0}]}},
                    "lunr": {"bytes_median": 90_000 * scale, "cold_ms_median": 200.0, "warm_ms_median": 100.0,
                             "elements_max": 30}},
        "serve": {"startup_seconds": 9.0, "rebuild_seconds": [6.5], "rebuild_seconds_median": 6.5,
                  "builds_per_edit": [2], "builds_per_edit_max": 2, "peak_mb": 120.0},
    }


def _fake_results(previous: dict | None = None) -> dict:
    results = {
        "generated_at": "2026-11-28T03:00:00+00:00", "quick": False, "sizes": [100, 1000, 5000], "commit": "abc1234",
        "machine": {"cpus": 2, "platform": "Linux", "load_average_start": [1.0, 1.0, 1.0],
                    "load_average_end": [2.0, 2.0, 2.0]},
        "versions": {"python": "3.11", "mkdocs": "1.6.1"}, "total_seconds": 900.0,
        "runs": [_fake_run(100, 1), _fake_run(1000, 8), _fake_run(5000, 45)],
    }
    if previous:
        results["previous"] = previous
    return report.finish(results)


def test_budgets_file_is_complete_and_each_budget_finds_its_figure() -> None:
    budgets = report.load_budgets()
    names = [b["name"] for b in budgets]
    assert len(names) == len(set(names))
    # The budgets of issues 10 and 13 are all there, as data.
    figures = {b["figure"] for b in budgets}
    for figure in ("generate.ms_per_entry", "build_ratio", "serve.rebuild_seconds_median",
                   "serve.builds_per_edit_max", "browser.cold_view_ours.bytes", "browser.cold_view_ours.failed_count",
                   "browser.pagefind.phone.warm_ms_median", "browser.pagefind.fast3g.cold_ms_median",
                   "browser.pagefind.phone.elements_max"):
        assert figure in figures
    results = _fake_results()
    for budget in results["budgets"]:
        assert budget["met"] is not None, budget  # every figure path resolves in a run as the bench records it


def test_budget_limits_come_from_the_file(tmp_path: Path) -> None:
    (tmp_path / "budgets.yml").write_text(
        "- {name: Warm search, figure: browser.pagefind.phone.warm_ms_median, at: [1000], limit: 999, unit: ms}\n"
        "- {name: Cold view, figure: browser.cold_view_ours.bytes, limit: 65, unit: KB}\n"
        "- {name: Flat, figure: browser.cold_view_ours.bytes, growth: [1000, 5000], limit: 1.05, unit: ×}\n"
        "- {name: Ratio, figure: build.median_seconds, per: baseline.median_seconds, limit: 1.2, unit: ×}\n",
        encoding="utf-8")
    checked = report.evaluate_budgets(_fake_results(), report.load_budgets(tmp_path / "budgets.yml"))
    budgets = {b["budget"]: b for b in checked}
    assert budgets["Warm search"]["met"] is True and budgets["Warm search"]["value"] == 960.0  # 120 ms × 8
    assert budgets["Cold view"]["met"] is False and budgets["Cold view"]["measured"].startswith("66.0 KB")
    assert budgets["Flat"]["met"] is True and budgets["Flat"]["value"] == 1.0
    assert budgets["Ratio"]["met"] is False  # 5 / 4 = 1.25
    (tmp_path / "broken.yml").write_text("- {name: No limit, figure: build_ratio, unit: ×}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"No limit.*limit"):
        report.load_budgets(tmp_path / "broken.yml")


def test_reports_hold_a_table_per_n_growth_budgets_and_the_previous_figures(tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    older = _fake_results()
    older["runs"][1]["build_ratio"] = 1.5
    del older["runs"][1]["browser"]["cold_view_ours"]["failed_count"]  # as an older results.json
    older["runs"][1]["browser"]["cold_view_ours"]["not_found"] = ["/catalogo/x/sitemap.xml"]
    old.write_text(json.dumps(older), encoding="utf-8")
    results = _fake_results(report.previous_run(old))
    paths = report.write_reports(results, tmp_path / "bench")
    assert {p.name for p in paths} == {"results.json", "results.md", "chart.svg"}
    markdown = (tmp_path / "bench" / "results.md").read_text(encoding="utf-8")
    for heading in ("## N = 100", "## N = 1,000", "## N = 5,000", "## Budgets", "## Growth from each N to the next"):
        assert heading in markdown
    assert "| 1,000 → 5,000 | × 5 |" in markdown
    budgets = {b["budget"]: b for b in results["budgets"]}
    assert budgets["Build time grows linearly"]["met"] is False  # 45 / 8 > 5.5
    assert budgets["Validate and generate"]["met"] is False  # 3 ms > 2 ms
    assert budgets["Entry-page HTML"]["met"] is True
    assert budgets["Result elements on the page after a query"]["met"] is True
    assert budgets["Failed requests on a cold entry-page view (4xx/5xx or unanswered)"]["previous"].startswith("1 ")
    assert "**missed**" in markdown
    # The previous run's figures stand next to the new ones.
    assert "| N entries | 100 | previous | 1,000 | previous | 5,000 | previous |" in markdown
    assert "| Build: ours ÷ stock search | 1.25 × | 1.25 × | 1.25 × | 1.50 × |" in markdown
    assert "| Budget | Limit | Measured | Previous run | Status |" in markdown
    # Each query with its number of matches and its timings; every request of the cold view.
    assert "| trata | 31 | 240 ms | 120 ms | 900 ms | 400 ms | 10 | yes |" in markdown
    assert "| `/catalogo/x/` | 200 | 9,000 |" in markdown
    ET.fromstring((tmp_path / "bench" / "chart.svg").read_text(encoding="utf-8"))  # well-formed SVG
    assert "<polyline" in (tmp_path / "bench" / "chart.svg").read_text(encoding="utf-8")


def test_a_quick_run_passes_on_the_full_run_it_was_compared_with(tmp_path: Path) -> None:
    full = {"generated_at": "2026-11-28T03:00:00+00:00", "commit": "abc", "runs": [_fake_run(100, 1)]}
    (tmp_path / "results.json").write_text(json.dumps({"quick": True, "runs": [], "previous": full}),
                                           encoding="utf-8")
    assert report.previous_run(tmp_path / "results.json") == full
    assert report.previous_run(tmp_path / "missing.json") is None


def test_readme_section_is_replaced_not_repeated(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Project\n\nIntro.\n", encoding="utf-8")
    results = _fake_results()
    report.update_readme(readme, results)
    report.update_readme(readme, results)
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# Project\n\nIntro.\n")
    assert text.count("## Benchmark") == 1 and text.count(report.README_START) == 1
    assert "| N entries | 100 | previous | 1,000 | previous | 5,000 | previous |" in text


# --- the benchmark stays out of the product ----------------------------------------------------------


def _imports(folder: Path) -> list[tuple[Path, str, list[str]]]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        if "work" in path.relative_to(folder).parts[:1]:
            continue  # bench/work/: the throwaway repository copies a `--keep` run leaves (git-ignored)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.append((path, node.module, [alias.name for alias in node.names]))
            elif isinstance(node, ast.Import):
                found += [(path, alias.name, []) for alias in node.names]
    return found


def test_runtime_package_imports_nothing_from_the_bench() -> None:
    assert not [(p, m) for p, m, _ in _imports(REPO / "scripts" / "rcmkb") if m.split(".")[0] == "bench"]
    assert not (REPO / "scripts" / "rcmkb" / "bench").exists()
    from rcmkb.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["bench"])  # `make bench` runs `python -m bench`, not the product's CLI


def test_bench_uses_only_public_names_of_rcmkb() -> None:
    """Neither imported (`from rcmkb.qr import _cache`) nor reached as an attribute of an imported
    module (`qr._cache`)."""
    private = [(p.name, m, names) for p, m, names in _imports(REPO / "bench")
               if m.split(".")[0] == "rcmkb" and any(part.startswith("_") for part in [*m.split("."), *names])]
    assert not private
    for path in sorted((REPO / "bench").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                   and (node.module or "").split(".")[0] == "rcmkb" for alias in node.names}
        private += [(path.name, node.lineno, node.attr) for node in ast.walk(tree) if isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Name) and node.value.id in modules and node.attr.startswith("_")]
    assert not private


def test_the_wheel_leaves_the_bench_out() -> None:
    import setuptools

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    where = config["tool"]["setuptools"]["packages"]["find"]["where"]
    packages = {p for folder in where for p in setuptools.find_packages(str(REPO / folder))}
    assert packages and all(p.split(".")[0] == "rcmkb" for p in packages), packages


# --- the whole pipeline, once, at a tiny N -------------------------------------------------------------


@pytest.mark.build
@pytest.mark.browser
def test_tiny_run_end_to_end_reports_every_figure(tmp_path: Path) -> None:
    """N = 20, one query of each kind: every step runs for real and each figure reaches the report.
    No figure is judged here (timings belong to `make bench`), only that it was measured."""
    from bench.run import Plan, run

    plan = Plan(sizes=(20,), build_reps={}, generate_reps={}, stock_nav_sizes=(), serve_sizes=(20,), serve_edits=1,
                serve_variants=("serve",), queries=("protección", "trata"), throttled_queries=("trata",),
                lunr_queries=1, quick=True)
    left_by_a_kept_run = tmp_path / "work" / "n20" / "repo" / "left.txt"
    left_by_a_kept_run.parent.mkdir(parents=True)
    left_by_a_kept_run.write_text("an earlier --keep run", encoding="utf-8")
    results = run(REPO, plan, tmp_path / "out", tmp_path / "work", readme=False, previous=tmp_path / "none.json")
    (only,) = results["runs"]
    assert only["generate"]["ms_per_entry"] > 0 and only["build_ratio"] > 0
    assert only["generate"]["create_file_us"] and all(c > 0 for c in only["generate"]["create_file_us"])
    view = only["browser"]["cold_view_ours"]
    assert view["bytes"] > 0 and view["requests"] >= len(view["items"]) > 0 and "failed_count" in view
    search = only["browser"]["pagefind"]
    assert all(search["matches"][q] > 0 for q in plan.queries)
    for kind in ("phone", "fast3g"):
        for row in search[kind]["per_query"]:
            assert row["cold_ms"] is not None and row["elements"] > 0, (kind, row)
            # Warm: another query on the same page (with one throttled query there is none to type).
            assert (row.get("warm_ms") is not None) == (kind == "phone"), (kind, row)
        assert not search[kind]["page_errors"]
    assert only["browser"]["lunr"]["cold_ms_median"] is not None
    assert only["serve"]["rebuild_seconds_median"] is not None and only["serve"]["builds_per_edit_max"] >= 1
    # Every budget that applies at any N found its figure; the report shows each query.
    for budget in results["budgets"]:
        if "N = 1,000" not in budget["limit"] and "N = 5,000" not in budget["limit"]:
            assert budget["met"] is not None, budget
    markdown = (tmp_path / "out" / "results.md").read_text(encoding="utf-8")
    assert "| protección |" in markdown and "| trata |" in markdown
    assert "a new file cost the disk" in markdown
    assert not list((tmp_path / "work").iterdir())  # the throwaway copy is gone, and what the kept run left


def test_the_probe_deletes_nothing_it_wrote_into_the_caller_s_folder(tmp_path: Path) -> None:
    """The bench deletes the probe's output only after all of its timings: on a file system without a
    journal, files deleted in the last minutes slow down every file created (bench.probe)."""
    from bench.probe import measure

    data = measure(REPO / "catalog", 1, tmp_path)
    assert data["pages"] > 0 and len(data["generate_seconds"]) == 1 and data["create_file_us"][0] > 0
    written = {p.name.split("-")[2] for p in tmp_path.iterdir()}
    assert written == {"create", "docs", "qr", "site"}, written
    assert len(list(tmp_path.glob("rcmkb-bench-docs-*/catalogo/*.md"))) > 10


# --- the support shared with the tests -------------------------------------------------------------


def test_local_server_compresses_like_a_host_and_logs_every_response(tmp_path: Path) -> None:
    import gzip
    import urllib.error
    import urllib.request

    from bench.support import ByteLog, serve

    site = tmp_path / "site"
    (site / "catalogo").mkdir(parents=True)
    (site / "catalogo" / "index.html").write_text("<p>" + "ficha " * 500 + "</p>", encoding="utf-8")
    (site / "404.html").write_text("<h1>No encontrada</h1>", encoding="utf-8")
    (tmp_path / "sub").symlink_to(site, target_is_directory=True)  # a site served under /repo/, as on a host
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    log = ByteLog()
    with serve(tmp_path / "sub", log) as base:
        request = urllib.request.Request(base + "catalogo/", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            body = response.read()
            assert response.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(body).startswith(b"<p>ficha")
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(base + "catalogo/nada/sitemap.xml")
        assert missing.value.code == 404 and b"No encontrada" in missing.value.read()
        with pytest.raises(urllib.error.HTTPError) as outside:
            urllib.request.urlopen(base + "../secret.txt")
        assert b"outside" not in outside.value.read()  # never a file outside the served folder
        with urllib.request.urlopen(base + "catalogo") as redirected:  # a folder without its slash
            assert redirected.url == base + "catalogo/"
    sent = log.since(0)
    assert [(s.path, s.status) for s in sent[:2]] == [("/catalogo/", 200), ("/catalogo/nada/sitemap.xml", 404)]
    assert sent[0].body_bytes == len(body) < sent[0].raw_bytes


def test_local_server_caches_and_revalidates_like_github_pages(tmp_path: Path) -> None:
    import os
    import urllib.error
    import urllib.request

    from bench.support import GITHUB_PAGES_CACHE, ByteLog, serve

    page = tmp_path / "index.html"
    page.write_text("<p>una</p>", encoding="utf-8")
    log = ByteLog()

    def logged(count: int) -> None:
        # The server thread logs a request once it has sent it, which may be just after the client has
        # read it: wait for each one, so the log is in the order of the requests.
        deadline = time.monotonic() + 10
        while len(log.since(0)) < count and time.monotonic() < deadline:
            time.sleep(0.02)

    with serve(tmp_path, log, GITHUB_PAGES_CACHE) as base:
        with urllib.request.urlopen(base) as response:
            assert response.headers["Cache-Control"] == "max-age=600"
            etag, modified = response.headers["ETag"], response.headers["Last-Modified"]
        assert etag and modified
        logged(1)
        for count, validators in enumerate(({"If-None-Match": etag}, {"If-Modified-Since": modified}), start=2):
            with pytest.raises(urllib.error.HTTPError) as unchanged:
                urllib.request.urlopen(urllib.request.Request(base, headers=validators))
            assert unchanged.value.code == 304 and unchanged.value.read() == b""
            logged(count)
        # Rewritten with the same size and time (as reproducible builds do): a new ETag, the new text.
        stat = page.stat()
        page.write_text("<p>otra</p>", encoding="utf-8")
        os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        with urllib.request.urlopen(urllib.request.Request(base, headers={"If-None-Match": etag})) as response:
            assert response.status == 200 and response.read() == b"<p>otra</p>" and response.headers["ETag"] != etag
        logged(4)
    assert [s.status for s in log.since(0)] == [200, 304, 304, 200]
    assert log.since(0)[1].body_bytes == 0


# A page with a search box on our UI's selectors, and the script that makes it answer (below).
BOX_PAGE_HEAD = """<!doctype html><html lang="es"><meta charset="utf-8"><title>t</title>
<div class="rcm-search"><input class="rcm-search__input" type="search"></div>
<div data-rcm-results hidden></div>
<script>
const input = document.querySelector("input"), results = document.querySelector("[data-rcm-results]");
"""


# A search box that keeps the contract of our search UI: it renders one result per typed character,
# DEBOUNCE_MS after the last keystroke, and a "see all results" link.
DEBOUNCE_MS = 300
CONTRACT_PAGE = BOX_PAGE_HEAD + """let timer;
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => {
    results.hidden = !input.value;
    results.innerHTML = [...input.value].map(c => `<a data-rcm-result href="#">${c} result</a>`).join("")
      + (input.value ? '<a data-rcm-all-results href="#">all</a>' : "");
  }, DEBOUNCE);
});
</script>""".replace("DEBOUNCE", str(DEBOUNCE_MS))


@pytest.mark.browser
def test_search_is_timed_from_the_last_keystroke_on_the_contract_selectors(tmp_path: Path) -> None:
    from bench import browser
    from bench.support import ByteLog, chromium, serve

    (tmp_path / "index.html").write_text(CONTRACT_PAGE, encoding="utf-8")
    queries = ("repatriacion", "orr")
    log = ByteLog()
    with chromium() as launched, serve(tmp_path, log) as base:
        measured = browser.search_timings(launched, base, log, queries, browser.OURS, browser.PAGEFIND_COMPONENT_UI)
        # A JavaScript error is an error, never "no result": here, a site without Pagefind's bundle.
        from playwright.sync_api import Error as PlaywrightError

        with pytest.raises(PlaywrightError):
            browser.pagefind_counts(launched, base, queries)
    rows = {r["query"]: r for r in measured["per_query"]}
    for query in queries:
        row = rows[query]
        assert row["ui"] == "ours" and row["all_results_link"] is True
        # From the last key: at least the debounce, and far less than the time spent typing the query too.
        for key in ("cold_ms", "warm_ms"):
            assert DEBOUNCE_MS <= row[key] < DEBOUNCE_MS + 600, (query, key, row)
    assert rows["repatriacion"]["elements"] == len("repatriacion") and rows["orr"]["warm_elements"] == 3
    assert measured["elements_max"] == len("repatriacion") and measured["viewport"] == "390x844"
    assert not measured["page_errors"]


# A box that answers every keystroke, each text's results LATE_MS after it was typed, and says which
# text its results answer (data-rcm-query, as ours does): the results of the text before the last
# key arrive after that key, and must not be taken for the officer's results.
LATE_MS = 500
LATE_PAGE = BOX_PAGE_HEAD + """input.addEventListener("input", () => {
  const text = input.value;
  setTimeout(() => {
    results.hidden = !text;
    results.setAttribute("data-rcm-query", text);
    results.innerHTML = text ? `<a data-rcm-result href="#">${text} result</a>` : "";
  }, LATE);
});
</script>""".replace("LATE", str(LATE_MS))


@pytest.mark.browser
def test_results_of_a_prefix_shown_after_the_last_keystroke_are_not_counted(tmp_path: Path) -> None:
    from bench import browser
    from bench.support import ByteLog, chromium, serve

    assert browser.KEY_DELAY_MS < LATE_MS  # so the prefix's results land after the last key
    (tmp_path / "index.html").write_text(LATE_PAGE, encoding="utf-8")
    log = ByteLog()
    with chromium() as launched, serve(tmp_path, log) as base:
        measured = browser.search_timings(launched, base, log, ("orr", "trata"), browser.OURS)
    for row in measured["per_query"]:
        for key in ("cold_ms", "warm_ms"):
            assert LATE_MS <= row[key] < LATE_MS + 300, (key, row)
