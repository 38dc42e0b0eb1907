"""The generator: golden pages, both languages, and writing only what changed."""

from __future__ import annotations

import datetime as dt
import html
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import FORKED_CASES, REPO, valid_entry
from rcmkb.generate import generate_site_pages, render_pages, source_of_built_file

GOLDEN = Path(__file__).parent / "golden"
TODAY = dt.date(2026, 11, 28)

NEWER = valid_entry(
    "sample-handbook-2021",
    title="title:\n  es: Manual de muestra\n  en: Sample handbook",
    title_unofficial="title_unofficial: [en]",
    summary="summary:\n  es: Reemplaza la guía de 2016 (versión revisada).\n  en: Replaces the 2016 guideline.",
    type="type: handbook",
    organizations="organizations: [unhcr, iom]",
    year="year: 2021",
    links=("links:\n  - url: https://example.org/copy\n    kind: copy\n    language: es\n"
           "    format: pdf\n    pages: 57\n"
           "  - url: https://www.unhcr.org/handbook\n    kind: official\n    language: en\n"
           "    label:\n      es: Página del ACNUR\n      en: UNHCR page"),
) + "supersedes: [sample-guideline-2016]\nadopted_by: [sample-declaration]\n"
OLDER = valid_entry(status="status: superseded")
DECISION = """\
id: sample-declaration
kind: declaration
title:
  es: Declaración de muestra
  en: Sample declaration
date: "2016-11-18"
summary:
  es: Aprobó el manual.
  en: Approved the handbook.
"""


@pytest.fixture
def sample(make_catalog: Callable[..., Path]) -> Path:
    return make_catalog(entries={"sample-guideline-2016": OLDER, "sample-handbook-2021": NEWER},
                        decisions={"sample-declaration": DECISION})


@pytest.mark.parametrize("page", [
    "sample-handbook-2021.md", "sample-handbook-2021.en.md",
    "sample-guideline-2016.md", "tema/best-interests.en.md", "decisiones/sample-declaration.md",
])
def test_golden_pages(sample: Path, page: str) -> None:
    pages = render_pages(sample, TODAY)
    golden = GOLDEN / page.replace("/", "__")
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(pages[page], encoding="utf-8")
    assert pages[page] == golden.read_text(encoding="utf-8")


def test_every_page_exists_in_both_languages(sample: Path) -> None:
    pages = render_pages(sample, TODAY)
    spanish = {p for p in pages if not p.endswith(".en.md")}
    english = {p.replace(".en.md", ".md") for p in pages if p.endswith(".en.md")}
    assert spanish == english
    assert {"index.md", "sample-handbook-2021.md", "tipo/handbook.md", "pais/index.md", "mandatos.md",
            "glosario.md", "pendientes.md"} <= spanish


def test_no_page_shows_the_renderer_s_link_marks() -> None:
    """Listing lines and link lists are rendered once with a mark where each link goes, and each page
    puts its own links in (render._with_marks): a mark left behind would show as a stray character
    or a dead link. The real catalog's pages, in both languages, listings and entry pages alike."""
    pages = render_pages(REPO / "catalog")  # the session's day (conftest), after every catalog date
    assert any(name.startswith("tema/") for name in pages) and any(name.endswith(".en.md") for name in pages)
    left = [name for name, page in pages.items() if "\x00" in page or "\x1f" in page]
    assert not left, left[:5]
    # The same line, listed at two depths, links to the entry from each.
    line_link = 'href="{}acnur-arrancados-de-raiz-2014/"'
    assert line_link.format("../../") in pages["tema/best-interests.md"]
    assert line_link.format("../../../") in pages["pais/sv/origin.md"]
    assert line_link.format("../../../") in pages["pais/sv/origin.en.md"]
    # The same term list, printed on two entry pages.
    assert "](tema/best-interests.md)" in pages["acnur-arrancados-de-raiz-2014.en.md"]


def test_lineage_is_derived_in_both_directions(sample: Path) -> None:
    pages = render_pages(sample, TODAY)
    assert "Reemplazado por:** [Manual de muestra](sample-handbook-2021.md)" in pages["sample-guideline-2016.md"]
    assert "Replaces:** [Sample guideline](sample-guideline-2016.md)" in pages["sample-handbook-2021.en.md"]


def test_official_links_come_before_copies_and_copies_are_labelled(sample: Path) -> None:
    page = html.unescape(render_pages(sample, TODAY)["sample-handbook-2021.en.md"])
    assert page.index("https://www.unhcr.org/handbook") < page.index("https://example.org/copy")
    assert "Unofficial copy on a third-party site; the official source is being sought" in page


def test_unofficial_title_is_flagged_with_the_seen_title(sample: Path) -> None:
    pages = render_pages(sample, TODAY)
    assert "Unofficial translation of the title" in pages["sample-handbook-2021.en.md"]
    assert '<span lang="es">Manual de muestra</span>' in pages["sample-handbook-2021.en.md"]
    assert "no oficial del título" not in pages["sample-handbook-2021.md"]  # the Spanish title is official


def test_second_run_writes_nothing_and_stale_pages_go(sample: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    first = generate_site_pages(sample, docs, TODAY)
    assert first.written > 10 and first.removed == 0
    page = docs / "catalogo" / "sample-guideline-2016.md"
    before = page.stat().st_mtime_ns
    second = generate_site_pages(sample, docs, TODAY)
    assert (second.written, second.removed) == (0, 0)
    assert page.stat().st_mtime_ns == before  # untouched: `mkdocs serve` does not loop

    (sample / "entries" / "sample-handbook-2021.yml").unlink()
    third = generate_site_pages(sample, docs, TODAY)
    assert not (docs / "catalogo" / "sample-handbook-2021.md").exists()
    assert third.removed == 2  # both languages
    assert not (docs / "catalogo" / "sample-handbook-2021.en.md").exists()
    assert (docs / "catalogo" / "sample-guideline-2016.md").exists()


def test_hand_written_pages_are_never_touched(sample: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Inicio\n", encoding="utf-8")
    generate_site_pages(sample, docs, TODAY)
    assert (docs / "index.md").read_text(encoding="utf-8") == "# Inicio\n"


def test_each_built_page_names_the_catalog_file_it_comes_from(sample: Path, tmp_path: Path) -> None:
    """What check-links needs to blame a broken link on the file a maintainer can fix."""
    docs = tmp_path / "docs"
    generate_site_pages(sample, docs, TODAY)

    def source(site_file: str) -> tuple[str, int] | None:
        found = source_of_built_file(site_file, docs)
        return (Path(found.file).relative_to(sample.name).as_posix(), found.line) if found else None

    assert source("catalogo/sample-guideline-2016/index.html") == ("entries/sample-guideline-2016.yml", 1)
    assert source("en/catalogo/sample-guideline-2016/index.html") == ("entries/sample-guideline-2016.yml", 1)
    file, line = source("en/catalogo/tema/best-interests/index.html") or ("", 0)
    assert file == "vocab/themes.yml" and line > 1  # the term's own line
    assert source("catalogo/folleto/best-interests/index.html") == (file, line)
    assert source("acerca/index.html") is None  # hand-written: not the generator's


def test_two_process_generation_behaves_in_a_process_with_no_other_thread() -> None:
    """The two-process cases (tests/forked/) run in a fresh pytest: this session has a web server
    and a browser in other threads, and the generator never forks a process that has threads."""
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/forked"],
                            cwd=REPO, env={**os.environ, FORKED_CASES: "1"}, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout, result.stdout[-2000:]


def test_relative_links_are_what_posixpath_relpath_gives() -> None:
    """Links between pages are worked out in strings only; they must be relpath's, page for page."""
    import itertools
    import posixpath

    from rcmkb.routes import _relpath

    paths = [".", "catalogo", "catalogo/tipo", "catalogo/tipo/guideline", "en/catalogo/x", "t/x/es", "assets/a.css",
             "catalogo/x.md", "en", "catalogo/pais/bz/trafficking", "./catalogo/y", "catalogo/../t/z", "a//b"]
    for path, start in itertools.product(paths, repeat=2):
        assert _relpath(path, start) == posixpath.relpath(path, start), (path, start)
