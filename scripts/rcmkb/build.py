"""Build the whole site into site/, atomically.

Steps: validate and generate the catalog pages, run MkDocs into a temporary folder beside
site/, add what MkDocs does not make (search index, data exports), fix every timestamp, and
only then swap the new folder in. A failure at any step leaves the previous site/ untouched.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from rcmkb.export import write_exports
from rcmkb.generate import GenerationError, generate_site_pages, load_model
from rcmkb.shortlinks import write_short_links


class BuildError(Exception):
    pass


# Steps that add files to the built site: (name, function(site_dir, root)). Each later feature
# (search index, exports, short links) registers itself here rather than inside MkDocs.
PostBuildStep = Callable[[Path, Path], None]
POST_BUILD_STEPS: list[tuple[str, PostBuildStep]] = [
    ("short links", write_short_links),  # /t/<id>/ and redirects from former ids
    ("open data", write_exports),  # data/catalog.json, .csv, schemas, Atom feeds
]


def catalog_epoch(catalog_dir: Path) -> int:
    """A fixed build timestamp derived from the catalog (its newest added/reviewed date).

    Passed to MkDocs as SOURCE_DATE_EPOCH, so the same catalog always builds the same bytes,
    whatever day the build runs.
    """
    # The model `rcmkb build` has just generated the pages from (validating again was slow at scale).
    dates = [entry.get(key) for entry in load_model(catalog_dir).entries for key in ("added", "reviewed")]
    newest = max((d for d in dates if isinstance(d, str)), default="2017-03-17")
    moment = dt.datetime.fromisoformat(newest).replace(tzinfo=dt.UTC)
    return int(moment.timestamp())


def run_mkdocs(root: Path, out_dir: Path, env_extra: dict[str, str], config: str = "mkdocs.yml") -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", **env_extra}
    # Not --quiet: it raises MkDocs' log level above WARNING, so --strict never sees a warning and a
    # broken link would pass. The output is captured anyway and shown only when the build fails.
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
               "--config-file", str(root / config), "--site-dir", str(out_dir)]
    completed = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    if completed.returncode != 0:
        output = (completed.stderr or completed.stdout).splitlines()
        problems = [line for line in output if not line.startswith("INFO")] or output
        raise BuildError("MkDocs failed:\n" + "\n".join(problems).strip())


# Inside page content, what a search should not match: the heading permalinks (a "¶" that would end
# up in every result title) and the raw addresses of links, printed only on paper.
PAGEFIND_EXCLUDE = (".headerlink", ".rcm-url")


def run_pagefind(site: Path, root: Path) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"]
    for selector in PAGEFIND_EXCLUDE:
        command += ["--exclude-selectors", selector]
    completed = subprocess.run(command, cwd=root, capture_output=True, text=True)
    if completed.returncode != 0:
        raise BuildError("Pagefind failed:\n" + (completed.stderr or completed.stdout).strip())
    _sort_pagefind_languages(site / "pagefind" / "pagefind-entry.json")


def _sort_pagefind_languages(entry_file: Path) -> None:
    """Pagefind lists the languages of its entry file in a random order; fix it, for identical builds."""
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    entry["languages"] = dict(sorted(entry["languages"].items()))
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _set_timestamps(folder: Path, epoch: int) -> None:
    for path in folder.rglob("*"):
        os.utime(path, (epoch, epoch), follow_symlinks=False)
    os.utime(folder, (epoch, epoch))


def build_site(root: Path, site_dir: Path, *, search: bool = True, config: str = "mkdocs.yml",
               steps: list[tuple[str, PostBuildStep]] | None = None) -> Path:
    """Build into site_dir atomically; `steps` replaces POST_BUILD_STEPS (the offline bundle has its own)."""
    root = root.resolve()
    site_dir = site_dir if site_dir.is_absolute() else root / site_dir
    try:
        generate_site_pages(root / "catalog", root / "docs")
    except GenerationError as error:
        for finding in error.findings.sorted():
            print(finding.format(), file=sys.stderr)
        raise BuildError(str(error)) from None

    epoch = catalog_epoch(root / "catalog")
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=site_dir.parent))
    try:
        # The pages were just generated: the MkDocs hook need not do it again for each language.
        run_mkdocs(root, staging, {"SOURCE_DATE_EPOCH": str(epoch), "RCMKB_PAGES_READY": "1"}, config)
        for name, step in POST_BUILD_STEPS if steps is None else steps:
            try:
                step(staging, root)
            except Exception as error:  # report which step failed; the old site stays
                raise BuildError(f"{name} failed: {error}") from error
        if search:
            run_pagefind(staging, root)
        _set_timestamps(staging, epoch)
        _swap_in(staging, site_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return site_dir


def _swap_in(staging: Path, site_dir: Path) -> None:
    """Replace site_dir by staging with two renames, so there is never a half-built site."""
    old = None
    if site_dir.exists():
        old = site_dir.with_name(f".site-old-{os.getpid()}")
        os.replace(site_dir, old)
    os.replace(staging, site_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
