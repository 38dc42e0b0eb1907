"""A static server on 127.0.0.1 that compresses like a web host and logs the bytes it sends.

Python's http.server sends files uncompressed; GitHub Pages and most hosts gzip text. So each
response body is gzip-compressed (level 6) when the browser accepts it and it gets smaller
(Pagefind's index files are already compressed and go out as they are). Every response is
logged with its body size as sent, so "bytes transferred" is exactly what crossed the wire,
headers aside, including requests made by web workers.
"""

from __future__ import annotations

import gzip
import http.server
import mimetypes
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

GZIP_LEVEL = 6


@dataclass(frozen=True)
class Sent:
    path: str
    status: int
    body_bytes: int  # as sent (compressed when gzip was used)
    raw_bytes: int
    gzipped: bool


class ByteLog:
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


def _handler(root: Path, log: ByteLog) -> type[http.server.BaseHTTPRequestHandler]:
    cache: dict[Path, tuple[bytes, bytes]] = {}
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _send(self, status: int, body: bytes, content_type: str, raw: int, gzipped: bool,
                  extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-cache")
            if gzipped:
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            log.add(Sent(urllib.parse.urlsplit(self.path).path, status, len(body), raw, gzipped))

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            url_path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
            target = (root / url_path.lstrip("/")).resolve()
            if root not in (target, *target.parents):
                self._send(403, b"forbidden", "text/plain", 9, False)
                return
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
            with lock:
                if target not in cache:
                    raw = target.read_bytes()
                    cache[target] = (raw, gzip.compress(raw, GZIP_LEVEL, mtime=0))
                raw, packed = cache[target]
            content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if content_type.startswith("text/") or content_type.endswith(("javascript", "json", "xml")):
                content_type += "; charset=utf-8"
            use_gzip = "gzip" in self.headers.get("Accept-Encoding", "") and len(packed) < len(raw)
            self._send(status, packed if use_gzip else raw, content_type, len(raw), use_gzip)

    return Handler


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # Chromium drops its keep-alive connections when a browser context closes: not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(root: Path) -> Iterator[tuple[str, ByteLog]]:
    """Serve `root` on a free port of 127.0.0.1; yields the base URL and the byte log."""
    mimetypes.add_type("application/wasm", ".wasm")
    log = ByteLog()
    server = _Server(("127.0.0.1", 0), _handler(root.resolve(), log))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", log
    finally:
        server.shutdown()
        server.server_close()
