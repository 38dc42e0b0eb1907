"""Run a child process and measure it: wall time and peak memory of its whole process tree."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

QUIET_MKDOCS = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
# Builds are measured as published: with a public site_url (a reserved example domain, RFC 2606),
# as the Pages workflow sets it. A build for 127.0.0.1 is a preview and its pages carry a
# "preview copy" mark that no officer ever downloads. `mkdocs serve` passes its own local address.
PUBLISHED_SITE_URL = "https://rcm-tools.example.org/"


@dataclass
class Measured:
    seconds: float
    peak_mb: float  # ru_maxrss of the child, which Linux raises to the largest of its waited-for descendants
    returncode: int
    output: str


def bench_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, **QUIET_MKDOCS, "SITE_URL": PUBLISHED_SITE_URL}
    env.pop("RCMKB_PAGES_READY", None)  # only a step that generated the pages itself may set it
    return {**env, **extra}


def run_measured(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Measured:
    """Run `command` to the end. Peak memory comes from wait4(): the child's own rusage, not the
    cumulative RUSAGE_CHILDREN of this process, so each step gets its own figure."""
    with tempfile.TemporaryFile(mode="w+") as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env or bench_env(), stdout=log, stderr=subprocess.STDOUT,
                                   text=True)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read()
    return Measured(seconds, usage.ru_maxrss / 1024, process.returncode, output)


def python(*args: str) -> list[str]:
    return [sys.executable, *args]


def folder_size(folder: Path) -> tuple[int, int]:
    """Total bytes and number of files under `folder`."""
    total = files = 0
    for directory, _, names in os.walk(folder):
        for name in names:
            total += os.lstat(os.path.join(directory, name)).st_size
            files += 1
    return total, files
