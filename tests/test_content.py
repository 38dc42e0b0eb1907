"""The real catalog keeps the content promises: recorded provenance, both languages, labelled copies and translations.

Everything here reads the repository only. The provenance each entry records (`provenance:`, `links[].source`)
travels with the catalog, so these tests pass on a bare clone with no source dossier beside it.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import REPO
from rcmkb.model import build_model
from rcmkb.validate import validate

MIN_ENTRIES = 95  # issue 11: the dossier's 44 + the 2017 report + its other items + addendum 2's 43
MEMBER_COUNTRIES = ["BZ", "CA", "CR", "DO", "SV", "GT", "HN", "MX", "NI", "PA", "US"]

# Hosts that are proxies, development or test servers: never linked, even where a source saw a page on one.
# Addendum 2 names a `wr-dev.` IRB host, a `tomorrow.paperai.life` proxy and a `fanyv88.com` proxy.
FORBIDDEN_HOST = re.compile(
    r"(^|\.)(paperai\.life|fanyv88\.com|go-vip\.co|un-icc\.cloud)\.?$"
    r"|^(deploy|admin|staging|test|dev)\."
    r"|(^|[.-])(dev|develop|staging|test)([.-]|$)")

# Where a source item may point, per source document (see catalog/schema/entry.schema.json, sourceRef.item).
ITEM_FORMS = {
    "dossier": re.compile(r"^([A-J]\.\d{1,2}|other|mandates|facts|gaps)$"),
    "addendum-2": re.compile(r"^(\d\.\d{1,2}|P3|P4|other)$"),
    "report-2017": re.compile(r"^(\d{1,2}|whole)$"),
    "maintainer": re.compile(r"\S"),
}


def schema_enum(*path: str) -> set[str]:
    """An enum of the entry schema, so the tests follow the schema rather than repeat it."""
    node = json.loads((REPO / "catalog" / "schema" / "entry.schema.json").read_text(encoding="utf-8"))
    for key in path:
        node = node[key]
    return set(node["enum"])


SOURCE_DOCUMENTS = schema_enum("$defs", "sourceRef", "properties", "document")
SEEN_AS = schema_enum("$defs", "link", "properties", "source", "properties", "seen_as")
CONFIDENCE = schema_enum("$defs", "confidence")
STRINGS = yaml.safe_load((REPO / "scripts" / "rcmkb" / "templates" / "strings.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def model():
    catalog, findings = validate(REPO / "catalog")
    assert not findings.errors, "\n".join(f.format() for f in findings.errors)
    return build_model(catalog)


def all_links(model) -> list[tuple[str, dict]]:
    links = [(e["id"], link) for e in model.entries for link in e["links"]]
    links += [(d["id"], link) for d in model.decisions for link in d.get("links", [])]
    return links


def test_at_least_95_entries_each_bilingual_with_a_link_a_page_or_a_said_gap(model) -> None:
    assert len(model.entries) >= MIN_ENTRIES
    for entry in model.entries:
        assert entry["title"]["es"] and entry["title"]["en"] and entry["summary"]["es"] and entry["summary"]["en"]
        has_link = any(link.get("url") or link.get("site_page") for link in entry["links"])
        assert has_link or "document-text" in entry.get("unknown", []), entry["id"]


@pytest.mark.parametrize("country", MEMBER_COUNTRIES)
def test_every_member_country_has_a_national_entry(model, country: str) -> None:
    national = [e["id"] for e in model.entries
                if country in e.get("countries", []) and "regional" not in e.get("countries", [])]
    assert national, f"no national entry for {country}"


def test_every_link_records_where_it_was_seen(model) -> None:
    for owner, link in all_links(model):
        where = link.get("url") or link.get("site_page")
        source = link.get("source")
        assert source, f"{owner}: {where} has no source"
        assert source["document"] in SOURCE_DOCUMENTS, (owner, where, source)
        assert source["seen_as"] in SEEN_AS, (owner, where, source)
        assert source["confidence"] in CONFIDENCE, (owner, where, source)
        assert ITEM_FORMS[source["document"]].search(source["item"]), f"{owner}: {where}: item {source['item']!r}"


def test_every_entry_records_its_provenance_and_each_link_source_is_among_it(model) -> None:
    for entry in model.entries:
        provenance = entry.get("provenance")
        assert provenance, f"{entry['id']} has no provenance"
        for item in provenance:
            assert ITEM_FORMS[item["document"]].search(item["item"]), (entry["id"], item)
        consulted = {(item["document"], item["item"]) for item in provenance}
        for link in entry["links"]:
            source = (link["source"]["document"], link["source"]["item"])
            assert source in consulted, f"{entry['id']}: link source {source} is missing from its provenance"


def test_every_numbered_item_of_the_dossier_is_recorded_as_some_entrys_provenance(model) -> None:
    # The dossier catalogues 44 instruments (A.1 to J.44); each must be the source of at least one entry.
    numbers = {int(item["item"].split(".")[1]) for entry in model.entries for item in entry["provenance"]
               if item["document"] == "dossier" and re.match(r"^[A-J]\.\d+$", item["item"])}
    assert sorted(set(range(1, 45)) - numbers) == []


def test_urls_are_whole_web_addresses_and_none_is_a_proxy_or_development_host(model) -> None:
    for owner, link in all_links(model):
        if "url" not in link:
            continue
        url = link["url"]
        parts = urlsplit(url)
        assert parts.scheme in ("http", "https") and parts.hostname, f"{owner}: {url}"
        # A truncated address is shown with an ellipsis in the sources and must never be linked.
        assert "…" not in url and not re.search(r"\s", url), f"{owner}: {url} is cut short"
        assert not FORBIDDEN_HOST.search(parts.hostname), f"{owner}: {url} is a proxy or development host"


@pytest.mark.parametrize("host", ["tomorrow.paperai.life", "fanyv88.com", "www.fanyv88.com", "wr-dev.irb-cisr.gc.ca",
                                  "web.test.ohchr.un-icc.cloud", "prensalibre-com-develop.go-vip.co",
                                  "deploy.studylib.es", "admin.mvs.editor80.com"])
def test_the_forbidden_host_rule_catches_the_hosts_the_sources_warn_about(host: str) -> None:
    assert FORBIDDEN_HOST.search(host)


@pytest.mark.parametrize("host", ["rcmvs.org", "www.unicef.org", "prensalibre.com", "issuu.com.", "docslib.org",
                                  "developers.example.org", "agn.gt"])
def test_the_forbidden_host_rule_leaves_ordinary_hosts_alone(host: str) -> None:
    assert not FORBIDDEN_HOST.search(host)


def test_addendum_2_better_links_are_in_place(model) -> None:
    # Priority 3: the RCM's own publications page for the 2007 and 2009 guidelines, UNICEF's English title.
    for entry_id in ("rcm-guidelines-trafficking-repatriation-2007", "rcm-guidelines-uac-repatriation-2009"):
        issuer = [link for link in model.by_id[entry_id]["links"] if "rcmvs.org" in link.get("url", "")]
        assert issuer and issuer[0]["kind"] == "official" and issuer[0]["source"]["document"] == "addendum-2"
    note = model.by_id["unicef-lacro-regularization-note-2020"]
    assert "en" not in note.get("title_unofficial", [])
    assert note["title"]["en"].startswith("Technical note - Migratory regularization")


@pytest.mark.parametrize(("entry_id", "alias"), [
    ("sre-unicef-consular-protocol-uac-2015",
     "Protocol of Consular Assistance for Unaccompanied Migrant Boys, Girls and Adolescents"),
    ("rcm-liaison-network-first-meeting-report-2017",
     "First Meeting of the Liaison Officer Network for the Protection of Migrant Boys, Girls and Adolescents"),
])
def test_an_alias_with_a_comma_stays_one_alias(model, entry_id: str, alias: str) -> None:
    # Written inline as [a, b], such a name used to be split in two search aliases.
    aliases = model.by_id[entry_id]["aliases"]["en"]
    assert alias in aliases and "Girls and Adolescents" not in aliases


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
def test_mandates_page_shows_each_agreement_with_its_status_and_summary_in_both_languages(
        model, built_site: Path) -> None:
    for lang, prefix in (("es", ""), ("en", "en/")):
        page = html.unescape((built_site / prefix / "catalogo" / "mandatos" / "index.html").read_text("utf-8"))
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))
        statuses = STRINGS[lang]["decision_status"]
        previous = -1
        for number in range(1, 14):
            agreement = model.decisions_by_id[f"tegucigalpa-2017-agreement-{number}"]
            assert f"tegucigalpa-2017-agreement-{number}/" in page
            title = text.find(agreement["title"][lang], previous + 1)
            summary = text.find(re.sub(r"\s+", " ", agreement["summary"][lang]), title)
            status = text.find(statuses[agreement["status"]], title)
            assert previous < title < status < summary, (lang, number)  # in order, each under its own title
            previous = summary
        assert "Pablo Ceriani" in text


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
