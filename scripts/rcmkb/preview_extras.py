"""The files a real build adds after MkDocs (short links, QR codes, open data, the Pagefind index),
made for the preview in a child process.

MkDocs serves and builds the preview in one interpreter. These steps take longer than a page
rebuild, and while they ran in a thread of that interpreter, an edit saved meanwhile waited for
them (the interpreter lock; a step could only be stopped between two steps). In a child at a lower
priority they leave the build its core, and a build that starts kills the child at once. The
child validates the catalog itself (the same files, the same day), writes into folders the
preview gave it, and the preview moves the result into the served folder only once it is whole.

Run as `python -m rcmkb.preview_extras ROOT SITE_DIR BASE_URL STAGING INDEX` by `add_site_extras`.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Set
from pathlib import Path

POLL_SECONDS = 0.1  # how often the preview looks whether a build started meanwhile


class ExtrasCancelled(Exception):
    """A build started while the extras were being made: the served folder was left as it was."""


def add_site_extras(site_dir: Path, base_url: str, root: Path, written_before: Set[str] = frozenset(),
                    cancelled: Callable[[], bool] = lambda: False, leftovers: list[Path] | None = None) -> set[str]:
    """Short links, QR codes, open data and the search index, as `rcmkb build` makes them, into
    the served folder. Returns the files the steps wrote, so that the next call removes those it
    no longer makes.

    A child process writes the steps' files into an empty folder (they refuse to overwrite
    anything) and the index into another; then each file is moved into place and the index is
    swapped in whole. When `cancelled()` turns true, the child and its Pagefind are killed before
    anything in the served folder was touched, and ExtrasCancelled is raised.

    The folders of a cancelled run are not deleted then, but added to `leftovers`, which the next
    call deletes first: deleting thousands of files would slow down the build that cancelled it."""
    leftovers = leftovers if leftovers is not None else []
    while leftovers:
        shutil.rmtree(leftovers.pop(), ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=".rcmkb-preview-", dir=site_dir.parent))
    index = Path(tempfile.mkdtemp(prefix=".rcmkb-pagefind-", dir=site_dir.parent))
    folders = [staging, index]
    try:
        _run_child(root, [str(root), str(site_dir), base_url, str(staging), str(index / "pagefind")], cancelled)
        written = {path.relative_to(staging).as_posix() for path in staging.rglob("*") if path.is_file()}
        for name in sorted(set(written_before) - written):
            (site_dir / name).unlink(missing_ok=True)
        for name in sorted(written):
            (site_dir / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, site_dir / name)
        live, old = site_dir / "pagefind", index / "old"
        if live.exists():
            os.replace(live, old)
        os.replace(index / "pagefind", live)
    except ExtrasCancelled:
        leftovers += folders
        folders = []
        raise
    finally:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
    return written


def _run_child(root: Path, arguments: list[str], cancelled: Callable[[], bool]) -> None:
    # The child imports this repository's rcmkb (the preview may run in a copy of it) and writes no
    # bytecode: a __pycache__ under scripts/ would look like a code edit and start another build.
    python_path = os.pathsep.join(filter(None, [str(root / "scripts"), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": python_path, "PYTHONDONTWRITEBYTECODE": "1"}
    with tempfile.TemporaryFile("w+") as output:
        # Its own process group, so that killing it also stops its Pagefind. Its standard input
        # is a pipe that only this process writes to: when the preview ends, however abruptly,
        # the child reads the end of it and stops (see _stop_with_parent).
        process = subprocess.Popen([sys.executable, "-m", __name__, *arguments], cwd=root, env=env,
                                   stdin=subprocess.PIPE, stdout=output, stderr=subprocess.STDOUT, text=True,
                                   start_new_session=True, preexec_fn=_lower_priority)
        try:
            while True:
                try:
                    returncode = process.wait(timeout=POLL_SECONDS)
                    break
                except subprocess.TimeoutExpired:
                    if cancelled():
                        os.killpg(process.pid, signal.SIGKILL)
                        process.wait()
                        raise ExtrasCancelled from None
        finally:
            assert process.stdin is not None
            process.stdin.close()
        if returncode != 0:
            output.seek(0)
            lines = output.read().strip().splitlines()
            raise RuntimeError(lines[-1] if lines else f"the child process ended with status {returncode}")


def _stop_with_parent(folders: list[str]) -> None:
    """In the child: when the preview is gone (its end of the pipe closed), delete the folders it
    gave and stop this process group (Pagefind included), so that nothing is left running."""

    def watch() -> None:
        sys.stdin.read()
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
        os.killpg(os.getpgid(0), signal.SIGKILL)

    threading.Thread(target=watch, daemon=True).start()


def _lower_priority() -> None:
    os.nice(10)


def main(arguments: list[str]) -> None:
    from rcmkb.build import POST_BUILD_STEPS, run_pagefind
    from rcmkb.generate import load_model

    root, site_dir, base_url, staging, index = arguments
    _stop_with_parent([staging, str(Path(index).parent)])
    model = load_model(Path(root) / "catalog")
    for _, step in POST_BUILD_STEPS:
        step(Path(staging), model, base_url)
    # The index of the served pages: the short link pages have no searchable content, so it
    # does not matter that they are not in place yet.
    run_pagefind(Path(site_dir), Path(root), output=Path(index))


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except Exception as error:  # the last line is what the preview's terminal shows
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
