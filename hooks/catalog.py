"""MkDocs hook: regenerate the catalog pages before each build, so `mkdocs serve` shows catalog edits.

Kept thin on purpose: all catalog logic lives in the rcmkb package, so the site engine can be
replaced without touching it. MkDocs keeps hook modules (and everything they imported) for the
whole of `mkdocs serve`, and `importlib.reload` of one module leaves the modules it imports as
they were. So when any file of the package changed since the last build, every rcmkb module is
dropped and imported afresh: an edit to render.py, validate.py, model.py or a template shows on
the next rebuild. See HACKING.md.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "scripts" / "rcmkb"
sys.path.insert(0, str(ROOT / "scripts"))  # works even before `pip install -e .`, and wins over another copy

log = logging.getLogger("mkdocs.hooks.catalog")

# Fingerprints as they were at the last build. The module lives as long as `mkdocs serve`, so this
# skips the second language's run and rebuilds that changed nothing.
_generated_for: str | None = None
_code_loaded: str | None = None


def _code_fingerprint() -> str:
    """Names, sizes and times of the package's code and templates (nothing is read)."""
    lines = []
    for directory, subdirs, files in os.walk(PACKAGE):
        subdirs[:] = sorted(d for d in subdirs if d != "__pycache__")
        for name in sorted(files):
            info = os.stat(os.path.join(directory, name))
            lines.append(f"{directory}/{name}\0{info.st_size}\0{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogateescape")).hexdigest()


def _rcmkb(name: str) -> ModuleType:
    """rcmkb.<name>, imported afresh (with all of rcmkb) when the package's code changed."""
    global _code_loaded
    code = _code_fingerprint()
    if code != _code_loaded:
        for module in [m for m in sys.modules if m == "rcmkb" or m.startswith("rcmkb.")]:
            del sys.modules[module]
        _code_loaded = code
    __import__(f"rcmkb.{name}")
    return sys.modules[f"rcmkb.{name}"]


def on_config(config: Any) -> Any:
    """Give templates (overrides/404.html) the site paths of the route table."""
    config.extra["rcm_routes"] = _rcmkb("routes").template_routes()
    return config


def on_pre_build(config: Any) -> None:
    global _generated_for
    if os.environ.get("RCMKB_PAGES_READY") == "1":
        return  # `rcmkb build` generated the pages just before calling MkDocs
    generate = _rcmkb("generate")
    fingerprint = _rcmkb("fingerprint").inputs_fingerprint
    docs_dir = Path(config.docs_dir)
    if fingerprint(ROOT / "catalog", docs_dir) == _generated_for:
        return
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
