"""Validate-and-generate timing, in-process (no MkDocs), run as a child so its memory is its own.

    python -m bench.probe CATALOG_DIR REPETITIONS

prints one JSON object: seconds of `validate` alone and of `generate_site_pages` (which
validates, renders and writes every page) into an empty folder, per repetition.

`qr_seconds` is the QR-code step (rcmkb.shortlinks.write_qr_codes), which runs beside MkDocs in
`rcmkb build`, not in the generator: every code made, with the cache it keeps between builds
(rcmkb.qr.cache_dir) empty, in a folder of the probe's own, as on a fresh clone or in CI. The
repository's own cache is never read.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

from rcmkb import qr
from rcmkb.generate import generate_site_pages, load_model
from rcmkb.paths import GENERATED_DIRNAME
from rcmkb.shortlinks import write_qr_codes
from rcmkb.validate import validate


def _generate_into_empty_folder(catalog_dir: Path, kept: list[tempfile.TemporaryDirectory[str]]) -> tuple[float, int]:
    """One timed generation into a new folder, which is kept (in `kept`) until every timing is
    done: deleting ten thousand files just before the next timed write would time the disk's
    clean-up of the last one (ext4 discards freed blocks then) rather than the generator."""
    docs = tempfile.TemporaryDirectory(prefix="rcmkb-bench-docs-")
    kept.append(docs)
    started = time.perf_counter()
    generate_site_pages(catalog_dir, Path(docs.name))
    seconds = time.perf_counter() - started
    pages = sum(1 for p in (Path(docs.name) / GENERATED_DIRNAME).rglob("*.md"))
    return seconds, pages


def _qr_codes_cold(catalog_dir: Path, kept: list[tempfile.TemporaryDirectory[str]]) -> float:
    model = load_model(catalog_dir)
    cache, site = tempfile.TemporaryDirectory(prefix="rcmkb-bench-qr-"), tempfile.TemporaryDirectory(
        prefix="rcmkb-bench-site-")
    kept += [cache, site]
    os.environ[qr.CACHE_ENV] = cache.name
    qr._cached_modules.cache_clear()
    started = time.perf_counter()
    write_qr_codes(Path(site.name), model, "https://rcm-tools.example.org/")
    return time.perf_counter() - started


def measure(catalog_dir: Path, repetitions: int) -> dict[str, object]:
    catalog, findings = validate(catalog_dir)  # warm-up: imports, compiled schemas and templates
    if findings.errors:
        raise SystemExit(f"the synthetic catalog is invalid: {findings.errors[0].format()}")
    entries = len(catalog.entries)
    del catalog, findings  # a build starts with no catalog in memory (and forks a smaller process)
    validate_seconds, generate_seconds, qr_seconds, pages = [], [], [], 0
    kept: list[tempfile.TemporaryDirectory[str]] = []
    try:
        for _ in range(repetitions):
            started = time.perf_counter()
            validate(catalog_dir)
            validate_seconds.append(time.perf_counter() - started)
            seconds, pages = _generate_into_empty_folder(catalog_dir, kept)
            generate_seconds.append(seconds)
            qr_seconds.append(_qr_codes_cold(catalog_dir, kept))
    finally:
        for folder in kept:
            folder.cleanup()
    return {"entries": entries, "pages": pages,
            "validate_seconds": validate_seconds, "generate_seconds": generate_seconds,
            "qr_seconds": qr_seconds}


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), int(sys.argv[2]))))
