"""What reaches eSpeak NG: text it reads whole and cannot crash on (issue 19).

``safe_text(text)`` is applied to every text just before it is handed to the library:

* **NUL** ends a C string: eSpeak would stop there and drop every word after it
  (``"hello\\x00world"`` read as "hello"). Each NUL becomes a space, except in exact mode
  (misaki loses those words too).
* **The segfault.** eSpeak NG (1.52) dies inside ``espeak_TextToPhonemes`` on a clause that
  starts with a word of symbols it does not speak, a hyphen-minus, and a word of a script it
  switches voice for (Devanagari, Bengali, Gujarati, Malayalam): ``"\\ufffd-नम"``,
  ``"hello, ^-नम"``, ``"(-मस"``. ``tools/oracle/espeak_crash_grid.py`` maps it. A space is put
  between the symbols and the hyphen (``"\\ufffd -नम"``), which eSpeak reads without crashing.
  The condition is wider than the crash (any non-Latin letter after the hyphen; a symbol word
  after any word that does not end in a letter or digit, where eSpeak only crashes at the start
  of a clause) and never fires after a word ending in a letter or digit ("x ^-नम", which
  eSpeak reads). In exact mode only a symbol word holding a character that crashes as a word
  of its own (``data/espeak_crash_heads.txt``, 3,139 characters) is defused, and such a text
  is first read as it is in a forked child (``read``'s ``as_is``): the defused text
  is read only if eSpeak dies there, so misaki's output is unchanged wherever misaki's own
  process lived (the fuzzer's "™🎉-मुंबई", and "|&°-Ω" or "·+-서울", where the space put in
  changed eSpeak's reading: a no-fallback fuzz round, 2026-12-05).
"""
from __future__ import annotations

import os
from functools import cache
from typing import Callable

import regex

from ..resources import data_dir

__all__ = ["forked", "read", "risky", "safe_text", "without_hyphens", "cut_long_runs"]

# A word of symbols (no letter, digit or mark) at the start or after a word that does not end
# in a letter or digit; then "-" and a letter of a script other than Latin.
# The hyphen may also start a chain of pieces that reaches such a letter later ("'-ab-ab-नम",
# "-'-a-नम", found by fuzz/widened.py): the symbols then end at their last non-hyphen.
_CRASH = regex.compile(
    r"(?<![\p{L}\p{N}\p{M}]\s*)(?<!\S)([^\s\p{L}\p{N}\p{M}]*[^\s\p{L}\p{N}\p{M}-])"
    r"(?=-(?:(?!\p{Latin})\p{L}|\S*-(?!\p{Latin})\p{L}))")


@cache
def _crash_heads() -> frozenset[str]:
    """The characters that crash eSpeak as a symbol word before "-" and an Indic word
    (``data/espeak_crash_heads.txt``, measured by ``tools/oracle/espeak_crash_grid.py``)."""
    text = (data_dir("data") / "espeak_crash_heads.txt").read_text(encoding="utf-8")
    return frozenset(chr(int(word, 16)) for line in text.splitlines()
                     if not line.startswith("#") for word in line.split())


# Every eSpeak crash found so far has a hyphen and a letter of the scripts from Devanagari to
# Sinhala ("'-ab-ab-नम", "A--नम", "\ufffd\x07\ufffd-অম", "x-\u0301অম": the widened fuzz run),
# and no simple pattern of what lies between separates the crashes from the texts eSpeak
# reads. Such a text is read in a forked child (fallback/__init__.py); if eSpeak dies there,
# it is read again with its hyphens made spaces.
_INDIC = regex.compile(r"[\u0900-\u0DFF]")
# eSpeak NG also aborts (glibc's "buffer overflow detected") on one long word whose phonemes
# overflow its word buffer: "super" x 50 (250 letters), "Lang" and "'s" x 70 (144 characters);
# 200 letters read fine (found by a robustness run, 2026-12-04). A run of more than
# LONG_RUN characters without whitespace is read in a forked child too; if eSpeak dies
# there, the run is read cut into pieces of CUT characters.
LONG_RUN, CUT = 64, 32
_LONG = regex.compile(r"\S{%d,}" % (LONG_RUN + 1))


def risky(text: str) -> bool:
    """Whether eSpeak might crash on ``text`` even after :func:`safe_text`."""
    return ("-" in text and not text.isascii() and _INDIC.search(text) is not None) \
        or (len(text) > LONG_RUN and _LONG.search(text) is not None)


def cut_long_runs(text: str) -> str:
    """``text`` with each run of more than LONG_RUN non-space characters cut by spaces into
    pieces of CUT characters: what is read when eSpeak died on one long word."""
    return _LONG.sub(lambda m: " ".join(m[0][k:k + CUT] for k in range(0, len(m[0]), CUT)), text)


def without_hyphens(text: str) -> str:
    """``text`` with every hyphen a space: what is read when eSpeak died on ``text``."""
    return text.replace("-", " ")


def _quiet_stderr() -> None:
    """Point this process's standard error at the null device: glibc's "*** buffer overflow
    detected ***: terminated", written as eSpeak dies in a forked child, would otherwise reach
    the user's terminal after a run that went well."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    os.close(null)


def forked(call: Callable[[], bytes]) -> bytes | None:
    """``call()`` in a child process forked for it: its bytes, or ``None`` if the child died
    (a segfault in eSpeak) or raised. The caller's process is untouched either way."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:                                    # the child: call, send, leave at once
        status = 1
        try:
            os.close(read_end)
            _quiet_stderr()     # eSpeak's death there is expected, not news for the user
            data = call()
            while data:
                data = data[os.write(write_end, data):]
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    _, status = os.waitpid(pid, 0)
    return b"".join(chunks) if status == 0 else None


def read(engine, text: str, language: str, as_is: str | None = None) -> list[str]:
    """``engine.text_to_phonemes(text, language)``; a :func:`risky` text in a forked child,
    and if eSpeak died there, again with its hyphens made spaces and its long runs cut (in a
    child too when a long run was cut: nothing if it dies again).

    ``as_is``: the text before :func:`safe_text` made ``text`` of it (exact mode). When the
    two differ, ``as_is`` is read first, in a forked child, and ``text`` only if eSpeak dies
    there: the crash pattern is wider than the crash ("|&°-Ω", "·+-서울" read fine in misaki,
    and the space put in changes eSpeak's reading)."""
    if as_is is not None and as_is != text:
        clauses = engine.text_to_phonemes(as_is, language, isolated=True)
        if clauses is not None:
            return clauses
    if risky(text):
        clauses = engine.text_to_phonemes(text, language, isolated=True)
        if clauses is not None:
            return clauses
        cut = cut_long_runs(text)
        if cut != text:                     # a long run: its pieces, in a child again
            return engine.text_to_phonemes(without_hyphens(cut), language, isolated=True) or []
        text = without_hyphens(text)
    return engine.text_to_phonemes(text, language)


def safe_text(text: str, exact: bool = False) -> str:
    """``text`` with NULs made spaces and eSpeak's crashing hyphen pattern defused.

    ``exact`` (misaki's output): NULs are kept (misaki loses the words after one), and only a
    symbol word that holds a character known to crash is defused ("™🎉-मुंबई", which eSpeak
    reads, stays as it is); otherwise every symbol word in that place is, to be safe.
    """
    if "\x00" in text and not exact:
        text = text.replace("\x00", " ")
    if "-" in text and not text.isascii():
        if exact:
            heads = _crash_heads()
            text = _CRASH.sub(lambda m: m.group(1) + " " if not heads.isdisjoint(m.group(1))
                              else m.group(1), text)
        else:
            text = _CRASH.sub(r"\1 ", text)
    return text
