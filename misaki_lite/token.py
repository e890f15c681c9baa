"""The token type that misaki (and kokoro's KPipeline) expects back from ``G2P``.

``MToken`` mirrors ``misaki.token.MToken`` field for field. Its ``_`` namespace answers
``None`` for any attribute that was never set, as misaki's ``addict`` subclass does, so code
written against misaki (``tk._.stress``, ``tk._.rating``…) reads it unchanged.
"""
import unicodedata
from dataclasses import dataclass
from typing import Any, Optional

__all__ = ["MToken", "Source", "has_content"]


def has_content(text: str) -> bool:
    """A letter, mark, number or symbol, or a private-use/surrogate/unassigned code point: a
    word that must be read or reported (punctuation, spaces and controls may be silent)."""
    return any(unicodedata.category(c)[0] in "LMNS" or unicodedata.category(c) in ("Co", "Cs", "Cn")
               for c in text)


class Source:
    """Names of the tiers that can produce a word's phonemes (``token._.source``)."""

    OVERRIDE = "override"        # markup: [word](/phonemes/)
    GOLD = "gold"                # gold tier or a special case
    SILVER = "silver"
    SAID = "said"                # extended mode: a word its own rules say ("kilopascal"),
                                 # from lexicons/<dialect>_said.tsv when nothing else read it
    SPELLED = "spelled"          # letter by letter (acronyms, dotted abbreviations)
    MORPHOLOGY = "morphology"    # -s / -ed / -ing on a known stem
    NUMBER = "number"
    ESPEAK = "espeak"            # the eSpeak fallback
    PUNCTUATION = "punctuation"
    CURRENCY = "currency"        # a currency symbol, read with its number
    DROPPED = "dropped"          # a symbol or mark read as nothing on purpose (an emoji, a
                                 # lone combining mark tagged as punctuation): reported, not lost
    UNKNOWN = "unknown"          # nothing could read it: the unknown marker
    TOO_LONG = "too-long"        # a token of over grouping.MAX_WORD_CHARS characters: no word,
                                 # not read (the unknown marker), the token keeps its text


class Underscore:
    """Attribute bag: unset attributes read as ``None``; ``source`` is misaki_lite's own.

    misaki's is an ``addict.Dict``. Here the attributes the pipeline uses are slots, so a
    token's bag costs a third of what a dict would (a long line makes many tokens); any
    other attribute still works (it goes to an instance dict, made only then). ``in``, ``==``
    and ``repr`` see the attributes that are not ``None``.
    """

    __slots__ = ("is_head", "alias", "stress", "currency", "num_flags", "prespace", "rating",
                 "source", "rule", "__dict__")
    FIELDS = __slots__[:-1]

    def __init__(self, is_head: Any = None, alias: Any = None, stress: Any = None,
                 currency: Any = None, num_flags: Any = None, prespace: Any = None,
                 rating: Any = None, source: Any = None, rule: Any = None, **extra: Any) -> None:
        self.is_head, self.alias, self.stress, self.currency = is_head, alias, stress, currency
        self.num_flags, self.prespace, self.rating = num_flags, prespace, rating
        self.source, self.rule = source, rule
        if extra:
            self.__dict__.update(extra)

    def __getattr__(self, key: str) -> Any:         # only for attributes never set
        if key.startswith("__"):
            raise AttributeError(key)
        return None

    def _items(self) -> dict:
        items = {k: getattr(self, k) for k in self.FIELDS if getattr(self, k) is not None}
        items.update((k, v) for k, v in self.__dict__.items() if v is not None)
        return items

    def __contains__(self, key: str) -> bool:
        return getattr(self, key) is not None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Underscore) and self._items() == other._items()

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._items().items())
        return f"Underscore({inner})"

    def copy(self) -> "Underscore":
        return Underscore(**self._items())


@dataclass(slots=True)
class MToken:
    text: str
    tag: str
    whitespace: str
    phonemes: Optional[str] = None
    start_ts: Optional[float] = None
    end_ts: Optional[float] = None
    _: Optional[Underscore] = None

    Underscore = Underscore
