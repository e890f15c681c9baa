"""The gold and silver tiers: loading, validation, and misaki's case-variant lookup.

A ``Tier`` is one dictionary (gold or silver) of one dialect. misaki grows each dictionary
at load time with case variants ("Paris" finds "paris" and the other way round); a Tier
answers the same questions without storing the variants:

* an exact key wins;
* otherwise a capitalised word ("Record") finds its lower-case entry, and a lower-case word
  finds its capitalised entry, for words of two letters or more.

Values are either a phoneme string or, for heteronyms, a mapping from tag to phonemes
(``None`` where misaki has no reading).
"""
from __future__ import annotations

from functools import cache
from typing import Optional, Union

from .errors import LexiconError
from .inventory import Dialect, phoneme_symbols
from .resources import data_dir

__all__ = ["Tier", "Entry", "load_tier"]

Entry = Union[str, dict[str, Optional[str]]]
_NULL = "~"


class Tier:
    """One lexicon tier: ``word -> Entry`` with misaki's case variants."""

    def __init__(self, entries: dict[str, Entry]) -> None:
        self._entries = entries

    def _key(self, word: str) -> Optional[str]:
        if word in self._entries:
            return word
        if len(word) < 2:
            return None
        lower = word.lower()
        if word == lower:
            variant = word.capitalize()
            return variant if variant != word and variant in self._entries else None
        if word == lower.capitalize() and lower in self._entries:
            return lower
        return None

    def __contains__(self, word: str) -> bool:
        return self._key(word) is not None

    def get(self, word: str) -> Optional[Entry]:
        key = self._key(word)
        return None if key is None else self._entries[key]

    def __len__(self) -> int:
        return len(self._entries)


def _parse_tagged(where: str, cells: list[str]) -> dict[str, Optional[str]]:
    value: dict[str, Optional[str]] = {}
    for cell in cells:
        tag, sep, ps = cell.partition("=")
        if not sep or not tag:
            raise LexiconError(f"{where}: expected TAG=phonemes, got {cell!r}")
        value[tag] = None if ps == _NULL else ps
    if "DEFAULT" not in value:
        raise LexiconError(f"{where}: a tagged entry needs a DEFAULT reading")
    return value


def _readings(value: Entry) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [ps for ps in value.values() if ps is not None]


def _check_symbols(name: str, lines: list[tuple[int, str, Entry]], allowed: frozenset[str]) -> None:
    """Check every reading against the inventory: one set operation, then a search on failure."""
    if not set("".join(ps for _, _, v in lines for ps in _readings(v))) - allowed:
        return
    for lineno, word, value in lines:
        for ps in _readings(value):
            bad = next((c for c in ps if c not in allowed), None)
            if bad is not None:
                raise LexiconError(f"lexicons/{name} line {lineno}, word {word!r}: symbol {bad!r} "
                                   f"(U+{ord(bad):04X}) is not in the {name[:2].upper()} phoneme inventory")


def _parse(name: str, text: str) -> list[tuple[int, str, Entry]]:
    parsed = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        word, sep, rest = line.partition("\t")
        if not word or not sep:
            raise LexiconError(f"lexicons/{name} line {lineno}: expected 'word<TAB>phonemes', got {line[:60]!r}")
        if "=" in rest:
            value: Entry = _parse_tagged(f"lexicons/{name} line {lineno}, word {word!r}", rest.split("\t"))
        elif "\t" in rest:
            raise LexiconError(f"lexicons/{name} line {lineno}, word {word!r}: too many columns")
        else:
            value = rest
        parsed.append((lineno, word, value))
    return parsed


@cache
def load_tier(dialect: Dialect, tier: str) -> Tier:
    """Load ``lexicons/<dialect>_<tier>.tsv`` (tier: 'gold' or 'silver'), checking every entry."""
    name = f"{dialect.value}_{tier}.tsv"
    allowed = phoneme_symbols(dialect)
    text = (data_dir("lexicons") / name).read_text(encoding="utf-8")
    parsed = _parse(name, text)
    _check_symbols(name, parsed, allowed)
    return Tier({word: value for _, word, value in parsed})
