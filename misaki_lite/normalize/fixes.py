"""misaki 0.9.4 bugs fixed on the tagged tokens, in both normalization modes.

* misaki #71: a lone negative number ("-1", "The value is -1.") is tagged as punctuation by
  the tagger, and misaki then reads it as punctuation: nothing. A token that is a signed number
  gets the tag CD, so the number reader says "minus one".

The other fixes live at their own depth: curly apostrophes in ``misaki_lite.orthography`` (#100,
before tagging), the VBP readings in the lexicon lookup (#94), "-ied" in morphology.
"""
from __future__ import annotations

from functools import cache

import regex

from ..token import MToken

__all__ = ["apply"]

# Tags of punctuation: a signed number carrying one of these was mistagged.
_NOT_NUMBER_TAGS = frozenset([".", ",", ":", "''", "``", "-LRB-", "-RRB-", "HYPH", "NFP", "SYM"])


@cache
def _signed_number() -> regex.Pattern:
    return regex.compile(r"-(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?+")


def apply(tokens: list[MToken]) -> list[MToken]:
    for tk in tokens:
        if tk.tag in _NOT_NUMBER_TAGS and tk.text[:1] == "-" and _signed_number().fullmatch(tk.text):
            tk.tag = "CD"
    return tokens
