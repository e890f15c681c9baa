"""Word lookup: special cases, gold, silver, case variants, spelling, morphology, numbers.

``Lookup(dialect)(token, ctx)`` returns a ``context.Reading`` (phonemes, misaki's rating, and
the ``Source`` that read it) for one word, or ``NOT_READ`` when the lexicon cannot read it (the
eSpeak fallback's turn). The order is misaki 0.9.4's:

1. special cases (``function_words``): symbols, dotted abbreviations, and the function words
   whose reading depends on tag or context (a, am, an, I, by, to, in, the, vs, used);
2. gold, then silver (with case variants); heteronyms pick their reading by tag;
3. all-caps words not in gold, and words tagged NNP without a primary stress, are spelled
   (except, a misaki bug fixed, the -s/-ed/-ing forms of gold words: ``_inflected_gold``);
4. -s / -ed / -ing on a known stem;
5. numbers (``misaki_lite.reading.numbers``).

Ratings are misaki's: 4 gold/special, 3 silver/spelled, a stemmed word its stem's; the source
is named where each reading is made.
"""
from __future__ import annotations

import unicodedata
from typing import Optional

from ..cache import Bounded
from . import numbers
from ..inventory import Dialect, PRIMARY_STRESS, SECONDARY_STRESS
from . import function_words
from .context import NOT_READ, Context, Reading
from .function_words import parent_tag, symbol_readings
from .lexicon import Tier, load_tier
from .morphology import Morphology
from .spans import NO_USER_KEYS, UserKeys
from .stress import apply_stress
from ..text.punctuation import classes
from ..token import MToken, Source

__all__ = ["Lookup", "lexicon_form"]

# Characters a lexicon word may contain: apostrophe, hyphen, ASCII letters.
LEXICON_CHARS = frozenset("'-" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "abcdefghijklmnopqrstuvwxyz")
ANSWER_CACHE_SIZE = 8192     # remembered word readings per Lookup (bounded memory)
SPOKEN_PHRASES = 4096        # phonemes of the phrases normalization says, per Lookup


class _GoldStems:
    """The lexicon as the stemmers see it for ``Lookup._inflected_gold``: only gold words of 4
    letters or more whose reading (under the tag, or by default) has a primary stress."""

    def __init__(self, lookup: "Lookup") -> None:
        self._lookup = lookup

    def is_known(self, word: str, tag: Optional[str]) -> bool:
        if len(word) < 4 or word not in self._lookup.golds:
            return False
        return PRIMARY_STRESS in self.lookup(word, tag, None, None)[0]   # heteronyms by tag

    def lookup(self, word: str, tag: Optional[str], stress, ctx: Optional[Context]):
        return self._lookup.lookup(word, tag, stress, ctx)


def lexicon_form(word: str) -> str:
    """A word as the lexicon sees it: straight apostrophes, NFKC, ASCII digits."""
    if word.isascii():                  # ASCII text is already in that form
        return word
    word = unicodedata.normalize("NFKC", word.replace("\u2018", "'").replace("\u2019", "'"))
    return "".join(_ascii_digit(c) for c in word)


def _ascii_digit(c: str) -> str:
    """Unicode digits with an integer value become ASCII digits ('²' -> '2')."""
    if not c.isdigit():
        return c
    n = unicodedata.numeric(c)
    return str(int(n)) if n == int(n) else c


class Lookup:
    def __init__(self, dialect: Dialect, exact: bool = False) -> None:
        self.dialect = dialect
        self.exact = exact      # misaki's readings only: no _inflected_gold
        # this Lookup's own tiers over the shared files: user entries stay in this G2P
        # (exact: a user's word answers only itself, as in misaki's dicts)
        self.golds: Tier = load_tier(dialect, "gold").over_same_file(user_variants=not exact)
        self.silvers: Tier = load_tier(dialect, "silver").over_same_file(user_variants=not exact)
        self.said: Tier = load_tier(dialect, "said")    # extended mode's last resort
        self._generations = (0, 0)     # the tiers' write counts the caches below were made at
        self._user_keys: tuple[tuple[int, int], UserKeys] = ((0, 0), NO_USER_KEYS)
        self.morphology = Morphology(dialect)
        self.cap_stresses = (0.5, 2)   # stress for Capitalised and ALL-CAPS words
        self._answers: Bounded = Bounded(ANSWER_CACHE_SIZE)   # see __call__
        # number words ("one", "hundred", "point") by (word, stress): numbers.py reads a long
        # number word by word; a few hundred keys at most
        self.number_words: dict[tuple[str, Optional[float]], Reading] = {}
        self.digit_words: dict[str, tuple[Reading, ...]] = {}   # "7": its words
        self.number_phrases: Bounded = Bounded(numbers.PHRASES)  # numbers.py
        self.spoken_phrases: Bounded = Bounded(SPOKEN_PHRASES)   # pipeline._PlainReader.words

    @property
    def british(self) -> bool:
        """misaki's flag, for code written against misaki's ``Lexicon``."""
        return self.dialect is Dialect.GB

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        self._clear_caches(state)       # caches: not sent to worker processes
        return state

    @staticmethod
    def _clear_caches(state: dict) -> None:
        state["_answers"] = Bounded(ANSWER_CACHE_SIZE)
        state["number_words"] = {}
        state["digit_words"] = {}
        state["number_phrases"] = Bounded(numbers.PHRASES)
        state["spoken_phrases"] = Bounded(SPOKEN_PHRASES)

    def is_user_word(self, text: str) -> bool:
        """Whether the user wrote ``text`` into golds or silvers."""
        return self.golds.is_user_word(text) or self.silvers.is_user_word(text)

    def user_keys(self) -> UserKeys:
        """What the user's entries in golds and silvers add to the keys the reading stage's
        shortcuts know (``spans.UserKeys``)."""
        generations = (self.golds.generation, self.silvers.generation)
        if self._user_keys[0] != generations:
            words = self.golds.user_words() + self.silvers.user_words()
            self._user_keys = (generations, UserKeys.of(words, classes().junk))
        return self._user_keys[1]

    # -- spelling --------------------------------------------------------------------

    def spell(self, word: str):
        """Read a word letter by letter (NNP acronyms): 'FBI' -> ˌɛfbˌiˈI."""
        ps = [self.golds.get(c.upper()) for c in word if c.isalpha()]
        if None in ps:
            return NOT_READ
        joined = apply_stress("".join(ps), 0)
        return Reading(PRIMARY_STRESS.join(joined.rsplit(SECONDARY_STRESS, 1)), 3, Source.SPELLED)

    # -- the lexicon -----------------------------------------------------------------

    def is_known(self, word: str, tag: Optional[str]) -> bool:
        if word in self.golds or word in symbol_readings()[0] or word in self.silvers:
            return True
        if not word.isalpha() or not all(c in LEXICON_CHARS for c in word):
            return False
        if len(word) == 1:
            return True
        if word == word.upper() and word.lower() in self.golds:
            return True
        return word[1:] == word[1:].upper()

    def lookup(self, word: str, tag: Optional[str], stress, ctx: Optional[Context]):
        is_nnp = None
        if word == word.upper() and word not in self.golds:
            word = word.lower()
            is_nnp = tag == "NNP"
        ps, rating, source = self.golds.get(word), 4, Source.GOLD
        if ps is None and not is_nnp:
            ps, rating, source = self.silvers.get(word), 3, Source.SILVER
        if isinstance(ps, dict):
            if ctx and ctx.future_vowel is None and "None" in ps:
                tag = "None"
            elif tag not in ps:
                tag = parent_tag(tag)
            ps = ps.get(tag, ps["DEFAULT"])
        if ps is None and is_nnp and not self.exact:
            inflected = self._inflected_gold(word, tag, stress, ctx)
            if inflected.phonemes is not None:
                return inflected
        if ps is None or (is_nnp and PRIMARY_STRESS not in ps):
            spelled = self.spell(word)
            if spelled.phonemes is not None:
                return spelled
        return Reading(apply_stress(ps, stress), rating, source)

    def _inflected_gold(self, word: str, tag: Optional[str], stress, ctx):
        """An all-caps NNP word (lowercased) read as an inflection of a gold word, or (None, None).

        misaki bug (fixed in both modes): misaki spells every all-caps word of up to 7 letters
        that spaCy tags NNP and gold lacks, also when it is a plural or -ed/-ing form of a gold
        word that it would read as a word: "ROBOT" is ɹˈObˌɑt but "ROBOTS" is R-O-B-O-T-S
        (and "MONITORS", 8 letters, is a word again). Here the form is read as its stem's
        inflection when the stem has at least 4 letters and a gold reading with a primary
        stress (what misaki asks of an all-caps NNP word it reads); "IDS", "UPS" or "LSD" stay
        spelled.
        """
        if len(word) < 5:
            return NOT_READ
        return self.morphology.inflected(_GoldStems(self), word, tag, stress, ctx, stress)

    def stem_s(self, word, tag, stress, ctx):
        return self.morphology.stem_s(self, word, tag, stress, ctx)

    def _lowercase_if_known(self, word: str, tag: Optional[str], stress, ctx) -> str:
        """'Cats' or 'CATS' (not a name) reads as 'cats' when the lower case is known."""
        wl = word.lower()
        if (len(word) > 1 and word.replace("'", "").isalpha() and word != wl
                and (tag != "NNP" or len(word) > 7)
                and word not in self.golds and word not in self.silvers
                and (word == word.upper() or word[1:] == word[1:].lower())
                and (wl in self.golds or wl in self.silvers
                     or self.morphology.inflected(self, wl, tag, stress, ctx, stress).phonemes)):
            return wl
        return word

    def get_word(self, word: str, tag: Optional[str], stress, ctx: Optional[Context]):
        special = function_words.read(self, word, tag, stress, ctx)
        if special.phonemes is not None:
            return special
        word = self._lowercase_if_known(word, tag, stress, ctx)
        if self.is_known(word, tag):
            return self.lookup(word, tag, stress, ctx)
        if word.endswith("s'") and self.is_known(word[:-2] + "'s", tag):
            return self.lookup(word[:-2] + "'s", tag, stress, ctx)
        if word.endswith("'") and self.is_known(word[:-1], tag):
            return self.lookup(word[:-1], tag, stress, ctx)
        return self.morphology.inflected(self, word, tag, stress, ctx,
                                         ing_stress=0.5 if stress is None else stress)

    def append_currency(self, ps: str, currency: Optional[str]) -> str:
        cur = numbers.currencies().get(currency) if currency else None
        if cur is None:
            return ps
        unit = self.stem_s(cur.unit + "s", None, None, None).phonemes
        return f"{ps} {unit}" if unit else ps

    def _word_and_stress(self, tk: MToken) -> tuple[str, Optional[float]]:
        """The token's word as the lexicon sees it (straight apostrophes, NFKC, ASCII digits)
        and the stress its capitals ask for."""
        word = lexicon_form(tk.text if tk._.alias is None else tk._.alias)
        stress = None if word == word.lower() else self.cap_stresses[int(word == word.upper())]
        return word, stress

    def last_resort(self, tk: MToken, ctx: Optional[Context]):
        """Readings tried only when the lexicon and the fallback both failed: the words
        normalization says that no tier holds ("Hong Kong", "kilopascal":
        ``lexicons/<dialect>_said.tsv``), then "-ied" on a known "-y" stem ("specified" ->
        specify + -ed). misaki has neither, so without a fallback these words were unknown;
        after the fallback, misaki's eSpeak output stays."""
        word, stress = self._word_and_stress(tk)
        said = self.said.get(word)
        if said is not None:
            return Reading(apply_stress(said, tk._.stress), 3, Source.SAID)
        if word != word.lower() and word[1:] == word[1:].lower():
            word = word.lower()
        reading = self.morphology.stem_ied(self, word, tk.tag, stress, ctx)
        if reading.phonemes is None:
            return NOT_READ
        return reading._replace(phonemes=apply_stress(reading.phonemes, tk._.stress))

    def __call__(self, tk: MToken, ctx: Optional[Context]):
        """The ``Reading`` of one token in its context, or ``NOT_READ``.

        The answer depends only on what the key below holds, so it is remembered in a bounded
        cache (most words of a text are words it has read before).
        """
        generations = (self.golds.generation, self.silvers.generation)
        if generations != self._generations:     # a user wrote to golds or silvers
            self._clear_caches(self.__dict__)
            self._generations = generations
        key = (tk.text, tk.tag, tk._.alias, tk._.stress, tk._.currency, tk._.is_head, tk._.num_flags,
               None if ctx is None else (ctx.future_vowel, ctx.future_to))
        answer = self._answers.get(key)
        if answer is None:
            answer = self._answers.recall(key)
            if answer is None:
                answer = self._answers.keep(key, self._read(tk, ctx))
        return answer

    def _read(self, tk: MToken, ctx: Optional[Context]):
        word, stress = self._word_and_stress(tk)
        # Digits, commas and periods only: no shipped lexicon word and no symbol holds a digit
        # (tests/test_lexicon.py checks both), so only the number reader can read it, unless
        # a user's entry holds one ("911").
        plain = numbers.is_plain_number(word) and not self.user_keys().numbers
        reading = NOT_READ if plain else self.get_word(word, tk.tag, stress, ctx)
        if reading.phonemes is not None:
            ps = apply_stress(self.append_currency(reading.phonemes, tk._.currency), tk._.stress)
            return reading._replace(phonemes=ps)
        if plain or numbers.is_number(word, tk._.is_head):   # a plain number is a number
            reading = numbers.read_number(self, word, tk._.currency, tk._.is_head, tk._.num_flags)
            return reading._replace(phonemes=apply_stress(reading.phonemes, tk._.stress))
        return NOT_READ
