"""eSpeak IPA -> misaki symbols, driven by the table in ``rules/espeak.yaml``.

The table is loaded and checked once, on first use: every symbol a rule writes must belong to
``misaki_lite.inventory`` unless a later rule (that applies in the same dialect) maps that
single character away; otherwise loading fails with a ``RuleFileError`` naming the rule.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Callable

from .. import rules
from ..errors import RuleFileError
from ..inventory import Dialect, legacy_symbols, output_symbols

__all__ = ["Step", "steps", "converter", "word_converter", "to_misaki", "FILE"]

FILE = "espeak.yaml"

_SCHEMA = rules.Schema.of(required="priority to", optional="from pattern dialect")
_BACKREF = re.compile(r"\\\d")


@dataclass(frozen=True)
class Step:
    """One compiled rule: a literal replacement or a regular-expression substitution."""

    id: str
    old: str | re.Pattern
    new: str

    def __call__(self, text: str) -> str:
        if isinstance(self.old, str):
            return text.replace(self.old, self.new)
        return self.old.sub(self.new, text)


def _fail(rule: dict, message: str) -> RuleFileError:
    return RuleFileError(f"rules/{FILE}: rule {rule['id']!r}: {message}")


def _compile(rule: dict) -> Step:
    literal, pattern = rule.get("from"), rule.get("pattern")
    if (literal is None) == (pattern is None):
        raise _fail(rule, "needs exactly one of 'from' (a literal) or 'pattern' (a regex)")
    if not isinstance(rule["priority"], int) or isinstance(rule["priority"], bool):
        raise _fail(rule, "'priority' must be an integer")
    if not isinstance(rule["to"], str):
        raise _fail(rule, "'to' must be a string")
    if rule.get("dialect", "us") not in ("us", "gb"):
        raise _fail(rule, f"dialect {rule['dialect']!r} is not one of 'us', 'gb'")
    if literal is not None:
        if not isinstance(literal, str) or not literal:
            raise _fail(rule, "'from' must be a non-empty string")
        return Step(rule["id"], literal, rule["to"])
    try:
        return Step(rule["id"], re.compile(pattern), rule["to"])
    except (re.error, TypeError) as exc:
        raise _fail(rule, f"bad pattern {pattern!r}: {exc}") from exc


def _applies(rule: dict, dialect: Dialect) -> bool:
    return rule.get("dialect") in (None, dialect.value)


def _check_outputs(chain: list[tuple[dict, Step]], dialect: Dialect) -> None:
    """Every written symbol is in the inventory or mapped away by a later one-character rule."""
    allowed = output_symbols(dialect)
    for i, (rule, step) in enumerate(chain):
        later = {s.old for _, s in chain[i + 1:] if isinstance(s.old, str) and len(s.old) == 1}
        for symbol in _BACKREF.sub("", step.new):
            if symbol not in allowed and symbol not in later:
                raise _fail(rule, f"writes {symbol!r} (U+{ord(symbol):04X}), which is not in "
                                  f"the {dialect.value.upper()} phoneme inventory")


@cache
def steps(dialect: Dialect) -> tuple[Step, ...]:
    """The rules that apply to ``dialect``, in order."""
    table = sorted(rules.load(FILE, _SCHEMA), key=lambda r: r["priority"])
    chain = [(rule, _compile(rule)) for rule in table if _applies(rule, dialect)]
    _check_outputs(chain, dialect)
    return tuple(step for _, step in chain)


@cache
def converter(dialect: Dialect) -> Callable[[str], str]:
    """A function mapping eSpeak's (stripped) IPA, ties written ``^``, to misaki's symbols.

    This runs once for every word eSpeak reads, so the rules are flattened for speed into
    stages: a run of literal ``(old, new)`` replacements, then (except in the last stage)
    one regular expression ``(pattern, new)``; nothing is rewritten unless it occurs
    (``re.sub`` with a template costs four times a ``search``). A run of one-character
    rules could be a single ``str.translate``, but on the short non-ASCII strings eSpeak
    returns that is slower.
    """
    stages, literals = [], []
    for step in steps(dialect):
        if isinstance(step.old, str):
            literals.append((step.old, step.new))
        else:
            stages.append((tuple(literals), step.old, step.new))
            literals = []
    stages.append((tuple(literals), None, None))

    def convert(ipa: str) -> str:
        for literals, pattern, new in stages:
            for old, replacement in literals:
                if old in ipa:
                    ipa = ipa.replace(old, replacement)
            if pattern is not None and pattern.search(ipa):
                ipa = pattern.sub(new, ipa)
        return ipa

    return convert


# Where inventory.legacy_symbols may change a character: ASCII and the IPA blocks.
_LEGACY_PROBE = "".join(map(chr, range(0x2B0)))


@cache
def word_converter(dialect: Dialect, version: str | None,
                   allowed: frozenset[str]) -> Callable[[str], str]:
    """:func:`converter`, then misaki's ``version`` switch, then only the ``allowed``
    characters kept: what ``EspeakFallback`` does to every word, in one call.

    One regular-expression search finds the words that need the switch or the filter (a
    character the switch changes, or one outside ``allowed``); the others, nearly all of
    them, skip both (``str.translate`` and a filter cost a microsecond or two each on
    eSpeak's short non-ASCII strings).
    """
    convert = converter(dialect)
    switched = {c for c in _LEGACY_PROBE if legacy_symbols(c, version) != c}
    fine = "".join(sorted(allowed - switched))
    needs_work = re.compile("[^" + "".join(re.escape(c) for c in fine) + "]")

    def convert_word(ipa: str) -> str:
        ipa = convert(ipa)
        if needs_work.search(ipa):
            ipa = "".join(c for c in legacy_symbols(ipa, version) if c in allowed)
        return ipa

    return convert_word


def to_misaki(ipa: str, dialect: Dialect, version: str | None = None) -> str:
    """Map eSpeak's (stripped) IPA, ties written ``^``, to misaki's symbols of ``version``."""
    return legacy_symbols(converter(dialect)(ipa), version)
