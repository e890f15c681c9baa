"""Subtitles (SRT, WebVTT) and a word-level JSON file from timed words.

A cue is made of whole phrases: the text is cut after every word followed by a clause or
sentence mark (``, ; : . ! ? …``, a dash) or a line break, and neighbouring phrases are put
in one cue while its text stays within ``max_chars`` characters. A phrase longer than that is
cut between words, into pieces as even as the limit allows. A cue's text is the original text
from its first word to its last, with the punctuation that sticks to them, on one line; it
lasts from its first said word's start to its last said word's end.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from .timestamps import Word

__all__ = ["Cue", "MAX_CUE_CHARS", "cues", "srt", "vtt", "words_json", "FORMATS"]

MAX_CUE_CHARS = 42             # the usual limit of one subtitle line
_PHRASE_END = re.compile(r"[,;:.!?…—–]|\s-\s|\n")
FORMATS = (".srt", ".vtt")


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


def _phrases(words: Sequence["Word"], text: str) -> list[list["Word"]]:
    phrases: list[list["Word"]] = [[]]
    for i, w in enumerate(words):
        phrases[-1].append(w)
        following = text[w.end_char:words[i + 1].start_char] if i + 1 < len(words) else ""
        if _PHRASE_END.search(following):
            phrases.append([])
    return [p for p in phrases if p]


def _span_text(words: Sequence["Word"], text: str, lo: int, hi: int) -> str:
    """The text of ``words`` with the non-space characters stuck to either end (within
    ``lo``..``hi``), whitespace runs made single spaces."""
    a, b = words[0].start_char, words[-1].end_char
    while a > lo and not text[a - 1].isspace():
        a -= 1
    while b < hi and not text[b].isspace():
        b += 1
    return " ".join(text[a:b].split())


def _split_long(phrase: list["Word"], max_chars: int) -> list[list["Word"]]:
    """A phrase cut between words into pieces of at most ``max_chars`` characters (a
    single longer word stays whole), as even as that allows."""
    length = sum(len(w.text) + 1 for w in phrase) - 1
    target = math.ceil(length / math.ceil(length / max_chars)) if length > max_chars else length
    pieces: list[list["Word"]] = [[]]
    size = 0
    for w in phrase:
        add = len(w.text) + (1 if pieces[-1] else 0)
        if pieces[-1] and (size + add > max_chars or size >= target):
            pieces.append([])
            size, add = 0, len(w.text)
        pieces[-1].append(w)
        size += add
    return pieces


def _cue(words: Sequence["Word"], text: str, lo: int, hi: int) -> Cue:
    said = [w for w in words if not w.silent] or list(words)
    return Cue(said[0].start, said[-1].end, _span_text(words, text, lo, hi))


def cues(words: Sequence["Word"], text: str, max_chars: int = MAX_CUE_CHARS) -> list[Cue]:
    """The cues of ``words`` (timed words of ``text``), in order; none that lasts no time."""
    groups: list[list["Word"]] = []
    for phrase in _phrases(words, text):
        for piece in _split_long(phrase, max_chars):
            if groups and len(_span_text(groups[-1] + piece, text, 0, len(text))) <= max_chars:
                groups[-1] += piece
            else:
                groups.append(piece)
    out = []
    for i, group in enumerate(groups):
        lo = groups[i - 1][-1].end_char if i else 0
        hi = groups[i + 1][0].start_char if i + 1 < len(groups) else len(text)
        cue = _cue(group, text, lo, hi)
        if cue.end > cue.start:
            out.append(cue)
    return out


def _clock(seconds: float, sep: str) -> str:
    ms = int(round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def srt(items: Sequence[Cue]) -> str:
    """SubRip: numbered cues, ``HH:MM:SS,mmm --> HH:MM:SS,mmm``, a blank line after each."""
    return "".join(f"{i}\n{_clock(c.start, ',')} --> {_clock(c.end, ',')}\n{c.text}\n\n"
                   for i, c in enumerate(items, 1))


def vtt(items: Sequence[Cue]) -> str:
    """WebVTT: the ``WEBVTT`` header, then cues with ``HH:MM:SS.mmm`` times."""
    return "WEBVTT\n\n" + "".join(f"{_clock(c.start, '.')} --> {_clock(c.end, '.')}\n{c.text}\n\n"
                                  for c in items)


def words_json(words: Sequence["Word"], duration: float) -> str:
    """The word-level timestamps as JSON: the audio's length and one object per word."""
    rows = ",\n".join("  " + json.dumps(w.as_dict(), ensure_ascii=False) for w in words)
    return f'{{"duration": {round(duration, 4)}, "words": [\n{rows}\n]}}\n'

