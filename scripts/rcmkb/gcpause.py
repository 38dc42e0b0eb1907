"""Pause Python's cycle collector while the catalog is loaded, checked and rendered.

Those steps build hundreds of thousands of small objects (YAML nodes, positions, page strings)
that form no reference cycles, and refcounting frees them anyway. The collector still walks them
each time enough have been made, again and again as the heap grows: a quarter of validation's
time at N = 5,000. Paused, it resumes as it was afterwards; nothing is collected later than the
end of the step.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
