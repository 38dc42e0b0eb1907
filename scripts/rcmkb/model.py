"""The catalog as the site sees it: validated data plus everything derived from it.

Derived facts (superseded by, followed by, which tools a decision adopted, counts per term)
are computed here once, never stored in YAML, so each fact keeps a single source of truth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rcmkb.catalog import Catalog, Vocabulary
from rcmkb.routes import FACETS, LANGS

__all__ = ["FACETS", "GLOBAL", "LANGS", "REGIONAL", "KnownBy", "SiteModel", "as_list", "build_model"]

LINK_KIND_ORDER = {"official": 0, "record": 1, "copy": 2, "mention": 3}



def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


REGIONAL = "regional"  # the countries term of instruments that apply to all members
GLOBAL = "global"  # the countries term of instruments that apply everywhere
# Country terms that name no country: an entry's country filter and search names leave them out.
_NOT_A_COUNTRY = (GLOBAL, REGIONAL)


@dataclass(frozen=True)
class KnownBy:
    """What SiteModel.known_by finds: the entry's countries' names (for the country filter), its issuers'
    and countries' names with the issuers' acronyms, and its aliases."""

    countries: list[str]
    names: list[str]
    aliases: list[str]


@dataclass
class SiteModel:
    catalog: Catalog
    entries: list[dict[str, Any]] = field(default_factory=list)  # sorted by id
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    decisions_by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    superseded_by: dict[str, list[str]] = field(default_factory=dict)
    followed_by: dict[str, list[str]] = field(default_factory=dict)
    adopted: dict[str, list[str]] = field(default_factory=dict)  # decision id -> entry ids
    requested: dict[str, list[str]] = field(default_factory=dict)
    agreements: dict[str, list[str]] = field(default_factory=dict)  # report id -> agreement ids
    glossary_by_entry: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _term_index: dict[str, dict[Any, list[dict[str, Any]]]] = field(default_factory=dict, repr=False)

    @property
    def vocab(self) -> dict[str, Vocabulary]:
        return self.catalog.vocab

    @property
    def glossary(self) -> dict[str, Any]:
        doc = self.catalog.glossary
        return doc.data if doc is not None and isinstance(doc.data, dict) else {"terms": [], "acronyms": []}

    def label(self, vocab_name: str, term: str, lang: str) -> str:
        return self.vocab[vocab_name].terms[term][lang]

    def entries_with(self, field_name: str, term: str) -> list[dict[str, Any]]:
        """The entries (in id order) whose field holds the term; indexed once, asked for by every listing."""
        index = self._term_index.get(field_name)
        if index is None:
            index = {}
            for entry in self.entries:
                for value in as_list(entry.get(field_name)):
                    bucket = index.setdefault(value, [])
                    if not bucket or bucket[-1] is not entry:
                        bucket.append(entry)
            self._term_index[field_name] = index
        return list(index.get(term, ()))

    def known_by(self, entry: dict[str, Any]) -> KnownBy:
        """The names an entry is found by in search, in both languages (the same on each language's page)."""
        organizations, countries = self.vocab["organizations"].terms, self.vocab["countries"].terms
        places = [countries[c] for c in as_list(entry.get("countries")) if c not in _NOT_A_COUNTRY]
        names: list[str] = []
        for term in (organizations[o] for o in entry["organizations"]):
            names += [term["es"], term["en"], *dict.fromkeys((term.get("acronym") or {}).values())]
        for place in places:
            names += [place["es"], place["en"]]
        aliases = entry.get("aliases") or {}
        return KnownBy(countries=[name for place in places for name in dict.fromkeys((place["es"], place["en"]))],
                       names=names, aliases=[*aliases.get("es", []), *aliases.get("en", [])])

    def sorted_links(self, entry: dict[str, Any]) -> list[dict[str, Any]]:
        # Official and record links first, keeping the maintainer's order within each kind.
        return sorted(entry["links"], key=lambda link: LINK_KIND_ORDER[link["kind"]])


def build_model(catalog: Catalog) -> SiteModel:
    model = SiteModel(catalog=catalog)
    model.entries = sorted((doc.data for doc in catalog.entries.values()), key=lambda e: e["id"])
    model.by_id = {e["id"]: e for e in model.entries}
    model.decisions = sorted((doc.data for doc in catalog.decisions.values()),
                             key=lambda d: (d.get("part_of") or d["id"], d.get("number", 0), d["id"]))
    model.decisions_by_id = {d["id"]: d for d in model.decisions}
    for entry in model.entries:
        for old in entry.get("supersedes", []):
            model.superseded_by.setdefault(old, []).append(entry["id"])
        for earlier in entry.get("preceded_by", []):
            model.followed_by.setdefault(earlier, []).append(entry["id"])
        for decision in entry.get("adopted_by", []):
            model.adopted.setdefault(decision, []).append(entry["id"])
        for decision in entry.get("requested_by", []):
            model.requested.setdefault(decision, []).append(entry["id"])
    for decision in model.decisions:
        if decision.get("part_of"):
            model.agreements.setdefault(decision["part_of"], []).append(decision["id"])
    for term in model.glossary.get("terms", []):
        for entry_id in term.get("entries", []):
            model.glossary_by_entry.setdefault(entry_id, []).append(term)
    return model
