"""Synthetic but valid catalogs of any size, derived from the real one, for the benchmark.

The first entries are the real ones, verbatim (so decisions and the glossary keep pointing at
ids that exist); the rest are variations of them with a new id, text mixed from the words of
the real summaries and titles, and other years, themes, organizations and cross-references.
Everything is seeded: the same N always gives the same catalog.
"""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from bench.support import copy_repo
from rcmkb.catalog import ENTRY_TERM_FIELDS
from rcmkb.validate import RESERVED_IDS

ENTRY_REFS = ("supersedes", "preceded_by", "related")
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
HEADER = "# yaml-language-server: $schema=../schema/entry.schema.json\n"


class _NoAliasDumper(yaml.SafeDumper):
    """The catalog loader rejects YAML aliases, so never write any."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False, width=110)


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


class _TextMixer:
    """Plain text made from the words of the real catalog, one pool per language and field."""

    def __init__(self, texts: dict[str, Iterable[str]]) -> None:
        self.pools = {key: [w for text in values for w in _WORD.findall(text)] for key, values in texts.items()}

    def mix(self, rng: random.Random, template: str, pool: str, share: float) -> str:
        """`template` with about `share` of its words swapped for random words of the pool (same length)."""
        words = self.pools[pool]

        def swap(match: re.Match[str]) -> str:
            return rng.choice(words) if rng.random() < share else match.group(0)

        return _WORD.sub(swap, template)


def _vocab_terms(catalog_dir: Path) -> dict[str, list[str]]:
    terms = {}
    for vocab_name in set(ENTRY_TERM_FIELDS.values()):
        data = _read(catalog_dir / "vocab" / f"{vocab_name}.yml")
        terms[vocab_name] = [t["id"] for t in data["terms"]]
    return terms


def _load_entries(catalog_dir: Path) -> list[dict[str, Any]]:
    return [_read(p) for p in sorted((catalog_dir / "entries").glob("*.yml"))]


def synthetic_ids(real_ids: list[str], n: int) -> list[str]:
    """N unique ids: the real ones first, then `<real id>-v<i>` (valid, never reserved, at most 80 characters)."""
    ids = list(real_ids[:n])
    for index in range(len(ids), n):
        base = real_ids[index % len(real_ids)][:70].rstrip("-")
        ids.append(f"{base}-v{index}")
    assert not set(ids) & RESERVED_IDS and len(set(ids)) == n
    return ids


def _variant(template: dict[str, Any], new_id: str, index: int, ids: list[str], mixer: _TextMixer,
             vocab: dict[str, list[str]], rng: random.Random, max_year: int) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": new_id}
    entry["title"] = {lang: mixer.mix(rng, template["title"][lang], f"title-{lang}", 0.5) + f" ({index})"
                      for lang in ("es", "en")}
    for key in ("title_unofficial",):
        if key in template:
            entry[key] = template[key]
    entry["summary"] = {lang: mixer.mix(rng, template["summary"][lang], f"summary-{lang}", 0.4)
                        for lang in ("es", "en")}
    entry["type"] = rng.choice(vocab["types"])
    entry["organizations"] = rng.sample(vocab["organizations"], rng.randint(1, 2))
    if "year" not in template.get("unknown", []):
        year = rng.randint(1995, max_year)
        entry["year"] = year
        entry["dates"] = {"published": f"{year}-{rng.randint(1, 12):02d}"}
    entry["themes"] = rng.sample(vocab["themes"], rng.randint(1, 3))
    entry["stages"] = rng.sample(vocab["stages"], rng.randint(1, 3))
    entry["audiences"] = rng.sample(vocab["audiences"], rng.randint(1, 3))
    entry["countries"] = rng.sample(vocab["countries"], rng.randint(1, 2))
    entry["languages"] = template["languages"]
    entry["links"] = template["links"]
    if "status" in template and template["status"] != "superseded":
        entry["status"] = template["status"]
    # Cross-references only to ids that exist: earlier variants and random others.
    if index % 25 == 0:
        entry["supersedes"] = [ids[index - 1]]
    elif index % 10 == 0:
        entry["preceded_by"] = [ids[index - 1]]
    related = {ids[rng.randrange(len(ids))] for _ in range(rng.randint(0, 3))} - {new_id}
    if related:
        entry["related"] = sorted(related)
    for key in ("adopted_by", "requested_by", "keywords", "aliases", "unknown", "added", "reviewed", "source_notes"):
        if key in template:
            entry[key] = template[key]
    return entry


def _prune_refs(entry: dict[str, Any], known: set[str]) -> dict[str, Any]:
    for key in ENTRY_REFS:
        if key in entry:
            kept = [ref for ref in entry[key] if ref in known]
            if kept:
                entry[key] = kept
            else:
                del entry[key]
    return entry


def make_entries(real: list[dict[str, Any]], n: int, vocab: dict[str, list[str]], max_year: int,
                 seed: int = 7) -> list[dict[str, Any]]:
    ids = synthetic_ids([e["id"] for e in real], n)
    known = set(ids)
    mixer = _TextMixer({f"{field}-{lang}": [e[field][lang] for e in real]
                        for field in ("title", "summary") for lang in ("es", "en")})
    entries = [_prune_refs(dict(e), known) for e in real[:n]]
    for index in range(len(entries), n):
        rng = random.Random(seed * 1_000_003 + index)
        entries.append(_variant(real[index % len(real)], ids[index], index, ids, mixer, vocab, rng, max_year))
    # An entry that another replaces must say it is superseded (validation rule status-superseded).
    replaced = {old for e in entries for old in e.get("supersedes", [])}
    for entry in entries:
        if entry["id"] in replaced:
            entry["status"] = "superseded"
    return entries


def _prune_catalog_refs(catalog_dir: Path, known: set[str]) -> None:
    """Drop references to real entries left out (only when N is smaller than the real catalog)."""
    glossary_path = catalog_dir / "glossary.yml"
    if glossary_path.is_file():
        glossary = _read(glossary_path)
        terms = []
        for term in glossary.get("terms") or []:
            term["entries"] = [ref for ref in term.get("entries", []) if ref in known]
            if term["entries"]:
                terms.append(term)
        glossary["terms"] = terms
        glossary_path.write_text(dump_yaml(glossary), encoding="utf-8")
    for path in sorted((catalog_dir / "decisions").glob("*.yml")):
        decision = _read(path)
        if "concerns" in decision:
            kept = [ref for ref in decision["concerns"] if ref in known]
            if kept != decision["concerns"]:
                if kept:
                    decision["concerns"] = kept
                else:
                    del decision["concerns"]
                path.write_text(dump_yaml(decision), encoding="utf-8")


def write_synthetic_catalog(real_catalog: Path, catalog_dir: Path, n: int, max_year: int = 2025) -> list[str]:
    """Replace catalog_dir/entries with N entries derived from real_catalog. Returns the entry ids."""
    real = _load_entries(real_catalog)
    if not real:
        raise ValueError(f"no entries in {real_catalog}/entries to derive a synthetic catalog from")
    entries = make_entries(real, n, _vocab_terms(real_catalog), max_year)
    entries_dir = catalog_dir / "entries"
    if entries_dir.exists():
        shutil.rmtree(entries_dir)
    entries_dir.mkdir(parents=True)
    for entry in entries:
        (entries_dir / f"{entry['id']}.yml").write_text(HEADER + dump_yaml(entry), encoding="utf-8")
    if n < len(real):
        _prune_catalog_refs(catalog_dir, {e["id"] for e in entries})
    return [e["id"] for e in entries]


def make_bench_repo(source_repo: Path, destination: Path, n: int) -> Path:
    """A throwaway copy of the repository whose catalog holds N synthetic entries."""
    repo = copy_repo(destination, source_repo, leave_out=("tests",))  # the copy is built, never tested
    write_synthetic_catalog(source_repo / "catalog", repo / "catalog", n)
    return repo
