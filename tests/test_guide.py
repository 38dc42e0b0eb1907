"""The maintainers' guide (docs/contribuir*.md) and the issue form keep step with what the code checks.

A maintainer reads a rule id in an error and looks it up in the guide; a suggester fills in the issue
form and the team turns it into an entry with its provenance. Both fail quietly when they drift, so
these tests tie them to `rcmkb validate --list-rules` and to the schema.
"""

from __future__ import annotations

import json
import re

import pytest
import yaml

from conftest import REPO
from rcmkb.cli import main

GUIDES = ["contribuir.md", "contribuir.en.md"]
WARNING_MARK = {"contribuir.md": "(aviso)", "contribuir.en.md": "(warning)"}
# Reported by the site build (rcmkb.generate), not by `rcmkb validate`, and explained in the same table.
BUILD_RULES = ["generated-folder"]
FORM = REPO / ".github" / "ISSUE_TEMPLATE" / "suggest-resource.yml"


def listed_rules(capsys: pytest.CaptureFixture[str]) -> list[tuple[str, str]]:
    """(rule id, severity) as `rcmkb validate --list-rules` prints them for the maintainer."""
    assert main(["validate", "--list-rules"]) == 0
    return [(line.split()[0], line.split()[1]) for line in capsys.readouterr().out.splitlines() if line.strip()]


def rules_table(page: str) -> dict[str, str]:
    """Rule id -> its row, from the guide's table of rules."""
    text = (REPO / "docs" / page).read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z0-9-]+)` \|(.*)$", text.split("\n## 4.")[1].split("\n## 5.")[0], re.M)
    return dict(rows)


@pytest.mark.parametrize("page", GUIDES)
def test_the_guide_explains_every_rule_of_the_validator_in_its_order(
        page: str, capsys: pytest.CaptureFixture[str]) -> None:
    rules = listed_rules(capsys)
    assert len(rules) > 40  # the real table, not an empty listing
    table = rules_table(page)
    missing = [rule for rule, _ in rules if rule not in table]
    assert not missing, f"docs/{page} has no row for: {missing} (see `rcmkb validate --list-rules`)"
    assert list(table) == [rule for rule, _ in rules] + BUILD_RULES, (
        f"docs/{page}: keep the rows in the order of `rcmkb validate --list-rules`")
    for rule, severity in rules:
        marked = WARNING_MARK[page] in table[rule]
        assert marked == (severity == "warning"), f"docs/{page}: `{rule}` is a {severity}"


@pytest.mark.parametrize("page", GUIDES)
def test_the_guide_explains_every_value_of_a_source(page: str) -> None:
    schema = json.loads((REPO / "catalog" / "schema" / "entry.schema.json").read_text(encoding="utf-8"))
    source = schema["$defs"]["link"]["properties"]["source"]["properties"]
    values = (schema["$defs"]["sourceRef"]["properties"]["document"]["enum"] + source["seen_as"]["enum"]
              + schema["$defs"]["confidence"]["enum"])
    text = (REPO / "docs" / page).read_text(encoding="utf-8")
    # The subsection "Procedencia: `provenance` y `source`" / "Provenance: `provenance` and `source`".
    section = re.search(r"^### [^\n]*`provenance`[^\n]*\n(.*?)^## ", text, re.S | re.M).group(1)
    unexplained = [value for value in values if f"| `{value}` |" not in section]
    assert not unexplained, f"docs/{page} does not explain: {unexplained}"
    example = yaml.safe_load(re.search(r"```yaml\n(links:.*?)```", section, re.S).group(1))
    assert {(item["document"], item["item"]) for item in example["provenance"]} == {
        (link["source"]["document"], link["source"]["item"]) for link in example["links"]}


def test_the_issue_form_asks_where_the_link_was_seen() -> None:
    """So that a suggestion can become an entry with its link's source and its provenance."""
    form = yaml.safe_load(FORM.read_text(encoding="utf-8"))
    fields = {item["attributes"].get("description", "").split(" ")[0]: item for item in form["body"]}
    seen_at = fields["links[].source.item"]
    assert seen_at["validations"]["required"] is True
    seen_as = fields["links[].source.seen_as"]
    schema = json.loads((REPO / "catalog" / "schema" / "entry.schema.json").read_text(encoding="utf-8"))
    offered = [option.split(" — ")[0] for option in seen_as["attributes"]["options"]]
    assert offered == schema["$defs"]["link"]["properties"]["source"]["properties"]["seen_as"]["enum"]
    assert "provenance" in fields
