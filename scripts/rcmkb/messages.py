"""The validator's messages, in Spanish and English, kept as data in templates/messages.yml.

Code names a message by its key and gives the values to fill in; the wording, in both languages,
lives in the YAML file so that a maintainer can improve it without reading Python.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

import yaml

from rcmkb.paths import TEMPLATES_DIR

LANGS = ("es", "en")
DEFAULT_LANG = "en"


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict[str, str]]:
    return yaml.safe_load((TEMPLATES_DIR / "messages.yml").read_text(encoding="utf-8"))


def text(key: str, lang: str, /, **params: Any) -> str:
    """The message `key` in `lang`, filled in (English where a translation is missing)."""
    messages = catalog()
    template = messages.get(lang, {}).get(key) or messages[DEFAULT_LANG][key]
    return template.format(**params)


def lang_from_environment(environ: dict[str, str] | None = None) -> str:
    """The maintainer's language from the locale: Spanish when LC_ALL, LC_MESSAGES or LANG says so.

    Like gettext, the first of those that is set decides. Anything else is English, the language
    of CI logs and of the tools' own errors.
    """
    environ = dict(os.environ) if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "es" if value.lower().startswith("es") else "en"
    return DEFAULT_LANG
