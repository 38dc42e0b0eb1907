"""Writing a new entry file: YAML text that reads back exactly, with a comment above every field.

The example shown in the maintainers' guide is rendered from a real catalog file at run time
(EXAMPLE_ENTRY), so it cannot drift from the entry it shows.
"""

from __future__ import annotations

import textwrap
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import yaml

from rcmkb.fields import SCHEMA_DIR
from rcmkb.findings import Findings
from rcmkb.load import load_yaml
from rcmkb.new.strings import strings
from rcmkb.paths import TEMPLATES_DIR

# The entry shown in full in docs/contribuir*.md: a real one, so the guide never shows an invented document.
EXAMPLE_ENTRY = SCHEMA_DIR.parent / "entries" / "iom-handbook-vulnerable-migrants-2019.yml"


def _yaml_text(value: str, indent: int) -> str:
    """A text value that YAML reads back exactly: plain when safe, folded when long, else double-quoted."""
    value = " ".join(str(value).split())
    if len(value) > 80 and not value.startswith(("-", "?", ":", "[", "{", "!", "&", "*", "#", "|", ">", "'", '"',
                                                  "%", "@", "`")):
        lines = textwrap.wrap(value, width=110 - indent, break_long_words=False, break_on_hyphens=False)
        folded = ">-\n" + "\n".join(" " * indent + line for line in lines)
        if yaml.safe_load("k: " + folded.replace("\n" + " " * indent, "\n  ")) == {"k": value}:
            return folded
    try:
        plain_ok = yaml.safe_load(f"k: {value}") == {"k": value}
    except yaml.YAMLError:
        plain_ok = False
    if plain_ok and value == value.strip() and value:
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(_yaml_text(v, 0) for v in values) + "]"


def _comment(text: str, width: int = 110) -> str:
    lines: list[str] = []
    for paragraph in str(text).strip().splitlines():
        lines += textwrap.wrap(paragraph, width=width, break_long_words=False, break_on_hyphens=False) or [""]
    return "\n".join(("# " + line).rstrip() for line in lines)


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), autoescape=False,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters["yaml"] = _yaml_text
    env.filters["flow"] = _flow
    env.filters["comment"] = _comment
    return env


def render_entry(values: dict[str, Any], lang: str) -> str:
    """The text of the entry file, with the comments in `lang` (es or en)."""
    return _environment().get_template("new_entry.yml.j2").render(c=strings()[lang], **values)


def example_values(path: Path = EXAMPLE_ENTRY) -> dict[str, Any]:
    """The values of a real catalog entry, shaped as `rcmkb new` collects them (its first link only, with
    where it was seen, and the entry's whole provenance)."""
    doc = load_yaml(path, Findings())
    if doc is None or not isinstance(doc.data, dict):
        raise FileNotFoundError(f"{path} is not a readable entry: the guide's example comes from it")
    data = doc.data
    link = dict(data["links"][0])
    values: dict[str, Any] = {
        "id": data["id"], "type": data["type"], "year": data.get("year"),
        "links": [{key: link.get(key, "") for key in ("url", "kind", "language", "format", "source")}],
        "provenance": [{key: item[key] for key in ("document", "item", "confidence", "supports") if key in item}
                       for item in data.get("provenance") or []],
        "title_unofficial": list(data.get("title_unofficial") or []), "unknown": list(data.get("unknown") or []),
        "added": data["added"], "reviewed": data["reviewed"],
    }
    for key in ("title", "summary"):
        for lang in ("es", "en"):
            values[f"{key}_{lang}"] = data[key][lang]
    for key in ("organizations", "themes", "stages", "audiences", "countries", "languages"):
        values[key] = list(data.get(key) or [])
    return values


def example_entry(lang: str) -> str:
    """The annotated example shown in the maintainers' guide, from a real catalog entry."""
    return render_entry(example_values(), lang)


