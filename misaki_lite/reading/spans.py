"""Which spans of a group the lexicon could read at all (the reading stage's shortcut).

``Reader.read_group`` (``reading/reader.py``) looks for the longest span of a group's pieces that the lexicon reads,
right to left, trying every span of up to ``MAX_SPAN_CHARS`` characters, and longer ones only
where ``long_word_starts`` finds a form misaki reads at any length. Merging and looking
up a span costs microseconds, so a chain of short pieces (``"ab-ab-ab…"``, ``"1+1+1…"``)
cost about a millisecond a character (issue 19). ``Spans.first(left, right)`` returns the
first start at or after ``left`` of a span ending at ``right`` that the lexicon could read,
skipping the others without merging them. What it knows of the lexicon (``lookup.py``):

* no key, symbol, number or spelled abbreviation of two characters or more holds a
  character other than a letter, a digit, ``'``, ``.``, ``,`` or ``-`` (after NFKC, as the
  lexicon normalises): a span holding a piece of such characters only ("/", "+", "_", " ")
  is no word. One exception: a one-character symbol ("+") and an apostrophe, which the
  lexicon reads as the symbol with the apostrophe stripped (as misaki: silence), so such a
  symbol may start a span (``"+'"``, ``"+'s"``) but stand nowhere else in it; and a
  line feed that ends a span: misaki's pattern for *vs* (``vs\\.?$``, ``re.match``) also
  matches before a final line feed, so ``vs.`` and a line feed (an e-mail's line break) is
  *versus*;
* a hyphen after the first character is only found in lexicon keys ("a-frame"; numbers
  only take a leading minus, and the -s/-ed/-ing stemmers change letters after the last
  hyphen): the span's text up to its last hyphen, lower-cased, is then the start of such
  a key (``lexicon.compound_prefixes``). Found by walking left from the hyphen while the
  text read is still the ending of such a start. Groups with a non-ASCII character skip
  this rule (NFKC could change their letters);
* no key holds a digit, and a number holds letters only in the suffix after its digits and
  a hyphen only as its first character (``numbers.is_number``): a span with a letter in one
  piece and a digit in a later one ("a" "1" of ``"a1a1…"``, "B" "²"; after NFKC), or with a
  digit and a hyphen after its first piece ("1" "-" "1"), is no word; nor, as no key holds
  a comma, is a span with a comma and no digit, or with a letter before its last comma
  ("B" "," of ``"'B,'B,…"``).

Single pieces are always tried, and the lexicon still decides every span kept: the output
is the same as trying every span, only faster.

What the shipped keys hold is known in advance; a user's entries
(``g2p.lexicon.golds["AT&T"] = ...``) can hold anything, so ``UserKeys`` says what they add
(their other characters, their hyphen cuts, their length, whether one holds a digit or a
comma or is all junk) and each rule above allows it too: misaki reads a user's ``C#`` or ``GPT-4``.
"""
from __future__ import annotations

import unicodedata
from bisect import bisect_left
from functools import lru_cache
from itertools import accumulate
from string import ascii_letters, ascii_uppercase, digits
from typing import Iterable, NamedTuple

from ..inventory import Dialect
from .lexicon import compound_prefixes
from .function_words import symbol_readings
from .numbers import ASCII_DIGITS, NUMBER_CHARS, NUMBER_SUFFIXES

__all__ = ["Spans", "UserKeys", "NO_USER_KEYS"]

_WORD_CHARS = frozenset(ascii_letters + digits + "'.,-")
_ASCII_LETTERS, _ASCII_DIGITS = frozenset(ascii_letters), frozenset(digits)
_APOSTROPHES = ("'", "\u2018", "\u2019")


class UserKeys(NamedTuple):
    """What a user's lexicon entries add to the keys the shortcuts know (see the module's note)."""
    chars: frozenset[str] = frozenset()     # characters other than letters, digits and ' . , -
    cuts: frozenset[str] = frozenset()      # as compound_prefixes: "gpt-" of "GPT-4"
    endings: frozenset[str] = frozenset()   # ... and the endings of those cuts
    longest: int = 0                        # characters of the longest key
    numbers: bool = False                   # a key holds a digit or a comma ("911", "k8s")
    junk: bool = False                      # a key of two characters or more is all junk ("--")

    @classmethod
    def of(cls, words: Iterable[str], junk: frozenset[str]) -> "UserKeys":
        words = [w for w in words if len(w) > 1]        # a single piece is always tried
        if not words:
            return NO_USER_KEYS
        cuts = {w.lower()[:i + 1] for w in words for i, c in enumerate(w) if c == "-"}
        return cls(chars=frozenset(c for w in words for c in w
                                   if not (c.isalnum() or c in _WORD_CHARS)),
                   cuts=frozenset(cuts),
                   endings=frozenset(cut[i:] for cut in cuts for i in range(len(cut))),
                   longest=max(map(len, words)),
                   numbers=any(c.isdigit() or c == "," for w in words for c in w),
                   junk=any(all(c in junk for c in w) for w in words))


NO_USER_KEYS = UserKeys()


@lru_cache(maxsize=4096)
def _is_stop(text: str, before_apostrophe: bool, user_chars: frozenset[str]) -> bool:
    """A piece that no readable span of two pieces or more can hold (``user_chars``: the
    other characters of the user's keys)."""
    if not text.isascii():
        if any(unicodedata.category(c)[0] == "M" for c in text):
            return False        # a combining mark may compose with the piece before it
        text = unicodedata.normalize("NFKC", text.replace("\u2018", "'").replace("\u2019", "'"))
    if before_apostrophe and text in symbol_readings()[0]:
        return False            # "+'": the symbol with the apostrophe stripped (lookup.get_word)
    return bool(text) and not any(c.isalnum() or c in _WORD_CHARS or c in user_chars for c in text)


def _number_bounds(texts: list[str]) -> tuple[list[int], list[int], list[int]]:
    """For each end r of a span: the first start from which the span may be a word or a
    number as far as digits, hyphens and commas go (after the last letter that a digit
    follows; after the last letter before the last comma; when a hyphen comes after the
    span's first piece, after the last digit); and the last comma and the last digit before
    r (a span starting after that digit and at or before that comma holds a comma and no
    digit)."""
    n = len(texts) + 1
    first, commas, digits_ = [0] * n, [-1] * n, [-1] * n
    letter, mixed, digit, hyphen, comma, before_comma = -1, -1, -1, -1, -1, -1
    for i, t in enumerate(texts):
        has_letter, has_digit, has_hyphen, has_comma = _kinds(t)
        if has_digit:
            if letter >= 0:
                mixed = letter
            digit = i
        if has_letter:
            letter = i
        if has_hyphen:
            hyphen = i
        if has_comma:
            comma, before_comma = i, letter
        first[i + 1] = max(mixed + 1, before_comma + 1, min(hyphen, digit + 1))
        commas[i + 1], digits_[i + 1] = comma, digit
    return first, commas, digits_


def _kinds(text: str) -> tuple[bool, bool, bool, bool]:
    """Whether a piece holds a letter, a digit, a hyphen and a comma, as the lexicon sees it
    (after NFKC)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        return any(c.isalpha() for c in text), any(c.isdigit() for c in text), "-" in text, "," in text
    return (not _ASCII_LETTERS.isdisjoint(text), not _ASCII_DIGITS.isdisjoint(text), "-" in text,
            "," in text)


class Spans:
    """The spans of one group (its pieces' texts) worth a lexicon lookup."""

    def __init__(self, texts: list[str], dialect: Dialect, user: UserKeys = NO_USER_KEYS) -> None:
        self._dialect = dialect
        self._user = user
        self._starts = list(accumulate((len(t) for t in texts), initial=0))
        self._text = "".join(texts)
        self._final_line_feed = [t == "\n" for t in texts]
        # last_stop[r]: the last piece before r that no readable span holds, or -1
        apostrophe = [t[:1] in _APOSTROPHES for t in texts[1:]] + [False]
        stops = [_is_stop(t, a, user.chars) for t, a in zip(texts, apostrophe)]
        self._last_stop = list(accumulate((i if stop else -1 for i, stop in enumerate(stops)),
                                          max, initial=-1))
        # last_lead[r]: the last piece before r that may only start a span (a symbol that an
        # apostrophe follows), or -1
        self._last_lead = list(accumulate((i if a and not stop and _is_stop(t, False, user.chars)
                                           else -1 for i, (t, a, stop)
                                           in enumerate(zip(texts, apostrophe, stops))),
                                          max, initial=-1))
        hyphens = self._text.isascii() and "-" in self._text
        self._last_hyphen = list(accumulate((i if hyphens and "-" in t else -1
                                             for i, t in enumerate(texts)), max, initial=-1))
        self._lower = self._text.lower() if hyphens else ""
        self._starts_at: dict[int, list[int]] = {}    # hyphen piece -> its possible starts
        # number rules (off when a user's word holds a digit or a comma): see _number_bounds
        n = len(texts) + 1
        self._no_number, self._comma, self._digit = (
            ([0] * n, [-1] * n, [-1] * n) if user.numbers else _number_bounds(texts))

    def first(self, left: int, right: int) -> int:
        """The first start ``>= left`` of a possibly readable span ending at ``right``;
        ``right - 1`` (the single piece, always tried) when there is none."""
        last = right - 1 if self._final_line_feed[right - 1] else right   # "vs.\n" (above)
        left = max(left, self._last_stop[last] + 1, self._no_number[right], self._last_lead[right])
        if self._digit[right] < left <= self._comma[right]:
            left = self._comma[right] + 1       # a comma and no digit
        if left >= right - 1:
            return right - 1
        hyphen = self._last_hyphen[right]
        if hyphen <= left:          # no hyphen after the span's first piece
            return left
        for start in self._word_starts(hyphen):
            if start >= left:
                return start
        return hyphen               # spans that start at the hyphen hold no other

    def _word_starts(self, hyphen: int) -> list[int]:
        """Pieces before ``hyphen`` from which the text up to its last '-' starts a lexicon
        key with a hyphen, in order."""
        found = self._starts_at.get(hyphen)
        if found is None:
            cuts, endings = compound_prefixes(self._dialect)
            user = self._user
            text, starts = self._lower, self._starts
            end = text.rindex("-", starts[hyphen], starts[hyphen + 1]) + 1
            found, piece, pos = [], hyphen, end
            while pos > 0 and (text[pos - 1:end] in endings or text[pos - 1:end] in user.endings):
                pos -= 1
                while piece > 0 and starts[piece] > pos:
                    piece -= 1
                if starts[piece] == pos and piece < hyphen and (text[pos:end] in cuts
                                                                or text[pos:end] in user.cuts):
                    found.append(piece)
            found.reverse()
            self._starts_at[hyphen] = found
        return found


# endings misaki's get_word and stemmers take off a word before asking whether the rest is known
# (lookup.get_word, morphology.stem_s/_ed/_ing); the others leave a lower-case letter on the stem
_ENDINGS = ("'", "s", "'s", "es", "d", "ed", "ing")
_SPELLED = frozenset(ascii_uppercase)     # the letters the gold tier spells


def long_word_starts(texts: list[str], fixed: list[bool], head: bool = False) -> list[tuple[int, ...]]:
    """For each end ``r`` (0..len(texts)), the starts worth a lookup of spans ending at ``r``
    of any length, first first. The lexicon's keys are at most ``reader.MAX_SPAN_CHARS``
    long, but misaki reads four forms at any length (``texts`` as the lexicon sees them,
    ``lookup.lexicon_form``; a piece already read, ``fixed``, is in none):

    * a dotted abbreviation ("U.S.A." sixty times): letters and dots, no run of more than two
      letters, a dot between letters (``function_words.read``'s test), spelled: letters whose
      capital is one of A-Z ("ı" too);
    * a word of ASCII letters whose letters after the first are all capitals ("xYYY…",
      "BBB…"), which ``Lookup.is_known`` takes and spells;
    * such a word with an ending the stemmers take off ("xYYY…Ys", "BBB…B's", "…ed");
    * a number: digits, commas and periods ("1,,1,,1…" is one long number to misaki), a
      minus first if the group's first piece is a ``head``, and one of
      ``numbers.NUMBER_SUFFIXES`` (``numbers.is_number``).

    Each form holds from every later start too (a shorter span of the same kind), so
    misaki, trying starts left to right, reads from the first start of each: the only ones
    worth a lookup. Linear in the group's length.
    """
    forms = _LongForms(texts, fixed, head)
    out: list[tuple[int, ...]] = [()]
    for i in range(len(texts)):
        end = forms.starts[i + 1]
        found = {forms.capitals_from(end), forms.number_from(end), forms.dotted_from(end)}
        found.update(forms.capitals_from(end - len(e)) for e in _ENDINGS
                     if end - len(e) > 0 and forms.text.endswith(e, 0, end))
        out.append(tuple(sorted(k for k in found if k <= i)))
    return out


class _LongForms:
    """Prefix tables over a group's text, filled in one pass, that say from which piece on the
    text up to a position is each form of ``long_word_starts`` (no piece: ``len(texts) + 1``).

    capitals: last_bad[q], the last position before q of a character that is no ASCII
    capital (or in a fixed piece); the first letter of a word may be such a character.
    numbers: last_non_number[q] and last_digit[q], the same for a character no number holds
    (or in a fixed piece) and for a digit.
    dotted abbreviations: low[q], the first position a dotted span ending at q may start at
    (after the last character that is no spelled letter or dot, or in a fixed piece, and after
    the first of three letters in a row); the spelled letters and the dots before q, for the
    dot between two letters. Character by character: NFKC makes "㏂" one piece "a.m.".
    """

    def __init__(self, texts: list[str], fixed: list[bool], head: bool) -> None:
        self.text = text = "".join(texts)
        self.starts = list(accumulate((len(t) for t in texts), initial=0))
        self.pieces, self.fixed, self.head = len(texts), fixed, head
        n = len(text)
        self.letter = letter = [False] * n
        self.last_bad = last_bad = [-1] * (n + 1)
        self.last_non_number = last_non_number = [-1] * (n + 1)
        self.last_digit = last_digit = [-1] * (n + 1)
        self.low = low = [0] * (n + 1)
        self.last_spelled = last_spelled = [-1] * (n + 1)
        self.dots = dots = [0] * (n + 1)
        run = 0                                     # spelled letters in a row, up to here
        for k, done in enumerate(fixed):
            for p in range(self.starts[k], self.starts[k + 1]):
                c = text[p]
                letter[p] = not done and c.isascii() and c.isalpha()
                last_bad[p + 1] = last_bad[p] if letter[p] and c.isupper() else p
                last_non_number[p + 1] = last_non_number[p] if c in NUMBER_CHARS and not done else p
                last_digit[p + 1] = p if c in ASCII_DIGITS else last_digit[p]
                spelled = not done and c.isalpha() and c.upper() in _SPELLED
                run = run + 1 if spelled else 0
                if not spelled and (done or c != "."):
                    low[p + 1] = p + 1              # no letter or dot: start after it
                elif run > 2:
                    low[p + 1] = max(low[p], p - 1)     # keep the last two letters of the run
                else:
                    low[p + 1] = low[p]
                last_spelled[p + 1] = p if spelled else last_spelled[p]
                dots[p + 1] = dots[p] + (not done and c == ".")
        self.next_spelled = next_spelled = [n] * (n + 1)
        for p in range(n - 1, -1, -1):
            next_spelled[p] = p if last_spelled[p + 1] == p else next_spelled[p + 1]

    def number_from(self, end: int) -> int:
        """The first piece from which the text up to ``end`` is a number (ending included)."""
        text, starts, pieces = self.text, self.starts, self.pieces
        q = end - next((len(x) for x in NUMBER_SUFFIXES if text.endswith(x, 0, end)), 0)
        bad = self.last_non_number[q]
        first = bisect_left(starts, bad + 1, 0, pieces)
        if bad == 0 and text[0] == "-" and self.head and not self.fixed[0]:
            first = 0                           # "-1,,1": a leading minus at the head
        if first < pieces and self.last_digit[q] >= starts[first]:
            return first
        return pieces + 1

    def capitals_from(self, q: int) -> int:
        """The first piece from which the text up to position q is a capitals word."""
        starts, pieces = self.starts, self.pieces
        bad = self.last_bad[q]
        first = bisect_left(starts, max(bad, 0), 0, pieces)
        if first < pieces and starts[first] == bad and not self.letter[bad]:
            first += 1
        return first if first < pieces and starts[first] < q else pieces + 1

    def dotted_from(self, end: int) -> int:
        """The first piece from which the text up to ``end`` is a dotted abbreviation."""
        starts, pieces = self.starts, self.pieces
        first = bisect_left(starts, self.low[end], 0, pieces)
        if first >= pieces:
            return pieces + 1
        a, b = self.next_spelled[starts[first]], self.last_spelled[end]
        return first if a < b and self.dots[b] > self.dots[a] else pieces + 1
