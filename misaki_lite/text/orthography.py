"""Stage: orthography, the first thing that happens to the text (before tokenizing and tagging).

``clean(text) -> text`` rewrites characters that mean the same as a plainer character but that
the tokenizer, tagger or lexicon would treat differently (the characters are data:
``rules/orthography.yaml``). It is deliberately small, because it runs in both normalization
settings and misaki's own output must not move:

* apostrophes: a right single quotation mark, a modifier-letter apostrophe or a full-width
  apostrophe *between letters* ("wasn’t", "O’Brien") becomes ``'``, and so does a left or right
  single quote before a decade or a clipped word ("’90s", "‘tis", "rock ’n’ roll"). misaki
  normalises apostrophes only after tagging, which is why "No, it wasn’t." loses its negation
  (misaki #100): the tagger saw "n’t" as punctuation. Quotation marks stay quotation marks.
* full-width ASCII forms and signs (U+FF01..U+FF5E, ￠ ￡ ￥ ￦: "１２", "￡５", "Ｈｅｌｌｏ") become their ASCII
  twins, so that a full-width currency sign or digit reaches the number reader (misaki #59-like
  failures: "for ￡５" read as nothing).

* a byte order mark (U+FEFF) becomes a space: at the start of a file or where files were
  joined it is no character of the text (left in, spaCy's tokens made it an opening quote).

* a terminal's escape sequences (colours and cursor moves: ``ESC[31m``, ``ESC]0;title BEL``)
  become spaces, one a character: text copied from a terminal or a log holds them, and their
  parameters were read aloud ("ESC[31m red": "thirty one meters red").

* lone surrogates (half of a UTF-16 pair, which no encoder accepts and which would crash the
  tagger and eSpeak) become U+FFFD, the replacement character: the token keeps a trace.

A soft hyphen or a decomposed accent ("cafe\u0301") would change the text's length, so they
are handled per token instead, in extended mode, after tagging: :func:`plain_aliases` gives
such a token the alias (what the lexicon and eSpeak read) of its NFC form without soft hyphens.

It is safe on any ``str`` (empty, lone surrogates, control characters): it only substitutes
characters and never changes the text's length, so offsets computed on the cleaned text are
offsets in the original.
"""
from __future__ import annotations

import unicodedata
from functools import cache

import regex

from .. import rules

__all__ = ["clean", "clean_surrogates", "plain_aliases"]

_SCHEMA = rules.Schema.of(optional="chars clipped map")


@cache
def _data() -> tuple[str, str, str, dict[str, str], dict[int, str]]:
    """(apostrophes, leading quotes, clipped words pattern, full-width signs, the byte order
    mark's characters as a ``str.translate`` table to spaces) from ``rules/orthography.yaml``."""
    by_id = {r["id"]: r for r in rules.load("orthography.yaml", _SCHEMA)}
    apostrophes, leading = by_id["apostrophes"]["chars"], by_id["leading-quotes"]
    # "n" is clipped only before a quote, an apostrophe or a space ("’n’", "'n roll")
    words = "|".join(map(regex.escape, leading["clipped"]))
    clipped = rf"(?:{words}|n(?=[{leading['chars']}' ]))\b"
    return (apostrophes, leading["chars"], clipped, dict(by_id["fullwidth-signs"]["map"]),
            {ord(c): " " for c in by_id["byte-order-mark"]["chars"]})


@cache
def _patterns() -> tuple[regex.Pattern, ...]:
    apostrophes, quotes, clipped = _data()[:3]
    inner = regex.compile(rf"(?<=\p{{L}})[{apostrophes}](?=\p{{L}})")
    leading = regex.compile(rf"(?<![\p{{L}}\p{{N}}])[{quotes}](?=\d\ds\b|{clipped})", regex.IGNORECASE)
    # the closing quote of "rock ’n’ roll": a quote right after a clipped 'n
    closing = regex.compile(rf"(?<=(?:^|\s)'n)[{quotes}](?=\s)")
    return inner, leading, closing


_SURROGATE = regex.compile("[\ud800-\udfff]")
# ECMA-48: CSI (ESC [ parameters, intermediates, a final byte), OSC (ESC ] ... BEL or ESC \\),
# and the two-character escapes
_TERMINAL = regex.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_FULLWIDTH = regex.compile("[\uff01-\uffe6]")


def _plain(c: str) -> str:
    if "\uff01" <= c <= "\uff5e":
        return chr(ord(c) - 0xFEE0)
    return _data()[3].get(c, c)


def _fullwidth(text: str) -> str:
    if text.isascii() or not _FULLWIDTH.search(text):
        return text
    return "".join(_plain(c) for c in text)


def clean_surrogates(text: str) -> str:
    """Only the lone surrogates replaced (for exact mode: misaki's own text otherwise)."""
    return _SURROGATE.sub("\ufffd", text) if text and _SURROGATE.search(text) else text


def clean(text: str) -> str:
    """The text with apostrophes and full-width forms made plain (same length as ``text``)."""
    if not text:
        return text
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    apostrophes, quotes = _data()[:2]
    if any(c in text for c in apostrophes + quotes):
        for pattern in _patterns():
            text = pattern.sub("'", text)
    marks = _data()[4]
    if any(chr(c) in text for c in marks):
        text = text.translate(marks)
    if "\x1b" in text:
        text = _TERMINAL.sub(lambda m: " " * len(m.group()), text)
    return _fullwidth(text)


SOFT_HYPHEN = "\u00ad"


def plain_aliases(tokens: list) -> list:
    """The tokens, each whose text has a soft hyphen or is not NFC given that plain form as its
    alias (a token already read or aliased is left alone)."""
    for tk in tokens:
        text = tk.text
        if text.isascii() or tk.phonemes is not None or tk._.alias is not None:
            continue
        plain = unicodedata.normalize("NFC", text.replace(SOFT_HYPHEN, ""))
        if plain and plain != text:
            tk._.alias = plain
    return tokens
