"""MkDocs hook: regenerate the catalog pages before each build, so `mkdocs serve` shows catalog edits.

Kept thin on purpose: all catalog logic lives in the rcmkb package, so the site engine can be
replaced without touching it. MkDocs does not reload hook modules during `serve`, so the
generator is re-imported on every build to pick up code edits too.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))  # works even before `pip install -e .`

log = logging.getLogger("mkdocs.hooks.catalog")


def on_pre_build(config) -> None:
    if os.environ.get("RCMKB_PAGES_READY") == "1":
        return  # `rcmkb build` generated the pages just before calling MkDocs
    import rcmkb.generate

    generate = importlib.reload(rcmkb.generate)
    try:
        result = generate.generate_site_pages(ROOT / "catalog", Path(config.docs_dir))
    except generate.GenerationError as error:
        for finding in error.findings.sorted():
            log.error(finding.format())
        raise PluginError(str(error)) from None
    if result.written or result.removed:
        log.info("catalog: %d page(s) written, %d removed", result.written, result.removed)
