"""Load YAML files safely, keeping the line and column of every value.

PyYAML alone silently keeps the last of two duplicate keys (losing data), expands aliases
(a few lines can become gigabytes), and turns 2016-11-18 into a date object. This loader
composes the node tree itself so that it can reject those cases with a position, and keeps
dates as the text the maintainer wrote.
"""

from __future__ import annotations

import marshal
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from rcmkb.findings import Findings

MAX_FILE_BYTES = 256 * 1024  # an entry is a few KB; anything this large is a mistake
MAX_DEPTH = 20  # an entry nests 5 levels (links > item > label > es); deeper is a mistake or an attack
MAX_NUMBER_DIGITS = 30  # a page count or a year has a few digits; thousands would stop Python's int()
_INT_TAG = "tag:yaml.org,2002:int"
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"

Path_ = tuple[Any, ...]


if yaml.__with_libyaml__:
    from yaml.cyaml import CParser  # type: ignore[attr-defined]

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

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event: Any = self.peek_event()
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
            if event.anchor is None and not self.yaml_path_resolvers:
                # Composer.compose_node minus its alias, anchor and path-resolver steps, none of which
                # applies to this node: the same node, without three calls per value of the file.
                if isinstance(event, ScalarEvent):
                    return self.compose_scalar_node(None)  # type: ignore[arg-type]  # (the stubs mistype anchor)
                if isinstance(event, SequenceStartEvent):
                    return self.compose_sequence_node(None)  # type: ignore[arg-type]
                if isinstance(event, MappingStartEvent):
                    return self.compose_mapping_node(None)  # type: ignore[arg-type]
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_scalar_value(self, node: ScalarNode) -> Any:
        """construct_object for a scalar: its tag's constructor, called directly (the loader refuses
        aliases, so construct_object's bookkeeping for shared and recursive nodes has nothing to do)."""
        constructor = self.yaml_constructors.get(node.tag)
        if constructor is None:
            return self.construct_object(node, deep=True)  # an unknown tag: the constructor's own error
        return constructor(self, node)


# Dates stay strings ("2016-11"), so that partial dates and plain text are handled alike; a lone `=`
# stays the text "=" (YAML 1.1's "value" tag has no constructor and would crash the loader).
_Loader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Refused(Exception):
    """A YAML feature the catalog does not accept, found at `mark`."""

    def __init__(self, rule: str, mark: Any) -> None:
        self.rule = rule
        self.mark = mark


@dataclass
class Document:
    """A loaded YAML file: its data and where each value and key stands in the file."""

    path: Path
    data: Any = None
    value_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    # Items written unquoted inside an inline list (`[a, b]`): a comma in the text would have split it.
    inline_plain_items: set[Path_] = field(default_factory=set)

    # A forked child that parsed half the catalog sends its Documents back (rcmkb.catalog). The
    # positions are most of their bytes and are read only where a rule reports something, so they
    # travel packed by marshal (compiled code, both ways) and are unpacked on first use.
    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_packed_positions"] = marshal.dumps((state.pop("value_positions"), state.pop("key_positions")))
        return state

    def __getattr__(self, name: str) -> Any:  # only for attributes not set: the packed positions
        packed = self.__dict__.get("_packed_positions")
        if packed is None or name not in ("value_positions", "key_positions"):
            raise AttributeError(name)
        self.value_positions, self.key_positions = marshal.loads(packed)
        del self.__dict__["_packed_positions"]
        return self.__dict__[name]

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


# What the parser's terse problem usually means in an entry file: the key of the hint in messages.yml.
_SYNTAX_HINTS = (
    ("mapping values are not allowed", "hint-colon"),
    ("could not find expected ':'", "hint-no-colon"),
    ("did not find expected key", "hint-indent"),
    ("expected <block end>", "hint-indent"),
    ("cannot start any token", "hint-reserved-char"),
    ("did not find expected ',' or ']'", "hint-list-unclosed"),
    ("did not find expected ',' or '}'", "hint-block-unclosed"),
    ("end of stream", "hint-unclosed"),
    ("expected a single document", "hint-two-documents"),
)


def _syntax_hint(problem: str, lang: str) -> str:
    from rcmkb.messages import text

    key = next((key for needle, key in _SYNTAX_HINTS if needle in problem), "hint-yaml-generic")
    return text(key, lang)


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _first_tab(text: str) -> tuple[int, int] | None:
    if "\t" not in text:
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            return number, len(line) - len(stripped) + 1
    return None


def is_regular_file(path: Path) -> bool:
    """A plain file, not a symlink (it could lead outside the catalog), a folder, a pipe or a device."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def load_yaml(path: Path, findings: Findings) -> Document | None:
    """Read one YAML file. Problems go to `findings`; returns None when nothing usable was read."""
    if not is_regular_file(path):  # checked before opening: a symlink's target is never read
        findings.say(path, 1, 1, "file-not-regular", "file-not-regular")
        return None
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        findings.say(path, 1, 1, "file-too-large", "file-too-large", size=len(raw) // 1024,
                     limit=MAX_FILE_BYTES // 1024)
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        col = error.start - (before.rfind(b"\n") + 1) + 1
        findings.say(path, line, col, "encoding", "encoding")
        return None
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        findings.say(path, 1, 1, "empty-file", "empty-file")
        return None
    control = _NON_PRINTABLE.search(text)
    if control:  # YAML refuses these; say where, in words (libyaml would give a byte offset)
        line, col = _offset_position(text, control.start())
        findings.say(path, line, col, "control-character", "control-character-raw", code=f"{ord(control.group()):04X}")
        return None
    tab = _first_tab(text)
    if tab:
        findings.say(path, tab[0], tab[1], "yaml-tab", "yaml-tab")
        return None

    loader = _Loader(text)
    try:
        try:
            root = _compose(loader, text)
            if root is None:
                findings.say(path, 1, 1, "empty-file", "empty-file")
                return None
            doc = Document(path)
            doc.data = _build(loader, root, (), doc, findings)
            return doc
        except _Refused as refused:
            line, col = _position(refused.mark)
            findings.say(path, line, col, refused.rule, refused.rule)
            return None
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line, col = _position(mark) if mark else (1, 1)
            problem = error.problem or "the file is not valid YAML"
            findings.say(path, line, col, "yaml-syntax", "yaml-syntax", problem=problem,
                         hint=_syntax_hint(problem, findings.lang))
            return None
        except (yaml.YAMLError, ValueError, RecursionError) as error:  # anything else, without a position
            findings.say(path, 1, 1, "yaml-syntax", "yaml-syntax-unplaced", problem=str(error)[:200])
            return None
    finally:
        loader.dispose()


# Without these characters a file can hold no anchor, alias or tag (each needs one of them to be
# written), and no flow collections nested deeper than MAX_DEPTH. (Three `in` tests: a regular
# expression's character class took ten times as long.)
_FEATURE_MARKS = ("&", "*", "!")


def _compose(loader: _Loader, text: str) -> Node | None:
    """The file's node tree. A file that cannot hold an alias, a tag or deep flow nesting (nearly
    every catalog file) is composed by libyaml's own composer, in compiled code: the same nodes,
    in a third of the time. Any other file goes through compose_node, which refuses them where
    they stand; nesting deeper than MAX_DEPTH in blocks is refused by _build, at the same node."""
    if (_COMPILED_COMPOSER is not None and not any(mark in text for mark in _FEATURE_MARKS)
            and text.count("[") + text.count("{") < MAX_DEPTH):
        return _COMPILED_COMPOSER(loader)
    return loader.get_single_node()


_COMPILED_COMPOSER = CParser.get_single_node if yaml.__with_libyaml__ else None


def _build(loader: _Loader, node: Node, path: Path_, doc: Document, findings: Findings) -> Any:
    doc.value_positions[path] = _position(node)
    # Children one level deeper than MAX_DEPTH are refused at the first one (a key, in a block), as
    # compose_node refuses them while composing; the compiled composer does not.
    too_deep = len(path) + 1 >= MAX_DEPTH
    if isinstance(node, ScalarNode):
        if node.tag == _STR_TAG:
            return node.value  # what the str constructor returns, without its three calls
        if node.tag == _INT_TAG and len(node.value) > MAX_NUMBER_DIGITS:
            raise _Refused("number-too-large", node.start_mark)
        try:
            return loader.construct_scalar_value(node)
        except ConstructorError as error:  # a value YAML cannot build (e.g. a bad escape in a tag)
            raise yaml.MarkedYAMLError(problem=error.problem, problem_mark=node.start_mark) from None
    if isinstance(node, SequenceNode):
        items = []
        for index, child in enumerate(node.value):
            if too_deep:
                raise _Refused("yaml-too-deep", child.start_mark)
            if node.flow_style and isinstance(child, ScalarNode) and not child.style:  # libyaml: "", PyYAML: None
                doc.inline_plain_items.add(path + (index,))
            items.append(_build(loader, child, path + (index,), doc, findings))
        return items
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if too_deep:
                raise _Refused("yaml-too-deep", key_node.start_mark)
            if not isinstance(key_node, ScalarNode):
                line, col = _position(key_node)
                findings.say(doc.path, line, col, "yaml-syntax", "key-not-text")
                continue
            if key_node.tag == _MERGE_TAG:  # `<<:` copies another block's fields in: the catalog spells them out
                line, col = _position(key_node)
                findings.say(doc.path, line, col, "yaml-merge", "yaml-merge")
                continue
            key = loader.construct_scalar_value(key_node)
            key = key if isinstance(key, str) else str(key).lower() if isinstance(key, bool) else str(key)
            line, col = _position(key_node)
            if key in result:
                first_line = doc.key_positions[path + (key,)][0]
                findings.say(doc.path, line, col, "duplicate-key", "duplicate-key", key=key, first_line=first_line)
                continue
            doc.key_positions[path + (key,)] = (line, col)
            result[key] = _build(loader, value_node, path + (key,), doc, findings)
        return result
    raise TypeError(f"unexpected YAML node {node!r}")  # pragma: no cover - PyYAML has only these three
