"""A second process for the generator: a child forked from this one, sharing what it has built.

The machines that build the site have two cores; rendering and writing the pages of one
language is independent of the other. A forked child inherits the model and the compiled
templates as they are (nothing to send), runs the tasks it is given by name, one after the
other in the same process (so a later task finds what an earlier one kept), and sends back
only their results.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

# The tasks a child may run, set only while forked_worker() is open (the child gets them by forking).
_TASKS: dict[str, Callable[..., Any]] = {}


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# Below this many entries (or catalog files), a step is quick anyway and forking costs more than it saves.
PARALLEL_MIN = 300


def worth_forking(count: int) -> bool:
    """Whether a step over `count` entries or files should give half of them to a forked child."""
    return count >= PARALLEL_MIN and can_fork()


def can_fork() -> bool:
    """Two cores for this process, and no other thread whose locks a forked child could inherit held
    (`mkdocs serve` runs its watcher and server in threads)."""
    return usable_cores() >= 2 and threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def _run(name: str, *args: Any) -> Any:
    return _TASKS[name](*args)


Submit = Callable[..., "Future[Any]"]


@contextmanager
def forked_worker(tasks: dict[str, Callable[..., Any]]) -> Iterator[Submit]:
    """`submit(name, *args)` runs tasks[name](*args) in one forked child and returns its future.
    Leaving the block waits for the child to finish."""
    global _TASKS
    _TASKS = tasks
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
            yield lambda name, *args: pool.submit(_run, name, *args)
    finally:
        _TASKS = {}
