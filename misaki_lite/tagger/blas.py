"""One BLAS thread for the tagger's products, whatever numpy's OpenBLAS would use otherwise.

The tagger multiplies small matrices (a line is about 30 rows of 288 numbers). OpenBLAS
threads any product above about 260,000 multiply-adds, which buys nothing at this size and
costs a great deal when the cores are busy (the TTS model running beside the tagger, other
processes): measured with the other core of a 2-core machine loaded, a 30 x 288 x 288
product took 0.09-0.11 ms on one thread and 0.3-13 ms on two, and ``misaki-lite -f`` over
the 7,361 corpus lines 15-17 s against 121-130 s.

OpenBLAS's thread count belongs to the whole process, so :func:`one_thread` sets it to 1 for
the time of a tagging pass and then puts back what it was: the host program's own numpy
keeps its threads. It does nothing when the user set ``OPENBLAS_NUM_THREADS`` (their choice
stands) or when numpy's BLAS is not an OpenBLAS shipped inside the numpy package (MKL,
Accelerate, a system library): there is then no known handle to turn.
"""
from __future__ import annotations

import ctypes
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Optional

__all__ = ["one_thread"]

# (get, set) function names, newest numpy first: numpy 2 ships scipy-openblas, numpy 1.2x
# OpenBLAS with a 64-bit-integer suffix.
_NAMES = (("scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
          ("openblas_get_num_threads64_", "openblas_set_num_threads64_"),
          ("openblas_get_num_threads", "openblas_set_num_threads"))

_UNKNOWN = object()
_handle: object = _UNKNOWN      # (get, set) once looked for; None: nothing to turn


def _find() -> Optional[tuple[Callable[[], int], Callable[[int], None]]]:
    """numpy's bundled OpenBLAS thread-count functions, or None."""
    if os.environ.get("OPENBLAS_NUM_THREADS"):
        return None
    import numpy

    package = Path(numpy.__file__).parent
    # where numpy's wheels keep their libraries: numpy.libs (Linux, Windows), .dylibs (macOS)
    for folder in (package.parent / "numpy.libs", package / ".dylibs"):
        for path in sorted(folder.glob("*openblas*")) if folder.is_dir() else ():
            try:
                lib = ctypes.CDLL(str(path))    # already loaded by numpy: the same library
            except OSError:
                continue
            for get_name, set_name in _NAMES:
                if hasattr(lib, get_name) and hasattr(lib, set_name):
                    get, put = getattr(lib, get_name), getattr(lib, set_name)
                    get.restype, get.argtypes = ctypes.c_int, []
                    put.restype, put.argtypes = None, [ctypes.c_int]
                    return get, put
    return None


@contextmanager
def one_thread() -> Iterator[None]:
    """numpy's OpenBLAS on one thread inside the block (see the module's note)."""
    global _handle
    if _handle is _UNKNOWN:
        _handle = _find()
    if _handle is None:
        yield
        return
    get, put = _handle                  # type: ignore[misc]
    before = get()
    if before == 1:
        yield
        return
    put(1)
    try:
        yield
    finally:
        put(before)
