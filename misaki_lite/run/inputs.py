"""Text as the commands receive it: arguments, files and stdin, decoded with clear errors.

Shared by ``misaki-lite`` (phonemes, line by line) and ``misaki-lite speak`` (a whole text).
"""
from __future__ import annotations

import codecs
import os
import sys
from typing import Optional

from ..errors import MisakiLiteError

__all__ = ["InputEncodingError", "argument_text", "wide_bom", "decode_text", "stdin_hint"]

# Byte order marks of encodings that do not write a line feed as one byte (UTF-32 first:
# its little-endian mark starts with UTF-16's).
_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
              (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


class InputEncodingError(MisakiLiteError, ValueError):
    """Input text that is not in the expected encoding: says where and how to fix it."""


def wide_bom(raw: bytes) -> Optional[str]:
    """"UTF-16" or "UTF-32" when ``raw`` starts with that encoding's byte order mark."""
    return next((name for bom, name in _WIDE_BOMS if raw.startswith(bom)), None)


def _fix(encoding: str, convert: str) -> str:
    """How to read text that ``encoding`` cannot decode; ``convert``: the other way out."""
    if codecs.lookup(encoding).name == "utf-8":
        return f"name its encoding with --encoding (cp1252, for one), or {convert}"
    return f"it is not {encoding} either: name its real encoding with --encoding"


def argument_text(words: list[str], encoding: str = "utf-8") -> str:
    """Command-line arguments joined by spaces. Bytes the locale cannot decode reach Python as
    lone surrogates (surrogateescape); such an argument is decoded from its bytes with
    ``encoding``, and if that fails too, :class:`InputEncodingError` names it (instead of the
    bytes being replaced, then silently dropped)."""
    texts = []
    for number, word in enumerate(words, 1):
        if not any("\udc80" <= c <= "\udcff" for c in word):
            texts.append(word)
            continue
        raw = word.encode(sys.getfilesystemencoding(), "surrogateescape")
        try:
            texts.append(raw.decode(encoding))
        except UnicodeDecodeError as exc:
            shown = raw.decode(encoding, "backslashreplace")
            raise InputEncodingError(
                f"argument {number} ('{shown}') is not valid {_name(encoding)} (byte "
                f"0x{raw[exc.start]:02x} at offset {exc.start}); "
                f"{_fix(encoding, 'type it in UTF-8')}") from None
    return " ".join(texts)


def _name(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    return "UTF-8" if name == "utf-8" else encoding


def decode_text(raw: bytes, where: str, encoding: str = "utf-8") -> str:
    """A whole text (a file or stdin, ``where`` names it) decoded with ``encoding``; a UTF-8
    byte order mark is skipped, a UTF-16 or UTF-32 one is named in the error unless
    ``encoding`` is that encoding."""
    utf8 = codecs.lookup(encoding).name == "utf-8"
    if utf8 and raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    wide = wide_bom(raw)
    if wide and not codecs.lookup(encoding).name.startswith(wide.lower()):
        raise InputEncodingError(f"{where} is {wide} (it starts with a {wide} byte order mark); "
                                 f"add --encoding {wide.lower()}, or convert it to UTF-8")
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputEncodingError(
            f"{where} is not valid {_name(encoding)}: byte 0x{raw[exc.start]:02x} at offset "
            f"{exc.start} (line {line}); {_fix(encoding, 'convert it to UTF-8')}") from None


def stdin_hint(command: str) -> None:
    """On a terminal, say that the text is awaited (a silent wait looks like a hang)."""
    stdin, stderr = sys.stdin, sys.stderr
    if stdin is not None and stderr is not None and stdin.isatty():
        end = "Ctrl-Z then Enter" if os.name == "nt" else "Ctrl-D"
        print(f"{command}: reading text from standard input, one utterance a line; end with "
              f"{end} (or give TEXT or -f FILE; see --help)", file=stderr, flush=True)
