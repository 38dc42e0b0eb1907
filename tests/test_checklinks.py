"""`rcmkb check-links` against a local HTTP server on 127.0.0.1 that serves good, broken, redirecting,
HEAD-refusing, flaky, slow, dripping and huge answers. The real network is never touched: a DNS failure
is simulated, and names are resolved by a fake resolver. The checker refuses 127.0.0.1 by default, so
these tests turn on its test-only switch (allow_loopback / --allow-loopback), and one checks the default."""

from __future__ import annotations

import datetime as dt
import html
import http.server
import itertools
import json
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import KEY_ENTRY, REPO
from rcmkb import clock, routes
from rcmkb.checklinks import Checker, check_site, format_text, guess_site_url
from rcmkb.cli import main
from rcmkb.generate import sync_folder
from rcmkb.routes import Source

SITE_URL = "http://site.test/"
NO_SUCH_HOST = "no-such-host.invalid"
_REAL_GETADDRINFO = socket.getaddrinfo  # kept before any fixture replaces it; asked only for numeric hosts


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    requests: list[tuple[str, str, str | None]]
    hosts: list[str]  # the Host header of every request
    authorizations: list[str]  # every Authorization header received
    flaky_calls: int
    release: threading.Event  # /slow answers only once the test is over
    huge_sent: int  # bytes of /huge's body written before the client hung up
    huge_done: threading.Event


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
        if location:  # as UTF-8 bytes, the way servers send a non-ASCII Location
            self.send_header("Location", location.encode("utf-8").decode("latin-1"))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    def _redirect_to(self, path: str) -> str | None:
        return {"/to-file": "file:///etc/passwd", "/to-missing-file": "file:///no/such/file/anywhere",
                "/to-data": "data:text/html,<b>hola</b>", "/to-ftp": "ftp://ftp.example.org/pub/guia.pdf",
                "/hop1": "/hop2", "/hop2": "http://intranet.test/admin", "/to-nino": "/ni\u00f1o",
                "/to-metadata": "http://169.254.169.254/latest/meta-data/"}.get(path)

    def _drip(self) -> None:
        """A status line, then one byte of an endless header every half second: each read gets data in time."""
        self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Drip: ")
        while not self.server.release.wait(0.5):
            try:
                self.wfile.write(b"a")
            except OSError:
                return

    def _huge(self) -> None:
        """A GET that ignores Range and announces 8 GiB, then writes until the client hangs up."""
        chunk = bytes(64 * 1024)
        try:
            self.send_response(200)
            self.send_header("Content-Length", str(8 * 1024**3))
            self.end_headers()
            while self.server.huge_sent < 8 * 1024**3:
                self.wfile.write(chunk)
                self.server.huge_sent += len(chunk)
        except OSError:
            pass
        finally:
            self.close_connection = True
            self.server.huge_done.set()

    def _answer(self) -> None:
        self.server.requests.append((self.command, self.path, self.headers.get("Range")))
        self.server.hosts.append(self.headers.get("Host", ""))
        if "Authorization" in self.headers:
            self.server.authorizations.append(self.headers["Authorization"])
        path = self.path
        redirect = self._redirect_to(path)
        if redirect:
            self._send(307 if path == "/hop2" else 302, location=redirect)
            return
        if path == "/drip":
            self._drip()
            return
        if path == "/huge":
            if self.command == "HEAD":
                self._send(405)
            else:
                self._huge()
            return
        if path == "/good":
            self._send(200, body=b"<html>ok</html>")
        elif path == "/ni%C3%B1o":
            self._send(200)
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
    httpd.requests, httpd.hosts, httpd.flaky_calls, httpd.release = [], [], 0, threading.Event()
    httpd.huge_sent, httpd.huge_done, httpd.authorizations = 0, threading.Event(), []
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


def days_from_today(days: int) -> str:
    """A date relative to the suite's "today" (rcmkb.clock, fixed by RCMKB_TODAY), so no exception here
    expires, or stops expiring, when the day the tests run changes."""
    return (clock.today() + dt.timedelta(days=days)).isoformat()


@pytest.fixture
def catalog(tmp_path: Path, server: tuple[str, _Server]) -> Path:
    """The repository beside the site: the schema, one entry file whose third line holds the address the
    entry's page links, the exceptions, and the generator's manifest in docs/ saying that the entry's page
    (in both languages) is made from that file."""
    base, _ = server
    root = tmp_path / "catalog"
    shutil.copytree(REPO / "catalog" / "schema", root / "schema")
    (root / "entries").mkdir()
    (root / "entries" / "sample-entry.yml").write_text(
        f"id: sample-entry\nlinks:\n  - url: {base}/gone\n    kind: official\n", encoding="utf-8")
    reviewed, expires = days_from_today(-30), days_from_today(300)
    (root / "link-exceptions.yml").write_text(
        "exceptions:\n"
        f"  - url: {base}/excepted\n"
        "    reason: The server refuses automated requests; the page opens in a browser.\n"
        f'    reviewed: "{reviewed}"\n    expires: "{expires}"\n'
        "  - prefix: https://gone-for-good.example.org/\n"
        "    reason: A mirror we stopped linking to.\n"
        f'    reviewed: "{reviewed}"\n    expires: "{expires}"\n', encoding="utf-8")
    page = routes.entry_page("sample-entry")
    made_from = Source("catalog/entries/sample-entry.yml")
    files = {routes.language_file(page, lang): b"# Ficha\n" for lang in routes.LANGS}
    sync_folder(tmp_path / "docs" / routes.GENERATED_DIR, files, dict.fromkeys(files, made_from))
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
    # The hand-written home, whose third line holds the dead domain's address.
    (catalog.parent / "docs" / "index.md").write_text(
        f"# Inicio\n\nVer [el documento](https://{NO_SUCH_HOST}/doc.pdf).\n", encoding="utf-8")
    report = check_site(site, catalog_dir=catalog, site_url=SITE_URL, external=True, checker=FAST)
    text = format_text(report, external=True)
    lines = text.splitlines()
    headers = [line for line in lines if line and not line.startswith(" ")][1:-1]  # between title and summary
    # Paths as typed from the repository's folder: the entry from the generator's manifest, the home page
    # from the route table (index.html is docs/index.md); the generated catalog page is not in this manifest.
    assert headers == ["catalogo/index.html",
                       "catalogo/sample-entry/index.html  (fix in catalog/entries/sample-entry.yml)",
                       "index.html  (fix in docs/index.md)",
                       "link-exceptions.yml  (fix in catalog/link-exceptions.yml)"]
    entry = lines.index(headers[1])
    assert lines[entry + 1:entry + 4] == [
        f"  BROKEN   {base}/gone", "           410 Gone, confirmed by a second try",
        "           catalog/entries/sample-entry.yml:3: broken link; the address is written on this line"]
    home = lines[lines.index(headers[2]):]
    dead = home.index(f"  BROKEN   https://{NO_SUCH_HOST}/doc.pdf")
    assert home[dead + 2] == "           docs/index.md:3: broken link; the address is written on this line"
    # A link the page's template made is not written in the file: the file is named, at its top.
    missing = home.index("  BROKEN   no-existe/")
    assert home[missing + 2] == "           docs/index.md:1: broken link; the page is made from this file"
    assert lines[-1].startswith("9 broken link(s) to fix, 3 warning(s) not counted."), text
    # The exception that matches nothing is named by its line too (line 6: its prefix).
    unused = next(p for p in report.problems if p.page == "link-exceptions.yml")
    assert (unused.source, unused.line, unused.line_has_link) == ("catalog/link-exceptions.yml", 6, True)


def test_command_exit_codes_and_json(site: Path, catalog: Path, server: tuple[str, _Server],
                                     capsys: pytest.CaptureFixture[str]) -> None:
    base, _ = server
    args = [str(site), "--catalog-dir", str(catalog), "--site-url", SITE_URL, "--timeout", "1.5",
            "--retries", "1", "--backoff", "0.05", "--allow-loopback"]
    assert main(["check-links", *args, "--external", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["broken"] == 9 and data["warnings"] == 3
    assert data["problems_by_page"]["catalogo/sample-entry/index.html"] == [
        {"severity": "broken", "link": f"{base}/gone", "detail": "410 Gone, confirmed by a second try",
         "source": "catalog/entries/sample-entry.yml", "line": 3, "line_has_link": True}]

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
    exceptions.write_text(exceptions.read_text(encoding="utf-8").replace(days_from_today(300), days_from_today(-1), 1),
                          encoding="utf-8")
    code = main(["check-links", str(site), "--catalog-dir", str(catalog), "--site-url", SITE_URL])
    out = capsys.readouterr().out
    assert code == 1
    assert "link-exceptions.yml:5:14: error [exception-expired]" in out


def test_a_source_outside_the_repository_named_by_the_manifest_is_never_read(site: Path, catalog: Path,
                                                                               tmp_path: Path) -> None:
    """The manifest is a file anyone can edit: the checker reads only sources inside the repository."""
    entry_page = site / "catalogo" / "sample-entry" / "index.html"
    entry_page.write_text(entry_page.read_text(encoding="utf-8").replace(
        "</body>", '<a href="no-such-page/">rota</a></body>'), encoding="utf-8")
    text = "links:\n  - url: https://example.org/\n  - url: no-such-page/\n"
    inside, outside = catalog / "entries" / "moved.yml", tmp_path.parent / f"{tmp_path.name}-outside.yml"
    files = {routes.language_file(routes.entry_page("sample-entry"), "es"): b"# Ficha\n"}
    for path, named in ((inside, "catalog/entries/moved.yml"), (outside, f"../{outside.name}")):
        path.write_text(text, encoding="utf-8")
        sync_folder(tmp_path / "docs" / routes.GENERATED_DIR, files, dict.fromkeys(files, Source(named)))
        report = check_site(site, catalog_dir=catalog, site_url=SITE_URL)
        problem = next(p for p in report.broken if p.link == "no-such-page/")
        located = (3, True) if path == inside else (1, False)
        assert (problem.source, problem.line, problem.line_has_link) == (named, *located)


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



# --- Safety: the checker cannot be turned against the machine or network it runs in ---------------------------

def fake_dns(names: dict[str, list[str]], asked: list[str] | None = None):  # type: ignore[no-untyped-def]
    """A resolver for Checker(resolver=...): the given names, numeric hosts as the system parses them
    (AI_NUMERICHOST: never a DNS query), every other name unknown."""
    def resolve(host: str, port: int) -> list[str]:
        if asked is not None:
            asked.append(host)
        if host in names:
            return names[host]
        infos = _REAL_GETADDRINFO(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
        return [str(info[4][0]) for info in infos]
    return resolve


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every address the checker opened a TCP connection to (the test servers only accept, never connect)."""
    seen: list[object] = []
    real = socket.socket.connect

    def connect(self: socket.socket, address: object) -> None:
        seen.append(address)
        real(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    return seen


def links_site(tmp_path: Path, links: list[str]) -> Path:
    """A one-page built site linking each address."""
    root = tmp_path / "links-site"
    root.mkdir()
    anchors = " ".join(f'<a href="{html.escape(link, quote=True)}">enlace</a>' for link in links)
    (root / "index.html").write_text(f'<!doctype html><html lang="es"><head><link rel="canonical" '
                                     f'href="{SITE_URL}"></head><body>{anchors}</body></html>', encoding="utf-8")
    return root


def run_command(site: Path, *options: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, float]:
    """`rcmkb check-links --external` on the site as a maintainer runs it: exit code, printed report, seconds."""
    start = time.monotonic()
    code = main(["check-links", str(site), "--catalog-dir", str(site.parent / "catalog"), "--site-url", SITE_URL,
                 "--external", *options])
    return code, capsys.readouterr().out, time.monotonic() - start


def reported(text: str) -> dict[str, tuple[str, str]]:
    """link -> (label, detail) from the text report: each link line is followed by its detail line."""
    lines = text.splitlines()
    found: dict[str, tuple[str, str]] = {}
    for line, detail in itertools.pairwise(lines):
        if line.startswith("  ") and not line.startswith("   "):
            label, link = line.split(maxsplit=1)
            found[link] = (label, detail.strip())
    return found


def test_redirects_to_other_schemes_are_plain_failures_that_reveal_nothing(
        tmp_path: Path, server: tuple[str, _Server], connections: list[object],
        capsys: pytest.CaptureFixture[str]) -> None:
    base, httpd = server
    site = links_site(tmp_path, [f"{base}/to-file", f"{base}/to-missing-file", f"{base}/to-data", f"{base}/to-ftp"])
    code, out, _ = run_command(site, "--allow-loopback", "--timeout", "5", "--retries", "1", "--backoff", "0.05",
                               capsys=capsys)
    assert code == 1 and "Traceback" not in out
    seen = reported(out)
    for path, scheme in (("/to-file", "file"), ("/to-missing-file", "file"), ("/to-data", "data"),
                         ("/to-ftp", "ftp")):
        assert seen[f"{base}{path}"] == ("BROKEN", f"redirects to a non-web address ({scheme}:), which a reader's "
                                                   "browser will not open, confirmed by a second try"), out
    # An existing local file and a missing one read exactly the same: nothing tells what is on this machine.
    assert seen[f"{base}/to-file"] == seen[f"{base}/to-missing-file"]
    assert "passwd" not in out
    assert {address[0] for address in connections} == {"127.0.0.1"}  # type: ignore[index]
    assert sorted({path for _, path, _ in httpd.requests}) == ["/to-data", "/to-file", "/to-ftp", "/to-missing-file"]


def test_a_redirect_chain_into_a_private_network_is_refused(tmp_path: Path,
                                                            server: tuple[str, _Server],
                                                            connections: list[object]) -> None:
    base, httpd = server
    site = links_site(tmp_path, [f"{base}/hop1", f"{base}/to-metadata"])
    checker = Checker(timeout=5, retries=1, backoff=0.05, allow_loopback=True,
                      resolver=fake_dns({"intranet.test": ["10.0.0.7"]}))
    report = check_site(site, catalog_dir=tmp_path / "catalog", site_url=SITE_URL, external=True, checker=checker)
    details = {p.link: p.detail for p in report.broken}
    assert details[f"{base}/hop1"] == (
        "not checked: intranet.test resolves to 10.0.0.7, a private network address. The checker visits only "
        "public addresses, and readers outside that network cannot open it either "
        "(it redirects to http://intranet.test/admin), confirmed by a second try")
    assert details[f"{base}/to-metadata"].startswith(
        "not checked: 169.254.169.254 is a link-local address (where cloud metadata services answer).")
    # Both hops of the chain were followed on the test server; nothing else was ever connected to.
    assert [path for _, path, _ in httpd.requests].count("/hop2") == 2
    assert {address[0] for address in connections} == {"127.0.0.1"}  # type: ignore[index]


def test_private_targets_are_refused_without_a_connection(tmp_path: Path,
                                                          server: tuple[str, _Server],
                                                          connections: list[object]) -> None:
    base, httpd = server
    port = base.rsplit(":", 1)[1]
    refused = {
        "http://10.0.0.1/informe.pdf": "10.0.0.1 is a private network address.",
        "http://192.168.1.1:8080/router": "192.168.1.1 is a private network address.",
        "http://169.254.169.254/latest/meta-data/": "169.254.169.254 is a link-local address",
        f"http://0.0.0.0:{port}/good": "0.0.0.0 is the unspecified address (this computer).",
        f"http://[::1]:{port}/good": "::1 is a loopback address (this computer).",
        f"http://[::ffff:127.0.0.1]:{port}/good": "::ffff:7f00:1 is a loopback address (this computer), inside",
        "http://[fe80::1]/": "fe80::1 is a link-local address",
        "http://[fd00::1]/": "fd00::1 is a private network address.",
        "http://100.64.1.1/": "100.64.1.1 is a shared (carrier-grade NAT) address.",
        "http://224.0.0.1/": "224.0.0.1 is a multicast address.",
        "http://intranet.test/": "intranet.test resolves to 10.0.0.7, a private network address.",
        # One private address among public ones refuses the name, whichever the system would pick.
        "http://mixed.test/": "mixed.test resolves to 10.0.0.8, a private network address.",
    }
    site = links_site(tmp_path, list(refused))
    names = {"intranet.test": ["10.0.0.7"], "mixed.test": ["93.184.216.34", "10.0.0.8"]}
    # Even with the test switch on, only 127.0.0.1 itself is let through.
    checker = Checker(timeout=5, retries=1, backoff=0.05, allow_loopback=True, resolver=fake_dns(names))
    report = check_site(site, catalog_dir=tmp_path / "catalog", site_url=SITE_URL, external=True, checker=checker)
    details = {p.link: p.detail for p in report.broken}
    assert set(details) == set(refused)
    for link, reason in refused.items():
        assert details[link].startswith(f"not checked: {reason}"), details[link]
    # An address written in the link is refused at once; a name is looked up again before it counts.
    assert details["http://10.0.0.1/informe.pdf"].endswith("cannot open it either")
    assert details["http://intranet.test/"].endswith("confirmed by a second try")
    assert connections == [] and httpd.requests == []


def test_loopback_is_refused_unless_the_hidden_test_switch_allows_it(
        tmp_path: Path, server: tuple[str, _Server], connections: list[object],
        capsys: pytest.CaptureFixture[str]) -> None:
    base, httpd = server
    port = base.rsplit(":", 1)[1]
    links = [f"{base}/good", f"http://localhost:{port}/good", f"http://2130706433:{port}/good"]  # all 127.0.0.1
    site = links_site(tmp_path, links)
    resolver = fake_dns({"localhost": ["127.0.0.1"]})
    report = check_site(site, catalog_dir=tmp_path / "catalog", site_url=SITE_URL, external=True,
                        checker=Checker(timeout=5, retries=1, backoff=0.05, resolver=resolver))
    details = {p.link: p.detail for p in report.broken}
    assert details[f"{base}/good"].startswith("not checked: 127.0.0.1 is a loopback address (this computer).")
    assert details[f"http://localhost:{port}/good"].startswith(
        "not checked: localhost resolves to 127.0.0.1, a loopback address (this computer).")
    assert details[f"http://2130706433:{port}/good"].startswith(
        "not checked: 2130706433 resolves to 127.0.0.1, a loopback address")
    assert connections == [] and httpd.requests == []

    code, out, _ = run_command(site, "--retries", "0", capsys=capsys)  # the command's default refuses too
    assert code == 1 and f"  BROKEN   {base}/good" in out and httpd.requests == []
    with pytest.raises(SystemExit):
        main(["check-links", "--help"])
    help_text = capsys.readouterr().out
    assert "--deadline" in help_text and "loopback" not in help_text

    report = check_site(site, catalog_dir=tmp_path / "catalog", site_url=SITE_URL, external=True,
                        checker=Checker(timeout=5, retries=1, backoff=0.05, allow_loopback=True, resolver=resolver))
    assert report.broken == [] and [path for _, path, _ in httpd.requests] == ["/good"] * 3


def test_a_server_that_drips_bytes_is_stopped_by_the_deadline(tmp_path: Path, server: tuple[str, _Server],
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    base, _ = server
    site = links_site(tmp_path, [f"{base}/drip", f"{base}/slow"])
    # Each read gets a byte well within --timeout, and /slow's retries alone would take 12 s or more:
    # only the deadline for the whole address can end them.
    code, out, seconds = run_command(site, "--allow-loopback", "--deadline", "1.5", "--timeout", "1",
                                     "--retries", "12", "--backoff", "0.05", capsys=capsys)
    assert seconds < 10, out  # a correctness bound (the deadline holds), not a speed target
    seen = reported(out)
    for path in ("/drip", "/slow"):
        label, detail = seen[f"{base}{path}"]
        assert label == "warning", detail
        assert detail.startswith("no complete answer within 1.5 s, the time allowed for one address"), detail
    assert code == 0  # slowness is a warning, never a broken link


def test_a_huge_body_is_not_read(tmp_path: Path, server: tuple[str, _Server]) -> None:
    base, httpd = server
    site = links_site(tmp_path, [f"{base}/huge"])
    start = time.monotonic()
    report = check_site(site, catalog_dir=tmp_path / "catalog", site_url=SITE_URL, external=True,
                        checker=Checker(timeout=5, retries=1, backoff=0.05, deadline=20, allow_loopback=True))
    assert report.problems == [] and time.monotonic() - start < 10  # the page is there: HEAD 405, GET 200
    assert httpd.huge_done.wait(10)
    # Of the 8 GiB announced, the server could write no more than what the sockets' buffers hold.
    assert httpd.huge_sent < 64 * 1024**2, httpd.huge_sent
    assert [(method, rng) for method, path, rng in httpd.requests] == [("HEAD", None), ("GET", "bytes=0-0")]


def test_international_host_names_are_sent_in_punycode(tmp_path: Path, server: tuple[str, _Server],
                                                       connections: list[object]) -> None:
    base, httpd = server
    port = base.rsplit(":", 1)[1]
    asked: list[str] = []
    names = {"xn--mnchen-3ya.example": ["127.0.0.1"], "xn--strae-oqa.example": ["127.0.0.1"]}
    links = [f"http://MÜNCHEN.example:{port}/good", f"http://Straße.Example:{port}/good"]
    site = links_site(tmp_path, links)
    checker = Checker(timeout=5, retries=1, backoff=0.05, allow_loopback=True, resolver=fake_dns(names, asked))
    report = check_site(site, catalog_dir=tmp_path / "catalog", site_url=SITE_URL, external=True, checker=checker)
    assert report.broken == [] and report.problems == []
    assert sorted(httpd.hosts) == [f"xn--mnchen-3ya.example:{port}", f"xn--strae-oqa.example:{port}"]
    assert sorted(asked) == ["xn--mnchen-3ya.example", "xn--strae-oqa.example"]  # never the raw Unicode name
    # Each name was looked up once, and the connection went to the address that was vetted.
    assert connections == [("127.0.0.1", int(port))] * 2


def test_credentials_in_a_link_are_never_sent_and_a_utf8_redirect_is_followed(
        tmp_path: Path, server: tuple[str, _Server]) -> None:
    base, httpd = server
    port = base.rsplit(":", 1)[1]
    site = links_site(tmp_path, [f"http://www.iom.int:secret@127.0.0.1:{port}/good", f"{base}/to-nino"])
    report = check_site(site, catalog_dir=tmp_path / "catalog", site_url=SITE_URL, external=True,
                        checker=Checker(timeout=5, retries=1, backoff=0.05, allow_loopback=True))
    assert report.problems == []
    assert httpd.authorizations == []  # user name and password stay out of the request
    # The redirect to /niño, sent as UTF-8 bytes, was followed to /niño (not to a mojibake 404).
    assert sorted(path for _, path, _ in httpd.requests) == ["/good", "/ni%C3%B1o", "/to-nino"]


def test_malformed_hosts_are_reported_not_crashing(tmp_path: Path, server: tuple[str, _Server],
                                                   connections: list[object],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    expected = {
        "http://[::1/": "the address is malformed (Invalid IPv6 URL)",
        "http://exa mple.org/": 'the host name "exa mple.org" is malformed',
        "https://-bad-.example/": 'the host name "-bad-.example" is malformed',
        "http://a..b/": 'the host name "a..b" is malformed',
        "https://xn--zz.example/": 'the host name "xn--zz.example" is malformed',
        "http://example.org:99999/": "the address is malformed (Port out of range 0-65535)",
        "https:///solo-ruta": "the address has no host name",
        "http://\u202eevil.example/": 'the host name "%E2%80%AEevil.example" is malformed',
    }
    site = links_site(tmp_path, list(expected))
    code, out, _ = run_command(site, "--allow-loopback", capsys=capsys)
    assert code == 1 and "Traceback" not in out and "\u202e" not in out
    seen = reported(out)
    for link, detail in expected.items():
        shown = link.replace("\u202e", "%E2%80%AE")
        assert seen[shown][0] == "BROKEN" and seen[shown][1].startswith(detail), (link, seen.get(shown))
        assert "confirmed" not in seen[shown][1]  # nothing to confirm: no network was involved
    assert connections == [] and server[1].requests == []


# --- The real build: each problem is named by the catalog file and line behind its page ----------------

def _no_name_resolves(host: str, port: int) -> list[str]:
    """Every host is a dead domain (the catalog's links are written with names, never addresses)."""
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


def _url_lines(path: Path) -> dict[str, int]:
    """url -> line, read from the YAML text the way a maintainer looks for it ("  - url: https://...")."""
    found = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = re.match(r"""\s*(?:-\s*)?url:\s*["']?([^"'\s]+)""", line)
        if match:
            found[match.group(1)] = number
    return found


def test_a_broken_link_in_an_entry_is_reported_at_its_catalog_file_and_line(
        built_site: Path, connections: list[object], capsys: pytest.CaptureFixture[str]) -> None:
    """The session's real build, checked as if every other site had gone: each of an entry's addresses is
    broken, on its Spanish and its English page, and is reported at the line of the entry's file where it
    is written, from the manifest the build's generator left in docs/."""
    entry_file = f"catalog/entries/{KEY_ENTRY}.yml"
    written = _url_lines(REPO / entry_file)
    assert len(written) >= 2  # the entry links more than one address: each must get its own line
    checker = Checker(timeout=1, retries=1, backoff=0.01, resolver=_no_name_resolves)
    report = check_site(built_site, catalog_dir=REPO / "catalog",
                        external=True, checker=checker, workers=8)
    assert connections == []  # not one connection: no name resolved
    for lang in routes.LANGS:
        page = routes.built_file(routes.entry_site_path(KEY_ENTRY, lang))
        broken = {p.link: p for p in report.broken if p.page == page}
        assert set(written) <= set(broken), (page, sorted(broken))
        for url, line in written.items():
            problem = broken[url]
            assert problem.detail.endswith("confirmed by a second try"), problem
            assert (problem.source, problem.line, problem.line_has_link) == (entry_file, line, True)
    assert not any(p.severity == "broken" and p.source == "" and p.page.startswith(routes.GENERATED_DIR + "/")
                   for p in report.problems)  # every generated page with a broken link names its catalog file
    text = format_text(report, external=True)
    url, line = next(iter(written.items()))
    assert f"  BROKEN   {url}\n" in text
    assert f"           {entry_file}:{line}: broken link; the address is written on this line\n" in text


def test_the_route_table_maps_each_built_page_back_to_its_hand_written_file(built_site: Path) -> None:
    """routes.hand_written_files, against what MkDocs and the i18n plugin really made of docs/: each
    hand-written page's built file leads back to exactly its file, and no generated page leads to docs/."""
    docs = REPO / "docs"
    hand_written = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")
                    if routes.GENERATED_DIR not in p.relative_to(docs).parts}
    reached: set[str] = set()
    for path in sorted(built_site.rglob("*.html")):
        site_file = path.relative_to(built_site).as_posix()
        existing = [name for name in routes.hand_written_files(site_file) if (docs / name).is_file()]
        assert len(existing) <= 1, (site_file, existing)
        if routes.page_of_site_file(site_file) is not None:
            assert existing == [], site_file
        reached |= set(existing)
    assert hand_written and reached == hand_written
    assert routes.hand_written_files("en/acerca/index.html") == ("acerca.en.md", "acerca/index.en.md")
    assert routes.hand_written_files("index.html") == ("index.md",)
    assert routes.hand_written_files(routes.built_file(routes.entry_site_path(KEY_ENTRY, "en"))) == ()
    assert routes.hand_written_files(routes.built_file(routes.short_link_path(KEY_ENTRY))) == ()
