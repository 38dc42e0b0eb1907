"""The texts of `rcmkb new` in both languages (templates/new_entry.strings.yml)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import yaml

from rcmkb.paths import TEMPLATES_DIR


@lru_cache(maxsize=1)
def strings() -> dict[str, dict[str, Any]]:
    return yaml.safe_load((TEMPLATES_DIR / "new_entry.strings.yml").read_text(encoding="utf-8"))
