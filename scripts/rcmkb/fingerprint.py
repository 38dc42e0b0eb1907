"""A cheap fingerprint of everything the generated pages depend on.

mkdocs-static-i18n runs every hook once per language, and `mkdocs serve` rebuilds on every
save. The MkDocs hook compares this fingerprint with the one taken after its last generation
and skips validating and rendering the whole catalog again when nothing changed. It only
looks at file names, sizes and modification times: no file is read.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from rcmkb import clock
from rcmkb.paths import PACKAGE_DIR

_CODE_SUFFIXES = (".py", ".j2", ".yml", ".yaml", ".json")


def _walk(folder: Path, suffixes: tuple[str, ...] | None = None) -> list[str]:
    lines = []
    for directory, subdirs, files in os.walk(folder):
        subdirs[:] = sorted(d for d in subdirs if d != "__pycache__")
        for name in sorted(files):
            if suffixes and not name.endswith(suffixes):
                continue
            path = os.path.join(directory, name)
            info = os.lstat(path)
            if stat.S_ISREG(info.st_mode):
                lines.append(f"{path}\0{info.st_size}\0{info.st_mtime_ns}")
    return lines


def inputs_fingerprint(catalog_dir: Path, docs_dir: Path) -> str:
    """Changes when a catalog file, the generator's code or templates, or any page under docs/
    (hand-written, or a generated one edited or deleted by hand) changes, and each new day
    (review-overdue warnings depend on the date)."""
    lines = [clock.today().isoformat(), str(catalog_dir.resolve()), str(docs_dir.resolve())]
    lines += _walk(catalog_dir)
    lines += _walk(PACKAGE_DIR, _CODE_SUFFIXES)
    lines += _walk(docs_dir)
    return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogateescape")).hexdigest()
