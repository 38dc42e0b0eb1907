"""Pause Python's cycle collector while the catalog is loaded, checked and rendered.

Those steps build millions of small objects (YAML nodes, positions, page strings) that form no
reference cycles; refcounting frees them anyway. The collector still walks the young ones each
time 700 more have been made, and the whole heap again each time it has grown by a quarter.
Paused, it would walk them all once, at its first run after the step: about 6% of the
generator's time at N = 1,000, and a second (1.0 s of 10.6) at N = 5,000, where the catalog,
model and pages outlive the step (Jinja's macro modules and contexts refer to each other, so only
the collector frees them). So on leaving the pause, what was made meanwhile is moved to the oldest
generation without being walked (gc.freeze then gc.unfreeze: two list splices), where it is
examined at the next full collection, like any long-lived object. Nothing is lost: cycles made
meanwhile are collected then.

A process that lives on (`mkdocs serve`, which sets LONG_LIVED in its environment) lets the
collector walk them instead: set aside after every edit, they would wait for full collections,
which come the rarer the more is set aside. The preview meets its time budget that way too.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager

LONG_LIVED = "RCMKB_LONG_LIVED"  # an environment variable: set (to anything) in a process that lives on


@contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if LONG_LIVED not in os.environ:
                gc.freeze()  # every tracked object, young ones included, set aside...
                gc.unfreeze()  # ...and back, into the oldest generation
            gc.enable()
