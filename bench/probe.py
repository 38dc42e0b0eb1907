"""Validate-and-generate timing, in-process (no MkDocs), run as a child so its memory is its own.

    python -m bench.probe CATALOG_DIR REPETITIONS [OUTPUT_DIR]

prints one JSON object: seconds of `validate` alone and of `generate_site_pages` (which
validates, renders and writes every page) into an empty folder, per repetition.

Nothing written is deleted before every timing is done; with OUTPUT_DIR, the folders are made
there and left for the caller to delete after all of its own timings. On this bench's machine
(ext4 with no journal) creating a file cost from about 20 µs to 1 ms of kernel time, depending on
the disk's recent history: without a journal, ext4 checks one by one the inodes freed in the
last minutes before it reuses one (`perf` showed most of the time in `recently_deleted`). At
10,000 pages the slow end is more than the generator's own work, so the bench adds no deletions
of its own before a timing. `create_file_us` is that cost, measured just before each timed
generation (the median of 8 rounds of 50 new empty files): an indicator, in another folder than
the pages, so that a reader can tell a slow disk from a slow generator.

`qr_seconds` is the QR-code step (rcmkb.shortlinks.write_qr_codes), which runs beside MkDocs in
`rcmkb build`, not in the generator: every code made, with the cache it keeps between builds
(rcmkb.qr.cache_dir) empty, in a folder of the probe's own, as on a fresh clone or in CI. The
repository's own cache is never read.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rcmkb import qr
from rcmkb.generate import generate_site_pages, load_model
from rcmkb.paths import GENERATED_DIRNAME
from rcmkb.shortlinks import write_qr_codes
from rcmkb.validate import validate

Kept = list[tempfile.TemporaryDirectory[str]]


def _new_folder(prefix: str, kept: Kept, parent: Path | None) -> Path:
    """A new empty folder, deleted only after every timing (see the module's docstring): by the
    caller when under `parent`, else at the end of measure()."""
    if parent is not None:
        return Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    folder = tempfile.TemporaryDirectory(prefix=prefix)
    kept.append(folder)
    return Path(folder.name)


def _file_creation_us(kept: Kept, parent: Path | None) -> float:
    """What creating one empty file costs the file system now, in microseconds (median of 8 rounds of 50)."""
    folder = _new_folder("rcmkb-bench-create-", kept, parent)
    rounds = []
    for round_number in range(8):
        started = time.perf_counter()
        for number in range(50):
            os.close(os.open(folder / f"{round_number}-{number}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        rounds.append((time.perf_counter() - started) / 50)
    return round(1e6 * statistics.median(rounds), 1)


def _generate_into_empty_folder(catalog_dir: Path, kept: Kept, parent: Path | None) -> tuple[float, int]:
    """One timed generation into a new folder, kept until every timing is done."""
    docs = _new_folder("rcmkb-bench-docs-", kept, parent)
    started = time.perf_counter()
    generate_site_pages(catalog_dir, docs)
    seconds = time.perf_counter() - started
    pages = sum(1 for p in (docs / GENERATED_DIRNAME).rglob("*.md"))
    return seconds, pages


def _qr_codes_cold(catalog_dir: Path, kept: Kept, parent: Path | None) -> float:
    model = load_model(catalog_dir)
    cache, site = _new_folder("rcmkb-bench-qr-", kept, parent), _new_folder("rcmkb-bench-site-", kept, parent)
    os.environ[qr.CACHE_ENV] = str(cache)
    qr.forget_made_codes()
    started = time.perf_counter()
    write_qr_codes(site, model, "https://rcm-tools.example.org/")
    return time.perf_counter() - started


def measure(catalog_dir: Path, repetitions: int, output_dir: Path | None = None) -> dict[str, object]:
    catalog, findings = validate(catalog_dir)  # warm-up: imports, compiled schemas and templates
    if findings.errors:
        raise SystemExit(f"the synthetic catalog is invalid: {findings.errors[0].format()}")
    entries = len(catalog.entries)
    del catalog, findings  # a build starts with no catalog in memory (and forks a smaller process)
    validate_seconds, generate_seconds, qr_seconds, create_file_us, pages = [], [], [], [], 0
    kept: Kept = []
    try:
        for _ in range(repetitions):
            started = time.perf_counter()
            validate(catalog_dir)
            validate_seconds.append(time.perf_counter() - started)
            create_file_us.append(_file_creation_us(kept, output_dir))
            seconds, pages = _generate_into_empty_folder(catalog_dir, kept, output_dir)
            generate_seconds.append(seconds)
            qr_seconds.append(_qr_codes_cold(catalog_dir, kept, output_dir))
    finally:
        for folder in kept:
            folder.cleanup()
    return {"entries": entries, "pages": pages,
            "validate_seconds": validate_seconds, "generate_seconds": generate_seconds,
            "qr_seconds": qr_seconds, "create_file_us": create_file_us}


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]) if len(sys.argv) > 3 else None)))
