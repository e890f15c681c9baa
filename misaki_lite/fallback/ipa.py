"""From a token's text to eSpeak's raw IPA, the way misaki 0.9.4 asked for it.

misaki's ``EspeakFallback`` called the phonemizer package (``preserve_punctuation=True``,
``with_stress=True``, ``tie='^'``, language switch flags kept). Its observable behaviour,
reproduced here without its code:

* Runs of punctuation marks (``;:,.!?¡¿—…"«»“”(){}[]``) together with the whitespace
  around them are cut out of the text; eSpeak reads only the pieces in between, and each
  mark run is put back, unchanged, where it was.
* Each piece goes through ``espeak_TextToPhonemes`` clause by clause; clauses are joined with
  a space, then every word is followed by one space (the word separator).
* A mark run at the start is glued to the first piece, one in the middle joins its two
  neighbours, one at the end is glued to the last piece and followed by a space (unless it
  already ends with whitespace). Before a mark is glued on, one trailing space is dropped
  from the piece on its left.
* eSpeak's tie (U+0361) becomes ``^``; stress marks are kept.

The caller (``EspeakFallback``) strips the result and maps it to misaki's symbols.
"""
from __future__ import annotations

import re
from typing import Callable

from ._espeak import TIE

__all__ = ["MARKS", "split_marks", "raw_ipa", "plain_ipa", "has_marks"]

MARKS = ';:,.!?¡¿—…"«»“”(){}[]'
_MARK_RUN = re.compile(r"(?:\s*[" + re.escape(MARKS) + r"]+\s*)+")
_ANY_MARK = re.compile("[" + re.escape(MARKS) + "]")
_UNDERSCORES = re.compile(r"_+")
_FLAGS = re.compile(r"\(.+?\)")       # a language switch flag, as phonemizer finds them
has_marks = _ANY_MARK.search

Clauses = Callable[[str], list[str]]


def split_marks(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Cut ``text`` into the pieces eSpeak reads and the mark runs between them.

    Returns ``(pieces, marks)``; each mark is ``(run, where)`` with ``where`` one of
    ``'start'``, ``'middle'``, ``'end'`` or ``'alone'`` (the text is nothing but marks).
    Empty pieces are dropped.
    """
    runs = list(_MARK_RUN.finditer(text)) if _ANY_MARK.search(text) else None
    if not runs:
        return ([text] if text else []), []
    if len(runs) == 1 and runs[0].group() == text:
        return [], [(text, "alone")]
    pieces, marks, last = [], [], 0
    for i, run in enumerate(runs):
        if i == 0 and run.start() == 0:
            where = "start"
        elif i == len(runs) - 1 and run.end() == len(text):
            where = "end"
        else:
            where = "middle"
        marks.append((run.group(), where))
        pieces.append(text[last:run.start()])
        last = run.end()
    pieces.append(text[last:])
    return [p for p in pieces if p], marks


def plain_ipa(clauses: list[str]) -> str:
    """``raw_ipa`` of a text without marks, stripped: ``_words(clauses).strip()``, with a
    shortcut for the common case of one clause of plain spaces (this runs for every word
    eSpeak reads)."""
    if len(clauses) == 1:
        line = clauses[0].strip()
        if line.isprintable() and "  " not in line and "_" not in line:
            return line.replace(TIE, "^")
    return _words(clauses).strip()


def _words(clauses: list[str], remove_flags: bool = False) -> str:
    """Join eSpeak's clauses into one line, each word followed by one space.

    ``remove_flags``: language switch flags such as ``(en)`` are cut out of the line first
    (phonemizer's ``language_switch='remove-flags'``, which misaki's EspeakG2P asks for).
    """
    line = " ".join(clauses).strip().replace("\n", " ").replace("  ", " ")
    if "_" in line:
        line = _UNDERSCORES.sub("_", line).replace("_ ", " ")
    if remove_flags and "(" in line:
        line = _FLAGS.sub("", line)
    if not line:
        return ""
    if not line.isprintable():              # whitespace other than " " to strip around words
        line = " ".join(word.strip() for word in line.split(" "))
    return line.replace(TIE, "^") + " "


def _drop_space(piece: str) -> str:
    return piece[:-1] if piece.endswith(" ") else piece


def _restore(pieces: list[str], marks: list[tuple[str, str]]) -> str | None:
    """Put the mark runs back between the phonemized pieces; ``None`` if nothing is left."""
    if not pieces:
        return "".join(run for run, _ in marks) if marks else None
    pieces = list(pieces)
    for run, where in marks:
        head = _drop_space(pieces[0])
        if where == "start":
            pieces[0] = run + head
        elif where == "end":
            return head + run + ("" if run.endswith(" ") else " ")
        elif len(pieces) == 1:
            pieces[0] = head + run
        else:
            pieces[0:2] = [head + run + pieces[1]]
    head = pieces[0]
    return head if head.endswith(" ") else head + " "


def raw_ipa(text: str, clauses: Clauses, remove_flags: bool = False) -> str | None:
    """eSpeak's IPA for ``text`` (ties as ``^``), or ``None`` when the text is empty.

    ``clauses`` converts one piece of text to eSpeak's list of clause strings;
    ``remove_flags`` drops language switch flags (see :func:`_words`).
    """
    if not _ANY_MARK.search(text):          # the common case: one piece, nothing to put back
        return (_words(clauses(text), remove_flags) or " ") if text else None
    pieces, marks = split_marks(text)
    return _restore([_words(clauses(piece), remove_flags) for piece in pieces], marks)
