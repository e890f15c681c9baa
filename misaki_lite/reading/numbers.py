"""Numbers, years, ordinals and amounts of money, as misaki 0.9.4 reads them.

This is the only module that calls num2words: its wording is pinned by tests, so an upgrade
that changes it fails in one obvious place. Currencies are data (``rules/currency.yaml``).

``read_number(lex, word, currency, is_head, num_flags)`` returns a ``Reading`` (phonemes, rating:
the lowest of the words it is made of, source ``number``); ``lex`` is the word lookup
(``context.Words``, a ``lookup.Lookup``), used to read each number word.
"""
from __future__ import annotations

import importlib
import importlib.util
import math
import re
import sys
import threading
import types
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import chain
from typing import Optional

from .. import rules
from ..token import Source
from .context import Reading, Words

__all__ = ["Currency", "currencies", "is_number", "is_plain_number", "is_digit", "read_number",
           "cardinal", "ordinal", "year", "decimal"]

ORDINAL_SUFFIXES = frozenset(["st", "nd", "rd", "th"])
# Endings a number may carry and still be read as one ("1990s", "5's", "2nd", "10ed").
NUMBER_SUFFIXES = ("ing", "'d", "ed", "'s", "st", "nd", "rd", "th", "s")
_DIGITS = re.compile(r"^[0-9]+$")
ASCII_DIGITS = frozenset("0123456789")   # one character: is_digit(c) is c in ASCII_DIGITS
# The lookbehind makes .search linear: a start inside a run fails at once (issue 7).
_SUFFIX = re.compile(r"(?<![a-z'])[a-z']+$")
_NON_LETTERS = re.compile(r"[^a-z]+")
_A_DIGIT = re.compile(r"[0-9]")
PHRASES = 8192         # numbers' words remembered per lexicon (see _Reader.extend)
NUMBER_CHARS = frozenset("0123456789,.")     # all a plain number holds
_NUMBER_CHARS = str.maketrans(dict.fromkeys(NUMBER_CHARS))     # deleted by translate
_SCHEMA = rules.Schema.of(required="symbol unit subunit", optional="invariable_plural")


# -- num2words, in one place -------------------------------------------------------------

_PRIVATE_PACKAGE = f"{__package__}._num2words"


@cache
def _english():
    """num2words' English converter (``num2words.CONVERTER_CLASSES["en"]``), without the rest.

    ``import num2words`` builds the number words of all its fifty-odd languages (25 ms and
    3.7 MB); English needs five of its modules (``lang_EN``, ``lang_EU``, ``base``,
    ``currency``, ``compat``), which import one another relatively. They are imported as
    submodules of a private package whose path is num2words' own folder: the same code, the
    same converter, no other language (tests/test_numbers.py compares the words with
    ``num2words.num2words`` on thousands of numbers).
    """
    spec = importlib.util.find_spec("num2words")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("num2words is not installed (pip install num2words)")
    package = types.ModuleType(_PRIVATE_PACKAGE, "num2words' modules, for its English converter")
    package.__path__ = list(spec.submodule_search_locations)
    package = sys.modules.setdefault(_PRIVATE_PACKAGE, package)   # one package for all threads
    return importlib.import_module(".lang_EN", _PRIVATE_PACKAGE).Num2Word_EN()


def num2words(number, to: str = "cardinal") -> str:
    """``num2words.num2words(number, lang="en", to=to)``, imported on first use: a line without
    numbers never pays for it."""
    return getattr(_english(), f"to_{to}")(number)


_COMPOSED = 100       # from a hundred up, cardinal() builds the words from smaller numbers'
_FLOAT_LOCK = threading.Lock()


@lru_cache(maxsize=None)   # at most the hundred numbers below _COMPOSED, asked again and again
def _small_cardinal(n: int) -> str:
    return num2words(n, to="cardinal")


def cardinal(n: int) -> str:
    """num2words' cardinal, exactly (tests/test_numbers.py compares the two on many numbers).

    Below a hundred it is num2words' own answer. Above, num2words walks its scale table for
    every number; the same words are ``cardinal(q) + scale`` (hundred, thousand,
    million...) and, for a remainder r, " and " + cardinal(r) when r < 100, else ", " +
    cardinal(r), as num2words joins them (a megabyte of digit soup has thousands of 17-digit
    numbers: issue 7).
    """
    if not 0 <= n < _english().MAXVAL:
        return num2words(n, to="cardinal")
    if n < _COMPOSED:
        return _small_cardinal(n)
    if n < 1000:
        q, r = divmod(n, 100)
        return f"{_small_cardinal(q)} hundred" + (f" and {_small_cardinal(r)}" if r else "")
    scale = 10 ** (3 * ((len(str(n)) - 1) // 3))    # the largest power of 1,000 up to n
    word = _english().cards.get(scale)
    if word is None:
        return num2words(n, to="cardinal")
    q, r = divmod(n, scale)
    head = f"{cardinal(q)} {word}"
    return head if not r else f"{head}{' and ' if r < 100 else ', '}{cardinal(r)}"


@lru_cache(maxsize=4096)
def ordinal(n: int) -> str:
    return num2words(n, to="ordinal")


def year(n: int) -> str:
    return num2words(n, to="year")


def decimal(x: float) -> str:
    """num2words' reading of a float, exactly: the whole part, "point", then each digit of
    the part num2words' own float splitting gives (its precision comes from ``str(x)``)."""
    if not (x >= 0 and math.isfinite(x)) or x == int(x):   # 5.0 reads as num2words(5) does
        return num2words(x)
    conv = _english()
    with _FLOAT_LOCK:                      # float2tuple keeps the precision on the converter
        whole, part = conv.float2tuple(x)
        places = conv.precision
    digits = ("0" * (places - len(str(part))) + str(part))[:places]
    words = [cardinal(whole)] + ([conv.pointword] if places else []) + [cardinal(int(d)) for d in digits]
    return " ".join(words)


# -- currencies --------------------------------------------------------------------------

@dataclass(frozen=True)
class Currency:
    symbol: str
    unit: str
    subunit: str
    invariable_plural: bool = False


@cache
def currencies() -> dict[str, Currency]:
    return {r["symbol"]: Currency(r["symbol"], r["unit"], r["subunit"], bool(r.get("invariable_plural")))
            for r in rules.load("currency.yaml", _SCHEMA)}


# -- predicates --------------------------------------------------------------------------

def is_digit(text: str) -> bool:
    """ASCII digits only (misaki's ``is_digit``)."""
    return bool(_DIGITS.match(text))


def is_number(word: str, is_head: bool) -> bool:
    """Digits with commas and periods, a leading minus at the head, one optional suffix."""
    if not _A_DIGIT.search(word):
        return False
    for s in NUMBER_SUFFIXES:
        if word.endswith(s):
            word = word[:-len(s)]
            break
    if is_head and word[:1] == "-":
        word = word[1:]
    return is_plain_number(word)


def is_plain_number(word: str) -> bool:
    """Digits, commas and periods only, with at least one digit ("1,000.5", "3..4")."""
    return not word.translate(_NUMBER_CHARS) and _A_DIGIT.search(word) is not None


def _is_amount(word: str) -> bool:
    """True when the digits can be read as money: at most one period and two decimals."""
    if "." not in word:
        return True
    if word.count(".") > 1:
        return False
    cents = word.split(".")[1]
    return len(cents) < 3 or set(cents) == {0}   # misaki compares with the int 0: never true


# -- reading -----------------------------------------------------------------------------

_REDUCED_A = Reading("ə", 4, Source.GOLD)     # "a" for "one" ("a hundred"), as misaki says it


class _Reader:
    """Collects the phonemes of the number words of one number."""

    def __init__(self, lex: Words, num_flags: str) -> None:
        self.lex = lex
        self.flags = num_flags
        self.parts: list[Reading] = []

    def word(self, w: str, stress: Optional[float] = None) -> None:
        known = self.lex.number_words
        part = known.get((w, stress))
        if part is None:
            part = known[w, stress] = self.lex.lookup(w, None, stress, None)
        self.parts.append(part)

    def extend(self, num, first: bool = True, escape: bool = False) -> None:
        """Read ``num`` (digits, or already words when ``escape``) word by word.

        The words of one number (by its text and the flags that matter) are remembered per
        lexicon: a line of digit groups reads the same few again and again.
        """
        said = self.lex.number_phrases
        key = (num, first, escape, self.flags)
        parts = said.get(key)
        if parts is None:
            parts = said.recall(key)
        if parts is None:
            before = len(self.parts)
            self._extend(num, first, escape)
            if "n" in self.flags:       # may have changed the part before: not remembered
                return
            said.keep(key, tuple(self.parts[before:]))
            return
        self.parts += parts

    def _extend(self, num, first: bool, escape: bool) -> None:
        splits = _NON_LETTERS.split(num if escape else cardinal(int(num)))
        for i, w in enumerate(splits):
            if w != "and" or "&" in self.flags:
                if first and i == 0 and len(splits) > 1 and w == "one" and "a" in self.flags:
                    self.parts.append(_REDUCED_A)
                else:
                    self.word(w, -2 if w == "point" else None)
            elif w == "and" and "n" in self.flags and self.parts:
                last = self.parts[-1]
                self.parts[-1] = last._replace(phonemes=last.phonemes + "ən")

    def digits(self, num: str) -> None:
        said = self.lex.digit_words          # each digit is read once per lexicon
        for n in set(num).difference(said):
            before = len(self.parts)
            self.extend(n, first=False)      # flags never change one digit's words
            said[n] = tuple(self.parts[before:])
            del self.parts[before:]
        self.parts.extend(chain.from_iterable(map(said.__getitem__, num)))


def _read_grouped(r: _Reader, word: str) -> None:
    """A number that is not a phrase head, without a period: digit by digit, or in pairs."""
    num = word.replace(",", "")
    if num[0] == "0" or len(num) > 3:
        r.digits(num)
    elif len(num) == 3 and not num.endswith("00"):
        r.extend(num[0])
        if num[1] == "0":
            r.parts.append(r.lex.lookup("O", None, -2, None))
            r.extend(num[2], first=False)
        else:
            r.extend(num[1:], first=False)
    else:
        r.extend(num)


def _read_dotted(r: _Reader, word: str) -> None:
    """Several periods (a version, an address) or a non-head: each group on its own."""
    first = True
    for num in word.replace(",", "").split("."):
        if not num:
            pass
        elif num[0] == "0" or (len(num) != 2 and any(n != "0" for n in num[1:])):
            r.digits(num)
        else:
            r.extend(num, first=first)
        first = False


def _read_money(r: _Reader, word: str, cur: Currency) -> None:
    units = (cur.unit, cur.subunit)
    pairs = [(int(num) if num else 0, unit) for num, unit in zip(word.replace(",", "").split("."), units)]
    if len(pairs) > 1:
        if pairs[1][0] == 0:
            pairs = pairs[:1]
        elif pairs[0][0] == 0:
            pairs = pairs[1:]
    for i, (num, unit) in enumerate(pairs):
        if i > 0:
            r.word("and")
        r.extend(num, first=i == 0)
        if abs(num) != 1 and not (unit == cur.subunit and cur.invariable_plural):
            r.parts.append(r.lex.stem_s(unit + "s", None, None, None))
        else:
            r.word(unit)


def _read_plain(r: _Reader, word: str, suffix: Optional[str]) -> None:
    if is_digit(word):
        words = cardinal(int(word))
    elif "." not in word:
        n = int(word.replace(",", ""))
        words = ordinal(n) if suffix in ORDINAL_SUFFIXES else cardinal(n)
    else:
        word = word.replace(",", "")
        if word[0] == ".":
            words = "point " + " ".join(cardinal(int(n)) for n in word[1:])
        else:
            words = decimal(float(word))
    r.extend(words, escape=True)


def read_number(lex: Words, word: str, currency: Optional[str], is_head: bool,
                num_flags: str) -> Reading:
    """Read a numeric token (see ``is_number``); no phonemes when nothing can be said."""
    m = _SUFFIX.search(word)
    suffix = m.group() if m else None
    word = word[:-len(suffix)] if suffix else word
    r = _Reader(lex, num_flags or "")
    if word.startswith("-"):
        r.word("minus")
        word = word[1:]
    cur = currencies().get(currency) if currency else None
    sign = list(r.parts)
    try:
        _dispatch(r, word, suffix, cur, is_head)
    except (ValueError, OverflowError):
        # Too long for int() or num2words (misaki crashes here): read it digit by digit.
        r.parts = sign
        r.digits([c for c in word if c in ASCII_DIGITS])
    said = [part.phonemes for part in r.parts]
    if not said or None in said:
        return Reading(None, None, Source.NUMBER)
    rating = min(part.rating for part in r.parts)
    return Reading(lex.morphology.add_suffix(" ".join(said), suffix), rating, Source.NUMBER)


def _dispatch(r: _Reader, word: str, suffix: Optional[str], cur: Optional[Currency], is_head: bool) -> None:
    """Pick the reading: ordinal, year, digit groups, dotted groups, money, or plain."""
    if is_digit(word) and suffix in ORDINAL_SUFFIXES:
        r.extend(ordinal(int(word)), escape=True)
    elif not r.parts and len(word) == 4 and cur is None and is_digit(word):
        r.extend(year(int(word)), escape=True)
    elif not is_head and "." not in word:
        _read_grouped(r, word)
    elif word.count(".") > 1 or not is_head:
        _read_dotted(r, word)
    elif cur is not None and _is_amount(word):
        _read_money(r, word, cur)
    else:
        _read_plain(r, word, suffix)
