"""Nothing lost: a failed build leaves site/ as it was, the generator never deletes a hand-written
file, and the same catalog always builds the same bytes (timestamps included)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import stat
import subprocess
import sys
import time
import zipfile
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
    previous = os.umask(0o077)  # a strict umask must not make the site unreadable to the web server
    try:
        build_site(root, root / "site", search=False)
    finally:
        os.umask(previous)
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
    """The same catalog gives the same site: every file's bytes and mtime, sitemap and search fragments and
    word index included.

    Except Pagefind's filter and metadata indexes: with more than one filter (kind, country) Pagefind 1.5
    writes them in hash-map order, so their bytes and hashed names change from run to run (upstream:
    Pagefind/pagefind#638, "other files will still change, such as the filter/metadata indexes"). The
    entry file names those. Everything else, the bulk of the index, must not move."""
    repo = copy_repo(tmp_path / "repo")
    first = build_site(repo, tmp_path / "first" / "site")
    second = build_site(repo, tmp_path / "second" / "site")
    a, b = snapshot(first), snapshot(second)
    assert len(a) > 100 and "pagefind" in a and "sitemap.xml.gz" in a
    assert any(path.startswith("pagefind/fragment/") for path in a)
    assert any(path.startswith("pagefind/index/") for path in a)

    def unordered(path: str) -> bool:
        return (path.startswith("pagefind/filter/") or path.endswith(".pf_meta")
                or path == "pagefind/pagefind-entry.json")

    assert sorted((set(a) ^ set(b)) - {p for p in set(a) ^ set(b) if unordered(p)}) == []
    different = sorted(path for path in a if path in b and a[path] != b[path] and not unordered(path))
    assert different == [], different[:20]
    # The unordered files are the same in number: one filter index per filter and language, one meta per language.
    assert sum(map(unordered, a)) == sum(map(unordered, b))


# --- Issue 12: nothing outside its folder deleted or published; usual permissions; interruptions --


def test_the_site_is_readable_by_a_web_server_whatever_the_umask(repo: Path) -> None:
    """Built under umask 077 (the fixture): a server running as another user still reads every file."""
    modes = {stat.S_IMODE(p.stat().st_mode) for p in (repo / "site").rglob("*") if p.is_dir()}
    modes.add(stat.S_IMODE((repo / "site").stat().st_mode))
    assert modes == {0o755}
    assert {stat.S_IMODE(p.stat().st_mode) for p in (repo / "site").rglob("*") if p.is_file()} == {0o644}


def test_the_offline_zip_is_shared_with_usual_permissions(tmp_path: Path) -> None:
    from rcmkb.offline import zip_folder

    (tmp_path / "site" / "a").mkdir(parents=True)
    (tmp_path / "site" / "a" / "index.html").write_text("x", encoding="utf-8")
    previous = os.umask(0o077)
    try:
        zip_folder(tmp_path / "site", tmp_path / "dist" / "offline.zip", 0)
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "dist" / "offline.zip").stat().st_mode) == 0o644
    with zipfile.ZipFile(tmp_path / "dist" / "offline.zip") as archive:
        assert {stat.S_IMODE(info.external_attr >> 16) for info in archive.infolist()} == {0o644}


@pytest.mark.parametrize("name", ["../../outside.txt", "ABSOLUTE", "tema/../../outside.txt"])
def test_a_manifest_naming_files_outside_its_folder_deletes_nothing(generated: tuple[Path, Path], tmp_path: Path,
                                                                    name: str) -> None:
    """A committed (or hostile) manifest is not trusted: its outside paths are reported, never deleted."""
    catalog, docs = generated
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me", encoding="utf-8")
    name = str(outside) if name == "ABSOLUTE" else name
    manifest_path = docs / "catalogo" / ".rcmkb-manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"][name] = {"sha256": hashlib.sha256(b"keep me").hexdigest()}
    manifest_path.write_text(json.dumps(manifest, indent=0), encoding="utf-8")

    result = generate_site_pages(catalog, docs)
    assert outside.read_text(encoding="utf-8") == "keep me"
    (problem,) = result.problems.items
    assert problem.rule == "generated-manifest" and problem.severity == "warning"
    assert problem.path.endswith(".rcmkb-manifest.json") and problem.line > 1  # the line naming it
    assert "nothing was deleted" in problem.message


def test_a_symlink_in_the_generated_folder_is_never_followed(generated: tuple[Path, Path], tmp_path: Path) -> None:
    catalog, docs = generated
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.md").write_text("keep me", encoding="utf-8")
    (docs / "catalogo" / "enlace").symlink_to(outside, target_is_directory=True)
    manifest_path = docs / "catalogo" / ".rcmkb-manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"]["enlace/x.md"] = {"sha256": "0" * 64}
    manifest_path.write_text(json.dumps(manifest, indent=0), encoding="utf-8")

    with pytest.raises(GenerationError) as raised:
        generate_site_pages(catalog, docs)
    assert [Path(f.path).name for f in raised.value.findings.items] == ["enlace"]
    assert (outside / "x.md").read_text(encoding="utf-8") == "keep me"


def test_a_symlink_under_docs_leading_outside_the_repository_is_refused(repo: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the web", encoding="utf-8")
    link = repo / "docs" / "assets" / "notes.txt"
    link.symlink_to(secret)
    before = snapshot(repo / "site")
    try:
        with pytest.raises(BuildError, match="outside the repository") as refused:
            build_site(repo, repo / "site", search=False)
        assert "docs/assets/notes.txt" in str(refused.value)
    finally:
        link.unlink()
    assert snapshot(repo / "site") == before
    assert leftovers(repo) == []


def _folder_with(path: Path, text: str) -> Path:
    path.mkdir()
    (path / "index.html").write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("failure", [OSError("disk gone"), KeyboardInterrupt()])
def test_a_failure_between_the_two_renames_puts_the_previous_site_back(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch,
                                                                       failure: BaseException) -> None:
    site = _folder_with(tmp_path / "site", "old")
    staging = _folder_with(tmp_path / ".site-new", "new")
    real_replace = os.replace

    def second_rename_fails(source: object, target: object) -> None:
        if Path(str(source)) == staging:
            raise failure
        real_replace(source, target)

    monkeypatch.setattr(build.os, "replace", second_rename_fails)
    with pytest.raises(type(failure)):
        build.swap_in(staging, site)
    monkeypatch.undo()
    assert (site / "index.html").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site-new", "site"]  # no .site-old-* left


def test_a_successful_swap_leaves_only_the_new_site(tmp_path: Path) -> None:
    site = _folder_with(tmp_path / "site", "old")
    build.swap_in(_folder_with(tmp_path / ".site-new", "new"), site)
    assert (site / "index.html").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_build_leaves_the_previous_site_and_no_staging_folder(repo: Path, signum: int) -> None:
    """Stopped while MkDocs runs (the staging folder exists): site/ as it was, nothing left beside it."""
    before = snapshot(repo / "site")
    # As from a terminal: a shell without job control starts background jobs with Ctrl-C ignored,
    # and the child would inherit that (a test run started with `&` would then never stop it).
    child = subprocess.Popen([RCMKB, "build", "--no-search"], cwd=repo, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 60
        while not leftovers(repo) and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert leftovers(repo), "the build never started MkDocs"
        time.sleep(0.5)  # well inside the MkDocs run
        child.send_signal(signum)
        _, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode != 0
    assert snapshot(repo / "site") == before
    assert leftovers(repo) == []
    if signum == signal.SIGTERM:
        assert "interrupted" in stderr or "stopped by signal" in stderr


def test_pages_of_a_run_interrupted_before_its_manifest_are_taken_back(generated: tuple[Path, Path]) -> None:
    """Killed after writing pages but before saving its manifest, the generator recognises its own bytes."""
    catalog, docs = generated
    manifest_path = docs / "catalogo" / ".rcmkb-manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    del manifest["files"]["sample-guideline-2016.md"]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    assert generate_site_pages(catalog, docs).written == 0
    page = docs / "catalogo" / "sample-guideline-2016.md"
    page.write_text(page.read_text(encoding="utf-8")[:100], encoding="utf-8")  # a half-written page is not ours
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    del manifest["files"]["sample-guideline-2016.md"]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(GenerationError):
        generate_site_pages(catalog, docs)


def test_a_build_step_writing_over_a_page_of_mkdocs_fails_and_leaves_the_previous_site(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The site's steps write beside MkDocs, while it runs; their files are moved in afterwards.
    before = snapshot(repo / "site")

    def overwrite(site_dir: Path, model: object, base: str) -> None:
        (site_dir / "index.html").write_text("not the home page", encoding="utf-8")

    monkeypatch.setattr(build, "POST_BUILD_STEPS", [*build.POST_BUILD_STEPS, ("exports", overwrite)])
    with pytest.raises(BuildError, match=r"index\.html is made both by MkDocs and by a build step"):
        build_site(repo, repo / "site", search=False)
    assert snapshot(repo / "site") == before
    assert leftovers(repo) == []
