"""Give freed heap memory back to the operating system (glibc keeps it otherwise).

The generator frees many month-sized numpy chunks while it assembles tables, and training frees
each snapshot once the snapshots are stacked; glibc keeps such memory in its heap, so the
process would hold both the parts and the assembled whole.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools


@functools.cache
def _malloc_trim():
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        return ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None


def release_free_memory() -> None:
    """Ask glibc to return free heap pages to the OS (no-op elsewhere)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
