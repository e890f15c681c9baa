"""The hashes and the word shape the tagger's features are made of, as spaCy and thinc compute them.

* ``murmurhash64a``: spaCy's string ids (MurmurHash64A of the UTF-8 bytes, seed 1);
* ``thinc_hash``: thinc's HashEmbed rows (MurmurHash3 x86 128-bit of a 64-bit key, per seed);
* ``word_shape``: spaCy's SHAPE attribute.

numpy is imported on first use.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = ["murmurhash64a", "thinc_hash", "word_shape"]

_M64 = (1 << 64) - 1


def murmurhash64a(data: bytes, seed: int) -> int:
    """MurmurHash64A (Austin Appleby's 64-bit hash for 64-bit platforms) of ``data``."""
    m, r = 0xC6A4A7935BD1E995, 47
    n = len(data)
    h = (seed ^ (n * m)) & _M64
    full = n - n % 8
    for k in _mixed_blocks(data[:full], m, r):
        h = ((h ^ k) * m) & _M64
    if n % 8:
        h = ((h ^ int.from_bytes(data[full:], "little")) * m) & _M64
    h = ((h ^ (h >> r)) * m) & _M64
    return h ^ (h >> r)


def _mixed_blocks(data: bytes, m: int, r: int) -> list[int]:
    """MurmurHash64A's mix of each 8-byte block (independent of the others: numpy does a long
    text's blocks at once)."""
    if len(data) < 256:
        out = []
        for i in range(0, len(data), 8):
            k = (int.from_bytes(data[i:i + 8], "little") * m) & _M64
            out.append(((k ^ (k >> r)) * m) & _M64)
        return out
    import numpy as np

    k = np.frombuffer(data, dtype="<u8").astype(np.uint64)
    with np.errstate(over="ignore"):
        k *= np.uint64(m)
        k ^= k >> np.uint64(r)
        k *= np.uint64(m)
    return k.tolist()


def word_shape(text: str) -> str:
    """spaCy's SHAPE: letters as X/x, digits as d, other characters as themselves, a run of
    one kind cut after four; ``LONG`` from 100 characters on."""
    if len(text) >= 100:
        return "LONG"
    if text.isascii() and text.isalpha():       # most words: one run, or a capital and one
        if text.islower():
            return "xxxx"[:len(text)]
        if text[1:].islower() and text[0].isupper():
            return "X" + "xxxx"[:len(text) - 1]
    out = []
    last, run = "", 0
    for c in text:
        kind = ("X" if c.isupper() else "x") if c.isalpha() else ("d" if c.isdigit() else c)
        run = run + 1 if kind == last else 0
        last = kind
        if run < 4:
            out.append(kind)
    return "".join(out)


def thinc_hash(ids: "np.ndarray", seeds: "np.ndarray") -> "np.ndarray":
    """thinc's MurmurHash3 (x86, 128-bit) of 64-bit keys ``ids`` (n, columns), each column
    with its seed: four uint32 per key, (n, columns, 4)."""
    import numpy as np

    u = np.uint64
    h = np.empty((2, *ids.shape), dtype=np.uint64)     # h1 and h2 side by side
    h1, h2 = h[0], h[1]
    with np.errstate(over="ignore"):
        k = ids * u(0x87C37B91114253D5)
        np.bitwise_or(k << u(31), k >> u(33), out=h1)
        h1 *= u(0x4CF5AD432745937F)
        h2[...] = seeds.astype(np.uint64) ^ u(8)
        h1 ^= h2
        h1 += h2
        h2 += h1
        _fmix64(h)                                      # both at once
        h1 += h2
        h2 += h1
    # each key's four uint32: the low and high halves of h1, then of h2 (little-endian
    # halves on any machine)
    halves = h.astype("<u8", copy=False).view("<u4").reshape(2, *ids.shape, 2)
    return np.ascontiguousarray(halves.transpose(1, 2, 0, 3)).reshape(*ids.shape, 4)


def _fmix64(h: "np.ndarray") -> "np.ndarray":
    import numpy as np

    u = np.uint64
    h ^= h >> u(33)
    h *= u(0xFF51AFD7ED558CCD)
    h ^= h >> u(33)
    h *= u(0xC4CEB9FE1A85EC53)
    h ^= h >> u(33)
    return h
