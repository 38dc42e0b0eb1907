"""MkDocs hook: generate the catalog pages before each build; make `mkdocs serve` a preview that keeps up.

Kept thin on purpose: the catalog logic lives in the rcmkb package (rcmkb.generate, and
rcmkb.preview for what only the preview needs), so the site engine can be replaced without
touching it.

`mkdocs build` (and `rcmkb build`, which generates first and sets RCMKB_PAGES_READY): the pages
are generated once, for the first language; a catalog error stops the build.

`mkdocs serve` (`make serve` runs it with --dirty --no-strict):
- One build per edit. The generator's writes in docs/catalogo/ are not watched (only the rest of
  docs/, catalog/ and scripts/rcmkb/), and no bytecode is written under scripts/.
- Only what changed. The hook compares snapshots (names, sizes, times) of catalog/, the code and
  docs/ with those of the last generation. An edit of entry files re-renders those entries'
  pages and the listings that show them (rcmkb.preview.unchanged_pages); MkDocs' --dirty then
  converts only the pages whose file changed, in both languages (mkdocs-static-i18n reads
  --dirty from the command line for its second language). A change of code, templates,
  mkdocs.yml, overrides/ or of the set of hand-written pages empties the served folder first,
  so that every page is built again (a dirty build would keep stale menus and layouts).
- The current code. When scripts/rcmkb/ changed, every rcmkb module is dropped and imported
  again: Python then reloads them in dependency order, caches included.
- Errors in the browser. A catalog error leaves docs/catalogo/ as it was, the build goes on with
  the last good pages, and the server puts the errors at the top of every page it serves, with
  the same lines as the terminal. A failed MkDocs build is reported the same way instead of
  leaving the server waiting forever (MkDocs' own behaviour). Fixing the file clears it.
- Like the site. After each build that changed something, short links (/t/), open data (/data/)
  and the Pagefind index (/pagefind/) are written into the served folder, in the background: a
  child process at a lower priority makes them (rcmkb.preview_extras), killed when a build starts.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import os
import re
import shutil
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
CODE = SCRIPTS / "rcmkb"

log = logging.getLogger("mkdocs.hooks.catalog")


def _rcmkb(module: str) -> Any:
    """rcmkb.<module> from this repository's scripts/ (even before `pip install -e .`, and in a copy)."""
    if not sys.path or sys.path[0] != str(SCRIPTS):
        sys.path.insert(0, str(SCRIPTS))
    return importlib.import_module(f"rcmkb.{module}")


def _drop_rcmkb_modules() -> None:
    """Forget every imported rcmkb module, so that the next import runs the code as it is now."""
    for name in [n for n in sys.modules if n == "rcmkb" or n.startswith("rcmkb.")]:
        del sys.modules[name]
    importlib.invalidate_caches()


def on_config(config):
    """Give templates (overrides/404.html) the site paths of the route table."""
    if _preview.serving:
        if _preview.build_starting:
            _preview.build_starting = False
            _preview.plan = _preview.detect(Path(config.docs_dir))
        # The preview needs no sitemap (nothing crawls it, and no page of ours asks for one), and
        # rendering one lists every page, in each language, after every edit.
        config.theme.static_templates.discard("sitemap.xml")
    config.extra["rcm_routes"] = _rcmkb("routes").template_routes()
    return config


def on_pre_build(config) -> None:
    if os.environ.get("RCMKB_PAGES_READY") == "1":
        return  # `rcmkb build` generated the pages just before calling MkDocs
    if _preview.serving:
        _preview.prepare(config)
    else:
        _generate_for_build(Path(config.docs_dir))


# --- mkdocs build ------------------------------------------------------------------------------

# Fingerprint of the inputs after the last generation: mkdocs-static-i18n runs every hook once per
# language, and the second language needs no second generation.
_generated_for: str | None = None


def _generate_for_build(docs_dir: Path) -> None:
    global _generated_for
    fingerprint = _rcmkb("fingerprint").inputs_fingerprint
    if fingerprint(ROOT / "catalog", docs_dir) == _generated_for:
        return
    generate = _rcmkb("generate")
    try:
        result = generate.generate_site_pages(ROOT / "catalog", docs_dir)
    except generate.GenerationError as error:
        _generated_for = None
        for finding in error.findings.sorted():
            log.error(finding.format())
        raise PluginError(str(error)) from None
    for finding in result.problems.sorted():
        log.warning(finding.format())
    _generated_for = fingerprint(ROOT / "catalog", docs_dir)
    if result.written or result.removed:
        log.info("catalog: %d page(s) written, %d removed", result.written, result.removed)


# --- mkdocs serve ------------------------------------------------------------------------------

def on_startup(command: str, dirty: bool) -> None:
    if command != "serve":
        return
    _preview.serving = True
    os.environ[_rcmkb("gcpause").LONG_LIVED] = "1"  # the collector frees each edit's cycles (gcpause.py)
    _remember_i18n_files()
    sys.dont_write_bytecode = True  # __pycache__ writes under scripts/ would trigger another build
    # The hook decides when a full build is needed (see the module docstring); MkDocs' warning
    # about --dirty would only worry a maintainer.
    logging.getLogger("mkdocs.commands.build").addFilter(
        lambda record: not record.getMessage().startswith("A 'dirty' build"))


# How often the preview looks for saved files. MkDocs polls every 0.5 s, a quarter of the time a
# maintainer may wait for an edited page (issue 13's budget is 2 s); a poll of catalog/ at 1,000
# entries takes a few milliseconds.
POLL_SECONDS = 0.2


def _poll_faster(server: Any, config: Any) -> None:
    """Give the server a watcher that polls every POLL_SECONDS, with what it watched so far.

    MkDocs makes its PollingObserver with a fixed interval and has not started it yet when
    on_serve runs; what it watched by then (docs/, mkdocs.yml, the theme with --watch-theme) is
    moved to the new one, and what it watches after on_serve (`watch:` in mkdocs.yml) goes there."""
    from watchdog.observers.polling import PollingObserver

    if type(server.observer) is not PollingObserver:  # another MkDocs: leave its watcher alone
        return
    watched = []
    for path in [config.docs_dir, config.config_file_path, *config.theme.dirs]:
        try:
            server.unwatch(str(path))
        except KeyError:  # not watched (the theme, without --watch-theme)
            continue
        watched.append(str(path))
    server.observer = PollingObserver(timeout=POLL_SECONDS)
    for path in watched:
        server.watch(path)


def on_serve(server, config, builder):
    docs_dir = Path(config.docs_dir)
    generated = _rcmkb("routes").GENERATED_DIR
    _poll_faster(server, config)
    # Watch docs/ without the generator's folder: its own writes must not start another build.
    server.unwatch(str(docs_dir))
    server.watch(str(docs_dir), recursive=False)  # new or edited pages directly under docs/
    for child in sorted(docs_dir.iterdir()):
        if child.is_dir() and child.name != generated and not child.name.startswith("."):
            server.watch(str(child))
    custom_dir = config.theme.custom_dir
    if custom_dir and Path(custom_dir).is_dir():
        server.watch(custom_dir)  # overrides/: a template edit rebuilds every page

    original = server.builder

    def build_once() -> None:
        _preview.build_starting = True
        _preview.extras.building()
        try:
            original()
        except Exception as error:  # reported in the browser and the terminal
            traceback.print_exc()
            _preview.build_failed(error)
        else:
            _preview.build_finished()

    server.builder = build_once
    server.set_app(_rcmkb("preview").with_banner(server.get_app(), _preview.problems))
    _preview.site_dir = Path(config.site_dir)
    _preview.site_url = config.site_url or "http://127.0.0.1:8000/"
    _preview.build_finished()  # the first build happened before this event: add its extras
    return server


def _remember_i18n_files() -> None:
    """In the preview, make each of mkdocs-static-i18n's per-language files once, not on every build.

    For each build and language, the plugin makes a new File for every file of docs/ (2,700 at
    1,000 entries, each language seeing both languages' files): about a third of a preview
    rebuild, and the same every time. Its result depends only on the file's paths, the
    languages and three settings, all in the key below; each build gets a fresh copy (whose only
    mutable part, `alternates`, is its own), so a later build never sees an earlier one's
    changes. tests/test_engine_surface.py checks, file by file, that a copy equals what the plugin
    makes, so an upgrade of the plugin that changes the function shows there."""
    import copy

    from mkdocs_static_i18n import suffix

    original = suffix.create_i18n_file
    if getattr(original, "remembered", False):
        return
    made: dict[tuple[Any, ...], Any] = {}

    def create_i18n_file(file: Any, current_language: str, default_language: str, all_languages: list[str],
                         config: Any) -> Any:
        key = (file.src_uri, file.dest_uri, file.inclusion, current_language, default_language,
               tuple(all_languages), config.docs_dir, config.site_dir, config.use_directory_urls)
        if key not in made:
            made[key] = original(file, current_language, default_language, all_languages, config)
        fresh = copy.copy(made[key])
        fresh.alternates = {current_language: fresh}
        return fresh

    create_i18n_file.remembered = True  # type: ignore[attr-defined]
    suffix.create_i18n_file = create_i18n_file


class _TemplateCache:
    """Compiled theme templates kept across serve builds (MkDocs makes a new Jinja environment for
    each build and would compile Material's templates again every time). Jinja checks each
    template's source against its entry, so an edited override is compiled again."""

    def __init__(self) -> None:
        import jinja2

        class Cache(jinja2.BytecodeCache):
            def __init__(self) -> None:
                self.store: dict[str, bytes] = {}

            def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
                if bucket.key in self.store:
                    bucket.bytecode_from_string(self.store[bucket.key])

            def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
                self.store[bucket.key] = bucket.bytecode_to_string()

        self.cache = Cache()


_templates: _TemplateCache | None = None


def on_env(env, config, files):
    global _templates
    if _preview.serving:
        _templates = _templates or _TemplateCache()
        env.bytecode_cache = _templates.cache
    return env


# Python-Markdown's toc extension writes one title for every heading's permalink, in English;
# mkdocs-static-i18n builds each language with its own theme language, so the page's language is known.
_PERMALINK_TITLE = {"es": "Enlace permanente"}


# Listings are raw HTML with final links (see _macros.md.j2): the overview alone is 500 KB at
# 1,000 entries. Python-Markdown would pass them through unchanged, but only after its HTML
# parser has read every tag to find where the block ends: most of the time MkDocs spent on
# listing pages, and most of what a preview rebuild waited for. So each list is set aside
# before Markdown runs, with an empty placeholder element in its place, and put back as it
# was afterwards: the same HTML, without parsing it. (A list has no heading, footnote or
# abbreviation Markdown would have handled.)
_SET_ASIDE = re.compile(r"^<ul\b[^>\n]*\bdata-rcm-raw-links\b[^>\n]*>\n.*?^</ul>$", re.DOTALL | re.MULTILINE)
_set_aside: dict[str, list[str]] = {}  # page (src_uri) -> its lists, from on_page_markdown to on_page_content


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if "data-rcm-raw-links" not in markdown:
        return markdown
    kept: list[str] = []

    def placeholder(found: re.Match[str]) -> str:
        kept.append(found.group(0))
        return f'<div data-rcm-set-aside="{len(kept) - 1}"></div>'

    markdown = _SET_ASIDE.sub(placeholder, markdown)
    if kept:
        _set_aside[page.file.src_uri] = kept
    return markdown


_PLACEHOLDER = re.compile(r'<div data-rcm-set-aside="(\d+)"></div>')


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    kept = _set_aside.pop(page.file.src_uri, None)
    if kept is not None:
        html = _PLACEHOLDER.sub(lambda found: kept[int(found.group(1))], html)
    title = _PERMALINK_TITLE.get(config["theme"]["language"])
    if title:
        html = html.replace('title="Permanent link"', f'title="{title}"')
    if not config["use_directory_urls"] and "data-rcm-raw-links" in html:
        html = _RAW_LISTS.sub(lambda block: _without_directory_urls(block.group(0), page.is_index), html)
    return html


# Listings are raw HTML with final links for directory URLs (see _macros.md.j2): /catalogo/x/ from
# /catalogo/tipo/y/. The offline bundle has no directory URLs (x.html beside y.html), and MkDocs
# rewrites only Markdown links, so its build rewrites these: a page that is not an index sits one
# folder higher than its directory URL, and a page address ends in .html.
_RAW_LISTS = re.compile(r"<(ul|div)\b[^>]*\bdata-rcm-raw-links\b.*?</\1>", re.DOTALL)
_RELATIVE_URL = re.compile(r'\b(href|src)="((?:\.\./)*[^":/?#][^":?#]*)"')


def _without_directory_urls(block: str, is_index: bool) -> str:
    def file_url(found: re.Match[str]) -> str:
        name, url = found.groups()
        if not is_index:
            url = url[len("../"):] if url.startswith("../") else url
        if url.endswith("/"):
            url = url[:-1] + ".html"
        return f'{name}="{url}"'

    return _RELATIVE_URL.sub(file_url, block)


def on_shutdown() -> None:
    _preview.extras.stop()


@dataclass
class _Plan:
    """What one serve build must do, decided before its first language starts."""

    generate: bool  # validate and render the catalog again
    edited_entries: set[str] | None  # entry files that changed, when only entries did (else None)
    rebuild_all: bool  # empty the served folder so that MkDocs builds every page
    catalog_snapshot: dict[str, tuple[int, int]]


class _ExtrasWorker:
    """Has short links, open data and the search index written into the served folder
    (rcmkb.preview_extras, in a child process): the edited page is visible first, the rest
    follows a few seconds later."""

    def __init__(self) -> None:
        self._job: tuple[Any, ...] | None = None
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._written: set[str] = set()  # what the last job wrote into the served folder
        self._leftovers: list[Path] = []  # folders of cancelled jobs, deleted by the next one
        self._busy = False  # a build is under way

    def building(self) -> None:
        """A build starts: hold back (its result will be submitted when it ends)."""
        with self._wake:
            self._busy = True
            self._wake.notify()

    def idle(self) -> None:
        """A build ended without anything new to write."""
        with self._wake:
            self._busy = False
            self._wake.notify()

    def submit(self, *job: Any) -> None:
        with self._wake:
            self._job, self._busy = job, False
            self._wake.notify()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="rcmkb-preview-extras", daemon=True)
            self._thread.start()

    def forget_written(self) -> None:
        self._written = set()

    def stop(self) -> None:
        """Stop the job under way (its child process is killed): MkDocs deletes the served folder right after."""
        with self._wake:
            self._stopped = True
            self._wake.notify()
        if self._thread is not None:
            self._thread.join(timeout=120)
        for folder in self._leftovers:
            shutil.rmtree(folder, ignore_errors=True)

    QUIET_SECONDS = 2.0  # after a build, wait this long for the next save before starting

    def _run(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._job is not None or self._stopped)
                if self._stopped:
                    return
                # A maintainer often saves again right away: start only once the builds pause,
                # so that this work never slows down the next page to show.
                while (self._wake.wait(timeout=self.QUIET_SECONDS) or self._busy) and not self._stopped:
                    pass
                if self._stopped:
                    return
                job, self._job = self._job, None
            assert job is not None
            extras, site_dir, base_url = job
            started = time.monotonic()
            log.info("preview: updating short links, open data and search index")
            try:
                # In a child process, killed when a build starts: the page being rebuilt must not
                # wait for these.
                self._written = extras.add_site_extras(site_dir, base_url, ROOT, self._written,
                                                       cancelled=lambda: self._busy or self._stopped,
                                                       leftovers=self._leftovers)
            except Exception as error:  # the pages still work without these
                if isinstance(error, extras.ExtrasCancelled):
                    if self._stopped:
                        return  # the preview is shutting down
                    with self._wake:
                        self._job = self._job or job  # again after that build, unless it brings a newer one
                    log.info("preview: short links, open data and search index put off: a build started")
                else:
                    log.warning("preview: short links, open data or search index not written: %s", error)
            else:
                log.info("preview: short links, open data and search index updated in %.1f s",
                         time.monotonic() - started)


@dataclass
class _PreviewState:
    serving: bool = False
    build_starting: bool = True  # the next on_config is the first of a new build (not i18n's second)
    plan: _Plan | None = None
    site_dir: Path | None = None
    site_url: str = ""
    # What the pages in docs/catalogo/ were generated from.
    model: Any = None
    memo: Any = None  # rcmkb.preview.ValidationMemo: files parsed and checked, while unchanged
    lines: dict[Any, Any] = field(default_factory=dict)  # listing lines of unchanged entries (PageRenderer)
    generated_catalog: dict[str, tuple[int, int]] | None = None
    generated_day: dt.date | None = None
    render_all: bool = True  # the code changed (or nothing was generated yet): render every page
    # Inputs as the last build saw them.
    code: dict[str, tuple[int, int]] | None = None
    docs: set[str] | None = None
    config_files: dict[str, tuple[int, int]] | None = None
    rebuild_all_pending: bool = True
    extras_stale: bool = True
    # What the browser is told.
    errors: list[str] = field(default_factory=list)
    errors_from_code: bool = False  # the generator itself failed (code being edited), not the catalog
    build_error: str | None = None
    extras: _ExtrasWorker = field(default_factory=_ExtrasWorker)

    def problems(self) -> tuple[list[str], bool]:
        if self.errors:
            return self.errors, self.errors_from_code
        if self.build_error:
            return [self.build_error], True
        return [], False

    def detect(self, docs_dir: Path) -> _Plan:
        """Compare the inputs with the last build's; drop stale code before anything imports it."""
        from_code = _snapshot(CODE)
        if self.code is not None and from_code != self.code:
            _drop_rcmkb_modules()
            self.render_all = self.rebuild_all_pending = True
        self.code = from_code
        preview = _rcmkb("preview")
        generated = _rcmkb("routes").GENERATED_DIR
        docs = set(preview.snapshot(docs_dir, skip={generated}))
        config_files = {**_snapshot(ROOT / "overrides"), **_snapshot_file(ROOT / "mkdocs.yml")}
        if (self.docs is not None and docs != self.docs) or (
                self.config_files is not None and config_files != self.config_files):
            self.rebuild_all_pending = True
        self.docs, self.config_files = docs, config_files

        catalog = preview.snapshot(ROOT / "catalog")
        changed = preview.changed_files(self.generated_catalog, catalog)
        new_day = dt.date.today() != self.generated_day  # the to-do list counts days since review
        only_entries = bool(changed) and all(name.startswith("entries/") for name in changed)
        edited = changed if only_entries and not self.render_all and not new_day else None
        return _Plan(generate=bool(changed) or new_day or self.render_all, edited_entries=edited,
                     rebuild_all=self.rebuild_all_pending, catalog_snapshot=catalog)

    def prepare(self, config: Any) -> None:
        """Before the first language of a serve build: generate what changed, keep errors for the browser."""
        plan, self.plan = self.plan, None
        if plan is None:
            return  # mkdocs-static-i18n's build of the second language: everything is ready
        if plan.generate:
            self._generate(Path(config.docs_dir), plan)
        if plan.rebuild_all and self.site_dir is not None and self.site_dir.is_dir():
            for child in self.site_dir.iterdir():  # only MkDocs' temporary folder: it made all of it
                shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
            self.extras.forget_written()
            self.extras_stale = True
        self.rebuild_all_pending = False

    def _generate(self, docs_dir: Path, plan: _Plan) -> None:
        started = time.monotonic()
        try:
            generate, preview = _rcmkb("generate"), _rcmkb("preview")
            if not isinstance(self.memo, preview.ValidationMemo):  # none yet, or from code since replaced
                self.memo = preview.ValidationMemo()
            try:
                model = generate.load_model(ROOT / "catalog", memo=self.memo)
            except generate.GenerationError as error:
                self.errors = [f.format() for f in error.findings.sorted() if f.severity == "error"] or [str(error)]
                self.errors_from_code = False
                for line in self.errors:
                    log.error(line)
                log.error("catalog: %d error(s); the preview keeps the last good pages and shows the errors "
                          "on every page until they are fixed", len(self.errors))
                return
            skip = None
            if plan.edited_entries is not None and self.model is not None:
                skip = preview.unchanged_pages(self.model, model, plan.edited_entries)
            else:
                self.lines = {}  # vocabularies, glossary or code changed: every listing line anew
            result = generate.write_pages(model, docs_dir, skip=skip or frozenset(), lines=self.lines)
        except Exception as error:  # a bug in code being edited: say so, keep serving
            traceback.print_exc()
            self.errors, self.errors_from_code = [f"{type(error).__name__}: {error}"], True
            log.error("catalog: the generator failed (%s); the preview keeps the last good pages", error)
            return
        for finding in result.problems.sorted():
            log.warning(finding.format())
        self.errors = []
        self.model, self.generated_catalog, self.generated_day = model, plan.catalog_snapshot, dt.date.today()
        self.render_all = False
        if result.removed:
            self.rebuild_all_pending = True  # pages of a removed entry must not stay served
            plan.rebuild_all = True
        if result.written or result.removed:
            self.extras_stale = True
        log.info("catalog: %s; %d page(s) written, %d removed in %.2f s",
                 "every page rendered" if skip is None else "edited entries and their listings rendered",
                 result.written, result.removed, time.monotonic() - started)

    def build_finished(self) -> None:
        self.build_error = None
        if self.extras_stale and self.model is not None and self.site_dir is not None:
            self.extras_stale = False
            self.extras.submit(_rcmkb("preview_extras"), self.site_dir, self.site_url)
        else:
            self.extras.idle()

    def build_failed(self, error: Exception) -> None:
        self.extras.idle()
        self.build_error = f"MkDocs: {error}"
        self.rebuild_all_pending = True  # a build that stopped half-way may have left pages behind


def _snapshot_file(path: Path) -> dict[str, tuple[int, int]]:
    info = os.stat(path)
    return {str(path): (info.st_size, info.st_mtime_ns)}


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Like rcmkb.preview.snapshot, kept here: it must run before deciding to import rcmkb again."""
    found: dict[str, tuple[int, int]] = {}
    for directory, subdirs, files in os.walk(folder):
        subdirs[:] = [d for d in subdirs if d != "__pycache__"]
        for name in files:
            info = os.stat(os.path.join(directory, name), follow_symlinks=False)
            found[os.path.join(directory, name)] = (info.st_size, info.st_mtime_ns)
    return found


_preview = _PreviewState()
