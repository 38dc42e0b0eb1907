"""What the benchmark and the tests both need: Debian's Chromium, a free port, a wait with a
deadline, a local static server, and a throwaway copy of the repository. One copy of each, imported by `bench.*` and by
tests/conftest.py (the repository root is on pytest's `pythonpath`).

Nothing here imports `rcmkb`: the runtime package and this dev-only package stay apart.
"""

from __future__ import annotations

import contextlib
import email.utils
import gzip
import hashlib
import http.server
import mimetypes
import posixpath
import shutil
import socket
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent  # the repository: bench/ sits at its top level

# --- the browser ---------------------------------------------------------------------------------

# Debian's Chromium, never a browser downloaded by `playwright install` (team standard).
CHROMIUM = "/usr/bin/chromium"
# Headless and quiet: no QUIC, no component updates or background requests that would add bytes
# and requests to what the site itself makes.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}  # the screen most liaison officers read on


# The browser of the enclosing chromium() block, if any: Playwright's sync API runs one instance per
# thread, so a block inside another (a bench step inside the test session's browser) shares it.
_open: list[Any] = []


@contextmanager
def chromium() -> Iterator[Any]:
    """A Playwright Browser on Debian's Chromium, closed at the end of the outermost block."""
    if _open:
        yield _open[-1]
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        _open.append(browser)
        try:
            yield browser
        finally:
            _open.pop()
            browser.close()


def wait_until(condition: Callable[[], object], seconds: float, what: str, poll: float = 0.1) -> None:
    """Until condition() is true; TimeoutError naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {seconds:.0f} s")
        time.sleep(poll)


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- the local static server ---------------------------------------------------------------------
#
# Python's http.server sends files uncompressed; GitHub Pages and most hosts gzip text. So each
# response body is gzip-compressed (level 6) when the browser accepts it and it gets smaller
# (Pagefind's index files are already compressed and go out as they are), and a missing file gets
# the site's own 404.html with status 404, as on a host. Every response can be logged with its body
# size as sent, so "bytes transferred" is exactly what crossed the wire, headers aside, including
# requests made by web workers.
#
# Caching as on a static host: every file carries validators (an ETag of its content and
# Last-Modified), and a request that presents them for an unchanged file gets 304 Not Modified
# without a body. `cache_control` is the Cache-Control header sent: the benchmark passes
# GITHUB_PAGES_CACHE, what GitHub Pages sends, so a resource fetched twice within ten minutes (a
# preload and the fetch that uses it) crosses the wire once, as for an officer; the tests keep
# "no-cache" (revalidate every time), so a site rebuilt while served is never read from a stale copy.

GZIP_LEVEL = 6
GITHUB_PAGES_CACHE = "max-age=600"


@dataclass(frozen=True)
class Sent:
    path: str
    status: int
    body_bytes: int  # as sent (compressed when gzip was used)
    raw_bytes: int
    gzipped: bool


class ByteLog:
    """Every response the server sent, in order; `mark()` then `since(mark)` gives one view's share."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[Sent] = []

    def add(self, item: Sent) -> None:
        with self._lock:
            self._items.append(item)

    def mark(self) -> int:
        with self._lock:
            return len(self._items)

    def since(self, mark: int) -> list[Sent]:
        with self._lock:
            return list(self._items[mark:])


def _handler(root: Path, log: ByteLog | None, cache_control: str) -> type[http.server.BaseHTTPRequestHandler]:
    # Compressed bodies are cached per file version (size, mtime and ctime: reproducible builds give
    # every file the same mtime, but a rewrite always changes the ctime), so a site rebuilt while it
    # is served is never answered from a stale copy. The ETag is a hash of the content.
    cache: dict[tuple[Path, int, int, int], tuple[bytes, bytes, str]] = {}
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _send(self, status: int, body: bytes, content_type: str, raw: int, gzipped: bool,
                  extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            if status != 304:  # a 304 has no body: no length, no type of its own
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", cache_control)
            if gzipped:
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            if log is not None:
                log.add(Sent(urllib.parse.urlsplit(self.path).path, status, len(body), raw, gzipped))

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            url_path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
            # normpath of an absolute path cannot climb above "/", so the file is under `root`
            # (symlinks inside the served folder are followed, as a host would).
            relative = posixpath.normpath("/" + url_path).lstrip("/")
            target = root / relative if relative else root
            if target.is_dir():
                if not url_path.endswith("/"):
                    self._send(301, b"", "text/plain", 0, False, {"Location": url_path + "/"})
                    return
                target = target / "index.html"
            status = 200
            if not target.is_file():
                status, target = 404, root / "404.html"  # hosts answer with the site's own 404 page
                if not target.is_file():
                    self._send(404, b"not found", "text/plain", 9, False)
                    return
            stat = target.stat()
            key = (target, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
            with lock:
                if key not in cache:
                    raw = target.read_bytes()
                    cache[key] = (raw, gzip.compress(raw, GZIP_LEVEL, mtime=0), hashlib.sha1(raw).hexdigest()[:16])
                raw, packed, digest = cache[key]
            content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if content_type.startswith("text/") or content_type.endswith(("javascript", "json", "xml")):
                content_type += "; charset=utf-8"
            use_gzip = "gzip" in self.headers.get("Accept-Encoding", "") and len(packed) < len(raw)
            if status != 200:  # a 404 page carries no validators: hosts do not let it be revalidated
                self._send(status, packed if use_gzip else raw, content_type, len(raw), use_gzip)
                return
            etag = f'"{digest}{"-gz" if use_gzip else ""}"'  # one per representation (Vary: Accept-Encoding)
            modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
            validators = {"ETag": etag, "Last-Modified": modified}
            if self._unchanged(etag, stat.st_mtime):
                self._send(304, b"", content_type, 0, False, validators)
                return
            self._send(status, packed if use_gzip else raw, content_type, len(raw), use_gzip, validators)

        def _unchanged(self, etag: str, mtime: float) -> bool:
            """Whether the request's validators match the file (If-None-Match wins, as in RFC 9110)."""
            if_none_match = self.headers.get("If-None-Match")
            if if_none_match is not None:
                return etag in (tag.strip() for tag in if_none_match.split(",")) or if_none_match.strip() == "*"
            if_modified_since = self.headers.get("If-Modified-Since")
            if if_modified_since:
                with contextlib.suppress(TypeError, ValueError):
                    since = email.utils.parsedate_to_datetime(if_modified_since).timestamp()
                    return int(mtime) <= since
            return False

    return Handler


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Chromium drops its keep-alive connections when a browser context closes: not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(root: Path, log: ByteLog | None = None, cache_control: str = "no-cache") -> Iterator[str]:
    """Serve `root` on a free port of 127.0.0.1 for the block; yields the base URL (ending in /).
    With a `log`, every response sent is recorded in it (a 304 with no body bytes).
    `cache_control`: the Cache-Control header of every response (GITHUB_PAGES_CACHE: as on the host)."""
    mimetypes.add_type("application/wasm", ".wasm")
    server = _Server(("127.0.0.1", 0), _handler(Path(root).absolute(), log, cache_control))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# --- a throwaway copy of the repository ----------------------------------------------------------

# Outputs, caches and generated pages (docs/catalogo/) are never copied; nor is the benchmark.
COPY_IGNORE = (".git", ".venv", "site", ".site-*", "dist", "__pycache__", "*.egg-info", ".pytest_cache",
               ".ruff_cache", ".mypy_cache", "node_modules", "bench", ".cache")


def copy_repo(destination: Path, source: Path = ROOT, leave_out: tuple[str, ...] = ()) -> Path:
    """Copy the repository's sources (config, hand-written docs, overrides, hooks, code, catalog) to
    `destination`, to build or break without touching the real one. `leave_out`: more name patterns."""
    patterns = shutil.ignore_patterns(*COPY_IGNORE, *leave_out)
    generated = Path(source).absolute() / "docs"

    def ignore(folder: str, names: list[str]) -> set[str]:
        left_out = set(patterns(folder, names))
        if Path(folder).absolute() == generated:
            left_out.add("catalogo")  # written by `rcmkb generate`, never a source
        return left_out

    shutil.copytree(source, destination, ignore=ignore)  # fails rather than overwrite a folder
    return destination


# --- what `mkdocs serve` with our hook logs (tests/test_serve.py and bench/live.py wait on it) ---------

SERVE_BUILD_STARTED = "Building documentation"
# A serve build ends with MkDocs' own line, livereload's, or livereload's error line.
SERVE_BUILD_ENDED = ("Documentation built", "Reloading browsers", "An error happened during the rebuild")
SERVE_EXTRAS_STARTED = "preview: updating short links"
SERVE_EXTRAS_ENDED = ("search index updated", "search index not written")


def serve_log_unfinished(text: str) -> str:
    """What a serve log shows as still under way: "build", "extras" or "" (nothing).

    Only the log after the last start is read, not counts of starts against ends: one end line
    that never came (seen once on a loaded CI machine: "Reloading browsers" without "Documentation
    built") must not make every later wait fail."""
    def after_last(start: str) -> str | None:
        at = text.rfind(start)
        return None if at < 0 else text[at:]

    build = after_last(SERVE_BUILD_STARTED)
    if build is not None and not any(end in build for end in SERVE_BUILD_ENDED):
        return "build"
    extras = after_last(SERVE_EXTRAS_STARTED)
    if extras is not None and not any(end in extras for end in SERVE_EXTRAS_ENDED):
        return "extras"
    return ""
