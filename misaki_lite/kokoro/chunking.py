"""Cutting long input into chunks Kokoro can say in one call (at most 510 phoneme tokens).

Text is always cut at line breaks and sentence ends first, so that ``stream()`` can hand out
audio sentence by sentence. A sentence whose phonemes are longer than the limit is cut at
clause marks (``; : —``), then commas, then word boundaries, each level only where the one
above is not enough; the pieces of one cut are then merged back greedily, in order, while
they fit. A word is never cut, and no piece is ever dropped: the chunks' phonemes, joined by
spaces, are the phonemes of every piece. (A single "word" longer than the limit, which no
real text has, is the one exception: its phonemes are cut at the limit.)

The length measure is ``len(phonemes)``, one token per symbol, as KPipeline counts; it is never
less than the number of tokens actually sent. The same code cuts phoneme strings
(``from_phonemes``), with the identity as "phonemizer": sentence punctuation survives in
misaki's phonemes.

Word timestamps need the G2P's tokens of each chunk: ``chunks(..., read=...)`` takes a
``text -> (phonemes, tokens)`` function instead, and each chunk then keeps, in ``readings``,
every piece of text it was read from (a substring of the input), with its phonemes as read
(unstripped) and its tokens.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional

from .vocab import MAX_TOKENS

__all__ = ["Chunk", "Reading", "sentences", "chunks", "first_clause", "FIRST_CLAUSE_MIN"]

Phonemize = Callable[[str], str]
Read = Callable[[str], tuple]

_SENTENCE = re.compile(r"(?P<end>[.!?…]+[\"”’')\]]*)\s+")
_CLAUSE = re.compile(r"(?P<end>[;:]+[\"”’')\]]*)\s+|(?P<dash>[—–]+)\s*")
_COMMA = re.compile(r"(?P<end>,+[\"”’')\]]*)\s+")
_WORD = re.compile(r"(?P<end>\S)\s+")
_LEVELS = (_CLAUSE, _COMMA, _WORD)
_FIRST_CUT = re.compile(r"(?P<end>[,;:]+[\"”’')\]]*)\s+|\s(?P<dash>[—–]+|--?)\s")
# A piece longer than this many times the limit, in characters, is cut before it is read: it
# cannot fit unless nearly all of it is silent (and then its pieces are merged back), and
# reading it whole first was slow, or over the G2P's maximum (a 1.5 MB file of one sentence).
READ_WHOLE_MAX = 8
# Characters the first chunk of a stream has at least (about four words): "Well, ..." is not cut.
FIRST_CLAUSE_MIN = 24
# A period after these (or after a single letter, an initial) does not end a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st prof sr jr vs etc e.g i.e no mt fig gen col lt sgt capt rev".split())


@dataclass(frozen=True)
class Reading:
    """One piece of the input as the G2P read it: ``text`` (a substring of the input),
    ``phonemes`` as the G2P gave them (not stripped), and its ``tokens`` (None when unknown,
    or when the piece is part of a single word longer than the limit)."""

    text: str
    phonemes: str
    tokens: Optional[tuple] = None


@dataclass(frozen=True)
class Chunk:
    """One model call's worth: the text it came from and its phonemes (``readings``: the
    pieces, in order, whose stripped phonemes joined by spaces are ``phonemes``)."""

    text: str
    phonemes: str
    readings: tuple = field(default=(), compare=False, repr=False)


def _cut(text: str, pattern: re.Pattern, guard: Callable[[str], bool] = lambda s: True
         ) -> list[str]:
    """Pieces of ``text`` split after each match of ``pattern`` (delimiters stay left)."""
    pieces, start = [], 0
    for m in pattern.finditer(text):
        end = m.end("end") if m.group("end") is not None else m.end("dash")
        if guard(text[start:end]):
            pieces.append(text[start:end].strip())
            start = m.end()
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


def _ends_sentence(piece: str) -> bool:
    last = piece.rstrip(".!?…\"”’')]").rsplit(None, 1)[-1:] or [""]
    word = last[0].lower()
    return not (piece.endswith(".") and (word in _ABBREVIATIONS or len(word) == 1))


def sentences(text: str) -> list[str]:
    """Lines, then sentences, of ``text``: the top-level units of ``stream()``."""
    out = []
    for line in text.splitlines():
        out.extend(_cut(line, _SENTENCE, _ends_sentence))
    return out


def _merge(parts: list[Chunk], limit: int) -> list[Chunk]:
    """Join neighbouring chunks, in order, while the joined phonemes fit in ``limit``."""
    merged: list[Chunk] = []
    for part in parts:
        if merged and len(merged[-1].phonemes) + 1 + len(part.phonemes) <= limit:
            last = merged.pop()
            part = _join(last, part)
        merged.append(part)
    return merged


def _join(a: Chunk, b: Chunk) -> Chunk:
    return Chunk(f"{a.text} {b.text}", f"{a.phonemes} {b.phonemes}", a.readings + b.readings)


def _fit(text: str, read: Read, limit: int, level: int) -> list[Chunk]:
    """``text`` as chunks of at most ``limit`` phonemes, cutting at ``_LEVELS[level:]``."""
    longest = READ_WHOLE_MAX * limit
    if len(text) <= longest:
        raw, tokens = read(text)
        phonemes = raw.strip()
        if not phonemes:
            return []
        if len(phonemes) <= limit:
            return [Chunk(text, phonemes, (Reading(text, raw, tokens),))]
    while level < len(_LEVELS):
        pieces = _cut(text, _LEVELS[level])
        level += 1
        if len(pieces) > 1:
            parts = [c for p in pieces for c in _fit(p, read, limit, level)]
            return _merge(parts, limit)
    if len(text) > longest:          # a run of that many characters without a space
        parts = [c for i in range(0, len(text), longest)
                 for c in _fit(text[i:i + longest], read, limit, len(_LEVELS))]
        return _merge(parts, limit)
    # One unbreakable "word" longer than the limit: cut its phonemes, never drop them.
    return [Chunk(text, phonemes[i:i + limit], (Reading(text, phonemes[i:i + limit]),))
            for i in range(0, len(phonemes), limit)]


def first_clause(sentence: str, minimum: int = FIRST_CLAUSE_MIN) -> list[str]:
    """``sentence`` cut after its first clause mark (comma, semicolon, colon, dash) that comes
    at least ``minimum`` characters in; ``[sentence]`` if there is none."""
    for m in _FIRST_CUT.finditer(sentence):
        end = m.end("end") if m.group("end") is not None else m.end("dash")
        if end >= minimum and sentence[m.end():].strip():
            return [sentence[:end].strip(), sentence[m.end():].strip()]
    return [sentence]


def chunks(text: str, phonemize: Optional[Phonemize], limit: int = MAX_TOKENS,
           first_clause_only: bool = False, read: Optional[Read] = None) -> Iterator[Chunk]:
    """Chunks of ``text``, lazily, sentence by sentence (so the first is ready early).

    ``first_clause_only`` (streaming): the first chunk is only the first clause of the first
    sentence (see :func:`first_clause`), so that the first audio takes the time of a clause,
    not of a sentence of up to ``limit`` phonemes; the chunks after it grow toward ``limit``
    (:func:`_growing`), so that a long text takes few model calls. Each piece is read by
    itself; a clause mark already ends the reading context (the word before it does not look
    past it), so the pieces read as the whole sentence would.

    ``read`` (instead of ``phonemize``): ``text -> (phonemes, tokens)``; the chunks then keep
    their readings with the tokens (see :class:`Reading`).
    """
    if read is None:
        read = lambda piece: (phonemize(piece), None)  # noqa: E731
    units = iter(sentences(text))
    if first_clause_only:
        first = next(units, None)
        units = iter((first_clause(first) if first is not None else []) + list(units))
    fitted = (chunk for unit in units for chunk in _fit(unit, read, limit, 0))
    yield from _growing(fitted, limit) if first_clause_only else fitted


def _growing(pieces: Iterator[Chunk], limit: int) -> Iterator[Chunk]:
    """The first piece alone, then neighbouring pieces joined while a chunk stays within
    twice the phonemes of the chunk before it (and ``limit``): each chunk's synthesis runs
    while the one before it plays, so the stream stays ahead, with fewer and fewer calls."""
    previous, pending = None, None
    for piece in pieces:
        if previous is None:
            previous = piece
            yield piece
            continue
        budget = min(limit, 2 * (len(previous.phonemes) + 1))
        if pending is not None and len(pending.phonemes) + 1 + len(piece.phonemes) <= budget:
            pending = _join(pending, piece)
            continue
        if pending is not None:
            previous = pending
            yield pending
        pending = piece
    if pending is not None:
        yield pending
