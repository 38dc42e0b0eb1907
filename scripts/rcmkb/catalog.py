"""The catalog on disk: entries, RCM decisions, vocabularies and the glossary."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rcmkb.fields import entry_term_fields
from rcmkb.findings import Finding, Findings
from rcmkb.forked import forked_worker, worth_forking
from rcmkb.load import Document, is_regular_file, load_yaml

VOCABULARIES = ("types", "themes", "stages", "audiences", "countries", "languages", "organizations")

# Entry field -> vocabulary its terms come from: derived from the `x-vocabulary` marks of the schema.
ENTRY_TERM_FIELDS = entry_term_fields()
YAML_SUFFIXES = frozenset({".yml", ".yaml"})
LINK_EXCEPTIONS_FILE = "link-exceptions.yml"


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
    link_exceptions: Document | None = None
    # Files in entries/ or decisions/ that are not read (x.YML, x.yml.txt, a subfolder): named, not ignored.
    skipped: list[Path] = field(default_factory=list)

    @property
    def schema_dir(self) -> Path:
        return self.root / "schema"


def _yaml_files(folder: Path, skipped: list[Path]) -> list[Path]:
    """The catalog files of a folder; anything else in it goes to `skipped`.

    A symlink or another non-regular file named *.yml is returned, so that the loader refuses it
    with a message (without reading it).
    """
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.suffix in YAML_SUFFIXES and (is_regular_file(path) or not path.is_dir()):
            found.append(path)
        elif not path.name.startswith("."):  # .gitkeep and editor files are nobody's entry
            skipped.append(path)
    return found


Load = Callable[[Path, Findings], "Document | None"]  # load_yaml, or the preview's remembering one


def _load_each(paths: list[Path], findings: Findings, load: Load = load_yaml) -> list[tuple[str, Document | None]]:
    loaded = []
    for path in paths:
        if path.suffix == ".yaml":
            findings.say(path, 1, 1, "file-name", "file-name")
        loaded.append((path.stem, load(path, findings)))
    return loaded


def _load_entries(paths: list[Path], findings: Findings, load: Load,
                  parallel: bool) -> list[tuple[str, Document | None]]:
    """The entry files, loaded in order; with `parallel`, a large catalog's second half in a forked
    child (two cores: parsing is most of validation), with its findings added after the first
    half's, so everything reads as if loaded in one process."""
    if not parallel or not worth_forking(len(paths)):
        return _load_each(paths, findings, load)
    half = len(paths) // 2

    def second_half() -> tuple[list[tuple[str, Document | None]], list[Finding]]:
        own = Findings(lang=findings.lang)
        return _load_each(paths[half:], own, load), own.items

    with forked_worker({"load": second_half}) as submit:
        there = submit("load")
        loaded = _load_each(paths[:half], findings, load)
        more, found = there.result()
    findings.items.extend(found)
    return loaded + more


def load_catalog(root: Path, findings: Findings, load: Load = load_yaml, parallel: bool = True) -> Catalog:
    """Parse every catalog file. Unreadable files are reported and left out; nothing stops at the first problem.
    `load` reads one file (the preview passes one that remembers unchanged files, and so must
    call it in this process: `parallel=False`)."""
    catalog = Catalog(root=root)
    if not (root / "entries").is_dir():
        findings.say(root, 1, 1, "catalog-layout", "catalog-layout-no-entries", root=root)
        return catalog
    for stem, doc in _load_entries(_yaml_files(root / "entries", catalog.skipped), findings, load, parallel):
        if doc is not None:
            catalog.entries[stem] = doc
    for path in _yaml_files(root / "decisions", catalog.skipped):
        doc = load(path, findings)
        if doc is not None:
            catalog.decisions[path.stem] = doc
    for name in VOCABULARIES:
        path = root / "vocab" / f"{name}.yml"
        vocabulary = Vocabulary(name=name, doc=None)
        if path.exists() or path.is_symlink():
            vocabulary.doc = load(path, findings)
            data = vocabulary.doc.data if vocabulary.doc is not None else None
            if isinstance(data, dict) and isinstance(data.get("terms"), list):
                vocabulary.terms = {t["id"]: t for t in data["terms"]
                                    if isinstance(t, dict) and isinstance(t.get("id"), str)}
        else:
            findings.say(path, 1, 1, "catalog-layout", "catalog-layout-no-vocabulary", name=name)
        catalog.vocab[name] = vocabulary
    glossary = root / "glossary.yml"
    if glossary.exists() or glossary.is_symlink():
        catalog.glossary = load(glossary, findings)
    exceptions = root / LINK_EXCEPTIONS_FILE
    if exceptions.exists() or exceptions.is_symlink():
        catalog.link_exceptions = load(exceptions, findings)
    return catalog
