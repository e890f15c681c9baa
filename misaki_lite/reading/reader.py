"""Stage: reading. Words right to left, so that each one knows what follows it.

``Reader(lexicon, fallback, exact).read(groups)`` sets ``phonemes``, ``_.rating`` and
``_.source`` on the tokens of the groups ``grouping.retokenize`` made: a single token is read
by the lexicon (``lookup.Lookup``), outside exact mode by a shorter form of a word stretched
for effect ("Sooo", ``elongated``), then the fallback (eSpeak), then, outside exact mode, the
last resort (``Lookup.last_resort``: -ied on a known -y stem); a group of sub-tokens
("well-known", "iPhone15") is read by its longest known spans, right to left, and as a whole
by the fallback when a piece is unknown; then the stress inside the group is balanced.

The right-to-left order matters: "the" before a vowel is ði, "to" before a vowel tʊ, "used"
before "to" is the verb; ``Context`` carries what lies to the right.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from itertools import accumulate
from typing import Callable, Optional

from ..inventory import CONSONANTS, PRIMARY_STRESS, VOWELS
from ..text.punctuation import classes
from ..token import MToken, Source
from .grouping import Word, merge_tokens, too_long
from .context import NOT_READ, Context
from .elongated import shorter_forms
from .lookup import Lookup, lexicon_form
from .numbers import is_digit
from .spans import Spans, long_word_starts
from .stress import apply_stress, stress_weight

__all__ = ["Reader", "MAX_SPAN_CHARS"]

# No lexicon key (lexicon_file.MAX_KEY_CHARS), special case or number the lexicon reads is longer
# than this: longer spans of a group are skipped without being merged, so a long group costs
# O(n * span), not O(n^2) (issue 7). Check with tools/golden/parity.py if changed. The
# forms misaki reads at any length (a dotted abbreviation, a word of capitals after its first
# letter, with or without an ending, a number) are looked up from spans.long_word_starts.
MAX_SPAN_CHARS = 64       # (or a user's longer entry: lookup.Lookup.user_keys)

Fallback = Callable[[MToken], tuple[Optional[str], Optional[int]]]


def next_context(ctx: Context, ps: Optional[str], token: MToken) -> Context:
    """The context for the word to the left of ``token`` (read as ``ps``)."""
    non_quote = classes().non_quote
    vowel = ctx.future_vowel
    if ps:
        for c in ps:
            if c in VOWELS or c in CONSONANTS or c in non_quote:
                vowel = None if c in non_quote else (c in VOWELS)
                break
    future_to = token.text in ("to", "To") or (token.text == "TO" and token.tag in ("TO", "IN"))
    return Context(future_vowel=vowel, future_to=future_to)


class Reader:
    """Reads the groups of one text with a lexicon and an optional fallback."""

    def __init__(self, lexicon: Lookup, fallback: Optional[Fallback], exact: bool) -> None:
        self.lexicon = lexicon
        self.fallback = fallback
        # exact: misaki 0.9.4 stores the rating of a word read alone, and of a group's later
        # pieces, as ``token.rating``, outside ``token._``: its tokens, and exact mode's, say
        # ``_.rating`` None there. The default mode rates every word it reads.
        self.exact = exact

    def read(self, groups: list[Word]) -> None:
        ctx = Context()
        for w in reversed(groups):
            ctx = self.read_group(w, ctx) if isinstance(w, list) else self.read_single(w, ctx)

    def read_single(self, w: MToken, ctx: Context) -> Context:
        if w.phonemes is None and not self.exact and too_long(w.text):
            w._.source = Source.TOO_LONG    # no word: the unknown marker (grouping.py)
            return next_context(ctx, None, w)
        if w.phonemes is None:          # the lexicon never changes the token it reads
            w.phonemes, rating, w._.source = self.lexicon(w, ctx)
            if not self.exact:
                w._.rating = rating
        if w.phonemes is None and not self.exact and w._.alias is None:
            self._read_shorter(w, ctx)  # "Sooo": so (elongated.py)
        if w.phonemes is None and self.fallback is not None:
            # extended: eSpeak reads a token's plain form too ("cafe\u0301" as "café")
            text = w.text if self.exact or w._.alias is None else w._.alias
            w.phonemes, rating = self.fallback(replace(w, text=text, _=w._))
            if not self.exact:
                w._.rating = rating
            w._.source = Source.ESPEAK if w.phonemes is not None else None
        if w.phonemes is None and not self.exact:
            # after the fallback, so that misaki's output with eSpeak does not move
            w.phonemes, w._.rating, w._.source = self.lexicon.last_resort(w, ctx)
        return next_context(ctx, w.phonemes, w)

    def _read_shorter(self, w: MToken, ctx: Context) -> None:
        """A word stretched for effect, read as the first shorter form the lexicon holds as a
        word in lower case (not a name: "Edeee" is not "Ede")."""
        golds, silvers = self.lexicon.golds, self.lexicon.silvers
        for form in shorter_forms(w.text):
            if not (golds.holds(form.lower()) or silvers.holds(form.lower())):
                continue
            bag = w._.copy()
            bag.alias = form
            ps, rating, source = self.lexicon(replace(w, _=bag), ctx)
            if ps is not None:
                w.phonemes, w._.rating, w._.source = ps, rating, source
                return

    def read_group(self, w: list[MToken], ctx: Context) -> Context:
        """Read the longest known spans of a group, right to left; the fallback reads it whole
        when a piece is unknown."""
        starts = _SpanStarts(w, self.lexicon)
        left, right = 0, len(w)
        while left < right:
            left = starts.first(left, right)
            tk = _span_token(w, left, right)
            ps, rating, source = NOT_READ if tk is None else self.lexicon(tk, ctx)
            if ps is not None:
                w[left].phonemes, w[left]._.rating, w[left]._.source = ps, rating, source
                for x in w[left + 1:right]:
                    x.phonemes = ""
                    if not self.exact:
                        x._.rating = rating
                ctx = next_context(ctx, ps, tk)
                right, left = left, 0
            elif left + 1 < right:
                left += 1
            else:
                right -= 1
                if not self._unread_piece(w[right]):
                    self._fallback_group(w)
                    return ctx
                left = 0
        resolve_group(w)
        return ctx

    def _unread_piece(self, tk: MToken) -> bool:
        """A piece that no span ending with it reads: junk says nothing, an over-long token
        is marked (grouping.py then says nothing for it); False when the fallback is to read
        the whole group instead."""
        if tk.phonemes is None:
            if all(c in classes().junk for c in tk.text):
                tk.phonemes, tk._.rating = "", 3
            elif not self.exact and too_long(tk.text):
                tk._.source = Source.TOO_LONG   # no word, not read (grouping.py)
            elif self.fallback is not None:
                return False
        return True

    def _fallback_group(self, w: list[MToken]) -> None:
        """The fallback reads the group whole: its first piece carries the phonemes."""
        w[0].phonemes, w[0]._.rating = self.fallback(merge_tokens(w))
        w[0]._.source = Source.ESPEAK if w[0].phonemes is not None else None
        for x in w[1:]:
            x.phonemes, x._.rating = "", w[0]._.rating


def _span_token(w: list[MToken], left: int, right: int) -> Optional[MToken]:
    """The token the lexicon is asked about for pieces ``left:right`` (None: a piece in it is
    already read or aliased, so the span is no word)."""
    if any(tk._.alias is not None or tk.phonemes is not None for tk in w[left:right]):
        return None
    if left + 1 == right:
        return w[left]              # one piece reads as itself (merging would copy it)
    return merge_tokens(w[left:right])


class _SpanStarts:
    """Where the next span to try, ending at a piece, starts: spans of up to MAX_SPAN_CHARS
    characters (or the longest user key), longer ones only where ``long_word_starts`` finds
    a form misaki reads at any length; never a span of junk pieces alone ("'", "-"; unless
    the user wrote such a key), nor one that no lexicon word can be (``Spans.first``)."""

    def __init__(self, w: list[MToken], lexicon: Lookup) -> None:
        junk = classes().junk
        self.w = w
        self.ends = list(accumulate((len(t.text) + len(t.whitespace) for t in w), initial=0))
        self.solid = list(accumulate((any(c not in junk for c in t.text) for t in w), initial=0))
        self.user = lexicon.user_keys()
        self.spans = Spans([t.text + t.whitespace for t in w], lexicon.dialect, self.user)
        self.max_chars = max(MAX_SPAN_CHARS, self.user.longest)
        self.long_starts: Optional[list[tuple[int, ...]]] = None
        self.long_end, self.long_left = -1, []  # the end whose long spans are being tried, those left

    def first(self, left: int, right: int) -> int:
        """The first start from ``left`` worth a lookup of the span ending at ``right``."""
        w = self.w
        # a single piece is always tried, however long (a 5,000-digit number)
        # (the span's text: without the whitespace after its last piece)
        reach = self.ends[right] - len(w[right - 1].whitespace) - self.max_chars
        floor = min(right - 1, bisect_left(self.ends, reach, 0, right))
        if left < floor:
            if self.long_end != right:
                if self.long_starts is None:
                    self.long_starts = long_word_starts(
                        [lexicon_form(t.text) for t in w],
                        [t._.alias is not None or t.phonemes is not None for t in w], w[0]._.is_head)
                self.long_end = right
                self.long_left = [k for k in self.long_starts[right] if k < floor]
            self.long_left = [k for k in self.long_left if k >= left]
            if self.long_left:
                floor = self.long_left.pop(0)
        left = max(left, floor)
        if left + 1 < right and self.solid[right] == self.solid[left] and not self.user.junk:
            left = right - 1        # only junk from here: go straight to the last piece
        if left + 1 < right:
            left = self.spans.first(left, right)     # skip spans no lexicon word can be
        return left


def resolve_group(tokens: list[MToken]) -> None:
    """Punctuation inside the group, spacing between pieces, and one primary stress."""
    punct = classes()
    text = "".join(tk.text + tk.whitespace for tk in tokens[:-1]) + tokens[-1].text
    kinds = {0 if c.isalpha() else (1 if is_digit(c) else 2) for c in set(text) - punct.junk}
    prespace = " " in text or "/" in text or len(kinds) > 1
    for i, tk in enumerate(tokens):
        if tk.phonemes is None:
            if i == len(tokens) - 1 and tk.text in punct.non_quote:
                tk.phonemes, tk._.rating = tk.text, 3
            elif all(c in punct.junk for c in tk.text):
                tk.phonemes, tk._.rating = "", 3
        elif i > 0:
            tk._.prespace = prespace
    if prespace:
        return
    indices = [(PRIMARY_STRESS in tk.phonemes, stress_weight(tk.phonemes), i)
               for i, tk in enumerate(tokens) if tk.phonemes]
    if len(indices) == 2 and len(tokens[indices[0][2]].text) == 1:
        i = indices[1][2]
        tokens[i].phonemes = apply_stress(tokens[i].phonemes, -0.5)
        return
    if len(indices) < 2 or sum(b for b, _, _ in indices) <= (len(indices) + 1) // 2:
        return
    for _, _, i in sorted(indices)[:len(indices) // 2]:
        tokens[i].phonemes = apply_stress(tokens[i].phonemes, -0.5)
