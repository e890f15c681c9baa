"""Cut text into tokens the way spaCy 3.8's English tokenizer does (en_core_web_sm 3.8).

misaki tags and reads spaCy's tokens, so every later stage depends on where spaCy cuts:
``don't`` is ``do`` + ``n't``, ``Mr.`` stays whole, ``5pm`` is ``5`` + ``pm``. This module
reproduces that without spaCy, from the data in three rule files:

* ``rules/tokenizer.yaml``: prefix, suffix and infix rules and the URL pattern;
* ``rules/tokenizer_classes.yaml``: the character classes those patterns name ({alpha}, ...);
* ``rules/tokenizer_special.yaml``: special cases (contractions, abbreviations, emoticons).

The algorithm, for each run of non-space characters (a *chunk*):

0. A run of 64 or more punctuation characters is one token and splits the chunk around it
   (unlike spaCy, which would cut it into one token a character: see ``PUNCTUATION_RUN``);
   not with ``runs=False`` (exact mode), which cuts such runs as spaCy does.
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
tests a BMP-only set with one table look-up), and cut chunks are cached. Each pattern is
compiled on first use (a line of plain words compiles none).
"""
from __future__ import annotations

import re
from functools import cache
from typing import Callable, Optional

import regex

from ..cache import Bounded
from ..errors import InputError
from .tokenizer_rules import Tables, tables

__all__ = ["tokenize"]

# Prefix and suffix patterns are tried on this many characters at the end of the chunk; a match
# that comes within _MARGIN of the window's inner edge is redone on the whole rest, so
# lookarounds and open-ended runs (``\.\.+``) see everything they would see in spaCy. This holds
# while every other prefix or suffix is at most _WINDOW - _MARGIN characters long (today: the
# 5-letter unit after a digit) and looks at most _MARGIN - 1 characters around it.
_WINDOW = 8
_MARGIN = 3

# A chunk with the one plain space that may follow it, or a run of other whitespace.
_CHUNK = re.compile(r"(\S+)( ?)|(\s+)")

# Chunks already cut, by text (most chunks of real text repeat), in a bounded cache;
# long chunks (rare, and costly to keep) are not remembered.
_CACHE_SIZE = 2048
_CACHE_CHUNK = 100
_cache: Bounded = Bounded(_CACHE_SIZE)

# A run of at least this many punctuation characters (Unicode class P: brackets, quotes,
# apostrophes, hyphens, periods...) inside a chunk is one token, not one token a character
# as spaCy's affix rules would cut it: a megabyte of brackets would otherwise be a million
# tokens for the tagger and the lexicon (issue 7). The tagger tags the run NFP and it reads as
# misaki reads an NFP token: its kept punctuation. Extended mode only: real files do have such
# runs (a row of 72 asterisks or 80 hyphens framing a heading), which exact mode cuts and tags
# as spaCy does (``tokenize(runs=False)``).
PUNCTUATION_RUN = 64


@cache
def _punctuation_run() -> regex.Pattern:
    return regex.compile(r"\p{P}{%d,}" % PUNCTUATION_RUN)


def is_punctuation_run(text: str) -> bool:
    """Whether ``text`` is one token made of a long punctuation run (see PUNCTUATION_RUN)."""
    return len(text) >= PUNCTUATION_RUN and _punctuation_run().fullmatch(text) is not None


@cache
def affix_cut(key: str) -> tuple[str, ...] | None:
    """The pieces that the affix rules alone cut special case ``key`` into; None when no affix
    rule applies to it (like spaCy's faster_heuristics: only such cases take part in step 4)."""
    t = tables()
    if key not in t.specials or not (t.prefix.match(key) or t.suffix.search(key) or t.infix.search(key)):
        return None
    return tuple(_split_chunk(key, Tables({})))


def _special(t: Tables, s: str, start: int, end: int) -> tuple[str, ...] | None:
    if 0 < end - start <= t.longest_special:
        return t.specials.get(s[start:end])
    return None


def _prefix_len(t: Tables, s: str, start: int, end: int) -> int:
    stop = min(end, start + _WINDOW)
    m = t.prefix.match(s[start:stop])
    if m and stop < end and m.end() > stop - start - _MARGIN:
        m = t.prefix.match(s[start:end])
    return m.end() if m else 0


def _suffix_len(t: Tables, s: str, start: int, end: int) -> int:
    lo = max(start, end - _WINDOW)
    m = t.suffix.search(s[lo:end])
    if m and lo > start and m.start() < _MARGIN:
        m = t.suffix.search(s[start:end])
        return end - start - m.start() if m else 0
    return end - lo - m.start() if m else 0


def _peel(t: Tables, s: str) -> tuple[list[str], int, int, list[str]]:
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


def special_applies(chunk: str, start: int, end: int, runs: bool = True) -> bool:
    """Whether the special case spelled by ``chunk[start:end]`` (a chunk of non-space
    characters) is one to spaCy's tokenizer, which then gives its pieces the special case's
    attributes (their norms): when it is the whole chunk (step 1), or what is left of it once
    the prefixes and suffixes are cut (step 2), or, for an affix-bearing case, when steps 1-3
    cut the chunk there into the pieces step 4 looks for. A special case that infixes cut out
    of a longer core ("big—ma'am", "...'cause") is not one. ``runs``: the chunk is cut as
    ``tokenize(runs=...)`` cuts it.
    """
    t = tables()
    if (start, end) == (0, len(chunk)):
        return True
    if chunk not in t.specials:
        _, core_start, core_end, _ = _peel(t, chunk)
        if (core_start, core_end) == (start, end):
            return True
    cut = affix_cut(chunk[start:end])
    if cut is None:
        return False
    at = 0
    pieces = _split_runs(chunk, t, runs)
    for i, piece in enumerate(pieces):
        if at == start:
            return tuple(pieces[i:i + len(cut)]) == cut
        at += len(piece)
    return False


def _split_core(t: Tables, core: str) -> list[str]:
    """Step 3: a special case, a URL kept whole, or the core cut at its infixes."""
    special = t.specials.get(core)
    if special is not None:
        return list(special)
    if t.url_needs in core and t.url.fullmatch(core):
        return [core]
    if not t.infix_start.search(core, 1):
        return [core]       # no infix can start here (and the large infix pattern waits)
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


def _split_chunk(s: str, t: Tables) -> list[str]:
    """Steps 1-3 for one chunk of non-space characters."""
    special = t.specials.get(s)
    if special is not None:
        return list(special)
    prefixes, start, end, suffixes = _peel(t, s)
    core = _split_core(t, s[start:end]) if start < end else []
    return prefixes + core + suffixes[::-1]


def _special_runs(t: Tables, texts: list[str]):
    """Step 4's candidates: ``(start, length, special-case tokens)`` for every run of ``texts``
    that equals, piece for piece, what the affix rules cut a special case into.

    A run is followed only while its joined text begins some special case, so each position
    costs a few set look-ups (a megabyte of brackets stays linear).
    """
    for i in range(len(texts)):
        key = ""
        for j in range(i, len(texts)):
            key += texts[j]
            if key not in t.special_starts:
                break
            pieces = affix_cut(key)
            if pieces is not None and len(pieces) == j + 1 - i and pieces == tuple(texts[i:j + 1]):
                yield i, len(pieces), t.specials[key]


def _join_specials(t: Tables, tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Step 4: join runs of tokens that spell an affix-bearing special case.

    Every run whose texts equal the pieces of a special case is a candidate, wherever it is.
    Candidates are taken longest first, then leftmost; one is used only if its first and last
    tokens are not in a candidate taken up before it (used or not), and only if no whitespace
    lies between its tokens (else it is left as it is).
    """
    found = []
    for i, n, special in _special_runs(t, [text for text, _ in tokens]):
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


def _split_runs(chunk: str, t: Tables, runs: bool = True) -> list[str]:
    """Steps 1-3, with each long punctuation run of the chunk kept whole (PUNCTUATION_RUN)
    and the text between runs cut as a chunk of its own; without ``runs``, steps 1-3 alone."""
    if len(chunk) < PUNCTUATION_RUN or not runs:
        return _split_chunk(chunk, t)
    out: list[str] = []
    pos = 0
    for m in _punctuation_run().finditer(chunk):
        if m.start() > pos:
            out += _split_chunk(chunk[pos:m.start()], t)
        out.append(m.group())
        pos = m.end()
    if pos < len(chunk):
        out += _split_chunk(chunk[pos:], t)
    return out


def _spells_special(t: Tables, pieces: tuple[str, ...]) -> bool:
    """Whether some run of ``pieces`` (one chunk, so no whitespace inside) spells a step-4 case."""
    # A case cut the same way as its special-case tokens changes nothing; it only matters
    # next to another.
    return any(pieces[i:i + n] != special for i, n, special in _special_runs(t, list(pieces)))


def _cut(chunk: str, t: Tables, runs: bool = True) -> tuple[tuple[tuple[str, str], ...], bool]:
    """Steps 1-3 for one chunk: its (piece, "") pairs, and whether step 4 may apply.

    Remembered in a bounded cache, as most chunks of real text repeat; a chunk of plain ASCII
    letters (no affix rule applies) costs less to cut than to remember. A chunk that ``runs``
    may cut differently (one as long as a run) is remembered under ``(chunk, runs)``.
    """
    if chunk.isascii() and chunk.isalpha() and chunk not in t.specials:
        return ((chunk, ""),), False
    key = chunk if len(chunk) < PUNCTUATION_RUN else (chunk, runs)
    hit = _cache.get(key)
    if hit is None:
        hit = _cache.recall(key)
    if hit is not None:
        return hit
    pieces = tuple(_split_runs(chunk, t, runs))
    hit = tuple((p, "") for p in pieces), _spells_special(t, pieces)
    if len(chunk) <= _CACHE_CHUNK:
        _cache.keep(key, hit)
    return hit


def tokenize(text: str, keep_whole: Optional[Callable[[str], bool]] = None,
             runs: bool = True) -> list[tuple[str, str]]:
    """Split ``text`` into ``(token_text, whitespace_after)`` pairs, as spaCy's tokenizer does.

    ``keep_whole(chunk)``, when given, picks whitespace-free chunks that stay one token (extended
    mode: a blob too long to be a word, which would otherwise cost a token a character).
    ``runs=False`` (exact mode) cuts long punctuation runs as spaCy does, one token a character
    where its rules say so: the rows of 72 asterisks or 80 hyphens of real files are read, and
    steer the tags of their neighbours, as misaki's are (see PUNCTUATION_RUN).

    >>> tokenize("I can't  go.")
    [('I', ' '), ('ca', ''), ("n't", ' '), (' ', ''), ('go', ''), ('.', '')]
    """
    if not isinstance(text, str):
        raise InputError(f"tokenize() takes a str, not {type(text).__name__}")
    t = tables()
    out: list[tuple[str, str]] = []
    join = False
    for match in _CHUNK.finditer(text):        # not findall: no second copy of a long text
        chunk, space, blank = match.groups()
        if blank:
            out.append((blank, ""))
            continue
        if keep_whole is not None and keep_whole(chunk):
            out.append((chunk, " " if space else ""))
            continue
        pairs, may_join = _cut(chunk, t, runs)
        out += pairs
        join = join or may_join
        if space:  # one plain space after a chunk belongs to its last token
            out[-1] = (out[-1][0], " ")
    return _join_specials(t, out) if join else out
