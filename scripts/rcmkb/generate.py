"""Write the generated pages into docs/catalogo/, touching only what changed.

The generator owns that one folder and keeps a manifest of what it wrote. It never deletes or
overwrites a file it did not write (or that someone edited by hand): it stops and says so.
Writing only changed files matters because `mkdocs serve` rebuilds on every write, and a
generator that always rewrites makes it loop.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from rcmkb import clock
from rcmkb.findings import Findings
from rcmkb.fingerprint import catalog_digest
from rcmkb.model import SiteModel, build_model
from rcmkb.paths import GENERATED_DIRNAME
from rcmkb.render import PageRenderer
from rcmkb.validate import validate

MANIFEST = ".rcmkb-manifest.json"


class GenerationError(Exception):
    def __init__(self, message: str, findings: Findings | None = None) -> None:
        super().__init__(message)
        self.findings = findings or Findings()


@dataclass
class GenerationResult:
    written: int = 0
    removed: int = 0
    unchanged: int = 0


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# The last model built, by catalog content and date: `rcmkb build` needs the model for the pages,
# the build timestamp, short links and exports, and validating thousands of entries four times
# was a large part of the build. Nothing changes a model once built.
_last_model: tuple[tuple[str, str, str], SiteModel] | None = None


def load_model(catalog_dir: Path, today: dt.date | None = None) -> SiteModel:
    """Validate the catalog and derive the site model. Raises GenerationError on any catalog error."""
    global _last_model
    today = today or clock.today()
    key = (str(catalog_dir.resolve()), catalog_digest(catalog_dir), today.isoformat())
    if _last_model is not None and _last_model[0] == key:
        return _last_model[1]
    catalog, findings = validate(catalog_dir, today=today)
    if findings.errors:
        raise GenerationError(f"the catalog has {len(findings.errors)} error(s); run `rcmkb validate` for details",
                              findings)
    _last_model = (key, build_model(catalog))
    return _last_model[1]


def render_pages(catalog_dir: Path, today: dt.date | None = None) -> dict[str, str]:
    """Validate the catalog and render every page. Raises GenerationError on any catalog error."""
    today = today or clock.today()
    return PageRenderer(load_model(catalog_dir, today), today).pages()


def generate_site_pages(catalog_dir: Path, docs_dir: Path, today: dt.date | None = None) -> GenerationResult:
    pages = render_pages(catalog_dir, today)
    return sync_folder(docs_dir / GENERATED_DIRNAME, {k: v.encode("utf-8") for k, v in pages.items()})


def sync_folder(folder: Path, files: dict[str, bytes]) -> GenerationResult:
    """Make `folder` hold exactly `files`, writing only what differs."""
    manifest_path = folder / MANIFEST
    owned: dict[str, str] = {}
    if manifest_path.is_file():
        owned = json.loads(manifest_path.read_text(encoding="utf-8"))
    _refuse_foreign_files(folder, owned, files)

    result = GenerationResult()
    for relative_path, data in sorted(files.items()):
        target = folder / relative_path
        if target.is_file() and target.read_bytes() == data:
            result.unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)  # readers (mkdocs serve) never see a half-written page
        result.written += 1
    for relative_path in sorted(set(owned) - set(files)):
        stale = folder / relative_path
        if stale.is_file():
            stale.unlink()
            result.removed += 1
    _remove_empty_dirs(folder)
    new_manifest = json.dumps({k: _digest(v) for k, v in sorted(files.items())}, indent=0) + "\n"
    if not manifest_path.is_file() or manifest_path.read_text(encoding="utf-8") != new_manifest:
        folder.mkdir(parents=True, exist_ok=True)
        manifest_path.write_text(new_manifest, encoding="utf-8")
    return result


def _refuse_foreign_files(folder: Path, owned: dict[str, str], files: dict[str, bytes]) -> None:
    if not folder.is_dir():
        return
    problems = Findings()
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name == MANIFEST or path.name.endswith(".tmp"):
            continue
        relative_path = path.relative_to(folder).as_posix()
        current = _digest(path.read_bytes())
        if relative_path not in owned:
            problems.add(path, 1, 1, "generated-folder",
                         f"this file was not written by the generator, but docs/{GENERATED_DIRNAME}/ belongs to it. "
                         "Move the file to another folder under docs/ (hand-written pages live there); "
                         "nothing was deleted.")
        elif current != owned[relative_path] and files.get(relative_path, b"") != path.read_bytes():
            problems.add(path, 1, 1, "generated-folder",
                         "this generated page was edited by hand; the edit would be lost. Make the change in "
                         "catalog/ (or the templates) instead, then delete this file; nothing was overwritten.")
    if problems.items:
        raise GenerationError(f"docs/{GENERATED_DIRNAME}/ holds files the generator did not write", problems)


def _remove_empty_dirs(folder: Path) -> None:
    if not folder.is_dir():
        return
    for path in sorted((p for p in folder.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        if not any(path.iterdir()):
            path.rmdir()
