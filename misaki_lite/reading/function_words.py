"""Special cases read before the lexicon, as misaki reads them: symbols (``rules/symbols.yaml``),
dotted abbreviations (spelled), and the function words whose reading depends on their tag or
on what follows (a, am, an, I, by, to, in, the, vs, used)."""
from __future__ import annotations

import re
from functools import cache
from typing import Optional

from .. import rules
from ..inventory import PRIMARY_STRESS, SECONDARY_STRESS
from ..token import Source
from .context import NOT_READ, Context, Reading, Words

__all__ = ["read", "parent_tag", "symbol_readings"]

_VS = re.compile(r"(?i)vs\.?$")
_SYMBOL_SCHEMA = rules.Schema.of(required="symbol word", optional="tag stress")


@cache
def symbol_readings() -> tuple[dict[str, tuple[str, Optional[float]]], dict[tuple[str, str], tuple[str, Optional[float]]]]:
    plain, tagged = {}, {}
    for r in rules.load("symbols.yaml", _SYMBOL_SCHEMA):
        reading = (r["word"], r.get("stress"))
        if "tag" in r:
            tagged[(r["tag"], r["symbol"])] = reading
        else:
            plain[r["symbol"]] = reading
    return plain, tagged


def _special(phonemes: Optional[str]) -> Reading:
    """A special case's reading (a function word read by tag or context): gold's rating."""
    return Reading(phonemes, 4, Source.GOLD)


def parent_tag(tag: Optional[str]) -> Optional[str]:
    """The coarse class misaki's heteronyms are keyed by (VERB, NOUN, ADV, ADJ), else the tag."""
    if tag is None:
        return tag
    if tag.startswith("VB"):
        return "VERB"
    if tag.startswith("NN"):
        return "NOUN"
    if tag.startswith("ADV") or tag.startswith("RB"):
        return "ADV"
    if tag.startswith("ADJ") or tag.startswith("JJ"):
        return "ADJ"
    return tag


def read(lex: Words, word: str, tag: Optional[str], stress, ctx: Optional[Context]) -> Reading:
    """The special cases, in misaki's order: symbols (rules/symbols.yaml), dotted
    abbreviations spelled, and the function words read by tag or context; NOT_READ else."""
    plain, tagged = symbol_readings()
    if (tag, word) in tagged:
        w, s = tagged[(tag, word)]
        return lex.lookup(w, None, s, ctx)
    if word in plain:
        w, s = plain[word]
        return lex.lookup(w, None, s, ctx)
    if "." in word.strip(".") and word.replace(".", "").isalpha() and len(max(word.split("."), key=len)) < 3:
        return lex.spell(word)                        # U.S.A., e.g., p.m.
    if word in ("a", "A"):
        return _special("ɐ" if tag == "DT" else "ˈA")
    if word in ("am", "Am", "AM"):
        if tag and tag.startswith("NN"):
            return lex.spell(word)
        if ctx is None or ctx.future_vowel is None or word != "am" or (stress and stress > 0):
            return _special(lex.golds.get("am"))
        return _special("ɐm")
    if word in ("an", "An", "AN"):
        if word == "AN" and tag and tag.startswith("NN"):
            return lex.spell(word)
        return _special("ɐn")
    if word == "I" and tag == "PRP":
        return _special(SECONDARY_STRESS + "I")
    if word in ("by", "By", "BY") and parent_tag(tag) == "ADV":
        return _special("bˈI")
    if word in ("to", "To") or (word == "TO" and tag in ("TO", "IN")):
        vowel = None if ctx is None else ctx.future_vowel
        return _special({None: lex.golds.get("to"), False: "tə", True: "tʊ"}[vowel])
    if word in ("in", "In") or (word == "IN" and tag != "NNP"):
        unstressed = ctx is not None and ctx.future_vowel is not None and tag == "IN"
        return _special(("" if unstressed else PRIMARY_STRESS) + "ɪn")
    if word in ("the", "The") or (word == "THE" and tag == "DT"):
        return _special("ði" if ctx is not None and ctx.future_vowel is True else "ðə")
    if tag == "IN" and _VS.match(word):
        return lex.lookup("versus", None, None, ctx)
    if word in ("used", "Used", "USED"):
        used = lex.golds.get("used")
        if tag in ("VBD", "JJ") and ctx is not None and ctx.future_to:
            return _special(used["VBD"])
        return _special(used["DEFAULT"])
    return NOT_READ
