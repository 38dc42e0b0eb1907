"""The generator: golden pages, both languages, and writing only what changed."""

from __future__ import annotations

import datetime as dt
import html
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import valid_entry
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
    assert third.removed == 4  # both languages, and its QR code for each
    assert not (docs / "catalogo" / "qr" / "sample-handbook-2021.svg").exists()
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


def test_pages_made_in_two_processes_are_the_same_bytes(sample: Path) -> None:
    from rcmkb.model import build_model
    from rcmkb.render import PageRenderer
    from rcmkb.routes import qr_file
    from rcmkb.validate import validate

    catalog, findings = validate(sample, today=TODAY)
    assert not findings.errors
    renderer = PageRenderer(build_model(catalog), TODAY, "https://rcm.example.org/")
    one_process = renderer.files(parallel=False)
    two_processes = PageRenderer(build_model(catalog), TODAY, "https://rcm.example.org/").files(parallel=True)
    assert list(two_processes) == list(one_process)  # the same files, in the same order
    assert two_processes == one_process
    assert any(name.endswith(".en.md") for name in two_processes)  # the child's half came back
    assert qr_file("sample-handbook-2021", "en") in two_processes


@pytest.fixture
def two_processes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Generation takes the two-process way even for a small catalog; each language's rendering
    leaves a note naming the process that made it (the returned folder)."""
    from rcmkb import render
    from rcmkb.forked import can_fork

    assert can_fork(), "this test needs two cores and no other thread"
    monkeypatch.setattr(render, "PARALLEL_MIN_ENTRIES", 0)
    notes = tmp_path / "made-by"
    notes.mkdir()
    original = render.PageRenderer.language_files

    def noted(self: render.PageRenderer, lang: str, skip: frozenset[str] = frozenset()) -> dict[str, bytes]:
        (notes / f"{lang}-{os.getpid()}").touch()
        return original(self, lang, skip)

    monkeypatch.setattr(render.PageRenderer, "language_files", noted)
    return notes


def _folder(docs: Path) -> dict[str, bytes]:
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


def _manifest_without_times(docs: Path) -> dict[str, dict[str, object]]:
    import json

    files = json.loads((docs / "catalogo" / ".rcmkb-manifest.json").read_text(encoding="utf-8"))["files"]
    return {name: {k: v for k, v in item.items() if k != "mtime_ns"} for name, item in files.items()}


def test_each_language_is_made_and_written_by_its_own_process(sample: Path, tmp_path: Path,
                                                              two_processes: Path) -> None:
    from rcmkb import render

    both = tmp_path / "two" / "docs"
    result = generate_site_pages(sample, both, TODAY)
    made_by = {note.name.split("-")[0]: note.name.split("-")[1] for note in two_processes.iterdir()}
    assert set(made_by) == {"es", "en"} and made_by["es"] != made_by["en"]
    assert made_by["es"] == str(os.getpid())
    with pytest.MonkeyPatch.context() as undo:
        undo.setattr(render, "PARALLEL_MIN_ENTRIES", 10**9)
        one = tmp_path / "one" / "docs"
        generate_site_pages(sample, one, TODAY)
    assert _folder(both).keys() == _folder(one).keys()
    assert {k: v for k, v in _folder(both).items() if not k.endswith("manifest.json")} == \
        {k: v for k, v in _folder(one).items() if not k.endswith("manifest.json")}
    assert _manifest_without_times(both) == _manifest_without_times(one)
    assert result.written == len(_manifest_without_times(one)) and result.unchanged == 0
    again = generate_site_pages(sample, both, TODAY)
    assert (again.written, again.unchanged) == (0, result.written)  # the second run writes nothing


def test_a_rendering_error_in_the_second_process_writes_nothing(sample: Path, tmp_path: Path, two_processes: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from rcmkb import render

    noted = render.PageRenderer.language_files

    def broken(self: render.PageRenderer, lang: str, skip: frozenset[str] = frozenset()) -> dict[str, bytes]:
        if lang == "en":
            raise ValueError("a template error in English")
        return noted(self, lang, skip)

    monkeypatch.setattr(render.PageRenderer, "language_files", broken)
    docs = tmp_path / "docs"
    with pytest.raises(ValueError, match="a template error in English"):
        generate_site_pages(sample, docs, TODAY)
    assert not (docs / "catalogo").exists() or _folder(docs) == {}
    assert [note.name.split("-")[0] for note in two_processes.iterdir()] == ["es"]  # Spanish was rendered


def test_a_hand_written_file_stops_two_process_generation_too(sample: Path, tmp_path: Path,
                                                              two_processes: Path) -> None:
    from rcmkb.generate import GenerationError

    docs = tmp_path / "docs"
    generate_site_pages(sample, docs, TODAY)
    note = docs / "catalogo" / "notas.md"
    note.write_text("# Notas\n", encoding="utf-8")
    before = _folder(docs)
    with pytest.raises(GenerationError, match="did not write"):
        generate_site_pages(sample, docs, TODAY)
    assert _folder(docs) == before
