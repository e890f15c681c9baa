"""The gold and silver tiers: lazy loading, validation, and misaki's case-variant lookup.

A ``Tier`` is one dictionary (gold or silver) of one dialect. misaki grows each dictionary
at load time with case variants ("Paris" finds "paris" and the other way round); a Tier
answers the same questions without storing the variants:

* an exact key wins;
* otherwise a capitalised word ("Record") finds its lower-case entry, and a lower-case word
  finds its capitalised entry, for words of two letters or more.

Values are either a phoneme string or, for heteronyms, a mapping from tag to phonemes
(``None`` where misaki has no reading).

Storage: ``lexicon_file.SortedTsv`` (the sorted TSV files, searched in place).

Tiers pickle as "load tier X of dialect Y", so a ``G2P`` sent to a worker process carries a
few bytes of lexicon, and every process maps the same file pages.
"""
from __future__ import annotations

import mmap
import re
from collections.abc import Iterator, Mapping, MutableMapping
from functools import cache
from typing import Optional

from ..cache import Bounded
from ..errors import LexiconError
from ..inventory import Dialect, user_symbols
from ..resources import data_dir
from .lexicon_file import MAX_KEY_CHARS, MISS, Entry, SortedTsv, check_readings

__all__ = ["Tier", "Entry", "SortedTsv", "load_tier", "MAX_KEY_CHARS", "TIERS"]

CACHE_SIZE = 4096   # answers kept per tier (cache.Bounded: bounded memory)
# misaki's two tiers, and "said": words extended mode's rules say that neither holds ("Hong
# Kong", "kilopascal"), read only when the lexicon and the fallback fail (lookup.last_resort)
TIERS = ("gold", "silver", "said")


class Tier(MutableMapping):
    """One lexicon tier: ``word -> Entry`` with misaki's case variants, readable and writable
    like misaki's dicts (``g2p.lexicon.golds['kokoro'] = 'kˈOkəɹO'``).

    ``entries`` is any mapping (a plain dict in tests, a ``SortedTsv`` for shipped files);
    ``origin`` is ``(dialect, tier)`` for tiers made by ``load_tier``, which pickle by name.

    Writes go to a layer of user entries over the shipped ones and belong to this Tier only
    (each ``G2P`` opens its own, over the same shared file). A user entry wins over the shipped
    one and, with ``user_variants`` (extended mode), like the entries misaki loads, also
    answers its case variant ("kokoro" reads "Kokoro"), and ``del`` hides the variant too.
    misaki adds case variants only at load time, to its dict: without ``user_variants``
    (exact mode) a user's word answers only itself, and a word's variant is the shipped one.
    Values are checked against the dialect's phoneme inventory when written.
    ``generation`` counts the writes, so that callers caching answers know when to drop them.
    """

    def __init__(self, entries: Mapping[str, Entry], origin: Optional[tuple[Dialect, str]] = None,
                 user: Optional[dict[str, Optional[Entry]]] = None, user_variants: bool = True) -> None:
        self._entries = entries
        self._origin = origin
        self._user_variants = user_variants
        self._user: dict[str, Optional[Entry]] = {}      # word -> entry, or None: deleted
        self._answers: Bounded = Bounded(CACHE_SIZE)   # word -> entry or None
        self.generation = 0
        for word, value in (user or {}).items():
            if value is None:
                self.__delitem__(word)
            else:
                self[word] = value

    def over_same_file(self, user_variants: bool = True) -> "Tier":
        """A new Tier over the same shipped entries, with no user entries of its own."""
        return Tier(self._entries, self._origin, user_variants=user_variants)

    def _stored(self, word: str) -> Optional[Entry]:
        """The entry stored under exactly ``word`` (a user entry first), or None."""
        user = self._user
        if word in user:
            return user[word]
        return self._entries.get(word)

    def _find(self, word: str) -> Optional[Entry]:
        """The entry for ``word`` or, as misaki adds case variants, for its variant; else None."""
        user = self._user
        if word in user:
            return user[word]                   # None: deleted
        entry = self._entries.get(word)
        if entry is not None:
            return entry
        variant = _case_variant(word)
        if variant is None:
            return None
        if self._user_variants and variant in user:
            return user[variant]
        return self._entries.get(variant)

    def get(self, word: str, default: Optional[Entry] = None) -> Optional[Entry]:
        answers = self._answers
        value = answers.get(word, MISS)
        if value is MISS:
            value = answers.recall(word, MISS)
        if value is MISS:
            value = answers.keep(word, self._find(word))
        return default if value is None else value  # type: ignore[return-value]

    def __getitem__(self, word: str) -> Entry:
        value = self.get(word)
        if value is None:
            raise KeyError(word)
        return value

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __setitem__(self, word: str, value: Entry) -> None:
        self._user[word] = self._checked(word, value)
        self._changed()

    def __delitem__(self, word: str) -> None:
        if self._find(word) is None:       # a case variant is a key of misaki's dicts too
            raise KeyError(word)
        self._user[word] = None
        self._changed()

    def holds(self, word: str) -> bool:
        """Whether an entry is stored under exactly ``word``: no case variant ("ede" is not
        held where only "Ede" is)."""
        return self._stored(word) is not None

    def is_user_word(self, word: str) -> bool:
        """Whether the user wrote ``word`` (or, with ``user_variants``, its case variant)."""
        user = self._user
        if not user:
            return False
        if word in user:
            return user[word] is not None
        variant = _case_variant(word) if self._user_variants else None
        return variant is not None and user.get(variant) is not None

    def user_words(self) -> list[str]:
        """The words the user wrote (not those deleted)."""
        return [word for word, value in self._user.items() if value is not None]

    def _changed(self) -> None:
        self._answers.clear()
        self.generation += 1

    def _checked(self, word: object, value: object) -> Entry:
        if not isinstance(word, str) or not word:
            raise LexiconError(f"a lexicon word must be a non-empty str, got {word!r}")
        if isinstance(value, dict):
            if "DEFAULT" not in value:
                raise LexiconError(f"word {word!r}: a dict of tag -> phonemes needs a 'DEFAULT' key")
            if not all(isinstance(t, str) and (ps is None or isinstance(ps, str)) for t, ps in value.items()):
                raise LexiconError(f"word {word!r}: a dict entry maps tags (str) to phonemes (str or None)")
            value = dict(value)
        elif not isinstance(value, str):
            raise LexiconError(f"word {word!r}: an entry is a phoneme str or a dict of tag -> phonemes, "
                               f"got {type(value).__name__}")
        if self._origin is not None:
            dialect = self._origin[0]
            check_readings(f"user entry {word!r}", value, user_symbols(dialect), dialect.name)
        return value

    def __len__(self) -> int:
        return sum(1 for _ in self) if self._user else len(self._entries)

    def __iter__(self) -> Iterator[str]:
        """Every stored word (without case variants): the shipped ones, then the user's."""
        user = self._user
        for word in self._entries:
            if word not in user:
                yield word
        for word, value in list(user.items()):
            if value is not None:
                yield word

    def items(self):  # type: ignore[override]
        """Every stored entry (without case variants); shipped entries in file order."""
        if not self._user:
            return iter(self._entries.items())
        return ((word, self._stored(word)) for word in self)

    def validate(self) -> None:
        """Check every entry now (format, order, symbols); raises ``LexiconError``."""
        if isinstance(self._entries, SortedTsv):
            self._entries.validate()

    def __reduce__(self):
        if self._origin is None:
            return (Tier, (dict(self._entries), None, self._user, self._user_variants))
        if not self._user and self is load_tier(*self._origin):
            return (load_tier, self._origin)        # the shared tier stays the shared tier
        return (_reload, (*self._origin, self._user, self._user_variants))


def _case_variant(word: str) -> Optional[str]:
    """The case variant misaki adds to its dicts at load time: "Paris" for "paris" and
    "paris" for "Paris" (none for one character, "PARIS" or "iPhone")."""
    if len(word) < 2:
        return None
    lower = word.lower()
    if word == lower:
        variant = word.capitalize()
        return variant if variant != word else None
    return lower if word == lower.capitalize() else None


def _reload(dialect: Dialect, tier: str, user: dict, user_variants: bool = True) -> "Tier":
    """A pickled Tier: the shipped file (opened again) and the user entries."""
    return Tier(load_tier(dialect, tier)._entries, (dialect, tier), user, user_variants)


@cache
def load_tier(dialect: Dialect, tier: str) -> Tier:
    """Open ``lexicons/<dialect>_<tier>.tsv`` for lookups (``TIERS``: misaki's gold and
    silver, and extended mode's own "said" words).

    Nothing is parsed here: entries are read and checked when first looked up (see the module
    docstring); ``load_tier(...).validate()`` checks the whole file at once.
    """
    if tier not in TIERS:
        raise LexiconError(f"unknown lexicon tier {tier!r}; valid tiers: {', '.join(map(repr, TIERS))}")
    path = data_dir("lexicons") / f"{dialect.value}_{tier}.tsv"
    return Tier(SortedTsv(path, dialect), origin=(dialect, tier))


@cache
def compound_prefixes(dialect: Dialect) -> tuple[frozenset[str], frozenset[str]]:
    """The keys with a hyphen of both tiers, lower-cased, cut after each hyphen ("a-" and
    "a-la-" of "a-la-carte"), and every ending of those cuts (for a walk from the right).

    A span of pieces whose text has a hyphen after its first character can only be a lexicon
    word if its text up to its last hyphen is one of these cuts (the grouping pass uses this
    to skip spans, issue 19).
    """
    cuts: set[str] = set()
    for tier in ("gold", "silver"):
        for key in _hyphenated_keys(data_dir("lexicons") / f"{dialect.value}_{tier}.tsv"):
            key = key.lower()
            cuts.update(key[:i + 1] for i, c in enumerate(key) if c == "-")
    endings = {cut[i:] for cut in cuts for i in range(len(cut))}
    return frozenset(cuts), frozenset(endings)


_HYPHENATED_KEY = re.compile(rb"^([^\t\n#][^\t\n]*-[^\t\n]*|-[^\t\n]*)", re.MULTILINE)


def _hyphenated_keys(path) -> list[str]:
    """The words with a hyphen of a lexicon file (header lines excepted), found in a mapping
    of the file that is closed again: reading the whole file as text would cost its size
    several times over in memory, for a few thousand words."""
    with open(path, "rb") as fh:
        if not fh.seek(0, 2):
            return []
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return [m.decode("utf-8") for m in _HYPHENATED_KEY.findall(data)]
