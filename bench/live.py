"""Time from saving an edited entry under `mkdocs serve` until the rebuilt page is served.

Starts `mkdocs serve --livereload` (as `make serve` does) on a free port of 127.0.0.1 in the
benchmark's copy of the repository, changes an entry's titles as a maintainer would in an
editor, and polls the entry's Spanish and English pages until both show the new title.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import yaml

from bench.procs import bench_env, python
from bench.support import SERVE_BUILD_STARTED, free_port, serve_log_unfinished, wait_until
from bench.synthetic import HEADER, dump_yaml

POLL_SECONDS = 0.1


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


class _ServeLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    def text(self) -> str:
        return self.path.read_text(encoding="utf-8", errors="replace")

    def builds(self) -> int:
        """Builds started so far (each one logs this line once, whichever language it builds last)."""
        return self.text().count(SERVE_BUILD_STARTED)

    def wait_idle(self, timeout: float, quiet: float = 3.0, extras: bool = False) -> None:
        """Until the last build has finished and nothing new was logged for `quiet` seconds; with
        `extras`, also until the short links, open data and search index after it are written.

        Between edits the benchmark does not wait for those: they take longer than a build, and a
        maintainer's next save does not wait for them either, so an edit may meet them running."""
        done = ("",) if extras else ("", "extras")  # what may still be under way when the wait ends
        deadline = time.monotonic() + timeout
        last, since = "", time.monotonic()
        while time.monotonic() < deadline:
            text = self.text()
            if text != last:
                last, since = text, time.monotonic()
            elif time.monotonic() - since >= quiet and serve_log_unfinished(text) in done:
                return
            time.sleep(POLL_SECONDS)
        raise TimeoutError(f"mkdocs serve kept working for {timeout:.0f} s ({serve_log_unfinished(self.text())} "
                           "unfinished)")


def _edit_titles(entry_file: Path, token: str) -> None:
    data = yaml.safe_load(entry_file.read_text(encoding="utf-8"))
    data["title"] = {"es": f"Titulo editado {token}", "en": f"Edited title {token}"}
    entry_file.write_text(HEADER + dump_yaml(data), encoding="utf-8")


def serve_rebuild(repo: Path, entry_ids: list[str], edits: int, start_timeout: float = 1800,
                  extra_args: tuple[str, ...] = (), keep_log: Path | None = None) -> dict[str, Any]:
    """Seconds from each save until both language pages show the edit; `keep_log`: copy the
    server's log there (to read where the time went)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    command = python("-m", "mkdocs", "serve", "--livereload", "--dev-addr", f"127.0.0.1:{port}", *extra_args)
    with tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False) as handle:
        log = _ServeLog(Path(handle.name))
    with open(log.path, "w", encoding="utf-8") as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=repo, env=bench_env(SITE_URL=base), stdout=output,
                                   stderr=subprocess.STDOUT)
    seconds: list[float] = []
    rebuilds: list[int] = []
    try:
        probe = f"{base}catalogo/{entry_ids[0]}/"
        wait_until(lambda: "Serving on" in log.text() and _fetch(probe), start_timeout, "mkdocs serve: the first build",
                   POLL_SECONDS)
        startup = time.perf_counter() - started
        log.wait_idle(start_timeout)
        # Edit entries spread over the catalog, one at a time, each after serve has gone quiet.
        for index in range(edits):
            entry_id = entry_ids[(index * 7919 + len(entry_ids) // 2) % len(entry_ids)]
            token = f"Rcmbench{index}x{port}"
            before = log.builds()
            _edit_titles(repo / "catalog" / "entries" / f"{entry_id}.yml", token)
            saved = time.perf_counter()
            pages = [f"{base}catalogo/{entry_id}/", f"{base}en/catalogo/{entry_id}/"]
            def shows_the_edit(pages: list[str] = pages, token: str = token) -> bool:
                return all(token in _fetch(page) for page in pages)

            wait_until(shows_the_edit, 900, "mkdocs serve: the rebuild", POLL_SECONDS)
            seconds.append(time.perf_counter() - saved)
            log.wait_idle(900)
            rebuilds.append(log.builds() - before)
    except TimeoutError as error:
        raise TimeoutError(f"{error}. Last lines of its log:\n{log.text()[-1500:]}") from None
    finally:
        process.terminate()
        peak_mb: float | None = None
        try:
            _, _, usage = os.wait4(process.pid, 0)
            peak_mb = usage.ru_maxrss / 1024
        except ChildProcessError:
            pass
        if keep_log is not None:
            shutil.copyfile(log.path, keep_log)
        log.path.unlink(missing_ok=True)
    return {"startup_seconds": round(startup, 2), "rebuild_seconds": [round(s, 2) for s in seconds],
            "rebuild_seconds_median": round(statistics.median(seconds), 2) if seconds else None,
            "builds_per_edit": rebuilds, "builds_per_edit_max": max(rebuilds, default=None),
            "peak_mb": round(peak_mb, 1) if peak_mb else None}
