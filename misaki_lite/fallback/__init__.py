"""The eSpeak NG fallback: phonemes for words that no lexicon knows.

Three layers, each loaded only when first needed:

* ``_espeak``: private ctypes binding to the eSpeak NG library (lookup order, lock, voices);
* ``ipa``: text -> eSpeak's IPA with punctuation kept, as misaki 0.9.4 obtained it;
* ``mapping``: IPA -> misaki's symbols through the data table ``rules/espeak.yaml``.

``EspeakFallback`` ties them together and is what ``misaki_lite.espeak`` exports as the
drop-in replacement for ``misaki.espeak.EspeakFallback``.
"""
from __future__ import annotations

import os
from typing import Any

from ..inventory import Dialect
from . import ipa, mapping

__all__ = ["EspeakFallback", "RATING"]

RATING = 2   # misaki's rating for phonemes that came from eSpeak
_LANGUAGES = {Dialect.US: "en-us", Dialect.GB: "en-gb"}


class EspeakFallback:
    """Phonemize a token with eSpeak NG, like ``misaki.espeak.EspeakFallback``.

    ``EspeakFallback(british)(token)`` returns ``(phonemes, 2)``, or ``(None, None)`` when
    the token's text is empty. ``version`` is misaki's: every version but ``"2.0"`` writes
    ``T`` for ɾ and ``t`` for ʔ. ``library`` and ``data`` override where eSpeak NG is found
    (see ``misaki_lite.fallback._espeak``); nothing is loaded before the first call, and a
    missing library raises ``misaki_lite.errors.BackendError`` then.

    Instances are thread-safe; all of them share one eSpeak NG library and one lock.
    """

    def __init__(self, british: bool, version: str | None = None, *,
                 library: str | os.PathLike | None = None,
                 data: str | os.PathLike | None = None) -> None:
        self.british = british
        self.version = version
        self.dialect = Dialect.of(british)
        self._language = _LANGUAGES[self.dialect]
        self._paths = (library, data)
        self._engine = None

    def _clauses(self, text: str) -> list[str]:
        if self._engine is None:
            from ._espeak import engine
            self._engine = engine(*self._paths)
        return self._engine.text_to_phonemes(text, self._language)

    def phonemize(self, text: str) -> str | None:
        """misaki's phonemes for ``text``, or ``None`` if eSpeak was given nothing to read."""
        raw = ipa.raw_ipa(text, self._clauses)
        if raw is None:
            return None
        return mapping.to_misaki(raw.strip(), self.dialect, self.version)

    def __call__(self, token: Any) -> tuple[str, int] | tuple[None, None]:
        phonemes = self.phonemize(token.text)
        return (None, None) if phonemes is None else (phonemes, RATING)

    def __repr__(self) -> str:
        return f"EspeakFallback(british={self.british!r}, version={self.version!r})"
