"""`rcmkb new`: a maintainer answers a few questions (or passes flags) and gets a valid, annotated entry."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

import test_content
from conftest import REPO, TODAY, valid_entry
from rcmkb.cli import main
from rcmkb.new import example_entry, propose_id
from rcmkb.validate import validate

RCMKB = str(Path(sys.executable).parent / "rcmkb")
SCHEMA_LINE = "# yaml-language-server: $schema=../schema/entry.schema.json"
FLAGS = ["--title-es", "Protocolo de atención a la niñez migrante no acompañada",
         "--title-en", "Protocol for the care of unaccompanied migrant children",
         "--summary-es", "Explica cómo recibir a niñas y niños: paso a paso, con ejemplos.",
         "--summary-en", "Explains how to receive children: step by step, with examples.",
         "--type", "protocol", "--organizations", "OIM, unicef", "--year", "2016",
         "--themes", "best-interests,reception-psychosocial", "--stages", "destination,return",
         "--countries", "gt", "--url", "https://www.iom.int/protocolo.pdf", "--link-language", "es",
         "--link-format", "pdf", "--unofficial-title", "en",
         "--source-item", "Sitio de la OIM, consultado 2026-11-30"]
CITATION = "Sitio de la DGME, consultado 2026-12-01"


@pytest.fixture
def catalog(make_catalog: Callable[..., Path]) -> Path:
    return make_catalog(entries={"sample-guideline-2016": valid_entry()})


def test_flags_write_a_valid_annotated_entry(catalog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["new", "--catalog-dir", str(catalog), "--yes", "--lang", "es", *FLAGS])
    out = capsys.readouterr().out
    assert code == 0
    path = catalog / "entries" / "iom-protocolo-atencion-ninez-migrante-2016.yml"
    assert path.name.removesuffix(".yml") in out and "make serve" in out
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == SCHEMA_LINE

    _, findings = validate(catalog)
    # Not even a warning about the new file, whatever day it is (the sample entry may be due for review).
    assert not [f for f in findings.items if Path(f.path).name == path.name], [f.format() for f in findings.items]
    assert not findings.errors, [f.format() for f in findings.errors]

    data = yaml.safe_load(text)
    assert data["title"] == {"es": "Protocolo de atención a la niñez migrante no acompañada",
                             "en": "Protocol for the care of unaccompanied migrant children"}
    assert data["summary"]["es"] == "Explica cómo recibir a niñas y niños: paso a paso, con ejemplos."
    assert data["organizations"] == ["iom", "unicef"]  # "OIM", the Spanish acronym, is IOM's id
    assert data["countries"] == ["GT"]
    assert data["languages"] == ["es"]  # defaults to the language of the link
    # Where the address was seen: by default the maintainer's own consultation of the issuer's page.
    source = {"document": "maintainer", "item": "Sitio de la OIM, consultado 2026-11-30", "seen_as": "page",
              "confidence": "high"}
    assert data["links"] == [{"url": "https://www.iom.int/protocolo.pdf", "kind": "official", "language": "es",
                              "format": "pdf", "source": source}]
    assert data["provenance"] == [{"document": "maintainer", "item": "Sitio de la OIM, consultado 2026-11-30",
                                   "confidence": "high"}]
    assert data["title_unofficial"] == ["en"]


def assert_passes_the_catalogs_provenance_checks(entry: dict[str, object]) -> None:
    """The very checks tests/test_content.py runs on the real catalog, run on the new entry alone."""
    model = SimpleNamespace(entries=[entry], decisions=[])
    test_content.test_every_link_records_where_it_was_seen(model)
    test_content.test_every_entry_records_its_provenance_and_each_link_source_is_among_it(model)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_flags_record_where_the_link_was_seen_and_the_entry_passes_the_content_checks(
        catalog: Path, lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A maintainer who found a copy on a secondary site says so; the entry records it and still validates."""
    flags = [flag for flag in FLAGS if flag != "--unofficial-title" and flag != "en"]
    code = main(["new", "--catalog-dir", str(catalog), "--yes", "--lang", lang, *flags, "--link-kind", "copy",
                 "--source-document", "maintainer", "--source-item", CITATION, "--seen-as", "printed",
                 "--confidence", "medium", "--id", "dgme-protocolo-2016"])
    assert code == 0, capsys.readouterr().err
    path = catalog / "entries" / "dgme-protocolo-2016.yml"
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["links"][0]["kind"] == "copy"
    assert data["links"][0]["source"] == {"document": "maintainer", "item": CITATION, "seen_as": "printed",
                                          "confidence": "medium"}
    assert data["provenance"] == [{"document": "maintainer", "item": CITATION, "confidence": "medium"}]
    # The citation holds a comma and a date: it must read back as that text, not as a list or a date.
    assert "source:\n      document: maintainer" in text
    _, findings = validate(catalog)
    assert not [f for f in findings.items if Path(f.path).name == path.name], [f.format() for f in findings.items]
    assert_passes_the_catalogs_provenance_checks(data)


def test_a_team_source_is_written_with_its_item_number(catalog: Path) -> None:
    code = main(["new", "--catalog-dir", str(catalog), "--yes", "--lang", "en", *FLAGS, "--source-document",
                 "addendum-2", "--source-item", "1.28", "--id", "dgme-protocolo-2016"])
    assert code == 0
    data = yaml.safe_load((catalog / "entries" / "dgme-protocolo-2016.yml").read_text(encoding="utf-8"))
    assert data["links"][0]["source"]["item"] == "1.28"  # text, not the number 1.28
    assert data["provenance"][0] == {"document": "addendum-2", "item": "1.28", "confidence": "high"}
    assert_passes_the_catalogs_provenance_checks(data)


def test_a_source_that_cannot_be_recorded_is_named_and_nothing_is_written(
        catalog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No citation; a link that is not the issuer's own page with no confidence given; a dossier item the
    content tests would refuse; a misspelt choice. All are named in one run, and no file is written."""
    flags = [flag for flag in FLAGS if not flag.startswith("Sitio de la OIM") and flag != "--source-item"]
    code = main(["new", "--catalog-dir", str(catalog), "--yes", "--lang", "en", *flags, "--link-kind", "mention"])
    err = capsys.readouterr().err
    assert code == 2
    assert "--source-item" in err and "--confidence" in err

    code = main(["new", "--catalog-dir", str(catalog), "--yes", "--lang", "es", *flags, "--source-document",
                 "dossier", "--source-item", "C 24", "--seen-as", "pagina"])
    err = capsys.readouterr().err
    assert code == 2
    assert "--source-item: «C 24» no es un número de dossier; se escribe así: A.1, C.24." in err
    assert "--seen-as:" in err and "page, printed" in err
    assert sorted(p.name for p in (catalog / "entries").iterdir()) == ["sample-guideline-2016.yml"]


@pytest.mark.parametrize("lang, required, optional", [("es", "OBLIGATORIO", "opcional"),
                                                      ("en", "REQUIRED", "optional")])
def test_every_field_of_the_schema_is_explained(catalog: Path, lang: str, required: str, optional: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Each field, written or as a commented-out example, comes right after a comment that says what it is."""
    assert main(["new", "--catalog-dir", str(catalog), "--yes", "--lang", lang, *FLAGS]) == 0
    lines = next((catalog / "entries").glob("iom-*.yml")).read_text(encoding="utf-8").splitlines()
    schema = json.loads((REPO / "catalog" / "schema" / "entry.schema.json").read_text())
    example_line = re.compile(r"^# {0,3}[a-z_]+:( |$)")
    for name in schema["properties"]:
        index = next((i for i, line in enumerate(lines) if re.match(rf"^(# )?{name}:", line)), None)
        assert index is not None, f"{name} is missing from the new entry"
        comment: list[str] = []
        for line in reversed(lines[:index]):
            if not line.startswith("# ") or example_line.match(line):
                break
            comment.insert(0, line)
        assert comment, f"{name} has no comment"
        expected = required if name in schema["required"] else optional
        assert comment[0].startswith(f"# {expected}"), (name, comment[0])
        assert len(" ".join(comment)) > 40, (name, comment)  # says what the field means, not just the tag


def test_the_id_is_proposed_from_the_title() -> None:
    assert propose_id("Protocolo de atención a la Niñez Migrante", ["iom"], 2016) == \
        "iom-protocolo-atencion-ninez-migrante-2016"
    assert propose_id("IOM Handbook on Protection and Assistance", ["iom"], 2019) == \
        "iom-handbook-protection-assistance-2019"
    assert propose_id("Guía ¿qué hacer? «Retorno» 2014", ["unhcr"], 2014) == "unhcr-guia-que-hacer-retorno-2014"
    # A subtitle after the colon is left out, as in the catalog's own ids.
    assert propose_id("Children on the Run: Unaccompanied Children Leaving Central America and Mexico", ["unhcr"],
                      2014) == "unhcr-children-run-2014"
    long_id = propose_id("word " * 40, ["iom"], None)
    assert len(long_id) <= 70 and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", long_id)


def test_an_existing_id_is_refused_and_nothing_is_overwritten(catalog: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    existing = catalog / "entries" / "sample-guideline-2016.yml"
    before = existing.read_bytes()
    code = main(["new", "--catalog-dir", str(catalog), "--yes", "--lang", "en", *FLAGS,
                 "--id", "sample-guideline-2016"])
    err = capsys.readouterr().err
    assert code == 2
    assert "sample-guideline-2016" in err and "already exists" in err
    assert existing.read_bytes() == before
    assert sorted(p.name for p in (catalog / "entries").iterdir()) == ["sample-guideline-2016.yml"]


def test_missing_and_wrong_flags_are_all_named(catalog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["new", "--catalog-dir", str(catalog), "--yes", "--lang", "en", "--title-es", "Guía",
                 "--themes", "best-interest", "--url", "www.iom.int/x"])
    err = capsys.readouterr().err
    assert code == 2
    for flag in ("--title-en", "--summary-es", "--summary-en", "--type", "--organizations", "--link-language"):
        assert flag in err
    assert "Did you mean “best-interests”?" in err
    assert "https://" in err
    assert sorted(p.name for p in (catalog / "entries").iterdir()) == ["sample-guideline-2016.yml"]


def test_questions_show_the_allowed_values_and_ask_again(catalog: Path) -> None:
    """A maintainer at the keyboard: a typo in a theme and a bad address are caught at once, then fixed."""
    answers = [
        "Guía de recepción de niñez migrante",        # title_es
        "Migrant children reception guide",          # title_en
        "Orienta la recepción en frontera.",         # summary_es
        "Guides reception at the border.",           # summary_en
        "handbook",                                  # type
        "unicef",                                    # organizations
        "",                                          # year: not known
        "best-interest",                             # themes: a typo...
        "best-interests",                            # ...fixed
        "transit",                                   # stages
        "",                                          # audiences
        "regional",                                  # countries
        "www.unicef.org/guia",                       # url: no scheme...
        "https://www.unicef.org/guia",               # ...fixed
        "",                                          # link kind: default official
        "es",                                        # link language
        "",                                          # format
        "",                                          # where seen: default maintainer
        "",                                          # citation: accept the proposal
        "",                                          # seen as: default page
        "",                                          # confidence: default high (an official link)
        "",                                          # languages: default es
        "",                                          # id: accept the proposal
    ]
    completed = subprocess.run([RCMKB, "new", "--catalog-dir", str(catalog), "--lang", "es"],
                               input="\n".join(answers) + "\n", capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    asked = completed.stderr
    assert "Valores posibles:" in asked and "Protección consular" in asked  # labels from vocab/themes.yml
    assert "«best-interest» no es un valor posible. ¿Quiso decir «best-interests»?" in asked
    assert "La dirección debe empezar con https://" in asked
    assert "official                   en el sitio de quien lo emite" in asked  # what each link kind means
    # The proposed id (from the English title, as both titles are official), accepted with Enter.
    assert "[unicef-migrant-children-reception-guide]" in asked
    # Where the address was seen: the maintainer, citing the site consulted today, sure of the issuer's page.
    assert "Dónde vio la dirección [maintainer]:" in asked
    assert "maintainer                 una fuente que usted cita (lo normal)" in asked
    assert f"Su cita (sitio y fecha de consulta) [www.unicef.org, consultado el {TODAY}]:" in asked
    assert "Seguridad de la fuente [high]:" in asked

    path = catalog / "entries" / "unicef-migrant-children-reception-guide.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["themes"] == ["best-interests"] and data["links"][0]["url"] == "https://www.unicef.org/guia"
    assert "year" not in data and data["unknown"] == ["year"]  # never guessed, listed as unknown
    citation = f"www.unicef.org, consultado el {TODAY}"
    assert data["links"][0]["source"] == {"document": "maintainer", "item": citation, "seen_as": "page",
                                          "confidence": "high"}
    assert data["provenance"] == [{"document": "maintainer", "item": citation, "confidence": "high"}]
    _, findings = validate(catalog)
    assert not findings.errors, [f.format() for f in findings.errors]
    assert_passes_the_catalogs_provenance_checks(data)


def test_questions_ask_for_the_confidence_of_a_link_that_is_not_the_issuers(catalog: Path) -> None:
    """A copy on a third-party site has no default confidence: an empty answer is asked again."""
    answers = [
        "Guía de recepción", "Reception guide", "Orienta la recepción.", "Guides reception.",
        "handbook", "unicef", "2019", "best-interests", "transit", "", "regional", "https://www.unicef.org/guia",
        "copy",                                      # link kind: a third-party copy
        "en", "pdf",
        "dosier",                                    # where seen: a typo...
        "dossier",                                   # ...fixed: one of the team's sources
        "C24",                                       # item: not how the dossier numbers them...
        "C.24",                                      # ...fixed
        "printed",                                   # seen as
        "",                                          # confidence: no default for a copy...
        "media",                                     # ...a Spanish word is not a value...
        "medium",                                    # ...the value
        "", "",                                      # languages, id
    ]
    completed = subprocess.run([RCMKB, "new", "--catalog-dir", str(catalog), "--lang", "es"],
                               input="\n".join(answers) + "\n", capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    asked = completed.stderr
    assert "Número en esa fuente (p. ej. C.24):" in asked  # no citation proposed for the dossier
    assert "«C24» no es un número de dossier" in asked
    assert "Seguridad de la fuente:   Este dato es obligatorio." in asked
    data = yaml.safe_load((catalog / "entries" / "unicef-reception-guide-2019.yml").read_text(encoding="utf-8"))
    assert data["links"][0]["source"] == {"document": "dossier", "item": "C.24", "seen_as": "printed",
                                          "confidence": "medium"}
    assert data["provenance"] == [{"document": "dossier", "item": "C.24", "confidence": "medium"}]
    assert_passes_the_catalogs_provenance_checks(data)


def test_stopping_half_way_writes_nothing(catalog: Path) -> None:
    completed = subprocess.run([RCMKB, "new", "--catalog-dir", str(catalog), "--lang", "en"],
                               input="Título\nTitle\n", capture_output=True, text=True, timeout=60)
    assert completed.returncode == 1
    assert "nothing was written" in completed.stderr
    assert sorted(p.name for p in (catalog / "entries").iterdir()) == ["sample-guideline-2016.yml"]


@pytest.mark.parametrize("lang, page", [("es", "contribuir.md"), ("en", "contribuir.en.md")])
def test_the_guide_shows_the_template_in_full(lang: str, page: str) -> None:
    """CONTRIBUTING shows exactly what `rcmkb new` writes, so the two never drift apart."""
    guide = (REPO / "docs" / page).read_text(encoding="utf-8")
    example = example_entry(lang)
    block = re.search(r"```yaml\n(# yaml-language-server.*?)```", guide, re.S)
    assert block, f"{page} has no annotated template"
    assert block.group(1) == example, f"update the template in docs/{page} from rcmkb.new.example_entry({lang!r})"
    # And the example itself is a valid entry.
    assert yaml.safe_load(example)["id"] == "iom-handbook-vulnerable-migrants-2019"


def test_flags_and_questions_come_from_one_table_read_from_the_schema() -> None:
    from rcmkb import fields
    from rcmkb.new import QUESTIONS, add_arguments

    vocabularies = {q.flag: q.vocabulary for q in QUESTIONS if q.vocabulary}
    assert {flag: vocab for flag, vocab in vocabularies.items() if flag in fields.entry_term_fields()} \
        == fields.entry_term_fields()
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    flags = {option for action in parser._actions for option in action.option_strings}
    assert {f"--{q.flag}" for q in QUESTIONS} <= flags
    required = {q.flag for q in QUESTIONS if q.required}
    assert {"title-es", "summary-en", "type", "organizations", "themes", "languages"} <= required
    assert "stages" not in required  # required by the schema, but it may be an empty list


def test_the_guide_example_is_read_from_the_real_entry_file() -> None:
    from rcmkb.new import example_values

    values = example_values()
    entry = yaml.safe_load((REPO / "catalog" / "entries" / f"{values['id']}.yml").read_text(encoding="utf-8"))
    assert values["title_en"] == entry["title"]["en"] and values["summary_es"] == entry["summary"]["es"]
    assert values["themes"] == entry["themes"] and values["links"][0]["url"] == entry["links"][0]["url"]


def test_a_label_typed_as_a_term_is_suggested(catalog: Path) -> None:
    from rcmkb.new import match_terms

    terms = load_catalog_terms(catalog, "themes")
    chosen, problem = match_terms(["Protección consular"], terms, "es")
    assert not chosen and problem is not None and "«consular-protection»" in problem


def load_catalog_terms(catalog: Path, vocabulary: str) -> dict[str, dict[str, object]]:
    data = yaml.safe_load((catalog / "vocab" / f"{vocabulary}.yml").read_text(encoding="utf-8"))
    return {term["id"]: term for term in data["terms"]}


def test_the_item_forms_new_checks_are_those_the_content_tests_hold_the_catalog_to() -> None:
    """`rcmkb new` refuses a dossier item the content tests would fail, and accepts every one they pass."""
    from rcmkb.new.sources import ITEM_FORMS

    assert {name: form.pattern for name, form in ITEM_FORMS.items()} == \
        {name: form.pattern for name, form in test_content.ITEM_FORMS.items()}
