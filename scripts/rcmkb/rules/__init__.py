"""The validation rules, as a table: one small function per rule id, each with its severity.

`RULES` is run in order by `rcmkb.validate`. A rule whose `check` is None is found while a file is
read (a file that is not YAML cannot be checked further); it is listed so that the table, the
guide and the bad-input corpus (tests/fixtures/invalid/<rule-id>) name every rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rcmkb.findings import Finding, Findings, display_path
from rcmkb.forked import forked_worker, worth_forking
from rcmkb.rules import dates, links, references, structure, text
from rcmkb.rules.view import CatalogView, Memo

ERROR = "error"
WARNING = "warning"

Check = Callable[[CatalogView, Findings], None]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    summary: str  # one line, for the docs and `rcmkb validate --list-rules`
    check: Check | None = None  # None: reported by the loader, while reading the file
    # What it finds in a file depends only on that file (with the schemas, vocabularies and today's
    # date): the preview remembers it while the file is unchanged (Memo). Such a rule reads the
    # files through view.files or view.of_kind only.
    per_file: bool = False


RULES: list[Rule] = [
    # Reading the files.
    Rule("catalog-layout", ERROR, "the catalog folder lacks entries/ or a vocabulary file"),
    Rule("file-not-regular", ERROR, "a symlink, folder or device where a catalog file should be (never read)"),
    Rule("file-skipped", ERROR, "a file in entries/ or decisions/ the loader would skip (x.YML, x.yml.txt, a folder)",
         structure.file_skipped),
    Rule("file-name", ERROR, "an entry file ends in .yaml instead of .yml"),
    Rule("file-too-large", ERROR, "a catalog file over 256 KB"),
    Rule("encoding", ERROR, "a file that is not UTF-8 text"),
    Rule("empty-file", ERROR, "a file with nothing but comments"),
    Rule("yaml-tab", ERROR, "a tab used for indentation"),
    Rule("yaml-syntax", ERROR, "text that is not valid YAML"),
    Rule("yaml-alias", ERROR, "a YAML anchor or alias (& and *)"),
    Rule("yaml-tag", ERROR, "a YAML tag (!, !!)"),
    Rule("yaml-merge", ERROR, "a YAML merge key (<<:)"),
    Rule("yaml-too-deep", ERROR, "lists or blocks nested more than 20 levels"),
    Rule("number-too-large", ERROR, "a number of more than 30 digits"),
    Rule("duplicate-key", ERROR, "the same field twice in one block"),
    # Shape, from the JSON Schemas.
    Rule("missing-field", ERROR, "a required field is missing", structure.missing_field, per_file=True),
    Rule("missing-translation", ERROR, "the Spanish or English form of a text is missing",
         structure.missing_translation, per_file=True),
    Rule("unknown-field", ERROR, "a field the schema does not define", structure.unknown_field, per_file=True),
    Rule("empty-value", ERROR, "a field with no value, or an empty list", structure.empty_value, per_file=True),
    Rule("wrong-type", ERROR, "text where a list is expected, a decimal where a whole number is, ...",
         structure.wrong_type, per_file=True),
    Rule("unknown-value", ERROR, "a value outside the field's fixed choices", structure.unknown_value, per_file=True),
    Rule("id-format", ERROR, "an id with characters other than a-z, 0-9 and single hyphens",
         structure.id_format, per_file=True),
    Rule("date-format", ERROR, "a date not written as \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\"",
         structure.date_format, per_file=True),
    Rule("term-format", ERROR, "a term with spaces or other characters", structure.term_format, per_file=True),
    Rule("too-long", ERROR, "a text longer than its field allows", structure.too_long, per_file=True),
    Rule("repeated-value", ERROR, "the same value twice in a list", structure.repeated_value, per_file=True),
    Rule("out-of-range", ERROR, "a number below or above its field's limits", structure.out_of_range, per_file=True),
    # Ids.
    Rule("id-reserved", ERROR, "an id (or former id) the site uses for its own pages",
         structure.id_reserved, per_file=True),
    Rule("duplicate-id", ERROR, "two entries or decisions with the same id", structure.duplicate_id),
    Rule("file-name-mismatch", ERROR, "an id that differs from its file name", structure.file_name_mismatch),
    Rule("duplicate-term", ERROR, "two vocabulary terms that differ only in case (or are equal)",
         structure.duplicate_term),
    Rule("former-id-conflict", ERROR, "a former id that is another entry's id, or claimed twice",
         structure.former_id_conflict),
    # References between files.
    Rule("unknown-term", ERROR, "a term that is not in its vocabulary", references.unknown_term),
    Rule("unknown-entry", ERROR, "a reference to an entry that does not exist", references.unknown_entry),
    Rule("unknown-decision", ERROR, "a reference to a decision that does not exist", references.unknown_decision),
    Rule("self-reference", ERROR, "an entry that refers to itself", references.self_reference),
    Rule("supersedes-cycle", ERROR, "entries that replace each other in a circle", references.supersedes_cycle),
    Rule("status-superseded", ERROR, "a replaced entry whose status is not superseded",
         references.status_superseded),
    # Links.
    Rule("link-target", ERROR, "a link without exactly one url or site_page, or to a missing page",
         links.link_target),
    Rule("url-scheme", ERROR, "an address that is not http(s):// or is not complete", links.url_scheme, per_file=True),
    Rule("url-format", ERROR, "an address with spaces, brackets, quotes or `](`", links.url_format,
         per_file=True),
    Rule("url-truncated", ERROR, "an address cut short with '…'", links.url_truncated, per_file=True),
    Rule("url-credentials", WARNING, "an address with a user name or password before the host",
         links.url_credentials, per_file=True),
    Rule("url-local-host", WARNING, "an address of this computer or a private network",
         links.url_local_host, per_file=True),
    # Dates.
    Rule("implausible-date", ERROR, "a date that does not exist, before 1900, or reviewed before added",
         dates.implausible_date, per_file=True),
    Rule("future-date", ERROR, "a date in the future", dates.future_date, per_file=True),
    Rule("review-overdue", WARNING, "an entry last reviewed more than a year ago", dates.review_overdue, per_file=True),
    Rule("year-mismatch", WARNING, "a year that is none of the years of the entry's dates",
         dates.year_mismatch, per_file=True),
    # Text.
    Rule("control-character", ERROR, "an invisible or direction-changing character, in any catalog file",
         text.control_character, per_file=True),
    Rule("blank-text", ERROR, "a text made only of spaces or invisible characters", text.blank_text, per_file=True),
    Rule("markup-in-text", ERROR, "HTML or Markdown in a plain-text field", text.markup_in_text, per_file=True),
    Rule("comma-in-list", WARNING, "an unquoted item of an inline list that a comma seems to have split",
         text.comma_in_list, per_file=True),
    # The link exceptions file.
    Rule("exception-too-long", ERROR, "a link exception that lasts more than a year",
         dates.exception_too_long, per_file=True),
    Rule("exception-expired", ERROR, "a link exception past its end date", dates.exception_expired, per_file=True),
]

SEVERITY = {rule.id: rule.severity for rule in RULES}

# The address rules a child can run with the text rules (see run): they read each address, and the
# schema check of the link exceptions file only, never every file's.
_ADDRESS_RULES = frozenset(rule.id for rule in RULES if rule.id.startswith("url-"))


def run(view: CatalogView, findings: Findings) -> None:
    """Every rule of the table, its findings in table order.

    For a large catalog on two cores, a forked child runs the text and address rules meanwhile: they
    read only each file's own values, while the rest share the schema checks (view.valid), which
    are made once, in this process. The findings are the same, in the same order. With a memo (the
    preview's), every rule runs here: what a child found would not be remembered."""
    checks = [rule for rule in RULES if rule.check is not None]
    apart = [rule for rule in checks if rule.check.__module__ == text.__name__ or rule.id in _ADDRESS_RULES]
    here = [rule for rule in checks if rule not in apart]
    if view.memo is not None or not worth_forking(len(view.files)):
        found = _run_rules(checks, view, findings.lang)
    else:
        with forked_worker({"rules": lambda: _run_rules(apart, view, findings.lang)}) as submit:
            there = submit("rules")
            found = _run_rules(here, view, findings.lang)
            found.update(there.result())
    for rule in checks:
        findings.items.extend(found[rule.id])


def _run_rules(rules: list[Rule], view: CatalogView, lang: str) -> dict[str, list[Finding]]:
    found = {}
    for rule in rules:
        assert rule.check is not None
        if rule.per_file and view.memo is not None:
            found[rule.id] = _remembered(rule, view, lang, view.memo)
        else:
            own = Findings(lang=lang)
            rule.check(view, own)
            found[rule.id] = own.items
    return found


def _remembered(rule: Rule, view: CatalogView, lang: str, memo: Memo) -> list[Finding]:
    """A per-file rule run only on the files it has not seen unchanged, with what it found in the
    others replayed: the same findings, grouped by file (the order of a report is its sorting)."""
    assert rule.check is not None
    known = {id(file.doc): memo.file_findings(rule.id, file.doc, lang) for file in view.files}
    fresh = [file for file in view.files if known[id(file.doc)] is None]
    by_path: dict[str, list[Finding]] = {}
    if fresh:
        own = Findings(lang=lang)
        rule.check(view.only(fresh), own)
        for finding in own.items:
            by_path.setdefault(finding.path, []).append(finding)
    items: list[Finding] = []
    for file in view.files:
        remembered = known[id(file.doc)]
        if remembered is None:
            remembered = by_path.get(display_path(file.doc.path), [])
            memo.keep_file_findings(rule.id, file.doc, lang, remembered)
        items += remembered
    return items
