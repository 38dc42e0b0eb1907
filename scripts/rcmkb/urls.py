"""The site's public addresses: where it is published, and the permanent URLs of its entries.

Printed QR codes, feeds and exports need absolute URLs, so they need the address the site is
published at. It comes from SITE_URL, exactly as in mkdocs.yml (`!ENV [SITE_URL, ...]`), so the
pages and their QR codes always agree on it. Where each page lives is the route table's business
(routes.py); this module only puts the address in front.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from rcmkb.routes import entry_site_path, short_link_path

DEFAULT_SITE_URL = "http://127.0.0.1:8000/"  # keep equal to the default in mkdocs.yml


def site_url(environ: Mapping[str, str] | None = None) -> str:
    """The published address, always ending in a slash (a sub-path such as /repo/ is kept)."""
    value = (environ if environ is not None else os.environ).get("SITE_URL") or DEFAULT_SITE_URL
    return value if value.endswith("/") else value + "/"


def short_url(entry_id: str, base: str | None = None) -> str:
    return (base or site_url()) + short_link_path(entry_id)


def entry_url(entry_id: str, lang: str, base: str | None = None) -> str:
    return (base or site_url()) + entry_site_path(entry_id, lang)
