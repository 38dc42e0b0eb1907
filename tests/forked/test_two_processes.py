"""The generator's two-process path (rcmkb/forked.py): the same pages, findings and files as one process.

Collected only in a fresh pytest started by test_generate.py (see FORKED_CASES in conftest.py): the
generator refuses to fork a process that has other threads, and the main session has a web server
and a browser in threads. A one-core machine takes the two-process path here too (`two_cores`):
what is tested is that it gives the same result, not that it is faster.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rcmkb.generate import generate_site_pages
from test_generate import DECISION, NEWER, OLDER, TODAY


@pytest.fixture(autouse=True)
def two_cores(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from rcmkb import forked

    real = forked.usable_cores()
    monkeypatch.setattr(forked, "usable_cores", lambda: max(real, 2))
    yield


@pytest.fixture
def sample(make_catalog: Callable[..., Path]) -> Path:
    return make_catalog(entries={"sample-guideline-2016": OLDER, "sample-handbook-2021": NEWER},
                        decisions={"sample-declaration": DECISION})


def test_pages_made_in_two_processes_are_the_same_bytes(sample: Path) -> None:
    from rcmkb.model import build_model
    from rcmkb.render import PageRenderer
    from rcmkb.validate import validate

    catalog, findings = validate(sample, today=TODAY)
    assert not findings.errors
    renderer = PageRenderer(build_model(catalog), TODAY, "https://rcm.example.org/")
    one_process = renderer.files(parallel=False)
    two_processes = PageRenderer(build_model(catalog), TODAY, "https://rcm.example.org/").files(parallel=True)
    assert list(two_processes) == list(one_process)  # the same files, in the same order
    assert two_processes == one_process
    assert any(name.endswith(".en.md") for name in two_processes)  # the child's half came back
    assert "sample-handbook-2021.en.md" in two_processes


@pytest.fixture
def two_processes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Generation takes the two-process way even for a small catalog; each language's rendering
    leaves a note naming the process that made it (the returned folder)."""
    from rcmkb import forked, render
    from rcmkb.forked import can_fork

    assert can_fork(), "this test needs a process with no other thread"
    monkeypatch.setattr(forked, "PARALLEL_MIN", 0)
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
    from rcmkb import forked

    both = tmp_path / "two" / "docs"
    result = generate_site_pages(sample, both, TODAY)
    made_by = {note.name.split("-")[0]: note.name.split("-")[1] for note in two_processes.iterdir()}
    assert set(made_by) == {"es", "en"} and made_by["es"] != made_by["en"]
    assert made_by["es"] == str(os.getpid())
    with pytest.MonkeyPatch.context() as undo:
        undo.setattr(forked, "PARALLEL_MIN", 10**9)
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


def test_a_catalog_loaded_and_checked_in_two_processes_reports_the_same_problems_in_the_same_order(
        make_catalog: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from conftest import valid_entry
    from rcmkb import forked
    from rcmkb.forked import can_fork
    from rcmkb.validate import validate

    entries = {f"sample-entry-{n:02d}": valid_entry(f"sample-entry-{n:02d}") for n in range(8)}
    entries["sample-entry-01"] = "id: [unclosed\n"  # in the first half
    entries["sample-entry-06"] = "id: sample-entry-06\nid: twice\n"  # in the second half
    entries["sample-entry-07"] = valid_entry("sample-entry-07", year="year: 1700")
    # Text rules (run by the child) and schema-based rules (run here), in both halves.
    entries["sample-entry-02"] = valid_entry("sample-entry-02", title="title:\n  es: Guía <b>x</b>\n  en: Sample")
    entries["sample-entry-03"] = valid_entry("sample-entry-03", type="type: handbok")
    entries["sample-entry-04"] = valid_entry("sample-entry-04", summary="summary:\n  es: \"\\u200b\"\n  en: A.")
    root = make_catalog(entries=entries)
    (root / "entries" / "sample-entry-05.yml").rename(root / "entries" / "sample-entry-05.yaml")
    today = dt.date(2026, 11, 28)

    monkeypatch.setattr(forked, "PARALLEL_MIN", 10**9)
    one_catalog, one = validate(root, today=today)
    assert can_fork(), "this test needs a process with no other thread"
    monkeypatch.setattr(forked, "PARALLEL_MIN", 0)
    two_catalog, two = validate(root, today=today)

    assert [f.format() for f in two.items] == [f.format() for f in one.items]
    assert {"yaml-syntax", "duplicate-key", "file-name", "markup-in-text", "blank-text", "unknown-term",
            "implausible-date"} <= {f.rule for f in two.items}
    assert list(two_catalog.entries) == list(one_catalog.entries)
    for stem, doc in one_catalog.entries.items():
        other = two_catalog.entries[stem]
        assert (other.data, other.value_positions, other.key_positions) == \
            (doc.data, doc.value_positions, doc.key_positions)
