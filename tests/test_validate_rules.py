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


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # paths are shown relative to where the maintainer runs the command
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
            # Only the tags our templates write: no image, no inline script, no event handler, no odd link.
            assert tag not in ("img", "iframe", "object"), (name, tag, attributes)
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
