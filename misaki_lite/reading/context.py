"""What the readers share: the context of a word, and the lexicon as the stemmers and the
number reader see it (``Words``; ``lookup.Lookup`` is the one implementation)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, NamedTuple, Optional, Protocol

__all__ = ["Context", "Reading", "NOT_READ", "Words"]


class Reading(NamedTuple):
    """A word's phonemes, with where they came from. ``phonemes`` None: not read.

    ``source`` is a ``token.Source`` name, set where the reading is made (a stemmer says
    morphology, the number reader number...); ``rating`` is misaki's, which the API keeps
    (``token._.rating``): 4 gold or a special case, 3 silver or spelled; a stemmed word or a
    number has the rating of the entries it was made from, so it travels beside the source
    rather than being derived from it."""

    phonemes: Optional[str]
    rating: Optional[int]
    source: Optional[str]


NOT_READ = Reading(None, None, None)


@dataclass
class Context:
    """What lies to the right of the word being read (the pass runs right to left)."""

    future_vowel: Optional[bool] = None   # next sound a vowel? None: a phrase ends first
    future_to: bool = False               # next word "to"?


class Words(Protocol):
    """The lexicon, as ``morphology``, ``numbers`` and ``function_words`` ask it."""

    golds: Mapping          # the gold tier: word -> phonemes, or a heteronym's tag -> phonemes
    morphology: object
    number_words: dict      # number words by (word, stress), read once per lexicon
    number_phrases: dict
    digit_words: dict

    def is_known(self, word: str, tag: Optional[str]) -> bool: ...

    def lookup(self, word: str, tag: Optional[str], stress, ctx: Optional[Context]) -> Reading: ...

    def stem_s(self, word: str, tag: Optional[str], stress, ctx: Optional[Context]) -> Reading: ...

    def spell(self, word: str) -> Reading: ...
