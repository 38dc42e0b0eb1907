"""Shared test fixtures: throwaway catalogs, one real site build per session, a local server, a browser."""

from __future__ import annotations

import os
import re
import shutil
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Browser launch, the local server and the repository copy are shared with the benchmark.
from bench.support import chromium, serve
from bench.support import copy_repo as _copy_repo

__all__ = ["serve"]  # re-exported for the tests that import it from here

REPO = Path(__file__).resolve().parent.parent

# tests/forked/ checks the generator's two-process path, which never forks a process with other
# threads (this session runs a web server and a browser in threads). A test in test_generate.py
# runs that folder in a fresh pytest with this variable set; a plain run does not collect it.
FORKED_CASES = "RCMKB_FORKED_CASES"
collect_ignore = [] if os.environ.get(FORKED_CASES) else ["forked"]


def _newest_catalog_date() -> str:
    """The newest `added`/`reviewed` date a maintainer wrote in the catalog.

    Used as "today" for the session: it moves only when the catalog does, so no test depends on
    the real date, and an entry added today is never "in the future" for the tests.
    """
    dates = [match for path in sorted((REPO / "catalog").rglob("*.yml"))
             for match in re.findall(r'^(?:added|reviewed): "(\d{4}-\d{2}-\d{2})"', path.read_text("utf-8"), re.M)]
    return max(dates, default="2026-11-28")


# "Today" for the whole session, read by rcmkb.clock.today(). Set RCMKB_TODAY before running to try
# the suite on another day (e.g. RCMKB_TODAY=2028-06-01).
TODAY = os.environ.setdefault("RCMKB_TODAY", _newest_catalog_date())
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def make_catalog(tmp_path: Path) -> Callable[..., Path]:
    """Build a small catalog in a temp folder: the real schema and vocabularies, plus the given files.

    `entries` maps a file name (without .yml) to YAML text; `decisions` likewise.
    """

    def make(entries: dict[str, str] | None = None, decisions: dict[str, str] | None = None,
             glossary: str | None = None) -> Path:
        root = tmp_path / "catalog"
        shutil.copytree(REPO / "catalog" / "schema", root / "schema")
        shutil.copytree(REPO / "catalog" / "vocab", root / "vocab")
        (root / "entries").mkdir()
        (root / "decisions").mkdir()
        for name, text in (entries or {}).items():
            (root / "entries" / f"{name}.yml").write_text(textwrap.dedent(text), encoding="utf-8")
        for name, text in (decisions or {}).items():
            (root / "decisions" / f"{name}.yml").write_text(textwrap.dedent(text), encoding="utf-8")
        if glossary is not None:
            (root / "glossary.yml").write_text(textwrap.dedent(glossary), encoding="utf-8")
        return root

    return make


def valid_entry(entry_id: str = "sample-guideline-2016", **overrides: str) -> str:
    """A minimal valid entry as YAML text; keyword arguments replace whole top-level lines."""
    fields = {
        "id": f"id: {entry_id}",
        "title": "title:\n  es: Guía de ejemplo\n  en: Sample guideline",
        "summary": "summary:\n  es: Un resumen breve.\n  en: A short summary.",
        "type": "type: guideline",
        "organizations": "organizations: [iom]",
        "year": "year: 2016",
        "themes": "themes: [best-interests]",
        "stages": "stages: [origin]",
        "languages": "languages: [es]",
        "links": "links:\n  - url: https://www.iom.int/example\n    kind: official\n    language: es",
        "added": 'added: "2026-11-01"',
        "reviewed": 'reviewed: "2026-11-01"',
    }
    fields.update(overrides)
    return "# yaml-language-server: $schema=../schema/entry.schema.json\n" + "\n".join(
        value for value in fields.values() if value) + "\n"


def copy_repo(destination: Path) -> Path:
    """A throwaway copy of the repository (sources only) to build or break without touching the real one."""
    return _copy_repo(destination, REPO)


@pytest.fixture
def temp_repo(tmp_path: Path) -> Path:
    return copy_repo(tmp_path / "repo")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real repository's site, built once per test session (MkDocs + Pagefind)."""
    from rcmkb.build import build_site

    out = tmp_path_factory.mktemp("site") / "site"
    return build_site(REPO, out)


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site served over HTTP on 127.0.0.1 (Pagefind does not run from file://)."""
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(locale="es-ES")  # type: ignore[attr-defined]
    yield context.new_page()
    context.close()


# Pages nearly every visitor meets, relative to a language's root ("" or "en/"): the accessibility and
# third-party-request tests load each in both languages.
KEY_ENTRY = "rcm-regional-guidelines-child-protection-2016"


def biggest_theme() -> str:
    """The theme with the most entries: its handout is the longest to print."""
    from rcmkb.generate import load_model

    model = load_model(REPO / "catalog")
    return max(model.vocab["themes"].terms, key=lambda term: len(model.entries_with("themes", term)))


def key_pages() -> list[str]:
    return ["", "catalogo/", f"catalogo/{KEY_ENTRY}/", "catalogo/glosario/", "catalogo/mandatos/",
            f"catalogo/folleto/{biggest_theme()}/"]
