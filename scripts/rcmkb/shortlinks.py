"""Post-build step: permanent short links (/t/<id>/) and redirects from renamed entries.

Printed handouts and slides carry /t/<id>/ for years, so every entry gets one, and so does
every id it had before (`former_ids`). Each also gets /t/<id>/es/ and /t/<id>/en/, which open
that language whatever the reader's browser says: the QR codes of a handout carry its language.
Beside each /t/<id>/<lang>/ sits qr.svg, the QR code of that address, which the entry's page
(in print) and the handouts show. A renamed entry's old pages (its entry addresses under the
old id, in each language) send the reader to the new ones in the same language.

The pages are plain HTML written after MkDocs (they are not part of the navigation or the
search index), and every link in them is relative, so the site also works under a sub-path
such as a GitHub project page.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from rcmkb.model import SiteModel
from rcmkb.paths import TEMPLATES_DIR
from rcmkb.qr import cache_dir as qr_cache_dir
from rcmkb.qr import qr_svg_file
from rcmkb.render import _strings
from rcmkb.routes import LANGS, built_file, entry_site_path, qr_site_file, relative_link, short_link_path
from rcmkb.urls import entry_url, short_url, site_url


class ShortLinkError(Exception):
    pass


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    # Plain HTML pages: Jinja's HTML autoescaping is the right protection here (no Markdown parser
    # reads them), and `tojson` makes values safe inside the inline script.
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def redirect_pages(model: SiteModel, base: str) -> dict[str, str]:
    """Every page this step writes: path relative to the site root -> HTML."""
    env = _environment()
    short_template = env.get_template("shortlink.html.j2")
    redirect_template = env.get_template("redirect.html.j2")
    strings = _strings()
    pages: dict[str, str] = {}

    for entry in model.entries:
        entry_id = entry["id"]
        title = {lang: " ".join(entry["title"][lang].split()) for lang in LANGS}
        for short_id in [entry_id, *entry.get("former_ids", [])]:
            here = short_link_path(short_id)
            pages[built_file(here)] = short_template.render(
                title=title, s=strings, canonical=entry_url(entry_id, "es", base),
                absolute={lang: entry_url(entry_id, lang, base) for lang in LANGS},
                targets={lang: relative_link(here, entry_site_path(entry_id, lang)) for lang in LANGS})
            # /t/<id>/<lang>/: what a handout's QR codes carry, so they open the handout's language.
            for lang in LANGS:
                here = short_link_path(short_id, lang)
                pages[built_file(here)] = redirect_template.render(
                    lang=lang, title=title[lang], moved=strings[lang]["short_link_opens"],
                    target=relative_link(here, entry_site_path(entry_id, lang)), target_text=title[lang],
                    canonical=entry_url(entry_id, lang, base))
        for old in entry.get("former_ids", []):
            for lang in LANGS:
                here = entry_site_path(old, lang)
                target = relative_link(here, entry_site_path(entry_id, lang))
                pages[built_file(here)] = redirect_template.render(
                    lang=lang, title=title[lang], moved=strings[lang]["moved"], target=target,
                    target_text=title[lang], canonical=entry_url(entry_id, lang, base))
    return pages


def write_short_links(site_dir: Path, model: SiteModel, base: str | None = None) -> int:
    """The post-build step. Refuses to overwrite a page MkDocs built (an old id that is in use)."""
    pages = redirect_pages(model, base or site_url())
    for relative_path, html in sorted(pages.items()):
        _write_new(site_dir, relative_path, html.encode("utf-8"),
                   "an old id (former_ids) or a short link would replace a page of the site")
    return len(pages)


def write_qr_codes(site_dir: Path, model: SiteModel, base: str | None = None) -> int:
    """The post-build step for QR codes: t/<id>/<lang>/qr.svg for each entry, encoding that short link
    on the published site. Made here rather than by the generator, so MkDocs never reads thousands of
    images it only copies; a code made by an earlier build is read back from the cache (rcmkb.qr)."""
    base = base or site_url()
    cache = qr_cache_dir(model.catalog.root.parent)
    written = 0
    for entry in model.entries:
        for lang in LANGS:
            code = qr_svg_file(short_url(entry["id"], base, lang), cache)
            _write_new(site_dir, qr_site_file(entry["id"], lang), code,
                       "a page of the site would be replaced by a QR code")
            written += 1
    return written


def _write_new(site_dir: Path, relative_path: str, data: bytes, why: str) -> None:
    """Write a file these steps make, never over one that is there already."""
    target = site_dir / relative_path
    if target.exists():
        raise ShortLinkError(f"{relative_path} already exists: {why}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
