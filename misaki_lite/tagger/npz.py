"""Reading the tagger's weight file (an uncompressed ``.npz``) without copying it.

``mapped_arrays(path)`` memory-maps the file and returns each stored ``.npy`` member as a
read-only array over the mapping: no zipfile import, no copy, and only the rows the tagger
touches are ever read from disk. ``tagger.model.load`` falls back on ``np.load`` for anything
else. numpy is imported on first use.
"""
from __future__ import annotations

import os
import struct

__all__ = ["mapped_arrays"]

_EOCD = struct.Struct("<4sHHHHIIH")            # end of central directory record
_CENTRAL = struct.Struct("<4s6H3I5H2I")        # central directory file header
_LOCAL = struct.Struct("<4s5H3I2H")            # local file header
_NPY_MAGIC = b"\x93NUMPY"


def mapped_arrays(path) -> dict | None:
    """The arrays of an uncompressed .npz, by name, as read-only views of the mapped file.

    Only the plain layout ``tools/convert_spacy_tagger.py`` writes is taken (stored members,
    no zip64, no encryption, simple dtypes); for anything else this returns None, and numpy's
    reader reads the file or says what is wrong with it. The zip CRCs are not checked here
    (TAGGER.md gives the file's sha256). Nothing is unpickled: headers are literals.
    """
    import ast
    import mmap

    import numpy as np

    with open(path, "rb") as fh:
        if os.fstat(fh.fileno()).st_size < _EOCD.size:
            return None
        buf = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    try:
        at = buf.rfind(b"PK\x05\x06", max(0, len(buf) - _EOCD.size - 0xFFFF))
        if at < 0:
            return None
        _, _, _, _, count, _, offset, _ = _EOCD.unpack_from(buf, at)
        arrays = {}
        for _ in range(count):
            (sig, _, _, flags, method, _, _, _, csize, size, nlen, xlen, clen,
             _, _, _, local) = _CENTRAL.unpack_from(buf, offset)
            name = buf[offset + _CENTRAL.size:offset + _CENTRAL.size + nlen].decode("utf-8")
            offset += _CENTRAL.size + nlen + xlen + clen
            if sig != b"PK\x01\x02" or method != 0 or flags & 1 or csize != size \
                    or size == 0xFFFFFFFF or local == 0xFFFFFFFF or not name.endswith(".npy"):
                return None
            lsig, *_, lnlen, lxlen = _LOCAL.unpack_from(buf, local)
            if lsig != b"PK\x03\x04":
                return None
            start = local + _LOCAL.size + lnlen + lxlen
            array = _npy_view(buf, start, start + size, np, ast)
            if array is None:
                return None
            arrays[name[:-4]] = array
        return arrays
    except (struct.error, ValueError, UnicodeDecodeError, SyntaxError, TypeError):
        return None


def _npy_view(buf, start: int, end: int, np, ast):
    """One .npy member at ``buf[start:end]`` as a read-only array over ``buf``, or None."""
    if buf[start:start + 6] != _NPY_MAGIC:
        return None
    major = buf[start + 6]
    if major == 1:
        (hlen,), hstart = struct.unpack_from("<H", buf, start + 8), start + 10
    elif major in (2, 3):
        (hlen,), hstart = struct.unpack_from("<I", buf, start + 8), start + 12
    else:
        return None
    header = ast.literal_eval(buf[hstart:hstart + hlen].decode("latin1"))
    if not isinstance(header, dict) or not isinstance(header.get("descr"), str):
        return None
    dtype, shape = np.dtype(header["descr"]), tuple(header["shape"])
    count = 1
    for n in shape:
        count *= n
    data = hstart + hlen
    if dtype.hasobject or data + count * dtype.itemsize > end:
        return None
    array = np.frombuffer(buf, dtype=dtype, count=count, offset=data)
    return array.reshape(shape, order="F" if header.get("fortran_order") else "C")
