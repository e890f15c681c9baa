"""Reading the tagger's weight file (an uncompressed ``.npz``) without numpy's zip machinery.

``stored_arrays(path)`` reads each stored ``.npy`` member straight into its array: no zipfile
import, one read a member, the memory np.load would use and no more. ``tagger.model.load``
falls back on ``np.load`` for anything else. numpy is imported on first use.
"""
from __future__ import annotations

import struct

__all__ = ["stored_arrays"]

_EOCD = struct.Struct("<4sHHHHIIH")            # end of central directory record
_CENTRAL = struct.Struct("<4s6H3I5H2I")        # central directory file header
_LOCAL = struct.Struct("<4s5H3I2H")            # local file header
_NPY_MAGIC = b"\x93NUMPY"


def stored_arrays(path) -> dict | None:
    """The arrays of an uncompressed .npz, by name.

    Only the plain layout ``tools/oracle/convert_spacy_tagger.py`` writes is taken (stored members,
    no zip64, no encryption, simple dtypes); for anything else this returns None, and numpy's
    reader reads the file or says what is wrong with it. The zip CRCs are not checked here
    (TAGGER.md gives the file's sha256). Nothing is unpickled: headers are literals.
    """
    with open(path, "rb") as fh:
        try:
            return _read(fh)
        except (struct.error, ValueError, UnicodeDecodeError, SyntaxError, TypeError, MemoryError):
            return None


def _read(fh) -> dict | None:
    import numpy as np

    size = fh.seek(0, 2)
    fh.seek(max(0, size - _EOCD.size - 0xFFFF))
    tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0:
        return None
    _, _, _, _, count, cd_size, cd_offset, _ = _EOCD.unpack_from(tail, at)
    fh.seek(cd_offset)
    directory, offset = fh.read(cd_size), 0
    arrays = {}
    for _ in range(count):
        (sig, _, _, flags, method, _, _, _, csize, length, nlen, xlen, clen,
         _, _, _, local) = _CENTRAL.unpack_from(directory, offset)
        name = directory[offset + _CENTRAL.size:offset + _CENTRAL.size + nlen].decode("utf-8")
        offset += _CENTRAL.size + nlen + xlen + clen
        if sig != b"PK\x01\x02" or method != 0 or flags & 1 or csize != length \
                or length == 0xFFFFFFFF or local == 0xFFFFFFFF or not name.endswith(".npy"):
            return None
        fh.seek(local)
        lsig, *_, lnlen, lxlen = _LOCAL.unpack(fh.read(_LOCAL.size))
        if lsig != b"PK\x03\x04":
            return None
        fh.seek(local + _LOCAL.size + lnlen + lxlen)
        array = _npy(fh, length, np)
        if array is None:
            return None
        arrays[name[:-4]] = array
    return arrays


def _npy(fh, length: int, np):
    """The .npy member of ``length`` bytes at the file's position, read into a new array."""
    import ast

    lead = fh.read(12)
    if lead[:6] != _NPY_MAGIC:
        return None
    if lead[6] == 1:
        (hlen,), used = struct.unpack_from("<H", lead, 8), 10
    elif lead[6] in (2, 3):
        (hlen,), used = struct.unpack_from("<I", lead, 8), 12
    else:
        return None
    header_bytes = lead[used:] + fh.read(hlen - (12 - used))
    header = ast.literal_eval(header_bytes.decode("latin1"))
    if not isinstance(header, dict) or not isinstance(header.get("descr"), str):
        return None
    dtype, shape = np.dtype(header["descr"]), tuple(header["shape"])
    count = 1
    for n in shape:
        count *= n
    if dtype.hasobject or used + hlen + count * dtype.itemsize > length:
        return None
    array = np.empty(count, dtype=dtype)
    if fh.readinto(array.view(np.uint8)) != array.nbytes:
        return None
    return array.reshape(shape, order="F" if header.get("fortran_order") else "C")
