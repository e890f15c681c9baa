"""Cut text into tokens the way spaCy 3.8's English tokenizer does (en_core_web_sm 3.8).

misaki tags and reads spaCy's tokens, so every later stage depends on where spaCy cuts:
``don't`` is ``do`` + ``n't``, ``Mr.`` stays whole, ``5pm`` is ``5`` + ``pm``. This module
reproduces that without spaCy, from the data in three rule files:

* ``rules/tokenizer.yaml``: prefix, suffix and infix rules and the URL pattern;
* ``rules/tokenizer_classes.yaml``: the character classes those patterns name ({alpha}, ...);
* ``rules/tokenizer_special.yaml``: special cases (contractions, abbreviations, emoticons).

The algorithm, for each run of non-space characters (a *chunk*):

1. A chunk that is a special case becomes the special case's tokens.
2. Otherwise peel it from the outside in: cut one prefix and/or one suffix per round
   (a suffix is looked for in what the prefix leaves) until neither matches; stop early as soon
   as what is left, or what is left without the new prefix or suffix, is a special case.
3. What is left (the *core*) is a special case, or a URL / e-mail address kept whole, or it is
   cut at every infix match (a match at the very start of the core is ignored).
4. Last, runs of tokens that spell an affix-bearing special case without spaces between them
   (``lol:)`` -> ``lol`` ``:`` ``)``) are joined into that special case (``lol`` ``:)``).

Whitespace: one plain space after a token is that token's ``whitespace_``; any other
whitespace (more spaces, tabs, newlines, a leading space) becomes a token of its own, with no
whitespace after it. So ``"".join(text + ws for text, ws in tokenize(s)) == s`` always.

Cost stays linear in the length of the text: prefix and suffix patterns are tried on a short
window at the ends of the chunk (the whole rest only when a match reaches the window's edge),
and the patterns are written so that they cannot backtrack quadratically.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .errors import RuleFileError
from .rules import Schema, load

__all__ = ["tokenize"]

_CLASSES = "tokenizer_classes.yaml"
_AFFIXES = "tokenizer.yaml"
_SPECIALS = "tokenizer_special.yaml"
_CLASS_SCHEMA = Schema.of(optional="ranges chars include")
_AFFIX_SCHEMA = Schema.of(required="kind priority", optional="chars literals pattern after")
_SPECIAL_SCHEMA = Schema.of(required="cases")
_KINDS = ("prefix", "suffix", "infix", "url")

# Prefix and suffix patterns are tried on this many characters at the end of the chunk; a match
# that comes within _MARGIN of the window's inner edge is redone on the whole rest, so
# lookarounds and open-ended runs (``\.\.+``) see everything they would see in spaCy.
_WINDOW = 48
_MARGIN = 8

_WHITESPACE_OR_NOT = re.compile(r"\s+|\S+")


def _escape(cp: int) -> str:
    return f"\\U{cp:08X}" if cp > 0xFFFF else f"\\u{cp:04X}"


def _class_bodies() -> dict[str, str]:
    """The classes of tokenizer_classes.yaml as bodies of ``[...]``, by name (alpha_lower, ...)."""
    rules = {r["id"].replace("-", "_"): r for r in load(_CLASSES, _CLASS_SCHEMA)}
    bodies: dict[str, str] = {}

    def body(name: str, seen: tuple[str, ...] = ()) -> str:
        if name in bodies:
            return bodies[name]
        rule = rules.get(name)
        if rule is None or name in seen:
            raise RuleFileError(f"rules/{_CLASSES}: class {name!r} is unknown or includes itself")
        parts = ["".join(_escape(ord(c)) for c in rule.get("chars", ""))]
        for item in str(rule.get("ranges", "")).split():
            lo, _, hi = item.partition("-")
            parts.append(_escape(int(lo, 16)) + ("-" + _escape(int(hi, 16)) if hi else ""))
        parts += [body(inc.replace("-", "_"), seen + (name,)) for inc in rule.get("include", [])]
        bodies[name] = "".join(parts)
        return bodies[name]

    for name in rules:
        body(name)
    return bodies


def _expand(text: str, classes: dict[str, str], where: str) -> str:
    """Replace every ``{name}`` of a known class by the class's ``[...]`` body."""
    def sub(m: re.Match) -> str:
        if m.group(1) not in classes:
            raise RuleFileError(f"rules/{_AFFIXES}: rule {where!r}: unknown class {{{m.group(1)}}}")
        return classes[m.group(1)]
    return re.sub(r"\{([a-z_]+)\}", sub, text)


def _rule_regex(rule: dict, classes: dict[str, str]) -> str:
    """One affix rule as a regular expression (a character set, literals or a pattern)."""
    given = [k for k in ("chars", "literals", "pattern") if k in rule]
    if len(given) != 1:
        raise RuleFileError(f"rules/{_AFFIXES}: rule {rule['id']!r}: give exactly one of chars, literals, pattern")
    if "chars" in rule:
        plain = re.sub(r"\{[a-z_]+\}", "", rule["chars"])
        named = "".join(re.findall(r"\{[a-z_]+\}", rule["chars"]))
        regex = "[" + "".join(_escape(ord(c)) for c in plain) + _expand(named, classes, rule["id"]) + "]"
    elif "literals" in rule:
        regex = "(?:" + "|".join(re.escape(s) for s in rule["literals"]) + ")"
    else:
        regex = "(?:" + _expand(rule["pattern"].strip(), classes, rule["id"]) + ")"
    if "after" in rule:
        regex = "(?<=[" + _expand(rule["after"], classes, rule["id"]) + "])" + regex
    return regex


@dataclass(frozen=True)
class _Tables:
    """Everything the tokenizer needs, compiled once from the rule files."""

    prefix: re.Pattern      # .match at the start of the rest
    suffix: re.Pattern      # .search; anchored at the end
    infix: re.Pattern       # .finditer over the core
    url: re.Pattern         # .fullmatch of the core
    specials: dict[str, tuple[str, ...]]
    longest_special: int
    joins: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]  # first piece -> (pieces, tokens)


def _compile_affixes() -> dict[str, re.Pattern]:
    classes = _class_bodies()
    pieces: dict[str, list[tuple[int, str]]] = {k: [] for k in _KINDS}
    for rule in load(_AFFIXES, _AFFIX_SCHEMA):
        if rule["kind"] not in pieces:
            raise RuleFileError(f"rules/{_AFFIXES}: rule {rule['id']!r}: kind must be one of {list(_KINDS)}")
        pieces[rule["kind"]].append((rule["priority"], _rule_regex(rule, classes)))
    alternation = {k: "|".join(r for _, r in sorted(v)) for k, v in pieces.items()}
    return {
        "prefix": re.compile(alternation["prefix"]),
        "suffix": re.compile(f"(?:{alternation['suffix']})\\Z"),
        "infix": re.compile(alternation["infix"]),
        "url": re.compile(alternation["url"]),
    }


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
def _tables() -> _Tables:
    """Compile the rule files (first call only; nothing is read at import time)."""
    regexes = _compile_affixes()
    specials = _load_specials()
    bare = _Tables(**regexes, specials={}, longest_special=0, joins={})
    joins: dict[str, list] = {}
    for key, tokens in specials.items():
        p, s, i = regexes["prefix"], regexes["suffix"], regexes["infix"]
        if p.match(key) or s.search(key) or i.search(key):
            pieces = tuple(_split_chunk(key, bare))
            joins.setdefault(pieces[0], []).append((pieces, tokens))
    return _Tables(**regexes, specials=specials, longest_special=max(map(len, specials)), joins=joins)


def _special(t: _Tables, s: str, start: int, end: int) -> tuple[str, ...] | None:
    if 0 < end - start <= t.longest_special:
        return t.specials.get(s[start:end])
    return None


def _prefix_len(t: _Tables, s: str, start: int, end: int) -> int:
    stop = min(end, start + _WINDOW)
    m = t.prefix.match(s[start:stop])
    if m and stop < end and m.end() > stop - start - _MARGIN:
        m = t.prefix.match(s[start:end])
    return m.end() if m else 0


def _suffix_len(t: _Tables, s: str, start: int, end: int) -> int:
    lo = max(start, end - _WINDOW)
    m = t.suffix.search(s[lo:end])
    if m and lo > start and m.start() < _MARGIN:
        m = t.suffix.search(s[start:end])
        return len(s[start:end]) - m.start() if m else 0
    return end - lo - m.start() if m else 0


def _peel(t: _Tables, s: str) -> tuple[list[str], int, int, list[str]]:
    """Step 2: cut prefixes and suffixes; return them and the bounds of the core."""
    start, end = 0, len(s)
    prefixes: list[str] = []
    suffixes: list[str] = []
    while start < end and _special(t, s, start, end) is None:
        pre = _prefix_len(t, s, start, end)
        if pre and _special(t, s, start + pre, end):
            prefixes.append(s[start:start + pre])
            return prefixes, start + pre, end, suffixes
        suf = _suffix_len(t, s, start + pre, end)
        if suf and _special(t, s, start, end - suf):
            suffixes.append(s[end - suf:end])
            return prefixes, start, end - suf, suffixes
        if not pre and not suf:
            break
        if pre:
            prefixes.append(s[start:start + pre])
            start += pre
        if suf:
            suffixes.append(s[end - suf:end])
            end -= suf
    return prefixes, start, end, suffixes


def _split_core(t: _Tables, core: str) -> list[str]:
    """Step 3: a special case, a URL kept whole, or the core cut at its infixes."""
    special = t.specials.get(core)
    if special is not None:
        return list(special)
    if t.url.fullmatch(core):
        return [core]
    out: list[str] = []
    pos = 0
    for m in t.infix.finditer(core):
        if m.start() == 0:
            continue
        if m.start() > pos:
            out.append(core[pos:m.start()])
        if m.end() > m.start():
            out.append(m.group())
        pos = m.end()
    if pos < len(core):
        out.append(core[pos:])
    return out


def _split_chunk(s: str, t: _Tables) -> list[str]:
    """Steps 1-3 for one chunk of non-space characters."""
    special = t.specials.get(s)
    if special is not None:
        return list(special)
    prefixes, start, end, suffixes = _peel(t, s)
    core = _split_core(t, s[start:end]) if start < end else []
    return prefixes + core + suffixes[::-1]


def _join_specials(t: _Tables, tokens: list[str]) -> list[str]:
    """Step 4: join token runs that spell an affix-bearing special case (earliest, then longest)."""
    found = []
    for i, tok in enumerate(tokens):
        for pieces, special in t.joins.get(tok, ()):
            if tuple(tokens[i:i + len(pieces)]) == pieces:
                found.append((i, -len(pieces), special))
    if not found:
        return tokens
    out: list[str] = []
    pos = 0
    for i, neg_len, special in sorted(found, key=lambda f: f[:2]):
        if i >= pos:
            out += tokens[pos:i] + list(special)
            pos = i - neg_len
    return out + tokens[pos:]


def tokenize(text: str) -> list[tuple[str, str]]:
    """Split ``text`` into ``(token_text, whitespace_after)`` pairs, as spaCy's tokenizer does.

    >>> tokenize("I can't  go.")
    [('I', ' '), ('ca', ''), ("n't", ' '), (' ', ''), ('go', ''), ('.', '')]
    """
    t = _tables()
    out: list[tuple[str, str]] = []
    for m in _WHITESPACE_OR_NOT.finditer(text):
        run = m.group()
        if not run[0].isspace():
            pieces = _split_chunk(run, t)
            if len(pieces) > 1 and t.joins:
                pieces = _join_specials(t, pieces)
            out += [(p, "") for p in pieces]
        elif out and run[0] == " ":  # the run follows a chunk's last token
            out[-1] = (out[-1][0], " ")
            if len(run) > 1:
                out.append((run[1:], ""))
        else:
            out.append((run, ""))
    return out
