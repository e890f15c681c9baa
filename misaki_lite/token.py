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
    """Attribute bag: unset attributes read as ``None``; ``source`` is misaki_lite's own."""

    # The attributes the pipeline reads, None until set: found here without a __getattr__ call
    # (they are not in the instance's __dict__, so ``in``, ``==`` and repr are unchanged).
    is_head = alias = stress = currency = num_flags = prespace = rating = source = rule = None

    def __init__(self, **kwargs: Any) -> None:
        self.__dict__.update(kwargs)

    def __getattr__(self, key: str) -> Any:
        if key.startswith("__"):
            raise AttributeError(key)
        return None

    def __contains__(self, key: str) -> bool:
        return key in self.__dict__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Underscore) and self.__dict__ == other.__dict__

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"Underscore({inner})"

    def copy(self) -> "Underscore":
        return Underscore(**self.__dict__)


@dataclass
class MToken:
    text: str
    tag: str
    whitespace: str
    phonemes: Optional[str] = None
    start_ts: Optional[float] = None
    end_ts: Optional[float] = None
    _: Optional[Underscore] = None

    Underscore = Underscore
