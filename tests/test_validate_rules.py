"""The bad-input corpus: one fixture per rule, each rejected with its rule id, at its line, with exit code 1.

tests/fixtures/invalid/<rule-id>.yml is an entry file with one mistake; a folder <rule-id>/ holds a
small catalog overlay (entries/, decisions/, link-exceptions.yml) for rules that need several files.
Each file that should be reported says so in a comment: `# expect: [rule-id] line N[, N...]`, and may
carry `# args: --strict` (extra command-line options) or `# pad-to-kb: N` (the test pads it with comments).
A finding in a file that cannot hold a comment (a symlink, x.YML, a folder) is announced by another file
of the overlay: `# expect-at: catalog/<path> [rule-id] line N`; `# remove: <path>` deletes a file of the
temp catalog first (a missing vocabulary).
The test copies the fixture into a temp catalog with the real schema and vocabularies, runs
`rcmkb validate` on it and reads the `path:line:col: error [rule-id] message` lines.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO, valid_entry
from rcmkb import text
from rcmkb.catalog import load_catalog
from rcmkb.cli import main
from rcmkb.findings import Findings
from rcmkb.model import build_model
from rcmkb.render import PageRenderer

INVALID = Path(__file__).parent / "fixtures" / "invalid"
CORPUS = sorted(INVALID.iterdir(), key=lambda p: p.name)
FINDING = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning) "
                     r"\[(?P<rule>[a-z0-9-]+)\] (?P<message>.+)$", re.M)
EXPECT = re.compile(r"\[(?P<rule>[a-z0-9-]+)\] lines? (?P<lines>\d+(?:, \d+)*)")
EXPECT_AT = re.compile(r"^# expect-at: (?P<path>\S+) \[(?P<rule>[a-z0-9-]+)\] line (?P<line>\d+)")
# What a message must never show a maintainer: library internals instead of plain words.
JARGON = re.compile(r"Traceback|jsonschema|is not valid under|Failed validating|\$defs|\{'|None\b|"
                    r"additionalProperties|ScannerError|ParserError|<class ")


def rule_of(fixture: Path) -> str:
    return fixture.name.split(".")[0]


def install(fixture: Path, catalog: Path) -> None:
    """Copy one fixture into the catalog: a single file goes to entries/, a folder is an overlay."""
    if fixture.is_dir():
        shutil.copytree(fixture, catalog, dirs_exist_ok=True, symlinks=True)
        removed = [line.removeprefix("# remove: ") for path in _overlay_files(catalog) for line in comments(path)
                   if line.startswith("# remove: ")]
        for name in removed:
            (catalog / name).unlink()
        return
    target = catalog / "entries" / fixture.name
    data = fixture.read_bytes()
    pad = re.search(rb"^# pad-to-kb: (\d+)$", data, re.M)
    if pad:  # an oversized file is made at test time rather than stored in the repository
        filler = b"# " + b"x" * 97 + b"\n"
        data += filler * (int(pad.group(1)) * 1024 // len(filler) + 1)
    target.write_bytes(data)


def comments(path: Path) -> list[str]:
    return [line for line in path.read_bytes().decode("utf-8", "replace").splitlines() if line.startswith("# ")]


def _overlay_files(catalog: Path) -> list[Path]:
    """The catalog's YAML files that are regular files (a symlink fixture is never read, even here)."""
    return [p for p in sorted(catalog.rglob("*.y*ml")) if p.is_file() and not p.is_symlink()]


def expectations(catalog: Path) -> set[tuple[str, int, str]]:
    """(path relative to the temp folder, line, rule) for every `# expect:` comment in the catalog."""
    found = set()
    for path in _overlay_files(catalog):
        for line in comments(path):
            at = EXPECT_AT.match(line)
            if at:
                found.add((at.group("path"), int(at.group("line")), at.group("rule")))
            if line.startswith("# expect:"):
                for match in EXPECT.finditer(line):
                    for number in match.group("lines").split(", "):
                        found.add((path.relative_to(catalog.parent).as_posix(), int(number), match.group("rule")))
    return found


def extra_args(catalog: Path) -> list[str]:
    return [arg for path in _overlay_files(catalog) for line in comments(path)
            if line.startswith("# args:") for arg in line.removeprefix("# args:").split()]


def run_validate(catalog: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["validate", str(catalog.relative_to(Path.cwd())), *args])
    out, err = capsys.readouterr()
    return code, out, err


# The day the corpus's dates were written against (a fixture "reviewed" on 2026-11-01 is fresh on it).
CORPUS_DAY = "2026-11-28"


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # paths are shown relative to where the maintainer runs the command
    monkeypatch.setenv("RCMKB_TODAY", CORPUS_DAY)  # the corpus is a snapshot: judged on its own day
    return tmp_path


def test_corpus_has_at_least_25_kinds_of_mistake() -> None:
    rules = {rule_of(p) for p in CORPUS}
    assert len(rules) >= 25
    # The kinds the issue names, by the rule that catches each.
    assert {"yaml-syntax", "yaml-tab", "duplicate-key", "wrong-type", "unknown-field", "missing-translation",
            "unknown-term", "duplicate-id", "file-name-mismatch", "url-scheme", "implausible-date", "future-date",
            "supersedes-cycle", "unknown-entry", "encoding", "empty-file", "file-too-large", "yaml-alias",
            "id-format", "markup-in-text"} <= rules


@pytest.mark.parametrize("fixture", CORPUS, ids=rule_of)
def test_each_mistake_is_rejected_with_its_rule_and_line(fixture: Path, make_catalog: Callable[..., Path],
                                                         in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    catalog = make_catalog()
    install(fixture, catalog)
    expected = expectations(catalog)
    assert expected, f"{fixture.name} has no `# expect:` comment"
    assert rule_of(fixture) in {rule for _, _, rule in expected}

    code, _, err = run_validate(catalog, *extra_args(catalog), capsys=capsys)

    findings = [m.groupdict() for m in FINDING.finditer(err)]
    errors = {(f["path"], int(f["line"]), f["rule"]) for f in findings if f["severity"] == "error"}
    assert code == 1, err
    assert expected <= errors, err
    # Only the mistake the fixture is about: no cascade of other errors a maintainer would have to untangle.
    assert {rule for _, _, rule in errors} == {rule for _, _, rule in expected}, err
    for finding in findings:
        assert not JARGON.search(finding["message"]), finding["message"]
        assert len(finding["message"]) > 30, finding["message"]  # says what is wrong and what to do


def test_the_alias_bomb_is_stopped_at_its_first_alias(make_catalog: Callable[..., Path]) -> None:
    """Rejected before anything is expanded: the finding points at the first `*alias`, nowhere further."""
    from rcmkb.validate import validate

    catalog = make_catalog()
    install(INVALID / "yaml-alias.yml", catalog)
    _, findings = validate(catalog)
    assert [(f.rule, f.line) for f in findings.errors] == [("yaml-alias", 3)]


def test_all_broken_files_are_reported_in_one_run(make_catalog: Callable[..., Path], in_tmp: Path) -> None:
    """The console script itself, on a catalog with several broken files and a good one."""
    catalog = make_catalog(entries={"good-entry-2016": valid_entry("good-entry-2016")})
    broken = ["yaml-syntax.yml", "encoding.yml", "unknown-term.yml", "url-scheme.yml", "supersedes-cycle"]
    for name in broken:
        install(INVALID / name, catalog)
    rcmkb = Path(sys.executable).parent / "rcmkb"
    completed = subprocess.run([str(rcmkb), "validate", "catalog"], cwd=in_tmp, capture_output=True, text=True)
    assert completed.returncode == 1
    reported = {(f["path"], int(f["line"]), f["rule"]) for f in
                (m.groupdict() for m in FINDING.finditer(completed.stderr))}
    assert expectations(catalog) <= reported, completed.stderr
    assert not any("good-entry-2016" in path for path, _, _ in reported)
    assert "error(s)" in completed.stderr.splitlines()[-1]


def test_one_file_with_several_kinds_of_mistake_reports_them_all(make_catalog: Callable[..., Path],
                                                                  in_tmp: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A schema error does not hide the other problems of the same file."""
    entry = valid_entry(
        "several-mistakes-2016",
        summary="sumary:\n  es: Un resumen.\n  en: A summary.",
        themes="themes: [best-interest]",
        links="links:\n  - url: javascript:alert(1)\n    kind: official\n    language: es",
        added='added: "2016-02-30"',
    )
    catalog = make_catalog(entries={"several-mistakes-2016": entry})
    code, _, err = run_validate(catalog, capsys=capsys)
    assert code == 1
    rules = {m["rule"] for m in FINDING.finditer(err)}
    assert rules == {"missing-field", "unknown-field", "unknown-term", "url-scheme", "implausible-date"}, err


def test_a_raw_control_character_is_located(make_catalog: Callable[..., Path], in_tmp: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """YAML refuses the file outright; the maintainer still gets the line and column, not a crash."""
    catalog = make_catalog(entries={"bell-2016": valid_entry("bell-2016", summary="summary:\n  es: Niñez\x07.\n"
                                                                                  "  en: Children.")})
    code, _, err = run_validate(catalog, capsys=capsys)
    assert code == 1
    assert "catalog/entries/bell-2016.yml:7:12: error [control-character]" in err, err
    assert "U+0007" in err


def test_strict_turns_a_warning_into_an_error(make_catalog: Callable[..., Path], in_tmp: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    catalog = make_catalog()
    install(INVALID / "review-overdue.yml", catalog)
    code, out, err = run_validate(catalog, capsys=capsys)
    assert code == 0
    assert "catalog/entries/review-overdue.yml:21:11: warning [review-overdue]" in err
    assert "1 warning" in out

    code, _, err = run_validate(catalog, "--strict", capsys=capsys)
    assert code == 1
    assert "catalog/entries/review-overdue.yml:21:11: error [review-overdue]" in err


def test_github_annotations(make_catalog: Callable[..., Path], in_tmp: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    catalog = make_catalog()
    install(INVALID / "unknown-term.yml", catalog)
    install(INVALID / "review-overdue.yml", catalog)
    code, out, _ = run_validate(catalog, "--github", capsys=capsys)
    assert code == 1
    assert re.search(r"^::error file=catalog/entries/unknown-term\.yml,line=12,col=\d+,title=unknown-term::"
                     r".*Did you mean `best-interests` \(Best interests of the child\)\?", out, re.M), out
    assert re.search(r"^::warning file=catalog/entries/review-overdue\.yml,line=21,", out, re.M), out


def test_github_annotations_are_automatic_under_actions(make_catalog: Callable[..., Path], in_tmp: Path,
                                                        capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = make_catalog()
    install(INVALID / "unknown-term.yml", catalog)
    _, out, _ = run_validate(catalog, capsys=capsys)
    assert "::error" not in out
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    _, out, _ = run_validate(catalog, capsys=capsys)
    assert "::error file=catalog/entries/unknown-term.yml,line=12" in out


def test_hints_name_the_right_word(make_catalog: Callable[..., Path], in_tmp: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Did-you-mean for a misspelt field, the allowed values for a wrong choice."""
    catalog = make_catalog()
    for name in ("unknown-field.yml", "unknown-value.yml", "unknown-term.yml", "missing-field.yml"):
        install(INVALID / name, catalog)
    _, _, err = run_validate(catalog, capsys=capsys)
    assert "Did you mean `source_notes`?" in err
    assert "Did you mean `official`?" in err and "Allowed values: official, record, copy, mention" in err
    assert "Did you mean `best-interests` (Best interests of the child)?" in err
    assert "`themes`" in err and "catalog/vocab/themes.yml" in err  # what the missing field is for


def test_markup_fixture_comes_out_inert_if_validation_were_bypassed(make_catalog: Callable[..., Path]) -> None:
    """The validator rejects markup in text; the generator must not depend on that."""
    catalog = make_catalog()
    install(INVALID / "markup-in-text.yml", catalog)
    loaded = load_catalog(catalog, Findings())  # loaded, deliberately not validated
    assert loaded.entries["markup-in-text"].data["title"]["es"].startswith("Guía <script>")
    pages = PageRenderer(build_model(loaded), dt.date(2026, 11, 28)).pages()
    for name in ("markup-in-text.md", "markup-in-text.en.md", "index.md", "tema/best-interests.en.md"):
        _, front_matter, page = pages[name].split("---\n", 2)
        # Front matter is printed by the theme, not parsed as Markdown: it must only hold no tag.
        assert "<" not in front_matter, name
        assert "](javascript:" not in page and "![x]" not in page and "**A short**" not in page, name
        for tag, attributes in tags(page):
            # Only the tags our templates write: no image but the entry's QR code, no inline script,
            # no event handler, no odd link.
            assert tag not in ("iframe", "object"), (name, tag, attributes)
            if tag == "img":
                assert attributes.get("class") == "rcm-qr", attributes
                assert re.fullmatch(r"(\.\./)*t/[a-z0-9-]+/(es|en)/qr\.svg", attributes.get("src") or ""), attributes
            assert not any(key.startswith("on") for key in attributes), (name, tag, attributes)
            if tag == "script":
                assert re.fullmatch(r"(\.\./)*assets/[a-z0-9./-]+\.js", attributes.get("src") or ""), attributes
            if tag == "a":
                assert re.fullmatch(r"https?://\S+|[a-z0-9./#-]+", attributes.get("href") or ""), attributes
    assert "alert" in pages["markup-in-text.md"]  # the reader still sees the text, as text
    assert str(text.inert("<script>")) == "&#60;script&#62;"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def tags(markdown: str) -> list[tuple[str, dict[str, str | None]]]:
    """Every HTML start tag in a page, as a browser would see it after Markdown passes raw HTML through."""
    parser = _Tags()
    parser.feed(markdown)
    return parser.found


def test_corpus_rules_are_explained_in_contributing() -> None:
    """Every rule of the corpus has a line in the maintainers' guide (both languages)."""
    for page in ("contribuir.md", "contribuir.en.md"):
        guide = (REPO / "docs" / page).read_text(encoding="utf-8")
        missing = sorted(rule for rule in {rule_of(p) for p in CORPUS} if f"`{rule}`" not in guide)
        assert not missing, f"{page} does not explain: {missing}"


def test_one_former_id_cannot_be_claimed_by_two_entries(make_catalog: Callable[..., Path]) -> None:
    from rcmkb.validate import validate

    first = valid_entry("first-guide-2016") + "former_ids: [old-guide]\n"
    second = valid_entry("second-guide-2016") + "former_ids: [old-guide]\n"  # former_ids is line 21
    catalog = make_catalog(entries={"first-guide-2016": first, "second-guide-2016": second})
    _, findings = validate(catalog, today=dt.date(2026, 11, 28))
    assert [(f.rule, Path(f.path).name, f.line) for f in findings.errors] == [
        ("former-id-conflict", "second-guide-2016.yml", 21)]


def test_every_rule_of_the_table_has_its_fixture() -> None:
    from rcmkb.rules import RULES

    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert sorted(set(ids) - {rule_of(p) for p in CORPUS}) == []
    assert sorted({rule_of(p) for p in CORPUS} - set(ids)) == []  # and no fixture for a rule that is gone


# Shapes that used to stop the validator with a Python traceback (issue 12), each with the rule it gets.
SHAPES = {
    "bare-url-link": ("links", "links:\n  - https://www.iom.int/example", "wrong-type"),
    "label-as-string": ("links", "links:\n  - url: https://www.iom.int/x\n    kind: official\n    language: es\n"
                                 "    label: IOM page", "wrong-type"),
    "keywords-as-list": ("year", "year: 2016\nkeywords: [a, b]", "wrong-type"),
    "keywords-as-string": ("year", "year: 2016\nkeywords: protection", "wrong-type"),
    "id-as-list": ("id", "id: [a, b]", "wrong-type"),
    "equals-value": ("summary", "summary:\n  es: Un resumen.\n  en: =", None),
    "url-brackets": ("links", "links:\n  - url: https://[www.iom.int/x\n    kind: official\n    language: es",
                     "url-format"),
    "year-float": ("year", "year: 2017.0", "wrong-type"),
    "trailing-newline-date": ("reviewed", 'reviewed: |\n  2026-11-01\n', "date-format"),
    "trailing-newline-former-id": ("year", "year: 2016\nformer_ids: [\"old-one\\n\"]", "id-format"),
    "former-id-reserved": ("year", "year: 2016\nformer_ids: [tema]", "id-reserved"),
    "merge-key": ("summary", "summary:\n  <<: {es: x}\n  es: Un resumen.\n  en: A summary.", "yaml-merge"),
    "huge-number": ("year", "year: " + "9" * 5000, "number-too-large"),
}


@pytest.mark.parametrize("case", sorted(SHAPES))
def test_a_shape_mistake_gets_a_located_finding_not_a_traceback(case: str, make_catalog: Callable[..., Path],
                                                                 in_tmp: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    field, text, rule = SHAPES[case]
    catalog = make_catalog(entries={"shape-2016": valid_entry("shape-2016", **{field: text})})
    code, _, err = run_validate(catalog, capsys=capsys)
    rules = {m["rule"] for m in FINDING.finditer(err) if m["severity"] == "error"}
    assert "Traceback" not in err
    if rule is None:  # `en: =` is the text "=", read like any other
        assert code == 0, err
    else:
        assert code == 1 and rule in rules, err
        assert all(m["path"] == "catalog/entries/shape-2016.yml" for m in FINDING.finditer(err)), err


def test_hidden_characters_are_refused_in_every_catalog_file(make_catalog: Callable[..., Path], in_tmp: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    glossary = ("terms: []\nacronyms:\n  - id: oim\n"
                "    es: {short: OIM, long: \"Organizaci\u00f3n \u202eInternacional\"}\n"
                "    en: {short: IOM, long: International Organization for Migration}\n")
    catalog = make_catalog(glossary=glossary)
    themes = catalog / "vocab" / "themes.yml"
    themes.write_text(themes.read_text(encoding="utf-8").replace("es: Prevenci", "es: \u200bPrevenci", 1),
                      encoding="utf-8")
    (catalog / "link-exceptions.yml").write_text(
        'exceptions:\n  - url: https://www.iom.int/x\n    reason: "403 \u2066to robots"\n'
        '    reviewed: "2026-11-01"\n    expires: "2027-11-01"\n', encoding="utf-8")
    _, _, err = run_validate(catalog, capsys=capsys)
    flagged = {m["path"] for m in FINDING.finditer(err) if m["rule"] == "control-character"}
    assert flagged == {"catalog/glossary.yml", "catalog/vocab/themes.yml", "catalog/link-exceptions.yml"}, err
    assert "\u202e" not in err and "\u200b" not in err and "\u2066" not in err  # shown as codes, never as themselves


def test_field_names_cannot_inject_terminal_escapes_or_workflow_commands(
        make_catalog: Callable[..., Path], in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hostile = valid_entry("hostile-2016") + '"x\\e[2J\\n::error file=README.md::owned": 1\n'
    catalog = make_catalog(entries={"hostile-2016": hostile})
    code, out, err = run_validate(catalog, "--github", capsys=capsys)
    assert code == 1
    assert "\x1b" not in out + err
    assert not [line for line in (out + err).splitlines() if line.startswith("::error file=README.md")]
    assert len([line for line in out.splitlines() if line.startswith("::")]) == len(FINDING.findall(err))


def test_symlinked_entry_is_refused_without_reading_its_target(make_catalog: Callable[..., Path], in_tmp: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    secret = in_tmp / "secret.txt"
    secret.write_text("TOP-SECRET first line: value\n", encoding="utf-8")
    catalog = make_catalog()
    (catalog / "entries" / "leak.yml").symlink_to(secret)
    code, _, err = run_validate(catalog, capsys=capsys)
    assert code == 1
    assert "catalog/entries/leak.yml:1:1: error [file-not-regular]" in err
    assert "TOP-SECRET" not in err


def test_impossible_decision_dates_are_refused(make_catalog: Callable[..., Path], in_tmp: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    decision = ("id: rcm-2017\nkind: declaration\ntitle:\n  es: Declaraci\u00f3n\n  en: Declaration\n"
                'date: "2017-02-30"\nsummary:\n  es: Un resumen.\n  en: A summary.\n')
    catalog = make_catalog(decisions={"rcm-2017": decision})
    code, _, err = run_validate(catalog, capsys=capsys)
    assert code == 1 and "catalog/decisions/rcm-2017.yml:6:7: error [implausible-date]" in err, err


def test_messages_in_spanish_by_flag_or_locale(make_catalog: Callable[..., Path], in_tmp: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = make_catalog(entries={"label-2016": valid_entry("label-2016", type="type: Manual")})
    _, _, err = run_validate(catalog, "--lang", "es", capsys=capsys)
    assert "¿Quiso decir `handbook` (Manual o guía)?" in err, err
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    _, _, err = run_validate(catalog, capsys=capsys)
    assert "¿Quiso decir `handbook` (Manual o guía)?" in err, err
    _, _, err = run_validate(catalog, "--lang", "en", capsys=capsys)
    assert "Did you mean `handbook` (Handbook or manual)?" in err, err


def test_a_label_or_misspelling_typed_as_a_term_is_suggested(make_catalog: Callable[..., Path], in_tmp: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    entry = valid_entry("labels-2016", themes="themes: [proteccion-consular, Protección consular, best-interest]")
    catalog = make_catalog(entries={"labels-2016": entry})
    _, _, err = run_validate(catalog, capsys=capsys)
    assert err.count("Did you mean `consular-protection`") == 2, err
    assert "Did you mean `best-interests`" in err


def test_no_hint_suggests_removing_a_required_field(make_catalog: Callable[..., Path], in_tmp: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    entry = valid_entry("empty-2016", title="title:\n  es:\n  en: Title", themes="themes: []")
    catalog = make_catalog(entries={"empty-2016": entry})
    _, _, err = run_validate(catalog, capsys=capsys)
    assert "[empty-value]" in err and "remove the field" not in err, err


def test_fields_used_as_vocabulary_reference_or_plain_text_carry_their_mark() -> None:
    """The rules find fields by their schema marks: a field used that way without its mark would go unchecked."""
    from rcmkb import fields

    entry = {f.path for f in fields.fields()}
    assert set(fields.entry_term_fields()) == {"type", "organizations", "themes", "stages", "audiences",
                                               "countries", "languages"}
    assert fields.vocabulary_fields()[("links", "*", "language")] == "languages"
    assert fields.reference_fields() == {("supersedes", "*"): "entries", ("preceded_by", "*"): "entries",
                                         ("related", "*"): "entries", ("adopted_by", "*"): "decisions",
                                         ("requested_by", "*"): "decisions"}
    assert fields.reference_fields(fields.DECISION) == {("part_of",): "decisions", ("concerns", "*"): "entries"}
    assert fields.reference_fields(fields.GLOSSARY) == {("terms", "*", "entries", "*"): "entries"}
    for path in [("title", "es"), ("summary", "en"), ("links", "*", "label", "es"), ("aliases", "en", "*")]:
        assert path in fields.plain_text_fields() and path[:1] + path[1:] in entry
    # Every field holding ids uses the one id pattern, and every text field of a vocabulary is plain text.
    for f in fields.fields():
        if f.path[-1:] == ("id",) or f.references:
            items = f.schema.get("items", f.schema)
            assert items.get("pattern") == fields.ID_PATTERN, f.path
    assert fields.LINK_KINDS == ("official", "record", "copy", "mention")
    assert fields.ID.match("old-one\n") is None


def test_the_rules_table_can_be_listed(capsys: pytest.CaptureFixture[str]) -> None:
    from rcmkb.rules import RULES

    assert main(["validate", "--list-rules"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listed] == [rule.id for rule in RULES]
    assert "url-credentials      warning" in "\n".join(listed)


def test_validation_leaves_the_loaded_catalog_as_it_was_read(make_catalog: Callable[..., Path]) -> None:
    """A broken vocabulary's terms are left out of the rules' view, not blanked in the catalog."""
    import copy

    from rcmkb.validate import check

    catalog_dir = make_catalog(entries={"sample-guideline-2016": valid_entry()})
    themes = catalog_dir / "vocab" / "themes.yml"
    themes.write_text(themes.read_text(encoding="utf-8") + "  - id: extra\n    es: Solo español\n", encoding="utf-8")
    loaded = load_catalog(catalog_dir, Findings())
    before = copy.deepcopy({name: v.terms for name, v in loaded.vocab.items()})
    findings = Findings()
    check(loaded, findings, today=dt.date(2026, 11, 28))
    assert {f.rule for f in findings.errors} == {"missing-translation"}  # no cascade of unknown-term errors
    assert {name: v.terms for name, v in loaded.vocab.items()} == before
