"""The validation rules, as a table: one small function per rule id, each with its severity.

`RULES` is run in order by `rcmkb.validate`. A rule whose `check` is None is found while a file is
read (a file that is not YAML cannot be checked further); it is listed so that the table, the
guide and the bad-input corpus (tests/fixtures/invalid/<rule-id>) name every rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rcmkb.findings import Finding, Findings
from rcmkb.forked import can_fork, forked_worker
from rcmkb.rules import dates, links, references, structure, text
from rcmkb.rules.view import CatalogView

ERROR = "error"
WARNING = "warning"

Check = Callable[[CatalogView, Findings], None]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    summary: str  # one line, for the docs and `rcmkb validate --list-rules`
    check: Check | None = None  # None: reported by the loader, while reading the file


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
    Rule("missing-field", ERROR, "a required field is missing", structure.missing_field),
    Rule("missing-translation", ERROR, "the Spanish or English form of a text is missing",
         structure.missing_translation),
    Rule("unknown-field", ERROR, "a field the schema does not define", structure.unknown_field),
    Rule("empty-value", ERROR, "a field with no value, or an empty list", structure.empty_value),
    Rule("wrong-type", ERROR, "text where a list is expected, a decimal where a whole number is, ...",
         structure.wrong_type),
    Rule("unknown-value", ERROR, "a value outside the field's fixed choices", structure.unknown_value),
    Rule("id-format", ERROR, "an id with characters other than a-z, 0-9 and single hyphens", structure.id_format),
    Rule("date-format", ERROR, "a date not written as \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\"",
         structure.date_format),
    Rule("term-format", ERROR, "a term with spaces or other characters", structure.term_format),
    Rule("too-long", ERROR, "a text longer than its field allows", structure.too_long),
    Rule("repeated-value", ERROR, "the same value twice in a list", structure.repeated_value),
    Rule("out-of-range", ERROR, "a number below or above its field's limits", structure.out_of_range),
    # Ids.
    Rule("id-reserved", ERROR, "an id (or former id) the site uses for its own pages", structure.id_reserved),
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
    Rule("url-scheme", ERROR, "an address that is not http(s):// or is not complete", links.url_scheme),
    Rule("url-format", ERROR, "an address with spaces, brackets, quotes or `](`", links.url_format),
    Rule("url-truncated", ERROR, "an address cut short with '…'", links.url_truncated),
    Rule("url-credentials", WARNING, "an address with a user name or password before the host",
         links.url_credentials),
    Rule("url-local-host", WARNING, "an address of this computer or a private network", links.url_local_host),
    # Dates.
    Rule("implausible-date", ERROR, "a date that does not exist, before 1900, or reviewed before added",
         dates.implausible_date),
    Rule("future-date", ERROR, "a date in the future", dates.future_date),
    Rule("review-overdue", WARNING, "an entry last reviewed more than a year ago", dates.review_overdue),
    Rule("year-mismatch", WARNING, "a year that is none of the years of the entry's dates", dates.year_mismatch),
    # Text.
    Rule("control-character", ERROR, "an invisible or direction-changing character, in any catalog file",
         text.control_character),
    Rule("blank-text", ERROR, "a text made only of spaces or invisible characters", text.blank_text),
    Rule("markup-in-text", ERROR, "HTML or Markdown in a plain-text field", text.markup_in_text),
    Rule("comma-in-list", WARNING, "an unquoted item of an inline list that a comma seems to have split",
         text.comma_in_list),
    # The link exceptions file.
    Rule("exception-too-long", ERROR, "a link exception that lasts more than a year", dates.exception_too_long),
    Rule("exception-expired", ERROR, "a link exception past its end date", dates.exception_expired),
]

SEVERITY = {rule.id: rule.severity for rule in RULES}


# Below this many files, forking a child costs more than the rules it takes over.
PARALLEL_MIN_FILES = 300


def run(view: CatalogView, findings: Findings) -> None:
    """Every rule of the table, its findings in table order.

    For a large catalog on two cores, a forked child runs the text rules meanwhile: they read only
    each file's own texts, while the rest share the schema checks (view.valid), which are made
    once, in this process. The findings are the same, in the same order."""
    checks = [rule for rule in RULES if rule.check is not None]
    apart = [rule for rule in checks if rule.check.__module__ == text.__name__]
    here = [rule for rule in checks if rule not in apart]
    if len(view.files) < PARALLEL_MIN_FILES or not can_fork():
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
        own = Findings(lang=lang)
        assert rule.check is not None
        rule.check(view, own)
        found[rule.id] = own.items
    return found
