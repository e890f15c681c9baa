"""Stress: misaki's ``apply_stress`` and the weight used to pick which word of a phrase keeps it.

Stress requests are numbers, as in misaki's markup and API:

* ``None``: leave the word alone;
* below -1 (``-2``): remove every stress mark;
* ``-1``: demote (primary -> secondary), also ``0``/``-0.5`` on a word that has a primary;
* ``0``, ``0.5``, ``1`` on an unstressed word: add a secondary stress before the first vowel;
* ``>= 1`` on a word with only secondary stress: promote it to primary;
* above 1 (``2``) on an unstressed word: add a primary stress before the first vowel.
"""
from __future__ import annotations

from typing import Optional

from ..inventory import DIPHTHONGS, PRIMARY_STRESS, SECONDARY_STRESS, STRESSES, VOWELS

__all__ = ["apply_stress", "stress_weight", "Stress"]


class Stress:
    """Named stress requests (the numeric values are misaki's)."""

    REMOVE = -2
    DEMOTE = -1
    WEAK = -0.5
    SECONDARY = 0
    CAPITALISED = 0.5
    ALL_CAPS = 2


def _place_before_vowel(ps: str) -> str:
    """Move each stress mark from where it stands to just before the next vowel."""
    out: list[tuple[float, str]] = list(enumerate(ps))  # type: ignore[arg-type]
    for i, c in enumerate(ps):
        if c in STRESSES:
            j = next(k for k in range(i, len(ps)) if ps[k] in VOWELS)
            out[i] = (j - 0.5, c)
    return "".join(c for _, c in sorted(out))


def _has_vowel(ps: str) -> bool:
    return any(c in VOWELS for c in ps)


def apply_stress(ps: Optional[str], stress: Optional[float]) -> Optional[str]:
    """Apply a stress request to a phoneme string (see the module docstring)."""
    if stress is None or ps is None:
        return ps
    has_primary = PRIMARY_STRESS in ps
    has_any = has_primary or SECONDARY_STRESS in ps
    if stress < -1:
        return ps.replace(PRIMARY_STRESS, "").replace(SECONDARY_STRESS, "")
    if stress == -1 or (stress in (0, -0.5) and has_primary):
        return ps.replace(SECONDARY_STRESS, "").replace(PRIMARY_STRESS, SECONDARY_STRESS)
    if stress in (0, 0.5, 1) and not has_any:
        return _place_before_vowel(SECONDARY_STRESS + ps) if _has_vowel(ps) else ps
    if stress >= 1 and not has_primary and has_any:
        return ps.replace(SECONDARY_STRESS, PRIMARY_STRESS)
    if stress > 1 and not has_any:
        return _place_before_vowel(PRIMARY_STRESS + ps) if _has_vowel(ps) else ps
    return ps


def stress_weight(ps: Optional[str]) -> int:
    """A word's weight when a phrase decides where stress stays: diphthongs count double."""
    return len(ps) + sum(ps.count(d) for d in DIPHTHONGS) if ps else 0
