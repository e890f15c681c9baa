"""Kokoro's symbol table: phoneme string -> token ids.

The table is the ``vocab`` of Kokoro-82M's ``config.json`` (114 symbols, ids 1..177; id 0 is
the pad that starts and ends every sequence), stored as ``data/vocab.json`` (see
``data/PROVENANCE.md``). Kokoro's own ``KModel`` silently skips symbols it does not know; here
an unknown symbol is never dropped silently: it is reported with ``warnings.warn`` (default)
or raises :class:`~misaki_lite.kokoro.errors.KokoroInputError` under ``strict=True``.
"""
from __future__ import annotations

import json
import warnings
from functools import cache
from importlib import resources

from .errors import KokoroInputError

__all__ = ["MAX_TOKENS", "PAD_ID", "STAND_INS", "UnknownPhonemeWarning", "vocab", "encode"]

MAX_TOKENS = 510   # phoneme tokens per model call (512 positions minus the two pads)
PAD_ID = 0

# Marks misaki (and so misaki_lite) passes through from eSpeak's output that Kokoro's table
# lacks, with the Kokoro symbol said in their place: brackets as parentheses, guillemets as
# curly quotes. The Spanish inverted marks map to nothing on purpose: they carry no sound, and
# the closing "!" or "?" that Kokoro does know gives the intonation.
STAND_INS = {"[": "(", "]": ")", "{": "(", "}": ")", "«": "“", "»": "”", "¡": "", "¿": ""}


class UnknownPhonemeWarning(UserWarning):
    """A phoneme symbol that Kokoro's vocabulary lacks was left out of the model input."""


@cache
def vocab() -> dict[str, int]:
    """The symbol -> id table (read once from the package data)."""
    text = resources.files(__package__).joinpath("data", "vocab.json").read_text("utf-8")
    return dict(json.loads(text)["vocab"])


def encode(phonemes: str, strict: bool = False) -> list[int]:
    """Token ids of ``phonemes`` (without the pads).

    The marks of ``STAND_INS`` are replaced first. Other symbols missing from the vocabulary are
    reported, all at once, naming each symbol and how often it occurs; with ``strict`` they
    raise instead of being left out.
    """
    table = vocab()
    if any(ch in STAND_INS for ch in phonemes):
        phonemes = "".join(STAND_INS.get(ch, ch) for ch in phonemes)
    ids = [table[ch] for ch in phonemes if ch in table]
    if len(ids) != len(phonemes):
        unknown = sorted({ch for ch in phonemes if ch not in table})
        names = ", ".join(f"{ch!r} (U+{ord(ch):04X}) x{phonemes.count(ch)}" for ch in unknown)
        message = f"phoneme symbols not in Kokoro's vocabulary: {names}"
        if strict:
            raise KokoroInputError(message)
        warnings.warn(message + "; left out of the model input", UnknownPhonemeWarning,
                      stacklevel=3)
    return ids
