"""The lexicon files: sorted ``word<TAB>phonemes`` TSV files, searched in place.

The TSV files under ``lexicons/`` are kept sorted by code point (a test checks it),
so a tier never needs to be loaded into a dict: ``SortedTsv`` finds a word by binary search over
its lines (UTF-8 byte order is code-point order), first in a sparse index sampled every 2 kB
(read once, on the first lookup), then inside the one 2 kB block it reads from the file.
Opening a tier reads its header only; the file stays on disk (the system's page cache, shared
by every process, not this one's memory). ``lexicon.Tier`` keeps the answers (found or not) in
a bounded cache, so frequent words cost one dict lookup. Each entry is parsed and checked
against the dialect's phoneme inventory when it is first read; ``Tier.validate()`` checks a
whole file (format, order, symbols) and the test suite runs it on every shipped file.

Line format: ``word<TAB>phonemes``, or ``word<TAB>TAG=phonemes<TAB>...`` for a heteronym
(``DEFAULT=`` required, ``~`` where misaki has no reading); leading ``#`` lines are a header.
"""
from __future__ import annotations

import bisect
import os
import re
import threading
import weakref
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Optional, Union

from ..errors import LexiconError
from ..inventory import Dialect, phoneme_symbols

__all__ = ["Entry", "SortedTsv", "parse_line", "check_readings", "MAX_KEY_CHARS", "MISS"]

Entry = Union[str, dict[str, Optional[str]]]
_NULL = "~"
MISS = object()
NEWLINE = b"\n"
SAMPLE_STEP = 2048    # bytes between the entries of a file's sparse index
# No word of the lexicons is longer (the longest has 45 characters) and none holds a digit
# (numbers.py reads those); tests/test_lexicon.py checks both. Such a word is a miss without
# a search: a megabyte of digits asks for thousands of them.
MAX_KEY_CHARS = 64
_DIGIT = re.compile(r"[0-9]")


# -- one line of a TSV file -----------------------------------------------------------------

def _parse_tagged(where: object, word: str, cells: list[str]) -> dict[str, Optional[str]]:
    value: dict[str, Optional[str]] = {}
    for cell in cells:
        tag, sep, ps = cell.partition("=")
        if not sep or not tag:
            raise LexiconError(f"{where}, word {word!r}: expected TAG=phonemes, got {cell!r}")
        value[tag] = None if ps == _NULL else ps
    if "DEFAULT" not in value:
        raise LexiconError(f"{where}, word {word!r}: a tagged entry needs a DEFAULT reading")
    return value


def _readings(value: Entry) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [ps for ps in value.values() if ps is not None]


def parse_line(where: object, line: str, allowed: frozenset[str], inventory: str) -> tuple[str, Entry]:
    """``word<TAB>phonemes`` or ``word<TAB>TAG=phonemes...`` -> (word, Entry), checked.

    ``where`` names the file and line for error messages (``lexicons/us_gold.tsv line 12``),
    ``inventory`` the phoneme inventory ``allowed`` is (``US``).
    """
    word, sep, rest = line.partition("\t")
    if not word or not sep:
        raise LexiconError(f"{where}: expected 'word<TAB>phonemes', got {line[:60]!r}")
    if "=" in rest:
        # ``where`` is formatted only for an error message (it counts the lines before it)
        value: Entry = _parse_tagged(where, word, rest.split("\t"))
    elif "\t" in rest:
        raise LexiconError(f"{where}, word {word!r}: too many columns")
    else:
        value = rest
    check_readings(where, value, allowed, inventory, word)
    return word, value


def check_readings(where: Any, value: Entry, allowed: frozenset[str], inventory: str,
                   word: Optional[str] = None) -> None:
    """Raise ``LexiconError`` naming ``where`` (and ``word``) and the first symbol of ``value``
    not allowed. ``where`` is formatted only then: a ``_Where`` counts the lines before it."""
    for ps in _readings(value):
        if not allowed.issuperset(ps):
            bad = next(c for c in ps if c not in allowed)
            place = f"{where}, word {word!r}" if word is not None else f"{where}"
            raise LexiconError(f"{place}: symbol {bad!r} (U+{ord(bad):04X}) is not in "
                               f"the {inventory} phoneme inventory")


class _Where:
    """``lexicons/us_gold.tsv line 12`` for an error message, counted only if one is written."""

    def __init__(self, tsv: "SortedTsv", offset: int) -> None:
        self.tsv, self.offset = tsv, offset

    def __str__(self) -> str:
        return f"{self.tsv.name} line {self.tsv._read(0, self.offset).count(NEWLINE) + 1}"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


# -- a sorted TSV file, searched in place ------------------------------------------------

class SortedTsv(Mapping):
    """A read-only mapping over a sorted ``word<TAB>...`` file, searched by bisection.

    Leading ``#`` lines are a header. A lookup reads one block of about ``SAMPLE_STEP`` bytes
    (``Tier``, which wraps it, remembers the answers).
    """

    def __init__(self, path: Path, dialect: Dialect) -> None:
        self.path = Path(path)
        self.name = f"lexicons/{self.path.name}"
        self.dialect = dialect
        self._allowed = phoneme_symbols(dialect)
        self._fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        weakref.finalize(self, os.close, self._fd)
        self._lock = threading.Lock()     # for seek-and-read where there is no pread
        self._end = os.fstat(self._fd).st_size
        self._start = self._header_end()
        self._len: Optional[int] = None
        self._index: Optional[tuple[list[bytes], list[int]]] = None

    def __reduce__(self):
        return (SortedTsv, (self.path, self.dialect))

    def _read(self, offset: int, size: int) -> bytes:
        """``size`` bytes of the file from ``offset`` (fewer at its end)."""
        if hasattr(os, "pread"):      # one call, no shared file position (threads, forks)
            return os.pread(self._fd, size, offset)
        with self._lock:
            os.lseek(self._fd, offset, os.SEEK_SET)
            return os.read(self._fd, size)

    def _header_end(self) -> int:
        pos = 0
        while self._read(pos, 1) == b"#":
            nl = -1
            while nl < 0 and pos < self._end:
                chunk = self._read(pos, SAMPLE_STEP)
                nl = chunk.find(NEWLINE)
                pos += len(chunk) if nl < 0 else nl + 1
        return pos

    def _sample(self) -> tuple[list[bytes], list[int]]:
        """Every ``SAMPLE_STEP`` bytes, the word and offset of the next line: a sparse index
        built on the first lookup (the file is read once for it, and let go)."""
        data = self._read(0, self._end)
        keys, starts = [], []
        for offset in range(self._start, self._end, SAMPLE_STEP):
            start = offset if offset == self._start else data.find(NEWLINE, offset, self._end) + 1
            if start <= 0 or (starts and start <= starts[-1]):
                continue
            nl = data.find(NEWLINE, start, self._end)
            end = self._end if nl < 0 else nl
            tab = data.find(b"\t", start, end)
            keys.append(data[start:end if tab < 0 else tab])
            starts.append(start)
        return keys, starts

    def _find(self, key: bytes) -> Optional[tuple[int, bytes]]:
        """The byte offset and the bytes of the line whose word is ``key``, or None."""
        if self._index is None:
            self._index = self._sample()
        keys, starts = self._index
        i = bisect.bisect_right(keys, key)          # keys[i - 1] <= key < keys[i]
        if i == 0 or b"\n" in key or b"\t" in key:   # no word holds either
            return None
        # the line is in the block from that sampled line to the next one: its first line,
        # or the line that starts with the word, followed by a tab or the end of the line
        lo, hi = starts[i - 1], starts[i] if i < len(starts) else self._end
        block, pos = self._read(lo, hi - lo), 0
        if keys[i - 1] != key:
            needle = NEWLINE + key
            while True:
                pos = block.find(needle, pos) + 1
                if pos == 0:
                    return None
                after = pos + len(key)
                if after == len(block) or block[after:after + 1] in (b"\t", b"\n"):
                    break
        nl = block.find(NEWLINE, pos)
        return lo + pos, block[pos:] if nl < 0 else block[pos:nl]

    def _parse(self, where: object, line: str) -> tuple[str, Entry]:
        return parse_line(where, line, self._allowed, self.dialect.name)

    def _lookup(self, word: str) -> object:
        if len(word) > MAX_KEY_CHARS or _DIGIT.search(word):
            return MISS
        found = self._find(word.encode("utf-8", "surrogatepass"))
        if found is None:
            return MISS
        start, raw = found
        where = _Where(self, start)
        try:
            line = raw.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError as exc:
            raise LexiconError(f"{where}: not valid UTF-8 ({exc.reason})") from None
        return self._parse(where, line)[1]

    def __getitem__(self, word: str) -> Entry:
        value = self._lookup(word)
        if value is MISS:
            raise KeyError(word)
        return value  # type: ignore[return-value]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._lookup(word) is not MISS

    def get(self, word: str, default: Optional[Entry] = None) -> Optional[Entry]:  # type: ignore[override]
        value = self._lookup(word)
        return default if value is MISS else value  # type: ignore[return-value]

    def _lines(self) -> Iterator[tuple[int, str]]:
        text = self._read(self._start, self._end - self._start).decode("utf-8")
        first = self._read(0, self._start).count(NEWLINE) + 1
        for lineno, line in enumerate(text.split("\n"), first):
            if line and not line.startswith("#"):
                yield lineno, line

    def __iter__(self) -> Iterator[str]:
        return (line.partition("\t")[0] for _, line in self._lines())

    def __len__(self) -> int:
        if self._len is None:
            self._len = sum(1 for _ in self._lines())
        return self._len

    def items(self):  # type: ignore[override]
        return (self._parse(f"{self.name} line {n}", line) for n, line in self._lines())

    def validate(self) -> None:
        """Parse and check every line, and that the words are strictly increasing."""
        previous = b""
        for lineno, line in self._lines():
            word, _ = self._parse(f"{self.name} line {lineno}", line)
            key = word.encode("utf-8")
            if key <= previous:
                raise LexiconError(f"{self.name} line {lineno}, word {word!r}: out of order or repeated "
                                   f"(the file must be sorted by code point for lookups to find words)")
            previous = key
