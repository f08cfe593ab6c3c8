"""Pause Python's cycle collector while the stages run."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector: the stages make millions of objects and few cycles, and
    each collection would walk the whole parsed document again (a third of the CPU time).
    The CLI keeps it paused through writing too (the surface and manifest make many more)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
