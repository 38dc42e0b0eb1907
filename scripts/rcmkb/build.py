"""Build the whole site into site/, atomically.

Steps: validate the catalog once into a model, generate the catalog pages from it, run MkDocs
into a temporary folder beside site/, add what MkDocs does not make (short links, data exports,
search index) from the same model, fix every timestamp and permission, and only then swap the
new folder in. MkDocs is one process on one core: the short links and exports are written on
the other meanwhile, and permissions and times are fixed while Pagefind indexes. A failure or
an interruption (Ctrl-C, SIGTERM) at any step leaves the previous site/ untouched and no
temporary folder behind.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from rcmkb.assets import minify_assets
from rcmkb.export import write_exports
from rcmkb.generate import GenerationError, load_model, write_pages
from rcmkb.model import SiteModel
from rcmkb.render import edition_date
from rcmkb.shortlinks import write_qr_codes, write_short_links
from rcmkb.urls import PREVIEW_WARNING, is_local_address, site_url


class BuildError(Exception):
    pass


# Steps that add files to the built site: step(site_dir, model, site_url). Each feature (short
# links, exports, the offline search index) registers itself here rather than inside MkDocs.
PostBuildStep = Callable[[Path, SiteModel, str], object]
POST_BUILD_STEPS: list[tuple[str, PostBuildStep]] = [
    ("short links", write_short_links),  # /t/<id>/ and redirects from former ids
    ("QR codes", write_qr_codes),  # t/<id>/<lang>/qr.svg, beside the short link each one encodes
    ("open data", write_exports),  # data/catalog.json, .csv, schemas, Atom feeds
]
# Steps that change what MkDocs wrote, so they run after it.
AFTER_MKDOCS_STEPS: list[tuple[str, PostBuildStep]] = [
    ("stylesheets and scripts", minify_assets),  # ours without their comments (rcmkb/assets.py)
]

DIR_MODE = 0o755  # what a web server running as another user needs, whatever the umask
FILE_MODE = 0o644


def catalog_epoch(model: SiteModel) -> int:
    """A fixed build timestamp derived from the catalog (its newest added/reviewed date).

    Passed to MkDocs as SOURCE_DATE_EPOCH, so the same catalog always builds the same bytes,
    whatever day the build runs.
    """
    moment = dt.datetime.fromisoformat(edition_date(model)).replace(tzinfo=dt.UTC)
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
PAGEFIND_DIR = "pagefind"  # where Pagefind writes its index, inside the site


def run_pagefind(site: Path, root: Path, output: Path | None = None) -> None:
    """The search index of site, in site/pagefind/ or in `output`."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"]
    if output is not None:
        command += ["--output-path", str(output)]
    for selector in PAGEFIND_EXCLUDE:
        command += ["--exclude-selectors", selector]
    completed = subprocess.run(command, cwd=root, capture_output=True, text=True)
    if completed.returncode != 0:
        raise BuildError("Pagefind failed:\n" + (completed.stderr or completed.stdout).strip())
    _sort_pagefind_languages((output or site / PAGEFIND_DIR) / "pagefind-entry.json")


def _sort_pagefind_languages(entry_file: Path) -> None:
    """Pagefind lists the languages of its entry file in a random order; fix it, for identical builds."""
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    entry["languages"] = dict(sorted(entry["languages"].items()))
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def set_permissions(folder: Path) -> None:
    """0755 folders and 0644 files (mkdtemp makes 0700, a umask may take more away).

    Also refuses a symlink in the built site: MkDocs copies docs/ following links, so one that
    points outside the repository would publish an outside file; a link left here is a mistake."""
    finish_files(folder, None)


def finish_files(folder: Path, epoch: int | None, leave_out: str | None = None) -> None:
    """set_permissions, and with `epoch` every file's and folder's time set to it (reproducible
    builds): one walk of the site, reading each folder once (a site has about ten files per entry).
    `leave_out` names a folder directly in `folder` that is not walked (another step still writes it)."""
    times = (epoch, epoch) if epoch is not None else None
    folders = [str(folder)]
    while folders:
        directory = folders.pop()
        os.chmod(directory, DIR_MODE)
        with os.scandir(directory) as entries:
            for entry in entries:
                if leave_out is not None and entry.name == leave_out and directory == str(folder):
                    continue
                if entry.is_symlink():
                    raise BuildError(f"the built site holds a symlink, {Path(entry.path).relative_to(folder)}; "
                                     "nothing is published through links")
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                else:
                    os.chmod(entry.path, FILE_MODE)
                    if times is not None:
                        os.utime(entry.path, times, follow_symlinks=False)
        if times is not None:  # changing what is inside a subfolder leaves this folder's time alone
            os.utime(directory, times, follow_symlinks=False)


def check_docs_stay_inside(root: Path, docs_dir: Path) -> None:
    """Refuse a symlink under docs/ that leads outside the repository (MkDocs would copy its target)."""
    root = root.resolve()
    problems = []
    for directory, subdirs, files in os.walk(docs_dir, followlinks=False):
        for name in subdirs + files:
            path = Path(directory) / name
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(root):
                    problems.append(f"{path.relative_to(root)} -> {os.readlink(path)}")
    if problems:
        raise BuildError("docs/ holds symlinks that lead outside the repository; the site would publish files "
                         "from elsewhere on this computer. Replace them by the files themselves:\n  "
                         + "\n  ".join(problems))


class Interrupted(BaseException):
    """SIGTERM (or SIGHUP), turned into an exception so that the build cleans up as for Ctrl-C."""


@contextmanager
def _interruptible() -> Iterator[None]:
    """During the build, SIGTERM and SIGHUP unwind like KeyboardInterrupt, so `finally` blocks run."""
    def stop(signum: int, frame: FrameType | None) -> None:
        raise Interrupted(f"stopped by signal {signum}")

    previous = {}
    try:
        for signum in (signal.SIGTERM, signal.SIGHUP):
            previous[signum] = signal.signal(signum, stop)
    except ValueError:  # not the main thread: signals cannot be handled here
        previous = {}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def build_site(root: Path, site_dir: Path, *, search: bool = True, config: str = "mkdocs.yml",
               steps: list[tuple[str, PostBuildStep]] | None = None, base_url: str | None = None) -> Path:
    """Build into site_dir atomically; `steps` replaces POST_BUILD_STEPS (the offline bundle has its own)."""
    root = root.resolve()
    site_dir = site_dir if site_dir.is_absolute() else root / site_dir
    base = base_url or site_url(root)
    if is_local_address(base):
        # Loud on purpose: a trainer who prints a handout from this build hands out dead QR codes.
        print(f"\n*** {PREVIEW_WARNING} ({base}) ***\n", file=sys.stderr)
    try:
        with _interruptible():
            return _build(root, site_dir, search=search, config=config, steps=steps, base=base)
    except Interrupted as stop:
        raise BuildError(f"the build was {stop}; nothing was changed") from None


def _build(root: Path, site_dir: Path, *, search: bool, config: str, steps: list[tuple[str, PostBuildStep]] | None,
           base: str) -> Path:
    """The build itself; build_site wraps it so that an interruption unwinds through its cleanup."""
    try:
        model = load_model(root / "catalog")
        result = write_pages(model, root / "docs", base_url=base)
    except GenerationError as error:
        for finding in error.findings.sorted():
            print(finding.format(), file=sys.stderr)
        raise BuildError(str(error)) from None
    for finding in result.problems.sorted():
        print(finding.format(), file=sys.stderr)
    check_docs_stay_inside(root, root / "docs")

    epoch = catalog_epoch(model)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=site_dir.parent))
    # The site's own steps need only the model, not MkDocs' output: they run in a thread into a
    # folder of their own while MkDocs (a child process, on the other core) builds, and their files
    # are moved in afterwards. Steps given by a caller (the offline bundle) may read MkDocs' pages,
    # so they run after it, as before.
    concurrent = POST_BUILD_STEPS if steps is None else []
    extras = Path(tempfile.mkdtemp(prefix=".site-extras-", dir=site_dir.parent))
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:  # leaving it waits for the steps, even on Ctrl-C
            done = pool.submit(_run_steps, concurrent, extras, model, base)
            # The pages were just generated: the MkDocs hook need not do it again for each language.
            # SITE_URL: MkDocs (sitemap, canonical links, language switcher) gets the address the pages got.
            run_mkdocs(root, staging, {"SOURCE_DATE_EPOCH": str(epoch), "RCMKB_PAGES_READY": "1",
                                       "SITE_URL": base}, config)
            done.result()
        _move_into(extras, staging)
        _run_steps(AFTER_MKDOCS_STEPS if steps is None else steps, staging, model, base)
        if search:
            # MkDocs' pages get their permissions and times in a thread while Pagefind reads them;
            # it writes only into its own folder, finished after it.
            with ThreadPoolExecutor(max_workers=1) as pool:
                finished = pool.submit(finish_files, staging, epoch, PAGEFIND_DIR)
                run_pagefind(staging, root)
                finished.result()
            finish_files(staging / PAGEFIND_DIR, epoch)
            os.utime(staging, (epoch, epoch))  # Pagefind added its folder to it meanwhile
        else:
            finish_files(staging, epoch)
        swap_in(staging, site_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone already when the swap succeeded
        shutil.rmtree(extras, ignore_errors=True)
    return site_dir


def _run_steps(steps: list[tuple[str, PostBuildStep]], folder: Path, model: SiteModel, base: str) -> None:
    for name, step in steps:
        try:
            step(folder, model, base)
        except Exception as error:  # report which step failed; the old site stays
            raise BuildError(f"{name} failed: {error}") from error


def _move_into(source: Path, target: Path) -> None:
    """Move everything under source into target, whole folders at once where target has none;
    a file that MkDocs made too is refused, as the steps refuse to overwrite one themselves."""
    for child in sorted(source.iterdir()):
        destination = target / child.name
        if child.is_dir() and not child.is_symlink() and destination.is_dir() and not destination.is_symlink():
            _move_into(child, destination)
        elif os.path.lexists(destination):
            raise BuildError(f"{destination.relative_to(target)} is made both by MkDocs and by a build step")
        else:
            os.replace(child, destination)


def swap_in(staging: Path, site_dir: Path) -> None:
    """Replace site_dir by staging, so there is never a half-built site nor none at all.

    The old site is renamed aside, the new one renamed in, and only then is the old one deleted.
    If the second rename fails (or the build is interrupted between the two), the old site is
    renamed back before the error goes on.
    """
    if not site_dir.exists():
        os.replace(staging, site_dir)
        return
    old = site_dir.with_name(f".site-old-{os.getpid()}")
    try:
        os.replace(site_dir, old)
        os.replace(staging, site_dir)
    except BaseException:
        if not site_dir.exists() and old.exists():
            os.replace(old, site_dir)  # put the previous site back
        raise
    shutil.rmtree(old, ignore_errors=True)
