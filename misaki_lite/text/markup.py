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

from .. import rules

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


def _links(text: str, link: re.Pattern):
    """The matches of ``link`` in ``text``, as ``link.finditer`` gives them, in linear time.

    ``finditer`` tries the pattern from every '[': on a text of '[' without a ']' each try
    scans to the end, quadratic in all (issue 19). A try from a '[' that fails fails alike
    from every '[' before the next ']' (the same ']' ends the bracket), and once no ']' or
    no ')' is left nothing can match: the search skips those starts.
    """
    pos, paren = 0, -1
    while True:
        start = text.find("[", pos)
        if start < 0:
            return
        close = text.find("]", start + 1)
        if close < 0:
            return
        if paren < close:               # the first ')' after this ']', searched once
            paren = text.find(")", close)
            if paren < 0:
                return
        m = link.match(text, start)
        if m is not None:
            yield m
            pos = m.end()
        else:
            pos = close if close > start + 1 else start + 1


def parse(text: str) -> tuple[str, list[str], dict[int, Feature]]:
    """Strip the markup: (plain text, misaki's word list, features by word index)."""
    link = _rules()[0]
    result, words, features = [], [], {}
    last = 0
    text = text.lstrip()
    for m in _links(text, link):
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


def feature_positions(words: list[str], tokens: list[str], keys,
                      exact: bool = True) -> dict[int, list[tuple[int, int]]]:
    """Where each markup word of ``keys`` lands among ``tokens``, as misaki computes it.

    misaki aligns the two tokenizations character by character (spaCy's Alignment), then takes
    the positions of ``k`` in the *flattened* token-to-word table as token indices. The two
    agree while every token overlaps at most one word; we reproduce the flattened reading so
    that the rare case of a token spanning two words behaves as misaki does. Returns, for each
    ``k``, (rank, token index) pairs: rank 0 is the first token of the word. The table is
    built once for all the keys (one pass over the text, not one a feature: issue 19).

    A token of whitespace only (the second of two spaces, a newline) has no entry in the
    flattened table, so misaki's indices are one short after it and the feature lands on the
    token before the word ("Hello  [Kokoro](/…/)" overrides the space and reads Kokoro as
    usual). ``exact=False`` gives each word the tokens that hold its characters instead.
    """
    # Characters are paired in order, case aside; whitespace that the other side lacks is
    # skipped. A word's own spaces ("[if  - x](…)" is one word) pair with whitespace tokens,
    # so those tokens get the word's feature too.
    chars = [(c.lower(), i) for i, w in enumerate(words) for c in w]
    flat: list[tuple[int, int]] = []      # (word, token) for every word a token overlaps
    pos = 0
    for j, tok in enumerate(tokens):
        seen: list[int] = []
        for c in tok:
            c = c.lower()
            while pos < len(chars) and chars[pos][0] != c and chars[pos][0].isspace():
                pos += 1                  # a space of the words that this token lacks
            if pos < len(chars) and chars[pos][0] == c:
                if chars[pos][1] not in seen:
                    seen.append(chars[pos][1])
                pos += 1
            # else: whitespace of the token that the words lack (or a mismatch): no pair
        flat.extend((w, j) for w in sorted(seen))
    wanted = set(keys)
    hits: dict[int, list[int]] = {k: [] for k in wanted}
    for i, (w, j) in enumerate(flat):
        if w in wanted:
            hits[w].append(i if exact else j)
    return {k: [(rank, j) for rank, j in enumerate(js) if j < len(tokens)] for k, js in hits.items()}
