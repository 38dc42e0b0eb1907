"""The catalog on disk: entries, RCM decisions, vocabularies and the glossary."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rcmkb.findings import Findings
from rcmkb.load import Document, load_yaml

VOCABULARIES = ("types", "themes", "stages", "audiences", "countries", "languages", "organizations")

# Entry field -> vocabulary its terms come from.
ENTRY_TERM_FIELDS = {
    "type": "types",
    "organizations": "organizations",
    "themes": "themes",
    "stages": "stages",
    "audiences": "audiences",
    "countries": "countries",
    "languages": "languages",
}


@dataclass
class Vocabulary:
    name: str
    doc: Document | None
    terms: dict[str, dict[str, Any]] = field(default_factory=dict)

    def label(self, term: str, lang: str) -> str:
        return self.terms[term][lang]


@dataclass
class Catalog:
    root: Path
    entries: dict[str, Document] = field(default_factory=dict)  # keyed by file stem
    decisions: dict[str, Document] = field(default_factory=dict)
    vocab: dict[str, Vocabulary] = field(default_factory=dict)
    glossary: Document | None = None

    @property
    def schema_dir(self) -> Path:
        return self.root / "schema"


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in {".yml", ".yaml"})


def load_catalog(root: Path, findings: Findings) -> Catalog:
    """Parse every catalog file. Unreadable files are reported and left out; nothing stops at the first problem."""
    catalog = Catalog(root=root)
    if not (root / "entries").is_dir():
        findings.add(root, 1, 1, "catalog-layout", f"no entries/ folder in {root}: is this the catalog folder?")
        return catalog
    for path in _yaml_files(root / "entries"):
        if path.suffix == ".yaml":
            findings.add(path, 1, 1, "file-name", "entry files end in .yml, not .yaml: rename the file.")
        doc = load_yaml(path, findings)
        if doc is not None:
            catalog.entries[path.stem] = doc
    for path in _yaml_files(root / "decisions"):
        doc = load_yaml(path, findings)
        if doc is not None:
            catalog.decisions[path.stem] = doc
    for name in VOCABULARIES:
        path = root / "vocab" / f"{name}.yml"
        vocabulary = Vocabulary(name=name, doc=None)
        if path.is_file():
            vocabulary.doc = load_yaml(path, findings)
            data = vocabulary.doc.data if vocabulary.doc is not None else None
            if isinstance(data, dict) and isinstance(data.get("terms"), list):
                vocabulary.terms = {t["id"]: t for t in data["terms"] if isinstance(t, dict) and "id" in t}
        else:
            findings.add(path, 1, 1, "catalog-layout", f"the vocabulary file vocab/{name}.yml is missing.")
        catalog.vocab[name] = vocabulary
    glossary = root / "glossary.yml"
    if glossary.is_file():
        catalog.glossary = load_yaml(glossary, findings)
    return catalog
