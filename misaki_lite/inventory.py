"""The closed vocabularies, defined once: phoneme symbols per dialect, stress marks, punctuation.

Every lexicon value, rule output and eSpeak mapping is checked against these sets when it is
loaded. The symbols are misaki 0.9.4's (``US_VOCAB``/``GB_VOCAB`` in misaki/en.py) plus the
reduced vowel ``ɐ`` that misaki writes for "a"/"an"/"am" and the legacy symbols ``T`` and ``t``
that replace ``ɾ`` and ``ʔ`` in every version but 2.0.
"""
from __future__ import annotations

from enum import Enum
from functools import cache

__all__ = [
    "Dialect", "PRIMARY_STRESS", "SECONDARY_STRESS", "STRESSES", "VOWELS", "CONSONANTS",
    "DIPHTHONGS", "PUNCTUATION", "ESPEAK_PUNCTUATION", "phoneme_symbols", "output_symbols",
    "LEGACY_FREE_VERSION", "legacy_symbols", "user_symbols",
]


class Dialect(Enum):
    US = "us"
    GB = "gb"

    @classmethod
    def of(cls, british: bool) -> "Dialect":
        return cls.GB if british else cls.US


PRIMARY_STRESS = "ˈ"
SECONDARY_STRESS = "ˌ"
STRESSES = SECONDARY_STRESS + PRIMARY_STRESS
VOWELS = frozenset("AIOQWYaiuæɑɒɔəɛɜɪʊʌᵻ")
CONSONANTS = frozenset("bdfhjklmnpstvwzðŋɡɹɾʃʒʤʧθ")
DIPHTHONGS = frozenset("AIOQWYʤʧ")

_SYMBOLS = {
    Dialect.US: frozenset("AIOWYbdfhijklmnpstuvwzæðŋɑɔəɛɜɡɪɹɾʃʊʌʒʤʧˈˌθᵊᵻʔɐ"),
    Dialect.GB: frozenset("AIQWYabdfhijklmnpstuvwzðŋɑɒɔəɛɜɡɪɹʃʊʌʒʤʧˈˌːθᵊɐ"),
}

# Punctuation that can reach the phoneme string: misaki's PUNCTS plus the bracket and quote
# readings of punctuation tags, and the marks that misaki's eSpeak fallback passes through
# unchanged (``[the`` -> ``[ðə``). Kokoro has no symbol for the last group; the audio path maps
# them (misaki_lite.kokoro.vocab) instead of dropping them silently.
PUNCTUATION = frozenset(';:,.!?—…"“”()')
ESPEAK_PUNCTUATION = frozenset("[]{}¡¿«»")


# misaki writes T for the flap ɾ and t for the glottal stop ʔ in every version but 2.0.
LEGACY_FREE_VERSION = "2.0"


def legacy_symbols(ps: str, version: str | None) -> str:
    """misaki's version switch, in its one place: ɾ -> T and ʔ -> t unless version is "2.0"."""
    if version == LEGACY_FREE_VERSION:
        return ps
    # two str.replace are a memchr each; translate with a table costs ~70 ns a character
    return ps.replace("ɾ", "T").replace("ʔ", "t")


def phoneme_symbols(dialect: Dialect) -> frozenset[str]:
    """Symbols a lexicon entry of ``dialect`` may use."""
    return _SYMBOLS[dialect]


def user_symbols(dialect: Dialect) -> frozenset[str]:
    """Symbols a user's lexicon entry may use: the lexicon's, plus the legacy ``T`` (flap)
    that misaki writes in its output, where users copy phonemes from."""
    return _SYMBOLS[dialect] | frozenset("T")


@cache
def output_symbols(dialect: Dialect) -> frozenset[str]:
    """Every character the phoneme string may hold, apart from the unknown marker.

    Lexicon symbols of either dialect (eSpeak's output for unknown words can carry symbols of
    the other one), the legacy ``T``, punctuation and the space.
    """
    return _SYMBOLS[Dialect.US] | _SYMBOLS[Dialect.GB] | frozenset("T ") | PUNCTUATION | ESPEAK_PUNCTUATION
