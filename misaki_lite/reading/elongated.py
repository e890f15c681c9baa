"""Words stretched for effect ("Sooo", "Nooooo", "Whaaaat", "Pleeease"): the forms to try.

No English word holds a letter three times in a row, so a word with such a run that the lexicon
does not know is read, in extended mode, as the first of its shorter forms that the lexicon
holds as a word in lower case (``Reader.read_single``, before the fallback: eSpeak said
"wˈææææt"; a name is not such a form: "Edeee" stays eSpeak's). Each run becomes two
letters, then one ("Goooood" good, "Sooo" so); a word in capitals is looked up in lower case
(shouting, "NOOOO", not letters to spell).
"""
from __future__ import annotations

from itertools import product

import regex

__all__ = ["shorter_forms"]

_RUN = regex.compile(r"(\p{L})\1{2,}")
MAX_RUNS = 3            # 2 ** 3 forms at most


def shorter_forms(word: str) -> list[str]:
    """``word`` with each run of three or more of a letter cut to two or one, the forms
    keeping more letters first; [] for a word without such a run (or with too many)."""
    runs = list(_RUN.finditer(word))
    if not runs or len(runs) > MAX_RUNS:
        return []
    if word.isupper():
        word = word.lower()
    forms = []
    for sizes in sorted(product((2, 1), repeat=len(runs)), key=lambda s: -sum(s)):
        parts, pos = [], 0
        for m, size in zip(runs, sizes):
            parts += [word[pos:m.start()], word[m.start()] * size]
            pos = m.end()
        forms.append("".join(parts) + word[pos:])
    return forms
