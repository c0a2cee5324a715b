"""Building many small objects at once without paying the cyclic collector for each.

Reading a catalog of 100,000 articles builds about a million small containers (entries,
their lists and dicts). Each of the collector's full passes walks every object built so far,
so building them took a third longer (measured: 2.2 s against 1.5 s for the entries, 0.87 s
against 0.25 s for their JSON dicts). These objects hold no cycles: the collector is paused
while they are built and runs as usual afterwards.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def building_many() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (nested blocks are fine: it resumes
    only if it was running when the outermost one began)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
