"""Many lines at once: ``phonemize_many`` streams phonemes in input order, over worker processes.

    from misaki_lite import phonemize_many
    with open("corpus.txt", encoding="utf-8") as fh:
        for phonemes in phonemize_many(fh, workers=4):
            print(phonemes)

How it works. Lines are read lazily and cut into chunks of ``chunksize``; at most
``2 * workers`` chunks are in flight at any time, and results are yielded in input order as
soon as the oldest chunk is done, so memory stays bounded however long the input is. Each
worker process builds its own ``G2P`` once (see ``G2PConfig``); only the options travel to
it, and the lexicon files are read in place, shared by every process through the page cache.
With ``workers=1`` everything runs in the calling process (no pool, same results).

Each item of ``lines`` is one utterance: a trailing newline is removed (as when iterating a
file), everything else is passed to ``G2P`` unchanged. An empty line gives an empty string.
"""
from __future__ import annotations

import itertools
import os
from collections import deque
from functools import lru_cache
from typing import Callable, Iterable, Iterator, Optional, Union

from ..config import G2PConfig, check_mode, deprecated_normalization
from ..errors import InputError, OptionError
from ..token import MToken

__all__ = ["G2PConfig", "phonemize_many", "phonemize_chunk"]

Result = Union[str, tuple[str, list[MToken]]]


@lru_cache(maxsize=4)
def _g2p_for(config: G2PConfig):
    """One ``G2P`` per configuration and process, built on first use."""
    return config.build()


def phonemize_chunk(lines: list[str], config: G2PConfig, tokens: bool = False) -> list[Result]:
    """Phonemize a list of lines with this process's ``G2P`` for ``config``.

    This is the unit of work that ``phonemize_many`` sends to worker processes and that the
    Dask integration maps over partitions. The chunk is tagged in one pass (``G2P.many``).
    """
    g2p = _g2p_for(config)
    for line in lines:
        if not isinstance(line, str):
            raise InputError(f"phonemize_many expects lines of text (str), got {type(line).__name__}")
    results = g2p.many([line[:-1] if line.endswith("\n") else line for line in lines])
    return [(phonemes, toks) if tokens else phonemes for phonemes, toks in results]


def _chunks(lines: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(lines)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _check(workers: Optional[int], chunksize: int) -> int:
    if workers is None or workers == 0:
        workers = os.cpu_count() or 1
    if not isinstance(workers, int) or workers < 1:
        raise OptionError(f"workers must be a positive integer (or 0/None for one per CPU), got {workers!r}")
    if not isinstance(chunksize, int) or chunksize < 1:
        raise OptionError(f"chunksize must be a positive integer, got {chunksize!r}")
    return workers


def phonemize_many(lines: Iterable[str], workers: Optional[int] = 1, british: bool = False,
                   fallback: bool = True, chunksize: int = 64, *, version: Optional[str] = None,
                   normalization: Optional[str] = None, mode: str = "extended", tokens: bool = False,
                   progress: Optional[Callable[[int], None]] = None) -> Iterator[Result]:
    """Yield the phonemes of each line, in input order, using ``workers`` processes.

    ``workers``: 1 runs in this process; 0 or ``None`` uses one process per CPU.
    ``chunksize``: lines sent to a worker at a time (larger: less overhead, coarser progress).
    ``tokens=True`` yields ``(phonemes, tokens)`` pairs instead of phoneme strings.
    ``progress`` is called with the number of lines done so far after each chunk.
    The other options are ``G2P``'s. An error in a worker is raised here, in order.
    """
    workers = _check(workers, chunksize)
    if isinstance(lines, (str, bytes)):     # iterating would give its characters
        raise InputError("phonemize_many takes an iterable of lines (a list, a file), not one "
                         "string: use phonemize(text), or [text], or text.splitlines()")
    # a bad option fails here, not inside a worker
    config = G2PConfig(british, fallback, version, deprecated_normalization(normalization),
                       check_mode(mode))
    chunks = _chunks(lines, chunksize)
    if workers == 1:
        return _serial(chunks, config, tokens, progress)
    return _parallel(chunks, config, tokens, progress, workers)


def _serial(chunks, config, tokens, progress) -> Iterator[Result]:
    done = 0
    for chunk in chunks:
        yield from phonemize_chunk(chunk, config, tokens)
        done += len(chunk)
        if progress is not None:
            progress(done)


def _parallel(chunks, config, tokens, progress, workers: int) -> Iterator[Result]:
    """At most ``2 * workers`` chunks in flight; results leave in submission order."""
    import multiprocessing   # only here: keeps the one-process path's start-up light

    pool = multiprocessing.get_context().Pool(workers, initializer=_ignore_interrupts)
    pending: deque = deque()
    done = 0
    try:
        for chunk in chunks:
            pending.append((len(chunk), pool.apply_async(phonemize_chunk, (chunk, config, tokens))))
            while len(pending) >= 2 * workers:
                done = yield from _take(pending, done, progress)
        while pending:
            done = yield from _take(pending, done, progress)
    except KeyboardInterrupt:
        # Ctrl-C: the workers ignore it (a worker killed by it would lose its chunk and
        # leave the pool waiting for it for ever); nothing more is wanted from them
        pool.terminate()
        pool.join()
        raise
    finally:
        # close and join, not terminate, also when the caller stops early or a chunk failed:
        # at most 2 * workers chunks are still running and they finish soon, while
        # Pool.terminate() can hang joining its task handler (seen once in the test suite,
        # test_stopping_early_shuts_the_pool_down, with a busy machine)
        pool.close()
        pool.join()


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C (SIGINT, sent to the whole process group) to the parent."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _take(pending: deque, done: int, progress) -> Iterator[Result]:
    size, result = pending.popleft()
    yield from result.get()
    done += size
    if progress is not None:
        progress(done)
    return done
