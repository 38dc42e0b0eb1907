"""`rcmkb new`: write a new, annotated, valid catalog entry from a few answers or flags.

It asks only for the essentials (or takes them as flags), shows the allowed values of each
vocabulary, proposes an id from the title, refuses an id that is taken, and writes
catalog/entries/<id>.yml from templates/new_entry.yml.j2, where every field carries a comment
saying whether it is required and what it means. The file is validated before the command ends.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import textwrap
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TextIO

import jinja2
import yaml

from rcmkb import clock
from rcmkb.catalog import Catalog, load_catalog
from rcmkb.fields import ID, ID_MAX_LENGTH, LINK_FORMATS, LINK_KINDS, vocabulary_fields
from rcmkb.findings import Findings
from rcmkb.paths import TEMPLATES_DIR
from rcmkb.validate import RESERVED_IDS, validate

MAX_ID_WORDS = 5
MAX_ID_LENGTH = 70
# Words left out of a proposed id: it stays short and says what the document is.
_STOP_WORDS = frozenset((
    "a", "al", "an", "and", "as", "at", "by", "con", "de", "del", "during", "e", "el", "en", "for", "from", "in",
    "into", "la", "las", "los", "o", "of", "on", "or", "para", "por", "sobre", "the", "to", "u", "under", "with", "y",
))

# Words that make no sense at the end of a cut title.
_DANGLING = frozenset(("no", "not", "sin", "without", "non", "ni", "nor"))

# The example shown in full in docs/contribuir*.md: a real catalog entry's facts (catalog/entries/
# iom-handbook-vulnerable-migrants-2019.yml), so the guide never shows an invented document.
EXAMPLE = {
    "id": "iom-handbook-vulnerable-migrants-2019",
    "title_es": "Manual de la OIM sobre Protección y Asistencia para Personas Migrantes Vulnerables a la Violencia, "
                "la Explotación y el Abuso",
    "title_en": "IOM Handbook on Protection and Assistance for Migrants Vulnerable to Violence, Exploitation and Abuse",
    "summary_es": "Presenta el modelo de la OIM sobre los factores que determinan la vulnerabilidad de las personas "
                  "migrantes y orienta la gestión de casos; su Parte 6 trata de la niñez migrante vulnerable.",
    "summary_en": "Introduces IOM's determinants-of-migrant-vulnerability model and gives case-management guidance; "
                  "its Part 6 deals with vulnerable migrant children.",
    "type": "handbook",
    "organizations": ["iom"],
    "year": 2019,
    "themes": ["identification-referral", "best-interests"],
    "stages": ["origin", "transit", "destination", "return"],
    "audiences": [],
    "countries": ["global"],
    "languages": ["en", "es"],
    "links": [{"url": "https://iom.int/iom-handbook-migrant-protection-and-assistance", "kind": "official",
               "language": "en", "format": "html"}],
    "title_unofficial": [],
    "unknown": [],
    "added": "2026-11-28",
    "reviewed": "2026-11-28",
}


class Cancelled(Exception):
    """The maintainer stopped the questions (Ctrl+C or end of input): nothing is written."""


@lru_cache(maxsize=1)
def strings() -> dict[str, dict[str, Any]]:
    return yaml.safe_load((TEMPLATES_DIR / "new_entry.strings.yml").read_text(encoding="utf-8"))


# --- Writing the file ----------------------------------------------------------------------------------------

def _yaml_text(value: str, indent: int) -> str:
    """A text value that YAML reads back exactly: plain when safe, folded when long, else double-quoted."""
    value = " ".join(str(value).split())
    if len(value) > 80 and not value.startswith(("-", "?", ":", "[", "{", "!", "&", "*", "#", "|", ">", "'", '"',
                                                  "%", "@", "`")):
        lines = textwrap.wrap(value, width=110 - indent, break_long_words=False, break_on_hyphens=False)
        folded = ">-\n" + "\n".join(" " * indent + line for line in lines)
        if yaml.safe_load("k: " + folded.replace("\n" + " " * indent, "\n  ")) == {"k": value}:
            return folded
    try:
        plain_ok = yaml.safe_load(f"k: {value}") == {"k": value}
    except yaml.YAMLError:
        plain_ok = False
    if plain_ok and value == value.strip() and value:
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(_yaml_text(v, 0) for v in values) + "]"


def _comment(text: str) -> str:
    lines: list[str] = []
    for paragraph in str(text).strip().splitlines():
        lines += textwrap.wrap(paragraph, width=110, break_long_words=False, break_on_hyphens=False) or [""]
    return "\n".join(("# " + line).rstrip() for line in lines)


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), autoescape=False,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters["yaml"] = _yaml_text
    env.filters["flow"] = _flow
    env.filters["comment"] = _comment
    return env


def render_entry(values: dict[str, Any], lang: str) -> str:
    """The text of the entry file, with the comments in `lang` (es or en)."""
    return _environment().get_template("new_entry.yml.j2").render(c=strings()[lang], **values)


def example_entry(lang: str) -> str:
    """The annotated example shown in the maintainers' guide."""
    return render_entry(EXAMPLE, lang)


# --- Ids -------------------------------------------------------------------------------------------------------

def slug_words(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.findall(r"[a-z0-9]+", ascii_text)


def propose_id(title: str, organizations: list[str], year: int | None) -> str:
    """An id from the title: ASCII kebab-case, accents stripped, organization first and year last.

    e.g. ("Protocolo de atención a niñez migrante", ["iom"], 2016) -> "iom-protocolo-atencion-ninez-migrante-2016".
    """
    main_title = re.split(r"[:(]", title)[0]  # "Children on the Run: Unaccompanied..." -> "Children on the Run"
    words = [w for w in slug_words(main_title) if w not in _STOP_WORDS]
    if len(words) < 2:
        words = [w for w in slug_words(title) if w not in _STOP_WORDS]
    prefix = slug_words(organizations[0]) if organizations else []
    if prefix and words[: len(prefix)] == prefix:
        prefix = []
    if year is not None and words and words[-1] == str(year):
        words = words[:-1]
    chosen = prefix + words[:MAX_ID_WORDS]
    while len(chosen) > 1 and chosen[-1] in _DANGLING:  # "...-migrante-no-2016" would misread
        chosen = chosen[:-1]
    suffix = [str(year)] if year is not None else []
    while len("-".join(chosen + suffix)) > MAX_ID_LENGTH and len(chosen) > 1:
        chosen = chosen[:-1]
    return "-".join(chosen + suffix) or "entry"


def id_problem(entry_id: str, catalog: Catalog, lang: str) -> str | None:
    """Why `entry_id` cannot be used, in the maintainer's language, or None."""
    p = strings()[lang]["prompts"]
    if not ID.match(entry_id) or len(entry_id) > ID_MAX_LENGTH:
        return p["id_format"]
    if entry_id in RESERVED_IDS:
        return p["id_reserved"]
    existing = catalog.root / "entries" / f"{entry_id}.yml"
    if existing.exists() or entry_id in catalog.entries:
        return p["id_taken"].format(path=existing.as_posix())
    for stem, doc in catalog.entries.items():
        former = doc.data.get("former_ids") if isinstance(doc.data, dict) else None
        if isinstance(former, list) and entry_id in former:
            return p["id_former"].format(owner=stem)
    return None


# --- Questions -------------------------------------------------------------------------------------------------

def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;]", text) if part.strip()]


def match_terms(values: list[str], terms: dict[str, dict[str, Any]], lang: str) -> tuple[list[str], str | None]:
    """Map what the maintainer typed to vocabulary ids; or say which value is wrong.

    Case does not matter, and an organization may be typed by its acronym in either language
    (OIM or IOM -> iom), as people know them.
    """
    by_folded = {term.casefold(): term for term in terms}
    for term, data in terms.items():
        for acronym in (data.get("acronym") or {}).values():
            by_folded.setdefault(str(acronym).casefold(), term)
    chosen: list[str] = []
    for value in values:
        term = by_folded.get(value.casefold())
        if term is None:
            p = strings()[lang]["prompts"]
            message = p["unknown_term"].format(value=value)
            guess = difflib.get_close_matches(value.casefold(), list(by_folded), n=1, cutoff=0.6)
            if guess:
                message += " " + p["did_you_mean"].format(guess=by_folded[guess[0]])
            return [], message
        if term not in chosen:
            chosen.append(term)
    return chosen, None


def allowed_list(terms: dict[str, dict[str, Any]], lang: str) -> str:
    def label(data: dict[str, Any]) -> str:
        acronym = (data.get("acronym") or {}).get(lang)
        return f"{acronym} · {data.get(lang, '')}" if acronym else str(data.get(lang, ""))

    return "\n".join(f"    {term:<26} {label(data)}" for term, data in terms.items())


def _url_ok(url: str) -> bool:
    return bool(re.match(r"^https?://[^\s/…]+\.[^\s/…]+(/\S*)?$", url)) and "…" not in url


@dataclass
class Asker:
    """Asks on `out`, reads answers from `read` (input()); re-asks until an answer is acceptable."""

    lang: str
    out: TextIO = sys.stderr
    read: Callable[[], str] = input
    shown: set[str] = field(default_factory=set)

    def _line(self) -> str:
        try:
            return self.read()
        except (EOFError, KeyboardInterrupt):
            raise Cancelled from None

    def ask(self, label: str, *, default: str = "", required: bool = True,
            check: Callable[[str], str | None] | None = None) -> str:
        p = strings()[self.lang]["prompts"]
        while True:
            print(f"{label}" + (f" [{default}]" if default else "") + ": ", end="", file=self.out, flush=True)
            answer = " ".join(self._line().split()) or default
            if not answer:
                if not required:
                    return ""
                print("  " + p["required"], file=self.out)
                continue
            problem = check(answer) if check else None
            if problem is None:
                return answer
            print("  " + problem, file=self.out)

    def ask_terms(self, label: str, terms: dict[str, dict[str, Any]], *, vocab: str, default: str = "",
                  required: bool = True, single: bool = False) -> list[str]:
        p = strings()[self.lang]["prompts"]
        if vocab not in self.shown:
            print(f"{p['allowed']}\n{allowed_list(terms, self.lang)}", file=self.out)
            self.shown.add(vocab)
        result: list[str] = []

        def check(answer: str) -> str | None:
            values = _split(answer)
            if single and len(values) != 1:
                return p["unknown_term"].format(value=answer)
            chosen, problem = match_terms(values, terms, self.lang)
            result[:] = chosen
            return problem

        answer = self.ask(label, default=default, required=required, check=check)
        return result if answer else []


def _vocab_terms(catalog: Catalog, name: str) -> dict[str, dict[str, Any]]:
    return catalog.vocab[name].terms


def _choices(options: tuple[str, ...], labels: dict[str, dict[str, str]] | None = None) -> dict[str, dict[str, Any]]:
    """A fixed list of values (link kinds, formats) shaped like a vocabulary, with labels where there are some."""
    return {option: {lang: text[option] for lang, text in (labels or {}).items() if option in text}
            for option in options}


def collect(args: argparse.Namespace, catalog: Catalog, lang: str, asker: Asker | None) -> dict[str, Any]:
    """The values of the new entry: from the flags, and from questions for what the flags left out."""
    p = strings()[lang]["prompts"]
    vocab = {name: _vocab_terms(catalog, name) for name in vocabulary_fields().values()}
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
    values["type"] = next(iter(terms("--type", "type", "types", required=True, single=True)), "")
    values["organizations"] = terms("--organizations", "organizations", "organizations", required=True)

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

    values["themes"] = terms("--themes", "themes", "themes", required=True)
    values["stages"] = terms("--stages", "stages", "stages", required=False)
    values["audiences"] = terms("--audiences", "audiences", "audiences", required=False)
    values["countries"] = terms("--countries", "countries", "countries", required=False)

    url = args.url or ""
    if url and not _url_ok(url):
        problems.append(f"--url: {p['bad_url']}")
    elif not url:
        if asker is None:
            missing.append("--url")
        else:
            url = asker.ask(p["url"], check=lambda a: None if _url_ok(a) else p["bad_url"])
    kind = _link_choice(args.link_kind, "link_kind", LINK_KINDS, "official", asker, lang, problems)
    link_language = next(iter(terms("--link-language", "link_language", "languages", required=True, single=True)),
                         "")
    link_format = _link_choice(args.link_format, "link_format", LINK_FORMATS, "", asker, lang, problems)
    values["links"] = [{"url": url, "kind": kind, "language": link_language, "format": link_format}]
    default_languages = link_language if link_language and link_language != "mul" else ""
    values["languages"] = terms("--languages", "languages", "languages", required=True, default=default_languages)

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


def _link_choice(value: str | None, key: str, options: tuple[str, ...], default: str, asker: Asker | None,
                 lang: str, problems: list[str]) -> str:
    p = strings()[lang]["prompts"]
    if value:
        chosen, problem = match_terms([value], _choices(options), lang)
        if problem:
            problems.append(f"--{key.replace('_', '-')}: {problem} {p['allowed']} {', '.join(options)}")
        return chosen[0] if chosen else ""
    if asker is None:
        return default
    labels = {code: strings()[code].get("choices", {}).get(key, {}) for code in ("es", "en")}
    chosen = asker.ask_terms(p[key], _choices(options, labels), vocab=key, default=default, required=bool(default),
                             single=True)
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
    for name, helptext in (("title-es", "title in Spanish"), ("title-en", "title in English"),
                           ("summary-es", "summary in Spanish"), ("summary-en", "summary in English"),
                           ("type", "a term of vocab/types.yml"),
                           ("organizations", "comma-separated terms of vocab/organizations.yml"),
                           ("year", "year of adoption or publication (leave out if not known)"),
                           ("themes", "comma-separated terms of vocab/themes.yml"),
                           ("stages", "comma-separated terms of vocab/stages.yml"),
                           ("audiences", "comma-separated terms of vocab/audiences.yml"),
                           ("countries", "comma-separated terms of vocab/countries.yml"),
                           ("languages", "languages the document exists in (default: the link's language)"),
                           ("url", "full https:// address of the document"),
                           ("link-kind", "official, record, copy or mention (default: official)"),
                           ("link-language", "language of the linked page (a term of vocab/languages.yml)"),
                           ("link-format", "html, pdf, slides, video or audio"),
                           ("unofficial-title", "es and/or en: titles that are our own translation")):
        parser.add_argument(f"--{name}", help=helptext)


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
