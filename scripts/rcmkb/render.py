"""Render the site model into Markdown pages, one per language, from the templates."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Callable, Set
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import jinja2
import yaml
from markupsafe import Markup

from rcmkb import routes, text
from rcmkb.acronyms import Acronyms
from rcmkb.model import SiteModel, as_list
from rcmkb.paths import TEMPLATES_DIR
from rcmkb.qr import qr_svg
from rcmkb.routes import (
    FACETS,
    GENERATED_DIR,
    GLOSSARY_PAGE,
    LANGS,
    MANDATES_PAGE,
    OVERVIEW_PAGE,
    TODO_PAGE,
    decision_page,
    entry_page,
    facet_index_page,
    facet_term_page,
    handout_page,
    language_file,
    page_link,
    page_site_path,
    relative_link,
)
from rcmkb.urls import short_url, site_url
from rcmkb.validate import REVIEW_MAX_AGE_DAYS

# What templates may name, so that no template writes a folder or page name of its own.
_PAGES = {"overview": OVERVIEW_PAGE, "mandates": MANDATES_PAGE, "glossary": GLOSSARY_PAGE, "todo": TODO_PAGE}
_FOLDERS = {field_name: folder for folder, field_name, _ in FACETS}
_ANCHOR = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@lru_cache(maxsize=1)
def _strings() -> dict[str, dict[str, Any]]:
    return yaml.safe_load((TEMPLATES_DIR / "strings.yml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        # Every printed value goes through `inert` unless code built it as Markup on purpose.
        finalize=text.inert,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.filters["yaml_string"] = lambda value: Markup(json.dumps(str(value), ensure_ascii=False))
    return env


class PageRenderer:
    def __init__(self, model: SiteModel, today: dt.date, base_url: str | None = None) -> None:
        self.model = model
        self.today = today
        self.base_url = base_url or site_url()  # printed QR codes point at the published site
        self.env = _environment()
        self.acronyms = {lang: Acronyms(model, lang) for lang in LANGS}

    def _context(self, page: str, lang: str) -> dict[str, Any]:
        model = self.model
        return {
            "m": model,
            "lang": lang,
            "other": "en" if lang == "es" else "es",
            "s": _strings()[lang],
            "facets": FACETS,
            "link": lambda target: text.page_path(page_link(page, target)),
            "link_doc": lambda doc_page: text.page_path(page_link(f"{GENERATED_DIR}/{page}", doc_page)),
            # Raw HTML links to files MkDocs does not make (data/, feeds) or does not rewrite (assets).
            "site_link": lambda site_path: Markup(relative_link(page_site_path(page, lang), site_path)),
            "data_path": routes.data_path,
            "feed_path": routes.feed_path,
            "asset_path": routes.asset_path,
            "pages": _PAGES,
            "folders": _FOLDERS,
            "handout_folder": routes.HANDOUT_THEME_FOLDER,
            "language_facet": routes.LANGUAGE_FACET,
            "label": lambda vocab_name, term: model.label(vocab_name, term, lang),
            "entry_path": entry_page,
            "term_path": facet_term_page,
            "facet_index_path": facet_index_page,
            "decision_path": decision_page,
            "head_title": text.head_title,
            "attribute": text.attribute,
            "safe_url": text.safe_url,
            "host": lambda url: urlsplit(url).hostname or url,
            "anchor": self._anchor,
            "site_address": self.base_url,
            "short_url": lambda entry_id: short_url(entry_id, self.base_url),
            "qr": lambda entry_id: qr_svg(short_url(entry_id, self.base_url), _strings()[lang]["qr_label"]),
            "handout_path": handout_page,
        }

    @staticmethod
    def _anchor(anchor_id: str) -> Markup:
        if not _ANCHOR.match(anchor_id):
            raise ValueError(f"bad anchor {anchor_id!r}")
        return Markup("{#" + anchor_id + "}")

    def _render(self, template: str, page: str, lang: str, **extra: Any) -> str:
        rendered = self.env.get_template(template).render(**self._context(page, lang), **extra)
        return rendered + self.acronyms[lang].definitions_for(rendered)

    def pages(self, skip: Set[str] = frozenset()) -> dict[str, str]:
        """Every generated page: path relative to the generated folder -> Markdown.

        `skip` names pages (as in the route table, "x.md") not to render: the preview leaves out
        those an edit cannot have changed."""
        out: dict[str, str] = {}
        model = self.model
        for lang in LANGS:
            def put(page: str, template: str, lang: str = lang, **extra: Any) -> None:
                if page not in skip:
                    out[language_file(page, lang)] = self._render(template, page, lang, **extra)

            put(OVERVIEW_PAGE, "overview.md.j2",
                entries_by_title=sorted(model.entries, key=lambda e: _sort_key(e["title"][lang])))
            for entry in model.entries:
                put(entry_page(entry["id"]), "entry.md.j2", e=entry)
            for folder, field_name, vocab_name in FACETS:
                vocabulary = model.vocab[vocab_name].terms
                counts = {term: len(model.entries_with(field_name, term)) for term in vocabulary}
                used = [(term, counts[term]) for term in vocabulary if counts[term]]
                put(facet_index_page(folder), "facet_index.md.j2", folder=folder, vocab_name=vocab_name, terms=used)
                for term, data in vocabulary.items():
                    if facet_term_page(folder, term) in skip:
                        continue  # not even the list of its entries: the preview re-renders few of these
                    description = (data.get("description") or {}).get(lang, "")
                    put(facet_term_page(folder, term), "facet_term.md.j2", folder=folder, vocab_name=vocab_name,
                        term=term, description=description,
                        entries=sorted(model.entries_with(field_name, term),
                                       key=lambda e: (-(e.get("year") or 0), _sort_key(e["title"][lang]))))
            for decision in model.decisions:
                put(decision_page(decision["id"]), "decision.md.j2", d=decision)
            put(MANDATES_PAGE, "mandates.md.j2",
                top_decisions=sorted((d for d in model.decisions if not d.get("part_of")), key=lambda d: d["date"]))
            glossary = model.glossary
            put(GLOSSARY_PAGE, "glossary.md.j2",
                terms=sorted(glossary.get("terms", []), key=lambda t: _sort_key(t["term"][lang])),
                acronyms=self._acronyms(lang))
            put(TODO_PAGE, "maintainers.md.j2", **self._maintainers())
            self._handouts(put, lang)
        return out

    def _handouts(self, put: Callable[..., None], lang: str) -> None:
        """One printable page per theme that has entries, plus their index."""
        model = self.model
        themes = [(term, sorted(model.entries_with("themes", term),
                                key=lambda e: (-(e.get("year") or 0), _sort_key(e["title"][lang]))))
                  for term in model.vocab["themes"].terms]
        themes = [(term, entries) for term, entries in themes if entries]
        put(handout_page(None), "handout_index.md.j2", themes=themes)
        for term, entries in themes:
            put(handout_page(term), "handout.md.j2", term=term, entries=entries)

    def _acronyms(self, lang: str) -> list[dict[str, str]]:
        items = [{"short": t["acronym"][lang], "long": t[lang]}
                 for t in self.model.vocab["organizations"].terms.values() if t.get("acronym")]
        items += [a[lang] for a in self.model.glossary.get("acronyms", [])]
        return sorted(items, key=lambda a: _sort_key(a["short"]))

    def _maintainers(self) -> dict[str, Any]:
        entries = self.model.entries
        only_copies = [e for e in entries
                       if all(link["kind"] in ("copy", "mention") for link in e["links"])]
        unofficial = [(e, e["title_unofficial"]) for e in entries if e.get("title_unofficial")]
        unknown = [(e, as_list(e.get("unknown"))) for e in entries if e.get("unknown")]
        overdue = [e for e in entries
                   if (self.today - dt.date.fromisoformat(e["reviewed"])).days > REVIEW_MAX_AGE_DAYS]
        return {"only_copies": only_copies, "unofficial": unofficial, "unknown": unknown, "overdue": overdue}


@lru_cache(maxsize=65536)  # every browse page sorts the same titles again
def _sort_key(value: str) -> str:
    # Sort "Ñ" and accented letters with their base letter, as a Spanish reader expects.
    return "".join(c for c in unicodedata.normalize("NFKD", value.casefold()) if not unicodedata.combining(c))
