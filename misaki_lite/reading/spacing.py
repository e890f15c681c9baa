"""Stage (extended mode): whitespace tokens, and the whitespace around dropped tokens.

A token of whitespace alone (spaCy makes one of a newline, a tab, a no-break space or a second
space: "hello\nworld" is ``hello``, ``\n``, ``world``) has no whitespace after it, so misaki
glues it to the next word, and eSpeak reads " world" whole, or "\n\nWorld" after a full stop
with no space said (``həlˈO.wˈɜɹld``). :func:`fold_blanks` turns such a token into one space
after the token before it (after tagging: the tagger sees it, as spaCy's does).

A dropped token (an emoji, an emphasis asterisk: ``_.source == "dropped"``, phonemes ``""``)
says nothing, so it must not leave its whitespace in the phoneme string either: "I love 🍕 and"
would read ``lˈʌv  ænd`` (two spaces), and kokoro's ``KPipeline.join_timestamps`` counts two
phoneme positions for every token without phonemes that has whitespace, which shifts the
timestamps of every later word. Here each run of dropped tokens ends with no whitespace, and
the text is moved, never lost (``"".join(t.text + t.whitespace)`` still gives the input):

* between two words with whitespace before the run ("love 🍕 and"), the word before keeps its
  space and the run's own whitespace goes into its text ("🍕 ");
* before punctuation that closes ("Hello 👋, world"), at the end or at the start of the text,
  no space is said: the whitespace before the run goes to the front of its text (" 👋");
* glued to the word before and followed by whitespace ("way* too", "love🍕 and"), the run
  becomes part of that word's text ("way*"): its whitespace is that word's.

misaki (``mode="exact"``) has no dropped tokens: eSpeak reads emoji there, as misaki does.
"""
from __future__ import annotations

from ..token import MToken, Source

__all__ = ["fold_blanks", "tidy_dropped", "CLOSING"]

# Phonemes that follow a word without a space ("Hello 👋, world" -> həlˈO, wˈɜɹld).
CLOSING = frozenset(",.!?;:…)”")


def fold_blanks(tokens: list[MToken]) -> list[MToken]:
    """The tokens without whitespace-only tokens; a word before one and after it is followed by
    a space (none is added at the end of the text)."""
    if not any(tk.text.isspace() for tk in tokens):
        return tokens
    out: list[MToken] = []
    blank = False
    for tk in tokens:
        if tk.text.isspace() and tk.phonemes is None:
            blank = True
            continue
        if blank and out:
            out[-1].whitespace = " "
        blank = False
        out.append(tk)
    return out


def _dropped(tk: MToken) -> bool:
    return tk.phonemes == "" and tk._.source == Source.DROPPED


def _closes(tk: MToken) -> bool:
    return bool(tk.phonemes) and tk.phonemes[0] in CLOSING


def tidy_dropped(tokens: list[MToken]) -> list[MToken]:
    """The tokens with no whitespace left on a dropped token (see the module docstring)."""
    if not any(_dropped(tk) for tk in tokens):
        return tokens
    out: list[MToken] = []
    i = 0
    while i < len(tokens):
        if not _dropped(tokens[i]):
            out.append(tokens[i])
            i += 1
            continue
        j = i
        while j < len(tokens) and _dropped(tokens[j]):
            j += 1
        _tidy_run(out, tokens[i:j], tokens[j] if j < len(tokens) else None)
        i = j
    return out


def _tidy_run(out: list[MToken], run: list[MToken], after: MToken | None) -> None:
    """Append ``run`` (dropped tokens) to ``out``, whose last token is the one before it."""
    before = out[-1] if out else None
    trailing = run[-1].whitespace
    for tk in run:                       # whitespace inside the run (and after it) is text
        tk.text, tk.whitespace = tk.text + tk.whitespace, ""
    speaks_between = before is not None and after is not None and not _closes(after)
    if speaks_between and not before.whitespace and trailing:
        # glued to the word before: the run is part of that word, its space the word's
        before.text += "".join(tk.text for tk in run)[:-len(trailing)]
        before.whitespace = trailing
        if before.phonemes == "":        # "_🙂": nothing said, so the whole is dropped
            before._.source = Source.DROPPED
        return
    if not speaks_between and before is not None and before.whitespace:
        run[0].text = before.whitespace + run[0].text
        before.whitespace = ""
    out.extend(run)
