"""misaki_lite: misaki 0.9.4's English phonemes for Kokoro-82M, without spaCy or torch.

    from misaki_lite import en, espeak
    g2p = en.G2P(british=False, fallback=espeak.EspeakFallback(british=False))
    phonemes, tokens = g2p("Hello world.")

or ``misaki_lite.G2PConfig(mode="exact").build()`` for the same with options checked at once,
``misaki_lite.phonemize("Hello world.")`` for one string, and
``misaki_lite.phonemize_many(lines, workers=2)`` for a corpus.
"""
from __future__ import annotations

from functools import lru_cache

from . import en, espeak
from .alias import register_as_misaki
from .config import G2PConfig, check_british
from .errors import (BackendError, InputError, LexiconError, MisakiLiteError, OptionError,
                     RuleFileError, TextTooLongError)
from .run.batch import phonemize_many
from .token import MToken, Source

__all__ = [
    "en", "espeak", "phonemize", "phonemize_many", "G2PConfig", "register_as_misaki", "MToken", "Source",
    "MisakiLiteError", "RuleFileError", "LexiconError", "BackendError", "InputError", "OptionError",
    "TextTooLongError",
]
__version__ = "0.1.0"


@lru_cache(maxsize=2)
def _default_g2p(british: bool) -> en.G2P:
    return G2PConfig(british=british).build()


def phonemize(text: str, british: bool = False) -> str:
    """Phonemes of ``text`` (US or GB English), with the eSpeak fallback for unknown words."""
    return _default_g2p(check_british(british))(text)[0]
