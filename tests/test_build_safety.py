"""Nothing lost: a failed build leaves site/ as it was, the generator never deletes a hand-written
file, and the same catalog always builds the same bytes (timestamps included)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import copy_repo, valid_entry
from rcmkb import build
from rcmkb.build import BuildError, build_site
from rcmkb.generate import GenerationError, generate_site_pages

pytestmark = pytest.mark.build

RCMKB = str(Path(sys.executable).parent / "rcmkb")
Snapshot = dict[str, tuple[str, int, int]]


def snapshot(root: Path) -> Snapshot:
    """Every file and folder under root: content hash (or 'dir'), modification time in ns, permissions."""
    found: Snapshot = {".": ("dir", root.stat().st_mtime_ns, root.stat().st_mode)}
    for path in sorted(root.rglob("*")):
        status = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        found[path.relative_to(root).as_posix()] = (digest, status.st_mtime_ns, status.st_mode)
    return found


def leftovers(repo: Path) -> list[str]:
    """Staging folders a build would leave beside site/ if it did not clean up."""
    return sorted(p.name for p in repo.iterdir() if p.name.startswith(".site-"))


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the repository with a good site/ built once; each test breaks something and repairs it."""
    root = copy_repo(tmp_path_factory.mktemp("safety") / "repo")
    build_site(root, root / "site", search=False)
    yield root


def test_a_catalog_error_leaves_the_previous_site_intact(repo: Path) -> None:
    before = snapshot(repo / "site")
    broken = repo / "catalog" / "entries" / "broken-entry-2016.yml"
    broken.write_text(valid_entry("broken-entry-2016", themes="themes: [best-interest]"), encoding="utf-8")
    try:
        completed = subprocess.run([RCMKB, "build"], cwd=repo, capture_output=True, text=True)
    finally:
        broken.unlink()
    assert completed.returncode == 1
    assert "broken-entry-2016.yml:" in completed.stderr and "[unknown-term]" in completed.stderr
    assert "site/ left as it was" in completed.stderr
    assert snapshot(repo / "site") == before
    assert leftovers(repo) == []


def test_a_mkdocs_failure_leaves_the_previous_site_intact(repo: Path) -> None:
    """A broken link in a hand-written page fails MkDocs' strict build, after the staging folder exists."""
    before = snapshot(repo / "site")
    page = repo / "docs" / "acerca.md"
    original = page.read_bytes()
    page.write_bytes(original + "\n[Página que no existe](no-existe.md)\n".encode())
    try:
        with pytest.raises(BuildError, match="MkDocs failed"):
            build_site(repo, repo / "site", search=False)
    finally:
        page.write_bytes(original)
    assert snapshot(repo / "site") == before
    assert leftovers(repo) == []


def test_a_failing_post_build_step_leaves_the_previous_site_intact(repo: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(repo / "site")

    def half_done(site_dir: Path, model: object, base: str) -> None:
        (site_dir / "index.html").write_text("half-written", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(build, "POST_BUILD_STEPS", [*build.POST_BUILD_STEPS, ("exports", half_done)])
    with pytest.raises(BuildError, match="exports failed: disk full"):
        build_site(repo, repo / "site", search=False)
    assert snapshot(repo / "site") == before
    assert leftovers(repo) == []


def test_a_hand_written_file_in_the_generated_folder_stops_the_build(repo: Path) -> None:
    before = snapshot(repo / "site")
    generated = repo / "docs" / "catalogo"
    note = generated / "notas.md"
    note.write_text("# Notas de la reunión\n", encoding="utf-8")
    docs_before = snapshot(repo / "docs")
    try:
        completed = subprocess.run([RCMKB, "build"], cwd=repo, capture_output=True, text=True)
        assert completed.returncode == 1
        assert "docs/catalogo/notas.md:1:1: error [generated-folder]" in completed.stderr
        assert "nothing was deleted" in completed.stderr
        assert snapshot(repo / "docs") == docs_before  # no page written, none removed
        assert snapshot(repo / "site") == before
    finally:
        note.unlink()


@pytest.fixture
def generated(make_catalog: Callable[..., Path], tmp_path: Path) -> tuple[Path, Path]:
    catalog = make_catalog(entries={"sample-guideline-2016": valid_entry(),
                                    "other-guideline-2017": valid_entry("other-guideline-2017")})
    docs = tmp_path / "docs"
    generate_site_pages(catalog, docs)
    return catalog, docs


def test_the_generator_deletes_nothing_it_did_not_write(generated: tuple[Path, Path]) -> None:
    """Even when it would remove stale pages (an entry was deleted), a foreign file stops it first."""
    catalog, docs = generated
    (docs / "catalogo" / "notas.md").write_text("# Notas\n", encoding="utf-8")
    (docs / "catalogo" / "tema" / "borrador.en.md").write_text("# Draft\n", encoding="utf-8")
    (catalog / "entries" / "other-guideline-2017.yml").unlink()  # its two pages are now stale
    before = snapshot(docs)

    with pytest.raises(GenerationError) as raised:
        generate_site_pages(catalog, docs)
    reported = sorted((Path(f.path).name, f.rule) for f in raised.value.findings.items)
    assert reported == [("borrador.en.md", "generated-folder"), ("notas.md", "generated-folder")]
    assert snapshot(docs) == before  # the stale pages too: nothing is removed while a problem stands


def test_the_generator_keeps_a_hand_edited_page(generated: tuple[Path, Path]) -> None:
    catalog, docs = generated
    page = docs / "catalogo" / "sample-guideline-2016.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nUna nota añadida a mano.\n", encoding="utf-8")
    (catalog / "entries" / "sample-guideline-2016.yml").write_text(
        valid_entry(summary="summary:\n  es: Otro resumen.\n  en: Another summary."), encoding="utf-8")
    before = snapshot(docs)
    with pytest.raises(GenerationError) as raised:
        generate_site_pages(catalog, docs)
    (finding,) = raised.value.findings.items
    assert finding.rule == "generated-folder" and "edited by hand" in finding.message
    assert snapshot(docs) == before


def test_the_generate_command_explains_and_exits_1(generated: tuple[Path, Path], tmp_path: Path) -> None:
    catalog, docs = generated
    (docs / "catalogo" / "notas.md").write_text("# Notas\n", encoding="utf-8")
    completed = subprocess.run([RCMKB, "generate", "--catalog-dir", str(catalog), "--docs-dir", str(docs)],
                               capture_output=True, text=True, cwd=tmp_path)
    assert completed.returncode == 1
    assert "docs/catalogo/notas.md:1:1: error [generated-folder]" in completed.stderr
    assert (docs / "catalogo" / "notas.md").read_text(encoding="utf-8") == "# Notas\n"


def test_two_builds_are_byte_identical_timestamps_included(tmp_path: Path) -> None:
    """The same catalog gives the same site: every file's bytes and mtime, search index and sitemap included."""
    repo = copy_repo(tmp_path / "repo")
    first = build_site(repo, tmp_path / "first" / "site")
    second = build_site(repo, tmp_path / "second" / "site")
    a, b = snapshot(first), snapshot(second)
    assert len(a) > 100 and "pagefind" in a and "sitemap.xml.gz" in a
    assert sorted(set(a) ^ set(b)) == []
    different = sorted(path for path in a if a[path] != b[path])
    assert different == [], different[:20]
