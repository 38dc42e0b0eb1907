"""The repository's own conventions: workflows, the issue form, pre-commit hooks stay in step with the code."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO

GITHUB = REPO / ".github"
# Issue form field id -> (vocabulary it offers, entry field it maps to).
FORM_VOCABULARIES = {"type": "types", "themes": "themes", "stages": "stages", "audiences": "audiences",
                     "countries": "countries", "languages": "languages"}


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    return workflow.get("on") or workflow.get(True) or {}  # YAML 1.1 reads a bare `on` as true


def run_lines(workflow: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for job in workflow["jobs"].values() for step in job.get("steps", []))


def uses(workflow: dict[str, Any]) -> set[str]:
    return {step["uses"].split("@")[0] for job in workflow["jobs"].values() for step in job.get("steps", [])
            if "uses" in step}


def test_ci_runs_the_tests_on_every_push_and_pull_request_and_never_checks_external_links() -> None:
    ci = load(GITHUB / "workflows" / "ci.yml")
    assert {"push", "pull_request"} <= set(triggers(ci))
    commands = run_lines(ci)
    assert "make test" in commands and "apt-get install -y -qq chromium" in commands
    assert "--external" not in (GITHUB / "workflows" / "ci.yml").read_text(encoding="utf-8")


def test_pages_builds_with_the_published_address_and_deploys() -> None:
    pages = load(GITHUB / "workflows" / "pages.yml")
    assert {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= uses(pages)
    build = next(step for step in pages["jobs"]["build"]["steps"] if step.get("run") == "make site")
    assert "steps.pages.outputs.base_url" in build["env"]["SITE_URL"]
    assert pages["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_external_links_are_checked_weekly_and_on_demand() -> None:
    links = load(GITHUB / "workflows" / "links.yml")
    assert set(triggers(links)) == {"schedule", "workflow_dispatch"}
    assert "rcmkb check-links site --external" in run_lines(links)


@pytest.mark.parametrize("field_id, vocabulary", sorted(FORM_VOCABULARIES.items()))
def test_the_issue_form_offers_exactly_the_vocabulary(field_id: str, vocabulary: str) -> None:
    """A term added to catalog/vocab/ must also be offered to people suggesting a resource."""
    form = load(GITHUB / "ISSUE_TEMPLATE" / "suggest-resource.yml")
    field = next(item for item in form["body"] if item.get("id") == field_id)
    offered = [option.split(" — ")[0] for option in field["attributes"]["options"]]
    terms = [term["id"] for term in load(REPO / "catalog" / "vocab" / f"{vocabulary}.yml")["terms"]]
    assert offered == terms


def test_the_issue_form_maps_to_entry_fields() -> None:
    form = load(GITHUB / "ISSUE_TEMPLATE" / "suggest-resource.yml")
    schema = json.loads((REPO / "catalog" / "schema" / "entry.schema.json").read_text(encoding="utf-8"))
    fields = {item["id"]: item for item in form["body"] if item.get("id")}
    for field_id, item in fields.items():
        if field_id == "public":
            continue
        # The description starts with the entry field it fills (title.es, links[].url, themes...).
        target = item["attributes"]["description"].split(" ")[0].split(".")[0].split("[")[0]
        assert target in schema["properties"], (field_id, target)
        assert " / " in item["attributes"]["label"], field_id  # Spanish / English
    kinds = [o.split(" — ")[0] for o in fields["link_kind"]["attributes"]["options"]]
    assert kinds == schema["$defs"]["link"]["properties"]["kind"]["enum"]
    required = {field_id for field_id, item in fields.items() if item.get("validations", {}).get("required")}
    assert {"title_es", "url", "organizations", "type", "themes", "languages", "summary"} <= required


def test_pre_commit_hooks_run_the_validator_and_ruff_from_the_venv() -> None:
    config = load(REPO / ".pre-commit-config.yaml")
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert hooks["rcmkb-validate"]["entry"] == ".venv/bin/rcmkb validate catalog"
    assert hooks["ruff"]["entry"] == ".venv/bin/ruff check"
    for hook in hooks.values():
        assert hook["language"] == "system"
        assert (REPO / hook["entry"].split()[0]).is_file(), hook["entry"]


# --- The route table is the only place that names the site's folders ------------------------------

PAGE_FOLDER_LITERALS = ("catalogo", "tema", "folleto", "tipo", "etapa", "publico", "organizacion", "pais",
                        "decisiones", "mandatos", "glosario", "pendientes", "t/")
ROUTE_TABLE = REPO / "scripts" / "rcmkb" / "routes.py"


def _package_sources() -> list[Path]:
    package = REPO / "scripts" / "rcmkb"
    return sorted(p for p in [*package.rglob("*.py"), *package.rglob("*.j2"), *package.rglob("*.html")]
                  if p != ROUTE_TABLE)


@pytest.mark.parametrize("literal", PAGE_FOLDER_LITERALS)
def test_only_the_route_table_names_a_page_folder(literal: str) -> None:
    """Renaming a folder of the site must be a change to routes.py alone (a string that starts with the
    folder's name, as in "tema", "tema/x.md" or 'glosario.md')."""
    pattern = re.compile(r"""["']""" + re.escape(literal) + ("" if literal.endswith("/") else r"""(?=["'/.])"""))
    offenders = [f"{path.relative_to(REPO)}:{number}" for path in _package_sources()
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                 if pattern.search(line)]
    assert offenders == []
    assert pattern.search(ROUTE_TABLE.read_text(encoding="utf-8")) or literal == "t/"  # routes builds t/ from "t"


def test_only_the_schema_holds_the_id_pattern() -> None:
    """The id pattern lives in entry.schema.json; code reads it (fields.ID_PATTERN), never retypes it,
    so that changing what an id may be is a change to the schema alone."""
    from rcmkb import fields

    body = fields.ID_PATTERN.strip("^$")
    offenders = [f"{path.relative_to(REPO)}:{number}" for path in [*_package_sources(), ROUTE_TABLE]
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                 if body in line]
    assert offenders == []
    assert body in (REPO / "catalog" / "schema" / "entry.schema.json").read_text(encoding="utf-8")


def test_the_menu_of_mkdocs_yml_points_at_pages_the_route_table_makes() -> None:
    """mkdocs.yml cannot import the route table, so this keeps its menu in step with it."""
    from rcmkb import routes

    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    for page in (routes.OVERVIEW_PAGE, routes.MANDATES_PAGE, routes.GLOSSARY_PAGE, routes.TODO_PAGE):
        assert f": {routes.docs_file(page, 'es')}\n" in config, page
    assert f"/{routes.GENERATED_DIR}/*.md" in config  # not_in_nav


def test_reserved_ids_come_from_the_route_table() -> None:
    from rcmkb import routes
    from rcmkb.validate import RESERVED_IDS

    assert RESERVED_IDS is routes.RESERVED_IDS
    for folder, _, _ in routes.FACETS:
        assert folder in RESERVED_IDS
    assert {"decisiones", "folleto", "glosario", "mandatos", "pendientes", "index", "t", "data"} <= RESERVED_IDS
