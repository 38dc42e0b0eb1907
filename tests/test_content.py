"""The real catalog keeps the content promises: sourced URLs, both languages, labelled copies and translations."""

from __future__ import annotations

import html
import itertools
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import REPO
from rcmkb.model import build_model
from rcmkb.validate import validate

DOSSIER = REPO.parent / "shared" / "sources" / "rcm-sources.md"
# Hosts that are proxies, development or test servers: never linked, even if seen in the dossier.
FORBIDDEN_HOST = re.compile(r"(^|\.)(paperai\.life|go-vip\.co|un-icc\.cloud)$|^(deploy|admin|staging|test|dev)\.|"
                            r"(^|[.-])(develop|staging)([.-]|$)")


@pytest.fixture(scope="module")
def model():
    catalog, findings = validate(REPO / "catalog")
    assert not findings.errors, "\n".join(f.format() for f in findings.errors)
    return build_model(catalog)


def all_links(model) -> list[tuple[str, dict]]:
    links = [(e["id"], link) for e in model.entries for link in e["links"]]
    links += [(d["id"], link) for d in model.decisions for link in d.get("links", [])]
    return links


def test_at_least_44_entries_each_bilingual_with_a_link(model) -> None:
    assert len(model.entries) >= 45  # sections A-J of the dossier, plus the 2017 report
    for entry in model.entries:
        assert entry["title"]["es"] and entry["title"]["en"] and entry["summary"]["es"] and entry["summary"]["en"]
        assert entry["links"], entry["id"]


def test_every_dossier_entry_id_is_in_the_catalog(model) -> None:
    dossier_ids = re.findall(r"^### \d+\. `([a-z0-9-]+)`", DOSSIER.read_text(encoding="utf-8"), re.M)
    assert len(dossier_ids) == 44
    assert sorted(set(dossier_ids) - set(model.by_id)) == []


def test_every_url_comes_from_the_dossier_and_none_is_a_proxy(model) -> None:
    dossier = DOSSIER.read_text(encoding="utf-8")
    for owner, link in all_links(model):
        if "url" not in link:
            continue
        url = link["url"]
        assert url in dossier, f"{owner}: {url} is not in the dossier"
        # Never a truncated address: the dossier URL must end where ours ends.
        assert re.search(re.escape(url) + r"(?=[\s)`>|,;]|$)", dossier, re.M), f"{owner}: {url} is cut short"
        assert not FORBIDDEN_HOST.search(urlsplit(url).hostname or ""), f"{owner}: {url} is a proxy or dev host"


def test_the_13_agreements_of_2017_are_all_there(model) -> None:
    agreements = model.agreements["tegucigalpa-2017-report"]
    numbers = sorted(model.decisions_by_id[a]["number"] for a in agreements)
    assert numbers == list(range(1, 14))
    assert all(model.decisions_by_id[a].get("status") for a in agreements)


def test_glossary_has_30_bilingual_terms_each_linked_to_an_entry(model) -> None:
    terms = model.glossary["terms"]
    assert len(terms) >= 30
    for term in terms:
        assert term["term"]["es"] and term["term"]["en"] and term["definition"]["es"] and term["definition"]["en"]
        assert term["entries"] and all(e in model.by_id for e in term["entries"])


def test_lineage_chains(model) -> None:
    assert model.superseded_by["unhcr-bid-guidelines-2008"] == ["unhcr-bip-guidelines-2021"]
    assert model.superseded_by["unhcr-bid-field-handbook-2011"] == ["unhcr-bip-guidelines-2021"]
    chain = ["rcm-guidelines-trafficking-repatriation-2007", "rcm-guidelines-uac-repatriation-2009",
             "rcm-guidelines-identification-referral-2013", "rcm-regional-guidelines-child-protection-2016"]
    for earlier, later in itertools.pairwise(chain):
        assert earlier in model.by_id[later].get("preceded_by", []), later
    assert model.by_id["rcm-children-network-strategic-plan-2017-2022"]["status"] == "draft"


@pytest.mark.build
def test_pages_label_unofficial_titles_and_copies(model, built_site: Path) -> None:
    for entry in model.entries:
        for lang, prefix, unofficial, copy in (
            ("es", "", "Traducción no oficial del título", "Copia no oficial en un sitio de terceros"),
            ("en", "en/", "Unofficial translation of the title", "Unofficial copy on a third-party site"),
        ):
            page = html.unescape((built_site / prefix / "catalogo" / entry["id"] / "index.html").read_text("utf-8"))
            assert (unofficial in page) == (lang in entry.get("title_unofficial", [])), (entry["id"], lang)
            copies = sum(1 for link in entry["links"] if link["kind"] == "copy")
            assert page.count(copy) == copies, (entry["id"], lang)


@pytest.mark.build
def test_mandates_page_lists_agreements_with_status_in_both_languages(built_site: Path) -> None:
    for prefix, word in (("", "Cumplido"), ("en/", "Done")):
        page = (built_site / prefix / "catalogo" / "mandatos" / "index.html").read_text(encoding="utf-8")
        for number in range(1, 14):
            assert f"tegucigalpa-2017-agreement-{number}/" in page
        assert word in page


@pytest.mark.build
def test_acronyms_expand_on_hover_in_the_page_language(built_site: Path) -> None:
    entry = "iom-handbook-vulnerable-migrants-2019"
    spanish = (built_site / "catalogo" / entry / "index.html").read_text(encoding="utf-8")
    english = (built_site / "en" / "catalogo" / entry / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="Organización Internacional para las Migraciones">OIM</abbr>' in spanish
    assert '<abbr title="International Organization for Migration">IOM</abbr>' in english


def test_every_catalog_file_declares_its_schema_for_editors() -> None:
    expected = {"entries": "entry", "decisions": "decision"}
    for folder, schema in expected.items():
        for path in sorted((REPO / "catalog" / folder).glob("*.yml")):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first == f"# yaml-language-server: $schema=../schema/{schema}.schema.json", path.name
