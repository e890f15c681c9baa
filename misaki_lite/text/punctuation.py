"""Punctuation classes, read once from ``rules/punctuation.yaml``.

``classes()`` returns a ``Punctuation`` record; every stage that needs a class asks for it here
so the characters are written down in exactly one place.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .. import rules

__all__ = ["Punctuation", "classes"]

_SCHEMA = rules.Schema.of(optional="chars tags readings reading")


@dataclass(frozen=True)
class Punctuation:
    kept: frozenset[str]            # characters that stay in the phoneme string
    non_quote: frozenset[str]       # kept punctuation that ends a phrase (all but quotes)
    tags: frozenset[str]            # tags whose tokens read as punctuation
    tag_readings: dict[str, str]    # fixed readings of some punctuation tags
    junk: frozenset[str]            # silent word-internal characters
    dash_chars: frozenset[str]      # characters that read as a pause when tagged ...
    dash_tags: frozenset[str]       # ... with one of these tags
    dash_reading: str


@cache
def classes() -> Punctuation:
    by_id = {r["id"]: r for r in rules.load("punctuation.yaml", _SCHEMA)}
    kept = frozenset(by_id["kept-punctuation"]["chars"])
    dash = by_id["dash-tag"]
    return Punctuation(
        kept=kept,
        non_quote=kept - frozenset(by_id["quotes"]["chars"]),
        tags=frozenset(by_id["punctuation-tags"]["tags"]),
        tag_readings=dict(by_id["tag-readings"]["readings"]),
        junk=frozenset(by_id["junk"]["chars"]),
        dash_chars=frozenset(dash["chars"]),
        dash_tags=frozenset(dash["tags"]),
        dash_reading=dash["reading"],
    )
