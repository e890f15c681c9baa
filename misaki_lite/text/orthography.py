"""Stage: orthography, the first thing that happens to the text (before tokenizing and tagging).

``clean(text) -> text`` rewrites characters that mean the same as a plainer character but that
the tokenizer, tagger or lexicon would treat differently. It is deliberately small, because it
runs in both normalization modes and misaki's own output must not move:

* apostrophes: a right single quotation mark, a modifier-letter apostrophe or a full-width
  apostrophe *between letters* ("wasn’t", "O’Brien") becomes ``'``, and so does a left or right
  single quote before a decade or a clipped word ("’90s", "‘tis", "rock ’n’ roll"). misaki
  normalises apostrophes only after tagging, which is why "No, it wasn’t." loses its negation
  (misaki #100): the tagger saw "n’t" as punctuation. Quotation marks stay quotation marks.
* full-width ASCII forms and signs (U+FF01..U+FF5E, ￠ ￡ ￥ ￦: "１２", "￡５", "Ｈｅｌｌｏ") become their ASCII
  twins, so that a full-width currency sign or digit reaches the number reader (misaki #59-like
  failures: "for ￡５" read as nothing).

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

__all__ = ["clean", "clean_surrogates", "plain_aliases"]

_APOSTROPHES = "\u2019\u02bc\uff07"          # ’ ʼ ＇
_QUOTES = "\u2018\u2019"                      # ‘ ’
# Clipped words that start with an apostrophe ("'tis", "'em", "'n'"), matched after the quote.
_CLIPPED = r"(?:tis|twas|em|cause|til|n(?=[\u2018\u2019' ]))\b"


@cache
def _patterns() -> tuple[regex.Pattern, ...]:
    inner = regex.compile(rf"(?<=\p{{L}})[{_APOSTROPHES}](?=\p{{L}})")
    leading = regex.compile(rf"(?<![\p{{L}}\p{{N}}])[{_QUOTES}](?=\d\ds\b|{_CLIPPED})", regex.IGNORECASE)
    # the closing quote of "rock ’n’ roll": a quote right after a clipped 'n
    closing = regex.compile(r"(?<=(?:^|\s)'n)[\u2018\u2019](?=\s)")
    return inner, leading, closing


_SURROGATE = regex.compile("[\ud800-\udfff]")
_FULLWIDTH = regex.compile("[\uff01-\uffe6]")

# Full-width signs outside the ASCII block: ￠ ￡ ￥ ￦.
_FULLWIDTH_SIGNS = {"\uffe0": "¢", "\uffe1": "£", "\uffe5": "¥", "\uffe6": "₩"}


def _plain(c: str) -> str:
    if "\uff01" <= c <= "\uff5e":
        return chr(ord(c) - 0xFEE0)
    return _FULLWIDTH_SIGNS.get(c, c)


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
    if any(c in text for c in _APOSTROPHES + _QUOTES):
        for pattern in _patterns():
            text = pattern.sub("'", text)
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
