"""The YAML loader keeps positions and refuses the YAML features that lose or explode data."""

from __future__ import annotations

import time
from pathlib import Path

from rcmkb.findings import Findings
from rcmkb.load import load_yaml


def load(tmp_path: Path, text: str | bytes):
    path = tmp_path / "x.yml"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    findings = Findings()
    return load_yaml(path, findings), findings


def test_positions_point_at_values_and_keys(tmp_path: Path) -> None:
    doc, findings = load(tmp_path, "id: a\ntitle:\n  es: Hola\n  en: Hello\nthemes: [x, y]\n")
    assert not findings.items
    assert doc.where(("title", "en")) == (4, 7)
    assert doc.where(("themes", 1)) == (5, 13)
    assert doc.where_key(("title",)) == (2, 1)
    # A path that does not exist falls back to its nearest ancestor.
    assert doc.where(("title", "fr")) == doc.where(("title",))


def test_dates_stay_as_written(tmp_path: Path) -> None:
    doc, _ = load(tmp_path, 'added: 2026-11-28\nyear: 2016\nmonth: "2016-11"\n')
    assert doc.data == {"added": "2026-11-28", "year": 2016, "month": "2016-11"}


def test_duplicate_key_is_reported_with_both_lines(tmp_path: Path) -> None:
    doc, findings = load(tmp_path, "id: a\nsummary: one\nsummary: two\n")
    (finding,) = findings.items
    assert (finding.rule, finding.line) == ("duplicate-key", 3)
    assert "line 2" in finding.message
    assert doc.data["summary"] == "one"  # nothing silently replaced


def test_alias_bomb_is_rejected_fast(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]"
              for i in range(9)]
    started = time.perf_counter()
    doc, findings = load(tmp_path, "\n".join(lines) + "\n")
    assert doc is None
    assert [f.rule for f in findings.items] == ["yaml-alias"]
    assert findings.items[0].line == 2
    assert time.perf_counter() - started < 5  # generous: the point is "not minutes"


def test_tab_indentation_names_the_line(tmp_path: Path) -> None:
    _, findings = load(tmp_path, "id: a\ntitle:\n\tes: x\n")
    assert [(f.rule, f.line, f.col) for f in findings.items] == [("yaml-tab", 3, 1)]


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    _, findings = load(tmp_path, "id: a\nsummary: ni\xf1ez\n".encode("latin-1"))
    assert [(f.rule, f.line) for f in findings.items] == [("encoding", 2)]


def test_syntax_error_names_the_line(tmp_path: Path) -> None:
    _, findings = load(tmp_path, "id: a\ntitle: [unclosed\nsummary: x\n")
    (finding,) = findings.items
    assert finding.rule == "yaml-syntax"
    assert finding.line in (3, 4)


def test_comment_only_file_is_empty(tmp_path: Path) -> None:
    _, findings = load(tmp_path, "# yaml-language-server: $schema=../schema/entry.schema.json\n\n")
    assert [f.rule for f in findings.items] == ["empty-file"]


def _loaded_both_ways(path: Path, monkeypatch) -> tuple[object, object]:
    from rcmkb import load as load_module

    def read() -> object:
        findings = Findings()
        doc = load_yaml(path, findings)
        kept = None if doc is None else (doc.data, doc.value_positions, doc.key_positions, doc.inline_plain_items)
        return kept, [f.format() for f in findings.items]

    compiled = read()
    with monkeypatch.context() as undo:
        undo.setattr(load_module, "_COMPILED_COMPOSER", None)  # every file through compose_node
        return compiled, read()


def test_libyamls_composer_gives_what_compose_node_gives_for_every_catalog_file_and_fixture(monkeypatch) -> None:
    """Files with no &, * or ! are composed by libyaml's compiled composer: the same data,
    positions, inline items and findings, for the real catalog and every bad-input fixture."""
    from rcmkb import load as load_module

    if load_module._COMPILED_COMPOSER is None:
        raise AssertionError("PyYAML was installed without libyaml; requirements.txt pins a wheel that has it")
    root = Path(__file__).resolve().parents[1]
    paths = sorted((root / "catalog").rglob("*.yml")) + sorted((root / "tests" / "fixtures").rglob("*.yml"))
    assert len(paths) > 100
    for path in paths:
        compiled, composed = _loaded_both_ways(path, monkeypatch)
        assert compiled == composed, path


def test_blocks_nested_too_deep_are_refused_by_either_composer(tmp_path: Path, monkeypatch) -> None:
    text = "".join(f"{'  ' * depth}k{depth}:\n" for depth in range(25)) + "  " * 25 + "v: 1\n"
    path = tmp_path / "deep.yml"
    path.write_text(text, encoding="utf-8")
    compiled, composed = _loaded_both_ways(path, monkeypatch)
    assert compiled == composed
    assert compiled[0] is None and "[yaml-too-deep]" in compiled[1][0] and ":20:" in compiled[1][0]


def test_a_document_sent_between_processes_keeps_its_positions(tmp_path: Path) -> None:
    import pickle

    doc, _ = load(tmp_path, "id: a\ntitle:\n  es: Hola\n  en: Hello\nthemes: [x, y]\n")
    copy = pickle.loads(pickle.dumps(doc))
    assert "value_positions" not in copy.__dict__  # still packed: unpacked only when asked
    assert copy.where(("themes", 1)) == (5, 13) and copy.where_key(("title",)) == (2, 1)
    assert (copy.data, copy.value_positions, copy.key_positions, copy.inline_plain_items) == \
        (doc.data, doc.value_positions, doc.key_positions, doc.inline_plain_items)
