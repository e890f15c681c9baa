"""The drop-in replacement for ``misaki.en``: ``G2P(text) -> (phonemes, tokens)``.

The stages and their order are in ``misaki_lite.pipeline``; this module is the face misaki's
users know: the constructor's arguments, ``g2p.lexicon`` (its ``golds`` and ``silvers`` take
user entries), ``g2p.fallback``, and ``__call__``, ``many``, ``preprocess``, ``tokenize`` and
``from_tokens``.

``mode="exact"`` gives misaki 0.9.4's output byte for byte, its bugs included: the text is
tagged as misaki tags it (only lone surrogates are replaced), and no tag fix, normalization
class or lexicon fix runs. In the default ``mode="extended"``, ``normalization`` is "extended"
(misaki plus the classes of ``rules/normalize/``) or "misaki" (only what misaki 0.9.4 handles;
the bug fixes stay on in both).

``trf=True`` is accepted for compatibility and changes nothing: misaki would load spaCy's
transformer pipeline; misaki_lite computes the tags of en_core_web_sm (``misaki_lite.tagger``).
"""
from __future__ import annotations

from typing import Callable, Optional

from . import pipeline
from .config import MODES, check_british, check_mode, check_version, deprecated_normalization
from .errors import OptionError
from .inventory import Dialect
from .reading.lookup import Lookup
from .text import markup
from .token import MToken

__all__ = ["G2P", "MToken", "MODES", "MAX_TEXT_CHARS"]

# The longest text one call reads (spaCy's own limit, which misaki inherits, is 1,000,000):
# memory while a text is read grows with its length, most of it the tokens returned. Longer
# texts raise InputError; ``g2p.max_chars`` may be changed.
MAX_TEXT_CHARS = 1 << 20

Fallback = Callable[[MToken], tuple[Optional[str], Optional[int]]]


class G2P:
    """English grapheme-to-phoneme conversion, misaki 0.9.4 compatible.

    ``fallback`` is called on words the lexicon cannot read (``misaki_lite.espeak.EspeakFallback``
    is the usual one); without it such words come out as ``unk``. A text longer than
    ``max_chars`` characters is refused with an InputError (split it, at newlines say).
    """

    max_chars = MAX_TEXT_CHARS

    def __init__(self, version: Optional[str] = None, trf: bool = False, british: bool = False,
                 fallback: Optional[Fallback] = None, unk: str = "❓",
                 normalization: Optional[str] = None, mode: str = "extended") -> None:
        self.mode = check_mode(mode)
        self.exact = mode == "exact"
        self.normalization = deprecated_normalization(normalization)
        self.version = check_version(version)
        self.british = check_british(british)
        self.trf = trf
        self.lexicon = Lookup(Dialect.of(british), exact=self.exact)
        if fallback is not None and not callable(fallback):
            raise OptionError(f"fallback must be a callable that reads a token, such as "
                              f"espeak.EspeakFallback(british={self.british}), or None; got {fallback!r} "
                              f"(G2PConfig(fallback=True).build() builds a G2P with it)")
        if not isinstance(unk, str):
            raise OptionError(f"unk must be a string (misaki's '❓'; kokoro passes ''), got {unk!r}")
        self.fallback = fallback if fallback else None
        self.unk = unk

    def fallback_reading(self, token: MToken):
        """The fallback's reading; exact mode asks our eSpeak fallback for misaki's own
        answer (silence and language flags kept)."""
        if self.exact and hasattr(self.fallback, "misaki"):
            return self.fallback.misaki(token)
        return self.fallback(token)

    @staticmethod
    def preprocess(text: str):
        """misaki's preprocess: (plain text, markup words, features by word index)."""
        return markup.parse(text)

    @staticmethod
    def tokenize(text: str) -> list[MToken]:
        """spaCy's tokens of ``text``, tagged."""
        return pipeline.tag_many([text])[0]

    def __call__(self, text: str, preprocess=True) -> tuple[str, list[MToken]]:
        return self.many([text], preprocess)[0]

    def many(self, texts: list[str], preprocess=True) -> list[tuple[str, list[MToken]]]:
        """``(phonemes, tokens)`` of each text, as ``G2P(text)`` gives them; the tagger runs
        once over all of them, which is faster than one call a text."""
        return pipeline.run(self, texts, preprocess)

    def from_tokens(self, tokens: list[MToken], words: list[str], features: dict) -> tuple[str, list[MToken]]:
        """Everything after tagging: features, grouping, reading, merging."""
        return pipeline.after_tagging(self, tokens, words, features)
