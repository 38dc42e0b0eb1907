"""Relevance of the site search: tests/relevance/queries.yml against the built site.

Each query runs in Chromium, on a page of its language, through the ranking the header box itself
uses (window.rcmSearch.rank in assets/search.js: Pagefind, catalog pages first), so the ranking is
the one an officer sees. Every listed entry must be among the first five results, and the first
result must be a tool: an entry or decision page, never a listing or a page about the site.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO

pytestmark = [pytest.mark.build, pytest.mark.browser]

QUERIES = Path(__file__).parent / "relevance" / "queries.yml"
KINDS = {"accents", "plural", "acronym", "role", "title", "topic", "country", "issuer"}
TOOL_PAGE = re.compile(r"/(?:en/)?catalogo/(?:decisiones/)?[a-z0-9-]+/")
# Pages under /catalogo/ that are not tools: browse indexes, handouts and the site's own lists.
NOT_TOOLS = {"tipo", "tema", "etapa", "publico", "organizacion", "pais", "folleto", "mandatos", "glosario",
             "pendientes", "decisiones"}

# What a country or issuer query's first result must hold (its `first` in queries.yml).
FIRST_FIELD = {"country": "countries", "issuer": "organizations"}


def _load() -> dict[str, list[dict[str, Any]]]:
    return yaml.safe_load(QUERIES.read_text(encoding="utf-8"))


CASES = [(lang, case["query"]) for lang, cases in _load().items() for case in cases]


def test_the_set_is_large_and_varied_enough() -> None:
    data = _load()
    assert set(data) == {"es", "en"}
    entry_ids = {path.stem for path in (REPO / "catalog" / "entries").glob("*.yml")}
    for lang, cases in data.items():
        assert len(cases) >= 20, f"{lang}: only {len(cases)} queries"
        needed = {"plural", "acronym", "role", "country", "issuer"} | ({"accents"} if lang == "es" else set())
        assert needed <= {c["kind"] for c in cases}, f"{lang}: no query of kind {needed - {c['kind'] for c in cases}}"
        for case in cases:
            assert case["kind"] in KINDS, case
            assert case["top5"] and len(case["top5"]) <= 5, case
            unknown = set(case["top5"]) - entry_ids
            assert not unknown, f"{lang} {case['query']!r}: no such entries {unknown}"
            # A country or issuer query says whose tools must come first.
            if case["kind"] in ("country", "issuer"):
                assert set(case.get("first", {})) == {FIRST_FIELD[case["kind"]]}, case
        queries = [c["query"] for c in cases]
        assert len(queries) == len(set(queries)), f"{lang}: duplicate queries"
    # The accent-free queries of the issue are in the set.
    spanish = {c["query"] for c in data["es"]}
    assert {"ninez no acompanada", "proteccion consular", "interes superior"} <= spanish


@pytest.fixture(scope="module")
def rankings(browser, site_url: str) -> dict[tuple[str, str], list[str]]:
    """Top five result paths for every query, run on a page of the query's language."""
    out: dict[tuple[str, str], list[str]] = {}
    context = browser.new_context()
    page = context.new_page()
    for lang, cases in _load().items():
        page.goto(site_url + ("" if lang == "es" else "en/"))
        assert page.locator("html").get_attribute("lang") == lang
        top = page.evaluate(
            "async (queries) => { const out = {};"
            " for (const q of queries) out[q] = await window.rcmSearch.rank(q, 5);"
            " return out; }",
            [case["query"] for case in cases],
        )
        for query, urls in top.items():
            out[(lang, query)] = urls
    context.close()
    return out


@pytest.mark.parametrize("lang, query", CASES, ids=[f"{lang}:{query}" for lang, query in CASES])
def test_query_finds_its_entries_in_the_first_five(rankings, lang: str, query: str) -> None:
    case = next(c for c in _load()[lang] if c["query"] == query)
    urls = rankings[(lang, query)]
    prefix = "/catalogo/" if lang == "es" else "/en/catalogo/"
    assert all(url.startswith("/en/") == (lang == "en") for url in urls), f"other language in {urls}"
    found = [re.sub(r"/$", "", url[len(prefix):]) for url in urls if url.startswith(prefix)]
    missing = [entry for entry in case["top5"] if entry not in found]
    assert not missing, f"{lang} {query!r} ({case['kind']}): {missing} not in the first five: {urls}"
    for field, value in case.get("first", {}).items():
        first = REPO / "catalog" / "entries" / f"{found[0] if found else '-'}.yml"
        held = yaml.safe_load(first.read_text(encoding="utf-8")).get(field) if first.is_file() else None
        assert value in (held or []), f"{lang} {query!r}: the first result {urls[:1]} has {field} {held}, not {value}"


def is_tool(url: str) -> bool:
    """An entry or decision page: /catalogo/<id>/ or /catalogo/decisiones/<id>/, in either language."""
    match = TOOL_PAGE.fullmatch(url)
    return bool(match) and url.rstrip("/").rsplit("/", 1)[-1] not in NOT_TOOLS


@pytest.mark.parametrize("lang, query", CASES, ids=[f"{lang}:{query}" for lang, query in CASES])
def test_the_first_result_is_a_tool(rankings, lang: str, query: str) -> None:
    urls = rankings[(lang, query)]
    assert urls and is_tool(urls[0]), f"{lang} {query!r}: the first result is not a tool: {urls}"
