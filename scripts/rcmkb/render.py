"""Render the site model into Markdown pages, one per language, from the templates."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
import types
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Set
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import jinja2
import jinja2.runtime
import yaml
from jinja2.compiler import CodeGenerator
from markupsafe import Markup

from rcmkb import fields, routes, text
from rcmkb.acronyms import Acronyms
from rcmkb.country_pages import put_country_pages
from rcmkb.coverage import COUNTRY_FOLDER, member_countries
from rcmkb.forked import forked_worker, worth_forking
from rcmkb.model import SiteModel, as_list
from rcmkb.paths import TEMPLATES_DIR
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
from rcmkb.urls import is_local_address, short_url, site_url, typed_url
from rcmkb.validate import REVIEW_MAX_AGE_DAYS

# What templates may name, so that no template writes a folder or page name of its own.
_PAGES = {"overview": OVERVIEW_PAGE, "mandates": MANDATES_PAGE, "glossary": GLOSSARY_PAGE, "todo": TODO_PAGE,
          "open_data": routes.OPEN_DATA_DOC, "coverage": routes.COVERAGE_PAGE}


@lru_cache(maxsize=1)
def _strings() -> dict[str, dict[str, Any]]:
    return yaml.safe_load((TEMPLATES_DIR / "strings.yml").read_text(encoding="utf-8"))


class _InertOutput(CodeGenerator):
    """Jinja's code generator, without the escape() it wraps around each printed value.

    The environment's finalize (text.inert) already returns Markup for every value, so escaping its
    result again only copied the string: the same bytes, at the cost of two calls per printed value.
    Where finalize is not in play, output is compiled as Jinja does it.
    """

    def _output_child_pre(self, node: Any, frame: Any, finalize: Any) -> None:
        if finalize.src is not None and frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write(finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: Any, frame: Any, finalize: Any) -> None:
        if finalize.src is not None and frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)


_PLAIN_CALLABLES = (types.FunctionType, types.BuiltinFunctionType, types.MethodType)


class _Context(jinja2.runtime.Context):
    """Jinja's context, calling plain functions directly.

    Templates call a function per link and label (about 70 per entry page); Jinja first asks each
    callable (and its __call__) whether it wants the context passed in. A plain function, builtin
    or bound method that carries no such mark is simply called, as Jinja would have done; anything
    else (macros, marked filters) goes through Jinja's own call.
    """

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if type(__obj) in _PLAIN_CALLABLES and not hasattr(__obj, "jinja_pass_arg"):
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined("value was undefined because a callable raised a "
                                                    "StopIteration exception")
        return super().call(__obj, *args, **kwargs)


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
    env.code_generator_class = _InertOutput
    env.context_class = _Context
    env.filters["yaml_string"] = lambda value: Markup(json.dumps(str(value), ensure_ascii=False))
    env.filters["inert_join"] = text.inert_join
    return env


# The URL path of a page at the top of the generated folder (an entry page), in either language.
_TOP_SITE_PAGE = re.compile(rf"^({'|'.join(re.escape(p) for p in routes.LANG_PREFIX.values() if p)})?"
                            rf"{re.escape(GENERATED_DIR)}/[^/]+/$")


# The macros of _macros.md.j2 that make one entry's line of a listing, each made once per entry.
_LINE_MACROS = ("entry_line", "overview_line", "handout_line", "title_link")
# The functions a page's context has for its links (PageRenderer._links), and the mark that stands
# for one of their links in a macro output made once for every page (PageRenderer._with_marks). Catalog
# text cannot hold the NUL and unit-separator characters (the loader refuses them), nor can inert().
_LINK_FUNCTIONS = ("link", "link_doc", "site_link", "qr")
_LINK_MARK = re.compile("\x00([a-z_]+)\x1f([^\x00]*)\x00")
# ((macro, lang, depth or folder), entry id) -> (the entry, its line); see PageRenderer._entry_lines.
LineCache = dict[tuple[tuple[str, str, str], str], tuple[dict[str, Any], Markup]]
# The macros of _macros.md.j2 whose output depends only on their arguments, the language and the
# folder of the page that prints them (their links are relative to it): each made once per renderer
# for every such combination (PageRenderer._shared_macro). An entry page prints six term lists.
_SHARED_MACROS = ("term_links", "entry_links", "decision_links")


class PageRenderer:
    def __init__(self, model: SiteModel, today: dt.date, base_url: str | None = None,
                 lines: LineCache | None = None) -> None:
        """`lines`: listing lines kept from an earlier renderer of the same code, vocabularies,
        glossary and address (the preview, after an edit of entries only): a line is reused
        only for the very entry object it was made from, which an unchanged file keeps."""
        self.model = model
        self.today = today
        self.base_url = base_url or site_url()  # printed QR codes point at the published site
        self.env = _environment()
        self.acronyms = {lang: Acronyms(model, lang) for lang in LANGS}
        self.edition = edition_date(model)
        self._line_cache: LineCache = lines if lines is not None else {}
        self._keeps_lines = lines is not None
        self._shared: dict[tuple[str, str, str, tuple[Any, ...]], Markup] = {}  # see _shared_macro
        self._marked: dict[tuple[str, str, str], tuple[dict[str, Any], str, bool]] = {}  # see _marked_line
        self._marking_modules: dict[str, Any] = {}
        # Made once per language. Kept here, not in an lru_cache on the method: that would keep the
        # renderer, and so the model, alive after the build, for the cycle collector to walk.
        self._language_contexts: dict[str, dict[str, Any]] = {}
        self._static: dict[str, frozenset[str]] = {}

    def _context(self, page: str, lang: str) -> dict[str, Any]:
        """What a template sees: the language's part (made once per language), then the page's own links."""
        return {**self._language_context(lang), **self._links(page, lang),
                **{macro: self._entry_lines(page, lang, macro) for macro in _LINE_MACROS},
                **{macro: self._shared_macro(page, lang, macro) for macro in _SHARED_MACROS}}

    def _links(self, page: str, lang: str) -> dict[str, Callable[[str], Markup]]:
        """The functions that make the page's links, relative to it (their names are _LINK_FUNCTIONS)."""
        def link(target: str) -> Markup:
            return text.page_path(page_link(page, target))

        def link_doc(doc_page: str) -> Markup:
            return text.page_path(page_link(f"{GENERATED_DIR}/{page}", doc_page))

        def site_link(site_path: str) -> Markup:
            # Raw HTML links to files MkDocs does not make (data/, feeds) or does not rewrite (assets).
            return Markup(relative_link(page_site_path(page, lang), site_path))

        def qr(entry_id: str) -> Markup:
            # The entry's QR code for the page's language, a file beside the short link it encodes
            # (/t/<id>/<lang>/, routes.qr_site_file): it opens that language whatever the phone's; the
            # link printed beside it is the typed one, /t/<id>/, which follows the browser's language.
            # Raw HTML with a final link, as the file is not among MkDocs' documentation files.
            if not fields.ID.match(entry_id):
                raise ValueError(f"bad entry id {entry_id!r}")
            label = _strings()[lang]["qr_label"]
            source = relative_link(page_site_path(page, lang), routes.qr_site_file(entry_id, lang))
            return Markup(f'<img alt="{text.inert(label)}" class="rcm-qr" src="{source}" />')

        return {"link": link, "link_doc": link_doc, "site_link": site_link, "qr": qr}

    def _language_context(self, lang: str) -> dict[str, Any]:
        made = self._language_contexts.get(lang)
        if made is None:
            made = self._language_contexts[lang] = self._make_language_context(lang)
        return made

    def _make_language_context(self, lang: str) -> dict[str, Any]:
        model = self.model
        return {
            "m": model,
            "lang": lang,
            "other": "en" if lang == "es" else "es",
            "s": _strings()[lang],
            "s_other": _strings()["en" if lang == "es" else "es"],
            "facets": FACETS,
            "data_path": routes.data_path,
            "feed_path": routes.feed_path,
            "asset_path": routes.asset_path,
            "pages": _PAGES,
            "folders": routes.FOLDER_OF_FIELD,
            "handout_folder": routes.HANDOUT_THEME_FOLDER,
            "language_facet": routes.LANGUAGE_FACET,
            "label": lambda vocab_name, term: model.label(vocab_name, term, lang),
            "entry_path": entry_page,
            "entry_site_path": routes.entry_site_path,  # raw-HTML listings link to final URLs
            "abbr": self.acronyms[lang].mark,  # acronyms in raw-HTML listings
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
            "typed_short_url": lambda entry_id: typed_url(short_url(entry_id, self.base_url)),
            "typed_site_address": typed_url(self.base_url),
            "preview": is_local_address(self.base_url),  # printed pages then carry a visible mark
            "edition": self.edition,
            "handout_path": handout_page,
        }

    def _entry_lines(self, page: str, lang: str, macro: str) -> Callable[[dict[str, Any]], Markup]:
        """`entry_line(e)` (or another of _LINE_MACROS) for the listings of one page: the macro's output,
        rendered once per entry and language, with the page's links put in.

        An entry is listed on a dozen pages per language (its type, themes, stages, countries, coverage
        cells...), and its line differs only by the relative links in it. So the macro is rendered once
        with a mark in place of each link (_marked_line), and each page puts its own links in. Pages
        whose links to the entry are the same share that result too: a link to a page at the top of
        the generated folder (an entry page) depends only on how deep the listing page is; any other
        link depends on its folder.
        """
        lines = self._line_cache
        keys: list[tuple[str, str, str]] = []  # by depth, by folder: made at the first call (most pages list nothing)
        links: list[dict[str, Callable[[str], Markup]]] = []  # the page's link functions, made with the keys

        def entry_line(entry: dict[str, Any]) -> Markup:
            if not keys:
                # A raw-HTML link (site_link) is relative to the page's URL, which for an index page is
                # one level up from its file's folder: the keys hold both.
                site_path = page_site_path(page, lang)
                keys.append((macro, lang, f"{page.count('/')}|{site_path.count('/')}"))
                keys.append((macro, lang, f"{posixpath.dirname(page)}|{posixpath.dirname(site_path.rstrip('/'))}"))
                links.append(self._links(page, lang))
            by_depth, by_folder = keys
            entry_id = entry["id"]
            known = lines.get((by_depth, entry_id)) or lines.get((by_folder, entry_id))
            if known is not None and known[0] is entry:
                return known[1]
            marked, top_level_only = self._marked_line(macro, lang, entry)
            line = _put_links(marked, links[0])
            lines.pop((by_depth, entry_id), None)  # a line of the entry before an edit
            lines.pop((by_folder, entry_id), None)
            lines[(by_depth if top_level_only else by_folder, entry_id)] = (entry, line)
            return line

        return entry_line

    def _marked_line(self, macro: str, lang: str, entry: dict[str, Any]) -> tuple[str, bool]:
        """The entry's line as `macro` renders it, with a mark where each link goes (see _LINK_MARK), and
        whether every link in it leads to a page at the top of the generated folder."""
        key = (macro, lang, entry["id"])
        made = self._marked.get(key)
        if made is not None and made[0] is entry:
            return made[1], made[2]
        marked = self._with_marks(macro, lang, entry)
        top_level_only = all((name == "link" and "/" not in target)
                             or (name == "site_link" and _TOP_SITE_PAGE.match(target) is not None)
                             for name, target in _LINK_MARK.findall(marked))
        self._marked[key] = (entry, marked, top_level_only)
        return marked, top_level_only

    def _with_marks(self, macro: str, lang: str, *args: Any) -> str:
        """What `macro` of _macros.md.j2 prints for `args`, with a mark (_LINK_MARK) where each link goes:
        the same for every page of the language, which then puts its own links in (_put_links)."""
        module = self._marking_modules.get(lang)
        if module is None:
            def mark(name: str) -> Callable[[str], Markup]:
                return lambda target: Markup(f"\x00{name}\x1f{target}\x00")

            context = {**self._language_context(lang), **{name: mark(name) for name in _LINK_FUNCTIONS}}
            module = self._marking_modules[lang] = self.env.get_template("_macros.md.j2").make_module(context)
        return str(getattr(module, macro)(*args))

    def _shared_macro(self, page: str, lang: str, macro: str) -> Callable[..., Markup]:
        """`term_links(...)` (or another of _SHARED_MACROS) for one page: the macro's output for these
        arguments, made once per language and folder (links are relative to the folder)."""
        folder = posixpath.dirname(page)
        shared = self._shared
        links: list[dict[str, Callable[[str], Markup]]] = []  # the page's link functions, made at its first miss

        def call(*args: Any) -> Markup:
            key = (macro, lang, folder, tuple(tuple(arg) if isinstance(arg, list) else arg for arg in args))
            made = shared.get(key)
            if made is None:
                if not links:
                    links.append(self._links(page, lang))
                made = shared[key] = _put_links(self._with_marks(macro, lang, *args), links[0])
            return made

        return call

    def files(self, skip: Set[str] = frozenset(), parallel: bool | None = None) -> dict[str, bytes]:
        """Everything the generated folder holds: the pages (UTF-8). Pages named in `skip` are left out (see pages()).

        With `parallel` (by default: a large catalog, two cores, a process without threads), the
        English half is made in a forked child while this process makes the Spanish one: the two
        halves share nothing but the model, which the child inherits. The bytes are the same."""
        if parallel is None:
            parallel = self.parallel_worth_it(skip)
        if not parallel:
            return {name: data for lang in LANGS for name, data in self.language_files(lang, skip).items()}
        self.prepare_templates()  # compiled once, before the fork, rather than once per process
        with forked_worker({"files": lambda lang: self.language_files(lang, skip)}) as submit:
            other = submit("files", LANGS[1])
            out = self.language_files(LANGS[0], skip)
            out.update(other.result())
        return out

    def parallel_worth_it(self, skip: Set[str] = frozenset()) -> bool:
        """Whether to make each language in its own process (see files())."""
        # Lines kept for a later renderer (the preview's) must be made in this process.
        return not skip and not self._keeps_lines and worth_forking(len(self.model.entries))

    def language_files(self, lang: str, skip: Set[str] = frozenset()) -> dict[str, bytes]:
        """One language's pages (UTF-8), as files() names them."""
        return {name: page.encode("utf-8") for name, page in self._language_pages(lang, skip).items()}

    def prepare_templates(self) -> None:
        for name in self.env.list_templates(filter_func=lambda name: name.endswith(".md.j2")):
            self.env.get_template(name)

    @staticmethod
    def _anchor(anchor_id: str) -> Markup:
        if not fields.ID.match(anchor_id):  # entry, glossary and heading ids: the schema's id pattern
            raise ValueError(f"bad anchor {anchor_id!r}")
        return Markup("{#" + anchor_id + "}")

    def _render(self, template: str, page: str, lang: str, used: Iterable[str] | None = None, **extra: Any) -> str:
        """A page; `used` names the acronyms its catalog values hold (found from them, see acronyms.py),
        or None for the few small pages that are simply scanned once rendered."""
        rendered = self.env.get_template(template).render(**self._context(page, lang), **extra)
        acronyms = self.acronyms[lang]
        if used is None:
            return rendered + acronyms.definitions_for(rendered)
        return rendered + acronyms.definitions(set(used) | self._static_acronyms(lang))

    def _static_acronyms(self, lang: str) -> frozenset[str]:
        """Acronyms in the interface strings a page may print (strings.yml)."""
        found = self._static.get(lang)
        if found is None:
            found = self._static[lang] = self.acronyms[lang].in_texts(_flatten(_strings()[lang]))
        return found

    def _entry_acronyms(self, entry: dict[str, Any], lang: str) -> set[str]:
        acronyms, model = self.acronyms[lang], self.model
        used = set(acronyms.in_entry(entry))
        entry_id = entry["id"]
        for other in (*entry.get("supersedes", []), *entry.get("preceded_by", []), *entry.get("related", []),
                      *model.superseded_by.get(entry_id, []), *model.followed_by.get(entry_id, [])):
            if other in model.by_id:
                used |= acronyms.in_title(model.by_id[other])
        for decision in (*entry.get("adopted_by", []), *entry.get("requested_by", [])):
            if decision in model.decisions_by_id:
                used |= acronyms.in_text(model.decisions_by_id[decision]["title"][lang])
        for term in model.glossary_by_entry.get(entry_id, []):
            used |= acronyms.in_text(term["term"][lang])
        return used

    def _listing_acronyms(self, entries: Iterable[dict[str, Any]], lang: str, *values: str,
                          summaries: bool = False) -> set[str]:
        acronyms = self.acronyms[lang]
        used = set(acronyms.in_texts(values))
        for entry in entries:
            used |= acronyms.in_title(entry)
            if summaries:
                used |= acronyms.in_text(entry["summary"][lang])
        return used

    def pages(self, skip: Set[str] = frozenset()) -> dict[str, str]:
        """Every generated page: path relative to the generated folder -> Markdown.

        `skip` names pages (as in the route table, "x.md") not to render: the preview leaves out
        those an edit cannot have changed."""
        return {name: page for lang in LANGS for name, page in self._language_pages(lang, skip).items()}

    def _language_pages(self, lang: str, skip: Set[str]) -> dict[str, str]:
        """The pages of one language (see pages())."""
        out: dict[str, str] = {}
        model = self.model

        def put(page: str, template: str, lang: str = lang, **extra: Any) -> None:
            if page not in skip:
                out[language_file(page, lang)] = self._render(template, page, lang, **extra)

        members = member_countries(model)  # listed even with no national entry (issue 10)
        all_labels = [t[lang] for v in model.vocab.values() for t in v.terms.values() if isinstance(t, dict)]
        put(OVERVIEW_PAGE, "overview.md.j2", members=members,
            used=self._listing_acronyms(model.entries, lang, *all_labels),
            entries_by_title=sorted(model.entries, key=lambda e: _sort_key(e["title"][lang])))
        for entry in model.entries:
            if entry_page(entry["id"]) not in skip:  # its acronyms are not looked up either
                put(entry_page(entry["id"]), "entry.md.j2", used=self._entry_acronyms(entry, lang), e=entry)
        for folder, field_name, vocab_name in FACETS:
            vocabulary = model.vocab[vocab_name].terms
            counts = {term: len(model.entries_with(field_name, term)) for term in vocabulary}
            used = [(term, counts[term]) for term in vocabulary
                    if counts[term] or (folder == COUNTRY_FOLDER and term in members)]
            put(facet_index_page(folder), "facet_index.md.j2", folder=folder, vocab_name=vocab_name, terms=used)
            for term, data in vocabulary.items():
                if folder == COUNTRY_FOLDER and term in members:
                    continue  # put_country_pages writes these, with the regional instruments
                if facet_term_page(folder, term) in skip:
                    continue  # not even the list of its entries: the preview re-renders few of these
                description = (data.get("description") or {}).get(lang, "")
                listed = sorted(model.entries_with(field_name, term),
                                key=lambda e: (-(e.get("year") or 0), _sort_key(e["title"][lang])))
                put(facet_term_page(folder, term), "facet_term.md.j2", folder=folder, vocab_name=vocab_name,
                    term=term, description=description, entries=listed,
                    used=self._listing_acronyms(listed, lang, data[lang], description))
        def newest_first(e: dict[str, Any], lang: str = lang) -> tuple[int, str]:
            return (-(e.get("year") or 0), _sort_key(e["title"][lang]))

        def listing_used(entries: Iterable[dict[str, Any]], *labels: tuple[str, str]) -> set[str]:
            return self._listing_acronyms(entries, lang, *(model.label(v, t, lang) for v, t in labels))

        put_country_pages(put, model, newest_first, listing_used, wanted=lambda page: page not in skip)
        for decision in model.decisions:
            put(decision_page(decision["id"]), "decision.md.j2", d=decision)
        put(MANDATES_PAGE, "mandates.md.j2",
            top_decisions=sorted((d for d in model.decisions if not d.get("part_of")), key=lambda d: d["date"]))
        glossary = model.glossary
        put(GLOSSARY_PAGE, "glossary.md.j2",
            terms=sorted(glossary.get("terms", []), key=lambda t: _sort_key(t["term"][lang])),
            acronyms=self._acronyms(lang))
        put(TODO_PAGE, "maintainers.md.j2", used=self._listing_acronyms(model.entries, lang),
            **self._maintainers())
        self._handouts(put, lang, skip)
        return out

    def _handouts(self, put: Callable[..., None], lang: str, skip: Set[str]) -> None:
        """One printable page per theme that has entries, plus their index."""
        model = self.model
        themes = [(term, model.entries_with("themes", term)) for term in model.vocab["themes"].terms]
        themes = [(term, entries) for term, entries in themes if entries]
        put(handout_page(None), "handout_index.md.j2", themes=themes)
        for term, entries in themes:
            if handout_page(term) in skip:
                continue  # nor its sorting and acronyms: the preview re-renders few of these
            entries = sorted(entries, key=lambda e: (-(e.get("year") or 0), _sort_key(e["title"][lang])))
            put(handout_page(term), "handout.md.j2", term=term, entries=entries,
                used=self._listing_acronyms(entries, lang, model.label("themes", term, lang), summaries=True))

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


def _flatten(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _flatten(item)
    elif isinstance(value, list):
        for item in value:
            yield from _flatten(item)
def _put_links(marked: str, links: dict[str, Callable[[str], Markup]]) -> Markup:
    """A macro's output made with marks (PageRenderer._with_marks), with one page's links in their place."""
    return Markup(_LINK_MARK.sub(lambda found: links[found.group(1)](found.group(2)), marked))


def edition_date(model: SiteModel) -> str:
    """The catalog's edition: its newest added or reviewed date (ISO), never the clock.

    Printed on handouts, and the build's timestamp (build.catalog_epoch), so the same catalog
    always gives the same pages and a reader can tell two printouts apart.
    """
    dates = [entry.get(key) for entry in model.entries for key in ("added", "reviewed")]
    return max((d for d in dates if isinstance(d, str)), default="2017-03-17")


@lru_cache(maxsize=65536)  # every browse page sorts the same titles again
def _sort_key(value: str) -> str:
    # Sort "Ñ" and accented letters with their base letter, as a Spanish reader expects.
    return "".join(c for c in unicodedata.normalize("NFKD", value.casefold()) if not unicodedata.combining(c))
