"""MkDocs configs for the stock setups the benchmark compares against, written beside mkdocs.yml.

- baseline: our mkdocs.yml with Material's own search (lunr) and no Pagefind step; the same
  generated Markdown, so the difference is the search engine and our build steps.
- stock nav: the baseline with every entry page listed in the navigation, as a stock MkDocs
  site does; each page then carries the whole menu, which is what grows with N squared.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from rcmkb.paths import GENERATED_DIRNAME

BASELINE_CONFIG = "mkdocs.bench-baseline.yml"
STOCK_NAV_CONFIG = "mkdocs.bench-stocknav.yml"


class _Tagged:
    """A value with a custom tag (such as `!ENV [SITE_URL, ...]`), written back exactly as read."""

    def __init__(self, tag: str, node: yaml.Node) -> None:
        self.tag, self.node = tag, node


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without MkDocs, keeping tagged values (!ENV, !relative, ...) as they are."""


class _TagDumper(yaml.SafeDumper):
    pass


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _Tagged:
    return _Tagged(node.tag, node)


def _represent_tagged(dumper: yaml.SafeDumper, value: _Tagged) -> yaml.Node:
    return value.node


_AnyTagLoader.add_multi_constructor("!", _construct_tagged)
_AnyTagLoader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)
_TagDumper.add_representer(_Tagged, _represent_tagged)


def _plugin_name(plugin: Any) -> str:
    return plugin if isinstance(plugin, str) else next(iter(plugin))


def _plugins(config: dict[str, Any]) -> list[Any]:
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        plugins = [{name: options} if options else name for name, options in plugins.items()]
    return list(plugins)


def _write(repo: Path, name: str, overrides: dict[str, Any]) -> str:
    # INHERIT merges dictionaries but replaces lists, so `plugins` and `nav` are written in full.
    text = "# Written by `make bench`: a stock setup to compare against.\nINHERIT: mkdocs.yml\n"
    text += yaml.dump(overrides, Dumper=_TagDumper, allow_unicode=True, sort_keys=False)
    (repo / name).write_text(text, encoding="utf-8")
    return name


def _with_search(config: dict[str, Any]) -> list[Any]:
    """Material's search first (the i18n plugin must find it to add Spanish), then our plugins."""
    return ["search", *(p for p in _plugins(config) if _plugin_name(p) not in ("search", "material/search"))]


def read_config(repo: Path) -> dict[str, Any]:
    return yaml.load((repo / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader) or {}


def write_baseline_config(repo: Path) -> str:
    return _write(repo, BASELINE_CONFIG, {"plugins": _with_search(read_config(repo))})


def write_stock_nav_config(repo: Path, entry_ids: list[str]) -> str:
    config = read_config(repo)
    nav = list(config.get("nav") or [])
    nav.append({"Fichas": [f"{GENERATED_DIRNAME}/{entry_id}.md" for entry_id in entry_ids]})
    return _write(repo, STOCK_NAV_CONFIG, {"plugins": _with_search(config), "nav": nav})
