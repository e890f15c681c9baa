"""What reaches eSpeak NG: text it reads whole and cannot crash on (issue 19).

``safe_text(text)`` is applied to every text just before it is handed to the library:

* **NUL** ends a C string: eSpeak would stop there and drop every word after it
  (``"hello\\x00world"`` read as "hello"). Each NUL becomes a space, except in exact mode
  (misaki loses those words too).
* **The segfault.** eSpeak NG (1.52) dies inside ``espeak_TextToPhonemes`` on a clause that
  starts with a word of symbols it does not speak, a hyphen-minus, and a word of a script it
  switches voice for (Devanagari, Bengali, Gujarati, Malayalam): ``"\\ufffd-नम"``,
  ``"hello, ^-नम"``, ``"(-मस"``. ``tools/espeak_crash_grid.py`` maps it. A space is put
  between the symbols and the hyphen (``"\\ufffd -नम"``), which eSpeak reads without crashing.
  The condition is wider than the crash (any non-Latin letter after the hyphen; a symbol word
  after any word that does not end in a letter or digit, where eSpeak only crashes at the start
  of a clause) and never fires after a word ending in a letter or digit ("x ^-नम", which
  eSpeak reads). Since the crash killed misaki's process, misaki's output is unchanged for
  every text it could read, except for these symbol words in odd positions (a space in
  eSpeak's IPA).
"""
from __future__ import annotations

import regex

__all__ = ["safe_text"]

# A word of symbols (no letter, digit or mark) at the start or after a word that does not end
# in a letter or digit; then "-" and a letter of a script other than Latin.
_CRASH = regex.compile(
    r"(?<![\p{L}\p{N}\p{M}]\s*)(?<!\S)([^\s\p{L}\p{N}\p{M}]+)(?=-(?!\p{Latin})\p{L})")


def safe_text(text: str, keep_nul: bool = False) -> str:
    """``text`` with NULs made spaces (unless ``keep_nul``: misaki's exact output, which loses
    the words after a NUL) and eSpeak's crashing hyphen pattern defused."""
    if "\x00" in text and not keep_nul:
        text = text.replace("\x00", " ")
    if "-" in text and not text.isascii():
        text = _CRASH.sub(r"\1 ", text)
    return text
