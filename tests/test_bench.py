"""The benchmark's own parts: synthetic catalogs that validate, stock configs, and the reports.

No timing is asserted here: `make bench` prints and records figures, tests only check that the
machinery produces valid input and readable output.
"""

from __future__ import annotations

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
                    "cold_view_ours": {"bytes": 86_000, "raw_bytes": 500_000, "requests": 12, "not_found": []},
                    "cold_view_baseline": {"bytes": 100_000 * scale, "raw_bytes": 1, "requests": 16,
                                           "not_found": []},
                    "pagefind": {"bytes_median": 190_000, "latency_ms_median": 250.0,
                                 "warm_latency_ms_median": 90.0},
                    "lunr": {"bytes_median": 90_000 * scale, "latency_ms_median": 200.0,
                             "warm_latency_ms_median": 100.0}},
        "serve": {"startup_seconds": 9.0, "rebuild_seconds": [6.5], "rebuild_seconds_median": 6.5,
                  "builds_per_edit": [2], "peak_mb": 120.0},
    }


def _fake_results() -> dict:
    return report.finish({
        "generated_at": "2026-11-28T03:00:00+00:00", "quick": False, "sizes": [100, 1000, 5000], "commit": "abc1234",
        "machine": {"cpus": 2, "platform": "Linux", "load_average_start": [1.0, 1.0, 1.0],
                    "load_average_end": [2.0, 2.0, 2.0]},
        "versions": {"python": "3.11", "mkdocs": "1.6.1"}, "total_seconds": 900.0,
        "runs": [_fake_run(100, 1), _fake_run(1000, 8), _fake_run(5000, 45)],
    })


def test_reports_hold_a_table_per_n_growth_and_budgets(tmp_path: Path) -> None:
    results = _fake_results()
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
    assert budgets["Serve rebuild after one edit"]["met"] is False
    assert "**missed**" in markdown
    ET.fromstring((tmp_path / "bench" / "chart.svg").read_text(encoding="utf-8"))  # well-formed SVG
    assert "<polyline" in (tmp_path / "bench" / "chart.svg").read_text(encoding="utf-8")


def test_readme_section_is_replaced_not_repeated(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Project\n\nIntro.\n", encoding="utf-8")
    results = _fake_results()
    report.update_readme(readme, results)
    report.update_readme(readme, results)
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# Project\n\nIntro.\n")
    assert text.count("## Benchmark") == 1 and text.count(report.README_START) == 1
    assert "| N entries | 100 | 1,000 | 5,000 |" in text
