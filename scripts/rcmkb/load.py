"""Load YAML files safely, keeping the line and column of every value.

PyYAML alone silently keeps the last of two duplicate keys (losing data), expands aliases
(a few lines can become gigabytes), and turns 2016-11-18 into a date object. This loader
composes the node tree itself so that it can reject those cases with a position, and keeps
dates as the text the maintainer wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from rcmkb.findings import Findings

MAX_FILE_BYTES = 256 * 1024  # an entry is a few KB; anything this large is a mistake
MAX_DEPTH = 20  # an entry nests 5 levels (links > item > label > es); deeper is a mistake or an attack

Path_ = tuple[Any, ...]


if yaml.__with_libyaml__:
    from yaml.cyaml import CParser

    class _Base(Composer, CParser, SafeConstructor, Resolver):
        """SafeLoader with libyaml's scanner and parser (pure-Python scanning was half the time of
        validating a large catalog) and PyYAML's own composer, so compose_node still sees every event."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
else:  # pragma: no cover - PyYAML built without libyaml: same results, slower
    _Base = yaml.SafeLoader  # type: ignore[misc,assignment]


class _Loader(_Base):
    """SafeLoader that refuses aliases, explicit tags and deep nesting, and keeps timestamps as strings."""

    _depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise _Refused("yaml-alias", event.start_mark)
        # `!!python/object...`, `!!binary`, `!!set`...: the catalog is plain text, numbers and lists.
        if getattr(event, "tag", None) not in (None, "!"):
            raise _Refused("yaml-tag", event.start_mark)
        # The composer recurses once per level: thousands of `[` would crash it with RecursionError.
        if self._depth >= MAX_DEPTH:
            raise _Refused("yaml-too-deep", event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# Dates stay strings ("2016-11"), so that partial dates and plain text are handled alike.
_Loader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Refused(Exception):
    """A YAML feature the catalog does not accept, found at `mark`."""

    def __init__(self, rule: str, mark: yaml.Mark) -> None:
        self.rule = rule
        self.mark = mark


_EMPTY = "the file is empty. Fill it in (`rcmkb new` writes a complete entry; see CONTRIBUTING) or delete it."
_REFUSED = {
    "yaml-alias": "YAML anchors and aliases (& and *) are not allowed in the catalog; write the value out in full.",
    "yaml-tag": "YAML tags (words starting with ! or !!) are not allowed in the catalog; remove the tag and write "
                "plain text, a number or a list.",
    "yaml-too-deep": "lists or blocks are nested too deeply here (an entry needs at most 5 levels); "
                     "check for stray [ or { characters.",
}


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


# The characters YAML does not accept in a file (PyYAML's reader uses the same set).
_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


# What the parser's terse problem usually means in an entry file, and how to fix it.
_SYNTAX_HINTS = (
    ("mapping values are not allowed", "a value contains ': ' (colon and space). Put the whole text in quotes, "
                                       'e.g. en: "Note: text".'),
    ("could not find expected ':'", "a line has no ':' after its field name, or a quoted text is not closed."),
    ("did not find expected key", "the indentation is off: fields of the same block must start in the same column."),
    ("expected <block end>", "the indentation is off: fields of the same block must start in the same column."),
    ("cannot start any token", "a value starts with a character YAML reserves (` @ % |): put the value in quotes."),
    ("did not find expected ',' or ']'", "a list in [ ] is not closed, or an item with ', ' needs quotes."),
    ("did not find expected ',' or '}'", "a block in { } is not closed, or an item with ', ' needs quotes."),
    ("end of stream", "a quote or a bracket is opened and never closed."),
    ("expected a single document", "the file holds two documents (a line with ---); keep one entry per file."),
)


def _syntax_hint(problem: str) -> str:
    for needle, hint in _SYNTAX_HINTS:
        if needle in problem:
            return hint
    return "check the indentation here, and put text that contains ':', '#' or quotes inside quotes."


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


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
        findings.add(path, 1, 1, "empty-file", _EMPTY)
        return None
    control = _NON_PRINTABLE.search(text)
    if control:  # YAML refuses these; say where, in words (libyaml would give a byte offset)
        line, col = _offset_position(text, control.start())
        findings.add(path, line, col, "control-character",
                     f"the file contains an invisible control character (U+{ord(control.group()):04X}). "
                     "Delete it: retype the text around this place, or paste it as plain text.")
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
        except _Refused as refused:
            line, col = _position(refused.mark)
            findings.add(path, line, col, refused.rule, _REFUSED[refused.rule])
            return None
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line, col = _position(mark) if mark else (1, 1)
            problem = error.problem or "the file is not valid YAML"
            findings.add(path, line, col, "yaml-syntax", f"this is not valid YAML ({problem}): {_syntax_hint(problem)}")
            return None
        except yaml.YAMLError as error:  # anything else the parser refuses, without a position
            findings.add(path, 1, 1, "yaml-syntax", f"this is not valid YAML: {error}.")
            return None
        if root is None:
            findings.add(path, 1, 1, "empty-file", _EMPTY)
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
