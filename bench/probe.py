"""Validate-and-generate timing, in-process (no MkDocs), run as a child so its memory is its own.

    python -m bench.probe CATALOG_DIR REPETITIONS

prints one JSON object: seconds of `validate` alone and of `generate_site_pages` (which
validates, renders and writes every page) into an empty folder, per repetition.

`generate_seconds` is a first build: the QR-code cache kept between builds (rcmkb.qr.cache_dir)
starts empty, in a folder of the probe's own, as on a fresh clone or in CI. `generate_warm_seconds`
is the same build again into another empty folder with that cache filled, as a maintainer's
second `rcmkb build` meets it. The repository's own cache is never read.

`qr_seconds` is the QR-code step (rcmkb.shortlinks.write_qr_codes), which runs beside MkDocs
in `rcmkb build`, not in the generator: every code made, with that cache empty.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from rcmkb import qr
from rcmkb.generate import generate_site_pages, load_model
from rcmkb.paths import GENERATED_DIRNAME
from rcmkb.shortlinks import write_qr_codes
from rcmkb.validate import validate


def _generate_into_empty_folder(catalog_dir: Path) -> tuple[float, int]:
    with tempfile.TemporaryDirectory(prefix="rcmkb-bench-docs-") as docs:
        started = time.perf_counter()
        generate_site_pages(catalog_dir, Path(docs))
        seconds = time.perf_counter() - started
        pages = sum(1 for p in (Path(docs) / GENERATED_DIRNAME).rglob("*.md"))
        shutil.rmtree(docs, ignore_errors=True)
    return seconds, pages


def _qr_codes_cold(catalog_dir: Path) -> float:
    model = load_model(catalog_dir)
    with tempfile.TemporaryDirectory(prefix="rcmkb-bench-qr-") as cache, \
            tempfile.TemporaryDirectory(prefix="rcmkb-bench-site-") as site:
        os.environ[qr.CACHE_ENV] = cache
        qr._cached_modules.cache_clear()
        qr._modules.cache_clear()
        started = time.perf_counter()
        write_qr_codes(Path(site), model, "https://rcm-tools.example.org/")
        return time.perf_counter() - started


def measure(catalog_dir: Path, repetitions: int) -> dict[str, object]:
    catalog, findings = validate(catalog_dir)  # warm-up: imports, compiled schemas and templates
    if findings.errors:
        raise SystemExit(f"the synthetic catalog is invalid: {findings.errors[0].format()}")
    validate_seconds, generate_seconds, warm_seconds, qr_seconds, pages = [], [], [], [], 0
    for _ in range(repetitions):
        started = time.perf_counter()
        validate(catalog_dir)
        validate_seconds.append(time.perf_counter() - started)
        with tempfile.TemporaryDirectory(prefix="rcmkb-bench-qr-") as cache:
            os.environ[qr.CACHE_ENV] = cache  # empty: every QR code is encoded, as in a first build
            seconds, pages = _generate_into_empty_folder(catalog_dir)
            generate_seconds.append(seconds)
            qr._cached_modules.cache_clear()  # the second build is another process: only the files remain
            qr._modules.cache_clear()
            warm_seconds.append(_generate_into_empty_folder(catalog_dir)[0])
        qr_seconds.append(_qr_codes_cold(catalog_dir))
    return {"entries": len(catalog.entries), "pages": pages,
            "validate_seconds": validate_seconds, "generate_seconds": generate_seconds,
            "generate_warm_seconds": warm_seconds, "qr_seconds": qr_seconds}


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), int(sys.argv[2]))))
