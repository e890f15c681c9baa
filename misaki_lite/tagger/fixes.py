"""misaki 0.9.4 bugs fixed on the tagged tokens, in both normalization modes.

* misaki #71: a lone negative number ("-1", "The value is -1.") is tagged as punctuation by
  the tagger, and misaki then reads it as punctuation: nothing. A token that is a signed number
  gets the tag CD, so the number reader says "minus one".
* An opening single quote ("say 'go left'") is sometimes tagged as a closing one, and misaki
  writes ” for it. A ``'`` after a space, the start or an opening bracket or quote, glued to a
  word that is not one an apostrophe shortens ('em, 'cause, 'tis...), with a ``'`` glued to
  the end of a later word, gets the tag "``". In the tagger's training text spaCy tags 572 of
  the 590 such quotes "``", the rest "''". The first "'" glued to a word after an opening one
  closes it (tag "''"), where spaCy sometimes says POS and misaki leaves the quotation open
  ("the 'Forbes' list"): in the training text spaCy closes 586 of 630. And an apostrophe
  that starts an elided word ('til, 'tis, 'em) is tagged POS, so that it joins the word,
  where spaCy takes it for a quote (279 of the 570 in the training text) and misaki writes “
  or ” for it.
* Likewise the apostrophe that ends an elided word: a dropped g ("workin'", "nothin'") and
  "o'" (of). Unless it closes a single quote opened before it (by a "'" or, the TeX way, by
  a lone backtick: `Frankenstein'), it is tagged POS and joins the word. spaCy tags 335 of
  the 434 such apostrophes in the training text "''" (29 of 40 in the dev corpus), and
  misaki writes ” for them.
* A bracket is a bracket: "[" and "{" get the tag -LRB-, "]" and "}" -RRB- (read "(" and ")").
  spaCy tags an opening square bracket XX or NN often enough (``said [the man]``) that misaki
  glues it to the next word and eSpeak reads "[the" with the bracket in the phonemes.

The other fixes live at their own depth: curly apostrophes in ``misaki_lite.text.orthography`` (#100,
before tagging), the VBP readings in the lexicon lookup (#94), "-ied" in morphology.
"""
from __future__ import annotations

from functools import cache

import regex

from ..token import MToken

__all__ = ["apply", "CUT_SHORT"]

# Tags of punctuation: a signed number carrying one of these was mistagged.
_NOT_NUMBER_TAGS = frozenset([".", ",", ":", "''", "``", "-LRB-", "-RRB-", "HYPH", "NFP", "SYM"])


@cache
def _signed_number() -> regex.Pattern:
    return regex.compile(r"-(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?+")


# Words written with a leading apostrophe for letters left out ('em, 'til, 'tis): the "'"
# belongs to the word. Nor is it a quote before the ending of a contraction typed apart
# ("it 's").
_ELIDED = frozenset("""em cause cos til till tis twas twere twould twill bout round er im
    gainst mongst midst mid neath nuff ere scuse fraid ow""".split())
_ENDINGS = frozenset("s ll re ve d m t n".split())
# Words that an apostrophe ends for letters left out: a dropped g ("workin'", at least two
# letters before "in", so not "in'") and "o'" (of). Not "'n'": in "rock 'n' roll" it is
# "and", but as often a quoted letter ("the 'n' integer presentation").
CUT_SHORT = regex.compile(r"[a-z]{2,}in|o", regex.IGNORECASE)
_OPENERS = frozenset('([{"“‘')
_BRACKETS = {"(": "-LRB-", "[": "-LRB-", "{": "-LRB-", ")": "-RRB-", "]": "-RRB-", "}": "-RRB-"}


def _glued_quote(tokens: list[MToken], j: int) -> bool:
    """A "'" glued to the end of the word before it (a closing quote or an apostrophe)."""
    return (tokens[j].text == "'" and j > 0 and not tokens[j - 1].whitespace
            and bool(tokens[j - 1].text.strip()))


def _cut_short(tokens: list[MToken], i: int) -> bool:
    """Whether the "'" at ``i`` is glued to the end of an elided word ("workin'", "o'") and
    ends it: no letter is glued after it."""
    return (_glued_quote(tokens, i) and bool(CUT_SHORT.fullmatch(tokens[i - 1].text))
            and (tokens[i].whitespace or i + 1 == len(tokens)
                 or not tokens[i + 1].text[:1].isalpha()))


def _word_start(tokens: list[MToken], i: int) -> bool:
    """Whether the "'" at ``i`` starts a word: a space or an opener before it (or nothing),
    a word glued after it."""
    if i + 1 == len(tokens) or tokens[i].whitespace or not tokens[i + 1].text[:1].isalpha():
        return False
    before = tokens[i - 1] if i else None
    return (before is None or bool(before.whitespace) or not before.text.strip()
            or before.text in _OPENERS)


def _opening_quote(tokens: list[MToken], i: int, last_glued: int) -> bool:
    """Whether the "'" at ``i`` opens a quotation: it starts a word that is not an elided one
    or a contraction's ending, and a glued "'" later on can close it (``last_glued`` is the
    index of the last one; without one, "common 'tater!" is an elision too)."""
    after = tokens[i + 1].text.lower() if i + 1 < len(tokens) else ""
    return (last_glued > i + 1 and _word_start(tokens, i)
            and after not in _ELIDED and after not in _ENDINGS)


def apply(tokens: list[MToken]) -> list[MToken]:
    quotes = [j for j, tk in enumerate(tokens) if tk.text == "'"]   # most texts have none
    last_glued = max((j for j in quotes if _glued_quote(tokens, j)), default=-1)
    open_quote = False      # a single quote is open: the next glued "'" closes it
    for i, tk in enumerate(tokens):
        if tk.tag in _NOT_NUMBER_TAGS and tk.text[:1] == "-" and _signed_number().fullmatch(tk.text):
            tk.tag = "CD"
        elif tk.text == "`" and "`" not in (tokens[i - 1].text if i else "",
                                            tokens[i + 1].text if i + 1 < len(tokens) else ""):
            open_quote = True       # `like this': the "'" closes it (not TeX's ``double'')
        elif tk.text in _BRACKETS:
            tk.tag = _BRACKETS[tk.text]
        elif tk.text != "'":
            continue
        elif _word_start(tokens, i) and tokens[i + 1].text.lower() in _ELIDED:
            tk.tag = "POS"          # joins the word it shortens: 'til, 'tis, 'em
        elif tk.tag == "``" or _opening_quote(tokens, i, last_glued):
            tk.tag, open_quote = "``", True
        elif open_quote and _glued_quote(tokens, i):
            tk.tag, open_quote = "''", False
        elif _cut_short(tokens, i):
            tk.tag = "POS"          # joins the word it ends: workin', o'
    return tokens
