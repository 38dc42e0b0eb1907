"""Load YAML files safely, keeping the line and column of every value.

PyYAML alone silently keeps the last of two duplicate keys (losing data), expands aliases
(a few lines can become gigabytes), and turns 2016-11-18 into a date object. This loader
composes the node tree itself so that it can reject those cases with a position, and keeps
dates as the text the maintainer wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from rcmkb.findings import Findings

MAX_FILE_BYTES = 256 * 1024  # an entry is a few KB; anything this large is a mistake

Path_ = tuple[Any, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and keeps timestamps as strings."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:  # type: ignore[override]
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _AliasFound(event.start_mark)
        return super().compose_node(parent, index)


# Dates stay strings ("2016-11"), so that partial dates and plain text are handled alike.
_Loader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _AliasFound(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        self.mark = mark


@dataclass
class Document:
    """A loaded YAML file: its data and where each value and key stands in the file."""

    path: Path
    data: Any = None
    value_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path_ = ()) -> tuple[int, int]:
        """Line and column of the value at `path`, or of its nearest ancestor."""
        path = tuple(path)
        while path:
            if path in self.value_positions:
                return self.value_positions[path]
            path = path[:-1]
        return self.value_positions.get((), (1, 1))

    def where_key(self, path: Path_) -> tuple[int, int]:
        """Line and column of the key that names `path` (falls back to the value)."""
        return self.key_positions.get(tuple(path)) or self.where(path)


def _position(node: Node | yaml.Mark) -> tuple[int, int]:
    mark = node.start_mark if isinstance(node, Node) else node
    return mark.line + 1, mark.column + 1


def _first_tab(text: str) -> tuple[int, int] | None:
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            return number, len(line) - len(stripped) + 1
    return None


def load_yaml(path: Path, findings: Findings) -> Document | None:
    """Read one YAML file. Problems go to `findings`; returns None when nothing usable was read."""
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        findings.add(path, 1, 1, "file-too-large",
                     f"the file is {len(raw) // 1024} KB; catalog files must stay under {MAX_FILE_BYTES // 1024} KB. "
                     "Split it, or remove pasted document text.")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        col = error.start - (before.rfind(b"\n") + 1) + 1
        findings.add(path, line, col, "encoding",
                     "the file is not UTF-8 text. Save it as UTF-8 in your editor "
                     "(in VS Code: 'Save with Encoding' > UTF-8).")
        return None
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        findings.add(path, 1, 1, "empty-file", "the file is empty. Fill it in (see CONTRIBUTING) or delete it.")
        return None
    tab = _first_tab(text)
    if tab:
        findings.add(path, tab[0], tab[1], "yaml-tab",
                     "a tab is used for indentation; YAML only accepts spaces. Replace the tab with spaces.")
        return None

    loader = _Loader(text)
    try:
        try:
            root = loader.get_single_node()
        except _AliasFound as alias:
            line, col = _position(alias.mark)
            findings.add(path, line, col, "yaml-alias",
                         "YAML anchors and aliases (& and *) are not allowed in the catalog; "
                         "write the value out in full.")
            return None
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line, col = _position(mark) if mark else (1, 1)
            problem = error.problem or "the file is not valid YAML"
            findings.add(path, line, col, "yaml-syntax",
                         f"this is not valid YAML: {problem}"
                         + (f" ({error.context})" if error.context else "")
                         + ". Check indentation and that text with ':' or '#' is in quotes.")
            return None
        if root is None:
            findings.add(path, 1, 1, "empty-file", "the file is empty. Fill it in (see CONTRIBUTING) or delete it.")
            return None
        doc = Document(path)
        doc.data = _build(loader, root, (), doc, findings)
        return doc
    finally:
        loader.dispose()


def _build(loader: _Loader, node: Node, path: Path_, doc: Document, findings: Findings) -> Any:
    doc.value_positions[path] = _position(node)
    if isinstance(node, ScalarNode):
        return loader.construct_object(node, deep=True)
    if isinstance(node, SequenceNode):
        return [_build(loader, child, path + (index,), doc, findings) for index, child in enumerate(node.value)]
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                line, col = _position(key_node)
                findings.add(doc.path, line, col, "yaml-syntax", "a field name must be plain text.")
                continue
            key = loader.construct_object(key_node)
            key = key if isinstance(key, str) else str(key).lower() if isinstance(key, bool) else str(key)
            line, col = _position(key_node)
            if key in result:
                first_line = doc.key_positions[path + (key,)][0]
                findings.add(doc.path, line, col, "duplicate-key",
                             f'"{key}" appears twice in the same block (first on line {first_line}); '
                             "YAML would silently keep only the last one. Merge them into one.")
                continue
            doc.key_positions[path + (key,)] = (line, col)
            result[key] = _build(loader, value_node, path + (key,), doc, findings)
        return result
    raise TypeError(f"unexpected YAML node {node!r}")  # pragma: no cover - PyYAML has only these three
