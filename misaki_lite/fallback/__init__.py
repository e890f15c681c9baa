"""The eSpeak NG fallback: phonemes for words that no lexicon knows.

Three layers (the library and the table are loaded on the first call, not at import):

* ``_espeak``: private ctypes binding to the eSpeak NG library (lookup order, lock, voices);
* ``ipa``: text -> eSpeak's IPA with punctuation kept, as misaki 0.9.4 obtained it;
* ``mapping``: IPA -> misaki's symbols through the data table ``rules/espeak.yaml``.

``EspeakFallback`` ties them together and is what ``misaki_lite.espeak`` exports as the
drop-in replacement for ``misaki.espeak.EspeakFallback``.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Any

from ..config import check_british, check_version
from ..inventory import Dialect, output_symbols
from ..token import has_content
from . import ipa, mapping
from . import safe
from .safe import safe_text

__all__ = ["EspeakFallback", "RATING", "use_library"]

RATING = 2   # misaki's rating for phonemes that came from eSpeak
_LANGUAGES = {Dialect.US: "en-us", Dialect.GB: "en-gb"}
_LANGUAGE_FLAG = re.compile(r"\([a-z\u0361]{2,8}(?:-[a-z0-9\u0361]{1,16})*\)")   # letters joined by ties
_explicit: tuple[str | os.PathLike | None, str | os.PathLike | None] = (None, None)


def use_library(library: str | os.PathLike | None = None,
                data: str | os.PathLike | None = None) -> None:
    """Use this eSpeak NG library and/or data folder for the fallbacks that load from now on.

    The first step of the lookup order (then ``MISAKI_LITE_ESPEAK_LIBRARY`` /
    ``MISAKI_LITE_ESPEAK_DATA``, then ``espeakng-loader``); ``None`` leaves that step out.
    Nothing is loaded here: a bad path raises ``BackendError`` on the first call.
    """
    global _explicit
    _explicit = (library, data)


class EspeakFallback:
    """Phonemize a token with eSpeak NG, like ``misaki.espeak.EspeakFallback``.

    ``EspeakFallback(british)(token)`` returns ``(phonemes, 2)``, or ``(None, None)`` when
    the token's text is empty. ``version`` is misaki's: every version but ``"2.0"`` writes
    ``T`` for ɾ and ``t`` for ʔ. Nothing is loaded before the first call; then the library is
    found as :func:`use_library` and ``misaki_lite.fallback._espeak`` describe, and a missing
    library raises ``misaki_lite.errors.BackendError``.

    The last ``cache_size`` distinct texts are remembered (eSpeak's answer depends only on
    the text and the voice); a subclass with ``cache_size = 0`` asks eSpeak every time.

    Instances are thread-safe; all of them share one eSpeak NG library and one lock.
    """

    cache_size = 4096

    def __init__(self, british: bool, version: str | None = None) -> None:
        self._british = check_british(british)
        self._version = check_version(version)
        self.dialect = Dialect.of(self._british)
        self._language = _LANGUAGES[self.dialect]
        self._engine = None     # the eSpeak NG library, loaded on the first call
        self._convert = None    # the mapping table, loaded on the first call
        self._allowed = output_symbols(self.dialect)
        self.phonemize = self._phonemize
        if self.cache_size:
            self.phonemize = lru_cache(maxsize=self.cache_size)(self._phonemize)

    @property
    def british(self) -> bool:
        return self._british

    @property
    def version(self) -> str | None:
        """misaki's version string; fixed at construction (the answers are cached)."""
        return self._version

    def _clauses(self, text: str, exact: bool = False) -> list[str]:
        if self._engine is None:
            from ._espeak import engine
            self._engine = engine(*_explicit)
        # safe_text: none of the texts known to crash eSpeak; outside exact mode no NUL either
        # (eSpeak stops there: misaki loses the words after it). A text that may still crash
        # it (safe.risky: a hyphen and an Indic letter) is read in a forked child; if eSpeak
        # dies there (misaki's process died), it is read with its hyphens made spaces.
        # Exact mode tries the text as it is first, in a child (safe.read's ``as_is``).
        return safe.read(self._engine, safe_text(text, exact), self._language,
                         as_is=text if exact else None)

    def _clauses_exact(self, text: str) -> list[str]:
        return self._clauses(text, exact=True)

    def _clauses_without_flags(self, text: str) -> list[str]:
        # eSpeak marks a switch to another language's voice with flags such as "(hi)" and
        # "(en-us)"; misaki keeps them in its phonemes (Kokoro reads them as letters): we drop them.
        return [_LANGUAGE_FLAG.sub("", c) if "(" in c else c for c in self._clauses(text)]

    def _phonemize(self, text: str, exact: bool = False) -> str | None:
        """Our phonemes for ``text``, or ``None`` if eSpeak was given nothing to read.

        ``exact``: misaki 0.9.4's, byte for byte: language flags kept, every symbol eSpeak
        wrote mapped by misaki's table and kept, in or out of the inventory.
        Called as ``self.phonemize`` (through the cache when there is one). A text without
        marks (nearly every word) takes the short way: one eSpeak call, one mapping call.
        """
        if not text:
            return None
        clauses = self._clauses_exact if exact else self._clauses_without_flags
        if ipa.has_marks(text):
            raw = ipa.raw_ipa(text, clauses)
            raw = None if raw is None else raw.strip()
        else:
            raw = ipa.plain_ipa(clauses(text))
        if raw is None:
            return None
        if exact:
            return mapping.to_misaki(raw, self.dialect, self._version)
        if self._convert is None:
            # Symbols of another language's voice (Korean ɯ, q...) have no misaki or Kokoro
            # symbol: only the allowed ones are kept.
            self._convert = mapping.word_converter(self.dialect, self._version, self._allowed)
        return self._convert(raw)

    def __call__(self, token: Any) -> tuple[str, int] | tuple[None, None]:
        phonemes = self.phonemize(token.text)
        if phonemes is not None and not phonemes.strip() and has_content(token.text):
            phonemes = None     # eSpeak said nothing for a word: the unknown marker, not silence
        return (None, None) if phonemes is None else (phonemes, RATING)

    def misaki(self, token: Any) -> tuple[str, int] | tuple[None, None]:
        """misaki 0.9.4's answer for ``token``, byte for byte (what ``G2P(mode="exact")``
        calls): silence stays ``""``, language flags and symbols outside Kokoro's set stay."""
        phonemes = self.phonemize(token.text, True)
        return (None, None) if phonemes is None else (phonemes, RATING)

    def __reduce__(self):
        # Pickles as its arguments: the library handle and the cache are rebuilt on first use.
        return type(self), (self._british, self._version)

    def __repr__(self) -> str:
        return f"EspeakFallback(british={self.british!r}, version={self.version!r})"
