"""Word timestamps: per-token durations -> token times -> words of the original text.

Three steps, one function each:

1. :func:`time_tokens` (one chunk): the graph's durations (frames of 600 samples, one per
   input token, the two pads included; see :mod:`misaki_lite.kokoro.durations`) become
   ``start_ts``/``end_ts`` on the G2P's tokens, in seconds from the start of the chunk's audio,
   by the rule of kokoro's ``KPipeline``: times are counted in half frames; a token ends in
   the middle of the space that follows it (at the end of its phonemes when none follows),
   the next token starts where it ended, and the whole chain starts 3 frames before the end
   of the leading pad (at 0 when that pad is shorter). A token without phonemes gets no time,
   as in kokoro. Unlike kokoro, the token's place in the model input is found by its
   position in the phoneme string, so a symbol left out of the input (one Kokoro does not
   know) or a silent token shifts nothing after it.
2. :func:`token_spans`: each token's character span in the piece of original text it was
   read from, found by matching its text in order (after the same orthography clean-up the
   G2P does, which keeps lengths; markup syntax and whitespace between tokens are skipped).
   A token whose text is not found (normalization rewrote it) takes the text between its
   neighbours that were found.
3. :func:`words_of`: words of the original text are runs of tokens with no whitespace
   between them, trimmed of the punctuation at their ends: ``$3.50``, ``10:05`` and
   ``U.S.A.`` are one word each, ``"idea",`` is the word ``idea``. A word's time spans its
   tokens' times; a word none of whose tokens is said (an emoji) is reported with ``silent``
   set to the reason, at the time where it stands, with ``start == end``. Text that no token
   covers is reported the same way (``silent="unaligned"``), so nothing of the original text
   goes missing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

from ..text import orthography
from ..token import has_content
from .vocab import STAND_INS, vocab

__all__ = ["Word", "FRAME_SAMPLES", "time_tokens", "token_spans", "words_of", "merge_split",
           "untimed_piece"]

FRAME_SAMPLES = 600                 # one duration unit: 600 samples at 24 kHz, 25 ms
_HALF_FRAMES_PER_SECOND = 80        # times are counted in half frames, as kokoro counts them
_LEAD_IN = 3                        # frames of the leading pad counted as part of the speech
_MARKUP = re.compile(r"\[([^\[\]]*)\]\(([^()]*)\)")


@dataclass
class Word:
    """A word of the original text and when it is said (seconds from the start of the audio).

    ``text == original[start_char:end_char]``. ``silent`` is None for a word that is said,
    else why it is not (the G2P's source of its tokens, e.g. ``dropped``, or ``unaligned``);
    a silent word has ``start == end``: where it stands in time. ``tokens`` are the G2P's
    tokens of the word, with ``start_ts``/``end_ts`` as kokoro sets them (seconds from the
    start of their chunk's audio).
    """

    text: str
    start: float
    end: float
    start_char: int
    end_char: int
    silent: Optional[str] = None
    tokens: tuple = field(default=(), compare=False, repr=False)

    def as_dict(self) -> dict:
        out = {"text": self.text, "start": round(self.start, 4), "end": round(self.end, 4),
               "start_char": self.start_char, "end_char": self.end_char}
        if self.silent:
            out["silent"] = self.silent
        return out


# -- 1. durations -> token times ----------------------------------------------------------

def _model_index(phonemes: str) -> list[int]:
    """For each position of ``phonemes`` (and one past the end), how many symbols before it
    reach the model (vocab.encode leaves out what Kokoro does not know)."""
    table, index, n = vocab(), [], 0
    for ch in phonemes:
        index.append(n)
        ch = STAND_INS.get(ch, ch)
        n += 1 if ch and ch in table else 0
    index.append(n)
    return index


def _token_ranges(readings: Sequence[Any], unk: str) -> list[tuple[Any, int, int, int]]:
    """(token, first, end of phonemes, end of trailing whitespace) positions of every token in
    the chunk's phoneme string (the readings' stripped phonemes joined by single spaces)."""
    out, base = [], 0
    for reading in readings:
        raw = reading.phonemes
        lead, stripped = len(raw) - len(raw.lstrip()), raw.strip()
        pos = -lead
        for tk in reading.tokens or ():
            ph = unk if tk.phonemes is None else tk.phonemes
            a, b = pos, pos + len(ph)
            c = b + len(tk.whitespace)
            clip = lambda x: base + min(max(x, 0), len(stripped))  # noqa: E731
            out.append((tk, clip(a), clip(b), clip(c)))
            pos = c
        base += len(stripped) + 1
    return out


def time_tokens(readings: Sequence[Any], durations: Sequence[float], unk: str = "❓") -> None:
    """Set ``start_ts``/``end_ts`` (seconds in the chunk's audio) on the readings' tokens
    (None on all of them when the chunk sent no symbol to the model)."""
    ends = [0]
    for d in durations:         # ends[j]: the frame where model input j starts (0: the pad)
        ends.append(ends[-1] + int(round(float(d))))
    if len(ends) < 4:
        for reading in readings:
            for tk in reading.tokens or ():
                tk.start_ts = tk.end_ts = None
        return
    index = _model_index(" ".join(r.phonemes.strip() for r in readings))
    lead_pad = ends[1]
    shift = 2 * (max(0, lead_pad - _LEAD_IN) - lead_pad)       # in half frames
    last = len(ends) - 1
    previous_end: Optional[int] = None
    for tk, a, b, c in _token_ranges(readings, unk):
        tk.start_ts = tk.end_ts = None
        if not tk.phonemes:
            continue
        # the symbol at position p of the string is model input index[p] + 1 (after the pad)
        first = ends[min(index[a] + 1, last)]
        said, spaced = ends[min(index[b] + 1, last)], ends[min(index[c] + 1, last)]
        end = 2 * said + (spaced - said) + shift
        start = previous_end if previous_end is not None else 2 * first + shift
        tk.start_ts = start / _HALF_FRAMES_PER_SECOND
        tk.end_ts = max(end, start) / _HALF_FRAMES_PER_SECOND
        previous_end = max(end, start)


# -- 2. tokens -> character spans of the original text --------------------------------------

def _syntax_mask(text: str) -> list[bool]:
    """True at the characters of markup syntax (``[``, ``](...)``) in ``text``."""
    mask = [False] * len(text)
    for m in _MARKUP.finditer(text):
        mask[m.start()] = True
        for i in range(m.end(1), m.end()):
            mask[i] = True
    return mask


def token_spans(text: str, tokens: Sequence[Any]) -> list[Optional[tuple[int, int]]]:
    """Each token's (start, end) in ``text``, or None for a token with no text of its own."""
    clean, mask = orthography.clean(text), _syntax_mask(text)
    spans: list[Optional[tuple[int, int]]] = []
    cursor = 0
    for tk in tokens:
        word = orthography.clean(tk.text).strip()
        at = clean.find(word, cursor) if word else -1
        skipped = range(cursor, at)
        if at < 0 or any(has_content(clean[i]) and not mask[i] for i in skipped) \
                or any(mask[at:at + len(word)]):
            spans.append(None)
            continue
        spans.append((at, at + len(word)))
        cursor = at + len(word)
    return _fill_gaps(text, tokens, spans)


def _fill_gaps(text: str, tokens: Sequence[Any], spans: list) -> list:
    """Give a run of unmatched tokens that have text the original text between the matched
    tokens around it (stripped), if it has any content."""
    out, i = list(spans), 0
    while i < len(out):
        if out[i] is not None or not tokens[i].text.strip():
            i += 1
            continue
        j = i
        while j < len(out) and out[j] is None:
            j += 1
        lo = out[i - 1][1] if i and out[i - 1] else 0
        hi = out[j][0] if j < len(out) else len(text)
        gap = text[lo:hi]
        a, b = lo + len(gap) - len(gap.lstrip()), hi - (len(gap) - len(gap.rstrip()))
        if a < b and has_content(text[a:b]):
            for k in range(i, j):
                if tokens[k].text.strip():
                    out[k] = (a, b)
        i = j
    return out


# -- 3. tokens -> words ------------------------------------------------------------------

def _is_word(tk: Any) -> bool:
    """A token that belongs in a word: it has content, or it is said as letters."""
    return has_content(tk.text) or any(ch.isalpha() for ch in tk.phonemes or "")


def _runs(text: str, items: list) -> list[list]:
    """Group (span, token) items into runs with no whitespace between neighbours."""
    runs: list[list] = []
    for span, tk in items:
        if runs:
            prev = runs[-1][-1][0]
            between = text[prev[1]:span[0]]
            if span[0] <= prev[1] or not any(ch.isspace() for ch in between):
                runs[-1].append((span, tk))
                continue
        runs.append([(span, tk)])
    return runs


def words_of(text: str, tokens: Sequence[Any], offset: int = 0, clock: float = 0.0,
             at: Optional[float] = None) -> list[Word]:
    """The words of ``text`` (a piece of the original starting at character ``offset``),
    timed from their tokens' ``start_ts``/``end_ts`` plus ``clock`` (the start of the
    piece's chunk in the whole audio). ``at``: the time of a silent word that comes before
    any said one (default ``clock``)."""
    at = clock if at is None else at
    spans = token_spans(text, tokens)
    items = sorted(((s, tk) for s, tk in zip(spans, tokens) if s is not None),
                   key=lambda item: item[0])
    words: list[Word] = []
    for run in _runs(text, items):
        inner = [i for i, (_, tk) in enumerate(run) if _is_word(tk)]
        if not inner:
            continue
        run = run[inner[0]:inner[-1] + 1]
        a, b = run[0][0][0], max(s[1] for s, _ in run)
        timed = [tk for _, tk in run if tk.start_ts is not None]
        if timed:
            start = max(at, clock + min(tk.start_ts for tk in timed))
            end = max(start, clock + max(tk.end_ts for tk in timed))
            at, silent = end, None
        else:
            start = end = at
            silent = next((tk._.source for _, tk in run if tk._ is not None and tk._.source),
                          "no phonemes")
        words.append(Word(text[a:b], start, end, offset + a, offset + b, silent,
                          tuple(tk for _, tk in run)))
    return _unaligned(text, _with_markup(text, words, offset), offset, at)


def _with_markup(text: str, words: list[Word], offset: int) -> list[Word]:
    """Widen the words inside a markup construct (``[Kokoro](/kˈOkəɹO/)``) to include its
    syntax: the first starts at ``[``, the last ends after ``)``."""
    for m in _MARKUP.finditer(text):
        a, b = offset + m.start(1), offset + m.end(1)
        inside = [w for w in words if w.start_char < b and a < w.end_char]
        if inside:
            inside[0].start_char = min(inside[0].start_char, offset + m.start())
            inside[-1].end_char = max(inside[-1].end_char, offset + m.end())
            for w in (inside[0], inside[-1]):
                w.text = text[w.start_char - offset:w.end_char - offset]
    return words


def _unaligned(text: str, words: list[Word], offset: int, at: float) -> list[Word]:
    """Add, as silent words, the whitespace-separated pieces of ``text`` with content that
    no word overlaps, each at the time of the word before it (``at`` if none)."""
    out = list(words)
    for m in re.finditer(r"\S+", text):
        a, b = offset + m.start(), offset + m.end()
        if not has_content(m.group()) or any(w.start_char < b and a < w.end_char for w in words):
            continue
        before = [w for w in words if w.end_char <= a]
        when = before[-1].end if before else (words[0].start if words else at)
        out.append(Word(m.group(), when, when, a, b, "unaligned"))
    out.sort(key=lambda w: w.start_char)
    return out


def untimed_piece(text: str, offset: int, start: float, end: float) -> list[Word]:
    """The word of a piece read without tokens (part of a single word longer than the
    limit, cut over chunks): it spans its chunk's audio."""
    a = len(text) - len(text.lstrip())
    return [Word(text.strip(), start, end, offset + a, offset + a + len(text.strip()))]


def merge_split(words: list[Word]) -> list[Word]:
    """One word from the pieces of a word that was cut over several chunks (same span)."""
    out: list[Word] = []
    for w in words:
        if out and (w.start_char, w.end_char) == (out[-1].start_char, out[-1].end_char):
            out[-1].end = max(out[-1].end, w.end)
            continue
        out.append(w)
    return out
