"""`rcmkb check-links`: check every link of the built site.

Internal links (every href and src in site/**/*.html) always: the file must exist and so must the
#anchor. External links only with --external (on demand and on a weekly schedule, never in
pull-request CI): HEAD first, a ranged GET (Range: bytes=0-0) when the server refuses HEAD,
retries with backoff. Only hard failures count: 404, 410, a host name that does not resolve, a
redirect to a non-web address (file:, data:, ftp:), an address inside a private network, or a
malformed one; those that depend on the network are confirmed by a second try. Timeouts, 5xx and
429 are reported as warnings but do not fail, because they come and go. Each address has a total
deadline (--deadline) across redirects and tries. catalog/link-exceptions.yml holds the links to
leave alone, each for at most a year. The report is grouped by page and names the file to fix (the
catalog file the generator's manifest records for the page, or its hand-written page under docs/) and,
for a broken link, the line where its address is written.

This module is the policy; the transport and its safety rules (public addresses only, redirects never
followed by the library, deadline, size) are in rcmkb.linkfetch and rcmkb.linkaddress.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import http.client
import json
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from rcmkb import clock
from rcmkb.findings import Findings
from rcmkb.generate import manifest_sources, source_of_built_file
from rcmkb.linkaddress import WEB_SCHEMES, AddressPolicy, BadAddress, Resolver, printable, system_resolver
from rcmkb.linkexceptions import FILE_NAME as EXCEPTIONS_FILE
from rcmkb.linkexceptions import LinkException, load_exceptions
from rcmkb.linkfetch import AddressRefused, Deadline, DeadlineExceeded, Fetcher, FetchError, NameNotFound
from rcmkb.load import load_yaml
from rcmkb.routes import Source, hand_written_files

HARD_STATUSES = frozenset({404, 410})
HEAD_REFUSED = frozenset({400, 403, 405, 501})  # servers that answer HEAD with these often serve GET fine
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 10

# Tag -> attributes that hold a link to fetch or follow.
_LINK_ATTRIBUTES = {"a": ("href",), "area": ("href",), "link": ("href",), "img": ("src",), "script": ("src",),
                    "iframe": ("src",), "source": ("src",), "audio": ("src",), "video": ("src", "poster"),
                    "embed": ("src",), "object": ("data",)}
_IGNORED_SCHEMES = ("mailto:", "tel:", "data:", "blob:", "about:")
# <link rel=...> values that are hints to the browser, not addresses a reader follows.
_HINT_RELS = frozenset({"preconnect", "dns-prefetch"})


# --- Reading the site ----------------------------------------------------------------------------------------

class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.canonical: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value for name, value in attrs if value is not None}
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a" and "name" in attributes:
            self.ids.add(attributes["name"])
        rel = set(attributes.get("rel", "").lower().split())
        if tag == "link" and "canonical" in rel:
            self.canonical = attributes.get("href")
        if tag == "link" and rel & _HINT_RELS:
            return
        for name in _LINK_ATTRIBUTES.get(tag, ()):
            value = attributes.get(name, "").strip()
            if value:
                self.links.append(value)


@dataclass
class Page:
    path: str  # relative to the site folder, e.g. "acerca/index.html"
    ids: set[str]
    links: list[str]
    canonical: str | None


def read_page(site_dir: Path, path: Path) -> Page:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return Page(path.relative_to(site_dir).as_posix(), parser.ids, parser.links, parser.canonical)


def guess_site_url(site_dir: Path) -> str:
    """The address the site is built for: the home page's canonical link (MkDocs writes it from site_url)."""
    home = site_dir / "index.html"
    if home.is_file():
        canonical = read_page(site_dir, home).canonical
        if canonical and urlsplit(canonical).scheme in ("http", "https"):
            return canonical if canonical.endswith("/") else canonical + "/"
    return "http://localhost/"


# --- Findings ------------------------------------------------------------------------------------------------

@dataclass(order=True)
class Problem:
    page: str
    severity: str  # broken | warning | note | excepted
    link: str
    detail: str
    source: str = ""  # the file to fix: the catalog file the page is made from, or its docs/ page
    line: int = 0  # the line in `source`: where the link is written, else where the page's source starts
    line_has_link: bool = False  # the link's address is written on that line


@dataclass
class Report:
    site_dir: str
    problems: list[Problem] = field(default_factory=list)
    pages: int = 0
    internal_links: int = 0
    external_urls: int = 0
    setup_errors: list[str] = field(default_factory=list)

    @property
    def broken(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "broken"]

    def count(self, severity: str) -> int:
        return sum(1 for p in self.problems if p.severity == severity)


# --- Internal links ------------------------------------------------------------------------------------------

def _target_file(site_dir: Path, relative: str) -> Path | None:
    """The file a site path is served from (directory URLs serve index.html), or None."""
    candidate = (site_dir / relative).resolve()
    root = site_dir.resolve()
    if candidate != root and root not in candidate.parents:
        return None  # outside the site: ../../ too far up
    if relative in ("", ".") or relative.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def check_internal(site_dir: Path, pages: dict[str, Page], site_url: str, report: Report) -> dict[str, set[str]]:
    """Check every internal link and anchor; return the external addresses with the pages that link them."""
    base_path = urlsplit(site_url).path or "/"
    external: dict[str, set[str]] = {}
    for page in pages.values():
        page_url = urljoin(site_url, page.path)
        for link in page.links:
            if link.lower().startswith(_IGNORED_SCHEMES):
                continue
            if link.lower().startswith(("javascript:", "vbscript:", "file:")):
                report.problems.append(Problem(page.path, "broken", link,
                                               "a link that runs code or opens a local file; remove it"))
                continue
            try:
                absolute = urljoin(page_url, link)
                parts = urlsplit(absolute)
            except ValueError as error:  # e.g. http://[::1/ (an unclosed bracket)
                report.problems.append(Problem(page.path, "broken", link,
                                               f"the address is malformed ({printable(str(error))})"))
                continue
            if parts.scheme not in WEB_SCHEMES:
                continue
            if not absolute.startswith(site_url) and not (parts.netloc == urlsplit(site_url).netloc
                                                          and parts.path.startswith(base_path)):
                if parts.netloc == urlsplit(site_url).netloc:
                    report.internal_links += 1
                    report.problems.append(Problem(page.path, "broken", link,
                                                   f"points outside the site's folder ({base_path}); it breaks when "
                                                   "the site is published under a sub-path"))
                else:
                    external.setdefault(urlunsplit(parts._replace(fragment="")), set()).add(page.path)
                continue
            report.internal_links += 1
            relative = unquote(parts.path[len(base_path):])
            target = _target_file(site_dir, relative)
            if target is None:
                report.problems.append(Problem(page.path, "broken", link, f"no file /{relative} in the site"))
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html":
                target_page = pages.get(target.relative_to(site_dir.resolve()).as_posix())
                if target_page is not None and fragment not in target_page.ids:
                    shown = target_page.path if target_page.path != page.path else "this page"
                    report.problems.append(Problem(page.path, "broken", link,
                                                   f'no anchor "#{fragment}" in {shown}'))
    return external


# --- External links ------------------------------------------------------------------------------------------

@dataclass
class Outcome:
    kind: str  # ok | hard | soft
    detail: str
    final_url: str = ""
    moved_permanently: bool = False
    certain: bool = False  # a hard failure no second try can change (no network was involved)
    out_of_time: bool = False  # the address's deadline has passed: no further try


def _attempt(url: str, fetcher: Fetcher, deadline: Deadline) -> Outcome:
    """One check of an address: follow web redirects hop by hop (each hop vetted by the transport);
    HEAD, then a ranged GET if HEAD is refused."""
    current, moved_permanently, method = url, False, "HEAD"
    try:
        for _ in range(MAX_REDIRECTS + 1):
            answer = fetcher.fetch(current, method, deadline)
            if method == "HEAD" and answer.status in HEAD_REFUSED:
                method = "GET"
                answer = fetcher.fetch(current, method, deadline)
            status, location = answer.status, answer.location
            if status in REDIRECT_STATUSES and location:
                moved_permanently = moved_permanently or (status in (301, 308) and current == url)
                try:
                    following = urljoin(current, location)
                    scheme = urlsplit(following).scheme.lower()
                except ValueError:
                    return Outcome("hard", f"redirects to a malformed address ({location})", current)
                if scheme not in WEB_SCHEMES:
                    # Never followed, and the same words whatever is behind it: a file:// target must not
                    # tell anyone whether that file exists on this machine.
                    return Outcome("hard", f"redirects to a non-web address ({scheme}:), which a reader's "
                                   "browser will not open", current)
                current = following
                continue
            if 200 <= status < 300:
                return Outcome("ok", f"{status}", current, moved_permanently)
            reason = http.client.responses.get(status, "")
            if status in HARD_STATUSES:
                return Outcome("hard", f"{status} {reason}{_via(url, current)}".strip(), current)
            if status == 429:
                return Outcome("soft", "429 Too Many Requests: the server asked us to slow down", current)
            return Outcome("soft", f"{status} {reason}".strip(), current)
        return Outcome("soft", f"more than {MAX_REDIRECTS} redirects", current)
    except BadAddress as error:
        return Outcome("hard", f"{error}{_via(url, current)}", current, certain=current == url)
    except AddressRefused as error:
        return Outcome("hard", f"{error.detail}{_via(url, current)}", current,
                       certain=error.literal and current == url)
    except NameNotFound as error:
        return Outcome("hard", f"{error.detail}{_via(url, current)}", current)
    except DeadlineExceeded as error:
        return Outcome("soft", error.detail, current, out_of_time=True)
    except FetchError as error:
        return Outcome("soft", f"{error.detail}{_via(url, current)}", current)


def _via(url: str, current: str) -> str:
    return f" (it redirects to {current})" if current != url else ""


@dataclass
class Checker:
    timeout: float = 10.0  # each connect and each read
    retries: int = 2
    backoff: float = 1.0
    deadline: float = 20.0  # everything for one address: every hop, try and pause
    allow_loopback: bool = False  # tests only: their servers listen on 127.0.0.1
    resolver: Resolver = field(default=system_resolver)

    def check(self, url: str) -> Outcome:
        """Hard failures count only when a second try confirms them; soft ones are retried with backoff;
        all within the address's deadline."""
        deadline = Deadline(self.deadline)
        fetcher = Fetcher(self.timeout, AddressPolicy(self.allow_loopback, self.resolver))
        hard_seen: Outcome | None = None
        attempts = 0
        outcome = Outcome("soft", "not checked")
        while attempts < max(self.retries + 1, 2 if hard_seen else 1):
            if attempts:
                pause = self.backoff * (2 ** (attempts - 1))
                if pause >= deadline.remaining():
                    break  # no time left for another try
                time.sleep(pause)
            outcome = _attempt(url, fetcher, deadline)
            attempts += 1
            if outcome.kind == "ok" or (outcome.kind == "hard" and outcome.certain):
                return outcome
            if outcome.kind == "hard":
                if hard_seen is not None:
                    outcome.detail += ", confirmed by a second try"
                    return outcome
                hard_seen = outcome
            elif hard_seen is not None:
                hard_seen = None  # a hard failure followed by a soft one is not confirmed
            if outcome.out_of_time:
                break
        if outcome.kind == "hard":  # it failed hard once, and no second try was allowed or had time
            return Outcome("soft", outcome.detail + " (not confirmed)", outcome.final_url)
        outcome.detail += f" ({attempts} {'try' if attempts == 1 else 'tries'})"
        return outcome


def check_external(external: dict[str, set[str]], checker: Checker, exceptions: list[LinkException],
                   report: Report, workers: int) -> None:
    used: set[LinkException] = set()
    to_check: list[str] = []
    for url in sorted(external):
        exception = next((e for e in exceptions if e.covers(url)), None)
        if exception is None:
            to_check.append(url)
            continue
        used.add(exception)
        for page in sorted(external[url]):
            report.problems.append(Problem(page, "excepted", url,
                                           f"not checked until {exception.expires.isoformat()}: {exception.reason}"))
    report.external_urls = len(external)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(workers, 1)) as pool:
        outcomes = dict(zip(to_check, pool.map(checker.check, to_check), strict=True))
    for url, outcome in outcomes.items():
        for page in sorted(external[url]):
            if outcome.kind == "hard":
                report.problems.append(Problem(page, "broken", url, outcome.detail))
            elif outcome.kind == "soft":
                report.problems.append(Problem(page, "warning", url,
                                               f"{outcome.detail}; not counted as broken, check again later"))
            elif outcome.moved_permanently:
                report.problems.append(Problem(page, "note", url,
                                               f"moved permanently to {outcome.final_url}; update the address"))
    for exception in exceptions:
        if exception not in used:
            report.problems.append(Problem(EXCEPTIONS_FILE, "note", exception.target,
                                           "this exception matches no link of the site any more; delete it"))


# --- The file to fix ----------------------------------------------------------------------------------------

class FileToFix:
    """Which file a maintainer edits to fix a page's link, and on which line.

    A generated page: the catalog file the generator's manifest records for it (rcmkb.generate). A page
    written by hand: its file under docs/, as the route table names it. For a page with a broken link,
    that file is read once to find the line where the link's address is written; otherwise the line
    is the one the source gives (the top of an entry's file, a vocabulary term's line)."""

    def __init__(self, catalog_dir: Path, docs_dir: Path) -> None:
        self.repo = catalog_dir.parent  # the manifest names catalog files relative to the repository
        self.catalog_dir = catalog_dir
        self.docs_dir = docs_dir
        self.manifest = manifest_sources(docs_dir)
        self._strings: dict[Path, list[tuple[str, int]]] = {}

    def shown(self, path: Path) -> str:
        """A path as the maintainer types it from the repository's folder."""
        try:
            return path.resolve().relative_to(self.repo.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def source(self, page: str) -> Source | None:
        if page == EXCEPTIONS_FILE:
            return Source(self.shown(self.catalog_dir / EXCEPTIONS_FILE))
        generated = source_of_built_file(page, self.docs_dir, self.manifest)
        if generated is not None:
            return generated
        written = next((self.docs_dir / name for name in hand_written_files(page)
                        if (self.docs_dir / name).is_file()), None)
        return Source(self.shown(written)) if written is not None else None

    def line_of(self, source: Source, link: str) -> int | None:
        """The line of `source`'s file where `link` is written, or None when it is not written there
        (a link the templates make, such as one to a related entry)."""
        strings = self._strings_of(self.repo / source.file)
        bare = link.split("#", 1)[0]
        tests = [lambda text: text == link, lambda text: text.split("#", 1)[0] == bare]
        if "://" in link:  # an address inside longer text (Markdown); a relative one would match too much
            tests.append(lambda text: link in text)
        for test in tests:
            line = next((number for text, number in strings if test(text)), None)
            if line is not None:
                return line
        return None

    def _strings_of(self, path: Path) -> list[tuple[str, int]]:
        """Each text value of a YAML file, or each line of any other text file, with its line number."""
        if path not in self._strings:
            strings: list[tuple[str, int]] = []
            if self.repo.resolve() not in path.resolve().parents:
                pass  # the manifest is not trusted: a source outside the repository is never read
            elif path.suffix in (".yml", ".yaml") and path.is_file():
                doc = load_yaml(path, Findings())
                if doc is not None:
                    strings = [(value.strip(), doc.where(where)[0]) for where, value in _texts(doc.data, ())]
            elif path.is_file():
                lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
                strings = [(line, number) for number, line in enumerate(lines, start=1)]
            self._strings[path] = strings
        return self._strings[path]


def _texts(data: object, where: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string inside loaded YAML data, with its path."""
    if isinstance(data, str):
        yield where, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(value, where + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _texts(value, where + (index,))


def name_files_to_fix(report: Report, catalog_dir: Path, docs_dir: Path) -> None:
    """Give each problem the file (and line) to edit; lines are looked up only where a link is broken."""
    fix = FileToFix(catalog_dir, docs_dir)
    located = {problem.page for problem in report.broken} | {EXCEPTIONS_FILE}
    sources: dict[str, Source | None] = {}
    for problem in report.problems:
        if problem.page not in sources:
            sources[problem.page] = fix.source(problem.page)
        source = sources[problem.page]
        if source is None:
            continue
        problem.source = source.file
        found = fix.line_of(source, problem.link) if problem.page in located else None
        problem.line, problem.line_has_link = found or source.line, found is not None


# --- The whole check and its report ------------------------------------------------------------------------

def check_site(site_dir: Path, *, catalog_dir: Path, external: bool = False, site_url: str | None = None,
               checker: Checker | None = None, workers: int = 8, today: dt.date | None = None,
               docs_dir: Path | None = None) -> Report:
    """Check the built site; `docs_dir` (default: docs/ beside the catalog) holds the generator's manifest
    and the hand-written pages, to name the file behind each page."""
    report = Report(site_dir.as_posix())
    if not (site_dir / "index.html").is_file():
        report.setup_errors.append(f"{site_dir}/index.html does not exist: build the site first (make site).")
        return report
    findings = Findings()
    exceptions = load_exceptions(catalog_dir, findings, today or clock.today())
    report.setup_errors += [f.format() for f in findings.errors]

    pages = {page.path: page for page in (read_page(site_dir, path) for path in sorted(site_dir.rglob("*.html")))}
    report.pages = len(pages)
    site_url = site_url or guess_site_url(site_dir)
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    addresses = check_internal(site_dir, pages, site_url, report)
    if external:
        check_external(addresses, checker or Checker(), exceptions, report, workers)
    else:
        report.external_urls = len(addresses)
    name_files_to_fix(report, catalog_dir, docs_dir or catalog_dir.parent / "docs")
    report.problems.sort()
    return report


_LABELS = {"broken": "BROKEN", "warning": "warning", "note": "note", "excepted": "excepted"}


def format_text(report: Report, *, external: bool) -> str:
    lines = [f"Link check of {report.site_dir}/: {report.pages} pages, {report.internal_links} internal links, "
             f"{report.external_urls} external addresses"
             + ("" if external else " (not checked: add --external)") + "."]
    lines += [f"error: {message}" for message in report.setup_errors]
    current = None
    for problem in report.problems:
        if problem.page != current:
            current = problem.page
            lines.append("")
            lines.append(problem.page + (f"  (fix in {problem.source})" if problem.source else ""))
        lines.append(f"  {_LABELS[problem.severity]:<8} {printable(problem.link)}")
        lines.append(f"           {printable(problem.detail)}")
        if problem.severity == "broken" and problem.source:
            where = ("the address is written on this line" if problem.line_has_link
                     else "the page is made from this file")
            lines.append(f"           {printable(problem.source)}:{problem.line}: broken link; {where}")
    broken, warnings = len(report.broken), report.count("warning")
    lines.append("")
    if broken or report.setup_errors:
        lines.append(f"{broken} broken link(s) to fix, {warnings} warning(s) not counted. Fix each BROKEN link in "
                     "the file and line given under it (a catalog file, or a page under docs/), rebuild, check again.")
    else:
        lines.append(f"No broken links. {warnings} warning(s) not counted.")
    return "\n".join(lines) + "\n"


def format_json(report: Report) -> str:
    pages: dict[str, list[dict[str, object]]] = {}
    for problem in report.problems:
        pages.setdefault(problem.page, []).append(
            {k: v for k, v in asdict(problem).items() if k != "page"})
    data = {"site": report.site_dir, "pages_checked": report.pages, "internal_links": report.internal_links,
            "external_addresses": report.external_urls, "broken": len(report.broken),
            "warnings": report.count("warning"), "errors": report.setup_errors, "problems_by_page": pages}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site_dir", nargs="?", default="site")
    parser.add_argument("--catalog-dir", default="catalog",
                        help=f"where {EXCEPTIONS_FILE} and the entry files are (default: catalog)")
    parser.add_argument("--external", action="store_true",
                        help="also check links to other sites (slow; needs the network)")
    parser.add_argument("--site-url", help="the address the site is published at (default: read from the site)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for each answer (default 10)")
    parser.add_argument("--retries", type=int, default=2, help="extra tries after a failure (default 2)")
    parser.add_argument("--backoff", type=float, default=1.0, help="seconds before the first retry; doubles")
    parser.add_argument("--deadline", type=float, default=20.0,
                        help="seconds at most for one address, every redirect and try included (default 20)")
    # Tests only: their servers listen on 127.0.0.1, which the checker otherwise refuses. Not in --help.
    parser.add_argument("--allow-loopback", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=8, help="addresses checked at the same time (default 8)")
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    report = check_site(Path(args.site_dir), catalog_dir=Path(args.catalog_dir), external=args.external,
                        site_url=args.site_url,
                        checker=Checker(timeout=args.timeout, retries=args.retries, backoff=args.backoff,
                                        deadline=args.deadline, allow_loopback=args.allow_loopback),
                        workers=args.workers)
    text = format_json(report) if args.format == "json" else format_text(report, external=args.external)
    sys.stdout.write(text)
    return 1 if report.broken or report.setup_errors else 0
