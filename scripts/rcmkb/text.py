"""Make catalog text inert on a page.

Catalog text ends up inside Markdown, which Python-Markdown turns into HTML and which MkDocs
templates partly print without escaping. So every character that could start a tag, an entity,
a Markdown link, emphasis, a list or a table cell is written as a numeric character reference:
the reader sees the same text, but no parser ever sees syntax in it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlsplit

from markupsafe import Markup

_SPECIAL = set("\\`*_{}[]()#+-.!|~<>&\"':=^$%@")
_INERT_TABLE = {ord(ch): f"&#{ord(ch)};" for ch in _SPECIAL}  # str.translate: one C pass per value
_SAFE_URL_SCHEMES = ("http", "https")
_PAGE_PATH = re.compile(r"^(\.\./)*([a-z0-9][a-z0-9_-]*/)*[a-z0-9][a-z0-9_-]*\.md(#[a-z0-9-]+)?$")


def inert(value: object) -> Markup:
    """Text for a Markdown page (also safe inside an HTML attribute). Newlines become spaces.

    Always Markup: the page templates print finalize's result without escaping it again
    (render._InertOutput), so a plain str here would be printed raw."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return _inert_text(value)
    return _inert_text(str(value))


@lru_cache(maxsize=131072)  # titles and labels are printed by many pages: escape each once per build
def _inert_text(value: str) -> Markup:
    return Markup(" ".join(value.split()).translate(_INERT_TABLE))


def inert_join(values: Iterable[object], separator: str) -> Markup:
    """`inert` of each value, joined by `separator` (a template filter: one call for a whole list).
    The separator is made inert too, but keeps its spaces."""
    return Markup(separator.translate(_INERT_TABLE).join([inert(value) for value in values]))


def head_title(value: str) -> str:
    """A page title for front matter.

    Material prints page.title raw in the header, and through `striptags` (which also decodes
    entities) in <title>; so the title must hold no angle brackets at all, and an ampersand
    must stay an entity in both places.
    """
    text = " ".join(value.split())
    return html.escape(text, quote=True).replace("&lt;", "\u2039").replace("&gt;", "\u203a")


def attribute(value: str) -> str:
    """Text for front matter fields that templates print inside an HTML attribute."""
    return html.escape(" ".join(value.split()), quote=True)


def safe_url(url: str) -> Markup:
    """An href for an external link: only http(s), HTML-escaped. Anything else becomes '#'."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme not in _SAFE_URL_SCHEMES:
        return Markup("#")
    return Markup(html.escape(url.strip(), quote=True))


@lru_cache(maxsize=65536)  # the same few thousand targets, linked from page after page
def page_path(path: str) -> Markup:
    """A link target to another page of the site, as MkDocs expects it (relative .md path)."""
    if not _PAGE_PATH.match(path):
        raise ValueError(f"not a page path: {path!r}")
    return Markup(path)
