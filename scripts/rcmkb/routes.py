"""The route table: where every page and file of the site lives, in one place.

Each kind of page has one function here that gives its page path; everything else (its docs/
file per language, its URL per language, the built file, the catalog file it comes from) is
derived from that path by the functions below. Templates, the renderer, the exports, the short
links, the offline bundle, the 404 page (through mkdocs `extra`, set by hooks/catalog.py) and
the link checker ask this module, so renaming a folder is a one-line change.

Vocabulary:
- a *page* is a generated Markdown page, named by its path inside the generated folder
  (docs/catalogo/): "some-entry.md", "tema/index.md", "decisiones/x.md";
- a *site path* is a URL path relative to the site root, without a leading slash:
  "catalogo/some-entry/", "en/catalogo/", "t/some-entry/", "data/catalog.json".

The folder names are Spanish because the site is Spanish-first and both languages share one
URL shape (English under /en/).

This module imports nothing from the rest of the package, so any module (validation included)
can use it.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rcmkb.model import SiteModel

LANGS = ("es", "en")
DEFAULT_LANG = "es"
LANG_PREFIX = {"es": "", "en": "en/"}  # Spanish at the root, English under /en/

GENERATED_DIR = "catalogo"  # docs/catalogo/ (the only docs folder the generator owns) = /catalogo/
SHORT_LINK_DIR = "t"  # /t/<id>/: short, permanent links for print and slides
DATA_DIR = "data"  # /data/: open data written after MkDocs (export.py)
ASSETS_DIR = "assets"  # docs/assets/: CSS, scripts, vendored files

# Browse facets: (folder, entry field, vocabulary).
FACETS: tuple[tuple[str, str, str], ...] = (
    ("tipo", "type", "types"),
    ("tema", "themes", "themes"),
    ("etapa", "stages", "stages"),
    ("publico", "audiences", "audiences"),
    ("organizacion", "organizations", "organizations"),
    ("pais", "countries", "countries"),
)
# Languages are a filter of the catalog page but have no browse pages; the key is reserved so
# that a later browse page by language can take it.
LANGUAGE_FACET = ("idioma", "languages", "languages")
HANDOUT_THEME_FOLDER = "tema"  # handouts are made per term of this facet

DECISIONS_DIR = "decisiones"
HANDOUTS_DIR = "folleto"  # printable handouts, one per theme
OVERVIEW_PAGE = "index.md"  # the catalog: every entry, with filters
MANDATES_PAGE = "mandatos.md"
GLOSSARY_PAGE = "glosario.md"
TODO_PAGE = "pendientes.md"  # the maintainers' to-do list
COVERAGE_PAGE = "cobertura/index.md"  # countries x stages and x themes; an index page: same depth hosted and offline
OPEN_DATA_DOC = "datos/index.md"  # hand-written (docs/datos/): what the exports hold, and their changelog

FEED_FILE = "feed.xml"  # one per language: feed.xml, en/feed.xml
QR_FILE = "qr.svg"  # t/<id>/<lang>/qr.svg: the code of the short link it sits beside


# --- Pages, by kind -------------------------------------------------------------------------

def entry_page(entry_id: str) -> str:
    return f"{entry_id}.md"


def decision_page(decision_id: str) -> str:
    return f"{DECISIONS_DIR}/{decision_id}.md"


def facet_index_page(folder: str) -> str:
    return f"{folder}/index.md"


def facet_term_page(folder: str, term: str) -> str:
    return f"{folder}/{term.lower()}.md"


def coverage_cell_page(country: str, term: str) -> str:
    """The list behind one cell of the coverage matrices, beside the country's page: pais/<code>/<term>.md."""
    return f"{facet_term_page(FOLDER_OF_FIELD['countries'], country)[: -len('.md')]}/{term.lower()}.md"


def handout_page(term: str | None) -> str:
    """A theme's printable handout, or their index when term is None."""
    return f"{HANDOUTS_DIR}/{term.lower()}.md" if term else f"{HANDOUTS_DIR}/index.md"


FOLDER_OF_FIELD = {field_name: folder for folder, field_name, _ in FACETS}  # "themes" -> "tema"


# --- From a page to its files and addresses ------------------------------------------------------

def language_file(page: str, lang: str) -> str:
    """A page's file in a language, inside the generated folder: x.md (Spanish) or x.en.md."""
    return page if lang == DEFAULT_LANG else page[: -len(".md")] + f".{lang}.md"


def docs_file(page: str, lang: str) -> str:
    """A page's file relative to docs/."""
    return f"{GENERATED_DIR}/{language_file(page, lang)}"


@lru_cache(maxsize=65536)
def page_site_path(page: str, lang: str) -> str:
    """A page's URL path in a language (directory URLs): "tema/x.md" -> "catalogo/tema/x/"."""
    stem = page[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
    else:
        stem += "/"
    return f"{LANG_PREFIX[lang]}{GENERATED_DIR}/{stem}"


def docs_page_site_path(docs_page: str, lang: str) -> str:
    """A hand-written page's URL path (a file under docs/, as links' `site_page` name it)."""
    stem = docs_page[: -len(".md")]
    stem = stem[: -len("index")] if stem == "index" or stem.endswith("/index") else stem + "/"
    return f"{LANG_PREFIX[lang]}{stem}"


def entry_site_path(entry_id: str, lang: str) -> str:
    return page_site_path(entry_page(entry_id), lang)


def short_link_path(entry_id: str, lang: str | None = None) -> str:
    """An entry's short link (also made for each of its former ids).

    /t/<id>/ opens the entry in the reader's browser language (typed links); /t/<id>/<lang>/
    always opens that language's page, whatever the phone's language (a handout's QR codes).
    """
    return f"{SHORT_LINK_DIR}/{entry_id}/" + (f"{lang}/" if lang else "")


def qr_site_file(entry_id: str, lang: str) -> str:
    """An entry's QR code image for one language: a file of the built site beside the short link it
    encodes (/t/<id>/<lang>/), written after MkDocs like the short links, so MkDocs never reads it."""
    return short_link_path(entry_id, lang) + QR_FILE


def data_path(name: str) -> str:
    """An open-data file, e.g. data_path("catalog.json")."""
    return f"{DATA_DIR}/{name}"


def feed_path(lang: str) -> str:
    return LANG_PREFIX[lang] + FEED_FILE


def home_path(lang: str) -> str:
    return LANG_PREFIX[lang]


def built_file(site_path: str) -> str:
    """The file of the built site that serves a site path."""
    return site_path + "index.html" if site_path.endswith("/") or not site_path else site_path


def asset_path(name: str) -> str:
    return f"{ASSETS_DIR}/{name}"


def relative_link(from_dir: str, to_site_path: str) -> str:
    """A relative link from a directory URL to a site path (so the site also works under a sub-path)."""
    return _relative_link(from_dir, to_site_path)


@lru_cache(maxsize=65536)
def _relative_link(from_dir: str, to_site_path: str) -> str:
    target = _relpath(to_site_path.rstrip("/") or ".", from_dir.rstrip("/") or ".")
    return target + "/" if to_site_path.endswith("/") or not to_site_path else target


def _relpath(path: str, start: str) -> str:
    """posixpath.relpath for two paths from the same root, in strings only: relpath makes both
    absolute against the working directory first (a system call per link, a listing has thousands)."""
    parts = [p for p in path.split("/") if p and p != "."]
    base = [p for p in start.split("/") if p and p != "."]
    if ".." in parts or ".." in base or path.startswith("/") or start.startswith("/"):
        return posixpath.relpath(path, start)
    common = 0
    while common < min(len(parts), len(base)) and parts[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:]) or "."


def page_link(from_page: str, to_page: str) -> str:
    """Link from one generated page to another (both relative to the generated folder)."""
    if "/" not in from_page and posixpath.normpath(to_page) == to_page:
        return to_page  # from a top-level page (most links): the target path as it is
    return _page_relpath(to_page, posixpath.dirname(from_page) or ".")


@lru_cache(maxsize=65536)
def _page_relpath(to_page: str, start: str) -> str:
    return _relpath(to_page, start)


def template_routes() -> dict[str, dict[str, str]]:
    """What MkDocs templates need (overrides/404.html), put into `extra.rcm_routes` by the hook:
    {"catalog": {"es": "catalogo/", "en": "en/catalogo/"}, "home": …, "feed": …}."""
    return {
        "catalog": {lang: page_site_path(OVERVIEW_PAGE, lang) for lang in LANGS},
        "home": {lang: home_path(lang) for lang in LANGS},
        "feed": {lang: feed_path(lang) for lang in LANGS},  # for overrides/main.html's feed link
    }


# --- Names an entry id must not take ------------------------------------------------------------

def _reserved_ids() -> frozenset[str]:
    # Entry pages live at catalogo/<id>/ beside every other generated page and folder, and short
    # links at t/<id>/; an id equal to one of these names would take its place.
    pages = (OVERVIEW_PAGE, MANDATES_PAGE, GLOSSARY_PAGE, TODO_PAGE, COVERAGE_PAGE)
    names = {page[: -len(".md")] for page in pages}
    names |= {folder for folder, _, _ in FACETS} | {LANGUAGE_FACET[0], DECISIONS_DIR, HANDOUTS_DIR}
    names |= {ASSETS_DIR, DATA_DIR, SHORT_LINK_DIR, *LANGS}  # top-level folders of the site
    return frozenset(names)


RESERVED_IDS = _reserved_ids()


# --- Where each page comes from -----------------------------------------------------------------

@dataclass(frozen=True)
class Source:
    """The catalog file (relative to the repository) that a page is made from, and a line in it."""

    file: str
    line: int = 1


def page_sources(model: SiteModel) -> dict[str, Source]:
    """Every generated page (and QR code) -> the catalog file a maintainer edits to change it."""
    catalog = model.catalog
    repo = Path(catalog.root).resolve().parent

    # Each folder resolved once, as a string relative to the repository (None: outside it); the
    # preview works this out for thousands of files after every edit.
    folders: dict[str, str | None] = {}

    def relative(path: Path) -> str | None:
        try:
            return path.resolve().relative_to(repo).as_posix()
        except ValueError:
            return None

    def where(path: Path, line: int = 1) -> Source:
        path = Path(path)
        if path.name in ("", ".", ".."):
            return Source(relative(path) or str(path), line)
        # A catalog file is never a symlink (the loader refuses to read one): resolve its folder.
        folder, name = os.path.split(str(path))
        if folder not in folders:
            folders[folder] = relative(Path(folder))
        found = folders[folder]
        if found is None:
            return Source(str(path), line)
        return Source(name if found == "." else f"{found}/{name}", line)

    sources: dict[str, Source] = {}
    entries_dir = where(catalog.root / "entries")
    for page in (OVERVIEW_PAGE, TODO_PAGE):
        sources[page] = entries_dir
    for doc in catalog.entries.values():
        if isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
            sources[entry_page(doc.data["id"])] = where(doc.path)
    for doc in catalog.decisions.values():
        if isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
            sources[decision_page(doc.data["id"])] = where(doc.path)
    sources[MANDATES_PAGE] = where(catalog.root / "decisions")
    if catalog.glossary is not None:
        sources[GLOSSARY_PAGE] = where(catalog.glossary.path)
    for folder, _, vocab_name in FACETS:
        vocabulary = model.vocab[vocab_name]
        if vocabulary.doc is None:
            continue
        sources[facet_index_page(folder)] = where(vocabulary.doc.path)
        terms = vocabulary.doc.data.get("terms", []) if isinstance(vocabulary.doc.data, dict) else []
        for index, term in enumerate(terms):
            if isinstance(term, dict) and isinstance(term.get("id"), str):
                line = vocabulary.doc.where(("terms", index))[0]
                sources[facet_term_page(folder, term["id"])] = where(vocabulary.doc.path, line)
                if folder == HANDOUT_THEME_FOLDER:
                    sources[handout_page(term["id"])] = where(vocabulary.doc.path, line)
        if folder == HANDOUT_THEME_FOLDER:
            sources[handout_page(None)] = where(vocabulary.doc.path)
    return sources


def _language_of_site_file(site_file: str) -> tuple[str, str]:
    """A built file's language and its path below that language's root: "en/x/index.html" -> ("en", "x/index.html")."""
    lang = next((code for code, prefix in LANG_PREFIX.items() if prefix and site_file.startswith(prefix)),
                DEFAULT_LANG)
    return lang, site_file[len(LANG_PREFIX[lang]):]


def page_of_site_file(site_file: str) -> tuple[str, str] | None:
    """The generated page and language a built file belongs to ("en/catalogo/tema/x/index.html" ->
    ("tema/x.md", "en")), or None when it is not a generated page."""
    lang, rest = _language_of_site_file(site_file)
    if not rest.startswith(GENERATED_DIR + "/") or not rest.endswith("index.html"):
        return None
    inner = rest[len(GENERATED_DIR) + 1: -len("index.html")].rstrip("/")
    if not inner:
        return OVERVIEW_PAGE, lang
    if inner in {folder for folder, _, _ in FACETS} | {HANDOUTS_DIR}:
        return f"{inner}/index.md", lang
    return f"{inner}.md", lang


def hand_written_files(site_file: str) -> tuple[str, ...]:
    """The docs/ files (relative to docs/) a built page written by hand can come from, the likelier first:
    "en/acerca/index.html" -> ("acerca.en.md", "acerca/index.en.md"), "index.html" -> ("index.md",).
    Empty for a generated page, a short link and any file that is not a page."""
    lang, rest = _language_of_site_file(site_file)
    first = rest.split("/", 1)[0]
    if (page_of_site_file(site_file) is not None or first in (GENERATED_DIR, SHORT_LINK_DIR)
            or not (rest == "index.html" or rest.endswith("/index.html"))):
        return ()
    stem = rest[: -len("index.html")].rstrip("/")
    if not stem:
        return (language_file("index.md", lang),)
    return language_file(f"{stem}.md", lang), language_file(f"{stem}/index.md", lang)
