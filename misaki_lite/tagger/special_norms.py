"""The norms that spaCy's tokenizer special cases give their pieces (a tagger feature).

spaCy's tokenizer reads "can't" as the special case ``ca`` ``n't`` and gives the pieces the
norms ``can`` and ``not``; the tagger sees those norms instead of the pieces' own. A token
gets its special case's norm when it and its neighbours spell the special case's pieces with
no whitespace between them, where the tokenizer takes them for the special case
(``tokenize.special_applies``: not when infixes cut them out of a longer word, as "ma'am" in
"big—ma'am").

spaCy's tokenizer works in two passes, and the second may join a piece at either end of a
special case with the affix beside it into another special case, whose own attributes that
token then takes; the other pieces keep their norms:

* "ima." is cut ``i`` ``m`` ``a`` (norms i, am, gonna) and ``.``; then ``a`` and ``.`` join
  into the special case ``a.``: ``i`` and ``m`` keep i and am;
* ":1pm" is cut ``:`` and ``1`` ``pm`` (norm of pm: p.m.); then ``:`` and ``1`` join into the
  emoticon ``:1``: ``pm`` keeps p.m.
"""
from __future__ import annotations

from typing import Iterable, Sequence

from ..text.tokenize import affix_cut, special_applies

__all__ = ["SpecialNorms"]


class SpecialNorms:
    """The special cases that set a norm, from the weight file's ``special_norms`` rows
    (``key``, then ``orth``, ``norm`` for each piece)."""

    def __init__(self, rows: Iterable[Sequence[str]]) -> None:
        # orth -> [(pieces, norms, index of orth in pieces)]
        self._by_piece: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], int]]] = {}
        for fields in rows:
            pieces, norms = tuple(fields[1::2]), tuple(fields[2::2])
            for k, piece in enumerate(pieces):
                self._by_piece.setdefault(piece, []).append((pieces, norms, k))

    def __call__(self, words: Sequence[str], spaces: Sequence[str],
                 runs: bool = True) -> list[str | None]:
        """The norm each token gets from a special case (None: the lexeme's norm).
        ``runs``: as the tokens were cut (``tokenize(runs=...)``)."""
        out: list[str | None] = [None] * len(words)
        if self._by_piece.keys().isdisjoint(words):
            return out
        for i, w in enumerate(words):
            for pieces, norms, k in self._by_piece.get(w, ()):
                start, end = i - k, i - k + len(pieces)
                if (start >= 0 and end <= len(words) and _spelled(words[start:end], pieces)
                        and not any(spaces[start:end - 1])
                        and _in_place(words, spaces, start, end, runs,
                                      len(words[start]) - len(pieces[0]), len("".join(pieces)))):
                    out[i] = norms[k]
                    break
        return out


def _spelled(tokens: Sequence[str], pieces: tuple[str, ...]) -> bool:
    """Whether ``tokens`` are the special case's ``pieces``, but that the first may end, and
    the last begin, another special case the affixes cut it from (the module's note)."""
    if tuple(tokens[1:-1]) != pieces[1:-1]:
        return False
    first, last = tokens[0], tokens[-1]
    if len(pieces) == 1:
        return first == pieces[0]
    return ((first == pieces[0] or (first.endswith(pieces[0]) and (affix_cut(first) or ())[-1:] == pieces[:1]))
            and (last == pieces[-1] or (last.startswith(pieces[-1]) and (affix_cut(last) or ())[:1] == pieces[-1:])))


def _in_place(words: Sequence[str], spaces: Sequence[str], start: int, end: int,
              runs: bool, lead: int, length: int) -> bool:
    """Whether the special case (``length`` characters from ``lead`` characters into token
    ``start``, up to token ``end``) is one to the tokenizer in the chunk of glued tokens
    around it (``tokenize.special_applies``)."""
    if words[start].isspace():
        return True         # whitespace is a chunk of its own ("\xa0", normed "  ")
    first, last = start, end    # the glued tokens around, up to whitespace of any kind
    while first > 0 and not spaces[first - 1] and not words[first - 1].isspace():
        first -= 1
    while last < len(words) and not spaces[last - 1] and not words[last].isspace():
        last += 1
    if (first, last) == (start, end) and lead == 0 and length == sum(len(w) for w in words[start:end]):
        return True         # the whole chunk (nearly always)
    offset = sum(len(w) for w in words[first:start]) + lead
    return special_applies("".join(words[first:last]), offset, offset + length, runs)
