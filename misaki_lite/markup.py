"""Stage 1: misaki's inline markup, ``[text](feature)``.

``parse(text)`` returns the plain text, the words of the text as misaki counts them (the
whitespace-separated words outside links and each link's text as one word) and the features
keyed by word index. The feature kinds and their patterns are data in ``rules/markup.yaml``:

* ``Phonemes("...")``: the bracketed words read exactly so;
* a stress request (int or ±0.5);
* ``NumFlags("a&n")``: number-reading flags.

``align(words, tokens)`` maps features from markup words onto tokens.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Optional, Union

from . import rules

__all__ = ["Phonemes", "NumFlags", "Feature", "parse", "parse_feature", "feature_positions"]

_SCHEMA = rules.Schema.of(required="kind pattern")


@dataclass(frozen=True)
class Phonemes:
    value: str


@dataclass(frozen=True)
class NumFlags:
    value: str


Feature = Union[Phonemes, NumFlags, int, float]


@cache
def _rules() -> tuple[re.Pattern, list[tuple[str, re.Pattern]]]:
    link, kinds = None, []
    for rule in rules.load("markup.yaml", _SCHEMA):
        pattern = re.compile(rule["pattern"])
        if rule["kind"] == "link":
            link = pattern
        else:
            kinds.append((rule["kind"], pattern))
    return link, kinds


def parse_feature(f: str) -> Optional[Feature]:
    """Read the part in parentheses; None when it is not a feature misaki knows."""
    for kind, pattern in _rules()[1]:
        if not pattern.match(f):
            continue
        if kind == "stress":
            return float(f) if "." in f else int(f)
        if kind == "phonemes":
            return Phonemes(f.strip("/"))
        if kind == "num_flags":
            return NumFlags(f.strip("#"))
    return None


def parse(text: str) -> tuple[str, list[str], dict[int, Feature]]:
    """Strip the markup: (plain text, misaki's word list, features by word index)."""
    link = _rules()[0]
    result, words, features = [], [], {}
    last = 0
    text = text.lstrip()
    for m in link.finditer(text):
        before = text[last:m.start()]
        result.append(before)
        words.extend(before.split())
        feature = parse_feature(m.group(2))
        if feature is not None:
            features[len(words)] = feature
        result.append(m.group(1))
        words.append(m.group(1))
        last = m.end()
    result.append(text[last:])
    words.extend(text[last:].split())
    return "".join(result), words, features


def feature_positions(words: list[str], tokens: list[str], k: int) -> list[tuple[int, int]]:
    """Where markup word ``k`` lands among ``tokens``, as misaki computes it.

    misaki aligns the two tokenizations character by character (spaCy's Alignment), then takes
    the positions of ``k`` in the *flattened* token-to-word table as token indices. The two
    agree while every token overlaps at most one word; we reproduce the flattened reading so
    that the rare case of a token spanning two words behaves as misaki does. Returns
    (rank, token index) pairs: rank 0 is the first token of the word.
    """
    owner: list[int] = []  # word index of every non-space character
    for i, w in enumerate(words):
        owner.extend(i for c in w if not c.isspace())
    flat: list[int] = []
    pos = 0
    for tok in tokens:
        seen: list[int] = []
        for c in tok:
            if c.isspace():
                continue
            if pos < len(owner) and owner[pos] not in seen:
                seen.append(owner[pos])
            pos += 1
        flat.extend(seen)
    hits = [j for j, w in enumerate(flat) if w == k]
    return [(rank, j) for rank, j in enumerate(hits) if j < len(tokens)]
