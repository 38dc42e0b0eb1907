"""`rcmkb check-links` against a local HTTP server on 127.0.0.1 that serves good, broken, redirecting,
HEAD-refusing, flaky and slow links. The real network is never touched (a DNS failure is simulated)."""

from __future__ import annotations

import http.server
import json
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO
from rcmkb.checklinks import Checker, check_site, format_text, guess_site_url
from rcmkb.cli import main

SITE_URL = "http://site.test/"
NO_SUCH_HOST = "no-such-host.invalid"


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    requests: list[tuple[str, str, str | None]]
    flaky_calls: int
    release: threading.Event  # /slow answers only once the test is over


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._answer()

    def do_GET(self) -> None:
        self._answer()

    def _send(self, status: int, location: str | None = None, body: bytes = b"") -> None:
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    def _answer(self) -> None:
        self.server.requests.append((self.command, self.path, self.headers.get("Range")))
        path = self.path
        if path == "/good":
            self._send(200, body=b"<html>ok</html>")
        elif path == "/gone":
            self._send(410)
        elif path == "/moved":
            self._send(301, location="/good")
        elif path == "/moved-to-missing":
            self._send(302, location="/missing")
        elif path == "/no-head":
            if self.command == "HEAD":
                self._send(405)
            else:
                self._send(206 if self.headers.get("Range") == "bytes=0-0" else 200, body=b"%")
        elif path == "/slow":
            self.server.release.wait(30)
            self._send(200)
        elif path == "/flaky":
            self.server.flaky_calls += 1
            self._send(404 if self.server.flaky_calls == 1 else 200)
        elif path == "/busy":
            self._send(503)
        elif path == "/limited":
            self._send(429)
        else:
            self._send(404)


@pytest.fixture
def server() -> Iterator[tuple[str, _Server]]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.requests, httpd.flaky_calls, httpd.release = [], 0, threading.Event()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def no_real_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Name resolution for the made-up host fails as it would for a dead domain; nothing asks a real DNS."""
    real = socket.getaddrinfo

    def getaddrinfo(host: object, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if host != "127.0.0.1":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="es"><head><title>{title}</title>'
            f'<link rel="canonical" href="{SITE_URL}"><link rel="stylesheet" href="/assets/site.css">'
            f'<link rel="preconnect" href="https://fonts.example.org"></head><body id="top">{body}</body></html>')


@pytest.fixture
def site(tmp_path: Path, server: tuple[str, _Server]) -> Path:
    """A small built site: internal links good and broken, external links to the local server."""
    base, _ = server
    root = tmp_path / "site"
    (root / "assets").mkdir(parents=True)
    (root / "assets" / "site.css").write_text("body{}", encoding="utf-8")
    (root / "assets" / "app.js").write_text("", encoding="utf-8")
    externals = "".join(f'<a href="{base}{path}">{path}</a>' for path in (
        "/good", "/missing", "/gone", "/moved", "/moved-to-missing", "/no-head", "/slow", "/flaky", "/busy",
        "/limited", "/excepted"))
    (root / "index.html").write_text(page("Inicio", (
        '<a href="catalogo/">catálogo</a> <a href="catalogo/#resumen">resumen</a> '
        '<a href="catalogo/#no-existe">ancla rota</a> <a href="no-existe/">página rota</a> '
        '<a href="/en/">English</a> <a href="#top">arriba</a> <a href="mailto:kb@example.org">correo</a> '
        '<script src="assets/app.js"></script><img src="assets/logo.png" alt=""> '
        f'<a href="https://{NO_SUCH_HOST}/doc.pdf">dominio muerto</a> {externals}')), encoding="utf-8")
    (root / "catalogo").mkdir()
    (root / "catalogo" / "index.html").write_text(page("Catálogo", (
        '<h2 id="resumen">Resumen</h2><a href="../">inicio</a> <a href="../index.html#top">arriba</a> '
        '<a href="sample-entry/">ficha</a> <a href="javascript:alert(1)">mal</a>')), encoding="utf-8")
    (root / "catalogo" / "sample-entry").mkdir()
    (root / "catalogo" / "sample-entry" / "index.html").write_text(page("Ficha", (
        f'<a href="{base}/gone">documento</a> <a href="../">catálogo</a>')), encoding="utf-8")
    (root / "en").mkdir()
    (root / "en" / "index.html").write_text(page("Home", '<a href="../">Español</a>'), encoding="utf-8")
    return root


@pytest.fixture
def catalog(tmp_path: Path, server: tuple[str, _Server]) -> Path:
    """The catalog beside the site: the schema, one entry file (to name where to fix a link), exceptions."""
    base, _ = server
    root = tmp_path / "catalog"
    shutil.copytree(REPO / "catalog" / "schema", root / "schema")
    (root / "entries").mkdir()
    (root / "entries" / "sample-entry.yml").write_text("id: sample-entry\n", encoding="utf-8")
    (root / "link-exceptions.yml").write_text(
        "exceptions:\n"
        f"  - url: {base}/excepted\n"
        "    reason: The server refuses automated requests; the page opens in a browser.\n"
        '    reviewed: "2026-11-01"\n    expires: "2027-11-01"\n'
        "  - prefix: https://gone-for-good.example.org/\n"
        "    reason: A mirror we stopped linking to.\n"
        '    reviewed: "2026-11-01"\n    expires: "2027-11-01"\n', encoding="utf-8")
    return root


# Short, but long enough for a busy 2-core machine to answer the local server; /slow never answers in time.
FAST = Checker(timeout=1.5, retries=1, backoff=0.05, allow_loopback=True)


def by_severity(report, severity: str) -> set[tuple[str, str]]:
    return {(p.page, p.link) for p in report.problems if p.severity == severity}


def test_internal_links_and_anchors(site: Path, catalog: Path, server: tuple[str, _Server]) -> None:
    report = check_site(site, catalog_dir=catalog, site_url=SITE_URL)
    assert by_severity(report, "broken") == {
        ("index.html", "catalogo/#no-existe"),
        ("index.html", "no-existe/"),
        ("index.html", "assets/logo.png"),
        ("catalogo/index.html", "javascript:alert(1)"),
    }
    details = {p.link: p.detail for p in report.broken}
    assert details["catalogo/#no-existe"] == 'no anchor "#no-existe" in catalogo/index.html'
    assert details["no-existe/"] == "no file /no-existe/ in the site"
    # Internal only: not one request went out.
    assert server[1].requests == []
    assert report.external_urls == 12  # unique addresses; a preconnect hint is not a link


def test_external_links_only_hard_failures_confirmed_twice_count(site: Path, catalog: Path,
                                                                  server: tuple[str, _Server]) -> None:
    base, httpd = server
    report = check_site(site, catalog_dir=catalog, site_url=SITE_URL, external=True, checker=FAST)
    broken = by_severity(report, "broken")
    assert {link for _, link in broken if link.startswith(("http", "https"))} == {
        f"{base}/missing", f"{base}/gone", f"{base}/moved-to-missing", f"https://{NO_SUCH_HOST}/doc.pdf"}
    # The same broken address is reported on every page that links it.
    assert ("catalogo/sample-entry/index.html", f"{base}/gone") in broken
    # Good, redirected, HEAD-refusing and once-flaky links are not broken; slow, 503 and 429 are warnings only.
    warnings = {link: p.detail for p in report.problems if p.severity == "warning" for link in [p.link]}
    assert set(warnings) == {f"{base}/slow", f"{base}/busy", f"{base}/limited"}
    assert "no answer within 1.5 s" in warnings[f"{base}/slow"]
    assert "503" in warnings[f"{base}/busy"] and "429" in warnings[f"{base}/limited"]
    notes = {p.link: p.detail for p in report.problems if p.severity == "note"}
    assert notes[f"{base}/moved"] == f"moved permanently to {base}/good; update the address"
    assert "matches no link" in notes["https://gone-for-good.example.org/"]
    assert by_severity(report, "excepted") == {("index.html", f"{base}/excepted")}

    requests = httpd.requests
    assert [r for r in requests if r[1] == "/no-head"][:2] == [("HEAD", "/no-head", None),
                                                              ("GET", "/no-head", "bytes=0-0")]
    # Linked from two pages, checked once, and its 410 confirmed by a second try.
    assert [r for r in requests if r[1] == "/gone"] == [("HEAD", "/gone", None)] * 2
    assert httpd.flaky_calls == 2  # the first 404 was not believed
    assert not any(r[1] == "/excepted" for r in requests)  # excepted links are not fetched


def test_report_is_grouped_by_page_and_names_the_file_to_fix(site: Path, catalog: Path,
                                                               server: tuple[str, _Server]) -> None:
    base, _ = server
    (catalog.parent / "docs").mkdir()
    (catalog.parent / "docs" / "index.md").write_text("# Inicio\n", encoding="utf-8")  # the hand-written home
    report = check_site(site, catalog_dir=catalog, site_url=SITE_URL, external=True, checker=FAST)
    text = format_text(report, external=True)
    lines = text.splitlines()
    headers = [line for line in lines if line and not line.startswith(" ")][1:-1]  # between title and summary
    assert headers == ["catalogo/index.html", "catalogo/sample-entry/index.html  (fix in "
                       f"{catalog.as_posix()}/entries/sample-entry.yml)",
                       f"index.html  (fix in {catalog.parent.as_posix()}/docs/index.md)",
                       f"link-exceptions.yml  (fix in {catalog.as_posix()}/link-exceptions.yml)"]
    entry = lines.index(headers[1])
    assert lines[entry + 1] == f"  BROKEN   {base}/gone"
    assert lines[entry + 2].strip() == "410 Gone, confirmed by a second try"
    assert lines[-1].startswith("9 broken link(s) to fix, 3 warning(s) not counted."), text


def test_command_exit_codes_and_json(site: Path, catalog: Path, server: tuple[str, _Server],
                                     capsys: pytest.CaptureFixture[str]) -> None:
    base, _ = server
    args = [str(site), "--catalog-dir", str(catalog), "--site-url", SITE_URL, "--timeout", "1.5",
            "--retries", "1", "--backoff", "0.05", "--allow-loopback"]
    assert main(["check-links", *args, "--external", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["broken"] == 9 and data["warnings"] == 3
    assert {p["link"] for p in data["problems_by_page"]["catalogo/sample-entry/index.html"]} == {f"{base}/gone"}

    # Repair the internal links: without --external the site passes, whatever the other sites do.
    index = site / "index.html"
    html = index.read_text(encoding="utf-8")
    for bad in ('<a href="catalogo/#no-existe">ancla rota</a>', '<a href="no-existe/">página rota</a>',
                '<img src="assets/logo.png" alt="">'):
        html = html.replace(bad, "")
    index.write_text(html, encoding="utf-8")
    catalog_page = site / "catalogo" / "index.html"
    catalog_page.write_text(catalog_page.read_text(encoding="utf-8").replace(
        '<a href="javascript:alert(1)">mal</a>', ""), encoding="utf-8")
    assert main(["check-links", *args]) == 0
    assert "No broken links." in capsys.readouterr().out


def test_an_expired_exception_is_an_error(site: Path, catalog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exceptions = catalog / "link-exceptions.yml"
    exceptions.write_text(exceptions.read_text(encoding="utf-8").replace('"2027-11-01"', '"2025-11-01"', 1),
                          encoding="utf-8")
    code = main(["check-links", str(site), "--catalog-dir", str(catalog), "--site-url", SITE_URL])
    out = capsys.readouterr().out
    assert code == 1
    assert "link-exceptions.yml:5:14: error [exception-expired]" in out


def test_root_relative_links_must_stay_inside_a_sub_path_site(site: Path, catalog: Path) -> None:
    """Published as https://org.github.io/repo/, a link to /en/ would leave the site."""
    report = check_site(site, catalog_dir=catalog, site_url="https://org.github.io/repo/")
    outside = {p.link for p in report.broken if "outside the site" in p.detail}
    assert outside == {"/en/", "/assets/site.css"}


def test_the_site_address_is_read_from_the_home_page(site: Path) -> None:
    assert guess_site_url(site) == SITE_URL


@pytest.mark.build
def test_the_real_site_has_no_broken_internal_link(built_site: Path) -> None:
    report = check_site(built_site, catalog_dir=REPO / "catalog")
    assert report.pages > 100 and report.internal_links > 1000
    assert report.broken == [], format_text(report, external=False)

