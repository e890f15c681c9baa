"""Normalization beyond misaki (issue 5): times, dates, units, Roman numerals, ...

Contract with ``misaki_lite.en`` (which calls it right after tagging)::

    apply(tokens, text, mode, british, read) -> tokens

``mode`` is one of ``MODES``; ``read(words)`` phonemizes plain English words without
normalization (the G2P's own lexicon). A normalized span becomes one token whose ``phonemes``
are set and whose ``_.source`` is ``"normalize:<class>"``; symbols without a reading become a
token with phonemes ``""`` and source ``"dropped"``.

This first version is the plumbing only: "misaki" and "extended" behave alike until the
classes land.
"""
from __future__ import annotations

from typing import Callable

from ..token import MToken

__all__ = ["MODES", "check_mode", "apply"]

MODES = ("extended", "misaki")


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ValueError(f"normalization must be one of {', '.join(repr(m) for m in MODES)}, got {mode!r}")
    return mode


def apply(tokens: list[MToken], text: str, mode: str, british: bool,
          read: Callable[[str], str]) -> list[MToken]:
    return tokens
