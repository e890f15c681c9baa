"""Feature extraction for the part-of-speech tagger (shared by training and tagging).

A token is described by two kinds of feature strings:

* *word features* depend only on the token's text (lowercased word, prefixes, suffixes,
  shape); they are computed once per distinct word and cached;
* *context features* depend on the neighbouring words (two each side), on the *classes* of
  the next two words (the tags a word took in the training data, e.g. ``IN/DT/WDT`` for
  *that*: a cheap look at the right context, whose tags are not predicted yet) and on the two
  tags predicted just before; they are built per position by :func:`context_features`.

Every feature is a short string ``"<kind>=<value>"``; the model maps it to per-tag weights.
The same functions are used by ``tools/train_tagger.py`` and by :mod:`misaki_lite.tagger`, so
the two cannot drift apart.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Mapping, Sequence

START = "<s>"
END = "</s>"
# A word longer than this is known by its affixes and shape only: its identity in the features
# (``w=``, ``ww+1=``...) is LONG. No training word is that long (the dev corpus has one such
# token in 83,666), and every new identity costs a binary search in the weight file: a megabyte
# of random digits is 14,000 new words, 1.4 s of look-ups without this (issue 7).
LONG_WORD = 40
LONG = "<long>"
QUOTES = frozenset(['"', "'", "“", "”", "‘", "’", "``", "''"])


_ASCII_CLASSES = str.maketrans({**{chr(c): "X" for c in range(65, 91)},
                                **{chr(c): "x" for c in range(97, 123)},
                                **{chr(c): "d" for c in range(48, 58)}})
_RUNS = re.compile(r"(.)\1+", re.S)


def shape(word: str) -> str:
    """The word's character classes with runs collapsed: ``Hello`` -> ``Xx``, ``U.S.`` -> ``X.X.``.

    Upper-case letters become ``X``, lower-case ``x``, digits ``d``; any other character stands
    for itself. At most five classes are kept.
    """
    head = word[:16]
    if head.isascii():      # one translate and one collapse of runs, the same classes
        return _RUNS.sub(r"\1", head.translate(_ASCII_CLASSES))[:5]
    out = []
    last = ""
    for ch in head:
        if ch.isupper():
            cls = "X"
        elif ch.islower():
            cls = "x"
        elif ch.isdigit():
            cls = "d"
        elif ch.isalpha():
            cls = "a"
        else:
            cls = ch
        if cls != last:
            out.append(cls)
            last = cls
    return "".join(out[:5])


@lru_cache(maxsize=65536)
def word_features(word: str) -> tuple[str, ...]:
    """Features of one word that do not depend on its context.

    >>> word_features("Dogs")[:3]
    ('w=dogs', 'W=Dogs', 'sh=Xx')
    """
    low = word.lower()
    feats = ["w=" + identity(low)]
    if word != low and len(word) <= LONG_WORD:
        feats.append("W=" + word)
    feats.append("sh=" + shape(word))
    if len(low) > 1:
        feats += ["p1=" + low[:1], "s1=" + low[-1:]]
    if len(low) > 2:
        feats += ["p2=" + low[:2], "s2=" + low[-2:]]
    if len(low) > 3:
        feats += ["p3=" + low[:3], "s3=" + low[-3:]]
    if len(low) > 4:
        feats.append("s4=" + low[-4:])
    if word.isupper() and len(word) > 1:
        feats.append("allcaps")
    if any(ch.isdigit() for ch in word):
        feats.append("digit")
    if "-" in word and len(word) > 1:
        feats.append("hyphen")
    if "://" in low or low.startswith("www.") or ("@" in low and "." in low):
        feats.append("address")  # URLs and e-mail addresses: spaCy says NNP or NN
    return tuple(feats)


def identity(low: str) -> str:
    """How the features name a (lowercased) word: itself, or LONG for a very long one."""
    return low if len(low) <= LONG_WORD else LONG


def space_codes(words: Sequence[str], spaces: Sequence[str]) -> list[str]:
    """Per token, whether whitespace comes before and after it: ``"11"``, ``"10"``, ``"01"``,
    ``"00"`` (the text's start counts as a space; ``spaces[i]`` follows ``words[i]``).

    spaCy's tagger sees the same thing (its ``SPACY`` attribute): it is what tells an opening
    quote from a closing one, or a dash from a hyphen.
    """
    codes = []
    for i, word in enumerate(words):
        before = i == 0 or bool(spaces[i - 1]) or not words[i - 1].strip()
        after = bool(spaces[i]) or (i + 1 < len(words) and not words[i + 1].strip())
        codes.append(("1" if before else "0") + ("1" if after else "0"))
    return codes


def classifier(classes: Mapping[str, str]) -> Callable[[str], str]:
    """``word -> tag class`` from a mapping: the exact form first, then lowercased, ``?`` for
    a word the mapping lacks (the tagger reads the same table from its weight file)."""
    def word_class(word: str) -> str:
        return classes.get(word) or classes.get(word.lower()) or "?"
    return word_class


def sequence_views(words: Sequence[str], codes: Sequence[str] | None = None,
                   word_class: Callable[[str], str] | None = None) -> tuple[list[str], ...]:
    """Padded per-position views of a sentence: lowercased words, 3-letter suffixes, shapes,
    for quote tokens whether an odd (``o``) or even (``e``) number of quotes came before, the
    space codes of :func:`space_codes` (empty strings when unknown) and the words' tag classes
    (``word_class(word)``, see :func:`classifier`; ``?`` everywhere without it).

    Each list has two padding entries at both ends, so position ``i`` of ``words`` is index
    ``i + 2`` of the views.
    """
    lowered = [START, START] + [w.lower() for w in words] + [END, END]
    sufs = [w[-3:] for w in lowered]
    lows = [identity(w) for w in lowered]
    shapes = [START, START] + [shape(w) for w in words] + [END, END]
    parity = [""] * len(lows)
    seen = 0
    for i, word in enumerate(words, 2):
        if word in QUOTES:
            parity[i] = "o" if seen % 2 else "e"
            seen += word in ('"', "``", "''")
    sp = ["", ""] + (list(codes) if codes is not None else [""] * len(words)) + ["", ""]
    amb = ([START, START] + [word_class(w) if word_class else "?" for w in words]
           + [END, END])
    return lows, sufs, shapes, parity, sp, amb


def static_context(views: tuple[list[str], ...], i: int) -> list[str]:
    """Context features of position ``i`` (index into the padded views) that ignore tags."""
    lows, sufs, shapes, parity, sp, amb = views
    low = lows[i]
    feats = [
        "bias",
        "w-1=" + lows[i - 1], "w+1=" + lows[i + 1],
        "w-2=" + lows[i - 2], "w+2=" + lows[i + 2],
        "s-1=" + sufs[i - 1], "s+1=" + sufs[i + 1],
        "s-2=" + sufs[i - 2], "s+2=" + sufs[i + 2],
        "sh-1=" + shapes[i - 1], "sh+1=" + shapes[i + 1],
        "ww+1=" + low + "|" + lows[i + 1],
        "w-1w=" + lows[i - 1] + "|" + low,
        "shsh=" + shapes[i - 1] + "|" + shapes[i] + "|" + shapes[i + 1],
        "a+1=" + amb[i + 1], "a+2=" + amb[i + 2],
        "wa+1=" + low + "|" + amb[i + 1],
        "a+1a+2=" + amb[i + 1] + "|" + amb[i + 2],
    ]
    if i == 2:
        feats += ["first", "fsh=" + shapes[i]]
    if parity[i]:
        feats.append("q=" + parity[i] + low)
    if sp[i]:
        feats.append("sp=" + sp[i])
        if not low.isalnum():
            feats.append("spw=" + sp[i] + low)
    return feats


def tag_context(low: str, prev: str, prev2: str, next_class: str = "?") -> list[str]:
    """Context features that use the two previously predicted tags (and the next word's
    class: the tag on the left with the likely tag on the right)."""
    return ["t-1=" + prev, "t-2=" + prev2, "tt=" + prev2 + "|" + prev, "t-1w=" + prev + "|" + low,
            "t-1a+1=" + prev + "|" + next_class,
            "t-1wa+1=" + prev + "|" + low + "|" + next_class]


def context_features(words: Sequence[str], position: int, prev: str, prev2: str,
                     spaces: Sequence[str] | None = None,
                     classes: Mapping[str, str] | None = None) -> list[str]:
    """All features of ``words[position]`` given the two previous tags (slow reference path).

    The tagger and the trainer compute the same list piecewise for speed; this function is the
    readable definition that the unit tests compare against.
    """
    views = sequence_views(words, space_codes(words, spaces) if spaces is not None else None,
                           classifier(classes) if classes is not None else None)
    i = position + 2
    return (list(word_features(words[position]))
            + static_context(views, i)
            + tag_context(views[0][i], prev, prev2, views[5][i + 1]))
