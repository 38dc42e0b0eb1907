"""`rcmkb new`: write a new, annotated, valid catalog entry from a few answers or flags.

It asks only for the essentials (or takes them as flags), shows the allowed values of each
vocabulary, proposes an id from the title, refuses an id that is taken, and writes
catalog/entries/<id>.yml from templates/new_entry.yml.j2, where every field carries a comment
saying whether it is required and what it means. The file is validated before the command ends.

The pieces: `ids` (proposing and checking ids), `prompts` (asking), `sources` (where the link was
seen: its `source:` and the entry's `provenance:`), `writing` (the YAML file); this module holds the
table of questions, QUESTIONS, that makes both the flags and the questions, with vocabularies, choices
and what is required read from the schema (rcmkb.fields).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from rcmkb import clock, fields
from rcmkb.catalog import Catalog, load_catalog
from rcmkb.findings import Findings
from rcmkb.new.ids import id_problem, propose_id, slug_words
from rcmkb.new.prompts import Asker, Cancelled, _split, _url_ok, allowed_list, match_terms
from rcmkb.new.sources import (
    CONFIDENCE,
    DEFAULT_DOCUMENT,
    DEFAULT_SEEN_AS,
    ITEM_EXAMPLES,
    SEEN_AS,
    SOURCE_DOCUMENTS,
    default_confidence,
    item_ok,
    proposed_citation,
    provenance_of,
)
from rcmkb.new.strings import strings
from rcmkb.new.writing import example_entry, example_values, render_entry
from rcmkb.validate import validate

__all__ = ["QUESTIONS", "Asker", "Cancelled", "add_arguments", "allowed_list", "collect", "example_entry",
           "example_values", "id_problem", "match_terms", "propose_id", "render_entry", "run", "slug_words"]

LINK_KINDS = fields.LINK_KINDS
LINK_FORMATS = fields.LINK_FORMATS


@dataclass(frozen=True)
class Question:
    """One value of a new entry: its flag (--title-es), its key (the prompt and the flag's attribute)."""

    flag: str
    kind: str  # text, term (one), terms (a list), year, url, choice
    help: str
    vocabulary: str | None = None
    required: bool = False
    choices: tuple[str, ...] = ()
    default: str = ""  # used when the flag is left out and offered in [brackets] when asked

    @property
    def key(self) -> str:
        return self.flag.replace("-", "_")


def _required(path: tuple[str, ...]) -> bool:
    """Required by the schema, and not satisfied by an empty list."""
    found = fields.field(path)
    if found is None or not found.required:
        return False
    return not found.is_list or int(found.schema.get("minItems", 0)) >= 1


def _term_question(name: str, help_text: str = "") -> Question:
    vocabulary = fields.entry_term_fields()[name]
    single = not fields.field((name,)).is_list  # type: ignore[union-attr]
    default_help = (f"a term of vocab/{vocabulary}.yml" if single
                    else f"comma-separated terms of vocab/{vocabulary}.yml")
    return Question(name, "term" if single else "terms", help_text or default_help, vocabulary,
                    _required((name,)))


LINK_LANGUAGE_VOCABULARY = fields.vocabulary_fields()[("links", fields.ANY, "language")]

# In the order they are asked.
QUESTIONS: tuple[Question, ...] = (
    *(Question(f"{key}-{lang}", "text", f"{key} in {'Spanish' if lang == 'es' else 'English'}",
               required=_required((key,))) for key in ("title", "summary") for lang in ("es", "en")),
    _term_question("type"),
    _term_question("organizations"),
    Question("year", "year", "year of adoption or publication (leave out if not known)"),
    _term_question("themes"),
    _term_question("stages"),
    _term_question("audiences"),
    _term_question("countries"),
    Question("url", "url", "full https:// address of the document", required=True),
    Question("link-kind", "choice", f"{', '.join(LINK_KINDS)} (default: {LINK_KINDS[0]})", choices=LINK_KINDS,
             default=LINK_KINDS[0]),
    Question("link-language", "term", f"language of the linked page (a term of vocab/{LINK_LANGUAGE_VOCABULARY}.yml)",
             LINK_LANGUAGE_VOCABULARY, required=True),
    Question("link-format", "choice", ", ".join(LINK_FORMATS), choices=LINK_FORMATS),
    # Where the link was seen: written as the link's source: and as the entry's provenance:.
    Question("source-document", "choice", f"where you saw the address: {', '.join(SOURCE_DOCUMENTS)} "
             f"(default: {DEFAULT_DOCUMENT}, a source you cite yourself)", choices=SOURCE_DOCUMENTS,
             default=DEFAULT_DOCUMENT),
    Question("source-item", "text", "your citation, e.g. \"DGME website, consulted 2026-12-01\" (for the dossier "
             "or an addendum: the item number, e.g. C.24 or 1.28)", required=True),
    Question("seen-as", "choice", f"page (you opened the page at this address) or printed (the address is printed "
             f"inside another document) (default: {DEFAULT_SEEN_AS})", choices=SEEN_AS, default=DEFAULT_SEEN_AS),
    Question("confidence", "choice", f"{', '.join(CONFIDENCE)}: how sure the source is (default: high for an "
             "official link, else required)", choices=CONFIDENCE, required=True),
    _term_question("languages", "languages the document exists in (default: the link's language)"),
    Question("unofficial-title", "text", "es and/or en: titles that are our own translation"),
)
_BY_FLAG = {q.flag: q for q in QUESTIONS}


def _vocab_terms(catalog: Catalog, name: str) -> dict[str, dict[str, Any]]:
    return catalog.vocab[name].terms


def _choices(options: tuple[str, ...], labels: dict[str, dict[str, str]] | None = None) -> dict[str, dict[str, Any]]:
    """A fixed list of values (link kinds, formats) shaped like a vocabulary, with labels where there are some."""
    return {option: {lang: text[option] for lang, text in (labels or {}).items() if option in text}
            for option in options}


def collect(args: argparse.Namespace, catalog: Catalog, lang: str, asker: Asker | None) -> dict[str, Any]:
    """The values of the new entry: from the flags, and from questions for what the flags left out."""
    p = strings()[lang]["prompts"]
    vocab = {q.vocabulary: _vocab_terms(catalog, q.vocabulary) for q in QUESTIONS if q.vocabulary}
    missing: list[str] = []
    problems: list[str] = []

    def text(flag: str, key: str) -> str:
        value = getattr(args, key)
        if value:
            return " ".join(value.split())
        if asker is None:
            missing.append(flag)
            return ""
        return asker.ask(p[key])

    def terms(flag: str, key: str, vocab_name: str, *, required: bool, single: bool = False,
              default: str = "") -> list[str]:
        value = getattr(args, key)
        if value:
            chosen, problem = match_terms(_split(value), vocab[vocab_name], lang)
            if problem:
                problems.append(f"{flag}: {problem} {p['allowed']} {', '.join(vocab[vocab_name])}")
            return chosen
        if asker is None:
            if required and not default:
                missing.append(flag)
            return _split(default)
        return asker.ask_terms(p[key], vocab[vocab_name], vocab=vocab_name, default=default,
                               required=required, single=single)

    values: dict[str, Any] = {}
    if asker is not None:
        print(p["intro"], file=asker.out)
    values["title_es"] = text("--title-es", "title_es")
    values["title_en"] = text("--title-en", "title_en")
    values["summary_es"] = text("--summary-es", "summary_es")
    values["summary_en"] = text("--summary-en", "summary_en")
    def table_terms(flag: str, *, default: str = "") -> list[str]:
        q = _BY_FLAG[flag]
        return terms(f"--{flag}", q.key, str(q.vocabulary), required=q.required, single=q.kind == "term",
                     default=default)

    values["type"] = next(iter(table_terms("type")), "")
    values["organizations"] = table_terms("organizations")

    year: int | None = None
    if args.year:
        if not re.fullmatch(r"(19|20)\d\d", str(args.year)):
            problems.append(f"--year: {p['bad_year']}")
        else:
            year = int(args.year)
    elif asker is not None:
        answer = asker.ask(p["year"], required=False,
                           check=lambda a: None if re.fullmatch(r"(19|20)\d\d", a) else p["bad_year"])
        year = int(answer) if answer else None
    values["year"] = year

    for flag in ("themes", "stages", "audiences", "countries"):
        values[flag] = table_terms(flag)

    url = args.url or ""
    if url and not _url_ok(url):
        problems.append(f"--url: {p['bad_url']}")
    elif not url:
        if asker is None:
            missing.append("--url")
        else:
            url = asker.ask(p["url"], check=lambda a: None if _url_ok(a) else p["bad_url"])

    def table_choice(flag: str, *, default: str | None = None) -> str:
        """One of a fixed list (QUESTIONS' choices), its default from the table unless given here."""
        q = _BY_FLAG[flag]
        chosen = q.default if default is None else default
        value = _choice(getattr(args, q.key), q.key, q.choices, chosen, asker, lang, problems, required=q.required)
        if not value and asker is None and q.required:
            missing.append(f"--{flag}")
        return value

    kind = table_choice("link-kind")
    link_language = next(iter(table_terms("link-language")), "")
    link_format = table_choice("link-format")
    source = _source(args, url, kind, table_choice, asker, lang, missing, problems)
    values["links"] = [{"url": url, "kind": kind, "language": link_language, "format": link_format,
                        "source": source}]
    values["provenance"] = provenance_of(source) if source["item"] else []
    default_languages = link_language if link_language and link_language != "mul" else ""
    values["languages"] = table_terms("languages", default=default_languages)

    values["title_unofficial"] = [lang_code for lang_code in _split(args.unofficial_title or "")
                                  if lang_code in ("es", "en")]
    values["unknown"] = ["year"] if year is None else []
    today = clock.today().isoformat()
    values["added"] = values["reviewed"] = today

    if missing or problems:
        lines = ([p["missing_flags"].format(flags=", ".join(missing))] if missing else []) + problems
        raise UsageProblem("\n".join(lines))

    official_title = values["title_es"] if "en" in values["title_unofficial"] else values["title_en"]
    proposed = args.id or propose_id(official_title, values["organizations"], year)
    if asker is None:
        problem = id_problem(proposed, catalog, lang)
        if problem:
            raise UsageProblem(p["bad_id"].format(value=proposed, reason=problem) + " (--id)")
        values["id"] = proposed
    else:
        values["id"] = asker.ask(p["id"], default=proposed if id_problem(proposed, catalog, lang) is None else "",
                                 check=lambda a: (None if id_problem(a, catalog, lang) is None else
                                                  p["bad_id"].format(value=a, reason=id_problem(a, catalog, lang))))
    return values


def _source(args: argparse.Namespace, url: str, kind: str, table_choice: Callable[..., str], asker: Asker | None,
            lang: str, missing: list[str], problems: list[str]) -> dict[str, str]:
    """Where the link was seen: document, item (a citation, or the item number in the team's sources),
    seen_as and confidence; a maintainer's own consultation by default."""
    p = strings()[lang]["prompts"]
    document = table_choice("source-document")

    def item_problem(item: str) -> str | None:
        if item_ok(document, item):
            return None
        return p["bad_item"].format(value=item, document=document, examples=ITEM_EXAMPLES.get(document, ""))

    item = " ".join((args.source_item or "").split())
    if item:
        problem = item_problem(item)
        if problem:
            problems.append(f"--source-item: {problem}")
    elif asker is None:
        missing.append("--source-item")
    else:
        proposal = (proposed_citation(url, clock.today().isoformat(), p["citation"])
                    if document == DEFAULT_DOCUMENT else "")
        label = p["source_item"] if document == DEFAULT_DOCUMENT else p["source_item_numbered"]
        item = asker.ask(label, default=proposal, check=item_problem)
    seen_as = table_choice("seen-as")
    confidence = table_choice("confidence", default=default_confidence(kind))
    return {"document": document, "item": item, "seen_as": seen_as, "confidence": confidence}


def _choice(value: str | None, key: str, options: tuple[str, ...], default: str, asker: Asker | None,
                 lang: str, problems: list[str], *, required: bool = False) -> str:
    p = strings()[lang]["prompts"]
    if value:
        chosen, problem = match_terms([value], _choices(options), lang)
        if problem:
            problems.append(f"--{key.replace('_', '-')}: {problem} {p['allowed']} {', '.join(options)}")
        return chosen[0] if chosen else ""
    if asker is None:
        return default
    labels = {code: strings()[code].get("choices", {}).get(key, {}) for code in ("es", "en")}
    chosen = asker.ask_terms(p[key], _choices(options, labels), vocab=key, default=default,
                             required=required or bool(default), single=True)
    return chosen[0] if chosen else ""


class UsageProblem(Exception):
    """Flags that are missing or wrong in a non-interactive run."""


# --- The command -----------------------------------------------------------------------------------------------

def default_lang() -> str:
    """Spanish unless the maintainer's environment says English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "es"
    return "es"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--catalog-dir", default="catalog")
    parser.add_argument("--lang", choices=("es", "en"), help="language of the questions and comments "
                                                             "(default: from LANG, else Spanish)")
    parser.add_argument("--yes", action="store_true", help="do not ask anything: every required value comes "
                                                           "from the flags")
    parser.add_argument("--id", help="the id (default: proposed from the title)")
    for question in QUESTIONS:
        parser.add_argument(f"--{question.flag}", help=question.help)


def run(args: argparse.Namespace, *, read: Callable[[], str] = input, out: TextIO | None = None) -> int:
    lang = args.lang or default_lang()
    p = strings()[lang]["prompts"]
    out = out or sys.stderr
    catalog_dir = Path(args.catalog_dir)
    catalog = load_catalog(catalog_dir, Findings())
    asker = None if args.yes else Asker(lang, out=out, read=read)
    try:
        values = collect(args, catalog, lang, asker)
    except Cancelled:
        print("\n" + p["cancelled"], file=out)
        return 1
    except UsageProblem as problem:
        print(str(problem), file=out)
        return 2

    path = catalog_dir / "entries" / f"{values['id']}.yml"
    text = render_entry(values, lang)
    with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)

    _, findings = validate(catalog_dir)
    own = [f for f in findings.errors if Path(f.path).resolve() == path.resolve()]
    if own:
        print(p["invalid"].format(path=path.as_posix()), file=out)
        for finding in own:
            print(finding.format(), file=out)
        return 1
    print(p["written"].format(path=path.as_posix()))
    print(p["next"].format(id=values["id"]))
    return 0
