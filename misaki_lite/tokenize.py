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
4. Last, over the whole text, runs of tokens that spell a special case which some affix rule
   would cut (``lol:)`` -> ``lol`` ``:`` ``)``) are joined into that case (``lol`` ``:)``):
   longest runs first, then leftmost, and a run overlapping the ends of one taken before is
   dropped (``30°c.`` stays ``30`` ``°`` ``c`` ``.``: the run ``° c .`` blocks ``c.``).

Whitespace: one plain space after a token is that token's ``whitespace_``; any other
whitespace (more spaces, tabs, newlines, a leading space) becomes a token of its own, with no
whitespace after it. So ``"".join(text + ws for text, ws in tokenize(s)) == s`` always.

Cost stays linear in the length of the text: prefix and suffix patterns are tried on a short
window at the ends of the chunk (the whole rest only when a match reaches the window's edge),
the peeling moves indexes instead of copying the rest, and the patterns are written so that they
cannot backtrack quadratically. For speed, the infix search first checks that a position holds
a character some infix can start with, classes are split into BMP and astral parts (``re``
tests a BMP-only set with one table look-up), and cut chunks are cached.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .errors import InputError, RuleFileError
from .rules import Schema, load

__all__ = ["tokenize"]

_CLASSES = "tokenizer_classes.yaml"
_AFFIXES = "tokenizer.yaml"
_SPECIALS = "tokenizer_special.yaml"
_CLASS_SCHEMA = Schema.of(optional="ranges chars include")
_AFFIX_SCHEMA = Schema.of(required="kind priority", optional="chars literals pattern after before starts")
_SPECIAL_SCHEMA = Schema.of(required="cases")
_KINDS = ("prefix", "suffix", "infix", "url")

# Prefix and suffix patterns are tried on this many characters at the end of the chunk; a match
# that comes within _MARGIN of the window's inner edge is redone on the whole rest, so
# lookarounds and open-ended runs (``\.\.+``) see everything they would see in spaCy. This holds
# while every other prefix or suffix is at most _WINDOW - _MARGIN characters long (today: the
# 5-letter unit after a digit) and looks at most _MARGIN - 1 characters around it.
_WINDOW = 8
_MARGIN = 3

# A chunk with the one plain space that may follow it, or a run of other whitespace.
_CHUNK = re.compile(r"(\S+)( ?)|(\s+)")

# Chunks already cut, by text (most chunks of real text repeat). Emptied when it gets big;
# long chunks (rare, and costly to keep) are not remembered.
_CACHE_SIZE = 50_000
_CACHE_CHUNK = 100
_cache: dict[str, tuple[tuple[tuple[str, str], ...], bool]] = {}


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


@dataclass(frozen=True)
class _Tables:
    """Everything the tokenizer needs, compiled once from the rule files."""

    prefix: re.Pattern      # .match at the start of the rest
    suffix: re.Pattern      # .search; anchored at the end
    infix: re.Pattern       # .finditer over the core
    url: re.Pattern         # .fullmatch of the core
    specials: dict[str, tuple[str, ...]]
    longest_special: int
    # step 4: [(pieces, special-case tokens)] by the first two pieces (the one-piece cases of
    # the same first piece included), and the one-piece cases by their piece
    joins: dict[tuple[str, str], list[tuple[tuple[str, ...], tuple[str, ...]]]]
    join_singles: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]
    join_starts: frozenset[str]  # the first pieces of all of them


def _compile_affixes() -> dict[str, re.Pattern]:
    classes = _class_bodies()
    pieces: dict[str, list[tuple[int, str]]] = {k: [] for k in _KINDS}
    starts: dict[str, list[str]] = {"suffix": [], "infix": []}
    for rule in load(_AFFIXES, _AFFIX_SCHEMA):
        if rule["kind"] not in pieces:
            raise RuleFileError(f"rules/{_AFFIXES}: rule {rule['id']!r}: kind must be one of {list(_KINDS)}")
        pieces[rule["kind"]].append((rule["priority"], _rule_regex(rule, classes)))
        if rule["kind"] in starts:
            starts[rule["kind"]].append(_first_chars(rule))
    alternation = {k: "|".join(r for _, r in sorted(v)) for k, v in pieces.items()}
    # Searches begin with a look-ahead on the first character, so most positions fail at once.
    guard = {k: f"(?={_char_set(''.join(v), classes, k)})" for k, v in starts.items()}
    return {
        "prefix": re.compile(alternation["prefix"]),
        "suffix": re.compile(f"{guard['suffix']}(?:{alternation['suffix']})\\Z"),
        "infix": re.compile(f"{guard['infix']}(?:{alternation['infix']})"),
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
    bare = _Tables(**regexes, specials={}, longest_special=0, joins={}, join_singles={},
                   join_starts=frozenset())
    joins: dict[tuple[str, str], list] = {}
    singles: dict[str, list] = {}
    p, s, i = regexes["prefix"], regexes["suffix"], regexes["infix"]
    for key, tokens in specials.items():
        # Like spaCy (faster_heuristics), only keys that some affix rule would cut take part.
        if p.match(key) or s.search(key) or i.search(key):
            pieces = tuple(_split_chunk(key, bare))
            if len(pieces) == 1:
                singles.setdefault(pieces[0], []).append((pieces, tokens))
            else:
                joins.setdefault(pieces[:2], []).append((pieces, tokens))
    joins = {pair: cases + singles.get(pair[0], []) for pair, cases in joins.items()}
    return _Tables(**regexes, specials=specials, longest_special=max(map(len, specials)),
                   joins=joins, join_singles=singles,
                   join_starts=frozenset([first for first, _ in joins] + list(singles)))


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
        return end - start - m.start() if m else 0
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
    pos = 0  # end of the last piece
    for m in t.infix.finditer(core):
        if m.start() == 0 or m.end() == m.start():
            continue  # an infix at the very start is not cut (it stays on the next piece)
        if m.start() > pos:
            out.append(core[pos:m.start()])
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


def _join_specials(t: _Tables, tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Step 4: join runs of tokens that spell an affix-bearing special case.

    Every run whose texts equal the pieces of a special case is a candidate, wherever it is.
    Candidates are taken longest first, then leftmost; one is used only if its first and last
    tokens are not in a candidate taken up before it (used or not), and only if no whitespace
    lies between its tokens (else it is left as it is).
    """
    texts = [text for text, _ in tokens] + [""]
    starts = t.join_starts
    found = []
    for i, tok in enumerate(texts):
        if tok not in starts:
            continue
        for pieces, special in t.joins.get((tok, texts[i + 1])) or t.join_singles.get(tok, ()):
            n = len(pieces)
            if n == 2 or tuple(texts[i:i + n]) == pieces:  # two pieces: already equal
                glued = not any(ws for _, ws in tokens[i:i + n - 1])
                found.append((-n, i, special if glued else None))
    if not found:
        return tokens
    seen: set[int] = set()
    chosen: dict[int, tuple[int, tuple[str, ...]]] = {}
    for neg_n, i, special in sorted(found, key=lambda f: f[:2]):
        last = i - neg_n - 1
        if i not in seen and last not in seen and special is not None:
            chosen[i] = (-neg_n, special)
        seen.update(range(i, last + 1))
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(tokens):
        if i not in chosen:
            out.append(tokens[i])
            i += 1
            continue
        n, special = chosen[i]
        out += [(piece, "") for piece in special[:-1]] + [(special[-1], tokens[i + n - 1][1])]
        i += n
    return out


def _spells_special(t: _Tables, pieces: tuple[str, ...]) -> bool:
    """Whether some run of ``pieces`` (one chunk, so no whitespace inside) spells a step-4 case."""
    for i, piece in enumerate(pieces):
        if piece in t.join_starts:
            pair = (piece, pieces[i + 1] if i + 1 < len(pieces) else "")
            for run, special in t.joins.get(pair) or t.join_singles.get(piece, ()):
                # A case cut the same way changes nothing; it only matters next to another.
                if run != special and pieces[i:i + len(run)] == run:
                    return True
    return False


def _cut(chunk: str, t: _Tables) -> tuple[tuple[tuple[str, str], ...], bool]:
    """Steps 1-3 for one chunk: its (piece, "") pairs, and whether step 4 may apply.

    Remembered in a bounded cache, as most chunks of real text repeat.
    """
    hit = _cache.get(chunk)
    if hit is not None:
        return hit
    if chunk.isascii() and chunk.isalpha() and chunk not in t.specials and chunk not in t.join_starts:
        hit = ((chunk, ""),), False  # no affix rule applies to plain ASCII letters
    else:
        pieces = tuple(_split_chunk(chunk, t))
        hit = tuple((p, "") for p in pieces), _spells_special(t, pieces)
    if len(chunk) <= _CACHE_CHUNK:
        if len(_cache) >= _CACHE_SIZE:
            _cache.clear()
        _cache[chunk] = hit
    return hit


def tokenize(text: str) -> list[tuple[str, str]]:
    """Split ``text`` into ``(token_text, whitespace_after)`` pairs, as spaCy's tokenizer does.

    >>> tokenize("I can't  go.")
    [('I', ' '), ('ca', ''), ("n't", ' '), (' ', ''), ('go', ''), ('.', '')]
    """
    if not isinstance(text, str):
        raise InputError(f"tokenize() takes a str, not {type(text).__name__}")
    t = _tables()
    out: list[tuple[str, str]] = []
    join = False
    for chunk, space, blank in _CHUNK.findall(text):
        if blank:
            out.append((blank, ""))
            continue
        pairs, may_join = _cut(chunk, t)
        out += pairs
        join = join or may_join
        if space:  # one plain space after a chunk belongs to its last token
            out[-1] = (out[-1][0], " ")
    return _join_specials(t, out) if join else out
