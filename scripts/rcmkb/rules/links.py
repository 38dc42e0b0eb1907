"""Rules on web addresses and links to pages of this site."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any
from urllib.parse import SplitResult, urlsplit

from rcmkb import fields
from rcmkb.findings import Findings
from rcmkb.linkexceptions import check_scheme
from rcmkb.rules.view import CatalogView, File, say

_SITE_PAGE = fields.whole(str(fields.schemas()[fields.ENTRY]["$defs"]["link"]["properties"]["site_page"]["pattern"]))
# What a browser would not keep as typed: spaces, quotes, angle and curly brackets, backslashes, and
# square brackets outside an IPv6 host; `](` is a Markdown link pasted in whole.
_BAD_URL_CHARACTER = re.compile(r"[\s\"<>{}|\\^`]")
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost")
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa")


def _urls(view: CatalogView) -> Iterator[tuple[File, tuple[Any, ...], str]]:
    for file in view.of_kind("entry", "decision"):
        for field_path in fields.url_fields(file.schema):
            for path, value in file.values(field_path):
                if isinstance(value, str):
                    yield file, path, value.strip()


@lru_cache(maxsize=65536)  # five rules ask about the same addresses
def _split(url: str) -> SplitResult | None:
    """The parts of an address, or None when Python cannot even read it (e.g. an unclosed `[`)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it raises on a port that is not a number
        return parts
    except ValueError:
        return None


@lru_cache(maxsize=65536)
def _format_problem(url: str) -> str | None:
    if "](" in url:
        return "markdown"
    if _BAD_URL_CHARACTER.search(url):
        return "character"
    parts = _split(url)
    if parts is None:
        return "unreadable"
    if "[" in url.replace(f"[{parts.hostname}]", "", 1) or "]" in url.replace(f"[{parts.hostname}]", "", 1):
        return "brackets"
    return None


def _scheme(url: str) -> str:
    parts = _split(url)
    return parts.scheme.lower() if parts is not None and ":" in url else ""


@lru_cache(maxsize=65536)
def _web(url: str) -> SplitResult | None:
    """The parts of a well-formed http(s) address, or None."""
    parts = _split(url)
    if parts is None or _scheme(url) not in ("http", "https") or _format_problem(url) or not parts.hostname:
        return None
    return parts


def link_target(view: CatalogView, findings: Findings) -> None:
    from rcmkb.rules.structure import schema_link_target

    schema_link_target(view, findings)
    for file in view.of_kind("entry", "decision"):
        for path, page in file.values(("links", fields.ANY, "site_page")):
            if isinstance(page, str) and _SITE_PAGE.match(page) and not (view.docs_dir / page).is_file():
                say(findings, file, path, "link-target", "site-page-missing", value=page)


def url_scheme(view: CatalogView, findings: Findings) -> None:
    for file in view.of_kind("link-exceptions"):
        if view.valid(file):
            check_scheme(file.doc, findings)
    for file, path, url in _urls(view):
        if _format_problem(url):
            continue
        scheme = _scheme(url)
        if scheme in ("http", "https"):
            parts = _split(url)
            if parts is not None and not parts.hostname:
                say(findings, file, path, "url-scheme", "url-incomplete", value=url)
        elif not scheme:
            say(findings, file, path, "url-scheme", "url-relative", value=url)
        else:
            say(findings, file, path, "url-scheme", "url-other-scheme", scheme=scheme)


def url_format(view: CatalogView, findings: Findings) -> None:
    for file, path, url in _urls(view):
        problem = _format_problem(url)
        if problem:
            say(findings, file, path, "url-format", f"url-format-{problem}", value=url[:120])


def url_truncated(view: CatalogView, findings: Findings) -> None:
    for file, path, url in _urls(view):
        if _web(url) and ("…" in url or url.endswith("...")):
            say(findings, file, path, "url-truncated", "url-truncated")


def url_credentials(view: CatalogView, findings: Findings) -> None:
    """`https://www.iom.int@evil.example/` reads as IOM's site and leads to evil.example."""
    for file, path, url in _urls(view):
        parts = _web(url)
        if parts is not None and "@" in parts.netloc:
            say(findings, file, path, "url-credentials", "url-credentials", host=parts.hostname,
                before=parts.netloc.rsplit("@", 1)[0])


@lru_cache(maxsize=65536)
def is_local_host(host: str) -> bool:
    """This computer, a private network or a link-local address: nothing a reader elsewhere can open."""
    host = host.rstrip(".").lower()
    if host in _LOCAL_NAMES or host.endswith(_LOCAL_SUFFIXES) or ("." not in host and ":" not in host):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local or address.is_unspecified \
        or address.is_reserved or address.is_multicast


def url_local_host(view: CatalogView, findings: Findings) -> None:
    for file, path, url in _urls(view):
        parts = _web(url)
        if parts is not None and parts.hostname and is_local_host(parts.hostname):
            say(findings, file, path, "url-local-host", "url-local-host", host=parts.hostname)
