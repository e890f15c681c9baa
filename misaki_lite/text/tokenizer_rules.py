"""The tokenizer's tables, from its three rule files: the character classes
(``rules/tokenizer_classes.yaml``), the prefix, suffix and infix rules and the URL pattern
(``rules/tokenizer.yaml``), and the special cases (``rules/tokenizer_special.yaml``). See
``tokenize`` for how they are used.
"""
from __future__ import annotations

import re
from functools import cache, cached_property

from ..errors import RuleFileError
from ..rules import Schema, load

__all__ = ["Tables", "tables"]

_CLASSES = "tokenizer_classes.yaml"
_AFFIXES = "tokenizer.yaml"
_SPECIALS = "tokenizer_special.yaml"
_CLASS_SCHEMA = Schema.of(optional="ranges chars include")
_AFFIX_SCHEMA = Schema.of(required="kind priority",
                          optional="chars literals pattern after before starts needs")
_SPECIAL_SCHEMA = Schema.of(required="cases")
_KINDS = ("prefix", "suffix", "infix", "url")


def _escape(cp: int) -> str:
    return f"\\U{cp:08X}" if cp > 0xFFFF else f"\\u{cp:04X}"


def _class_bodies() -> dict[str, tuple[str, str]]:
    """The classes of tokenizer_classes.yaml, by name (alpha_lower, ...).

    Each is a pair of ``[...]`` bodies: the characters below U+10000 and those above. They are
    kept apart because Python's ``re`` tests a set holding astral characters range by range,
    while a set of BMP characters alone is one table look-up.
    """
    rules = {r["id"].replace("-", "_"): r for r in load(_CLASSES, _CLASS_SCHEMA)}
    bodies: dict[str, tuple[str, str]] = {}

    def body(name: str, seen: tuple[str, ...] = ()) -> tuple[str, str]:
        if name in bodies:
            return bodies[name]
        rule = rules.get(name)
        if rule is None or name in seen:
            raise RuleFileError(f"rules/{_CLASSES}: class {name!r} is unknown or includes itself")
        bmp, astral = [], []
        for c in rule.get("chars", ""):
            (bmp if ord(c) <= 0xFFFF else astral).append(_escape(ord(c)))
        for item in str(rule.get("ranges", "")).split():
            lo, _, hi = item.partition("-")
            lo_cp, hi_cp = int(lo, 16), int(hi or lo, 16)
            if lo_cp <= 0xFFFF < hi_cp:
                raise RuleFileError(f"rules/{_CLASSES}: class {name!r}: range {item} crosses U+FFFF")
            (bmp if hi_cp <= 0xFFFF else astral).append(_escape(lo_cp) + ("-" + _escape(hi_cp) if hi else ""))
        for inc in rule.get("include", []):
            inc_bmp, inc_astral = body(inc.replace("-", "_"), seen + (name,))
            bmp.append(inc_bmp)
            astral.append(inc_astral)
        bodies[name] = ("".join(bmp), "".join(astral))
        return bodies[name]

    for name in rules:
        body(name)
    return bodies


def _char_set(inner: str, classes: dict[str, tuple[str, str]], where: str) -> str:
    """A regex for ``[inner]``, where ``inner`` may name classes as ``{name}``."""
    bmp, astral = [re.sub(r"\{[a-z_]+\}", "", inner)], []
    for name in re.findall(r"\{([a-z_]+)\}", inner):
        if name not in classes:
            raise RuleFileError(f"rules/{_AFFIXES}: rule {where!r}: unknown class {{{name}}}")
        bmp.append(classes[name][0])
        astral.append(classes[name][1])
    astral_body = "".join(astral)
    bmp_set = "[" + "".join(bmp) + "]"
    # The cheap look-ahead keeps the slow astral set from being tried on BMP characters.
    return f"(?:{bmp_set}|(?=[\\U00010000-\\U0010FFFF])[{astral_body}])" if astral_body else bmp_set


# A bracket expression that names a class, e.g. [{alpha}0-9]; or a bare {name}.
_NAMED_SET = re.compile(r"\[((?:\\.|[^\]\\])*?\{[a-z_]+\}(?:\\.|[^\]\\])*?)\]|(\{[a-z_]+\})")


def _expand(pattern: str, classes: dict[str, tuple[str, str]], where: str) -> str:
    """Replace every character set that names a class by a regex for that set."""
    return _NAMED_SET.sub(lambda m: _char_set(m.group(1) or m.group(2), classes, where), pattern)


def _rule_regex(rule: dict, classes: dict[str, tuple[str, str]]) -> str:
    """One affix rule as a regular expression (a character set, literals or a pattern)."""
    given = [k for k in ("chars", "literals", "pattern") if k in rule]
    if len(given) != 1:
        raise RuleFileError(f"rules/{_AFFIXES}: rule {rule['id']!r}: give exactly one of chars, literals, pattern")
    if "chars" in rule:
        named = "".join(re.findall(r"\{[a-z_]+\}", rule["chars"]))
        plain = "".join(_escape(ord(c)) for c in re.sub(r"\{[a-z_]+\}", "", rule["chars"]))
        regex = _char_set(plain + named, classes, rule["id"])
    elif "literals" in rule:
        regex = "(?:" + "|".join(re.escape(s) for s in rule["literals"]) + ")"
    else:
        regex = "(?:" + _expand(rule["pattern"].strip(), classes, rule["id"]) + ")"
    if "after" in rule:
        regex = "(?<=" + _char_set(rule["after"], classes, rule["id"]) + ")" + regex
    if "before" in rule:
        regex += "(?=" + _char_set(rule["before"], classes, rule["id"]) + ")"
    return regex


def _first_chars(rule: dict) -> str:
    """The characters a match of an infix or suffix rule can start with, as the inside of [...]."""
    if "chars" in rule:
        named = "".join(re.findall(r"\{[a-z_]+\}", rule["chars"]))
        return "".join(_escape(ord(c)) for c in re.sub(r"\{[a-z_]+\}", "", rule["chars"])) + named
    if "literals" in rule:
        return "".join(_escape(ord(s[0])) for s in rule["literals"])
    if "starts" not in rule:
        raise RuleFileError(f"rules/{_AFFIXES}: rule {rule['id']!r}: an infix or suffix pattern needs 'starts'")
    return "".join(_escape(ord(c)) for c in rule["starts"])


@cache
def _affix_sources() -> tuple[dict[str, str], str]:
    """The regular expression of each kind (one alternation of its rules; searches are guarded
    by a look-ahead on the first character, so most positions fail at once), and what every
    URL contains (the url rule's ``needs``: a core without it is not tried)."""
    classes = _class_bodies()
    pieces: dict[str, list[tuple[int, str]]] = {k: [] for k in _KINDS}
    starts: dict[str, list[str]] = {"suffix": [], "infix": []}
    url_needs = ""
    for rule in load(_AFFIXES, _AFFIX_SCHEMA):
        if rule["kind"] not in pieces:
            raise RuleFileError(f"rules/{_AFFIXES}: rule {rule['id']!r}: kind must be one of {list(_KINDS)}")
        pieces[rule["kind"]].append((rule["priority"], _rule_regex(rule, classes)))
        if rule["kind"] in starts:
            starts[rule["kind"]].append(_first_chars(rule))
        if rule["kind"] == "url":
            url_needs = str(rule.get("needs", ""))
    alternation = {k: "|".join(r for _, r in sorted(v)) for k, v in pieces.items()}
    guard = {k: f"(?={_char_set(''.join(v), classes, k)})" for k, v in starts.items()}
    return {
        "prefix": alternation["prefix"],
        "suffix": f"{guard['suffix']}(?:{alternation['suffix']})\\Z",
        "infix": f"{guard['infix']}(?:{alternation['infix']})",
        "infix_start": guard["infix"],
        "url": alternation["url"],
    }, url_needs


@cache
def _compiled(kind: str) -> re.Pattern:
    return re.compile(_affix_sources()[0][kind])


class Tables:
    """Everything the tokenizer needs. The special cases are read at once; each affix pattern
    is compiled on first use, as their classes are large and slow to compile: a line of plain
    words needs none of them, and the URL pattern waits for a core that has what URLs need."""

    def __init__(self, specials: dict[str, tuple[str, ...]]) -> None:
        self.specials = specials
        self.longest_special = max(map(len, specials), default=0)
        # step 4 follows a run of tokens only while it spells the start of some special case
        self.special_starts = frozenset(key[:n] for key in specials for n in range(1, len(key) + 1))

    @cached_property
    def prefix(self) -> re.Pattern:     # .match at the start of the rest
        return _compiled("prefix")

    @cached_property
    def suffix(self) -> re.Pattern:     # .search; anchored at the end
        return _compiled("suffix")

    @cached_property
    def infix(self) -> re.Pattern:      # .finditer over the core
        return _compiled("infix")

    @cached_property
    def infix_start(self) -> re.Pattern:  # .search: a core without a match has no infix
        return _compiled("infix_start")

    @cached_property
    def url(self) -> re.Pattern:        # .fullmatch of the core
        return _compiled("url")

    @cached_property
    def url_needs(self) -> str:
        return _affix_sources()[1]


def _load_specials() -> dict[str, tuple[str, ...]]:
    specials: dict[str, tuple[str, ...]] = {}
    for rule in load(_SPECIALS, _SPECIAL_SCHEMA):
        for key, value in rule["cases"].items():
            tokens = tuple(str(value).split(" "))
            if "".join(tokens) != key or not all(tokens):
                raise RuleFileError(f"rules/{_SPECIALS}: rule {rule['id']!r}: {value!r} does not spell {key!r}")
            specials[key] = tokens
    return specials


@cache
def tables() -> Tables:
    """The tokenizer's tables (first call only; nothing is read at import time)."""
    return Tables(_load_specials())
