"""Drop-in for ``misaki.espeak``: the eSpeak NG fallback for English words no lexicon knows.

    from misaki_lite import en, espeak
    fallback = espeak.EspeakFallback(british=False)
    g2p = en.G2P(british=False, fallback=fallback)

``EspeakFallback(british, version=None)`` is called with a token (anything with ``.text``)
and returns ``(phonemes, 2)``, or ``(None, None)`` when the text is empty. The eSpeak NG
library is loaded on the first call; see ``misaki_lite.fallback`` for how it is found.

``EspeakG2P(language, version=None)`` reads whole texts in another language (kokoro's
lang_code e, f, h, i, p) and returns ``(phonemes, None)``, as misaki's does.
"""
from .fallback import EspeakFallback
from .fallback.languages import EspeakG2P

__all__ = ["EspeakFallback", "EspeakG2P"]
