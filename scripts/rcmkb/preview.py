"""What `mkdocs serve` needs beyond a build: re-render only what an edit changed, show catalog
errors in the browser, and add the files a real build makes after MkDocs.

The MkDocs hook (hooks/catalog.py) drives these; nothing here runs in `rcmkb build`.
- `ValidationMemo`: parse and check per file only the files that changed since the last run.
- `unchanged_pages`: after an edit of some entry files, the pages that edit cannot have changed,
  so that the generator renders the edited entries' pages and the listings that show them, not
  the whole catalog.
- `with_banner`: a WSGI wrapper that puts the catalog's errors at the top of every served page,
  so a maintainer sees them where they look, while the last good pages stay browsable.
(What a real build adds after MkDocs is made for the preview by rcmkb.preview_extras.)
"""

from __future__ import annotations

import hashlib
import html
import os
import re
from collections.abc import Callable, Iterable, Set
from pathlib import Path
from typing import Any

from rcmkb.coverage import AXES, COUNTRY_FOLDER, coverage_rows, is_regional, member_countries
from rcmkb.findings import Finding, Findings
from rcmkb.load import load_yaml
from rcmkb.model import SiteModel, as_list
from rcmkb.routes import (
    FACETS,
    HANDOUT_THEME_FOLDER,
    coverage_cell_page,
    entry_page,
    facet_term_page,
    handout_page,
)
from rcmkb.rules.view import File
from rcmkb.schema import schema_errors

# Entry fields that name other entries: their titles appear on each other's pages.
_ENTRY_REFERENCES = ("supersedes", "preceded_by", "related")
_THEME_FIELD, _THEME_VOCAB = next((field_name, vocab_name) for folder, field_name, vocab_name in FACETS
                                  if folder == HANDOUT_THEME_FOLDER)

# Files an editor writes beside the one being edited (swap, backup, lock files): not catalog edits.
_EDITOR_LITTER = re.compile(r"(^\.|~$|\.sw[a-p]$|^#.*#$|\.tmp$)")


# --- What changed ------------------------------------------------------------------------------

def snapshot(folder: Path, skip: Set[str] = frozenset()) -> dict[str, tuple[int, int]]:
    """Each file under folder (relative path -> size, modification time), without reading any.

    Folders named in `skip` (directly under `folder`) and editor litter are left out."""
    found: dict[str, tuple[int, int]] = {}
    if not folder.is_dir():
        return found
    for directory, subdirs, files in os.walk(folder):
        here = Path(directory)
        subdirs[:] = sorted(d for d in subdirs if d != "__pycache__" and not d.startswith(".")
                            and not (here == folder and d in skip))
        for name in files:
            if _EDITOR_LITTER.search(name):
                continue
            info = os.stat(here / name, follow_symlinks=False)
            found[(here / name).relative_to(folder).as_posix()] = (info.st_size, info.st_mtime_ns)
    return found


def changed_files(before: dict[str, tuple[int, int]] | None, after: dict[str, tuple[int, int]]) -> set[str]:
    if before is None:
        return set(after)
    return {name for name in set(before) | set(after) if before.get(name) != after.get(name)}


# --- Validation of unchanged files, remembered ----------------------------------------------------

class ValidationMemo:
    """Parsing, schema checks and per-file rules of each catalog file, remembered while its bytes
    do not change (rcmkb.rules.view.Memo; `validate(..., memo=)`).

    Those take most of a validation (the cross-file rules, which run every time, are cheap), so
    after one entry edit only that file is parsed and checked again. What was found is replayed
    into each run's findings, so every run still reports every problem. A change of the schemas,
    of a vocabulary (its terms make the messages' suggestions), of the day or of the language
    forgets what the rules found. Used by the preview only; `rcmkb build` and `validate` never see it.
    """

    def __init__(self) -> None:
        self._loaded: dict[str, tuple[bytes, Any, list[Any]]] = {}  # path -> (digest, Document, findings)
        self._checked: dict[tuple[int, str], tuple[Any, list[Any]]] = {}  # (document, schema) -> errors
        self._found: dict[tuple[str, int], tuple[Any, list[Finding]]] = {}  # (rule, document) -> findings
        self._files: dict[int, File] = {}  # document -> its File (with the values rules derived from it)
        self._stats: dict[str, tuple[int, int, int]] = {}  # path -> (size, mtime, inode) when last read
        self._schemas: str | None = None
        self._context: tuple[Any, ...] | None = None

    def begin(self, catalog_dir: Path) -> None:
        """At the start of a validation: forget what depended on schemas that changed, and what
        belonged to files that are gone or changed."""
        schemas = repr(sorted(snapshot(catalog_dir / "schema").items()))
        if schemas != self._schemas:
            self._schemas, self._checked, self._found = schemas, {}, {}
        alive = {id(entry[1]) for entry in self._loaded.values()}
        self._checked = {key: value for key, value in self._checked.items() if key[0] in alive}
        self._found = {key: value for key, value in self._found.items() if key[1] in alive}
        self._files = {key: value for key, value in self._files.items() if key in alive}

    def load(self, path: Path, findings: Findings) -> Any:
        # A file whose size, time (to the nanosecond) and inode are as when it was read is not read
        # again; any other is, and parsed again only if its bytes changed.
        info = os.lstat(path)
        stamp = (info.st_size, info.st_mtime_ns, info.st_ino)
        known = self._loaded.get(str(path))
        if known is not None and self._stats.get(str(path)) == stamp:
            findings.items.extend(known[2])
            return known[1]
        digest = hashlib.sha256(path.read_bytes()).digest()
        self._stats[str(path)] = stamp
        if known is None or known[0] != digest:
            own = Findings(lang=findings.lang)
            known = (digest, load_yaml(path, own), own.items)
            self._loaded[str(path)] = known
        findings.items.extend(known[2])
        return known[1]

    def context(self, catalog: Any, today: Any, lang: str) -> None:
        """What every per-file rule may also read: the vocabularies (the same objects while their
        files are unchanged), the day and the language of the messages."""
        context = (tuple(id(v.doc) for v in catalog.vocab.values()), today, lang)
        if context != self._context:
            self._context, self._found = context, {}

    def schema_errors(self, doc: Any, schema_name: str, schema_dir: Path) -> list[Any]:
        known = self._checked.get((id(doc), schema_name))
        if known is None or known[0] is not doc:
            known = (doc, schema_errors(doc, schema_name, schema_dir))
            self._checked[(id(doc), schema_name)] = known
        return known[1]

    def file_findings(self, rule_id: str, doc: Any, lang: str) -> list[Finding] | None:
        known = self._found.get((rule_id, id(doc)))
        return known[1] if known is not None and known[0] is doc else None

    def keep_file_findings(self, rule_id: str, doc: Any, lang: str, items: list[Finding]) -> None:
        self._found[(rule_id, id(doc))] = (doc, items)

    def file(self, doc: Any, kind: str, schema: str) -> File:
        known = self._files.get(id(doc))
        if known is None or known.doc is not doc or (known.kind, known.schema) != (kind, schema):
            known = self._files[id(doc)] = File(doc, kind, schema)
        return known


# --- Which pages an entry edit can change ------------------------------------------------------

def _entry_ids(model: SiteModel) -> dict[str, str]:
    return {stem: str(doc.data["id"]) for stem, doc in model.catalog.entries.items()}


def unchanged_pages(before: SiteModel, after: SiteModel, edited_files: Iterable[str]) -> set[str] | None:
    """The pages an edit of these entry files (names under catalog/entries/) cannot have changed.

    None when every page must be rendered again: an entry was added, removed or renamed.
    Everything else a page shows (vocabularies, decisions, glossary, templates, the date) is
    unchanged: the caller renders everything when any of those changed.
    """
    stems = {Path(name).stem for name in edited_files}
    ids_before, ids_after = _entry_ids(before), _entry_ids(after)
    if ids_before != ids_after:
        return None
    edited = {ids_after[stem] for stem in stems if stem in ids_after}
    shown: set[str] = set(edited)  # entries whose page shows an edited entry, or that it shows
    terms: set[tuple[str, str]] = set()  # (facet folder, term) whose browse page lists an edited entry
    themes: set[str] = set()  # handouts that print an edited entry
    cells: set[tuple[str, str]] = set()  # (coverage row, term) whose cell page lists an edited entry
    for model in (before, after):
        for entry in model.entries:
            references = {str(i) for field_name in _ENTRY_REFERENCES for i in as_list(entry.get(field_name))}
            if entry["id"] in edited:
                shown |= references
                for folder, field_name, _ in FACETS:
                    terms |= {(folder, str(term)) for term in as_list(entry.get(field_name))}
                themes |= {str(term) for term in as_list(entry.get(_THEME_FIELD))}
                if is_regional(entry):  # a regional instrument is listed on every member country's page
                    terms |= {(COUNTRY_FOLDER, country) for country in member_countries(model)}
                for axis in AXES:  # rcmkb.coverage.cell_entries: the entry's countries x the axis's terms
                    cells |= {(str(row), str(term)) for row in as_list(entry.get("countries"))
                              for term in as_list(entry.get(axis.field))}
            elif references & edited:
                shown.add(entry["id"])
    skip = {entry_page(entry_id) for entry_id in ids_after.values() if entry_id not in shown}
    for folder, _, vocab_name in FACETS:
        skip |= {facet_term_page(folder, term) for term in after.vocab[vocab_name].terms
                 if (folder, term) not in terms}
    skip |= {handout_page(term) for term in after.vocab[_THEME_VOCAB].terms if term not in themes}
    # Coverage cells (pais/<row>/<term>.md) that list no edited entry, before or after: most of them.
    # A cell that an edit empties is not skipped: the generator then removes its page.
    skip |= {coverage_cell_page(row, term) for row in coverage_rows(after) for axis in AXES
             for term in after.vocab[axis.vocab].terms if (row, term) not in cells}
    return skip


# --- Errors in the browser ---------------------------------------------------------------------

_BANNER_TEXT = {
    "es": ("La vista previa no se actualizó: el catálogo tiene {n} error(es).",
           "Las páginas muestran la última versión correcta. Corrija el archivo y guárdelo: "
           "esta página se recarga sola."),
    "en": ("The preview was not updated: the catalog has {n} error(s).",
           "The pages show the last good version. Fix the file and save it: this page reloads by itself."),
}
_BUILD_FAILED_TEXT = {
    "es": ("La vista previa no se pudo reconstruir.",
           "Las páginas muestran la última versión correcta. El mensaje completo está en la terminal."),
    "en": ("The preview could not be rebuilt.",
           "The pages show the last good version. The full message is in the terminal."),
}
_LANG = re.compile(rb"<html[^>]*\blang=\"([a-z]{2})", re.IGNORECASE)
_BODY = re.compile(rb"<body[^>]*>", re.IGNORECASE)


def banner_html(lines: list[str], lang: str, *, build_failed: bool = False) -> str:
    """A banner that lists each problem as the terminal prints it; every character escaped."""
    texts = _BUILD_FAILED_TEXT if build_failed else _BANNER_TEXT
    heading, advice = texts.get(lang, texts["es"])
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines)
    return ('<div id="rcm-preview-errors" role="alert" data-pagefind-ignore style="background:#b71c1c;'
            'color:#fff;padding:.8rem 1rem;font:15px/1.4 system-ui,sans-serif;position:relative;z-index:10">'
            f'<strong>{html.escape(heading.format(n=len(lines)))}</strong> {html.escape(advice)}'
            f'<ul style="margin:.4rem 0 0;padding-left:1.2rem;overflow-wrap:anywhere">{items}</ul></div>')


def insert_banner(page: bytes, lines: list[str], *, build_failed: bool = False) -> bytes:
    found = _LANG.search(page[:2000])
    lang = found.group(1).decode("ascii").lower() if found else "es"
    banner = banner_html(lines, lang, build_failed=build_failed).encode("utf-8")
    body = _BODY.search(page)
    at = body.end() if body else 0
    return page[:at] + banner + page[at:]


WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def with_banner(app: WSGIApp, problems: Callable[[], tuple[list[str], bool]]) -> WSGIApp:
    """Wrap the preview server: while `problems()` lists something, every HTML page served
    carries the banner. The pages themselves are left as the last good build made them."""

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        answer: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
            answer["status"], answer["headers"] = status, headers
            return lambda data: None

        # First the page (MkDocs holds a request while a build runs), then the problems: asked
        # the other way round, a page requested during the build that finds an error would
        # come back without the banner, and live reload would not fetch it again.
        chunks = app(environ, capture)
        lines, build_failed = problems()
        headers = answer["headers"]
        content_type = next((value for key, value in headers if key.lower() == "content-type"), "")
        if not lines or not content_type.startswith("text/html"):
            start_response(answer["status"], headers)
            return chunks
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        body = insert_banner(body, lines, build_failed=build_failed)
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(body))))
        start_response(answer["status"], headers)
        return [body]

    return serve
