"""Stage: normalization, on tagged tokens (times, dates, units, Roman numerals, URLs, ...).

Contract with ``misaki_lite.pipeline`` (which calls it after tagging and the tag fixes of
``tagger/fixes.py``, outside exact mode)::

    apply(tokens, text, mode, dialect, reader) -> tokens

``mode`` is one of ``MODES``:

* ``"misaki"``: the tokens as they are (misaki 0.9.4's reading, with the tag fixes);
* ``"extended"`` (the default): the classes of ``rules/normalize/`` (one YAML file per class: a
  new file is a new class).

``reader`` (a ``Reader``: plain words, spelled letters, one lexicon word) is the G2P's own: this
stage never builds a lexicon of its own.
Each normalized span becomes one token whose ``phonemes`` are set, with ``_.rating`` 4 and
``_.source`` ``"normalize:<class>"`` (``_.rule`` names the rule); a span that says nothing (an
emoji, a symbol without a reading) becomes a token with phonemes ``""`` and source
``"dropped"``, so it never turns into the unknown marker. The rest of the pipeline leaves
tokens that have phonemes alone.

``to_words(text, british)`` shows what extended mode says, as words (spelled letters in
capitals): the rule examples and ``golden/normalize/*.tsv`` are checked with it.
"""
from __future__ import annotations

from typing import Callable, Optional, Protocol

from ..config import NORMALIZATIONS, check_normalization
from ..reading.morphology import Morphology
from ..inventory import Dialect
from ..token import MToken
from .say import Spell, words_of
from .spans import PUNCT_TAGS, Span, find, merge

__all__ = ["MODES", "check_mode", "apply", "to_words", "find"]

MODES = NORMALIZATIONS
check_mode = check_normalization


class Reader(Protocol):
    """What normalization asks of the G2P that runs it (the pipeline passes its own)."""

    def words(self, text: str) -> str:
        """Phonemes of plain English words, without markup or normalization."""

    def spell(self, letters: str) -> str:
        """The letters spelled one by one, as the lexicon spells an acronym ("" if it cannot)."""

    def word(self, word: str, stress: Optional[float]) -> str:
        """One lexicon word under a stress request (misaki's: -2 unstressed)."""

    def user_word(self, text: str) -> bool:
        """Whether the user wrote ``text`` into the lexicon (it then reads as they said)."""


def _phonemizer(reader: Reader) -> Callable[[Span], str]:
    said: dict[str, str] = {}
    point: list[tuple[str, str]] = []   # 'point' alone, and unstressed as misaki says it in a number

    def phonemes(span: Span) -> str:
        out = []
        for piece in span.pieces:
            if isinstance(piece, Spell):
                ps = reader.spell(piece.letters)
            else:
                if piece not in said:
                    said[piece] = reader.words(piece).strip()
                    if " point " in f" {piece} ":          # numbers: misaki's unstressed point
                        if not point:
                            point.append((reader.word("point", None), reader.word("point", -2)))
                        said[piece] = said[piece].replace(*point[0])
                ps = said[piece]
            if ps:
                out.append(ps)
        return " ".join(out)
    return phonemes


def apply(tokens: list[MToken], text: str, mode: str, dialect: Dialect,
          reader: Reader) -> list[MToken]:
    """The tokens with (extended setting) the normalized spans merged; the "misaki" setting
    leaves them as they are. The pipeline has applied the tag fixes before."""
    check_mode(mode)
    if mode == "misaki" or not tokens:
        return tokens
    joined = "".join(tk.text + tk.whitespace for tk in tokens)
    spans = [sp for sp in find(joined, dialect) if not _user_word_at(joined, sp, reader)]
    if not spans:
        return tokens
    return _spaced(_stops(_possessives(merge(tokens, spans, _phonemizer(reader)), dialect)))


_EDGE_PUNCTUATION = ".,;:!?\"'()[]{}“”‘’"


def _user_word_at(text: str, span: Span, reader: Reader) -> bool:
    """Whether the span, or the whitespace-free chunk around it (without the punctuation at
    its ends), is a word the user wrote into the lexicon: "AT&T" or "GPT-4o" then reads as
    the user said, not as a normalization class would."""
    start = max(text.rfind(c, 0, span.start) for c in " \t\n") + 1
    ends = [k for k in (text.find(c, span.end) for c in " \t\n") if k >= 0]
    chunk = text[start:min(ends, default=len(text))]
    return any(reader.user_word(t) for t in
               dict.fromkeys((text[span.start:span.end], chunk, chunk.strip(_EDGE_PUNCTUATION))) if t)


def _possessives(tokens: list[MToken], dialect: Dialect) -> list[MToken]:
    """A possessive "'s" glued to a normalized span is said as the span's last sound asks
    ("B&Q's" z, "Elizabeth II's" z); alone, the lexicon's "'s" is s."""
    for tk, nxt in zip(tokens, tokens[1:]):
        if (nxt.text in ("'s", "’s") and not tk.whitespace and tk.phonemes
                and (tk._.source or "").startswith("normalize:")):
            nxt.phonemes = Morphology(dialect).s(tk.phonemes)[len(tk.phonemes):]
    return tokens


def _stops(tokens: list[MToken]) -> list[MToken]:
    """Punctuation that a span leaves of a piece of a token ("." of "etc. The end", where the
    span reads "etc" and misaki's piece keeps the word's tag, FW) gets its own tag, so it
    reads as punctuation: read as a word it was the unknown marker."""
    for tk, nxt in zip(tokens, tokens[1:]):
        if (not tk.whitespace and (tk._.source or "").startswith("normalize:")
                and nxt.phonemes is None and nxt.text in PUNCT_TAGS
                and nxt.tag not in _PUNCT_TAG_SET):
            nxt.tag = PUNCT_TAGS[nxt.text]
    return tokens


_PUNCT_TAG_SET = frozenset(PUNCT_TAGS.values())


# symbols read as a word ("slash", "plus", "and", "at", "percent", "equals", "hash")
_SAID_SYMBOLS = frozenset("/+&@%=#")


def _said(c: str) -> bool:
    return c.isalnum() or c in _SAID_SYMBOLS


def _spaced(tokens: list[MToken]) -> list[MToken]:
    """A span that says words (not a quote mark), glued to a word, a number or a symbol read
    as a word with no whitespace between them ("±0.5%", "7B-parameter", "US-56/US-64"), gets
    a space on that side of its phonemes, so that the two are not read as one word ("plus or
    minus" + "zero", not "mˈInəszˈɪɹO"; "fifty six" + "slash", not "sˈɪksslˈæʃ"). The
    tokens' text and whitespace stay the text's. Two spans that touch ("$5+#1") are spaced
    once: the second sees the space the first put after itself."""
    for i, tk in enumerate(tokens):
        if not tk.phonemes or not (tk._.source or "").startswith("normalize:"):
            continue
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if (after is not None and not tk.whitespace and tk.phonemes[-1].isalpha()
                and _said(after.text.lstrip("-")[:1])):
            tk.phonemes += " "
        before = tokens[i - 1] if i else None
        if (before is not None and not before.whitespace and tk.phonemes[0].isalpha()
                and _said(before.text[-1:]) and not (before.phonemes or "").endswith(" ")):
            tk.phonemes = " " + tk.phonemes
    return tokens


def to_words(text: str, british: bool = False) -> str:
    """``text`` with every normalized span replaced by the words it says."""
    out, pos = [], 0
    for sp in find(text, Dialect.of(british)):
        out.append(text[pos:sp.start])
        out.append(words_of(list(sp.pieces)))
        pos = sp.end
    out.append(text[pos:])
    return "".join(out)
