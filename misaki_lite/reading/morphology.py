"""-s, -ed and -ing: misaki's suffix rules, for words whose stem is in the lexicon.

``Morphology`` holds the phonology (which allomorph a stem takes, per dialect) and the
stemmers that find a known stem ("cats" -> "cat", "hoped" -> "hope", "running" -> "run").
Stemmers return a ``context.Reading`` (source: morphology) or ``NOT_READ``. ``stem_ied`` ("specified" ->
"specify") is not one of misaki's: it runs only as a last resort, after the fallback.
"""
from __future__ import annotations

import re
from typing import Optional

from ..inventory import Dialect
from ..token import Source
from .context import NOT_READ, Context, Reading, Words

__all__ = ["Morphology"]

# Vowels and ɹ after which an American /t/ flaps (ɾ) before an unstressed vowel.
US_TAUS = frozenset("AIOWYiuæɑəɛɪɹʊʌ")
_DOUBLED = re.compile(r"([bcdgklmnprstvxz])\1ing$|cking$")


class Morphology:
    def __init__(self, dialect: Dialect) -> None:
        self.british = dialect is Dialect.GB
        self.reduced = "ɪ" if self.british else "ᵻ"   # the vowel of -es, -ed after sibilants/t/d

    # -- phonology --------------------------------------------------------------------

    def s(self, stem: Optional[str]) -> Optional[str]:
        """https://en.wiktionary.org/wiki/-s"""
        if not stem:
            return None
        if stem[-1] in "ptkfθ":
            return stem + "s"
        if stem[-1] in "szʃʒʧʤ":
            return stem + self.reduced + "z"
        return stem + "z"

    def ed(self, stem: Optional[str]) -> Optional[str]:
        """https://en.wiktionary.org/wiki/-ed"""
        if not stem:
            return None
        if stem[-1] in "pkfθʃsʧ":
            return stem + "t"
        if stem[-1] == "d":
            return stem + self.reduced + "d"
        if stem[-1] != "t":
            return stem + "d"
        if self.british or len(stem) < 2:
            return stem + "ɪd"
        if stem[-2] in US_TAUS:
            return stem[:-1] + "ɾᵻd"
        return stem + "ᵻd"

    def ing(self, stem: Optional[str]) -> Optional[str]:
        """https://en.wiktionary.org/wiki/-ing"""
        if not stem:
            return None
        if self.british:
            if stem[-1] in "əː":
                return None
        elif len(stem) > 1 and stem[-1] == "t" and stem[-2] in US_TAUS:
            return stem[:-1] + "ɾɪŋ"
        return stem + "ɪŋ"

    def add_suffix(self, ps: Optional[str], suffix: Optional[str]) -> Optional[str]:
        """The suffix of a number token ("1990s", "5'd", "10ing") applied to its reading."""
        if suffix in ("s", "'s"):
            return self.s(ps)
        if suffix in ("ed", "'d"):
            return self.ed(ps)
        if suffix == "ing":
            return self.ing(ps)
        return ps

    # -- stemmers -----------------------------------------------------------------------

    def inflected(self, lex: Words, word: str, tag, stress, ctx: Optional[Context],
                  ing_stress) -> Reading:
        """The first of -s, -ed and -ing (in misaki's order) that reads ``word`` from a known
        stem, or NOT_READ; -ing takes ``ing_stress`` (the lexicon gives a bare word misaki's 0.5)."""
        for stem, s in ((self.stem_s, stress), (self.stem_ed, stress),
                        (self.stem_ing, ing_stress)):
            reading = stem(lex, word, tag, s, ctx)
            if reading.phonemes is not None:
                return reading
        return NOT_READ

    def stem_s(self, lex: Words, word: str, tag, stress, ctx: Optional[Context]):
        if len(word) < 3 or not word.endswith("s"):
            return NOT_READ
        if not word.endswith("ss") and lex.is_known(word[:-1], tag):
            stem = word[:-1]
        elif (word.endswith("'s") or (len(word) > 4 and word.endswith("es") and not word.endswith("ies"))) \
                and lex.is_known(word[:-2], tag):
            stem = word[:-2]
        elif len(word) > 4 and word.endswith("ies") and lex.is_known(word[:-3] + "y", tag):
            stem = word[:-3] + "y"
        else:
            return NOT_READ
        stem_reading = lex.lookup(stem, tag, stress, ctx)
        return Reading(self.s(stem_reading.phonemes), stem_reading.rating, Source.MORPHOLOGY)

    def stem_ed(self, lex: Words, word: str, tag, stress, ctx: Optional[Context]):
        if len(word) < 4 or not word.endswith("d"):
            return NOT_READ
        if not word.endswith("dd") and lex.is_known(word[:-1], tag):
            stem = word[:-1]
        elif len(word) > 4 and word.endswith("ed") and not word.endswith("eed") and lex.is_known(word[:-2], tag):
            stem = word[:-2]
        else:
            return NOT_READ
        stem_reading = lex.lookup(stem, tag, stress, ctx)
        return Reading(self.ed(stem_reading.phonemes), stem_reading.rating, Source.MORPHOLOGY)

    def stem_ied(self, lex: Words, word: str, tag, stress, ctx: Optional[Context]):
        """'specified' -> 'specify' + -ed (misaki has no -ied rule). The caller tries it only
        after the fallback (``Lookup.last_resort``)."""
        if len(word) < 5 or not word.endswith("ied") or not lex.is_known(word[:-3] + "y", tag):
            return NOT_READ
        stem_reading = lex.lookup(word[:-3] + "y", tag, stress, ctx)
        return Reading(self.ed(stem_reading.phonemes), stem_reading.rating, Source.MORPHOLOGY)

    def stem_ing(self, lex: Words, word: str, tag, stress, ctx: Optional[Context]):
        if len(word) < 5 or not word.endswith("ing"):
            return NOT_READ
        if len(word) > 5 and lex.is_known(word[:-3], tag):
            stem = word[:-3]
        elif lex.is_known(word[:-3] + "e", tag):
            stem = word[:-3] + "e"
        elif len(word) > 5 and _DOUBLED.search(word) and lex.is_known(word[:-4], tag):
            stem = word[:-4]
        else:
            return NOT_READ
        stem_reading = lex.lookup(stem, tag, stress, ctx)
        return Reading(self.ing(stem_reading.phonemes), stem_reading.rating, Source.MORPHOLOGY)
