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


# Fingerprint of the inputs as they were after the last generation. The module lives as long as
# `mkdocs serve`, so this skips the second language's run and rebuilds that changed nothing.
_generated_for: str | None = None


def on_config(config):
    """Give templates (overrides/404.html) the site paths of the route table."""
    import rcmkb.routes

    config.extra["rcm_routes"] = importlib.reload(rcmkb.routes).template_routes()
    return config


def on_pre_build(config) -> None:
    global _generated_for
    if os.environ.get("RCMKB_PAGES_READY") == "1":
        return  # `rcmkb build` generated the pages just before calling MkDocs
    import rcmkb.fingerprint
    import rcmkb.generate

    fingerprint = importlib.reload(rcmkb.fingerprint).inputs_fingerprint
    docs_dir = Path(config.docs_dir)
    if fingerprint(ROOT / "catalog", docs_dir) == _generated_for:
        return
    generate = importlib.reload(rcmkb.generate)
    try:
        result = generate.generate_site_pages(ROOT / "catalog", docs_dir)
    except generate.GenerationError as error:
        _generated_for = None
        for finding in error.findings.sorted():
            log.error(finding.format())
        raise PluginError(str(error)) from None
    for finding in result.problems.sorted():
        log.warning(finding.format())
    _generated_for = fingerprint(ROOT / "catalog", docs_dir)
    if result.written or result.removed:
        log.info("catalog: %d page(s) written, %d removed", result.written, result.removed)
