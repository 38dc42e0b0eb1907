"""The site's public addresses: where it is published, and the permanent URLs of its entries.

Printed QR codes, short links, feeds, exports, the sitemap and canonical links all need the
address the site is published at. It is one setting, kept in the repository: mkdocs.yml's
`site_url` line (`!ENV [SITE_URL, default]`). MkDocs reads it for the sitemap, canonical links
and the language switcher; this module reads the same line the way MkDocs does (with MkDocs' own
YAML loader, so `!ENV` and `INHERIT` resolve identically), and every part of rcmkb asks it.

A build for this computer (127.0.0.1, localhost, ::1, or no address at all) is a preview: its
printed links cannot work on anyone else's phone, so the build says so and its printed pages
carry a visible mark. Where each page lives is the route table's business (routes.py); this
module only puts the address in front.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

from rcmkb.paths import PACKAGE_DIR, project_root
from rcmkb.routes import entry_site_path, short_link_path

CONFIG_FILE = "mkdocs.yml"
# Only when mkdocs.yml gives no address at all (SITE_URL set but empty): the address `make serve`
# previews at, so that links still open on this computer. Such a build is flagged as a preview.
PREVIEW_SITE_URL = "http://127.0.0.1:8000/"
LOCAL_HOSTS = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})

PREVIEW_WARNING = (
    "vista previa: los enlaces apuntan a este equipo / preview copy: links point to this computer; "
    "set SITE_URL=https://… to publish")


def config_file(root: Path | None = None) -> Path:
    """mkdocs.yml of the repository: the given root's, else the one this package lives in, else the cwd's."""
    if root is not None:
        return root / CONFIG_FILE
    here = project_root(PACKAGE_DIR)  # scripts/rcmkb/ of a checkout (editable install)
    return here / CONFIG_FILE if (here / CONFIG_FILE).is_file() else project_root() / CONFIG_FILE


def configured_site_url(config: Path) -> str | None:
    """The `site_url` of an MkDocs config file, resolved exactly as MkDocs resolves it (None if empty)."""
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    with config.open("rb") as handle:
        value = yaml_load(handle, get_yaml_loader()).get("site_url")
    return str(value) if value else None


def site_url(root: Path | None = None) -> str:
    """The published address, always ending in a slash (a sub-path such as /herramientas/ is kept).

    Read from mkdocs.yml on each call (a few milliseconds), so a SITE_URL set by a caller or a
    test is always honoured.
    """
    value = configured_site_url(config_file(root)) or PREVIEW_SITE_URL
    return value if value.endswith("/") else value + "/"


def is_local_address(url: str | None) -> bool:
    """True for an address only this computer can open: loopback, localhost, or none at all."""
    if not url:
        return True
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if not host or host in LOCAL_HOSTS or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback or ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def short_url(entry_id: str, base: str | None = None, lang: str | None = None) -> str:
    """An entry's short link; with `lang`, the one that always opens that language's page (QR codes)."""
    return (base or site_url()) + short_link_path(entry_id, lang)


def typed_url(url: str) -> str:
    """An address as a person types it from paper: without the scheme, which browsers add themselves."""
    scheme, _, rest = url.partition("://")
    return rest if rest and scheme in ("http", "https") else url


def entry_url(entry_id: str, lang: str, base: str | None = None) -> str:
    return (base or site_url()) + entry_site_path(entry_id, lang)
