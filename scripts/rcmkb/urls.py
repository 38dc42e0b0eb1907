"""The site's public addresses: where it is published, and the permanent URLs of its entries.

Printed QR codes, feeds and exports need absolute URLs, so they need the address the site is
published at. It comes from SITE_URL, exactly as in mkdocs.yml (`!ENV [SITE_URL, ...]`), so the
pages and their QR codes always agree on it.
"""

from __future__ import annotations

import os

DEFAULT_SITE_URL = "http://127.0.0.1:8000/"  # keep equal to the default in mkdocs.yml
SHORT_LINK_DIR = "t"  # /t/<id>/: short, permanent links for print and slides
ENTRY_DIR = "catalogo"
LANG_PREFIX = {"es": "", "en": "en/"}  # Spanish at the root, English under /en/


def site_url(environ: dict[str, str] | None = None) -> str:
    """The published address, always ending in a slash (a sub-path such as /repo/ is kept)."""
    value = (environ if environ is not None else os.environ).get("SITE_URL") or DEFAULT_SITE_URL
    return value if value.endswith("/") else value + "/"


def short_path(entry_id: str) -> str:
    """Path of an entry's short link, relative to the site root."""
    return f"{SHORT_LINK_DIR}/{entry_id}/"


def entry_page_path(entry_id: str, lang: str) -> str:
    """Path of an entry's page in a language, relative to the site root."""
    return f"{LANG_PREFIX[lang]}{ENTRY_DIR}/{entry_id}/"


def short_url(entry_id: str, base: str | None = None) -> str:
    return (base or site_url()) + short_path(entry_id)


def entry_url(entry_id: str, lang: str, base: str | None = None) -> str:
    return (base or site_url()) + entry_page_path(entry_id, lang)
