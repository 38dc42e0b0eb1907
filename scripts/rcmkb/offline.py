"""The offline bundle: the whole site as a zip to open from disk (file://), with no server.

For officers at border posts and consulates with a slow connection or none. Its MkDocs
configuration is made here from mkdocs.yml (offline_config), so the two never drift apart:
- Material's offline plugin: .html links that work from file://, and the search index as a script;
- Material's own (lunr) search instead of Pagefind, which cannot run from file://; the header
  shows it because `search` is among the plugins (overrides/partials/header.html);
- the iframe-worker shim, vendored under docs/assets/vendor/, which the plugin would otherwise
  load from a CDN.
It is built with the same atomic build as the site, then zipped in a fixed order with fixed
timestamps, so the same catalog always gives the same zip. See HACKING.md.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import yaml

from rcmkb.assets import minify_assets
from rcmkb.build import FILE_MODE, PostBuildStep, build_site
from rcmkb.export import write_exports
from rcmkb.model import SiteModel
from rcmkb.shortlinks import write_qr_codes

SITE_CONFIG = "mkdocs.yml"
OFFLINE_PLUGINS = ("search", "offline")  # before the site's own plugins (i18n), as Material asks
SHIM = "assets/vendor/iframe-worker-shim.js"


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml without resolving MkDocs' own tags (!ENV): only the plugins are needed."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def offline_config(root: Path) -> dict[str, Any]:
    """The offline bundle's MkDocs configuration: mkdocs.yml, with Material's search and offline plugins.

    It lives outside the repository (in the build's temporary folder), so every path MkDocs would
    resolve against the configuration's own folder is made absolute. INHERIT replaces the plugins
    list as a whole, hence the site's plugins are copied in from mkdocs.yml here, never by hand.
    """
    site = yaml.load((root / SITE_CONFIG).read_text(encoding="utf-8"), Loader=_Loader) or {}
    plugins = [p for p in site.get("plugins") or [] if (p if isinstance(p, str) else next(iter(p)))
               not in OFFLINE_PLUGINS]
    config: dict[str, Any] = {
        "INHERIT": str(root / SITE_CONFIG),
        "docs_dir": str(root / site.get("docs_dir", "docs")),
        "hooks": [str(root / hook) for hook in site.get("hooks") or []],
        "watch": [str(root / path) for path in site.get("watch") or []],
        "extra": {"polyfills": [SHIM]},
        "plugins": [*OFFLINE_PLUGINS, *plugins],
    }
    custom_dir = (site.get("theme") or {}).get("custom_dir")
    if custom_dir:
        config["theme"] = {"custom_dir": str(root / custom_dir)}
    return config


def write_offline_config(root: Path, folder: Path) -> Path:
    path = folder / "mkdocs.offline.yml"
    path.write_text(yaml.safe_dump(offline_config(root), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path

# Material loads search/search_index.js into the page, then reads `__index`. The script keeps the
# entries of the page's own language only (and that language's stemmer): with mkdocs-static-i18n the
# index holds both languages, and an English result on a Spanish page is of no use to its reader.
# English pages are the ones under en/.
_INDEX_SCRIPT = """\
var __index = (function (index) {
  var lang = document.documentElement.lang === "en" ? "en" : "es";
  index.config.lang = [lang];
  index.docs = index.docs.filter(function (doc) {
    return (doc.location.indexOf("en/") === 0) === (lang === "en");
  });
  return index;
})(%s);
"""


def localize_search_index(site_dir: Path, model: SiteModel, base: str) -> None:
    """Rewrite search_index.js from the final, merged search_index.json.

    The offline plugin writes search_index.js in its own on_post_build, but mkdocs-static-i18n
    rewrites the JSON after that (once per language), so the plugin's copy holds only the
    last-built language (HACKING.md). Doing it here, after MkDocs is done, sees
    the final index.
    """
    index_json = site_dir / "search" / "search_index.json"
    if not index_json.is_file():
        raise FileNotFoundError("search/search_index.json is missing: is `search` among the offline plugins?")
    index = json.loads(index_json.read_text(encoding="utf-8"))
    languages = {doc["location"].startswith("en/") for doc in index["docs"]}
    if languages != {True, False}:
        raise ValueError("the search index does not hold both languages")
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    (site_dir / "search" / "search_index.js").write_text(_INDEX_SCRIPT % data, encoding="utf-8")


OFFLINE_STEPS: list[tuple[str, PostBuildStep]] = [
    ("offline search per language", localize_search_index),
    ("open data", write_exports),  # the links to data/ and the feeds work in the bundle too
    ("QR codes", write_qr_codes),  # the printed pages and handouts of the bundle carry them too
    ("stylesheets and scripts", minify_assets),
]


def zip_folder(folder: Path, zip_path: Path, epoch: int) -> None:
    """Zip `folder`'s contents (index.html at the top) reproducibly, replacing zip_path atomically."""
    moment = dt.datetime.fromtimestamp(epoch, tz=dt.UTC)
    stamp = (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute, moment.second)
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".offline-", suffix=".zip", dir=zip_path.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = (stat.S_IFREG | FILE_MODE) << 16
                archive.writestr(info, path.read_bytes())
        os.chmod(temporary, FILE_MODE)  # mkstemp makes 0600; the zip is meant to be shared
        os.replace(temporary, zip_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def build_offline(root: Path, zip_path: Path) -> Path:
    """Build the offline site and write it as zip_path. A failure leaves any previous zip as it was."""
    root = root.resolve()
    zip_path = zip_path if zip_path.is_absolute() else root / zip_path
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".offline-build-", dir=zip_path.parent))
    try:
        config = write_offline_config(root, work)
        site = build_site(root, work / "site", search=False, config=str(config), steps=OFFLINE_STEPS)
        # build_site gave every file the catalog's timestamp (catalog_epoch): reuse it, not the model.
        zip_folder(site, zip_path, int(site.stat().st_mtime))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return zip_path
