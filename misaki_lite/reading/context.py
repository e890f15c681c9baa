"""What the readers share: the context of a word, and the lexicon as the stemmers and the
number reader see it (``Words``; ``lookup.Lookup`` is the one implementation)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Protocol

__all__ = ["Context", "Reading", "Words"]

# (phonemes, misaki's rating), or (None, None): the word is not read
Reading = tuple[Optional[str], Optional[int]]


@dataclass
class Context:
    """What lies to the right of the word being read (the pass runs right to left)."""

    future_vowel: Optional[bool] = None   # next sound a vowel? None: a phrase ends first
    future_to: bool = False               # next word "to"?


class Words(Protocol):
    """The lexicon, as ``morphology`` and ``numbers`` ask it."""

    morphology: object
    number_words: dict      # number words by (word, stress), read once per lexicon
    number_phrases: dict
    digit_words: dict

    def is_known(self, word: str, tag: Optional[str]) -> bool: ...

    def lookup(self, word: str, tag: Optional[str], stress, ctx: Optional[Context]) -> Reading: ...

    def stem_s(self, word: str, tag: Optional[str], stress, ctx: Optional[Context]) -> Reading: ...
