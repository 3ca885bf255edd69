"""Give the memory a start freed back to the operating system.

Loading the NLU model (unpickling, compiling the phrase lists) frees a few
megabytes that glibc keeps in its heap; `malloc_trim(0)` returns them, so the
resident size of `helpline serve` is what it holds, not what it once needed
(3-4 MB measured, bench/serve_footprint.py). Elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import ctypes
import gc


def release_freed_memory() -> None:
    gc.collect()
    try:
        trim = ctypes.CDLL(None).malloc_trim  # the C library the process already runs on
    except (OSError, AttributeError):  # not glibc (musl, macOS, Windows)
        return
    trim(0)
