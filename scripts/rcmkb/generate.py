"""Write the generated pages into docs/catalogo/, touching only what changed.

The generator owns that one folder and keeps a manifest of what it wrote: each file's digest,
size and modification time (so an unchanged file need not be read again) and the catalog file
it was made from (so the link checker can name the file to edit). It never deletes or
overwrites a file it did not write (or that someone edited by hand): it stops and says so.
The manifest is not trusted either: an entry naming a path outside the folder, or a symlink,
is ignored and reported. Writing only changed files matters because `mkdocs serve` rebuilds on
every write, and a generator that always rewrites makes it loop.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import posixpath
import stat
from collections.abc import Iterable, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rcmkb import clock
from rcmkb.findings import Findings
from rcmkb.forked import forked_worker
from rcmkb.gcpause import collector_paused
from rcmkb.model import SiteModel, build_model
from rcmkb.render import LineCache, PageRenderer
from rcmkb.routes import GENERATED_DIR, LANGS, Source, language_file, page_of_site_file, page_sources
from rcmkb.validate import validate

if TYPE_CHECKING:
    from rcmkb.preview import ValidationMemo

MANIFEST = ".rcmkb-manifest.json"
MANIFEST_VERSION = 2
_TEMPORARY_SUFFIX = ".tmp"


class GenerationError(Exception):
    def __init__(self, message: str, findings: Findings | None = None) -> None:
        super().__init__(message)
        self.findings = findings or Findings()


@dataclass
class GenerationResult:
    written: int = 0
    removed: int = 0
    unchanged: int = 0
    problems: Findings = field(default_factory=Findings)  # warnings about the manifest


@dataclass(frozen=True)
class OwnedFile:
    """What the manifest says the generator wrote at one path."""

    sha256: str
    size: int = -1
    mtime_ns: int = -1
    source: Source | None = None

    def matches(self, info: os.stat_result) -> bool:
        """True when the file on disk is, by its size and time, the one the generator wrote."""
        return stat.S_ISREG(info.st_mode) and info.st_size == self.size and info.st_mtime_ns == self.mtime_ns


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_model(catalog_dir: Path, today: dt.date | None = None, memo: ValidationMemo | None = None) -> SiteModel:
    """Validate the catalog and derive the site model. Raises GenerationError on any catalog error.

    Call it once per build and pass the model on: nothing caches it (but the preview's `memo`, which
    remembers what validation found in unchanged files)."""
    catalog, findings = validate(catalog_dir, today=today or clock.today(), memo=memo)
    if findings.errors:
        raise GenerationError(f"the catalog has {len(findings.errors)} error(s); run `rcmkb validate` for details",
                              findings)
    return build_model(catalog)


def render_pages(catalog_dir: Path, today: dt.date | None = None) -> dict[str, str]:
    """Validate the catalog and render every page. Raises GenerationError on any catalog error."""
    today = today or clock.today()
    return PageRenderer(load_model(catalog_dir, today), today).pages()


def write_pages(model: SiteModel, docs_dir: Path, today: dt.date | None = None,
                base_url: str | None = None, skip: Set[str] = frozenset(),
                lines: LineCache | None = None) -> GenerationResult:
    """Render the model's pages into docs_dir's generated folder, recording each page's source.

    Pages named in `skip` are neither rendered nor touched (the preview re-renders only what an
    edit changed); they must have been written before, from the same catalog. `lines`: listing
    lines kept between the preview's renderings (see PageRenderer)."""
    renderer = PageRenderer(model, today or clock.today(), base_url, lines)
    sources = page_sources(model)
    folder = docs_dir / GENERATED_DIR
    with collector_paused():
        if renderer.parallel_worth_it(skip):
            result = _write_in_two_processes(renderer, folder, sources)
            if result is not None:
                return result
        files = renderer.files(skip, parallel=False)
        keep = {language_file(page, lang) for page in skip for lang in LANGS}
        return sync_folder(folder, files, _sources_of(files, sources), keep=keep)


def _sources_of(names: Iterable[str], sources: dict[str, Source]) -> dict[str, Source | None]:
    return {name: sources.get(_page_of_file(name)) for name in names}


def _write_in_two_processes(renderer: PageRenderer, folder: Path, sources: dict[str, Source]
                            ) -> GenerationResult | None:
    """sync_folder for every page, each language rendered and written by a process of its own.

    Both halves are rendered before either is written, so a rendering error writes nothing, as
    in one process. Only when the folder holds nothing the generator must first compare with the
    new pages (a file it did not write, or one changed since): otherwise None, and the caller
    takes the one-process way, which does that comparison."""
    _refuse_symlinked_folder(folder)
    result = GenerationResult()
    walked = _walk(folder)
    owned = read_manifest(folder, result.problems, walked)
    if _files_to_compare(owned, walked):
        return None
    rendered: dict[str, dict[str, bytes]] = {}

    def render(lang: str) -> int:
        rendered[lang] = renderer.language_files(lang)
        return len(rendered[lang])

    def write(lang: str) -> tuple[dict[str, dict[str, Any]], int, int]:
        files = rendered.pop(lang)
        part = GenerationResult()
        return (_write_files(folder, files, owned, _sources_of(files, sources), part, walked),
                part.written, part.unchanged)

    renderer.prepare_templates()  # compiled once, before the fork, rather than once per process
    here, there = LANGS
    with forked_worker({"render": render, "write": write}) as submit:
        rendered_there = submit("render", there)
        render(here)
        rendered_there.result()  # the child's rendering error, if any, before anything is written
        written_there = submit("write", there)
        record, result.written, result.unchanged = write(here)
        more, written, unchanged = written_there.result()
    record.update(more)
    result.written += written
    result.unchanged += unchanged
    _finish_sync(folder, owned, record, frozenset(), result)
    return result


def generate_site_pages(catalog_dir: Path, docs_dir: Path, today: dt.date | None = None) -> GenerationResult:
    """Validate, render and write (for the `generate` command, the MkDocs hook and the benchmark).

    In one pause of the cycle collector, so that the catalog, model and pages are freed before it
    runs again: paused only around each step, its first run after them walked all of them first."""
    today = today or clock.today()
    with collector_paused():
        return write_pages(load_model(catalog_dir, today), docs_dir, today)


def _page_of_file(name: str) -> str:
    """The language-neutral page of a generated file: x.en.md -> x.md, in any folder."""
    return name[: -len(".en.md")] + ".md" if name.endswith(".en.md") else name


# --- The manifest -------------------------------------------------------------------------------

def _safe_relative(name: object) -> bool:
    """A manifest key the generator may act on: a plain relative path that stays inside its folder."""
    if not isinstance(name, str) or not name or "\\" in name or "\0" in name:
        return False
    if name.startswith("/") or posixpath.normpath(name) != name:
        return False
    return ".." not in name.split("/") and name != MANIFEST


def _is_plain_path(folder: Path, name: str, symlinks: Set[str] | None = None) -> bool:
    """No component of folder/name (below folder) is a symlink, so acting on it stays inside folder.
    `symlinks`: every symlink under folder (from _walk), when known: then nothing is read again."""
    if symlinks is not None:
        parts = name.split("/")
        return not any("/".join(parts[:count]) in symlinks for count in range(1, len(parts) + 1))
    current = folder
    for part in name.split("/"):
        current = current / part
        try:
            if stat.S_ISLNK(os.lstat(current).st_mode):
                return False
        except FileNotFoundError:
            return True
    return True


def _manifest_line(text: str, name: str) -> int:
    needle = json.dumps(name)
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return 1


def read_manifest(folder: Path, problems: Findings | None = None,
                  walked: dict[str, os.stat_result] | None = None) -> dict[str, OwnedFile]:
    """What the generator wrote into `folder`, as its manifest says, minus any entry it must not
    act on (reported in `problems`). `walked`: what _walk just found there, if known."""
    problems = problems if problems is not None else Findings()
    path = folder / MANIFEST
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return {}
    if not stat.S_ISREG(info.st_mode):
        problems.add(path, 1, 1, "generated-manifest", "the generator's manifest is not a regular file (a symlink?); "
                     "it was ignored. Delete it.", severity="warning")
        return {}
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        raw: Any = json.loads(text)
    except ValueError:
        problems.add(path, 1, 1, "generated-manifest", "the generator's manifest is not valid JSON; it was ignored.",
                     severity="warning")
        return {}
    files = raw.get("files") if isinstance(raw, dict) and raw.get("version") == MANIFEST_VERSION else raw
    if not isinstance(files, dict):
        return {}
    owned: dict[str, OwnedFile] = {}
    symlinks = None if walked is None else {name for name, info in walked.items() if stat.S_ISLNK(info.st_mode)}
    for name, item in files.items():
        if not _safe_relative(name) or not _is_plain_path(folder, name, symlinks):
            problems.add(path, _manifest_line(text, str(name)), 1, "generated-manifest",
                         f"the manifest names {json.dumps(str(name))}, which is not a plain file inside "
                         f"docs/{GENERATED_DIR}/ (a path with '..', an absolute path or a symlink); "
                         "it was ignored, and nothing was deleted there.", severity="warning")
            continue
        if isinstance(item, str):  # the first manifest format: name -> digest
            owned[name] = OwnedFile(item)
        elif isinstance(item, dict) and isinstance(item.get("sha256"), str):
            source = Source(item["source"], int(item.get("line") or 1)) if isinstance(item.get("source"), str) else None
            owned[name] = OwnedFile(item["sha256"], int(item.get("size", -1)), int(item.get("mtime_ns", -1)), source)
    return owned


def manifest_sources(docs_dir: Path) -> dict[str, Source]:
    """Each generated file (relative to docs/catalogo/) -> the catalog file it was made from."""
    return {name: item.source for name, item in read_manifest(docs_dir / GENERATED_DIR).items()
            if item.source is not None}


def source_of_built_file(site_file: str, docs_dir: Path, sources: dict[str, Source] | None = None) -> Source | None:
    """The catalog file behind a file of the built site ("en/catalogo/x/index.html" -> catalog/entries/x.yml),
    from the generator's manifest; None for hand-written pages and files the generator did not make.
    Pass `sources` (from manifest_sources) when asking for many files."""
    found = page_of_site_file(site_file)
    if found is None:
        return None
    page, lang = found
    from rcmkb.routes import language_file

    table = sources if sources is not None else manifest_sources(docs_dir)
    return table.get(language_file(page, lang))


# --- Writing ------------------------------------------------------------------------------------

def sync_folder(folder: Path, files: dict[str, bytes], sources: dict[str, Source | None] | None = None,
                keep: Set[str] = frozenset()) -> GenerationResult:
    """Make `folder` hold exactly `files`, writing only what differs, deleting only what it wrote.

    Files named in `keep` that the manifest owns stay as they are, with their manifest record."""
    _refuse_symlinked_folder(folder)
    result = GenerationResult()
    walked = _walk(folder)  # once: the checks and the writing below all look at these
    owned = read_manifest(folder, result.problems, walked)
    _refuse_foreign_files(folder, owned, files, walked)
    record = _write_files(folder, files, owned, sources or {}, result, walked)
    _finish_sync(folder, owned, record, keep, result)
    return result


def _refuse_symlinked_folder(folder: Path) -> None:
    if folder.is_symlink():
        raise GenerationError(f"docs/{GENERATED_DIR} is a symlink; the generator writes only into a real folder",
                              _one_problem(folder, "docs/ must hold a real folder here: remove the symlink."))


def _write_files(folder: Path, files: dict[str, bytes], owned: dict[str, OwnedFile],
                 sources: dict[str, Source | None], result: GenerationResult,
                 walked: dict[str, os.stat_result]) -> dict[str, dict[str, Any]]:
    """Write each of `files` that differs from what is there (as `walked` found it just before);
    returns their manifest records."""
    record: dict[str, dict[str, Any]] = {}
    made_dirs: set[Path] = set()  # folders made (or found) this run: one mkdir per folder, not per file
    for relative_path, data in sorted(files.items()):
        if not _safe_relative(relative_path):
            raise ValueError(f"the renderer made a page outside its folder: {relative_path!r}")
        target = folder / relative_path
        digest = _digest(data)
        previous = owned.get(relative_path)
        info = walked.get(relative_path)
        same = (info is not None and previous is not None and previous.sha256 == digest and previous.matches(info))
        if not same and info is not None and stat.S_ISREG(info.st_mode) and info.st_size == len(data):
            same = target.read_bytes() == data  # written before, by another manifest (or a copy)
        if same:
            result.unchanged += 1
        else:
            if target.parent not in made_dirs:
                target.parent.mkdir(parents=True, exist_ok=True)
                made_dirs.add(target.parent)
            temporary = target.with_name(f".{target.name}{_TEMPORARY_SUFFIX}")
            temporary.write_bytes(data)
            os.replace(temporary, target)  # readers (mkdocs serve) never see a half-written page
            result.written += 1
            info = os.lstat(target)
        assert info is not None
        item: dict[str, Any] = {"sha256": digest, "size": info.st_size, "mtime_ns": info.st_mtime_ns}
        source = sources.get(relative_path)
        if source is not None:
            item["source"], item["line"] = source.file, source.line
        record[relative_path] = item
    return record


def _finish_sync(folder: Path, owned: dict[str, OwnedFile], record: dict[str, dict[str, Any]], keep: Set[str],
                 result: GenerationResult) -> None:
    """After writing: keep the records of `keep`, delete what the generator wrote before and no
    longer makes, and save the manifest."""
    for relative_path in sorted(keep & set(owned) - set(record)):
        kept = owned[relative_path]
        record[relative_path] = {"sha256": kept.sha256, "size": kept.size, "mtime_ns": kept.mtime_ns}
        if kept.source is not None:
            record[relative_path]["source"], record[relative_path]["line"] = kept.source.file, kept.source.line
    for relative_path in sorted(set(owned) - set(record) - keep):
        stale = folder / relative_path
        info = _lstat(stale)
        if info is not None and stat.S_ISREG(info.st_mode):
            stale.unlink()
            result.removed += 1
    if result.removed:
        _remove_empty_dirs(folder)  # only a removal can empty a folder
    _write_manifest(folder, record)


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def _write_manifest(folder: Path, record: dict[str, dict[str, Any]]) -> None:
    manifest_path = folder / MANIFEST
    # One line per file: short diffs, and a problem can name the line of the file it is about.
    lines = [f"{json.dumps(name)}: {json.dumps(item, sort_keys=True)}" for name, item in sorted(record.items())]
    text = f'{{"version": {MANIFEST_VERSION}, "files": {{\n' + ",\n".join(lines) + "\n}}\n"
    if manifest_path.is_symlink():
        manifest_path.unlink()  # never write through a symlink; the link itself is ours to replace
    if manifest_path.is_file() and manifest_path.read_text(encoding="utf-8", errors="replace") == text:
        return
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{MANIFEST}{_TEMPORARY_SUFFIX}"
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, manifest_path)


def _one_problem(path: Path, message: str) -> Findings:
    problems = Findings()
    problems.add(path, 1, 1, "generated-folder", message)
    return problems


def _walk(folder: Path) -> dict[str, os.stat_result]:
    """Every non-directory under folder (symlinks included, never followed): relative name -> its
    lstat, in name order. Plain strings and one lstat per file: the preview walks this on every edit."""
    found: dict[str, os.stat_result] = {}

    def walk(directory: str, prefix: str) -> None:
        with os.scandir(directory) as entries:
            for item in entries:
                name = prefix + item.name
                if item.is_dir(follow_symlinks=False):
                    walk(item.path, name + "/")
                else:  # a file, or a symlink (to a folder too: reported like a file, never walked into)
                    found[name] = item.stat(follow_symlinks=False)

    if folder.is_dir() and not folder.is_symlink():
        walk(str(folder), "")
    return dict(sorted(found.items()))


def _ours_to_skip(relative_path: str) -> bool:
    name = relative_path.rsplit("/", 1)[-1]
    return name == MANIFEST or name.endswith(_TEMPORARY_SUFFIX)


def _files_to_compare(owned: dict[str, OwnedFile], walked: dict[str, os.stat_result]) -> bool:
    """Whether the folder holds a file _refuse_foreign_files would have to look into: one the
    manifest does not own, or not as the generator left it. Without any, it can find no problem."""
    for relative_path, info in walked.items():
        if _ours_to_skip(relative_path):
            continue
        previous = owned.get(relative_path)
        if previous is None or not previous.matches(info):
            return True
    return False


def _refuse_foreign_files(folder: Path, owned: dict[str, OwnedFile], files: dict[str, bytes],
                          walked: dict[str, os.stat_result]) -> None:
    problems = Findings()
    for relative_path, info in walked.items():
        if _ours_to_skip(relative_path):
            continue
        path = folder / relative_path
        if relative_path not in owned and stat.S_ISREG(info.st_mode) and relative_path in files \
                and info.st_size == len(files[relative_path]) and path.read_bytes() == files[relative_path]:
            continue  # written by a run interrupted before it saved its manifest: the same bytes again
        if relative_path not in owned or not stat.S_ISREG(info.st_mode):
            problems.add(path, 1, 1, "generated-folder",
                         f"this file was not written by the generator, but docs/{GENERATED_DIR}/ belongs to it. "
                         "Move the file to another folder under docs/ (hand-written pages live there); "
                         "nothing was deleted.")
            continue
        previous = owned[relative_path]
        if previous.matches(info):
            continue  # as the generator left it: no need to read it
        current = path.read_bytes()
        if _digest(current) != previous.sha256 and files.get(relative_path, b"") != current:
            problems.add(path, 1, 1, "generated-folder",
                         "this generated page was edited by hand; the edit would be lost. Make the change in "
                         "catalog/ (or the templates) instead, then delete this file; nothing was overwritten.")
    if problems.items:
        raise GenerationError(f"docs/{GENERATED_DIR}/ holds files the generator did not write", problems)


def _remove_empty_dirs(folder: Path) -> None:
    if not folder.is_dir():
        return
    directories = [Path(d) for d, _, _ in os.walk(folder, followlinks=False)][1:]
    for path in sorted(directories, key=lambda p: len(p.parts), reverse=True):
        if not path.is_symlink() and not any(path.iterdir()):
            path.rmdir()
